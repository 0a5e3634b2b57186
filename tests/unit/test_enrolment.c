/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of enrolment and contribution collection
 * (src/service/enrolment.c, contribution.c) on a fresh SQLite file per
 * test: a payment covers the year and posts the personal contribution to
 * the basic fund (trial balance per fund to the fen); 特困 covered at
 * enrolment and paid in full by the assistance fund 610100; 低保 with a
 * fixed assisted amount, in one row and in two; a wrong amount refused
 * with both figures and nothing written; a receipt seen before refused;
 * a second enrolment for the year in another region refused naming the
 * one held (by the service and by the schema's index); a transfer
 * without a gap; a refund that reverses the ledger and the cover;
 * newborns inside and outside the grace period; the 2024 waiting periods
 * (first enrolment outside the window, a two-year break, a break with one
 * year repaid); households and schools; the year's summary.
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
#include "yibao/yibao.h"
#include "yibao/enrolment.h"
#include "yibao/registry.h"

/* ---- policies -----------------------------------------------------------
 */

/* A region's rules for one coverage year, single-quoted for legibility:
 * %s region, %d year, %d year - 1 (the window), %s the waiting rules. */
static const char policy_fmt[] =
    "{'schema': 'yibao.policy/1', 'region': '%s', 'insutype': '390', "
    "'year': %d, 'benefits': {'layers': [{'id': 'inpatient', 'name': "
    "'住院统筹', 'stage': 'basic', 'rates': {'rules': [{'rate': '70%%'}]}}]}, "
    "'financing': {'window': {'from': '%d-09-01', 'to': '%d-12-31'}, "
    "  'subsidy': '490.00', "
    "  'tiers': [{'tier': 1, 'amount': '220.00'}, "
    "            {'tier': 2, 'amount': '420.00'}], "
    "  'assistance': ["
    "    {'name': '特困人员全额资助', 'when': {'idet': ['201']}, "
    "     'pay': 'full'}, "
    "    {'name': '低保对象定额资助', 'when': {'idet': ['202', '203']}, "
    "     'pay': 'amount', 'amount': '150.00'}]}, "
    "'enrolment': {"
    "  'person_types': ["
    "    {'psn_type': '1401', 'age_max': 0}, "
    "    {'psn_type': '1404', 'student': ['college']}, "
    "    {'psn_type': '1403', 'student': ['school']}, "
    "    {'psn_type': '1402', 'age_max': 6}, "
    "    {'psn_type': '1405', 'age_max': 17}, "
    "    {'psn_type': '1601', 'age_min': 60}, "
    "    {'psn_type': '1501'}], "
    "  'newborn_grace_days': 90%s}}";

/* The 2024 national rules (国办发〔2024〕38号) as policy data. */
static const char waiting_2024[] =
    ", 'waiting': {'fixed_months': 3, 'variable_months_per_year': 1, "
    "  'variable_after_years': 1, 'repair_months_per_year': 1, "
    "  'repair_floor': {'from_break_years': 4, 'months': 6}, "
    "  'exempt': [{'psn_type': ['1401']}, "
    "             {'idet': ['201', '202', '203']}]}";

static struct yb_policy *policy(const char *region, int year, bool waiting)
{
    char json[4096];
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    int n = snprintf(json, sizeof json, policy_fmt, region, year, year - 1,
                     year - 1, waiting ? waiting_2024 : "");
    assert_true(n > 0 && (size_t)n < sizeof json);
    for (char *c = json; *c; c++)
        if (*c == '\'')
            *c = '"';
    int rc = yb_policy_parse(json, strlen(json), &p, &e);
    if (rc != YB_OK)
        fail_msg("policy: %s: %s", e.field, e.msg);
    return p;
}

/* ---- persons ------------------------------------------------------------
 */

static struct yb_actor clerk(const char *now)
{
    return (struct yb_actor){.name = "clerk01", .now = now};
}

static yb_store *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e;
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    return d->s;
}

struct who {
    const char *county; /* residence, six digits */
    const char *birth;  /* yyyymmdd */
    int seq;            /* three digits; odd: male */
    const char *hh, *school;
    int student;
};

/* Register a person with a valid ID number built from w; psn_no out. */
static void add_person(yb_store *s, const struct who *w, char psn_no[32])
{
    char certno[19], ymd[11];
    struct yb_person_rec p = {0};
    struct yb_actor a = clerk("2017-08-01 09:00:00");
    struct yb_err e = {0};
    snprintf(certno, sizeof certno, "%s%s%03d", w->county, w->birth, w->seq);
    certno[17] = yb_idcard_check_char(certno);
    certno[18] = 0;
    snprintf(ymd, sizeof ymd, "%.4s-%.2s-%.2s", w->birth, w->birth + 4,
             w->birth + 6);
    p.certno = certno;
    p.psn_name = "参保人";
    p.resd_admdvs = w->county;
    p.hh_id = w->hh;
    p.school_code = w->school;
    p.student = w->student;
    if (yb_person_add(s, &a, &p, &e) != YB_OK)
        fail_msg("person: %s: %s", e.field, e.msg);
    snprintf(psn_no, 32, "%s", p.psn_no);
}

static void person(yb_store *s, const char *birth, int seq, char psn_no[32])
{
    struct who w = {.county = "530102", .birth = birth, .seq = seq};
    add_person(s, &w, psn_no);
}

static void identity(yb_store *s, const char *psn_no, const char *idet)
{
    struct yb_actor a = clerk("2017-08-01 09:00:00");
    struct yb_err e = {0};
    assert_int_equal(yb_identity_add(s, &a, psn_no, idet,
                                     yb_date_from_ymd(2010, 1, 1), 0, "民政",
                                     &e),
                     YB_OK);
}

/* ---- payments -----------------------------------------------------------
 */

static int pay(yb_store *s, const struct yb_policy *p, const char *psn,
               int tier, yb_fen amount, const char *paid_at,
               const char *channel, const char *receipt,
               struct yb_payment_result *r, struct yb_err *e)
{
    struct yb_actor a = clerk("2018-01-20 10:00:00");
    struct yb_payment y = {.certno = psn,
                           .year = p->year,
                           .tier = tier,
                           .amount = amount,
                           .paid_at = paid_at,
                           .channel = channel,
                           .receipt_no = receipt};
    yb_err_clear(e);
    return yb_contribution_pay(s, &a, p, &y, r, e);
}

static void pay_ok(yb_store *s, const struct yb_policy *p, const char *psn,
                   int tier, yb_fen amount, const char *paid_at,
                   const char *channel, const char *receipt,
                   struct yb_payment_result *r)
{
    struct yb_err e;
    if (pay(s, p, psn, tier, amount, paid_at, channel, receipt, r, &e) != YB_OK)
        fail_msg("payment %s: %s: %s", receipt, e.field, e.msg);
}

static const char *fmt_date(yb_date d, char *buf)
{
    if (!d)
        return strcpy(buf, "-");
    return yb_date_format(d, buf);
}

/* "status from..wait" of an enrolment, comparable in one assert. */
static const char *cover_of(const struct yb_enrolment *en, char *buf, size_t n)
{
    char a[11], b[11], c[11];
    snprintf(buf, n, "%s %s..%s wait %s", en->status,
             fmt_date(en->covered_from, a), fmt_date(en->covered_to, b),
             fmt_date(en->waiting_until, c));
    return buf;
}

/* ---- the ledger ---------------------------------------------------------
 */

struct tb {
    struct yb_arena a;
    struct yb_trial_balance t;
};

static void tb_load(yb_store *s, struct tb *x)
{
    struct yb_err e = {0};
    yb_arena_init(&x->a, 4096);
    assert_int_equal(
        yb_ledger_trial_balance(s, NULL, NULL, NULL, &x->a, &x->t, &e), YB_OK);
    assert_true(x->t.balanced);
}

/* Debits and credits of a fund: "D/C" in fen, "-" when it has none. */
static const char *tb_fund(const struct tb *x, const char *fund, char *buf)
{
    strcpy(buf, "-");
    for (size_t i = 0; i < x->t.n_funds; i++)
        if (strcmp(x->t.funds[i].fund, fund) == 0) {
            assert_true(x->t.funds[i].balanced);
            sprintf(buf, "%lld/%lld", (long long)x->t.funds[i].debit,
                    (long long)x->t.funds[i].credit);
        }
    return buf;
}

/* Debit, credit and closing of one account of a fund: "D/C/closing". */
static const char *tb_acc(const struct tb *x, const char *fund, const char *acc,
                          char *buf)
{
    strcpy(buf, "-");
    for (size_t i = 0; i < x->t.n_lines; i++) {
        const struct yb_tb_line *l = &x->t.lines[i];
        if (strcmp(l->fund, fund) == 0 && strcmp(l->account, acc) == 0)
            sprintf(buf, "%lld/%lld/%lld", (long long)l->debit,
                    (long long)l->credit, (long long)l->closing);
    }
    return buf;
}

