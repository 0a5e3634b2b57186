/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the enrolment rules (src/engine/enrol.c): person types on
 * and around birthdays (29 February included), newborns inside and outside
 * the grace period, the 2024 waiting periods (first enrolment outside the
 * window, breaks of one, two, three and five years, arrears repaid, the
 * repair floor, exempt groups, a wait running past the year), a policy
 * without waiting rules, the critical-illness cap increases, the enrolment
 * rules of the national defaults 2017-2026 and every refusal. Every coverage
 * result is checked for the invariant waiting_until = covered_from - 1.
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

/* The 2025 national rules (国办发〔2024〕38号) as policy data. */
static const char rules_2025[] =
    "{'schema': 'yibao.policy/1', 'region': '530100', 'insutype': '390', "
    "'year': 2025, 'benefits': {'layers': [{'id': 'inpatient', 'name': "
    "'住院统筹', 'stage': 'basic', 'rates': {'rules': [{'rate': '70%'}]}}]}, "
    "'enrolment': {"
    "'person_types': ["
    "  {'psn_type': '1401', 'age_max': 0}, "
    "  {'psn_type': '1404', 'student': ['college']}, "
    "  {'psn_type': '1403', 'student': ['school']}, "
    "  {'psn_type': '1402', 'age_max': 6}, "
    "  {'psn_type': '1405', 'age_max': 17}, "
    "  {'psn_type': '1601', 'age_min': 60}, "
    "  {'psn_type': '1501'}], "
    "'newborn_grace_days': 90, "
    "'waiting': {'fixed_months': 3, 'variable_months_per_year': 1, "
    "  'variable_after_years': 1, 'repair_months_per_year': 1, "
    "  'repair_floor': {'from_break_years': 4, 'months': 6}, "
    "  'exempt': [{'psn_type': ['1401']}, "
    "             {'idet': ['201', '202', '203']}]}, "
    "'ci_cap_bonus': {'continuous': {'after_years': 4, 'amount': '1000.00'}, "
    "  'claim_free': {'amount': '1000.00'}, 'max_share': '20%'}}}";

static int type_on(const struct yb_policy *p, const char *birth, const char *on,
                   enum yb_student student)
{
    struct yb_err e;
    int t = -1;

    yb_err_clear(&e);
    if (yb_psn_type_for(p->enrol, fx_date(birth), fx_date(on), student, &t,
                        &e) != YB_OK)
        fail_msg("person type refused: %s: %s", e.field, e.msg);
    return t;
}

static int psn(const char *code)
{
    return fx_idx(YB_DICT_PSN_TYPE, code);
}

static uint64_t idet(const char *code)
{
    return UINT64_C(1) << fx_idx(YB_DICT_IDET, code);
}

/* An adult born 1980-05-05 paying for 2025 on `paid`. */
static struct yb_enrol_event adult(const char *paid, bool in_window,
                                   int last_covered, int repaid)
{
    struct yb_enrol_event ev = {0};

    ev.birth = fx_date("1980-05-05");
    ev.psn_type = psn("1501");
    ev.coverage_year = 2025;
    ev.payment_date = fx_date(paid);
    ev.in_window = in_window;
    ev.last_covered_year = last_covered;
    ev.repaid_years = repaid;
    return ev;
}

static struct yb_enrol_event newborn(const char *birth, int year,
                                     const char *paid)
{
    struct yb_enrol_event ev = adult(paid, false, 0, 0);

    ev.birth = fx_date(birth);
    ev.psn_type = psn("1401");
    ev.coverage_year = year;
    return ev;
}

static struct yb_coverage cover(const struct yb_policy *p,
                                const struct yb_enrol_event *ev)
{
    struct yb_coverage c;
    struct yb_err e;

    yb_err_clear(&e);
    if (yb_coverage_start(p->enrol, ev, &c, &e) != YB_OK)
        fail_msg("coverage refused: %s: %s", e.field, e.msg);
    assert_int_equal(c.waiting_until, c.covered_from - 1);
    return c;
}

static void cover_refused(const struct yb_policy *p,
                          const struct yb_enrol_event *ev, int code,
                          const char *field, const char *msg)
{
    struct yb_coverage c;
    struct yb_err e;

    yb_err_clear(&e);
    assert_int_equal(yb_coverage_start(p ? p->enrol : NULL, ev, &c, &e), code);
    assert_string_equal(e.field, field);
    assert_string_equal(e.msg, msg);
}

