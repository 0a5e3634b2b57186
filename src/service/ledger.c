/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Posting to the fund ledger (include/yibao/ledger.h). An entry is
 * checked whole before its first line is written: every line one-sided
 * and non-negative, every fund and account in the chart, and debits equal
 * to credits within each fund (the funds keep separate books, docs/ledger.md:
 * one fund may not carry another). The lines are then inserted in the
 * caller's transaction, which also holds the event and its records.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

/* ---- periods ----------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int yb__period_months(const char *s)
{
    int y, m;

    if (s == NULL || strlen(s) != 7 || !digits(s, 4) || s[4] != '-' ||
        !digits(s + 5, 2))
        return -1;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
        (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    if (y < 1900 || y > 2199 || m < 1 || m > 12)
        return -1;
    return y * 12 + m - 1;
}

void yb__period_format(int months, char *buf)
{
    unsigned m = months > 0 ? (unsigned)months : 0;

    snprintf(buf, 8, "%04u-%02u", (m / 12) % 10000, m % 12 + 1);
}

bool yb_ledger_period_valid(const char *s)
{
    return yb__period_months(s) >= 0;
}

int yb__period_check(const char *s, const char *field, struct yb_err *e)
{
    if (yb__period_months(s) < 0)
        return yb_err_set(e, YB_EINVAL, field,
                          "期间应为 yyyy-mm，实际为 \"%s\" (not a period)",
                          s != NULL ? s : "(null)");
    return YB_OK;
}

/* ---- checks ------------------------------------------------------------ */

/* "postings[i]", made only for an error (a bulk import checks millions
 * of good lines). */
static const char *line_field(char field[48], size_t i)
{
    snprintf(field, 48, "postings[%zu]", i);
    return field;
}

static int check_line(const struct yb_posting *p, size_t i, struct yb_err *e)
{
    char f[48], a[32], b[32];

    if (p->fund == NULL || p->fund[0] == '\0')
        return yb_err_set(e, YB_EINVAL, line_field(f, i),
                          "缺少基金 (fund is missing)");
    if (p->account == NULL || p->account[0] == '\0')
        return yb_err_set(e, YB_EINVAL, line_field(f, i),
                          "缺少会计科目 (account is missing)");
    if (p->debit < 0 || p->credit < 0)
        return yb_err_set(
            e, YB_EINVAL, line_field(f, i), "金额 %s %s 不能为负数 (negative)",
            p->debit < 0 ? "debit" : "credit",
            yb_money_format(p->debit < 0 ? p->debit : p->credit, a));
    if (p->debit > YB_MONEY_MAX || p->credit > YB_MONEY_MAX)
        return yb_err_set(
            e, YB_EOVERFLOW, line_field(f, i),
            "金额 %s 超出范围 (amount out of range)",
            yb_money_format(p->debit > YB_MONEY_MAX ? p->debit : p->credit, a));
    if (p->debit > 0 && p->credit > 0)
        return yb_err_set(
            e, YB_EINVAL, line_field(f, i),
            "借方 %s 和贷方 %s 不能同时有金额 (both debit and credit are set)",
            yb_money_format(p->debit, a), yb_money_format(p->credit, b));
    if (p->debit == 0 && p->credit == 0)
        return yb_err_set(
            e, YB_EINVAL, line_field(f, i),
            "借方和贷方都没有金额 (neither debit nor credit is set)");
    return YB_OK;
}

/* Whether code exists in the chart (sql selects by $1). */
static int exists(yb_store *s, const char *sql, const char *code, bool *found,
                  struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_text(st, 1, code)) != YB_OK)
        return yb_err_set(e, rc, "ledger", "无法绑定编码 (cannot bind code)");
    rc = yb_stmt_step(st, e);
    *found = rc == YB_ROW;
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

static int check_codes(yb_store *s, const struct yb_posting *p, size_t i,
                       struct yb_err *e)
{
    static const char fund_sql[] = "SELECT 1 FROM fund WHERE code = $1";
    static const char acc_sql[] = "SELECT 1 FROM account WHERE code = $1";
    char field[48];
    bool found = false;
    int rc;

    snprintf(field, sizeof field, "postings[%zu]", i);
    rc = exists(s, fund_sql, p->fund, &found, e);
    if (rc == YB_OK && !found)
        return yb_err_set(e, YB_EINVAL, field,
                          "未知的基金 \"%s\" (unknown fund)", p->fund);
    if (rc == YB_OK)
        rc = exists(s, acc_sql, p->account, &found, e);
    if (rc == YB_OK && !found)
        return yb_err_set(e, YB_EINVAL, field,
                          "未知的会计科目 \"%s\" (unknown account)",
                          p->account);
    return rc;
}

