/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record queries of the hospital interface (docs/hospital.md), each
 * read-only and, but for 5205, limited to the calling institution's own
 * visits:
 *   5201 就诊信息查询  input.data {psn_no, begntime, endtime, med_type,
 *                      mdtrt_id} → output.mdtrtinfo[]
 *   5202 诊断信息查询  input.data {psn_no, mdtrt_id} → output.diseinfo[]
 *   5204 费用明细查询  input.data {psn_no, mdtrt_id, setl_id} →
 *                      output.feedetail[], each line classified again by
 *                      the engine as 2204 answers it (when it can be)
 *   5205 人员慢特病用药记录查询  input.data {psn_no, begntime, endtime} →
 *                      output.feedetail[]: the person's chronic-disease
 *                      drug lines at EVERY institution, the one query
 *                      that crosses institutions (a doctor sees what the
 *                      person already got elsewhere)
 * The service layer (src/service/visit_query.c) reads the store and checks
 * that the visit is the person's and the institution's; this file reads
 * the input and renders the answer.
 */
#include <stdio.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/codec.h"
#include "yibao/date.h"
#include "yibao/money.h"
#include "yibao/visit.h"

/* A renderer's state: the first allocation failure sticks. */
struct out {
    bool oom;
};

static void put(struct out *o, cJSON *obj, const char *key, const char *v)
{
    if (!cJSON_AddStringToObject(obj, key, v ? v : ""))
        o->oom = true;
}

/* A decimal scaled by 10^scale as a JSON number ("2.0000"). */
static void put_dec(struct out *o, cJSON *obj, const char *key, int64_t v,
                    int scale)
{
    char buf[64];
    if (!cJSON_AddRawToObject(obj, key, yb_decimal_format(v, scale, buf)))
        o->oom = true;
}

static void put_money(struct out *o, cJSON *obj, const char *key, yb_fen v)
{
    if (!yb_json_add_money(obj, key, v))
        o->oom = true;
}

/* A new object appended to arr (NULL, and oom, on failure). */
static cJSON *push(struct out *o, cJSON *arr)
{
    cJSON *it = arr ? cJSON_CreateObject() : NULL;
    if (it && !cJSON_AddItemToArray(arr, it)) {
        cJSON_Delete(it);
        it = NULL;
    }
    if (!it)
        o->oom = true;
    return it;
}

static int oom(struct yb_err *e)
{
    return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
}

/* ---- 5201 --------------------------------------------------------------- */

/* The first of a visit's comma-separated diagnosis codes, into buf. */
static const char *main_diag(const char *codes, char *buf, size_t n)
{
    size_t k = codes ? strcspn(codes, ",") : 0;
    snprintf(buf, n, "%.*s", (int)(k < n ? k : n - 1), codes ? codes : "");
    return buf;
}

static void put_visit(struct out *o, cJSON *it, const struct yb_visit_row *r)
{
    const struct yb_visit_rec *v = &r->v;
    char diag[32];
    bool ipt = strcmp(v->kind, "inpatient") == 0;
    bool live = strcmp(v->status, "cancelled") != 0;
    const char *kv[][2] = {
        {"mdtrt_id", v->mdtrt_id},
        {"psn_no", v->psn_no},
        {"fixmedins_code", v->fixmedins_code},
        {"insutype", v->insutype},
        {"med_type", v->med_type},
        {"begntime", v->begntime},
        {"endtime", v->endtime},
        {"ipt_otp_no", v->ipt_otp_no},
        {"dise_codg", v->dise_codg},
        {"dise_name", v->dise_name},
        {"maindiag_code", main_diag(v->diag_codes, diag, sizeof diag)},
        {"atddr_no", r->atddr_no},
        {"dr_name", r->dr_name},
        {"dept_code", r->dept_code},
        {"dept_name", r->dept_name},
        {"caty", r->caty},
        {"insuplc_admdvs", r->insuplc_admdvs},
        {"mdtrtarea_admvs", r->mdtrtarea_admvs},
        {"vali_flag", live ? "1" : "0"},
        {"setl_flag", strcmp(v->status, "settled") == 0 ? "1" : "0"},
        /* 在院状态: a live stay not yet discharged; "" for outpatients */
        {"inhosp_stas", !ipt                  ? ""
                        : live && !v->endtime ? "1"
                                              : "0"},
    };
    for (size_t i = 0; i < sizeof kv / sizeof *kv; i++)
        put(o, it, kv[i][0], kv[i][1]);
}

