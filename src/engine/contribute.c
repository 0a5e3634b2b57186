/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Individual contributions (个人缴费, docs/financing.md): what a person
 * owes for a coverage year in their contribution tier, and how much of it
 * medical assistance pays for hardship groups (资助参保: typically 特困 in
 * full, 低保 and the registered poor a fixed amount or a share). The first
 * matching assistance rule of the policy applies; assistance never pays
 * more than the person owes, so the person's own part is never negative
 * and the two parts add up to the contribution. Also the matcher for the
 * person conditions of a selector, shared with the enrolment rules. Pure:
 * no I/O, no globals, no clock.
 */
#include <string.h>

#include "yibao/financing.h"

static bool in_set(uint64_t set, int i)
{
    return set == 0 || (i >= 0 && i < 64 && (set & (UINT64_C(1) << i)) != 0);
}

bool yb_when_person_match(const struct yb_when *w, int psn_type, uint64_t idets,
                          int tier, int age)
{
    if (!in_set(w->psn_types, psn_type))
        return false;
    if (w->idets != 0 && (w->idets & idets) == 0)
        return false;
    if ((w->no_idets & idets) != 0)
        return false;
    if (w->tiers != 0 &&
        !(tier >= 0 && tier < 32 && (w->tiers & (UINT32_C(1) << tier)) != 0))
        return false;
    if (w->age_min >= 0 && (age < 0 || age < w->age_min))
        return false;
    if (w->age_max >= 0 && (age < 0 || age > w->age_max))
        return false;
    return true;
}

/* The assisted amount under rule r for a contribution of `own_tier`. */
static int assisted_amount(const struct yb_financing *f,
                           const struct yb_assist_rule *r, yb_fen own_tier,
                           yb_fen *out, struct yb_err *e)
{
    yb_fen basis =
        r->basis == YB_BASIS_LOWEST_TIER ? f->tiers[0].amount : own_tier;
    yb_fen v = basis;

    if (r->pay == YB_ASSIST_AMOUNT)
        v = r->amount < basis ? r->amount : basis;
    else if (r->pay == YB_ASSIST_SHARE &&
             /* Rounding point: basis x share, half up to the fen. */
             yb_money_apply_rate(basis, r->share, &v) != YB_OK)
        return yb_err_set(e, YB_EOVERFLOW, r->path,
                          "金额超出范围 (amount out of range)");
    /* Assistance pays at most what the person owes. */
    *out = v < own_tier ? v : own_tier;
    return YB_OK;
}

int yb_contribution_due(const struct yb_financing *f, int psn_type,
                        uint64_t idets, int tier, struct yb_contribution *out,
                        struct yb_err *e)
{
    int rc;

    memset(out, 0, sizeof *out);
    if (f == NULL)
        return yb_err_set(
            e, YB_EPOLICY, "financing",
            "政策没有筹资部分 financing (the policy has no financing section)");
    if (tier < 1 || tier > f->n_tiers)
        return yb_err_set(e, YB_EINVAL, "tier",
                          "%d 不是政策的缴费档次（1 至 %d）(not a contribution "
                          "tier of the policy)",
                          tier, f->n_tiers);
    out->tier = tier;
    out->individual = f->tiers[tier - 1].amount;
    for (int i = 0; i < f->n_assist; i++) {
        const struct yb_assist_rule *r = &f->assist[i];

        if (!yb_when_person_match(&r->when, psn_type, idets, tier, -1))
            continue;
        rc = assisted_amount(f, r, out->individual, &out->assisted, e);
        if (rc != YB_OK)
            return rc;
        out->assist = r;
        out->assist_fund = r->fund;
        break;
    }
    /* Invariant: assisted + own = individual, both >= 0. */
    out->own = out->individual - out->assisted;
    return YB_OK;
}
