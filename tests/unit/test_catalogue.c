/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the catalogue index: versions chosen by fee date,
 * overlapping versions refused, look-ups in a large generated catalogue.
 */
#include "engine_fixture.h"

static struct yb_catalogue_entry version(const char *code, const char *from,
                                         const char *to, int lv)
{
    struct yb_catalogue_entry x = fx_entry(code, "101", lv, -1);
    x.valid_from = fx_date(from);
    x.valid_to = to ? fx_date(to) : INT32_MAX;
    return x;
}

static void test_catalogue_finds_the_version_valid_on_the_fee_date(void **state)
{
    (void)state;
    struct yb_catalogue_entry x[] = {
        version("XA01", "2020-01-01", "2022-12-31", 2),
        version("XB02", "2020-01-01", NULL, 1),
        version("XA01", "2023-01-01", NULL, 1),
    };
    struct yb_catalogue c;
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(&c, x, 3, &e), YB_OK);
    assert_ptr_equal(yb_catalogue_find(&c, "XA01", fx_date("2022-12-31")),
                     &x[0]);
    assert_ptr_equal(yb_catalogue_find(&c, "XA01", fx_date("2023-01-01")),
                     &x[2]);
    assert_null(yb_catalogue_find(&c, "XA01", fx_date("2019-12-31")));
    assert_true(yb_catalogue_has(&c, "XA01"));
    assert_false(yb_catalogue_has(&c, "XA0"));
    assert_null(yb_catalogue_find(&c, "XA011", fx_date("2023-01-01")));
    yb_catalogue_free(&c);
}

static void test_catalogue_refuses_overlapping_versions(void **state)
{
    (void)state;
    struct yb_catalogue_entry x[] = {
        version("XA01", "2020-01-01", "2023-01-01", 2),
        version("XA01", "2023-01-01", NULL, 1),
    };
    struct yb_catalogue c;
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(&c, x, 2, &e), YB_EINVAL);
    assert_non_null(strstr(e.msg, "XA01"));
    assert_non_null(strstr(e.msg, "overlap"));
    assert_null(c.slots);
}

static void
test_catalogue_refuses_a_version_ending_before_it_starts(void **state)
{
    (void)state;
    struct yb_catalogue_entry x[] = {
        version("XA01", "2021-01-01", "2020-01-01", 1)};
    struct yb_catalogue c;
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(&c, x, 1, &e), YB_EINVAL);
    assert_non_null(strstr(e.msg, "ends before it starts"));
}

static void test_catalogue_indexes_fifty_thousand_codes(void **state)
{
    (void)state;
    enum { N = 50000 };
    static char codes[N][24];
    static struct yb_catalogue_entry x[N];
    for (int i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "XA%05dB%05dC0101%05d", i,
                 (i * 7919) % N, i);
        x[i] = version(codes[i], "2020-01-01", NULL, 1 + i % 3);
    }
    struct yb_catalogue c;
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(&c, x, N, &e), YB_OK);
    for (int i = 0; i < N; i++)
        assert_ptr_equal(yb_catalogue_find(&c, codes[i], fx_date("2024-06-01")),
                         &x[i]);
    assert_int_equal(c.n_slots, 131072);
    yb_catalogue_free(&c);
}

static void test_catalogue_empty_finds_nothing(void **state)
{
    (void)state;
    struct yb_catalogue c;
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(&c, NULL, 0, &e), YB_OK);
    assert_null(yb_catalogue_find(&c, "X", fx_date("2024-01-01")));
    assert_false(yb_catalogue_has(&c, "X"));
    yb_catalogue_free(&c);
    yb_catalogue_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_catalogue_finds_the_version_valid_on_the_fee_date),
        cmocka_unit_test(test_catalogue_refuses_overlapping_versions),
        cmocka_unit_test(
            test_catalogue_refuses_a_version_ending_before_it_starts),
        cmocka_unit_test(test_catalogue_indexes_fifty_thousand_codes),
        cmocka_unit_test(test_catalogue_empty_finds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
