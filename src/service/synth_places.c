/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The places of the synthetic region: the province, the prefecture and its
 * counties (regions.csv), townships and villages, the designated
 * institutions (institutions.csv: level-3 hospitals in the city
 * districts, county hospitals, level-1 hospitals, one centre per township,
 * one clinic per village, pharmacies) and the schools (schools.csv). Their
 * numbers follow each county's expected population, so a small run is a
 * small region and a million persons a realistic one.
 */
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"
#include "yibao/dict.h"

#define CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))

static const char *const l3_names[] = {
    "第一人民医院", "第二人民医院", "中医医院", "妇幼保健院",
    "儿童医院",     "第三人民医院", "肿瘤医院", "第四人民医院",
    "骨科医院",     "眼科医院",     "口腔医院", "传染病医院"};
static const char *const brands_hosp[] = {"仁爱", "博爱", "康华", "同仁",
                                          "慈济", "安康", "永安", "和平",
                                          "济民", "德康"};
static const char *const brands_pharm[] = {"康泰", "福安", "民康", "济生",
                                           "惠民", "益康", "春和", "德仁"};
static const char *const college_names[] = {
    "医学院",       "师范学院", "理工学院",         "职业技术学院",
    "财经学院",     "艺术学院", "农业职业技术学院", "交通职业技术学院",
    "卫生职业学院", "工商学院"};
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *yb__synth_lv_code(int lv)
{
    int n;
    const struct yb_dict_entry *t = yb_dict_entries(YB_DICT_HOSP_LV, &n);

    return lv >= 0 && lv < n ? t[lv].code : "unrated";
}

/* Sizes of each county's places from its expected population. */
static void plan(struct yb__world *w, int64_t persons)
{
    int64_t total = 0;

    for (int c = 0; c < w->n_counties; c++)
        total += w->counties[c].def.weight;
    for (int c = 0; c < w->n_counties; c++) {
        struct yb__county *k = &w->counties[c];

        k->pop = persons * k->def.weight / total + 1;
        k->n_towns = (int)CLAMP(k->pop / 20000, 1, 25);
        k->n_l2 = 1 + (k->pop > 30000) + (k->pop > 100000);
        k->n_l1 = (int)CLAMP(k->pop / 60000, 1, 8);
        k->n_ph = (int)CLAMP(k->pop / 3000, 1, 400);
        k->n_school[0] = (int)CLAMP(k->pop / 9000, 1, 300);
        k->n_school[1] = (int)CLAMP(k->pop / 20000, 1, 150);
    }
    w->n_l3 = (int)CLAMP(persons / 150000, 3, 12);
    w->n_colleges = (int)CLAMP(persons / 140000, 1, 60);
}

static int next_serial(int *serial, int c)
{
    return ++serial[c];
}

/* A new institution of county c; its code numbers it within the county. */
static struct yb__inst *add_inst(struct yb__world *w, int *serial, int c,
                                 int lv, int type, bool pub, struct yb__rng *r)
{
    struct yb__inst *in = &w->insts[w->n_insts++];
    int y = w->year;

    memset(in, 0, sizeof *in);
    snprintf(in->code, sizeof in->code, "H%.6s%05u", w->counties[c].def.code,
             (unsigned)next_serial(serial, c) % 100000u);
    in->lv = (uint8_t)lv;
    in->type = (uint8_t)type;
    in->pub = pub;
    in->county = c;
    /* Agreements (docs/glossary.md): a public institution's is open-ended, so
     * it can still sign in on any later day; a private one's runs 1 to 3 years,
     * and some private ones come or go during Y. */
    in->from = yb_date_from_ymd(y - 1 - (int)yb__rng_below(r, 6), 1, 1);
    in->to = yb_date_from_ymd(y + (int)yb__rng_below(r, 3), 12, 31);
    if (pub)
        in->to = YB__OPEN;
    if (!pub && yb__rng_chance(r, 500))
        in->from = yb_date_from_ymd(y, 2, 1) + (int)yb__rng_below(r, 240);
    else if (!pub && yb__rng_chance(r, 400))
        in->to = yb_date_from_ymd(y, 3, 1) + (int)yb__rng_below(r, 240);
    return in;
}

