/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for arena.c: alignment, chunk growth, large allocations in
 * their own chunks, reset keeping the first standard chunk, the string
 * helpers, and allocation failure through the fail_after hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/arena.h"

static void test_arena_init_picks_a_default_chunk_size(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(a.chunk_size, 64 * 1024);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    assert_int_equal(a.fail_after, -1);
    yb_arena_init(&a, 4096);
    assert_int_equal(a.chunk_size, 4096);
}

static void test_arena_alloc_aligns_every_pointer_to_16(void **state)
{
    static const size_t sizes[] = {1, 3, 16, 17, 5, 33, 64, 7, 100, 2};
    struct yb_arena a;
    unsigned char *p[10];

    (void)state;
    yb_arena_init(&a, 256);
    for (size_t i = 0; i < 10; i++) {
        p[i] = yb_arena_alloc(&a, sizes[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        memset(p[i], (int)i, sizes[i]);
    }
    /* No allocation overwrote another. */
    for (size_t i = 0; i < 10; i++)
        for (size_t j = 0; j < sizes[i]; j++)
            assert_int_equal(p[i][j], i);
    yb_arena_free(&a);
}

static void test_arena_alloc_packs_small_allocations_in_one_chunk(void **state)
{
    struct yb_arena a;
    char *p, *q;

    (void)state;
    yb_arena_init(&a, 1024);
    p = yb_arena_alloc(&a, 1);
    q = yb_arena_alloc(&a, 20);
    assert_ptr_equal(q, p + 16);
    assert_ptr_equal(yb_arena_alloc(&a, 16), q + 32);
    yb_arena_free(&a);
}

static void test_arena_total_counts_requested_bytes(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 128);
    yb_arena_alloc(&a, 3);
    yb_arena_alloc(&a, 17);
    yb_arena_alloc(&a, 1000);
    assert_int_equal(a.total, 1020);
    yb_arena_reset(&a);
    assert_int_equal(a.total, 0);
    yb_arena_free(&a);
}

static void test_arena_zero_size_allocations_are_distinct(void **state)
{
    struct yb_arena a;
    void *p, *q;

    (void)state;
    yb_arena_init(&a, 128);
    p = yb_arena_alloc(&a, 0);
    q = yb_arena_alloc(&a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    yb_arena_free(&a);
}

static void test_arena_starts_a_new_chunk_when_full(void **state)
{
    struct yb_arena a;
    struct yb_arena_chunk *first;

    (void)state;
    yb_arena_init(&a, 64);
    assert_non_null(yb_arena_alloc(&a, 16));
    first = a.head;
    for (int i = 0; i < 3; i++)
        assert_non_null(yb_arena_alloc(&a, 16));
    assert_ptr_equal(a.head, first); /* 4 x 16 fill 64 exactly */
    assert_non_null(yb_arena_alloc(&a, 16));
    assert_ptr_not_equal(a.head, first);
    yb_arena_free(&a);
}

static void test_arena_large_allocation_gets_its_own_chunk(void **state)
{
    struct yb_arena a;
    struct yb_arena_chunk *head;
    char *small, *big, *next;

    (void)state;
    yb_arena_init(&a, 1024);
    small = yb_arena_alloc(&a, 16);
    head = a.head;
    big = yb_arena_alloc(&a, 257); /* above a quarter of a chunk */
    assert_non_null(big);
    assert_int_equal((uintptr_t)big % 16, 0);
    memset(big, 'b', 257);
    /* The head chunk stays current: small allocations continue in it. */
    assert_ptr_equal(a.head, head);
    next = yb_arena_alloc(&a, 16);
    assert_ptr_equal(next, small + 16);
    yb_arena_free(&a);
}

static void test_arena_allocation_larger_than_a_chunk_succeeds(void **state)
{
    struct yb_arena a;
    unsigned char *big, *small;

    (void)state;
    yb_arena_init(&a, 64);
    big = yb_arena_alloc(&a, 100000);
    assert_non_null(big);
    memset(big, 0xAB, 100000);
    small = yb_arena_alloc(&a, 8);
    assert_non_null(small);
    memset(small, 0, 8);
    assert_int_equal(big[99999], 0xAB);
    yb_arena_free(&a);
}

static void test_arena_alloc_refuses_impossible_sizes(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 64);
    assert_null(yb_arena_alloc(&a, SIZE_MAX));
    assert_null(yb_arena_alloc(&a, SIZE_MAX - 8));
    assert_null(yb_arena_calloc(&a, SIZE_MAX / 2 + 1, 2));
    assert_null(yb_arena_calloc(&a, 2, SIZE_MAX / 2 + 1));
    assert_non_null(yb_arena_alloc(&a, 8)); /* still usable */
    yb_arena_free(&a);
}

static void test_arena_calloc_returns_zeroed_memory(void **state)
{
    struct yb_arena a;
    unsigned char *p;

    (void)state;
    yb_arena_init(&a, 256);
    /* Dirty the chunk, rewind it, and calloc over the same bytes. */
    p = yb_arena_alloc(&a, 200);
    memset(p, 0xFF, 200);
    yb_arena_reset(&a);
    p = yb_arena_calloc(&a, 25, 8);
    assert_non_null(p);
    for (int i = 0; i < 200; i++)
        assert_int_equal(p[i], 0);
    yb_arena_free(&a);
}

static void test_arena_reset_keeps_and_rewinds_the_first_chunk(void **state)
{
    struct yb_arena a;
    struct yb_arena_chunk *first;
    void *p;

    (void)state;
    yb_arena_init(&a, 64);
    p = yb_arena_alloc(&a, 16);
    first = a.head;
    for (int i = 0; i < 20; i++)
        yb_arena_alloc(&a, 16);
    yb_arena_alloc(&a, 5000);
    assert_ptr_not_equal(a.head, first);
    yb_arena_reset(&a);
    assert_ptr_equal(a.head, first);
    assert_int_equal(a.total, 0);
    assert_ptr_equal(yb_arena_alloc(&a, 16), p);
    yb_arena_free(&a);
}

static void test_arena_reset_frees_a_first_large_chunk(void **state)
{
    struct yb_arena a;
    struct yb_arena_chunk *standard;
    void *p;

    (void)state;
    yb_arena_init(&a, 64);
    assert_non_null(yb_arena_alloc(&a, 1000)); /* own chunk, first */
    p = yb_arena_alloc(&a, 8);
    standard = a.head;
    yb_arena_reset(&a);
    assert_ptr_equal(a.head, standard);
    assert_ptr_equal(yb_arena_alloc(&a, 8), p);
    yb_arena_free(&a);
}

static void test_arena_reset_of_large_only_arena_leaves_it_empty(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 64);
    assert_non_null(yb_arena_alloc(&a, 1000));
    yb_arena_reset(&a);
    assert_null(a.head);
    assert_non_null(yb_arena_alloc(&a, 8));
    yb_arena_free(&a);
}

