/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Outpatient visits and fee lines on the hospital interface
 * (docs/hospital.md):
 *   2201 门诊挂号            input.data → output.data {mdtrt_id, psn_no,
 *                            ipt_otp_no}
 *   2202 门诊挂号撤销        input.data {psn_no, mdtrt_id, ipt_otp_no}
 *   2203 门诊就诊信息上传    input.mdtrtinfo {mdtrt_id, psn_no, med_type,
 *                            begntime, dise_codg, dise_name},
 *                            input.diseinfo[] (or one object)
 *   2204 门诊费用明细上传    input.feedetail[] (or one object) →
 *                            output.result[] classified lines
 *   2205 门诊费用明细撤销    input.data {mdtrt_id, chrg_bchno, psn_no}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/codec.h"
#include "yibao/date.h"
#include "yibao/dict.h"
#include "yibao/registry.h"
#include "yibao/visit.h"

static int add_out_data(struct yb_hcall *c, const char *const *kv, int n,
                        struct yb_err *e)
{
    cJSON *o = cJSON_AddObjectToObject(c->output, "data");
    if (!o)
        return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    for (int i = 0; i + 1 < n; i += 2) {
        int rc = yb__hosp_add_str(o, kv[i], kv[i + 1], e);
        if (rc != YB_OK)
            return rc;
    }
    return YB_OK;
}

/* ---- 2201 --------------------------------------------------------------- */

static int tx_2201(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], mdtrt_id[32];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    struct yb_visit_reg r = {.fixmedins_code = c->env->fixmedins_code,
                             .region = c->h->admdvs,
                             .insuplc_admdvs = c->env->insuplc_admdvs,
                             .mdtrtarea_admvs = c->env->mdtrtarea_admvs,
                             .actor = c->env->opter,
                             .now = c->now};
    const struct yb_hosp_field f[] = {
        {"psn_no", &r.psn_no, 30, true},
        {"insutype", &r.insutype, 6, true},
        {"begntime", &r.begntime, 19, true},
        {"mdtrt_cert_type", &r.mdtrt_cert_type, 3, true},
        {"mdtrt_cert_no", &r.mdtrt_cert_no, 50, true},
        {"ipt_otp_no", &r.ipt_otp_no, 30, true},
        {"atddr_no", &r.atddr_no, 30, false},
        {"dr_name", &r.dr_name, 50, false},
        {"dept_code", &r.dept_code, 30, false},
        {"dept_name", &r.dept_name, 100, false},
        {"caty", &r.caty, 6, false},
    };
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_visit_register(c->h->s, &r, mdtrt_id, e), path, e);
    if (rc != YB_OK)
        return rc;
    snprintf(c->ref, sizeof c->ref, "%s", mdtrt_id);
    const char *kv[] = {"mdtrt_id", mdtrt_id,     "psn_no",
                        r.psn_no,   "ipt_otp_no", r.ipt_otp_no};
    return add_out_data(c, kv, 6, e);
}

/* ---- 2202 --------------------------------------------------------------- */

static int tx_2202(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *mdtrt_id, *ipt_otp_no;
    int rc = yb__hosp_str(c, in, path, "psn_no", true, 30, &psn_no, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "mdtrt_id", true, 30, &mdtrt_id, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "ipt_otp_no", false, 30, &ipt_otp_no, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_visit_cancel(c->h->s, c->env->fixmedins_code,
                                         mdtrt_id, psn_no, ipt_otp_no,
                                         c->env->opter, c->now, e),
                         path, e);
    return rc;
}

/* ---- 2203 --------------------------------------------------------------- */

/* diseinfo[] (or one object): the diagnosis codes, main first by
 * diag_srt_no order as given, comma-separated. */
int yb__hosp_diag_codes(struct yb_hcall *c, const char **out, struct yb_err *e)
{
    const cJSON *d =
        cJSON_GetObjectItemCaseSensitive(c->env->input, "diseinfo");
    *out = NULL;
    if (!d || cJSON_IsNull(d))
        return YB_OK;
    if (!cJSON_IsArray(d) && !cJSON_IsObject(d))
        return yb_err_set(e, YB_EINVAL, "input.diseinfo",
                          "应为数组或对象 (list or object)");
    size_t cap = 1, n = 0;
    const cJSON *it;
    int k = 0;
    char path[48];
    const cJSON *one[1] = {d};
    int count = cJSON_IsArray(d) ? cJSON_GetArraySize(d) : 1;
    const char **codes =
        yb_arena_alloc(c->a, sizeof *codes * (size_t)(count + 1));
    if (!codes)
        return yb_err_set(e, YB_ENOMEM, "diseinfo", "内存不足 (out of memory)");
    for (k = 0; k < count; k++) {
        it = cJSON_IsArray(d) ? cJSON_GetArrayItem(d, k) : one[0];
        snprintf(path, sizeof path, "input.diseinfo[%d]", k);
        int rc = yb__hosp_str(c, it, path, "diag_code", true, 20, &codes[k], e);
        if (rc != YB_OK)
            return rc;
        cap += strlen(codes[k]) + 1;
    }
    char *s = yb_arena_alloc(c->a, cap);
    if (!s)
        return yb_err_set(e, YB_ENOMEM, "diseinfo", "内存不足 (out of memory)");
    s[0] = '\0';
    for (k = 0; k < count; k++) {
        n += (size_t)snprintf(s + n, cap - n, "%s%s", k ? "," : "", codes[k]);
    }
    *out = s;
    return YB_OK;
}

