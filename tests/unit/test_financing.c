/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the "financing" and "enrolment" sections of the policy
 * loader (src/policy/policy_financing.c): a full section of each whose
 * every figure is asserted, the defaults of minimal ones, one test per
 * class of invalid section asserting the exact field path and message, and
 * every allocation failure. Policies are written with single quotes for
 * readability; load() turns them into JSON (no test text contains an
 * apostrophe).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/policy/policy_int.h"
#include "yibao/financing.h"
#include "policy_fixture.h"
#include "yibao/policy.h"

/* ---- helpers ---- */

static uint64_t bit(enum yb_dict_kind kind, const char *code)
{
    int i = yb_dict_index(kind, code);

    assert_true(i >= 0 && i < 64);
    return UINT64_C(1) << i;
}

static int idx(enum yb_dict_kind kind, const char *code)
{
    int i = yb_dict_index(kind, code);

    assert_true(i >= 0);
    return i;
}

static yb_date day(const char *s)
{
    yb_date d = 0;

    assert_int_equal(yb_date_parse(s, &d, "day", NULL), YB_OK);
    return d;
}

/* A document with one basic layer and the top-level keys in x. */
#define DOC(x)                                                                 \
    "{'schema': 'yibao.policy/1', 'region': '530100', 'insutype': '390', "     \
    "'year': 2019, 'benefits': {'layers': [{'id': 'inpatient', 'name': "       \
    "'住院统筹', 'stage': 'basic', 'rates': {'rules': [{'rate': "          \
    "'70%'}]}}]}" x "}"
/* The required financing keys. */
#define FIN_BASE                                                               \
    "'window': {'from': '2018-09-01', 'to': '2018-12-31'}, "                   \
    "'subsidy': '520.00', 'tiers': [{'tier': 1, 'amount': '250.00'}]"
/* A financing section of the required keys plus x. */
#define FIN(x) DOC(", 'financing': {" FIN_BASE x "}")
/* A financing section with the tiers t and the keys in x. */
#define TIERS(t, x)                                                            \
    DOC(", 'financing': {'window': {'from': '2018-09-01', 'to': "              \
        "'2018-12-31'}, 'subsidy': '520.00', 'tiers': [" t "]" x "}")
/* A financing section whose split is s. */
#define SPLIT(s) FIN(", 'split': [" s "]")
/* A financing section whose only assistance rule is r. */
#define ASSIST(r) FIN(", 'assistance': [" r "]")
/* An enrolment section of the keys in x. */
#define ENR(x) DOC(", 'enrolment': {" x "}")
/* A waiting object of the required keys plus x. */
#define WAIT(x)                                                                \
    ENR("'waiting': {'fixed_months': 3, 'variable_months_per_year': 1" x "}")
/* Person-type rules that give everyone a type, after the rules in x. */
#define TYPES(x) ENR("'person_types': [" x "{'psn_type': '1501'}]")

static const char full_policy[] = DOC(
    ", 'financing': {"
    "'window': {'from': '2018-09-01', 'to': '2018-12-31'}, "
    "'national_minimum': {'subsidy': '520.00', 'individual': '250.00'}, "
    "'subsidy': '520.00', "
    "'tiers': [{'tier': 1, 'name': '一档', 'amount': '250.00'}, "
    "          {'tier': 2, 'amount': '400.00'}], "
    "'critical_illness': {'rule': 'share', 'rate': '5%'}, "
    "'assistance': ["
    "  {'name': '特困人员全额资助', 'when': {'idet': ['201']}, "
    "   'pay': 'full', 'basis': 'lowest_tier'}, "
    "  {'when': {'idet': ['202', '203'], 'no_idet': ['205']}, "
    "   'pay': 'amount', 'amount': '150.00', 'fund': '999999'}, "
    "  {'when': {'psn_type': ['1404'], 'tier': [1]}, 'pay': 'share', "
    "   'share': '50%'}], "
    "'split': ["
    "  {'level': 'central', 'rule': 'share_by_tier', "
    "   'rates': ['80%', '60%', '50%', '30%', '10%']}, "
    "  {'level': 'province', 'rule': 'fixed', 'amount': '40.00'}, "
    "  {'level': 'city', 'rule': 'share', 'rate': '2.5%'}, "
    "  {'level': 'county', 'rule': 'remainder'}]}, "
    "'enrolment': {"
    "'person_types': ["
    "  {'psn_type': '1401', 'age_max': 0}, "
    "  {'psn_type': '1404', 'student': ['college']}, "
    "  {'psn_type': '1403', 'age_min': 6, 'age_max': 25, "
    "   'student': ['school']}, "
    "  {'psn_type': '1402', 'age_max': 6}, "
    "  {'psn_type': '1405', 'age_max': 17}, "
    "  {'psn_type': '1601', 'age_min': 60}, "
    "  {'psn_type': '1501'}], "
    "'newborn_grace_days': 90, "
    "'waiting': {'fixed_months': 3, 'variable_months_per_year': 1, "
    "  'variable_after_years': 1, 'repair_months_per_year': 1, "
    "  'repair_floor': {'from_break_years': 4, 'months': 6}, "
    "  'exempt': [{'psn_type': ['1401']}, "
    "             {'idet': ['201', '202'], 'age_min': 0}]}, "
    "'ci_cap_bonus': {'continuous': {'after_years': 4, 'amount': '1000.00'}, "
    "  'claim_free': {'amount': '1000.00'}, 'max_share': '20%'}}");

/* ---- full sections ---- */

