/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the fund ledger (src/service/ledger*.c): a balanced
 * entry is written; an unbalanced one — overall or within one fund — is
 * refused with both totals and nothing is written; bad lines are named;
 * the trial balance and the fund statement of the quarter in
 * ledger_fixture.h (docs/ledger.md's worked example) are exact to the fen;
 * balances are brought forward into a later range; a ledger corrupted
 * behind the service's back is reported as unbalanced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ledger_fixture.h"
#include "store_fixture.h"

static struct fx_db *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    return d;
}

/* Open a transaction with one event; returns the event id. */
static int64_t begin_event(yb_store *s)
{
    struct yb_err e;
    int64_t id = 0;

    assert_int_equal(yb_store_begin(s, &e), YB_OK);
    assert_int_equal(yb_event_open(s, "test", NULL, "tester",
                                   "2024-01-02 03:04:05", &id, &e),
                     YB_OK);
    return id;
}

/* ---- posting ----------------------------------------------------------- */

static void test_ledger_balanced_entry_is_posted(void **state)
{
    struct fx_db *d = open_db(state);
    const struct yb_posting p[] = {
        {"390100", "1003", 40000, 0, "R1"},
        {"390100", "4101", 0, 40000, NULL},
    };
    struct yb_err e;
    int64_t id = begin_event(d->s);

    assert_int_equal(yb_ledger_post(d->s, id, "2024-01", p, 2, &e), YB_OK);
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 2);
    assert_int_equal(fx_int(d->s, "SELECT debit FROM journal WHERE account "
                                  "= '1003' AND event_id = 1 AND memo = "
                                  "'R1' AND period = '2024-01'"),
                     40000);
    assert_int_equal(fx_int(d->s, "SELECT credit FROM journal "
                                  "WHERE account = '4101'"),
                     40000);
}

static void
test_ledger_unbalanced_entry_is_refused_and_nothing_written(void **state)
{
    struct fx_db *d = open_db(state);
    const struct yb_posting p[] = {
        {"390100", "1003", 10000, 0, NULL},
        {"390100", "4101", 0, 9000, NULL},
    };
    struct yb_err e;
    int64_t id = begin_event(d->s);

    assert_int_equal(yb_ledger_post(d->s, id, "2024-01", p, 2, &e),
                     YB_EUNBALANCED);
    assert_string_equal(e.msg, "基金 390100：借方 100.00 与贷方 90.00 不相等 "
                               "(debits and credits differ)");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 0);
    yb_store_rollback(d->s);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit"), 0);
}

static void test_ledger_balances_each_fund_on_its_own(void **state)
{
    struct fx_db *d = open_db(state);
    /* balanced overall, but one fund may not carry another */
    const struct yb_posting p[] = {
        {"390100", "5201", 715000, 0, NULL},
        {"390200", "4401", 0, 715000, NULL},
    };
    struct yb_err e;
    int64_t id = begin_event(d->s);

    assert_int_equal(yb_ledger_post(d->s, id, "2024-03", p, 2, &e),
                     YB_EUNBALANCED);
    assert_string_equal(e.msg, "基金 390100：借方 7150.00 与贷方 0.00 不相等 "
                               "(debits and credits differ)");
    yb_store_rollback(d->s);
}

static void expect_refused(yb_store *s, int64_t id, const char *period,
                           const struct yb_posting *p, size_t n, int code,
                           const char *field, const char *msg)
{
    struct yb_err e;

    assert_int_equal(yb_ledger_post(s, id, period, p, n, &e), code);
    assert_string_equal(e.field, field);
    assert_string_equal(e.msg, msg);
    assert_int_equal(fx_int(s, "SELECT count(*) FROM journal"), 0);
}

