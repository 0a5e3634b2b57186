/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for events and the audit chain (src/service/event.c): an
 * event writes its row and a chained audit row; the first hash equals the
 * documented recipe computed by b2sum; the chain verifies; a changed row
 * is found at that row, a deleted one at the row after it, and a row whose
 * hash was recomputed by the tamperer at the next row; events need a
 * transaction and well-formed arguments; a rollback leaves no audit row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "store_fixture.h"
#include "yibao/event.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"
/* printf '64:<ZEROS>1:17:clerk0120:contribution.payment10:R2024-0001'\
 *        '19:2024-01-15 10:00:00' | b2sum -l 256 */
#define FIRST_HASH                                                             \
    "a9b43e0aca67a2ab01d6e5505ceb20f8a630c51a24b4d77710de1a9be1ec6649"

static struct fx_db *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    return d;
}

/* Three events in one transaction each. */
static void three_events(yb_store *s)
{
    static const char *const refs[] = {"R2024-0001", "R2024-0002",
                                       "R2024-0003"};
    struct yb_err e;

    for (int i = 0; i < 3; i++) {
        int64_t id = 0;

        assert_int_equal(yb_store_begin(s, &e), YB_OK);
        assert_int_equal(yb_event_open(s, "contribution.payment", refs[i],
                                       "clerk01", "2024-01-15 10:00:00", &id,
                                       &e),
                         YB_OK);
        assert_int_equal(id, i + 1);
        assert_int_equal(yb_store_commit(s, &e), YB_OK);
    }
}

static void
test_event_open_writes_the_event_and_a_chained_audit_row(void **state)
{
    struct fx_db *d = open_db(state);
    int64_t bad = -1, rows = -1;
    char buf[80], prev2[80];
    struct yb_err e;

    three_events(d->s);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 3);
    assert_string_equal(
        fx_text(d->s, "SELECT ref FROM event WHERE id = 2", buf, sizeof buf),
        "R2024-0002");
    assert_string_equal(fx_text(d->s,
                                "SELECT prev_hash FROM audit "
                                "WHERE id = 1",
                                buf, sizeof buf),
                        ZEROS);
    assert_string_equal(
        fx_text(d->s, "SELECT hash FROM audit WHERE id = 1", buf, sizeof buf),
        FIRST_HASH);
    fx_text(d->s, "SELECT prev_hash FROM audit WHERE id = 2", prev2,
            sizeof prev2);
    assert_string_equal(prev2, FIRST_HASH);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit WHERE "
                                  "event_id = 3 AND action = "
                                  "'contribution.payment' AND detail = "
                                  "'R2024-0003' AND actor = 'clerk01'"),
                     1);
    assert_int_equal(yb_audit_verify(d->s, &bad, &rows, &e), YB_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, 3);
}

static void test_audit_verify_of_an_empty_chain(void **state)
{
    struct fx_db *d = open_db(state);
    int64_t bad = -1, rows = -1;
    struct yb_err e;

    assert_int_equal(yb_audit_verify(d->s, &bad, &rows, &e), YB_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, 0);
}

static void test_audit_changed_row_is_found_at_that_row(void **state)
{
    struct fx_db *d = open_db(state);
    int64_t bad = 0, rows = 0;
    struct yb_err e;

    three_events(d->s);
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE audit SET detail = 'R2024-9999' "
                                   "WHERE id = 2",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_audit_verify(d->s, &bad, &rows, &e), YB_EINVARIANT);
    assert_int_equal(bad, 2);
    assert_int_equal(rows, 2);
    assert_string_equal(e.msg, "审计记录 2 存储的哈希与内容不符 (stored hash "
                               "does not match its contents)");
}

static void test_audit_changed_time_is_found(void **state)
{
    struct fx_db *d = open_db(state);
    int64_t bad = 0;
    struct yb_err e;

    three_events(d->s);
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE audit SET at = '2024-01-15 "
                                   "10:00:01' WHERE id = 3",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_audit_verify(d->s, &bad, NULL, &e), YB_EINVARIANT);
    assert_int_equal(bad, 3);
}

static void test_audit_deleted_row_is_found_at_the_next_row(void **state)
{
    struct fx_db *d = open_db(state);
    int64_t bad = 0;
    struct yb_err e;

    three_events(d->s);
    assert_int_equal(yb_store_exec(d->s, "DELETE FROM audit WHERE id = 2", &e),
                     YB_OK);
    assert_int_equal(yb_audit_verify(d->s, &bad, NULL, &e), YB_EINVARIANT);
    assert_int_equal(bad, 3);
    assert_string_equal(e.msg, "审计记录 3 的 prev_hash 与上一行的哈希不符 "
                               "(prev_hash does not match the row before)");
}

