/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Enrolment (参保登记) and contribution collection (缴费) as services over
 * the store (docs/financing.md). A person enrols for a coverage year under a
 * region's policy — by themselves, with their household or through their
 * school — and the enrolment waits for payment ('pending') unless medical
 * assistance pays the whole contribution (特困: 'covered' at once). A
 * payment is one business event: the contribution row, its fund ledger
 * entries (docs/ledger.md) and the enrolment's cover (from when, waiting
 * until when, by the policy's rules and the person's history) are written
 * together or not at all (docs/architecture.md, principle 5). Corrections
 * are new records: a refund writes a 'refund' row reversing the payment and its
 * entries. Nobody holds two live basic enrolments for one year, in any region
 * or scheme (docs/financing.md); a move between regions ends one enrolment the
 * day before the other starts (转移接续), without a gap.
 *
 * The services read no clock: the caller passes the time in struct
 * yb_actor. Every function runs in the caller's transaction when one is
 * open (a bulk import's savepoint), else in one of its own. Results are
 * caller-owned structs with fixed buffers; nothing returned needs freeing
 * unless a function says it lives in an arena.
 */
#ifndef YIBAO_ENROLMENT_H
#define YIBAO_ENROLMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "err.h"
#include "financing.h"
#include "money.h"
#include "policy.h"
#include "registry.h" /* struct yb_actor */
#include "store.h"

/* Statuses of an enrolment row. */
#define YB_ENROL_PENDING "pending"         /* enrolled, awaiting payment */
#define YB_ENROL_COVERED "covered"         /* paid: covered_from on */
#define YB_ENROL_TRANSFERRED "transferred" /* ended by a transfer */
#define YB_ENROL_CANCELLED "cancelled"     /* withdrawn or refunded */
#define YB_ENROL_REPAID                                                        \
    "repaid" /* arrears paid after the year                                    \
                (补缴): no cover, shortens a                                 \
                later waiting period */

/* One enrolment row. Dates are 0 when not set. */
struct yb_enrolment {
    int64_t id;
    char psn_no[32];
    char insutype[8]; /* "390" */
    int year;         /* coverage year */
    char admdvs[8];   /* pooling region */
    char psn_type[8]; /* "1501" */
    int tier;
    char unit_kind[16]; /* individual, household, school, transfer */
    char unit_ref[32];  /* hh_id, school_code, the old enrolment's id */
    char status[16];
    yb_date covered_from, covered_to, waiting_until;
    int64_t event_id;
};

/* ---- enrolling ----------------------------------------------------------
 */

enum yb_enrol_by {
    YB_ENROL_BY_PERSON = 0,    /* key: psn_no or certno */
    YB_ENROL_BY_HOUSEHOLD = 1, /* key: hh_id; every member not yet enrolled */
    YB_ENROL_BY_SCHOOL = 2,    /* key: school_code; its pupils/students */
    YB_ENROL_BY_ALL = 3,       /* key unused: every registered person of the
                                  policy's region not yet enrolled */
};

typedef void (*yb_enrolment_fn)(const struct yb_enrolment *en, void *ud);

struct yb_enrol_req {
    const struct yb_policy *policy; /* needs financing and enrolment */
    int year;                       /* must be the policy's year */
    enum yb_enrol_by by;
    const char *key;
    int tier;              /* 0: tier 1; must be one of the policy's */
    const char *unit_kind; /* NULL: by the request (all: school for
                              students of a school, else household when
                              the person has one, else individual);
                              "individual", "household", "school" */
    yb_enrolment_fn each;  /* called for each row written; may be NULL */
    void *ud;
};

struct yb_enrol_result {
    long enrolled;  /* rows written */
    long covered;   /* of them covered at once (assistance pays all) */
    long skipped;   /* household/school/all: enrolled already for the year */
    long elsewhere; /* all: registered in another pooling region */
};

/* Enrol persons for r->year under r->policy, all in one transaction: each
 * row gets psn_type from the policy's person types (age on 1 January of
 * the year, or on the birth day for a child born during it, and student
 * status), the tier, admdvs = the person's pooling region, the unit, and
 * status 'pending' — or 'covered' with covered_from/waiting_until from
 * yb_coverage_start when assistance pays the whole contribution
 * (identities held on the day of `who->now`). One event 'enrolment.add'
 * per row.
 * Errors (nothing written): YB_EPOLICY without financing or enrolment
 * rules; YB_EINVAL naming "year" (not the policy's), "tier", "unit_kind",
 * "admdvs" (a person of another pooling region than the policy's, by
 * person); YB_ENOTFOUND naming "person", "household" or "school";
 * YB_EDUPLICATE (by person) when the person holds a live enrolment for the
 * year anywhere: the message names it (id, region, insutype, status). */
int yb_enrol(yb_store *s, const struct yb_actor *who,
             const struct yb_enrol_req *r, struct yb_enrol_result *out,
             struct yb_err *e);

/* Move person's live enrolment of `year` to region to_admdvs from `date`
 * (转移接续): the old row ends (covered_to = date - 1, status
 * 'transferred'); a new row in to_admdvs's pooling region starts that day
 * with the same person type, tier and status, covered from the later of
 * date and the old covered_from, the old wait kept — no gap and no new
 * waiting period. One event 'enrolment.transfer'. *from_out and *to_out
 * (either may be NULL) get the two rows afterwards.
 * Errors: YB_ENOTFOUND ("person", or "year": no live enrolment);
 * YB_EINVAL naming "to" (not a region code, or the same region), "date"
 * (outside the year, or not after the old cover's start), "status" (the
 * enrolment is not covered). */
int yb_enrol_transfer(yb_store *s, const struct yb_actor *who,
                      const char *person, int year, const char *to_admdvs,
                      yb_date date, struct yb_enrolment *from_out,
                      struct yb_enrolment *to_out, struct yb_err *e);

/* ---- residence changes (居住地变更) ------------------------------------ */

/* A person's move to another residence region. Strings are borrowed. */
struct yb_move {
    const char *person;    /* psn_no or ID number */
    const char *to_admdvs; /* the new residence region, 6 digits */
    yb_date date;          /* the day of the move */
    const char *reason;    /* may be NULL */
    bool transfer;         /* also move the live enrolment of the move's year to
                              the new pooling region (转移接续, as
                              yb_enrol_transfer) */
};

struct yb_move_result {
    char psn_no[32];
    char from_admdvs[7], to_admdvs[7]; /* residence before and after */
    char from_pool[7], to_pool[7];     /* their pooling regions */
    int64_t event_id, change_id;       /* the residence_change row */
    bool transferred;
    struct yb_enrolment from, into; /* when transferred: the two rows */
};

/* Record a move as one event 'person.move' (ref psn_no), all of it or
 * nothing: the person's residence becomes to_admdvs, a residence_change
 * row keeps from, to, the day and the reason (also in the audit chain),
 * and with m->transfer the year's live enrolment moves as
 * yb_enrol_transfer moves it, from the day of the move. Without it the
 * enrolment stays where it was paid; the person's next enrolment is in the
 * new pooling region (yb_enrol enrols a person where they live).
 * Errors (nothing written): YB_ENOTFOUND "person", or "year" (a transfer
 * without a live enrolment); YB_EINVAL naming "to" (not a region code, or
 * the residence already), "date" (after who->now's day, before the birth,
 * or before the person's last move), "transfer" (the two regions are in
 * one pooling region), or a transfer's own refusals ("status", "date"). */
int yb_person_move(yb_store *s, const struct yb_actor *who,
                   const struct yb_move *m, struct yb_move_result *out,
                   struct yb_err *e);

/* One residence change, as person show lists them. */
struct yb_residence_change {
    int64_t id, event_id;
    char from_admdvs[7], to_admdvs[7];
    char moved_on[11]; /* yyyy-MM-dd */
    char reason[128];  /* "" when none was given */
};

typedef void (*yb_residence_fn)(const struct yb_residence_change *c, void *ud);

/* Call fn for each residence change of psn_no, by day and id. */
int yb_person_moves(yb_store *s, const char *psn_no, yb_residence_fn fn,
                    void *ud, struct yb_err *e);

/* Call fn for each enrolment of psn_no, by year and id. */
int yb_enrol_list(yb_store *s, const char *psn_no, yb_enrolment_fn fn, void *ud,
                  struct yb_err *e);

/* ---- contributions --------------------------------------------------- */

/* A payment as the collecting agency reports it (payments.csv). The field
 * names are the CSV columns, so errors name them. */
struct yb_payment {
    const char *certno; /* or psn_no */
    int year;           /* coverage year: the policy's year */
    int tier;
    yb_fen amount;          /* > 0 */
    const char *paid_at;    /* "yyyy-MM-dd HH:mm:ss" */
    const char *channel;    /* wechat alipay app bank counter village school
                               assistance */
    const char *receipt_no; /* unique */
};

struct yb_payment_result {
    int64_t contribution_id;
    int64_t event_id;
    yb_fen personal;         /* recorded as the person's own contribution */
    yb_fen assisted;         /* recorded as paid by assistance (资助参保) */
    const char *assist_fund; /* "610100", or NULL; borrows from policy */
    struct yb_contribution due;    /* what the policy says; pointers borrow
                                      from the policy */
    bool covered;                  /* the year is now paid in full */
    struct yb_coverage cover;      /* when covered */
    struct yb_enrolment enrolment; /* after the payment */
};

/* Record one payment under policy p as one business event (kind
 * 'contribution.payment', ref = receipt): find the person, find or create
 * the year's enrolment (individual), compute the dues with
 * yb_contribution_due for the enrolment's person type and the identities
 * held on the payment day, check the amount, write the contribution row,
 * post the ledger entries of docs/ledger.md in the payment's month, and —
 * when the year is paid in full — cover the enrolment from the day
 * yb_coverage_start gives (window, history of earlier years, newborn
 * grace, waiting period). A payment after the coverage year (other than a
 * newborn's within the grace) is arrears (补缴): the enrolment becomes
 * 'repaid' with no cover.
 *
 * Which part a row pays: channel "assistance" is medical assistance paying
 * the assisted part (amount = due.assisted); any other channel is the
 * person's own part (amount = due.own, or the tier amount less assistance
 * already recorded for the year), and records the assisted part with it
 * when none was recorded yet.
 * Errors (nothing written): YB_EPOLICY; YB_EINVAL naming "year", "tier",
 * "amount" (differs from the share due: both figures named), "paid_at",
 * "channel", "receipt_no"; YB_ENOTFOUND "certno"; YB_EDUPLICATE naming
 * "receipt_no" (recorded already), "certno" (the part was paid already,
 * or a live enrolment for the year in another region: named). */
int yb_contribution_pay(yb_store *s, const struct yb_actor *who,
                        const struct yb_policy *p, const struct yb_payment *pay,
                        struct yb_payment_result *out, struct yb_err *e);

struct yb_refund_result {
    int64_t refund_id; /* the new 'refund' row */
    int64_t reverses;  /* the payment it reverses */
    int64_t event_id;
    yb_fen personal, assisted;     /* amounts reversed (positive) */
    struct yb_enrolment enrolment; /* after the refund */
};

/* Refund the payment with receipt `receipt` (退费) as one event
 * 'contribution.refund': a new contribution row of kind 'refund' with the
 * negated amounts, reverses = the payment's id and the reason as its note
 * (and an audit row); the reversing ledger entries in the month of
 * who->now; the year's live enrolment back to 'pending' without cover, or
 * 'cancelled' when cancel is set. The payment row itself is never changed.
 * Errors: YB_EINVAL "reason" (empty); YB_ENOTFOUND "receipt";
 * YB_EDUPLICATE "receipt" (refunded already, naming the refund row). */
int yb_contribution_refund(yb_store *s, const struct yb_actor *who,
                           const char *receipt, const char *reason, bool cancel,
                           struct yb_refund_result *out, struct yb_err *e);

/* A correction (更正) of a payment recorded with a wrong person, tier,
 * amount, time or channel: what changes; NULL or 0 keeps the payment's
 * own value. */
struct yb_correction {
    const char *receipt; /* the payment corrected */
    const char *reason;  /* required */
    const char *certno;  /* the person who really paid: ID number or psn_no */
    int tier;
    yb_fen amount;
    const char *paid_at;
    const char *channel;
    const char *new_receipt; /* the corrected payment's receipt; NULL:
                                receipt + "-C1" (a receipt "X-Cn" gives
                                "X-C(n+1)") */
};

struct yb_correction_result {
    struct yb_refund_result reversal; /* the 'correction' row, its event and
                                         the first enrolment after it */
    struct yb_payment_result payment; /* the corrected payment */
};

/* Correct one payment as one event 'contribution.correction' (ref = the
 * receipt), all of it or nothing: the payment is reversed as a refund
 * reverses it, by a row of kind 'correction' (reason as its note and in
 * the audit chain), its entries reversed and its enrolment's cover taken
 * away; then the corrected payment is recorded as yb_contribution_pay
 * records a payment — checked against policy p the same way, covering the
 * enrolment again when it pays the year in full — in the same event. Both
 * entries are posted in the month of who->now: a closed month is never
 * reopened. The payment row itself is never changed.
 * Errors: YB_EINVAL "reason" (empty), "year" (the payment is not of the
 * policy's year), "correction" (nothing differs from the payment), or any
 * error of yb_contribution_pay about the corrected payment;
 * YB_ENOTFOUND "receipt"; YB_EDUPLICATE "receipt" (refunded or corrected
 * already, naming the row). */
int yb_contribution_correct(yb_store *s, const struct yb_actor *who,
                            const struct yb_policy *p,
                            const struct yb_correction *c,
                            struct yb_correction_result *out, struct yb_err *e);

/* One contribution row. Refund rows carry negated amounts. */
struct yb_contribution_rec {
    int64_t id;
    char psn_no[32];
    int year, tier;
    yb_fen personal, assisted;
    char assist_payer[8];
    char paid_at[20];
    char receipt[48];
    char kind[12]; /* payment, correction, refund */
    char channel[16];
    int64_t reverses; /* 0: none */
};

typedef void (*yb_contribution_fn)(const struct yb_contribution_rec *c,
                                   void *ud);

/* Call fn for each contribution row of psn_no, by year and id. */
int yb_contribution_list(yb_store *s, const char *psn_no, yb_contribution_fn fn,
                         void *ud, struct yb_err *e);

/* ---- summary ------------------------------------------------------------
 */

struct yb_count {
    const char *key; /* status, psn_type code or admdvs */
    int64_t n;
};

struct yb_enrol_summary {
    int year;
    int64_t rows;            /* every enrolment row of the year */
    struct yb_count *status; /* every row, by status */
    size_t n_status;
    struct yb_count *psn_type; /* live rows (not cancelled or transferred) */
    size_t n_psn_type;
    struct yb_count *region; /* live rows, by admdvs */
    size_t n_region;
    yb_fen personal, assisted; /* contributions of the year, net of refunds */
    int64_t payments, refunds, corrections; /* contribution rows by kind */
};

/* Counts of the year's enrolments and totals of its contributions; the
 * arrays and strings live in arena a. Errors: YB_ENOMEM, store errors. */
int yb_enrol_summary(yb_store *s, int year, struct yb_arena *a,
                     struct yb_enrol_summary *out, struct yb_err *e);

#endif
