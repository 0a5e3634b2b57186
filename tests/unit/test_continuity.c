/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the years that raise the critical-illness cap
 * (src/service/continuity.c) and of settling with them (visit.h), over a
 * real SQLite file. The policy of each year (policy_of) pays inpatient
 * and outpatient care 50%; critical illness pays 50% of the year's burden
 * above 1,000.00, at most 10,000.00 a year; the cap rises by 1,000.00 for
 * each continuous year beyond 4 and by 500.00 for each claim-free year, at
 * most 50% of the cap (5,000.00).
 *
 * Person A: covered 2018, not 2019, covered 2020-2025 (2024 moved from
 * another region: a transferred row and a covered one). An outpatient
 * visit paid in 2022; one in 2023 reversed. Settling in 2025: 6
 * continuous years (2020-2025), 4 claim-free (2020, 2021, 2023, 2024):
 * 2 x 1,000 + 4 x 500 = 4,000.00, the cap 14,000.00.
 * Person B: covered 2017-2023, 2024 only repaid afterwards (补缴, no
 * cover), covered 2025: 1 continuous year, no increase.
 * The 2025 stay of each: 60,000.00 in scope, basic 30,000.00, burden
 * 30,000.00: critical illness (30,000 - 1,000) x 50% = 14,500.00 due, so
 * A is paid 14,000.00 and B 10,000.00.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/service/service_int.h"
#include "store_fixture.h"
#include "yibao/policy.h"
#include "yibao/visit.h"

#define CLINIC "H53010200001"
#define HOSP "H53010200002"
#define PSN_A "53010000000000000001"
#define CERT_A "530102198605120813"
#define PSN_B "53010000000000000002"
#define CERT_B "530102197003070013"

struct fx {
    struct fx_db db;
    struct yb_policy *policy[2030 - 2015];
    struct yb_arena cat_arena;
    struct yb_catalogue cat;
};