/* Rows of every table a payment writes, as one comparable string. */
static const char *written(yb_store *s, char *buf, size_t n)
{
    snprintf(buf, n, "%lld/%lld/%lld/%lld/%lld",
             (long long)fx_int(s, "SELECT count(*) FROM enrolment"),
             (long long)fx_int(s, "SELECT count(*) FROM contribution"),
             (long long)fx_int(s, "SELECT count(*) FROM journal"),
             (long long)fx_int(s, "SELECT count(*) FROM event"),
             (long long)fx_int(s, "SELECT count(*) FROM audit"));
    return buf;
}

struct find_live {
    int year;
    struct yb_enrolment *en;
    int n;
};

static void keep_live(const struct yb_enrolment *en, void *ud)
{
    struct find_live *f = ud;
    if (en->year == f->year && strcmp(en->status, "cancelled") != 0 &&
        strcmp(en->status, "transferred") != 0) {
        *f->en = *en;
        f->n++;
    }
}

/* The person's one live enrolment of the year, read back. */
static void live(yb_store *s, const char *psn_no, int year,
                 struct yb_enrolment *en)
{
    struct yb_err e = {0};
    struct find_live f = {year, en, 0};
    memset(en, 0, sizeof *en);
    assert_int_equal(yb_enrol_list(s, psn_no, keep_live, &f, &e), YB_OK);
    assert_int_equal(f.n, 1);
}

