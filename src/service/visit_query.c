/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hospital interface's read-only queries of visits (include/yibao/
 * visit.h): an institution's visits of a person in a period (5201), a
 * visit's diagnoses (5202) and its fee lines (5204). Nothing here writes;
 * every function runs in the caller's transaction, so the server's
 * snapshot answers a query from one state of the database. Ownership is
 * checked here, not by the caller: a visit of another institution or
 * person does not exist for the query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yibao/date.h"
#include "yibao/registry.h"
#include "yibao/visit.h"

static const char *dup_or_null(struct yb_arena *a, const char *s)
{
    return s ? yb_arena_strdup(a, s) : NULL;
}

/* psn_no names a registered person (by their person number, not an ID
 * number that yb_person_find would also take). */
static int person_known(yb_store *s, const char *psn_no, struct yb_err *e)
{
    struct yb_arena a;
    struct yb_person_rec p;
    yb_arena_init(&a, 512);
    int rc = yb_person_find(s, psn_no, &a, &p, e);
    if (rc == YB_ENOTFOUND || (rc == YB_OK && strcmp(p.psn_no, psn_no) != 0))
        rc = yb_err_set(e, YB_ENOTFOUND, "psn_no",
                        "人员编号 %s 不存在 (no such person)", psn_no);
    yb_arena_free(&a);
    return rc;
}

/* A bound of the period as stored begntime text: "yyyy-MM-dd HH:mm:ss";
 * a bare day is its first second (from) or its last (to). "" when absent. */
static int bound(const char *t, bool to, const char *field, char out[20],
                 struct yb_err *e)
{
    yb_date d;
    int32_t secs = 0;
    out[0] = '\0';
    if (!t || !*t)
        return YB_OK;
    if (yb_datetime_parse(t, true, &d, &secs, field, NULL) != YB_OK)
        return yb_err_set(e, YB_EINVAL, field,
                          "应为 yyyy-MM-dd 或 yyyy-MM-dd HH:mm:ss，实际为 "
                          "\"%s\"",
                          t);
    if (strlen(t) == 10)
        snprintf(out, 20, "%s %s", t, to ? "23:59:59" : "00:00:00");
    else
        snprintf(out, 20, "%s", t);
    return YB_OK;
}

/* The visit columns in the order row_of reads them. */
#define VISIT_COLS                                                             \
    "mdtrt_id, psn_no, fixmedins_code, insutype, med_type, status, kind, "     \
    "begntime, endtime, ipt_otp_no, dise_codg, dise_name, diag_codes, "        \
    "atddr_no, dr_name, dept_code, dept_name, caty, insuplc_admdvs, "          \
    "mdtrtarea_admvs"

static int row_of(yb_stmt *st, struct yb_arena *a, struct yb_visit_row *r,
                  struct yb_err *e)
{
    memset(r, 0, sizeof *r);
    struct yb_visit_rec *v = &r->v;
    char *f[] = {v->mdtrt_id, v->psn_no,   v->fixmedins_code,
                 v->insutype, v->med_type, v->status,
                 v->kind};
    size_t sz[] = {
        sizeof v->mdtrt_id, sizeof v->psn_no,   sizeof v->fixmedins_code,
        sizeof v->insutype, sizeof v->med_type, sizeof v->status,
        sizeof v->kind};
    for (int i = 0; i < 7; i++)
        snprintf(f[i], sz[i], "%s",
                 yb_stmt_text(st, i) ? yb_stmt_text(st, i) : "");
    const char **t[] = {&v->begntime,       &v->endtime,   &v->ipt_otp_no,
                        &v->dise_codg,      &v->dise_name, &v->diag_codes,
                        &r->atddr_no,       &r->dr_name,   &r->dept_code,
                        &r->dept_name,      &r->caty,      &r->insuplc_admdvs,
                        &r->mdtrtarea_admvs};
    for (int i = 0; i < 13; i++) {
        const char *x = yb_stmt_text(st, 7 + i);
        *t[i] = dup_or_null(a, x);
        if (x && !*t[i])
            return yb_err_set(e, YB_ENOMEM, "visit", "out of memory");
    }
    return YB_OK;
}

/* Room for one more element in a growing arena array (the arena frees
 * the outgrown copies with everything else). */
static void *grow(struct yb_arena *a, void *v, size_t n, size_t *cap,
                  size_t size)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 16;
    void *w = yb_arena_calloc(a, c, size);
    if (!w)
        return NULL;
    if (n)
        memcpy(w, v, n * size);
    *cap = c;
    return w;
}

int yb_visit_list(yb_store *s, const struct yb_visit_query *q,
                  struct yb_arena *a, struct yb_visit_row **out, size_t *n,
                  struct yb_err *e)
{
    char from[20], to[20];
    *out = NULL;
    *n = 0;
    int rc = bound(q->from, false, "begntime", from, e);
    if (rc == YB_OK)
        rc = bound(q->to, true, "endtime", to, e);
    if (rc == YB_OK && from[0] && to[0] && strcmp(to, from) < 0)
        return yb_err_set(e, YB_EINVAL, "endtime",
                          "%s 早于 begntime %s (the period ends before it "
                          "begins)",
                          q->to, q->from);
    if (rc == YB_OK)
        rc = person_known(s, q->psn_no, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "SELECT " VISIT_COLS " FROM visit WHERE psn_no = $1 AND "
            "fixmedins_code = $2 AND ($3 = '' OR begntime >= $3) AND "
            "($4 = '' OR begntime <= $4) AND ($5 = '' OR med_type = $5) AND "
            "($6 = '' OR mdtrt_id = $6) ORDER BY begntime, mdtrt_id",
            &st, e);
    if (rc != YB_OK)
        return rc;
    const char *b[] = {q->psn_no,
                       q->code,
                       from,
                       to,
                       q->med_type ? q->med_type : "",
                       q->mdtrt_id ? q->mdtrt_id : ""};
    for (int i = 0; i < 6; i++)
        yb_stmt_bind_text(st, i + 1, b[i]);
    struct yb_visit_row *v = NULL;
    size_t k = 0, cap = 0;
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        v = grow(a, v, k, &cap, sizeof *v);
        if (!v) {
            rc = yb_err_set(e, YB_ENOMEM, "visit", "out of memory");
            break;
        }
        if ((rc = row_of(st, a, &v[k], e)) != YB_OK)
            break;
        k++;
    }
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    *out = v;
    *n = k;
    return YB_OK;
}

