/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for money.c: checked arithmetic at the int64_t limits, the one
 * rounding rule (half up, away from zero), the strict yuan, rate and decimal
 * parsers with their exact messages, and the formatters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/money.h"

#define SENTINEL INT64_C(777)

/* ---- checked arithmetic ---- */

static void test_money_add_adds(void **state)
{
    yb_fen r = 0;

    (void)state;
    assert_int_equal(yb_money_add(150, -250, &r), YB_OK);
    assert_int_equal(r, -100);
    assert_int_equal(yb_money_add(INT64_MAX, 0, &r), YB_OK);
    assert_true(r == INT64_MAX);
    assert_int_equal(yb_money_add(INT64_MIN, INT64_MAX, &r), YB_OK);
    assert_int_equal(r, -1);
}

static void test_money_add_reports_overflow_at_the_limits(void **state)
{
    yb_fen r = SENTINEL;

    (void)state;
    assert_int_equal(yb_money_add(INT64_MAX, 1, &r), YB_EOVERFLOW);
    assert_int_equal(yb_money_add(INT64_MIN, -1, &r), YB_EOVERFLOW);
    assert_int_equal(yb_money_add(INT64_MAX, INT64_MAX, &r), YB_EOVERFLOW);
    assert_int_equal(r, SENTINEL);
}

static void test_money_sub_subtracts(void **state)
{
    yb_fen r = 0;

    (void)state;
    assert_int_equal(yb_money_sub(100, 250, &r), YB_OK);
    assert_int_equal(r, -150);
    assert_int_equal(yb_money_sub(0, INT64_MAX, &r), YB_OK);
    assert_true(r == -INT64_MAX);
    assert_int_equal(yb_money_sub(-1, INT64_MAX, &r), YB_OK);
    assert_true(r == INT64_MIN);
}

static void test_money_sub_reports_overflow_at_the_limits(void **state)
{
    yb_fen r = SENTINEL;

    (void)state;
    assert_int_equal(yb_money_sub(INT64_MIN, 1, &r), YB_EOVERFLOW);
    assert_int_equal(yb_money_sub(0, INT64_MIN, &r), YB_EOVERFLOW);
    assert_int_equal(yb_money_sub(INT64_MAX, -1, &r), YB_EOVERFLOW);
    assert_int_equal(r, SENTINEL);
}

static void test_money_mul_multiplies(void **state)
{
    yb_fen r = 0;

    (void)state;
    assert_int_equal(yb_money_mul(123, -3, &r), YB_OK);
    assert_int_equal(r, -369);
    assert_int_equal(yb_money_mul(INT64_MAX, 1, &r), YB_OK);
    assert_true(r == INT64_MAX);
    assert_int_equal(yb_money_mul(-(INT64_C(1) << 62), 2, &r), YB_OK);
    assert_true(r == INT64_MIN);
}

static void test_money_mul_reports_overflow_at_the_limits(void **state)
{
    yb_fen r = SENTINEL;

    (void)state;
    assert_int_equal(yb_money_mul(INT64_MAX, 2, &r), YB_EOVERFLOW);
    assert_int_equal(yb_money_mul(INT64_MIN, -1, &r), YB_EOVERFLOW);
    assert_int_equal(yb_money_mul(INT64_C(1) << 62, 2, &r), YB_EOVERFLOW);
    assert_int_equal(r, SENTINEL);
}

/* ---- rounding ---- */

static void test_div_half_up_rounds_halves_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(yb_div_half_up(5, 2), 3);
    assert_int_equal(yb_div_half_up(-5, 2), -3);
    assert_int_equal(yb_div_half_up(4, 2), 2);
    assert_int_equal(yb_div_half_up(7, 3), 2);
    assert_int_equal(yb_div_half_up(8, 3), 3);
    assert_int_equal(yb_div_half_up(-7, 3), -2);
    assert_int_equal(yb_div_half_up(-8, 3), -3);
    assert_int_equal(yb_div_half_up(1, 3), 0);
    assert_int_equal(yb_div_half_up(-1, 3), 0);
    assert_int_equal(yb_div_half_up(0, 5), 0);
    assert_int_equal(yb_div_half_up(14999, 10000), 1);
    assert_int_equal(yb_div_half_up(15000, 10000), 2);
}

