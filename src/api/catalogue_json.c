/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Catalogue entries (目录, docs/api.md) from JSON: inline in a visit document
 * or in a separate catalogue file (an array, or an object with a
 * "catalogue" array). Each entry gives the national code, list type,
 * charge class (甲/乙/丙), optional first self-pay share, price ceiling,
 * validity dates and restrictions; docs/api.md lists the keys. Entries and
 * their strings live in the caller's arena; the engine indexes them with
 * yb_catalogue_build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "yibao/idcard.h"

static const char *const entry_keys[] = {"med_list_codg", "med_list_name",
                                         "list_type",     "chrgitm_lv",
                                         "selfpay_prop",  "pric_uplmt_amt",
                                         "begndate",      "enddate",
                                         "lmt",           NULL};
static const char *const lmt_keys[] = {
    "gend", "age_min", "age_max", "hosp_lv", "med_type", "max_cnt", NULL};

#define MAX_ENTRIES 1000000

static int check_lmt(const cJSON *l, const char *path,
                     const struct yb_catalogue_entry *c, struct yb_err *e)
{
    char f[128], t[64];

    if (c->lmt_age_min >= 0 && c->lmt_age_max >= 0 &&
        c->lmt_age_max < c->lmt_age_min)
        return yb_err_set(e, YB_EINVAL,
                          yb_json_path_key(f, sizeof f, path, "age_max"),
                          "%d 小于 age_min %d (below age_min)", c->lmt_age_max,
                          c->lmt_age_min);
    if (yb__json_member(l, "max_cnt") != NULL && c->lmt_max_cnt <= 0)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "max_cnt"),
            "数值 %s 应大于 0 (not positive)",
            yb__json_text(yb__json_member(l, "max_cnt"), t, sizeof t));
    return YB_OK;
}

/* lmt: restrictions; a line outside them is wholly self-paid. */
static int parse_lmt(const cJSON *obj, const char *epath,
                     struct yb_catalogue_entry *c, struct yb_err *e)
{
    const cJSON *l = NULL;
    char path[128];
    int64_t lo = -1, hi = -1;
    int rc = yb_json_object(obj, "lmt", epath, false, &l, e);

    if (rc != YB_OK || l == NULL)
        return rc;
    yb_json_path_key(path, sizeof path, epath, "lmt");
    rc = yb_json_check_keys(l, path, lmt_keys, e);
    if (rc == YB_OK)
        rc = yb__json_gender(l, path, false, &c->lmt_gender, e);
    if (rc == YB_OK)
        rc = yb_json_int(l, "age_min", path, false, 0, 150, &lo, e);
    if (rc == YB_OK)
        rc = yb_json_int(l, "age_max", path, false, 0, 150, &hi, e);
    c->lmt_age_min = (int)lo;
    c->lmt_age_max = (int)hi;
    if (rc == YB_OK)
        rc = yb_json_code_set(l, "hosp_lv", path, false, YB_DICT_HOSP_LV,
                              &c->lmt_levels, e);
    if (rc == YB_OK)
        rc = yb_json_code_set(l, "med_type", path, false, YB_DICT_MED_TYPE,
                              &c->lmt_med_types, e);
    if (rc == YB_OK)
        rc = yb_json_decimal(l, "max_cnt", path, false, 4, &c->lmt_max_cnt, e);
    if (rc == YB_OK)
        rc = check_lmt(l, path, c, e);
    return rc;
}

static int parse_class(const cJSON *obj, const char *path,
                       struct yb_catalogue_entry *c, struct yb_err *e)
{
    int idx = -1;
    int rc = yb_json_code(obj, "list_type", path, true, YB_DICT_LIST_TYPE,
                          &c->list_type, e);

    if (rc == YB_OK)
        rc = yb_json_code(obj, "chrgitm_lv", path, true, YB_DICT_CHRGITM_LV,
                          &idx, e);
    if (rc == YB_OK)
        c->chrgitm_lv = atoi(yb__dict_code(YB_DICT_CHRGITM_LV, idx));
    if (rc == YB_OK)
        rc = yb_json_rate(obj, "selfpay_prop", path, false, false,
                          &c->selfpay_prop, e);
    if (rc == YB_OK)
        rc = yb_json_decimal(obj, "pric_uplmt_amt", path, false, 6,
                             &c->price_ceiling, e);
    return rc;
}

