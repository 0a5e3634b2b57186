/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Visits and fee lines (include/yibao/visit.h), and the catalogue as
 * engine entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrolment_int.h"
#include "yibao/date.h"
#include "yibao/dict.h"
#include "yibao/money.h"
#include "yibao/visit.h"

/* ---- the catalogue -------------------------------------------------------
 */

static yb_date date_or(const char *t, yb_date dflt)
{
    yb_date d = dflt;
    if (t && yb_date_parse(t, &d, "date", NULL) != YB_OK)
        d = dflt;
    return d;
}

static void entry_of(yb_stmt *st, struct yb_arena *a,
                     struct yb_catalogue_entry *c)
{
    memset(c, 0, sizeof *c);
    c->code = yb_arena_strdup(a, yb_stmt_text(st, 0));
    c->name = yb_arena_strdup(a, yb_stmt_text(st, 1));
    c->list_type = yb_dict_index(YB_DICT_LIST_TYPE, yb_stmt_text(st, 2));
    c->chrgitm_lv = atoi(yb_stmt_text(st, 3));
    c->selfpay_prop = yb_stmt_null(st, 4) ? -1 : (yb_rate)yb_stmt_int(st, 4);
    c->price_ceiling = yb_stmt_int(st, 5);
    c->valid_from = date_or(yb_stmt_text(st, 6), 0);
    c->valid_to = date_or(yb_stmt_text(st, 7), INT32_MAX);
    const char *g = yb_stmt_text(st, 8);
    c->lmt_gender = g ? atoi(g) : 0;
    c->lmt_age_min = yb_stmt_null(st, 9) ? -1 : (int)yb_stmt_int(st, 9);
    c->lmt_age_max = yb_stmt_null(st, 10) ? -1 : (int)yb_stmt_int(st, 10);
    c->lmt_max_cnt = yb_stmt_null(st, 11) ? 0 : yb_stmt_int(st, 11);
}

int yb_catalogue_load(yb_store *s, struct yb_arena *a,
                      struct yb_catalogue_entry **out, size_t *n,
                      struct yb_err *e)
{
    *out = NULL;
    *n = 0;
    int64_t total = 0;
    yb_stmt *st;
    int rc = yb_store_prepare(s, "SELECT count(*) FROM catalogue_item", &st, e);
    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_step(st, e)) == YB_ROW)
        total = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    if (rc != YB_ROW)
        return rc;
    struct yb_catalogue_entry *v =
        yb_arena_alloc(a, sizeof *v * (size_t)(total > 0 ? total : 1));
    if (!v)
        return yb_err_set(e, YB_ENOMEM, "catalogue",
                          "内存不足 (out of memory)");
    rc = yb_store_prepare(
        s,
        "SELECT med_list_codg, name, list_type, chrgitm_lv, selfpay_prop, "
        "price_ceiling, valid_from, valid_to, lmt_gend, lmt_age_min, "
        "lmt_age_max, lmt_max_cnt FROM catalogue_item ORDER BY id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    size_t k = 0;
    while ((rc = yb_stmt_step(st, e)) == YB_ROW && k < (size_t)total)
        entry_of(st, a, &v[k++]);
    yb_stmt_reset(st);
    if (rc != YB_DONE && rc != YB_ROW)
        return rc;
    for (size_t i = 0; i < k; i++)
        if (!v[i].code || !v[i].name)
            return yb_err_set(e, YB_ENOMEM, "catalogue",
                              "内存不足 (out of memory)");
    *out = v;
    *n = k;
    return YB_OK;
}

int yb_catalogue_version(yb_store *s, int64_t *version, struct yb_err *e)
{
    return yb__svc_meta_int(s, "catalogue_version", version, e);
}

/* ---- shared --------------------------------------------------------------
 */