static void test_div_half_up_survives_int64_limits(void **state)
{
    (void)state;
    assert_int_equal(yb_div_half_up(INT64_MAX, INT64_MAX), 1);
    assert_int_equal(yb_div_half_up(INT64_MAX, 1), INT64_MAX);
    assert_true(yb_div_half_up(INT64_MIN, 1) == INT64_MIN);
    /* INT64_MAX / 2 = ...903.5 rounds up. */
    assert_true(yb_div_half_up(INT64_MAX, 2) == INT64_C(4611686018427387904));
    assert_true(yb_div_half_up(INT64_MIN, 2) == -INT64_C(4611686018427387904));
    assert_true(yb_div_half_up(INT64_MIN + 1, 2) ==
                -INT64_C(4611686018427387904));
    /* A remainder near den, where 2 * remainder would overflow. */
    assert_int_equal(yb_div_half_up(INT64_C(1) << 62, INT64_MAX), 1);
    assert_int_equal(yb_div_half_up((INT64_C(1) << 62) - 1, INT64_MAX), 0);
    assert_int_equal(yb_div_half_up(-(INT64_C(1) << 62), INT64_MAX), -1);
    assert_int_equal(yb_div_half_up(INT64_MAX - 1, INT64_MAX), 1);
}

static void test_money_apply_rate_rounds_half_a_fen_up(void **state)
{
    yb_fen r = 0;

    (void)state;
    /* 1 fen x 50% = 0.5 fen -> 1 fen; -0.5 fen -> -1 fen. */
    assert_int_equal(yb_money_apply_rate(1, 5000, &r), YB_OK);
    assert_int_equal(r, 1);
    assert_int_equal(yb_money_apply_rate(-1, 5000, &r), YB_OK);
    assert_int_equal(r, -1);
    assert_int_equal(yb_money_apply_rate(1, 4999, &r), YB_OK);
    assert_int_equal(r, 0);
    assert_int_equal(yb_money_apply_rate(3, 5000, &r), YB_OK);
    assert_int_equal(r, 2);
    /* 12345.67 yuan x 72.5% = 8950.61075 yuan */
    assert_int_equal(yb_money_apply_rate(1234567, 7250, &r), YB_OK);
    assert_int_equal(r, 895061);
    /* a negative rate adjustment rounds away from zero too */
    assert_int_equal(yb_money_apply_rate(12345, -1000, &r), YB_OK);
    assert_int_equal(r, -1235);
}

static void test_money_apply_rate_keeps_exact_products(void **state)
{
    yb_fen r = 0;

    (void)state;
    assert_int_equal(yb_money_apply_rate(10000, 7000, &r), YB_OK);
    assert_int_equal(r, 7000);
    assert_int_equal(yb_money_apply_rate(98765, YB_RATE_ONE, &r), YB_OK);
    assert_int_equal(r, 98765);
    assert_int_equal(yb_money_apply_rate(98765, 0, &r), YB_OK);
    assert_int_equal(r, 0);
    assert_int_equal(yb_money_apply_rate(YB_MONEY_MAX, YB_RATE_ONE, &r), YB_OK);
    assert_true(r == YB_MONEY_MAX);
}

static void test_money_apply_rate_reports_overflow(void **state)
{
    yb_fen r = SENTINEL;

    (void)state;
    assert_int_equal(yb_money_apply_rate(INT64_MAX, 2, &r), YB_EOVERFLOW);
    assert_int_equal(yb_money_apply_rate(INT64_MIN, 1, &r), YB_OK);
    assert_true(r == yb_div_half_up(INT64_MIN, YB_RATE_ONE));
    r = SENTINEL;
    assert_int_equal(yb_money_apply_rate(INT64_MAX / 9999, 10000, &r),
                     YB_EOVERFLOW);
    assert_int_equal(r, SENTINEL);
}

