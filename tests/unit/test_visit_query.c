/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the visit queries (visit.h, src/service/visit_query.c):
 * 5201 lists a person's visits at one institution only, ordered by
 * begntime then mdtrt_id, within a period whose bare days mean their first
 * and last second, by med_type or mdtrt_id, cancelled ones included; a
 * malformed or reversed period and an unknown person are refused. 5202's
 * diagnoses come in their stored order, the main one first, named only
 * where the store has the name. 5204's fee lines come in upload order with
 * their status and exact amounts; with a settlement, the valid lines, and
 * only for a settlement of that visit. Another institution's or person's
 * visit is not found. 5205 lists a person's drug lines (catalogue list
 * types 101 and 102) of 门诊慢特病 visits (med_type 14) at every
 * institution, by fee time, named as the catalogue was on the day,
 * without cancelled lines, services, other visit types or other persons,
 * within a period. Allocation failures are reported as YB_ENOMEM.
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
#include "yibao/visit.h"

#define INST "H53010200001"
#define OTHER "H53010200002"
#define MAN "530102198605120813"
#define WOMAN "530102199003150024"
#define PSN "53010000000000000001"
#define PSN2 "53010000000000000002"

/* A region, two institutions, two persons covered in 2018. */
static struct fx_db *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    int rc = yb_store_exec(
        d->s,
        "INSERT INTO region (admdvs, name, level, parent, pooling) VALUES "
        "('530102', '五华区', 3, '530100', '530100');"
        "INSERT INTO institution (fixmedins_code, name, hosp_lv, admdvs) "
        "VALUES ('" INST "', '甲', '3', '530102'), ('" OTHER "', '乙', '2', "
        "'530102');"
        "INSERT INTO person (psn_no, certno, psn_name, gend, brdy, "
        "resd_admdvs) VALUES ('" PSN "', '" MAN "', '张伟', '1', "
        "'1986-05-12', '530102'), ('" PSN2 "', '" WOMAN "', '王芳', '2', "
        "'1990-03-15', '530102');"
        "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, "
        "psn_type, tier, status, covered_from) VALUES ('" PSN "', '390', "
        "'basic', 2018, '530100', '1501', 1, 'covered', '2018-01-01'), "
        "('" PSN2 "', '390', 'basic', 2018, '530100', '1501', 1, 'covered', "
        "'2018-01-01')",
        &e);
    if (rc != YB_OK)
        fail_msg("seed: %s: %s", e.field, e.msg);
    return d;
}

/* Register an outpatient visit; its mdtrt_id into id. */
static void visit(yb_store *s, const char *inst, const char *psn,
                  const char *certno, const char *otp, const char *begntime,
                  char id[32])
{
    struct yb_err e = {0};
    struct yb_visit_reg r = {.fixmedins_code = inst,
                             .region = "530100",
                             .psn_no = psn,
                             .insutype = "390",
                             .begntime = begntime,
                             .mdtrt_cert_type = "02",
                             .mdtrt_cert_no = certno,
                             .ipt_otp_no = otp,
                             .atddr_no = "D001",
                             .dr_name = "李医生",
                             .dept_code = "A01",
                             .dept_name = "内科",
                             .caty = "A03",
                             .insuplc_admdvs = "530100",
                             .mdtrtarea_admvs = "530102",
                             .actor = "op",
                             .now = begntime};
    if (yb_visit_register(s, &r, id, &e) != YB_OK)
        fail_msg("register %s: %s: %s", otp, e.field, e.msg);
}

/* The listed visits' mdtrt_ids, space-separated, into buf. */
static const char *ids(const struct yb_visit_row *v, size_t n, char *buf,
                       size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? " " : "",
                              v[i].v.mdtrt_id);
    return buf;
}

static int list(yb_store *s, const char *inst, const char *psn,
                const char *from, const char *to, const char *med_type,
                const char *mdtrt_id, struct yb_arena *a, char *buf,
                size_t size, struct yb_err *e)
{
    struct yb_visit_query q = {.code = inst,
                               .psn_no = psn,
                               .from = from,
                               .to = to,
                               .med_type = med_type,
                               .mdtrt_id = mdtrt_id};
    struct yb_visit_row *v = NULL;
    size_t n = 99;
    int rc = yb_visit_list(s, &q, a, &v, &n, e);
    ids(v, rc == YB_OK ? n : 0, buf, size);
    return rc;
}

