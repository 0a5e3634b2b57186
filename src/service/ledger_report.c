/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger's reports (include/yibao/ledger.h): the trial balance
 * (试算平衡表), per fund and account the balance brought forward, the
 * period's debits and credits and the closing balance on the account's
 * normal side, with totals that prove debits equal credits; and the fund
 * statement (基金收支表), month by month income and expenditure by account,
 * the surplus and the fiscal special account's opening and closing
 * balance. The database sums, C checks every addition for overflow, and
 * everything returned lives in the caller's arena.
 */
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

#define MAX_MONTHS 1200
#define FROM_MIN "0000-00" /* sorts before every period */
#define TO_MAX "9999-99"   /* and after */

/* Grow an arena array of *cap elements of size bytes to hold n + 1. */
static void *grow(struct yb_arena *a, void *arr, size_t n, size_t *cap,
                  size_t size)
{
    void *bigger;

    if (n < *cap)
        return arr;
    *cap = *cap == 0 ? 16 : *cap * 2;
    bigger = yb_arena_calloc(a, *cap, size);
    if (bigger != NULL && n > 0)
        memcpy(bigger, arr, n * size);
    return bigger;
}

static int oom(struct yb_err *e)
{
    return yb_err_set(e, YB_ENOMEM, "ledger", "内存不足 (out of memory)");
}

static int overflow(struct yb_err *e, const char *what)
{
    return yb_err_set(e, YB_EOVERFLOW, "ledger", "合计 %s 溢出 (overflows)",
                      what);
}

/* The name of a fund, copied into a; YB_EINVAL if it is not in the chart. */
static int fund_name(yb_store *s, const char *fund, struct yb_arena *a,
                     const char **name, struct yb_err *e)
{
    static const char sql[] = "SELECT name FROM fund WHERE code = $1";
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_text(st, 1, fund)) != YB_OK)
        return yb_err_set(e, rc, "fund", "无法绑定基金 (cannot bind the fund)");
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        *name = yb_arena_strdup(a, yb_stmt_text(st, 0));
        rc = *name != NULL ? YB_OK : oom(e);
    } else if (rc == YB_DONE) {
        rc = yb_err_set(e, YB_EINVAL, "fund",
                        "未知的基金 \"%s\" (unknown fund)", fund);
    }
    yb_stmt_reset(st);
    return rc;
}

static int check_range(const char *from, const char *to, struct yb_err *e)
{
    int rc = YB_OK;

    if (from != NULL)
        rc = yb__period_check(from, "from", e);
    if (rc == YB_OK && to != NULL)
        rc = yb__period_check(to, "to", e);
    if (rc == YB_OK && from != NULL && to != NULL && strcmp(from, to) > 0)
        rc = yb_err_set(e, YB_EINVAL, "from",
                        "起始 %s 晚于截止 %s (from is after to)", from, to);
    return rc;
}

/* ---- trial balance ----------------------------------------------------- */

/* Opening and closing on the normal side from the four sums. */
static int tb_figures(struct yb_tb_line *l, yb_fen od, yb_fen oc)
{
    yb_fen move;

    if (l->debit_side) {
        if (yb_money_sub(od, oc, &l->opening) != YB_OK ||
            yb_money_sub(l->debit, l->credit, &move) != YB_OK)
            return YB_EOVERFLOW;
    } else if (yb_money_sub(oc, od, &l->opening) != YB_OK ||
               yb_money_sub(l->credit, l->debit, &move) != YB_OK) {
        return YB_EOVERFLOW;
    }
    return yb_money_add(l->opening, move, &l->closing);
}

static int tb_line(yb_stmt *st, struct yb_arena *a, struct yb_tb_line *l,
                   struct yb_err *e)
{
    const char *side = yb_stmt_text(st, 5);