static void
test_financing_full_section_loads_window_subsidy_and_tiers(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_financing *f = p->financing;

    (void)state;
    assert_non_null(f);
    assert_int_equal(f->window_from, day("2018-09-01"));
    assert_int_equal(f->window_to, day("2018-12-31"));
    assert_int_equal(f->subsidy, 52000);
    assert_int_equal(f->min_subsidy, 52000);
    assert_int_equal(f->min_individual, 25000);
    assert_int_equal(f->n_tiers, 2);
    assert_int_equal(f->tiers[0].tier, 1);
    assert_string_equal(f->tiers[0].name, "一档");
    assert_int_equal(f->tiers[0].amount, 25000);
    assert_string_equal(f->tiers[0].path, "financing.tiers[0]");
    assert_int_equal(f->tiers[1].tier, 2);
    assert_string_equal(f->tiers[1].name, "第2档");
    assert_int_equal(f->tiers[1].amount, 40000);
    assert_true(f->has_critical_illness);
    assert_int_equal(f->critical_illness.rule, YB_SPLIT_SHARE);
    assert_int_equal(f->critical_illness.rate, 500);
    assert_string_equal(f->critical_illness.path, "financing.critical_illness");
    yb_policy_free(p);
}

static void test_financing_full_section_loads_assistance_rules(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_financing *f = p->financing;
    const struct yb_assist_rule *a = f->assist;

    (void)state;
    assert_int_equal(f->n_assist, 3);
    assert_string_equal(a[0].name, "特困人员全额资助");
    assert_int_equal(a[0].when.idets, bit(YB_DICT_IDET, "201"));
    assert_int_equal(a[0].pay, YB_ASSIST_FULL);
    assert_int_equal(a[0].basis, YB_BASIS_LOWEST_TIER);
    assert_string_equal(a[0].fund, "610100");
    assert_string_equal(a[1].name, "资助参保");
    assert_int_equal(a[1].when.idets,
                     bit(YB_DICT_IDET, "202") | bit(YB_DICT_IDET, "203"));
    assert_int_equal(a[1].when.no_idets, bit(YB_DICT_IDET, "205"));
    assert_int_equal(a[1].pay, YB_ASSIST_AMOUNT);
    assert_int_equal(a[1].basis, YB_BASIS_CHOSEN_TIER);
    assert_int_equal(a[1].amount, 15000);
    assert_string_equal(a[1].fund, "999999");
    assert_int_equal(a[2].when.psn_types, bit(YB_DICT_PSN_TYPE, "1404"));
    assert_int_equal(a[2].when.tiers, 1u << 1);
    assert_int_equal(a[2].pay, YB_ASSIST_SHARE);
    assert_int_equal(a[2].share, 5000);
    assert_string_equal(a[2].path, "financing.assistance[2]");
    yb_policy_free(p);
}

static void test_financing_full_section_loads_the_split(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_financing *f = p->financing;
    const struct yb_split_part *s = f->split;
    static const yb_rate five[] = {8000, 6000, 5000, 3000, 1000};

    (void)state;
    assert_int_equal(f->n_split, 4);
    assert_int_equal(f->n_province_tiers, 5);
    assert_int_equal(s[0].level, YB_GOV_CENTRAL);
    assert_int_equal(s[0].rule, YB_SPLIT_SHARE_BY_TIER);
    assert_int_equal(s[0].n_tier_rates, 5);
    for (int t = 0; t < 5; t++)
        assert_int_equal(s[0].tier_rates[t], five[t]);
    assert_int_equal(s[1].level, YB_GOV_PROVINCE);
    assert_int_equal(s[1].rule, YB_SPLIT_FIXED);
    assert_int_equal(s[1].amount, 4000);
    assert_int_equal(s[2].level, YB_GOV_CITY);
    assert_int_equal(s[2].rule, YB_SPLIT_SHARE);
    assert_int_equal(s[2].rate, 250);
    assert_int_equal(s[3].level, YB_GOV_COUNTY);
    assert_int_equal(s[3].rule, YB_SPLIT_REMAINDER);
    assert_string_equal(s[3].path, "financing.split[3]");
    assert_string_equal(yb_gov_level_name(s[3].level), "county");
    assert_string_equal(yb_gov_level_label(YB_GOV_CENTRAL), "中央");
    assert_null(yb_gov_level_name(YB_GOV__COUNT));
    yb_policy_free(p);
}

static void test_enrolment_full_section_loads_person_types(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_enrol_rules *r = p->enrol;
    const struct yb_psn_type_rule *t;

    (void)state;
    assert_non_null(r);
    assert_int_equal(r->n_psn_types, 7);
    t = r->psn_types;
    assert_int_equal(t[0].psn_type, idx(YB_DICT_PSN_TYPE, "1401"));
    assert_int_equal(t[0].age_min, -1);
    assert_int_equal(t[0].age_max, 0);
    assert_int_equal(t[0].students, 0);
    assert_int_equal(t[1].psn_type, idx(YB_DICT_PSN_TYPE, "1404"));
    assert_int_equal(t[1].students, 1u << YB_STUDENT_COLLEGE);
    assert_int_equal(t[2].age_min, 6);
    assert_int_equal(t[2].age_max, 25);
    assert_int_equal(t[2].students, 1u << YB_STUDENT_SCHOOL);
    assert_int_equal(t[5].psn_type, idx(YB_DICT_PSN_TYPE, "1601"));
    assert_int_equal(t[5].age_min, 60);
    assert_int_equal(t[6].psn_type, idx(YB_DICT_PSN_TYPE, "1501"));
    assert_string_equal(t[6].path, "enrolment.person_types[6]");
    assert_int_equal(r->newborn_grace_days, 90);
    yb_policy_free(p);
}

