/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the policy set (include/yibao/policyset.h) and the
 * structural diff of policies (yb_policy_diff in policy.h), on a real
 * SQLite file: importing the same text twice makes one version, with one
 * event and audit row; a refused text writes nothing; of two versions
 * whose validity overlaps the one imported later is in force on the days
 * it covers and the earlier on the others; a day outside every validity,
 * another region or another insurance type is refused with the message
 * naming region and day; the cache of parsed policies follows the set's
 * counter (a change to the table is seen at the next look-up, a parsed
 * policy is kept while its version is unchanged); a coverage year's
 * version is looked up on the event's day brought into the year; the
 * diff's lines are exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store_fixture.h"
#include "yibao/hospital.h"
#include "yibao/policyset.h"

/* A policy of region 530100 (insutype ins) for year, valid from..to, whose
 * one layer pays rate; name names it. Into buf. */
static const char *text_of(char *buf, size_t n, const char *name,
                           const char *ins, int year, const char *from,
                           const char *to, const char *rate)
{
    snprintf(buf, n,
             "{\"schema\": \"yibao.policy/1\", \"name\": \"%s\", "
             "\"region\": \"530100\", \"insutype\": \"%s\", \"year\": %d, "
             "\"valid_from\": \"%s\", \"valid_to\": \"%s\", "
             "\"benefits\": {\"layers\": [{\"id\": \"outpatient\", "
             "\"name\": \"普通门诊\", \"stage\": \"basic\", "
             "\"rates\": {\"rules\": [{\"rate\": \"%s\"}]}}]}}\n",
             name, ins, year, from, to, rate);
    return buf;
}

static yb_store *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    return d->s;
}

static const struct yb_actor who = {.name = "alice",
                                    .now = "2026-11-02 09:00:00"};

/* Import text, which must succeed; returns the version's id. */
static int64_t import(yb_store *s, const char *text, bool *existed)
{
    struct yb_arena a;
    struct yb_policy_version v;
    struct yb_err e = {0};
    bool ex = false;
    yb_arena_init(&a, 0);
    if (yb_policyset_import(s, &who, text, strlen(text), &a, &v, &ex, &e) !=
        YB_OK)
        fail_msg("import: %s: %s", e.field, e.msg);
    if (existed)
        *existed = ex;
    int64_t id = v.id;
    yb_arena_free(&a);
    return id;
}

static yb_date day(const char *s)
{
    yb_date d = 0;
    assert_int_equal(yb_date_parse(s, &d, "day", NULL), YB_OK);
    return d;
}

/* The id of the version in force for 530100/ins on d, or -code. */
static int64_t in_force(yb_store *s, const char *ins, const char *d,
                        struct yb_err *e)
{
    struct yb_arena a;
    struct yb_policy_version v;
    yb_arena_init(&a, 0);
    int rc = yb_policyset_in_force(s, "530100", ins, day(d), &a, &v, e);
    yb_arena_free(&a);
    return rc == YB_OK ? v.id : -rc;
}