static void write_inst(struct yb__world *w, const struct yb__inst *in,
                       const char *name)
{
    static const char *const types[] = {"hospital", "township", "village",
                                        "pharmacy"};
    struct yb__csv *o = &w->out[YB__F_INSTITUTIONS];

    yb__csv_str(o, in->code);
    yb__csv_sep(o);
    yb__csv_text(o, name);
    yb__csv_sep(o);
    yb__csv_str(o, yb__synth_lv_code(in->lv));
    yb__csv_sep(o);
    yb__csv_str(o, types[in->type]);
    yb__csv_sep(o);
    yb__csv_str(o, in->pub ? "1" : "0");
    yb__csv_sep(o);
    yb__csv_str(o, w->counties[in->county].def.code);
    yb__csv_sep(o);
    yb__csv_date(o, in->from);
    yb__csv_sep(o);
    if (in->to != YB__OPEN)
        yb__csv_date(o, in->to);
    yb__csv_end(o);
}

/* A place name not yet used among names[0..n-1]. */
static void unique_place(struct yb__rng *r, const char *suffix,
                         char (*names)[40], int n, char *out)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        int k = 0;

        yb__synth_place(r, suffix, out, 40);
        while (k < n && strcmp(names[k], out) != 0)
            k++;
        if (k == n)
            return;
    }
}

static void add_villages(struct yb__world *w, int *serial, struct yb__town *t,
                         int64_t pop, struct yb__rng *r)
{
    const struct yb__county *k = &w->counties[t->county];
    char names[15][40], label[128];
    int n = (int)CLAMP(pop / 1500, 1, 15);

    t->first_village = w->n_villages;
    t->n_villages = n;
    for (int v = 0; v < n; v++) {
        struct yb__village *vi = &w->villages[w->n_villages];
        struct yb__inst *in;

        unique_place(r, k->def.urban ? "社区" : "村", names, v, names[v]);
        memcpy(vi->name, names[v], sizeof vi->name);
        vi->town = (int)(t - w->towns);
        in =
            add_inst(w, serial, t->county, YB__LVVILL, YB__IT_VILLAGE, true, r);
        vi->clinic = (int)(in - w->insts);
        snprintf(label, sizeof label, "%s%s%s", t->name, vi->name,
                 k->def.urban ? "卫生服务站" : "卫生室");
        write_inst(w, in, label);
        w->n_villages++;
    }
}

static void add_towns(struct yb__world *w, int *serial, int c,
                      struct yb__rng *r)
{
    struct yb__county *k = &w->counties[c];
    char names[25][40], label[128];

    k->first_town = w->n_towns;
    for (int i = 0; i < k->n_towns; i++) {
        struct yb__town *t = &w->towns[w->n_towns++];
        struct yb__inst *in;

        unique_place(r,
                     k->def.urban              ? "街道"
                     : yb__rng_chance(r, 7000) ? "镇"
                                               : "乡",
                     names, i, names[i]);
        memcpy(t->name, names[i], sizeof t->name);
        t->county = c;
        in = add_inst(w, serial, c, YB__LVTOWN, YB__IT_TOWNSHIP, true, r);
        t->centre = (int)(in - w->insts);
        snprintf(label, sizeof label, "%s%s%s", k->def.name, t->name,
                 k->def.urban ? "社区卫生服务中心" : "卫生院");
        write_inst(w, in, label);
        add_villages(w, serial, t, k->pop / k->n_towns, r);
    }
}

/* County hospitals: the people's hospital, the TCM hospital, a private
 * level-2 hospital in a big county; then level-1 hospitals. */
static void add_hospitals(struct yb__world *w, int *serial, int c,
                          struct yb__rng *r)
{
    static const char *const l2[] = {"人民医院", "中医医院", ""};
    struct yb__county *k = &w->counties[c];
    char label[128];

