/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fund ledger (基金账务): double-entry books kept separately for each
 * fund — 390100 basic pooled fund, 390200 critical illness, 610100 medical
 * assistance — over one chart of accounts (docs/ledger.md). A business
 * event posts one entry: lines of (fund, account, debit or credit) that
 * balance within every fund they touch, written in the event's own
 * transaction together with its records, so the books can never hold half
 * an event (docs/architecture.md, principle 5). Reports read the books: the
 * trial balance (试算平衡表) proves debits equal credits; the fund statement
 * (基金收支表) gives income and expenditure by account, the surplus and the
 * fiscal special account's opening and closing balance, period by period.
 *
 * Periods are accounting months "yyyy-mm". Money is fen throughout.
 */
#ifndef YIBAO_LEDGER_H
#define YIBAO_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "money.h"
#include "store.h"

/* Funds (the national fund_pay_type codes). */
#define YB_FUND_BASIC "390100"    /* 基本医疗保险统筹基金 */
#define YB_FUND_CRITICAL "390200" /* 大病保险基金 */
#define YB_FUND_ASSIST "610100"   /* 医疗救助基金 */

/* The chart of accounts, seeded by schema migration 1 (docs/ledger.md).
 * Assets (debit side): */
#define YB_ACC_BANK "1003"                 /* 财政专户存款 */
#define YB_ACC_SUBSIDY_DUE_CENTRAL "1201"  /* 应收中央财政补助款 */
#define YB_ACC_SUBSIDY_DUE_PROVINCE "1202" /* 应收省级财政补助款 */
#define YB_ACC_SUBSIDY_DUE_CITY "1203"     /* 应收市级财政补助款 */
#define YB_ACC_SUBSIDY_DUE_COUNTY "1204"   /* 应收县级财政补助款 */
#define YB_ACC_ASSIST_DUE "1211"           /* 应收资助参保款 */
/* Liabilities and equity (credit side): */
#define YB_ACC_PAYABLE_INSTITUTION "2101" /* 应付定点医药机构款 */
#define YB_ACC_PAYABLE_INSURER "2102" /* 应付大病保险承办机构款 */
#define YB_ACC_PAYABLE_ASSIST "2103"  /* 应付资助参保款 */
#define YB_ACC_FUND_BALANCE "3001"    /* 基金结余 */
/* Income (credit side): */
#define YB_ACC_INCOME_PERSONAL "4101"         /* 个人缴费收入 */
#define YB_ACC_INCOME_ASSISTED "4102"         /* 资助参保收入 */
#define YB_ACC_INCOME_SUBSIDY_CENTRAL "4201"  /* 中央财政补助收入 */
#define YB_ACC_INCOME_SUBSIDY_PROVINCE "4202" /* 省级财政补助收入 */
#define YB_ACC_INCOME_SUBSIDY_CITY "4203"     /* 市级财政补助收入 */
#define YB_ACC_INCOME_SUBSIDY_COUNTY "4204"   /* 县级财政补助收入 */
#define YB_ACC_INCOME_INTEREST "4301"         /* 利息收入 */
#define YB_ACC_INCOME_TRANSFER "4401"         /* 转移收入 */
/* Expenditure (debit side): */
#define YB_ACC_EXP_BASIC "5101"    /* 基本医疗保险待遇支出 */
#define YB_ACC_EXP_CRITICAL "5102" /* 大病保险支出 */
#define YB_ACC_EXP_ASSIST "5103"   /* 医疗救助支出 */
#define YB_ACC_EXP_ASSISTED "5104" /* 资助参保支出 */
#define YB_ACC_EXP_TRANSFER "5201" /* 上解/转出支出 */

/* One line of an entry: exactly one of debit and credit is positive. The
 * strings are borrowed for the duration of the call. */
struct yb_posting {
    const char *fund;    /* "390100" */
    const char *account; /* "1003" */
    yb_fen debit;
    yb_fen credit;
    const char *memo; /* may be NULL */
};

/* A summary voucher (汇总记账凭证) being collected: the entries of many
 * business events of one batch (a day's or an import batch's
 * contributions) summed by period, fund, account and side, and posted as
 * one entry per period. The sums of balanced entries balance, so nothing
 * is lost but the line-per-payment detail, which the contribution rows
 * keep. Fixed capacity: a batch touches a handful of accounts. */