/* ---- person types ---- */

static void test_psn_type_is_newborn_until_the_first_birthday(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);

    (void)state;
    assert_int_equal(type_on(p, "2024-03-15", "2024-03-15", YB_STUDENT_NONE),
                     psn("1401"));
    assert_int_equal(type_on(p, "2024-03-15", "2025-03-14", YB_STUDENT_NONE),
                     psn("1401"));
    assert_int_equal(type_on(p, "2024-03-15", "2025-03-15", YB_STUDENT_NONE),
                     psn("1402"));
    yb_policy_free(p);
}

static void test_psn_type_follows_school_status_and_age(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);

    (void)state;
    /* pre-school up to the day before the seventh birthday */
    assert_int_equal(type_on(p, "2018-09-01", "2025-08-31", YB_STUDENT_NONE),
                     psn("1402"));
    assert_int_equal(type_on(p, "2018-09-01", "2025-09-01", YB_STUDENT_NONE),
                     psn("1405"));
    assert_int_equal(type_on(p, "2018-09-01", "2025-09-01", YB_STUDENT_SCHOOL),
                     psn("1403"));
    assert_int_equal(type_on(p, "2006-05-01", "2025-05-01", YB_STUDENT_COLLEGE),
                     psn("1404"));
    /* minor not in school until the eighteenth birthday, then adult */
    assert_int_equal(type_on(p, "2007-06-30", "2025-06-29", YB_STUDENT_NONE),
                     psn("1405"));
    assert_int_equal(type_on(p, "2007-06-30", "2025-06-30", YB_STUDENT_NONE),
                     psn("1501"));
    yb_policy_free(p);
}

static void test_psn_type_is_elderly_from_the_sixtieth_birthday(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);

    (void)state;
    assert_int_equal(type_on(p, "1965-07-01", "2025-06-30", YB_STUDENT_NONE),
                     psn("1501"));
    assert_int_equal(type_on(p, "1965-07-01", "2025-07-01", YB_STUDENT_NONE),
                     psn("1601"));
    /* a 60-year-old college student is a college student: first match */
    assert_int_equal(type_on(p, "1965-07-01", "2025-07-01", YB_STUDENT_COLLEGE),
                     psn("1404"));
    yb_policy_free(p);
}

static void
test_psn_type_leap_day_birthday_turns_over_on_march_first(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);

    (void)state;
    /* born 2024-02-29: 2025 has no 29 February */
    assert_int_equal(type_on(p, "2024-02-29", "2025-02-28", YB_STUDENT_NONE),
                     psn("1401"));
    assert_int_equal(type_on(p, "2024-02-29", "2025-03-01", YB_STUDENT_NONE),
                     psn("1402"));
    /* born 1964-02-29: sixty on 2024-02-29, a leap day */
    assert_int_equal(type_on(p, "1964-02-29", "2024-02-28", YB_STUDENT_NONE),
                     psn("1501"));
    assert_int_equal(type_on(p, "1964-02-29", "2024-02-29", YB_STUDENT_NONE),
                     psn("1601"));
    yb_policy_free(p);
}

static void test_psn_type_refuses_bad_input(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_policy *q = fx_policy_file("policies/yunnan-2018.json");
    struct yb_enrol_rules none = {0};
    struct yb_err e;
    int t = -1;

    (void)state;
    assert_int_equal(yb_psn_type_for(p->enrol, fx_date("2025-01-02"),
                                     fx_date("2025-01-01"), YB_STUDENT_NONE, &t,
                                     &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "on");
    assert_string_equal(
        e.msg,
        "日期 2025-01-01 早于出生日期 2025-01-02 (before the birth date)");
    assert_int_equal(
        yb_psn_type_for(p->enrol, 0, 0, (enum yb_student)3, &t, &e), YB_EINVAL);
    assert_string_equal(e.field, "student");
    assert_int_equal(yb_psn_type_for(q->enrol, 0, 0, YB_STUDENT_NONE, &t, &e),
                     YB_EPOLICY);
    assert_string_equal(e.field, "enrolment");
    assert_int_equal(yb_psn_type_for(&none, 0, 0, YB_STUDENT_NONE, &t, &e),
                     YB_EPOLICY);
    assert_string_equal(e.field, "enrolment.person_types");
    assert_string_equal(
        e.msg, "政策没有给出人员类别 (the policy gives no person types)");
    assert_int_equal(t, -1);
    yb_policy_free(p);
    yb_policy_free(q);
}

/* ---- newborns ---- */

static void test_newborn_within_grace_is_covered_from_birth(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    /* 2025-03-10 + 90 days = 2025-06-08, the last day of the grace */
    struct yb_enrol_event ev = newborn("2025-03-10", 2025, "2025-06-08");
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.reason, YB_COVER_NEWBORN);
    assert_int_equal(c.covered_from, fx_date("2025-03-10"));
    assert_int_equal(c.waiting_until, fx_date("2025-03-09"));
    assert_int_equal(c.waiting_months, 0);
    yb_policy_free(p);
}