    l->fund = yb_arena_strdup(a, yb_stmt_text(st, 0));
    l->account = yb_arena_strdup(a, yb_stmt_text(st, 2));
    l->name = yb_arena_strdup(a, yb_stmt_text(st, 3));
    l->kind = yb_arena_strdup(a, yb_stmt_text(st, 4));
    if (l->fund == NULL || l->account == NULL || l->name == NULL ||
        l->kind == NULL)
        return oom(e);
    l->debit_side = side != NULL && strcmp(side, "debit") == 0;
    l->debit = yb_stmt_int(st, 8);
    l->credit = yb_stmt_int(st, 9);
    if (tb_figures(l, yb_stmt_int(st, 6), yb_stmt_int(st, 7)) != YB_OK)
        return overflow(e, "an account balance");
    return YB_OK;
}

static int tb_query(yb_store *s, const char *fund, const char *from,
                    const char *to, struct yb_arena *a,
                    struct yb_trial_balance *out, struct yb_err *e)
{
    static const char sql[] =
        "SELECT j.fund, f.name, j.account, a.name, a.kind, a.side,"
        " SUM(CASE WHEN j.period < $2 THEN j.debit ELSE 0 END),"
        " SUM(CASE WHEN j.period < $2 THEN j.credit ELSE 0 END),"
        " SUM(CASE WHEN j.period >= $2 THEN j.debit ELSE 0 END),"
        " SUM(CASE WHEN j.period >= $2 THEN j.credit ELSE 0 END)"
        " FROM journal j JOIN account a ON a.code = j.account"
        " JOIN fund f ON f.code = j.fund"
        " WHERE j.period <= $3 AND ($1 = '' OR j.fund = $1)"
        " GROUP BY j.fund, f.name, j.account, a.name, a.kind, a.side"
        " ORDER BY j.fund, j.account";
    size_t cap = 0;
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_text(st, 1, fund != NULL ? fund : "")) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 2, from != NULL ? from : FROM_MIN)) !=
            YB_OK ||
        (rc = yb_stmt_bind_text(st, 3, to != NULL ? to : TO_MAX)) != YB_OK)
        return yb_err_set(e, rc, "ledger",
                          "无法绑定期间 (cannot bind the range)");
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        out->lines =
            grow(a, out->lines, out->n_lines, &cap, sizeof *out->lines);
        if (out->lines == NULL) {
            rc = oom(e);
            break;
        }
        rc = tb_line(st, a, &out->lines[out->n_lines], e);
        if (rc != YB_OK)
            break;
        out->n_lines++;
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* Add line l to fund f's totals. */
static int tb_add(struct yb_tb_fund *f, const struct yb_tb_line *l)
{
    yb_fen *side = l->debit_side ? &f->closing_debit : &f->closing_credit;

    if (yb_money_add(f->debit, l->debit, &f->debit) != YB_OK ||
        yb_money_add(f->credit, l->credit, &f->credit) != YB_OK ||
        yb_money_add(*side, l->closing, side) != YB_OK)
        return YB_EOVERFLOW;
    return YB_OK;
}

/* Group the lines (sorted by fund) into funds and add up the totals. */
static int tb_totals(struct yb_arena *a, struct yb_trial_balance *out,
                     struct yb_err *e)
{
    size_t cap = 0;

    for (size_t i = 0; i < out->n_lines; i++) {
        const struct yb_tb_line *l = &out->lines[i];
        struct yb_tb_fund *f =
            out->n_funds > 0 ? &out->funds[out->n_funds - 1] : NULL;

        if (f == NULL || strcmp(f->fund, l->fund) != 0) {
            out->funds =
                grow(a, out->funds, out->n_funds, &cap, sizeof *out->funds);
            if (out->funds == NULL)
                return oom(e);
            f = &out->funds[out->n_funds++];
            f->fund = l->fund;
            f->first = i;
        }
        f->n++;
        if (tb_add(f, l) != YB_OK)
            return overflow(e, "a fund total");
    }
    out->balanced = true;
    for (size_t k = 0; k < out->n_funds; k++) {
        struct yb_tb_fund *f = &out->funds[k];

        f->balanced =
            f->debit == f->credit && f->closing_debit == f->closing_credit;
        out->balanced = out->balanced && f->balanced;
        if (yb_money_add(out->debit, f->debit, &out->debit) != YB_OK ||
            yb_money_add(out->credit, f->credit, &out->credit) != YB_OK)
            return overflow(e, "the grand total");
    }
    out->balanced = out->balanced && out->debit == out->credit;
    return YB_OK;
}

