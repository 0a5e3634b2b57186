/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The enrolment service (参保登记, docs/financing.md): enrolling a person, a
 * household, a school's pupils or everyone of a region for a coverage year
 * under the region's policy; the one-live-basic-enrolment rule and the
 * message that names the enrolment already held; transfers between
 * regions without a gap (转移接续); and the rows that the contribution
 * service (contribution.c) shares — reading and writing enrolments, a
 * person's pooling region and the history the waiting periods look at.
 * The engine decides person types and cover (financing.h); this file only
 * gathers its inputs from the store and writes what it decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrolment_int.h"
#include "yibao/dict.h"
#include "yibao/event.h"
#include "yibao/region.h"

/* Columns of struct yb_enrolment, in read_row's order. */
#define ENROL_COLS YB__ENROL_COLS("")

/* ---- shared helpers ------------------------------------------------------
 */

const char *yb__enrol_scheme(const char *insutype)
{
    if (strcmp(insutype, "390") == 0 || strcmp(insutype, "310") == 0)
        return "basic";
    return insutype;
}

static yb_date date_col(yb_stmt *st, int col)
{
    yb_date d = 0;
    const char *t = yb_stmt_text(st, col);
    if (t && yb_date_parse(t, &d, "date", NULL) != YB_OK)
        d = 0;
    return d;
}

static void text_col(yb_stmt *st, int col, char *buf, size_t n)
{
    const char *t = yb_stmt_text(st, col);
    yb__svc_copy(buf, n, t);
}

void yb__enrol_read(yb_stmt *st, int c, struct yb_enrolment *en)
{
    memset(en, 0, sizeof *en);
    en->id = yb_stmt_int(st, c);
    text_col(st, c + 1, en->psn_no, sizeof en->psn_no);
    text_col(st, c + 2, en->insutype, sizeof en->insutype);
    en->year = (int)yb_stmt_int(st, c + 3);
    text_col(st, c + 4, en->admdvs, sizeof en->admdvs);
    text_col(st, c + 5, en->psn_type, sizeof en->psn_type);
    en->tier = (int)yb_stmt_int(st, c + 6);
    text_col(st, c + 7, en->unit_kind, sizeof en->unit_kind);
    text_col(st, c + 8, en->unit_ref, sizeof en->unit_ref);
    text_col(st, c + 9, en->status, sizeof en->status);
    en->covered_from = date_col(st, c + 10);
    en->covered_to = date_col(st, c + 11);
    en->waiting_until = date_col(st, c + 12);
    en->event_id = yb_stmt_int(st, c + 13);
}

static void read_row(yb_stmt *st, struct yb_enrolment *en)
{
    yb__enrol_read(st, 0, en);
}