#define YB_LEDGER_BATCH_MAX 128
/* yb_ledger_batch_add's answer when the voucher has no room for another
 * line (a status, not an error): post that entry on its own instead. */
#define YB_LEDGER_BATCH_FULL 102
struct yb_ledger_sum {
    char period[8], fund[8], account[8];
    bool debit_side; /* the debits of the account, or its credits */
    yb_fen debit, credit;
};
struct yb_ledger_batch {
    struct yb_ledger_sum v[YB_LEDGER_BATCH_MAX];
    int n;
    long entries; /* entries added since the last post */
};

/* Add an entry (checked as yb_ledger_post checks it, without the store).
 * YB_LEDGER_BATCH_FULL, with the batch unchanged, when it has no room for
 * a line the entry needs. */
int yb_ledger_batch_add(struct yb_ledger_batch *b, const char *period,
                        const struct yb_posting *postings, size_t n,
                        struct yb_err *e);
/* Post what was collected as one entry per period for event_id, then
 * empty the batch. Nothing to post is YB_OK. */
int yb_ledger_batch_post(yb_store *s, int64_t event_id,
                         struct yb_ledger_batch *b, struct yb_err *e);

/* true when s is an accounting period "yyyy-mm" (years 1900..2199). */
bool yb_ledger_period_valid(const char *s);

/* Post one entry of n lines for event_id (from yb_event_open) in period.
 * Must be called inside the caller's transaction (YB_EINVAL otherwise);
 * everything is checked before anything is written, and on any error the
 * caller rolls back. Errors:
 *   YB_EINVAL      not in a transaction, bad period, no lines, a line with
 *                  a negative amount, both sides or neither side set, an
 *                  unknown fund or account (naming the line and the code);
 *   YB_EOVERFLOW   an amount above YB_MONEY_MAX, or totals overflow;
 *   YB_EUNBALANCED debits differ from credits within one fund (naming the
 *                  fund and both totals);
 *   store errors (YB_ECONSTRAINT for an event id that does not exist). */
int yb_ledger_post(yb_store *s, int64_t event_id, const char *period,
                   const struct yb_posting *postings, size_t n,
                   struct yb_err *e);

/* ---- interest (利息收入) ------------------------------------------------ */

/* Interest the fiscal special account earned for a fund, from the bank's
 * slip. Strings are borrowed for the call. */
struct yb_interest {
    const char *fund;   /* 390100, 390200 or 610100 */
    const char *period; /* accounting period "yyyy-mm" */
    yb_fen amount;      /* > 0 */
    const char *slip; /* the bank slip number (银行回单号), 1..40 chars */
    const char *memo; /* NULL: the slip number */
    const char *actor, *at; /* who posts it, "yyyy-MM-dd HH:mm:ss" */
};

/* Post interest as one event "ledger.interest" (ref "FUND/SLIP") with its
 * audit row: Dr 1003 / Cr 4301 in the fund, in its own transaction.
 * Errors: YB_EINVAL naming fund, period, amount or slip;
 * YB_EDUPLICATE when the fund's slip is posted already (naming the event);
 * store errors. Nothing is written on any error. */
int yb_ledger_interest(yb_store *s, const struct yb_interest *in,
                       int64_t *event_id, struct yb_err *e);

/* ---- clearing of assisted contributions (资助参保款清算) ---------------- */

/* The paying fund (the medical-assistance fund, 610100) pays the basic
 * fund the assisted contributions it owes, as the bank's slip states the
 * transfer. Strings are borrowed for the call. */
struct yb_assist_clearing {
    const char *payer;  /* the paying fund: 610100 or 390200 */
    const char *period; /* accounting period "yyyy-mm" of the transfer */
    yb_fen amount;      /* > 0; 0: all the payer owes at the end of period */
    const char *slip; /* the bank slip number (银行回单号), 1..40 chars */
    const char *memo; /* NULL: the slip number */
    const char *actor, *at; /* who posts it, "yyyy-MM-dd HH:mm:ss" */
};