static const char *psn_text(yb_store *s, const char *sql, const char *psn,
                            char *buf, size_t n)
{
    struct yb_err e;
    yb_stmt *st;
    buf[0] = 0;
    assert_int_equal(yb_store_prepare(s, sql, &st, &e), YB_OK);
    yb_stmt_bind_text(st, 1, psn);
    if (yb_stmt_step(st, &e) == YB_ROW && !yb_stmt_null(st, 0))
        snprintf(buf, n, "%s", yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    return buf;
}

/* ---- payments -----------------------------------------------------------
 */

static void
test_payment_in_the_window_covers_the_year_and_posts_to_the_fen(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct tb x;
    char a[32], b[32], buf[128];
    person(s, "19800505", 11, a);
    person(s, "19500202", 22, b);

    pay_ok(s, p, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW0001", &r);
    assert_true(r.covered);
    assert_int_equal(r.personal, 22000);
    assert_int_equal(r.assisted, 0);
    assert_null(r.assist_fund);
    assert_int_equal(r.cover.reason, YB_COVER_WINDOW);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2018-01-01..- wait 2017-12-31");
    assert_string_equal(r.enrolment.psn_type, "1501");
    assert_string_equal(r.enrolment.admdvs, "530100");
    assert_string_equal(r.enrolment.insutype, "390");
    assert_string_equal(r.enrolment.unit_kind, "individual");
    assert_int_equal(r.enrolment.tier, 1);
    /* tier 2, the last second of the window, a person of 67 */
    pay_ok(s, p, b, 2, 42000, "2017-12-31 23:59:59", "bank", "SW0002", &r);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2018-01-01..- wait 2017-12-31");
    assert_string_equal(r.enrolment.psn_type, "1601");
    assert_int_equal(r.enrolment.tier, 2);

    tb_load(s, &x);
    assert_string_equal(tb_fund(&x, "390100", buf), "64000/64000");
    assert_string_equal(tb_acc(&x, "390100", "1003", buf), "64000/0/64000");
    assert_string_equal(tb_acc(&x, "390100", "4101", buf), "0/64000/64000");
    assert_string_equal(tb_fund(&x, "610100", buf), "-");
    assert_string_equal(tb_fund(&x, "390200", buf), "-");
    yb_arena_free(&x.a);
    assert_int_equal(
        fx_int(s, "SELECT count(*) FROM journal WHERE period = '2017-10'"), 2);
    assert_int_equal(
        fx_int(s, "SELECT count(*) FROM journal WHERE period = '2017-12'"), 2);
    /* one event per payment, the enrolment written under it */
    assert_int_equal(fx_int(s, "SELECT count(*) FROM event WHERE kind = "
                               "'contribution.payment'"),
                     2);
    assert_int_equal(
        fx_int(s, "SELECT count(*) FROM event WHERE kind = 'enrolment.add'"),
        0);
    assert_string_equal(psn_text(s,
                                 "SELECT channel || ' ' || kind || ' ' || "
                                 "personal || ' ' || assisted || ' ' || "
                                 "receipt FROM contribution WHERE psn_no = $1",
                                 a, buf, sizeof buf),
                        "wechat payment 22000 0 SW0001");
    yb_policy_free(p);
}

static void
test_tekun_is_covered_at_enrolment_and_assistance_pays_in_full(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2017-11-01 09:00:00");
    struct yb_enrol_req req = {
        .policy = p, .year = 2018, .by = YB_ENROL_BY_PERSON};
    struct yb_enrol_result res;
    struct yb_payment_result r;
    struct yb_enrolment en;
    struct yb_err e = {0};
    struct tb x;
    char c[32], buf[256], want[256];
    person(s, "19400303", 31, c);
    identity(s, c, "201");
    req.key = c;

    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    assert_int_equal(res.enrolled, 1);
    assert_int_equal(res.covered, 1);
    live(s, c, 2018, &en);
    assert_string_equal(cover_of(&en, buf, sizeof buf),
                        "covered 2018-01-01..- wait 2017-12-31");
    assert_string_equal(en.psn_type, "1601");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM journal"), 0);

    /* the person owes nothing of their own */
    assert_int_equal(pay(s, p, c, 1, 22000, "2017-11-02 10:00:00", "wechat",
                         "SW0003", &r, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "amount");
    snprintf(want, sizeof want,
             "金额 220.00 与个人部分 0.00（%s）不符（第 1 档 220.00 减去资助的 "
             "220.00：特困人员全额资助）(differs from the own share)",
             c);
    assert_string_equal(e.msg, want);

    pay_ok(s, p, c, 1, 22000, "2017-11-05 10:00:00", "assistance", "MZ0001",
           &r);
    assert_int_equal(r.personal, 0);
    assert_int_equal(r.assisted, 22000);
    assert_string_equal(r.assist_fund, "610100");
    assert_true(r.covered);
    assert_string_equal(psn_text(s,
                                 "SELECT personal || ' ' || assisted || ' ' || "
                                 "assist_payer FROM contribution WHERE "
                                 "psn_no = $1",
                                 c, buf, sizeof buf),
                        "0 22000 610100");
    tb_load(s, &x);
    assert_string_equal(tb_fund(&x, "390100", buf), "22000/22000");
    assert_string_equal(tb_acc(&x, "390100", "1211", buf), "22000/0/22000");
    assert_string_equal(tb_acc(&x, "390100", "4102", buf), "0/22000/22000");
    assert_string_equal(tb_acc(&x, "390100", "1003", buf), "-");
    assert_string_equal(tb_fund(&x, "610100", buf), "22000/22000");
    assert_string_equal(tb_acc(&x, "610100", "5104", buf), "22000/0/22000");
    assert_string_equal(tb_acc(&x, "610100", "2103", buf), "0/22000/22000");
    yb_arena_free(&x.a);

    assert_int_equal(pay(s, p, c, 1, 22000, "2017-11-06 10:00:00", "assistance",
                         "MZ0002", &r, &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.field, "certno");
    snprintf(want, sizeof want,
             "人员 %s 的 2018 年度资助部分已登记 (the assisted part is "
             "recorded already)",
             c);
    assert_string_equal(e.msg, want);
    yb_policy_free(p);
}

static void
test_after_the_year_assistance_buys_no_cover_but_repays_arrears(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2019-02-01 09:00:00");
    struct yb_enrol_req req = {
        .policy = p, .year = 2018, .by = YB_ENROL_BY_PERSON};
    struct yb_enrol_result res;
    struct yb_payment_result r;
    struct yb_err e = {0};
    char c[32], buf[128];
    person(s, "19400303", 31, c);
    identity(s, c, "201");
    req.key = c;

    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    assert_int_equal(res.covered, 0);
    pay_ok(s, p, c, 1, 22000, "2019-02-02 10:00:00", "assistance", "MZ1901",
           &r);
    assert_false(r.covered);
    assert_int_equal(r.assisted, 22000);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "repaid -..- wait -");
    assert_int_equal(
        fx_int(s, "SELECT count(*) FROM journal WHERE period = '2019-02'"), 4);
    yb_policy_free(p);
}

static void test_dibao_pays_the_rest_of_a_fixed_assistance(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct tb x;
    char d[32], f[32], buf[128];
    person(s, "19700707", 41, d);
    identity(s, d, "202");
    person(s, "19710101", 51, f);
    identity(s, f, "203");

    /* one row: the person's 70.00 records the assistance's 150.00 */
    pay_ok(s, p, d, 1, 7000, "2017-09-15 08:00:00", "bank", "SW0004", &r);
    assert_int_equal(r.personal, 7000);
    assert_int_equal(r.assisted, 15000);
    assert_int_equal(r.due.individual, 22000);
    assert_int_equal(r.due.own, 7000);
    assert_true(r.covered);

    /* two rows: assistance first leaves the year unpaid */
    pay_ok(s, p, f, 1, 15000, "2017-10-16 09:00:00", "assistance", "MZ0003",
           &r);
    assert_false(r.covered);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "pending -..- wait -");
    pay_ok(s, p, f, 1, 7000, "2017-11-11 11:11:11", "village", "SW0005", &r);
    assert_int_equal(r.personal, 7000);
    assert_int_equal(r.assisted, 0);
    assert_true(r.covered);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2018-01-01..- wait 2017-12-31");

    tb_load(s, &x);
    assert_string_equal(tb_fund(&x, "390100", buf), "44000/44000");
    assert_string_equal(tb_acc(&x, "390100", "1003", buf), "14000/0/14000");
    assert_string_equal(tb_acc(&x, "390100", "1211", buf), "30000/0/30000");
    assert_string_equal(tb_acc(&x, "390100", "4101", buf), "0/14000/14000");
    assert_string_equal(tb_acc(&x, "390100", "4102", buf), "0/30000/30000");
    assert_string_equal(tb_fund(&x, "610100", buf), "30000/30000");
    yb_arena_free(&x.a);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM contribution"), 3);
    yb_policy_free(p);
}

/* A refused payment: the code, the field, the message, nothing written. */
static void refused(yb_store *s, const struct yb_policy *p, const char *psn,
                    int tier, yb_fen amount, const char *paid_at,
                    const char *channel, const char *receipt, int code,
                    const char *field, const char *msg)
{
    struct yb_payment_result r;
    struct yb_err e;
    char before[64], after[64];
    written(s, before, sizeof before);
    int got = pay(s, p, psn, tier, amount, paid_at, channel, receipt, &r, &e);
    if (got != code)
        print_error("%s: %s: %s\n", receipt, e.field, e.msg);
    assert_int_equal(got, code);
    assert_string_equal(e.field, field);
    assert_string_equal(e.msg, msg);
    assert_string_equal(written(s, after, sizeof after), before);
    assert_false(yb_store_in_transaction(s));
    assert_int_equal(r.contribution_id, 0);
}

static void test_a_wrong_amount_is_refused_and_nothing_written(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    char d[32], a[32], msg[256];
    person(s, "19700707", 41, d);
    identity(s, d, "202");
    person(s, "19800505", 11, a);
    const char *t = "2017-10-01 10:00:00";

    snprintf(
        msg, sizeof msg,
        "金额 220.00 与个人部分 70.00（%s）不符（第 1 档 220.00 减去资助的 "
        "150.00：低保对象定额资助）(differs from the own share)",
        d);
    refused(s, p, d, 1, 22000, t, "bank", "SW1", YB_EINVAL, "amount", msg);
    snprintf(msg, sizeof msg,
             "金额 200.00 与个人部分 220.00（%s）不符（第 1 档）(differs from "
             "the own share)",
             a);
    refused(s, p, a, 1, 20000, t, "bank", "SW2", YB_EINVAL, "amount", msg);
    snprintf(msg, sizeof msg,
             "金额 220.00 与资助部分 0.00 不符：没有资助规则适用于 "
             "%s（2017-10-01）(no assistance rule matches)",
             a);
    refused(s, p, a, 1, 22000, t, "assistance", "SW3", YB_EINVAL, "amount",
            msg);
    refused(s, p, a, 3, 22000, t, "bank", "SW4", YB_EINVAL, "tier",
            "3 不是政策的缴费档次（1 至 2）(not a contribution tier of the "
            "policy)");
    refused(s, p, a, 1, 0, t, "bank", "SW5", YB_EINVAL, "amount",
            "金额 0.00 应大于 0.00 (not above 0.00)");
    refused(s, p, a, 1, 22000, "2017-10-01", "bank", "SW6", YB_EINVAL,
            "paid_at",
            "应为 yyyy-MM-dd HH:mm:ss，实际为 \"2017-10-01\" (not a datetime)");
    refused(s, p, a, 1, 22000, t, "cash", "SW7", YB_EINVAL, "channel",
            "缴费渠道代码无效：\"cash\" (not a collection channel)");
    refused(s, p, a, 1, 22000, t, "bank", "", YB_EINVAL, "receipt_no",
            "票据号 \"\" 为空 (empty)");
    /* a household paying before the child was born */
    char baby[32];
    person(s, "20171208", 91, baby);
    snprintf(msg, sizeof msg,
             "人员 %s：日期 2017-10-19 早于出生日期 2017-12-08 (before the "
             "birth date)",
             baby);
    refused(s, p, baby, 1, 22000, "2017-10-19 16:19:53", "wechat", "SW9",
            YB_EINVAL, "paid_at", msg);
    refused(s, p, "530102199901010000", 1, 22000, t, "bank", "SW8",
            YB_ENOTFOUND, "certno",
            "没有证件号码为 530102199901010000 的登记人员 (no registered "
            "person with this ID number)");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM contribution"), 0);
    yb_policy_free(p);
}

static void test_a_receipt_seen_before_is_refused(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    char a[32], b[32], msg[256];
    person(s, "19800505", 11, a);
    person(s, "19810606", 22, b);
    pay_ok(s, p, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW0001", &r);

    snprintf(msg, sizeof msg,
             "票据号 SW0001 已登记：缴费记录 %lld（%s，2018 年度）(receipt "
             "recorded already)",
             (long long)r.contribution_id, a);
    refused(s, p, b, 1, 22000, "2017-10-11 09:30:00", "wechat", "SW0001",
            YB_EDUPLICATE, "receipt_no", msg);
    snprintf(
        msg, sizeof msg,
        "人员 %s 已缴纳 2018 年度的个人部分 (has paid the own part already)",
        a);
    refused(s, p, a, 1, 22000, "2017-10-11 09:30:00", "wechat", "SW0009",
            YB_EDUPLICATE, "certno", msg);
    yb_policy_free(p);
}

/* ---- one live enrolment per person and year -----------------------------
 */

static int raw_enrolment(yb_store *s, const char *psn, const char *insutype,
                         const char *admdvs, const char *status)
{
    struct yb_err e;
    yb_stmt *st;
    assert_int_equal(
        yb_store_prepare(s,
                         "INSERT INTO enrolment (psn_no, insutype, scheme, "
                         "year, admdvs, psn_type, status) VALUES ($1, $2, "
                         "'basic', 2018, $3, '1501', $4)",
                         &st, &e),
        YB_OK);
    yb_stmt_bind_text(st, 1, psn);
    yb_stmt_bind_text(st, 2, insutype);
    yb_stmt_bind_text(st, 3, admdvs);
    yb_stmt_bind_text(st, 4, status);
    int rc = yb_stmt_step(st, &e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static void
test_a_second_enrolment_in_another_region_is_refused_naming_the_first(
    void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *km = policy("530100", 2018, false);
    struct yb_policy *nb = policy("330200", 2018, false);
    struct yb_actor who = clerk("2017-11-01 09:00:00");
    struct yb_enrol_req req = {
        .policy = km, .year = 2018, .by = YB_ENROL_BY_PERSON};
    struct yb_enrol_result res;
    struct yb_err e = {0};
    char a[32], n[32], msg[256];
    struct who ningbo = {.county = "330203", .birth = "19880808", .seq = 33};
    person(s, "19800505", 11, a);
    add_person(s, &ningbo, n);
    req.key = a;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);

    req.policy = nb;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_EDUPLICATE);
    assert_string_equal(e.field, "person");
    snprintf(msg, sizeof msg,
             "人员 %s 已参保 2018 年度：参保记录 1，统筹区 530100，险种 390，"
             "状态 pending (enrolled already)",
             a);
    assert_string_equal(e.msg, msg);
    assert_int_equal(res.enrolled, 0);
    /* a payment collected in the other region names it too */
    refused(s, nb, a, 1, 22000, "2017-10-10 09:30:00", "bank", "NB0001",
            YB_EDUPLICATE, "certno", msg);
    /* the schema refuses it whatever writes it, employees' 310 included */
    assert_int_equal(raw_enrolment(s, a, "390", "330200", "pending"),
                     YB_EDUPLICATE);
    assert_int_equal(raw_enrolment(s, a, "310", "330200", "covered"),
                     YB_EDUPLICATE);
    assert_int_equal(raw_enrolment(s, a, "390", "330200", "cancelled"), YB_OK);
    assert_int_equal(raw_enrolment(s, a, "390", "330200", "transferred"),
                     YB_OK);
    /* a Ningbo resident is not enrolled under Kunming's policy */
    req.policy = km;
    req.key = n;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_EINVAL);
    assert_string_equal(e.field, "admdvs");
    snprintf(msg, sizeof msg,
             "人员 %s 居住在统筹区 330200，不在政策统筹区 530100 (not in the "
             "policy's region)",
             n);
    assert_string_equal(e.msg, msg);
    yb_policy_free(km);
    yb_policy_free(nb);
}

static void test_enrol_refuses_what_the_policy_does_not_have(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2017-11-01 09:00:00");
    struct yb_enrol_req req = {
        .policy = p, .year = 2019, .by = YB_ENROL_BY_PERSON, .key = "x"};
    struct yb_enrol_result res;
    struct yb_err e = {0};
    char a[32];
    person(s, "19800505", 11, a);

    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_EINVAL);
    assert_string_equal(e.field, "year");
    assert_string_equal(
        e.msg, "2019 不是政策的参保年度 2018 (not the policy's coverage year)");
    req.year = 2018;
    req.tier = 3;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_EINVAL);
    assert_string_equal(e.field, "tier");
    req.tier = 0;
    req.unit_kind = "village";
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_EINVAL);
    assert_string_equal(e.field, "unit_kind");
    req.unit_kind = NULL;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_ENOTFOUND);
    assert_string_equal(e.field, "person");
    assert_string_equal(e.msg,
                        "没有人员编号或证件号码为 x 的人员 (no such person)");
    req.by = YB_ENROL_BY_HOUSEHOLD;
    req.key = "5301000000009999";
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_ENOTFOUND);
    assert_string_equal(e.field, "household");
    assert_string_equal(
        e.msg, "未登记家庭成员（家庭户 5301000000009999）(not registered)");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM enrolment"), 0);
    yb_policy_free(p);
}