/* At most one row: enrolment_one_per_scheme is unique over live rows. */
int yb__enrol_live(yb_store *s, const char *psn_no, const char *scheme,
                   int year, struct yb_enrolment *out, bool *found,
                   struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "SELECT " ENROL_COLS " FROM enrolment WHERE psn_no = $1 AND "
        "scheme = $2 AND year = $3 AND status NOT IN ('cancelled', "
        "'transferred')",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    yb_stmt_bind_text(st, 2, scheme);
    yb_stmt_bind_int(st, 3, year);
    rc = yb_stmt_step(st, e);
    *found = rc == YB_ROW;
    if (rc == YB_ROW)
        read_row(st, out);
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

int yb__enrol_get(yb_store *s, int64_t id, struct yb_enrolment *out,
                  struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s, "SELECT " ENROL_COLS " FROM enrolment WHERE id = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, id);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        read_row(st, out);
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(e, YB_ENOTFOUND, "enrolment", "no enrolment %lld",
                          (long long)id);
    return rc == YB_ROW ? YB_OK : rc;
}

int yb__enrol_duplicate(const struct yb_enrolment *en, const char *field,
                        struct yb_err *e)
{
    return yb_err_set(e, YB_EDUPLICATE, field,
                      "%s is enrolled for %d already: enrolment %lld in "
                      "region %s, insutype %s, status %s",
                      en->psn_no, en->year, (long long)en->id, en->admdvs,
                      en->insutype, en->status);
}

int yb__enrol_psn_type(const struct yb_enrolment *en)
{
    return yb_dict_index(YB_DICT_PSN_TYPE, en->psn_type);
}

static const char *psn_type_code(int idx)
{
    int n = 0;
    const struct yb_dict_entry *t = yb_dict_entries(YB_DICT_PSN_TYPE, &n);
    return idx >= 0 && idx < n ? t[idx].code : "";
}

int yb__enrol_check_policy(const struct yb_policy *p, struct yb_err *e)
{
    if (p == NULL)
        return yb_err_set(e, YB_EINVAL, "policy", "no policy given");
    if (p->financing == NULL)
        return yb_err_set(e, YB_EPOLICY, "financing",
                          "the policy has no financing section");
    if (p->enrol == NULL)
        return yb_err_set(e, YB_EPOLICY, "enrolment",
                          "the policy has no enrolment section");
    return YB_OK;
}

/* ---- history and cover --------------------------------------------------
 */

/* The last year before `year` psn_no was covered (0: never), and the
 * years of arrears repaid (补缴) after it. */
static int history(yb_store *s, const char *psn_no, int year, int *last,
                   int *repaid, struct yb_err *e)
{
    yb_stmt *st;
    int rc;
    if (*last < 0) {
        rc =
            yb_store_prepare(s, "SELECT " YB__LAST_COVERED("$1", "$2"), &st, e);
        if (rc != YB_OK)
            return rc;
        yb_stmt_bind_text(st, 1, psn_no);
        yb_stmt_bind_int(st, 2, year);
        rc = yb_stmt_step(st, e);
        *last = rc == YB_ROW ? (int)yb_stmt_int(st, 0) : 0;
        yb_stmt_reset(st);
        if (rc != YB_ROW)
            return rc;
    }
    *repaid = 0;
    /* never covered is no break (nothing to repair); covered last year
     * leaves no year between */
    if (*last == 0 || *last >= year - 1)
        return YB_OK;
    rc = yb_store_prepare(s,
                          "SELECT COUNT(DISTINCT year) FROM enrolment WHERE "
                          "psn_no = $1 AND scheme = 'basic' AND year > $2 AND "
                          "year < $3 AND status = 'repaid'",
                          &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    yb_stmt_bind_int(st, 2, *last);
    yb_stmt_bind_int(st, 3, year);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        *repaid = (int)yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

int yb__enrol_cover(yb_store *s, const struct yb_policy *p,
                    const struct yb_enrolment *en, yb_date birth,
                    uint64_t idets, yb_date paid, int last,
                    struct yb_coverage *c, struct yb_err *e)
{
    const struct yb_financing *f = p->financing;
    struct yb_enrol_event ev = {
        .birth = birth,
        .psn_type = yb__enrol_psn_type(en),
        .idets = idets,
        .coverage_year = en->year,
        .payment_date = paid,
        .in_window = f->window_from <= paid && paid <= f->window_to,
        .last_covered_year = last,
    };
    int rc = history(s, en->psn_no, en->year, &ev.last_covered_year,
                     &ev.repaid_years, e);
    if (rc == YB_OK)
        rc = yb_coverage_start(p->enrol, &ev, c, e);
    return rc;
}

/* ---- writing rows --------------------------------------------------------
 */

static void bind_date(yb_stmt *st, int i, yb_date d)
{
    char buf[11];
    if (d)
        yb_stmt_bind_text(st, i, yb_date_format(d, buf));
    else
        yb_stmt_bind_null(st, i);
}

int yb__enrol_update(yb_store *s, const struct yb_enrolment *en,
                     struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "UPDATE enrolment SET status = $2, tier = $3, covered_from = $4, "
        "covered_to = $5, waiting_until = $6 WHERE id = $1",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, en->id);
    yb_stmt_bind_text(st, 2, en->status);
    yb_stmt_bind_int(st, 3, en->tier);
    bind_date(st, 4, en->covered_from);
    bind_date(st, 5, en->covered_to);
    bind_date(st, 6, en->waiting_until);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* Insert en (its id is set from the new row). Callers look for a live
 * enrolment first and name it; the partial unique index still refuses a
 * second one (YB_EDUPLICATE) whatever writes it. */
static int insert_row(yb_store *s, struct yb_enrolment *en, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, "
        "psn_type, tier, unit_kind, unit_ref, status, covered_from, "
        "covered_to, waiting_until, event_id) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, en->psn_no);
    yb_stmt_bind_text(st, 2, en->insutype);
    yb_stmt_bind_text(st, 3, yb__enrol_scheme(en->insutype));
    yb_stmt_bind_int(st, 4, en->year);
    yb_stmt_bind_text(st, 5, en->admdvs);
    yb_stmt_bind_text(st, 6, en->psn_type);
    yb_stmt_bind_int(st, 7, en->tier);
    yb_stmt_bind_text(st, 8, en->unit_kind);
    yb_stmt_bind_text(st, 9, en->unit_ref[0] ? en->unit_ref : NULL);
    yb_stmt_bind_text(st, 10, en->status);
    bind_date(st, 11, en->covered_from);
    bind_date(st, 12, en->covered_to);
    bind_date(st, 13, en->waiting_until);
    yb_stmt_bind_int(st, 14, en->event_id);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        en->id = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

/* The person type on 1 January of the year, or on the birth day of a
 * child born during it (docs/financing.md; the policy's person_types). */
static int person_type(const struct yb_policy *p,
                       const struct yb_person_rec *psn, int year, int *out,
                       struct yb_err *e)
{
    char b[11];
    yb_date jan1 = yb_date_from_ymd(year, 1, 1);
    if (psn->brdy > yb_date_from_ymd(year, 12, 31))
        return yb_err_set(e, YB_EINVAL, "brdy",
                          "birth date %s of %s is after the coverage year %d",
                          yb_date_format(psn->brdy, b), psn->psn_no, year);
    return yb_psn_type_for(p->enrol, psn->brdy,
                           psn->brdy > jan1 ? psn->brdy : jan1,
                           (enum yb_student)psn->student, out, e);
}

/* Status and cover of a new row: covered at once when assistance pays the
 * whole contribution on day n->on (特困, docs/financing.md), else pending.
 * After the year, cover is a matter for a payment (arrears buy none). */
static int initial_status(yb_store *s, const struct yb__enrol_new *n,
                          struct yb_enrolment *en, struct yb_err *e)
{
    uint64_t idets = 0;
    struct yb_contribution due = {0};
    struct yb_coverage c;
    yb__svc_copy(en->status, sizeof en->status, YB_ENROL_PENDING);
    if (!n->cover_assisted || n->on > yb_date_from_ymd(en->year, 12, 31))
        return YB_OK;
    int rc = yb_identity_on(s, en->psn_no, n->on, &idets, e);
    if (rc == YB_OK)
        rc = yb_contribution_due(n->policy->financing, yb__enrol_psn_type(en),
                                 idets, en->tier, &due, e);
    if (rc != YB_OK || due.own > 0)
        return rc;
    rc = yb__enrol_cover(s, n->policy, en, n->person->brdy, idets, n->on, -1,
                         &c, e);
    if (rc != YB_OK)
        return rc;
    yb__svc_copy(en->status, sizeof en->status, YB_ENROL_COVERED);
    en->covered_from = c.covered_from;
    en->waiting_until = c.waiting_until;
    return YB_OK;
}

int yb__enrol_create(yb_store *s, const struct yb_actor *who,
                     const struct yb__enrol_new *n, struct yb_enrolment *out,
                     struct yb_err *e)
{
    const struct yb_policy *p = n->policy;
    const struct yb_person_rec *psn = n->person;
    struct yb_enrolment en = {0};
    char pool[7];
    bool found = false;
    int type = -1;
    int rc = n->no_live
                 ? YB_OK
                 : yb__enrol_live(s, psn->psn_no, yb__enrol_scheme(p->insutype),
                                  p->year, &en, &found, e);
    if (rc == YB_OK && found)
        return yb__enrol_duplicate(&en, n->dup_field, e);
    if (rc == YB_OK && n->pool)
        memcpy(pool, n->pool, sizeof pool);
    else if (rc == YB_OK)
        rc = yb__svc_pooling(s, psn->resd_admdvs, pool, e);
    if (rc == YB_OK && strcmp(pool, p->region) != 0)
        return yb_err_set(e, YB_EINVAL, n->region_field,
                          "%s lives in pooling region %s, not in the "
                          "policy's region %s",
                          psn->psn_no, pool, p->region);
    if (rc == YB_OK)
        rc = person_type(p, psn, p->year, &type, e);
    if (rc != YB_OK)
        return rc;
    memset(&en, 0, sizeof en);
    yb__svc_copy(en.psn_no, sizeof en.psn_no, psn->psn_no);
    yb__svc_copy(en.insutype, sizeof en.insutype, p->insutype);
    en.year = p->year;
    memcpy(en.admdvs, pool, 7);
    yb__svc_copy(en.psn_type, sizeof en.psn_type, psn_type_code(type));
    en.tier = n->tier;
    yb__svc_copy(en.unit_kind, sizeof en.unit_kind, n->unit_kind);
    yb__svc_copy(en.unit_ref, sizeof en.unit_ref, n->unit_ref);
    rc = initial_status(s, n, &en, e);
    en.event_id = n->event_id;
    if (rc == YB_OK && !en.event_id)
        rc = yb__svc_event(s, who, "enrolment.add", en.psn_no, &en.event_id, e);
    if (rc == YB_OK && !n->defer)
        rc = insert_row(s, &en, e);
    if (rc == YB_OK)
        *out = en;
    return rc;
}

int yb__enrol_save(yb_store *s, struct yb_enrolment *en, struct yb_err *e)
{
    return en->id ? yb__enrol_update(s, en, e) : insert_row(s, en, e);
}

/* ---- enrolling persons ---------------------------------------------------
 */

struct enrol_run {
    const struct yb_actor *who;
    const struct yb_enrol_req *r;
    struct yb_enrol_result *res;
    struct yb_arena *a;
    yb_date on;
};

static bool unit_valid(const char *u)
{
    return strcmp(u, "individual") == 0 || strcmp(u, "household") == 0 ||
           strcmp(u, "school") == 0;
}

/* The unit a person enrols in: the request's, else by how they were
 * found. */
static int unit_of(const struct enrol_run *x, const struct yb_person_rec *psn,
                   const char **kind, const char **ref, struct yb_err *e)
{
    const char *u = x->r->unit_kind;
    if (!u) {
        bool pupil = psn->student != YB_STUDENT_NONE && psn->school_code;
        u = x->r->by == YB_ENROL_BY_PERSON      ? "individual"
            : x->r->by == YB_ENROL_BY_HOUSEHOLD ? "household"
            : x->r->by == YB_ENROL_BY_SCHOOL    ? "school"
            : pupil                             ? "school"
            : psn->hh_id                        ? "household"
                                                : "individual";
    }
    *kind = u;
    *ref = strcmp(u, "household") == 0 ? psn->hh_id
           : strcmp(u, "school") == 0  ? psn->school_code
                                       : NULL;
    if (strcmp(u, "individual") != 0 && !*ref)
        return yb_err_set(e, YB_EINVAL, "unit_kind",
                          "%s has no %s to enrol through", psn->psn_no,
                          strcmp(u, "school") == 0 ? "school" : "household");
    return YB_OK;
}

/* Enrol one person found by key. Bulk requests skip a person enrolled
 * already and (all) a person of another region. */
static int enrol_person(yb_store *s, struct enrol_run *x, const char *key,
                        struct yb_err *e)
{
    const struct yb_enrol_req *r = x->r;
    struct yb_person_rec psn;
    struct yb_enrolment en;
    const char *kind = NULL, *ref = NULL;
    bool bulk = r->by != YB_ENROL_BY_PERSON, found = false;
    int rc = yb_person_find(s, key, x->a, &psn, e);
    if (rc == YB_ENOTFOUND)
        return yb_err_set(e, YB_ENOTFOUND, "person",
                          "no person with number or ID %s", key);
    if (rc == YB_OK && bulk)
        rc =
            yb__enrol_live(s, psn.psn_no, yb__enrol_scheme(r->policy->insutype),
                           r->year, &en, &found, e);
    if (rc != YB_OK)
        return rc;
    if (found) {
        x->res->skipped++;
        return YB_OK;
    }
    if (r->by == YB_ENROL_BY_ALL) {
        char pool[7];
        rc = yb__svc_pooling(s, psn.resd_admdvs, pool, e);
        if (rc != YB_OK)
            return rc;
        if (strcmp(pool, r->policy->region) != 0) {
            x->res->elsewhere++;
            return YB_OK;
        }
    }
    rc = unit_of(x, &psn, &kind, &ref, e);
    struct yb__enrol_new n = {.policy = r->policy,
                              .person = &psn,
                              .tier = r->tier > 0 ? r->tier : 1,
                              .unit_kind = kind,
                              .unit_ref = ref,
                              .on = x->on,
                              .cover_assisted = true,
                              .dup_field = "person",
                              .region_field = "admdvs",
                              .no_live = bulk && r->year == r->policy->year};
    if (rc == YB_OK)
        rc = yb__enrol_create(s, x->who, &n, &en, e);
    if (rc != YB_OK)
        return rc;
    x->res->enrolled++;
    x->res->covered += strcmp(en.status, YB_ENROL_COVERED) == 0;
    if (r->each)
        r->each(&en, r->ud);
    return YB_OK;
}

/* psn_no values collected before any is enrolled, so no read stays open
 * while rows are written (one result set at a time on every backend). */
struct keys {
    const char **v;
    size_t n, cap;
};

static int push_key(struct yb_arena *a, struct keys *k, const char *key,
                    struct yb_err *e)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        const char **v = yb_arena_alloc(a, cap * sizeof *v);
        if (!v)
            return yb_err_set(e, YB_ENOMEM, "enrol", "out of memory");
        if (k->n)
            memcpy(v, k->v, k->n * sizeof *v);
        k->v = v;
        k->cap = cap;
    }
    k->v[k->n] = yb_arena_strdup(a, key);
    if (!k->v[k->n])
        return yb_err_set(e, YB_ENOMEM, "enrol", "out of memory");
    k->n++;
    return YB_OK;
}

static int collect(yb_store *s, const struct yb_enrol_req *r,
                   struct yb_arena *a, struct keys *k, struct yb_err *e)
{
    static const char *const sql[] = {
        [YB_ENROL_BY_HOUSEHOLD] =
            "SELECT psn_no FROM person WHERE hh_id = $1 ORDER BY psn_no",
        [YB_ENROL_BY_SCHOOL] = "SELECT psn_no FROM person WHERE school_code "
                               "= $1 AND student_kind IN ('school', "
                               "'college') ORDER BY psn_no",
        [YB_ENROL_BY_ALL] = "SELECT psn_no FROM person ORDER BY psn_no",
    };
    yb_stmt *st;
    if (r->by == YB_ENROL_BY_PERSON)
        return push_key(a, k, r->key, e);
    int rc = yb_store_prepare(s, sql[r->by], &st, e);
    if (rc != YB_OK)
        return rc;
    if (r->by != YB_ENROL_BY_ALL)
        yb_stmt_bind_text(st, 1, r->key);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW)
        if ((rc = push_key(a, k, yb_stmt_text(st, 0), e)) != YB_OK)
            break;
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    if (k->n == 0 && r->by != YB_ENROL_BY_ALL)
        return yb_err_set(
            e, YB_ENOTFOUND,
            r->by == YB_ENROL_BY_SCHOOL ? "school" : "household",
            "no %s of %s %s is registered",
            r->by == YB_ENROL_BY_SCHOOL ? "pupil or student" : "member",
            r->by == YB_ENROL_BY_SCHOOL ? "school" : "household", r->key);
    return YB_OK;
}

static int enrol_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct enrol_run *x = arg;
    struct yb_arena keys_arena, person_arena;
    struct keys k = {0};
    yb_arena_init(&keys_arena, 1 << 16);
    yb_arena_init(&person_arena, 4096);
    x->a = &person_arena;
    int rc = collect(s, x->r, &keys_arena, &k, e);
    for (size_t i = 0; rc == YB_OK && i < k.n; i++) {
        rc = enrol_person(s, x, k.v[i], e);
        yb_arena_reset(&person_arena);
    }
    yb_arena_free(&person_arena);
    yb_arena_free(&keys_arena);
    return rc;
}

