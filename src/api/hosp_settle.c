/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Outpatient settlement on the hospital interface (docs/hospital.md):
 *   2206 门诊预结算   input.data as 2207 → output setlinfo, setldetail[];
 *                     nothing stored
 *   2207 门诊结算     input.data {psn_no, mdtrt_cert_type, mdtrt_cert_no,
 *                     med_type, medfee_sumamt, psn_setlway, mdtrt_id,
 *                     chrg_bchno, acct_used_flag, insutype, ...} →
 *                     output setlinfo (with setl_id), setldetail[]
 *   2208 门诊结算撤销 input.data {setl_id, mdtrt_id, psn_no} → the
 *                     reversal's setlinfo and setldetail[] (negated)
 */
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "hosp_int.h"
#include "yibao/codec.h"
#include "yibao/dict.h"
#include "yibao/ledger.h"
#include "yibao/visit.h"

static int oom(struct yb_err *e)
{
    return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
}

/* 2206/2207 (outpatient) and 2303/2304 (a stay): read the input, settle,
 * render. A stay's med_type is its own (2401/2403). */
int yb__hosp_settle(struct yb_hcall *c, const char *kind, bool store,
                    struct yb_err *e)
{
    bool ipt = strcmp(kind, "inpatient") == 0;
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *cert_type, *cert_no, *med_type, *mdtrt_id, *insutype,
        *setlway, *bchno, *acct;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, true},
        {"mdtrt_cert_type", &cert_type, 3, true},
        {"mdtrt_cert_no", &cert_no, 50, true},
        {"med_type", &med_type, 6, !ipt},
        {"psn_setlway", &setlway, 6, true},
        {"mdtrt_id", &mdtrt_id, 30, true},
        {"chrg_bchno", &bchno, 30, false},
        {"acct_used_flag", &acct, 3, false},
        {"insutype", &insutype, 6, true},
    };
    struct yb_settle_req r = {.fixmedins_code = c->env->fixmedins_code,
                              .region = c->h->admdvs,
                              .actor = c->env->opter,
                              .now = c->now,
                              .store = store,
                              .policies = c->h->policies};
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb_json_money(in, "medfee_sumamt", path, true, false,
                           &r.medfee_sumamt, e);
    if (rc != YB_OK)
        return rc;
    r.mdtrt_id = mdtrt_id;
    r.psn_no = psn_no;
    r.med_type = med_type; /* must be the visit's as registered */
    r.mdtrt_cert_type = cert_type;
    r.mdtrt_cert_no = cert_no;
    r.insutype = insutype;
    struct yb_visit_rec v;
    rc = yb__hosp_at(yb_visit_get(c->h->s, c->env->fixmedins_code, mdtrt_id,
                                  psn_no, c->a, &v, e),
                     path, e);
    if (rc == YB_OK && strcmp(v.kind, kind) != 0)
        return yb_err_set(e, YB_EINVAL, "input.data.mdtrt_id",
                          "就诊 %s 是%s，结算请用 %s (a visit of another "
                          "kind)",
                          mdtrt_id, ipt ? "门诊" : "住院",
                          ipt ? "2207" : "2304");
    if (rc == YB_OK)
        rc = yb__hosp_catalogue(c->h, e);
    struct yb_settle_out o;
    if (rc == YB_OK)
        rc = yb_visit_settle(c->h->s, NULL, &c->h->cat, &r, c->a, &o, e);
    if (rc != YB_OK)
        return yb__hosp_at(rc, path, e);
    snprintf(c->ref, sizeof c->ref, "%s", o.setl_id);
    struct yb_visit_doc d = {.person = o.person,
                             .visit = o.visit,
                             .psn_name = o.psn_name,
                             .fixmedins_code = c->env->fixmedins_code,
                             .insutype = o.insutype};
    if (yb_settlement_nodes(c->output, &o.s, &d, c->a) != YB_OK)
        return oom(e);
    cJSON *si = cJSON_GetObjectItemCaseSensitive(c->output, "setlinfo");
    if (!si || !cJSON_AddStringToObject(si, "setl_id", o.setl_id) ||
        !cJSON_AddStringToObject(si, "psn_cert_type", "01") ||
        !cJSON_AddStringToObject(si, "certno", cert_no) ||
        !cJSON_AddStringToObject(si, "cvlserv_flag", "0") ||
        !cJSON_AddStringToObject(si, "mdtrt_cert_type", cert_type) ||
        !cJSON_AddStringToObject(si, "medins_setl_id", c->env->msgid))
        return oom(e);
    /* the time of the settlement, not only its day */
    cJSON_ReplaceItemInObjectCaseSensitive(si, "setl_time",
                                           cJSON_CreateString(c->now));
    return YB_OK;
}