/* Debits and credits of every fund in the entry must agree. Entries have
 * a handful of lines, so each fund is summed where it first appears. */
static int check_balance(const struct yb_posting *p, size_t n, struct yb_err *e)
{
    for (size_t i = 0; i < n; i++) {
        yb_fen dr = 0, cr = 0;
        bool seen = false;
        char a[32], b[32];

        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(p[j].fund, p[i].fund) == 0;
        if (seen)
            continue;
        for (size_t j = i; j < n; j++) {
            if (strcmp(p[j].fund, p[i].fund) != 0)
                continue;
            if (yb_money_add(dr, p[j].debit, &dr) != YB_OK ||
                yb_money_add(cr, p[j].credit, &cr) != YB_OK)
                return yb_err_set(e, YB_EOVERFLOW, "postings",
                                  "基金 %s：合计溢出 (totals overflow)",
                                  p[i].fund);
        }
        if (dr != cr)
            return yb_err_set(
                e, YB_EUNBALANCED, "postings",
                "基金 %s：借方 %s 与贷方 %s 不相等 (debits and credits differ)",
                p[i].fund, yb_money_format(dr, a), yb_money_format(cr, b));
    }
    return YB_OK;
}

static int check_entry(yb_store *s, int64_t event_id, const char *period,
                       const struct yb_posting *p, size_t n, struct yb_err *e)
{
    int rc;

    if (!yb_store_in_transaction(s))
        return yb_err_set(
            e, YB_EINVAL, "ledger",
            "凭证只能在事务中记账 (entries are posted inside a transaction)");
    if (event_id <= 0)
        return yb_err_set(e, YB_EINVAL, "event_id",
                          "事件编号 %" PRId64 " 应大于 0 (not positive)",
                          event_id);
    if ((rc = yb__period_check(period, "period", e)) != YB_OK)
        return rc;
    if (p == NULL || n == 0)
        return yb_err_set(e, YB_EINVAL, "postings",
                          "凭证没有分录 (an entry has no lines)");
    for (size_t i = 0; i < n; i++)
        if ((rc = check_line(&p[i], i, e)) != YB_OK)
            return rc;
    /* fund and account codes are checked by the journal's foreign keys as
     * the lines go in (a contribution import posts millions of lines);
     * yb_ledger_post names the unknown code when one fails */
    return check_balance(p, n, e);
}

/* ---- posting ----------------------------------------------------------- */

static int insert_line(yb_store *s, int64_t event_id, const char *period,
                       const struct yb_posting *p, struct yb_err *e)
{
    static const char sql[] =
        "INSERT INTO journal (event_id, fund, account, debit, credit, period, "
        "memo) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_int(st, 1, event_id)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 2, p->fund)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 3, p->account)) != YB_OK ||
        (rc = yb_stmt_bind_int(st, 4, p->debit)) != YB_OK ||
        (rc = yb_stmt_bind_int(st, 5, p->credit)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 6, period)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 7, p->memo)) != YB_OK)
        return yb_err_set(e, rc, "journal",
                          "无法绑定分录 (cannot bind a journal line)");
    rc = yb_stmt_step(st, e);
    return rc == YB_DONE ? YB_OK : rc;
}

int yb_ledger_post(yb_store *s, int64_t event_id, const char *period,
                   const struct yb_posting *postings, size_t n,
                   struct yb_err *e)
{
    int rc = check_entry(s, event_id, period, postings, n, e);

    if (rc != YB_OK)
        return rc;
    assert(check_balance(postings, n, NULL) == YB_OK); /* debits = credits */
    /* a savepoint, so a line refused by a foreign key leaves none of the
     * entry's lines behind */
    if ((rc = yb_store_exec(s, "SAVEPOINT yb_ledger", e)) != YB_OK)
        return rc;
    size_t i = 0;
    for (; rc == YB_OK && i < n; i++)
        rc = insert_line(s, event_id, period, &postings[i], e);
    if (rc == YB_OK)
        return yb_store_exec(s, "RELEASE SAVEPOINT yb_ledger", e);
    struct yb_err e2;
    yb_store_exec(s, "ROLLBACK TO SAVEPOINT yb_ledger", &e2);
    yb_store_exec(s, "RELEASE SAVEPOINT yb_ledger", &e2);
    if (rc == YB_ECONSTRAINT &&
        check_codes(s, &postings[i - 1], i - 1, e) != YB_OK)
        return YB_EINVAL; /* the unknown fund or account, named */
    if (e != NULL && e->field[0] == '\0')
        snprintf(e->field, sizeof e->field, "postings[%zu]", i - 1);
    return rc;
}