/* ---- yuan strings ---- */

static void expect_money(const char *s, yb_fen want)
{
    struct yb_err e;
    yb_fen v = SENTINEL;

    yb_err_clear(&e);
    assert_int_equal(yb_money_parse(s, &v, "pric", &e), YB_OK);
    assert_true(v == want);
    assert_int_equal(e.code, YB_OK);
}

static void expect_money_error(const char *s, int code, const char *msg)
{
    struct yb_err e;
    yb_fen v = SENTINEL;

    yb_err_clear(&e);
    assert_int_equal(yb_money_parse(s, &v, "pric", &e), code);
    assert_int_equal(v, SENTINEL);
    assert_int_equal(e.code, code);
    assert_string_equal(e.field, "pric");
    assert_string_equal(e.msg, msg);
}

static void test_money_parse_accepts_yuan_with_up_to_two_decimals(void **state)
{
    (void)state;
    expect_money("1234", 123400);
    expect_money("1234.5", 123450);
    expect_money("1234.56", 123456);
    expect_money("-3.10", -310);
    expect_money("0", 0);
    expect_money("-0", 0);
    expect_money("0.01", 1);
    expect_money("-0.05", -5);
    expect_money("007.50", 750);
}

static void test_money_parse_accepts_the_limit_exactly(void **state)
{
    (void)state;
    expect_money("100000000000", YB_MONEY_MAX);
    expect_money("100000000000.00", YB_MONEY_MAX);
    expect_money("-100000000000.00", -YB_MONEY_MAX);
    expect_money("99999999999.99", YB_MONEY_MAX - 1);
}

static void test_money_parse_rejects_three_decimals(void **state)
{
    (void)state;
    expect_money_error("1.234", YB_EINVAL,
                       "金额 \"1.234\" 超过两位小数 (more than two decimals)");
    expect_money_error("0.001", YB_EINVAL,
                       "金额 \"0.001\" 超过两位小数 (more than two decimals)");
    expect_money_error("1.500", YB_EINVAL,
                       "金额 \"1.500\" 超过两位小数 (more than two decimals)");
}

static void test_money_parse_rejects_an_empty_string(void **state)
{
    (void)state;
    expect_money_error("", YB_EINVAL, "金额为空 (amount is empty)");
}

static void test_money_parse_rejects_malformed_amounts(void **state)
{
    static const char *const bad[] = {
        "1e3", "+1",  " 1",    "1 ",   "1.", ".5",   "1,000", "abc",   "-",
        "--1", "-.5", "1.2.3", "1.0a", "1-", "0x10", "１",    "1.5\n", "-+1",
    };
    char msg[128];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* the message shows a control character escaped */
        snprintf(msg, sizeof msg,
                 "应为金额（元，最多两位小数），实际为 \"%s\" (not an amount)",
                 strcmp(bad[i], "1.5\n") == 0 ? "1.5\\u000a" : bad[i]);
        expect_money_error(bad[i], YB_EINVAL, msg);
    }
}

static void test_money_parse_rejects_amounts_above_the_limit(void **state)
{
    (void)state;
    expect_money_error(
        "100000000000.01", YB_EOVERFLOW,
        "金额 \"100000000000.01\" 超过上限 100000000000.00 (amount too large)");
    expect_money_error("-100000000000.01", YB_EOVERFLOW,
                       "金额 \"-100000000000.01\" 超过上限 100000000000.00 "
                       "(amount too large)");
    expect_money_error(
        "100000000001", YB_EOVERFLOW,
        "金额 \"100000000001\" 超过上限 100000000000.00 (amount too large)");
    /* more digits than int64_t holds */
    expect_money_error("92233720368547758080", YB_EOVERFLOW,
                       "金额 \"92233720368547758080\" 超过上限 100000000000.00 "
                       "(amount too large)");
}

static void test_money_parse_quotes_at_most_40_bytes(void **state)
{
    char in[60], msg[128];

    (void)state;
    memset(in, 'a', sizeof in - 1);
    in[sizeof in - 1] = '\0';
    snprintf(
        msg, sizeof msg,
        "应为金额（元，最多两位小数），实际为 \"%.40s...\" (not an amount)",
        in);
    expect_money_error(in, YB_EINVAL, msg);
}