static int tx_5201(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    struct yb_visit_query q = {.code = c->env->fixmedins_code};
    const struct yb_hosp_field f[] = {
        {"psn_no", &q.psn_no, 30, true},
        {"begntime", &q.from, 19, false},
        {"endtime", &q.to, 19, false},
        {"med_type", &q.med_type, 6, false},
        {"mdtrt_id", &q.mdtrt_id, 30, false},
    };
    struct yb_visit_row *v = NULL;
    size_t n = 0;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_visit_list(c->h->s, &q, c->a, &v, &n, e), path, e);
    if (rc != YB_OK)
        return rc;
    struct out o = {false};
    cJSON *arr = cJSON_AddArrayToObject(c->output, "mdtrtinfo");
    for (size_t i = 0; i < n && !o.oom; i++) {
        cJSON *it = push(&o, arr);
        if (it)
            put_visit(&o, it, &v[i]);
    }
    return arr && !o.oom ? YB_OK : oom(e);
}

/* ---- 5202 --------------------------------------------------------------- */

static int tx_5202(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *mdtrt_id;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, true},
        {"mdtrt_id", &mdtrt_id, 30, true},
    };
    struct yb_visit_rec v;
    struct yb_diag_rec *d = NULL;
    size_t n = 0;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_visit_of_person(c->h->s, c->env->fixmedins_code,
                                            psn_no, mdtrt_id, c->a, &v, e),
                         path, e);
    if (rc == YB_OK)
        rc = yb_visit_diagnoses(&v, c->a, &d, &n, e);
    if (rc != YB_OK)
        return rc;
    struct out o = {false};
    cJSON *arr = cJSON_AddArrayToObject(c->output, "diseinfo");
    for (size_t i = 0; i < n && !o.oom; i++) {
        cJSON *it = push(&o, arr);
        if (!it)
            break;
        put(&o, it, "mdtrt_id", v.mdtrt_id);
        put(&o, it, "psn_no", v.psn_no);
        put(&o, it, "diag_type", "1"); /* 西医诊断: the store keeps no type */
        if (!yb_json_add_int(it, "diag_srt_no", (int64_t)i + 1))
            o.oom = true;
        put(&o, it, "diag_code", d[i].code);
        put(&o, it, "diag_name", d[i].name);
        put(&o, it, "maindiag_flag", i == 0 ? "1" : "0");
        put(&o, it, "vali_flag", "1");
    }
    return arr && !o.oom ? YB_OK : oom(e);
}

/* ---- 5204 --------------------------------------------------------------- */

/* The lines classified against the catalogue as 2204 answers them
 * (yb_classify_lines, on the visit's day), into *res; NULL when the
 * engine cannot classify them — no policy in force for the visit's day,
 * no enrolment of the visit's year any more, a line the policy now refuses
 * — in which case the answer carries the stored fields only. */
static int classify(struct yb_hcall *c, const struct yb_visit_rec *v,
                    const struct yb_fee_rec *l, size_t n,
                    struct yb_line_result **res, struct yb_err *e)
{
    *res = NULL;
    if (n == 0)
        return YB_OK;
    struct yb_fee_line *lines = yb_arena_calloc(c->a, n, sizeof *lines);
    struct yb_line_result *r = yb_arena_calloc(c->a, n, sizeof *r);
    if (!lines || !r)
        return oom(e);
    for (size_t i = 0; i < n; i++) {
        lines[i] = (struct yb_fee_line){.feedetl_sn = l[i].feedetl_sn,
                                        .med_list_codg = l[i].med_list_codg,
                                        .cnt = l[i].cnt,
                                        .pric = l[i].pric,
                                        .amount = l[i].amount};
        yb_datetime_parse(l[i].fee_ocur_time, true, &lines[i].fee_date, NULL,
                          "fee_ocur_time", NULL);
    }
    struct yb_settle_out view = {0}; /* the engine's person and visit */
    const struct yb_policy *policy = NULL;
    struct yb_err why = {0};
    yb_date day = 0;
    int rc = yb__hosp_catalogue(c->h, e);
    if (rc != YB_OK)
        return rc;
    rc = yb_datetime_parse(v->begntime, true, &day, NULL, "begntime", &why);
    if (rc == YB_OK)
        rc = yb_visit_engine_inputs(c->h->s, v, v->med_type, day, c->a, &view,
                                    &why);
    if (rc == YB_OK)
        rc = yb__hosp_policy(c->h, v, &view, day, &policy, &why);
    if (rc == YB_OK)
        rc = yb_classify_lines(policy, &c->h->cat, &view.person, &view.visit,
                               lines, n, r, &why);
    if (rc == YB_EINVAL || rc == YB_ENOTCOVERED || rc == YB_EOVERFLOW)
        return YB_OK; /* not classifiable now: the stored fields only */
    if (rc != YB_OK) {
        *e = why;
        return rc;
    }
    *res = r;
    return YB_OK;
}

/* The classification's fields of one line (2204's result[] object r)
 * moved into the line's object it, after the stored fields. */
static void merge(struct out *o, cJSON *it, cJSON *r)
{
    cJSON *x = r ? r->child : NULL;
    while (x && !o->oom) {
        cJSON *next = x->next;
        if (x->string && !cJSON_GetObjectItemCaseSensitive(it, x->string)) {
            cJSON_DetachItemViaPointer(r, x);
            if (!cJSON_AddItemToObject(it, x->string, x)) {
                cJSON_Delete(x);
                o->oom = true;
            }
        }
        x = next;
    }
}