static void test_ledger_refuses_bad_lines_naming_them(void **state)
{
    struct fx_db *d = open_db(state);
    const struct yb_posting neg[] = {{"390100", "1003", -100, 0, NULL},
                                     {"390100", "4101", 0, -100, NULL}};
    const struct yb_posting both[] = {{"390100", "1003", 100, 100, NULL}};
    const struct yb_posting none[] = {{"390100", "1003", 0, 0, NULL}};
    const struct yb_posting acc[] = {{"390100", "1003", 100, 0, NULL},
                                     {"390100", "9999", 0, 100, NULL}};
    const struct yb_posting fund[] = {{"390300", "1003", 100, 0, NULL},
                                      {"390300", "4101", 0, 100, NULL}};
    const struct yb_posting big[] = {
        {"390100", "1003", YB_MONEY_MAX + 1, 0, NULL}};
    int64_t id = begin_event(d->s);

    expect_refused(d->s, id, "2024-01", neg, 2, YB_EINVAL, "postings[0]",
                   "金额 debit -1.00 不能为负数 (negative)");
    expect_refused(
        d->s, id, "2024-01", both, 1, YB_EINVAL, "postings[0]",
        "借方 1.00 和贷方 1.00 不能同时有金额 (both debit and credit are set)");
    expect_refused(d->s, id, "2024-01", none, 1, YB_EINVAL, "postings[0]",
                   "借方和贷方都没有金额 (neither debit nor credit is set)");
    expect_refused(d->s, id, "2024-01", acc, 2, YB_EINVAL, "postings[1]",
                   "未知的会计科目 \"9999\" (unknown account)");
    expect_refused(d->s, id, "2024-01", fund, 2, YB_EINVAL, "postings[0]",
                   "未知的基金 \"390300\" (unknown fund)");
    expect_refused(d->s, id, "2024-01", big, 1, YB_EOVERFLOW, "postings[0]",
                   "金额 100000000000.01 超出范围 (amount out of range)");
    expect_refused(d->s, id, "2024-13", acc, 2, YB_EINVAL, "period",
                   "期间应为 yyyy-mm，实际为 \"2024-13\" (not a period)");
    expect_refused(d->s, id, "2024-1", acc, 2, YB_EINVAL, "period",
                   "期间应为 yyyy-mm，实际为 \"2024-1\" (not a period)");
    expect_refused(d->s, id, "2024-01", acc, 0, YB_EINVAL, "postings",
                   "凭证没有分录 (an entry has no lines)");
    expect_refused(d->s, 0, "2024-01", acc, 2, YB_EINVAL, "event_id",
                   "事件编号 0 应大于 0 (not positive)");
    yb_store_rollback(d->s);
    expect_refused(
        d->s, id, "2024-01", acc, 2, YB_EINVAL, "ledger",
        "凭证只能在事务中记账 (entries are posted inside a transaction)");
}

static void test_ledger_post_for_a_missing_event_is_econstraint(void **state)
{
    struct fx_db *d = open_db(state);
    const struct yb_posting p[] = {{"390100", "1003", 100, 0, NULL},
                                   {"390100", "4101", 0, 100, NULL}};
    struct yb_err e;

    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_ledger_post(d->s, 42, "2024-01", p, 2, &e),
                     YB_ECONSTRAINT);
    yb_store_rollback(d->s);
}

static void test_ledger_period_validity(void **state)
{
    (void)state;
    assert_true(yb_ledger_period_valid("2024-01"));
    assert_true(yb_ledger_period_valid("1900-12"));
    assert_true(yb_ledger_period_valid("2199-12"));
    assert_false(yb_ledger_period_valid("1899-12"));
    assert_false(yb_ledger_period_valid("2024-00"));
    assert_false(yb_ledger_period_valid("2024-13"));
    assert_false(yb_ledger_period_valid("2024/01"));
    assert_false(yb_ledger_period_valid("2024-01-01"));
    assert_false(yb_ledger_period_valid(""));
    assert_false(yb_ledger_period_valid(NULL));
}

/* ---- trial balance ----------------------------------------------------- */

struct tb_expect {
    const char *account;
    bool debit_side;
    yb_fen opening, debit, credit, closing;
};

static void check_lines(const struct yb_trial_balance *tb,
                        const struct yb_tb_fund *f, const char *fund,
                        const struct tb_expect *x, size_t n)
{
    assert_string_equal(f->fund, fund);
    assert_int_equal(f->n, n);
    for (size_t i = 0; i < n; i++) {
        const struct yb_tb_line *l = &tb->lines[f->first + i];

        assert_string_equal(l->fund, fund);
        assert_string_equal(l->account, x[i].account);
        assert_int_equal(l->debit_side, x[i].debit_side);
        assert_int_equal(l->opening, x[i].opening);
        assert_int_equal(l->debit, x[i].debit);
        assert_int_equal(l->credit, x[i].credit);
        assert_int_equal(l->closing, x[i].closing);
    }
}

