/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interest (利息收入, DOMAIN §8): what the fiscal special account
 * (财政专户) earned for one fund, as the bank's slip (银行回单) states it.
 * One event per slip: Dr 1003 财政专户存款 / Cr 4301 利息收入 in that fund,
 * with its audit row. A slip posted once is refused the second time, so a
 * clerk who runs the command twice does not count the interest twice.
 */
#include <stdio.h>
#include <string.h>

#include "service_int.h"
#include "yibao/event.h"
#include "yibao/ledger.h"
#include "yibao/money.h"

/* The event of a slip posted already, if any. */
static int slip_free(yb_store *s, const char *ref, const char *slip,
                     struct yb_err *e)
{
    int64_t id = 0;
    char at[24];
    int rc =
        yb__svc_event_seen(s, "ledger.interest", ref, &id, at, sizeof at, e);
    if (rc == YB_OK && id)
        return yb_err_set(e, YB_EDUPLICATE, "slip",
                          "slip %s is posted already (event %lld at %s)", slip,
                          (long long)id, at);
    return rc;
}

static int check(const struct yb_interest *in, struct yb_err *e)
{
    char a[32];
    size_t n = in->slip ? strlen(in->slip) : 0;
    if (!in->fund || (strcmp(in->fund, YB_FUND_BASIC) != 0 &&
                      strcmp(in->fund, YB_FUND_CRITICAL) != 0 &&
                      strcmp(in->fund, YB_FUND_ASSIST) != 0))
        return yb_err_set(e, YB_EINVAL, "fund",
                          "\"%s\" is not a fund (390100, 390200 or 610100)",
                          in->fund ? in->fund : "");
    if (!yb_ledger_period_valid(in->period ? in->period : ""))
        return yb_err_set(e, YB_EINVAL, "period",
                          "\"%s\" is not a period yyyy-mm",
                          in->period ? in->period : "");
    if (in->amount <= 0 || in->amount > YB_MONEY_MAX)
        return yb_err_set(e, YB_EINVAL, "amount", "%s is not above 0.00",
                          yb_money_format(in->amount, a));
    if (n == 0 || n > 40)
        return yb_err_set(e, YB_EINVAL, "slip", "\"%s\" is %s",
                          in->slip ? in->slip : "", n ? "too long" : "empty");
    return YB_OK;
}

int yb_ledger_interest(yb_store *s, const struct yb_interest *in,
                       int64_t *event_id, struct yb_err *e)
{
    char ref[64], memo[96];
    *event_id = 0;
    int rc = check(in, e);
    if (rc != YB_OK)
        return rc;
    snprintf(ref, sizeof ref, "%s/%s", in->fund, in->slip);
    snprintf(memo, sizeof memo, "利息 %s", in->memo ? in->memo : in->slip);
    struct yb_posting l[2] = {
        {in->fund, YB_ACC_BANK, in->amount, 0, memo},
        {in->fund, YB_ACC_INCOME_INTEREST, 0, in->amount, memo},
    };
    if ((rc = yb_store_begin(s, e)) != YB_OK)
        return rc;
    rc = slip_free(s, ref, in->slip, e);
    if (rc == YB_OK)
        rc = yb_event_open(s, "ledger.interest", ref, in->actor, in->at,
                           event_id, e);
    if (rc == YB_OK)
        rc = yb_ledger_post(s, *event_id, in->period, l, 2, e);
    if (rc == YB_OK)
        rc = yb_store_commit(s, e);
    if (rc != YB_OK) {
        yb_store_rollback(s);
        *event_id = 0;
    }
    return rc;
}