static void test_household_school_and_all_enrol_who_is_not_yet(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2017-11-01 09:00:00");
    struct yb_enrol_req req = {.policy = p, .year = 2018};
    struct yb_enrol_result res;
    struct yb_enrolment en;
    struct yb_err e = {0};
    const char *hh = "5301000000000002", *sc = "5301020001";
    struct who mum = {"530102", "19800505", 12, hh, NULL, 0};
    struct who kid = {"530102", "20100404", 21, hh, sc, YB_STUDENT_SCHOOL};
    struct who gran = {"530102", "19450101", 32, hh, NULL, 0};
    struct who pupil = {"530102", "20090909", 41, NULL, sc, YB_STUDENT_SCHOOL};
    struct who alone = {"530102", "19900101", 51, NULL, NULL, 0};
    struct who away = {"330203", "19880808", 33, NULL, NULL, 0};
    char m[32], k[32], g[32], u[32], l[32], w[32];
    add_person(s, &mum, m);
    add_person(s, &kid, k);
    add_person(s, &gran, g);
    add_person(s, &pupil, u);
    add_person(s, &alone, l);
    add_person(s, &away, w);

    req.by = YB_ENROL_BY_PERSON;
    req.key = k;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    req.by = YB_ENROL_BY_HOUSEHOLD;
    req.key = hh;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    assert_int_equal(res.enrolled, 2);
    assert_int_equal(res.skipped, 1);
    live(s, g, 2018, &en);
    assert_string_equal(en.unit_kind, "household");
    assert_string_equal(en.unit_ref, hh);
    assert_string_equal(en.psn_type, "1601");
    assert_string_equal(en.status, "pending");

    req.by = YB_ENROL_BY_SCHOOL;
    req.key = sc;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    assert_int_equal(res.enrolled, 1);
    assert_int_equal(res.skipped, 1);
    live(s, u, 2018, &en);
    assert_string_equal(en.unit_kind, "school");
    assert_string_equal(en.unit_ref, sc);
    assert_string_equal(en.psn_type, "1403");

    req.by = YB_ENROL_BY_ALL;
    req.key = NULL;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    assert_int_equal(res.enrolled, 1);
    assert_int_equal(res.skipped, 4);
    assert_int_equal(res.elsewhere, 1);
    live(s, l, 2018, &en);
    assert_string_equal(en.unit_kind, "individual");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM enrolment"), 5);
    assert_int_equal(
        fx_int(s, "SELECT count(*) FROM event WHERE kind = 'enrolment.add'"),
        5);
    yb_policy_free(p);
}

/* ---- transfer -----------------------------------------------------------
 */

static void
test_transfer_moves_cover_to_another_region_without_a_gap(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2018-06-20 09:00:00");
    struct yb_payment_result r;
    struct yb_enrolment from, to, en;
    struct yb_err e = {0};
    char a[32], b[32], buf[128], ref[24];
    person(s, "19800505", 11, a);
    person(s, "19810606", 22, b);
    pay_ok(s, p, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW0001", &r);

    assert_int_equal(yb_enrol_transfer(s, &who, a, 2018, "330203",
                                       yb_date_from_ymd(2018, 7, 1), &from, &to,
                                       &e),
                     YB_OK);
    assert_string_equal(cover_of(&from, buf, sizeof buf),
                        "transferred 2018-01-01..2018-06-30 wait 2017-12-31");
    assert_string_equal(from.admdvs, "530100");
    assert_string_equal(cover_of(&to, buf, sizeof buf),
                        "covered 2018-07-01..- wait 2017-12-31");
    assert_string_equal(to.admdvs, "330200");
    assert_string_equal(to.unit_kind, "transfer");
    snprintf(ref, sizeof ref, "%lld", (long long)from.id);
    assert_string_equal(to.unit_ref, ref);
    assert_string_equal(to.psn_type, "1501");
    assert_int_equal(to.tier, 1);
    live(s, a, 2018, &en);
    assert_int_equal(en.id, to.id);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM enrolment"), 2);

    /* and back again in the autumn */
    assert_int_equal(yb_enrol_transfer(s, &who, a, 2018, "530102",
                                       yb_date_from_ymd(2018, 10, 1), &from,
                                       &to, &e),
                     YB_OK);
    assert_string_equal(cover_of(&from, buf, sizeof buf),
                        "transferred 2018-07-01..2018-09-30 wait 2017-12-31");
    assert_string_equal(to.admdvs, "530100");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM enrolment WHERE status "
                               "= 'transferred'"),
                     2);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM event WHERE kind = "
                               "'enrolment.transfer'"),
                     2);
    yb_policy_free(p);
}

