/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inpatient stays on the hospital interface (docs/hospital.md):
 *   2401 入院办理      input.mdtrtinfo, input.diseinfo[] → output.result
 *                      {mdtrt_id} (also output.data)
 *   2402 出院办理      input.dscginfo {mdtrt_id, psn_no, insutype,
 *                      endtime, ...}, input.diseinfo[]
 *   2403 入院信息变更  input.adminfo {mdtrt_id, psn_no, med_type,
 *                      begntime, ...}, input.diseinfo[]
 *   2404 入院撤销      input.data {mdtrt_id, psn_no}
 *   2405 出院撤销      input.data {mdtrt_id, psn_no}
 *   2301 住院费用明细上传   as 2204, for a stay
 *   2302 住院费用明细撤销   input.data[] {feedetl_sn, mdtrt_id, psn_no}
 *   2303 住院预结算, 2304 住院结算, 2305 住院结算撤销: as 2206-2208
 */
#include <stdio.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/visit.h"

static int tx_2401(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], mdtrt_id[32];
    const cJSON *in = yb__hosp_node(c, "mdtrtinfo", path, sizeof path);
    struct yb_visit_reg r = {.fixmedins_code = c->env->fixmedins_code,
                             .region = c->h->admdvs,
                             .insuplc_admdvs = c->env->insuplc_admdvs,
                             .mdtrtarea_admvs = c->env->mdtrtarea_admvs,
                             .actor = c->env->opter,
                             .now = c->now,
                             .kind = "inpatient"};
    const struct yb_hosp_field f[] = {
        {"psn_no", &r.psn_no, 30, true},
        {"insutype", &r.insutype, 6, true},
        {"begntime", &r.begntime, 19, true},
        {"mdtrt_cert_type", &r.mdtrt_cert_type, 3, true},
        {"mdtrt_cert_no", &r.mdtrt_cert_no, 50, true},
        {"med_type", &r.med_type, 6, true},
        {"ipt_no", &r.ipt_otp_no, 30, true},
        {"atddr_no", &r.atddr_no, 30, false},
        {"chfpdr_name", &r.dr_name, 50, false},
        {"adm_dept_codg", &r.dept_code, 30, false},
        {"adm_dept_name", &r.dept_name, 100, false},
        {"dise_codg", &r.dise_codg, 30, false},
        {"dise_name", &r.dise_name, 500, false},
    };
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_diag_codes(c, &r.diag_codes, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_visit_register(c->h->s, &r, mdtrt_id, e), path, e);
    if (rc != YB_OK)
        return rc;
    snprintf(c->ref, sizeof c->ref, "%s", mdtrt_id);
    /* the field is result.mdtrt_id; clients written for 2201 read data */
    const char *nodes[] = {"result", "data"};
    for (int i = 0; i < 2; i++) {
        cJSON *o = cJSON_AddObjectToObject(c->output, nodes[i]);
        if (!o || (rc = yb__hosp_add_str(o, "mdtrt_id", mdtrt_id, e)) != YB_OK)
            return o ? rc
                     : yb_err_set(e, YB_ENOMEM, "output",
                                  "内存不足 (out of memory)");
    }
    return YB_OK;
}

static int tx_2402(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "dscginfo", path, sizeof path);
    const char *mdtrt_id, *psn_no, *insutype, *endtime, *dise_codg,
        *diag = NULL;
    const struct yb_hosp_field f[] = {
        {"mdtrt_id", &mdtrt_id, 30, true},    {"psn_no", &psn_no, 30, true},
        {"insutype", &insutype, 6, false},    {"endtime", &endtime, 19, true},
        {"dise_codg", &dise_codg, 30, false},
    };
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_diag_codes(c, &diag, e);
    if (rc == YB_OK)
        rc =
            yb__hosp_at(yb_visit_discharge(
                            c->h->s, c->env->fixmedins_code, mdtrt_id, psn_no,
                            endtime, dise_codg && *dise_codg ? dise_codg : NULL,
                            diag, false, c->env->opter, c->now, e),
                        path, e);
    return rc;
}

static int tx_2403(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "adminfo", path, sizeof path);
    const char *mdtrt_id, *psn_no;
    struct yb_visit_info v = {0};
    const struct yb_hosp_field f[] = {
        {"mdtrt_id", &mdtrt_id, 30, true},
        {"psn_no", &psn_no, 30, true},
        {"med_type", &v.med_type, 6, true},
        {"begntime", &v.begntime, 19, false},
        {"dise_codg", &v.dise_codg, 30, false},
        {"dise_name", &v.dise_name, 500, false},
    };
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_diag_codes(c, &v.diag_codes, e);
    if (rc == YB_OK && v.begntime && !*v.begntime)
        v.begntime = NULL;
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_visit_set_info(c->h->s, c->env->fixmedins_code,
                                           mdtrt_id, psn_no, &v, c->env->opter,
                                           c->now, e),
                         path, e);
    return rc;
}