static int step_done(yb_stmt *st, struct yb_err *e)
{
    int rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static const char *dup_or_null(struct yb_arena *a, const char *s)
{
    return s ? yb_arena_strdup(a, s) : NULL;
}

int yb_visit_get(yb_store *s, const char *code, const char *mdtrt_id,
                 const char *psn_no, struct yb_arena *a,
                 struct yb_visit_rec *out, struct yb_err *e)
{
    yb_stmt *st;
    memset(out, 0, sizeof *out);
    int rc = yb_store_prepare(
        s,
        "SELECT mdtrt_id, psn_no, fixmedins_code, insutype, med_type, "
        "status, kind, begntime, ipt_otp_no, dise_codg, dise_name, "
        "diag_codes, endtime, mdtrt_cert_type FROM visit WHERE mdtrt_id = $1 "
        "AND fixmedins_code = $2",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, mdtrt_id);
    yb_stmt_bind_text(st, 2, code);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        char *f[] = {out->mdtrt_id, out->psn_no,   out->fixmedins_code,
                     out->insutype, out->med_type, out->status,
                     out->kind};
        size_t sz[] = {sizeof out->mdtrt_id,
                       sizeof out->psn_no,
                       sizeof out->fixmedins_code,
                       sizeof out->insutype,
                       sizeof out->med_type,
                       sizeof out->status,
                       sizeof out->kind};
        for (int i = 0; i < 7; i++)
            snprintf(f[i], sz[i], "%s",
                     yb_stmt_text(st, i) ? yb_stmt_text(st, i) : "");
        out->begntime = dup_or_null(a, yb_stmt_text(st, 7));
        out->ipt_otp_no = dup_or_null(a, yb_stmt_text(st, 8));
        out->dise_codg = dup_or_null(a, yb_stmt_text(st, 9));
        out->dise_name = dup_or_null(a, yb_stmt_text(st, 10));
        out->diag_codes = dup_or_null(a, yb_stmt_text(st, 11));
        out->endtime = dup_or_null(a, yb_stmt_text(st, 12));
        snprintf(out->mdtrt_cert_type, sizeof out->mdtrt_cert_type, "%s",
                 yb_stmt_text(st, 13) ? yb_stmt_text(st, 13) : "");
    }
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(e, YB_ENOTFOUND, "mdtrt_id",
                          "就诊 %s 不存在或不属于本机构 (no such visit)",
                          mdtrt_id);
    if (rc != YB_ROW)
        return rc;
    if (psn_no && *psn_no && strcmp(psn_no, out->psn_no) != 0)
        return yb_err_set(
            e, YB_EINVAL, "psn_no",
            "人员 %s 不是就诊 %s 的参保人 (not the visit's person)", psn_no,
            mdtrt_id);
    return YB_OK;
}

/* The visit, which must be open. */
static int open_visit(yb_store *s, const char *code, const char *mdtrt_id,
                      const char *psn_no, struct yb_arena *a,
                      struct yb_visit_rec *v, struct yb_err *e)
{
    int rc = yb_visit_get(s, code, mdtrt_id, psn_no, a, v, e);
    if (rc == YB_OK && strcmp(v->status, "open") != 0)
        return yb_err_set(
            e, YB_EINVAL, "mdtrt_id", "就诊 %s 已%s (visit %s)", mdtrt_id,
            strcmp(v->status, "settled") == 0 ? "结算" : "撤销", v->status);
    return rc;
}

static int event(yb_store *s, const char *kind, const char *ref,
                 const char *actor, const char *now, int64_t *ev,
                 struct yb_err *e)
{
    struct yb_actor who = {.name = actor, .now = now};
    return yb__svc_event(s, &who, kind, ref, ev, e);
}

/* ---- 2201 ----------------------------------------------------------------
 */

/* Covered by insutype on day: enrolled, paid, past any wait. */
static int covered_on(yb_store *s, const struct yb_person_rec *p,
                      const char *insutype, yb_date day, struct yb_err *e)
{
    struct yb_enrolment en;
    bool found = false;
    char a[11], b[11];
    int rc = yb__enrol_live(s, p->psn_no, yb__enrol_scheme(insutype),
                            yb_date_year(day), &en, &found, e);
    if (rc != YB_OK)
        return rc;
    if (!found || strcmp(en.insutype, insutype) != 0)
        return yb_err_set(e, YB_ENOTCOVERED, "insutype",
                          "人员 %s 未参加 %d 年度险种 %s (not enrolled)",
                          p->psn_no, yb_date_year(day), insutype);
    if (strcmp(en.status, YB_ENROL_COVERED) != 0)
        return yb_err_set(e, YB_ENOTCOVERED, "insutype",
                          "人员 %s 的 %d 年度参保未缴费 (not paid, status %s)",
                          p->psn_no, en.year, en.status);
    if (en.covered_from > day)
        return yb_err_set(
            e, YB_ENOTCOVERED, "begntime",
            "人员 %s 的待遇自 %s 起享受，%s 在等待期内 (waiting period)",
            p->psn_no, yb_date_format(en.covered_from, a),
            yb_date_format(day, b));
    if (en.covered_to && en.covered_to < day)
        return yb_err_set(e, YB_ENOTCOVERED, "begntime",
                          "人员 %s 的待遇已于 %s 终止 (cover ended)", p->psn_no,
                          yb_date_format(en.covered_to, a));
    return YB_OK;
}

