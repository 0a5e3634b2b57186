/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of settling visits in the store (visit.h), with exact
 * figures under policies/national-default-2018.json: general outpatient
 * care (普通门诊统筹) at a township centre pays 50% of the in-scope amount,
 * measured over the year, at most 300.00 a year.
 *
 * Visit 1: class A 2 x 10.00, class B 1 x 100.00 (10% first self-pay),
 * class C 15.00 → in scope 20.00 + 90.00 = 110.00, fund 55.00, person
 * 80.00 of 135.00. Visit 2: class A 60 x 10.00 = 600.00 in scope → 50%
 * would be 300.00, but the year's cap leaves 300.00 - 55.00 = 245.00.
 * Pre-settlement writes nothing; settlement writes the figures, fund rows,
 * accumulators, the ledger (5101 / 2101) and settles the visit; a total
 * that differs from the lines is refused naming both; a settled visit is
 * not settled again; an earlier settlement is reversed only after the
 * later ones; a reversal takes off exactly what was added and settling
 * again gives the first figures.
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
#include "yibao/policy.h"
#include "yibao/policyset.h"
#include "yibao/visit.h"

#define INST "H53010200001"
#define MAN "530102198605120813"
#define PSN "53010000000000000001"

struct fx {
    struct fx_db db;
    struct yb_policy *policy;
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
    yb_policy_free(f->policy);
    yb_catalogue_free(&f->cat);
    yb_arena_free(&f->cat_arena);
    free(f);
    *state = d;
    return fx_db_teardown(state);
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
        "VALUES ('" INST "', '某街道社区卫生服务中心', 'township', '530102'), "
        "('H53010200002', '某区人民医院', '2', '530102');"
        "INSERT INTO person (psn_no, certno, psn_name, gend, brdy, "
        "resd_admdvs) VALUES ('" PSN "', '" MAN "', '张伟', '1', "
        "'1986-05-12', '530102');"
        "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, "
        "psn_type, tier, status, covered_from) VALUES ('" PSN "', '390', "
        "'basic', 2018, '530100', '1501', 1, 'covered', '2018-01-01');"
        "INSERT INTO catalogue_item (med_list_codg, name, list_type, "
        "chrgitm_lv, selfpay_prop, price_ceiling, valid_from) VALUES "
        "('A1', '甲类', '101', '01', NULL, 0, '2010-01-01'), "
        "('B1', '乙类', '101', '02', 1000, 0, '2010-01-01'), "
        "('C1', '丙类', '101', '03', NULL, 0, '2010-01-01')",
        &e);
    if (rc != YB_OK)
        fail_msg("seed: %s: %s", e.field, e.msg);
    FILE *pf = fopen("policies/national-default-2018.json", "rb");
    assert_non_null(pf);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, pf);
    fclose(pf);
    assert_int_equal(yb_policy_parse(buf, n, &f->policy, &e), YB_OK);
    struct yb_catalogue_entry *v = NULL;
    size_t k = 0;
    yb_arena_init(&f->cat_arena, 0);
    assert_int_equal(yb_catalogue_load(s, &f->cat_arena, &v, &k, &e), YB_OK);
    assert_int_equal(yb_catalogue_build(&f->cat, v, k, &e), YB_OK);
    return f;
}

/* Register a visit on 2018-06-01 with lines; returns its mdtrt_id. */
static void visit(yb_store *s, const char *otp, const struct yb_fee_in *lines,
                  size_t n, char id[32])
{
    struct yb_err e = {0};
    struct yb_visit_reg r = {.fixmedins_code = INST,
                             .region = "530100",
                             .psn_no = PSN,
                             .insutype = "390",
                             .begntime = "2018-06-01 09:00:00",
                             .mdtrt_cert_type = "02",
                             .mdtrt_cert_no = MAN,
                             .ipt_otp_no = otp,
                             .actor = "op",
                             .now = "2018-06-01 09:00:00"};
    assert_int_equal(yb_visit_register(s, &r, id, &e), YB_OK);
    struct yb_fee_in l[8];
    for (size_t i = 0; i < n; i++) {
        l[i] = lines[i];
        l[i].mdtrt_id = id;
        l[i].psn_no = PSN;
    }
    assert_int_equal(
        yb_fee_upload(s, INST, l, n, "op", "2018-06-01 09:30:00", &e), YB_OK);
}