static void test_ledger_trial_balance_of_the_quarter_is_exact(void **state)
{
    static const struct tb_expect basic[] = {
        {"1003", true, 0, 10308345, 1989567, 8318778},
        {"1201", true, 0, 5896000, 5896000, 0},
        {"1202", true, 0, 737000, 0, 737000},
        {"1203", true, 0, 368500, 0, 368500},
        {"1204", true, 0, 368500, 0, 368500},
        {"1211", true, 0, 400000, 400000, 0},
        {"2101", false, 0, 1234567, 1234567, 0},
        {"2102", false, 0, 715000, 715000, 0},
        {"4101", false, 0, 40000, 4000000, 3960000},
        {"4102", false, 0, 0, 400000, 400000},
        {"4201", false, 0, 0, 5896000, 5896000},
        {"4202", false, 0, 0, 737000, 737000},
        {"4203", false, 0, 0, 368500, 368500},
        {"4204", false, 0, 0, 368500, 368500},
        {"4301", false, 0, 0, 12345, 12345},
        {"5101", true, 0, 1234567, 0, 1234567},
        {"5201", true, 0, 715000, 0, 715000},
    };
    static const struct tb_expect critical[] = {
        {"1003", true, 0, 715000, 200000, 515000},
        {"2101", false, 0, 200000, 200000, 0},
        {"4401", false, 0, 0, 715000, 715000},
        {"5102", true, 0, 200000, 0, 200000},
    };
    static const struct tb_expect assist[] = {
        {"1003", true, 0, 1000000, 450050, 549950},
        {"2101", false, 0, 50050, 50050, 0},
        {"2103", false, 0, 400000, 400000, 0},
        {"4201", false, 0, 0, 1000000, 1000000},
        {"5103", true, 0, 50050, 0, 50050},
        {"5104", true, 0, 400000, 0, 400000},
    };
    struct fx_db *d = open_db(state);
    struct yb_trial_balance tb;
    struct yb_arena a;
    struct yb_err e;

    assert_int_equal(fx_post_all(d->s, &e), YB_OK);
    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_ledger_trial_balance(d->s, NULL, NULL, NULL, &a, &tb, &e), YB_OK);
    assert_int_equal(tb.n_funds, 3);
    assert_int_equal(tb.n_lines, 17 + 4 + 6);
    check_lines(&tb, &tb.funds[0], "390100", basic, 17);
    check_lines(&tb, &tb.funds[1], "390200", critical, 4);
    check_lines(&tb, &tb.funds[2], "610100", assist, 6);
    assert_string_equal(tb.funds[0].name, "基本医疗保险统筹基金");
    assert_string_equal(tb.lines[0].name, "财政专户存款");
    assert_int_equal(tb.funds[0].debit, 22017479);
    assert_int_equal(tb.funds[0].credit, 22017479);
    assert_int_equal(tb.funds[0].closing_debit, 11742345);
    assert_int_equal(tb.funds[0].closing_credit, 11742345);
    assert_int_equal(tb.funds[1].debit, 1115000);
    assert_int_equal(tb.funds[1].closing_debit, 715000);
    assert_int_equal(tb.funds[2].debit, 1900100);
    assert_int_equal(tb.funds[2].closing_credit, 1000000);
    assert_int_equal(tb.debit, 25032579);
    assert_int_equal(tb.credit, 25032579);
    assert_true(tb.balanced);
    for (size_t k = 0; k < 3; k++)
        assert_true(tb.funds[k].balanced);
    yb_arena_free(&a);
}

static void test_ledger_trial_balance_brings_balances_forward(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_trial_balance tb;
    struct yb_arena a;
    struct yb_err e;

    assert_int_equal(fx_post_all(d->s, &e), YB_OK);
    yb_arena_init(&a, 0);
    assert_int_equal(yb_ledger_trial_balance(d->s, "390100", "2024-02",
                                             "2024-03", &a, &tb, &e),
                     YB_OK);
    assert_int_equal(tb.n_funds, 1);
    assert_int_equal(tb.n_lines, 17);
    /* 1003: 40,000.00 brought forward; 63,083.45 in, 19,895.67 out */
    assert_string_equal(tb.lines[0].account, "1003");
    assert_int_equal(tb.lines[0].opening, 4000000);
    assert_int_equal(tb.lines[0].debit, 6308345);
    assert_int_equal(tb.lines[0].credit, 1989567);
    assert_int_equal(tb.lines[0].closing, 8318778);
    /* 1201: the central subsidy due in January, received in February */
    assert_int_equal(tb.lines[1].opening, 5896000);
    assert_int_equal(tb.lines[1].credit, 5896000);
    assert_int_equal(tb.lines[1].closing, 0);
    assert_int_equal(tb.debit, 10247479);
    assert_int_equal(tb.credit, 10247479);
    assert_int_equal(tb.funds[0].closing_debit, 11742345);
    assert_true(tb.balanced);

    /* January alone, every fund */
    assert_int_equal(
        yb_ledger_trial_balance(d->s, NULL, NULL, "2024-01", &a, &tb, &e),
        YB_OK);
    assert_int_equal(tb.n_funds, 2); /* 390200 has no January entry */
    assert_int_equal(tb.debit, 13170000);
    assert_true(tb.balanced);
    yb_arena_free(&a);
}