static void
test_transfer_refuses_a_move_that_would_leave_a_gap_or_overlap(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2018-06-20 09:00:00");
    struct yb_payment_result r;
    struct yb_enrolment from, to;
    struct yb_err e = {0};
    char a[32], b[32], buf[128];
    person(s, "19800505", 11, a);
    person(s, "19810606", 22, b);
    pay_ok(s, p, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW0001", &r);
    assert_int_equal(yb_enrol_transfer(s, &who, a, 2018, "330203",
                                       yb_date_from_ymd(2018, 7, 1), &from, &to,
                                       &e),
                     YB_OK);

    /* the same pooling region, the day cover starts, out of the year, no
     * enrolment, no region */
    assert_int_equal(yb_enrol_transfer(s, &who, a, 2018, "330204",
                                       yb_date_from_ymd(2018, 9, 1), NULL, NULL,
                                       &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "to");
    snprintf(
        buf, sizeof buf,
        "地区 330204 位于统筹区 330200，参保记录 %lld 已在该区 (already in "
        "that region)",
        (long long)to.id);
    assert_string_equal(e.msg, buf);
    assert_int_equal(yb_enrol_transfer(s, &who, a, 2018, "530102",
                                       yb_date_from_ymd(2018, 7, 1), NULL, NULL,
                                       &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "date");
    assert_int_equal(yb_enrol_transfer(s, &who, a, 2018, "530102",
                                       yb_date_from_ymd(2019, 1, 5), NULL, NULL,
                                       &e),
                     YB_EINVAL);
    assert_string_equal(e.msg,
                        "日期 2019-01-05 不在 2018 年度内 (outside the year)");
    assert_int_equal(yb_enrol_transfer(s, &who, b, 2018, "330203",
                                       yb_date_from_ymd(2018, 7, 1), NULL, NULL,
                                       &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.field, "year");
    assert_int_equal(yb_enrol_transfer(s, &who, a, 2018, "33020",
                                       yb_date_from_ymd(2018, 7, 1), NULL, NULL,
                                       &e),
                     YB_EINVAL);
    assert_string_equal(e.msg,
                        "行政区划代码无效：\"33020\" (not a region code)");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM enrolment"), 2);
    yb_policy_free(p);
}

/* ---- refunds ------------------------------------------------------------
 */

static void test_refund_reverses_the_ledger_and_the_cover(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2018-02-10 15:00:00");
    struct yb_payment_result r;
    struct yb_refund_result f;
    struct yb_enrolment en;
    struct yb_err e = {0};
    struct tb x;
    char d[32], buf[128];
    person(s, "19700707", 41, d);
    identity(s, d, "202");
    pay_ok(s, p, d, 1, 7000, "2017-09-15 08:00:00", "bank", "SW0100", &r);
    int64_t paid_id = r.contribution_id;

    assert_int_equal(
        yb_contribution_refund(s, &who, "SW0100", "重复缴费", false, &f, &e),
        YB_OK);
    assert_int_equal(f.reverses, paid_id);
    assert_int_equal(f.personal, 7000);
    assert_int_equal(f.assisted, 15000);
    assert_string_equal(cover_of(&f.enrolment, buf, sizeof buf),
                        "pending -..- wait -");
    live(s, d, 2018, &en);
    assert_string_equal(en.status, "pending");
    assert_string_equal(
        psn_text(s,
                 "SELECT kind || ' ' || personal || ' ' || assisted || ' ' || "
                 "reverses || ' ' || note || ' ' || COALESCE(receipt, '-') "
                 "FROM contribution WHERE psn_no = $1 AND kind = 'refund'",
                 d, buf, sizeof buf),
        "refund -7000 -15000 1 重复缴费 -");
    /* the payment itself is never changed */
    assert_string_equal(psn_text(s,
                                 "SELECT personal || ' ' || assisted FROM "
                                 "contribution WHERE psn_no = $1 AND kind = "
                                 "'payment'",
                                 d, buf, sizeof buf),
                        "7000 15000");
    tb_load(s, &x);
    assert_string_equal(tb_fund(&x, "390100", buf), "44000/44000");
    assert_string_equal(tb_acc(&x, "390100", "1003", buf), "7000/7000/0");
    assert_string_equal(tb_acc(&x, "390100", "1211", buf), "15000/15000/0");
    assert_string_equal(tb_acc(&x, "390100", "4101", buf), "7000/7000/0");
    assert_string_equal(tb_acc(&x, "390100", "4102", buf), "15000/15000/0");
    assert_string_equal(tb_fund(&x, "610100", buf), "30000/30000");
    assert_string_equal(tb_acc(&x, "610100", "5104", buf), "15000/15000/0");
    assert_string_equal(tb_acc(&x, "610100", "2103", buf), "15000/15000/0");
    yb_arena_free(&x.a);
    assert_int_equal(
        fx_int(s, "SELECT count(*) FROM journal WHERE period = '2018-02'"), 6);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM audit WHERE action = "
                               "'contribution.refund.reason' AND detail = "
                               "'重复缴费'"),
                     1);

    assert_int_equal(
        yb_contribution_refund(s, &who, "SW0100", "再次退费", false, &f, &e),
        YB_EDUPLICATE);
    assert_string_equal(e.field, "receipt");
    assert_string_equal(e.msg,
                        "票据号 SW0100 已退费（缴费记录 2）(done already)");
    assert_int_equal(
        yb_contribution_refund(s, &who, "SW9999", "退费", false, &f, &e),
        YB_ENOTFOUND);
    assert_int_equal(
        yb_contribution_refund(s, &who, "SW0100", "", false, &f, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "reason");

    yb_policy_free(p);
}

static void test_a_refunded_year_is_paid_again_or_cancelled(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_actor who = clerk("2018-02-10 15:00:00");
    struct yb_payment_result r;
    struct yb_refund_result f;
    struct yb_err e = {0};
    char d[32], buf[128];
    person(s, "19700707", 41, d);
    identity(s, d, "202");
    pay_ok(s, p, d, 1, 7000, "2017-09-15 08:00:00", "bank", "SW0100", &r);
    assert_int_equal(
        yb_contribution_refund(s, &who, "SW0100", "重复缴费", false, &f, &e),
        YB_OK);

    /* paid again, late: covered from the day after; then refunded and
     * cancelled, which frees the year for a new enrolment */
    pay_ok(s, p, d, 1, 7000, "2018-02-11 09:00:00", "bank", "SW0101", &r);
    assert_int_equal(r.assisted, 15000);
    assert_int_equal(r.cover.reason, YB_COVER_PAYMENT);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2018-02-12..- wait 2018-02-11");
    assert_int_equal(
        yb_contribution_refund(s, &who, "SW0101", "退保", true, &f, &e), YB_OK);
    assert_string_equal(f.enrolment.status, "cancelled");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM enrolment WHERE status "
                               "NOT IN ('cancelled', 'transferred')"),
                     0);
    struct yb_enrol_req req = {
        .policy = p, .year = 2018, .by = YB_ENROL_BY_PERSON, .key = d};
    struct yb_enrol_result res;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM enrolment"), 2);
    yb_policy_free(p);
}

/* fmt with its one "%s" (if any) replaced by v, into out. */
static const char *with_psn(const char *fmt, const char *v, char *out, size_t n)
{
    const char *at = strstr(fmt, "%s");
    if (at)
        snprintf(out, n, "%.*s%s%s", (int)(at - fmt), fmt, v, at + 2);
    else
        snprintf(out, n, "%s", fmt);
    return out;
}

/* ---- residence changes -------------------------------------------------
 */

static int move(yb_store *s, const char *now, const struct yb_move *m,
                struct yb_move_result *r, struct yb_err *e)
{
    struct yb_actor who = clerk(now);
    yb_err_clear(e);
    return yb_person_move(s, &who, m, r, e);
}

/* Residence changes as "from>to@day:reason" joined by spaces. */
static void join_move(const struct yb_residence_change *c, void *ud)
{
    char *buf = ud;
    size_t n = strlen(buf);
    snprintf(buf + n, 160 - n, "%s%s>%s@%s:%s", n ? " " : "", c->from_admdvs,
             c->to_admdvs, c->moved_on, c->reason[0] ? c->reason : "-");
}

static void
test_a_move_changes_the_residence_and_keeps_the_history(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct yb_move_result k;
    struct yb_err e;
    char a[32], buf[160];
    person(s, "19800505", 11, a);
    pay_ok(s, p, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW0001", &r);

    /* within the pooling region: nothing else moves */
    struct yb_move m = {.person = a,
                        .to_admdvs = "530103",
                        .date = yb_date_from_ymd(2018, 3, 1),
                        .reason = "搬家"};
    assert_int_equal(move(s, "2018-03-02 10:00:00", &m, &k, &e), YB_OK);
    assert_string_equal(k.from_admdvs, "530102");
    assert_string_equal(k.to_admdvs, "530103");
    assert_string_equal(k.from_pool, "530100");
    assert_string_equal(k.to_pool, "530100");
    assert_false(k.transferred);
    assert_true(k.event_id > 0 && k.change_id == 1);

    /* to another pooling region, the enrolment staying where it was paid */
    m = (struct yb_move){.person = a,
                         .to_admdvs = "330203",
                         .date = yb_date_from_ymd(2018, 5, 1)};
    assert_int_equal(move(s, "2018-05-03 10:00:00", &m, &k, &e), YB_OK);
    assert_string_equal(k.to_pool, "330200");
    assert_false(k.transferred);
    assert_string_equal(psn_text(s,
                                 "SELECT group_concat(from_admdvs || '>' || "
                                 "to_admdvs || '@' || moved_on || ':' || "
                                 "COALESCE(reason, '-'), ' ') FROM (SELECT * "
                                 "FROM residence_change WHERE psn_no = $1 "
                                 "ORDER BY id)",
                                 a, buf, sizeof buf),
                        "530102>530103@2018-03-01:搬家 "
                        "530103>330203@2018-05-01:-");
    char moves[160] = "";
    assert_int_equal(yb_person_moves(s, a, join_move, moves, &e), YB_OK);
    assert_string_equal(moves, "530102>530103@2018-03-01:搬家 "
                               "530103>330203@2018-05-01:-");
    assert_string_equal(psn_text(s,
                                 "SELECT resd_admdvs FROM person WHERE "
                                 "psn_no = $1",
                                 a, buf, sizeof buf),
                        "330203");
    struct yb_enrolment en;
    live(s, a, 2018, &en);
    assert_string_equal(en.admdvs, "530100");
    assert_string_equal(en.status, "covered");
    assert_int_equal(fx_int(s, "SELECT count(*) FROM audit WHERE action = "
                               "'person.move.reason' AND detail = '搬家'"),
                     1);
    /* the next year's enrolment is where the person lives now */
    struct yb_policy *p19 = policy("530100", 2019, false);
    struct yb_actor who = clerk("2018-10-01 09:00:00");
    struct yb_enrol_req req = {
        .policy = p19, .year = 2019, .by = YB_ENROL_BY_PERSON, .key = a};
    struct yb_enrol_result res;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_EINVAL);
    assert_string_equal(e.field, "admdvs");
    yb_policy_free(p19);
    yb_policy_free(p);
}

static void test_a_move_with_transfer_moves_the_cover_in_one_event(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct yb_move_result k;
    struct yb_err e;
    char a[32], buf[160];
    person(s, "19800505", 11, a);
    pay_ok(s, p, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW0001", &r);
    int64_t events = fx_int(s, "SELECT count(*) FROM event");

    struct yb_move m = {.person = a,
                        .to_admdvs = "330203",
                        .date = yb_date_from_ymd(2018, 7, 1),
                        .reason = "务工",
                        .transfer = true};
    assert_int_equal(move(s, "2018-07-05 10:00:00", &m, &k, &e), YB_OK);
    assert_true(k.transferred);
    assert_string_equal(cover_of(&k.from, buf, sizeof buf),
                        "transferred 2018-01-01..2018-06-30 wait 2017-12-31");
    assert_string_equal(cover_of(&k.into, buf, sizeof buf),
                        "covered 2018-07-01..- wait 2017-12-31");
    assert_string_equal(k.into.admdvs, "330200");
    assert_int_equal(k.into.event_id, k.event_id);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM event"), events + 1);
    assert_string_equal(psn_text(s,
                                 "SELECT resd_admdvs FROM person WHERE "
                                 "psn_no = $1",
                                 a, buf, sizeof buf),
                        "330203");
    yb_policy_free(p);
}

static void test_a_refused_move_writes_nothing(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct yb_move_result k;
    struct yb_err e;
    char a[32], b[32], before[96], after[96], buf[64];
    person(s, "19800505", 11, a);
    person(s, "20180202", 21, b); /* born in 2018, not enrolled */
    pay_ok(s, p, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW0001", &r);
    struct yb_move first = {.person = a,
                            .to_admdvs = "530103",
                            .date = yb_date_from_ymd(2018, 3, 1)};
    assert_int_equal(move(s, "2018-03-02 10:00:00", &first, &k, &e), YB_OK);
    written(s, before, sizeof before);
    const char *now = "2018-08-01 09:00:00";
    const struct {
        struct yb_move m;
        int rc;
        const char *field, *msg;
    } bad[] = {
        {{.person = a,
          .to_admdvs = "530103",
          .date = yb_date_from_ymd(2018, 3, 10)},
         YB_EINVAL,
         "to",
         "地区 530103 已是 %s 的居住地 (already the residence)"},
        {{.person = a,
          .to_admdvs = "5301",
          .date = yb_date_from_ymd(2018, 3, 10)},
         YB_EINVAL,
         "to",
         "行政区划代码无效：\"5301\" (not a region code)"},
        {{.person = "530102199901010000",
          .to_admdvs = "330203",
          .date = yb_date_from_ymd(2018, 3, 10)},
         YB_ENOTFOUND,
         "person",
         "没有人员编号或证件号码为 530102199901010000 的人员 (no such person)"},
        {{.person = a,
          .to_admdvs = "330203",
          .date = yb_date_from_ymd(2018, 9, 28)},
         YB_EINVAL,
         "date",
         "日期 2018-09-28 晚于今天 2018-08-01 (after today)"},
        {{.person = a,
          .to_admdvs = "330203",
          .date = yb_date_from_ymd(2018, 2, 28)},
         YB_EINVAL,
         "date",
         "日期 2018-02-28 早于 %s 上次变更居住地的日期 2018-03-01 (before the "
         "last change of residence)"},
        {{.person = b,
          .to_admdvs = "330203",
          .date = yb_date_from_ymd(2018, 1, 29)},
         YB_EINVAL,
         "date",
         "日期 2018-01-29 早于 %s 的出生日期 2018-02-02 (before the birth)"},
        {{.person = a,
          .to_admdvs = "530102",
          .date = yb_date_from_ymd(2018, 3, 10),
          .transfer = true},
         YB_EINVAL,
         "transfer",
         "地区 530103 与 530102 同属统筹区 530100：没有需要转移的参保关系 "
         "(nothing to transfer)"},
        {{.person = b,
          .to_admdvs = "330203",
          .date = yb_date_from_ymd(2018, 3, 10),
          .transfer = true},
         YB_ENOTFOUND,
         "year",
         "人员 %s 在 2018 年度没有有效的参保记录 (no live enrolment)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char msg[256];
        const char *who = bad[i].m.person == b ? b : a;
        assert_int_equal(move(s, now, &bad[i].m, &k, &e), bad[i].rc);
        assert_string_equal(e.field, bad[i].field);
        assert_string_equal(e.msg, with_psn(bad[i].msg, who, msg, sizeof msg));
        assert_int_equal(k.event_id, 0);
        assert_string_equal(written(s, after, sizeof after), before);
    }
    assert_int_equal(fx_int(s, "SELECT count(*) FROM residence_change"), 1);
    assert_string_equal(psn_text(s,
                                 "SELECT resd_admdvs FROM person WHERE "
                                 "psn_no = $1",
                                 a, buf, sizeof buf),
                        "530103");
    assert_false(yb_store_in_transaction(s));
    yb_policy_free(p);
}

/* ---- corrections -------------------------------------------------------
 */

static int correct(yb_store *s, const struct yb_policy *p,
                   const struct yb_correction *c,
                   struct yb_correction_result *r, struct yb_err *e)
{
    struct yb_actor who = clerk("2018-03-05 11:00:00");
    yb_err_clear(e);
    return yb_contribution_correct(s, &who, p, c, r, e);
}

static void test_a_payment_for_the_wrong_person_is_corrected(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct yb_correction_result k;
    struct yb_enrolment en;
    struct yb_err e;
    struct tb x;
    char a[32], b[32], buf[160];
    person(s, "19700707", 41, a);
    person(s, "19800808", 51, b);
    pay_ok(s, p, a, 1, 22000, "2017-09-15 08:00:00", "bank", "SW0200", &r);
    int64_t paid_id = r.contribution_id;

    struct yb_correction c = {
        .receipt = "SW0200", .reason = "录错身份证", .certno = b};
    assert_int_equal(correct(s, p, &c, &k, &e), YB_OK);
    assert_int_equal(k.reversal.reverses, paid_id);
    assert_int_equal(k.reversal.personal, 22000);
    assert_int_equal(k.reversal.event_id, k.payment.event_id);
    assert_string_equal(k.reversal.enrolment.psn_no, a);
    assert_string_equal(cover_of(&k.reversal.enrolment, buf, sizeof buf),
                        "pending -..- wait -");
    assert_string_equal(k.payment.enrolment.psn_no, b);
    assert_int_equal(k.payment.personal, 22000);
    assert_string_equal(cover_of(&k.payment.enrolment, buf, sizeof buf),
                        "covered 2018-01-01..- wait 2017-12-31");
    live(s, a, 2018, &en);
    assert_string_equal(en.status, "pending");
    assert_string_equal(
        psn_text(s,
                 "SELECT kind || ' ' || personal || ' ' || reverses || ' ' || "
                 "note || ' ' || COALESCE(receipt, '-') FROM contribution "
                 "WHERE psn_no = $1 ORDER BY id DESC LIMIT 1",
                 a, buf, sizeof buf),
        "correction -22000 1 录错身份证 -");
    assert_string_equal(psn_text(s,
                                 "SELECT kind || ' ' || personal || ' ' || "
                                 "receipt || ' ' || paid_at FROM "
                                 "contribution WHERE psn_no = $1",
                                 b, buf, sizeof buf),
                        "payment 22000 SW0200-C1 2017-09-15 08:00:00");
    /* both entries of the correction in its own month; one event, its
     * reason in the audit chain */
    tb_load(s, &x);
    assert_string_equal(tb_acc(&x, "390100", "1003", buf), "44000/22000/22000");
    assert_string_equal(tb_acc(&x, "390100", "4101", buf), "22000/44000/22000");
    yb_arena_free(&x.a);
    assert_int_equal(
        fx_int(s, "SELECT count(*) FROM journal WHERE period = '2018-03'"), 4);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM event WHERE kind = "
                               "'contribution.correction' AND ref = "
                               "'SW0200'"),
                     1);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM audit WHERE action = "
                               "'contribution.correction.reason' AND detail "
                               "= '录错身份证'"),
                     1);
    struct yb_enrol_summary sum;
    struct yb_arena ar;
    yb_arena_init(&ar, 1024);
    assert_int_equal(yb_enrol_summary(s, 2018, &ar, &sum, &e), YB_OK);
    assert_int_equal(sum.payments, 2);
    assert_int_equal(sum.corrections, 1);
    assert_int_equal(sum.refunds, 0);
    assert_int_equal(sum.personal, 22000);
    yb_arena_free(&ar);

    /* the corrected receipt is spent; its correction can be corrected */
    assert_int_equal(correct(s, p, &c, &k, &e), YB_EDUPLICATE);
    assert_string_equal(e.msg,
                        "票据号 SW0200 已更正（缴费记录 2）(done already)");
    struct yb_refund_result f;
    struct yb_actor who = clerk("2018-03-06 09:00:00");
    assert_int_equal(
        yb_contribution_refund(s, &who, "SW0200", "退费", false, &f, &e),
        YB_EDUPLICATE);
    c = (struct yb_correction){
        .receipt = "SW0200-C1", .reason = "还是A缴的", .certno = a};
    assert_int_equal(correct(s, p, &c, &k, &e), YB_OK);
    assert_string_equal(psn_text(s,
                                 "SELECT receipt FROM contribution WHERE "
                                 "psn_no = $1 AND kind = 'payment' ORDER BY "
                                 "id DESC LIMIT 1",
                                 a, buf, sizeof buf),
                        "SW0200-C2");
    live(s, a, 2018, &en);
    assert_string_equal(cover_of(&en, buf, sizeof buf),
                        "covered 2018-01-01..- wait 2017-12-31");
    live(s, b, 2018, &en);
    assert_string_equal(en.status, "pending");
    yb_policy_free(p);
}

