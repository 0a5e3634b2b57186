/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for err.c: names and messages generated from the X-macro
 * table, the stability of the code numbers (they appear on the hospital
 * interface), and the filling, prefixing and truncation of struct yb_err.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/err.h"

static void test_err_codes_keep_their_numbers(void **state)
{
    (void)state;
    assert_int_equal(YB_OK, 0);
    assert_int_equal(YB_ENOMEM, 1);
    assert_int_equal(YB_EINVAL, 2);
    assert_int_equal(YB_EOVERFLOW, 3);
    assert_int_equal(YB_EPARSE, 4);
    assert_int_equal(YB_ENOTFOUND, 5);
    assert_int_equal(YB_EPOLICY, 6);
    assert_int_equal(YB_EIO, 7);
    assert_int_equal(YB_ENOTCOVERED, 8);
    assert_int_equal(YB_EINVARIANT, 9);
}

static void test_err_name_is_the_code_name(void **state)
{
    (void)state;
    assert_string_equal(yb_err_name(YB_OK), "OK");
    assert_string_equal(yb_err_name(YB_ENOMEM), "ENOMEM");
    assert_string_equal(yb_err_name(YB_EINVAL), "EINVAL");
    assert_string_equal(yb_err_name(YB_ENOTCOVERED), "ENOTCOVERED");
    assert_string_equal(yb_err_name(YB_EINVARIANT), "EINVARIANT");
}

static void test_err_name_of_unknown_code_is_not_null(void **state)
{
    (void)state;
    assert_string_equal(yb_err_name(999), "EUNKNOWN");
    assert_string_equal(yb_err_name(100), "EUNKNOWN");
    assert_string_equal(yb_err_name(-1), "EUNKNOWN");
}

static void test_err_messages_come_from_the_table(void **state)
{
    (void)state;
    assert_string_equal(yb_err_zh(YB_OK), "成功");
    assert_string_equal(yb_err_zh(YB_EOVERFLOW), "金额超出范围");
    assert_string_equal(yb_err_zh(YB_EINVARIANT), "结算结果校验失败");
    assert_string_equal(yb_err_en(YB_ENOMEM), "out of memory");
    assert_string_equal(yb_err_en(YB_EPARSE), "malformed document");
    assert_string_equal(yb_err_en(YB_ENOTCOVERED), "not covered by policy");
}

static void test_err_messages_of_unknown_code_are_not_null(void **state)
{
    (void)state;
    assert_string_equal(yb_err_zh(42), "未知错误");
    assert_string_equal(yb_err_en(42), "unknown error");
}

static void test_err_set_fills_code_field_and_message(void **state)
{
    struct yb_err e;

    (void)state;
    yb_err_clear(&e);
    assert_int_equal(yb_err_set(&e, YB_EINVAL, "feedetail[3].cnt",
                                "fee line %d: quantity %s is negative", 3,
                                "-2"),
                     YB_EINVAL);
    assert_int_equal(e.code, YB_EINVAL);
    assert_string_equal(e.field, "feedetail[3].cnt");
    assert_string_equal(e.msg, "fee line 3: quantity -2 is negative");
}

static void test_err_set_without_report_returns_the_code(void **state)
{
    (void)state;
    assert_int_equal(yb_err_set(NULL, YB_EPOLICY, "rate", "bad %d", 1),
                     YB_EPOLICY);
}

static void test_err_set_with_null_field_leaves_it_empty(void **state)
{
    struct yb_err e;

    (void)state;
    memset(&e, 'z', sizeof e);
    yb_err_set(&e, YB_EIO, NULL, "disk full");
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "disk full");
}