static void test_money_parse_keeps_the_field_out_of_the_message(void **state)
{
    struct yb_err e;
    yb_fen v;

    (void)state;
    assert_int_equal(yb_money_parse("x", &v, NULL, &e), YB_EINVAL);
    assert_string_equal(
        e.msg, "应为金额（元，最多两位小数），实际为 \"x\" (not an amount)");
    assert_string_equal(e.field, "");
    assert_int_equal(yb_money_parse(NULL, &v, "fee", &e), YB_EINVAL);
    assert_string_equal(e.field, "fee");
    assert_string_equal(e.msg, "缺少金额 (amount is missing)");
    /* The report is optional. */
    assert_int_equal(yb_money_parse("1.234", &v, "fee", NULL), YB_EINVAL);
}

static void test_money_format_writes_two_decimals(void **state)
{
    char buf[32];

    (void)state;
    assert_string_equal(yb_money_format(123450, buf), "1234.50");
    assert_string_equal(yb_money_format(-5, buf), "-0.05");
    assert_string_equal(yb_money_format(0, buf), "0.00");
    assert_string_equal(yb_money_format(1, buf), "0.01");
    assert_string_equal(yb_money_format(-100, buf), "-1.00");
    assert_string_equal(yb_money_format(YB_MONEY_MAX, buf), "100000000000.00");
    assert_string_equal(yb_money_format(INT64_MAX, buf),
                        "92233720368547758.07");
    assert_string_equal(yb_money_format(INT64_MIN, buf),
                        "-92233720368547758.08");
}

static void test_money_format_and_parse_round_trip(void **state)
{
    static const yb_fen values[] = {
        0,   1,    -1,     9,       10,           99,
        100, -101, 123456, -987654, YB_MONEY_MAX, -YB_MONEY_MAX};
    char buf[32];

    (void)state;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        expect_money(yb_money_format(values[i], buf), values[i]);
}

/* ---- rates ---- */

static void expect_rate(const char *s, bool neg, bool over, yb_rate want)
{
    struct yb_err e;
    yb_rate r = 777;

    yb_err_clear(&e);
    assert_int_equal(yb_rate_parse(s, &r, neg, over, "rate", &e), YB_OK);
    assert_int_equal(r, want);
}

static void expect_rate_error(const char *s, bool neg, bool over,
                              const char *msg)
{
    struct yb_err e;
    yb_rate r = 777;

    yb_err_clear(&e);
    assert_int_equal(yb_rate_parse(s, &r, neg, over, "rate", &e), YB_EINVAL);
    assert_int_equal(r, 777);
    assert_int_equal(e.code, YB_EINVAL);
    assert_string_equal(e.field, "rate");
    assert_string_equal(e.msg, msg);
}

static void test_rate_parse_accepts_percentages(void **state)
{
    (void)state;
    expect_rate("70%", false, false, 7000);
    expect_rate("72.5%", false, false, 7250);
    expect_rate("0.25%", false, false, 25);
    expect_rate("0.01%", false, false, 1);
    expect_rate("0%", false, false, 0);
    expect_rate("100%", false, false, 10000);
    expect_rate("100.00%", false, false, 10000);
}

static void test_rate_parse_accepts_fractions(void **state)
{
    (void)state;
    expect_rate("0.7", false, false, 7000);
    expect_rate("0.725", false, false, 7250);
    expect_rate("0.0001", false, false, 1);
    expect_rate("1", false, false, 10000);
    expect_rate("1.0000", false, false, 10000);
    expect_rate("0", false, false, 0);
}

static void test_rate_parse_refuses_over_100_percent(void **state)
{
    (void)state;
    expect_rate_error("105%", false, false, "比例 105% 超过 100% (above 100%)");
    expect_rate_error("100.01%", false, false,
                      "比例 100.01% 超过 100% (above 100%)");
    expect_rate_error("1.05", false, false, "比例 105% 超过 100% (above 100%)");
    expect_rate_error("1.0001", false, false,
                      "比例 100.01% 超过 100% (above 100%)");
}