static void
test_enrolment_full_section_loads_waiting_and_cap_bonus(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_enrol_rules *r = p->enrol;
    const struct yb_waiting *w = &r->waiting;
    const struct yb_ci_bonus_rules *c = &r->ci_bonus;

    (void)state;
    assert_true(r->has_waiting);
    assert_int_equal(w->fixed_months, 3);
    assert_int_equal(w->variable_months_per_year, 1);
    assert_int_equal(w->variable_after_years, 1);
    assert_int_equal(w->repair_months_per_year, 1);
    assert_int_equal(w->floor_break_years, 4);
    assert_int_equal(w->floor_months, 6);
    assert_int_equal(w->n_exempt, 2);
    assert_int_equal(w->exempt[0].psn_types, bit(YB_DICT_PSN_TYPE, "1401"));
    assert_int_equal(w->exempt[1].idets,
                     bit(YB_DICT_IDET, "201") | bit(YB_DICT_IDET, "202"));
    assert_int_equal(w->exempt[1].age_min, 0);
    assert_true(r->has_ci_bonus);
    assert_true(c->has_continuous);
    assert_int_equal(c->continuous_after_years, 4);
    assert_int_equal(c->continuous_amount, 100000);
    assert_true(c->has_claim_free);
    assert_int_equal(c->claim_free_amount, 100000);
    assert_int_equal(c->max_share, 2000);
    yb_policy_free(p);
}

/* ---- defaults ---- */

static void test_financing_and_enrolment_are_null_when_absent(void **state)
{
    struct yb_policy *p = load_ok(DOC(""));

    (void)state;
    assert_null(p->financing);
    assert_null(p->enrol);
    yb_policy_free(p);
}

static void test_financing_defaults_of_a_minimal_section(void **state)
{
    struct yb_policy *p =
        load_ok(ASSIST("{'when': {'idet': ['201']}, 'pay': 'full'}"));
    const struct yb_financing *f = p->financing;

    (void)state;
    assert_int_equal(f->min_subsidy, -1);
    assert_int_equal(f->min_individual, -1);
    assert_string_equal(f->tiers[0].name, "第1档");
    assert_false(f->has_critical_illness);
    assert_int_equal(f->n_split, 0);
    assert_null(f->split);
    assert_int_equal(f->n_province_tiers, 0);
    assert_int_equal(f->n_assist, 1);
    assert_string_equal(f->assist[0].name, "资助参保");
    assert_int_equal(f->assist[0].basis, YB_BASIS_CHOSEN_TIER);
    assert_string_equal(f->assist[0].fund, "610100");
    assert_null(p->enrol);
    yb_policy_free(p);
}

static void test_enrolment_defaults_of_a_minimal_section(void **state)
{
    struct yb_policy *p = load_ok(ENR(""));
    const struct yb_enrol_rules *r = p->enrol;

    (void)state;
    assert_non_null(r);
    assert_null(p->financing);
    assert_int_equal(r->n_psn_types, 0);
    assert_int_equal(r->newborn_grace_days, -1);
    assert_false(r->has_waiting);
    assert_false(r->has_ci_bonus);
    yb_policy_free(p);

    p = load_ok(
        ENR("'waiting': {'fixed_months': 3, 'variable_months_per_year': 1}, "
            "'ci_cap_bonus': {'claim_free': {'amount': '1000'}, "
            "'max_share': '20%'}"));
    r = p->enrol;
    assert_int_equal(r->waiting.variable_after_years, 0);
    assert_int_equal(r->waiting.repair_months_per_year, 0);
    assert_int_equal(r->waiting.floor_break_years, 0);
    assert_int_equal(r->waiting.n_exempt, 0);
    assert_false(r->ci_bonus.has_continuous);
    assert_int_equal(r->ci_bonus.continuous_amount, 0);
    assert_true(r->ci_bonus.has_claim_free);
    yb_policy_free(p);
}

/* ---- errors: keys and types ---- */

static void test_financing_unknown_keys_are_refused(void **state)
{
    (void)state;
    refused(FIN(", 'windw': {}"), "financing.windw", "unknown key \"windw\"");
    refused(SPLIT("{'levle': 'central', 'rule': 'remainder'}"),
            "financing.split[0].levle", "unknown key \"levle\"");
    refused(ASSIST("{'when': {'idte': ['201']}, 'pay': 'full'}"),
            "financing.assistance[0].when.idte", "unknown key \"idte\"");
    refused(ENR("'grace': 90"), "enrolment.grace", "unknown key \"grace\"");
    refused(WAIT(", 'fixed': 3"), "enrolment.waiting.fixed",
            "unknown key \"fixed\"");
    refused(DOC(", 'financing': {}, 'financing': {}"), "financing",
            "duplicate key \"financing\"");
}

static void test_financing_required_keys_are_refused(void **state)
{
    (void)state;
    refused(DOC(", 'financing': {'subsidy': '520'}"), "financing.window",
            "is required");
    refused(DOC(", 'financing': {'window': {'from': '2018-09-01', 'to': "
                "'2018-12-31'}, 'tiers': [{'tier': 1, 'amount': '250'}]}"),
            "financing.subsidy", "is required");
    refused(DOC(", 'financing': {'window': {'from': '2018-09-01', 'to': "
                "'2018-12-31'}, 'subsidy': '520'}"),
            "financing.tiers", "is required");
    refused(ASSIST("{'pay': 'full'}"), "financing.assistance[0].when",
            "is required");
    refused(ASSIST("{'when': {'idet': ['201']}}"),
            "financing.assistance[0].pay", "is required");
    refused(SPLIT("{'rule': 'remainder'}"), "financing.split[0].level",
            "is required");
    refused(SPLIT("{'level': 'central', 'rule': 'share'}"),
            "financing.split[0].rate", "is required");
    refused(ENR("'person_types': [{'age_max': 0}]"),
            "enrolment.person_types[0].psn_type", "is required");
    refused(ENR("'waiting': {'fixed_months': 3}"),
            "enrolment.waiting.variable_months_per_year", "is required");
    refused(ENR("'ci_cap_bonus': {'claim_free': {'amount': '1000'}}"),
            "enrolment.ci_cap_bonus.max_share", "is required");
}

