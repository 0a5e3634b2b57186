/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hospital interface's read-only queries of visits (include/yibao/
 * visit.h): an institution's visits of a person in a period (5201), a
 * visit's diagnoses (5202) and its fee lines (5204), and a person's
 * chronic-disease drug lines at every institution (5205). Nothing here
 * writes; every function runs in the caller's transaction, so the
 * server's snapshot answers a query from one state of the database.
 * Ownership is checked here, not by the caller: for 5201-5204 a visit of
 * another institution or person does not exist; 5205 is the one query
 * that crosses institutions, so a doctor sees what the person already got
 * elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"
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
                          "\"%s\" (not a date or datetime)",
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
            return yb_err_set(e, YB_ENOMEM, "visit",
                              "内存不足 (out of memory)");
    }
    return YB_OK;
}

static int visit_row(yb_stmt *st, struct yb_arena *a, void *row,
                     struct yb_err *e)
{
    return row_of(st, a, row, e);
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
        return yb_err_set(
            e, YB_EINVAL, "endtime",
            "日期 %s 早于 begntime %s (the period ends before it begins)",
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
    void *v = NULL;
    rc = yb__svc_collect(st, a, sizeof(struct yb_visit_row), visit_row, "visit",
                         &v, n, e);
    if (rc == YB_OK)
        *out = v;
    return rc;
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
        return yb_err_set(e, YB_ENOMEM, "diagnoses",
                          "内存不足 (out of memory)");
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
        return yb_err_set(e, YB_ENOMEM, "setl_id", "内存不足 (out of memory)");
    int rc = yb_settlement_get(s, v->fixmedins_code, setl_id, r, e);
    if (rc == YB_OK && strcmp(r->mdtrt_id, v->mdtrt_id) != 0)
        rc = yb_err_set(e, YB_ENOTFOUND, "setl_id",
                        "结算 %s 不是就诊 %s 的 (not the visit's settlement)",
                        setl_id, v->mdtrt_id);
    free(r);
    return rc;
}

/* One fee line row (columns as 5204's statement selects them). */
static int fee_row(yb_stmt *st, struct yb_arena *a, void *row, struct yb_err *e)
{
    struct yb_fee_rec *r = row;
    int rc = YB_ROW;
    const char **t[] = {&r->feedetl_sn,    &r->chrg_bchno,
                        &r->med_list_codg, &r->medins_list_codg,
                        &r->fee_ocur_time, &r->dise_codg,
                        &r->hosp_appr_flag};
    for (int i = 0; i < 7 && rc == YB_ROW; i++) {
        const char *x = yb_stmt_text(st, i);
        *t[i] = dup_or_null(a, x);
        if (x && !*t[i])
            rc = yb_err_set(e, YB_ENOMEM, "fee_line",
                            "内存不足 (out of memory)");
    }
    if (rc != YB_ROW)
        return rc;
    r->cnt = yb_stmt_int(st, 7);
    r->pric = yb_stmt_int(st, 8);
    r->amount = yb_stmt_int(st, 9);
    const char *status = yb_stmt_text(st, 10);
    r->valid = status && strcmp(status, "valid") == 0;
    return YB_OK;
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
    void *l = NULL;
    rc = yb__svc_collect(st, a, sizeof(struct yb_fee_rec), fee_row, "fee_line",
                         &l, n, e);
    if (rc == YB_OK)
        *out = l;
    return rc;
}

/* The 5205 line's main diagnosis: the visit's dise_codg as 2203 stored it
 * (a chronic visit's disease code), else the first stored diagnosis (the
 * main one), else "". In arena a; NULL only when out of memory. */
static const char *drug_diag(struct yb_arena *a, const char *dise_codg,
                             const char *diag_codes)
{
    if (dise_codg && *dise_codg)
        return yb_arena_strdup(a, dise_codg);
    const char *c = diag_codes ? diag_codes : "";
    size_t k = strcspn(c, ",");
    char *d = yb_arena_calloc(a, k + 1, 1);
    if (d)
        memcpy(d, c, k);
    return d;
}

/* One row of the 5205 statement (columns as DRUG_SQL, below, selects
 * them) into *r, its strings in a. */
static int drug_row(yb_stmt *st, struct yb_arena *a, struct yb_drug_rec *r,
                    struct yb_err *e)
{
    memset(r, 0, sizeof *r);
    const char **t[] = {
        &r->mdtrt_id,       &r->psn_no,        &r->fixmedins_code,
        &r->fixmedins_name, &r->med_type,      &r->feedetl_sn,
        &r->fee_ocur_time,  &r->med_list_codg, &r->med_list_name};
    for (int i = 0; i < 9; i++) {
        const char *x = yb_stmt_text(st, i);
        *t[i] = yb_arena_strdup(a, x ? x : "");
        if (!*t[i])
            return yb_err_set(e, YB_ENOMEM, "fee_line",
                              "内存不足 (out of memory)");
    }
    r->dise_codg = drug_diag(a, yb_stmt_text(st, 9), yb_stmt_text(st, 10));
    if (!r->dise_codg)
        return yb_err_set(e, YB_ENOMEM, "fee_line", "内存不足 (out of memory)");
    r->cnt = yb_stmt_int(st, 11);
    r->pric = yb_stmt_int(st, 12);
    r->amount = yb_stmt_int(st, 13);
    const char *status = yb_stmt_text(st, 14);
    r->settled = status && strcmp(status, "settled") == 0;
    return YB_OK;
}

/* docs/glossary.md, src/base/dict.c: the drugs are list_type 101 (西药中成药)
 * and 102 (中药饮片) — a code is a drug when any catalogue version of it
 * says so, so a line outside every version's dates is still listed, with
 * no name; the special-disease outpatient type is med_type 14 (门诊慢特病),
 * the dictionary's only one. The name is that of the version valid on the
 * fee's day (valid_to inclusive, as the engine reads it). */
#define DRUG_SQL                                                               \
    "SELECT v.mdtrt_id, v.psn_no, v.fixmedins_code, i.name, v.med_type, "      \
    "f.feedetl_sn, f.fee_ocur_time, f.med_list_codg, (SELECT c.name FROM "     \
    "catalogue_item c WHERE c.med_list_codg = f.med_list_codg AND "            \
    "c.valid_from <= substr(f.fee_ocur_time, 1, 10) AND (c.valid_to IS NULL "  \
    "OR c.valid_to >= substr(f.fee_ocur_time, 1, 10)) ORDER BY c.valid_from "  \
    "DESC LIMIT 1), v.dise_codg, v.diag_codes, f.cnt, f.pric, f.amount, "      \
    "v.status FROM visit v JOIN fee_line f ON f.mdtrt_id = v.mdtrt_id LEFT "   \
    "JOIN institution i ON i.fixmedins_code = v.fixmedins_code WHERE "         \
    "v.psn_no = $1 AND v.kind = 'outpatient' AND v.med_type = '14' AND "       \
    "v.status <> 'cancelled' AND f.status = 'valid' AND ($2 = '' OR "          \
    "f.fee_ocur_time >= $2) AND ($3 = '' OR f.fee_ocur_time <= $3) AND "       \
    "EXISTS (SELECT 1 FROM catalogue_item d WHERE d.med_list_codg = "          \
    "f.med_list_codg AND d.list_type IN ('101', '102')) ORDER BY "             \
    "f.fee_ocur_time, v.mdtrt_id, f.feedetl_sn"

static int drug_row_any(yb_stmt *st, struct yb_arena *a, void *row,
                        struct yb_err *e)
{
    return drug_row(st, a, row, e);
}

int yb_chronic_drug_lines(yb_store *s, const char *psn_no, const char *from,
                          const char *to, struct yb_arena *a,
                          struct yb_drug_rec **out, size_t *n, struct yb_err *e)
{
    char lo[20], hi[20];
    *out = NULL;
    *n = 0;
    int rc = bound(from, false, "begntime", lo, e);
    if (rc == YB_OK)
        rc = bound(to, true, "endtime", hi, e);
    if (rc == YB_OK && lo[0] && hi[0] && strcmp(hi, lo) < 0)
        return yb_err_set(
            e, YB_EINVAL, "endtime",
            "日期 %s 早于 begntime %s (the period ends before it begins)", to,
            from);
    if (rc == YB_OK)
        rc = person_known(s, psn_no, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(s, DRUG_SQL, &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    yb_stmt_bind_text(st, 2, lo);
    yb_stmt_bind_text(st, 3, hi);
    void *l = NULL;
    rc = yb__svc_collect(st, a, sizeof(struct yb_drug_rec), drug_row_any,
                         "fee_line", &l, n, e);
    if (rc == YB_OK)
        *out = l;
    return rc;
}
