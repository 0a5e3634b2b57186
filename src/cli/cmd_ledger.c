/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao ledger trial-balance|statement`: the fund ledger's two reports
 * (include/yibao/ledger.h) as Chinese text tables for people or JSON for
 * programs. The trial balance lists per fund and account the balance
 * brought forward, the debits and credits of the periods asked for and
 * the closing balance, with totals and "借贷平衡"; the statement lists
 * income and expenditure by account per month, the surplus and the fiscal
 * special account's balance. A ledger that does not balance cannot come
 * from yb_ledger_post; if one is ever found the report is still printed
 * and the command exits 3. `yibao ledger interest` posts the interest of
 * a bank slip (利息收入); `yibao ledger clear-assisted` the assistance
 * fund's transfer of the assisted contributions it owes the basic fund
 * (资助参保款清算).
 */
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/ledger.h"

struct ledger_opts {
    const char *db, *fund, *from, *to;
    bool json;
};

void yb__cli_help_ledger(FILE *f)
{
    fputs("usage: yibao ledger trial-balance --db FILE [--fund F]\n"
          "                    [--from yyyy-mm] [--to yyyy-mm]\n"
          "                    [--format text|json]\n"
          "       yibao ledger statement --db FILE --fund F [--from yyyy-mm]\n"
          "                    [--to yyyy-mm] [--format text|json]\n"
          "       yibao ledger interest --db FILE --fund F --period yyyy-mm\n"
          "                    --amount YUAN --slip NO [--memo TEXT]\n"
          "       yibao ledger clear-assisted --db FILE --period yyyy-mm\n"
          "                    --slip NO [--payer F] [--amount YUAN]\n"
          "                    [--memo TEXT]\n"
          "\n"
          "  trial-balance   试算平衡表: per fund and account the opening\n"
          "                  balance, debits, credits and closing balance\n"
          "  statement       基金收支表: income and expenditure by account,\n"
          "                  surplus, fiscal special account per month\n"
          "  interest        利息收入: post the interest on the bank's slip\n"
          "                  (Dr 1003 / Cr 4301); a slip is posted once\n"
          "  clear-assisted  资助参保款清算: the paying fund (--payer,\n"
          "                  default 610100) pays the basic fund the\n"
          "                  assisted contributions it owes at the end of\n"
          "                  the period, all of it or --amount (Dr 2103 /\n"
          "                  Cr 1003 in the payer, Dr 1003 / Cr 1211 in\n"
          "                  390100); a slip is posted once\n"
          "  --fund F        390100 basic, 390200 critical illness,\n"
          "                  610100 medical assistance\n"
          "  --from, --to    accounting periods, inclusive (default: all)\n"
          "  --format        text (default) or json\n"
          "\n"
          "exit codes: 0 balanced, 1 usage or I/O, 2 option value refused,\n"
          "3 the ledger does not balance\n",
          f);
}

/* ---- options ----------------------------------------------------------- */

#define usage(...) yb__cli_db_usage("ledger", yb__cli_help_ledger, __VA_ARGS__)

/* Returns -1 to go on, or an exit code. */
static int parse_opts(int argc, char **argv, struct ledger_opts *o)
{
    const char **slot[] = {&o->db, &o->fund, &o->from, &o->to};
    const char *names[] = {"--db", "--fund", "--from", "--to"};
    const char *format = "text";

    for (int i = 2; i < argc; i++) {
        bool missing = false, done = false;
        const char *v;

        for (size_t k = 0; k < 4 && !done && !missing; k++)
            if ((v = yb__cli_opt(argc, argv, &i, names[k], &missing))) {
                *slot[k] = v;
                done = true;
            }
        if (!done && !missing &&
            (v = yb__cli_opt(argc, argv, &i, "--format", &missing))) {
            format = v;
            done = true;
        }
        if (missing)
            return usage("%s needs a value", argv[i]);
        if (!done &&
            (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)) {
            yb__cli_help_ledger(stdout);
            return YB_EXIT_OK;
        }
        if (!done)
            return usage("unknown argument \"%s\"", argv[i]);
    }
    if (o->db == NULL)
        return usage("--db is required");
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return yb__cli_bad_value(
            "--format", "unknown format \"%s\" (text or json)", format);
    o->json = strcmp(format, "json") == 0;
    if (o->from != NULL && !yb_ledger_period_valid(o->from))
        return yb__cli_bad_value("--from", "\"%s\" is not a period (yyyy-mm)",
                                 o->from);
    if (o->to != NULL && !yb_ledger_period_valid(o->to))
        return yb__cli_bad_value("--to", "\"%s\" is not a period (yyyy-mm)",
                                 o->to);
    if (o->from != NULL && o->to != NULL && strcmp(o->from, o->to) > 0)
        return yb__cli_bad_value("--from", "%s is after --to %s", o->from,
                                 o->to);
    return -1;
}

/* A library error about an option's value names the option. */
static int fail(const struct yb_err *e)
{
    static const char *const fields[] = {"fund",   "from", "to",
                                         "period", "slip", "payer"};
    char opt[16];

    for (size_t k = 0; e->code == YB_EINVAL && k < 6; k++)
        if (strcmp(e->field, fields[k]) == 0) {
            snprintf(opt, sizeof opt, "--%s", fields[k]);
            return yb__cli_bad_value(opt, "%s", e->msg);
        }
    return yb__cli_fail(e);
}

static const char *range_label(const struct ledger_opts *o, char *buf,
                               size_t size)
{
    if (o->from == NULL && o->to == NULL)
        snprintf(buf, size, "全部期间");
    else if (o->to == NULL)
        snprintf(buf, size, "%s 起", o->from);
    else if (o->from == NULL)
        snprintf(buf, size, "至 %s", o->to);
    else
        snprintf(buf, size, "%s 至 %s", o->from, o->to);
    return buf;
}

/* ---- trial balance: text ----------------------------------------------- */

#define W_CODE 10
#define W_NAME 26
#define W_SIDE 6
#define W_AMT 16

static void money_cell(FILE *f, yb_fen v)
{
    char buf[32];

    yb__cli_pad_left(f, yb_money_format(v, buf), W_AMT);
}

static void tb_header(FILE *f)
{
    yb__cli_pad(f, "科目代码", W_CODE);
    yb__cli_pad(f, "科目名称", W_NAME);
    yb__cli_pad(f, "方向", W_SIDE);
    yb__cli_pad_left(f, "期初余额", W_AMT);
    yb__cli_pad_left(f, "借方发生额", W_AMT);
    yb__cli_pad_left(f, "贷方发生额", W_AMT);
    yb__cli_pad_left(f, "期末余额", W_AMT);
    fputc('\n', f);
}

static void tb_text_fund(FILE *f, const struct yb_trial_balance *tb,
                         const struct yb_tb_fund *fd)
{
    char a[32], b[32];

    fprintf(f, "基金 %s %s\n", fd->fund, fd->name);
    tb_header(f);
    for (size_t i = fd->first; i < fd->first + fd->n; i++) {
        const struct yb_tb_line *l = &tb->lines[i];

        yb__cli_pad(f, l->account, W_CODE);
        yb__cli_pad(f, l->name, W_NAME);
        yb__cli_pad(f, l->debit_side ? "借" : "贷", W_SIDE);
        money_cell(f, l->opening);
        money_cell(f, l->debit);
        money_cell(f, l->credit);
        money_cell(f, l->closing);
        fputc('\n', f);
    }
    yb__cli_pad(f, "小计", W_CODE + W_NAME + W_SIDE + W_AMT);
    money_cell(f, fd->debit);
    money_cell(f, fd->credit);
    fputc('\n', f);
    fprintf(f, "期末余额 借方 %s 贷方 %s\n",
            yb_money_format(fd->closing_debit, a),
            yb_money_format(fd->closing_credit, b));
    fprintf(f, "%s\n\n", fd->balanced ? "借贷平衡" : "借贷不平衡");
}

static void tb_text(FILE *f, const struct ledger_opts *o,
                    const struct yb_trial_balance *tb)
{
    char range[48], a[32], b[32];

    fprintf(f, "试算平衡表（%s）\n\n", range_label(o, range, sizeof range));
    if (tb->n_lines == 0 && tb->n_funds == 0)
        fputs("（无记账凭证）\n\n", f);
    for (size_t k = 0; k < tb->n_funds; k++)
        tb_text_fund(f, tb, &tb->funds[k]);
    fprintf(f, "合计 借方发生额 %s 贷方发生额 %s\n",
            yb_money_format(tb->debit, a), yb_money_format(tb->credit, b));
    fprintf(f, "%s\n", tb->balanced ? "借贷平衡" : "借贷不平衡");
}

/* ---- trial balance: JSON ----------------------------------------------- */

/* cJSON helpers that remember an allocation failure in *oom. */
static cJSON *chk(bool *oom, cJSON *item)
{
    if (item == NULL)
        *oom = true;
    return item;
}

static void add_text(bool *oom, cJSON *obj, const char *key, const char *v)
{
    chk(oom, v != NULL ? cJSON_AddStringToObject(obj, key, v)
                       : cJSON_AddNullToObject(obj, key));
}

static void add_money(bool *oom, cJSON *obj, const char *key, yb_fen v)
{
    chk(oom, yb_json_add_money(obj, key, v));
}

static cJSON *push(bool *oom, cJSON *arr)
{
    cJSON *it = cJSON_CreateObject();

    if (it != NULL && !cJSON_AddItemToArray(arr, it)) {
        cJSON_Delete(it);
        it = NULL;
    }
    return chk(oom, it);
}

static void tb_json_line(bool *oom, cJSON *arr, const struct yb_tb_line *l)
{
    cJSON *it = push(oom, arr);

    if (it == NULL)
        return;
    add_text(oom, it, "account", l->account);
    add_text(oom, it, "name", l->name);
    add_text(oom, it, "kind", l->kind);
    add_text(oom, it, "side", l->debit_side ? "debit" : "credit");
    add_money(oom, it, "opening", l->opening);
    add_money(oom, it, "debit", l->debit);
    add_money(oom, it, "credit", l->credit);
    add_money(oom, it, "closing", l->closing);
}

static void tb_json_fund(bool *oom, cJSON *arr,
                         const struct yb_trial_balance *tb,
                         const struct yb_tb_fund *fd)
{
    cJSON *it = push(oom, arr), *acc;

    if (it == NULL)
        return;
    add_text(oom, it, "fund", fd->fund);
    add_text(oom, it, "name", fd->name);
    acc = chk(oom, cJSON_AddArrayToObject(it, "accounts"));
    for (size_t i = fd->first; acc != NULL && i < fd->first + fd->n; i++)
        tb_json_line(oom, acc, &tb->lines[i]);
    add_money(oom, it, "debit", fd->debit);
    add_money(oom, it, "credit", fd->credit);
    add_money(oom, it, "closing_debit", fd->closing_debit);
    add_money(oom, it, "closing_credit", fd->closing_credit);
    chk(oom, cJSON_AddBoolToObject(it, "balanced", fd->balanced));
}

static cJSON *tb_json(const struct ledger_opts *o,
                      const struct yb_trial_balance *tb)
{
    cJSON *root = cJSON_CreateObject(), *funds;
    bool oom = root == NULL;

    if (oom)
        return NULL;
    add_text(&oom, root, "report", "trial_balance");
    add_text(&oom, root, "fund", o->fund);
    add_text(&oom, root, "from", o->from);
    add_text(&oom, root, "to", o->to);
    funds = chk(&oom, cJSON_AddArrayToObject(root, "funds"));
    for (size_t k = 0; funds != NULL && k < tb->n_funds; k++)
        tb_json_fund(&oom, funds, tb, &tb->funds[k]);
    add_money(&oom, root, "debit", tb->debit);
    add_money(&oom, root, "credit", tb->credit);
    chk(&oom, cJSON_AddBoolToObject(root, "balanced", tb->balanced));
    if (oom) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* Print a JSON document; exit code 3 when it could not be built. */
static int put_json(cJSON *doc)
{
    char *text = doc != NULL ? cJSON_Print(doc) : NULL;

    cJSON_Delete(doc);
    if (text == NULL) {
        fputs("yibao: ledger: out of memory\n", stderr);
        return YB_EXIT_INTERNAL;
    }
    puts(text);
    cJSON_free(text);
    return YB_EXIT_OK;
}

static int unbalanced(yb_fen debit, yb_fen credit)
{
    char a[32], b[32];

    fprintf(stderr,
            "yibao: ledger: the books do not balance (debits %s, credits "
            "%s); please report it\n",
            yb_money_format(debit, a), yb_money_format(credit, b));
    return YB_EXIT_INTERNAL;
}

static int trial_balance(yb_store *s, const struct ledger_opts *o,
                         struct yb_arena *a)
{
    struct yb_trial_balance tb;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    if (yb_ledger_trial_balance(s, o->fund, o->from, o->to, a, &tb, &e) !=
        YB_OK)
        return fail(&e);
    if (o->json)
        rc = put_json(tb_json(o, &tb));
    else {
        tb_text(stdout, o, &tb);
        rc = YB_EXIT_OK;
    }
    if (rc == YB_EXIT_OK && !tb.balanced)
        rc = unbalanced(tb.debit, tb.credit);
    return rc;
}

/* ---- statement --------------------------------------------------------- */

static void st_amount(FILE *f, const char *label, yb_fen v)
{
    fputs("  ", f);
    yb__cli_pad(f, label, W_CODE + W_NAME);
    money_cell(f, v);
    fputc('\n', f);
}

static void st_lines(FILE *f, const char *title,
                     const struct yb_statement_line *l, size_t n,
                     const char *total_label, yb_fen total)
{
    fprintf(f, "  %s\n", title);
    for (size_t i = 0; i < n; i++) {
        fputs("    ", f);
        yb__cli_pad(f, l[i].account, W_CODE - 2);
        yb__cli_pad(f, l[i].name, W_NAME);
        money_cell(f, l[i].amount);
        fputc('\n', f);
    }
    st_amount(f, total_label, total);
}

static void st_text(FILE *f, const struct yb_statement *st)
{
    fprintf(f, "基金收支表 %s %s", st->fund, st->fund_name);
    if (st->n_periods == 0) {
        fputs("\n\n（无记账凭证）\n", f);
        return;
    }
    fprintf(f, "（%s 至 %s）\n", st->from, st->to);
    for (size_t k = 0; k < st->n_periods; k++) {
        const struct yb_statement_period *p = &st->periods[k];

        fprintf(f, "\n期间 %s\n", p->period);
        st_lines(f, "收入", p->income, p->n_income, "收入合计",
                 p->income_total);
        st_lines(f, "支出", p->expense, p->n_expense, "支出合计",
                 p->expense_total);
        st_amount(f, "本期结余", p->surplus);
        st_amount(f, "财政专户存款 期初", p->bank_opening);
        st_amount(f, "财政专户存款 期末", p->bank_closing);
    }
    fprintf(f, "\n合计（%s 至 %s）\n", st->from, st->to);
    st_amount(f, "收入合计", st->income_total);
    st_amount(f, "支出合计", st->expense_total);
    st_amount(f, "本期结余", st->surplus);
    st_amount(f, "财政专户存款 期初", st->bank_opening);
    st_amount(f, "财政专户存款 期末", st->bank_closing);
}

static void st_json_lines(bool *oom, cJSON *obj, const char *key,
                          const struct yb_statement_line *l, size_t n)
{
    cJSON *arr = chk(oom, cJSON_AddArrayToObject(obj, key));

    for (size_t i = 0; arr != NULL && i < n; i++) {
        cJSON *it = push(oom, arr);

        if (it == NULL)
            return;
        add_text(oom, it, "account", l[i].account);
        add_text(oom, it, "name", l[i].name);
        add_money(oom, it, "amount", l[i].amount);
    }
}

static void st_json_period(bool *oom, cJSON *arr,
                           const struct yb_statement_period *p)
{
    cJSON *it = push(oom, arr);

    if (it == NULL)
        return;
    add_text(oom, it, "period", p->period);
    st_json_lines(oom, it, "income", p->income, p->n_income);
    add_money(oom, it, "income_total", p->income_total);
    st_json_lines(oom, it, "expense", p->expense, p->n_expense);
    add_money(oom, it, "expense_total", p->expense_total);
    add_money(oom, it, "surplus", p->surplus);
    add_money(oom, it, "bank_opening", p->bank_opening);
    add_money(oom, it, "bank_closing", p->bank_closing);
}

static cJSON *st_json(const struct yb_statement *st)
{
    cJSON *root = cJSON_CreateObject(), *arr;
    bool oom = root == NULL;

    if (oom)
        return NULL;
    add_text(&oom, root, "report", "statement");
    add_text(&oom, root, "fund", st->fund);
    add_text(&oom, root, "name", st->fund_name);
    add_text(&oom, root, "from", st->n_periods > 0 ? st->from : NULL);
    add_text(&oom, root, "to", st->n_periods > 0 ? st->to : NULL);
    arr = chk(&oom, cJSON_AddArrayToObject(root, "periods"));
    for (size_t k = 0; arr != NULL && k < st->n_periods; k++)
        st_json_period(&oom, arr, &st->periods[k]);
    add_money(&oom, root, "income_total", st->income_total);
    add_money(&oom, root, "expense_total", st->expense_total);
    add_money(&oom, root, "surplus", st->surplus);
    add_money(&oom, root, "bank_opening", st->bank_opening);
    add_money(&oom, root, "bank_closing", st->bank_closing);
    if (oom) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static int statement(yb_store *s, const struct ledger_opts *o,
                     struct yb_arena *a)
{
    struct yb_statement st;
    struct yb_trial_balance tb;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    if (o->fund == NULL)
        return usage("--fund is required");
    if (yb_ledger_statement(s, o->fund, o->from, o->to, a, &st, &e) != YB_OK ||
        yb_ledger_trial_balance(s, o->fund, o->from, o->to, a, &tb, &e) !=
            YB_OK)
        return fail(&e);
    if (o->json)
        rc = put_json(st_json(&st));
    else {
        st_text(stdout, &st);
        rc = YB_EXIT_OK;
    }
    if (rc == YB_EXIT_OK && !tb.balanced)
        rc = unbalanced(tb.debit, tb.credit);
    return rc;
}

/* The options of a posting from a bank slip: six of them, the first
 * `required` required, v[amount_at] (when given) parsed into *amount.
 * Returns -1 to go on, or an exit code. */
static int slip_opts(int argc, char **argv, const char *const *names,
                     const char **v, size_t required, size_t amount_at,
                     yb_fen *amount)
{
    struct yb_err e = {0};
    int ex = yb__cli_opts(argc, argv, 2, "ledger", names, v, 6);
    if (ex >= 0)
        return ex;
    for (size_t k = 0; k < required; k++)
        if (!v[k])
            return usage("%s is required", names[k]);
    *amount = 0;
    if (v[amount_at] &&
        yb_money_parse(v[amount_at], amount, "amount", &e) != YB_OK)
        return yb__cli_bad_value("--amount", "%s", e.msg);
    return -1;
}

/* `ledger interest`: its own options, all required but --memo. */
static int interest(int argc, char **argv)
{
    const char *v[6] = {0}; /* db fund period amount slip memo */
    static const char *const names[] = {"--db",     "--fund", "--period",
                                        "--amount", "--slip", "--memo"};
    yb_fen amount;
    int ex = slip_opts(argc, argv, names, v, 5, 3, &amount);
    if (ex >= 0)
        return ex;
    struct yb_err e = {0};
    char now[24];
    struct yb_interest in = {.fund = v[1],
                             .period = v[2],
                             .amount = amount,
                             .slip = v[4],
                             .memo = v[5],
                             .actor = yb__cli_actor(),
                             .at = yb__cli_now(now)};
    yb_store *s = NULL;
    int rc = yb__cli_open(v[0], 0, &s);
    if (rc != YB_EXIT_OK)
        return rc;
    int64_t ev = 0;
    if (yb_ledger_interest(s, &in, &ev, &e) != YB_OK) {
        yb_store_close(s);
        if (e.code == YB_EINVAL && strcmp(e.field, "amount") == 0)
            return yb__cli_bad_value("--amount", "%s", e.msg);
        return fail(&e);
    }
    yb_store_close(s);
    char a[32];
    printf("利息收入 interest %s %s %s posted as event %lld\n", in.fund,
           in.period, yb_money_format(amount, a), (long long)ev);
    return YB_EXIT_OK;
}

/* `ledger clear-assisted`: --db, --period and --slip required. */
static int clear_assisted(int argc, char **argv)
{
    const char *v[6] = {0}; /* db period slip payer amount memo */
    static const char *const names[] = {"--db",    "--period", "--slip",
                                        "--payer", "--amount", "--memo"};
    yb_fen amount;
    int ex = slip_opts(argc, argv, names, v, 3, 4, &amount);
    if (ex >= 0)
        return ex;
    if (v[4] && amount <= 0)
        return yb__cli_bad_value("--amount", "%s is not above 0.00", v[4]);
    struct yb_err e = {0};
    char now[24];
    struct yb_assist_clearing in = {.payer = v[3] ? v[3] : YB_FUND_ASSIST,
                                    .period = v[1],
                                    .amount = amount,
                                    .slip = v[2],
                                    .memo = v[5],
                                    .actor = yb__cli_actor(),
                                    .at = yb__cli_now(now)};
    yb_store *s = NULL;
    int rc = yb__cli_open(v[0], 0, &s);
    if (rc != YB_EXIT_OK)
        return rc;
    int64_t ev = 0;
    rc = yb_ledger_clear_assisted(s, &in, &ev, &amount, &e);
    yb_store_close(s);
    if (rc != YB_OK)
        return fail(&e);
    char a[32];
    printf("资助参保款清算 fund %s paid the basic fund %s in %s, event %lld\n",
           in.payer, yb_money_format(amount, a), in.period, (long long)ev);
    return YB_EXIT_OK;
}

int yb__cmd_ledger(int argc, char **argv)
{
    struct ledger_opts o = {0};
    struct yb_arena arena;
    yb_store *s = NULL;
    bool tb;
    int rc;

    if (argc < 2)
        return usage("no subcommand given");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        yb__cli_help_ledger(stdout);
        return YB_EXIT_OK;
    }
    if (strcmp(argv[1], "interest") == 0)
        return interest(argc, argv);
    if (strcmp(argv[1], "clear-assisted") == 0)
        return clear_assisted(argc, argv);
    tb = strcmp(argv[1], "trial-balance") == 0;
    if (!tb && strcmp(argv[1], "statement") != 0)
        return usage("unknown subcommand \"%s\"", argv[1]);
    rc = parse_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (!tb && o.fund == NULL)
        return usage("--fund is required");
    rc = yb__cli_open(o.db, YB_STORE_READONLY, &s);
    if (rc != YB_EXIT_OK)
        return rc;
    yb_arena_init(&arena, 0);
    rc = tb ? trial_balance(s, &o, &arena) : statement(s, &o, &arena);
    yb_arena_free(&arena);
    yb_store_close(s);
    return rc;
}
