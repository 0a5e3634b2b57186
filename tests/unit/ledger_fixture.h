/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A quarter of a fund's business as ledger entries, shared by the ledger's
 * unit test and the end-to-end test's helper (tests/e2e/ledger_fixture.c),
 * which both assert the figures of docs/ledger.md's worked example:
 * contributions, assisted contributions, subsidies due and received, a
 * settlement and its payment, the critical-illness transfer, interest and
 * a refund, in 2024-01..2024-03 across the three funds. Each entry is one
 * event in one transaction, as a service would write it.
 */
#ifndef YIBAO_TEST_LEDGER_FIXTURE_H
#define YIBAO_TEST_LEDGER_FIXTURE_H

#include <stdio.h>

#include "yibao/event.h"
#include "yibao/ledger.h"

#define FX_MAX_LINES 8

struct fx_entry {
    const char *kind, *ref, *period;
    struct yb_posting lines[FX_MAX_LINES]; /* ends at fund NULL */
};

#define B "390100"
#define C "390200"
#define A "610100"
#define DR(f, acc, v)                                                          \
    {                                                                          \
        f, acc, v, 0, NULL                                                     \
    }
#define CR(f, acc, v)                                                          \
    {                                                                          \
        f, acc, 0, v, NULL                                                     \
    }

static const struct fx_entry fx_entries[] = {
    {"contribution.payment",
     "R2024-0001",
     "2024-01",
     {DR(B, "1003", 4000000), CR(B, "4101", 4000000)}},
    {"contribution.assisted",
     "R2024-0002",
     "2024-01",
     {DR(B, "1211", 400000), CR(B, "4102", 400000), DR(A, "5104", 400000),
      CR(A, "2103", 400000)}},
    {"subsidy.due",
     "FS2024-01",
     "2024-01",
     {DR(B, "1201", 5896000), DR(B, "1202", 737000), DR(B, "1203", 368500),
      DR(B, "1204", 368500), CR(B, "4201", 5896000), CR(B, "4202", 737000),
      CR(B, "4203", 368500), CR(B, "4204", 368500)}},
    {"subsidy.receipt",
     "FS2024-A1",
     "2024-01",
     {DR(A, "1003", 1000000), CR(A, "4201", 1000000)}},
    {"subsidy.receipt",
     "FS2024-01-C",
     "2024-02",
     {DR(B, "1003", 5896000), CR(B, "1201", 5896000)}},
    {"assist.payment",
     "MA2024-02",
     "2024-02",
     {DR(B, "1003", 400000), CR(B, "1211", 400000), DR(A, "2103", 400000),
      CR(A, "1003", 400000)}},
    {"settlement",
     "S2024-0001",
     "2024-02",
     {DR(B, "5101", 1234567), CR(B, "2101", 1234567), DR(C, "5102", 200000),
      CR(C, "2101", 200000), DR(A, "5103", 50050), CR(A, "2101", 50050)}},
    {"clearing.payment",
     "CL2024-02",
     "2024-03",
     {DR(B, "2101", 1234567), CR(B, "1003", 1234567), DR(A, "2101", 50050),
      CR(A, "1003", 50050)}},
    {"critical.transfer",
     "CI2024-Q1",
     "2024-03",
     {DR(B, "5201", 715000), CR(B, "2102", 715000), DR(B, "2102", 715000),
      CR(B, "1003", 715000), DR(C, "1003", 715000), CR(C, "4401", 715000)}},
    {"critical.payment",
     "CI2024-S1",
     "2024-03",
     {DR(C, "2101", 200000), CR(C, "1003", 200000)}},
    {"interest",
     "INT2024-03",
     "2024-03",
     {DR(B, "1003", 12345), CR(B, "4301", 12345)}},
    {"contribution.refund",
     "R2024-0001-R",
     "2024-03",
     {DR(B, "4101", 40000), CR(B, "1003", 40000)}},
};

#undef B
#undef C
#undef A
#undef DR
#undef CR

#define FX_N_ENTRIES (sizeof fx_entries / sizeof fx_entries[0])

static inline size_t fx_lines(const struct fx_entry *x)
{
    size_t n = 0;

    while (n < FX_MAX_LINES && x->lines[n].fund != NULL)
        n++;
    return n;
}

/* Post one entry as its own event and transaction. */
static inline int fx_post(yb_store *s, const struct fx_entry *x,
                          struct yb_err *e)
{
    char at[24];
    int64_t id = 0;
    int rc;

    snprintf(at, sizeof at, "%s-15 10:00:00", x->period);
    rc = yb_store_begin(s, e);
    if (rc == YB_OK)
        rc = yb_event_open(s, x->kind, x->ref, "fixture", at, &id, e);
    if (rc == YB_OK)
        rc = yb_ledger_post(s, id, x->period, x->lines, fx_lines(x), e);
    if (rc == YB_OK)
        return yb_store_commit(s, e);
    yb_store_rollback(s);
    return rc;
}

static inline int fx_post_all(yb_store *s, struct yb_err *e)
{
    for (size_t i = 0; i < FX_N_ENTRIES; i++) {
        int rc = fx_post(s, &fx_entries[i], e);

        if (rc != YB_OK)
            return rc;
    }
    return YB_OK;
}

#endif
