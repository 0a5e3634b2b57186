/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface between the enrolment service (enrolment.c), the
 * contribution service (contribution.c) and the payment import
 * (import_payment.c): reading and writing enrolment rows, the one-live-
 * enrolment rule and its message, a person's pooling region and coverage
 * history, and the transaction and event helpers every entry point uses.
 */
#ifndef YIBAO_ENROLMENT_INT_H
#define YIBAO_ENROLMENT_INT_H

#include "service_int.h"
#include "yibao/enrolment.h"

/* "basic" for the basic schemes 390 and 310 (no duplicate enrolment across
 * them, docs/financing.md), else the insurance type itself. Static
 * storage or insutype. */
const char *yb__enrol_scheme(const char *insutype);

/* An enrolment row's columns, each prefixed with `t`, in the order
 * yb__enrol_read reads them from column c on. */
#define YB__ENROL_COLS(t)                                                      \
    t "id, " t "psn_no, " t "insutype, " t "year, " t "admdvs, " t             \
      "psn_type, " t "tier, " t "unit_kind, " t "unit_ref, " t "status, " t    \
      "covered_from, " t "covered_to, " t "waiting_until, " t "event_id"
void yb__enrol_read(yb_stmt *st, int c, struct yb_enrolment *en);

/* The live (not cancelled, not transferred) enrolment of psn_no in the
 * scheme for year: *found says whether there is one. */
int yb__enrol_live(yb_store *s, const char *psn_no, const char *scheme,
                   int year, struct yb_enrolment *out, bool *found,
                   struct yb_err *e);

/* Re-read enrolment id into *out. */
int yb__enrol_get(yb_store *s, int64_t id, struct yb_enrolment *out,
                  struct yb_err *e);

/* YB_EDUPLICATE on field, naming the existing enrolment. */
int yb__enrol_duplicate(const struct yb_enrolment *en, const char *field,
                        struct yb_err *e);

/* The last year before `year` in which the person in column or parameter
 * `psn` was covered by the basic scheme (0: never), as a scalar subquery. */
#define YB__LAST_COVERED(psn, year)                                            \
    "(SELECT COALESCE(MAX(year), 0) FROM enrolment h WHERE h.psn_no = " psn    \
    " AND h.scheme = 'basic' AND h.year < " year                               \
    " AND h.status IN ('covered', 'transferred'))"

/* Cover for psn_no's enrolment en paid (or, for a wholly assisted person,
 * enrolled) on `paid`: the policy's window, the history of earlier years
 * (last year covered, years of arrears repaid since) and the newborn
 * grace, through yb_coverage_start. `last` is the last year covered when
 * the caller read it already (YB__LAST_COVERED), else -1. */
int yb__enrol_cover(yb_store *s, const struct yb_policy *p,
                    const struct yb_enrolment *en, yb_date birth,
                    uint64_t idets, yb_date paid, int last,
                    struct yb_coverage *c, struct yb_err *e);

/* The psn_type index of en (YB_DICT_PSN_TYPE). */
int yb__enrol_psn_type(const struct yb_enrolment *en);

/* Write en's status, tier, covered_from, covered_to and waiting_until. */
int yb__enrol_update(yb_store *s, const struct yb_enrolment *en,
                     struct yb_err *e);

/* A new enrolment of person for p's year, judged on day `on` (identities
 * held that day; with cover_assisted, a wholly assisted person is covered
 * as if paid then, unless the year is over):
 * checks the one-live-enrolment rule (YB_EDUPLICATE on dup_field) and the
 * pooling region (YB_EINVAL on region_field), derives the person type,
 * writes the row under event_id (0: its own event 'enrolment.add'). */
struct yb__enrol_new {
    const struct yb_policy *policy;
    const struct yb_person_rec *person;
    int tier;
    const char *unit_kind, *unit_ref;
    yb_date on;
    bool cover_assisted;
    int64_t event_id;
    const char *dup_field, *region_field;
    bool no_live;     /* the caller found no live enrolment in this txn */
    bool defer;       /* fill the row in, leave it to yb__enrol_save */
    const char *pool; /* the person's pooling region if known (NULL: look) */
};
int yb__enrol_create(yb_store *s, const struct yb_actor *who,
                     const struct yb__enrol_new *n, struct yb_enrolment *out,
                     struct yb_err *e);

/* Write en: insert it when it has no id yet (a deferred create), else
 * update its status, tier and dates. */
int yb__enrol_save(yb_store *s, struct yb_enrolment *en, struct yb_err *e);

/* What a payment reads before it decides, in one statement: the person
 * by ID number (or psn_no), the live enrolment of p's scheme for year, the
 * net amounts recorded for the year, the identities held on the day paid
 * and the last year covered before (all of *out set, en zero when none
 * is found, and then the person's pooling region for the new one). The person's
 * strings are in a. YB_ENOTFOUND (field certno) when no person has the key. */
struct yb__pay_seen {
    struct yb_person_rec psn;
    struct yb_enrolment en; /* when found */
    bool found;             /* en is the year's live enrolment */
    uint64_t idets;
    int last_covered;             /* 0: never */
    yb_fen had_own, had_assisted; /* recorded for the year already */
    char pool[7]; /* when !found: the pooling region the person lives in */
};
int yb__pay_read(yb_store *s, const struct yb_policy *p, const char *key,
                 int year, yb_date paid, struct yb_arena *a,
                 struct yb__pay_seen *out, struct yb_err *e);
/* yb_contribution_pay with what yb__pay_read returned, read by the caller
 * (on another connection, ahead) in a state of the database that this
 * transaction has not changed for the person since; NULL: read it here. */
int yb__contribution_pay_seen(yb_store *s, const struct yb_actor *who,
                              const struct yb_policy *p,
                              const struct yb_payment *pay,
                              const struct yb__pay_seen *seen,
                              struct yb_payment_result *out, struct yb_err *e);

/* Check that p has what enrolment and payment need. */
int yb__enrol_check_policy(const struct yb_policy *p, struct yb_err *e);

#endif
