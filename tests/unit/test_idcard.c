/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for idcard.c: the MOD 11-2 check character against a number
 * verified by hand, parsing of valid numbers built with the check
 * character, each way a number can be wrong with its Chinese message, and
 * masking for logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/idcard.h"

/* Build an 18-character number from 17 digits and their check character. */
static char *with_check(const char *first17, char *buf)
{
    memcpy(buf, first17, 17);
    buf[17] = yb_idcard_check_char(first17);
    buf[18] = '\0';
    return buf;
}

static void expect_idcard_error(const char *s, const char *msg)
{
    struct yb_err e;
    struct yb_idcard id = {"unset", 777, 7};

    yb_err_clear(&e);
    assert_int_equal(yb_idcard_parse(s, &id, "certno", &e), YB_EINVAL);
    assert_int_equal(e.code, YB_EINVAL);
    assert_string_equal(e.field, "certno");
    assert_string_equal(e.msg, msg);
    /* out is untouched on failure */
    assert_string_equal(id.region, "unset");
    assert_int_equal(id.birth, 777);
    assert_int_equal(id.gender, 7);
}

static void test_idcard_check_char_matches_a_hand_computed_number(void **state)
{
    (void)state;
    /* 11010519491231002X: weighted sum
     * 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2
     * = 167; 167 mod 11 = 2; "10X98765432"[2] = 'X'. */
    assert_int_equal(yb_idcard_check_char("11010519491231002"), 'X');
    /* 11010119900307123: sum 174, 174 mod 11 = 9 -> '3'. */
    assert_int_equal(yb_idcard_check_char("11010119900307123"), '3');
    /* all zeros: sum 0 -> '1' */
    assert_int_equal(yb_idcard_check_char("00000000000000000"), '1');
}

static void test_idcard_check_char_refuses_non_digits(void **state)
{
    (void)state;
    assert_int_equal(yb_idcard_check_char("1101011990030712a"), '\0');
    assert_int_equal(yb_idcard_check_char("X1010119900307123"), '\0');
}

static void test_idcard_check_char_takes_every_value(void **state)
{
    char first17[18], seen[12] = {0};
    int distinct = 0;

    (void)state;
    /* Sequence numbers 000..999 cover every residue mod 11. */
    for (int seq = 0; seq < 1000; seq++) {
        char c;

        snprintf(first17, sizeof first17, "11010119900307%03d", seq);
        c = yb_idcard_check_char(first17);
        assert_int_not_equal(c, '\0');
        assert_non_null(strchr("0123456789X", c));
        if (strchr(seen, c) == NULL) {
            seen[distinct++] = c;
            assert_true(distinct <= 11);
        }
    }
    assert_int_equal(distinct, 11);
}

static void test_idcard_parse_accepts_a_published_number(void **state)
{
    struct yb_err e;
    struct yb_idcard id;

    (void)state;
    assert_int_equal(yb_idcard_parse("11010519491231002X", &id, "certno", &e),
                     YB_OK);
    assert_string_equal(id.region, "110105");
    assert_int_equal(id.birth, yb_date_from_ymd(1949, 12, 31));
    assert_int_equal(id.gender, YB_GENDER_FEMALE); /* 17th digit 2 */
}

static void test_idcard_parse_reads_gender_from_the_17th_digit(void **state)
{
    struct yb_err e;
    struct yb_idcard id;
    char buf[19];

    (void)state;
    for (int last = 0; last <= 9; last++) {
        char first17[18];

        snprintf(first17, sizeof first17, "4403051985061512%d", last);
        assert_int_equal(
            yb_idcard_parse(with_check(first17, buf), &id, "certno", &e),
            YB_OK);
        assert_int_equal(id.gender,
                         last % 2 ? YB_GENDER_MALE : YB_GENDER_FEMALE);
        assert_string_equal(id.region, "440305");
        assert_int_equal(id.birth, yb_date_from_ymd(1985, 6, 15));
    }
}

static void test_idcard_parse_accepts_every_sequence_number(void **state)
{
    char first17[18], buf[19];

    (void)state;
    for (int seq = 0; seq < 1000; seq++) {
        snprintf(first17, sizeof first17, "65010220000229%03d", seq);
        assert_int_equal(
            yb_idcard_parse(with_check(first17, buf), NULL, "certno", NULL),
            YB_OK);
    }
}

static void test_idcard_parse_rejects_a_wrong_check_digit(void **state)
{
    (void)state;
    expect_idcard_error("110101199003071234",
                        "证件号码 \"110101199003071234\" 校验位错误，应为 3 "
                        "(wrong check character)");
    expect_idcard_error("110105194912310021",
                        "证件号码 \"110105194912310021\" 校验位错误，应为 X "
                        "(wrong check character)");
    expect_idcard_error("11010119900307123X",
                        "证件号码 \"11010119900307123X\" 校验位错误，应为 3 "
                        "(wrong check character)");
}

static void test_idcard_parse_rejects_lowercase_x(void **state)
{
    (void)state;
    expect_idcard_error("11010519491231002x",
                        "证件号码 \"11010519491231002x\" 校验位应为大写 X "
                        "(check character must be upper-case X)");
}

