/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of visits and fee lines (visit.h): registration needs the
 * person, their certificate and cover on the day (not enrolled, unpaid
 * and waiting are each refused with their reason); visit numbers follow
 * the region's highest; an ipt_otp_no is unique among live visits of an
 * institution; another institution's visit does not exist for it; fee
 * uploads are all or nothing (a repeated or known feedetl_sn, an amount
 * off cnt x pric by more than 0.01); a batch is cancelled by its number
 * or "0000"; a visit with valid lines cannot be cancelled; the catalogue
 * loads as engine entries.
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
#define T0 "2018-06-01 09:00:00"
#define MAN "530102198605120813"

#define PSN1 "53010000000000000001"
static const char *psn_no = PSN1;

/* A region, two institutions, a person covered from 2018-03-01, a person
 * enrolled but unpaid, and a catalogue of two items. */
static struct fx_db *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    int rc = yb_store_exec(
        d->s,
        "INSERT INTO event (id, kind, actor, at) VALUES (1, 'seed', 't', '" T0
        "');"
        "INSERT INTO region (admdvs, name, level, parent, pooling) VALUES "
        "('530102', '五华区', 3, '530100', '530100');"
        "INSERT INTO institution (fixmedins_code, name, hosp_lv, admdvs) "
        "VALUES ('" INST "', '甲', '3', '530102'), ('H53010200002', '乙', "
        "'2', '530102');"
        "INSERT INTO person (psn_no, certno, psn_name, gend, brdy, "
        "resd_admdvs) VALUES ('53010000000000000001', '" MAN "', '张伟', "
        "'1', '1986-05-12', '530102'), ('53010000000000000002', "
        "'530102199003150024', '王芳', '2', '1990-03-15', '530102'), "
        "('53010000000000000003', '530112201001010039', '张小明', '1', "
        "'2010-01-01', '530102');"
        "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, "
        "psn_type, tier, status, covered_from, waiting_until) VALUES "
        "('53010000000000000001', '390', 'basic', 2018, '530100', '1501', 1, "
        "'covered', '2018-03-01', '2018-02-28'), ('53010000000000000002', "
        "'390', 'basic', 2018, '530100', '1501', 1, 'pending', NULL, NULL), "
        "('53010000000000000003', '390', 'basic', 2018, '530100', '1502', 1, "
        "'covered', '2018-09-01', '2018-08-31');"
        "INSERT INTO catalogue_item (med_list_codg, name, list_type, "
        "chrgitm_lv, selfpay_prop, price_ceiling, valid_from, lmt_gend, "
        "lmt_age_min) VALUES ('A1', '甲类药', '101', '01', NULL, 12000000, "
        "'2010-01-01', NULL, NULL), ('B1', '乙类药', '101', '02', 1000, 0, "
        "'2010-01-01', '2', 18)",
        &e);
    if (rc != YB_OK)
        fail_msg("seed: %s: %s", e.field, e.msg);
    return d;
}

static struct yb_visit_reg reg(const char *psn, const char *certno,
                               const char *otp)
{
    return (struct yb_visit_reg){.fixmedins_code = INST,
                                 .region = "530100",
                                 .psn_no = psn,
                                 .insutype = "390",
                                 .begntime = T0,
                                 .mdtrt_cert_type = "02",
                                 .mdtrt_cert_no = certno,
                                 .ipt_otp_no = otp,
                                 .actor = "hisop",
                                 .now = T0};
}

