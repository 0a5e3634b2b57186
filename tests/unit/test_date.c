/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for date.c: leap years, day numbers (checked against known
 * values and by walking every day of the accepted range), strict parsing,
 * month and year arithmetic with end-of-month clamping, ages with the
 * Feb-29 rule, and whole months between dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/date.h"

#define D(y, m, d) yb_date_from_ymd(y, m, d)

static void assert_date(yb_date dt, const char *want)
{
    char buf[11];

    assert_string_equal(yb_date_format(dt, buf), want);
}

static void test_date_leap_years_follow_the_gregorian_rule(void **state)
{
    (void)state;
    assert_false(yb_date_is_leap(1900));
    assert_true(yb_date_is_leap(2000));
    assert_true(yb_date_is_leap(2024));
    assert_false(yb_date_is_leap(2023));
    assert_false(yb_date_is_leap(2100));
    assert_true(yb_date_is_leap(2400));
    assert_false(yb_date_is_leap(2200));
    assert_false(yb_date_is_leap(1800));
    assert_true(yb_date_is_leap(1904));
}

static void test_date_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(yb_date_days_in_month(1900, 2), 28);
    assert_int_equal(yb_date_days_in_month(2000, 2), 29);
    assert_int_equal(yb_date_days_in_month(2024, 2), 29);
    assert_int_equal(yb_date_days_in_month(2023, 2), 28);
    assert_int_equal(yb_date_days_in_month(2023, 1), 31);
    assert_int_equal(yb_date_days_in_month(2023, 4), 30);
    assert_int_equal(yb_date_days_in_month(2023, 12), 31);
    assert_int_equal(yb_date_days_in_month(2023, 0), 0);
    assert_int_equal(yb_date_days_in_month(2023, 13), 0);
}

static void test_date_valid_checks_calendar_and_year_range(void **state)
{
    (void)state;
    assert_true(yb_date_valid(1900, 1, 1));
    assert_false(yb_date_valid(1899, 12, 31));
    assert_true(yb_date_valid(2199, 12, 31));
    assert_false(yb_date_valid(2200, 1, 1));
    assert_false(yb_date_valid(1900, 2, 29));
    assert_true(yb_date_valid(2000, 2, 29));
    assert_false(yb_date_valid(2023, 2, 29));
    assert_false(yb_date_valid(2024, 4, 31));
    assert_false(yb_date_valid(2024, 1, 0));
    assert_false(yb_date_valid(2024, 0, 1));
    assert_false(yb_date_valid(2024, 13, 1));
}

static void test_date_day_numbers_count_from_1970(void **state)
{
    (void)state;
    assert_int_equal(D(1970, 1, 1), 0);
    assert_int_equal(D(1970, 1, 2), 1);
    assert_int_equal(D(1969, 12, 31), -1);
    assert_int_equal(D(2000, 1, 1), 10957);
    assert_int_equal(D(2000, 3, 1), 11017);
    assert_int_equal(D(1900, 1, 1), -25567);
    assert_int_equal(D(2024, 2, 29), 19782);
    assert_int_equal(D(2199, 12, 31), 84005);
}

static void test_date_every_day_of_the_range_round_trips(void **state)
{
    yb_date prev = D(1900, 1, 1) - 1;
    int y2, m2, d2;

    (void)state;
    for (int y = YB_DATE_MIN_YEAR; y <= YB_DATE_MAX_YEAR; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= yb_date_days_in_month(y, m); d++) {
                yb_date dt = D(y, m, d);

                assert_int_equal(dt, prev + 1);
                yb_date_to_ymd(dt, &y2, &m2, &d2);
                assert_int_equal(y2, y);
                assert_int_equal(m2, m);
                assert_int_equal(d2, d);
                prev = dt;
            }
        }
    }
    assert_int_equal(prev, 84005);
}

