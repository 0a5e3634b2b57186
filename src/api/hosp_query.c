/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reconciliation on the hospital interface (docs/hospital.md):
 *   3201 医药机构费用结算对总账  input.data {insutype, clr_type,
 *        setl_optins, stmt_begndate, stmt_enddate, medfee_sumamt,
 *        fund_pay_sumamt, acct_pay, fixmedins_setl_cnt} → output.stmtinfo
 *        {setl_optins, stmt_rslt ("0" agrees, "1" differs),
 *        stmt_rslt_dscr}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/date.h"
#include "yibao/money.h"
#include "yibao/registry.h"
#include "yibao/visit.h"

static int tx_3201(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], f1[96];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *insutype, *clr_type, *optins, *from, *to;
    const struct yb_hosp_field f[] = {
        {"insutype", &insutype, 6, true},   {"clr_type", &clr_type, 6, false},
        {"setl_optins", &optins, 6, false}, {"stmt_begndate", &from, 10, true},
        {"stmt_enddate", &to, 10, true},
    };
    yb_fen medfee = 0, fund = 0, acct = 0;
    int64_t cnt = 0;
    yb_date d1 = 0, d2 = 0;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb_date_parse(
            from, &d1, yb_json_path_key(f1, sizeof f1, path, "stmt_begndate"),
            e);
    if (rc == YB_OK)
        rc = yb_date_parse(
            to, &d2, yb_json_path_key(f1, sizeof f1, path, "stmt_enddate"), e);
    if (rc == YB_OK && d2 < d1)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f1, sizeof f1, path, "stmt_enddate"),
            "日期 %s 早于 stmt_begndate %s (ends before it begins)", to, from);
    if (rc == YB_OK)
        rc = yb_json_money(in, "medfee_sumamt", path, true, true, &medfee, e);
    if (rc == YB_OK)
        rc = yb_json_money(in, "fund_pay_sumamt", path, true, true, &fund, e);
    if (rc == YB_OK)
        rc = yb_json_money(in, "acct_pay", path, false, true, &acct, e);
    if (rc == YB_OK)
        rc = yb_json_int(in, "fixmedins_setl_cnt", path, true, -1000000000,
                         1000000000, &cnt, e);
    struct yb_setl_totals t;
    if (rc == YB_OK)
        rc = yb_settlement_totals(c->h->s, c->env->fixmedins_code, insutype,
                                  clr_type, from, to, &t, e);
    if (rc != YB_OK)
        return rc;
    bool same = t.medfee_sumamt == medfee && t.fund_pay_sumamt == fund &&
                t.acct_pay == acct && t.count == cnt;
    char dscr[200], a[32], b[32], x[32], y[32];
    if (same)
        snprintf(dscr, sizeof dscr, "对账一致：%lld 笔，医疗费 %s，基金 %s",
                 (long long)t.count, yb_money_format(t.medfee_sumamt, a),
                 yb_money_format(t.fund_pay_sumamt, b));
    else
        snprintf(dscr, sizeof dscr,
                 "对账不一致：医保 %lld 笔 医疗费 %s 基金 %s；机构 %lld 笔 "
                 "医疗费 %s 基金 %s",
                 (long long)t.count, yb_money_format(t.medfee_sumamt, a),
                 yb_money_format(t.fund_pay_sumamt, b), (long long)cnt,
                 yb_money_format(medfee, x), yb_money_format(fund, y));
    cJSON *o = cJSON_AddObjectToObject(c->output, "stmtinfo");
    if (!o ||
        (rc = yb__hosp_add_str(o, "setl_optins", optins ? optins : "", e)) !=
            YB_OK ||
        (rc = yb__hosp_add_str(o, "stmt_rslt", same ? "0" : "1", e)) != YB_OK ||
        (rc = yb__hosp_add_str(o, "stmt_rslt_dscr", dscr, e)) != YB_OK)
        return o ? rc
                 : yb_err_set(e, YB_ENOMEM, "output",
                              "内存不足 (out of memory)");
    return YB_OK;
}

/* 5203 结算信息查询: input.data {psn_no, setl_id, mdtrt_id} → the stored
 * settlement's setlinfo and setldetail[]; setlinfo.policy_id names the
 * version of the policy set it was computed under. */
static int tx_5203(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *setl_id, *mdtrt_id;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, true},
        {"setl_id", &setl_id, 30, true},
        {"mdtrt_id", &mdtrt_id, 30, false},
    };
    struct yb_setl_rec r;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(
            yb_settlement_get(c->h->s, c->env->fixmedins_code, setl_id, &r, e),
            path, e);
    if (rc == YB_OK &&
        (strcmp(r.psn_no, psn_no) != 0 ||
         (mdtrt_id && *mdtrt_id && strcmp(r.mdtrt_id, mdtrt_id) != 0)))
        return yb_err_set(e, YB_ENOTFOUND, "input.data.setl_id",
                          "结算 %s 不是该人员或就诊的 (not this person's)",
                          setl_id);
    if (rc != YB_OK)
        return rc;
    rc = yb__hosp_render_setl(c, &r, e);
    cJSON *si = cJSON_GetObjectItemCaseSensitive(c->output, "setlinfo");
    /* the policy version it was settled under ("" before the policy set) */
    char ver[24] = "";
    if (r.policy_id > 0)
        snprintf(ver, sizeof ver, "%lld", (long long)r.policy_id);
    if (rc == YB_OK &&
        (!cJSON_AddStringToObject(si, "psn_no", r.psn_no) ||
         !cJSON_AddStringToObject(si, "policy_id", ver) ||
         !cJSON_AddStringToObject(si, "med_type", r.med_type) ||
         !cJSON_AddStringToObject(
             si, "setl_stas", strcmp(r.status, "settled") == 0 ? "1" : "0")))
        rc = yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    return rc;
}

