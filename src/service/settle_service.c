/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Settling a visit and reversing a settlement (include/yibao/visit.h):
 * the store's facts in, the engine's figures out, everything written in
 * one transaction.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrolment_int.h"
#include "yibao/date.h"
#include "yibao/dict.h"
#include "yibao/ledger.h"
#include "yibao/money.h"
#include "yibao/policyset.h"
#include "yibao/registry.h"
#include "yibao/visit.h"

/* ---- reading the facts ---------------------------------------------------
 */

/* A fee line with its row id: lines are settled in the order they were
 * uploaded. They are sorted here rather than by ORDER BY id, which would
 * have SQLite build a temporary b-tree at every settlement (the visit's
 * lines come through the index of serial numbers). */
struct line_row {
    int64_t id;
    struct yb_fee_line l;
};

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const struct line_row *)a)->id;
    int64_t y = ((const struct line_row *)b)->id;
    return (x > y) - (x < y);
}

static int load_lines(yb_store *s, const char *mdtrt_id, struct yb_arena *a,
                      struct yb_fee_line **out, size_t *n, struct yb_err *e)
{
    yb_stmt *st;
    size_t cap = 0, k = 0;
    struct line_row *v = NULL;
    int rc = yb_store_prepare(s,
                              "SELECT feedetl_sn, med_list_codg, cnt, pric, "
                              "amount, fee_ocur_time, id FROM fee_line WHERE "
                              "mdtrt_id = $1 AND status = 'valid'",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, mdtrt_id);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        if (!(v = yb__svc_grow(a, v, k, &cap, sizeof *v))) {
            rc = yb_err_set(e, YB_ENOMEM, "fee_line",
                            "内存不足 (out of memory)");
            break;
        }
        struct line_row *r = &v[k++];
        struct yb_fee_line *l = &r->l;
        l->feedetl_sn = yb_arena_strdup(a, yb_stmt_text(st, 0));
        l->med_list_codg = yb_arena_strdup(a, yb_stmt_text(st, 1));
        l->cnt = yb_stmt_int(st, 2);
        l->pric = yb_stmt_int(st, 3);
        l->amount = yb_stmt_int(st, 4);
        yb_datetime_parse(yb_stmt_text(st, 5), false, &l->fee_date, NULL,
                          "fee_ocur_time", NULL);
        r->id = yb_stmt_int(st, 6);
        if (!l->feedetl_sn || !l->med_list_codg) {
            rc = yb_err_set(e, YB_ENOMEM, "fee_line",
                            "内存不足 (out of memory)");
            break;
        }
    }
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    if (k > 1)
        qsort(v, k, sizeof *v, by_id);
    struct yb_fee_line *lines = yb_arena_alloc(a, sizeof *lines * (k ? k : 1));
    if (!lines)
        return yb_err_set(e, YB_ENOMEM, "fee_line", "内存不足 (out of memory)");
    for (size_t i = 0; i < k; i++)
        lines[i] = v[i].l;
    *out = lines;
    *n = k;
    return YB_OK;
}