static void test_date_year_of_a_day_number(void **state)
{
    (void)state;
    assert_int_equal(yb_date_year(D(2024, 12, 31)), 2024);
    assert_int_equal(yb_date_year(D(2025, 1, 1)), 2025);
    assert_int_equal(yb_date_year(D(1900, 1, 1)), 1900);
    assert_int_equal(yb_date_year(-1), 1969);
}

static void test_date_parse_accepts_real_dates(void **state)
{
    struct yb_err e;
    yb_date dt = 0;

    (void)state;
    assert_int_equal(yb_date_parse("2024-02-29", &dt, "begndate", &e), YB_OK);
    assert_int_equal(dt, 19782);
    assert_int_equal(yb_date_parse("1900-01-01", &dt, "begndate", &e), YB_OK);
    assert_int_equal(dt, -25567);
    assert_int_equal(yb_date_parse("2199-12-31", &dt, "begndate", &e), YB_OK);
    assert_int_equal(dt, 84005);
}

static void expect_date_error(const char *s, const char *msg)
{
    struct yb_err e;
    yb_date dt = 777;

    yb_err_clear(&e);
    assert_int_equal(yb_date_parse(s, &dt, "brdy", &e), YB_EINVAL);
    assert_int_equal(dt, 777);
    assert_string_equal(e.field, "brdy");
    assert_string_equal(e.msg, msg);
}

static void test_date_parse_rejects_dates_that_do_not_exist(void **state)
{
    (void)state;
    expect_date_error("2023-02-29",
                      "日期 \"2023-02-29\" 不存在 (not a real date)");
    expect_date_error("1990-02-30",
                      "日期 \"1990-02-30\" 不存在 (not a real date)");
    expect_date_error("1900-02-29",
                      "日期 \"1900-02-29\" 不存在 (not a real date)");
    expect_date_error("2024-04-31",
                      "日期 \"2024-04-31\" 不存在 (not a real date)");
    expect_date_error("2024-00-10",
                      "日期 \"2024-00-10\" 不存在 (not a real date)");
    expect_date_error("2024-13-01",
                      "日期 \"2024-13-01\" 不存在 (not a real date)");
    expect_date_error("2024-01-00",
                      "日期 \"2024-01-00\" 不存在 (not a real date)");
}

static void test_date_parse_rejects_years_outside_the_range(void **state)
{
    (void)state;
    expect_date_error("1899-12-31", "日期 \"1899-12-31\" 不在 1900–2199 年之间 "
                                    "(outside the years 1900-2199)");
    expect_date_error("2200-01-01", "日期 \"2200-01-01\" 不在 1900–2199 年之间 "
                                    "(outside the years 1900-2199)");
}

static void test_date_parse_rejects_other_forms(void **state)
{
    static const char *const bad[] = {
        "2024-2-29",   "2024/02/29",  "20240229", "2024-02-290",
        " 2024-02-29", "2024-02-29 ", "",         "2024-02-2a",
        "-024-02-29",  "2024--2-29",  "24-02-29", "2024-02-29 00:00:00",
    };
    char msg[128];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg, "应为 yyyy-MM-dd，实际为 \"%s\" (not a date)",
                 bad[i]);
        expect_date_error(bad[i], msg);
    }
    expect_date_error(NULL, "缺少日期 (date is missing)");
}

static void test_datetime_parse_reads_date_and_seconds(void **state)
{
    struct yb_err e;
    yb_date dt = 0;
    int32_t secs = -1;

    (void)state;
    assert_int_equal(yb_datetime_parse("2024-03-01 08:30:15", false, &dt, &secs,
                                       "begntime", &e),
                     YB_OK);
    assert_int_equal(dt, D(2024, 3, 1));
    assert_int_equal(secs, 8 * 3600 + 30 * 60 + 15);
    assert_int_equal(yb_datetime_parse("2024-03-01 23:59:59", false, &dt, &secs,
                                       "begntime", &e),
                     YB_OK);
    assert_int_equal(secs, 86399);
    assert_int_equal(yb_datetime_parse("2024-03-01 00:00:00", false, &dt, NULL,
                                       "begntime", &e),
                     YB_OK);
    assert_int_equal(dt, D(2024, 3, 1));
}