/* The documented recipe, computed here independently of event.c. */
static void recipe(const char *const fields[6], char *hex)
{
    crypto_generichash_state st;
    unsigned char out[32];

    crypto_generichash_init(&st, NULL, 0, 32);
    for (int i = 0; i < 6; i++) {
        char len[24];

        snprintf(len, sizeof len, "%zu:", strlen(fields[i]));
        crypto_generichash_update(&st, (const unsigned char *)len, strlen(len));
        crypto_generichash_update(&st, (const unsigned char *)fields[i],
                                  strlen(fields[i]));
    }
    crypto_generichash_final(&st, out, 32);
    sodium_bin2hex(hex, 65, out, 32);
}

static void test_audit_rehashed_row_is_found_at_the_next_row(void **state)
{
    struct fx_db *d = open_db(state);
    char prev[80], hex[65], sql[256];
    int64_t bad = 0;
    struct yb_err e;

    three_events(d->s);
    fx_text(d->s, "SELECT prev_hash FROM audit WHERE id = 2", prev,
            sizeof prev);
    /* the tamperer changes row 2 and gives it a correct hash ... */
    const char *const fields[6] = {prev,         "2",
                                   "clerk01",    "contribution.payment",
                                   "R2024-9999", "2024-01-15 10:00:00"};
    recipe(fields, hex);
    snprintf(sql, sizeof sql,
             "UPDATE audit SET detail = 'R2024-9999', hash = '%s' "
             "WHERE id = 2",
             hex);
    assert_int_equal(yb_store_exec(d->s, sql, &e), YB_OK);
    /* ... but row 3 still links to the old one */
    assert_int_equal(yb_audit_verify(d->s, &bad, NULL, &e), YB_EINVARIANT);
    assert_int_equal(bad, 3);
}

static void test_audit_append_without_an_event(void **state)
{
    struct fx_db *d = open_db(state);
    int64_t bad = -1, rows = 0;
    struct yb_err e;

    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_audit_append(d->s, 0, "admin", "export", NULL,
                                     "2024-02-01 08:30:00", &e),
                     YB_OK);
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    three_events(d->s);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit "
                                  "WHERE event_id IS NULL AND detail = ''"),
                     1);
    assert_int_equal(yb_audit_verify(d->s, &bad, &rows, &e), YB_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, 4);
}

static void test_event_needs_a_transaction_and_good_arguments(void **state)
{
    struct fx_db *d = open_db(state);
    const char *t = "2024-01-15 10:00:00";
    int64_t id = 7;
    struct yb_err e;

    assert_int_equal(yb_event_open(d->s, "k", NULL, "a", t, &id, &e),
                     YB_EINVAL);
    assert_string_equal(
        e.msg,
        "业务事件只能在事务中写入 (events are written inside a transaction)");
    assert_int_equal(id, 0);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_event_open(d->s, "", NULL, "a", t, &id, &e), YB_EINVAL);
    assert_string_equal(e.field, "event.kind");
    assert_int_equal(yb_event_open(d->s, "k", NULL, NULL, t, &id, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "event.actor");
    assert_int_equal(
        yb_event_open(d->s, "k", NULL, "a", "2024-02-30 10:00:00", &id, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "event.at");
    assert_int_equal(yb_event_open(d->s, "k", NULL, "a", "2024-02-01", &id, &e),
                     YB_EINVAL);
    assert_int_equal(yb_audit_append(d->s, -1, "a", "k", NULL, t, &e),
                     YB_EINVAL);
    assert_int_equal(yb_event_open(d->s, "k", NULL, "a", t, &id, &e), YB_OK);
    assert_int_equal(id, 1);
    yb_store_rollback(d->s);
}

static void test_event_rollback_leaves_no_audit_row(void **state)
{
    struct fx_db *d = open_db(state);
    int64_t id = 0, bad = -1, rows = -1;
    struct yb_err e;

    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_event_open(d->s, "settlement", "S1", "his",
                                   "2024-03-01 09:00:00", &id, &e),
                     YB_OK);
    yb_store_rollback(d->s);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 0);
    assert_int_equal(yb_audit_verify(d->s, &bad, &rows, &e), YB_OK);
    assert_int_equal(rows, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_event_open_writes_the_event_and_a_chained_audit_row),
        T(test_audit_verify_of_an_empty_chain),
        T(test_audit_changed_row_is_found_at_that_row),
        T(test_audit_changed_time_is_found),
        T(test_audit_deleted_row_is_found_at_the_next_row),
        T(test_audit_rehashed_row_is_found_at_the_next_row),
        T(test_audit_append_without_an_event),
        T(test_event_needs_a_transaction_and_good_arguments),
        T(test_event_rollback_leaves_no_audit_row),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