static void test_financing_wrong_types_and_options_are_refused(void **state)
{
    (void)state;
    refused(DOC(", 'financing': []"), "financing",
            "must be an object, got array");
    refused(SPLIT("{'level': 'state', 'rule': 'remainder'}"),
            "financing.split[0].level",
            "\"state\" is not one of \"central\", \"province\", \"city\", "
            "\"county\"");
    refused(SPLIT("{'level': 'central', 'rule': 'half'}"),
            "financing.split[0].rule",
            "\"half\" is not one of \"share\", \"share_by_tier\", "
            "\"increment\", \"fixed\", \"remainder\"");
    refused(ASSIST("{'when': {'idet': ['201']}, 'pay': 'all'}"),
            "financing.assistance[0].pay",
            "\"all\" is not one of \"full\", \"amount\", \"share\"");
    refused(ASSIST("{'when': {'idet': ['201']}, 'pay': 'full', 'basis': "
                   "'tier'}"),
            "financing.assistance[0].basis",
            "\"tier\" is not one of \"chosen_tier\", \"lowest_tier\"");
    refused(ASSIST("{'when': {'idet': ['201']}, 'pay': 'full', 'fund': "
                   "'390300'}"),
            "financing.assistance[0].fund",
            "unknown fund_pay_type code \"390300\"");
    refused(ENR("'newborn_grace_days': -1"), "enrolment.newborn_grace_days",
            "-1 is below the minimum 0");
    refused(WAIT(", 'variable_after_years': 'one'"),
            "enrolment.waiting.variable_after_years",
            "\"one\" is not an integer");
}

/* ---- errors: financing values ---- */

static void test_financing_window_must_be_ordered_within_the_year(void **state)
{
    (void)state;
    refused(DOC(", 'financing': {'window': {'from': '2018-12-31', 'to': "
                "'2018-09-01'}, 'subsidy': '520', 'tiers': [{'tier': 1, "
                "'amount': '250'}]}"),
            "financing.window.to", "2018-09-01 is before from 2018-12-31");
    refused(DOC(", 'financing': {'window': {'from': '2019-09-01', 'to': "
                "'2020-01-31'}, 'subsidy': '520', 'tiers': [{'tier': 1, "
                "'amount': '250'}]}"),
            "financing.window.to",
            "2020-01-31 is after the coverage year "
            "2019");
}

static void test_financing_tiers_are_numbered_in_order_and_ascend(void **state)
{
    (void)state;
    refused(TIERS("", ""), "financing.tiers", "is empty; give at least 1 item");
    refused(TIERS("{'tier': 2, 'amount': '250'}", ""),
            "financing.tiers[0].tier",
            "2 is not 1: number the tiers 1, 2, ... in order");
    refused(TIERS("{'tier': 1, 'amount': '250'}, {'tier': 3, 'amount': "
                  "'400'}",
                  ""),
            "financing.tiers[1].tier",
            "3 is not 2: number the tiers 1, 2, ... in order");
    refused(TIERS("{'tier': 1, 'amount': '250'}, {'tier': 2, 'amount': "
                  "'250'}",
                  ""),
            "financing.tiers[1].amount",
            "250.00 is not above tier 1's 250.00: tier 1 is the lowest and "
            "each next tier is higher");
    refused(TIERS("{'tier': 1, 'amount': '-250'}", ""),
            "financing.tiers[0].amount", "\"-250\" is negative");
    refused(TIERS("{'tier': 32, 'amount': '250'}", ""),
            "financing.tiers[0].tier", "32 is above the maximum 31");
}

static void test_financing_national_minimum_is_enforced(void **state)
{
    (void)state;
    refused(FIN(", 'national_minimum': {'subsidy': '550.00'}"),
            "financing.subsidy", "520.00 is below the national minimum 550.00");
    refused(FIN(", 'national_minimum': {'individual': '280.00'}"),
            "financing.tiers[0].amount",
            "250.00 is below the national minimum 280.00");
    refused(FIN(", 'national_minimum': {'individual': '250.00', 'other': 1}"),
            "financing.national_minimum.other", "unknown key \"other\"");
}

static void test_financing_split_rule_takes_only_its_own_keys(void **state)
{
    (void)state;
    refused(SPLIT("{'level': 'central', 'rule': 'share', 'rate': '80%', "
                  "'amount': '10'}"),
            "financing.split[0].amount", "is not allowed with rule \"share\"");
    refused(SPLIT("{'level': 'central', 'rule': 'remainder', 'rate': "
                  "'80%'}"),
            "financing.split[0].rate",
            "is not allowed with rule \"remainder\"");
    refused(SPLIT("{'level': 'central', 'rule': 'fixed', 'rates': ['80%']}"),
            "financing.split[0].rates", "is not allowed with rule \"fixed\"");
    refused(SPLIT("{'level': 'central', 'rule': 'increment', 'base_amount': "
                  "'324', 'rate': '80%'}"),
            "financing.split[0].base_subsidy", "is required");
    refused(SPLIT("{'level': 'central', 'rule': 'share_by_tier', 'rates': "
                  "[]}"),
            "financing.split[0].rates", "is empty; give at least 1 item");
    refused(SPLIT("{'level': 'central', 'rule': 'share_by_tier', 'rates': "
                  "['80%', '105%']}"),
            "financing.split[0].rates[1]", "105% is above 100%");
}