static int tx_2203(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "mdtrtinfo", path, sizeof path);
    if (in == c->env->input &&
        cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(in, "mdtrtInfo"))) {
        in = cJSON_GetObjectItemCaseSensitive(in, "mdtrtInfo");
        snprintf(path, sizeof path, "input.mdtrtInfo");
    }
    const char *mdtrt_id, *psn_no;
    struct yb_visit_info v = {0};
    int rc = yb__hosp_str(c, in, path, "mdtrt_id", true, 30, &mdtrt_id, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "psn_no", true, 30, &psn_no, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "med_type", true, 6, &v.med_type, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "begntime", false, 19, &v.begntime, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "dise_codg", false, 30, &v.dise_codg, e);
    if (rc == YB_OK)
        rc =
            yb__hosp_str(c, in, path, "dise_name", false, 500, &v.dise_name, e);
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

/* ---- 2204 --------------------------------------------------------------- */

static int fee_line(struct yb_hcall *c, const cJSON *it, const char *path,
                    struct yb_fee_in *l, struct yb_err *e)
{
    memset(l, 0, sizeof *l);
    const struct yb_hosp_field f[] = {
        {"feedetl_sn", &l->feedetl_sn, 30, true},
        {"mdtrt_id", &l->mdtrt_id, 30, true},
        {"psn_no", &l->psn_no, 30, true},
        {"chrg_bchno", &l->chrg_bchno, 30, false}, /* 2301 has none */
        {"dise_codg", &l->dise_codg, 30, false},
        {"fee_ocur_time", &l->fee_ocur_time, 19, true},
        {"med_list_codg", &l->med_list_codg, 50, true},
        {"medins_list_codg", &l->medins_list_codg, 150, false},
        {"hosp_appr_flag", &l->hosp_appr_flag, 3, false},
    };
    if (!cJSON_IsObject(it))
        return yb_err_set(e, YB_EINVAL, path, "应为对象 (not an object)");
    int rc = yb__hosp_fields(c, it, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK && !l->chrg_bchno)
        l->chrg_bchno = "";
    if (rc == YB_OK)
        rc = yb_json_money(it, "det_item_fee_sumamt", path, true, false,
                           &l->amount, e);
    if (rc == YB_OK)
        rc = yb_json_decimal(it, "cnt", path, true, 4, &l->cnt, e);
    if (rc == YB_OK)
        rc = yb_json_decimal(it, "pric", path, true, 6, &l->pric, e);
    return rc;
}