static void
test_datetime_parse_accepts_a_bare_date_only_when_asked(void **state)
{
    struct yb_err e;
    yb_date dt = 0;
    int32_t secs = -1;

    (void)state;
    assert_int_equal(
        yb_datetime_parse("2024-03-01", true, &dt, &secs, "begntime", &e),
        YB_OK);
    assert_int_equal(dt, D(2024, 3, 1));
    assert_int_equal(secs, 0);
    assert_int_equal(
        yb_datetime_parse("2024-03-01", false, &dt, &secs, "begntime", &e),
        YB_EINVAL);
    assert_string_equal(
        e.msg,
        "应为 yyyy-MM-dd HH:mm:ss，实际为 \"2024-03-01\" (not a datetime)");
    assert_int_equal(
        yb_datetime_parse("2024-02-30", true, &dt, &secs, "begntime", &e),
        YB_EINVAL);
    assert_string_equal(e.msg, "日期 \"2024-02-30\" 不存在 (not a real date)");
}

static void expect_datetime_error(const char *s, const char *msg)
{
    struct yb_err e;
    yb_date dt = 777;
    int32_t secs = 777;

    yb_err_clear(&e);
    assert_int_equal(yb_datetime_parse(s, true, &dt, &secs, "t", &e),
                     YB_EINVAL);
    assert_int_equal(dt, 777);
    assert_int_equal(secs, 777);
    assert_string_equal(e.msg, msg);
}

static void test_datetime_parse_rejects_impossible_times(void **state)
{
    (void)state;
    expect_datetime_error(
        "2024-03-01 24:00:00",
        "时间 \"2024-03-01 24:00:00\" 不存在 (not a real time of day)");
    expect_datetime_error(
        "2024-03-01 12:60:00",
        "时间 \"2024-03-01 12:60:00\" 不存在 (not a real time of day)");
    expect_datetime_error(
        "2024-03-01 12:00:60",
        "时间 \"2024-03-01 12:00:60\" 不存在 (not a real time of day)");
    expect_datetime_error(
        "2024-02-30 10:00:00",
        "日期 \"2024-02-30 10:00:00\" 不存在 (not a real date)");
}

static void test_datetime_parse_rejects_other_forms(void **state)
{
    static const char *const bad[] = {
        "2024-03-01T08:30:15", "2024-03-01 8:30:15",   "2024-03-01 08:30",
        "2024-03-01 08-30-15", "2024-03-01 08:30:15Z", "2024-03-01  8:30:15",
        "2024-03-01 08:3a:15",
    };
    char msg[128];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg,
                 "应为 yyyy-MM-dd HH:mm:ss，实际为 \"%s\" (not a datetime)",
                 bad[i]);
        expect_datetime_error(bad[i], msg);
    }
}

static void test_date_format_writes_zero_padded_iso(void **state)
{
    (void)state;
    assert_date(0, "1970-01-01");
    assert_date(D(1900, 1, 1), "1900-01-01");
    assert_date(D(2199, 12, 31), "2199-12-31");
    assert_date(D(2024, 2, 9), "2024-02-09");
}

static void test_date_add_months_clamps_to_the_month_end(void **state)
{
    (void)state;
    assert_date(yb_date_add_months(D(2023, 1, 31), 1), "2023-02-28");
    assert_date(yb_date_add_months(D(2024, 1, 31), 1), "2024-02-29");
    assert_date(yb_date_add_months(D(2024, 3, 31), 1), "2024-04-30");
    assert_date(yb_date_add_months(D(2024, 3, 31), -1), "2024-02-29");
    assert_date(yb_date_add_months(D(1900, 3, 31), -1), "1900-02-28");
    /* Clamping loses the day: Jan 31 + 1 + 1 is Mar 28, not Mar 31. */
    assert_date(yb_date_add_months(yb_date_add_months(D(2023, 1, 31), 1), 1),
                "2023-03-28");
    assert_date(yb_date_add_months(D(2023, 1, 31), 2), "2023-03-31");
}