static void test_arena_strdup_copies_the_string(void **state)
{
    struct yb_arena a;
    const char src[] = "城乡居民 basic";
    char *s;

    (void)state;
    yb_arena_init(&a, 0);
    s = yb_arena_strdup(&a, src);
    assert_string_equal(s, src);
    assert_ptr_not_equal(s, src);
    assert_string_equal(yb_arena_strdup(&a, ""), "");
    assert_null(yb_arena_strdup(&a, NULL));
    yb_arena_free(&a);
}

static void test_arena_strndup_stops_at_n_or_at_the_end(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 0);
    assert_string_equal(yb_arena_strndup(&a, "390100xyz", 6), "390100");
    assert_string_equal(yb_arena_strndup(&a, "abc", 10), "abc");
    assert_string_equal(yb_arena_strndup(&a, "abc", 0), "");
    /* Not NUL-terminated within n: reads only n bytes. */
    assert_string_equal(yb_arena_strndup(&a, (const char[]){'a', 'b'}, 2),
                        "ab");
    yb_arena_free(&a);
}

static void test_arena_printf_formats_into_the_arena(void **state)
{
    struct yb_arena a;
    char *s;
    char big[3000];

    (void)state;
    yb_arena_init(&a, 64);
    assert_string_equal(yb_arena_printf(&a, "fee line %d: %s", 3, "cnt"),
                        "fee line 3: cnt");
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    s = yb_arena_printf(&a, "<%s>", big);
    assert_non_null(s);
    assert_int_equal(strlen(s), sizeof big + 1);
    assert_int_equal(s[0], '<');
    assert_int_equal(s[sizeof big], '>');
    yb_arena_free(&a);
}