static void test_a_payment_at_the_wrong_tier_is_corrected(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct yb_correction_result k;
    struct yb_err e;
    char d[32], buf[160];
    person(s, "19700707", 41, d);
    identity(s, d, "202"); /* 150.00 assisted */
    pay_ok(s, p, d, 1, 7000, "2017-10-01 08:00:00", "wechat", "SW0300", &r);

    struct yb_correction c = {.receipt = "SW0300",
                              .reason = "选错档次",
                              .tier = 2,
                              .amount = 27000,
                              .new_receipt = "SW0300-R"};
    assert_int_equal(correct(s, p, &c, &k, &e), YB_OK);
    assert_int_equal(k.reversal.personal, 7000);
    assert_int_equal(k.reversal.assisted, 15000);
    assert_int_equal(k.payment.personal, 27000);
    assert_int_equal(k.payment.assisted, 15000);
    assert_int_equal(k.payment.enrolment.tier, 2);
    assert_string_equal(cover_of(&k.payment.enrolment, buf, sizeof buf),
                        "covered 2018-01-01..- wait 2017-12-31");
    assert_string_equal(psn_text(s,
                                 "SELECT group_concat(kind || ':' || tier || "
                                 "':' || personal || ':' || assisted || ':' "
                                 "|| COALESCE(receipt, '-'), ' ') FROM "
                                 "(SELECT * FROM contribution WHERE psn_no "
                                 "= $1 ORDER BY id)",
                                 d, buf, sizeof buf),
                        "payment:1:7000:15000:SW0300 "
                        "correction:1:-7000:-15000:- "
                        "payment:2:27000:15000:SW0300-R");
    struct tb x;
    tb_load(s, &x);
    assert_string_equal(tb_acc(&x, "390100", "1003", buf), "34000/7000/27000");
    assert_string_equal(tb_acc(&x, "390100", "1211", buf), "30000/15000/15000");
    assert_string_equal(tb_acc(&x, "610100", "2103", buf), "15000/30000/15000");
    yb_arena_free(&x.a);
    yb_policy_free(p);
}