static void test_ledger_trial_balance_of_an_empty_ledger(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_trial_balance tb;
    struct yb_arena a;
    struct yb_err e;

    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_ledger_trial_balance(d->s, NULL, NULL, NULL, &a, &tb, &e), YB_OK);
    assert_int_equal(tb.n_funds, 0);
    assert_int_equal(tb.n_lines, 0);
    assert_int_equal(tb.debit, 0);
    assert_true(tb.balanced);
    assert_int_equal(
        yb_ledger_trial_balance(d->s, "390200", NULL, NULL, &a, &tb, &e),
        YB_OK);
    assert_int_equal(tb.n_funds, 1);
    assert_string_equal(tb.funds[0].name, "大病保险基金");
    assert_int_equal(tb.funds[0].n, 0);
    assert_true(tb.balanced);
    assert_int_equal(
        yb_ledger_trial_balance(d->s, "999999", NULL, NULL, &a, &tb, &e),
        YB_EINVAL);
    assert_string_equal(e.msg, "未知的基金 \"999999\" (unknown fund)");
    assert_int_equal(
        yb_ledger_trial_balance(d->s, NULL, "2024-03", "2024-02", &a, &tb, &e),
        YB_EINVAL);
    assert_string_equal(e.msg,
                        "起始 2024-03 晚于截止 2024-02 (from is after to)");
    yb_arena_free(&a);
}

static void test_ledger_corrupted_books_are_reported_unbalanced(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_trial_balance tb;
    struct yb_arena a;
    struct yb_err e;

    assert_int_equal(fx_post_all(d->s, &e), YB_OK);
    /* a line written behind the ledger service's back */
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO journal (event_id, fund, "
                                   "account, debit, period) VALUES "
                                   "(1, '390200', '1003', 1, '2024-03')",
                                   &e),
                     YB_OK);
    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_ledger_trial_balance(d->s, NULL, NULL, NULL, &a, &tb, &e), YB_OK);
    assert_false(tb.balanced);
    assert_true(tb.funds[0].balanced);
    assert_false(tb.funds[1].balanced);
    assert_int_equal(tb.debit, 25032580);
    assert_int_equal(tb.credit, 25032579);
    yb_arena_free(&a);
}

/* ---- statement --------------------------------------------------------- */

static void check_line(const struct yb_statement_line *l, const char *account,
                       yb_fen amount)
{
    assert_string_equal(l->account, account);
    assert_int_equal(l->amount, amount);
}

static void test_ledger_statement_of_the_basic_fund_is_exact(void **state)
{
    struct fx_db *d = open_db(state);
    const struct yb_statement_period *p;
    struct yb_statement st;
    struct yb_arena a;
    struct yb_err e;

    assert_int_equal(fx_post_all(d->s, &e), YB_OK);
    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_ledger_statement(d->s, "390100", NULL, NULL, &a, &st, &e), YB_OK);
    assert_string_equal(st.from, "2024-01");
    assert_string_equal(st.to, "2024-03");
    assert_string_equal(st.fund_name, "基本医疗保险统筹基金");
    assert_int_equal(st.n_periods, 3);
    p = &st.periods[0];
    assert_string_equal(p->period, "2024-01");
    assert_int_equal(p->n_income, 6);
    check_line(&p->income[0], "4101", 4000000);
    check_line(&p->income[1], "4102", 400000);
    check_line(&p->income[2], "4201", 5896000);
    check_line(&p->income[5], "4204", 368500);
    assert_string_equal(p->income[0].name, "个人缴费收入");
    assert_int_equal(p->income_total, 11770000);
    assert_int_equal(p->n_expense, 0);
    assert_int_equal(p->surplus, 11770000);
    assert_int_equal(p->bank_opening, 0);
    assert_int_equal(p->bank_closing, 4000000);
    p = &st.periods[1];
    assert_int_equal(p->n_income, 0);
    assert_int_equal(p->n_expense, 1);
    check_line(&p->expense[0], "5101", 1234567);
    assert_int_equal(p->surplus, -1234567);
    assert_int_equal(p->bank_opening, 4000000);
    assert_int_equal(p->bank_closing, 10296000);
    p = &st.periods[2];
    assert_int_equal(p->n_income, 2);
    check_line(&p->income[0], "4101", -40000); /* the refund */
    check_line(&p->income[1], "4301", 12345);
    assert_int_equal(p->income_total, -27655);
    check_line(&p->expense[0], "5201", 715000);
    assert_int_equal(p->surplus, -742655);
    assert_int_equal(p->bank_closing, 8318778);
    assert_int_equal(st.income_total, 11742345);
    assert_int_equal(st.expense_total, 1949567);
    assert_int_equal(st.surplus, 9792778);
    assert_int_equal(st.bank_opening, 0);
    assert_int_equal(st.bank_closing, 8318778);
    yb_arena_free(&a);
}