/* The pooling region of psn_no's live enrolment of the latest coverage
 * year up to `year` (the last made of that year), else of the first after
 * it (the first made); "" when none. One pass over the person's live
 * enrolments (a row or two a year) instead of an ORDER BY ... LIMIT 1,
 * which SQLite runs through a temporary b-tree that it makes and frees at
 * every call: a tenth of the writer's time on every call that names a
 * person. */
static int person_pool(yb_store *s, const char *psn_no, int year, char out[7],
                       struct yb_err *e)
{
    char before[7] = "", after[7] = "";
    int64_t by = 0, bid = 0, ay = 0, aid = 0; /* best so far: year, id */
    yb_stmt *st;
    out[0] = '\0';
    int rc = yb_store_prepare(
        s,
        "SELECT admdvs, year, id FROM enrolment WHERE psn_no = $1 AND "
        "status <> 'cancelled' AND status <> 'transferred'",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        const char *admdvs = yb_stmt_text(st, 0);
        int64_t y = yb_stmt_int(st, 1), id = yb_stmt_int(st, 2);
        if (!admdvs)
            continue;
        if (y <= year && (!before[0] || y > by || (y == by && id > bid))) {
            snprintf(before, sizeof before, "%.6s", admdvs);
            by = y, bid = id;
        } else if (y > year && (!after[0] || y < ay || (y == ay && id < aid))) {
            snprintf(after, sizeof after, "%.6s", admdvs);
            ay = y, aid = id;
        }
    }
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    const char *admdvs = before[0] ? before : after;
    return admdvs[0] ? yb__svc_pooling(s, admdvs, out, e) : YB_OK;
}

int yb_person_insured_here(yb_store *s, const char *psn_no,
                           const char *insuplc_admdvs, const char *region,
                           int year, struct yb_err *e)
{
    char pool[7], asked[7], here[7];
    int rc = person_pool(s, psn_no, year, pool, e);
    if (rc != YB_OK || !pool[0])
        return rc;
    if (insuplc_admdvs && *insuplc_admdvs) {
        rc = yb__svc_pooling(s, insuplc_admdvs, asked, e);
        if (rc != YB_OK)
            return rc;
        if (strcmp(asked, pool) != 0)
            return yb_err_set(
                e, YB_ENOTCOVERED, "insuplc_admdvs",
                "参保地医保区划 %s 与人员 %s 的参保统筹区 %s 不符 "
                "(insured region differs from the person's)",
                insuplc_admdvs, psn_no, pool);
    }
    if (!region)
        return YB_OK;
    rc = yb__svc_pooling(s, region, here, e);
    if (rc == YB_OK && strcmp(pool, here) != 0)
        return yb_err_set(
            e, YB_ENOTCOVERED, "insuplc_admdvs",
            "人员 %s 参保于统筹区 %s，不是本统筹区 %s；异地就医结算"
            "尚未开通，不能按本地结算 (insured in another region: "
            "cross-region settlement is not supported yet)",
            psn_no, pool, here);
    return rc;
}

int yb_cover_check(yb_store *s, const char *psn_no, const char *insutype,
                   yb_date day, struct yb_err *e)
{
    struct yb_arena a;
    struct yb_person_rec p;
    yb_arena_init(&a, 512);
    int rc = yb_person_find(s, psn_no, &a, &p, e);
    if (rc == YB_ENOTFOUND)
        rc = yb_err_set(e, YB_ENOTFOUND, "psn_no",
                        "人员编号 %s 不存在 (no such person)", psn_no);
    if (rc == YB_OK)
        rc = covered_on(s, &p, insutype, day, e);
    yb_arena_free(&a);
    return rc;
}

/* The next visit number of region: one more than its highest. */
static int next_mdtrt_id(yb_store *s, const char *region, char out[32],
                         struct yb_err *e)
{
    int64_t next = 0;
    int rc = yb__svc_next_number(
        s, "SELECT MAX(mdtrt_id) FROM visit WHERE mdtrt_id BETWEEN $1 AND $2",
        region, &next, e);
    snprintf(out, 32, "%.6s%014lld", region, (long long)next);
    return rc;
}

bool yb_med_type_inpatient(const char *med_type)
{
    return med_type && (med_type[0] == '2' || strcmp(med_type, "52") == 0);
}

