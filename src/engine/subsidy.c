/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fiscal subsidy split (docs/financing.md): how the per-capita subsidy
 * (财政补助) of a coverage year is shared between the central, provincial,
 * city and county budgets, and what each owes for a region's insured
 * headcount, with the critical-illness earmark (大病保险筹资). Each level's
 * per-capita amount is computed by its policy rule (yb_split_part_amount:
 * a share, a share by the province's subsidy tier, the pre-2019
 * "base kept plus a share of the increment", a fixed amount), the remainder
 * level takes what is left, and totals are exact products - so the levels
 * add up to the subsidy per person and to subsidy x headcount in total, to
 * the fen. Pure: no I/O, no globals, no clock.
 */
#include <string.h>

#include "yibao/financing.h"

static int overflow(struct yb_err *e, const char *field)
{
    return yb_err_set(e, YB_EOVERFLOW, field,
                      "金额超出范围 (amount out of range)");
}

/* Per-capita amounts of every level; the remainder gets what the others
 * left. The loader guarantees the others never exceed the subsidy, but
 * this is checked again: a split that does not add up must not pay. */
static int per_capita(const struct yb_financing *f, int province_tier,
                      struct yb_subsidy_split *out, struct yb_err *e)
{
    yb_fen sum = 0;
    int rem = -1;

    for (int i = 0; i < f->n_split; i++) {
        struct yb_subsidy_share *s = &out->shares[i];
        int rc = YB_OK;

        s->level = f->split[i].level;
        s->part = &f->split[i];
        if (f->split[i].rule == YB_SPLIT_REMAINDER) {
            rem = i;
            continue;
        }
        rc = yb_split_part_amount(&f->split[i], f->subsidy, province_tier,
                                  &s->per_capita, e);
        if (rc != YB_OK)
            return rc;
        if (yb_money_add(sum, s->per_capita, &sum) != YB_OK)
            return overflow(e, f->split[i].path);
    }
    if (rem >= 0 && sum <= f->subsidy)
        out->shares[rem].per_capita = f->subsidy - sum;
    else if (sum != f->subsidy)
        return yb_err_set(e, YB_EINVARIANT, "financing.split",
                          "各部分合计 %lld 分，不等于补助 %lld 分 (the parts "
                          "do not add up to the subsidy)",
                          (long long)sum, (long long)f->subsidy);
    out->n_shares = f->n_split;
    return YB_OK;
}

/* Totals: per capita x headcount, exact. */
static int totals(const struct yb_financing *f, struct yb_subsidy_split *out,
                  struct yb_err *e)
{
    yb_fen sum = 0;

    if (yb_money_mul(out->per_capita, out->headcount, &out->total) != YB_OK)
        return overflow(e, "headcount");
    for (int i = 0; i < out->n_shares; i++) {
        struct yb_subsidy_share *s = &out->shares[i];

        if (yb_money_mul(s->per_capita, out->headcount, &s->total) != YB_OK ||
            yb_money_add(sum, s->total, &sum) != YB_OK)
            return overflow(e, s->part->path);
    }
    /* Invariant: the levels' totals add up to the whole. */
    if (sum != out->total)
        return yb_err_set(
            e, YB_EINVARIANT, "financing.split",
            "合计为 %lld 分，不是 %lld 分 (the totals do not add up)",
            (long long)sum, (long long)out->total);
    if (!f->has_critical_illness)
        return YB_OK;
    int rc = yb_split_part_amount(&f->critical_illness, f->subsidy, 1,
                                  &out->ci_per_capita, e);
    if (rc != YB_OK)
        return rc;
    if (yb_money_mul(out->ci_per_capita, out->headcount, &out->ci_total) !=
        YB_OK)
        return overflow(e, f->critical_illness.path);
    return YB_OK;
}

int yb_subsidy_split(const struct yb_financing *f, int province_tier,
                     int64_t headcount, struct yb_subsidy_split *out,
                     struct yb_err *e)
{
    int rc;

    memset(out, 0, sizeof *out);
    if (f == NULL)
        return yb_err_set(
            e, YB_EPOLICY, "financing",
            "政策没有筹资部分 financing (the policy has no financing section)");
    if (f->n_split == 0)
        return yb_err_set(
            e, YB_EPOLICY, "financing.split",
            "政策没有给出补助分担 (the policy gives no subsidy split)");
    /* The loader allows each level once; a hand-built model might not. */
    if (f->n_split > YB_GOV__COUNT)
        return yb_err_set(e, YB_EPOLICY, "financing.split",
                          "有 %d 个分担部分，每级最多一个（共 %d 级）(at most "
                          "one part per level)",
                          f->n_split, (int)YB_GOV__COUNT);
    if (headcount < 0)
        return yb_err_set(e, YB_EINVAL, "headcount",
                          "%lld 不能为负数 (negative)", (long long)headcount);
    if (f->n_province_tiers > 0 &&
        (province_tier < 1 || province_tier > f->n_province_tiers))
        return yb_err_set(e, YB_EINVAL, "province_tier",
                          "%d 不是政策的省级补助档次（1 至 %d）(not a province "
                          "tier of the policy)",
                          province_tier, f->n_province_tiers);
    out->province_tier = province_tier;
    out->headcount = headcount;
    out->per_capita = f->subsidy;
    rc = per_capita(f, province_tier, out, e);
    if (rc == YB_OK)
        rc = totals(f, out, e);
    return rc;
}