static void test_ledger_statement_of_the_assistance_fund(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_statement st;
    struct yb_arena a;
    struct yb_err e;

    assert_int_equal(fx_post_all(d->s, &e), YB_OK);
    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_ledger_statement(d->s, "610100", "2024-01", "2024-03", &a, &st, &e),
        YB_OK);
    assert_int_equal(st.n_periods, 3);
    check_line(&st.periods[0].income[0], "4201", 1000000);
    check_line(&st.periods[0].expense[0], "5104", 400000);
    assert_int_equal(st.periods[0].surplus, 600000);
    assert_int_equal(st.periods[0].bank_closing, 1000000);
    check_line(&st.periods[1].expense[0], "5103", 50050);
    assert_int_equal(st.periods[1].bank_closing, 600000);
    assert_int_equal(st.periods[2].n_expense, 0);
    assert_int_equal(st.periods[2].surplus, 0);
    assert_int_equal(st.periods[2].bank_closing, 549950);
    assert_int_equal(st.surplus, 549950);
    yb_arena_free(&a);
}

static void test_ledger_statement_ranges(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_statement st;
    struct yb_arena a;
    struct yb_err e;

    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_ledger_statement(d->s, "390100", NULL, NULL, &a, &st, &e), YB_OK);
    assert_int_equal(st.n_periods, 0);
    assert_string_equal(st.from, "");
    assert_int_equal(fx_post_all(d->s, &e), YB_OK);
    /* empty months before the first entry are listed */
    assert_int_equal(
        yb_ledger_statement(d->s, "390100", "2023-11", "2024-01", &a, &st, &e),
        YB_OK);
    assert_int_equal(st.n_periods, 3);
    assert_string_equal(st.periods[0].period, "2023-11");
    assert_string_equal(st.periods[1].period, "2023-12");
    assert_int_equal(st.periods[1].income_total, 0);
    assert_int_equal(st.periods[2].income_total, 11770000);
    /* from March on: the bank balance brought forward */
    assert_int_equal(
        yb_ledger_statement(d->s, "390100", "2024-03", NULL, &a, &st, &e),
        YB_OK);
    assert_int_equal(st.n_periods, 1);
    assert_int_equal(st.bank_opening, 10296000);
    assert_int_equal(st.bank_closing, 8318778);
    /* a year boundary and a bound beyond the data */
    assert_int_equal(
        yb_ledger_statement(d->s, "390100", "2024-12", NULL, &a, &st, &e),
        YB_OK);
    assert_int_equal(st.n_periods, 1);
    assert_string_equal(st.periods[0].period, "2024-12");
    assert_int_equal(st.bank_opening, 8318778);
    /* only --to, before every entry */
    assert_int_equal(
        yb_ledger_statement(d->s, "390100", NULL, "2023-06", &a, &st, &e),
        YB_OK);
    assert_int_equal(st.n_periods, 1);
    assert_string_equal(st.periods[0].period, "2023-06");
    assert_int_equal(st.bank_closing, 0);
    assert_int_equal(yb_ledger_statement(d->s, NULL, NULL, NULL, &a, &st, &e),
                     YB_EINVAL);
    assert_string_equal(e.msg, "必须给出基金 (a fund is required)");
    assert_int_equal(
        yb_ledger_statement(d->s, "390100", "1990-01", "2199-12", &a, &st, &e),
        YB_EINVAL);
    assert_string_equal(
        e.msg, "期间 1990-01 至 2199-12 超过 1200 个月 (range too long)");
    yb_arena_free(&a);
}

/* Every allocation of the reports can fail: each is reported as
 * YB_ENOMEM, and with enough memory the same call succeeds. */
static void test_ledger_reports_survive_allocation_failure(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_trial_balance tb;
    struct yb_statement st;
    struct yb_arena a;
    struct yb_err e;
    int rc = YB_ENOMEM, n;

    assert_int_equal(fx_post_all(d->s, &e), YB_OK);
    yb_arena_init(&a, 0);
    for (n = 0; rc == YB_ENOMEM && n < 1000; n++) {
        yb_arena_reset(&a);
        a.fail_after = n;
        rc = yb_ledger_trial_balance(d->s, NULL, NULL, NULL, &a, &tb, &e);
    }
    assert_int_equal(rc, YB_OK);
    assert_true(n > 10);
    assert_int_equal(tb.debit, 25032579);
    rc = YB_ENOMEM;
    for (n = 0; rc == YB_ENOMEM && n < 1000; n++) {
        yb_arena_reset(&a);
        a.fail_after = n;
        rc = yb_ledger_statement(d->s, "390100", NULL, NULL, &a, &st, &e);
    }
    assert_int_equal(rc, YB_OK);
    assert_true(n > 10);
    assert_int_equal(st.bank_closing, 8318778);
    a.fail_after = -1;
    yb_arena_free(&a);
}