static void test_date_add_months_crosses_years(void **state)
{
    (void)state;
    assert_date(yb_date_add_months(D(2023, 12, 15), 1), "2024-01-15");
    assert_date(yb_date_add_months(D(2024, 1, 15), -1), "2023-12-15");
    assert_date(yb_date_add_months(D(2024, 3, 10), -25), "2022-02-10");
    assert_date(yb_date_add_months(D(2024, 3, 10), 12), "2025-03-10");
    assert_date(yb_date_add_months(D(2024, 3, 10), 0), "2024-03-10");
    assert_date(yb_date_add_months(D(1900, 1, 1), 3599), "2199-12-01");
}

static void test_date_add_years_turns_feb_29_into_feb_28(void **state)
{
    (void)state;
    assert_date(yb_date_add_years(D(2024, 2, 29), 1), "2025-02-28");
    assert_date(yb_date_add_years(D(2024, 2, 29), -1), "2023-02-28");
    assert_date(yb_date_add_years(D(2024, 2, 29), 4), "2028-02-29");
    assert_date(yb_date_add_years(D(2024, 2, 29), -4), "2020-02-29");
    assert_date(yb_date_add_years(D(1896, 2, 29), 4), "1900-02-28");
    assert_date(yb_date_add_years(D(2023, 6, 15), 10), "2033-06-15");
}

static void test_date_age_turns_over_on_the_birthday(void **state)
{
    yb_date birth = D(2000, 5, 10);

    (void)state;
    assert_int_equal(yb_date_age(birth, D(2010, 5, 9)), 9);
    assert_int_equal(yb_date_age(birth, D(2010, 5, 10)), 10);
    assert_int_equal(yb_date_age(birth, D(2010, 5, 11)), 10);
    assert_int_equal(yb_date_age(birth, D(2010, 4, 30)), 9);
    assert_int_equal(yb_date_age(birth, D(2010, 6, 1)), 10);
    assert_int_equal(yb_date_age(birth, birth), 0);
    assert_int_equal(yb_date_age(birth, D(2001, 5, 9)), 0);
    assert_int_equal(yb_date_age(birth, D(2001, 5, 10)), 1);
    /* 60 full years: the elderly resident threshold */
    assert_int_equal(yb_date_age(D(1964, 7, 1), D(2024, 6, 30)), 59);
    assert_int_equal(yb_date_age(D(1964, 7, 1), D(2024, 7, 1)), 60);
    assert_int_equal(yb_date_age(D(2023, 12, 31), D(2024, 1, 1)), 0);
}

static void test_date_age_of_feb_29_birthday_turns_over_on_mar_1(void **state)
{
    yb_date birth = D(2004, 2, 29);

    (void)state;
    assert_int_equal(yb_date_age(birth, D(2005, 2, 28)), 0);
    assert_int_equal(yb_date_age(birth, D(2005, 3, 1)), 1);
    assert_int_equal(yb_date_age(birth, D(2007, 2, 28)), 2);
    assert_int_equal(yb_date_age(birth, D(2007, 3, 1)), 3);
    assert_int_equal(yb_date_age(birth, D(2008, 2, 28)), 3);
    assert_int_equal(yb_date_age(birth, D(2008, 2, 29)), 4);
}

static void test_date_age_is_negative_before_birth(void **state)
{
    yb_date birth = D(2000, 5, 10);

    (void)state;
    assert_int_equal(yb_date_age(birth, D(2000, 5, 9)), -1);
    assert_int_equal(yb_date_age(birth, D(1999, 5, 10)), -1);
    assert_int_equal(yb_date_age(birth, D(1999, 5, 9)), -2);
}

