/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the fiscal subsidy split (src/engine/subsidy.c) and the
 * per-part arithmetic it shares with the loader (yb_split_part_amount):
 * Yunnan's central share of 324 (2017) and 356 (2018) per person from the
 * shipped policy files, totals for 1,234,567 people to the fen, the 2019
 * five-tier central shares, the figures of every national-default policy
 * 2017-2026, the remainder level, half-up rounding, and every refusal.
 * Expected figures are computed by hand in the comments.
 */
#include "engine_fixture.h"

/* A policy from single-quoted JSON (no test text has an apostrophe). */
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

/* A 2019 policy with subsidy 520 and the split s. */
#define SPLIT(s)                                                               \
    "{'schema': 'yibao.policy/1', 'region': '530100', 'insutype': '390', "     \
    "'year': 2019, 'benefits': {'layers': [{'id': 'inpatient', 'name': "       \
    "'住院统筹', 'stage': 'basic', 'rates': {'rules': [{'rate': "          \
    "'70%'}]}}]}, 'financing': {'window': {'from': '2018-09-01', 'to': "       \
    "'2018-12-31'}, 'subsidy': '520.00', 'tiers': [{'tier': 1, 'amount': "     \
    "'250.00'}], 'split': [" s "]}}"

static const char five_tiers[] =
    SPLIT("{'level': 'central', 'rule': 'share_by_tier', "
          "'rates': ['80%', '60%', '50%', '30%', '10%']}, "
          "{'level': 'province', 'rule': 'remainder'}");

static struct yb_subsidy_split split_ok(const struct yb_policy *p, int tier,
                                        int64_t headcount)
{
    struct yb_subsidy_split s;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    rc = yb_subsidy_split(p->financing, tier, headcount, &s, &e);
    if (rc != YB_OK)
        fail_msg("split refused: %s: %s", e.field, e.msg);
    return s;
}

static void split_refused(const struct yb_financing *f, int tier,
                          int64_t headcount, int code, const char *field,
                          const char *msg)
{
    struct yb_subsidy_split s;
    struct yb_err e;

    yb_err_clear(&e);
    assert_int_equal(yb_subsidy_split(f, tier, headcount, &s, &e), code);
    assert_int_equal(e.code, code);
    assert_string_equal(e.field, field);
    assert_string_equal(e.msg, msg);
}

/* ---- Yunnan from the policy files ---- */

static void
test_subsidy_yunnan_2017_central_share_is_324_per_person(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/yunnan-2017.json");
    struct yb_subsidy_split s = split_ok(p, 1, 1);

    (void)state;
    /* 300 + 80% x (450 - 420) = 324; the province keeps 450 - 324 = 126 */
    assert_int_equal(s.per_capita, 45000);
    assert_int_equal(s.n_shares, 2);
    assert_int_equal(s.shares[0].level, YB_GOV_CENTRAL);
    assert_int_equal(s.shares[0].per_capita, 32400);
    assert_int_equal(s.shares[0].part->rule, YB_SPLIT_INCREMENT);
    assert_int_equal(s.shares[1].level, YB_GOV_PROVINCE);
    assert_int_equal(s.shares[1].per_capita, 12600);
    assert_int_equal(s.ci_per_capita, 0);
    yb_policy_free(p);
}

static void
test_subsidy_yunnan_2018_central_share_is_356_per_person(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/yunnan-2018.json");
    struct yb_subsidy_split s = split_ok(p, 1, 1);

    (void)state;
    /* 324 + 80% x (490 - 450) = 356; the province keeps 134 */
    assert_int_equal(s.per_capita, 49000);
    assert_int_equal(s.shares[0].per_capita, 35600);
    assert_int_equal(s.shares[1].per_capita, 13400);
    assert_int_equal(s.total, 49000);
    yb_policy_free(p);
}