static int check_reg(yb_store *s, const struct yb_visit_reg *r,
                     struct yb_arena *a, struct yb_person_rec *p, yb_date *day,
                     struct yb_err *e)
{
    bool ipt = r->kind && strcmp(r->kind, "inpatient") == 0;
    const char *mt = r->med_type ? r->med_type : "11";
    if (yb_dict_index(YB_DICT_MED_TYPE, mt) < 0)
        return yb_err_set(e, YB_EINVAL, "med_type",
                          "未知的医疗类别 \"%s\" (unknown med_type)", mt);
    if (ipt != yb_med_type_inpatient(mt))
        return yb_err_set(
            e, YB_EINVAL, "med_type", "医疗类别 %s 不是%s类别 (not an %s type)",
            mt, ipt ? "住院" : "门诊", ipt ? "inpatient" : "outpatient");
    int rc = yb_datetime_parse(r->begntime, false, day, NULL, "begntime", e);
    if (rc != YB_OK)
        return rc;
    rc = yb_person_find(s, r->psn_no, a, p, e);
    if (rc == YB_ENOTFOUND || (rc == YB_OK && strcmp(p->psn_no, r->psn_no)))
        return yb_err_set(e, YB_ENOTFOUND, "psn_no",
                          "人员编号 %s 不存在 (no such person)", r->psn_no);
    if (rc != YB_OK)
        return rc;
    bool id_card = strcmp(r->mdtrt_cert_type, "02") == 0 ||
                   strcmp(r->mdtrt_cert_type, "03") == 0;
    if (!id_card)
        return yb_err_set(e, YB_EINVAL, "mdtrt_cert_type",
                          "不支持的就诊凭证类型 \"%s\"（支持 02、03）"
                          "(unsupported credential type)",
                          r->mdtrt_cert_type);
    if (strcmp(r->mdtrt_cert_no, p->certno) != 0)
        return yb_err_set(e, YB_EINVAL, "mdtrt_cert_no",
                          "凭证号码与人员 %s 不符 (certificate differs)",
                          r->psn_no);
    return covered_on(s, p, r->insutype, *day, e);
}

struct reg_run {
    const struct yb_visit_reg *r;
    char *mdtrt_id;
    struct yb_arena *a;
};

static int reg_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct reg_run *x = arg;
    const struct yb_visit_reg *r = x->r;
    struct yb_person_rec p;
    yb_date day;
    int64_t ev = 0;
    int rc = check_reg(s, r, x->a, &p, &day, e);
    if (rc == YB_OK)
        rc = next_mdtrt_id(s, r->region, x->mdtrt_id, e);
    if (rc == YB_OK)
        rc = event(s, "visit.register", x->mdtrt_id, r->actor, r->now, &ev, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "INSERT INTO visit (mdtrt_id, psn_no, fixmedins_code, insutype, "
            "begntime, ipt_otp_no, atddr_no, dr_name, "
            "dept_code, dept_name, caty, insuplc_admdvs, mdtrtarea_admvs, "
            "status, event_id, med_type, kind, dise_codg, dise_name, "
            "diag_codes, mdtrt_cert_type) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10, $11, $12, $13, 'open', $14, $15, $16, $17, $18, $19, "
            "$20)",
            &st, e);
    if (rc != YB_OK)
        return rc;
    const char *v[] = {x->mdtrt_id,       r->psn_no,   r->fixmedins_code,
                       r->insutype,       r->begntime, r->ipt_otp_no,
                       r->atddr_no,       r->dr_name,  r->dept_code,
                       r->dept_name,      r->caty,     r->insuplc_admdvs,
                       r->mdtrtarea_admvs};
    for (int i = 0; i < 13; i++)
        yb_stmt_bind_text(st, i + 1, v[i]);
    yb_stmt_bind_int(st, 14, ev);
    bool ipt = r->kind && strcmp(r->kind, "inpatient") == 0;
    const char *w[] = {r->med_type ? r->med_type : "11",
                       ipt ? "inpatient" : "outpatient",
                       r->dise_codg,
                       r->dise_name,
                       r->diag_codes,
                       r->mdtrt_cert_type};
    for (int i = 0; i < 6; i++)
        yb_stmt_bind_text(st, 15 + i, w[i]);
    rc = step_done(st, e);
    if (rc == YB_EDUPLICATE || rc == YB_ECONSTRAINT)
        return yb_err_set(e, YB_EDUPLICATE, "ipt_otp_no",
                          "就诊 %s %s 已登记 (registered already)",
                          ipt ? "住院号" : "门诊号", r->ipt_otp_no);
    return rc;
}

int yb_visit_register(yb_store *s, const struct yb_visit_reg *r,
                      char mdtrt_id[32], struct yb_err *e)
{
    struct yb_arena a;
    yb_arena_init(&a, 1024);
    struct reg_run x = {r, mdtrt_id, &a};
    mdtrt_id[0] = '\0';
    int rc = yb__svc_in_txn(s, reg_run, &x, e);
    if (rc != YB_OK)
        mdtrt_id[0] = '\0';
    yb_arena_free(&a);
    return rc;
}

