/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registry of insured persons (参保人) and their identities (hardship
 * groups certified by other bureaus). A person is keyed by a generated
 * person number (psn_no: the pooling region's six digits and a 14-digit
 * sequence) and, uniquely, by the ID number; name, gender and birth date
 * are checked against the ID number (GB 11643). Each change is a business
 * event with an audit row (event.h), in one transaction.
 */
#ifndef YIBAO_REGISTRY_H
#define YIBAO_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "err.h"
#include "financing.h" /* enum yb_student */
#include "store.h"

struct yb_ledger_batch;

struct yb_person_rec {
    char psn_no[32];    /* output of add; input of find */
    const char *certno; /* 18-character ID number */
    const char *psn_name;
    int gend;                /* enum yb_gender; 0: take from certno */
    yb_date brdy;            /* 0: take from certno */
    const char *naty;        /* ethnicity code, "01" Han; may be NULL */
    const char *hh_id;       /* household; may be NULL */
    const char *relation;    /* to the household head; may be NULL */
    const char *resd_admdvs; /* residence region, 6 digits */
    int student;             /* enum yb_student */
    const char *school_code; /* may be NULL */
    bool permit_holder;      /* residence-permit holder (居住证) */
};

/* Context of a service call: who acts and when (the service reads no
 * clock; the CLI or server passes the time). */
struct yb_actor {
    const char *name; /* operator id */
    const char *now;  /* "yyyy-MM-dd HH:mm:ss" */
    int64_t event_id; /* 0: each call opens its own event; else the calls
                         belong to this open event (a bulk import's batch) */
    struct yb_ledger_batch *ledger; /* NULL: post each entry; else collect
                                       it into this summary voucher */
};

/* Check and add a person. The pooling region of resd_admdvs prefixes the
 * generated psn_no (written to p->psn_no). Errors: YB_EINVAL naming the
 * field ("certno", "psn_name", "gend", "brdy", "resd_admdvs"), YB_EDUPLICATE
 * when the ID number is registered already (the message names that
 * psn_no). A refusal writes nothing (no event, audit row or sequence
 * number). Runs in the caller's transaction if one is open, else in its
 * own. */
int yb_person_add(yb_store *s, const struct yb_actor *who,
                  struct yb_person_rec *p, struct yb_err *e);

/* Find a person by psn_no or certno (whichever key is given: an 18-char
 * ID number or a person number). Strings are copied into arena. Returns
 * YB_ENOTFOUND when absent. */
int yb_person_find(yb_store *s, const char *key, struct yb_arena *arena,
                   struct yb_person_rec *out, struct yb_err *e);

/* Record an identity (idet code of dict.h) held from begin to end
 * (inclusive; 0 end = open), certified by source. Errors: YB_EINVAL for an
 * unknown code ("idet") or an end before the begin ("enddate"),
 * YB_ENOTFOUND for an unknown psn_no, YB_EDUPLICATE ("begndate", naming
 * the record held) when the person already holds the same identity on any
 * of these days. A refusal writes nothing. Runs in the caller's
 * transaction if one is open, else in its own. */
int yb_identity_add(yb_store *s, const struct yb_actor *who, const char *psn_no,
                    const char *idet, yb_date begin, yb_date end,
                    const char *source, struct yb_err *e);

/* One identity record, as yb_identity_list reports it. */
struct yb_identity_rec {
    const char *idet;   /* psn_idet_type */
    yb_date begin, end; /* end 0: open */
    const char *source;
};
typedef void (*yb_identity_fn)(const struct yb_identity_rec *r, void *ud);

/* Every identity record of psn_no, by begin date. */
int yb_identity_list(yb_store *s, const char *psn_no, yb_identity_fn fn,
                     void *ud, struct yb_err *e);

/* Identities held on a day, as a bit set over YB_DICT_IDET. */
int yb_identity_on(yb_store *s, const char *psn_no, yb_date day,
                   uint64_t *idets, struct yb_err *e);

#endif
