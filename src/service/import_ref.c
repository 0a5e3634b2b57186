/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row handlers for reference data: designated institutions, catalogue
 * entries (versioned by validity dates, no two versions of a code
 * overlapping), schools and households (docs/import-formats.md). Each row
 * is checked field by field, and a failure names the column and the value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "yibao/date.h"
#include "yibao/dict.h"
#include "yibao/idcard.h"
#include "yibao/money.h"
#include "yibao/region.h"

/* ---- shared field checks ------------------------------------------------ */

static int need(const char *v, const char *col, struct yb_err *e)
{
    return *v ? YB_OK : yb_err_set(e, YB_EINVAL, col, "不能为空 (empty)");
}

static int code_of(enum yb_dict_kind k, const char *v, const char *col,
                   struct yb_err *e)
{
    if (yb_dict_index(k, v) < 0)
        return yb_err_set(e, YB_EINVAL, col,
                          "代码表 %s 中没有代码 \"%s\" (unknown code)",
                          yb_dict_name(k), v);
    return YB_OK;
}

static int region_of(const char *v, const char *col, struct yb_err *e)
{
    return yb_region_valid(v)
               ? YB_OK
               : yb_err_set(e, YB_EINVAL, col,
                            "行政区划代码无效：\"%s\" (not a region code)", v);
}

/* Optional date: empty stays empty; else must be a real date. */
static int date_of(const char *v, bool required, const char *col,
                   struct yb_err *e)
{
    yb_date d;
    if (!*v)
        return required ? yb_err_set(e, YB_EINVAL, col, "不能为空 (empty)")
                        : YB_OK;
    return yb_date_parse(v, &d, col, e);
}

static int flag_of(const char *v, const char *col, struct yb_err *e)
{
    if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
        return YB_OK;
    return yb_err_set(e, YB_EINVAL, col,
                      "应为 0 或 1，实际为 \"%s\" (not 0 or 1)", v);
}

static int int_of(const char *v, long min, long max, long *out, const char *col,
                  struct yb_err *e)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < min || x > max)
        return yb_err_set(e, YB_EINVAL, col,
                          "数值 \"%s\" 不在 %ld 至 %ld 之间 (out of range)", v,
                          min, max);
    *out = x;
    return YB_OK;
}

/* Exactly n ASCII digits. */
static int digits_of(const char *v, size_t n, const char *col, struct yb_err *e)
{
    if (strlen(v) == n && strspn(v, "0123456789") == n)
        return YB_OK;
    return yb_err_set(
        e, YB_EINVAL, col,
        "数字位数不对：\"%s\" 应为 %zu 位数字 (wrong number of digits)", v, n);
}

/* A value of a small code list (callers skip an empty optional field). */
static int one_of(const char *v, const char *const *codes, const char *col,
                  struct yb_err *e)
{
    for (int i = 0; codes[i]; i++)
        if (strcmp(v, codes[i]) == 0)
            return YB_OK;
    return yb_err_set(e, YB_EINVAL, col,
                      "代码表 %s 中没有代码 \"%s\" (unknown code)", col, v);
}

static void bind_opt(yb_stmt *st, int i, const char *v)
{
    yb_stmt_bind_text(st, i, *v ? v : NULL);
}