/* ---- 2202, 2203 ----------------------------------------------------------
 */

struct visit_run {
    const char *code, *mdtrt_id, *psn_no, *ipt_otp_no, *chrg_bchno;
    const char *actor, *now;
    const struct yb_visit_info *info;
    const struct yb_fee_in *lines;
    size_t n;
    long count;
    struct yb_arena a;
};

static int count_lines(yb_store *s, const char *mdtrt_id, long *n,
                       struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "SELECT count(*) FROM fee_line WHERE mdtrt_id "
                              "= $1 AND status = 'valid'",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, mdtrt_id);
    rc = yb_stmt_step(st, e);
    *n = rc == YB_ROW ? (long)yb_stmt_int(st, 0) : 0;
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

static int set_status(yb_store *s, const char *mdtrt_id, const char *status,
                      struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s, "UPDATE visit SET status = $2 WHERE mdtrt_id = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, mdtrt_id);
    yb_stmt_bind_text(st, 2, status);
    return step_done(st, e);
}

static int cancel_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct visit_run *x = arg;
    struct yb_visit_rec v;
    long n = 0;
    int64_t ev = 0;
    int rc = open_visit(s, x->code, x->mdtrt_id, x->psn_no, &x->a, &v, e);
    if (rc == YB_OK && x->ipt_otp_no && *x->ipt_otp_no &&
        strcmp(x->ipt_otp_no, v.ipt_otp_no ? v.ipt_otp_no : "") != 0)
        return yb_err_set(e, YB_EINVAL, "ipt_otp_no",
                          "门诊号 %s 不是就诊 %s 的门诊号 (differs)",
                          x->ipt_otp_no, x->mdtrt_id);
    if (rc == YB_OK)
        rc = count_lines(s, x->mdtrt_id, &n, e);
    if (rc == YB_OK && n > 0)
        return yb_err_set(e, YB_EINVAL, "mdtrt_id",
                          "就诊 %s 有 %ld 条费用明细，请先撤销 (2205) "
                          "(fee lines first)",
                          x->mdtrt_id, n);
    if (rc == YB_OK)
        rc = event(s, "visit.cancel", x->mdtrt_id, x->actor, x->now, &ev, e);
    return rc == YB_OK ? set_status(s, x->mdtrt_id, "cancelled", e) : rc;
}

static int in_txn(yb_store *s, int (*fn)(yb_store *, void *, struct yb_err *),
                  struct visit_run *x, struct yb_err *e)
{
    yb_arena_init(&x->a, 1024);
    int rc = yb__svc_in_txn(s, fn, x, e);
    yb_arena_free(&x->a);
    return rc;
}

int yb_visit_cancel(yb_store *s, const char *code, const char *mdtrt_id,
                    const char *psn_no, const char *ipt_otp_no,
                    const char *actor, const char *now, struct yb_err *e)
{
    struct visit_run x = {.code = code,
                          .mdtrt_id = mdtrt_id,
                          .psn_no = psn_no,
                          .ipt_otp_no = ipt_otp_no,
                          .actor = actor,
                          .now = now};
    return in_txn(s, cancel_run, &x, e);
}

static int info_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct visit_run *x = arg;
    const struct yb_visit_info *in = x->info;
    struct yb_visit_rec v;
    int64_t ev = 0;
    yb_date d;
    if (yb_dict_index(YB_DICT_MED_TYPE, in->med_type ? in->med_type : "") < 0)
        return yb_err_set(e, YB_EINVAL, "med_type",
                          "未知的医疗类别 \"%s\" (unknown med_type)",
                          in->med_type ? in->med_type : "");
    if (in->begntime && yb_datetime_parse(in->begntime, false, &d, NULL,
                                          "begntime", e) != YB_OK)
        return YB_EINVAL;
    int rc = open_visit(s, x->code, x->mdtrt_id, x->psn_no, &x->a, &v, e);
    bool ipt = strcmp(v.kind, "inpatient") == 0;
    if (rc == YB_OK && ipt != yb_med_type_inpatient(in->med_type))
        return yb_err_set(
            e, YB_EINVAL, "med_type",
            "医疗类别 %s 不是%s类别，%s就诊不能改用 (not an %s type)",
            in->med_type, ipt ? "住院" : "门诊", ipt ? "住院" : "门诊",
            ipt ? "inpatient" : "outpatient");
    if (rc == YB_OK)
        rc = event(s, "visit.info", x->mdtrt_id, x->actor, x->now, &ev, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "UPDATE visit SET med_type = $2, begntime = COALESCE($3, "
            "begntime), dise_codg = $4, dise_name = $5, diag_codes = $6 "
            "WHERE mdtrt_id = $1",
            &st, e);
    if (rc != YB_OK)
        return rc;
    const char *vals[] = {x->mdtrt_id,   in->med_type,  in->begntime,
                          in->dise_codg, in->dise_name, in->diag_codes};
    for (int i = 0; i < 6; i++)
        yb_stmt_bind_text(st, i + 1, vals[i]);
    return step_done(st, e);
}

