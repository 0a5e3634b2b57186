/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for individual contributions and assisted contributions
 * (src/engine/contribute.c): the tier amount, full, fixed and proportional
 * assistance, the lowest-tier basis, first-match order, half-up rounding,
 * the cap at what is owed, the figures of the shipped 2018 policy and of
 * every national default 2017-2026, refusals and the person-condition
 * matcher. Every result is also checked for the invariant assisted + own =
 * individual.
 */
#include "engine_fixture.h"

static struct yb_policy *sq_policy(const char *sq)
{
    char *t = strdup(sq);
    struct yb_policy *p;

    assert_non_null(t);
    for (char *c = t; *c != '\0'; c++)
        if (*c == '\'')
            *c = '"';
    p = fx_policy(t);
    free(t);
    return p;
}

/* Two tiers, 220.00 and 350.05, and one assistance rule per case. */
static const char two_tiers[] =
    "{'schema': 'yibao.policy/1', 'region': '530100', 'insutype': '390', "
    "'year': 2018, 'benefits': {'layers': [{'id': 'inpatient', 'name': "
    "'住院统筹', 'stage': 'basic', 'rates': {'rules': [{'rate': '70%'}]}}]}, "
    "'financing': {'window': {'from': '2017-09-01', 'to': '2017-12-31'}, "
    "'subsidy': '490.00', "
    "'tiers': [{'tier': 1, 'amount': '220.00'}, "
    "          {'tier': 2, 'amount': '350.05'}], "
    "'assistance': ["
    "  {'when': {'idet': ['201']}, 'pay': 'full', 'basis': 'lowest_tier'}, "
    "  {'when': {'idet': ['202', '203']}, 'pay': 'amount', "
    "   'amount': '150.00'}, "
    "  {'when': {'idet': ['204'], 'tier': [2]}, 'pay': 'share', "
    "   'share': '50%'}, "
    "  {'when': {'idet': ['205']}, 'pay': 'share', 'share': '33.33%'}, "
    "  {'when': {'idet': ['206']}, 'pay': 'amount', 'amount': '300.00'}, "
    "  {'when': {'psn_type': ['1404'], 'no_idet': ['299']}, 'pay': 'share', "
    "   'share': '50%', 'fund': '999999'}, "
    "  {'when': {'idet': ['207']}, 'pay': 'share', 'share': '50%', "
    "   'basis': 'lowest_tier'}]}}";

static uint64_t idets(const char *a, const char *b)
{
    uint64_t set = UINT64_C(1) << fx_idx(YB_DICT_IDET, a);

    if (b != NULL)
        set |= UINT64_C(1) << fx_idx(YB_DICT_IDET, b);
    return set;
}

/* The contribution of a person; checks the invariant. */
static struct yb_contribution due(const struct yb_policy *p,
                                  const char *psn_type, uint64_t ids, int tier)
{
    struct yb_contribution c;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    rc = yb_contribution_due(p->financing, fx_idx(YB_DICT_PSN_TYPE, psn_type),
                             ids, tier, &c, &e);
    if (rc != YB_OK)
        fail_msg("contribution refused: %s: %s", e.field, e.msg);
    assert_int_equal(c.assisted + c.own, c.individual);
    assert_true(c.assisted >= 0 && c.own >= 0);
    assert_int_equal(c.tier, tier);
    return c;
}

static void
test_contribution_without_assistance_is_the_tier_amount(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    struct yb_contribution c = due(p, "1501", 0, 1);

    (void)state;
    assert_int_equal(c.individual, 22000);
    assert_int_equal(c.assisted, 0);
    assert_int_equal(c.own, 22000);
    assert_null(c.assist);
    assert_null(c.assist_fund);
    c = due(p, "1501", 0, 2);
    assert_int_equal(c.individual, 35005);
    assert_int_equal(c.own, 35005);
    yb_policy_free(p);
}

static void
test_contribution_extreme_poverty_is_paid_in_full_at_tier_1(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    struct yb_contribution c = due(p, "1501", idets("201", NULL), 1);

    (void)state;
    assert_int_equal(c.assisted, 22000);
    assert_int_equal(c.own, 0);
    assert_ptr_equal(c.assist, &p->financing->assist[0]);
    assert_string_equal(c.assist_fund, "610100");
    /* basis lowest_tier: in tier 2 the person pays the difference */
    c = due(p, "1501", idets("201", NULL), 2);
    assert_int_equal(c.assisted, 22000);
    assert_int_equal(c.own, 13005);
    yb_policy_free(p);
}

