/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of text.c: every kind of bad UTF-8 found at its byte and
 * named, every valid edge of RFC 3629 accepted; cutting and trimming
 * never split a character; scrubbing makes any bytes valid UTF-8;
 * quoting escapes what would break a line or a JSON answer; ID numbers
 * masked as in the call log, and a mask cut short ends on a character.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/err.h"
#include "yibao/text.h"

static void expect_fault(const char *s, size_t n, enum yb_utf8_fault want,
                         size_t want_at)
{
    size_t at = 999;
    assert_int_equal(yb_utf8_check(s, n, &at), want);
    assert_int_equal(at, want_at);
}

static void test_utf8_check_finds_each_fault_at_its_byte(void **state)
{
    (void)state;
    expect_fault("ab\0c", 4, YB_UTF8_NUL, 2);
    expect_fault("a\xC0\xAF", 3, YB_UTF8_OVERLONG, 1);        /* '/' */
    expect_fault("\xE0\x80\xAF", 3, YB_UTF8_OVERLONG, 0);     /* 3 bytes */
    expect_fault("\xF0\x80\x80\xAF", 4, YB_UTF8_OVERLONG, 0); /* 4 bytes */
    expect_fault("xy\xED\xA0\x80", 5, YB_UTF8_SURROGATE, 2);  /* U+D800 */
    expect_fault("\xED\xBF\xBF", 3, YB_UTF8_SURROGATE, 0);    /* U+DFFF */
    expect_fault("\xF4\x90\x80\x80", 4, YB_UTF8_TOO_BIG, 0);  /* 110000 */
    expect_fault("\xF5\x80\x80\x80", 4, YB_UTF8_TOO_BIG, 0);
    expect_fault("\xE4\xB8", 2, YB_UTF8_TRUNCATED, 0); /* at end */
    expect_fault("\xE4\xB8"
                 "a",
                 3, YB_UTF8_TRUNCATED, 0);          /* by 'a' */
    expect_fault("ok\x80", 3, YB_UTF8_BAD_BYTE, 2); /* stray */
    expect_fault("\xFF", 1, YB_UTF8_BAD_BYTE, 0);
}

static void test_utf8_check_accepts_every_valid_edge(void **state)
{
    static const char *const good[] = {"",
                                       "\x7F",
                                       "\xC2\x80",
                                       "\xDF\xBF",
                                       "\xE0\xA0\x80",
                                       "\xED\x9F\xBF",
                                       "\xEE\x80\x80",
                                       "\xEF\xBF\xBF",
                                       "\xF0\x90\x80\x80",
                                       "\xF4\x8F\xBF\xBF",
                                       "城乡居民基本医疗保险"};
    size_t at = 7;

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(yb_utf8_check(good[i], strlen(good[i]), &at),
                         YB_UTF8_OK);
    assert_int_equal(at, 7); /* untouched */
}

static void test_utf8_describe_is_chinese_first(void **state)
{
    char buf[200];

    (void)state;
    assert_string_equal(yb_utf8_describe(buf, sizeof buf, YB_UTF8_OVERLONG, 4),
                        "不是合法的 UTF-8 文本：第 5 字节起为超长编码 (invalid "
                        "UTF-8 at byte 5: overlong encoding)");
    assert_string_equal(yb_utf8_describe(buf, sizeof buf, YB_UTF8_NUL, 0),
                        "第 1 字节含有空字符 U+0000，不允许 (NUL at byte 1)");
}

static void test_utf8_cut_and_trim_keep_whole_characters(void **state)
{
    const char *s = "a医保"; /* 1 + 3 + 3 bytes */

    (void)state;
    assert_int_equal(yb_utf8_cut(s, 7, 7), 7);
    assert_int_equal(yb_utf8_cut(s, 7, 6), 4);
    assert_int_equal(yb_utf8_cut(s, 7, 5), 4);
    assert_int_equal(yb_utf8_cut(s, 7, 4), 4);
    assert_int_equal(yb_utf8_cut(s, 7, 3), 1);
    assert_int_equal(yb_utf8_cut(s, 7, 1), 1);
    assert_int_equal(yb_utf8_cut(s, 7, 0), 0);
    assert_int_equal(yb_utf8_trim(s, 7), 7);
    assert_int_equal(yb_utf8_trim(s, 6), 4);
    assert_int_equal(yb_utf8_trim(s, 2), 1);
    /* stray continuation bytes are characters of their own */
    assert_int_equal(yb_utf8_cut("\x80\x80\x80\x80\x80", 5, 3), 3);
}

static void test_utf8_scrub_leaves_valid_utf8(void **state)
{
    char s[] = "a\xC0\xAF\xE4\xB8"
               "b\xED\xA0\x80医";
    size_t n = sizeof s - 1;

    (void)state;
    assert_int_equal(yb_utf8_scrub(s, n), 7);
    assert_string_equal(s, "a????b???医");
    assert_int_equal(yb_utf8_check(s, n, NULL), YB_UTF8_OK);
}