/* A fee line's quantity (1/10,000), price (micro-yuan) and amount (fen). */
static void put_amounts(struct out *o, cJSON *it, int64_t cnt, int64_t pric,
                        int64_t amount)
{
    put_dec(o, it, "cnt", cnt, 4);
    put_dec(o, it, "pric", pric, 6);
    put_money(o, it, "det_item_fee_sumamt", amount);
}

static void put_line(struct out *o, cJSON *it, const struct yb_visit_rec *v,
                     const struct yb_fee_rec *l)
{
    put(o, it, "feedetl_sn", l->feedetl_sn);
    put(o, it, "mdtrt_id", v->mdtrt_id);
    put(o, it, "psn_no", v->psn_no);
    put(o, it, "chrg_bchno", l->chrg_bchno);
    put(o, it, "fee_ocur_time", l->fee_ocur_time);
    put(o, it, "med_list_codg", l->med_list_codg);
    put(o, it, "medins_list_codg", l->medins_list_codg);
    put(o, it, "dise_codg", l->dise_codg);
    put(o, it, "hosp_appr_flag", l->hosp_appr_flag);
    put_amounts(o, it, l->cnt, l->pric, l->amount);
    put(o, it, "vali_flag", l->valid ? "1" : "0");
}

static int tx_5204(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *mdtrt_id, *setl_id;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, true},
        {"mdtrt_id", &mdtrt_id, 30, true},
        {"setl_id", &setl_id, 30, false},
    };
    struct yb_visit_rec v;
    struct yb_fee_rec *l = NULL;
    struct yb_line_result *res = NULL;
    size_t n = 0;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_visit_of_person(c->h->s, c->env->fixmedins_code,
                                            psn_no, mdtrt_id, c->a, &v, e),
                         path, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(yb_fee_lines(c->h->s, &v, setl_id, c->a, &l, &n, e),
                         path, e);
    if (rc == YB_OK)
        rc = classify(c, &v, l, n, &res, e);
    if (rc != YB_OK)
        return rc;
    struct out o = {false};
    cJSON *cls = res ? cJSON_CreateArray() : NULL;
    if (res && (!cls || yb_line_results_json(cls, res, n) != YB_OK))
        o.oom = true;
    cJSON *arr = cJSON_AddArrayToObject(c->output, "feedetail");
    cJSON *r = cls ? cls->child : NULL;
    for (size_t i = 0; i < n && !o.oom; i++) {
        cJSON *it = push(&o, arr);
        if (!it)
            break;
        put_line(&o, it, &v, &l[i]);
        merge(&o, it, r);
        r = r ? r->next : NULL;
    }
    cJSON_Delete(cls);
    return arr && !o.oom ? YB_OK : oom(e);
}

/* ---- 5205 --------------------------------------------------------------- */

static void put_drug(struct out *o, cJSON *it, const struct yb_drug_rec *l)
{
    put(o, it, "mdtrt_id", l->mdtrt_id);
    put(o, it, "psn_no", l->psn_no);
    put(o, it, "fixmedins_code", l->fixmedins_code);
    put(o, it, "fixmedins_name", l->fixmedins_name);
    put(o, it, "med_type", l->med_type);
    put(o, it, "dise_codg", l->dise_codg);
    put(o, it, "fee_ocur_time", l->fee_ocur_time);
    put(o, it, "med_list_codg", l->med_list_codg);
    put(o, it, "med_list_name", l->med_list_name);
    put_amounts(o, it, l->cnt, l->pric, l->amount);
    put(o, it, "setl_flag", l->settled ? "1" : "0");
}

static int tx_5205(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *from, *to;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, true},
        {"begntime", &from, 19, false},
        {"endtime", &to, 19, false},
    };
    struct yb_drug_rec *l = NULL;
    size_t n = 0;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb__hosp_at(
            yb_chronic_drug_lines(c->h->s, psn_no, from, to, c->a, &l, &n, e),
            path, e);
    if (rc != YB_OK)
        return rc;
    struct out o = {false};
    cJSON *arr = cJSON_AddArrayToObject(c->output, "feedetail");
    for (size_t i = 0; i < n && !o.oom; i++) {
        cJSON *it = push(&o, arr);
        if (it)
            put_drug(&o, it, &l[i]);
    }
    return arr && !o.oom ? YB_OK : oom(e);
}

const struct yb_hosp_tx yb__hosp_records[] = {
    {"5201", "就诊信息查询", true, false, tx_5201},
    {"5202", "诊断信息查询", true, false, tx_5202},
    {"5204", "费用明细查询", true, false, tx_5204},
    {"5205", "人员慢特病用药记录查询", true, false, tx_5205},
    {NULL, NULL, false, false, NULL},
};