static int tx_2206(struct yb_hcall *c, struct yb_err *e)
{
    return yb__hosp_settle(c, "outpatient", false, e);
}

static int tx_2207(struct yb_hcall *c, struct yb_err *e)
{
    return yb__hosp_settle(c, "outpatient", true, e);
}

int yb__hosp_render_setl(struct yb_hcall *c, const struct yb_setl_rec *r,
                         struct yb_err *e)
{
    cJSON *si = cJSON_AddObjectToObject(c->output, "setlinfo");
    cJSON *arr = cJSON_AddArrayToObject(c->output, "setldetail");
    if (!si || !arr)
        return oom(e);
    cJSON_AddStringToObject(si, "mdtrt_id", r->mdtrt_id);
    cJSON_AddStringToObject(si, "setl_id", r->setl_id);
    cJSON_AddStringToObject(si, "setl_time", r->setl_time);
    cJSON_AddStringToObject(si, "medins_setl_id", c->env->msgid);
    for (size_t i = 0; i < yb__n_setl_fields; i++)
        if (!yb__setl_add(si, &r->info, &yb__setl_fields[i]))
            return oom(e);
    /* every client of 2208 reads the cash part as pdn_cash_pay */
    yb_json_add_money(si, "pdn_cash_pay", r->info.psn_cash_pay);
    yb_json_add_money(si, "balc", 0);
    yb_json_add_money(si, "acct_mulaid_pay", 0);
    for (int i = 0; i < r->n_funds; i++) {
        cJSON *it = cJSON_CreateObject();
        if (!it || !cJSON_AddItemToArray(arr, it)) {
            cJSON_Delete(it);
            return oom(e);
        }
        const char *name =
            yb_dict_label(YB_DICT_FUND, r->funds[i].fund_pay_type);
        cJSON_AddStringToObject(it, "fund_pay_type", r->funds[i].fund_pay_type);
        cJSON_AddStringToObject(it, "fund_pay_type_name", name ? name : "");
        yb_json_add_money(it, "inscp_scp_amt", r->funds[i].inscp_scp_amt);
        yb_json_add_money(it, "crt_payb_lmt_amt", r->funds[i].crt_payb_lmt_amt);
        if (!yb_json_add_money(it, "fund_payamt", r->funds[i].fund_payamt))
            return oom(e);
    }
    return YB_OK;
}

/* 2208 and 2305. */
int yb__hosp_reverse(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], new_id[32];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *setl_id, *mdtrt_id, *psn_no;
    const struct yb_hosp_field f[] = {
        {"setl_id", &setl_id, 30, true},
        {"mdtrt_id", &mdtrt_id, 30, true},
        {"psn_no", &psn_no, 30, true},
    };
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_settlement_reverse(c->h->s, c->env->fixmedins_code,
                                               setl_id, mdtrt_id, psn_no,
                                               c->h->admdvs, c->env->opter,
                                               c->now, new_id, e),
                         path, e);
    struct yb_setl_rec r;
    if (rc == YB_OK)
        rc = yb_settlement_get(c->h->s, c->env->fixmedins_code, new_id, &r, e);
    return rc == YB_OK ? yb__hosp_render_setl(c, &r, e) : rc;
}

const struct yb_hosp_tx yb__hosp_settlement[] = {
    {"2206", "门诊预结算", true, false, tx_2206},
    {"2207", "门诊结算", true, true, tx_2207},
    {"2208", "门诊结算撤销", true, true, yb__hosp_reverse},
    {NULL, NULL, false, false, NULL},
};