static int load_accums(yb_store *s, const char *psn_no, int year,
                       struct yb_arena *a, struct yb_accums *out,
                       struct yb_err *e)
{
    yb_stmt *st;
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    out->year = year;
    out->items = yb__svc_grow(a, NULL, 0, &cap, sizeof *out->items);
    int rc = out->items ? yb_store_prepare(s,
                                           "SELECT key, value FROM "
                                           "accumulator WHERE psn_no = $1 "
                                           "AND year = $2 ORDER BY key",
                                           &st, e)
                        : yb_err_set(e, YB_ENOMEM, "accumulator",
                                     "内存不足 (out of memory)");
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    yb_stmt_bind_int(st, 2, year);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        out->items = yb__svc_grow(a, out->items, (size_t)out->n, &cap,
                                  sizeof *out->items);
        if (!out->items) {
            rc = yb_err_set(e, YB_ENOMEM, "accumulator",
                            "内存不足 (out of memory)");
            break;
        }
        out->items[out->n].key = yb_arena_strdup(a, yb_stmt_text(st, 0));
        out->items[out->n++].value = yb_stmt_int(st, 1);
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int text_of(yb_store *s, const char *sql, const char *arg,
                   struct yb_arena *a, const char **out, struct yb_err *e)
{
    yb_stmt *st;
    *out = NULL;
    int rc = yb_store_prepare(s, sql, &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, arg);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW && yb_stmt_text(st, 0))
        *out = yb_arena_strdup(a, yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

/* An institution's level and region (NULL when it has none). */
static int institution_of(yb_store *s, const char *code, struct yb_arena *a,
                          const char **lv, const char **admdvs,
                          struct yb_err *e)
{
    yb_stmt *st;
    *lv = *admdvs = NULL;
    int rc = yb_store_prepare(s,
                              "SELECT hosp_lv, admdvs FROM institution WHERE "
                              "fixmedins_code = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, code);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW && yb_stmt_text(st, 0))
        *lv = yb_arena_strdup(a, yb_stmt_text(st, 0));
    if (rc == YB_ROW && yb_stmt_text(st, 1))
        *admdvs = yb_arena_strdup(a, yb_stmt_text(st, 1));
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

/* The engine's person and visit from the store's records. */
int yb_visit_engine_inputs(yb_store *s, const struct yb_visit_rec *v,
                           const char *med_type, yb_date day,
                           struct yb_arena *a, struct yb_settle_out *o,
                           struct yb_err *e)
{
    struct yb_person_rec pr;
    struct yb_enrolment en;
    bool found = false;
    const char *lv = NULL, *inst_admdvs = NULL;
    char pool[7];
    int rc = yb_person_find(s, v->psn_no, a, &pr, e);
    if (rc == YB_OK)
        rc = yb__enrol_live(s, v->psn_no, yb__enrol_scheme(v->insutype),
                            yb_date_year(day), &en, &found, e);
    if (rc == YB_OK && !found)
        return yb_err_set(e, YB_ENOTCOVERED, "psn_no",
                          "人员 %s 未参加 %d 年度险种 %s (not enrolled)",
                          v->psn_no, yb_date_year(day), v->insutype);
    if (rc == YB_OK)
        rc = yb_identity_on(s, v->psn_no, day, &o->person.idets, e);
    if (rc == YB_OK)
        rc = institution_of(s, v->fixmedins_code, a, &lv, &inst_admdvs, e);
    if (rc == YB_OK)
        rc = yb__svc_pooling(s, inst_admdvs ? inst_admdvs : en.admdvs, pool, e);
    if (rc != YB_OK)
        return rc;
    struct yb_person *p = &o->person;
    p->psn_no = yb_arena_strdup(a, v->psn_no);
    p->psn_type = yb_dict_index(YB_DICT_PSN_TYPE, en.psn_type);
    p->tier = en.tier > 0 ? en.tier : 1;
    p->gender = pr.gend;
    p->birth = pr.brdy;
    o->psn_name = pr.psn_name;
    struct yb_visit *ev = &o->visit;
    memset(ev, 0, sizeof *ev);
    ev->mdtrt_id = yb_arena_strdup(a, v->mdtrt_id);
    ev->med_type = yb_dict_index(YB_DICT_MED_TYPE, med_type);
    ev->hosp_lv = yb_dict_index(YB_DICT_HOSP_LV, lv ? lv : "unrated");
    if (ev->hosp_lv < 0)
        ev->hosp_lv = yb_dict_index(YB_DICT_HOSP_LV, "unrated");
    snprintf(ev->insuplc_admdvs, sizeof ev->insuplc_admdvs, "%.6s", en.admdvs);
    snprintf(ev->mdtrtarea_admvs, sizeof ev->mdtrtarea_admvs, "%.6s", pool);
    yb_datetime_parse(v->begntime, true, &ev->begin, NULL, "begntime", NULL);
    ev->end = day;
    /* diagnoses: the visit's codes, main first */
    if (v->diag_codes && *v->diag_codes) {
        int n = 1;
        for (const char *c = v->diag_codes; *c; c++)
            n += *c == ',';
        const char **d = yb_arena_alloc(a, sizeof *d * (size_t)n);
        char *copy = yb_arena_strdup(a, v->diag_codes);
        if (!d || !copy)
            return yb_err_set(e, YB_ENOMEM, "diagnoses",
                              "内存不足 (out of memory)");
        int k = 0;
        for (char *t = strtok(copy, ","); t && k < n; t = strtok(NULL, ","))
            d[k++] = t;
        ev->diseases = d;
        ev->n_diseases = k;
    }
    if (v->dise_codg && *v->dise_codg)
        ev->chronic_disease = v->dise_codg;
    return YB_OK;
}

/* ---- writing it ----------------------------------------------------------
 */

static const char *expense_of(const char *fund)
{
    if (strcmp(fund, YB_FUND_BASIC) == 0)
        return YB_ACC_EXP_BASIC;
    if (strcmp(fund, YB_FUND_CRITICAL) == 0)
        return YB_ACC_EXP_CRITICAL;
    if (strcmp(fund, YB_FUND_ASSIST) == 0)
        return YB_ACC_EXP_ASSIST;
    return NULL;
}

/* Each fund's payment (one setldetail row a fund): Dr its expense / Cr
 * 2101, or the reverse. The postings live in arena a: two a fund, for as
 * many funds as the settlement has (none is dropped). */
static int post(yb_store *s, int64_t ev, const char *period,
                const struct yb_settlement *st, bool reverse, const char *memo,
                struct yb_arena *a, struct yb_err *e)
{
    size_t n = 0;
    struct yb_posting *l =
        yb_arena_alloc(a, sizeof *l * 2 * ((size_t)st->n_setldetail + 1));
    if (!l)
        return yb_err_set(e, YB_ENOMEM, "ledger", "内存不足 (out of memory)");
    for (int i = 0; i < st->n_setldetail; i++) {
        const struct yb_setldetail *d = &st->setldetail[i];
        if (d->fund_payamt == 0)
            continue;
        const char *exp = expense_of(d->fund_pay_type);
        if (!exp)
            return yb_err_set(
                e, YB_EPOLICY, "fund_pay_type",
                "基金 %s 不在会计科目中 (fund not in the chart of accounts)",
                d->fund_pay_type);
        yb_fen v = d->fund_payamt;
        l[n++] = (struct yb_posting){d->fund_pay_type,
                                     reverse ? YB_ACC_PAYABLE_INSTITUTION : exp,
                                     v, 0, memo};
        l[n++] = (struct yb_posting){d->fund_pay_type,
                                     reverse ? exp : YB_ACC_PAYABLE_INSTITUTION,
                                     0, v, memo};
    }
    assert(n <= 2 * (size_t)st->n_setldetail);
    return n ? yb_ledger_post(s, ev, period, l, n, e) : YB_OK;
}

static int exec_bind(yb_store *s, const char *sql, const char *const *t, int nt,
                     const int64_t *v, int nv, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);
    if (rc != YB_OK)
        return rc;
    for (int i = 0; i < nt; i++)
        yb_stmt_bind_text(st, i + 1, t[i]);
    for (int i = 0; i < nv; i++)
        yb_stmt_bind_int(st, nt + i + 1, v[i]);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int insert_settlement(yb_store *s, const struct yb_settle_out *o,
                             const char *code, const char *med_type,
                             const char *trace, const char *status,
                             const char *reverses, int sign, int64_t ev,
                             struct yb_err *e)
{
    const struct yb_setlinfo *i = &o->s.info;
    const char *t[] = {o->setl_id,
                       o->visit.mdtrt_id,
                       o->person.psn_no,
                       code,
                       o->setl_time,
                       med_type,
                       trace,
                       status,
                       reverses};
    int64_t v[] = {o->policy_id,
                   yb_date_year(o->visit.end),
                   i->pool_prop_selfpay, /* a ratio: a reversal's is its
                                            original's */
                   sign * i->medfee_sumamt,
                   sign * i->fulamt_ownpay_amt,
                   sign * i->overlmt_selfpay,
                   sign * i->preselfpay_amt,
                   sign * i->inscp_scp_amt,
                   sign * i->act_pay_dedc,
                   sign * i->hifp_pay,
                   sign * i->hifmi_pay,
                   sign * i->maf_pay,
                   sign * i->oth_pay,
                   sign * i->fund_pay_sumamt,
                   sign * i->psn_part_amt,
                   sign * i->psn_cash_pay,
                   ev};
    return exec_bind(
        s,
        "INSERT INTO settlement (setl_id, mdtrt_id, psn_no, fixmedins_code, "
        "setl_time, med_type, trace, status, reverses, policy_id, year, "
        "pool_prop_selfpay, medfee_sumamt, fulamt_ownpay_amt, "
        "overlmt_selfpay, preselfpay_amt, inscp_scp_amt, act_pay_dedc, "
        "hifp_pay, hifmi_pay, maf_pay, oth_pay, fund_pay_sumamt, "
        "psn_part_amt, psn_cash_pay, event_id) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7, $8, $9, NULLIF($10, 0), $11, $12, $13, $14, $15, $16, $17, "
        "$18, $19, $20, $21, $22, $23, $24, $25, $26)",
        t, 9, v, 17, e);
}

/* One row per fund (setldetail), as the answer showed it. */
static int insert_funds(yb_store *s, const struct yb_settle_out *o,
                        struct yb_arena *a, struct yb_err *e)
{
    int rc = YB_OK;
    for (int i = 0; rc == YB_OK && i < o->s.n_setldetail; i++) {
        const struct yb_setldetail *d = &o->s.setldetail[i];
        const char *proc = yb_setldetail_proc_info(&o->s, i, a);
        if (!proc)
            return yb_err_set(e, YB_ENOMEM, "setl_proc_info",
                              "内存不足 (out of memory)");
        const char *t[] = {o->setl_id, d->fund_pay_type, proc};
        int64_t v[] = {i, d->inscp_scp_amt, d->crt_payb_lmt_amt,
                       d->fund_payamt};
        rc = exec_bind(s,
                       "INSERT INTO settlement_fund (setl_id, fund_pay_type, "
                       "setl_proc_info, seq, inscp_scp_amt, crt_payb_lmt_amt, "
                       "fund_payamt) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                       t, 3, v, 4, e);
    }
    return rc;
}

/* Add delta to the person's accumulator key (creating it). */
static int accum_add(yb_store *s, const char *psn_no, int year, const char *key,
                     int64_t delta, struct yb_err *e)
{
    const char *t[] = {psn_no, key};
    int64_t v[] = {year, delta};
    return exec_bind(s,
                     "INSERT INTO accumulator (psn_no, key, year, value) "
                     "VALUES ($1, $2, $3, $4) ON CONFLICT (psn_no, year, key) "
                     "DO UPDATE SET value = value + excluded.value",
                     t, 2, v, 2, e);
}

/* The accumulators: after - before for every key the engine returned. */
static int write_accums(yb_store *s, const struct yb_settle_out *o,
                        const struct yb_accums *before, struct yb_err *e)
{
    int rc = YB_OK;
    int year = yb_date_year(o->visit.end);
    for (int i = 0; rc == YB_OK && i < o->s.after.n; i++) {
        const struct yb_accum *x = &o->s.after.items[i];
        int64_t delta = x->value - yb_accums_get(before, x->key);
        if (delta == 0)
            continue;
        rc = accum_add(s, o->person.psn_no, year, x->key, delta, e);
        const char *t[] = {o->setl_id, x->key};
        int64_t v[] = {delta};
        if (rc == YB_OK)
            rc = exec_bind(s,
                           "INSERT INTO settlement_accum (setl_id, key, delta) "
                           "VALUES ($1, $2, $3)",
                           t, 2, v, 1, e);
    }
    return rc;
}

static int set_visit(yb_store *s, const char *mdtrt_id, const char *status,
                     const char *med_type, struct yb_err *e)
{
    const char *t[] = {mdtrt_id, status, med_type};
    return exec_bind(s,
                     "UPDATE visit SET status = $2, med_type = COALESCE($3, "
                     "med_type) WHERE mdtrt_id = $1",
                     t, 3, NULL, 0, e);
}

static int next_setl_id(yb_store *s, const char *region, char out[32],
                        struct yb_err *e)
{
    int64_t next = 0;
    int rc = yb__svc_next_number(
        s,
        "SELECT MAX(setl_id) FROM settlement WHERE setl_id BETWEEN $1 AND $2",
        region, &next, e);
    snprintf(out, 32, "%.6s%014lld", region, (long long)next);
    return rc;
}

/* ---- settle --------------------------------------------------------------
 */

struct settle_run {
    const struct yb_policy *p;  /* given, or picked from the set */
    struct yb_policy_pick pick; /* what was picked (id 0: given) */
    const struct yb_catalogue *cat;
    const struct yb_settle_req *r;
    struct yb_arena *a;
    struct yb_settle_out *out;
};

static int check_total(const struct yb_settle_req *r,
                       const struct yb_fee_line *l, size_t n, struct yb_err *e)
{
    yb_fen sum = 0;
    char a[32], b[32];
    if (n == 0)
        return yb_err_set(e, YB_EINVAL, "medfee_sumamt",
                          "就诊 %s 没有有效的费用明细 (no fee lines)",
                          r->mdtrt_id);
    for (size_t i = 0; i < n; i++)
        if (yb_money_add(sum, l[i].amount, &sum) != YB_OK)
            return yb_err_set(e, YB_EOVERFLOW, "medfee_sumamt",
                              "数值溢出 (overflow)");
    if (sum != r->medfee_sumamt)
        return yb_err_set(
            e, YB_EINVAL, "medfee_sumamt",
            "金额 %s 与费用明细合计 %s 不符 (differs from the lines' total)",
            yb_money_format(r->medfee_sumamt, a), yb_money_format(sum, b));
    return YB_OK;
}

static int store_it(yb_store *s, struct settle_run *x, const char *med_type,
                    const struct yb_accums *before, struct yb_err *e)
{
    struct yb_settle_out *o = x->out;
    const struct yb_settle_req *r = x->r;
    int64_t ev = 0;
    char period[8];
    struct yb_actor who = {.name = r->actor, .now = r->now};
    const char *trace = yb_trace_text(&o->s, x->a);
    if (trace && x->pick.id) {
        /* the version's line, then the trace (copied: through printf's
         * "%s" it cost a twentieth of a settlement) */
        const char *head = yb_arena_printf(
            x->a,
            "政策版本 policy version %lld: %s (%.6s %s %d, blake2b %.12s)\n",
            (long long)x->pick.id, x->p->name, x->p->region, x->p->insutype,
            x->p->year, x->pick.digest);
        size_t hn = head ? strlen(head) : 0, tn = strlen(trace);
        char *both = head ? yb_arena_alloc(x->a, hn + tn + 1) : NULL;
        if (both) {
            memcpy(both, head, hn);
            memcpy(both + hn, trace, tn + 1);
        }
        trace = both;
    }
    if (!trace)
        return yb_err_set(e, YB_ENOMEM, "trace", "内存不足 (out of memory)");
    int rc = next_setl_id(s, r->region, o->setl_id, e);
    if (rc == YB_OK)
        rc = yb__svc_event(s, &who, "settlement", o->setl_id, &ev, e);
    if (rc == YB_OK)
        rc = insert_settlement(s, o, r->fixmedins_code, med_type, trace,
                               "settled", NULL, 1, ev, e);
    if (rc == YB_OK)
        rc = insert_funds(s, o, x->a, e);
    if (rc == YB_OK)
        rc = write_accums(s, o, before, e);
    snprintf(period, sizeof period, "%.7s", r->now);
    if (rc == YB_OK)
        rc = post(s, ev, period, &o->s, false, o->setl_id, x->a, e);
    if (rc == YB_OK)
        rc = set_visit(s, r->mdtrt_id, "settled", med_type, e);
    if (rc == YB_EDUPLICATE || rc == YB_ECONSTRAINT)
        rc = yb_err_set(e, YB_EDUPLICATE, "mdtrt_id",
                        "就诊 %s 已结算 (settled already)", r->mdtrt_id);
    return rc;
}

/* A settlement names the visit as registered (2201/2203, 2401/2403): its
 * medical type (an outpatient visit settled as 21 would be paid inpatient
 * benefits and counted as an admission), its insurance type and the
 * person's certificate. */
static int check_as_registered(yb_store *s, const struct yb_settle_req *r,
                               const struct yb_visit_rec *v, struct yb_arena *a,
                               struct yb_err *e)
{
    bool ipt = strcmp(v->kind, "inpatient") == 0;
    if (r->med_type && *r->med_type && strcmp(r->med_type, v->med_type) != 0)
        return yb_err_set(e, YB_EINVAL, "med_type",
                          "医疗类别 \"%s\" 与登记的%s就诊 %s 的医疗类别 %s "
                          "不符（变更请用 %s）(med_type differs from the "
                          "visit)",
                          r->med_type, ipt ? "住院" : "门诊", v->mdtrt_id,
                          v->med_type, ipt ? "2403" : "2203");
    if (r->insutype && strcmp(r->insutype, v->insutype) != 0)
        return yb_err_set(e, YB_EINVAL, "insutype",
                          "险种 \"%s\" 与就诊 %s 登记的险种 %s 不符 "
                          "(insutype differs from the visit)",
                          r->insutype, v->mdtrt_id, v->insutype);
    if (!r->mdtrt_cert_type)
        return YB_OK;
    const char *want = v->mdtrt_cert_type[0] ? v->mdtrt_cert_type : NULL;
    bool id_card = strcmp(r->mdtrt_cert_type, "02") == 0 ||
                   strcmp(r->mdtrt_cert_type, "03") == 0;
    if (!id_card || (want && strcmp(r->mdtrt_cert_type, want) != 0))
        return yb_err_set(e, YB_EINVAL, "mdtrt_cert_type",
                          "就诊凭证类型 \"%s\" 与就诊 %s 登记的 %s 不符 "
                          "(certificate type differs from the visit)",
                          r->mdtrt_cert_type, v->mdtrt_id,
                          want ? want : "02/03");
    struct yb_person_rec p;
    int rc = yb_person_find(s, v->psn_no, a, &p, e);
    if (rc == YB_OK &&
        (!r->mdtrt_cert_no || strcmp(r->mdtrt_cert_no, p.certno) != 0))
        return yb_err_set(e, YB_EINVAL, "mdtrt_cert_no",
                          "就诊凭证号码与就诊 %s 登记的人员 %s 的证件不符 "
                          "(certificate differs from the visit's person)",
                          v->mdtrt_id, v->psn_no);
    return rc;
}

/* The policy: the one given, or the version of the set in force for the
 * person's pooling region (o->visit.insuplc_admdvs, their enrolment's),
 * the visit's insurance type and the deciding day. */
static int policy_of(yb_store *s, struct settle_run *x,
                     const struct yb_visit_rec *v, yb_date day,
                     struct yb_err *e)
{
    if (x->p)
        return YB_OK;
    if (!x->r->policies)
        return yb_err_set(e, YB_EPOLICY, "policy",
                          "没有可用的待遇政策 (no policy given)");
    int rc = yb_policy_cache_in_force(x->r->policies, s,
                                      x->out->visit.insuplc_admdvs, v->insutype,
                                      day, &x->pick, e);
    if (rc != YB_OK)
        return rc;
    x->p = x->pick.policy;
    x->out->policy_id = x->pick.id;
    return YB_OK;
}

static int settle_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct settle_run *x = arg;
    const struct yb_settle_req *r = x->r;
    struct yb_settle_out *o = x->out;
    struct yb_visit_rec v;
    struct yb_fee_line *lines = NULL;
    size_t n = 0;
    struct yb_accums before;
    yb_date day;
    int rc =
        yb_visit_get(s, r->fixmedins_code, r->mdtrt_id, r->psn_no, x->a, &v, e);
    if (rc == YB_OK && strcmp(v.status, "open") != 0)
        return yb_err_set(
            e, strcmp(v.status, "settled") == 0 ? YB_EDUPLICATE : YB_EINVAL,
            "mdtrt_id", "就诊 %s 已%s (visit %s)", r->mdtrt_id,
            strcmp(v.status, "settled") == 0 ? "结算" : "撤销", v.status);
    if (rc == YB_OK)
        rc = check_as_registered(s, r, &v, x->a, e);
    const char *med_type = v.med_type;
    if (rc == YB_OK && yb_dict_index(YB_DICT_MED_TYPE, med_type) < 0)
        return yb_err_set(e, YB_EINVAL, "med_type",
                          "未知的医疗类别 \"%s\" (unknown med_type)", med_type);
    /* an outpatient visit is one day: its fees, cover and year are those
     * of the visit's day, whenever it is settled */
    if (rc == YB_OK)
        rc = yb_datetime_parse(r->now, false, &day, NULL, "setl_time", e);
    if (rc == YB_OK && strcmp(v.kind, "outpatient") == 0)
        rc = yb_datetime_parse(v.begntime, true, &day, NULL, "begntime", e);
    /* a stay is settled at discharge: its day decides the year */
    if (rc == YB_OK && strcmp(v.kind, "inpatient") == 0 && !v.endtime)
        return yb_err_set(e, YB_EINVAL, "mdtrt_id",
                          "住院 %s 尚未办理出院 (2402 first)", r->mdtrt_id);
    if (rc == YB_OK && strcmp(v.kind, "inpatient") == 0)
        rc = yb_datetime_parse(v.endtime, true, &day, NULL, "endtime", e);
    if (rc == YB_OK)
        rc = load_lines(s, r->mdtrt_id, x->a, &lines, &n, e);
    if (rc == YB_OK)
        rc = check_total(r, lines, n, e);
    if (rc == YB_OK)
        rc = yb_visit_engine_inputs(s, &v, med_type, day, x->a, o, e);
    if (rc == YB_OK)
        rc = policy_of(s, x, &v, day, e);
    if (rc == YB_OK)
        rc = load_accums(s, v.psn_no, yb_date_year(day), x->a, &before, e);
    if (rc == YB_OK)
        rc = yb__ci_years(s, x->p, v.psn_no, v.insutype, &o->visit, &o->person,
                          e);
    if (rc == YB_OK)
        rc = yb_settle(x->p, x->cat, &o->person, &o->visit, lines, n, &before,
                       x->a, &o->s, e);
    o->insutype = yb_arena_strdup(x->a, v.insutype);
    o->setl_time = r->now;
    if (rc == YB_OK && r->store)
        rc = store_it(s, x, med_type, &before, e);
    return rc;
}

int yb_visit_settle(yb_store *s, const struct yb_policy *p,
                    const struct yb_catalogue *cat,
                    const struct yb_settle_req *r, struct yb_arena *a,
                    struct yb_settle_out *out, struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    struct settle_run x = {.p = p, .cat = cat, .r = r, .a = a, .out = out};
    if (!r->store)
        return settle_run(s, &x, e);
    int rc = yb__svc_in_txn(s, settle_run, &x, e);
    if (rc != YB_OK)
        out->setl_id[0] = '\0';
    return rc;
}

/* ---- reverse -------------------------------------------------------------
 */

struct rev_run {
    const char *code, *setl_id, *mdtrt_id, *psn_no, *region, *actor, *now;
    char *new_id;
    struct yb_arena *a; /* the reversal's rows, freed when it is done */
};

/* Undo the accumulators a settlement added, key by key (every key it
 * added, read into arena a). */
static int undo_accums(yb_store *s, const char *setl_id, const char *psn_no,
                       int year, struct yb_arena *a, struct yb_err *e)
{
    yb_stmt *st;
    struct undo {
        const char *key;
        int64_t delta;
    } *d = NULL;
    size_t n = 0, cap = 0;
    int rc = yb_store_prepare(s,
                              "SELECT key, delta FROM settlement_accum WHERE "
                              "setl_id = $1 ORDER BY key",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, setl_id);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        if (!(d = yb__svc_grow(a, d, n, &cap, sizeof *d)) ||
            !(d[n].key = yb_arena_strdup(a, yb_stmt_text(st, 0)))) {
            rc = yb_err_set(e, YB_ENOMEM, "accumulator",
                            "内存不足 (out of memory)");
            break;
        }
        d[n++].delta = yb_stmt_int(st, 1);
    }
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    rc = YB_OK;
    for (size_t i = 0; rc == YB_OK && i < n; i++)
        rc = accum_add(s, psn_no, year, d[i].key, -d[i].delta, e);
    return rc;
}

/* The fund rows of settlement setl_id, as the engine's setldetail rows
 * (fund and payment only), into back; strings and rows in arena a. */
static int fund_rows(yb_store *s, const char *setl_id, struct yb_arena *a,
                     struct yb_settlement *back, struct yb_err *e)
{
    yb_stmt *st;
    size_t cap = 0;
    int rc = yb_store_prepare(s,
                              "SELECT fund_pay_type, fund_payamt FROM "
                              "settlement_fund WHERE setl_id = $1 ORDER BY seq",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, setl_id);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        size_t k = (size_t)back->n_setldetail;
        struct yb_setldetail *d =
            yb__svc_grow(a, back->setldetail, k, &cap, sizeof *d);
        const char *fund = d ? yb_arena_strdup(a, yb_stmt_text(st, 0)) : NULL;
        if (!fund) {
            rc = yb_err_set(e, YB_ENOMEM, "settlement_fund",
                            "内存不足 (out of memory)");
            break;
        }
        d[k] = (struct yb_setldetail){.fund_pay_type = fund,
                                      .fund_payamt = yb_stmt_int(st, 1)};
        back->setldetail = d;
        back->n_setldetail++;
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int rev_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct rev_run *x = arg;
    yb_stmt *st;
    char status[16] = "", mdtrt[32] = "", psn[32] = "", code[32] = "";
    int year = 0;
    int rc = yb_store_prepare(s,
                              "SELECT status, mdtrt_id, psn_no, "
                              "fixmedins_code, year FROM settlement WHERE "
                              "setl_id = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->setl_id);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        snprintf(status, sizeof status, "%s", yb_stmt_text(st, 0));
        snprintf(mdtrt, sizeof mdtrt, "%s", yb_stmt_text(st, 1));
        snprintf(psn, sizeof psn, "%s", yb_stmt_text(st, 2));
        snprintf(code, sizeof code, "%s", yb_stmt_text(st, 3));
        year = (int)yb_stmt_int(st, 4);
    }
    yb_stmt_reset(st);
    if (rc == YB_DONE || (rc == YB_ROW && strcmp(code, x->code) != 0))
        return yb_err_set(e, YB_ENOTFOUND, "setl_id",
                          "结算 %s 不存在或不属于本机构 (no such settlement)",
                          x->setl_id);
    if (rc != YB_ROW)
        return rc;
    if (strcmp(mdtrt, x->mdtrt_id) != 0)
        return yb_err_set(e, YB_EINVAL, "mdtrt_id",
                          "结算 %s 属于就诊 %s (another visit's)", x->setl_id,
                          mdtrt);
    if (x->psn_no && *x->psn_no && strcmp(psn, x->psn_no) != 0)
        return yb_err_set(
            e, YB_EINVAL, "psn_no",
            "人员 %s 不是结算 %s 的参保人 (not the settlement's person)",
            x->psn_no, x->setl_id);
    if (strcmp(status, "settled") != 0)
        return yb_err_set(
            e, YB_EINVAL, "setl_id", "结算 %s 已%s (%s)", x->setl_id,
            strcmp(status, "reversed") == 0 ? "冲销" : "是冲销记录", status);
    /* Year-to-date figures build on each other: a settlement is reversed
     * after every later one of the person's year, or the year's total
     * would no longer be one settlement of its sum. */
    const char *later = NULL;
    struct yb_arena la;
    yb_arena_init(&la, 256);
    rc = text_of(s,
                 "SELECT b.setl_id FROM settlement a JOIN settlement b ON "
                 "b.psn_no = a.psn_no AND b.year = a.year AND b.status = "
                 "'settled' AND b.event_id > a.event_id WHERE a.setl_id = $1 "
                 "ORDER BY b.event_id DESC LIMIT 1",
                 x->setl_id, &la, &later, e);
    if (rc == YB_OK && later)
        rc = yb_err_set(e, YB_EINVAL, "setl_id",
                        "请先撤销同年度其后的结算 %s（累计值逐笔相加）(reverse "
                        "the later settlement first)",
                        later);
    yb_arena_free(&la);
    if (rc != YB_OK)
        return rc;
    int64_t ev = 0;
    struct yb_actor who = {.name = x->actor, .now = x->now};
    rc = next_setl_id(s, x->region, x->new_id, e);
    if (rc == YB_OK)
        rc = yb__svc_event(s, &who, "settlement.reverse", x->setl_id, &ev, e);
    const char *t[] = {x->new_id, x->setl_id, x->now};
    int64_t v[] = {ev};
    if (rc == YB_OK)
        rc = exec_bind(
            s,
            "INSERT INTO settlement (setl_id, reverses, setl_time, mdtrt_id, "
            "psn_no, fixmedins_code, year, med_type, pool_prop_selfpay, "
            "medfee_sumamt, "
            "fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, "
            "inscp_scp_amt, act_pay_dedc, hifp_pay, hifmi_pay, maf_pay, "
            "oth_pay, fund_pay_sumamt, psn_part_amt, psn_cash_pay, trace, "
            "status, event_id, policy_id) SELECT $1, $2, $3, mdtrt_id, "
            "psn_no, fixmedins_code, year, med_type, pool_prop_selfpay, "
            "-medfee_sumamt, "
            "-fulamt_ownpay_amt, -overlmt_selfpay, -preselfpay_amt, "
            "-inscp_scp_amt, -act_pay_dedc, -hifp_pay, -hifmi_pay, -maf_pay, "
            "-oth_pay, -fund_pay_sumamt, -psn_part_amt, -psn_cash_pay, "
            "'冲销 ' || setl_id, 'reversal', $4, policy_id FROM settlement "
            "WHERE setl_id = $2",
            t, 3, v, 1, e);
    const char *t2[] = {x->setl_id};
    if (rc == YB_OK)
        rc = exec_bind(s,
                       "UPDATE settlement SET status = 'reversed' WHERE "
                       "setl_id = $1",
                       t2, 1, NULL, 0, e);
    if (rc == YB_OK)
        rc = undo_accums(s, x->setl_id, psn, year, x->a, e);
    /* the ledger: each fund's payment back */
    struct yb_settlement back = {0};
    if (rc == YB_OK)
        rc = fund_rows(s, x->setl_id, x->a, &back, e);
    char period[8];
    snprintf(period, sizeof period, "%.7s", x->now);
    if (rc == YB_OK)
        rc = post(s, ev, period, &back, true, x->new_id, x->a, e);
    if (rc == YB_OK)
        rc = set_visit(s, mdtrt, "open", NULL, e);
    return rc;
}

int yb_settlement_reverse(yb_store *s, const char *code, const char *setl_id,
                          const char *mdtrt_id, const char *psn_no,
                          const char *region, const char *actor,
                          const char *now, char new_setl_id[32],
                          struct yb_err *e)
{
    struct yb_arena a;
    yb_arena_init(&a, 4096);
    struct rev_run x = {code,  setl_id, mdtrt_id,    psn_no, region,
                        actor, now,     new_setl_id, &a};
    new_setl_id[0] = '\0';
    int rc = yb__svc_in_txn(s, rev_run, &x, e);
    if (rc != YB_OK)
        new_setl_id[0] = '\0';
    yb_arena_free(&a);
    return rc;
}

/* One stored fund row into out->funds: rows of one fund are summed, as
 * setldetail shows them (a settlement stored before migration 15 may
 * hold one row per round). A reversal's amounts are its original's
 * negated; the limit stays the original's. */
static int add_fund_row(struct yb_setl_rec *out, yb_stmt *st, int sign,
                        struct yb_err *e)
{
    const char *fund = yb_stmt_text(st, 0);
    yb_fen base = yb_stmt_int(st, 1), pay = yb_stmt_int(st, 3);
    yb_fen lmt = yb_stmt_null(st, 2) ? base : yb_stmt_int(st, 2);
    int k = 0;
    while (k < out->n_funds && strcmp(out->funds[k].fund_pay_type, fund) != 0)
        k++;
    if (k == out->n_funds) {
        if (k == (int)(sizeof out->funds / sizeof *out->funds))
            return yb_err_set(e, YB_EINVARIANT, "settlement_fund",
                              "结算 %s 的基金超过 %d 个 (too many funds)",
                              out->setl_id, k);
        out->n_funds++;
        snprintf(out->funds[k].fund_pay_type,
                 sizeof out->funds[k].fund_pay_type, "%s", fund);
        out->funds[k].inscp_scp_amt = sign * base;
        out->funds[k].crt_payb_lmt_amt = lmt;
        out->funds[k].fund_payamt = sign * pay;
        return YB_OK;
    }
    out->funds[k].crt_payb_lmt_amt += lmt;
    out->funds[k].fund_payamt += sign * pay;
    return YB_OK;
}

int yb_settlement_get(yb_store *s, const char *code, const char *setl_id,
                      struct yb_setl_rec *out, struct yb_err *e)
{
    yb_stmt *st;
    memset(out, 0, sizeof *out);
    int rc = yb_store_prepare(
        s,
        "SELECT setl_id, mdtrt_id, psn_no, status, COALESCE(reverses, ''), "
        "setl_time, med_type, medfee_sumamt, fulamt_ownpay_amt, "
        "overlmt_selfpay, preselfpay_amt, inscp_scp_amt, act_pay_dedc, "
        "hifp_pay, hifmi_pay, maf_pay, oth_pay, fund_pay_sumamt, "
        "psn_part_amt, psn_cash_pay, pool_prop_selfpay, "
        "COALESCE(policy_id, 0) FROM settlement WHERE setl_id = $1 AND "
        "fixmedins_code = $2",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, setl_id);
    yb_stmt_bind_text(st, 2, code);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        char *t[] = {out->setl_id,  out->mdtrt_id,  out->psn_no,  out->status,
                     out->reverses, out->setl_time, out->med_type};
        size_t n[] = {sizeof out->setl_id,  sizeof out->mdtrt_id,
                      sizeof out->psn_no,   sizeof out->status,
                      sizeof out->reverses, sizeof out->setl_time,
                      sizeof out->med_type};
        for (int i = 0; i < 7; i++)
            snprintf(t[i], n[i], "%s", yb_stmt_text(st, i));
        yb_fen *v[] = {&out->info.medfee_sumamt,   &out->info.fulamt_ownpay_amt,
                       &out->info.overlmt_selfpay, &out->info.preselfpay_amt,
                       &out->info.inscp_scp_amt,   &out->info.act_pay_dedc,
                       &out->info.hifp_pay,        &out->info.hifmi_pay,
                       &out->info.maf_pay,         &out->info.oth_pay,
                       &out->info.fund_pay_sumamt, &out->info.psn_part_amt,
                       &out->info.psn_cash_pay};
        for (int i = 0; i < 13; i++)
            *v[i] = yb_stmt_int(st, 7 + i);
        out->info.pool_prop_selfpay = yb_stmt_int(st, 20);
        out->policy_id = yb_stmt_int(st, 21);
    }
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(e, YB_ENOTFOUND, "setl_id",
                          "结算 %s 不存在或不属于本机构 (no such settlement)",
                          setl_id);
    if (rc != YB_ROW)
        return rc;
    /* a reversal's fund rows are its original's, negated */
    bool neg = out->reverses[0] != '\0';
    rc = yb_store_prepare(s,
                          "SELECT fund_pay_type, inscp_scp_amt, "
                          "crt_payb_lmt_amt, fund_payamt FROM settlement_fund "
                          "WHERE setl_id = $1 ORDER BY seq",
                          &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, neg ? out->reverses : setl_id);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW &&
           (rc = add_fund_row(out, st, neg ? -1 : 1, e)) == YB_OK)
        ;
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

int yb_settlement_totals(yb_store *s, const char *code, const char *insutype,
                         const char *clr_type, const char *from, const char *to,
                         struct yb_setl_totals *out, struct yb_err *e)
{
    yb_stmt *st;
    memset(out, 0, sizeof *out);
    int rc = yb_store_prepare(
        s,
        "SELECT COALESCE(SUM(s.medfee_sumamt), 0), "
        "COALESCE(SUM(s.fund_pay_sumamt), 0), "
        "COALESCE(SUM(CASE WHEN s.status = 'reversal' THEN -1 ELSE 1 END), 0) "
        "FROM settlement s JOIN visit v USING (mdtrt_id) WHERE "
        "s.fixmedins_code = $1 AND v.insutype = $2 AND substr(s.setl_time, 1, "
        "10) BETWEEN $3 AND $4 AND ($5 = '' OR (CASE WHEN substr(s.med_type, "
        "1, 1) "
        "= '2' OR s.med_type = '52' THEN '21' ELSE '11' END) = $5)",
        &st, e);
    if (rc != YB_OK)
        return rc;
    const char *t[] = {code, insutype, from, to, clr_type ? clr_type : ""};
    for (int i = 0; i < 5; i++)
        yb_stmt_bind_text(st, i + 1, t[i]);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        out->medfee_sumamt = yb_stmt_int(st, 0);
        out->fund_pay_sumamt = yb_stmt_int(st, 1);
        out->count = yb_stmt_int(st, 2);
    }
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

int yb_person_accums(yb_store *s, const char *psn_no, int year,
                     struct yb_arena *a, struct yb_accums *out,
                     struct yb_err *e)
{
    return load_accums(s, psn_no, year, a, out, e);
}