static void test_a_refused_correction_writes_nothing(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_policy *p19 = policy("530100", 2019, false);
    struct yb_payment_result r;
    struct yb_correction_result k;
    struct yb_err e;
    char d[32], before[96], after[96];
    person(s, "19700707", 41, d);
    pay_ok(s, p, d, 1, 22000, "2017-09-15 08:00:00", "bank", "SW0400", &r);
    pay_ok(s, p19, d, 1, 22000, "2018-09-15 08:00:00", "bank", "SW0401", &r);
    written(s, before, sizeof before);
    const struct {
        struct yb_correction c;
        const struct yb_policy *p;
        int rc;
        const char *field, *msg;
    } bad[] = {
        {{.receipt = "SW0400", .reason = "x"},
         p,
         YB_EINVAL,
         "correction",
         "与票据号 SW0400 "
         "的缴费没有任何不同（请给出应更正的人员、档次、金额、时间或渠道）("
         "nothing to correct)"},
        {{.receipt = "SW0400", .reason = ""},
         p,
         YB_EINVAL,
         "reason",
         "更正需要说明原因（更正 SW0400）(a correction needs a reason)"},
        {{.receipt = "SW0400", .reason = "x", .tier = 2},
         p,
         YB_EINVAL,
         "amount",
         "金额 220.00 与个人部分 420.00（%s）不符（第 2 档）(differs from the "
         "own share)"},
        {{.receipt = "SW0400", .reason = "x", .tier = 3},
         p,
         YB_EINVAL,
         "tier",
         "3 不是政策的缴费档次（1 至 2）(not a contribution tier of the "
         "policy)"},
        {{.receipt = "SW0400", .reason = "x", .certno = "530102199901010000"},
         p,
         YB_ENOTFOUND,
         "certno",
         "没有证件号码为 530102199901010000 的登记人员 (no registered person "
         "with this ID number)"},
        {{.receipt = "SW0400", .reason = "x", .channel = "pigeon"},
         p,
         YB_EINVAL,
         "channel",
         "缴费渠道代码无效：\"pigeon\" (not a collection channel)"},
        {{.receipt = "SW0400",
          .reason = "x",
          .channel = "wechat",
          .new_receipt = "SW0401"},
         p,
         YB_EDUPLICATE,
         "receipt_no",
         "票据号 SW0401 已登记：缴费记录 2（%s，2019 年度）(receipt recorded "
         "already)"},
        {{.receipt = "SW0401", .reason = "x", .channel = "wechat"},
         p,
         YB_EINVAL,
         "year",
         "票据号 SW0401 缴的是 2019 年度，不是政策的参保年度 2018 (wrong "
         "coverage year)"},
        {{.receipt = "SW0499", .reason = "x", .channel = "wechat"},
         p,
         YB_ENOTFOUND,
         "receipt",
         "没有票据号为 SW0499 的缴费 (no payment with this receipt)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char msg[256];
        assert_int_equal(correct(s, bad[i].p, &bad[i].c, &k, &e), bad[i].rc);
        assert_string_equal(e.field, bad[i].field);
        assert_string_equal(e.msg, with_psn(bad[i].msg, d, msg, sizeof msg));
        assert_int_equal(k.reversal.event_id, 0);
        assert_string_equal(written(s, after, sizeof after), before);
    }
    assert_false(yb_store_in_transaction(s));
    yb_policy_free(p);
    yb_policy_free(p19);
}

/* ---- newborns and waiting periods ---------------------------------------
 */

static void test_newborns_inside_and_outside_the_grace_period(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2025, true);
    struct yb_payment_result r;
    char a[32], b[32], c[32], buf[128];
    person(s, "20250301", 61, a);
    person(s, "20250110", 71, b);
    person(s, "20241220", 81, c);

    /* 45 days old: from the birth date, no wait */
    pay_ok(s, p, a, 1, 22000, "2025-04-15 10:00:00", "app", "SW2501", &r);
    assert_int_equal(r.cover.reason, YB_COVER_NEWBORN);
    assert_string_equal(r.enrolment.psn_type, "1401");
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2025-03-01..- wait 2025-02-28");
    /* 142 days old: outside the grace, exempt from the wait as 1401 */
    pay_ok(s, p, b, 1, 22000, "2025-06-01 10:00:00", "app", "SW2502", &r);
    assert_int_equal(r.cover.reason, YB_COVER_EXEMPT);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2025-06-02..- wait 2025-06-01");
    /* born in December, paid in January within the grace: from 1 January */
    pay_ok(s, p, c, 1, 22000, "2025-01-15 10:00:00", "app", "SW2503", &r);
    assert_int_equal(r.cover.reason, YB_COVER_NEWBORN);
    assert_string_equal(r.enrolment.psn_type, "1401");
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2025-01-01..- wait 2024-12-31");
    yb_policy_free(p);
}

static void
test_first_enrolment_outside_the_window_waits_three_months(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2025, true);
    struct yb_payment_result r;
    char a[32], buf[128];
    person(s, "19850606", 11, a);

    pay_ok(s, p, a, 1, 22000, "2025-03-10 11:00:00", "bank", "SW2504", &r);
    assert_int_equal(r.cover.reason, YB_COVER_WAIT_LATE);
    assert_int_equal(r.cover.waiting_months, 3);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2025-06-11..- wait 2025-06-10");
    yb_policy_free(p);
}

static void test_a_two_year_break_waits_four_months(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p22 = policy("530100", 2022, true);
    struct yb_policy *p25 = policy("530100", 2025, true);
    struct yb_payment_result r;
    char a[32], buf[128];
    person(s, "19850606", 11, a);

    pay_ok(s, p22, a, 1, 22000, "2021-10-10 10:00:00", "bank", "SW2201", &r);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2022-01-01..- wait 2021-12-31");
    /* 2023 and 2024 not covered: 3 fixed + 1 variable month */
    pay_ok(s, p25, a, 1, 22000, "2024-10-10 10:00:00", "bank", "SW2505", &r);
    assert_int_equal(r.cover.reason, YB_COVER_WAIT_BREAK);
    assert_int_equal(r.cover.break_years, 2);
    assert_int_equal(r.cover.waiting_months, 4);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2025-05-01..- wait 2025-04-30");
    yb_policy_free(p22);
    yb_policy_free(p25);
}

