/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the subsidy service on a real SQLite file: the headcount
 * of covered enrolments, the province's tier from the region table, the
 * split of the national default 2018 policy for 1,000 covered people, and
 * the posting — receivable and income per level, the critical-illness
 * earmark payable to the insurer — balanced, and refused the second time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"
#include "yibao/yibao.h"
#include "yibao/subsidy.h"

static struct yb_policy *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    assert_int_equal(yb_policy_parse(buf, n, &p, &e), YB_OK);
    return p;
}

/* n covered enrolments in region for year, plus one pending and one in
 * another region that must not count. */
static void enrol(yb_store *s, const char *region, int year, int n)
{
    struct yb_err e = {0};
    char sql[512];
    assert_int_equal(yb_store_begin(s, &e), YB_OK);
    for (int i = 0; i < n + 2; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO person (psn_no, certno, psn_name, gend, brdy, "
                 "resd_admdvs) VALUES ('P%d', 'C%d', 'x', '1', '1980-01-01', "
                 "'530102');"
                 "INSERT INTO enrolment (psn_no, insutype, scheme, year, "
                 "admdvs, psn_type, status) VALUES ('P%d', '390', 'basic', "
                 "%d, '%s', '1501', '%s')",
                 i, i, i, year, i == n + 1 ? "530300" : region,
                 i == n ? "pending" : "covered");
        assert_int_equal(yb_store_exec(s, sql, &e), YB_OK);
    }
    assert_int_equal(yb_store_exec(s,
                                   "INSERT INTO region (admdvs, name, level, "
                                   "subsidy_tier) VALUES ('530000', '云南省', "
                                   "1, 1)",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_store_commit(s, &e), YB_OK);
}

static void test_subsidy_counts_only_covered_people_of_the_region(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    enrol(d->s, "530100", 2018, 7);
    int64_t n = -1;
    assert_int_equal(yb_subsidy_headcount(d->s, "530100", 2018, &n, &e), YB_OK);
    assert_int_equal(n, 7);
    assert_int_equal(yb_subsidy_headcount(d->s, "530100", 2019, &n, &e), YB_OK);
    assert_int_equal(n, 0);
    int tier = -1;
    assert_int_equal(yb_subsidy_province_tier(d->s, "530102", &tier, &e),
                     YB_OK);
    assert_int_equal(tier, 1);
    assert_int_equal(yb_subsidy_province_tier(d->s, "110105", &tier, &e),
                     YB_OK);
    assert_int_equal(tier, 0);
}

static void
test_subsidy_splits_the_national_default_for_a_thousand(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    enrol(d->s, "530100", 2018, 1000);
    struct yb_policy *p = load("policies/national-default-2018.json");
    struct yb_subsidy_split x;
    assert_int_equal(yb_subsidy_compute(d->s, p, &x, &e), YB_OK);
    assert_int_equal(x.headcount, 1000);
    assert_int_equal(x.total, 49000000);
    assert_int_equal(x.n_shares, 4);
    assert_int_equal(x.shares[0].per_capita, 35600); /* 324 + 80% x 40 */
    assert_int_equal(x.shares[0].total, 35600000);
    assert_int_equal(x.shares[1].total, 6700000);
    assert_int_equal(x.shares[2].total, 2450000); /* 5% of 490 */
    assert_int_equal(x.shares[3].total, 4250000); /* the remainder */
    assert_int_equal(x.ci_total, 6000000);        /* 40 + 50% x 40 */
    yb_policy_free(p);
}

static void test_subsidy_posting_balances_and_is_refused_twice(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    enrol(d->s, "530100", 2018, 1000);
    struct yb_policy *p = load("policies/national-default-2018.json");
    struct yb_actor who = {.name = "tester", .now = "2018-01-15 09:00:00"};
    struct yb_subsidy_split x;
    int64_t ev = 0;
    assert_int_equal(yb_subsidy_post(d->s, &who, p, "2018-01", &x, &ev, &e),
                     YB_OK);
    assert_true(ev > 0);
    assert_int_equal(fx_int(d->s, "SELECT SUM(debit) - SUM(credit) FROM "
                                  "journal"),
                     0);
    assert_int_equal(fx_int(d->s, "SELECT SUM(debit) FROM journal WHERE "
                                  "account = '1201'"),
                     35600000);
    assert_int_equal(fx_int(d->s, "SELECT SUM(credit) FROM journal WHERE "
                                  "account = '4204'"),
                     4250000);
    assert_int_equal(fx_int(d->s, "SELECT SUM(credit) FROM journal WHERE "
                                  "account = '2102'"),
                     6000000);
    assert_int_equal(yb_subsidy_post(d->s, &who, p, "2018-02", &x, &ev, &e),
                     YB_EDUPLICATE);
    assert_non_null(strstr(e.msg, "530100/2018"));
    assert_int_equal(fx_int(d->s, "SELECT COUNT(*) FROM journal"), 10);
    assert_int_equal(yb_subsidy_post(d->s, &who, p, "2018-13", &x, &ev, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "period");
    yb_policy_free(p);
}

static void test_subsidy_needs_a_tier_only_when_the_split_does(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    static const char *json =
        "{\"schema\":\"yibao.policy/1\",\"name\":\"t\",\"region\":\"110100\","
        "\"insutype\":\"390\",\"year\":2024,"
        "\"financing\":{\"window\":{\"from\":\"2023-09-01\",\"to\":"
        "\"2023-12-31\"},\"subsidy\":\"670.00\",\"tiers\":[{\"tier\":1,"
        "\"name\":\"一档\",\"amount\":\"400.00\"}],\"split\":["
        "{\"level\":\"central\",\"rule\":\"share_by_tier\",\"rates\":"
        "[\"80%\",\"60%\",\"50%\",\"30%\",\"10%\"]},"
        "{\"level\":\"province\",\"rule\":\"remainder\"}]},"
        "\"benefits\":{\"layers\":[{\"id\":\"in\",\"name\":\"住院\","
        "\"stage\":\"basic\",\"rates\":{\"rules\":[{\"rate\":\"50%\"}]}}]}}";
    struct yb_policy *p = NULL;
    if (yb_policy_parse(json, strlen(json), &p, &e) != YB_OK)
        fail_msg("%s: %s", e.field, e.msg);
    struct yb_subsidy_split x;
    assert_int_equal(yb_subsidy_compute(d->s, p, &x, &e), YB_EINVAL);
    assert_non_null(strstr(e.msg, "province-subsidy-tiers"));
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO region (admdvs, name, level, "
                                   "subsidy_tier) VALUES ('110000', '北京市', "
                                   "1, 5)",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_subsidy_compute(d->s, p, &x, &e), YB_OK);
    assert_int_equal(x.shares[0].per_capita, 6700); /* 10% of 670 */
    assert_int_equal(x.shares[1].per_capita, 60300);
    yb_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_subsidy_counts_only_covered_people_of_the_region, fx_db_setup,
            fx_db_teardown),
        cmocka_unit_test_setup_teardown(
            test_subsidy_splits_the_national_default_for_a_thousand,
            fx_db_setup, fx_db_teardown),
        cmocka_unit_test_setup_teardown(
            test_subsidy_posting_balances_and_is_refused_twice, fx_db_setup,
            fx_db_teardown),
        cmocka_unit_test_setup_teardown(
            test_subsidy_needs_a_tier_only_when_the_split_does, fx_db_setup,
            fx_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