static int check_req(const struct yb_enrol_req *r, struct yb_err *e)
{
    int rc = yb__enrol_check_policy(r->policy, e);
    if (rc != YB_OK)
        return rc;
    if (r->year != r->policy->year)
        return yb_err_set(e, YB_EINVAL, "year",
                          "%d is not the policy's coverage year %d", r->year,
                          r->policy->year);
    int tier = r->tier > 0 ? r->tier : 1;
    if (r->tier < 0 || tier > r->policy->financing->n_tiers)
        return yb_err_set(e, YB_EINVAL, "tier",
                          "%d is not a contribution tier of the policy (1 to "
                          "%d)",
                          r->tier, r->policy->financing->n_tiers);
    if (r->unit_kind && !unit_valid(r->unit_kind))
        return yb_err_set(e, YB_EINVAL, "unit_kind",
                          "\"%s\" is not individual, household or school",
                          r->unit_kind);
    if ((int)r->by < YB_ENROL_BY_PERSON || r->by > YB_ENROL_BY_ALL)
        return yb_err_set(e, YB_EINVAL, "by", "%d is not a way to enrol",
                          (int)r->by);
    if (r->by != YB_ENROL_BY_ALL && (!r->key || !r->key[0]))
        return yb_err_set(e, YB_EINVAL,
                          r->by == YB_ENROL_BY_PERSON      ? "person"
                          : r->by == YB_ENROL_BY_HOUSEHOLD ? "household"
                                                           : "school",
                          "is empty");
    return YB_OK;
}