static void test_registration_needs_cover_on_the_day(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    char id[32];
    struct yb_visit_reg r = reg(psn_no, MAN, "M1");
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_OK);
    assert_string_equal(id, "53010000000000000001");
    r.ipt_otp_no = "M2";
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_OK);
    assert_string_equal(id, "53010000000000000002");
    /* the same ipt_otp_no */
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_EDUPLICATE);
    assert_string_equal(e.field, "ipt_otp_no");
    assert_string_equal(id, "");
    /* unpaid */
    r = reg("53010000000000000002", "530102199003150024", "M3");
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_ENOTCOVERED);
    assert_string_equal(e.msg, "人员 53010000000000000002 的 2018 "
                               "年度参保未缴费 (not paid, status pending)");
    /* waiting until 2018-08-31 */
    r = reg("53010000000000000003", "530112201001010039", "M3");
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_ENOTCOVERED);
    assert_string_equal(e.msg,
                        "人员 53010000000000000003 的待遇自 2018-09-01 "
                        "起享受，2018-06-01 在等待期内 (waiting period)");
    /* not enrolled that year */
    r = reg(psn_no, MAN, "M4");
    r.begntime = "2019-01-02 08:00:00";
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_ENOTCOVERED);
    assert_string_equal(e.field, "insutype");
    /* somebody else's certificate, an unknown person */
    r = reg(psn_no, "530102199003150024", "M5");
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_EINVAL);
    assert_string_equal(e.field, "mdtrt_cert_no");
    r = reg("53010000000000000099", MAN, "M5");
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_ENOTFOUND);
    assert_string_equal(e.field, "psn_no");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM visit"), 2);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE kind = "
                                  "'visit.register'"),
                     2);
}

static struct yb_fee_in fee(const char *sn, const char *code, int64_t cnt,
                            int64_t pric, yb_fen amount, const char *batch)
{
    return (struct yb_fee_in){.feedetl_sn = sn,
                              .mdtrt_id = "53010000000000000001",
                              .psn_no = psn_no,
                              .chrg_bchno = batch,
                              .med_list_codg = code,
                              .fee_ocur_time = "2018-06-01 09:30:00",
                              .cnt = cnt,
                              .pric = pric,
                              .amount = amount};
}