/* Fund names for the funds found, and the asked-for fund when it has no
 * entries at all. */
static int tb_names(yb_store *s, const char *fund, struct yb_arena *a,
                    struct yb_trial_balance *out, struct yb_err *e)
{
    int rc;

    if (fund != NULL && out->n_funds == 0) {
        out->funds = yb_arena_calloc(a, 1, sizeof *out->funds);
        if (out->funds == NULL)
            return oom(e);
        out->funds[0].fund = yb_arena_strdup(a, fund);
        out->funds[0].balanced = true;
        if (out->funds[0].fund == NULL)
            return oom(e);
        out->n_funds = 1;
    }
    for (size_t k = 0; k < out->n_funds; k++)
        if ((rc = fund_name(s, out->funds[k].fund, a, &out->funds[k].name,
                            e)) != YB_OK)
            return rc;
    return YB_OK;
}

int yb_ledger_trial_balance(yb_store *s, const char *fund, const char *from,
                            const char *to, struct yb_arena *a,
                            struct yb_trial_balance *out, struct yb_err *e)
{
    const char *name;
    int rc;

    memset(out, 0, sizeof *out);
    rc = check_range(from, to, e);
    if (rc == YB_OK && fund != NULL)
        rc = fund_name(s, fund, a, &name, e);
    if (rc == YB_OK)
        rc = tb_query(s, fund, from, to, a, out, e);
    if (rc == YB_OK)
        rc = tb_totals(a, out, e);
    if (rc == YB_OK)
        rc = tb_names(s, fund, a, out, e);
    return rc;
}

/* ---- fund statement ---------------------------------------------------- */

/* One summed row of the statement query. */
struct st_row {
    int month;
    const char *account, *name;
    int role; /* 'i' income, 'x' expense, 'b' the bank account */
    yb_fen debit, credit;
};

/* The fund's first and last period with entries, for missing bounds. */
static int st_bounds(yb_store *s, const char *fund, char *from, char *to,
                     struct yb_err *e)
{
    static const char sql[] =
        "SELECT MIN(period), MAX(period) FROM journal WHERE fund = $1";
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_text(st, 1, fund)) != YB_OK)
        return yb_err_set(e, rc, "fund", "无法绑定基金 (cannot bind the fund)");
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        if (from[0] == '\0' && !yb_stmt_null(st, 0))
            snprintf(from, 8, "%s", yb_stmt_text(st, 0));
        if (to[0] == '\0' && !yb_stmt_null(st, 1))
            snprintf(to, 8, "%s", yb_stmt_text(st, 1));
        rc = YB_OK;
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* Resolve the range into out->from / out->to ("" and "" when the fund has
 * no entries and no bound was given). */
static int st_range(yb_store *s, const char *fund, const char *from,
                    const char *to, struct yb_statement *out, struct yb_err *e)
{
    int rc = check_range(from, to, e);

    if (rc != YB_OK)
        return rc;
    snprintf(out->from, sizeof out->from, "%s", from != NULL ? from : "");
    snprintf(out->to, sizeof out->to, "%s", to != NULL ? to : "");
    if ((from == NULL || to == NULL) &&
        (rc = st_bounds(s, fund, out->from, out->to, e)) != YB_OK)
        return rc;
    /* one bound given and no data, or all of it beyond that bound: the
     * range is the given bound's month */
    if (out->from[0] == '\0' ||
        (from == NULL && strcmp(out->to, out->from) < 0))
        snprintf(out->from, sizeof out->from, "%s", out->to);
    if (out->to[0] == '\0' || strcmp(out->to, out->from) < 0)
        snprintf(out->to, sizeof out->to, "%s", out->from);
    if (out->from[0] != '\0' &&
        yb__period_months(out->to) - yb__period_months(out->from) >= MAX_MONTHS)
        return yb_err_set(e, YB_EINVAL, "to",
                          "期间 %s 至 %s 超过 %d 个月 (range too long)",
                          out->from, out->to, MAX_MONTHS);
    return YB_OK;
}