/* 5206 人员累计信息查询: input.data {psn_no, cum_ym (yyyyMM)} →
 * cuminfo[] {insutype, year, cum_type_code, cum}: the person's
 * year-to-date accumulators of that year (amounts in yuan; counts such
 * as admissions as numbers). */
static int tx_5206(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *ym;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, true},
        {"cum_ym", &ym, 6, true},
    };
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc != YB_OK)
        return rc;
    char f1[96];
    yb_json_path_key(f1, sizeof f1, path, "cum_ym");
    if (strlen(ym) != 6 || strspn(ym, "0123456789") != 6)
        return yb_err_set(e, YB_EINVAL, f1,
                          "累计年月应为 yyyyMM，实际为 \"%s\" (yyyyMM)", ym);
    int year = atoi(ym) / 100, month = atoi(ym) % 100;
    if (month < 1 || month > 12)
        return yb_err_set(e, YB_EINVAL, f1,
                          "累计年月 \"%s\" 的月份 %02d 不存在，应为 01 到 12 "
                          "(no such month)",
                          ym, month);
    if (year < 1900)
        return yb_err_set(e, YB_EINVAL, f1,
                          "累计年月 \"%s\" 的年份 %d 不合理 (no such year)", ym,
                          year);
    struct yb_accums acc;
    struct yb_person_rec p;
    rc = yb_person_find(c->h->s, psn_no, c->a, &p, e);
    if (rc == YB_ENOTFOUND)
        return yb_err_set(e, YB_ENOTFOUND, "input.data.psn_no",
                          "人员编号 %s 不存在 (no such person)", psn_no);
    if (rc == YB_OK)
        rc = yb_person_accums(c->h->s, psn_no, year, c->a, &acc, e);
    cJSON *arr =
        rc == YB_OK ? cJSON_AddArrayToObject(c->output, "cuminfo") : NULL;
    if (rc == YB_OK && !arr)
        return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    for (int i = 0; rc == YB_OK && i < acc.n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            return yb_err_set(e, YB_ENOMEM, "output",
                              "内存不足 (out of memory)");
        }
        const char *k = acc.items[i].key;
        size_t kl = strlen(k);
        bool count = kl >= 10 && strcmp(k + kl - 10, "admissions") == 0;
        cJSON_AddStringToObject(o, "insutype", "390");
        yb_json_add_int(o, "year", year);
        cJSON_AddStringToObject(o, "cum_ym", ym);
        cJSON_AddStringToObject(o, "cum_type_code", k);
        if (count)
            yb_json_add_int(o, "cum", acc.items[i].value);
        else
            yb_json_add_money(o, "cum", acc.items[i].value);
    }
    return rc;
}

/* 2001 人员待遇享受检查: input.data {psn_no, insutype, med_type, begntime,
 * ...} → trtinfo[] {fund_pay_type, trt_chk_type, trt_enjymnt_flag,
 * trt_chk_rslt}: whether the person is covered on the day, and why not. */
static int tx_2001(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], f1[96];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *insutype, *med_type, *begntime;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, true},
        {"insutype", &insutype, 6, true},
        {"med_type", &med_type, 6, false},
        {"begntime", &begntime, 19, true},
    };
    yb_date day;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb_datetime_parse(
            begntime, true, &day, NULL,
            yb_json_path_key(f1, sizeof f1, path, "begntime"), e);
    if (rc != YB_OK)
        return rc;
    struct yb_err why = {0};
    rc = yb_cover_check(c->h->s, psn_no, insutype, day, &why);
    if (rc != YB_OK && rc != YB_ENOTCOVERED) {
        *e = why;
        return yb__hosp_at(rc, path, e);
    }
    cJSON *arr = cJSON_AddArrayToObject(c->output, "trtinfo");
    cJSON *o = cJSON_CreateObject();
    if (!arr || !o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    }
    cJSON_AddStringToObject(o, "fund_pay_type", "390100");
    cJSON_AddStringToObject(o, "trt_chk_type", "01"); /* 参保状态 */
    cJSON_AddStringToObject(o, "trt_enjymnt_flag", rc == YB_OK ? "1" : "0");
    if (!cJSON_AddStringToObject(o, "trt_chk_rslt",
                                 rc == YB_OK ? "正常享受待遇" : why.msg))
        return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    return YB_OK;
}

const struct yb_hosp_tx yb__hosp_query[] = {
    {"2001", "人员待遇享受检查", true, false, tx_2001},
    {"3201", "医药机构费用结算对总账", true, false, tx_3201},
    {"5203", "结算信息查询", true, false, tx_5203},
    {"5206", "人员累计信息查询", true, false, tx_5206},
    {NULL, NULL, false, false, NULL},
};