static void test_text_quote_escapes_and_cuts_at_a_character(void **state)
{
    char buf[64];
    const char *s = "a\"b\\c\nd\x01\xFF\0e";

    (void)state;
    assert_string_equal(yb_text_quote(buf, sizeof buf, s, 11, 40),
                        "\"a\\\"b\\\\c\\u000ad\\u0001\\xFF\\u0000e\"");
    /* 5 bytes to show: the second 医 (bytes 3..5) is not cut in two */
    assert_string_equal(yb_text_quote(buf, sizeof buf, "医保卡", 9, 5),
                        "\"医保...\"");
    assert_string_equal(yb_text_quote(buf, sizeof buf, "医保卡", 9, 4),
                        "\"医保...\"");
    assert_string_equal(yb_text_quote(buf, sizeof buf, "医保卡", 9, 3),
                        "\"医...\"");
    /* a small buffer ends the text early, never inside a character */
    assert_string_equal(yb_text_quote(buf, 16, "医保卡医保卡", 18, 40),
                        "\"医保卡...\"");
    assert_int_equal(yb_utf8_check(buf, strlen(buf), NULL), YB_UTF8_OK);
}

static void test_log_field_cuts_between_characters(void **state)
{
    char buf[64];

    (void)state;
    /* at most max bytes: the character that would pass it is left out */
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "ab医保卡", 7, false), "ab医...");
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "ab医保卡", 8, false), "ab医保...");
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "ab医保卡", 11, false), "ab医保卡");
    /* a small buffer ends the field early, never inside a character */
    assert_string_equal(yb_text_log_field(buf, 12, "医保卡医保卡", 300, false),
                        "医保...");
    assert_string_equal(yb_text_log_field(buf, 8, "abcdefghij", 300, false),
                        "abcd...");
    assert_string_equal(yb_text_log_field(buf, 3, "abc", 300, false), "");
}

static void test_log_field_escapes_what_is_not_text(void **state)
{
    char buf[64];

    (void)state;
    /* bytes that start no character (an overlong form, a stray
     * continuation, a sequence cut off at the end) are escaped one by
     * one: the line stays UTF-8 */
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "a\xC0\xAF张\xE4\xB8", 300, false),
        "a\\xc0\\xaf张\\xe4\\xb8");
    assert_int_equal(yb_utf8_check(buf, strlen(buf), NULL), YB_UTF8_OK);
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "\x80\xFF", 300, false),
        "\\x80\\xff");
    /* control characters, DEL and a backslash; spaces when asked */
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "x y\n\\z\x7F", 300, true),
        "x\\x20y\\x0a\\\\z\\x7f");
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "x y\n\\z\x7F", 300, false),
        "x y\\x0a\\\\z\\x7f");
    /* an escape counts as the one byte of s it stands for */
    assert_string_equal(
        yb_text_log_field(buf, sizeof buf, "\x01\x02\x03", 2, false),
        "\\x01\\x02...");
}

static void test_mask_ids_masks_id_numbers_only(void **state)
{
    char out[128];

    (void)state;
    assert_string_equal(
        yb_mask_ids("certno 530102198605120813 and 11010519491231002X.", out,
                    sizeof out),
        "certno 530102********0813 and 110105********002X.");
    /* a receipt number's 18 digits have no birth date: not an ID */
    assert_string_equal(yb_mask_ids("SW530100201700000001", out, sizeof out),
                        "SW530100201700000001");
    /* 19 digits and 17 digits are not ID numbers */
    assert_string_equal(
        yb_mask_ids("5301021986051208139 53010219860512081", out, sizeof out),
        "5301021986051208139 53010219860512081");
    /* cut short: never inside a character */
    assert_string_equal(yb_mask_ids("医保530102198605120813", out, 5), "医");
    assert_string_equal(yb_mask_ids("ab医保", out, 6), "ab医");
}

static void test_err_set_never_cuts_a_character(void **state)
{
    struct yb_err e;
    char field[301], msg[301];

    (void)state;
    /* 100 three-byte characters: more than either buffer holds */
    for (int i = 0; i < 100; i++) {
        memcpy(field + 3 * i, "医", 3);
        memcpy(msg + 3 * i, "保", 3);
    }
    field[300] = '\0';
    msg[300] = '\0';
    yb_err_set(&e, YB_EINVAL, field, "%s%s", "a", msg);
    assert_int_equal(yb_utf8_check(e.field, strlen(e.field), NULL), YB_UTF8_OK);
    assert_int_equal(yb_utf8_check(e.msg, strlen(e.msg), NULL), YB_UTF8_OK);
    assert_int_equal(strlen(e.field), 126); /* 42 characters of 127 bytes */
    assert_int_equal(strlen(e.msg), 253);   /* "a" and 84 characters */
    /* a prefix that overflows the path is cut the same way */
    strcpy(e.field, "x");
    yb_err_prefix(&e, field);
    assert_int_equal(yb_utf8_check(e.field, strlen(e.field), NULL), YB_UTF8_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_check_finds_each_fault_at_its_byte),
        cmocka_unit_test(test_utf8_check_accepts_every_valid_edge),
        cmocka_unit_test(test_utf8_describe_is_chinese_first),
        cmocka_unit_test(test_utf8_cut_and_trim_keep_whole_characters),
        cmocka_unit_test(test_utf8_scrub_leaves_valid_utf8),
        cmocka_unit_test(test_text_quote_escapes_and_cuts_at_a_character),
        cmocka_unit_test(test_log_field_cuts_between_characters),
        cmocka_unit_test(test_log_field_escapes_what_is_not_text),
        cmocka_unit_test(test_mask_ids_masks_id_numbers_only),
        cmocka_unit_test(test_err_set_never_cuts_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