static void test_policyset_import_twice_is_one_version(void **state)
{
    yb_store *s = open_db(state);
    char t[1024], digest[65], buf[128];
    struct yb_err e = {0};
    bool existed = true;
    text_of(t, sizeof t, "甲", "390", 2027, "2027-01-01", "2027-12-31", "70%");
    int64_t events = fx_int(s, "SELECT count(*) FROM event");
    int64_t audits = fx_int(s, "SELECT count(*) FROM audit");
    assert_int_equal(import(s, t, &existed), 1);
    assert_false(existed);
    assert_int_equal(import(s, t, &existed), 1);
    assert_true(existed);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM policy_version"), 1);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM event"), events + 1);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM audit"), audits + 1);
    /* the version as stored: the text exactly, its digest, who and when */
    struct yb_arena a;
    struct yb_policy_version v;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_policyset_get(s, 1, &a, &v, &e), YB_OK);
    assert_string_equal(v.body, t);
    assert_int_equal(v.body_len, strlen(t));
    yb_hash_hex(t, strlen(t), digest);
    assert_string_equal(v.digest, digest);
    assert_string_equal(v.region, "530100");
    assert_string_equal(v.insutype, "390");
    assert_int_equal(v.year, 2027);
    assert_int_equal(v.valid_from, day("2027-01-01"));
    assert_int_equal(v.valid_to, day("2027-12-31"));
    assert_string_equal(v.name, "甲");
    assert_string_equal(v.imported_by, "alice");
    assert_string_equal(v.imported_at, "2026-11-02 09:00:00");
    assert_int_equal(v.event_id, fx_int(s, "SELECT id FROM event WHERE kind = "
                                           "'policy.import'"));
    assert_string_equal(
        fx_text(s,
                "SELECT detail FROM audit WHERE action = 'policy.import' "
                "AND actor = 'alice'",
                buf, sizeof buf),
        digest);
    assert_int_equal(yb_policyset_get(s, 2, &a, &v, &e), YB_ENOTFOUND);
    assert_string_equal(e.field, "policy_version");
    assert_string_equal(e.msg, "政策版本 2 不存在 (no such policy version)");
    yb_arena_free(&a);
}

static void test_policyset_refuses_a_bad_text_writing_nothing(void **state)
{
    yb_store *s = open_db(state);
    char t[1024];
    struct yb_err e = {0};
    struct yb_arena a;
    struct yb_policy_version v;
    bool existed;
    int64_t events = fx_int(s, "SELECT count(*) FROM event");
    yb_arena_init(&a, 0);
    text_of(t, sizeof t, "甲", "390", 2027, "2027-01-01", "2027-12-31", "105%");
    assert_int_equal(
        yb_policyset_import(s, &who, t, strlen(t), &a, &v, &existed, &e),
        YB_EPOLICY);
    assert_string_equal(e.field, "benefits.layers[0].rates.rules[0].rate");
    text_of(t, sizeof t, "甲", "390", 2027, "2027-12-31", "2027-01-01", "70%");
    assert_int_equal(
        yb_policyset_import(s, &who, t, strlen(t), &a, &v, &existed, &e),
        YB_EPOLICY);
    assert_string_equal(e.field, "valid_to");
    /* a NUL inside, bytes that are not UTF-8 */
    text_of(t, sizeof t, "甲", "390", 2027, "2027-01-01", "2027-12-31", "70%");
    size_t n = strlen(t);
    t[n - 1] = '\0'; /* the newline */
    assert_int_equal(yb_policyset_import(s, &who, t, n, &a, &v, &existed, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "policy");
    assert_string_equal(e.msg, "政策文件不是 UTF-8 文本或含有 NUL 字符 (not "
                               "UTF-8 text)");
    text_of(t, sizeof t, "\xe7\x94", "390", 2027, "2027-01-01", "2027-12-31",
            "70%");
    assert_int_equal(
        yb_policyset_import(s, &who, t, strlen(t), &a, &v, &existed, &e),
        YB_EINVAL);
    text_of(t, sizeof t, "\xed\xa0\x80", "390", 2027, "2027-01-01",
            "2027-12-31", "70%"); /* a surrogate */
    assert_int_equal(
        yb_policyset_import(s, &who, t, strlen(t), &a, &v, &existed, &e),
        YB_EINVAL);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM policy_version"), 0);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM event"), events);
    assert_int_equal(fx_int(s, "SELECT value FROM meta WHERE key = "
                               "'policy_set_version'"),
                     0);
    /* four-byte UTF-8 is text */
    text_of(t, sizeof t, "\xf0\xa0\x80\x80", "390", 2027, "2027-01-01",
            "2027-12-31", "70%");
    assert_int_equal(
        yb_policyset_import(s, &who, t, strlen(t), &a, &v, &existed, &e),
        YB_OK);
    yb_arena_free(&a);
}