    k->first_l2 = w->n_insts;
    for (int i = 0; i < k->n_l2; i++) {
        struct yb__inst *in =
            add_inst(w, serial, c, YB__LV2, YB__IT_HOSPITAL, i < 2, r);

        if (i < 2)
            snprintf(label, sizeof label, "%s%s", k->def.name, l2[i]);
        else
            snprintf(label, sizeof label, "%s%s医院", k->def.name,
                     brands_hosp[yb__rng_below(r, COUNT(brands_hosp))]);
        if (i == 0) { /* the county hospital always has an agreement */
            in->from = yb_date_from_ymd(w->year - 5, 1, 1);
            in->to = YB__OPEN;
        }
        write_inst(w, in, label);
    }
    k->first_l1 = w->n_insts;
    for (int i = 0; i < k->n_l1; i++) {
        bool pub = yb__rng_chance(r, 4000);
        int lv = pub || yb__rng_chance(r, 7000) ? YB__LV1 : YB__LVNONE;
        struct yb__inst *in =
            add_inst(w, serial, c, lv, YB__IT_HOSPITAL, pub, r);

        if (pub)
            snprintf(label, sizeof label, "%s第%d医院", k->def.name, i + 2);
        else
            snprintf(label, sizeof label, "%s%s医院", k->def.name,
                     brands_hosp[yb__rng_below(r, COUNT(brands_hosp))]);
        write_inst(w, in, label);
    }
}

static void add_pharmacies(struct yb__world *w, int *serial, int c,
                           struct yb__rng *r)
{
    struct yb__county *k = &w->counties[c];
    char label[128];

    k->first_ph = w->n_insts;
    for (int i = 0; i < k->n_ph; i++) {
        struct yb__inst *in =
            add_inst(w, serial, c, YB__LVNONE, YB__IT_PHARMACY, false, r);

        snprintf(label, sizeof label, "%s大药房(%s第%d分店)",
                 brands_pharm[yb__rng_below(r, COUNT(brands_pharm))],
                 k->def.name, i + 1);
        write_inst(w, in, label);
    }
}

/* Level-3 hospitals go round the city districts (every county when the
 * prefecture has none): hospital i to the district of rank i mod n. */
static void add_level3(struct yb__world *w, int *serial, int c, int rank,
                       int n_ranked, struct yb__rng *r)
{
    char label[128];

    for (int i = rank; i < w->n_l3; i += n_ranked) {
        struct yb__inst *in =
            add_inst(w, serial, c, YB__LV3, YB__IT_HOSPITAL, true, r);

        in->from = yb_date_from_ymd(w->year - 5, 1, 1);
        in->to = YB__OPEN;
        snprintf(label, sizeof label, "%s%s", w->region_name,
                 l3_names[i % COUNT(l3_names)]);
        w->l3[i] = (int)(in - w->insts);
        write_inst(w, in, label);
    }
}

static void write_region(struct yb__csv *o, const char *code, const char *name,
                         const char *level, const char *parent)
{
    yb__csv_str(o, code);
    yb__csv_sep(o);
    yb__csv_text(o, name);
    yb__csv_sep(o);
    yb__csv_str(o, level);
    yb__csv_sep(o);
    yb__csv_str(o, parent);
    yb__csv_end(o);
}

static void write_regions(struct yb__world *w)
{
    struct yb__csv *o = &w->out[YB__F_REGIONS];
    char prov[7];
    const char *pname;

    snprintf(prov, sizeof prov, "%.2s0000", w->region);
    pname = yb__synth_province((w->region[0] - '0') * 10 + w->region[1] - '0');
    write_region(o, prov, pname != NULL ? pname : prov, "province", "");
    write_region(o, w->region, w->region_name, "city", prov);
    for (int c = 0; c < w->n_counties; c++)
        write_region(o, w->counties[c].def.code, w->counties[c].def.name,
                     "county", w->region);
}

static void write_school(struct yb__world *w, const struct yb__school *s,
                         const char *name)
{
    static const char *const types[] = {"primary", "secondary", "college"};
    struct yb__csv *o = &w->out[YB__F_SCHOOLS];

    yb__csv_str(o, s->code);
    yb__csv_sep(o);
    yb__csv_text(o, name);
    yb__csv_sep(o);
    yb__csv_str(o, types[s->type]);
    yb__csv_sep(o);
    yb__csv_str(o, w->counties[s->county].def.code);
    yb__csv_end(o);
}

static struct yb__school *add_school(struct yb__world *w, int *serial, int c,
                                     int type)
{
    struct yb__school *s = &w->schools[w->n_schools++];

    snprintf(s->code, sizeof s->code, "%.6s%04u", w->counties[c].def.code,
             (unsigned)next_serial(serial, c) % 10000u);
    s->type = (uint8_t)type;
    s->county = c;
    return s;
}

