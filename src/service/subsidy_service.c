/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The subsidy service: counts the covered people of a pooling region and
 * year, finds the province's subsidy tier, asks the engine for the split
 * (docs/financing.md: shares, five tiers, the pre-2019 increment rule), and
 * posts what each budget level owes — and the critical-illness earmark the
 * basic fund owes the insurer — as one event in the ledger.
 */
#include <stdio.h>
#include <string.h>

#include "service_int.h"
#include "yibao/event.h"
#include "yibao/ledger.h"
#include "yibao/subsidy.h"

int yb_subsidy_headcount(yb_store *s, const char *pooling, int year, int64_t *n,
                         struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "SELECT COUNT(*) FROM enrolment WHERE admdvs = $1 AND year = $2 "
        "AND scheme = 'basic' AND status IN ('covered', 'transferred')",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, pooling);
    yb_stmt_bind_int(st, 2, year);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        *n = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

int yb_subsidy_province_tier(yb_store *s, const char *admdvs, int *tier,
                             struct yb_err *e)
{
    char prov[7];
    snprintf(prov, sizeof prov, "%.2s0000", admdvs);
    yb_stmt *st;
    int rc = yb_store_prepare(
        s, "SELECT subsidy_tier FROM region WHERE admdvs = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, prov);
    rc = yb_stmt_step(st, e);
    *tier = rc == YB_ROW && !yb_stmt_null(st, 0) ? (int)yb_stmt_int(st, 0) : 0;
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

static bool needs_tier(const struct yb_financing *f)
{
    for (int i = 0; i < f->n_split; i++)
        if (f->split[i].rule == YB_SPLIT_SHARE_BY_TIER)
            return true;
    return false;
}

int yb_subsidy_compute(yb_store *s, const struct yb_policy *p,
                       struct yb_subsidy_split *out, struct yb_err *e)
{
    if (!p->financing)
        return yb_err_set(
            e, YB_EPOLICY, "financing",
            "政策 %s 没有筹资部分 financing (no financing section)", p->name);
    int64_t n = 0;
    int tier = 0;
    int rc = yb_subsidy_headcount(s, p->region, p->year, &n, e);
    if (rc == YB_OK)
        rc = yb_subsidy_province_tier(s, p->region, &tier, e);
    if (rc != YB_OK)
        return rc;
    if (tier == 0 && needs_tier(p->financing))
        return yb_err_set(e, YB_EINVAL, "subsidy_tier",
                          "地区 %s 所在省份没有补助档次：请导入 "
                          "data/province-subsidy-tiers.csv (no subsidy tier)",
                          p->region);
    return yb_subsidy_split(p->financing, tier, n, out, e);
}

static const char *const due_acc[YB_GOV__COUNT] = {
    YB_ACC_SUBSIDY_DUE_CENTRAL, YB_ACC_SUBSIDY_DUE_PROVINCE,
    YB_ACC_SUBSIDY_DUE_CITY, YB_ACC_SUBSIDY_DUE_COUNTY};
static const char *const income_acc[YB_GOV__COUNT] = {
    YB_ACC_INCOME_SUBSIDY_CENTRAL, YB_ACC_INCOME_SUBSIDY_PROVINCE,
    YB_ACC_INCOME_SUBSIDY_CITY, YB_ACC_INCOME_SUBSIDY_COUNTY};

/* The entry: per level Dr receivable / Cr income; the earmark Dr transfer
 * out / Cr payable to the insurer. */
static size_t postings_of(const struct yb_subsidy_split *x,
                          struct yb_posting *out)
{
    size_t n = 0;
    for (int i = 0; i < x->n_shares; i++) {
        const struct yb_subsidy_share *sh = &x->shares[i];
        if (sh->total == 0)
            continue;
        out[n++] =
            (struct yb_posting){YB_FUND_BASIC, due_acc[sh->level], sh->total, 0,
                                yb_gov_level_label(sh->level)};
        out[n++] =
            (struct yb_posting){YB_FUND_BASIC, income_acc[sh->level], 0,
                                sh->total, yb_gov_level_label(sh->level)};
    }
    if (x->ci_total > 0) {
        out[n++] = (struct yb_posting){YB_FUND_BASIC, YB_ACC_EXP_TRANSFER,
                                       x->ci_total, 0, "大病保险筹资上解"};
        out[n++] = (struct yb_posting){YB_FUND_BASIC, YB_ACC_PAYABLE_INSURER, 0,
                                       x->ci_total, "大病保险筹资上解"};
    }
    return n;
}

static int already_assessed(yb_store *s, const char *ref, struct yb_err *e)
{
    int64_t id = 0;
    char at[24];
    int rc =
        yb__svc_event_seen(s, "subsidy.assess", ref, &id, at, sizeof at, e);
    if (rc == YB_OK && id)
        return yb_err_set(
            e, YB_EDUPLICATE, "year",
            "地区 %s 的补助已核定（事件 %lld，%s）(assessed already)", ref,
            (long long)id, at);
    return rc;
}

int yb_subsidy_post(yb_store *s, const struct yb_actor *who,
                    const struct yb_policy *p, const char *period,
                    struct yb_subsidy_split *out, int64_t *event_id,
                    struct yb_err *e)
{
    char ref[32];
    struct yb_posting lines[2 * YB_GOV__COUNT + 2];
    snprintf(ref, sizeof ref, "%s/%d", p->region, p->year);
    if (!yb_ledger_period_valid(period ? period : ""))
        return yb_err_set(e, YB_EINVAL, "period",
                          "期间应为 yyyy-mm，实际为 \"%s\" (not a period)",
                          period ? period : "");
    int rc = yb_store_begin(s, e);
    if (rc != YB_OK)
        return rc;
    rc = already_assessed(s, ref, e);
    if (rc == YB_OK)
        rc = yb_subsidy_compute(s, p, out, e);
    if (rc == YB_OK)
        rc = yb_event_open(s, "subsidy.assess", ref, who->name, who->now,
                           event_id, e);
    size_t n = rc == YB_OK ? postings_of(out, lines) : 0;
    if (rc == YB_OK && n > 0)
        rc = yb_ledger_post(s, *event_id, period, lines, n, e);
    if (rc == YB_OK)
        return yb_store_commit(s, e);
    yb_store_rollback(s);
    return rc;
}