static void test_a_break_with_one_year_repaid_waits_three_months(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p22 = policy("530100", 2022, true);
    struct yb_policy *p23 = policy("530100", 2023, true);
    struct yb_policy *p25 = policy("530100", 2025, true);
    struct yb_payment_result r;
    char a[32], buf[128];
    person(s, "19850606", 11, a);

    pay_ok(s, p22, a, 1, 22000, "2021-10-10 10:00:00", "bank", "SW2201", &r);
    /* 2023 paid back in 2024 (补缴): no cover for 2023 */
    pay_ok(s, p23, a, 1, 22000, "2024-10-05 10:00:00", "bank", "SW2301", &r);
    assert_false(r.covered);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "repaid -..- wait -");
    pay_ok(s, p25, a, 1, 22000, "2024-10-10 10:00:00", "bank", "SW2505", &r);
    assert_int_equal(r.cover.reason, YB_COVER_WAIT_BREAK);
    assert_int_equal(r.cover.break_years, 2);
    assert_int_equal(r.cover.repaired_months, 1);
    assert_int_equal(r.cover.waiting_months, 3);
    assert_string_equal(cover_of(&r.enrolment, buf, sizeof buf),
                        "covered 2025-04-01..- wait 2025-03-31");
    yb_policy_free(p22);
    yb_policy_free(p23);
    yb_policy_free(p25);
}

/* ---- summary ------------------------------------------------------------
 */

static const char *counts_of(const struct yb_count *c, size_t n, char *buf,
                             size_t size)
{
    size_t at = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s=%lld", i ? " " : "",
                               c[i].key, (long long)c[i].n);
    return buf;
}

static void test_summary_counts_the_year_and_nets_refunds(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *km = policy("530100", 2018, false);
    struct yb_policy *nb = policy("330200", 2018, false);
    struct yb_actor who = clerk("2017-11-01 09:00:00");
    struct yb_enrol_req req = {
        .policy = km, .year = 2018, .by = YB_ENROL_BY_PERSON};
    struct yb_enrol_result res;
    struct yb_payment_result r;
    struct yb_refund_result f;
    struct yb_enrol_summary x;
    struct yb_arena ar;
    struct yb_err e = {0};
    struct who ningbo = {.county = "330203", .birth = "19880808", .seq = 33};
    char a[32], c[32], d[32], n[32], buf[256];
    person(s, "19800505", 11, a);
    person(s, "19400303", 31, c);
    identity(s, c, "201");
    person(s, "19700707", 41, d);
    identity(s, d, "202");
    add_person(s, &ningbo, n);
    pay_ok(s, km, a, 1, 22000, "2017-10-10 09:30:00", "wechat", "SW1", &r);
    pay_ok(s, km, d, 1, 7000, "2017-10-11 09:30:00", "bank", "SW2", &r);
    assert_int_equal(
        yb_contribution_refund(s, &who, "SW2", "错缴", false, &f, &e), YB_OK);
    req.key = c;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    req.policy = nb;
    req.key = n;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);

    yb_arena_init(&ar, 1024);
    assert_int_equal(yb_enrol_summary(s, 2018, &ar, &x, &e), YB_OK);
    assert_int_equal(x.rows, 4);
    assert_string_equal(counts_of(x.status, x.n_status, buf, sizeof buf),
                        "covered=2 pending=2");
    assert_string_equal(counts_of(x.psn_type, x.n_psn_type, buf, sizeof buf),
                        "1501=3 1601=1");
    assert_string_equal(counts_of(x.region, x.n_region, buf, sizeof buf),
                        "330200=1 530100=3");
    assert_int_equal(x.personal, 22000);
    assert_int_equal(x.assisted, 0);
    assert_int_equal(x.payments, 2);
    assert_int_equal(x.refunds, 1);
    assert_int_equal(yb_enrol_summary(s, 2019, &ar, &x, &e), YB_OK);
    assert_int_equal(x.rows, 0);
    assert_int_equal(x.n_status, 0);
    assert_int_equal(x.personal, 0);
    yb_arena_free(&ar);
    yb_policy_free(km);
    yb_policy_free(nb);
}

/* Review finding: a late assistance row must not move a cover that began
 * at enrolment (a 特困 person is covered from 1 January). */
static void test_late_assistance_keeps_the_cover_it_finds(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, true);
    struct yb_actor who = clerk("2017-11-01 09:00:00");
    struct yb_enrol_req req = {
        .policy = p, .year = 2018, .by = YB_ENROL_BY_PERSON};
    struct yb_enrol_result res;
    struct yb_payment_result r;
    struct yb_enrolment en;
    struct yb_err e = {0};
    char c[32], before[256], after[256];
    person(s, "19700303", 31, c);
    identity(s, c, "201");
    req.key = c;
    assert_int_equal(yb_enrol(s, &who, &req, &res, &e), YB_OK);
    live(s, c, 2018, &en);
    cover_of(&en, before, sizeof before);
    pay_ok(s, p, c, 1, 22000, "2018-03-01 10:00:00", "assistance", "MZ0001",
           &r);
    live(s, c, 2018, &en);
    assert_string_equal(cover_of(&en, after, sizeof after), before);
    assert_int_equal(en.covered_from, yb_date_from_ymd(2018, 1, 1));
    yb_policy_free(p);
}

/* Review finding: a year the person paid in full takes no assistance row
 * afterwards (it would be counted twice). */
static void test_assistance_after_a_full_own_payment_is_refused(void **state)
{
    yb_store *s = open_db(state);
    struct yb_policy *p = policy("530100", 2018, false);
    struct yb_payment_result r;
    struct yb_actor a = clerk("2017-08-01 09:00:00");
    struct yb_err e = {0};
    char c[32];
    person(s, "19700303", 31, c);
    pay_ok(s, p, c, 1, 22000, "2017-10-01 10:00:00", "wechat", "SW0001", &r);
    assert_int_equal(yb_identity_add(s, &a, c, "202",
                                     yb_date_from_ymd(2017, 10, 15), 0, "民政",
                                     &e),
                     YB_OK);
    assert_int_equal(pay(s, p, c, 1, 15000, "2017-11-01 10:00:00", "assistance",
                         "MZ0001", &r, &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.field, "certno");
    assert_non_null(strstr(e.msg, "in full already"));
    assert_int_equal(fx_int(s, "SELECT SUM(assisted) FROM contribution"), 0);
    assert_int_equal(fx_int(s, "SELECT SUM(personal) FROM contribution"),
                     22000);
    yb_policy_free(p);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)

static void note_enrolment(const struct yb_enrolment *en, void *ud)
{
    char *out = ud;
    size_t n = strlen(out);
    snprintf(out + n, 200 - n, "%s%d %s", n ? ", " : "", en->year, en->admdvs);
}

/* A person's enrolments come in the order of year, then of making, however
 * they were made. */
static void test_enrol_list_is_in_order_of_year_then_making(void **state)
{
    yb_store *s = open_db(state);
    char psn_no[32], sql[600], got[200] = "";
    struct yb_err e = {0};
    person(s, "19800101", 11, psn_no);
    snprintf(sql, sizeof sql,
             "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, "
             "psn_type, status) VALUES "
             "('%s', '390', 'basic', 2020, '530104', '1501', 'covered'),"
             "('%s', '390', 'other', 2018, '530101', '1501', 'covered'),"
             "('%s', '390', 'basic', 2019, '530103', '1501', 'cancelled'),"
             "('%s', '390', 'basic', 2018, '530102', '1501', 'covered')",
             psn_no, psn_no, psn_no, psn_no);
    assert_int_equal(yb_store_exec(s, sql, &e), YB_OK);
    assert_int_equal(yb_enrol_list(s, psn_no, note_enrolment, got, &e), YB_OK);
    assert_string_equal(got, "2018 530101, 2018 530102, 2019 530103, 2020 "
                             "530104");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_late_assistance_keeps_the_cover_it_finds),
        T(test_enrol_list_is_in_order_of_year_then_making),
        T(test_assistance_after_a_full_own_payment_is_refused),
        T(test_payment_in_the_window_covers_the_year_and_posts_to_the_fen),
        T(test_tekun_is_covered_at_enrolment_and_assistance_pays_in_full),
        T(test_after_the_year_assistance_buys_no_cover_but_repays_arrears),
        T(test_dibao_pays_the_rest_of_a_fixed_assistance),
        T(test_a_wrong_amount_is_refused_and_nothing_written),
        T(test_a_receipt_seen_before_is_refused),
        T(test_a_second_enrolment_in_another_region_is_refused_naming_the_first),
        T(test_enrol_refuses_what_the_policy_does_not_have),
        T(test_household_school_and_all_enrol_who_is_not_yet),
        T(test_transfer_moves_cover_to_another_region_without_a_gap),
        T(test_transfer_refuses_a_move_that_would_leave_a_gap_or_overlap),
        T(test_refund_reverses_the_ledger_and_the_cover),
        T(test_a_refunded_year_is_paid_again_or_cancelled),
        T(test_newborns_inside_and_outside_the_grace_period),
        T(test_first_enrolment_outside_the_window_waits_three_months),
        T(test_a_two_year_break_waits_four_months),
        T(test_a_break_with_one_year_repaid_waits_three_months),
        T(test_summary_counts_the_year_and_nets_refunds),
        T(test_a_payment_for_the_wrong_person_is_corrected),
        T(test_a_payment_at_the_wrong_tier_is_corrected),
        T(test_a_refused_correction_writes_nothing),
        T(test_a_move_changes_the_residence_and_keeps_the_history),
        T(test_a_move_with_transfer_moves_the_cover_in_one_event),
        T(test_a_refused_move_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