static void test_contribution_minimum_living_gets_a_fixed_amount(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    struct yb_contribution c = due(p, "1501", idets("202", NULL), 1);

    (void)state;
    assert_int_equal(c.assisted, 15000);
    assert_int_equal(c.own, 7000);
    c = due(p, "1601", idets("203", NULL), 2);
    assert_int_equal(c.assisted, 15000);
    assert_int_equal(c.own, 20005);
    assert_ptr_equal(c.assist, &p->financing->assist[1]);
    yb_policy_free(p);
}

static void test_contribution_share_rounds_half_up_to_the_fen(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    /* 50% x 350.05 = 175.025 -> 175.03; the person pays 175.02 */
    struct yb_contribution c = due(p, "1501", idets("204", NULL), 2);

    (void)state;
    assert_int_equal(c.assisted, 17503);
    assert_int_equal(c.own, 17502);
    /* 33.33% x 220.00 = 73.326 -> 73.33; the person pays 146.67 */
    c = due(p, "1501", idets("205", NULL), 1);
    assert_int_equal(c.assisted, 7333);
    assert_int_equal(c.own, 14667);
    yb_policy_free(p);
}

static void test_contribution_tier_condition_selects_the_rule(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    /* rule 2 assists 204 only in tier 2; no later rule matches */
    struct yb_contribution c = due(p, "1501", idets("204", NULL), 1);

    (void)state;
    assert_null(c.assist);
    assert_int_equal(c.assisted, 0);
    assert_int_equal(c.own, 22000);
    yb_policy_free(p);
}

static void
test_contribution_fixed_amount_never_exceeds_what_is_owed(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    /* 300.00 of assistance on a 220.00 contribution pays 220.00 */
    struct yb_contribution c = due(p, "1501", idets("206", NULL), 1);

    (void)state;
    assert_int_equal(c.assisted, 22000);
    assert_int_equal(c.own, 0);
    c = due(p, "1501", idets("206", NULL), 2);
    assert_int_equal(c.assisted, 30000);
    assert_int_equal(c.own, 5005);
    yb_policy_free(p);
}

static void test_contribution_lowest_tier_share_leaves_the_rest(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    /* 50% of tier 1's 220.00 = 110.00 towards tier 2's 350.05 */
    struct yb_contribution c = due(p, "1501", idets("207", NULL), 2);

    (void)state;
    assert_int_equal(c.assisted, 11000);
    assert_int_equal(c.own, 24005);
    yb_policy_free(p);
}

static void test_contribution_first_matching_rule_applies(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    /* holds 201 and 202: rule 0 (full) comes first */
    struct yb_contribution c = due(p, "1501", idets("202", "201"), 1);

    (void)state;
    assert_ptr_equal(c.assist, &p->financing->assist[0]);
    assert_int_equal(c.assisted, 22000);
    /* a college student: rule 5, half, from the fund the rule names */
    c = due(p, "1404", 0, 1);
    assert_ptr_equal(c.assist, &p->financing->assist[5]);
    assert_int_equal(c.assisted, 11000);
    assert_string_equal(c.assist_fund, "999999");
    /* no_idet: a college student holding 299 is not assisted */
    c = due(p, "1404", idets("299", NULL), 1);
    assert_null(c.assist);
    assert_int_equal(c.own, 22000);
    yb_policy_free(p);
}

static void test_contribution_national_default_2018_figures(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/national-default-2018.json");
    struct yb_contribution c = due(p, "1501", 0, 1);

    (void)state;
    assert_int_equal(c.individual, 22000);
    assert_int_equal(c.own, 22000);
    c = due(p, "1601", idets("201", NULL), 1);
    assert_int_equal(c.assisted, 22000);
    assert_int_equal(c.own, 0);
    c = due(p, "1403", idets("202", NULL), 1);
    assert_int_equal(c.assisted, 15000);
    assert_int_equal(c.own, 7000);
    c = due(p, "1501", idets("205", NULL), 1);
    assert_int_equal(c.assisted, 11000);
    assert_int_equal(c.own, 11000);
    yb_policy_free(p);
}