/* 2204 and 2301: a visit's fee lines, of an outpatient visit or a stay. */
int yb__hosp_fee_upload(struct yb_hcall *c, const char *kind, struct yb_err *e)
{
    const cJSON *fd =
        cJSON_GetObjectItemCaseSensitive(c->env->input, "feedetail");
    if (!cJSON_IsArray(fd) && !cJSON_IsObject(fd))
        return yb_err_set(e, YB_EINVAL, "input.feedetail",
                          "必填，应为数组 (required list)");
    int n = cJSON_IsArray(fd) ? cJSON_GetArraySize(fd) : 1;
    if (n == 0 || n > YB_HOSP_MAX_LINES)
        return yb_err_set(e, YB_EINVAL, "input.feedetail",
                          "一次应上传 1 到 %d 条明细，实际 %d 条，请分批上传 "
                          "(1 to %d lines per call)",
                          YB_HOSP_MAX_LINES, n, YB_HOSP_MAX_LINES);
    struct yb_fee_in *in = yb_arena_alloc(c->a, sizeof *in * (size_t)n);
    struct yb_fee_line *lines = yb_arena_alloc(c->a, sizeof *lines * (size_t)n);
    struct yb_line_result *res = yb_arena_alloc(c->a, sizeof *res * (size_t)n);
    if (!in || !lines || !res)
        return yb_err_set(e, YB_ENOMEM, "feedetail",
                          "内存不足 (out of memory)");
    int rc = YB_OK;
    for (int i = 0; rc == YB_OK && i < n; i++) {
        char path[48];
        snprintf(path, sizeof path, "input.feedetail[%d]", i);
        rc = fee_line(c, cJSON_IsArray(fd) ? cJSON_GetArrayItem(fd, i) : fd,
                      path, &in[i], e);
        /* an outpatient line names its charge batch (2205 cancels by it) */
        char field[64];
        if (rc == YB_OK && strcmp(kind, "outpatient") == 0 &&
            !*in[i].chrg_bchno)
            rc = yb_err_set(
                e, YB_EINVAL,
                yb_json_path_key(field, sizeof field, path, "chrg_bchno"),
                "必填，不能为空 (empty)");
    }
    struct yb_visit_rec v;
    struct yb_settle_out view = {0}; /* the engine's person and visit */
    const struct yb_policy *policy = NULL;
    yb_date day = 0;
    if (rc == YB_OK)
        rc =
            yb__hosp_at(yb_visit_get(c->h->s, c->env->fixmedins_code,
                                     in[0].mdtrt_id, in[0].psn_no, c->a, &v, e),
                        "input.feedetail[0]", e);
    if (rc == YB_OK)
        snprintf(c->ref, sizeof c->ref, "%s", v.mdtrt_id);
    if (rc == YB_OK && strcmp(v.kind, kind) != 0)
        rc = yb_err_set(e, YB_EINVAL, "input.feedetail[0].mdtrt_id",
                        "就诊 %s 是%s，费用明细请用 %s (a visit of "
                        "another kind)",
                        v.mdtrt_id,
                        strcmp(v.kind, "inpatient") == 0 ? "住院" : "门诊",
                        strcmp(v.kind, "inpatient") == 0 ? "2301" : "2204");
    if (rc == YB_OK)
        rc = yb__hosp_catalogue(c->h, e);
    if (rc == YB_OK)
        rc = yb_datetime_parse(v.begntime, true, &day, NULL, "begntime", e);
    if (rc == YB_OK)
        rc = yb_visit_engine_inputs(c->h->s, &v, v.med_type, day, c->a, &view,
                                    e);
    if (rc == YB_OK)
        rc = yb__hosp_policy(c->h, &v, &view, day, &policy, e);
    for (int i = 0; rc == YB_OK && i < n; i++) {
        lines[i] = (struct yb_fee_line){.feedetl_sn = in[i].feedetl_sn,
                                        .med_list_codg = in[i].med_list_codg,
                                        .cnt = in[i].cnt,
                                        .pric = in[i].pric,
                                        .amount = in[i].amount};
        yb_datetime_parse(in[i].fee_ocur_time, false, &lines[i].fee_date, NULL,
                          "fee_ocur_time", NULL);
    }
    /* store first (its checks name the line), then classify */
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_fee_upload(c->h->s, c->env->fixmedins_code, in,
                                       (size_t)n, c->env->opter, c->now, e),
                         "input", e);
    if (rc == YB_OK)
        rc = yb_classify_lines(policy, &c->h->cat, &view.person, &view.visit,
                               lines, (size_t)n, res, e);
    if (rc == YB_EINVAL && strncmp(e->field, "input", 5) != 0) {
        char f[sizeof e->field];
        snprintf(f, sizeof f, "input.%.100s", e->field);
        memcpy(e->field, f, sizeof f);
    }
    cJSON *arr =
        rc == YB_OK ? cJSON_AddArrayToObject(c->output, "result") : NULL;
    if (rc == YB_OK && !arr)
        rc = yb_err_set(e, YB_ENOMEM, "result", "内存不足 (out of memory)");
    if (rc == YB_OK && yb_line_results_json(arr, res, (size_t)n) != YB_OK)
        rc = yb_err_set(e, YB_ENOMEM, "result", "内存不足 (out of memory)");
    return rc;
}

static int tx_2204(struct yb_hcall *c, struct yb_err *e)
{
    return yb__hosp_fee_upload(c, "outpatient", e);
}

/* ---- 2205 --------------------------------------------------------------- */

static int tx_2205(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *mdtrt_id, *chrg_bchno, *psn_no;
    long n = 0;
    int rc = yb__hosp_str(c, in, path, "mdtrt_id", true, 30, &mdtrt_id, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "chrg_bchno", true, 30, &chrg_bchno, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "psn_no", true, 30, &psn_no, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_fee_cancel(c->h->s, c->env->fixmedins_code,
                                       mdtrt_id, psn_no, chrg_bchno,
                                       c->env->opter, c->now, &n, e),
                         path, e);
    if (rc == YB_OK && !yb_json_add_int(c->output, "cancelled", n))
        rc = yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    return rc;
}

const struct yb_hosp_tx yb__hosp_visit[] = {
    {"2201", "门诊挂号", true, true, tx_2201},
    {"2202", "门诊挂号撤销", true, true, tx_2202},
    {"2203", "门诊就诊信息上传", true, true, tx_2203},
    {"2204", "门诊费用明细信息上传", true, true, tx_2204},
    {"2205", "门诊费用明细信息撤销", true, true, tx_2205},
    {NULL, NULL, false, false, NULL},
};