static void
test_newborn_after_grace_is_covered_from_the_day_after_payment(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = newborn("2025-03-10", 2025, "2025-06-09");
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    /* outside the window, but newborns (1401) are exempt from waiting */
    assert_int_equal(c.reason, YB_COVER_EXEMPT);
    assert_ptr_equal(c.exempt_by, &p->enrol->waiting.exempt[0]);
    assert_int_equal(c.covered_from, fx_date("2025-06-10"));
    assert_int_equal(c.waiting_months, 0);
    yb_policy_free(p);
}

static void test_newborn_grace_counts_the_leap_day(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    /* 2024-01-01 + 90 days = 2024-03-31 (February has 29 days) */
    struct yb_enrol_event ev = newborn("2024-01-01", 2024, "2024-03-31");
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.reason, YB_COVER_NEWBORN);
    assert_int_equal(c.covered_from, fx_date("2024-01-01"));
    ev.payment_date = fx_date("2024-04-01");
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_EXEMPT);
    assert_int_equal(c.covered_from, fx_date("2024-04-02"));
    yb_policy_free(p);
}

static void test_newborn_born_in_december_may_pay_in_january(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = newborn("2024-12-20", 2024, "2025-01-15");
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    /* for the birth year, after it ended, within the grace */
    assert_int_equal(c.reason, YB_COVER_NEWBORN);
    assert_int_equal(c.covered_from, fx_date("2024-12-20"));
    /* paying for the next year: covered from its first day */
    ev.coverage_year = 2025;
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_NEWBORN);
    assert_int_equal(c.covered_from, fx_date("2025-01-01"));
    /* a child born the year before may not pay after the year ends */
    ev = newborn("2023-12-20", 2024, "2025-01-15");
    cover_refused(
        p, &ev, YB_EINVAL, "payment_date",
        "日期 2025-01-15 晚于参保年度 2024 (after the coverage year)");
    yb_policy_free(p);
}

/* ---- window, first enrolment and breaks ---- */

static void
test_continuous_enrolment_in_the_window_starts_january_first(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = adult("2024-10-15", true, 2024, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.reason, YB_COVER_WINDOW);
    assert_int_equal(c.covered_from, fx_date("2025-01-01"));
    assert_int_equal(c.waiting_until, fx_date("2024-12-31"));
    assert_int_equal(c.break_years, 0);
    assert_int_equal(c.waiting_months, 0);
    /* a first enrolment in the window is no break */
    ev.last_covered_year = 0;
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_WINDOW);
    assert_int_equal(c.covered_from, fx_date("2025-01-01"));
    yb_policy_free(p);
}

static void
test_first_enrolment_outside_the_window_waits_three_months(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = adult("2025-03-10", false, 0, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    /* the wait runs from the day after payment: 03-11 + 3 months */
    assert_int_equal(c.reason, YB_COVER_WAIT_LATE);
    assert_int_equal(c.fixed_months, 3);
    assert_int_equal(c.variable_months, 0);
    assert_int_equal(c.waiting_months, 3);
    assert_int_equal(c.covered_from, fx_date("2025-06-11"));
    assert_int_equal(c.waiting_until, fx_date("2025-06-10"));
    /* continuous but late: the fixed wait too */
    ev = adult("2025-02-01", false, 2024, 0);
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_WAIT_LATE);
    assert_int_equal(c.covered_from, fx_date("2025-05-02"));
    yb_policy_free(p);
}