static void test_financing_split_levels_once_and_remainder_last(void **state)
{
    (void)state;
    refused(SPLIT("{'level': 'central', 'rule': 'fixed', 'amount': '100'}, "
                  "{'level': 'central', 'rule': 'remainder'}"),
            "financing.split[1].level",
            "\"central\" is given twice (also financing.split[0])");
    refused(SPLIT("{'level': 'central', 'rule': 'remainder'}, "
                  "{'level': 'province', 'rule': 'fixed', 'amount': '100'}"),
            "financing.split[0].rule", "\"remainder\" must be the last part");
    refused(SPLIT("{'level': 'central', 'rule': 'share_by_tier', 'rates': "
                  "['80%', '60%']}, {'level': 'province', 'rule': "
                  "'share_by_tier', 'rates': ['10%']}, {'level': 'city', "
                  "'rule': 'remainder'}"),
            "financing.split[1].rates",
            "has 1 tiers; financing.split[0].rates has 2");
}

static void test_financing_split_parts_may_not_exceed_the_subsidy(void **state)
{
    (void)state;
    refused(SPLIT("{'level': 'central', 'rule': 'share', 'rate': '80%'}, "
                  "{'level': 'province', 'rule': 'fixed', 'amount': "
                  "'110.00'}, {'level': 'city', 'rule': 'remainder'}"),
            "financing.split[1]",
            "brings the parts to 526.00, above the subsidy 520.00");
    /* Tier 1 fits (416 + 100 = 516), tier 2 would too; a 30% province
     * share breaks tier 1 only: 416 + 156 = 572. */
    refused(SPLIT("{'level': 'central', 'rule': 'share_by_tier', 'rates': "
                  "['80%', '60%']}, {'level': 'province', 'rule': 'share', "
                  "'rate': '30%'}, {'level': 'city', 'rule': 'remainder'}"),
            "financing.split[1]",
            "brings the parts to 572.00 at province tier 1, above the "
            "subsidy 520.00");
}

static void test_financing_split_without_remainder_must_add_up(void **state)
{
    struct yb_policy *p;

    (void)state;
    refused(SPLIT("{'level': 'central', 'rule': 'share', 'rate': '80%'}, "
                  "{'level': 'province', 'rule': 'fixed', 'amount': "
                  "'100.00'}"),
            "financing.split",
            "the parts add up to 516.00, not the subsidy 520.00; end with a "
            "\"remainder\" part");
    /* Shares are rounded half up to the fen one by one, exactly as the
     * engine computes them: 33.32% of 520.00 is 173.264 -> 173.26 twice and
     * 33.36% is 173.472 -> 173.47, so 100% of the subsidy adds up to
     * 519.99; 33.33% + 33.33% + 33.34% rounds the other way, to 520.01. */
    refused(SPLIT("{'level': 'central', 'rule': 'share', 'rate': '33.32%'}, "
                  "{'level': 'province', 'rule': 'share', 'rate': "
                  "'33.32%'}, {'level': 'city', 'rule': 'share', 'rate': "
                  "'33.36%'}"),
            "financing.split",
            "the parts add up to 519.99, not the subsidy 520.00; end with a "
            "\"remainder\" part");
    refused(SPLIT("{'level': 'central', 'rule': 'share', 'rate': '33.33%'}, "
                  "{'level': 'province', 'rule': 'share', 'rate': "
                  "'33.33%'}, {'level': 'city', 'rule': 'share', 'rate': "
                  "'33.34%'}"),
            "financing.split[2]",
            "brings the parts to 520.01, above the subsidy 520.00");
    p = load_ok(SPLIT("{'level': 'central', 'rule': 'share', 'rate': "
                      "'80%'}, {'level': 'province', 'rule': 'fixed', "
                      "'amount': '104.00'}"));
    assert_int_equal(p->financing->n_split, 2);
    yb_policy_free(p);
}

static void test_financing_increment_base_is_checked(void **state)
{
    (void)state;
    refused(SPLIT("{'level': 'central', 'rule': 'increment', 'base_amount': "
                  "'356', 'base_subsidy': '530', 'rate': '80%'}, {'level': "
                  "'province', 'rule': 'remainder'}"),
            "financing.split[0].base_subsidy",
            "530.00 is above the subsidy 520.00");
    refused(SPLIT("{'level': 'central', 'rule': 'increment', 'base_amount': "
                  "'500', 'base_subsidy': '490', 'rate': '80%'}, {'level': "
                  "'province', 'rule': 'remainder'}"),
            "financing.split[0].base_amount",
            "500.00 is above base_subsidy 490.00");
}

static void test_financing_critical_illness_rules_and_limit(void **state)
{
    struct yb_policy *p;

    (void)state;
    refused(FIN(", 'critical_illness': {'rule': 'remainder'}"),
            "financing.critical_illness.rule",
            "\"remainder\" is not a rule of the critical-illness earmark; use "
            "\"share\", \"increment\" or \"fixed\"");
    refused(FIN(", 'critical_illness': {'level': 'central', 'rule': "
                "'fixed', 'amount': '60'}"),
            "financing.critical_illness.level", "unknown key \"level\"");
    refused(FIN(", 'critical_illness': {'rule': 'fixed', 'amount': "
                "'770.01'}"),
            "financing.critical_illness",
            "770.01 per person is above the per-capita funding 770.00 "
            "(subsidy 520.00 + tier 1 250.00)");
    refused(FIN(", 'critical_illness': {'rule': 'increment', "
                "'base_amount': '40', 'base_subsidy': '550', 'rate': "
                "'50%'}"),
            "financing.critical_illness.base_subsidy",
            "550.00 is above the subsidy 520.00");
    p = load_ok(FIN(", 'critical_illness': {'rule': 'fixed', 'amount': "
                    "'770.00'}"));
    assert_int_equal(p->financing->critical_illness.amount, 77000);
    yb_policy_free(p);
}