/* The bank account's balance (debit side) before the range. */
static int st_bank_opening(yb_store *s, const char *fund, const char *from,
                           yb_fen *bal, struct yb_err *e)
{
    static const char sql[] =
        "SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0)"
        " FROM journal WHERE fund = $1 AND account = $2 AND period < $3";
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_text(st, 1, fund)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 2, YB_ACC_BANK)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 3, from)) != YB_OK)
        return yb_err_set(e, rc, "ledger",
                          "无法绑定期间 (cannot bind the range)");
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        rc = yb_money_sub(yb_stmt_int(st, 0), yb_stmt_int(st, 1), bal) == YB_OK
                 ? YB_OK
                 : overflow(e, "the bank balance");
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int st_row(yb_stmt *st, struct yb_arena *a, struct st_row *r,
                  struct yb_err *e)
{
    const char *kind = yb_stmt_text(st, 3);

    r->month = yb__period_months(yb_stmt_text(st, 0));
    r->account = yb_arena_strdup(a, yb_stmt_text(st, 1));
    r->name = yb_arena_strdup(a, yb_stmt_text(st, 2));
    if (r->account == NULL || r->name == NULL)
        return oom(e);
    if (strcmp(r->account, YB_ACC_BANK) == 0)
        r->role = 'b';
    else
        r->role = kind != NULL && strcmp(kind, "income") == 0 ? 'i' : 'x';
    r->debit = yb_stmt_int(st, 4);
    r->credit = yb_stmt_int(st, 5);
    return YB_OK;
}

static int st_query(yb_store *s, const struct yb_statement *out,
                    struct yb_arena *a, struct st_row **rows, size_t *n,
                    struct yb_err *e)
{
    static const char sql[] =
        "SELECT j.period, j.account, a.name, a.kind, SUM(j.debit),"
        " SUM(j.credit) FROM journal j JOIN account a ON a.code = j.account"
        " WHERE j.fund = $1 AND j.period >= $2 AND j.period <= $3"
        " AND (a.kind IN ('income', 'expense') OR j.account = $4)"
        " GROUP BY j.period, j.account, a.name, a.kind"
        " ORDER BY j.period, j.account";
    size_t cap = 0;
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_text(st, 1, out->fund)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 2, out->from)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 3, out->to)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 4, YB_ACC_BANK)) != YB_OK)
        return yb_err_set(e, rc, "ledger",
                          "无法绑定期间 (cannot bind the range)");
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        *rows = grow(a, *rows, *n, &cap, sizeof **rows);
        if (*rows == NULL) {
            rc = oom(e);
            break;
        }
        if ((rc = st_row(st, a, &(*rows)[*n], e)) != YB_OK)
            break;
        (*n)++;
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* Copy the period's income ('i') or expense ('x') rows into lines. */
static int st_lines(const struct st_row *rows, size_t n, int role,
                    struct yb_arena *a, struct yb_statement_line **lines,
                    size_t *count, yb_fen *total)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += rows[i].role == role;
    *count = k;
    *lines = yb_arena_calloc(a, k > 0 ? k : 1, sizeof **lines);
    if (*lines == NULL)
        return YB_ENOMEM;
    k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct st_row *r = &rows[i];
        struct yb_statement_line *l;

        if (r->role != role)
            continue;
        l = &(*lines)[k++];
        l->account = r->account;
        l->name = r->name;
        if ((role == 'i'
                 ? yb_money_sub(r->credit, r->debit, &l->amount)
                 : yb_money_sub(r->debit, r->credit, &l->amount)) != YB_OK ||
            yb_money_add(*total, l->amount, total) != YB_OK)
            return YB_EOVERFLOW;
    }
    return YB_OK;
}