/* ---- summary vouchers (汇总记账凭证) ------------------------------------ */

static struct yb_ledger_sum *batch_slot(struct yb_ledger_batch *b,
                                        const char *period,
                                        const struct yb_posting *p)
{
    for (int i = 0; i < b->n; i++) {
        struct yb_ledger_sum *x = &b->v[i];
        if (strcmp(x->period, period) == 0 && strcmp(x->fund, p->fund) == 0 &&
            strcmp(x->account, p->account) == 0 &&
            x->debit_side == (p->debit > 0))
            return x;
    }
    if (b->n == YB_LEDGER_BATCH_MAX)
        return NULL;
    struct yb_ledger_sum *x = &b->v[b->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->period, sizeof x->period, "%s", period);
    snprintf(x->fund, sizeof x->fund, "%s", p->fund);
    snprintf(x->account, sizeof x->account, "%s", p->account);
    x->debit_side = p->debit > 0;
    return x;
}

int yb_ledger_batch_add(struct yb_ledger_batch *b, const char *period,
                        const struct yb_posting *postings, size_t n,
                        struct yb_err *e)
{
    int rc = yb__period_check(period, "period", e);
    for (size_t i = 0; rc == YB_OK && i < n; i++)
        rc = check_line(&postings[i], i, e);
    if (rc == YB_OK)
        rc = check_balance(postings, n, e);
    if (rc != YB_OK)
        return rc;
    /* room first, so a full voucher is left as it was (an entry of more
     * lines than the voucher has sums goes on its own) */
    struct yb_ledger_sum *at[YB_LEDGER_BATCH_MAX];
    int n0 = b->n;
    for (size_t i = 0; i < n; i++)
        if (i == YB_LEDGER_BATCH_MAX ||
            !(at[i] = batch_slot(b, period, &postings[i]))) {
            b->n = n0;
            return YB_LEDGER_BATCH_FULL;
        }
    /* every sum is checked, with all the entry's lines on it, before any
     * changes: the batch stays as it was */
    for (size_t i = 0; i < n; i++) {
        yb_fen d = at[i]->debit, c = at[i]->credit;
        bool ok = true;
        for (size_t j = 0; j <= i && ok; j++)
            ok = at[j] != at[i] ||
                 (yb_money_add(d, postings[j].debit, &d) == YB_OK &&
                  yb_money_add(c, postings[j].credit, &c) == YB_OK);
        if (!ok) {
            b->n = n0;
            return yb_err_set(
                e, YB_EOVERFLOW, "postings",
                "汇总凭证合计溢出 (summary voucher totals overflow)");
        }
    }
    for (size_t i = 0; i < n; i++) {
        at[i]->debit += postings[i].debit;
        at[i]->credit += postings[i].credit;
    }
    if (rc == YB_OK)
        b->entries++;
    return rc;
}

int yb_ledger_batch_post(yb_store *s, int64_t event_id,
                         struct yb_ledger_batch *b, struct yb_err *e)
{
    struct yb_posting l[YB_LEDGER_BATCH_MAX];
    char memo[48];
    int rc = YB_OK;
    snprintf(memo, sizeof memo, "汇总 %ld 笔", b->entries);
    for (int i = 0; rc == YB_OK && i < b->n; i++) {
        if (b->v[i].period[0] == 0)
            continue; /* posted with an earlier period */
        const char *period = b->v[i].period;
        size_t n = 0;
        for (int j = i; j < b->n; j++) {
            struct yb_ledger_sum *x = &b->v[j];
            if (strcmp(x->period, period) != 0)
                continue;
            l[n++] = (struct yb_posting){x->fund, x->account, x->debit,
                                         x->credit, memo};
        }
        char p[8];
        snprintf(p, sizeof p, "%s", period);
        rc = yb_ledger_post(s, event_id, p, l, n, e);
        for (int j = i; j < b->n; j++)
            if (strcmp(b->v[j].period, p) == 0)
                b->v[j].period[0] = 0;
    }
    b->n = 0;
    b->entries = 0;
    return rc;
}
