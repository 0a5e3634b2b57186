/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row handler for contribution payments (payments.csv,
 * docs/import-formats.md): each row is read into a struct yb_payment and
 * recorded through yb_contribution_pay under the import's policy — the
 * same checks, ledger entries and cover as a payment taken one at a time.
 * A refused row (unknown person, wrong amount, a receipt seen before) is
 * rolled back to its savepoint and listed by the driver.
 */
#include <stdlib.h>
#include <string.h>

#include "enrolment_int.h"
#include "import_int.h"

enum { Y_CERTNO, Y_YEAR, Y_TIER, Y_AMOUNT, Y_PAID_AT, Y_CHANNEL, Y_RECEIPT };
static const char *const pay_cols[] = {"certno",     "year",    "tier",
                                       "amount",     "paid_at", "channel",
                                       "receipt_no", NULL};

/* A decimal integer of 1..digits digits, without sign or spaces. */
static int small_int(const char *v, int digits, const char *col, int *out,
                     struct yb_err *e)
{
    size_t n = strlen(v);
    if (n == 0 || n > (size_t)digits || strspn(v, "0123456789") != n)
        return yb_err_set(e, YB_EINVAL, col,
                          "应为数字，实际为 \"%s\" (not a number)", v);
    *out = atoi(v);
    return YB_OK;
}

/* Every fund the policy's assistance rules pay from must be in the chart
 * of accounts: the batch's summary voucher is posted at its end, where an
 * unknown fund would fail the whole batch instead of one row. */
static int check_funds(yb_store *s, const struct yb_financing *f,
                       struct yb_err *e)
{
    for (int i = 0; i < f->n_assist; i++) {
        const char *fund = f->assist[i].fund ? f->assist[i].fund : "610100";
        yb_stmt *st;
        int rc =
            yb_store_prepare(s, "SELECT 1 FROM fund WHERE code = $1", &st, e);
        if (rc != YB_OK)
            return rc;
        yb_stmt_bind_text(st, 1, fund);
        rc = yb_stmt_step(st, e);
        yb_stmt_reset(st);
        if (rc == YB_DONE)
            return yb_err_set(e, YB_EPOLICY, f->assist[i].path,
                              "基金 \"%s\" 不在会计科目中 (fund not in the "
                              "chart of accounts)",
                              fund);
        if (rc != YB_ROW)
            return rc;
    }
    return YB_OK;
}

static int pay_header(struct yb__import *im, const struct yb_csv_row *h,
                      struct yb_err *e)
{
    (void)h;
    if (!im->o->policy)
        return yb_err_set(e, YB_EINVAL, "policy",
                          "导入缴费需要统筹区的政策 (a payment import needs "
                          "the region's policy)");
    int rc = yb__enrol_check_policy(im->o->policy, e);
    return rc == YB_OK ? check_funds(im->s, im->o->policy->financing, e) : rc;
}

/* The person, enrolment, amounts and identities the row's payment reads
 * (yb__pay_read), read ahead on the reader's connection. */
static int pay_prefetch(const struct yb__import *rim,
                        const struct yb_csv_row *r, void *pre,
                        struct yb_arena *a, struct yb_err *e)
{
    int year = 0;
    yb_date paid = 0;
    int rc = small_int(yb__imp_get(rim, r, Y_YEAR), 4, "year", &year, e);
    if (rc == YB_OK)
        rc = yb_datetime_parse(yb__imp_get(rim, r, Y_PAID_AT), false, &paid,
                               NULL, "paid_at", e);
    if (rc == YB_OK)
        rc = yb__pay_read(rim->s, rim->o->policy, yb__imp_get(rim, r, Y_CERTNO),
                          year, paid, a, pre, e);
    return rc;
}

static int pay_row(struct yb__import *im, const struct yb_csv_row *r,
                   struct yb_err *e)
{
    struct yb_payment pay = {
        .certno = yb__imp_get(im, r, Y_CERTNO),
        .paid_at = yb__imp_get(im, r, Y_PAID_AT),
        .channel = yb__imp_get(im, r, Y_CHANNEL),
        .receipt_no = yb__imp_get(im, r, Y_RECEIPT),
    };
    struct yb_payment_result res;
    struct yb_actor who = {
        .name = im->o->actor, .now = im->o->now, .ledger = &im->ledger};
    int rc = small_int(yb__imp_get(im, r, Y_YEAR), 4, "year", &pay.year, e);
    if (rc == YB_OK)
        rc = small_int(yb__imp_get(im, r, Y_TIER), 2, "tier", &pay.tier, e);
    if (rc == YB_OK)
        rc = yb_money_parse(yb__imp_get(im, r, Y_AMOUNT), &pay.amount, "amount",
                            e);
    if (rc == YB_OK)
        rc = yb__imp_event(im, "contribution.payment", pay.receipt_no,
                           &who.event_id, e);
    /* read ahead, and still what this transaction would read: nothing it
     * wrote concerns the person */
    const struct yb__pay_seen *seen = im->pre;
    if (seen && yb__imp_touched(im, seen->psn.psn_no))
        seen = NULL;
    im->pre_used = seen != NULL;
    if (rc == YB_OK)
        rc = yb__contribution_pay_seen(im->s, &who, im->o->policy, &pay, seen,
                                       &res, e);
    if (rc == YB_OK)
        yb__imp_touch(im, res.enrolment.psn_no);
    /* A person no rule of the policy places is this row's problem, not
     * the job's. */
    if (rc == YB_EPOLICY)
        e->code = rc = YB_EINVAL;
    return rc;
}

const struct yb__import_kind yb__import_payment = {
    .name = "payment",
    .columns = pay_cols,
    .required = pay_cols,
    .header = pay_header,
    .row = pay_row,
    .pre_size = sizeof(struct yb__pay_seen),
    .prefetch = pay_prefetch,
};