int yb_visit_set_info(yb_store *s, const char *code, const char *mdtrt_id,
                      const char *psn_no, const struct yb_visit_info *in,
                      const char *actor, const char *now, struct yb_err *e)
{
    struct visit_run x = {.code = code,
                          .mdtrt_id = mdtrt_id,
                          .psn_no = psn_no,
                          .info = in,
                          .actor = actor,
                          .now = now};
    return in_txn(s, info_run, &x, e);
}

/* ---- 2204, 2205 ----------------------------------------------------------
 */

static int check_line(const struct yb_fee_in *l, size_t i,
                      const struct yb_visit_rec *v, struct yb_err *e)
{
    char f[48], a[32], b[32];
    yb_date d;
    snprintf(f, sizeof f, "feedetail[%zu]", i);
    if (strcmp(l->mdtrt_id, v->mdtrt_id) != 0)
        return yb_err_set(e, YB_EINVAL, f,
                          "就诊 ID mdtrt_id %s 与本批明细的就诊 %s 不一致 "
                          "(differs from the batch's visit)",
                          l->mdtrt_id, v->mdtrt_id);
    if (strcmp(l->psn_no, v->psn_no) != 0)
        return yb_err_set(
            e, YB_EINVAL, f,
            "人员编号 psn_no %s 不是就诊 %s 的参保人 (not the visit's person)",
            l->psn_no, v->mdtrt_id);
    char ft[64]; /* the base parser's message, naming the field itself */
    snprintf(ft, sizeof ft, "%s.fee_ocur_time", f);
    if (yb_datetime_parse(l->fee_ocur_time, false, &d, NULL, ft, e) != YB_OK)
        return YB_EINVAL;
    if (l->cnt <= 0 || l->pric < 0 || l->amount < 0)
        return yb_err_set(e, YB_EINVAL, f,
                          "数量应大于 0，单价和金额不能为负 (cnt must be "
                          "positive, pric and amount not negative)");
    /* cnt (1e-4) x pric (1e-6) in fen is cnt * pric / 1e8, half up */
    int64_t p = 0;
    if (__builtin_mul_overflow(l->cnt, l->pric, &p))
        return yb_err_set(e, YB_EOVERFLOW, f, "数量×单价超出范围 (overflow)");
    yb_fen expect = yb_div_half_up(p, 100000000);
    if (expect - l->amount > 1 || l->amount - expect > 1)
        return yb_err_set(e, YB_EINVAL, f,
                          "明细金额 det_item_fee_sumamt %s 与数量×单价 %s 不符 "
                          "(amount differs from cnt x pric)",
                          yb_money_format(l->amount, a),
                          yb_money_format(expect, b));
    return YB_OK;
}

static int insert_line(yb_store *s, const struct yb_fee_in *l, int64_t ev,
                       struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "INSERT INTO fee_line (mdtrt_id, feedetl_sn, chrg_bchno, "
        "med_list_codg, medins_list_codg, cnt, pric, amount, fee_ocur_time, "
        "dise_codg, hosp_appr_flag, status, event_id) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11, 'valid', $12)",
        &st, e);
    if (rc != YB_OK)
        return rc;
    const char *t[] = {l->mdtrt_id, l->feedetl_sn, l->chrg_bchno,
                       l->med_list_codg, l->medins_list_codg};
    for (int i = 0; i < 5; i++)
        yb_stmt_bind_text(st, i + 1, t[i]);
    yb_stmt_bind_int(st, 6, l->cnt);
    yb_stmt_bind_int(st, 7, l->pric);
    yb_stmt_bind_int(st, 8, l->amount);
    yb_stmt_bind_text(st, 9, l->fee_ocur_time);
    yb_stmt_bind_text(st, 10, l->dise_codg);
    yb_stmt_bind_text(st, 11, l->hosp_appr_flag);
    yb_stmt_bind_int(st, 12, ev);
    return step_done(st, e);
}