static void
test_subsidy_yunnan_totals_for_1234567_people_are_exact(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/yunnan-2018.json");
    struct yb_policy *q = fx_policy_file("policies/yunnan-2017.json");
    struct yb_subsidy_split s = split_ok(p, 1, 1234567);
    struct yb_subsidy_split t = split_ok(q, 1, 1234567);

    (void)state;
    assert_int_equal(s.headcount, 1234567);
    /* 356.00 x 1,234,567 = 439,505,852.00 yuan */
    assert_int_equal(s.shares[0].total, INT64_C(43950585200));
    /* 134.00 x 1,234,567 = 165,431,978.00 */
    assert_int_equal(s.shares[1].total, INT64_C(16543197800));
    /* 490.00 x 1,234,567 = 604,937,830.00 = the sum of the two */
    assert_int_equal(s.total, INT64_C(60493783000));
    /* 2017: 324 and 126 of 450 */
    assert_int_equal(t.shares[0].total, INT64_C(39999970800));
    assert_int_equal(t.shares[1].total, INT64_C(15555544200));
    assert_int_equal(t.total, INT64_C(55555515000));
    yb_policy_free(p);
    yb_policy_free(q);
}

static void
test_subsidy_national_default_splits_four_levels_and_earmark(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/national-default-2018.json");
    struct yb_subsidy_split s = split_ok(p, 1, 1234567);

    (void)state;
    assert_int_equal(s.n_shares, 4);
    /* central 356 (increment), province 67 (fixed), city 5% of 490 =
     * 24.50, county the remainder 490 - 356 - 67 - 24.50 = 42.50 */
    assert_int_equal(s.shares[0].per_capita, 35600);
    assert_int_equal(s.shares[1].per_capita, 6700);
    assert_int_equal(s.shares[2].level, YB_GOV_CITY);
    assert_int_equal(s.shares[2].per_capita, 2450);
    assert_int_equal(s.shares[3].level, YB_GOV_COUNTY);
    assert_int_equal(s.shares[3].per_capita, 4250);
    assert_int_equal(s.shares[0].total, INT64_C(43950585200));
    assert_int_equal(s.shares[1].total, INT64_C(8271598900));
    /* 24.50 x 1,234,567 = 30,246,891.50 */
    assert_int_equal(s.shares[2].total, INT64_C(3024689150));
    /* 42.50 x 1,234,567 = 52,469,097.50 */
    assert_int_equal(s.shares[3].total, INT64_C(5246909750));
    assert_int_equal(s.total, INT64_C(60493783000));
    /* critical illness: 40 + 50% x (490 - 450) = 60 per person */
    assert_int_equal(s.ci_per_capita, 6000);
    assert_int_equal(s.ci_total, INT64_C(7407402000));
    yb_policy_free(p);
}

/* ---- the national defaults 2017-2026 ---- */

/* One coverage year of policies/national-default-YYYY.json, in fen: the
 * national minimums (subsidy, individual contribution), the Yunnan split at
 * province tier 1 and the critical-illness earmark, all computed by hand:
 *  - 2017: central 300 + 80% x (450 - 420) = 324, province 63 (half of
 *    the local 126), city 5% x 450 = 22.50, county 450 - 409.50 = 40.50;
 *    earmark 40 (the assumed level the 2018 file builds on);
 *  - 2018: 324 + 80% x 40 = 356, 67, 24.50, 42.50; earmark 40 + 50% x 40;
 *  - 2019 on: central 80% of the subsidy (tier 1), province 10%, city 5%,
 *    county the remaining 5%; earmark 2019 60 + 50% x (520 - 490) = 75,
 *    then kept at 75;
 *  - 2026 carries every 2025 figure (no 2026 notice is known). */
struct nd_year {
    int year;
    yb_fen subsidy, individual, central, province, city, county, ci;
};

static const struct nd_year nd_years[] = {
    {2017, 45000, 18000, 32400, 6300, 2250, 4050, 4000},
    {2018, 49000, 22000, 35600, 6700, 2450, 4250, 6000},
    {2019, 52000, 25000, 41600, 5200, 2600, 2600, 7500},
    {2020, 55000, 28000, 44000, 5500, 2750, 2750, 7500},
    {2021, 58000, 32000, 46400, 5800, 2900, 2900, 7500},
    {2022, 61000, 35000, 48800, 6100, 3050, 3050, 7500},
    {2023, 64000, 38000, 51200, 6400, 3200, 3200, 7500},
    {2024, 67000, 40000, 53600, 6700, 3350, 3350, 7500},
    {2025, 70000, 40000, 56000, 7000, 3500, 3500, 7500},
    {2026, 70000, 40000, 56000, 7000, 3500, 3500, 7500},
};