static void test_policyset_later_import_wins_on_the_days_it_covers(void **state)
{
    yb_store *s = open_db(state);
    char t[1024];
    struct yb_err e = {0};
    import(s,
           text_of(t, sizeof t, "A", "390", 2027, "2027-01-01", "2027-12-31",
                   "70%"),
           NULL);
    import(s,
           text_of(t, sizeof t, "B", "390", 2027, "2027-07-01", "2027-12-31",
                   "80%"),
           NULL);
    import(s,
           text_of(t, sizeof t, "R", "310", 2027, "2027-01-01", "2027-12-31",
                   "90%"),
           NULL);
    assert_int_equal(in_force(s, "390", "2027-01-01", &e), 1);
    assert_int_equal(in_force(s, "390", "2027-06-30", &e), 1);
    assert_int_equal(in_force(s, "390", "2027-07-01", &e), 2);
    assert_int_equal(in_force(s, "390", "2027-12-31", &e), 2);
    assert_int_equal(in_force(s, "310", "2027-07-01", &e), 3);
    /* a correction of the whole year, imported last, wins everywhere */
    import(s,
           text_of(t, sizeof t, "A2", "390", 2027, "2027-01-01", "2027-12-31",
                   "72%"),
           NULL);
    assert_int_equal(in_force(s, "390", "2027-06-30", &e), 4);
    assert_int_equal(in_force(s, "390", "2027-07-01", &e), 4);
    /* the versions, by region, insurance type, year and id */
    struct yb_arena a;
    struct yb_policy_version *v;
    size_t n;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_policyset_list(s, NULL, &a, &v, &n, &e), YB_OK);
    assert_int_equal(n, 4);
    assert_int_equal(v[0].id, 3);
    assert_int_equal(v[1].id, 1);
    assert_int_equal(v[3].id, 4);
    assert_null(v[0].body);
    struct yb_policyset_filter f = {.insutype = "390"};
    assert_int_equal(yb_policyset_list(s, &f, &a, &v, &n, &e), YB_OK);
    assert_int_equal(n, 3);
    f = (struct yb_policyset_filter){.region = "530100", .year = 2028};
    assert_int_equal(yb_policyset_list(s, &f, &a, &v, &n, &e), YB_OK);
    assert_int_equal(n, 0);
    assert_null(v);
    const char **r;
    assert_int_equal(yb_policyset_regions(s, &a, &r, &n, &e), YB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0], "530100");
    yb_arena_free(&a);
}

static void test_policyset_refuses_a_day_without_a_policy(void **state)
{
    yb_store *s = open_db(state);
    char t[1024];
    struct yb_err e = {0};
    import(s,
           text_of(t, sizeof t, "A", "390", 2027, "2027-01-01", "2027-12-31",
                   "70%"),
           NULL);
    assert_int_equal(in_force(s, "390", "2026-12-31", &e), -YB_ENOTCOVERED);
    assert_string_equal(e.field, "policy");
    assert_string_equal(e.msg, "统筹区 530100 在 2026-12-31 没有有效的待遇政策 "
                               "(no policy in force)");
    assert_int_equal(in_force(s, "390", "2028-01-01", &e), -YB_ENOTCOVERED);
    assert_string_equal(e.msg, "统筹区 530100 在 2028-01-01 没有有效的待遇政策 "
                               "(no policy in force)");
    assert_int_equal(in_force(s, "310", "2027-03-01", &e), -YB_ENOTCOVERED);
    assert_string_equal(e.msg, "统筹区 530100 险种 310 在 2027-03-01 "
                               "没有有效的待遇政策 (no policy in force)");
    struct yb_arena a;
    struct yb_policy_version v;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_policyset_in_force(s, "330200", "390",
                                           day("2027-03-01"), &a, &v, &e),
                     YB_ENOTCOVERED);
    assert_string_equal(e.msg, "统筹区 330200 在 2027-03-01 没有有效的待遇政策 "
                               "(no policy in force)");
    yb_arena_free(&a);
}

