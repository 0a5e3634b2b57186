/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The synthetic catalogue (目录): about 50,000 rows over the item families
 * of synth_items.c, written to catalogue.csv and kept in memory so the
 * visits can bill items that exist and are valid on the fee date. Codes
 * have the national shapes (23-character drug codes, 15-digit services,
 * C… consumables, T… herbal pieces) and are unique by construction: each
 * family owns a fixed part of the code and numbers its rows. One code in a
 * hundred has a second version from 1 July of the year (a new class, share
 * or ceiling); a few rows start or end during the year.
 */
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"

/* Dosage forms, in the bit order of yb__family.forms. */
static const struct {
    const char *prefix, *suffix, *code;
    const char *spec[3];
} forms[] = {
    {"", "片", "A001", {"10mg×30片", "0.25g×24片", "5mg×28片"}},
    {"", "胶囊", "A002", {"0.25g×24粒", "20mg×14粒", "0.15g×12粒"}},
    {"", "缓释片", "A003", {"30mg×7片", "0.5g×30片", "47.5mg×10片"}},
    {"", "颗粒", "A004", {"0.125g×12袋", "5g×10袋", "1.5g×9袋"}},
    {"", "注射液", "B001", {"2ml:10mg×5支", "10ml:0.5g", "1ml:5mg"}},
    {"注射用", "", "B002", {"0.5g", "1.0g", "40mg"}},
    {"", "口服溶液", "A005", {"100ml", "60ml", "10ml×6支"}},
};
#define N_FORMS ((int)(sizeof forms / sizeof forms[0]))
static const char *const packs[3] = {"1盒", "1支", "1瓶"};
static const char *const service_variant[] = {"", "(三级)", "(二级)", "(一级)",
                                              "(基层)"};
static const char *const herb_variant[] = {"",       "(净制)", "(炒)",
                                           "(酒炙)", "(蜜炙)", "(配方颗粒)"};

/* Share of each list among unique codes (1/10,000) and the class split of
 * each list (A, B, C in 1/10,000): about 60 / 30 / 10 overall. */
static const int list_share[4] = {6400, 400, 1800, 1400};
static const int class_mix[4][3] = {{5500, 3500, 1000},
                                    {7000, 2000, 1000},
                                    {8000, 1200, 800},
                                    {5500, 3500, 1000}};
/* Share of rows with a price ceiling, per list. */
static const int ceiling_share[4] = {2500, 1000, 500, 4000};
static const char *const list_codes[4] = {"101", "102", "201", "301"};

/* Code and name of row k of family f into it->code and name. */
static void make_code_name(int f, int k, struct yb__rng *r, struct yb__item *it,
                           char *name, size_t size)
{
    const struct yb__family *fam = &yb__families[f];
    int spec = (int)yb__rng_below(r, 3);

    switch (fam->list) {
    case 0: {
        int form = -1;

        if (fam->forms != 0)
            do
                form = (int)yb__rng_below(r, N_FORMS);
            while ((fam->forms & (1 << form)) == 0);
        snprintf(it->code, sizeof it->code, "%.6sW%03d%s01%02d%05d", fam->tag,
                 f % 1000, form < 0 ? "C001" : forms[form].code, spec + 1,
                 k % 100000 + 1);
        if (form < 0)
            snprintf(name, size, "%s(%s)", fam->name, packs[spec]);
        else
            snprintf(name, size, "%s%s%s(%s)", forms[form].prefix, fam->name,
                     forms[form].suffix, forms[form].spec[spec]);
        break;
    }
    case 1:
        snprintf(it->code, sizeof it->code, "T%03d%06d", f % 1000, k + 1);
        snprintf(name, size, "%s%s", fam->name,
                 herb_variant[yb__rng_below(r, 6)]);
        break;
    case 2:
        snprintf(it->code, sizeof it->code, "%.9s%06d", fam->tag, k + 1);
        snprintf(name, size, "%s%s", fam->name,
                 service_variant[k == 0 ? 0 : yb__rng_below(r, 5)]);
        break;
    default:
        snprintf(it->code, sizeof it->code, "C%.2s%03d%014d", fam->tag,
                 f % 1000, k + 1);
        snprintf(name, size, "%s(规格%d)", fam->name, k % 50 + 1);
        break;
    }
}