static void
test_subsidy_national_defaults_2017_to_2026_split_as_each_notice(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof nd_years / sizeof nd_years[0]; i++) {
        const struct nd_year *y = &nd_years[i];
        struct yb_policy *p = fx_national_default(y->year);
        const struct yb_financing *f = p->financing;
        struct yb_subsidy_split s = split_ok(p, 1, 1000);
        char from[32], to[32];

        print_message("national default %d\n", y->year);
        assert_int_equal(p->year, y->year);
        assert_string_equal(p->region, "530100");
        snprintf(from, sizeof from, "%d-01-01", y->year);
        snprintf(to, sizeof to, "%d-12-31", y->year);
        assert_int_equal(p->valid_from, fx_date(from));
        assert_int_equal(p->valid_to, fx_date(to));
        /* the collection window: September to December of the year before */
        snprintf(from, sizeof from, "%d-09-01", y->year - 1);
        snprintf(to, sizeof to, "%d-12-31", y->year - 1);
        assert_int_equal(f->window_from, fx_date(from));
        assert_int_equal(f->window_to, fx_date(to));
        /* the policy pays exactly the national minimums */
        assert_int_equal(f->min_subsidy, y->subsidy);
        assert_int_equal(f->min_individual, y->individual);
        assert_int_equal(f->subsidy, y->subsidy);
        assert_int_equal(f->n_tiers, 1);
        assert_int_equal(f->tiers[0].amount, y->individual);
        assert_int_equal(s.n_shares, 4);
        assert_int_equal(s.shares[0].level, YB_GOV_CENTRAL);
        assert_int_equal(s.shares[0].per_capita, y->central);
        assert_int_equal(s.shares[1].level, YB_GOV_PROVINCE);
        assert_int_equal(s.shares[1].per_capita, y->province);
        assert_int_equal(s.shares[2].level, YB_GOV_CITY);
        assert_int_equal(s.shares[2].per_capita, y->city);
        assert_int_equal(s.shares[3].level, YB_GOV_COUNTY);
        assert_int_equal(s.shares[3].per_capita, y->county);
        assert_int_equal(s.ci_per_capita, y->ci);
        /* 1,000 people: every total is the per-capita figure x 1,000 */
        assert_int_equal(s.total, y->subsidy * 1000);
        assert_int_equal(s.shares[0].total, y->central * 1000);
        assert_int_equal(s.ci_total, y->ci * 1000);
        yb_policy_free(p);
    }
}

static void
test_subsidy_national_defaults_from_2019_follow_the_five_tiers(void **state)
{
    static const int percent[] = {80, 60, 50, 30, 10};

    (void)state;
    for (int year = 2019; year <= 2026; year++) {
        struct yb_policy *p = fx_national_default(year);
        yb_fen subsidy = p->financing->subsidy;

        print_message("national default %d\n", year);
        assert_int_equal(p->financing->n_province_tiers, 5);
        for (int t = 1; t <= 5; t++) {
            struct yb_subsidy_split s = split_ok(p, t, 1);

            /* subsidies are whole tens of yuan: every share is exact */
            assert_int_equal(s.shares[0].per_capita,
                             subsidy * percent[t - 1] / 100);
            /* province 10% and city 5% whatever the tier */
            assert_int_equal(s.shares[1].per_capita, subsidy / 10);
            assert_int_equal(s.shares[2].per_capita, subsidy / 20);
        }
        yb_policy_free(p);
    }
    /* 2017 and 2018 keep the pre-2019 increment rule: no province tiers */
    for (int year = 2017; year <= 2018; year++) {
        struct yb_policy *p = fx_national_default(year);

        assert_int_equal(p->financing->n_province_tiers, 0);
        yb_policy_free(p);
    }
}

/* ---- rules ---- */

static void test_subsidy_five_tiers_give_80_60_50_30_10_percent(void **state)
{
    static const yb_fen central[] = {41600, 31200, 26000, 15600, 5200};
    struct yb_policy *p = sq_policy(five_tiers);

    (void)state;
    for (int t = 1; t <= 5; t++) {
        struct yb_subsidy_split s = split_ok(p, t, 1000);

        assert_int_equal(s.province_tier, t);
        assert_int_equal(s.shares[0].per_capita, central[t - 1]);
        assert_int_equal(s.shares[1].per_capita, 52000 - central[t - 1]);
        assert_int_equal(s.shares[0].total, central[t - 1] * 1000);
        assert_int_equal(s.shares[0].total + s.shares[1].total, 52000000);
    }
    yb_policy_free(p);
}