static int upload_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct visit_run *x = arg;
    struct yb_visit_rec v;
    int64_t ev = 0;
    if (x->n == 0)
        return yb_err_set(e, YB_EINVAL, "feedetail", "没有费用明细 (empty)");
    int rc = open_visit(s, x->code, x->lines[0].mdtrt_id, x->lines[0].psn_no,
                        &x->a, &v, e);
    if (rc != YB_OK && e->field[0]) { /* the first line names the visit */
        char f[sizeof e->field];
        snprintf(f, sizeof f, "feedetail[0].%.100s", e->field);
        memcpy(e->field, f, sizeof f);
    }
    char f[48];
    for (size_t i = 0; rc == YB_OK && i < x->n; i++) {
        snprintf(f, sizeof f, "feedetail[%zu].feedetl_sn", i);
        rc = check_line(&x->lines[i], i, &v, e);
        for (size_t j = 0; rc == YB_OK && j < i; j++)
            if (strcmp(x->lines[j].feedetl_sn, x->lines[i].feedetl_sn) == 0)
                rc = yb_err_set(
                    e, YB_EDUPLICATE, f,
                    "明细流水号 %s 与 feedetail[%zu] 重复 (repeated)",
                    x->lines[i].feedetl_sn, j);
    }
    if (rc == YB_OK)
        rc = event(s, "visit.fees", v.mdtrt_id, x->actor, x->now, &ev, e);
    /* a serial number already uploaded (and not cancelled) is refused by
     * the unique index on valid lines (fee_line_sn); the caller's
     * transaction drops the lines inserted before it */
    for (size_t i = 0; rc == YB_OK && i < x->n; i++) {
        rc = insert_line(s, &x->lines[i], ev, e);
        if (rc == YB_EDUPLICATE) {
            snprintf(f, sizeof f, "feedetail[%zu].feedetl_sn", i);
            rc = yb_err_set(e, YB_EDUPLICATE, f,
                            "明细 %s 已上传 (uploaded already)",
                            x->lines[i].feedetl_sn);
        }
    }
    return rc;
}

int yb_fee_upload(yb_store *s, const char *code, const struct yb_fee_in *lines,
                  size_t n, const char *actor, const char *now,
                  struct yb_err *e)
{
    struct visit_run x = {
        .code = code, .lines = lines, .n = n, .actor = actor, .now = now};
    return in_txn(s, upload_run, &x, e);
}

static int fee_cancel_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct visit_run *x = arg;
    struct yb_visit_rec v;
    int64_t ev = 0;
    bool all = strcmp(x->chrg_bchno, "0000") == 0;
    int rc = open_visit(s, x->code, x->mdtrt_id, x->psn_no, &x->a, &v, e);
    if (rc == YB_OK)
        rc = event(s, "visit.fees.cancel", x->mdtrt_id, x->actor, x->now, &ev,
                   e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "UPDATE fee_line SET status = 'cancelled' WHERE mdtrt_id = $1 "
            "AND status = 'valid' AND ($3 = 1 OR chrg_bchno = $2)",
            &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->mdtrt_id);
    yb_stmt_bind_text(st, 2, x->chrg_bchno);
    yb_stmt_bind_int(st, 3, all);
    rc = yb_stmt_step(st, e);
    x->count = (long)yb_stmt_changes(st);
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    if (x->count == 0)
        return yb_err_set(e, YB_ENOTFOUND, "chrg_bchno",
                          "就诊 %s 没有批次 %s 的有效明细 (no such batch)",
                          x->mdtrt_id, x->chrg_bchno);
    return YB_OK;
}

int yb_fee_cancel(yb_store *s, const char *code, const char *mdtrt_id,
                  const char *psn_no, const char *chrg_bchno, const char *actor,
                  const char *now, long *cancelled, struct yb_err *e)
{
    struct visit_run x = {.code = code,
                          .mdtrt_id = mdtrt_id,
                          .psn_no = psn_no,
                          .chrg_bchno = chrg_bchno ? chrg_bchno : "",
                          .actor = actor,
                          .now = now};
    int rc = in_txn(s, fee_cancel_run, &x, e);
    *cancelled = rc == YB_OK ? x.count : 0;
    return rc;
}

/* ---- 2402, 2405, 2302 ----------------------------------------------------
 */

struct dscg_run {
    const char *code, *mdtrt_id, *psn_no, *endtime, *dise_codg, *diag_codes;
    bool undo;
    const char *actor, *now;
    const char *const *sns;
    size_t n;
    long count;
    struct yb_arena a;
};