int yb_enrol(yb_store *s, const struct yb_actor *who,
             const struct yb_enrol_req *r, struct yb_enrol_result *out,
             struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    struct enrol_run x = {.who = who, .r = r, .res = out};
    int rc = check_req(r, e);
    if (rc == YB_OK)
        rc = yb_datetime_parse(who->now, true, &x.on, NULL, "now", e);
    if (rc == YB_OK)
        rc = yb__svc_in_txn(s, enrol_run, &x, e);
    if (rc != YB_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- transfer (转移接续) -------------------------------------------------
 */

struct transfer {
    const struct yb_actor *who;
    const char *person, *to;
    int year;
    yb_date date;
    struct yb_enrolment from, into;
};

static int transfer_check(yb_store *s, struct transfer *t, char pool[7],
                          struct yb_err *e)
{
    char a[11], b[11];
    const struct yb_enrolment *en = &t->from;
    if (strcmp(en->status, YB_ENROL_COVERED) != 0)
        return yb_err_set(e, YB_EINVAL, "status",
                          "enrolment %lld of %s is %s: only a covered "
                          "enrolment transfers",
                          (long long)en->id, en->psn_no, en->status);
    int rc = yb__svc_pooling(s, t->to, pool, e);
    if (rc != YB_OK)
        return rc;
    if (strcmp(pool, en->admdvs) == 0)
        return yb_err_set(e, YB_EINVAL, "to",
                          "%s is in region %s, where enrolment %lld is already",
                          t->to, pool, (long long)en->id);
    if (yb_date_year(t->date) != t->year)
        return yb_err_set(e, YB_EINVAL, "date", "%s is outside the year %d",
                          yb_date_format(t->date, a), t->year);
    if (en->covered_from && t->date <= en->covered_from)
        return yb_err_set(e, YB_EINVAL, "date",
                          "%s is not after the start of cover %s of "
                          "enrolment %lld",
                          yb_date_format(t->date, a),
                          yb_date_format(en->covered_from, b),
                          (long long)en->id);
    return YB_OK;
}

/* Transfer psn_no's live enrolment of t->year (the person found). */
static int transfer_person(yb_store *s, struct transfer *t, const char *psn_no,
                           struct yb_err *e)
{
    char pool[7];
    bool found = false;
    int rc = yb__enrol_live(s, psn_no, "basic", t->year, &t->from, &found, e);
    if (rc == YB_OK && !found)
        rc = yb_err_set(e, YB_ENOTFOUND, "year",
                        "%s has no live enrolment for %d", psn_no, t->year);
    if (rc == YB_OK)
        rc = transfer_check(s, t, pool, e);
    if (rc != YB_OK)
        return rc;
    t->into = t->from;
    rc = yb__svc_event(s, t->who, "enrolment.transfer", psn_no,
                       &t->into.event_id, e);
    snprintf(t->from.status, sizeof t->from.status, YB_ENROL_TRANSFERRED);
    t->from.covered_to = t->date - 1;
    if (rc == YB_OK)
        rc = yb__enrol_update(s, &t->from, e);
    memcpy(t->into.admdvs, pool, 7);
    snprintf(t->into.unit_kind, sizeof t->into.unit_kind, "transfer");
    snprintf(t->into.unit_ref, sizeof t->into.unit_ref, "%lld",
             (long long)t->from.id);
    t->into.covered_from = t->date; /* the day after the old cover ends */
    if (rc == YB_OK)
        rc = insert_row(s, &t->into, e);
    return rc;
}

static int transfer_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct transfer *t = arg;
    struct yb_person_rec psn;
    struct yb_arena a;
    yb_arena_init(&a, 1024);
    int rc = yb_person_find(s, t->person, &a, &psn, e);
    if (rc == YB_ENOTFOUND)
        rc = yb_err_set(e, YB_ENOTFOUND, "person",
                        "no person with number or ID %s", t->person);
    if (rc == YB_OK)
        rc = transfer_person(s, t, psn.psn_no, e);
    yb_arena_free(&a);
    return rc;
}

int yb_enrol_transfer(yb_store *s, const struct yb_actor *who,
                      const char *person, int year, const char *to_admdvs,
                      yb_date date, struct yb_enrolment *from_out,
                      struct yb_enrolment *to_out, struct yb_err *e)
{
    if (!to_admdvs || !yb_region_valid(to_admdvs))
        return yb_err_set(e, YB_EINVAL, "to", "\"%s\" is not a region code",
                          to_admdvs ? to_admdvs : "");
    if (!person || !person[0])
        return yb_err_set(e, YB_EINVAL, "person", "is empty");
    struct transfer t = {.who = who,
                         .person = person,
                         .to = to_admdvs,
                         .year = year,
                         .date = date};
    int rc = yb__svc_in_txn(s, transfer_run, &t, e);
    if (rc == YB_OK && from_out)
        *from_out = t.from;
    if (rc == YB_OK && to_out)
        *to_out = t.into;
    return rc;
}

/* ---- residence changes (居住地变更) ---------------------------------------
 */

struct move_run {
    const struct yb_actor *who;
    const struct yb_move *m;
    struct yb_move_result *out;
    yb_date today;
};

/* The day of the person's last move, 0 when none. */
static int last_move(yb_store *s, const char *psn_no, yb_date *out,
                     struct yb_err *e)
{
    yb_stmt *st;
    *out = 0;
    int rc = yb_store_prepare(s,
                              "SELECT MAX(moved_on) FROM residence_change "
                              "WHERE psn_no = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    rc = yb_stmt_step(st, e);
    const char *d = rc == YB_ROW ? yb_stmt_text(st, 0) : NULL;
    if (d)
        rc = yb_date_parse(d, out, "moved_on", e) == YB_OK ? YB_ROW : YB_ESTORE;
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

static int move_check(yb_store *s, struct move_run *x,
                      const struct yb_person_rec *p, struct yb_err *e)
{
    const struct yb_move *m = x->m;
    char a[11], b[11];
    yb_date last = 0;
    if (strcmp(p->resd_admdvs, m->to_admdvs) == 0)
        return yb_err_set(e, YB_EINVAL, "to",
                          "%s is already the residence of %s", m->to_admdvs,
                          p->psn_no);
    if (m->date > x->today)
        return yb_err_set(e, YB_EINVAL, "date", "%s is after today %s",
                          yb_date_format(m->date, a),
                          yb_date_format(x->today, b));
    if (m->date < p->brdy)
        return yb_err_set(
            e, YB_EINVAL, "date", "%s is before the birth of %s on %s",
            yb_date_format(m->date, a), p->psn_no, yb_date_format(p->brdy, b));
    int rc = last_move(s, p->psn_no, &last, e);
    if (rc == YB_OK && m->date < last)
        return yb_err_set(e, YB_EINVAL, "date",
                          "%s is before the last change of residence of %s "
                          "on %s",
                          yb_date_format(m->date, a), p->psn_no,
                          yb_date_format(last, b));
    return rc;
}

static int record_move(yb_store *s, struct move_run *x, struct yb_err *e)
{
    struct yb_move_result *out = x->out;
    char day[11];
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "UPDATE person SET resd_admdvs = $2 WHERE "
                              "psn_no = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, out->psn_no);
    yb_stmt_bind_text(st, 2, out->to_admdvs);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    rc = yb_store_prepare(
        s,
        "INSERT INTO residence_change (psn_no, from_admdvs, to_admdvs, "
        "moved_on, reason, event_id) VALUES ($1, $2, $3, $4, $5, $6) "
        "RETURNING id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, out->psn_no);
    yb_stmt_bind_text(st, 2, out->from_admdvs);
    yb_stmt_bind_text(st, 3, out->to_admdvs);
    yb_stmt_bind_text(st, 4, yb_date_format(x->m->date, day));
    yb_stmt_bind_text(st, 5, x->m->reason);
    yb_stmt_bind_int(st, 6, out->event_id);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        out->change_id = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

static int move_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct move_run *x = arg;
    struct yb_move_result *out = x->out;
    const struct yb_move *m = x->m;
    struct yb_person_rec p;
    struct yb_arena a;
    yb_arena_init(&a, 1024);
    int rc = yb_person_find(s, m->person, &a, &p, e);
    if (rc == YB_ENOTFOUND)
        rc = yb_err_set(e, YB_ENOTFOUND, "person",
                        "no person with number or ID %s", m->person);
    if (rc == YB_OK)
        rc = move_check(s, x, &p, e);
    if (rc == YB_OK) {
        snprintf(out->psn_no, sizeof out->psn_no, "%s", p.psn_no);
        snprintf(out->from_admdvs, 7, "%s", p.resd_admdvs);
        snprintf(out->to_admdvs, 7, "%s", m->to_admdvs);
        rc = yb__svc_pooling(s, out->from_admdvs, out->from_pool, e);
    }
    if (rc == YB_OK)
        rc = yb__svc_pooling(s, out->to_admdvs, out->to_pool, e);
    if (rc == YB_OK && m->transfer && strcmp(out->from_pool, out->to_pool) == 0)
        rc = yb_err_set(e, YB_EINVAL, "transfer",
                        "%s and %s are both in pooling region %s: there is "
                        "no enrolment to transfer",
                        out->from_admdvs, out->to_admdvs, out->to_pool);
    if (rc == YB_OK)
        rc = yb__svc_event(s, x->who, "person.move", out->psn_no,
                           &out->event_id, e);
    if (rc == YB_OK && m->reason && m->reason[0])
        rc = yb_audit_append(s, out->event_id, x->who->name,
                             "person.move.reason", m->reason, x->who->now, e);
    if (rc == YB_OK)
        rc = record_move(s, x, e);
    if (rc == YB_OK && m->transfer) {
        /* the transfer belongs to the move's event */
        struct yb_actor in_move = *x->who;
        in_move.event_id = out->event_id;
        struct transfer t = {.who = &in_move,
                             .person = out->psn_no,
                             .to = out->to_admdvs,
                             .year = yb_date_year(m->date),
                             .date = m->date};
        rc = transfer_person(s, &t, out->psn_no, e);
        out->from = t.from;
        out->into = t.into;
        out->transferred = rc == YB_OK;
    }
    yb_arena_free(&a);
    return rc;
}

int yb_person_move(yb_store *s, const struct yb_actor *who,
                   const struct yb_move *m, struct yb_move_result *out,
                   struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    if (!m->person || !m->person[0])
        return yb_err_set(e, YB_EINVAL, "person", "is empty");
    if (!m->to_admdvs || !yb_region_valid(m->to_admdvs))
        return yb_err_set(e, YB_EINVAL, "to", "\"%s\" is not a region code",
                          m->to_admdvs ? m->to_admdvs : "");
    struct move_run x = {.who = who, .m = m, .out = out};
    int rc = yb_datetime_parse(who->now, true, &x.today, NULL, "now", e);
    if (rc == YB_OK)
        rc = yb__svc_in_txn(s, move_run, &x, e);
    if (rc != YB_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int yb_person_moves(yb_store *s, const char *psn_no, yb_residence_fn fn,
                    void *ud, struct yb_err *e)
{
    yb_stmt *st;
    struct yb_residence_change c;
    int rc = yb_store_prepare(s,
                              "SELECT id, event_id, from_admdvs, to_admdvs, "
                              "moved_on, reason FROM residence_change WHERE "
                              "psn_no = $1 ORDER BY moved_on, id",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        const char *r = yb_stmt_text(st, 5);
        c.id = yb_stmt_int(st, 0);
        c.event_id = yb_stmt_int(st, 1);
        snprintf(c.from_admdvs, sizeof c.from_admdvs, "%s",
                 yb_stmt_text(st, 2));
        snprintf(c.to_admdvs, sizeof c.to_admdvs, "%s", yb_stmt_text(st, 3));
        snprintf(c.moved_on, sizeof c.moved_on, "%s", yb_stmt_text(st, 4));
        snprintf(c.reason, sizeof c.reason, "%s", r ? r : "");
        fn(&c, ud);
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* ---- reading -------------------------------------------------------------
 */

/* Read in the order of the index (psn_no, scheme, year) and put in order
 * of (year, id) here: an ORDER BY that no index gives is a sorter that
 * SQLite opens and frees at every call, half the cost of a 1101's look-up
 * of a person's enrolments (a handful of rows). */
int yb_enrol_list(yb_store *s, const char *psn_no, yb_enrolment_fn fn, void *ud,
                  struct yb_err *e)
{
    yb_stmt *st;
    struct yb_enrolment *v = NULL;
    size_t n = 0, cap = 0;
    int rc = yb_store_prepare(
        s, "SELECT " ENROL_COLS " FROM enrolment WHERE psn_no = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        if (n == cap) {
            struct yb_enrolment *w =
                realloc(v, (cap = cap ? cap * 2 : 8) * sizeof *v);
            if (!w) {
                rc = yb_err_set(e, YB_ENOMEM, "enrolment",
                                "内存不足 (out of memory)");
                break;
            }
            v = w;
        }
        read_row(st, &v[n]);
        /* insertion: a person's rows come nearly in order already */
        size_t i = n++;
        struct yb_enrolment x = v[i];
        for (; i > 0 && (v[i - 1].year > x.year ||
                         (v[i - 1].year == x.year && v[i - 1].id > x.id));
             i--)
            v[i] = v[i - 1];
        v[i] = x;
    }
    yb_stmt_reset(st);
    if (rc == YB_DONE) {
        rc = YB_OK;
        for (size_t i = 0; i < n; i++)
            fn(&v[i], ud);
    }
    free(v);
    return rc;
}

/* Rows of (key, count) of one grouped query into arena a. */
static int counts(yb_store *s, const char *sql, int year, struct yb_arena *a,
                  struct yb_count **out, size_t *n, struct yb_err *e)
{
    yb_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = yb_store_prepare(s, sql, &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, year);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct yb_count *v = yb_arena_alloc(a, cap * sizeof *v);
            if (!v) {
                rc = yb_err_set(e, YB_ENOMEM, "summary", "out of memory");
                break;
            }
            if (*n)
                memcpy(v, *out, *n * sizeof *v);
            *out = v;
        }
        const char *k = yb_stmt_text(st, 0);
        (*out)[*n].key = yb_arena_strdup(a, k ? k : "");
        (*out)[*n].n = yb_stmt_int(st, 1);
        if (!(*out)[(*n)++].key) {
            rc = yb_err_set(e, YB_ENOMEM, "summary", "out of memory");
            break;
        }
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int money_totals(yb_store *s, struct yb_enrol_summary *out,
                        struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "SELECT COALESCE(SUM(personal), 0), COALESCE(SUM(assisted), 0), "
        "COALESCE(SUM(CASE WHEN kind = 'payment' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN kind = 'refund' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN kind = 'correction' THEN 1 ELSE 0 END), 0) "
        "FROM contribution WHERE year = $1",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, out->year);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        out->personal = yb_stmt_int(st, 0);
        out->assisted = yb_stmt_int(st, 1);
        out->payments = yb_stmt_int(st, 2);
        out->refunds = yb_stmt_int(st, 3);
        out->corrections = yb_stmt_int(st, 4);
    }
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

int yb_enrol_summary(yb_store *s, int year, struct yb_arena *a,
                     struct yb_enrol_summary *out, struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    int rc = counts(s,
                    "SELECT status, COUNT(*) FROM enrolment WHERE year = $1 "
                    "GROUP BY status ORDER BY status",
                    year, a, &out->status, &out->n_status, e);
    if (rc == YB_OK)
        rc = counts(s,
                    "SELECT psn_type, COUNT(*) FROM enrolment WHERE year = $1 "
                    "AND status NOT IN ('cancelled', 'transferred') "
                    "GROUP BY psn_type ORDER BY psn_type",
                    year, a, &out->psn_type, &out->n_psn_type, e);
    if (rc == YB_OK)
        rc = counts(s,
                    "SELECT admdvs, COUNT(*) FROM enrolment WHERE year = $1 "
                    "AND status NOT IN ('cancelled', 'transferred') "
                    "GROUP BY admdvs ORDER BY admdvs",
                    year, a, &out->region, &out->n_region, e);
    for (size_t i = 0; rc == YB_OK && i < out->n_status; i++)
        out->rows += out->status[i].n;
    if (rc == YB_OK)
        rc = money_totals(s, out, e);
    return rc;
}