static void test_policy_cache_follows_the_counter(void **state)
{
    yb_store *s = open_db(state);
    char t[1024];
    struct yb_err e = {0};
    struct yb_policy_cache *c = NULL;
    struct yb_policy_pick p;
    assert_int_equal(yb_policy_cache_new(&c, &e), YB_OK);
    assert_int_equal(yb_policy_cache_in_force(c, s, "530100", "390",
                                              day("2027-03-01"), &p, &e),
                     YB_ENOTCOVERED);
    import(s,
           text_of(t, sizeof t, "A", "390", 2027, "2027-01-01", "2027-12-31",
                   "70%"),
           NULL);
    assert_int_equal(fx_int(s, "SELECT value FROM meta WHERE key = "
                               "'policy_set_version'"),
                     1);
    /* the import is seen at the next look-up */
    assert_int_equal(yb_policy_cache_in_force(c, s, "530100", "390",
                                              day("2027-03-01"), &p, &e),
                     YB_OK);
    assert_int_equal(p.id, 1);
    assert_string_equal(p.policy->name, "A");
    assert_int_equal(p.policy->layers[0].rates.rules[0].bands[0].rate, 7000);
    const struct yb_policy *first = p.policy;
    import(s,
           text_of(t, sizeof t, "B", "390", 2027, "2027-07-01", "2027-12-31",
                   "80%"),
           NULL);
    assert_int_equal(yb_policy_cache_in_force(c, s, "530100", "390",
                                              day("2027-07-01"), &p, &e),
                     YB_OK);
    assert_int_equal(p.id, 2);
    assert_int_equal(p.policy->layers[0].rates.rules[0].bands[0].rate, 8000);
    /* version 1 was parsed once and kept across the reload */
    assert_int_equal(yb_policy_cache_in_force(c, s, "530100", "390",
                                              day("2027-03-01"), &p, &e),
                     YB_OK);
    assert_ptr_equal(p.policy, first);
    /* a change made to the table behind the service's back raises the
     * counter too, and the next look-up sees it */
    assert_int_equal(yb_store_exec(s,
                                   "UPDATE policy_version SET valid_from = "
                                   "'2027-04-01' WHERE id = 1",
                                   &e),
                     YB_OK);
    assert_int_equal(fx_int(s, "SELECT value FROM meta WHERE key = "
                               "'policy_set_version'"),
                     3);
    assert_int_equal(yb_policy_cache_in_force(c, s, "530100", "390",
                                              day("2027-03-01"), &p, &e),
                     YB_ENOTCOVERED);
    assert_string_equal(e.msg, "统筹区 530100 在 2027-03-01 没有有效的待遇政策 "
                               "(no policy in force)");
    /* a stored text this build refuses is its parser's error */
    assert_int_equal(yb_store_exec(s,
                                   "UPDATE policy_version SET body = '{}', "
                                   "digest = 'x' WHERE id = 2",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_policy_cache_in_force(c, s, "530100", "390",
                                              day("2027-08-01"), &p, &e),
                     YB_EPOLICY);
    assert_string_equal(e.field, "policy_version[2].schema");
    yb_policy_cache_free(c);
}

static void test_policy_cache_takes_a_coverage_years_version(void **state)
{
    yb_store *s = open_db(state);
    char t[1024];
    struct yb_err e = {0};
    struct yb_policy_cache *c = NULL;
    struct yb_policy_pick p;
    /* 2026's policy is carried into 2027 until the new one is issued */
    import(s,
           text_of(t, sizeof t, "2026", "390", 2026, "2026-01-01", "2027-03-31",
                   "70%"),
           NULL);
    import(s,
           text_of(t, sizeof t, "2027", "390", 2027, "2027-01-01", "2027-12-31",
                   "75%"),
           NULL);
    import(s,
           text_of(t, sizeof t, "2027 from July", "390", 2027, "2027-07-01",
                   "2027-12-31", "80%"),
           NULL);
    assert_int_equal(yb_policy_cache_new(&c, &e), YB_OK);
    /* enrolment for 2027 in the autumn of 2026: 1 January 2027 */
    assert_int_equal(yb_policy_cache_for_year(c, s, "530100", "390", 2027,
                                              day("2026-10-15"), &p, &e),
                     YB_OK);
    assert_int_equal(p.id, 2);
    assert_int_equal(yb_policy_cache_for_year(c, s, "530100", "390", 2027,
                                              day("2027-08-01"), &p, &e),
                     YB_OK);
    assert_int_equal(p.id, 3);
    assert_int_equal(yb_policy_cache_for_year(c, s, "530100", "390", 2027,
                                              day("2028-02-01"), &p, &e),
                     YB_OK);
    assert_int_equal(p.id, 3);
    /* a settlement in February 2027: both cover the day, the 2027
     * version was imported later */
    assert_int_equal(yb_policy_cache_in_force(c, s, "530100", "390",
                                              day("2027-02-01"), &p, &e),
                     YB_OK);
    assert_int_equal(p.id, 2);
    assert_int_equal(yb_policy_cache_for_year(c, s, "530100", "390", 2028,
                                              day("2027-10-01"), &p, &e),
                     YB_ENOTCOVERED);
    assert_string_equal(e.field, "policy");
    assert_string_equal(e.msg, "统筹区 530100 在 2028-01-01 没有 2028 "
                               "年度有效的待遇政策 (no policy of coverage "
                               "year 2028 in force)");
    yb_policy_cache_free(c);
}

/* ---- diff --------------------------------------------------------------- */

struct lines {
    char text[4096];
    int n;
};

static void keep(const struct yb_policy_change *c, void *ud)
{
    struct lines *l = ud;
    size_t k = strlen(l->text);
    snprintf(l->text + k, sizeof l->text - k, "%s\n", c->line);
    l->n++;
}

static void diff_is(const char *a, const char *b, const char *want)
{
    struct lines l = {.n = 0};
    struct yb_err e = {0};
    size_t n = 99;
    l.text[0] = '\0';
    if (yb_policy_diff(a, strlen(a), b, strlen(b), keep, &l, &n, &e) != YB_OK)
        fail_msg("diff: %s: %s", e.field, e.msg);
    assert_string_equal(l.text, want);
    assert_int_equal((int)n, l.n);
}

static void test_policy_diff_names_each_changed_path(void **state)
{
    (void)state;
    const char *a =
        "{\"name\": \"甲\", \"year\": 2027, \"caps\": [{\"id\": \"basic\", "
        "\"amount\": \"300000.00\"}], \"benefits\": {\"layers\": ["
        "{\"id\": \"inpatient\", \"rates\": {\"rules\": [{\"rate\": \"90%\"}, "
        "{\"rate\": \"85%\"}, {\"rate\": \"75%\"}]}}, "
        "{\"id\": \"critical\", \"rates\": {\"rules\": [{\"rate\": "
        "\"50%\"}]}}, "
        "{\"id\": \"assist\", \"name\": \"医疗救助\", \"cap\": {\"amount\": "
        "60000}}]}}";
    const char *b =
        "{\"name\": \"乙\", \"year\": 2027, \"caps\": [{\"id\": \"basic\", "
        "\"amount\": \"350000.00\", \"exempt\": {\"idet\": [\"201\"]}}], "
        "\"benefits\": {\"layers\": ["
        "{\"id\": \"critical\", \"rates\": {\"rules\": [{\"rate\": "
        "\"50%\"}]}}, "
        "{\"id\": \"inpatient\", \"rates\": {\"rules\": [{\"rate\": \"90%\"}, "
        "{\"rate\": \"85%\"}, {\"rate\": \"80%\"}, {\"rate\": \"60%\"}]}}, "
        "{\"id\": \"outpatient\", \"rates\": {}}], \"extra\": true}, "
        "\"source\": \"\"}";
    diff_is(a, b,
            "name: 甲 → 乙\n"
            "caps[basic].amount: 300000.00 → 350000.00\n"
            "caps[basic].exempt.idet[0]: 新增 added 201\n"
            "benefits.layers: 顺序 order inpatient, critical → critical, "
            "inpatient\n"
            "benefits.layers[inpatient].rates.rules[2].rate: 75% → 80%\n"
            "benefits.layers[inpatient].rates.rules[3].rate: 新增 added 60%\n"
            "benefits.layers[assist].id: 删除 removed assist\n"
            "benefits.layers[assist].name: 删除 removed 医疗救助\n"
            "benefits.layers[assist].cap.amount: 删除 removed 60000\n"
            "benefits.layers[outpatient].id: 新增 added outpatient\n"
            "benefits.layers[outpatient].rates: 新增 added {}\n"
            "benefits.extra: 新增 added true\n"
            "source: 新增 added \"\"\n");
    /* the same document, and a leaf that became an object */
    diff_is(a, a, "");
    diff_is("{\"cap\": \"300\"}", "{\"cap\": {\"amount\": 300}}",
            "cap: 删除 removed 300\n"
            "cap.amount: 新增 added 300\n");
    /* arrays without unique ids go by index */
    diff_is("{\"x\": [{\"id\": \"a\", \"v\": 1}, {\"id\": \"a\", \"v\": 2}]}",
            "{\"x\": [{\"id\": \"a\", \"v\": 1}, {\"id\": \"a\", \"v\": 3}]}",
            "x[1].v: 2 → 3\n");
    struct yb_err e = {0};
    assert_int_equal(yb_policy_diff("{}", 2, "{", 1, keep, NULL, NULL, &e),
                     YB_EPARSE);
    assert_string_equal(e.field, "b");
}

static void test_policyset_diff_of_two_versions(void **state)
{
    yb_store *s = open_db(state);
    char t[1024];
    struct yb_err e = {0};
    struct lines l = {.n = 0};
    size_t n = 0;
    import(s,
           text_of(t, sizeof t, "A", "390", 2027, "2027-01-01", "2027-12-31",
                   "70%"),
           NULL);
    import(s,
           text_of(t, sizeof t, "B", "390", 2027, "2027-07-01", "2027-12-31",
                   "80%"),
           NULL);
    l.text[0] = '\0';
    assert_int_equal(yb_policyset_diff(s, 1, 2, keep, &l, &n, &e), YB_OK);
    assert_string_equal(l.text,
                        "name: A → B\n"
                        "valid_from: 2027-01-01 → 2027-07-01\n"
                        "benefits.layers[outpatient].rates.rules[0].rate: "
                        "70% → 80%\n");
    assert_int_equal(n, 3);
    assert_int_equal(yb_policyset_diff(s, 1, 9, keep, &l, &n, &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.msg, "政策版本 9 不存在 (no such policy version)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_policyset_import_twice_is_one_version, fx_db_setup,
            fx_db_teardown),
        cmocka_unit_test_setup_teardown(
            test_policyset_refuses_a_bad_text_writing_nothing, fx_db_setup,
            fx_db_teardown),
        cmocka_unit_test_setup_teardown(
            test_policyset_later_import_wins_on_the_days_it_covers, fx_db_setup,
            fx_db_teardown),
        cmocka_unit_test_setup_teardown(
            test_policyset_refuses_a_day_without_a_policy, fx_db_setup,
            fx_db_teardown),
        cmocka_unit_test_setup_teardown(test_policy_cache_follows_the_counter,
                                        fx_db_setup, fx_db_teardown),
        cmocka_unit_test_setup_teardown(
            test_policy_cache_takes_a_coverage_years_version, fx_db_setup,
            fx_db_teardown),
        cmocka_unit_test(test_policy_diff_names_each_changed_path),
        cmocka_unit_test_setup_teardown(test_policyset_diff_of_two_versions,
                                        fx_db_setup, fx_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