static void test_contribution_national_defaults_2017_to_2026(void **state)
{
    /* the national minimum individual contribution of each coverage year
     * (2026 carries 2025); 特困 are assisted in full, 低保 a fixed 150.00,
     * severe disability half (rounded half up; every amount is even) */
    static const yb_fen individual[] = {18000, 22000, 25000, 28000, 32000,
                                        35000, 38000, 40000, 40000, 40000};

    (void)state;
    for (int year = 2017; year <= 2026; year++) {
        yb_fen ind = individual[year - 2017];
        struct yb_policy *p = fx_national_default(year);
        struct yb_contribution c = due(p, "1501", 0, 1);

        print_message("national default %d\n", year);
        assert_int_equal(c.individual, ind);
        assert_int_equal(c.own, ind);
        assert_null(c.assist);
        c = due(p, "1601", idets("201", NULL), 1);
        assert_int_equal(c.assisted, ind);
        assert_int_equal(c.own, 0);
        assert_string_equal(c.assist_fund, "610100");
        c = due(p, "1403", idets("203", NULL), 1);
        assert_int_equal(c.assisted, 15000);
        assert_int_equal(c.own, ind - 15000);
        c = due(p, "1501", idets("205", NULL), 1);
        assert_int_equal(c.assisted, ind / 2);
        assert_int_equal(c.own, ind / 2);
        yb_policy_free(p);
    }
}

static void test_contribution_rejects_a_tier_the_policy_lacks(void **state)
{
    struct yb_policy *p = sq_policy(two_tiers);
    struct yb_contribution c;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_contribution_due(p->financing, 0, 0, 3, &c, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "tier");
    assert_string_equal(e.msg, "3 不是政策的缴费档次（1 至 2）(not a "
                               "contribution tier of the policy)");
    assert_int_equal(yb_contribution_due(p->financing, 0, 0, 0, &c, &e),
                     YB_EINVAL);
    assert_string_equal(e.msg, "0 不是政策的缴费档次（1 至 2）(not a "
                               "contribution tier of the policy)");
    assert_int_equal(yb_contribution_due(NULL, 0, 0, 1, &c, &e), YB_EPOLICY);
    assert_string_equal(e.field, "financing");
    assert_string_equal(
        e.msg,
        "政策没有筹资部分 financing (the policy has no financing section)");
    yb_policy_free(p);
}

static void test_when_person_match_reads_only_person_conditions(void **state)
{
    struct yb_when w;
    int adult = fx_idx(YB_DICT_PSN_TYPE, "1501");
    int child = fx_idx(YB_DICT_PSN_TYPE, "1402");

    (void)state;
    memset(&w, 0, sizeof w);
    w.age_min = -1;
    w.age_max = -1;
    w.referral = -1;
    /* visit conditions are not looked at */
    w.med_types = UINT64_C(1) << fx_idx(YB_DICT_MED_TYPE, "21");
    assert_true(yb_when_person_match(&w, adult, 0, -1, -1));
    w.psn_types = UINT64_C(1) << child;
    assert_false(yb_when_person_match(&w, adult, 0, 1, 30));
    assert_true(yb_when_person_match(&w, child, 0, 1, 3));
    w.age_max = 0;
    assert_false(yb_when_person_match(&w, child, 0, 1, 3));
    assert_false(yb_when_person_match(&w, child, 0, 1, -1));
    assert_true(yb_when_person_match(&w, child, 0, 1, 0));
    w.no_idets = idets("201", NULL);
    assert_false(yb_when_person_match(&w, child, idets("201", "202"), 1, 0));
    w.tiers = 1u << 2;
    assert_false(yb_when_person_match(&w, child, 0, 1, 0));
    assert_false(yb_when_person_match(&w, child, 0, -1, 0));
    assert_true(yb_when_person_match(&w, child, 0, 2, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_contribution_without_assistance_is_the_tier_amount),
        cmocka_unit_test(
            test_contribution_extreme_poverty_is_paid_in_full_at_tier_1),
        cmocka_unit_test(test_contribution_minimum_living_gets_a_fixed_amount),
        cmocka_unit_test(test_contribution_share_rounds_half_up_to_the_fen),
        cmocka_unit_test(test_contribution_tier_condition_selects_the_rule),
        cmocka_unit_test(
            test_contribution_fixed_amount_never_exceeds_what_is_owed),
        cmocka_unit_test(test_contribution_lowest_tier_share_leaves_the_rest),
        cmocka_unit_test(test_contribution_first_matching_rule_applies),
        cmocka_unit_test(test_contribution_national_default_2018_figures),
        cmocka_unit_test(test_contribution_national_defaults_2017_to_2026),
        cmocka_unit_test(test_contribution_rejects_a_tier_the_policy_lacks),
        cmocka_unit_test(test_when_person_match_reads_only_person_conditions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