static void test_err_set_truncates_long_field_and_message(void **state)
{
    struct yb_err e;
    char longs[400];

    (void)state;
    memset(longs, 'a', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    yb_err_set(&e, YB_EINVAL, longs, "%s", longs);
    assert_int_equal(strlen(e.field), sizeof e.field - 1);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_int_equal(e.msg[0], 'a');
}

static void test_err_prefix_joins_with_a_dot(void **state)
{
    struct yb_err e;

    (void)state;
    yb_err_set(&e, YB_EPOLICY, "rate", "rate 105%% is above 100%%");
    assert_int_equal(yb_err_prefix(&e, "policy"), YB_EPOLICY);
    assert_string_equal(e.field, "policy.rate");
    assert_string_equal(e.msg, "rate 105% is above 100%");
}

static void test_err_prefix_nests_outwards(void **state)
{
    struct yb_err e;

    (void)state;
    yb_err_set(&e, YB_EPOLICY, "rate", "x");
    yb_err_prefix(&e, "band");
    yb_err_prefix(&e, "policy");
    assert_string_equal(e.field, "policy.band.rate");
}

static void test_err_prefix_attaches_an_index_without_a_dot(void **state)
{
    struct yb_err e;

    (void)state;
    yb_err_set(&e, YB_EINVAL, "[3].cnt", "x");
    yb_err_prefix(&e, "feedetail");
    assert_string_equal(e.field, "feedetail[3].cnt");
}

static void test_err_prefix_of_empty_field_is_the_prefix(void **state)
{
    struct yb_err e;

    (void)state;
    yb_err_set(&e, YB_EINVAL, "", "x");
    yb_err_prefix(&e, "policy");
    assert_string_equal(e.field, "policy");
    yb_err_prefix(&e, "");
    assert_string_equal(e.field, "policy");
    yb_err_prefix(&e, NULL);
    assert_string_equal(e.field, "policy");
}

static void test_err_prefix_truncates_at_the_field_size(void **state)
{
    struct yb_err e;
    char prefix[200];

    (void)state;
    memset(prefix, 'p', sizeof prefix - 1);
    prefix[sizeof prefix - 1] = '\0';
    yb_err_set(&e, YB_EINVAL, "rate", "x");
    yb_err_prefix(&e, prefix);
    assert_int_equal(strlen(e.field), sizeof e.field - 1);
    assert_int_equal(e.field[sizeof e.field - 2], 'p');

    /* A prefix that leaves room for part of the old field. */
    prefix[125] = '\0';
    yb_err_set(&e, YB_EINVAL, "rate", "x");
    yb_err_prefix(&e, prefix);
    assert_int_equal(strlen(e.field), sizeof e.field - 1);
    assert_string_equal(e.field + 125, ".r");
}

static void test_err_prefix_without_report_is_ok(void **state)
{
    (void)state;
    assert_int_equal(yb_err_prefix(NULL, "policy"), YB_OK);
}

static void test_err_clear_resets_to_ok(void **state)
{
    struct yb_err e;

    (void)state;
    yb_err_set(&e, YB_EIO, "file", "cannot read");
    yb_err_clear(&e);
    assert_int_equal(e.code, YB_OK);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "");
    yb_err_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_codes_keep_their_numbers),
        cmocka_unit_test(test_err_name_is_the_code_name),
        cmocka_unit_test(test_err_name_of_unknown_code_is_not_null),
        cmocka_unit_test(test_err_messages_come_from_the_table),
        cmocka_unit_test(test_err_messages_of_unknown_code_are_not_null),
        cmocka_unit_test(test_err_set_fills_code_field_and_message),
        cmocka_unit_test(test_err_set_without_report_returns_the_code),
        cmocka_unit_test(test_err_set_with_null_field_leaves_it_empty),
        cmocka_unit_test(test_err_set_truncates_long_field_and_message),
        cmocka_unit_test(test_err_prefix_joins_with_a_dot),
        cmocka_unit_test(test_err_prefix_nests_outwards),
        cmocka_unit_test(test_err_prefix_attaches_an_index_without_a_dot),
        cmocka_unit_test(test_err_prefix_of_empty_field_is_the_prefix),
        cmocka_unit_test(test_err_prefix_truncates_at_the_field_size),
        cmocka_unit_test(test_err_prefix_without_report_is_ok),
        cmocka_unit_test(test_err_clear_resets_to_ok),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