static int setup(void **state)
{
    if (fx_db_setup(state) != 0)
        return -1;
    struct fx_db *d = *state;
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->db = *d;
    free(d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    struct fx_db *d = malloc(sizeof *d);
    *d = f->db;
    for (size_t i = 0; i < sizeof f->policy / sizeof *f->policy; i++)
        yb_policy_free(f->policy[i]);
    yb_catalogue_free(&f->cat);
    yb_arena_free(&f->cat_arena);
    free(f);
    *state = d;
    return fx_db_teardown(state);
}

/* The policy of coverage year `year` (with or without the increases). */
static struct yb_policy *policy_text(int year, bool bonus)
{
    char buf[2048];
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    int n = snprintf(
        buf, sizeof buf,
        "{\"schema\": \"yibao.policy/1\", \"region\": \"530100\", "
        "\"insutype\": \"390\", \"year\": %d, \"benefits\": {\"layers\": ["
        "{\"id\": \"clinic\", \"name\": \"门诊统筹\", \"stage\": \"basic\", "
        "\"when\": {\"med_type\": [\"11\"]}, \"rates\": {\"rules\": "
        "[{\"rate\": \"50%%\"}]}}, "
        "{\"id\": \"inpatient\", \"name\": \"住院统筹\", \"stage\": "
        "\"basic\", \"when\": {\"med_type\": [\"21\"]}, \"rates\": "
        "{\"rules\": [{\"rate\": \"50%%\"}]}}, "
        "{\"id\": \"critical\", \"name\": \"大病保险\", \"stage\": "
        "\"critical\", \"base\": \"scope_burden\", \"when\": {\"med_type\": "
        "[\"21\"]}, \"deductible\": {\"scope\": \"year\", \"rules\": "
        "[{\"amount\": \"1000.00\"}]}, \"rates\": {\"measure\": \"year\", "
        "\"bands_from\": \"deductible\", \"rules\": [{\"rate\": \"50%%\"}]}, "
        "\"cap\": {\"amount\": \"10000.00\"}}]}%s}",
        year,
        bonus ? ", \"enrolment\": {\"ci_cap_bonus\": {\"continuous\": "
                "{\"after_years\": 4, \"amount\": \"1000.00\"}, "
                "\"claim_free\": {\"amount\": \"500.00\"}, \"max_share\": "
                "\"50%\"}}"
              : "");
    assert_true(n > 0 && (size_t)n < sizeof buf);
    if (yb_policy_parse(buf, (size_t)n, &p, &e) != YB_OK)
        fail_msg("policy %d: %s: %s", year, e.field, e.msg);
    return p;
}

static struct yb_policy *policy_of(struct fx *f, int year)
{
    struct yb_policy **p = &f->policy[year - 2015];
    if (!*p)
        *p = policy_text(year, true);
    return *p;
}

/* One enrolment row of psn in year, covered from `from` (NULL: 1
 * January) to `to` (NULL: open). */
static void enrol(yb_store *s, const char *psn, int year, const char *status,
                  const char *admdvs, const char *from, const char *to)
{
    char jan1[24];
    struct yb_err e = {0};
    yb_stmt *st;
    snprintf(jan1, sizeof jan1, "%d-01-01", year);
    assert_int_equal(
        yb_store_prepare(s,
                         "INSERT INTO enrolment (psn_no, insutype, scheme, "
                         "year, admdvs, psn_type, tier, status, covered_from, "
                         "covered_to) VALUES ($1, '390', 'basic', $2, $3, "
                         "'1501', 1, $4, $5, $6)",
                         &st, &e),
        YB_OK);
    yb_stmt_bind_text(st, 1, psn);
    yb_stmt_bind_int(st, 2, year);
    yb_stmt_bind_text(st, 3, admdvs);
    yb_stmt_bind_text(st, 4, status);
    yb_stmt_bind_text(st, 5, from ? from : jan1);
    yb_stmt_bind_text(st, 6, to);
    int rc = yb_stmt_step(st, &e);
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        fail_msg("enrol %s %d: %s: %s", psn, year, e.field, e.msg);
}

static struct fx *open_all(void **state)
{
    struct fx *f = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(&f->db, 0, &e), YB_OK);
    yb_store *s = f->db.s;
    int rc = yb_store_exec(
        s,
        "INSERT INTO region (admdvs, name, level, parent, pooling) VALUES "
        "('530102', '五华区', 3, '530100', '530100');"
        "INSERT INTO institution (fixmedins_code, name, hosp_lv, admdvs) "
        "VALUES ('" CLINIC "', '某街道社区卫生服务中心', 'township', "
        "'530102'), ('" HOSP "', '某区人民医院', '2', '530102');"
        "INSERT INTO person (psn_no, certno, psn_name, gend, brdy, "
        "resd_admdvs) VALUES ('" PSN_A "', '" CERT_A "', '张伟', '1', "
        "'1986-05-12', '530102'), ('" PSN_B "', '" CERT_B "', '李强', '1', "
        "'1970-03-07', '530102');"
        "INSERT INTO catalogue_item (med_list_codg, name, list_type, "
        "chrgitm_lv, selfpay_prop, price_ceiling, valid_from) VALUES "
        "('A1', '甲类', '101', '01', NULL, 0, '2010-01-01')",
        &e);
    if (rc != YB_OK)
        fail_msg("seed: %s: %s", e.field, e.msg);
    enrol(s, PSN_A, 2018, "covered", "530100", NULL, NULL);
    for (int y = 2020; y <= 2025; y++)
        if (y != 2024)
            enrol(s, PSN_A, y, "covered", "530100", NULL, NULL);
    enrol(s, PSN_A, 2024, "transferred", "530300", NULL, "2024-06-30");
    enrol(s, PSN_A, 2024, "covered", "530100", "2024-07-01", NULL);
    for (int y = 2017; y <= 2023; y++)
        enrol(s, PSN_B, y, "covered", "530100", NULL, NULL);
    enrol(s, PSN_B, 2024, "repaid", "530100", NULL, NULL);
    enrol(s, PSN_B, 2025, "covered", "530100", NULL, NULL);
    struct yb_catalogue_entry *v = NULL;
    size_t k = 0;
    yb_arena_init(&f->cat_arena, 0);
    assert_int_equal(yb_catalogue_load(s, &f->cat_arena, &v, &k, &e), YB_OK);
    assert_int_equal(yb_catalogue_build(&f->cat, v, k, &e), YB_OK);
    return f;
}

/* Register psn's visit at `in` (an admission to HOSP discharged at `out`,
 * or with out NULL an outpatient visit at CLINIC) with one class-A line
 * of `yuan`; its mdtrt_id into id. */
static void visit(yb_store *s, const char *psn, const char *cert,
                  const char *no, const char *in, const char *out, int64_t yuan,
                  char id[32])
{
    struct yb_err e = {0};
    const char *inst = out ? HOSP : CLINIC;
    struct yb_visit_reg r = {.fixmedins_code = inst,
                             .region = "530100",
                             .psn_no = psn,
                             .insutype = "390",
                             .begntime = in,
                             .mdtrt_cert_type = "02",
                             .mdtrt_cert_no = cert,
                             .ipt_otp_no = no,
                             .actor = "op",
                             .now = in,
                             .kind = out ? "inpatient" : NULL,
                             .med_type = out ? "21" : NULL};
    if (yb_visit_register(s, &r, id, &e) != YB_OK)
        fail_msg("register %s: %s: %s", no, e.field, e.msg);
    struct yb_fee_in l = {.feedetl_sn = "1",
                          .mdtrt_id = id,
                          .psn_no = psn,
                          .chrg_bchno = "B",
                          .med_list_codg = "A1",
                          .fee_ocur_time = in,
                          .cnt = yuan * 10000,
                          .pric = 1000000,
                          .amount = yuan * 100};
    assert_int_equal(yb_fee_upload(s, inst, &l, 1, "op", in, &e), YB_OK);
    if (out)
        assert_int_equal(yb_visit_discharge(s, inst, id, psn, out, NULL, NULL,
                                            false, "op", out, &e),
                         YB_OK);
}