static void
test_financing_assistance_selects_on_person_conditions_only(void **state)
{
    (void)state;
    refused(ASSIST("{'when': {'idet': ['201'], 'med_type': ['21']}, 'pay': "
                   "'full'}"),
            "financing.assistance[0].when.med_type",
            "is not a condition an assistance rule can use (only idet, "
            "no_idet, psn_type, tier)");
    refused(ASSIST("{'when': {}, 'pay': 'full'}"),
            "financing.assistance[0].when",
            "is empty and would assist every person");
    refused(ASSIST("{'when': {'tier': [2]}, 'pay': 'full'}"),
            "financing.assistance[0].when.tier",
            "names tier 2; the policy has 1");
    refused(ASSIST("{'when': {'idet': ['2009']}, 'pay': 'full'}"),
            "financing.assistance[0].when.idet[0]",
            "unknown idet code \"2009\"");
}

static void test_financing_assistance_pay_takes_its_own_key(void **state)
{
    (void)state;
    refused(ASSIST("{'when': {'idet': ['201']}, 'pay': 'full', 'amount': "
                   "'100'}"),
            "financing.assistance[0].amount",
            "is not allowed with pay \"full\"");
    refused(ASSIST("{'when': {'idet': ['201']}, 'pay': 'amount', 'share': "
                   "'50%'}"),
            "financing.assistance[0].share",
            "is not allowed with pay \"amount\"");
    refused(ASSIST("{'when': {'idet': ['201']}, 'pay': 'amount'}"),
            "financing.assistance[0].amount", "is required");
    refused(ASSIST("{'when': {'idet': ['201']}, 'pay': 'share', 'share': "
                   "'150%'}"),
            "financing.assistance[0].share", "150% is above 100%");
}

/* ---- errors: enrolment values ---- */

static void test_enrolment_person_types_must_give_everyone_a_type(void **state)
{
    (void)state;
    refused(ENR("'person_types': [{'psn_type': '1401', 'age_max': 0}, "
                "{'psn_type': '1501', 'age_min': 2}]"),
            "enrolment.person_types",
            "no rule gives the type of a person aged 1 with student status "
            "\"none\"");
    refused(ENR("'person_types': [{'psn_type': '1403', 'student': "
                "['school']}, {'psn_type': '1501', 'student': ['none']}]"),
            "enrolment.person_types",
            "no rule gives the type of a person aged 0 with student status "
            "\"college\"");
    refused(TYPES("{'psn_type': '1601'}, "), "enrolment.person_types[0]",
            "matches everyone, so the rules after it never apply");
    refused(ENR("'person_types': []"), "enrolment.person_types",
            "is empty; give at least 1 item");
}

static void test_enrolment_person_type_rules_are_checked(void **state)
{
    (void)state;
    refused(TYPES("{'psn_type': '1701'}, "),
            "enrolment.person_types[0].psn_type",
            "unknown psn_type code \"1701\"");
    refused(TYPES("{'psn_type': '1405', 'age_min': 18, 'age_max': 7}, "),
            "enrolment.person_types[0].age_min", "18 is above age_max 7");
    refused(TYPES("{'psn_type': '1405', 'age_max': 151}, "),
            "enrolment.person_types[0].age_max",
            "151 is above the maximum 150");
    refused(TYPES("{'psn_type': '1404', 'student': ['university']}, "),
            "enrolment.person_types[0].student[0]",
            "\"university\" is not one of \"none\", \"school\", \"college\"");
    refused(TYPES("{'psn_type': '1404', 'student': ['college', "
                  "'college']}, "),
            "enrolment.person_types[0].student[1]", "duplicate \"college\"");
    refused(TYPES("{'psn_type': '1404', 'student': [2]}, "),
            "enrolment.person_types[0].student[0]",
            "a non-string is not one of \"none\", \"school\", \"college\"");
}

static void test_enrolment_waiting_rules_are_checked(void **state)
{
    (void)state;
    refused(ENR("'waiting': {'fixed_months': 121, "
                "'variable_months_per_year': 1}"),
            "enrolment.waiting.fixed_months", "121 is above the maximum 120");
    refused(WAIT(", 'exempt': []"), "enrolment.waiting.exempt",
            "is empty; give at least 1 item");
    refused(WAIT(", 'exempt': [{}]"), "enrolment.waiting.exempt[0]",
            "is empty and would exempt every person");
    refused(WAIT(", 'exempt': [{'psn_type': ['1401']}, {'hosp_lv': "
                 "['3']}]"),
            "enrolment.waiting.exempt[1].hosp_lv",
            "is not a condition a waiting-period exemption can use (only "
            "idet, no_idet, psn_type, age_min, age_max)");
    refused(WAIT(", 'exempt': [{'age_min': 5, 'age_max': 1}]"),
            "enrolment.waiting.exempt[0].age_min", "5 is above age_max 1");
    refused(WAIT(", 'repair_floor': {'months': 6}"),
            "enrolment.waiting.repair_floor.from_break_years", "is required");
    refused(WAIT(", 'repair_floor': {'from_break_years': 0, 'months': 6}"),
            "enrolment.waiting.repair_floor.from_break_years",
            "0 is below the minimum 1");
}

static void test_enrolment_ci_cap_bonus_is_checked(void **state)
{
    (void)state;
    refused(ENR("'ci_cap_bonus': {'max_share': '20%'}"),
            "enrolment.ci_cap_bonus",
            "give \"continuous\", \"claim_free\" or both");
    refused(ENR("'ci_cap_bonus': {'continuous': {'amount': '1000'}, "
                "'max_share': '20%'}"),
            "enrolment.ci_cap_bonus.continuous.after_years", "is required");
    refused(ENR("'ci_cap_bonus': {'claim_free': {'amount': '1000', "
                "'after_years': 1}, 'max_share': '20%'}"),
            "enrolment.ci_cap_bonus.claim_free.after_years",
            "unknown key \"after_years\"");
    refused(ENR("'ci_cap_bonus': {'claim_free': {'amount': '1000'}, "
                "'max_share': '120%'}"),
            "enrolment.ci_cap_bonus.max_share", "120% is above 100%");
}