/* A price in micro-yuan between lo and hi fen, skewed towards lo; some
 * prices carry sub-fen digits (4 or 6 decimals). */
static int64_t draw_price(struct yb__rng *r, int32_t lo, int32_t hi)
{
    int64_t u = (int64_t)yb__rng_below(r, 1000);
    int64_t fen = lo + (int64_t)(hi - lo) * u * u / 1000000;
    int64_t micro = fen * 10000;

    if (yb__rng_chance(r, 1000))
        micro += (int64_t)yb__rng_below(r, 100) * 100;
    else if (yb__rng_chance(r, 500))
        micro += (int64_t)yb__rng_below(r, 10000);
    return micro > 0 ? micro : 10000;
}

/* Validity of a new row: mostly from the catalogue edition of Y-4 and
 * open; 2% start during Y, 1.5% end during Y. */
static void draw_validity(struct yb__rng *r, int year, struct yb__item *it)
{
    int u = (int)yb__rng_below(r, 10000);

    it->to = INT32_MAX;
    if (u < 200) {
        it->from = yb_date_from_ymd(year, 2, 1) + (int)yb__rng_below(r, 240);
    } else if (u < 2000) {
        it->from =
            yb_date_from_ymd(year - 10, 1, 1) + (int)yb__rng_below(r, 365 * 9);
    } else {
        it->from = yb_date_from_ymd(year - 4, 1, 1);
    }
    if (u >= 200 && u < 350)
        it->to = yb_date_from_ymd(year, 3, 1) + (int)yb__rng_below(r, 270);
}

static void make_row(int f, int k, int year, struct yb__rng *r,
                     struct yb__item *it, char *name, size_t size)
{
    const struct yb__family *fam = &yb__families[f];

    memset(it, 0, sizeof *it);
    make_code_name(f, k, r, it, name, size);
    it->list = fam->list;
    it->family = (uint16_t)f;
    it->cls = (uint8_t)(1 + yb__rng_weighted(r, class_mix[fam->list], 3));
    it->selfpay = -1;
    if (it->cls == 2 && yb__rng_chance(r, 6000))
        it->selfpay = (int16_t)(500 * yb__rng_range(r, 1, 6));
    it->price = draw_price(r, fam->lo, fam->hi);
    if (yb__rng_chance(r, ceiling_share[fam->list])) {
        /* whole fen mostly; some ceilings carry 4 or 6 decimals */
        it->ceiling =
            it->price * yb__rng_range(r, 100, 130) / 100 / 10000 * 10000;
        if (yb__rng_chance(r, 2000))
            it->ceiling += (int64_t)yb__rng_below(r, 100) * 100;
        else if (yb__rng_chance(r, 1000))
            it->ceiling += (int64_t)yb__rng_below(r, 10000);
        if (it->ceiling < it->price)
            it->ceiling = it->price;
    }
    it->lmt_gend = fam->lmt_gend;
    it->age_min = fam->age_min;
    it->age_max = fam->age_max;
    draw_validity(r, year, it);
}

/* The second version of a row from 1 July: a better class, another share
 * or another ceiling (national negotiations change these mid-year). */