static void test_ledger_summary_voucher_sums_entries_per_period(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e;
    struct yb_ledger_batch b = {0};
    const struct yb_posting pay1[] = {{"390100", "1003", 22000, 0, NULL},
                                      {"390100", "4101", 0, 22000, NULL}};
    const struct yb_posting pay2[] = {{"390100", "1003", 15000, 0, NULL},
                                      {"390100", "4101", 0, 15000, NULL},
                                      {"390100", "1211", 7000, 0, NULL},
                                      {"390100", "4102", 0, 7000, NULL}};
    const struct yb_posting bad[] = {{"390100", "1003", 100, 0, NULL},
                                     {"390100", "4101", 0, 99, NULL}};
    int64_t id = begin_event(d->s);

    assert_int_equal(yb_ledger_batch_add(&b, "2024-01", pay1, 2, &e), YB_OK);
    assert_int_equal(yb_ledger_batch_add(&b, "2024-01", pay2, 4, &e), YB_OK);
    assert_int_equal(yb_ledger_batch_add(&b, "2024-02", pay1, 2, &e), YB_OK);
    assert_int_equal(yb_ledger_batch_add(&b, "2024-01", bad, 2, &e),
                     YB_EUNBALANCED);
    assert_int_equal(b.entries, 3);
    assert_int_equal(yb_ledger_batch_post(d->s, id, &b, &e), YB_OK);
    assert_int_equal(b.n, 0);
    /* 2024-01: bank 370.00, personal 370.00, assisted 70.00 both sides;
     * 2024-02: bank and personal 220.00 */
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 6);
    assert_int_equal(fx_int(d->s, "SELECT debit FROM journal WHERE "
                                  "period = '2024-01' AND account = '1003'"),
                     37000);
    assert_int_equal(fx_int(d->s, "SELECT credit FROM journal WHERE "
                                  "period = '2024-01' AND account = '4102'"),
                     7000);
    assert_int_equal(fx_int(d->s, "SELECT debit FROM journal WHERE "
                                  "period = '2024-02' AND account = '1003'"),
                     22000);
    assert_int_equal(fx_int(d->s, "SELECT SUM(debit) - SUM(credit) FROM "
                                  "journal"),
                     0);
    assert_int_equal(yb_ledger_batch_post(d->s, id, &b, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 6);
    yb_store_rollback(d->s);
}

static void test_ledger_summary_voucher_says_when_it_is_full(void **state)
{
    (void)state;
    struct yb_err e;
    struct yb_ledger_batch b = {0};
    const struct yb_posting pay[] = {{"390100", "1003", 100, 0, NULL},
                                     {"390100", "4101", 0, 100, NULL}};
    char period[8];
    for (int m = 0; m < YB_LEDGER_BATCH_MAX / 2; m++) {
        snprintf(period, sizeof period, "%04d-%02d", 2010 + m / 12, 1 + m % 12);
        assert_int_equal(yb_ledger_batch_add(&b, period, pay, 2, &e), YB_OK);
    }
    assert_int_equal(b.n, YB_LEDGER_BATCH_MAX);
    assert_int_equal(yb_ledger_batch_add(&b, "2030-01", pay, 2, &e),
                     YB_LEDGER_BATCH_FULL);
    assert_int_equal(b.n, YB_LEDGER_BATCH_MAX);
    assert_int_equal(b.entries, YB_LEDGER_BATCH_MAX / 2);
    /* a period already in the voucher still fits */
    assert_int_equal(yb_ledger_batch_add(&b, "2010-01", pay, 2, &e), YB_OK);
    assert_int_equal(b.v[0].debit, 200);
}

/* ---- interest ---------------------------------------------------------- */

static struct yb_interest interest_of(const char *fund, const char *period,
                                      yb_fen amount, const char *slip)
{
    return (struct yb_interest){.fund = fund,
                                .period = period,
                                .amount = amount,
                                .slip = slip,
                                .actor = "tester",
                                .at = "2024-03-21 09:00:00"};
}

static void test_ledger_interest_is_posted_once_per_slip(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_interest in = interest_of("390200", "2024-03", 98765, "ICBC-7");
    struct yb_err e = {0};
    int64_t ev = 0;

    assert_int_equal(yb_ledger_interest(d->s, &in, &ev, &e), YB_OK);
    assert_true(ev > 0);
    assert_int_equal(fx_int(d->s, "SELECT debit FROM journal WHERE fund = "
                                  "'390200' AND account = '1003'"),
                     98765);
    assert_int_equal(fx_int(d->s, "SELECT credit FROM journal WHERE fund = "
                                  "'390200' AND account = '4301' AND "
                                  "period = '2024-03'"),
                     98765);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit WHERE action = "
                                  "'ledger.interest' AND detail = "
                                  "'390200/ICBC-7'"),
                     1);
    /* the same slip again: refused, naming the event; nothing written */
    int64_t ev2 = -1;
    assert_int_equal(yb_ledger_interest(d->s, &in, &ev2, &e), YB_EDUPLICATE);
    assert_string_equal(e.field, "slip");
    char msg[128];
    snprintf(
        msg, sizeof msg,
        "单据 ICBC-7 已记账（事件 %lld，2024-03-21 09:00:00）(posted already)",
        (long long)ev);
    assert_string_equal(e.msg, msg);
    assert_int_equal(ev2, 0);
    /* the same slip number for another fund is another slip */
    in.fund = "390100";
    assert_int_equal(yb_ledger_interest(d->s, &in, &ev2, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 4);
    assert_false(yb_store_in_transaction(d->s));
}

