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

/* An admission to the level-2 hospital from day `in` to day `out` with
 * one class-A line of `yuan`, discharged; returns its mdtrt_id. */
static void stay(yb_store *s, const char *ipt_no, const char *in,
                 const char *out, int64_t yuan, char id[32])
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
    struct yb_fee_in l = fee("1", "A1", yuan, 1, yuan * 100);
    l.mdtrt_id = id;
    l.psn_no = PSN;
    l.fee_ocur_time = in;
    assert_int_equal(yb_fee_upload(s, "H53010200002", &l, 1, "op", in, &e),
                     YB_OK);
    assert_int_equal(yb_visit_discharge(s, "H53010200002", id, PSN, out, NULL,
                                        NULL, false, "op", out, &e),
                     YB_OK);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_settlement_figures_cap_and_reversal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admissions_build_on_each_other,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