static struct yb_fee_in fee(const char *sn, const char *code, int64_t cnt,
                            int64_t pric_yuan, yb_fen amount)
{
    return (struct yb_fee_in){.feedetl_sn = sn,
                              .chrg_bchno = "B",
                              .med_list_codg = code,
                              .fee_ocur_time = "2018-06-01 09:20:00",
                              .cnt = cnt * 10000,
                              .pric = pric_yuan * 1000000,
                              .amount = amount};
}

static int settle(struct fx *f, const char *id, yb_fen total, bool store,
                  struct yb_settle_out *o, struct yb_arena *a, struct yb_err *e)
{
    struct yb_settle_req r = {.fixmedins_code = INST,
                              .mdtrt_id = id,
                              .psn_no = PSN,
                              .medfee_sumamt = total,
                              .region = "530100",
                              .actor = "op",
                              .now = "2018-06-02 10:00:00",
                              .store = store};
    return yb_visit_settle(f->db.s, f->policy, &f->cat, &r, a, o, e);
}

static int64_t paid_accum(yb_store *s)
{
    return fx_int(s, "SELECT COALESCE(SUM(value), 0) FROM accumulator WHERE "
                     "key = 'outpatient.paid'");
}

static void test_settlement_figures_cap_and_reversal(void **state)
{
    struct fx *f = open_all(state);
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    yb_arena_init(&a, 0);
    struct yb_settle_out o;
    char v1[32], v2[32], s1[32], s2[32], r2[32];
    const struct yb_fee_in l1[] = {fee("1", "A1", 2, 10, 2000),
                                   fee("2", "B1", 1, 100, 10000),
                                   fee("3", "C1", 1, 15, 1500)};
    visit(s, "M1", l1, 3, v1);
    /* the total must be the lines' */
    assert_int_equal(settle(f, v1, 13600, true, &o, &a, &e), YB_EINVAL);
    assert_string_equal(e.field, "medfee_sumamt");
    assert_string_equal(e.msg, "金额 136.00 与费用明细合计 135.00 不符 "
                               "(differs from the lines' total)");
    /* pre-settlement: figures, nothing written */
    assert_int_equal(settle(f, v1, 13500, false, &o, &a, &e), YB_OK);
    assert_int_equal(o.s.info.inscp_scp_amt, 11000);
    assert_int_equal(o.s.info.preselfpay_amt, 1000);
    assert_int_equal(o.s.info.fulamt_ownpay_amt, 1500);
    assert_int_equal(o.s.info.hifp_pay, 5500);
    assert_int_equal(o.s.info.fund_pay_sumamt, 5500);
    assert_int_equal(o.s.info.psn_part_amt, 8000);
    assert_string_equal(o.setl_id, "");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM settlement"), 0);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM journal"), 0);
    /* settlement */
    assert_int_equal(settle(f, v1, 13500, true, &o, &a, &e), YB_OK);
    snprintf(s1, sizeof s1, "%s", o.setl_id);
    assert_string_equal(s1, "53010000000000000001");
    assert_int_equal(o.s.info.hifp_pay, 5500);
    assert_int_equal(paid_accum(s), 5500);
    assert_int_equal(fx_int(s, "SELECT debit FROM journal WHERE account = "
                               "'5101'"),
                     5500);
    assert_int_equal(fx_int(s, "SELECT credit FROM journal WHERE account = "
                               "'2101'"),
                     5500);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM visit WHERE status = "
                               "'settled'"),
                     1);
    assert_int_equal(settle(f, v1, 13500, true, &o, &a, &e), YB_EDUPLICATE);
    /* visit 2: the year's cap of 300.00 leaves 245.00 */
    const struct yb_fee_in l2[] = {fee("1", "A1", 60, 10, 60000)};
    visit(s, "M2", l2, 1, v2);
    assert_int_equal(settle(f, v2, 60000, true, &o, &a, &e), YB_OK);
    snprintf(s2, sizeof s2, "%s", o.setl_id);
    assert_int_equal(o.s.info.hifp_pay, 24500);
    assert_int_equal(o.s.info.psn_part_amt, 35500);
    assert_int_equal(paid_accum(s), 30000);
    /* the earlier one waits for the later one */
    assert_int_equal(yb_settlement_reverse(s, INST, s1, v1, PSN, "530100", "op",
                                           "2018-06-03 08:00:00", r2, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "setl_id");
    assert_int_equal(yb_settlement_reverse(s, INST, s2, v2, PSN, "530100", "op",
                                           "2018-06-03 08:00:00", r2, &e),
                     YB_OK);
    assert_string_equal(r2, "53010000000000000003");
    assert_int_equal(paid_accum(s), 5500);
    struct yb_setl_rec rec;
    assert_int_equal(yb_settlement_get(s, INST, r2, &rec, &e), YB_OK);
    assert_int_equal(rec.info.hifp_pay, -24500);
    assert_int_equal(rec.info.medfee_sumamt, -60000);
    assert_int_equal(rec.n_funds, 1);
    assert_int_equal(rec.funds[0].fund_payamt, -24500);
    assert_int_equal(fx_int(s, "SELECT SUM(credit) - SUM(debit) FROM journal "
                               "WHERE account = '2101'"),
                     5500);
    /* reversed once; settled again, the same figures */
    assert_int_equal(yb_settlement_reverse(s, INST, s2, v2, PSN, "530100", "op",
                                           "2018-06-03 08:00:00", r2, &e),
                     YB_EINVAL);
    assert_int_equal(settle(f, v2, 60000, true, &o, &a, &e), YB_OK);
    assert_int_equal(o.s.info.hifp_pay, 24500);
    assert_int_equal(paid_accum(s), 30000);
    /* the year's accumulators are the sum of what the live settlements
     * added */
    assert_int_equal(
        fx_int(s, "SELECT COUNT(*) FROM accumulator a WHERE value <> (SELECT "
                  "COALESCE(SUM(sa.delta), 0) FROM settlement_accum sa JOIN "
                  "settlement st USING (setl_id) WHERE st.status = 'settled' "
                  "AND sa.key = a.key)"),
        0);
    yb_arena_free(&a);
}