static void test_ledger_interest_refuses_bad_input_writing_nothing(void **state)
{
    struct fx_db *d = open_db(state);
    const struct {
        struct yb_interest in;
        const char *field, *msg;
    } bad[] = {
        {interest_of("390300", "2024-03", 1, "S"), "fund",
         "基金代码应为 390100、390200 或 610100，实际为 \"390300\" (not a "
         "fund)"},
        {interest_of(NULL, "2024-03", 1, "S"), "fund",
         "基金代码应为 390100、390200 或 610100，实际为 \"\" (not a fund)"},
        {interest_of("390100", "2024-3", 1, "S"), "period",
         "期间应为 yyyy-mm，实际为 \"2024-3\" (not a period)"},
        {interest_of("390100", "2024-03", 0, "S"), "amount",
         "金额 0.00 应大于 0.00 (not above 0.00)"},
        {interest_of("390100", "2024-03", -5, "S"), "amount",
         "金额 -0.05 应大于 0.00 (not above 0.00)"},
        {interest_of("390100", "2024-03", 1, ""), "slip",
         "单据号 \"\" 为空 (empty)"},
        {interest_of("390100", "2024-03", 1,
                     "12345678901234567890123456789012345678901"),
         "slip",
         "单据号 \"12345678901234567890123456789012345678901\" 过长 (too "
         "long)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct yb_err e = {0};
        int64_t ev = -1;
        assert_int_equal(yb_ledger_interest(d->s, &bad[i].in, &ev, &e),
                         YB_EINVAL);
        assert_string_equal(e.field, bad[i].field);
        assert_string_equal(e.msg, bad[i].msg);
        assert_int_equal(ev, 0);
    }
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 0);
}

/* ---- clearing of assisted contributions -------------------------------- */

/* An assisted contribution assessed in period: 390100 Dr 1211 / Cr 4102,
 * 610100 Dr 5104 / Cr 2103. */
static void assess_assisted(yb_store *s, const char *period, yb_fen v)
{
    const struct yb_posting p[] = {
        {"390100", "1211", v, 0, NULL},
        {"390100", "4102", 0, v, NULL},
        {"610100", "5104", v, 0, NULL},
        {"610100", "2103", 0, v, NULL},
    };
    struct yb_err e;
    int64_t id = begin_event(s);
    assert_int_equal(yb_ledger_post(s, id, period, p, 4, &e), YB_OK);
    assert_int_equal(yb_store_commit(s, &e), YB_OK);
}

static struct yb_assist_clearing clearing_of(const char *payer,
                                             const char *period, yb_fen amount,
                                             const char *slip)
{
    return (struct yb_assist_clearing){.payer = payer,
                                       .period = period,
                                       .amount = amount,
                                       .slip = slip,
                                       .actor = "tester",
                                       .at = "2024-04-02 10:00:00"};
}

static yb_fen balance(yb_store *s, const char *fund, const char *account)
{
    struct yb_err e;
    yb_stmt *st;
    assert_int_equal(yb_store_prepare(s,
                                      "SELECT COALESCE(SUM(debit - credit), "
                                      "0) FROM journal WHERE fund = $1 AND "
                                      "account = $2",
                                      &st, &e),
                     YB_OK);
    yb_stmt_bind_text(st, 1, fund);
    yb_stmt_bind_text(st, 2, account);
    assert_int_equal(yb_stmt_step(st, &e), YB_ROW);
    yb_fen v = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return v;
}