static int parse_validity(const cJSON *obj, const char *path,
                          struct yb_catalogue_entry *c, struct yb_err *e)
{
    char f[128], b[16], en[16];
    int rc =
        yb_json_date(obj, "begndate", path, false, false, &c->valid_from, e);

    if (rc == YB_OK)
        rc = yb_json_date(obj, "enddate", path, false, false, &c->valid_to, e);
    if (rc != YB_OK || c->valid_to >= c->valid_from)
        return rc;
    return yb_err_set(
        e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "enddate"),
        "日期 \"%s\" 早于开始日期 begndate \"%s\" (before begndate)",
        yb_date_format(c->valid_to, en), yb_date_format(c->valid_from, b));
}

static int parse_entry(const cJSON *obj, const char *path,
                       struct yb_arena *arena, struct yb_catalogue_entry *c,
                       struct yb_err *e)
{
    char f[128];
    int rc;

    memset(c, 0, sizeof *c);
    c->selfpay_prop = -1;
    c->valid_from = yb_date_from_ymd(1900, 1, 1);
    c->valid_to = INT32_MAX;
    c->lmt_age_min = -1;
    c->lmt_age_max = -1;
    if (!cJSON_IsObject(obj))
        return yb_err_set(
            e, YB_EINVAL, path,
            "目录条目应为 JSON 对象 (a catalogue entry must be an object)");
    rc = yb_json_check_keys(obj, path, entry_keys, e);
    if (rc == YB_OK)
        rc = yb_json_string(obj, "med_list_codg", path, true, 50, false, arena,
                            &c->code, e);
    if (rc == YB_OK && c->code[0] == '\0')
        rc = yb_err_set(e, YB_EINVAL,
                        yb_json_path_key(f, sizeof f, path, "med_list_codg"),
                        "不能为空 (empty)");
    if (rc == YB_OK)
        rc = yb_json_string(obj, "med_list_name", path, false, 200, false,
                            arena, &c->name, e);
    if (rc == YB_OK)
        rc = parse_class(obj, path, c, e);
    if (rc == YB_OK)
        rc = parse_validity(obj, path, c, e);
    if (rc == YB_OK)
        rc = parse_lmt(obj, path, c, e);
    return rc;
}

int yb_catalogue_json_parse(const cJSON *arr, const char *path,
                            struct yb_arena *arena,
                            struct yb_catalogue_entry **out, size_t *n,
                            struct yb_err *e)
{
    struct yb_catalogue_entry *v;
    const cJSON *it;
    char apath[128], f[128];
    int i = 0, count, rc;

    *out = NULL;
    *n = 0;
    snprintf(apath, sizeof apath, "%s", path);
    if (cJSON_IsObject(arr)) {
        rc = yb_json_array(arr, "catalogue", path, true, &arr, e);
        if (rc != YB_OK)
            return rc;
        yb_json_path_key(apath, sizeof apath, path, "catalogue");
    }
    if (!cJSON_IsArray(arr))
        return yb_err_set(
            e, YB_EINVAL, apath,
            "目录应为 JSON 数组 (a catalogue must be a JSON array)");
    count = cJSON_GetArraySize(arr);
    if (count > MAX_ENTRIES)
        return yb_err_set(e, YB_EINVAL, apath,
                          "共 %d 条，最多 %d 条 (too many entries)", count,
                          MAX_ENTRIES);
    if (count == 0)
        return YB_OK;
    v = yb_arena_calloc(arena, (size_t)count, sizeof *v);
    if (v == NULL)
        return yb_err_set(e, YB_ENOMEM, apath, "内存不足 (out of memory)");
    cJSON_ArrayForEach(it, arr)
    {
        rc = parse_entry(it, yb_json_path_index(f, sizeof f, apath, i), arena,
                         &v[i], e);
        if (rc != YB_OK)
            return rc;
        i++;
    }
    *out = v;
    *n = (size_t)count;
    return YB_OK;
}

int yb_catalogue_doc_parse(const char *text, size_t len, struct yb_arena *arena,
                           struct yb_catalogue_entry **out, size_t *n,
                           struct yb_err *e)
{
    cJSON *root = NULL;
    int rc;

    *out = NULL;
    *n = 0;
    rc = yb_json_parse(text, len, &root, e);
    if (rc != YB_OK)
        goto out;
    rc = yb_catalogue_json_parse(root, cJSON_IsArray(root) ? "catalogue" : "",
                                 arena, out, n, e);
out:
    cJSON_Delete(root);
    return rc;
}