static void test_date_months_between_counts_full_months(void **state)
{
    (void)state;
    assert_int_equal(yb_date_months_between(D(2024, 1, 15), D(2024, 1, 15)), 0);
    assert_int_equal(yb_date_months_between(D(2024, 1, 15), D(2024, 2, 14)), 0);
    assert_int_equal(yb_date_months_between(D(2024, 1, 15), D(2024, 2, 15)), 1);
    assert_int_equal(yb_date_months_between(D(2023, 11, 30), D(2024, 3, 29)),
                     3);
    assert_int_equal(yb_date_months_between(D(2023, 11, 30), D(2024, 3, 30)),
                     4);
    assert_int_equal(yb_date_months_between(D(1900, 1, 1), D(2199, 12, 31)),
                     3599);
}

static void test_date_months_between_follows_month_end_clamping(void **state)
{
    (void)state;
    /* Jan 31 + 1 month is Feb 28 in 2023 ... */
    assert_int_equal(yb_date_months_between(D(2023, 1, 31), D(2023, 2, 28)), 1);
    /* ... but Feb 29 in 2024, so Feb 28 is not yet a full month. */
    assert_int_equal(yb_date_months_between(D(2024, 1, 31), D(2024, 2, 28)), 0);
    assert_int_equal(yb_date_months_between(D(2024, 1, 31), D(2024, 2, 29)), 1);
    assert_int_equal(yb_date_months_between(D(2024, 3, 31), D(2024, 4, 30)), 1);
    assert_int_equal(yb_date_months_between(D(2024, 2, 29), D(2025, 2, 28)),
                     12);
    assert_int_equal(yb_date_months_between(D(2024, 2, 28), D(2024, 3, 27)), 0);
}

static void test_date_months_between_mirrors_when_reversed(void **state)
{
    (void)state;
    assert_int_equal(yb_date_months_between(D(2024, 2, 15), D(2024, 1, 15)),
                     -1);
    assert_int_equal(yb_date_months_between(D(2024, 2, 14), D(2024, 1, 15)), 0);
    assert_int_equal(yb_date_months_between(D(2024, 3, 31), D(2024, 2, 29)),
                     -1);
    assert_int_equal(yb_date_months_between(D(2025, 1, 1), D(2024, 1, 1)), -12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_leap_years_follow_the_gregorian_rule),
        cmocka_unit_test(test_date_days_in_month),
        cmocka_unit_test(test_date_valid_checks_calendar_and_year_range),
        cmocka_unit_test(test_date_day_numbers_count_from_1970),
        cmocka_unit_test(test_date_every_day_of_the_range_round_trips),
        cmocka_unit_test(test_date_year_of_a_day_number),
        cmocka_unit_test(test_date_parse_accepts_real_dates),
        cmocka_unit_test(test_date_parse_rejects_dates_that_do_not_exist),
        cmocka_unit_test(test_date_parse_rejects_years_outside_the_range),
        cmocka_unit_test(test_date_parse_rejects_other_forms),
        cmocka_unit_test(test_datetime_parse_reads_date_and_seconds),
        cmocka_unit_test(
            test_datetime_parse_accepts_a_bare_date_only_when_asked),
        cmocka_unit_test(test_datetime_parse_rejects_impossible_times),
        cmocka_unit_test(test_datetime_parse_rejects_other_forms),
        cmocka_unit_test(test_date_format_writes_zero_padded_iso),
        cmocka_unit_test(test_date_add_months_clamps_to_the_month_end),
        cmocka_unit_test(test_date_add_months_crosses_years),
        cmocka_unit_test(test_date_add_years_turns_feb_29_into_feb_28),
        cmocka_unit_test(test_date_age_turns_over_on_the_birthday),
        cmocka_unit_test(test_date_age_of_feb_29_birthday_turns_over_on_mar_1),
        cmocka_unit_test(test_date_age_is_negative_before_birth),
        cmocka_unit_test(test_date_months_between_counts_full_months),
        cmocka_unit_test(test_date_months_between_follows_month_end_clamping),
        cmocka_unit_test(test_date_months_between_mirrors_when_reversed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