/* Post the transfer as one event "ledger.assist_clearing" (ref
 * "PAYER/SLIP") with its audit row, in its own transaction:
 *   payer  Dr 2103 应付资助参保款 / Cr 1003 财政专户存款
 *   390100 Dr 1003 财政专户存款   / Cr 1211 应收资助参保款
 * What is owed is the payer's 2103 balance over the periods up to and
 * including `period`, bounded by the basic fund's 1211 balance; a
 * transfer may pay part of it (the rest stays owed), never more.
 * *amount_out (may be NULL) gets the amount posted.
 * Errors: YB_EINVAL naming payer, period, amount or slip, and "amount"
 * when nothing is owed or the amount is above what is owed (naming both);
 * YB_EDUPLICATE when the payer's slip is posted already (naming the
 * event); store errors. Nothing is written on any error. */
int yb_ledger_clear_assisted(yb_store *s, const struct yb_assist_clearing *in,
                             int64_t *event_id, yb_fen *amount_out,
                             struct yb_err *e);

/* ---- trial balance (试算平衡表) ----------------------------------------- */

struct yb_tb_line {
    const char *fund;
    const char *account;
    const char *name; /* 科目名称 */
    const char *kind; /* asset, liability, equity, income, expense */
    bool debit_side;  /* normal balance on the debit side */
    yb_fen opening;   /* balance before the range, on the normal side */
    yb_fen debit;     /* debits within the range */
    yb_fen credit;    /* credits within the range */
    yb_fen closing;   /* opening + movement, on the normal side */
};

struct yb_tb_fund {
    const char *fund;
    const char *name;
    size_t first, n;       /* its lines: lines[first .. first + n) */
    yb_fen debit, credit;  /* Σ debits, Σ credits within the range */
    yb_fen closing_debit;  /* Σ closing of debit-side accounts */
    yb_fen closing_credit; /* Σ closing of credit-side accounts */
    bool balanced;         /* both pairs above are equal */
};

struct yb_trial_balance {
    struct yb_tb_line *lines; /* by fund, then account code */
    size_t n_lines;
    struct yb_tb_fund *funds; /* funds with entries (or the one asked for) */
    size_t n_funds;
    yb_fen debit, credit; /* grand totals within the range */
    bool balanced;        /* every fund balanced and debit == credit */
};

/* Trial balance of one fund (fund non-NULL; YB_EINVAL if unknown) or of
 * every fund with entries (NULL), for periods from..to inclusive; either
 * bound may be NULL (from the first entry, to the last). Everything
 * returned lives in arena a. An unbalanced result is not an error (out->
 * balanced says so; it cannot happen through yb_ledger_post). Errors:
 * YB_EINVAL for a bad period or from after to, YB_EOVERFLOW, YB_ENOMEM,
 * store errors. */
int yb_ledger_trial_balance(yb_store *s, const char *fund, const char *from,
                            const char *to, struct yb_arena *a,
                            struct yb_trial_balance *out, struct yb_err *e);

/* ---- fund statement (基金收支表) ---------------------------------------- */

struct yb_statement_line {
    const char *account;
    const char *name;
    yb_fen amount; /* income: credits − debits; expense: debits − credits */
};

struct yb_statement_period {
    char period[8];                   /* "2024-01" */
    struct yb_statement_line *income; /* income accounts with movement */
    size_t n_income;
    struct yb_statement_line *expense;
    size_t n_expense;
    yb_fen income_total, expense_total;
    yb_fen surplus; /* income − expenditure (当期结余) */
    yb_fen bank_opening, bank_closing; /* 财政专户存款 期初 / 期末 */
};

struct yb_statement {
    const char *fund;
    const char *fund_name;
    char from[8], to[8];                 /* "" when the fund has no entry */
    struct yb_statement_period *periods; /* every month from..to */
    size_t n_periods;
    yb_fen income_total, expense_total, surplus; /* over the range */
    yb_fen bank_opening, bank_closing;
};

/* Income and expenditure of fund by account and period, with the surplus
 * and the fiscal special account's balance, for every month from..to
 * (bounds may be NULL: the fund's first and last period with entries;
 * at most 1,200 months). Everything returned lives in arena a. Errors:
 * YB_EINVAL for a missing or unknown fund, a bad period, from after to or
 * too long a range; YB_EOVERFLOW; YB_ENOMEM; store errors. */
int yb_ledger_statement(yb_store *s, const char *fund, const char *from,
                        const char *to, struct yb_arena *a,
                        struct yb_statement *out, struct yb_err *e);

#endif
