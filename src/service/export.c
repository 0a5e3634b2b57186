/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exports in the import formats (docs/import-formats.md), so that what one
 * agency exports another — or the same one after a rebuild — imports
 * unchanged: the catalogue (every version, or the versions valid on a day)
 * and the designated institutions.
 */
#include <stdio.h>
#include <string.h>

#include "yibao/csv.h"
#include "yibao/export.h"
#include "yibao/money.h"

static const char *txt(yb_stmt *st, int col)
{
    const char *s = yb_stmt_text(st, col);
    return s ? s : "";
}

static int catalogue_row(yb_stmt *st, FILE *out)
{
    char sp[48] = "", ceil[40] = "", amin[24] = "", amax[24] = "";
    if (!yb_stmt_null(st, 4)) {
        int64_t r = yb_stmt_int(st, 4);
        snprintf(sp, sizeof sp, "%lld.%04lld", (long long)(r / 10000),
                 (long long)(r % 10000));
    }
    if (!yb_stmt_null(st, 5) && yb_stmt_int(st, 5) > 0)
        yb_decimal_format(yb_stmt_int(st, 5), 6, ceil);
    if (!yb_stmt_null(st, 9))
        snprintf(amin, sizeof amin, "%lld", (long long)yb_stmt_int(st, 9));
    if (!yb_stmt_null(st, 10))
        snprintf(amax, sizeof amax, "%lld", (long long)yb_stmt_int(st, 10));
    const char *f[] = {txt(st, 0), txt(st, 1), txt(st, 2), txt(st, 3),
                       sp,         ceil,       txt(st, 6), txt(st, 7),
                       txt(st, 8), amin,       amax};
    return yb_csv_put_row(out, f, 11) == 0 ? YB_OK : YB_EIO;
}

int yb_export_catalogue(yb_store *s, const char *on, FILE *out, long *rows,
                        struct yb_err *e)
{
    static const char *const head[] = {
        "med_list_codg", "med_list_name",  "list_type",  "chrgitm_lv",
        "selfpay_prop",  "pric_uplmt_amt", "begndate",   "enddate",
        "lmt_gend",      "lmt_age_min",    "lmt_age_max"};
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "SELECT med_list_codg, name, list_type, chrgitm_lv, selfpay_prop, "
        "price_ceiling, valid_from, valid_to, lmt_gend, lmt_age_min, "
        "lmt_age_max FROM catalogue_item WHERE $1 IS NULL OR "
        "(valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1)) "
        "ORDER BY med_list_codg, valid_from",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, on);
    *rows = 0;
    if (yb_csv_put_row(out, head, 11) != 0)
        rc = YB_EIO;
    while (rc == YB_OK && (rc = yb_stmt_step(st, e)) == YB_ROW) {
        rc = catalogue_row(st, out);
        (*rows)++;
    }
    yb_stmt_reset(st);
    if (rc == YB_EIO)
        return yb_err_set(e, YB_EIO, "output", "写入失败 (write error)");
    return rc == YB_DONE ? YB_OK : rc;
}

int yb_export_institutions(yb_store *s, FILE *out, long *rows, struct yb_err *e)
{
    static const char *const head[] = {
        "fixmedins_code", "fixmedins_name", "hosp_lv",  "inst_type",
        "public_flag",    "admdvs",         "begndate", "enddate"};
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "SELECT fixmedins_code, name, hosp_lv, type, public, admdvs, "
        "agreement_from, agreement_to FROM institution "
        "ORDER BY fixmedins_code",
        &st, e);
    if (rc != YB_OK)
        return rc;
    *rows = 0;
    if (yb_csv_put_row(out, head, 8) != 0)
        rc = YB_EIO;
    while (rc == YB_OK && (rc = yb_stmt_step(st, e)) == YB_ROW) {
        const char *f[] = {txt(st, 0),
                           txt(st, 1),
                           txt(st, 2),
                           txt(st, 3),
                           yb_stmt_int(st, 4) ? "1" : "0",
                           txt(st, 5),
                           txt(st, 6),
                           txt(st, 7)};
        rc = yb_csv_put_row(out, f, 8) == 0 ? YB_OK : YB_EIO;
        (*rows)++;
    }
    yb_stmt_reset(st);
    if (rc == YB_EIO)
        return yb_err_set(e, YB_EIO, "output", "写入失败 (write error)");
    return rc == YB_DONE ? YB_OK : rc;
}