/* A document with a basic layer, the critical-illness layers ci and
 * `layers` (ci's cap is `cap`), a shared cap ci_total and the
 * ci_cap_bonus of the amounts and the keys in x. */
#define BONUS_DOC(cap, layers, x)                                              \
    "{'schema': 'yibao.policy/1', 'region': '530100', 'insutype': '390', "     \
    "'year': 2025, 'caps': [{'id': 'ci_total', 'amount': '400000.00'}], "      \
    "'benefits': {'layers': [{'id': 'inpatient', 'name': '住院统筹', "     \
    "'stage': 'basic', 'rates': {'rules': [{'rate': '70%'}]}}, {'id': "        \
    "'ci', 'name': '大病保险', 'stage': 'critical', 'rates': {'rules': "   \
    "[{'rate': '60%'}]}" cap "}" layers "]}, 'enrolment': {'ci_cap_bonus': "   \
    "{'continuous': {'after_years': 4, 'amount': '1000.00'}, 'max_share': "    \
    "'20%'" x "}}}"

static void test_enrolment_ci_cap_bonus_raises_critical_caps(void **state)
{
    struct yb_policy *p;

    (void)state;
    /* by default the own caps of the critical-illness layers */
    p = load_ok(BONUS_DOC(", 'cap': {'amount': '300000.00'}",
                          ", {'id': 'ci2', 'name': '大病二', 'stage': "
                          "'critical', 'rates': {'rules': [{'rate': '50%'}]}}",
                          ""));
    assert_false(p->layers[0].cap.ci_bonus);
    assert_true(p->layers[1].cap.ci_bonus);
    assert_false(p->layers[2].cap.ci_bonus); /* no cap: stays without */
    assert_false(p->caps[0].ci_bonus);
    /* the layers select every medical type */
    assert_true(yb_ci_bonus_may_apply(p, idx(YB_DICT_MED_TYPE, "11")));
    yb_policy_free(p);
    /* a raised layer selects admissions only: not for outpatient care */
    p = load_ok(BONUS_DOC(", 'when': {'med_type': ['21', '22']}, 'cap': "
                          "{'amount': '300000.00'}",
                          "", ""));
    assert_true(yb_ci_bonus_may_apply(p, idx(YB_DICT_MED_TYPE, "22")));
    assert_false(yb_ci_bonus_may_apply(p, idx(YB_DICT_MED_TYPE, "11")));
    assert_false(yb_ci_bonus_may_apply(p, -1));
    yb_policy_free(p);
    /* named: a shared cap, and only what is named */
    p = load_ok(BONUS_DOC(", 'cap': {'amount': '300000.00', 'shared': "
                          "['ci_total']}",
                          "", ", 'caps': ['ci_total']"));
    assert_false(p->layers[1].cap.ci_bonus);
    assert_true(p->caps[0].ci_bonus);
    yb_policy_free(p);
    p = load_ok(BONUS_DOC(", 'cap': {'amount': '300000.00', 'shared': "
                          "['ci_total']}",
                          "", ", 'caps': ['ci', 'ci_total']"));
    assert_true(p->layers[1].cap.ci_bonus);
    assert_true(p->caps[0].ci_bonus);
    yb_policy_free(p);
    /* only the shared cap raised: still a cap the visit may meet */
    p = load_ok(BONUS_DOC(", 'cap': {'amount': '300000.00', 'shared': "
                          "['ci_total']}",
                          "", ", 'caps': ['ci_total']"));
    assert_true(yb_ci_bonus_may_apply(p, idx(YB_DICT_MED_TYPE, "21")));
    yb_policy_free(p);
    /* a policy without a critical-illness layer raises nothing */
    p = load_ok(ENR("'ci_cap_bonus': {'claim_free': {'amount': '1000'}, "
                    "'max_share': '20%'}"));
    assert_false(p->layers[0].cap.ci_bonus);
    assert_false(yb_ci_bonus_may_apply(p, idx(YB_DICT_MED_TYPE, "21")));
    yb_policy_free(p);
    /* nor does a policy without ci_cap_bonus */
    p = load_ok(DOC(""));
    assert_false(yb_ci_bonus_may_apply(p, idx(YB_DICT_MED_TYPE, "21")));
    yb_policy_free(p);
}

static void test_enrolment_ci_cap_bonus_caps_are_checked(void **state)
{
    (void)state;
    refused(BONUS_DOC(", 'cap': {'shared': ['ci_total']}", "", ""),
            "enrolment.ci_cap_bonus",
            "大病保险待遇层没有自己的封顶线，请在 \"caps\" 中列出要提高的"
            "共用封顶线 (no critical-illness layer has a cap of its own: "
            "name the caps to raise in \"caps\")");
    refused(BONUS_DOC("", "", ", 'caps': ['inpatient']"),
            "enrolment.ci_cap_bonus.caps[0]",
            "\"inpatient\" 不是大病保险待遇层 (not a critical-illness "
            "layer)");
    refused(
        BONUS_DOC(", 'cap': {'shared': ['ci_total']}", "", ", 'caps': ['ci']"),
        "enrolment.ci_cap_bonus.caps[0]",
        "待遇层 \"ci\" 没有自己的封顶线，请列出其共用封顶线 (the layer "
        "has no cap of its own: name its shared cap)");
    refused(BONUS_DOC(", 'cap': {'amount': '300000.00'}", "",
                      ", 'caps': ['ci', 'ci_totl']"),
            "enrolment.ci_cap_bonus.caps[1]",
            "\"ci_totl\" 既不是大病保险待遇层也不是共用封顶线 (no "
            "critical-illness layer or shared cap has this id)");
    refused(BONUS_DOC(", 'cap': {'amount': '300000.00'}", "",
                      ", 'caps': ['ci', 'ci']"),
            "enrolment.ci_cap_bonus.caps[1]", "\"ci\" 重复 (given twice)");
    /* an empty list names nothing: refused like every empty list */
    struct yb_policy *p = NULL;
    struct yb_err e;
    assert_int_equal(
        load(BONUS_DOC(", 'cap': {'amount': '300000.00'}", "", ", 'caps': []"),
             &p, &e),
        YB_EPOLICY);
    assert_null(p);
    assert_string_equal(e.field, "enrolment.ci_cap_bonus.caps");
}