/* An admission to the level-2 hospital from day `in` to day `out` with n
 * fee lines (their visit and person set here), discharged; returns its
 * mdtrt_id. */
static void stay_lines(yb_store *s, const char *ipt_no, const char *in,
                       const char *out, struct yb_fee_in *l, size_t n,
                       char id[32])
{
    struct yb_err e = {0};
    struct yb_visit_reg r = {.fixmedins_code = "H53010200002",
                             .region = "530100",
                             .psn_no = PSN,
                             .insutype = "390",
                             .begntime = in,
                             .mdtrt_cert_type = "02",
                             .mdtrt_cert_no = MAN,
                             .ipt_otp_no = ipt_no,
                             .actor = "op",
                             .now = in,
                             .kind = "inpatient",
                             .med_type = "21"};
    assert_int_equal(yb_visit_register(s, &r, id, &e), YB_OK);
    for (size_t i = 0; i < n; i++) {
        l[i].mdtrt_id = id;
        l[i].psn_no = PSN;
        l[i].fee_ocur_time = in;
    }
    assert_int_equal(yb_fee_upload(s, "H53010200002", l, n, "op", in, &e),
                     YB_OK);
    assert_int_equal(yb_visit_discharge(s, "H53010200002", id, PSN, out, NULL,
                                        NULL, false, "op", out, &e),
                     YB_OK);
}

/* The same with one class-A line of `yuan`. */
static void stay(yb_store *s, const char *ipt_no, const char *in,
                 const char *out, int64_t yuan, char id[32])
{
    struct yb_fee_in l = fee("1", "A1", yuan, 1, yuan * 100);
    stay_lines(s, ipt_no, in, out, &l, 1, id);
}

/* Two admissions in a year at a level-2 hospital: the deductible is
 * 600.00, halved for the second admission; 75% of the rest; critical
 * illness pays 50% of the year's in-scope burden above 13,000.00.
 *   1st: 20,000.00 → basic (20,000 - 600) x 75% = 14,550.00; burden
 *        5,450.00, below the critical-illness deductible.
 *   2nd: 40,000.00 → basic (40,000 - 300) x 75% = 29,775.00; burden
 *        10,225.00, the year's 15,675.00 is 2,675.00 above 13,000.00:
 *        critical illness 1,337.50. */