static int dscg_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct dscg_run *x = arg;
    struct yb_visit_rec v;
    int64_t ev = 0;
    yb_date b, d;
    int rc = open_visit(s, x->code, x->mdtrt_id, x->psn_no, &x->a, &v, e);
    if (rc == YB_OK && strcmp(v.kind, "inpatient") != 0)
        return yb_err_set(e, YB_EINVAL, "mdtrt_id",
                          "就诊 %s 不是住院 (not an admission)", x->mdtrt_id);
    if (rc == YB_OK && x->undo && !v.endtime)
        return yb_err_set(e, YB_EINVAL, "mdtrt_id",
                          "住院 %s 尚未出院 (not discharged)", x->mdtrt_id);
    if (rc == YB_OK && !x->undo) {
        rc = yb_datetime_parse(x->endtime ? x->endtime : "", false, &d, NULL,
                               "endtime", e);
        if (rc == YB_OK &&
            yb_datetime_parse(v.begntime, true, &b, NULL, "begntime", e) ==
                YB_OK &&
            strcmp(x->endtime, v.begntime) < 0)
            return yb_err_set(e, YB_EINVAL, "endtime",
                              "时间 %s 早于入院时间 %s (before admission)",
                              x->endtime, v.begntime);
    }
    if (rc == YB_OK)
        rc = event(s, x->undo ? "visit.discharge.cancel" : "visit.discharge",
                   x->mdtrt_id, x->actor, x->now, &ev, e);
    const char *t[] = {x->mdtrt_id, x->undo ? NULL : x->endtime, x->dise_codg,
                       x->diag_codes};
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(s,
                              "UPDATE visit SET endtime = $2, dise_codg = "
                              "COALESCE($3, dise_codg), diag_codes = "
                              "COALESCE($4, diag_codes) WHERE mdtrt_id = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    for (int i = 0; i < 4; i++)
        yb_stmt_bind_text(st, i + 1, t[i]);
    return step_done(st, e);
}

int yb_visit_discharge(yb_store *s, const char *code, const char *mdtrt_id,
                       const char *psn_no, const char *endtime,
                       const char *dise_codg, const char *diag_codes, bool undo,
                       const char *actor, const char *now, struct yb_err *e)
{
    struct dscg_run x = {.code = code,
                         .mdtrt_id = mdtrt_id,
                         .psn_no = psn_no,
                         .endtime = endtime,
                         .dise_codg = dise_codg,
                         .diag_codes = diag_codes,
                         .undo = undo,
                         .actor = actor,
                         .now = now};
    yb_arena_init(&x.a, 512);
    int rc = yb__svc_in_txn(s, dscg_run, &x, e);
    yb_arena_free(&x.a);
    return rc;
}

static int lines_cancel_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct dscg_run *x = arg;
    struct yb_visit_rec v;
    int64_t ev = 0;
    int rc = open_visit(s, x->code, x->mdtrt_id, x->psn_no, &x->a, &v, e);
    if (rc == YB_OK)
        rc = event(s, "visit.fees.cancel", x->mdtrt_id, x->actor, x->now, &ev,
                   e);
    yb_stmt *st;
    for (size_t i = 0; rc == YB_OK && i < x->n; i++) {
        bool all = strcmp(x->sns[i], "0000") == 0;
        rc = yb_store_prepare(s,
                              "UPDATE fee_line SET status = 'cancelled' WHERE "
                              "mdtrt_id = $1 AND status = 'valid' AND ($3 = 1 "
                              "OR feedetl_sn = $2)",
                              &st, e);
        if (rc != YB_OK)
            break;
        yb_stmt_bind_text(st, 1, x->mdtrt_id);
        yb_stmt_bind_text(st, 2, x->sns[i]);
        yb_stmt_bind_int(st, 3, all);
        rc = yb_stmt_step(st, e);
        int64_t k = yb_stmt_changes(st);
        yb_stmt_reset(st);
        if (rc != YB_DONE)
            break;
        rc = YB_OK;
        x->count += (long)k;
        if (k == 0) {
            char f[48];
            snprintf(f, sizeof f, "data[%zu].feedetl_sn", i);
            rc = yb_err_set(e, YB_ENOTFOUND, f,
                            "就诊 %s 没有有效明细 %s (no such valid line)",
                            x->mdtrt_id, x->sns[i]);
        }
    }
    return rc;
}

int yb_fee_cancel_lines(yb_store *s, const char *code, const char *mdtrt_id,
                        const char *psn_no, const char *const *sns, size_t n,
                        const char *actor, const char *now, long *cancelled,
                        struct yb_err *e)
{
    struct dscg_run x = {.code = code,
                         .mdtrt_id = mdtrt_id,
                         .psn_no = psn_no,
                         .sns = sns,
                         .n = n,
                         .actor = actor,
                         .now = now};
    yb_arena_init(&x.a, 512);
    int rc = yb__svc_in_txn(s, lines_cancel_run, &x, e);
    yb_arena_free(&x.a);
    *cancelled = rc == YB_OK ? x.count : 0;
    return rc;
}