static void test_fee_upload_is_all_or_nothing(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    char id[32];
    struct yb_visit_reg r = reg(psn_no, MAN, "M1");
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_OK);
    /* 2 x 10.000000 = 20.00; 3 x 3.333333 = 9.999999 -> 10.00 */
    struct yb_fee_in ok[] = {fee("1", "A1", 20000, 10000000, 2000, "B1"),
                             fee("2", "B1", 30000, 3333333, 1000, "B1")};
    assert_int_equal(yb_fee_upload(d->s, INST, ok, 2, "op", T0, &e), YB_OK);
    /* a known feedetl_sn, with a good line before it: nothing stored */
    struct yb_fee_in again[] = {fee("3", "A1", 10000, 1000000, 100, "B2"),
                                fee("1", "A1", 10000, 1000000, 100, "B2")};
    assert_int_equal(yb_fee_upload(d->s, INST, again, 2, "op", T0, &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.field, "feedetail[1].feedetl_sn");
    /* repeated within the upload */
    struct yb_fee_in twice[] = {fee("4", "A1", 10000, 1000000, 100, "B2"),
                                fee("4", "A1", 10000, 1000000, 100, "B2")};
    assert_int_equal(yb_fee_upload(d->s, INST, twice, 2, "op", T0, &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.msg, "明细流水号 4 与 feedetail[0] 重复 (repeated)");
    /* 0.02 off cnt x pric */
    struct yb_fee_in off[] = {fee("5", "A1", 20000, 10000000, 2002, "B2")};
    assert_int_equal(yb_fee_upload(d->s, INST, off, 1, "op", T0, &e),
                     YB_EINVAL);
    assert_string_equal(e.msg, "明细金额 det_item_fee_sumamt 20.02 与数量×单价 "
                               "20.00 不符 (amount differs from cnt x pric)");
    /* another institution cannot reach the visit */
    assert_int_equal(yb_fee_upload(d->s, "H53010200002", ok, 2, "op", T0, &e),
                     YB_ENOTFOUND);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM fee_line"), 2);
    assert_int_equal(fx_int(d->s, "SELECT sum(amount) FROM fee_line"), 3000);
    /* the visit cannot go while it has lines; batch cancel, then it can */
    assert_int_equal(
        yb_visit_cancel(d->s, INST, id, psn_no, "M1", "op", T0, &e), YB_EINVAL);
    long n = 0;
    assert_int_equal(
        yb_fee_cancel(d->s, INST, id, psn_no, "B9", "op", T0, &n, &e),
        YB_ENOTFOUND);
    assert_int_equal(
        yb_fee_cancel(d->s, INST, id, psn_no, "0000", "op", T0, &n, &e), YB_OK);
    assert_int_equal(n, 2);
    /* a feedetl_sn of a cancelled line can be sent again */
    assert_int_equal(yb_fee_upload(d->s, INST, ok, 1, "op", T0, &e), YB_OK);
    assert_int_equal(
        yb_fee_cancel(d->s, INST, id, psn_no, "B1", "op", T0, &n, &e), YB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(
        yb_visit_cancel(d->s, INST, id, psn_no, "M1", "op", T0, &e), YB_OK);
    assert_int_equal(yb_fee_upload(d->s, INST, ok, 1, "op", T0, &e), YB_EINVAL);
    assert_string_equal(e.field, "feedetail[0].mdtrt_id");
}

static void test_visit_info_sets_the_medical_type(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    char id[32];
    struct yb_visit_reg r = reg(psn_no, MAN, "M1");
    assert_int_equal(yb_visit_register(d->s, &r, id, &e), YB_OK);
    struct yb_visit_info in = {.med_type = "14",
                               .dise_codg = "M03900",
                               .diag_codes = "E11.900,I10.x00"};
    assert_int_equal(
        yb_visit_set_info(d->s, INST, id, psn_no, &in, "op", T0, &e), YB_OK);
    char buf[64];
    fx_text(d->s, "SELECT med_type || ' ' || diag_codes FROM visit", buf,
            sizeof buf);
    assert_string_equal(buf, "14 E11.900,I10.x00");
    in.med_type = "99";
    assert_int_equal(
        yb_visit_set_info(d->s, INST, id, psn_no, &in, "op", T0, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "med_type");
    in.med_type = "21";
    assert_int_equal(
        yb_visit_set_info(d->s, INST, id, psn_no, &in, "op", T0, &e),
        YB_EINVAL);
    /* the wrong person */
    in.med_type = "11";
    assert_int_equal(yb_visit_set_info(d->s, INST, id, "53010000000000000002",
                                       &in, "op", T0, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "psn_no");
}

static void test_catalogue_loads_as_engine_entries(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    struct yb_arena a;
    yb_arena_init(&a, 0);
    struct yb_catalogue_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(yb_catalogue_load(d->s, &a, &v, &n, &e), YB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].code, "A1");
    assert_int_equal(v[0].chrgitm_lv, 1);
    assert_int_equal(v[0].selfpay_prop, -1);
    assert_int_equal(v[0].price_ceiling, 12000000);
    assert_int_equal(v[0].valid_to, INT32_MAX);
    assert_int_equal(v[1].chrgitm_lv, 2);
    assert_int_equal(v[1].selfpay_prop, 1000);
    assert_int_equal(v[1].lmt_gender, 2);
    assert_int_equal(v[1].lmt_age_min, 18);
    assert_int_equal(v[1].lmt_age_max, -1);
    struct yb_catalogue c;
    assert_int_equal(yb_catalogue_build(&c, v, n, &e), YB_OK);
    yb_date on = 0;
    yb_date_parse("2018-06-01", &on, "d", NULL);
    assert_non_null(yb_catalogue_find(&c, "B1", on));
    yb_catalogue_free(&c);
    yb_arena_free(&a);
}

/* The catalogue's version counts its changes: two seeded rows, then one
 * more per insert, update and delete; a rolled-back change leaves it. */
static void test_catalogue_version_counts_every_change(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    int64_t v = -1;
    assert_int_equal(yb_catalogue_version(d->s, &v, &e), YB_OK);
    assert_int_equal(v, 2);
    assert_int_equal(
        yb_store_exec(d->s,
                      "INSERT INTO catalogue_item (med_list_codg, name, "
                      "list_type, chrgitm_lv, valid_from) VALUES ('C1', 'c', "
                      "'101', '01', '2018-01-01')",
                      &e),
        YB_OK);
    assert_int_equal(yb_catalogue_version(d->s, &v, &e), YB_OK);
    assert_int_equal(v, 3);
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE catalogue_item SET valid_to = "
                                   "'2018-12-31' WHERE med_list_codg = 'C1'",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(
        yb_store_exec(
            d->s, "DELETE FROM catalogue_item WHERE med_list_codg = 'C1'", &e),
        YB_OK);
    assert_int_equal(yb_catalogue_version(d->s, &v, &e), YB_OK);
    assert_int_equal(v, 5);
    yb_store_rollback(d->s);
    assert_int_equal(yb_catalogue_version(d->s, &v, &e), YB_OK);
    assert_int_equal(v, 4);
}

/* The pooling region a person is insured in for a year: that of the live
 * enrolment of the latest year up to it (the last made, when a year has
 * two), else of the first year after it (the first made); transferred and
 * cancelled enrolments do not count; no enrolment at all is no refusal. */
static void test_insured_region_is_the_latest_live_year_up_to_it(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    int rc = yb_store_exec(
        d->s,
        "INSERT INTO region (admdvs, name, level, parent, pooling) VALUES "
        "('530300', '曲靖市', 2, '530000', '530300');"
        "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, "
        "psn_type, tier, status) VALUES "
        "('" PSN1 "', '390', 'basic', 2016, '530300', '1501', 1, 'covered'),"
        "('" PSN1 "', '390', 'other', 2016, '530100', '1501', 1, 'covered'),"
        "('" PSN1 "', '390', 'other', 2018, '530300', '1501', 1, 'covered'),"
        "('" PSN1 "', '390', 'basic', 2019, '530100', '1501', 1, "
        "'transferred'),"
        "('" PSN1 "', '390', 'other', 2019, '530100', '1501', 1, "
        "'cancelled'),"
        "('" PSN1 "', '390', 'basic', 2020, '530100', '1501', 1, 'covered')",
        &e);
    if (rc != YB_OK)
        fail_msg("seed: %s: %s", e.field, e.msg);
    static const struct {
        int year;
        const char *pool;
    } want[] = {
        {2014, "530300"}, /* none up to it: the first after, first made */
        {2016, "530100"}, /* 2016's last made, not its first */
        {2017, "530100"}, /* 2016's last made */
        {2018, "530300"}, /* 2018: the one made after 530100's */
        {2019, "530300"}, /* 2019 transferred and cancelled: 2018 */
        {2025, "530100"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const char *other =
            strcmp(want[i].pool, "530100") == 0 ? "530300" : "530100";
        char msg[300];
        e = (struct yb_err){0};
        rc = yb_person_insured_here(d->s, PSN1, NULL, want[i].pool,
                                    want[i].year, &e);
        if (rc != YB_OK)
            fail_msg("%d in %s: %s", want[i].year, want[i].pool, e.msg);
        assert_int_equal(
            yb_person_insured_here(d->s, PSN1, NULL, other, want[i].year, &e),
            YB_ENOTCOVERED);
        snprintf(msg, sizeof msg,
                 "人员 " PSN1 " 参保于统筹区 %s，不是本统筹区 %s", want[i].pool,
                 other);
        if (strncmp(e.msg, msg, strlen(msg)) != 0)
            fail_msg("%d: %s", want[i].year, e.msg);
    }
    /* a person without any enrolment: nothing to refuse */
    assert_int_equal(yb_person_insured_here(d->s, "53010000000000000009", NULL,
                                            "530300", 2018, &e),
                     YB_OK);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_registration_needs_cover_on_the_day),
        T(test_fee_upload_is_all_or_nothing),
        T(test_visit_info_sets_the_medical_type),
        T(test_catalogue_loads_as_engine_entries),
        T(test_catalogue_version_counts_every_change),
        T(test_insured_region_is_the_latest_live_year_up_to_it),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