static void test_visits_are_listed_by_period_at_this_institution(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char v1[32], v2[32], v3[32], v4[32], v5[32], buf[256];
    yb_arena_init(&a, 0);
    visit(d->s, INST, PSN, MAN, "M1", "2018-06-01 09:00:00", v1);
    visit(d->s, INST, PSN, MAN, "M2", "2018-06-03 10:00:00", v2);
    visit(d->s, INST, PSN, MAN, "M3", "2018-06-03 08:00:00", v3);
    visit(d->s, OTHER, PSN, MAN, "M4", "2018-06-02 09:00:00", v4);
    visit(d->s, INST, PSN2, WOMAN, "M5", "2018-06-02 09:00:00", v5);
    assert_string_equal(v1, "53010000000000000001");
    assert_string_equal(v3, "53010000000000000003");
    /* 2202 cancels M2: it is still listed, as cancelled */
    assert_int_equal(yb_visit_cancel(d->s, INST, v2, PSN, "M2", "op",
                                     "2018-06-03 10:05:00", &e),
                     YB_OK);
    struct yb_visit_info info = {.med_type = "14",
                                 .dise_codg = "M03900",
                                 .diag_codes = "E11.900,I10.x00"};
    assert_int_equal(yb_visit_set_info(d->s, INST, v1, PSN, &info, "op",
                                       "2018-06-01 09:10:00", &e),
                     YB_OK);
    /* every visit of the person here, by begntime: M1, M3, M2 */
    assert_int_equal(
        list(d->s, INST, PSN, NULL, NULL, NULL, NULL, &a, buf, sizeof buf, &e),
        YB_OK);
    assert_string_equal(buf, "53010000000000000001 53010000000000000003 "
                             "53010000000000000002");
    /* bare days: from the first second of the 2nd to the last of the 3rd */
    assert_int_equal(list(d->s, INST, PSN, "2018-06-02", "2018-06-03", "", "",
                          &a, buf, sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "53010000000000000003 53010000000000000002");
    /* times are exact, both ends inclusive */
    assert_int_equal(list(d->s, INST, PSN, "2018-06-01 09:00:00",
                          "2018-06-03 08:00:00", NULL, NULL, &a, buf,
                          sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "53010000000000000001 53010000000000000003");
    assert_int_equal(list(d->s, INST, PSN, "2018-06-01 09:00:01", NULL, NULL,
                          NULL, &a, buf, sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "53010000000000000003 53010000000000000002");
    /* by medical type, by visit */
    assert_int_equal(
        list(d->s, INST, PSN, NULL, NULL, "14", NULL, &a, buf, sizeof buf, &e),
        YB_OK);
    assert_string_equal(buf, "53010000000000000001");
    assert_int_equal(
        list(d->s, INST, PSN, NULL, NULL, NULL, v3, &a, buf, sizeof buf, &e),
        YB_OK);
    assert_string_equal(buf, "53010000000000000003");
    /* the other institution sees its own visit only; nobody else's */
    assert_int_equal(
        list(d->s, OTHER, PSN, NULL, NULL, NULL, NULL, &a, buf, sizeof buf, &e),
        YB_OK);
    assert_string_equal(buf, v4);
    assert_int_equal(
        list(d->s, INST, PSN, NULL, NULL, NULL, v4, &a, buf, sizeof buf, &e),
        YB_OK);
    assert_string_equal(buf, "");
    assert_int_equal(list(d->s, OTHER, PSN2, NULL, NULL, NULL, NULL, &a, buf,
                          sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "");
    /* the rows carry what registration and 2203 stored */
    struct yb_visit_query q = {.code = INST, .psn_no = PSN};
    struct yb_visit_row *v = NULL;
    size_t n = 0;
    assert_int_equal(yb_visit_list(d->s, &q, &a, &v, &n, &e), YB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].v.med_type, "14");
    assert_string_equal(v[0].v.status, "open");
    assert_string_equal(v[0].v.kind, "outpatient");
    assert_string_equal(v[0].v.begntime, "2018-06-01 09:00:00");
    assert_null(v[0].v.endtime);
    assert_string_equal(v[0].v.ipt_otp_no, "M1");
    assert_string_equal(v[0].v.dise_codg, "M03900");
    assert_string_equal(v[0].v.diag_codes, "E11.900,I10.x00");
    assert_string_equal(v[0].v.fixmedins_code, INST);
    assert_string_equal(v[0].v.insutype, "390");
    assert_string_equal(v[0].dr_name, "李医生");
    assert_string_equal(v[0].dept_name, "内科");
    assert_string_equal(v[0].caty, "A03");
    assert_string_equal(v[0].insuplc_admdvs, "530100");
    assert_string_equal(v[0].mdtrtarea_admvs, "530102");
    assert_string_equal(v[1].v.med_type, "11");
    assert_null(v[1].v.diag_codes);
    assert_string_equal(v[2].v.status, "cancelled");
    yb_arena_free(&a);
}

static void
test_visit_list_refuses_bad_periods_and_unknown_persons(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char buf[64];
    yb_arena_init(&a, 0);
    assert_int_equal(list(d->s, INST, "53010000000000000099", NULL, NULL, NULL,
                          NULL, &a, buf, sizeof buf, &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.field, "psn_no");
    assert_string_equal(e.msg, "人员编号 53010000000000000099 不存在 (no "
                               "such person)");
    /* an ID number is not a person number */
    assert_int_equal(
        list(d->s, INST, MAN, NULL, NULL, NULL, NULL, &a, buf, sizeof buf, &e),
        YB_ENOTFOUND);
    assert_string_equal(e.field, "psn_no");
    assert_int_equal(list(d->s, INST, PSN, "2018/06/01", NULL, NULL, NULL, &a,
                          buf, sizeof buf, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "begntime");
    assert_string_equal(e.msg, "应为 yyyy-MM-dd 或 yyyy-MM-dd HH:mm:ss，实际为 "
                               "\"2018/06/01\" (not a date or datetime)");
    assert_int_equal(list(d->s, INST, PSN, NULL, "2018-02-30", NULL, NULL, &a,
                          buf, sizeof buf, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "endtime");
    assert_int_equal(list(d->s, INST, PSN, "2018-06-02", "2018-06-01 23:59:59",
                          NULL, NULL, &a, buf, sizeof buf, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "endtime");
    assert_string_equal(e.msg, "日期 2018-06-01 23:59:59 早于 begntime "
                               "2018-06-02 (the period ends before it begins)");
    /* a one-day period is fine, and empty */
    assert_int_equal(list(d->s, INST, PSN, "2018-06-02", "2018-06-02", NULL,
                          NULL, &a, buf, sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "");
    yb_arena_free(&a);
}

static void test_diagnoses_come_in_order_main_first(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char v1[32], v2[32];
    yb_arena_init(&a, 0);
    visit(d->s, INST, PSN, MAN, "M1", "2018-06-01 09:00:00", v1);
    visit(d->s, INST, PSN, MAN, "M2", "2018-06-01 10:00:00", v2);
    struct yb_visit_info info = {.med_type = "11",
                                 .dise_codg = "I10.x00",
                                 .dise_name = "高血压",
                                 .diag_codes = "J06.900,I10.x00,E11.900"};
    assert_int_equal(yb_visit_set_info(d->s, INST, v1, PSN, &info, "op",
                                       "2018-06-01 09:10:00", &e),
                     YB_OK);
    struct yb_visit_rec v;
    struct yb_diag_rec *dg = NULL;
    size_t n = 0;
    assert_int_equal(yb_visit_of_person(d->s, INST, PSN, v1, &a, &v, &e),
                     YB_OK);
    assert_int_equal(yb_visit_diagnoses(&v, &a, &dg, &n, &e), YB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(dg[0].code, "J06.900");
    assert_string_equal(dg[0].name, "");
    /* the name the store has: dise_name of the visit's dise_codg */
    assert_string_equal(dg[1].code, "I10.x00");
    assert_string_equal(dg[1].name, "高血压");
    assert_string_equal(dg[2].code, "E11.900");
    assert_string_equal(dg[2].name, "");
    /* a visit without diagnoses has none */
    assert_int_equal(yb_visit_of_person(d->s, INST, PSN, v2, &a, &v, &e),
                     YB_OK);
    assert_int_equal(yb_visit_diagnoses(&v, &a, &dg, &n, &e), YB_OK);
    assert_int_equal(n, 0);
    assert_null(dg);
    /* one code, main */
    struct yb_visit_rec one = {.diag_codes = "K29.700"};
    assert_int_equal(yb_visit_diagnoses(&one, &a, &dg, &n, &e), YB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(dg[0].code, "K29.700");
    yb_arena_free(&a);
}

static struct yb_fee_in fee(const char *id, const char *sn, const char *code,
                            int64_t cnt, int64_t pric, yb_fen amount,
                            const char *batch)
{
    return (struct yb_fee_in){.feedetl_sn = sn,
                              .mdtrt_id = id,
                              .psn_no = PSN,
                              .chrg_bchno = batch,
                              .med_list_codg = code,
                              .medins_list_codg = "H-1",
                              .hosp_appr_flag = "1",
                              .fee_ocur_time = "2018-06-01 09:30:00",
                              .cnt = cnt,
                              .pric = pric,
                              .amount = amount};
}

/* A standing settlement of visit id (the figures do not matter here). */
static void settlement(yb_store *s, const char *setl_id, const char *id)
{
    struct yb_err e = {0};
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO settlement (setl_id, mdtrt_id, psn_no, "
             "fixmedins_code, year, setl_time, med_type, medfee_sumamt, "
             "fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, "
             "inscp_scp_amt, act_pay_dedc, hifp_pay, hifmi_pay, maf_pay, "
             "oth_pay, fund_pay_sumamt, psn_part_amt, psn_cash_pay, trace, "
             "status) VALUES ('%s', '%s', '" PSN "', '" INST "', 2018, "
             "'2018-06-01 10:00:00', '11', 3000, 0, 0, 100, 2900, 0, 1450, "
             "0, 0, 0, 1450, 1550, 1550, '', 'settled');"
             "UPDATE visit SET status = 'settled' WHERE mdtrt_id = '%s'",
             setl_id, id, id);
    if (yb_store_exec(s, sql, &e) != YB_OK)
        fail_msg("settlement: %s", e.msg);
}

static void test_fee_lines_come_with_status_and_amounts(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char v1[32], v2[32];
    yb_arena_init(&a, 0);
    visit(d->s, INST, PSN, MAN, "M1", "2018-06-01 09:00:00", v1);
    visit(d->s, INST, PSN, MAN, "M2", "2018-06-01 11:00:00", v2);
    /* 2 x 10.000000 = 20.00; 3 x 3.333333 = 10.00; 1 x 5.500000 = 5.50 */
    struct yb_fee_in l[] = {fee(v1, "1", "A1", 20000, 10000000, 2000, "B1"),
                            fee(v1, "2", "B1", 30000, 3333333, 1000, "B1"),
                            fee(v1, "3", "C1", 10000, 5500000, 550, "B2")};
    assert_int_equal(
        yb_fee_upload(d->s, INST, l, 3, "op", "2018-06-01 09:30:00", &e),
        YB_OK);
    long k = 0;
    assert_int_equal(yb_fee_cancel(d->s, INST, v1, PSN, "B2", "op",
                                   "2018-06-01 09:40:00", &k, &e),
                     YB_OK);
    assert_int_equal(k, 1);
    struct yb_visit_rec v;
    struct yb_fee_rec *f = NULL;
    size_t n = 0;
    assert_int_equal(yb_visit_of_person(d->s, INST, PSN, v1, &a, &v, &e),
                     YB_OK);
    assert_int_equal(yb_fee_lines(d->s, &v, NULL, &a, &f, &n, &e), YB_OK);
    assert_int_equal(n, 3);
    const char *sn[] = {"1", "2", "3"}, *batch[] = {"B1", "B1", "B2"};
    const char *code[] = {"A1", "B1", "C1"};
    int64_t cnt[] = {20000, 30000, 10000};
    int64_t pric[] = {10000000, 3333333, 5500000};
    yb_fen amount[] = {2000, 1000, 550};
    bool valid[] = {true, true, false};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(f[i].feedetl_sn, sn[i]);
        assert_string_equal(f[i].chrg_bchno, batch[i]);
        assert_string_equal(f[i].med_list_codg, code[i]);
        assert_string_equal(f[i].medins_list_codg, "H-1");
        assert_string_equal(f[i].hosp_appr_flag, "1");
        assert_string_equal(f[i].fee_ocur_time, "2018-06-01 09:30:00");
        assert_null(f[i].dise_codg);
        assert_int_equal(f[i].cnt, cnt[i]);
        assert_int_equal(f[i].pric, pric[i]);
        assert_int_equal(f[i].amount, amount[i]);
        assert_int_equal(f[i].valid, valid[i]);
    }
    /* a settlement's lines: the valid ones */
    settlement(d->s, "53010000000000000001", v1);
    assert_int_equal(
        yb_fee_lines(d->s, &v, "53010000000000000001", &a, &f, &n, &e), YB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].feedetl_sn, "1");
    assert_string_equal(f[1].feedetl_sn, "2");
    assert_int_equal(f[0].amount + f[1].amount, 3000);
    /* a visit without lines has none */
    assert_int_equal(yb_visit_of_person(d->s, INST, PSN, v2, &a, &v, &e),
                     YB_OK);
    assert_int_equal(yb_fee_lines(d->s, &v, "", &a, &f, &n, &e), YB_OK);
    assert_int_equal(n, 0);
    /* the settlement of another visit, an unknown one */
    assert_int_equal(
        yb_fee_lines(d->s, &v, "53010000000000000001", &a, &f, &n, &e),
        YB_ENOTFOUND);
    assert_string_equal(e.field, "setl_id");
    assert_string_equal(e.msg, "结算 53010000000000000001 不是就诊 "
                               "53010000000000000002 的 (not the visit's "
                               "settlement)");
    assert_int_equal(
        yb_fee_lines(d->s, &v, "53010000000000000009", &a, &f, &n, &e),
        YB_ENOTFOUND);
    assert_string_equal(e.field, "setl_id");
    yb_arena_free(&a);
}

static void test_another_institutions_visit_is_not_found(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char v1[32], v2[32];
    yb_arena_init(&a, 0);
    visit(d->s, INST, PSN, MAN, "M1", "2018-06-01 09:00:00", v1);
    visit(d->s, OTHER, PSN2, WOMAN, "M2", "2018-06-01 09:00:00", v2);
    struct yb_fee_in l[] = {fee(v1, "1", "A1", 10000, 1000000, 100, "B1")};
    assert_int_equal(
        yb_fee_upload(d->s, INST, l, 1, "op", "2018-06-01 09:30:00", &e),
        YB_OK);
    struct yb_visit_rec v;
    /* another institution's visit */
    assert_int_equal(yb_visit_of_person(d->s, OTHER, PSN, v1, &a, &v, &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.field, "mdtrt_id");
    assert_string_equal(e.msg, "就诊 53010000000000000001 不存在，或不是本机构"
                               "或人员 53010000000000000001 的 (no such "
                               "visit of the person here)");
    assert_string_equal(v.mdtrt_id, "");
    /* another person's visit, at the right institution */
    assert_int_equal(yb_visit_of_person(d->s, INST, PSN2, v1, &a, &v, &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.field, "mdtrt_id");
    assert_string_equal(v.psn_no, "");
    /* no such visit; no such person */
    assert_int_equal(
        yb_visit_of_person(d->s, INST, PSN, "53010000000000000099", &a, &v, &e),
        YB_ENOTFOUND);
    assert_string_equal(e.field, "mdtrt_id");
    assert_int_equal(
        yb_visit_of_person(d->s, INST, "53010000000000000099", v1, &a, &v, &e),
        YB_ENOTFOUND);
    assert_string_equal(e.field, "psn_no");
    /* its own: found */
    assert_int_equal(yb_visit_of_person(d->s, OTHER, PSN2, v2, &a, &v, &e),
                     YB_OK);
    assert_string_equal(v.fixmedins_code, OTHER);
    /* a settlement of another institution is not found for this one */
    settlement(d->s, "53010000000000000001", v1);
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE settlement SET fixmedins_code = "
                                   "'" OTHER "'",
                                   &e),
                     YB_OK);
    struct yb_fee_rec *f = NULL;
    size_t n = 0;
    assert_int_equal(yb_visit_of_person(d->s, INST, PSN, v1, &a, &v, &e),
                     YB_OK);
    assert_int_equal(
        yb_fee_lines(d->s, &v, "53010000000000000001", &a, &f, &n, &e),
        YB_ENOTFOUND);
    assert_string_equal(e.field, "setl_id");
    assert_string_equal(e.msg, "结算 53010000000000000001 不存在或不属于本机构 "
                               "(no such settlement)");
    yb_arena_free(&a);
}

/* A catalogue: XA01 a western drug in two versions (renamed from 07-01),
 * T001 a herbal piece, XB02 a drug listed only from 08-01, S001 a service. */
static void drug_catalogue(yb_store *s)
{
    struct yb_err e = {0};
    if (yb_store_exec(
            s,
            "INSERT INTO catalogue_item (med_list_codg, list_type, name, "
            "chrgitm_lv, valid_from, valid_to) VALUES "
            "('XA01', '101', '二甲双胍片', '01', '2018-01-01', '2018-06-30'), "
            "('XA01', '101', '二甲双胍缓释片', '01', '2018-07-01', NULL), "
            "('T001', '102', '黄芪', '02', '2018-01-01', NULL), "
            "('XB02', '101', '阿卡波糖片', '02', '2018-08-01', NULL), "
            "('S001', '201', '普通门诊诊查费', '01', '2018-01-01', NULL)",
            &e) != YB_OK)
        fail_msg("catalogue: %s", e.msg);
}

/* A visit registered and, with med_type, given 2203's information. */
static void chronic_visit(yb_store *s, const char *inst, const char *psn,
                          const char *certno, const char *otp,
                          const char *begntime, const char *med_type,
                          const char *dise_codg, const char *diag_codes,
                          char id[32])
{
    struct yb_err e = {0};
    visit(s, inst, psn, certno, otp, begntime, id);
    struct yb_visit_info info = {
        .med_type = med_type, .dise_codg = dise_codg, .diag_codes = diag_codes};
    if (med_type &&
        yb_visit_set_info(s, inst, id, psn, &info, "op", begntime, &e) != YB_OK)
        fail_msg("2203 %s: %s: %s", otp, e.field, e.msg);
}

static struct yb_fee_in drug(const char *id, const char *psn, const char *sn,
                             const char *code, const char *at, int64_t cnt,
                             int64_t pric, yb_fen amount, const char *batch)
{
    return (struct yb_fee_in){.feedetl_sn = sn,
                              .mdtrt_id = id,
                              .psn_no = psn,
                              .chrg_bchno = batch,
                              .med_list_codg = code,
                              .fee_ocur_time = at,
                              .cnt = cnt,
                              .pric = pric,
                              .amount = amount};
}

static void upload(yb_store *s, const char *inst, struct yb_fee_in *l, size_t n)
{
    struct yb_err e = {0};
    if (yb_fee_upload(s, inst, l, n, "op", l[0].fee_ocur_time, &e) != YB_OK)
        fail_msg("2204 %s: %s: %s", l[0].mdtrt_id, e.field, e.msg);
}

/* The listed lines as "mdtrt_id/sn code [name] institution", ';'-joined. */
static const char *drugs(const struct yb_drug_rec *l, size_t n, char *buf,
                         size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s/%s %s [%s] %s",
                              i ? ";" : "", l[i].mdtrt_id + 17, l[i].feedetl_sn,
                              l[i].med_list_codg, l[i].med_list_name,
                              l[i].fixmedins_code);
    return buf;
}

static int drug_list(yb_store *s, const char *psn, const char *from,
                     const char *to, struct yb_arena *a, char *buf, size_t size,
                     struct yb_err *e)
{
    struct yb_drug_rec *l = NULL;
    size_t n = 99;
    int rc = yb_chronic_drug_lines(s, psn, from, to, a, &l, &n, e);
    if (rc != YB_OK && (l || n))
        fail_msg("a refused query left %zu lines", n);
    drugs(l, rc == YB_OK ? n : 0, buf, size);
    return rc;
}

/* Five visits of 2018 (mdtrt_ids ...001 to ...005 in this order): A at
 * the other institution and B here, both 门诊慢特病 on 06-01; C a general
 * outpatient visit; D another person's; E chronic on 07-02, settled. */
static void drug_visits(struct fx_db *d, char id[5][32])
{
    struct yb_err e = {0};
    drug_catalogue(d->s);
    chronic_visit(d->s, OTHER, PSN, MAN, "A", "2018-06-01 08:00:00", "14", "",
                  "I10.x00,E11.900", id[0]);
    chronic_visit(d->s, INST, PSN, MAN, "B", "2018-06-01 09:00:00", "14",
                  "M03900", "E11.900", id[1]);
    chronic_visit(d->s, INST, PSN, MAN, "C", "2018-06-02 09:00:00", NULL, NULL,
                  NULL, id[2]);
    chronic_visit(d->s, INST, PSN2, WOMAN, "D", "2018-06-02 09:00:00", "14",
                  "M03900", NULL, id[3]);
    chronic_visit(d->s, INST, PSN, MAN, "E", "2018-07-02 09:00:00", "14",
                  "M03900", NULL, id[4]);
    /* A: 1.5 x 3.333333 = 5.00; a drug out of its catalogue's dates; and
     * an earlier line uploaded last */
    struct yb_fee_in a[] = {drug(id[0], PSN, "1", "T001", "2018-06-01 09:30:00",
                                 15000, 3333333, 500, "A1"),
                            drug(id[0], PSN, "2", "XB02", "2018-06-01 09:30:00",
                                 10000, 1000000, 100, "A1"),
                            drug(id[0], PSN, "3", "XA01", "2018-06-01 08:30:00",
                                 10000, 2500000, 250, "A1")};
    upload(d->s, OTHER, a, 3);
    /* B: 2 x 10.000000 = 20.00, a service, a herbal line cancelled */
    struct yb_fee_in b[] = {drug(id[1], PSN, "1", "XA01", "2018-06-01 09:30:00",
                                 20000, 10000000, 2000, "B1"),
                            drug(id[1], PSN, "2", "S001", "2018-06-01 09:30:00",
                                 10000, 8000000, 800, "B1"),
                            drug(id[1], PSN, "3", "T001", "2018-06-01 09:40:00",
                                 10000, 3000000, 300, "B2")};
    upload(d->s, INST, b, 3);
    long k = 0;
    if (yb_fee_cancel(d->s, INST, id[1], PSN, "B2", "op", "2018-06-01 09:45:00",
                      &k, &e) != YB_OK ||
        k != 1)
        fail_msg("2205: %s", e.msg);
    struct yb_fee_in c[] = {drug(id[2], PSN, "1", "XA01", "2018-06-02 09:30:00",
                                 10000, 1000000, 100, "C1")};
    upload(d->s, INST, c, 1);
    struct yb_fee_in dd[] = {drug(id[3], PSN2, "1", "XA01",
                                  "2018-06-02 09:30:00", 10000, 1000000, 100,
                                  "D1")};
    upload(d->s, INST, dd, 1);
    struct yb_fee_in ee[] = {drug(id[4], PSN, "1", "XA01",
                                  "2018-07-02 09:10:00", 30000, 1234567, 370,
                                  "E1")};
    upload(d->s, INST, ee, 1);
    settlement(d->s, "53010000000000000001", id[4]);
}

static void test_chronic_drug_lines_come_from_every_institution(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char id[5][32];
    yb_arena_init(&a, 0);
    drug_visits(d, id);
    assert_string_equal(id[0], "53010000000000000001");
    assert_string_equal(id[4], "53010000000000000005");
    struct yb_drug_rec *l = NULL;
    size_t n = 0;
    char buf[512];
    /* by fee time, then visit, then feedetl_sn: not the service, not the
     * cancelled line, not the general visit C, not D (another person) */
    assert_int_equal(yb_chronic_drug_lines(d->s, PSN, NULL, "", &a, &l, &n, &e),
                     YB_OK);
    assert_int_equal(n, 5);
    assert_string_equal(drugs(l, n, buf, sizeof buf),
                        "001/3 XA01 [二甲双胍片] " OTHER ";"
                        "001/1 T001 [黄芪] " OTHER ";"
                        "001/2 XB02 [] " OTHER ";"
                        "002/1 XA01 [二甲双胍片] " INST ";"
                        "005/1 XA01 [二甲双胍缓释片] " INST);
    /* the other institution's line, exactly */
    assert_string_equal(l[1].mdtrt_id, id[0]);
    assert_string_equal(l[1].psn_no, PSN);
    assert_string_equal(l[1].fixmedins_code, OTHER);
    assert_string_equal(l[1].fixmedins_name, "乙");
    assert_string_equal(l[1].med_type, "14");
    assert_string_equal(l[1].dise_codg, "I10.x00"); /* no dise_codg: first */
    assert_string_equal(l[1].fee_ocur_time, "2018-06-01 09:30:00");
    assert_int_equal(l[1].cnt, 15000);
    assert_int_equal(l[1].pric, 3333333);
    assert_int_equal(l[1].amount, 500);
    assert_false(l[1].settled);
    /* this institution's, with 2203's disease code */
    assert_string_equal(l[3].fixmedins_name, "甲");
    assert_string_equal(l[3].dise_codg, "M03900");
    assert_int_equal(l[3].cnt, 20000);
    assert_int_equal(l[3].pric, 10000000);
    assert_int_equal(l[3].amount, 2000);
    assert_false(l[3].settled);
    /* the settled visit's */
    assert_string_equal(l[4].fee_ocur_time, "2018-07-02 09:10:00");
    assert_int_equal(l[4].cnt, 30000);
    assert_int_equal(l[4].pric, 1234567);
    assert_int_equal(l[4].amount, 370);
    assert_true(l[4].settled);
    /* the other person: their own line only */
    assert_int_equal(drug_list(d->s, PSN2, NULL, NULL, &a, buf, sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "004/1 XA01 [二甲双胍片] " INST);
    yb_arena_free(&a);
}

static void test_chronic_drug_lines_by_period_and_refusals(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char id[5][32], buf[512];
    yb_arena_init(&a, 0);
    drug_visits(d, id);
    /* bounds on fee_ocur_time, inclusive; a bare endtime is the day's end */
    assert_int_equal(drug_list(d->s, PSN, "2018-06-01 09:30:00", "2018-06-01",
                               &a, buf, sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "001/1 T001 [黄芪] " OTHER ";"
                             "001/2 XB02 [] " OTHER ";"
                             "002/1 XA01 [二甲双胍片] " INST);
    assert_int_equal(drug_list(d->s, PSN, NULL, "2018-06-01 09:29:59", &a, buf,
                               sizeof buf, &e),
                     YB_OK);
    assert_string_equal(buf, "001/3 XA01 [二甲双胍片] " OTHER);
    assert_int_equal(
        drug_list(d->s, PSN, "2018-07-02", NULL, &a, buf, sizeof buf, &e),
        YB_OK);
    assert_string_equal(buf, "005/1 XA01 [二甲双胍缓释片] " INST);
    /* a period without any: an empty list */
    struct yb_drug_rec *l = NULL;
    size_t n = 99;
    assert_int_equal(yb_chronic_drug_lines(d->s, PSN, "2018-06-02",
                                           "2018-07-01", &a, &l, &n, &e),
                     YB_OK);
    assert_int_equal(n, 0);
    assert_null(l);
    /* refusals */
    assert_int_equal(drug_list(d->s, PSN, "2018-06-02", "2018-06-01 23:59:59",
                               &a, buf, sizeof buf, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "endtime");
    assert_string_equal(e.msg, "日期 2018-06-01 23:59:59 早于 begntime "
                               "2018-06-02 (the period ends before it begins)");
    assert_int_equal(
        drug_list(d->s, PSN, "2018-6-1", NULL, &a, buf, sizeof buf, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "begntime");
    assert_string_equal(e.msg, "应为 yyyy-MM-dd 或 yyyy-MM-dd HH:mm:ss，实际为 "
                               "\"2018-6-1\" (not a date or datetime)");
    assert_int_equal(drug_list(d->s, "53010000000000000099", NULL, NULL, &a,
                               buf, sizeof buf, &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.field, "psn_no");
    assert_string_equal(e.msg, "人员编号 53010000000000000099 不存在 (no "
                               "such person)");
    /* allocation failures: every one, then only after the first, second */
    for (int after = 0; after < 3; after++) {
        l = NULL;
        n = 99;
        a.fail_after = after;
        assert_int_equal(
            yb_chronic_drug_lines(d->s, PSN, NULL, NULL, &a, &l, &n, &e),
            YB_ENOMEM);
        assert_null(l);
        assert_int_equal(n, 0);
    }
    a.fail_after = -1;
    yb_arena_free(&a);
}

static void test_queries_report_allocation_failure(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    char v1[32];
    yb_arena_init(&a, 0);
    visit(d->s, INST, PSN, MAN, "M1", "2018-06-01 09:00:00", v1);
    struct yb_fee_in l[] = {fee(v1, "1", "A1", 10000, 1000000, 100, "B1")};
    assert_int_equal(
        yb_fee_upload(d->s, INST, l, 1, "op", "2018-06-01 09:30:00", &e),
        YB_OK);
    struct yb_visit_rec v;
    assert_int_equal(yb_visit_of_person(d->s, INST, PSN, v1, &a, &v, &e),
                     YB_OK);
    v.diag_codes = "A00.000,B00.000";
    struct yb_visit_query q = {.code = INST, .psn_no = PSN};
    struct yb_visit_row *rows = NULL;
    struct yb_diag_rec *dg = NULL;
    struct yb_fee_rec *f = NULL;
    size_t n = 0;
    /* every allocation fails, then only the second */
    for (int after = 0; after < 2; after++) {
        a.fail_after = after;
        assert_int_equal(yb_visit_list(d->s, &q, &a, &rows, &n, &e), YB_ENOMEM);
        assert_null(rows);
        a.fail_after = after;
        assert_int_equal(yb_visit_diagnoses(&v, &a, &dg, &n, &e), YB_ENOMEM);
        assert_null(dg);
        a.fail_after = after;
        assert_int_equal(yb_fee_lines(d->s, &v, NULL, &a, &f, &n, &e),
                         YB_ENOMEM);
        assert_null(f);
        assert_int_equal(n, 0);
    }
    a.fail_after = -1;
    assert_int_equal(yb_fee_lines(d->s, &v, NULL, &a, &f, &n, &e), YB_OK);
    assert_int_equal(n, 1);
    yb_arena_free(&a);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_visits_are_listed_by_period_at_this_institution),
        T(test_visit_list_refuses_bad_periods_and_unknown_persons),
        T(test_diagnoses_come_in_order_main_first),
        T(test_fee_lines_come_with_status_and_amounts),
        T(test_another_institutions_visit_is_not_found),
        T(test_chronic_drug_lines_come_from_every_institution),
        T(test_chronic_drug_lines_by_period_and_refusals),
        T(test_queries_report_allocation_failure),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