static void test_admissions_build_on_each_other(void **state)
{
    struct fx *f = open_all(state);
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    yb_arena_init(&a, 0);
    char v1[32], v2[32];
    struct yb_settle_out o;
    stay(s, "ZY1", "2018-03-01 08:00:00", "2018-03-10 10:00:00", 20000, v1);
    struct yb_settle_req r = {.fixmedins_code = "H53010200002",
                              .mdtrt_id = v1,
                              .psn_no = PSN,
                              .medfee_sumamt = 2000000,
                              .region = "530100",
                              .actor = "op",
                              .now = "2018-03-10 11:00:00",
                              .store = true};
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_OK);
    assert_int_equal(o.s.adm_ordinal, 1);
    assert_int_equal(o.s.info.act_pay_dedc, 60000);
    assert_int_equal(o.s.info.hifp_pay, 1455000);
    assert_int_equal(o.s.info.hifmi_pay, 0);
    /* a stay not discharged is not settled */
    char v3[32];
    struct yb_visit_reg open_stay = {.fixmedins_code = "H53010200002",
                                     .region = "530100",
                                     .psn_no = PSN,
                                     .insutype = "390",
                                     .begntime = "2018-05-01 08:00:00",
                                     .mdtrt_cert_type = "02",
                                     .mdtrt_cert_no = MAN,
                                     .ipt_otp_no = "ZY3",
                                     .actor = "op",
                                     .now = "2018-05-01 08:00:00",
                                     .kind = "inpatient",
                                     .med_type = "21"};
    assert_int_equal(yb_visit_register(s, &open_stay, v3, &e), YB_OK);
    r.mdtrt_id = v3;
    r.medfee_sumamt = 0;
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_EINVAL);
    assert_string_equal(e.msg, "住院 53010000000000000002 尚未办理出院 "
                               "(2402 first)");
    stay(s, "ZY2", "2018-07-01 08:00:00", "2018-07-20 10:00:00", 40000, v2);
    r.mdtrt_id = v2;
    r.medfee_sumamt = 4000000;
    r.now = "2018-07-20 11:00:00";
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_OK);
    assert_int_equal(o.s.adm_ordinal, 2);
    assert_int_equal(o.s.info.act_pay_dedc, 30000);
    assert_int_equal(o.s.info.hifp_pay, 2977500);
    assert_int_equal(o.s.info.hifmi_pay, 133750);
    assert_int_equal(o.s.info.fund_pay_sumamt, 3111250);
    assert_int_equal(o.s.info.psn_part_amt, 888750);
    assert_int_equal(fx_int(s, "SELECT value FROM accumulator WHERE key = "
                               "'admissions'"),
                     2);
    /* the ledger: basic 5101, critical illness 5102, both owed (2101) */
    assert_int_equal(fx_int(s, "SELECT SUM(debit) FROM journal WHERE fund = "
                               "'390100' AND account = '5101'"),
                     1455000 + 2977500);
    assert_int_equal(fx_int(s, "SELECT SUM(debit) FROM journal WHERE fund = "
                               "'390200' AND account = '5102'"),
                     133750);
    yb_arena_free(&a);
}

/* A 低保 person's stay with both assistance rounds paying (national
 * default 2018, level-2 hospital): one settlement_fund row a fund — the
 * two rounds of 610100 are one row paying their sum, as setldetail
 * showed it — the ledger's 5103 is that sum, 5203's record has three
 * funds, the stored ratio is the answer's, and the reversal takes each
 * fund's row back as one. */