static void test_one_year_break_waits_the_fixed_three_months(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    /* covered in 2023, not in 2024, paid in the window for 2025 */
    struct yb_enrol_event ev = adult("2024-11-20", true, 2023, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.reason, YB_COVER_WAIT_BREAK);
    assert_int_equal(c.break_years, 1);
    assert_int_equal(c.variable_months, 0);
    assert_int_equal(c.waiting_months, 3);
    assert_int_equal(c.covered_from, fx_date("2025-04-01"));
    assert_int_equal(c.waiting_until, fx_date("2025-03-31"));
    yb_policy_free(p);
}

static void test_two_year_break_adds_one_variable_month(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = adult("2024-11-20", true, 2022, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.break_years, 2);
    assert_int_equal(c.fixed_months, 3);
    assert_int_equal(c.variable_months, 1);
    assert_int_equal(c.repaired_months, 0);
    assert_int_equal(c.waiting_months, 4);
    assert_int_equal(c.covered_from, fx_date("2025-05-01"));
    yb_policy_free(p);
}

static void
test_two_year_break_with_one_year_repaid_waits_three_months(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = adult("2024-11-20", true, 2022, 1);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.variable_months, 1);
    assert_int_equal(c.repaired_months, 1);
    assert_int_equal(c.waiting_months, 3);
    assert_int_equal(c.covered_from, fx_date("2025-04-01"));
    yb_policy_free(p);
}

static void
test_break_outside_the_window_waits_from_the_day_after_payment(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    /* three years without cover (2022-2024): 3 + 2 months from 05-01 */
    struct yb_enrol_event ev = adult("2025-04-30", false, 2021, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.reason, YB_COVER_WAIT_BREAK);
    assert_int_equal(c.break_years, 3);
    assert_int_equal(c.waiting_months, 5);
    assert_int_equal(c.covered_from, fx_date("2025-10-01"));
    /* repaying both variable years leaves the fixed wait (break < 4) */
    ev.repaid_years = 3;
    c = cover(p, &ev);
    assert_int_equal(c.repaired_months, 2);
    assert_int_equal(c.waiting_months, 3);
    assert_int_equal(c.covered_from, fx_date("2025-08-01"));
    yb_policy_free(p);
}

static void test_long_break_repair_never_goes_below_six_months(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    /* five years without cover (2020-2024): 3 + 4 = 7 months */
    struct yb_enrol_event ev = adult("2024-11-20", true, 2019, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.break_years, 5);
    assert_int_equal(c.waiting_months, 7);
    assert_int_equal(c.covered_from, fx_date("2025-08-01"));
    ev.repaid_years = 1;
    c = cover(p, &ev);
    assert_int_equal(c.repaired_months, 1);
    assert_int_equal(c.waiting_months, 6);
    /* four years repaid would leave 3; the floor keeps 6 */
    ev.repaid_years = 4;
    c = cover(p, &ev);
    assert_int_equal(c.variable_months, 4);
    assert_int_equal(c.repaired_months, 1);
    assert_int_equal(c.waiting_months, 6);
    assert_int_equal(c.covered_from, fx_date("2025-07-01"));
    yb_policy_free(p);
}

static void test_exempt_groups_do_not_wait(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = adult("2025-04-30", false, 2021, 0);
    struct yb_coverage c;

    (void)state;
    ev.idets = idet("202");
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_EXEMPT);
    assert_ptr_equal(c.exempt_by, &p->enrol->waiting.exempt[1]);
    assert_int_equal(c.waiting_months, 0);
    assert_int_equal(c.covered_from, fx_date("2025-05-01"));
    /* exempt and in the window: 1 January */
    ev.payment_date = fx_date("2024-12-01");
    ev.in_window = true;
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_EXEMPT);
    assert_int_equal(c.covered_from, fx_date("2025-01-01"));
    /* near-poor (204) is not exempt: 3 + 2 months */
    ev.idets = idet("204");
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_WAIT_BREAK);
    assert_null(c.exempt_by);
    assert_int_equal(c.covered_from, fx_date("2025-06-01"));
    yb_policy_free(p);
}

static void test_a_wait_may_run_past_the_coverage_year(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = adult("2025-11-15", false, 0, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.covered_from, fx_date("2026-02-16"));
    assert_int_equal(c.waiting_until, fx_date("2026-02-15"));
    yb_policy_free(p);
}