int yb_visit_of_person(yb_store *s, const char *code, const char *psn_no,
                       const char *mdtrt_id, struct yb_arena *a,
                       struct yb_visit_rec *out, struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    int rc = person_known(s, psn_no, e);
    if (rc != YB_OK)
        return rc;
    rc = yb_visit_get(s, code, mdtrt_id, NULL, a, out, e);
    if (rc == YB_ENOTFOUND ||
        (rc == YB_OK && strcmp(out->psn_no, psn_no) != 0)) {
        memset(out, 0, sizeof *out);
        return yb_err_set(e, YB_ENOTFOUND, "mdtrt_id",
                          "就诊 %s 不存在，或不是本机构或人员 %s 的 (no "
                          "such visit of the person here)",
                          mdtrt_id, psn_no);
    }
    return rc;
}

int yb_visit_diagnoses(const struct yb_visit_rec *v, struct yb_arena *a,
                       struct yb_diag_rec **out, size_t *n, struct yb_err *e)
{
    *out = NULL;
    *n = 0;
    const char *codes = v->diag_codes ? v->diag_codes : "";
    size_t k = *codes ? 1 : 0;
    for (const char *c = codes; *c; c++)
        k += *c == ',';
    if (k == 0)
        return YB_OK;
    struct yb_diag_rec *d = yb_arena_calloc(a, k, sizeof *d);
    char *copy = yb_arena_strdup(a, codes);
    if (!d || !copy)
        return yb_err_set(e, YB_ENOMEM, "diagnoses", "out of memory");
    /* split on every comma (strtok would merge empty codes away) */
    size_t i = 0;
    for (char *p = copy; i < k; i++) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        d[i].code = p;
        d[i].name = v->dise_codg && v->dise_name && strcmp(v->dise_codg, p) == 0
                        ? v->dise_name
                        : "";
        p = comma ? comma + 1 : p + strlen(p);
    }
    *out = d;
    *n = k;
    return YB_OK;
}

/* setl_id is a settlement of institution code and of visit mdtrt_id. */
static int settlement_of(yb_store *s, const struct yb_visit_rec *v,
                         const char *setl_id, struct yb_err *e)
{
    struct yb_setl_rec *r = malloc(sizeof *r);
    if (!r)
        return yb_err_set(e, YB_ENOMEM, "setl_id", "out of memory");
    int rc = yb_settlement_get(s, v->fixmedins_code, setl_id, r, e);
    if (rc == YB_OK && strcmp(r->mdtrt_id, v->mdtrt_id) != 0)
        rc = yb_err_set(e, YB_ENOTFOUND, "setl_id",
                        "结算 %s 不是就诊 %s 的 (not the visit's settlement)",
                        setl_id, v->mdtrt_id);
    free(r);
    return rc;
}

int yb_fee_lines(yb_store *s, const struct yb_visit_rec *v, const char *setl_id,
                 struct yb_arena *a, struct yb_fee_rec **out, size_t *n,
                 struct yb_err *e)
{
    bool settled = setl_id && *setl_id;
    *out = NULL;
    *n = 0;
    int rc = settled ? settlement_of(s, v, setl_id, e) : YB_OK;
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "SELECT feedetl_sn, chrg_bchno, med_list_codg, medins_list_codg, "
            "fee_ocur_time, dise_codg, hosp_appr_flag, cnt, pric, amount, "
            "status FROM fee_line WHERE mdtrt_id = $1 AND ($2 = 0 OR status "
            "= 'valid') ORDER BY id",
            &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, v->mdtrt_id);
    yb_stmt_bind_int(st, 2, settled);
    struct yb_fee_rec *l = NULL;
    size_t k = 0, cap = 0;
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        l = grow(a, l, k, &cap, sizeof *l);
        if (!l) {
            rc = yb_err_set(e, YB_ENOMEM, "fee_line", "out of memory");
            break;
        }
        struct yb_fee_rec *r = &l[k];
        const char **t[] = {&r->feedetl_sn,    &r->chrg_bchno,
                            &r->med_list_codg, &r->medins_list_codg,
                            &r->fee_ocur_time, &r->dise_codg,
                            &r->hosp_appr_flag};
        for (int i = 0; i < 7 && rc == YB_ROW; i++) {
            const char *x = yb_stmt_text(st, i);
            *t[i] = dup_or_null(a, x);
            if (x && !*t[i])
                rc = yb_err_set(e, YB_ENOMEM, "fee_line", "out of memory");
        }
        if (rc != YB_ROW)
            break;
        r->cnt = yb_stmt_int(st, 7);
        r->pric = yb_stmt_int(st, 8);
        r->amount = yb_stmt_int(st, 9);
        const char *status = yb_stmt_text(st, 10);
        r->valid = status && strcmp(status, "valid") == 0;
        k++;
    }
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    *out = l;
    *n = k;
    return YB_OK;
}