static int step_done(yb_stmt *st, struct yb_err *e)
{
    int rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* A key the table holds already: name the column and the value, not the
 * store's constraint ("school.school_code"). */
static int key_taken(int rc, const char *col, const char *v, struct yb_err *e)
{
    if (rc == YB_EDUPLICATE)
        return yb_err_set(e, YB_EDUPLICATE, col,
                          "编码 \"%s\" 已导入 (imported already)", v);
    return rc;
}

/* ---- institutions -------------------------------------------------------- */

enum { I_CODE, I_NAME, I_LV, I_TYPE, I_PUBLIC, I_ADMDVS, I_BEGIN, I_END };
static const char *const inst_cols[] = {
    "fixmedins_code", "fixmedins_name", "hosp_lv", "inst_type", "public_flag",
    "admdvs",         "begndate",       "enddate", NULL};
static const char *const inst_req[] = {
    "fixmedins_code", "fixmedins_name", "hosp_lv",  "admdvs",
    "inst_type",      "public_flag",    "begndate", NULL};

static int inst_check(struct yb__import *im, const struct yb_csv_row *r,
                      struct yb_err *e)
{
    const char *code = yb__imp_get(im, r, I_CODE);
    if (strlen(code) != 12 || code[0] != 'H' ||
        strspn(code + 1, "0123456789") != 11)
        return yb_err_set(
            e, YB_EINVAL, "fixmedins_code",
            "机构编码应为 H 加 11 位数字，实际为 \"%s\" (not H + 11 digits)",
            code);
    int rc = need(yb__imp_get(im, r, I_NAME), "fixmedins_name", e);
    if (rc == YB_OK)
        rc = code_of(YB_DICT_HOSP_LV, yb__imp_get(im, r, I_LV), "hosp_lv", e);
    if (rc == YB_OK)
        rc = region_of(yb__imp_get(im, r, I_ADMDVS), "admdvs", e);
    static const char *const types[] = {"hospital", "township", "village",
                                        "pharmacy", NULL};
    if (rc == YB_OK && *yb__imp_get(im, r, I_TYPE))
        rc = one_of(yb__imp_get(im, r, I_TYPE), types, "inst_type", e);
    if (rc == YB_OK && *yb__imp_get(im, r, I_PUBLIC))
        rc = flag_of(yb__imp_get(im, r, I_PUBLIC), "public_flag", e);
    if (rc == YB_OK)
        rc = date_of(yb__imp_get(im, r, I_BEGIN), false, "begndate", e);
    if (rc == YB_OK)
        rc = date_of(yb__imp_get(im, r, I_END), false, "enddate", e);
    /* Both are yyyy-MM-dd by now, so text order is date order. */
    const char *to = yb__imp_get(im, r, I_END);
    if (rc == YB_OK && *to && strcmp(to, yb__imp_get(im, r, I_BEGIN)) < 0)
        rc = yb_err_set(e, YB_EINVAL, "enddate",
                        "日期 \"%s\" 早于开始日期 begndate (before begndate)",
                        to);
    return rc;
}

static int inst_row(struct yb__import *im, const struct yb_csv_row *r,
                    struct yb_err *e)
{
    int rc = inst_check(im, r, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            im->s,
            "INSERT INTO institution (fixmedins_code, name, hosp_lv, type, "
            "public, admdvs, agreement_from, agreement_to) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT (fixmedins_code) DO UPDATE SET name = excluded.name, "
            "hosp_lv = excluded.hosp_lv, type = excluded.type, "
            "public = excluded.public, admdvs = excluded.admdvs, "
            "agreement_from = excluded.agreement_from, "
            "agreement_to = excluded.agreement_to",
            &st, e);
    if (rc != YB_OK)
        return rc;
    for (int c = I_CODE; c <= I_END; c++)
        if (c == I_PUBLIC)
            yb_stmt_bind_int(st, c + 1,
                             strcmp(yb__imp_get(im, r, c), "0") == 0 ? 0 : 1);
        else
            bind_opt(st, c + 1, yb__imp_get(im, r, c));
    if ((rc = step_done(st, e)) != YB_OK)
        return rc;
    int64_t ev;
    return yb__imp_event(im, "institution.import", yb__imp_get(im, r, I_CODE),
                         &ev, e);
}

const struct yb__import_kind yb__import_institution = {
    .name = "institution",
    .columns = inst_cols,
    .required = inst_req,
    .row = inst_row,
};

/* ---- catalogue ----------------------------------------------------------- */

enum {
    K_CODE,
    K_NAME,
    K_LIST,
    K_LV,
    K_SELF,
    K_CEIL,
    K_BEGIN,
    K_END,
    K_GEND,
    K_AMIN,
    K_AMAX
};
static const char *const cat_cols[] = {
    "med_list_codg", "med_list_name",  "list_type",   "chrgitm_lv",
    "selfpay_prop",  "pric_uplmt_amt", "begndate",    "enddate",
    "lmt_gend",      "lmt_age_min",    "lmt_age_max", NULL};
static const char *const cat_req[] = {"med_list_codg", "med_list_name",
                                      "list_type",     "chrgitm_lv",
                                      "begndate",      NULL};

struct cat_row {
    yb_rate selfpay;
    int64_t ceiling;
    long age_min, age_max;
    yb_date from, to;
};

static int cat_check(struct yb__import *im, const struct yb_csv_row *r,
                     struct cat_row *c, struct yb_err *e)
{
    const char *code = yb__imp_get(im, r, K_CODE);
    int rc =
        strlen(code) > 30
            ? yb_err_set(e, YB_EINVAL, "med_list_codg",
                         "编码 \"%s\" 超过 30 个字符 (longer than 30)", code)
            : need(code, "med_list_codg", e);
    if (rc == YB_OK)
        rc = need(yb__imp_get(im, r, K_NAME), "med_list_name", e);
    if (rc == YB_OK)
        rc = code_of(YB_DICT_LIST_TYPE, yb__imp_get(im, r, K_LIST), "list_type",
                     e);
    if (rc == YB_OK)
        rc = code_of(YB_DICT_CHRGITM_LV, yb__imp_get(im, r, K_LV), "chrgitm_lv",
                     e);
    const char *v = yb__imp_get(im, r, K_SELF);
    c->selfpay = -1;
    if (rc == YB_OK && *v)
        rc = yb_rate_parse(v, &c->selfpay, false, false, "selfpay_prop", e);
    v = yb__imp_get(im, r, K_CEIL);
    c->ceiling = 0;
    if (rc == YB_OK && *v)
        rc = yb_decimal_parse(v, 6, false, &c->ceiling, "pric_uplmt_amt", e);
    if (rc == YB_OK)
        rc =
            yb_date_parse(yb__imp_get(im, r, K_BEGIN), &c->from, "begndate", e);
    v = yb__imp_get(im, r, K_END);
    c->to = 0;
    if (rc == YB_OK && *v &&
        (rc = yb_date_parse(v, &c->to, "enddate", e)) == YB_OK &&
        c->to < c->from)
        rc = yb_err_set(e, YB_EINVAL, "enddate",
                        "日期 \"%s\" 早于开始日期 begndate (before begndate)",
                        v);
    return rc;
}

static int cat_limits(struct yb__import *im, const struct yb_csv_row *r,
                      struct cat_row *c, struct yb_err *e)
{
    const char *g = yb__imp_get(im, r, K_GEND);
    int rc = YB_OK;
    if (*g && strcmp(g, "1") != 0 && strcmp(g, "2") != 0)
        rc = yb_err_set(e, YB_EINVAL, "lmt_gend",
                        "应为 1 或 2，实际为 \"%s\" (not 1 or 2)", g);
    c->age_min = c->age_max = -1;
    if (rc == YB_OK && *yb__imp_get(im, r, K_AMIN))
        rc = int_of(yb__imp_get(im, r, K_AMIN), 0, 150, &c->age_min,
                    "lmt_age_min", e);
    if (rc == YB_OK && *yb__imp_get(im, r, K_AMAX))
        rc = int_of(yb__imp_get(im, r, K_AMAX), 0, 150, &c->age_max,
                    "lmt_age_max", e);
    if (rc == YB_OK && c->age_min >= 0 && c->age_max >= 0 &&
        c->age_max < c->age_min)
        rc = yb_err_set(e, YB_EINVAL, "lmt_age_max",
                        "%ld 小于 lmt_age_min %ld (below lmt_age_min)",
                        c->age_max, c->age_min);
    return rc;
}

/* No two versions of a code may overlap in time. */
static int cat_overlap(struct yb__import *im, const char *code,
                       const struct cat_row *c, struct yb_err *e)
{
    char f[11], t[11];
    yb_stmt *st;
    int rc = yb_store_prepare(
        im->s,
        "SELECT valid_from, valid_to FROM catalogue_item WHERE "
        "med_list_codg = $1 AND valid_from <= $3 AND "
        "(valid_to IS NULL OR valid_to >= $2) LIMIT 1",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, code);
    yb_stmt_bind_text(st, 2, yb_date_format(c->from, f));
    yb_stmt_bind_text(st, 3, c->to ? yb_date_format(c->to, t) : "9999-12-31");
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        rc = yb_err_set(e, YB_EINVAL, "begndate",
                        "日期 \"%s\" 与 %s 自 %s 起的版本有效期重叠 (overlaps "
                        "another version)",
                        f, code, yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int cat_insert(struct yb__import *im, const struct yb_csv_row *r,
                      const struct cat_row *c, struct yb_err *e)
{
    char f[11], t[11];
    yb_stmt *st;
    int rc = yb_store_prepare(
        im->s,
        "INSERT INTO catalogue_item (med_list_codg, name, list_type, "
        "chrgitm_lv, selfpay_prop, price_ceiling, valid_from, valid_to, "
        "lmt_gend, lmt_age_min, lmt_age_max) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, yb__imp_get(im, r, K_CODE));
    yb_stmt_bind_text(st, 2, yb__imp_get(im, r, K_NAME));
    yb_stmt_bind_text(st, 3, yb__imp_get(im, r, K_LIST));
    yb_stmt_bind_text(st, 4, yb__imp_get(im, r, K_LV));
    if (c->selfpay >= 0)
        yb_stmt_bind_int(st, 5, c->selfpay);
    else
        yb_stmt_bind_null(st, 5);
    yb_stmt_bind_int(st, 6, c->ceiling);
    yb_stmt_bind_text(st, 7, yb_date_format(c->from, f));
    yb_stmt_bind_text(st, 8, c->to ? yb_date_format(c->to, t) : NULL);
    bind_opt(st, 9, yb__imp_get(im, r, K_GEND));
    for (int i = 0; i < 2; i++)
        if ((i ? c->age_max : c->age_min) >= 0)
            yb_stmt_bind_int(st, 10 + i, i ? c->age_max : c->age_min);
        else
            yb_stmt_bind_null(st, 10 + i);
    return step_done(st, e);
}

static int cat_row(struct yb__import *im, const struct yb_csv_row *r,
                   struct yb_err *e)
{
    struct cat_row c;
    int rc = cat_check(im, r, &c, e);
    if (rc == YB_OK)
        rc = cat_limits(im, r, &c, e);
    if (rc == YB_OK)
        rc = cat_overlap(im, yb__imp_get(im, r, K_CODE), &c, e);
    if (rc == YB_OK)
        rc = cat_insert(im, r, &c, e);
    int64_t ev;
    return rc == YB_OK ? yb__imp_event(im, "catalogue.import",
                                       yb__imp_get(im, r, K_CODE), &ev, e)
                       : rc;
}

const struct yb__import_kind yb__import_catalogue = {
    .name = "catalogue",
    .columns = cat_cols,
    .required = cat_req,
    .row = cat_row,
};

/* ---- schools and households --------------------------------------------- */

static const char *const school_cols[] = {"school_code", "school_name",
                                          "school_type", "admdvs", NULL};
static const char *const school_req[] = {"school_code", "school_name", "admdvs",
                                         NULL};

static int school_row(struct yb__import *im, const struct yb_csv_row *r,
                      struct yb_err *e)
{
    static const char *const types[] = {"primary", "secondary", "college",
                                        NULL};
    int rc = digits_of(yb__imp_get(im, r, 0), 10, "school_code", e);
    if (rc == YB_OK)
        rc = need(yb__imp_get(im, r, 1), "school_name", e);
    if (rc == YB_OK && *yb__imp_get(im, r, 2))
        rc = one_of(yb__imp_get(im, r, 2), types, "school_type", e);
    if (rc == YB_OK)
        rc = region_of(yb__imp_get(im, r, 3), "admdvs", e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(im->s,
                              "INSERT INTO school (school_code, name, admdvs) "
                              "VALUES ($1, $2, $3)",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, yb__imp_get(im, r, 0));
    yb_stmt_bind_text(st, 2, yb__imp_get(im, r, 1));
    yb_stmt_bind_text(st, 3, yb__imp_get(im, r, 3));
    return key_taken(step_done(st, e), "school_code", yb__imp_get(im, r, 0), e);
}

const struct yb__import_kind yb__import_school = {
    .name = "school",
    .columns = school_cols,
    .required = school_req,
    .row = school_row,
};

static const char *const hh_cols[] = {"household_id", "head_certno", "admdvs",
                                      NULL};
static const char *const hh_req[] = {"household_id", "admdvs", NULL};

static int hh_row(struct yb__import *im, const struct yb_csv_row *r,
                  struct yb_err *e)
{
    int rc = digits_of(yb__imp_get(im, r, 0), 16, "household_id", e);
    if (rc == YB_OK && *yb__imp_get(im, r, 1))
        rc = yb_idcard_parse(yb__imp_get(im, r, 1), NULL, "head_certno", e);
    if (rc == YB_OK)
        rc = region_of(yb__imp_get(im, r, 2), "admdvs", e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(im->s,
                              "INSERT INTO household (hh_id, admdvs, "
                              "head_certno) VALUES ($1, $2, $3)",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, yb__imp_get(im, r, 0));
    yb_stmt_bind_text(st, 2, yb__imp_get(im, r, 2));
    bind_opt(st, 3, yb__imp_get(im, r, 1));
    return key_taken(step_done(st, e), "household_id", yb__imp_get(im, r, 0),
                     e);
}

const struct yb__import_kind yb__import_household = {
    .name = "household",
    .columns = hh_cols,
    .required = hh_req,
    .row = hh_row,
};