/* Settle (store) or pre-settle institution inst's visit id of psn at
 * `now` under the policy of `year`. */
static int settle(struct fx *f, const char *inst, const char *psn,
                  const char *id, int year, yb_fen total, bool store,
                  const char *now, struct yb_settle_out *o, struct yb_arena *a,
                  struct yb_err *e)
{
    struct yb_settle_req r = {.fixmedins_code = inst,
                              .mdtrt_id = id,
                              .psn_no = psn,
                              .medfee_sumamt = total,
                              .region = "530100",
                              .actor = "op",
                              .now = now,
                              .store = store};
    return yb_visit_settle(f->db.s, policy_of(f, year), &f->cat, &r, a, o, e);
}

/* The past: A is paid 50.00 for an outpatient visit in 2022; a visit of
 * 2023 is settled and reversed. */
static void history(struct fx *f)
{
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    struct yb_settle_out o;
    char v1[32], v2[32], rev[32];
    yb_arena_init(&a, 0);
    visit(s, PSN_A, CERT_A, "M2022", "2022-04-01 09:00:00", NULL, 100, v1);
    assert_int_equal(settle(f, CLINIC, PSN_A, v1, 2022, 10000, true,
                            "2022-04-01 09:30:00", &o, &a, &e),
                     YB_OK);
    assert_int_equal(o.s.info.hifp_pay, 5000);
    assert_int_equal(o.person.ci_continuous_years, 0); /* outpatient */
    visit(s, PSN_A, CERT_A, "M2023", "2023-04-01 09:00:00", NULL, 100, v2);
    assert_int_equal(settle(f, CLINIC, PSN_A, v2, 2023, 10000, true,
                            "2023-04-01 09:30:00", &o, &a, &e),
                     YB_OK);
    assert_int_equal(yb_settlement_reverse(s, CLINIC, o.setl_id, v2, PSN_A,
                                           "530100", "op",
                                           "2023-04-02 08:00:00", rev, &e),
                     YB_OK);
    yb_arena_free(&a);
}

/* The years of psn for a visit of med_type ending in the middle of
 * `year`. */
static void years_for(struct fx *f, const struct yb_policy *p, const char *psn,
                      const char *med_type, int year, int *continuous,
                      int *claim_free)
{
    struct yb_person person = {0};
    struct yb_visit v = {0};
    struct yb_err e = {0};
    v.med_type = yb_dict_index(YB_DICT_MED_TYPE, med_type);
    v.begin = v.end = yb_date_from_ymd(year, 6, 1);
    assert_int_equal(yb__ci_years(f->db.s, p, psn, "390", &v, &person, &e),
                     YB_OK);
    *continuous = person.ci_continuous_years;
    *claim_free = person.ci_claim_free_years;
}

/* The same for an admission (med_type 21, which the critical layer
 * selects). */
static void years(struct fx *f, const struct yb_policy *p, const char *psn,
                  int year, int *continuous, int *claim_free)
{
    years_for(f, p, psn, "21", year, continuous, claim_free);
}

static void test_years_run_back_to_the_first_gap(void **state)
{
    struct fx *f = open_all(state);
    int n, k;
    history(f);
    /* A: 2020-2025, the reversed 2023 visit paid nothing */
    years(f, policy_of(f, 2025), PSN_A, 2025, &n, &k);
    assert_int_equal(n, 6);
    assert_int_equal(k, 4);
    /* counted for an earlier year, only the years before it */
    years(f, policy_of(f, 2023), PSN_A, 2023, &n, &k);
    assert_int_equal(n, 4);
    assert_int_equal(k, 2);
    years(f, policy_of(f, 2020), PSN_A, 2020, &n, &k);
    assert_int_equal(n, 1);
    assert_int_equal(k, 0);
    /* B: the repaid 2024 gives no cover: the run is 2025 alone */
    years(f, policy_of(f, 2025), PSN_B, 2025, &n, &k);
    assert_int_equal(n, 1);
    assert_int_equal(k, 0);
    years(f, policy_of(f, 2024), PSN_B, 2024, &n, &k);
    assert_int_equal(n, 8);
    assert_int_equal(k, 7);
    /* an outpatient visit (11) never meets the critical-illness cap: no
     * years, no query */
    years_for(f, policy_of(f, 2025), PSN_A, "11", 2025, &n, &k);
    assert_int_equal(n, 0);
    assert_int_equal(k, 0);
    /* a policy without the increases: no years, no query */
    struct yb_policy *plain = policy_text(2025, false);
    years(f, plain, PSN_A, 2025, &n, &k);
    assert_int_equal(n, 0);
    assert_int_equal(k, 0);
    yb_policy_free(plain);
}