static void test_assistance_rounds_are_one_fund_row(void **state)
{
    struct fx *f = open_all(state);
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    yb_arena_init(&a, 0);
    char v1[32], r1[32];
    struct yb_settle_out o;
    assert_int_equal(yb_store_exec(s,
                                   "INSERT INTO identity (psn_no, idet, "
                                   "begndate) VALUES ('" PSN "', '202', "
                                   "'2018-01-01')",
                                   &e),
                     YB_OK);
    /* 60,000.00 of class A and 100,000.00 of class B (10% first
     * self-pay: 10,000.00 for the second round) */
    struct yb_fee_in l[] = {fee("1", "A1", 60000, 1, 6000000),
                            fee("2", "B1", 100000, 1, 10000000)};
    stay_lines(s, "ZY1", "2018-09-03 08:00:00", "2018-09-21 10:00:00", l, 2,
               v1);
    struct yb_settle_req r = {.fixmedins_code = "H53010200002",
                              .mdtrt_id = v1,
                              .psn_no = PSN,
                              .medfee_sumamt = 16000000,
                              .region = "530100",
                              .actor = "op",
                              .now = "2018-09-21 11:00:00",
                              .store = true};
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_OK);
    assert_int_equal(o.s.n_details, 4);
    assert_int_equal(o.s.n_setldetail, 3);
    assert_true(o.s.details[2].fund_payamt > 0);
    assert_true(o.s.details[3].fund_payamt > 0);
    assert_int_equal(o.s.setldetail[2].fund_payamt, o.s.info.maf_pay);
    /* 12,887.25 + 4,647.88, the two rounds' caps 60,000 + 20,000 */
    assert_int_equal(o.s.info.maf_pay, 1753513);
    assert_int_equal(o.s.setldetail[2].crt_payb_lmt_amt, 8000000);
    /* 119,760.00 / (150,000.00 - 300.00) */
    assert_int_equal(o.s.info.pool_prop_selfpay, 8000);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM settlement_fund"), 3);
    assert_int_equal(fx_int(s, "SELECT fund_payamt FROM settlement_fund "
                               "WHERE fund_pay_type = '610100'"),
                     o.s.info.maf_pay);
    assert_int_equal(fx_int(s, "SELECT SUM(debit) FROM journal WHERE fund = "
                               "'610100' AND account = '5103'"),
                     o.s.info.maf_pay);
    assert_int_equal(fx_int(s, "SELECT pool_prop_selfpay FROM settlement"),
                     o.s.info.pool_prop_selfpay);
    struct yb_setl_rec rec;
    assert_int_equal(yb_settlement_get(s, "H53010200002", o.setl_id, &rec, &e),
                     YB_OK);
    assert_int_equal(rec.n_funds, 3);
    assert_string_equal(rec.funds[2].fund_pay_type, "610100");
    assert_int_equal(rec.funds[2].fund_payamt, o.s.info.maf_pay);
    assert_int_equal(rec.funds[2].crt_payb_lmt_amt,
                     o.s.setldetail[2].crt_payb_lmt_amt);
    assert_int_equal(rec.info.pool_prop_selfpay, o.s.info.pool_prop_selfpay);
    assert_int_equal(yb_settlement_reverse(s, "H53010200002", o.setl_id, v1,
                                           PSN, "530100", "op",
                                           "2018-09-22 08:00:00", r1, &e),
                     YB_OK);
    assert_int_equal(yb_settlement_get(s, "H53010200002", r1, &rec, &e), YB_OK);
    assert_int_equal(rec.n_funds, 3);
    assert_int_equal(rec.funds[2].fund_payamt, -o.s.info.maf_pay);
    assert_int_equal(rec.info.pool_prop_selfpay, o.s.info.pool_prop_selfpay);
    assert_int_equal(fx_int(s, "SELECT SUM(debit) - SUM(credit) FROM journal "
                               "WHERE fund = '610100' AND account = '5103'"),
                     0);
    assert_int_equal(fx_int(s, "SELECT SUM(credit) - SUM(debit) FROM journal "
                               "WHERE account = '2101'"),
                     0);
    yb_arena_free(&a);
}

/* A policy of 70 assistance rounds, each with a yearly deductible and a
 * cap: a settlement adds 140 accumulator keys, and its reversal takes every
 * one of them off again (it read at most 128 and refused the rest). */
static void test_a_reversal_undoes_every_accumulator(void **state)
{
    struct fx *f = open_all(state);
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    yb_arena_init(&a, 0);
    static char json[65536];
    int k = snprintf(
        json, sizeof json,
        "{\"schema\": \"yibao.policy/1\", \"name\": \"七十轮救助\", "
        "\"region\": \"530100\", \"insutype\": \"390\", \"year\": 2018, "
        "\"classification\": {\"unknown_item\": \"reject\"}, "
        "\"benefits\": {\"layers\": [{\"id\": \"outpatient\", \"name\": "
        "\"门诊统筹\", \"stage\": \"basic\", \"rates\": {\"rules\": "
        "[{\"rate\": \"50%%\"}]}}");
    for (int i = 0; i < 70; i++)
        k += snprintf(json + k, sizeof json - (size_t)k,
                      ", {\"id\": \"round%d\", \"name\": \"第%d轮救助\", "
                      "\"stage\": \"assist\", \"base\": \"scope_burden\", "
                      "\"deductible\": {\"scope\": \"year\", \"rules\": "
                      "[{\"amount\": \"1.00\"}]}, \"rates\": {\"rules\": "
                      "[{\"rate\": \"1%%\"}]}, \"cap\": {\"amount\": "
                      "\"100.00\"}}",
                      i, i + 1);
    snprintf(json + k, sizeof json - (size_t)k, "]}}");
    yb_policy_free(f->policy);
    f->policy = NULL;
    assert_int_equal(yb_policy_parse(json, strlen(json), &f->policy, &e),
                     YB_OK);
    char v1[32], r1[32];
    struct yb_fee_in l[] = {fee("1", "A1", 1000, 1, 100000)};
    visit(s, "MZ70", l, 1, v1);
    struct yb_settle_out o;
    assert_int_equal(settle(f, v1, 100000, true, &o, &a, &e), YB_OK);
    assert_int_equal(o.s.n_details, 71);
    assert_int_equal(o.s.n_setldetail, 2);
    int64_t keys = fx_int(s, "SELECT count(*) FROM settlement_accum");
    assert_true(keys >= 140);
    assert_int_equal(yb_settlement_reverse(s, INST, o.setl_id, v1, PSN,
                                           "530100", "op",
                                           "2018-06-03 08:00:00", r1, &e),
                     YB_OK);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM accumulator WHERE "
                               "value <> 0"),
                     0);
    assert_int_equal(fx_int(s, "SELECT SUM(debit) - SUM(credit) FROM journal "
                               "WHERE account = '5103'"),
                     0);
    yb_arena_free(&a);
}