static void test_rate_parse_accepts_over_100_percent_when_allowed(void **state)
{
    (void)state;
    expect_rate("105%", false, true, 10500);
    expect_rate("2", false, true, 20000);
    expect_rate("1000000%", false, true, 100000000);
    expect_rate_error("1000000.01%", false, true,
                      "比例 \"1000000.01%\" 超出范围 (out of range)");
    expect_rate_error("10001", false, true,
                      "比例 \"10001\" 超出范围 (out of range)");
    expect_rate_error(
        "99999999999999999999999%", false, true,
        "比例 \"99999999999999999999999%\" 超出范围 (out of range)");
}

static void test_rate_parse_refuses_negative_unless_allowed(void **state)
{
    (void)state;
    expect_rate_error("-10%", false, false,
                      "比例 \"-10%\" 不能为负数 (negative)");
    expect_rate_error("-0.1", false, true,
                      "比例 \"-0.1\" 不能为负数 (negative)");
    expect_rate_error("-0.01%", false, false,
                      "比例 \"-0.01%\" 不能为负数 (negative)");
    expect_rate_error("-0.0001", false, false,
                      "比例 \"-0.0001\" 不能为负数 (negative)");
    expect_rate("-10%", true, false, -1000);
    expect_rate("-0.1", true, false, -1000);
    expect_rate("-0%", false, false, 0);
    expect_rate_error("-150%", true, false,
                      "比例 -150% 低于 -100% (below -100%)");
    expect_rate("-150%", true, true, -15000);
}

static void test_rate_parse_refuses_too_many_decimals(void **state)
{
    (void)state;
    expect_rate_error(
        "0.255%", false, false,
        "百分比 \"0.255%\" 超过两位小数 (more than two decimals)");
    expect_rate_error(
        "72.500%", false, false,
        "百分比 \"72.500%\" 超过两位小数 (more than two decimals)");
    expect_rate_error(
        "0.72501", false, false,
        "比例 \"0.72501\" 超过四位小数 (more than four decimals)");
}

static void test_rate_parse_refuses_malformed_rates(void **state)
{
    static const char *const bad[] = {
        "",     "%",    "70 %", "70%%", "+70%", ".7",  "7.",    "abc",
        "70%x", "1e2%", " 70%", "70% ", "7,0%", "--1", "0.7%%", "%70",
    };
    char msg[128];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg,
                 "应为比例（如 0.25 或 25%%），实际为 \"%s\" (not a rate)",
                 bad[i]);
        expect_rate_error(bad[i], true, true, msg);
    }
}

static void test_rate_format_writes_a_percentage(void **state)
{
    char buf[16];

    (void)state;
    assert_string_equal(yb_rate_format(7000, buf), "70%");
    assert_string_equal(yb_rate_format(7250, buf), "72.5%");
    assert_string_equal(yb_rate_format(25, buf), "0.25%");
    assert_string_equal(yb_rate_format(-1000, buf), "-10%");
    assert_string_equal(yb_rate_format(0, buf), "0%");
    assert_string_equal(yb_rate_format(10000, buf), "100%");
    assert_string_equal(yb_rate_format(1, buf), "0.01%");
    assert_string_equal(yb_rate_format(10, buf), "0.1%");
    assert_string_equal(yb_rate_format(-5, buf), "-0.05%");
    assert_string_equal(yb_rate_format(INT32_MAX, buf), "21474836.47%");
    assert_string_equal(yb_rate_format(INT32_MIN, buf), "-21474836.48%");
}

static void test_rate_format_and_parse_round_trip(void **state)
{
    static const yb_rate rates[] = {0,    1,    9,     10, 99,    100,
                                    2550, 7000, 10000, -1, -7250, 12345};
    char buf[16];

    (void)state;
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        expect_rate(yb_rate_format(rates[i], buf), true, true, rates[i]);
}

/* ---- scaled decimals ---- */