static void
test_without_waiting_rules_late_payment_covers_the_next_day(void **state)
{
    struct yb_policy *p = fx_policy_file("policies/national-default-2018.json");
    struct yb_enrol_event ev = adult("2025-04-30", false, 2021, 0);
    struct yb_coverage c = cover(p, &ev);

    (void)state;
    assert_int_equal(c.reason, YB_COVER_PAYMENT);
    assert_int_equal(c.covered_from, fx_date("2025-05-01"));
    assert_int_equal(c.waiting_months, 0);
    assert_int_equal(c.break_years, 3);
    ev.in_window = true;
    ev.payment_date = fx_date("2024-12-01");
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_WINDOW);
    assert_int_equal(c.covered_from, fx_date("2025-01-01"));
    yb_policy_free(p);
}

static void test_coverage_refuses_inconsistent_input(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_enrol_event ev = adult("2026-01-05", false, 2024, 0);

    (void)state;
    cover_refused(
        p, &ev, YB_EINVAL, "payment_date",
        "日期 2026-01-05 晚于参保年度 2025 (after the coverage year)");
    ev = adult("1980-05-04", false, 0, 0);
    cover_refused(
        p, &ev, YB_EINVAL, "payment_date",
        "日期 1980-05-04 早于出生日期 1980-05-05 (before the birth date)");
    ev = adult("2024-11-20", true, 2025, 0);
    cover_refused(p, &ev, YB_EINVAL, "last_covered_year",
                  "2025 不是参保年度 2025 之前的年份（0 表示从未参保）(not a "
                  "year before the coverage year)");
    ev = adult("2024-11-20", true, 2023, 2);
    cover_refused(p, &ev, YB_EINVAL, "repaid_years",
                  "2 多于断缴年数 1 (more than the years of break)");
    ev = adult("2024-11-20", true, 2023, -1);
    cover_refused(p, &ev, YB_EINVAL, "repaid_years",
                  "-1 不能为负数 (negative)");
    ev = adult("2024-11-20", true, 0, 0);
    ev.coverage_year = 1900;
    cover_refused(p, &ev, YB_EINVAL, "coverage_year",
                  "1900 不在 1901 至 2199 之间 (out of range)");
    ev.coverage_year = 2025;
    cover_refused(
        NULL, &ev, YB_EPOLICY, "enrolment",
        "政策没有参保部分 enrolment (the policy has no enrolment section)");
    yb_policy_free(p);
}

static void test_cover_reasons_read_in_chinese(void **state)
{
    (void)state;
    assert_string_equal(yb_cover_reason_text(YB_COVER_NEWBORN),
                        "新生儿在宽限期内参保，自出生之日起享受待遇");
    assert_string_equal(yb_cover_reason_text(YB_COVER_WAIT_BREAK),
                        "未连续参保，设固定及变动待遇等待期");
    assert_string_equal(yb_cover_reason_text((enum yb_cover_reason)9), "未知");
}

/* ---- critical-illness cap increases ---- */

static struct yb_ci_bonus bonus(const struct yb_policy *p, int cont,
                                int claim_free, yb_fen cap)
{
    struct yb_ci_bonus b;
    struct yb_err e;

    yb_err_clear(&e);
    if (yb_ci_cap_bonus(p->enrol, cont, claim_free, cap, &b, &e) != YB_OK)
        fail_msg("bonus refused: %s: %s", e.field, e.msg);
    return b;
}

static void test_ci_bonus_starts_after_four_continuous_years(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_ci_bonus b = bonus(p, 4, 0, 30000000);

    (void)state;
    assert_int_equal(b.continuous, 0);
    assert_int_equal(b.bonus, 0);
    /* 20% of a 300,000 cap */
    assert_int_equal(b.limit, 6000000);
    b = bonus(p, 5, 0, 30000000);
    assert_int_equal(b.continuous, 100000);
    assert_int_equal(b.bonus, 100000);
    b = bonus(p, 7, 0, 30000000);
    assert_int_equal(b.bonus, 300000);
    yb_policy_free(p);
}

static void test_ci_bonus_adds_claim_free_years(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    /* 2 years beyond four (2,000) + 3 claim-free years (3,000) */
    struct yb_ci_bonus b = bonus(p, 6, 3, 30000000);

    (void)state;
    assert_int_equal(b.continuous, 200000);
    assert_int_equal(b.claim_free, 300000);
    assert_int_equal(b.bonus, 500000);
    yb_policy_free(p);
}