/* A settlement must name the visit as registered: an outpatient visit
 * settled as 21 would be paid as a stay and counted as an admission. */
static void test_settlement_names_the_visit_as_registered(void **state)
{
    struct fx *f = open_all(state);
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    yb_arena_init(&a, 0);
    struct yb_settle_out o;
    char v1[32];
    const struct yb_fee_in l1[] = {fee("1", "A1", 2, 10, 2000)};
    visit(s, "M1", l1, 1, v1);
    struct yb_settle_req r = {.fixmedins_code = INST,
                              .mdtrt_id = v1,
                              .psn_no = PSN,
                              .med_type = "21",
                              .mdtrt_cert_type = "02",
                              .mdtrt_cert_no = MAN,
                              .insutype = "390",
                              .medfee_sumamt = 2000,
                              .region = "530100",
                              .actor = "op",
                              .now = "2018-06-02 10:00:00",
                              .store = true};
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "med_type");
    assert_string_equal(e.msg, "医疗类别 \"21\" 与登记的门诊就诊 "
                               "53010000000000000001 的医疗类别 11 不符（变更请"
                               "用 2203）(med_type differs from the visit)");
    r.med_type = "11";
    r.mdtrt_cert_type = "03";
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "mdtrt_cert_type");
    r.mdtrt_cert_type = "02";
    r.mdtrt_cert_no = "530102198605120000";
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "mdtrt_cert_no");
    r.mdtrt_cert_no = MAN;
    r.insutype = "392";
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "insutype");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM settlement"), 0);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM accumulator"), 0);
    r.insutype = "390";
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_OK);
    assert_int_equal(o.s.adm_ordinal, 0);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM accumulator WHERE key = "
                               "'admissions'"),
                     0);
    yb_arena_free(&a);
}

/* Settling under the policy set (policyset.h): with no version in force
 * on the visit's day nothing is settled; under the national default
 * imported as version 1 visit 1 pays 50% of 110.00 = 55.00 and names the
 * version; a revision paying 60%, imported for the same year as version
 * 2, settles visit 2 (the same lines) at 66.00 and leaves the stored
 * settlement of visit 1, its figures, version and trace, as they were. */