static void expect_decimal(const char *s, int scale, bool neg, int64_t want)
{
    struct yb_err e;
    int64_t v = SENTINEL;

    assert_int_equal(yb_decimal_parse(s, scale, neg, &v, "cnt", &e), YB_OK);
    assert_true(v == want);
}

static void expect_decimal_error(const char *s, int scale, bool neg,
                                 const char *msg)
{
    struct yb_err e;
    int64_t v = SENTINEL;

    yb_err_clear(&e);
    assert_int_equal(yb_decimal_parse(s, scale, neg, &v, "cnt", &e), YB_EINVAL);
    assert_int_equal(v, SENTINEL);
    assert_string_equal(e.field, "cnt");
    assert_string_equal(e.msg, msg);
}

static void test_decimal_parse_scales_quantities_and_prices(void **state)
{
    (void)state;
    expect_decimal("1.5", 4, false, 15000);
    expect_decimal("2", 4, false, 20000);
    expect_decimal("0.0001", 4, false, 1);
    expect_decimal("12.345678", 6, false, 12345678);
    expect_decimal("0", 6, false, 0);
    expect_decimal("7", 0, false, 7);
    expect_decimal("-2.5", 4, true, -25000);
    expect_decimal("-0", 4, false, 0);
}

static void test_decimal_parse_accepts_the_limit_exactly(void **state)
{
    (void)state;
    expect_decimal("1000000000000", 6, false, INT64_C(1000000000000000000));
    expect_decimal("-1000000000000.000000", 6, true,
                   -INT64_C(1000000000000000000));
    expect_decimal("999999999999.999999", 6, false,
                   INT64_C(999999999999999999));
}

static void test_decimal_parse_rejects_too_many_decimals(void **state)
{
    (void)state;
    expect_decimal_error("1.23456", 4, false,
                         "数值 \"1.23456\" 超过 4 位小数 (too many decimals)");
    expect_decimal_error(
        "0.0000001", 6, false,
        "数值 \"0.0000001\" 超过 6 位小数 (too many decimals)");
    expect_decimal_error("3.5", 0, false,
                         "数值 \"3.5\" 超过 0 位小数 (too many decimals)");
}

static void test_decimal_parse_rejects_negative_unless_allowed(void **state)
{
    (void)state;
    expect_decimal_error("-2", 4, false, "数值 \"-2\" 不能为负数 (negative)");
}

static void test_decimal_parse_rejects_values_above_the_limit(void **state)
{
    (void)state;
    expect_decimal_error(
        "1000000000000.000001", 6, false,
        "数值 \"1000000000000.000001\" 超过上限 1000000000000 (too large)");
    expect_decimal_error(
        "1000000000001", 4, false,
        "数值 \"1000000000001\" 超过上限 1000000000000 (too large)");
    expect_decimal_error(
        "-1000000000001", 0, true,
        "数值 \"-1000000000001\" 超过上限 1000000000000 (too large)");
}

static void test_decimal_parse_rejects_malformed_numbers(void **state)
{
    (void)state;
    expect_decimal_error("", 4, false, "应为数字，实际为 \"\" (not a number)");
    expect_decimal_error("1e3", 4, false,
                         "应为数字，实际为 \"1e3\" (not a number)");
    expect_decimal_error("+1", 4, false,
                         "应为数字，实际为 \"+1\" (not a number)");
    expect_decimal_error(".5", 4, false,
                         "应为数字，实际为 \".5\" (not a number)");
    expect_decimal_error("1.", 4, false,
                         "应为数字，实际为 \"1.\" (not a number)");
    expect_decimal_error(NULL, 4, false, "缺少数值 (value is missing)");
}

static void test_decimal_parse_rejects_an_unsupported_scale(void **state)
{
    (void)state;
    expect_decimal_error("1", 7, false,
                         "小数位数 7 不在 0 到 6 之间 (scale out of range)");
    expect_decimal_error("1", -1, false,
                         "小数位数 -1 不在 0 到 6 之间 (scale out of range)");
}