static void test_arena_fail_after_lets_n_allocations_succeed(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 64);
    a.fail_after = 2;
    assert_non_null(yb_arena_alloc(&a, 8));
    assert_non_null(yb_arena_alloc(&a, 8));
    assert_null(yb_arena_alloc(&a, 8));
    assert_null(yb_arena_alloc(&a, 8)); /* stays failing */
    assert_int_equal(a.fail_after, 0);
    assert_int_equal(a.total, 16);
    a.fail_after = -1;
    assert_non_null(yb_arena_alloc(&a, 8));
    yb_arena_free(&a);
}

static void test_arena_fail_after_zero_fails_every_helper(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 64);
    a.fail_after = 0;
    assert_null(yb_arena_alloc(&a, 1));
    assert_null(yb_arena_calloc(&a, 1, 1));
    assert_null(yb_arena_strdup(&a, "x"));
    assert_null(yb_arena_strndup(&a, "xy", 1));
    assert_null(yb_arena_printf(&a, "%d", 1));
    assert_null(a.head); /* nothing was allocated */
    yb_arena_free(&a);
}

static void test_arena_fail_after_counts_each_helper_once(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_init(&a, 64);
    a.fail_after = 3;
    assert_non_null(yb_arena_printf(&a, "%s-%d", "a", 1));
    assert_int_equal(a.fail_after, 2);
    assert_non_null(yb_arena_strdup(&a, "b"));
    assert_non_null(yb_arena_calloc(&a, 2, 2));
    assert_int_equal(a.fail_after, 0);
    assert_null(yb_arena_strdup(&a, "c"));
    yb_arena_free(&a);
}

static void test_arena_free_accepts_null_and_allows_reuse(void **state)
{
    struct yb_arena a;

    (void)state;
    yb_arena_free(NULL);
    yb_arena_init(&a, 64);
    yb_arena_alloc(&a, 100);
    yb_arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    yb_arena_free(&a); /* twice is harmless */
    yb_arena_init(&a, 64);
    assert_non_null(yb_arena_alloc(&a, 8));
    yb_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_init_picks_a_default_chunk_size),
        cmocka_unit_test(test_arena_alloc_aligns_every_pointer_to_16),
        cmocka_unit_test(test_arena_alloc_packs_small_allocations_in_one_chunk),
        cmocka_unit_test(test_arena_total_counts_requested_bytes),
        cmocka_unit_test(test_arena_zero_size_allocations_are_distinct),
        cmocka_unit_test(test_arena_starts_a_new_chunk_when_full),
        cmocka_unit_test(test_arena_large_allocation_gets_its_own_chunk),
        cmocka_unit_test(test_arena_allocation_larger_than_a_chunk_succeeds),
        cmocka_unit_test(test_arena_alloc_refuses_impossible_sizes),
        cmocka_unit_test(test_arena_calloc_returns_zeroed_memory),
        cmocka_unit_test(test_arena_reset_keeps_and_rewinds_the_first_chunk),
        cmocka_unit_test(test_arena_reset_frees_a_first_large_chunk),
        cmocka_unit_test(test_arena_reset_of_large_only_arena_leaves_it_empty),
        cmocka_unit_test(test_arena_strdup_copies_the_string),
        cmocka_unit_test(test_arena_strndup_stops_at_n_or_at_the_end),
        cmocka_unit_test(test_arena_printf_formats_into_the_arena),
        cmocka_unit_test(test_arena_fail_after_lets_n_allocations_succeed),
        cmocka_unit_test(test_arena_fail_after_zero_fails_every_helper),
        cmocka_unit_test(test_arena_fail_after_counts_each_helper_once),
        cmocka_unit_test(test_arena_free_accepts_null_and_allows_reuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