static void
test_ledger_clearing_pays_what_the_assistance_fund_owes(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e = {0};
    int64_t ev = 0;
    yb_fen paid = -1;
    assess_assisted(d->s, "2024-01", 400000);
    assess_assisted(d->s, "2024-03", 60000);

    /* all that is owed at the end of February: January's 4,000.00 */
    struct yb_assist_clearing c = clearing_of("610100", "2024-02", 0, "B-1");
    assert_int_equal(yb_ledger_clear_assisted(d->s, &c, &ev, &paid, &e), YB_OK);
    assert_int_equal(paid, 400000);
    assert_true(ev > 0);
    assert_int_equal(balance(d->s, "610100", "2103"), -60000);
    assert_int_equal(balance(d->s, "610100", "1003"), -400000);
    assert_int_equal(balance(d->s, "390100", "1003"), 400000);
    assert_int_equal(balance(d->s, "390100", "1211"), 60000);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal WHERE "
                                  "period = '2024-02' AND memo = "
                                  "'资助参保款清算 B-1'"),
                     4);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit WHERE action = "
                                  "'ledger.assist_clearing' AND detail = "
                                  "'610100/B-1'"),
                     1);

    /* the same slip again, and nothing owed in February any more */
    int64_t ev2 = -1;
    assert_int_equal(yb_ledger_clear_assisted(d->s, &c, &ev2, &paid, &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.field, "slip");
    assert_int_equal(ev2, 0);
    assert_int_equal(paid, 0);
    c.slip = "B-2";
    assert_int_equal(yb_ledger_clear_assisted(d->s, &c, &ev2, &paid, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "amount");
    assert_string_equal(
        e.msg, "基金 610100 在 2024-02 末不欠基本医保基金资助参保款（2103 "
               "0.00）(owes nothing)");

    /* March: more than is owed is refused; a part is paid */
    c = clearing_of("610100", "2024-03", 60001, "B-2");
    assert_int_equal(yb_ledger_clear_assisted(d->s, &c, &ev2, &paid, &e),
                     YB_EINVAL);
    assert_string_equal(
        e.msg, "金额 600.01 超过基金 610100 在 2024-03 "
               "末欠基本医保基金的金额：600.00 (above what the fund owes)");
    c.amount = 25000;
    assert_int_equal(yb_ledger_clear_assisted(d->s, &c, &ev2, &paid, &e),
                     YB_OK);
    assert_int_equal(paid, 25000);
    assert_int_equal(balance(d->s, "390100", "1211"), 35000);
    assert_int_equal(balance(d->s, "610100", "2103"), -35000);
    assert_int_equal(fx_int(d->s, "SELECT SUM(debit) - SUM(credit) FROM "
                                  "journal"),
                     0);
    assert_false(yb_store_in_transaction(d->s));
}

static void test_ledger_clearing_refuses_bad_input_writing_nothing(void **state)
{
    struct fx_db *d = open_db(state);
    assess_assisted(d->s, "2024-01", 1000);
    const struct {
        struct yb_assist_clearing in;
        const char *field, *msg;
    } bad[] = {
        {clearing_of("390100", "2024-03", 0, "S"), "payer",
         "资助参保的基金应为 610100 或 390200，实际为 \"390100\" (not a fund "
         "that assists contributions)"},
        {clearing_of(NULL, "2024-03", 0, "S"), "payer",
         "资助参保的基金应为 610100 或 390200，实际为 \"\" (not a fund that "
         "assists contributions)"},
        {clearing_of("610100", "24-03", 0, "S"), "period",
         "期间应为 yyyy-mm，实际为 \"24-03\" (not a period)"},
        {clearing_of("610100", "2024-03", -1, "S"), "amount",
         "金额 -0.01 应大于 0.00 (not above 0.00)"},
        {clearing_of("610100", "2024-03", 0, NULL), "slip",
         "单据号 \"\" 为空 (empty)"},
        {clearing_of("390200", "2024-03", 0, "S"), "amount",
         "基金 390200 在 2024-03 末不欠基本医保基金资助参保款（2103 "
         "0.00）(owes nothing)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct yb_err e = {0};
        int64_t ev = -1;
        assert_int_equal(
            yb_ledger_clear_assisted(d->s, &bad[i].in, &ev, NULL, &e),
            YB_EINVAL);
        assert_string_equal(e.field, bad[i].field);
        assert_string_equal(e.msg, bad[i].msg);
        assert_int_equal(ev, 0);
    }
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM journal"), 4);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 1);
    assert_false(yb_store_in_transaction(d->s));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_ledger_balanced_entry_is_posted),
        T(test_ledger_summary_voucher_sums_entries_per_period),
        T(test_ledger_summary_voucher_says_when_it_is_full),
        T(test_ledger_unbalanced_entry_is_refused_and_nothing_written),
        T(test_ledger_balances_each_fund_on_its_own),
        T(test_ledger_refuses_bad_lines_naming_them),
        T(test_ledger_post_for_a_missing_event_is_econstraint),
        cmocka_unit_test(test_ledger_period_validity),
        T(test_ledger_trial_balance_of_the_quarter_is_exact),
        T(test_ledger_trial_balance_brings_balances_forward),
        T(test_ledger_trial_balance_of_an_empty_ledger),
        T(test_ledger_corrupted_books_are_reported_unbalanced),
        T(test_ledger_statement_of_the_basic_fund_is_exact),
        T(test_ledger_statement_of_the_assistance_fund),
        T(test_ledger_statement_ranges),
        T(test_ledger_reports_survive_allocation_failure),
        T(test_ledger_interest_is_posted_once_per_slip),
        T(test_ledger_interest_refuses_bad_input_writing_nothing),
        T(test_ledger_clearing_pays_what_the_assistance_fund_owes),
        T(test_ledger_clearing_refuses_bad_input_writing_nothing),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