static void second_version(struct yb__rng *r, int year, struct yb__item *v1,
                           struct yb__item *v2)
{
    if (v1->from > yb_date_from_ymd(year, 6, 30))
        v1->from = yb_date_from_ymd(year - 4, 1, 1);
    v1->to = yb_date_from_ymd(year, 6, 30);
    *v2 = *v1;
    v2->from = v1->to + 1;
    v2->to = INT32_MAX;
    switch (yb__rng_below(r, 3)) {
    case 0:
        if (v2->cls > 1)
            v2->cls--;
        break;
    case 1:
        v2->ceiling = v2->price * yb__rng_range(r, 95, 120) / 100;
        break;
    default:
        v2->cls = 2;
        v2->selfpay = (int16_t)(500 * yb__rng_range(r, 1, 6));
        break;
    }
    if (v2->cls != 2)
        v2->selfpay = -1;
}

static void write_row(struct yb__csv *w, const struct yb__item *it,
                      const char *name)
{
    yb__csv_str(w, it->code);
    yb__csv_sep(w);
    yb__csv_text(w, name);
    yb__csv_sep(w);
    yb__csv_str(w, list_codes[it->list]);
    yb__csv_sep(w);
    yb__csv_str(w, it->cls == 1 ? "01" : it->cls == 2 ? "02" : "03");
    yb__csv_sep(w);
    if (it->selfpay >= 0)
        yb__csv_dec(w, it->selfpay, 4);
    yb__csv_sep(w);
    if (it->ceiling > 0)
        yb__csv_dec(w, it->ceiling, 6);
    yb__csv_sep(w);
    yb__csv_date(w, it->from);
    yb__csv_sep(w);
    if (it->to != INT32_MAX)
        yb__csv_date(w, it->to);
    yb__csv_sep(w);
    if (it->lmt_gend != 0)
        yb__csv_int(w, it->lmt_gend);
    yb__csv_sep(w);
    if (it->age_min >= 0)
        yb__csv_int(w, it->age_min);
    yb__csv_sep(w);
    if (it->age_max >= 0)
        yb__csv_int(w, it->age_max);
    yb__csv_end(w);
}

/* Rows per family: unique codes split over the lists, then evenly over
 * each list's families (the first ones take the remainder). */
static void family_sizes(int unique, int *codes)
{
    int n_in[4] = {0}, per_list[4], seen[4] = {0}, given = 0;

    for (int f = 0; f < yb__n_families; f++)
        n_in[yb__families[f].list]++;
    for (int l = 0; l < 4; l++) {
        per_list[l] = l == 3 ? unique - given
                             : (int)((int64_t)unique * list_share[l] / 10000);
        given += per_list[l];
    }
    for (int f = 0; f < yb__n_families; f++) {
        int l = yb__families[f].list;

        codes[f] = per_list[l] / n_in[l] + (seen[l] < per_list[l] % n_in[l]);
        seen[l]++;
    }
}

static int index_families(struct yb__catalogue *c)
{
    for (int l = 0; l < 4; l++) {
        c->by_list[l] = calloc((size_t)yb__n_families, sizeof(int));
        if (c->by_list[l] == NULL)
            return YB_ENOMEM;
        for (int t = 0; t < YB__TAG_COUNT; t++) {
            c->by_tag[t][l] = calloc((size_t)yb__n_families, sizeof(int));
            if (c->by_tag[t][l] == NULL)
                return YB_ENOMEM;
        }
    }
    for (int f = 0; f < yb__n_families; f++) {
        int l = yb__families[f].list;

        if (c->fam_n[f] == 0)
            continue;
        c->by_list[l][c->n_by_list[l]++] = f;
        for (int t = 0; t < YB__TAG_COUNT; t++)
            if (yb__families[f].tags & (1 << t))
                c->by_tag[t][l][c->n_by_tag[t][l]++] = f;
    }
    return YB_OK;
}