static void test_ci_bonus_is_capped_at_a_fifth_of_the_cap(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    /* 6,000 + 10,000 on a 40,000 cap: at most 8,000 */
    struct yb_ci_bonus b = bonus(p, 10, 10, 4000000);

    (void)state;
    assert_int_equal(b.continuous, 600000);
    assert_int_equal(b.claim_free, 1000000);
    assert_int_equal(b.limit, 800000);
    assert_int_equal(b.bonus, 800000);
    /* 20% x 10,000.03 = 2,000.006 -> 2,000.01 (half up) */
    b = bonus(p, 30, 30, 1000003);
    assert_int_equal(b.limit, 200001);
    assert_int_equal(b.bonus, 200001);
    yb_policy_free(p);
}

static void test_ci_bonus_after_a_break_starts_again_from_nothing(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_ci_bonus b = bonus(p, 0, 0, 30000000);
    struct yb_err e;

    (void)state;
    assert_int_equal(b.bonus, 0);
    /* claim-free years are counted since the last break as well */
    assert_int_equal(yb_ci_cap_bonus(p->enrol, 1, 3, 30000000, &b, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "claim_free_years");
    assert_string_equal(e.msg,
                        "3 大于连续参保年数 continuous_years "
                        "1（断缴后两者都重新计算）(above continuous_years)");
    yb_policy_free(p);
}

/* ---- the national defaults ---- */

static void
test_national_defaults_wait_and_raise_the_cap_from_2025_only(void **state)
{
    (void)state;
    for (int year = 2017; year <= 2026; year++) {
        struct yb_policy *p = fx_national_default(year);

        print_message("national default %d\n", year);
        assert_int_equal(p->enrol->n_psn_types, 7);
        assert_int_equal(p->enrol->newborn_grace_days, 90);
        assert_int_equal(p->enrol->has_waiting, year >= 2025);
        assert_int_equal(p->enrol->has_ci_bonus, year >= 2025);
        yb_policy_free(p);
    }
}

static void test_national_default_2025_waits_as_the_2024_rules(void **state)
{
    struct yb_policy *p = fx_national_default(2025);
    /* covered in 2022, not in 2023 or 2024, paid in the window: 3 + 1 */
    struct yb_enrol_event ev = adult("2024-11-20", true, 2022, 0);
    struct yb_coverage c = cover(p, &ev);
    struct yb_ci_bonus b;

    (void)state;
    assert_int_equal(c.reason, YB_COVER_WAIT_BREAK);
    assert_int_equal(c.waiting_months, 4);
    assert_int_equal(c.covered_from, fx_date("2025-05-01"));
    /* one year of arrears repaid: 3 months */
    ev = adult("2024-11-20", true, 2022, 1);
    assert_int_equal(cover(p, &ev).covered_from, fx_date("2025-04-01"));
    /* five break years (2020-2024): 3 + 4 = 7; four repaid: the floor 6 */
    ev = adult("2024-11-20", true, 2019, 0);
    assert_int_equal(cover(p, &ev).covered_from, fx_date("2025-08-01"));
    ev = adult("2024-11-20", true, 2019, 4);
    c = cover(p, &ev);
    assert_int_equal(c.waiting_months, 6);
    assert_int_equal(c.covered_from, fx_date("2025-07-01"));
    /* first enrolment outside the window: 3 months from the next day */
    ev = adult("2025-03-10", false, 0, 0);
    assert_int_equal(cover(p, &ev).covered_from, fx_date("2025-06-11"));
    /* a 低保 person after the same break does not wait */
    ev = adult("2024-11-20", true, 2022, 0);
    ev.idets = idet("202");
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_EXEMPT);
    assert_int_equal(c.covered_from, fx_date("2025-01-01"));
    /* a newborn within 90 days: from birth */
    ev = newborn("2025-02-10", 2025, "2025-04-20");
    c = cover(p, &ev);
    assert_int_equal(c.reason, YB_COVER_NEWBORN);
    assert_int_equal(c.covered_from, fx_date("2025-02-10"));
    /* 6 continuous years, 3 claim-free, on the 300,000 critical-illness
     * cap: 2 x 1,000 + 3 x 1,000 = 5,000, below 20% (60,000) */
    b = bonus(p, 6, 3, 30000000);
    assert_int_equal(b.bonus, 500000);
    assert_int_equal(b.limit, 6000000);
    yb_policy_free(p);
}