/* ---- the shipped policies and allocation failure ---- */

static struct yb_policy *load_file(const char *path)
{
    static char buf[1 << 16];
    struct yb_policy *p = NULL;
    struct yb_err e;
    FILE *f = fopen(path, "rb");
    size_t n;

    assert_non_null(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    yb_err_clear(&e);
    if (yb_policy_parse(buf, n, &p, &e) != YB_OK)
        fail_msg("%s refused: %s: %s", path, e.field, e.msg);
    return p;
}

static void test_financing_national_default_2018_has_both_sections(void **state)
{
    struct yb_policy *p = load_file("policies/national-default-2018.json");
    const struct yb_financing *f = p->financing;

    (void)state;
    assert_int_equal(f->window_from, day("2017-09-01"));
    assert_int_equal(f->window_to, day("2017-12-31"));
    assert_int_equal(f->subsidy, 49000);
    assert_int_equal(f->n_tiers, 1);
    assert_int_equal(f->tiers[0].amount, 22000);
    assert_int_equal(f->critical_illness.rule, YB_SPLIT_INCREMENT);
    assert_int_equal(f->n_assist, 3);
    assert_int_equal(f->n_split, 4);
    assert_int_equal(p->enrol->n_psn_types, 7);
    assert_int_equal(p->enrol->newborn_grace_days, 90);
    assert_false(p->enrol->has_waiting);
    assert_false(p->enrol->has_ci_bonus);
    yb_policy_free(p);
}

/* Allocations yb_policy_parse makes for sq: the first fail_after that
 * succeeds. Every smaller one must fail with YB_ENOMEM and no policy. */
static int allocations(const char *sq)
{
    char *t = to_json(sq);
    struct yb_policy *p = NULL;
    struct yb_err e;
    int fail, rc;

    for (fail = 0;; fail++) {
        rc = yb__policy_parse_ex(t, strlen(t), fail, &p, &e);
        if (rc == YB_OK)
            break;
        assert_int_equal(rc, YB_ENOMEM);
        assert_int_equal(e.code, YB_ENOMEM);
        assert_string_equal(e.msg, "out of memory");
        assert_null(p);
    }
    assert_int_equal(p->arena.fail_after, -1);
    yb_policy_free(p);
    free(t);
    return fail;
}

static void test_financing_every_allocation_failure_is_enomem(void **state)
{
    (void)state;
    /* every path, name, array and section struct of the two sections is
     * an allocation, and each one's failure was exercised */
    assert_true(allocations(full_policy) > allocations(DOC("")) + 25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_financing_full_section_loads_window_subsidy_and_tiers),
        cmocka_unit_test(test_financing_full_section_loads_assistance_rules),
        cmocka_unit_test(test_financing_full_section_loads_the_split),
        cmocka_unit_test(test_enrolment_full_section_loads_person_types),
        cmocka_unit_test(
            test_enrolment_full_section_loads_waiting_and_cap_bonus),
        cmocka_unit_test(test_financing_and_enrolment_are_null_when_absent),
        cmocka_unit_test(test_financing_defaults_of_a_minimal_section),
        cmocka_unit_test(test_enrolment_defaults_of_a_minimal_section),
        cmocka_unit_test(test_financing_unknown_keys_are_refused),
        cmocka_unit_test(test_financing_required_keys_are_refused),
        cmocka_unit_test(test_financing_wrong_types_and_options_are_refused),
        cmocka_unit_test(test_financing_window_must_be_ordered_within_the_year),
        cmocka_unit_test(test_financing_tiers_are_numbered_in_order_and_ascend),
        cmocka_unit_test(test_financing_national_minimum_is_enforced),
        cmocka_unit_test(test_financing_split_rule_takes_only_its_own_keys),
        cmocka_unit_test(test_financing_split_levels_once_and_remainder_last),
        cmocka_unit_test(test_financing_split_parts_may_not_exceed_the_subsidy),
        cmocka_unit_test(test_financing_split_without_remainder_must_add_up),
        cmocka_unit_test(test_financing_increment_base_is_checked),
        cmocka_unit_test(test_financing_critical_illness_rules_and_limit),
        cmocka_unit_test(
            test_financing_assistance_selects_on_person_conditions_only),
        cmocka_unit_test(test_financing_assistance_pay_takes_its_own_key),
        cmocka_unit_test(test_enrolment_person_types_must_give_everyone_a_type),
        cmocka_unit_test(test_enrolment_person_type_rules_are_checked),
        cmocka_unit_test(test_enrolment_waiting_rules_are_checked),
        cmocka_unit_test(test_enrolment_ci_cap_bonus_is_checked),
        cmocka_unit_test(test_enrolment_ci_cap_bonus_raises_critical_caps),
        cmocka_unit_test(test_enrolment_ci_cap_bonus_caps_are_checked),
        cmocka_unit_test(
            test_financing_national_default_2018_has_both_sections),
        cmocka_unit_test(test_financing_every_allocation_failure_is_enomem),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