static void test_subsidy_remainder_takes_what_rounded_shares_leave(void **state)
{
    struct yb_policy *p = sq_policy(
        SPLIT("{'level': 'central', 'rule': 'share', 'rate': '33.33%'}, "
              "{'level': 'province', 'rule': 'share', 'rate': '33.33%'}, "
              "{'level': 'city', 'rule': 'remainder'}"));
    struct yb_subsidy_split s = split_ok(p, 1, 3);

    (void)state;
    /* 520.00 x 33.33% = 173.316 -> 173.32 (half up, per capita) twice;
     * the city gets 520.00 - 346.64 = 173.36 */
    assert_int_equal(s.shares[0].per_capita, 17332);
    assert_int_equal(s.shares[1].per_capita, 17332);
    assert_int_equal(s.shares[2].per_capita, 17336);
    assert_int_equal(s.shares[0].total, 51996);
    assert_int_equal(s.shares[2].total, 52008);
    assert_int_equal(s.total, 156000);
    yb_policy_free(p);
}

static void
test_subsidy_without_share_by_tier_ignores_the_province_tier(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/yunnan-2018.json");
    struct yb_subsidy_split a = split_ok(p, 0, 10);
    struct yb_subsidy_split b = split_ok(p, 9, 10);

    (void)state;
    assert_int_equal(a.shares[0].per_capita, 35600);
    assert_int_equal(b.shares[0].per_capita, 35600);
    assert_int_equal(a.province_tier, 0);
    assert_int_equal(b.province_tier, 9);
    yb_policy_free(p);
}

static void test_subsidy_of_nobody_is_zero(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/national-default-2018.json");
    struct yb_subsidy_split s = split_ok(p, 1, 0);

    (void)state;
    assert_int_equal(s.shares[0].per_capita, 35600);
    assert_int_equal(s.shares[0].total, 0);
    assert_int_equal(s.shares[3].total, 0);
    assert_int_equal(s.total, 0);
    assert_int_equal(s.ci_total, 0);
    yb_policy_free(p);
}

/* ---- refusals ---- */

static void test_subsidy_rejects_a_province_tier_outside_the_lists(void **state)
{
    struct yb_policy *p = sq_policy(five_tiers);

    (void)state;
    split_refused(p->financing, 0, 1, YB_EINVAL, "province_tier",
                  "0 不是政策的省级补助档次（1 至 5）(not a province tier of "
                  "the policy)");
    split_refused(p->financing, 6, 1, YB_EINVAL, "province_tier",
                  "6 不是政策的省级补助档次（1 至 5）(not a province tier of "
                  "the policy)");
    yb_policy_free(p);
}

static void test_subsidy_rejects_a_negative_headcount(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/yunnan-2018.json");

    (void)state;
    split_refused(p->financing, 1, -1, YB_EINVAL, "headcount",
                  "-1 不能为负数 (negative)");
    yb_policy_free(p);
}

static void test_subsidy_overflow_is_reported_not_wrapped(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/yunnan-2018.json");

    (void)state;
    /* 490.00 yuan x 2^61 people does not fit in int64 fen */
    split_refused(p->financing, 1, INT64_C(1) << 61, YB_EOVERFLOW, "headcount",
                  "金额超出范围 (amount out of range)");
    yb_policy_free(p);
}

static void test_subsidy_needs_a_financing_section_and_a_split(void **state)
{
    struct yb_policy *p = sq_policy(
        SPLIT("{'level': 'central', 'rule': 'fixed', 'amount': '520'}"));
    struct yb_financing f = *p->financing;

    (void)state;
    split_refused(
        NULL, 1, 1, YB_EPOLICY, "financing",
        "政策没有筹资部分 financing (the policy has no financing section)");
    f.n_split = 0;
    split_refused(&f, 1, 1, YB_EPOLICY, "financing.split",
                  "政策没有给出补助分担 (the policy gives no subsidy split)");
    yb_policy_free(p);
}

static void
test_subsidy_refuses_a_hand_built_split_that_does_not_add_up(void **state)
{
    struct yb_policy *p = sq_policy(
        SPLIT("{'level': 'central', 'rule': 'fixed', 'amount': '520'}"));
    struct yb_financing f = *p->financing;

    (void)state;
    /* The loader would refuse it; the engine checks again. */
    f.subsidy = 53000;
    split_refused(&f, 1, 1, YB_EINVARIANT, "financing.split",
                  "各部分合计 52000 分，不等于补助 53000 分 (the parts do not "
                  "add up to the subsidy)");
    yb_policy_free(p);
}