static void test_settlement_raises_the_cap_by_the_years(void **state)
{
    struct fx *f = open_all(state);
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    struct yb_settle_out o;
    char va[32], vb[32], sa[32], rev[32], buf[4096];
    yb_arena_init(&a, 0);
    history(f);
    visit(s, PSN_A, CERT_A, "ZY-A", "2025-03-01 08:00:00",
          "2025-03-20 10:00:00", 60000, va);
    /* pre-settlement: the figures of the settlement, nothing written */
    assert_int_equal(settle(f, HOSP, PSN_A, va, 2025, 6000000, false,
                            "2025-03-20 11:00:00", &o, &a, &e),
                     YB_OK);
    assert_int_equal(o.person.ci_continuous_years, 6);
    assert_int_equal(o.person.ci_claim_free_years, 4);
    assert_int_equal(o.s.info.hifp_pay, 3000000);
    assert_int_equal(o.s.info.hifmi_pay, 1400000);
    assert_int_equal(fx_int(s, "SELECT COUNT(*) FROM settlement WHERE year = "
                               "2025"),
                     0);
    /* settlement: stops at the raised cap 14,000.00 */
    assert_int_equal(settle(f, HOSP, PSN_A, va, 2025, 6000000, true,
                            "2025-03-20 11:00:00", &o, &a, &e),
                     YB_OK);
    snprintf(sa, sizeof sa, "%s", o.setl_id);
    assert_int_equal(o.s.info.hifmi_pay, 1400000);
    assert_int_equal(o.s.info.fund_pay_sumamt, 4400000);
    assert_int_equal(o.s.info.psn_part_amt, 1600000);
    assert_int_equal(fx_int(s, "SELECT crt_payb_lmt_amt FROM settlement_fund "
                               "WHERE fund_pay_type = '390200'"),
                     1400000);
    assert_int_equal(fx_int(s, "SELECT SUM(credit) FROM journal WHERE fund = "
                               "'390200'"),
                     1400000);
    fx_text(s, "SELECT trace FROM settlement WHERE year = 2025", buf,
            sizeof buf);
    if (!strstr(buf, "封顶线提高额[critical]：连续参保年数=6，零报销年数=4，"
                     "连续参保增加=2000.00元，零报销增加=2000.00元，增加上限="
                     "5000.00元 → 4000.00元") ||
        !strstr(buf, "大病保险封顶线[critical]：原封顶线=10000.00元，连续参保/"
                     "零报销增加=4000.00元 → 14000.00元"))
        fail_msg("trace lacks the increase:\n%s", buf);
    fx_text(s,
            "SELECT setl_proc_info FROM settlement_fund WHERE "
            "fund_pay_type = '390200'",
            buf, sizeof buf);
    assert_string_equal(buf, "基数30000.00-起付线1000.00=29000.00；29000.00×"
                             "50%=14500.00；限额内支付14000.00；封顶线"
                             "10000.00+连续参保/零报销增加4000.00=14000.00");
    /* reversed: the accumulators back to nothing; settled again, the same */
    assert_int_equal(yb_settlement_reverse(s, HOSP, sa, va, PSN_A, "530100",
                                           "op", "2025-03-21 08:00:00", rev,
                                           &e),
                     YB_OK);
    assert_int_equal(fx_int(s, "SELECT COALESCE(SUM(value), 0) FROM "
                               "accumulator WHERE year = 2025 AND key = "
                               "'critical.paid'"),
                     0);
    assert_int_equal(settle(f, HOSP, PSN_A, va, 2025, 6000000, true,
                            "2025-03-21 09:00:00", &o, &a, &e),
                     YB_OK);
    assert_int_equal(o.s.info.hifmi_pay, 1400000);
    /* B, after a break: the plain cap */
    visit(s, PSN_B, CERT_B, "ZY-B", "2025-05-01 08:00:00",
          "2025-05-20 10:00:00", 60000, vb);
    assert_int_equal(settle(f, HOSP, PSN_B, vb, 2025, 6000000, true,
                            "2025-05-20 11:00:00", &o, &a, &e),
                     YB_OK);
    assert_int_equal(o.person.ci_continuous_years, 1);
    assert_int_equal(o.s.info.hifmi_pay, 1000000);
    assert_int_equal(o.s.setldetail[1].crt_payb_lmt_amt, 1000000);
    yb_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_years_run_back_to_the_first_gap,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_settlement_raises_the_cap_by_the_years, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
