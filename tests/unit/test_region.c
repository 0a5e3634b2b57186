/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for region.c: the province prefixes (every one of the 100
 * two-digit prefixes is checked against the list in region.h), the PP00XX
 * rule, levels, parents, and the containment relations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/region.h"

static void test_region_valid_knows_exactly_the_province_prefixes(void **state)
{
    /* region.h: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82 */
    static const int provinces[] = {
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
        43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
    char code[7];
    int known = 0;

    (void)state;
    for (int pp = 0; pp < 100; pp++) {
        bool want = false;

        for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
            want = want || provinces[i] == pp;
        snprintf(code, sizeof code, "%02d0000", pp);
        assert_int_equal(yb_region_valid(code), want);
        snprintf(code, sizeof code, "%02d0101", pp);
        assert_int_equal(yb_region_valid(code), want);
        known += want;
    }
    assert_int_equal(known, 34);
}

static void test_region_valid_refuses_a_county_without_prefecture(void **state)
{
    (void)state;
    assert_false(yb_region_valid("110001"));
    assert_false(yb_region_valid("440099"));
    assert_true(yb_region_valid("440000"));
    assert_true(yb_region_valid("469001")); /* directly administered county */
}

static void test_region_valid_refuses_anything_but_six_digits(void **state)
{
    (void)state;
    assert_false(yb_region_valid("11010"));
    assert_false(yb_region_valid("1101050"));
    assert_false(yb_region_valid("11010a"));
    assert_false(yb_region_valid(" 11010"));
    assert_false(yb_region_valid("-11010"));
    assert_false(yb_region_valid(""));
    assert_false(yb_region_valid(NULL));
    assert_true(yb_region_valid("110105"));
}

static void test_region_level_reads_the_zero_pairs(void **state)
{
    (void)state;
    assert_int_equal(yb_region_level("110000"), YB_REGION_PROVINCE);
    assert_int_equal(yb_region_level("110100"), YB_REGION_CITY);
    assert_int_equal(yb_region_level("110105"), YB_REGION_COUNTY);
    assert_int_equal(yb_region_level("650102"), YB_REGION_COUNTY);
    assert_int_equal(yb_region_level("110001"), YB_REGION_INVALID);
    assert_int_equal(yb_region_level("000000"), YB_REGION_INVALID);
    assert_int_equal(yb_region_level(NULL), YB_REGION_INVALID);
}

static void test_region_parent_climbs_one_level(void **state)
{
    char out[7];

    (void)state;
    assert_true(yb_region_parent("110105", out));
    assert_string_equal(out, "110100");
    assert_true(yb_region_parent("110100", out));
    assert_string_equal(out, "110000");
    assert_true(yb_region_parent("469001", out));
    assert_string_equal(out, "469000");
}

static void test_region_parent_of_a_province_or_invalid_is_none(void **state)
{
    char out[7] = "xxxxxx";

    (void)state;
    assert_false(yb_region_parent("110000", out));
    assert_false(yb_region_parent("110001", out));
    assert_false(yb_region_parent("abc", out));
    assert_string_equal(out, "xxxxxx");
}

static void test_region_same_province_compares_prefixes(void **state)
{
    (void)state;
    assert_true(yb_region_same_province("110105", "110000"));
    assert_true(yb_region_same_province("440305", "440103"));
    assert_false(yb_region_same_province("110105", "120101"));
    assert_false(yb_region_same_province("110105", "110001"));
    assert_false(yb_region_same_province("000000", "000000"));
    assert_false(yb_region_same_province(NULL, "110000"));
}

static void test_region_contains_itself_and_its_descendants(void **state)
{
    (void)state;
    assert_true(yb_region_contains("110000", "110000"));
    assert_true(yb_region_contains("110000", "110100"));
    assert_true(yb_region_contains("110000", "110105"));
    assert_true(yb_region_contains("110100", "110100"));
    assert_true(yb_region_contains("110100", "110105"));
    assert_true(yb_region_contains("110105", "110105"));
}

static void test_region_contains_nothing_outside_its_tree(void **state)
{
    (void)state;
    assert_false(yb_region_contains("110100", "110201"));
    assert_false(yb_region_contains("110100", "110000"));
    assert_false(yb_region_contains("110105", "110100"));
    assert_false(yb_region_contains("110105", "110106"));
    assert_false(yb_region_contains("110000", "120000"));
    assert_false(yb_region_contains("110000", "110001"));
    assert_false(yb_region_contains("000000", "000000"));
    assert_false(yb_region_contains(NULL, "110000"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_valid_knows_exactly_the_province_prefixes),
        cmocka_unit_test(test_region_valid_refuses_a_county_without_prefecture),
        cmocka_unit_test(test_region_valid_refuses_anything_but_six_digits),
        cmocka_unit_test(test_region_level_reads_the_zero_pairs),
        cmocka_unit_test(test_region_parent_climbs_one_level),
        cmocka_unit_test(test_region_parent_of_a_province_or_invalid_is_none),
        cmocka_unit_test(test_region_same_province_compares_prefixes),
        cmocka_unit_test(test_region_contains_itself_and_its_descendants),
        cmocka_unit_test(test_region_contains_nothing_outside_its_tree),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