/* ---- the per-part arithmetic ---- */

static void test_split_part_amount_rounds_half_up_once(void **state)
{
    struct yb_split_part inc = {.rule = YB_SPLIT_INCREMENT,
                                .base_amount = 32400,
                                .base_subsidy = 45000,
                                .rate = 5000,
                                .path = "x"};
    struct yb_split_part share = {
        .rule = YB_SPLIT_SHARE, .rate = 5000, .path = "y"};
    struct yb_err e;
    yb_fen v = 0;

    (void)state;
    /* 324.00 + 50% x (450.05 - 450.00) = 324.00 + 0.025 -> 324.03 */
    assert_int_equal(yb_split_part_amount(&inc, 45005, 1, &v, &e), YB_OK);
    assert_int_equal(v, 32403);
    /* 50% x 490.01 = 245.005 -> 245.01 */
    assert_int_equal(yb_split_part_amount(&share, 49001, 1, &v, &e), YB_OK);
    assert_int_equal(v, 24501);
    /* 80% x 0.01 = 0.008 -> 0.01; 80% x 0.00 = 0 */
    share.rate = 8000;
    assert_int_equal(yb_split_part_amount(&share, 1, 1, &v, &e), YB_OK);
    assert_int_equal(v, 1);
}

static void
test_split_part_amount_refuses_remainder_and_unknown_tiers(void **state)
{
    static const yb_rate rates[] = {8000, 6000};
    struct yb_split_part rem = {.rule = YB_SPLIT_REMAINDER,
                                .path = "financing.split[1]"};
    struct yb_split_part tiered = {.rule = YB_SPLIT_SHARE_BY_TIER,
                                   .tier_rates = rates,
                                   .n_tier_rates = 2,
                                   .path = "financing.split[0]"};
    struct yb_err e;
    yb_fen v = 0;

    (void)state;
    assert_int_equal(yb_split_part_amount(&rem, 52000, 1, &v, &e), YB_EINVAL);
    assert_string_equal(e.field, "financing.split[1]");
    assert_string_equal(e.msg, "余额部分 \"remainder\" 不能有自己的金额 (a "
                               "remainder part has no amount)");
    assert_int_equal(yb_split_part_amount(&tiered, 52000, 3, &v, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "province_tier");
    assert_string_equal(e.msg, "3 不是 financing.split[0].rates 的档次（1 至 "
                               "2）(not a tier of the rates)");
    assert_int_equal(yb_split_part_amount(&tiered, 52000, 2, &v, &e), YB_OK);
    assert_int_equal(v, 31200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_subsidy_yunnan_2017_central_share_is_324_per_person),
        cmocka_unit_test(
            test_subsidy_yunnan_2018_central_share_is_356_per_person),
        cmocka_unit_test(
            test_subsidy_yunnan_totals_for_1234567_people_are_exact),
        cmocka_unit_test(
            test_subsidy_national_default_splits_four_levels_and_earmark),
        cmocka_unit_test(
            test_subsidy_national_defaults_2017_to_2026_split_as_each_notice),
        cmocka_unit_test(
            test_subsidy_national_defaults_from_2019_follow_the_five_tiers),
        cmocka_unit_test(test_subsidy_five_tiers_give_80_60_50_30_10_percent),
        cmocka_unit_test(
            test_subsidy_remainder_takes_what_rounded_shares_leave),
        cmocka_unit_test(
            test_subsidy_without_share_by_tier_ignores_the_province_tier),
        cmocka_unit_test(test_subsidy_of_nobody_is_zero),
        cmocka_unit_test(
            test_subsidy_rejects_a_province_tier_outside_the_lists),
        cmocka_unit_test(test_subsidy_rejects_a_negative_headcount),
        cmocka_unit_test(test_subsidy_overflow_is_reported_not_wrapped),
        cmocka_unit_test(test_subsidy_needs_a_financing_section_and_a_split),
        cmocka_unit_test(
            test_subsidy_refuses_a_hand_built_split_that_does_not_add_up),
        cmocka_unit_test(test_split_part_amount_rounds_half_up_once),
        cmocka_unit_test(
            test_split_part_amount_refuses_remainder_and_unknown_tiers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