static void test_settlement_under_the_policy_set(void **state)
{
    struct fx *f = open_all(state);
    yb_store *s = f->db.s;
    struct yb_err e = {0};
    struct yb_arena a;
    struct yb_policy_cache *c = NULL;
    struct yb_settle_out o;
    char v1[32], v2[32], s1[32], s2[32], r2[32], trace[4096], again[4096];
    yb_arena_init(&a, 0);
    assert_int_equal(yb_policy_cache_new(&c, &e), YB_OK);
    const struct yb_fee_in l[] = {fee("1", "A1", 2, 10, 2000),
                                  fee("2", "B1", 1, 100, 10000),
                                  fee("3", "C1", 1, 15, 1500)};
    visit(s, "M1", l, 3, v1);
    visit(s, "M2", l, 3, v2);
    struct yb_settle_req r = {.fixmedins_code = INST,
                              .mdtrt_id = v1,
                              .psn_no = PSN,
                              .medfee_sumamt = 13500,
                              .region = "530100",
                              .actor = "op",
                              .now = "2018-06-02 10:00:00",
                              .store = true,
                              .policies = c};
    int64_t events = fx_int(s, "SELECT count(*) FROM event");
    assert_int_equal(yb_visit_settle(s, NULL, &f->cat, &r, &a, &o, &e),
                     YB_ENOTCOVERED);
    assert_string_equal(e.field, "policy");
    assert_string_equal(e.msg, "统筹区 530100 在 2018-06-01 没有有效的待遇政策 "
                               "(no policy in force)");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM settlement"), 0);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM event"), events);
    /* version 1: the national default */
    FILE *pf = fopen("policies/national-default-2018.json", "rb");
    assert_non_null(pf);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, pf);
    fclose(pf);
    text[n] = '\0';
    struct yb_policy_version v;
    bool existed;
    struct yb_actor who = {.name = "alice", .now = "2018-01-01 08:00:00"};
    assert_int_equal(
        yb_policyset_import(s, &who, text, n, &a, &v, &existed, &e), YB_OK);
    assert_int_equal(v.id, 1);
    assert_int_equal(yb_visit_settle(s, NULL, &f->cat, &r, &a, &o, &e), YB_OK);
    snprintf(s1, sizeof s1, "%s", o.setl_id);
    assert_int_equal(o.policy_id, 1);
    assert_int_equal(o.s.info.hifp_pay, 5500);
    assert_int_equal(fx_int(s, "SELECT policy_id FROM settlement"), 1);
    fx_text(s, "SELECT trace FROM settlement", trace, sizeof trace);
    char head[256];
    snprintf(head, sizeof head,
             "政策版本 policy version 1: %s (530100 390 2018, blake2b "
             "%.12s)\n 1. ",
             f->policy->name, v.digest);
    assert_memory_equal(trace, head, strlen(head));
    /* version 2: the general outpatient rate 50% → 60% */
    char *rate = strstr(text, "\"rules\": [{\"rate\": \"50%\"}]");
    assert_non_null(rate);
    memcpy(strstr(rate, "50%"), "60", 2);
    assert_int_equal(
        yb_policyset_import(s, &who, text, n, &a, &v, &existed, &e), YB_OK);
    assert_int_equal(v.id, 2);
    r.mdtrt_id = v2;
    assert_int_equal(yb_visit_settle(s, NULL, &f->cat, &r, &a, &o, &e), YB_OK);
    snprintf(s2, sizeof s2, "%s", o.setl_id);
    assert_int_equal(o.policy_id, 2);
    assert_int_equal(o.s.info.hifp_pay, 6600);
    assert_int_equal(o.s.info.psn_part_amt, 13500 - 6600);
    /* the first settlement is untouched */
    struct yb_setl_rec rec;
    assert_int_equal(yb_settlement_get(s, INST, s1, &rec, &e), YB_OK);
    assert_int_equal(rec.policy_id, 1);
    assert_int_equal(rec.info.hifp_pay, 5500);
    assert_int_equal(rec.funds[0].fund_payamt, 5500);
    char q[128];
    snprintf(q, sizeof q, "SELECT trace FROM settlement WHERE setl_id = '%s'",
             s1);
    assert_string_equal(fx_text(s, q, again, sizeof again), trace);
    /* a reversal names the version its original was settled under */
    assert_int_equal(yb_settlement_reverse(s, INST, s2, v2, PSN, "530100", "op",
                                           "2018-06-03 08:00:00", r2, &e),
                     YB_OK);
    assert_int_equal(yb_settlement_get(s, INST, r2, &rec, &e), YB_OK);
    assert_int_equal(rec.policy_id, 2);
    assert_int_equal(rec.info.hifp_pay, -6600);
    /* a policy given explicitly names no version */
    assert_int_equal(yb_visit_settle(s, f->policy, &f->cat, &r, &a, &o, &e),
                     YB_OK);
    assert_int_equal(o.policy_id, 0);
    assert_int_equal(o.s.info.hifp_pay, 5500);
    assert_int_equal(yb_settlement_get(s, INST, o.setl_id, &rec, &e), YB_OK);
    assert_int_equal(rec.policy_id, 0);
    yb_policy_cache_free(c);
    yb_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_settlement_figures_cap_and_reversal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admissions_build_on_each_other,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_reversal_undoes_every_accumulator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assistance_rounds_are_one_fund_row,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_settlement_names_the_visit_as_registered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settlement_under_the_policy_set,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