static void test_decimal_format_writes_every_decimal(void **state)
{
    char buf[32];

    (void)state;
    assert_string_equal(yb_decimal_format(15000, 4, buf), "1.5000");
    assert_string_equal(yb_decimal_format(-15000, 4, buf), "-1.5000");
    assert_string_equal(yb_decimal_format(1, 6, buf), "0.000001");
    assert_string_equal(yb_decimal_format(-1, 6, buf), "-0.000001");
    assert_string_equal(yb_decimal_format(0, 4, buf), "0.0000");
    assert_string_equal(yb_decimal_format(7, 0, buf), "7");
    assert_string_equal(yb_decimal_format(-7, 0, buf), "-7");
    assert_string_equal(yb_decimal_format(INT64_MIN, 0, buf),
                        "-9223372036854775808");
    assert_string_equal(yb_decimal_format(-120, 2, buf), "-1.20");
    assert_string_equal(yb_decimal_format(INT64_MAX, 4, buf),
                        "922337203685477.5807");
    assert_string_equal(yb_decimal_format(INT64_MIN, 6, buf),
                        "-9223372036854.775808");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_add_adds),
        cmocka_unit_test(test_money_add_reports_overflow_at_the_limits),
        cmocka_unit_test(test_money_sub_subtracts),
        cmocka_unit_test(test_money_sub_reports_overflow_at_the_limits),
        cmocka_unit_test(test_money_mul_multiplies),
        cmocka_unit_test(test_money_mul_reports_overflow_at_the_limits),
        cmocka_unit_test(test_div_half_up_rounds_halves_away_from_zero),
        cmocka_unit_test(test_div_half_up_survives_int64_limits),
        cmocka_unit_test(test_money_apply_rate_rounds_half_a_fen_up),
        cmocka_unit_test(test_money_apply_rate_keeps_exact_products),
        cmocka_unit_test(test_money_apply_rate_reports_overflow),
        cmocka_unit_test(test_money_parse_accepts_yuan_with_up_to_two_decimals),
        cmocka_unit_test(test_money_parse_accepts_the_limit_exactly),
        cmocka_unit_test(test_money_parse_rejects_three_decimals),
        cmocka_unit_test(test_money_parse_rejects_an_empty_string),
        cmocka_unit_test(test_money_parse_rejects_malformed_amounts),
        cmocka_unit_test(test_money_parse_rejects_amounts_above_the_limit),
        cmocka_unit_test(test_money_parse_quotes_at_most_40_bytes),
        cmocka_unit_test(test_money_parse_keeps_the_field_out_of_the_message),
        cmocka_unit_test(test_money_format_writes_two_decimals),
        cmocka_unit_test(test_money_format_and_parse_round_trip),
        cmocka_unit_test(test_rate_parse_accepts_percentages),
        cmocka_unit_test(test_rate_parse_accepts_fractions),
        cmocka_unit_test(test_rate_parse_refuses_over_100_percent),
        cmocka_unit_test(test_rate_parse_accepts_over_100_percent_when_allowed),
        cmocka_unit_test(test_rate_parse_refuses_negative_unless_allowed),
        cmocka_unit_test(test_rate_parse_refuses_too_many_decimals),
        cmocka_unit_test(test_rate_parse_refuses_malformed_rates),
        cmocka_unit_test(test_rate_format_writes_a_percentage),
        cmocka_unit_test(test_rate_format_and_parse_round_trip),
        cmocka_unit_test(test_decimal_parse_scales_quantities_and_prices),
        cmocka_unit_test(test_decimal_parse_accepts_the_limit_exactly),
        cmocka_unit_test(test_decimal_parse_rejects_too_many_decimals),
        cmocka_unit_test(test_decimal_parse_rejects_negative_unless_allowed),
        cmocka_unit_test(test_decimal_parse_rejects_values_above_the_limit),
        cmocka_unit_test(test_decimal_parse_rejects_malformed_numbers),
        cmocka_unit_test(test_decimal_parse_rejects_an_unsupported_scale),
        cmocka_unit_test(test_decimal_format_writes_every_decimal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