/* Generate and write the rows of every family. */
static void generate(struct yb__catalogue *c, int rows, int year,
                     const int *codes, struct yb__rng *r, struct yb__csv *w)
{
    int unique = rows / 100 * 99 + rows % 100, versions = rows - unique;
    int64_t code_no = 0;
    char name[192];

    for (int f = 0; f < yb__n_families; f++) {
        c->fam_first[f] = c->n;
        for (int k = 0; k < codes[f]; k++, code_no++) {
            struct yb__item *it = &c->items[c->n++];

            make_row(f, k, year, r, it, name, sizeof name);
            /* spread the versioned codes evenly: exactly `versions` */
            if ((code_no + 1) * versions / unique >
                code_no * versions / unique) {
                second_version(r, year, it, it + 1);
                write_row(w, it, name);
                it++;
                c->n++;
            }
            write_row(w, it, name);
        }
        c->fam_n[f] = c->n - c->fam_first[f];
    }
}

int yb__catalogue_build(struct yb__catalogue *c, const struct yb_synth_opts *o,
                        int year, struct yb__csv *w, struct yb_err *e)
{
    int rows =
        o->catalogue_rows > 0 ? o->catalogue_rows : YB_SYNTH_CATALOGUE_DEFAULT;
    int unique = rows / 100 * 99 + rows % 100;
    int *codes = NULL, rc = YB_OK;
    struct yb__rng r;

    memset(c, 0, sizeof *c);
    c->items = calloc((size_t)rows, sizeof *c->items);
    c->fam_first = calloc((size_t)yb__n_families, sizeof(int));
    c->fam_n = calloc((size_t)yb__n_families, sizeof(int));
    codes = calloc((size_t)yb__n_families, sizeof(int));
    if (c->items == NULL || c->fam_first == NULL || c->fam_n == NULL ||
        codes == NULL) {
        rc = yb_err_set(e, YB_ENOMEM, "catalogue", "内存不足 (out of memory)");
        goto out;
    }
    family_sizes(unique, codes);
    yb__rng_seed(&r, o->seed, 1, 0);
    generate(c, rows, year, codes, &r, w);
    if (index_families(c) != YB_OK)
        rc = yb_err_set(e, YB_ENOMEM, "catalogue", "内存不足 (out of memory)");
out:
    free(codes);
    return rc;
}

void yb__catalogue_free(struct yb__catalogue *c)
{
    for (int l = 0; l < 4; l++) {
        free(c->by_list[l]);
        for (int t = 0; t < YB__TAG_COUNT; t++)
            free(c->by_tag[t][l]);
    }
    free(c->items);
    free(c->fam_first);
    free(c->fam_n);
    memset(c, 0, sizeof *c);
}

static bool fits(const struct yb__item *it, yb_date d, int gend, int age)
{
    return it->from <= d && d <= it->to &&
           (it->lmt_gend == 0 || it->lmt_gend == gend) &&
           (it->age_min < 0 || age >= it->age_min) &&
           (it->age_max < 0 || age <= it->age_max);
}

int yb__catalogue_pick(const struct yb__catalogue *c, struct yb__rng *r,
                       int tag, int list, yb_date d, int gend, int age)
{
    const int *fams = c->by_list[list];
    int nf = c->n_by_list[list];

    if (tag != 0) {
        int t = __builtin_ctz((unsigned)tag);

        if (c->n_by_tag[t][list] > 0) {
            fams = c->by_tag[t][list];
            nf = c->n_by_tag[t][list];
        }
    }
    if (nf == 0)
        return -1;
    for (int attempt = 0; attempt < 8; attempt++) {
        int f = fams[yb__rng_below(r, (uint32_t)nf)];
        int i = c->fam_first[f] + (int)yb__rng_below(r, (uint32_t)c->fam_n[f]);

        if (fits(&c->items[i], d, gend, age))
            return i;
    }
    /* Rare: every draw was restricted or out of date; scan in order. */
    for (int k = 0; k < nf; k++)
        for (int i = c->fam_first[fams[k]];
             i < c->fam_first[fams[k]] + c->fam_n[fams[k]]; i++)
            if (fits(&c->items[i], d, gend, age))
                return i;
    return -1;
}
