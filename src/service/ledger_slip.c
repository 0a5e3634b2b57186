/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Postings made from a bank's slip (银行回单, docs/ledger.md), one event per
 * slip, each refused the second time so a clerk who runs the command
 * twice does not post it twice:
 *
 * - interest (利息收入): what the fiscal special account (财政专户) earned
 *   for one fund: Dr 1003 财政专户存款 / Cr 4301 利息收入 in that fund;
 * - the clearing of assisted contributions (资助参保款清算): the medical-
 *   assistance fund pays the basic fund the contributions it assisted
 *   (docs/financing.md), which a payment records as a receivable of the basic
 *   fund (1211) and a payable of the paying fund (2103). The transfer
 *   moves the cash and closes both: payer Dr 2103 / Cr 1003, 390100
 *   Dr 1003 / Cr 1211. It may pay part of what is owed, never more.
 */
#include <stdio.h>
#include <string.h>

#include "service_int.h"
#include "yibao/event.h"
#include "yibao/ledger.h"
#include "yibao/money.h"

/* The event of a slip posted already under kind, if any. */
static int slip_free(yb_store *s, const char *kind, const char *ref,
                     const char *slip, struct yb_err *e)
{
    int64_t id = 0;
    char at[24];
    int rc = yb__svc_event_seen(s, kind, ref, &id, at, sizeof at, e);
    if (rc == YB_OK && id)
        return yb_err_set(e, YB_EDUPLICATE, "slip",
                          "单据 %s 已记账（事件 %lld，%s）(posted already)",
                          slip, (long long)id, at);
    return rc;
}

static bool is_fund(const char *f)
{
    return f &&
           (strcmp(f, YB_FUND_BASIC) == 0 || strcmp(f, YB_FUND_CRITICAL) == 0 ||
            strcmp(f, YB_FUND_ASSIST) == 0);
}

/* What every slip carries: a period, an amount (0 allowed when the
 * posting computes it) and the slip number. */
static int check_slip(const char *period, yb_fen amount, bool zero_ok,
                      const char *slip, struct yb_err *e)
{
    char a[32];
    size_t n = slip ? strlen(slip) : 0;
    if (!yb_ledger_period_valid(period ? period : ""))
        return yb_err_set(e, YB_EINVAL, "period",
                          "期间应为 yyyy-mm，实际为 \"%s\" (not a period)",
                          period ? period : "");
    if ((amount <= 0 && !(zero_ok && amount == 0)) || amount > YB_MONEY_MAX)
        return yb_err_set(e, YB_EINVAL, "amount",
                          "金额 %s 应大于 0.00 (not above 0.00)",
                          yb_money_format(amount, a));
    if (n == 0 || n > 40)
        return yb_err_set(e, YB_EINVAL, "slip", "单据号 \"%s\" %s",
                          slip ? slip : "",
                          n ? "过长 (too long)" : "为空 (empty)");
    return YB_OK;
}

/* One leg of a slip's entry: the amount moves from `credit` to `debit`
 * within `fund`. */
struct slip_leg {
    const char *fund, *debit, *credit;
};

#define SLIP_LEGS_MAX 2

/* Open the slip's event and post its entry, in a transaction of its own:
 * all of it or nothing. `owed` (may be NULL) runs first inside the
 * transaction, to compute or check the amount on the books it reads. */
struct slip_post {
    const char *kind, *ref, *slip, *period, *memo, *actor, *at;
    struct slip_leg legs[SLIP_LEGS_MAX];
    size_t n_legs;
    int (*owed)(yb_store *, struct slip_post *, struct yb_err *);
    const void *arg;
    yb_fen amount;
};

static int post_slip(yb_store *s, struct slip_post *p, int64_t *event_id,
                     struct yb_err *e)
{
    struct yb_posting l[2 * SLIP_LEGS_MAX];
    int rc = yb_store_begin(s, e);
    if (rc != YB_OK)
        return rc;
    rc = slip_free(s, p->kind, p->ref, p->slip, e);
    if (rc == YB_OK && p->owed)
        rc = p->owed(s, p, e);
    for (size_t i = 0; i < p->n_legs; i++) {
        const struct slip_leg *g = &p->legs[i];
        l[2 * i] =
            (struct yb_posting){g->fund, g->debit, p->amount, 0, p->memo};
        l[2 * i + 1] =
            (struct yb_posting){g->fund, g->credit, 0, p->amount, p->memo};
    }
    if (rc == YB_OK)
        rc = yb_event_open(s, p->kind, p->ref, p->actor, p->at, event_id, e);
    if (rc == YB_OK)
        rc = yb_ledger_post(s, *event_id, p->period, l, 2 * p->n_legs, e);
    if (rc == YB_OK)
        rc = yb_store_commit(s, e);
    if (rc != YB_OK) {
        yb_store_rollback(s);
        *event_id = 0;
    }
    return rc;
}

/* ---- interest ----------------------------------------------------------- */