/* Primary and secondary schools of every county, then the colleges in the
 * city districts. */
static void add_schools(struct yb__world *w)
{
    static const char *const kind[] = {"小学", "中学"};
    int serial[YB__COUNTY_MAX] = {0}, n_urban = 0, urban[YB__COUNTY_MAX];
    char label[128];

    for (int c = 0; c < w->n_counties; c++) {
        struct yb__county *k = &w->counties[c];

        if (k->def.urban)
            urban[n_urban++] = c;
        for (int t = 0; t < 2; t++) {
            k->first_school[t] = w->n_schools;
            for (int i = 0; i < k->n_school[t]; i++) {
                const struct yb__school *s = add_school(w, serial, c, t);

                snprintf(label, sizeof label, "%s第%d%s", k->def.name, i + 1,
                         kind[t]);
                write_school(w, s, label);
            }
        }
    }
    w->first_college = w->n_schools;
    for (int i = 0; i < w->n_colleges; i++) {
        int c = n_urban > 0 ? urban[i % n_urban] : i % w->n_counties;
        const struct yb__school *s = add_school(w, serial, c, YB__SCH_COLLEGE);

        snprintf(label, sizeof label, "%s%s",
                 i < COUNT(college_names) ? w->region_name
                                          : w->counties[c].def.name,
                 college_names[i % COUNT(college_names)]);
        write_school(w, s, label);
    }
}

static int allocate(struct yb__world *w, struct yb_err *e)
{
    int towns = 0, insts = w->n_l3, schools = w->n_colleges;

    for (int c = 0; c < w->n_counties; c++) {
        const struct yb__county *k = &w->counties[c];

        towns += k->n_towns;
        insts += k->n_l2 + k->n_l1 + k->n_ph + k->n_towns * 16;
        schools += k->n_school[0] + k->n_school[1];
    }
    w->towns = calloc((size_t)towns, sizeof *w->towns);
    w->villages = calloc((size_t)towns * 15, sizeof *w->villages);
    w->insts = calloc((size_t)insts, sizeof *w->insts);
    w->schools = calloc((size_t)schools, sizeof *w->schools);
    if (w->towns == NULL || w->villages == NULL || w->insts == NULL ||
        w->schools == NULL)
        return yb_err_set(e, YB_ENOMEM, "synth", "内存不足 (out of memory)");
    return YB_OK;
}

int yb__places_build(struct yb__world *w, struct yb_err *e)
{
    struct yb__county_def defs[YB__COUNTY_MAX];
    int serial[YB__COUNTY_MAX] = {0}, n_urban = 0, rank = 0, rc;
    struct yb__rng r;

    w->n_counties =
        yb__synth_counties(w->region, defs, &w->region_name, w->region_name_buf,
                           sizeof w->region_name_buf);
    w->counties = calloc((size_t)w->n_counties, sizeof *w->counties);
    if (w->counties == NULL)
        return yb_err_set(e, YB_ENOMEM, "synth", "内存不足 (out of memory)");
    for (int c = 0; c < w->n_counties; c++) {
        w->counties[c].def = defs[c];
        w->county_weights[c] = defs[c].weight;
        n_urban += defs[c].urban;
    }
    plan(w, w->o->persons);
    rc = allocate(w, e);
    if (rc != YB_OK)
        return rc;
    write_regions(w);
    yb__rng_seed(&r, w->o->seed, 2, 0);
    for (int c = 0; c < w->n_counties; c++) {
        if (n_urban == 0 || w->counties[c].def.urban)
            add_level3(w, serial, c, rank++,
                       n_urban > 0 ? n_urban : w->n_counties, &r);
        add_hospitals(w, serial, c, &r);
        add_towns(w, serial, c, &r);
        add_pharmacies(w, serial, c, &r);
    }
    add_schools(w);
    return YB_OK;
}

void yb__places_free(struct yb__world *w)
{
    free(w->counties);
    free(w->towns);
    free(w->villages);
    free(w->insts);
    free(w->schools);
    w->counties = NULL;
    w->towns = NULL;
    w->villages = NULL;
    w->insts = NULL;
    w->schools = NULL;
}
