/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao synth`, the batch job: checks the options, opens the ten CSV
 * files of docs/import-formats.md, builds the places and the catalogue,
 * runs the household pass, closes everything and reports what was
 * written. The generator itself is split by idea: synth_places.c (regions,
 * institutions, schools), synth_catalogue.c and synth_items.c (the
 * catalogue), synth_people.c (households, persons, identities, payments),
 * synth_visits.c (visits and fee lines), synth_names.c (name tables),
 * synth_rng.c and synth_csv.c (the random source and the writer).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "synth_int.h"
#include "yibao/policy.h"
#include "yibao/region.h"

static const struct {
    const char *name, *header;
} files[YB__F_COUNT] = {
    [YB__F_REGIONS] = {"regions.csv", "admdvs,name,level,parent"},
    [YB__F_INSTITUTIONS] = {"institutions.csv",
                            "fixmedins_code,fixmedins_name,hosp_lv,inst_type,"
                            "public_flag,admdvs,begndate,enddate"},
    [YB__F_SCHOOLS] = {"schools.csv",
                       "school_code,school_name,school_type,admdvs"},
    [YB__F_CATALOGUE] = {"catalogue.csv",
                         "med_list_codg,med_list_name,list_type,chrgitm_lv,"
                         "selfpay_prop,pric_uplmt_amt,begndate,enddate,"
                         "lmt_gend,lmt_age_min,lmt_age_max"},
    [YB__F_HOUSEHOLDS] = {"households.csv",
                          "household_id,head_certno,members,admdvs,addr,"
                          "area_type"},
    [YB__F_PERSONS] = {"persons.csv",
                       "certno,psn_cert_type,psn_name,gend,brdy,naty,"
                       "household_id,relation,admdvs,psn_type,student_flag,"
                       "school_code,residence_permit"},
    [YB__F_IDENTITIES] = {"identities.csv",
                          "certno,psn_idet_type,begndate,enddate,source"},
    [YB__F_PAYMENTS] = {"payments.csv",
                        "certno,year,tier,amount,paid_at,channel,receipt_no"},
    [YB__F_VISITS] = {"visits.csv",
                      "mdtrt_id,certno,insutype,fixmedins_code,med_type,"
                      "hosp_lv,insuplc_admdvs,mdtrtarea_admvs,begntime,"
                      "endtime,dise_codg,chronic_dise_codg,matn_type,"
                      "medfee_sumamt"},
    [YB__F_FEE_LINES] = {"fee_lines.csv",
                         "mdtrt_id,feedetl_sn,med_list_codg,fee_ocur_time,"
                         "cnt,pric,det_item_fee_sumamt"},
};

static int check_opts(const struct yb_synth_opts *o, const char *region,
                      struct yb_err *e)
{
    if (o->persons < 1 || o->persons > YB_SYNTH_PERSONS_MAX)
        return yb_err_set(
            e, YB_EINVAL, "persons", "%lld 不在 1 至 %lld 之间 (out of range)",
            (long long)o->persons, (long long)YB_SYNTH_PERSONS_MAX);
    if (o->year < YB_SYNTH_YEAR_MIN || o->year > YB_SYNTH_YEAR_MAX)
        return yb_err_set(e, YB_EINVAL, "year",
                          "%d 不在 %d 至 %d 之间 (out of range)", o->year,
                          YB_SYNTH_YEAR_MIN, YB_SYNTH_YEAR_MAX);
    if (yb_region_level(region) != YB_REGION_CITY)
        return yb_err_set(e, YB_EINVAL, "region",
                          "地市代码应为 6 位 PPCC00（GB/T 2260），实际为 "
                          "\"%.40s\" (not a prefecture code)",
                          region);
    if (o->catalogue_rows != 0 && (o->catalogue_rows < YB_SYNTH_CATALOGUE_MIN ||
                                   o->catalogue_rows > YB_SYNTH_CATALOGUE_MAX))
        return yb_err_set(e, YB_EINVAL, "catalogue_rows",
                          "%d 不在 %d 至 %d 之间 (out of range)",
                          o->catalogue_rows, YB_SYNTH_CATALOGUE_MIN,
                          YB_SYNTH_CATALOGUE_MAX);
    if (o->out_dir == NULL || o->out_dir[0] == '\0')
        return yb_err_set(e, YB_EINVAL, "out_dir",
                          "没有给出输出目录 (no output directory)");
    if (o->policy != NULL && o->policy->year != o->year)
        return yb_err_set(e, YB_EINVAL, "policy",
                          "政策年度 %d 与生成年度 %d 不符 (the policy is for "
                          "coverage year %d, not %d)",
                          o->policy->year, o->year, o->policy->year, o->year);
    if (o->policy != NULL &&
        (o->policy->financing == NULL || o->policy->enrol == NULL))
        return yb_err_set(
            e, YB_EINVAL, "policy",
            "政策缺少 %s 部分，无法生成缴费 (the policy has no "
            "%s section: payments need it)",
            o->policy->financing == NULL ? "financing" : "enrolment",
            o->policy->financing == NULL ? "financing" : "enrolment");
    return YB_OK;
}

/* Create the output directory (one level) unless it exists. */
static int make_dir(const char *dir, struct yb_err *e)
{
    struct stat st;

    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return yb_err_set(e, YB_EIO, "out_dir",
                          "无法创建 \"%s\"：%s (cannot create)", dir,
                          strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return yb_err_set(e, YB_EIO, "out_dir",
                          "路径 \"%s\" 不是目录 (not a directory)", dir);
    return YB_OK;
}

static void report(const struct yb__world *w, struct yb_synth_counts *c)
{
    memset(c, 0, sizeof *c);
    c->regions = w->out[YB__F_REGIONS].rows;
    c->institutions = w->out[YB__F_INSTITUTIONS].rows;
    c->schools = w->out[YB__F_SCHOOLS].rows;
    c->catalogue = w->out[YB__F_CATALOGUE].rows;
    c->households = w->out[YB__F_HOUSEHOLDS].rows;
    c->persons = w->out[YB__F_PERSONS].rows;
    c->identities = w->out[YB__F_IDENTITIES].rows;
    c->hardship_persons = w->hardship_persons;
    c->payments = w->out[YB__F_PAYMENTS].rows;
    c->unpaid_persons = w->unpaid_persons;
    c->visits = w->out[YB__F_VISITS].rows;
    c->fee_lines = w->out[YB__F_FEE_LINES].rows;
    for (int f = 0; f < YB__F_COUNT; f++)
        c->bytes += w->out[f].bytes;
}

static int generate(struct yb__world *w, struct yb_err *e)
{
    int rc;

    for (int f = 0; f < YB__F_COUNT; f++) {
        rc = yb__csv_open(&w->out[f], w->o->out_dir, files[f].name,
                          files[f].header, e);
        if (rc != YB_OK)
            return rc;
    }
    rc = yb__places_build(w, e);
    if (rc == YB_OK)
        rc = yb__catalogue_build(&w->cat, w->o, w->year,
                                 &w->out[YB__F_CATALOGUE], e);
    if (rc == YB_OK)
        rc = yb__people_run(w, e);
    return rc;
}

int yb_synth_run(const struct yb_synth_opts *o, struct yb_err *e)
{
    const char *region =
        o->region != NULL ? o->region : YB_SYNTH_REGION_DEFAULT;
    struct yb__world *w = NULL;
    int rc;

    rc = check_opts(o, region, e);
    if (rc == YB_OK)
        rc = make_dir(o->out_dir, e);
    if (rc != YB_OK)
        return rc;
    w = calloc(1, sizeof *w);
    if (w == NULL)
        return yb_err_set(e, YB_ENOMEM, "synth", "内存不足 (out of memory)");
    w->o = o;
    w->year = o->year;
    memcpy(w->region, region, sizeof w->region);
    rc = generate(w, e);
    /* close every file; the first failure is the one reported */
    for (int f = 0; f < YB__F_COUNT; f++) {
        int crc = yb__csv_close(&w->out[f], rc == YB_OK ? e : NULL);

        if (rc == YB_OK)
            rc = crc;
    }
    if (rc == YB_OK && o->counts != NULL)
        report(w, o->counts);
    yb__catalogue_free(&w->cat);
    yb__places_free(w);
    free(w);
    return rc;
}