/* Fill period p from its rows; the bank balance carries over in *bank. */
static int st_period(struct yb_statement_period *p, const struct st_row *rows,
                     size_t n, yb_fen *bank, struct yb_arena *a)
{
    int rc =
        st_lines(rows, n, 'i', a, &p->income, &p->n_income, &p->income_total);

    if (rc == YB_OK)
        rc = st_lines(rows, n, 'x', a, &p->expense, &p->n_expense,
                      &p->expense_total);
    if (rc != YB_OK)
        return rc;
    if (yb_money_sub(p->income_total, p->expense_total, &p->surplus) != YB_OK)
        return YB_EOVERFLOW;
    p->bank_opening = *bank;
    for (size_t i = 0; i < n; i++)
        if (rows[i].role == 'b' &&
            (yb_money_add(*bank, rows[i].debit, bank) != YB_OK ||
             yb_money_sub(*bank, rows[i].credit, bank) != YB_OK))
            return YB_EOVERFLOW;
    p->bank_closing = *bank;
    return YB_OK;
}

/* Split the rows (sorted by period) over every month of the range. */
static int st_build(struct yb_statement *out, const struct st_row *rows,
                    size_t n, struct yb_arena *a, struct yb_err *e)
{
    int first = yb__period_months(out->from);
    size_t months = (size_t)(yb__period_months(out->to) - first + 1), i = 0;
    yb_fen bank = out->bank_opening;

    out->periods = yb_arena_calloc(a, months, sizeof *out->periods);
    if (out->periods == NULL)
        return oom(e);
    out->n_periods = months;
    for (size_t m = 0; m < months; m++) {
        struct yb_statement_period *p = &out->periods[m];
        size_t j = i;
        int rc;

        yb__period_format(first + (int)m, p->period);
        while (j < n && rows[j].month == first + (int)m)
            j++;
        rc = st_period(p, rows + i, j - i, &bank, a);
        if (rc == YB_ENOMEM)
            return oom(e);
        if (rc != YB_OK ||
            yb_money_add(out->income_total, p->income_total,
                         &out->income_total) != YB_OK ||
            yb_money_add(out->expense_total, p->expense_total,
                         &out->expense_total) != YB_OK)
            return overflow(e, "a statement total");
        i = j;
    }
    out->bank_closing = bank;
    if (yb_money_sub(out->income_total, out->expense_total, &out->surplus) !=
        YB_OK)
        return overflow(e, "the surplus");
    return YB_OK;
}

int yb_ledger_statement(yb_store *s, const char *fund, const char *from,
                        const char *to, struct yb_arena *a,
                        struct yb_statement *out, struct yb_err *e)
{
    struct st_row *rows = NULL;
    size_t n = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (fund == NULL || fund[0] == '\0')
        return yb_err_set(e, YB_EINVAL, "fund",
                          "必须给出基金 (a fund is required)");
    rc = fund_name(s, fund, a, &out->fund_name, e);
    if (rc != YB_OK)
        return rc;
    out->fund = yb_arena_strdup(a, fund);
    if (out->fund == NULL)
        return oom(e);
    rc = st_range(s, fund, from, to, out, e);
    if (rc != YB_OK || out->from[0] == '\0')
        return rc;
    rc = st_bank_opening(s, fund, out->from, &out->bank_opening, e);
    if (rc == YB_OK)
        rc = st_query(s, out, a, &rows, &n, e);
    if (rc == YB_OK)
        rc = st_build(out, rows, n, a, e);
    return rc;
}