int yb_ledger_interest(yb_store *s, const struct yb_interest *in,
                       int64_t *event_id, struct yb_err *e)
{
    char ref[64], memo[96];
    *event_id = 0;
    if (!is_fund(in->fund))
        return yb_err_set(
            e, YB_EINVAL, "fund",
            "基金代码应为 390100、390200 或 610100，实际为 \"%s\" (not a fund)",
            in->fund ? in->fund : "");
    int rc = check_slip(in->period, in->amount, false, in->slip, e);
    if (rc != YB_OK)
        return rc;
    snprintf(ref, sizeof ref, "%s/%s", in->fund, in->slip);
    snprintf(memo, sizeof memo, "利息 %s", in->memo ? in->memo : in->slip);
    struct slip_post p = {
        .kind = "ledger.interest",
        .ref = ref,
        .slip = in->slip,
        .period = in->period,
        .memo = memo,
        .actor = in->actor,
        .at = in->at,
        .legs = {{in->fund, YB_ACC_BANK, YB_ACC_INCOME_INTEREST}},
        .n_legs = 1,
        .amount = in->amount};
    return post_slip(s, &p, event_id, e);
}

/* ---- clearing of assisted contributions --------------------------------- */

/* An account's balance on its normal side over the periods up to and
 * including `period`. */
static int balance_to(yb_store *s, const char *fund, const char *account,
                      bool debit_side, const char *period, yb_fen *out,
                      struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "SELECT COALESCE(SUM(debit), 0) - "
                              "COALESCE(SUM(credit), 0) FROM journal WHERE "
                              "fund = $1 AND account = $2 AND period <= $3",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, fund);
    yb_stmt_bind_text(st, 2, account);
    yb_stmt_bind_text(st, 3, period);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        *out = debit_side ? yb_stmt_int(st, 0) : -yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

/* What the payer owes: its 2103, no more than the basic fund's 1211 (the
 * two are equal while one fund assists; the smaller is what can be
 * cleared when another fund also owes the basic fund). */
static int assist_owed(yb_store *s, struct slip_post *p, struct yb_err *e)
{
    const struct yb_assist_clearing *in = p->arg;
    yb_fen payable = 0, due = 0;
    char a[32], b[32];
    int rc = balance_to(s, in->payer, YB_ACC_PAYABLE_ASSIST, false, p->period,
                        &payable, e);
    if (rc == YB_OK)
        rc = balance_to(s, YB_FUND_BASIC, YB_ACC_ASSIST_DUE, true, p->period,
                        &due, e);
    if (rc != YB_OK)
        return rc;
    yb_fen owed = payable < due ? payable : due;
    if (owed <= 0)
        return yb_err_set(e, YB_EINVAL, "amount",
                          "基金 %s 在 %s 末不欠基本医保基金资助参保款（2103 "
                          "%s）(owes nothing)",
                          in->payer, p->period, yb_money_format(payable, a));
    if (in->amount > owed)
        return yb_err_set(
            e, YB_EINVAL, "amount",
            "金额 %s 超过基金 %s 在 %s 末欠基本医保基金的金额：%s (above what "
            "the fund owes)",
            yb_money_format(in->amount, a), in->payer, p->period,
            yb_money_format(owed, b));
    p->amount = in->amount ? in->amount : owed;
    return YB_OK;
}

int yb_ledger_clear_assisted(yb_store *s, const struct yb_assist_clearing *in,
                             int64_t *event_id, yb_fen *amount_out,
                             struct yb_err *e)
{
    char ref[64], memo[96];
    *event_id = 0;
    if (amount_out)
        *amount_out = 0;
    if (!is_fund(in->payer) || strcmp(in->payer, YB_FUND_BASIC) == 0)
        return yb_err_set(e, YB_EINVAL, "payer",
                          "资助参保的基金应为 610100 或 390200，实际为 \"%s\" "
                          "(not a fund that assists contributions)",
                          in->payer ? in->payer : "");
    int rc = check_slip(in->period, in->amount, true, in->slip, e);
    if (rc != YB_OK)
        return rc;
    snprintf(ref, sizeof ref, "%s/%s", in->payer, in->slip);
    snprintf(memo, sizeof memo, "资助参保款清算 %s",
             in->memo ? in->memo : in->slip);
    struct slip_post p = {
        .kind = "ledger.assist_clearing",
        .ref = ref,
        .slip = in->slip,
        .period = in->period,
        .memo = memo,
        .actor = in->actor,
        .at = in->at,
        .legs = {{in->payer, YB_ACC_PAYABLE_ASSIST, YB_ACC_BANK},
                 {YB_FUND_BASIC, YB_ACC_BANK, YB_ACC_ASSIST_DUE}},
        .n_legs = 2,
        .owed = assist_owed,
        .arg = in};
    rc = post_slip(s, &p, event_id, e);
    if (rc == YB_OK && amount_out)
        *amount_out = p.amount;
    return rc;
}