/* 2404 and 2405: input.data {mdtrt_id, psn_no}. */
static int stay_undo(struct yb_hcall *c, bool admission, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *mdtrt_id, *psn_no;
    const struct yb_hosp_field f[] = {
        {"mdtrt_id", &mdtrt_id, 30, true},
        {"psn_no", &psn_no, 30, true},
    };
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc != YB_OK)
        return rc;
    if (admission)
        return yb__hosp_at(yb_visit_cancel(c->h->s, c->env->fixmedins_code,
                                           mdtrt_id, psn_no, NULL,
                                           c->env->opter, c->now, e),
                           path, e);
    return yb__hosp_at(yb_visit_discharge(c->h->s, c->env->fixmedins_code,
                                          mdtrt_id, psn_no, NULL, NULL, NULL,
                                          true, c->env->opter, c->now, e),
                       path, e);
}

static int tx_2404(struct yb_hcall *c, struct yb_err *e)
{
    return stay_undo(c, true, e);
}

static int tx_2405(struct yb_hcall *c, struct yb_err *e)
{
    return stay_undo(c, false, e);
}

static int tx_2301(struct yb_hcall *c, struct yb_err *e)
{
    return yb__hosp_fee_upload(c, "inpatient", e);
}

/* 2302: input.data[] (or one object) {feedetl_sn, mdtrt_id, psn_no}, one
 * visit. */
static int tx_2302(struct yb_hcall *c, struct yb_err *e)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(c->env->input, "data");
    if (!cJSON_IsArray(d) && !cJSON_IsObject(d))
        return yb_err_set(e, YB_EINVAL, "input.data",
                          "必填，应为数组 (required list)");
    int n = cJSON_IsArray(d) ? cJSON_GetArraySize(d) : 1;
    if (n == 0 || n > YB_HOSP_MAX_LINES)
        return yb_err_set(e, YB_EINVAL, "input.data",
                          "一次应撤销 1 到 %d 条明细，实际 %d 条，请分批撤销 "
                          "(1 to %d lines per call)",
                          YB_HOSP_MAX_LINES, n, YB_HOSP_MAX_LINES);
    const char **sns = yb_arena_alloc(c->a, sizeof *sns * (size_t)n);
    if (!sns)
        return yb_err_set(e, YB_ENOMEM, "input.data",
                          "内存不足 (out of memory)");
    const char *mdtrt_id = NULL, *psn_no = NULL;
    int rc = YB_OK;
    for (int i = 0; rc == YB_OK && i < n; i++) {
        char path[48];
        const char *m = NULL, *p = NULL;
        const cJSON *it = cJSON_IsArray(d) ? cJSON_GetArrayItem(d, i) : d;
        snprintf(path, sizeof path, "input.data[%d]", i);
        const struct yb_hosp_field f[] = {
            {"feedetl_sn", &sns[i], 30, true},
            {"mdtrt_id", &m, 30, true},
            {"psn_no", &p, 30, true},
        };
        rc = yb__hosp_fields(c, it, path, f, 3, e);
        if (rc == YB_OK && i == 0) {
            mdtrt_id = m;
            psn_no = p;
        } else if (rc == YB_OK &&
                   (strcmp(m, mdtrt_id) != 0 || strcmp(p, psn_no) != 0))
            rc = yb_err_set(e, YB_EINVAL, path,
                            "与第 0 条不是同一就诊 (another visit)");
    }
    long done = 0;
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_fee_cancel_lines(c->h->s, c->env->fixmedins_code,
                                             mdtrt_id, psn_no, sns, (size_t)n,
                                             c->env->opter, c->now, &done, e),
                         "input", e);
    if (rc == YB_OK && !yb_json_add_int(c->output, "cancelled", done))
        rc = yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    return rc;
}

static int tx_2303(struct yb_hcall *c, struct yb_err *e)
{
    return yb__hosp_settle(c, "inpatient", false, e);
}

static int tx_2304(struct yb_hcall *c, struct yb_err *e)
{
    return yb__hosp_settle(c, "inpatient", true, e);
}

const struct yb_hosp_tx yb__hosp_inpatient[] = {
    {"2401", "入院办理", true, true, tx_2401},
    {"2402", "出院办理", true, true, tx_2402},
    {"2403", "入院信息变更", true, true, tx_2403},
    {"2404", "入院撤销", true, true, tx_2404},
    {"2405", "出院撤销", true, true, tx_2405},
    {"2301", "住院费用明细上传", true, true, tx_2301},
    {"2302", "住院费用明细撤销", true, true, tx_2302},
    {"2303", "住院预结算", true, false, tx_2303},
    {"2304", "住院结算", true, true, tx_2304},
    {"2305", "住院结算撤销", true, true, yb__hosp_reverse},
    {NULL, NULL, false, false, NULL},
};