static void test_idcard_parse_rejects_other_check_characters(void **state)
{
    (void)state;
    expect_idcard_error("11010519491231002Y",
                        "证件号码 \"11010519491231002Y\" 校验位应为数字或 X "
                        "(bad check character)");
    expect_idcard_error("11010519491231002-",
                        "证件号码 \"11010519491231002-\" 校验位应为数字或 X "
                        "(bad check character)");
}

static void test_idcard_parse_rejects_dates_that_do_not_exist(void **state)
{
    char buf[19], msg[128];
    static const char *const bad[] = {
        "11010119900230123", /* Feb 30 */
        "11010119000229123", /* 1900 is not a leap year */
        "11010119901301123", /* month 13 */
        "11010119900100123", /* day 0 */
        "11010118991231123", /* before 1900 */
        "11010122000101123", /* after 2199 */
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        with_check(bad[i], buf);
        snprintf(msg, sizeof msg,
                 "证件号码 \"%s\" 出生日期 %.8s 无效 (bad birth date)", buf,
                 buf + 6);
        expect_idcard_error(buf, msg);
    }
    /* 2000 is a leap year: Feb 29 is fine. */
    assert_int_equal(yb_idcard_parse(with_check("11010120000229123", buf), NULL,
                                     "certno", NULL),
                     YB_OK);
}

static void test_idcard_parse_rejects_a_bad_region_prefix(void **state)
{
    char buf[19], msg[128];
    static const char *const bad[] = {
        "00010119900307123", /* no province 00 */
        "99010119900307123", /* no province 99 */
        "11000119900307123", /* county without prefecture */
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        with_check(bad[i], buf);
        snprintf(msg, sizeof msg,
                 "证件号码 \"%s\" 地区码 %.6s 无效 (unknown region code)", buf,
                 buf);
        expect_idcard_error(buf, msg);
    }
}

static void test_idcard_parse_rejects_wrong_lengths(void **state)
{
    (void)state;
    expect_idcard_error("11010519491231002",
                        "证件号码 \"11010519491231002\" 长度应为18位，实为17位 "
                        "(must be 18 characters)");
    expect_idcard_error("11010519491231002X1",
                        "证件号码 \"11010519491231002X1\" "
                        "长度应为18位，实为19位 (must be 18 characters)");
    expect_idcard_error("110105491231002",
                        "证件号码 \"110105491231002\" 长度应为18位，实为15位 "
                        "(must be 18 characters)");
    expect_idcard_error("", "证件号码为空 (ID number is empty)");
    expect_idcard_error(NULL, "证件号码为空 (ID number is empty)");
}

static void test_idcard_parse_rejects_non_digits(void **state)
{
    (void)state;
    expect_idcard_error("1101051949123100X2",
                        "证件号码 \"1101051949123100X2\" 前17位应全为数字 "
                        "(first 17 must be digits)");
    expect_idcard_error(" 11010519491231002",
                        "证件号码 \" 11010519491231002\" 前17位应全为数字 "
                        "(first 17 must be digits)");
}

static void test_idcard_mask_keeps_six_and_four(void **state)
{
    char buf[19];

    (void)state;
    assert_string_equal(yb_idcard_mask("110101199003071234", buf),
                        "110101********1234");
    assert_string_equal(yb_idcard_mask("11010519491231002X", buf),
                        "110105********002X");
}

static void test_idcard_mask_never_writes_past_18_characters(void **state)
{
    char buf[19];

    (void)state;
    assert_string_equal(yb_idcard_mask("110105491231002", buf),
                        "110105*****1002");
    assert_string_equal(yb_idcard_mask("1101051949123100210987", buf),
                        "110105********0987");
    assert_string_equal(yb_idcard_mask("1234567890", buf), "**********");
    assert_string_equal(yb_idcard_mask("12345", buf), "*****");
    assert_string_equal(yb_idcard_mask("", buf), "");
    assert_string_equal(yb_idcard_mask(NULL, buf), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idcard_check_char_matches_a_hand_computed_number),
        cmocka_unit_test(test_idcard_check_char_refuses_non_digits),
        cmocka_unit_test(test_idcard_check_char_takes_every_value),
        cmocka_unit_test(test_idcard_parse_accepts_a_published_number),
        cmocka_unit_test(test_idcard_parse_reads_gender_from_the_17th_digit),
        cmocka_unit_test(test_idcard_parse_accepts_every_sequence_number),
        cmocka_unit_test(test_idcard_parse_rejects_a_wrong_check_digit),
        cmocka_unit_test(test_idcard_parse_rejects_lowercase_x),
        cmocka_unit_test(test_idcard_parse_rejects_other_check_characters),
        cmocka_unit_test(test_idcard_parse_rejects_dates_that_do_not_exist),
        cmocka_unit_test(test_idcard_parse_rejects_a_bad_region_prefix),
        cmocka_unit_test(test_idcard_parse_rejects_wrong_lengths),
        cmocka_unit_test(test_idcard_parse_rejects_non_digits),
        cmocka_unit_test(test_idcard_mask_keeps_six_and_four),
        cmocka_unit_test(test_idcard_mask_never_writes_past_18_characters),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