static void test_national_default_2026_carries_the_2025_waits(void **state)
{
    struct yb_policy *p = fx_national_default(2026);
    /* covered in 2023, not in 2024 or 2025, paid in the 2025 window */
    struct yb_enrol_event ev = adult("2025-11-20", true, 2023, 0);
    struct yb_coverage c;

    (void)state;
    ev.coverage_year = 2026;
    c = cover(p, &ev);
    assert_int_equal(c.waiting_months, 4);
    assert_int_equal(c.covered_from, fx_date("2026-05-01"));
    yb_policy_free(p);
}

static void test_ci_bonus_refuses_bad_input_and_needs_no_rules(void **state)
{
    struct yb_policy *p = sq_policy(rules_2025);
    struct yb_policy *q = fx_policy_file("policies/national-default-2018.json");
    struct yb_ci_bonus b;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_ci_cap_bonus(p->enrol, -1, 0, 0, &b, &e), YB_EINVAL);
    assert_string_equal(e.field, "continuous_years");
    assert_string_equal(e.msg, "-1 不能为负数 (negative)");
    assert_int_equal(yb_ci_cap_bonus(p->enrol, 5, 0, -1, &b, &e), YB_EINVAL);
    assert_string_equal(e.field, "base_cap");
    assert_int_equal(yb_ci_cap_bonus(NULL, 5, 0, 0, &b, &e), YB_EPOLICY);
    assert_string_equal(e.field, "enrolment");
    /* a 2018 policy has no cap increases: every figure is 0 */
    assert_int_equal(yb_ci_cap_bonus(q->enrol, 10, 10, 30000000, &b, &e),
                     YB_OK);
    assert_int_equal(b.limit, 0);
    assert_int_equal(b.bonus, 0);
    yb_policy_free(p);
    yb_policy_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psn_type_is_newborn_until_the_first_birthday),
        cmocka_unit_test(test_psn_type_follows_school_status_and_age),
        cmocka_unit_test(test_psn_type_is_elderly_from_the_sixtieth_birthday),
        cmocka_unit_test(
            test_psn_type_leap_day_birthday_turns_over_on_march_first),
        cmocka_unit_test(test_psn_type_refuses_bad_input),
        cmocka_unit_test(test_newborn_within_grace_is_covered_from_birth),
        cmocka_unit_test(
            test_newborn_after_grace_is_covered_from_the_day_after_payment),
        cmocka_unit_test(test_newborn_grace_counts_the_leap_day),
        cmocka_unit_test(test_newborn_born_in_december_may_pay_in_january),
        cmocka_unit_test(
            test_continuous_enrolment_in_the_window_starts_january_first),
        cmocka_unit_test(
            test_first_enrolment_outside_the_window_waits_three_months),
        cmocka_unit_test(test_one_year_break_waits_the_fixed_three_months),
        cmocka_unit_test(test_two_year_break_adds_one_variable_month),
        cmocka_unit_test(
            test_two_year_break_with_one_year_repaid_waits_three_months),
        cmocka_unit_test(
            test_break_outside_the_window_waits_from_the_day_after_payment),
        cmocka_unit_test(test_long_break_repair_never_goes_below_six_months),
        cmocka_unit_test(test_exempt_groups_do_not_wait),
        cmocka_unit_test(test_a_wait_may_run_past_the_coverage_year),
        cmocka_unit_test(
            test_without_waiting_rules_late_payment_covers_the_next_day),
        cmocka_unit_test(test_coverage_refuses_inconsistent_input),
        cmocka_unit_test(test_cover_reasons_read_in_chinese),
        cmocka_unit_test(test_ci_bonus_starts_after_four_continuous_years),
        cmocka_unit_test(test_ci_bonus_adds_claim_free_years),
        cmocka_unit_test(test_ci_bonus_is_capped_at_a_fifth_of_the_cap),
        cmocka_unit_test(test_ci_bonus_after_a_break_starts_again_from_nothing),
        cmocka_unit_test(test_ci_bonus_refuses_bad_input_and_needs_no_rules),
        cmocka_unit_test(
            test_national_defaults_wait_and_raise_the_cap_from_2025_only),
        cmocka_unit_test(test_national_default_2025_waits_as_the_2024_rules),
        cmocka_unit_test(test_national_default_2026_carries_the_2025_waits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
