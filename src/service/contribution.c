/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contribution service (缴费, docs/financing.md): a payment reported by the
 * collecting agency becomes one business event — the contribution row, its
 * fund ledger entries (docs/ledger.md: the personal part into the basic
 * fund's fiscal special account, the assisted part as a receivable of the
 * basic fund and an expenditure of the assistance fund) and the cover of
 * the year's enrolment — and a refund becomes another that reverses it,
 * never an update of the payment (docs/architecture.md, principle 5). What
 * is due comes from the engine (yb_contribution_due, yb_coverage_start) and the
 * policy; this file checks the figures against it and writes what was decided.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrolment_int.h"
#include "yibao/event.h"
#include "yibao/ledger.h"

static const char *const channels[] = {"wechat", "alipay",    "app",
                                       "bank",   "counter",   "village",
                                       "school", "assistance"};

#define RECEIPT_MAX 47

struct pay_run {
    const struct yb_actor *who;
    const struct yb_policy *p;
    const struct yb_payment *pay;
    struct yb_payment_result *out;
    yb_date paid;
    bool assistance; /* medical assistance pays the assisted part */
    struct yb_arena a;
    /* what the payment read (yb__pay_read); c.en becomes what it writes */
    struct yb__pay_seen c;
    const char *period_at; /* NULL: post in the month paid; else this time's */
    const struct yb__pay_seen *seen; /* read ahead; NULL: read here */
};

static bool channel_known(const char *c)
{
    for (size_t i = 0; i < sizeof channels / sizeof *channels; i++)
        if (strcmp(c, channels[i]) == 0)
            return true;
    return false;
}

static int check_payment(const struct yb_policy *p, const struct yb_payment *y,
                         yb_date *paid, struct yb_err *e)
{
    char m[32];
    int rc = yb__enrol_check_policy(p, e);
    if (rc != YB_OK)
        return rc;
    if (y->year != p->year)
        return yb_err_set(
            e, YB_EINVAL, "year",
            "%d 不是政策的参保年度 %d (not the policy's coverage year)",
            y->year, p->year);
    if (y->tier < 1 || y->tier > p->financing->n_tiers)
        return yb_err_set(e, YB_EINVAL, "tier",
                          "%d 不是政策的缴费档次（1 至 %d）(not a contribution "
                          "tier of the policy)",
                          y->tier, p->financing->n_tiers);
    if (y->amount <= 0 || y->amount > YB_MONEY_MAX)
        return yb_err_set(
            e, YB_EINVAL, "amount", "金额 %s %s", yb_money_format(y->amount, m),
            y->amount <= 0 ? "应大于 0.00 (not above 0.00)"
                           : "超过最大金额 (above the largest amount)");
    rc = yb_datetime_parse(y->paid_at ? y->paid_at : "", false, paid, NULL,
                           "paid_at", e);
    if (rc != YB_OK)
        return rc;
    if (!y->channel || !channel_known(y->channel))
        return yb_err_set(e, YB_EINVAL, "channel",
                          "缴费渠道代码无效：\"%s\" (not a collection channel)",
                          y->channel ? y->channel : "");
    size_t n = y->receipt_no ? strlen(y->receipt_no) : 0;
    if (n == 0 || n > RECEIPT_MAX)
        return yb_err_set(e, YB_EINVAL, "receipt_no", "票据号 \"%s\" %s",
                          y->receipt_no ? y->receipt_no : "",
                          n ? "过长 (too long)" : "为空 (empty)");
    return YB_OK;
}

/* YB_EDUPLICATE when the receipt is recorded already. */
static int receipt_free(yb_store *s, const char *receipt, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "SELECT id, psn_no, year FROM contribution "
                              "WHERE receipt = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, receipt);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        yb_err_set(e, YB_EDUPLICATE, "receipt_no",
                   "票据号 %s 已登记：缴费记录 %lld（%s，%lld 年度）(receipt "
                   "recorded already)",
                   receipt, (long long)yb_stmt_int(st, 0), yb_stmt_text(st, 1),
                   (long long)yb_stmt_int(st, 2));
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_EDUPLICATE : rc == YB_DONE ? YB_OK : rc;
}

/* What a payment reads, in one statement: the person by ID number (or
 * psn_no), the live enrolment of the scheme and year if any, the net
 * amounts recorded for the year so far (refunds count negative; both sums
 * from one pass, as "personal assisted"), the identities held on the day
 * paid ($4) and the last year covered before. */
/* clang-format off */
#define PAY_CONTEXT(key)                                                       \
    "SELECT " YB__PERSON_COLS("p.") ", " YB__ENROL_COLS("e.") ", "             \
    "(SELECT COALESCE(SUM(personal), 0) || ' ' || COALESCE(SUM(assisted), 0)"  \
    " FROM contribution c WHERE c.psn_no = p.psn_no AND c.year = $3), "        \
    YB__IDETS_ON("p.psn_no", "$4") ", "                                        \
    YB__LAST_COVERED("p.psn_no", "$3") " "                                     \
    "FROM person p LEFT JOIN enrolment e ON e.psn_no = p.psn_no"               \
    " AND e.scheme = $2 AND e.year = $3"                                       \
    " AND e.status NOT IN ('cancelled', 'transferred') "                       \
    "WHERE p." key " = $1"
/* clang-format on */

int yb__pay_read(yb_store *s, const struct yb_policy *p, const char *key,
                 int year, yb_date paid, struct yb_arena *a,
                 struct yb__pay_seen *out, struct yb_err *e)
{
    static const char by_certno[] = PAY_CONTEXT("certno");
    static const char by_psn[] = PAY_CONTEXT("psn_no");
    yb_stmt *st;
    memset(out, 0, sizeof *out); /* en too, when none is found */
    int rc =
        yb_store_prepare(s, strlen(key) == 20 ? by_psn : by_certno, &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, key);
    yb_stmt_bind_text(st, 2, yb__enrol_scheme(p->insutype));
    yb_stmt_bind_int(st, 3, year);
    char day[11];
    yb_stmt_bind_text(st, 4, yb_date_format(paid, day));
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        yb__person_read(st, 0, a, &out->psn);
        out->found = !yb_stmt_null(st, 12);
        if (out->found)
            yb__enrol_read(st, 12, &out->en);
        char *end;
        const char *sums = yb_stmt_text(st, 26);
        out->had_own = strtoll(sums, &end, 10);
        out->had_assisted = strtoll(end, NULL, 10);
        out->idets = yb__idets_of(yb_stmt_text(st, 27));
        out->last_covered = (int)yb_stmt_int(st, 28);
    }
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(e, YB_ENOTFOUND, "certno",
                          "没有证件号码为 %s 的登记人员 (no registered person "
                          "with this ID number)",
                          key);
    if (rc == YB_ROW && !out->found)
        rc = yb__svc_pooling(s, out->psn.resd_admdvs, out->pool, e);
    return rc == YB_ROW ? YB_OK : rc;
}

/* What the payment reads: given (read ahead by the caller) or read now. */
static int pay_context(yb_store *s, struct pay_run *x, struct yb_err *e)
{
    if (x->seen == NULL)
        return yb__pay_read(s, x->p, x->pay->certno, x->pay->year, x->paid,
                            &x->a, &x->c, e);
    x->c = *x->seen;
    return YB_OK;
}

/* The year's live enrolment in the policy's region, created (individual)
 * when the person has none. */
static int find_enrolment(yb_store *s, struct pay_run *x, int64_t ev,
                          struct yb_err *e)
{
    if (x->c.found && strcmp(x->c.en.admdvs, x->p->region) != 0)
        return yb__enrol_duplicate(&x->c.en, "certno", e);
    if (x->c.found)
        return YB_OK;
    struct yb__enrol_new n = {.policy = x->p,
                              .person = &x->c.psn,
                              .tier = x->pay->tier,
                              .unit_kind = "individual",
                              .on = x->paid,
                              .event_id = ev,
                              .dup_field = "certno",
                              .region_field = "certno",
                              .no_live = x->pay->year == x->p->year,
                              .defer = true, /* saved after the payment */
                              .pool = x->c.pool};
    return yb__enrol_create(s, x->who, &n, &x->c.en, e);
}

/* The enrolment's tier follows the payment while nothing is paid. */
static int settle_tier(struct pay_run *x, struct yb_err *e)
{
    if (x->c.en.tier == x->pay->tier)
        return YB_OK;
    if (x->c.had_own != 0 || x->c.had_assisted != 0)
        return yb_err_set(e, YB_EINVAL, "tier",
                          "%d 与第 %d 档不符：参保记录 %lld 已按该档部分缴费 "
                          "(differs from the tier paid in part already)",
                          x->pay->tier, x->c.en.tier, (long long)x->c.en.id);
    x->c.en.tier = x->pay->tier;
    return YB_OK;
}

static int wrong_assisted(const struct pay_run *x,
                          const struct yb_contribution *due, struct yb_err *e)
{
    char a[32], b[32], d[11];
    if (!due->assist)
        return yb_err_set(e, YB_EINVAL, "amount",
                          "金额 %s 与资助部分 0.00 不符：没有资助规则适用于 "
                          "%s（%s）(no assistance rule matches)",
                          yb_money_format(x->pay->amount, a), x->c.psn.psn_no,
                          yb_date_format(x->paid, d));
    return yb_err_set(e, YB_EINVAL, "amount",
                      "金额 %s 与资助部分 %s（%s）不符（%s）(differs from the "
                      "assisted share)",
                      yb_money_format(x->pay->amount, a),
                      yb_money_format(due->assisted, b), x->c.psn.psn_no,
                      due->assist->name);
}

static int wrong_own(const struct pay_run *x, const struct yb_contribution *due,
                     yb_fen expect, struct yb_err *e)
{
    char a[32], b[32], c[32], d[32];
    yb_money_format(x->pay->amount, a);
    yb_money_format(expect, b);
    yb_money_format(due->individual, c);
    if (x->c.had_assisted > 0)
        return yb_err_set(e, YB_EINVAL, "amount",
                          "金额 %s 与个人部分 %s（%s）不符（第 %d 档 %s "
                          "减去已资助的 %s）(differs from the own share)",
                          a, b, x->c.psn.psn_no, due->tier, c,
                          yb_money_format(x->c.had_assisted, d));
    if (due->assist)
        return yb_err_set(e, YB_EINVAL, "amount",
                          "金额 %s 与个人部分 %s（%s）不符（第 %d 档 %s "
                          "减去资助的 %s：%s）(differs from the own share)",
                          a, b, x->c.psn.psn_no, due->tier, c,
                          yb_money_format(due->assisted, d), due->assist->name);
    return yb_err_set(e, YB_EINVAL, "amount",
                      "金额 %s 与个人部分 %s（%s）不符（第 %d 档）(differs "
                      "from the own share)",
                      a, b, x->c.psn.psn_no, due->tier);
}

/* Which parts this row pays, checked against what is due. */
static int split_parts(struct pay_run *x, const struct yb_contribution *due,
                       yb_fen *personal, yb_fen *assisted, struct yb_err *e)
{
    const char *who = x->c.psn.psn_no;
    if (x->assistance) {
        if (x->c.had_assisted > 0)
            return yb_err_set(e, YB_EDUPLICATE, "certno",
                              "人员 %s 的 %d 年度资助部分已登记 (the assisted "
                              "part is recorded already)",
                              who, x->pay->year);
        if (x->c.had_own >= due->individual) /* paid in full by the person */
            return yb_err_set(
                e, YB_EDUPLICATE, "certno",
                "人员 %s 已缴清 %d 年度的费用 (has paid in full already)", who,
                x->pay->year);
        if (x->pay->amount != due->assisted)
            return wrong_assisted(x, due, e);
        *personal = 0;
        *assisted = x->pay->amount;
        return YB_OK;
    }
    if (x->c.had_own > 0)
        return yb_err_set(
            e, YB_EDUPLICATE, "certno",
            "人员 %s 已缴纳 %d 年度的个人部分 (has paid the own part already)",
            who, x->pay->year);
    if (x->c.had_assisted >= due->individual) /* wholly assisted already */
        return yb_err_set(
            e, YB_EDUPLICATE, "certno",
            "人员 %s 已缴清 %d 年度的费用 (has paid in full already)", who,
            x->pay->year);
    /* Assistance recorded earlier decides the rest; else the policy's
     * assisted part is recorded with this payment. */
    yb_fen expect =
        x->c.had_assisted > 0 ? due->individual - x->c.had_assisted : due->own;
    if (x->pay->amount != expect)
        return wrong_own(x, due, expect, e);
    *personal = x->pay->amount;
    *assisted = x->c.had_assisted > 0 ? 0 : due->assisted;
    return YB_OK;
}

static int insert_contribution(yb_store *s, const struct pay_run *x,
                               yb_fen personal, yb_fen assisted,
                               const char *payer, int64_t ev, int64_t *id,
                               struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "INSERT INTO contribution (psn_no, year, tier, personal, assisted, "
        "assist_payer, paid_at, receipt, kind, event_id, channel) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, 'payment', $9, $10) RETURNING id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->c.psn.psn_no);
    yb_stmt_bind_int(st, 2, x->pay->year);
    yb_stmt_bind_int(st, 3, x->pay->tier);
    yb_stmt_bind_int(st, 4, personal);
    yb_stmt_bind_int(st, 5, assisted);
    yb_stmt_bind_text(st, 6, assisted ? payer : NULL);
    yb_stmt_bind_text(st, 7, x->pay->paid_at);
    yb_stmt_bind_text(st, 8, x->pay->receipt_no);
    yb_stmt_bind_int(st, 9, ev);
    yb_stmt_bind_text(st, 10, x->pay->channel);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        *id = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

/* The entry of a contribution (docs/ledger.md), or of its refund when
 * `reverse` is set: personal 390100 Dr 1003 / Cr 4101; assisted 390100
 * Dr 1211 / Cr 4102 and, in the paying fund, Dr 5104 / Cr 2103. */
static int post(yb_store *s, const struct yb_actor *who, int64_t ev,
                const char *when, yb_fen personal, yb_fen assisted,
                const char *payer, bool reverse, const char *memo,
                struct yb_err *e)
{
    struct yb_posting l[6];
    size_t n = 0;
    char period[8];
    yb__svc_copy(period, sizeof period, when); /* yyyy-mm */
    const char *pairs[3][3] = {
        {YB_FUND_BASIC, YB_ACC_BANK, YB_ACC_INCOME_PERSONAL},
        {YB_FUND_BASIC, YB_ACC_ASSIST_DUE, YB_ACC_INCOME_ASSISTED},
        {payer, YB_ACC_EXP_ASSISTED, YB_ACC_PAYABLE_ASSIST}};
    for (int i = 0; i < 3; i++) {
        yb_fen v = i == 0 ? personal : assisted;
        if (v <= 0)
            continue;
        /* A refund swaps the sides of the payment's lines. */
        const char *dr = pairs[i][reverse ? 2 : 1];
        const char *cr = pairs[i][reverse ? 1 : 2];
        l[n++] = (struct yb_posting){pairs[i][0], dr, v, 0, memo};
        l[n++] = (struct yb_posting){pairs[i][0], cr, 0, v, memo};
    }
    if (n == 0)
        return YB_OK;
    /* inside a bulk import the entry joins the batch's summary voucher */
    if (who->ledger) {
        int rc = yb_ledger_batch_add(who->ledger, period, l, n, e);
        if (rc != YB_LEDGER_BATCH_FULL)
            return rc;
    }
    return yb_ledger_post(s, ev, period, l, n, e);
}

/* A payment after the coverage year, other than a newborn's within the
 * grace (docs/financing.md), repays arrears (补缴): it buys no cover. */
static bool arrears(const struct pay_run *x)
{
    const struct yb_enrol_rules *r = x->p->enrol;
    int y = x->pay->year;
    bool grace = r->newborn_grace_days >= 0 &&
                 yb_date_year(x->c.psn.brdy) == y &&
                 x->paid - x->c.psn.brdy <= r->newborn_grace_days;
    return x->paid > yb_date_from_ymd(y, 12, 31) && !grace;
}

/* The enrolment's cover once the year is paid in full, decided before
 * anything is written (the enrolment is saved after the payment). */
static int decide_cover(yb_store *s, struct pay_run *x,
                        const struct yb_contribution *due, yb_fen total,
                        struct yb_err *e)
{
    struct yb_enrolment *en = &x->c.en;
    x->out->covered = total >= due->individual;
    /* a payment on an enrolment covered already (the assistance fund's
     * row after a 特困 person's enrolment) keeps the cover as it is: cover
     * is never moved later retroactively */
    if (strcmp(en->status, YB_ENROL_COVERED) == 0)
        return YB_OK;
    if (x->out->covered && arrears(x)) {
        x->out->covered = false;
        snprintf(en->status, sizeof en->status, YB_ENROL_REPAID);
        en->covered_from = en->waiting_until = 0;
    } else if (x->out->covered) {
        int rc = yb__enrol_cover(s, x->p, en, x->c.psn.brdy, x->c.idets,
                                 x->paid, x->c.last_covered, &x->out->cover, e);
        if (rc != YB_OK)
            return rc;
        snprintf(en->status, sizeof en->status, YB_ENROL_COVERED);
        en->covered_from = x->out->cover.covered_from;
        en->waiting_until = x->out->cover.waiting_until;
    }
    return YB_OK;
}

static int pay_body(yb_store *s, struct pay_run *x, int64_t ev,
                    struct yb_err *e)
{
    struct yb_payment_result *out = x->out;
    int rc = find_enrolment(s, x, ev, e);
    if (rc == YB_OK)
        rc = settle_tier(x, e);
    if (rc == YB_OK)
        rc = yb_contribution_due(x->p->financing, yb__enrol_psn_type(&x->c.en),
                                 x->c.idets, x->c.en.tier, &out->due, e);
    if (rc == YB_OK)
        rc = split_parts(x, &out->due, &out->personal, &out->assisted, e);
    yb_fen total =
        x->c.had_own + x->c.had_assisted + out->personal + out->assisted;
    if (rc == YB_OK)
        rc = decide_cover(s, x, &out->due, total, e);
    if (rc != YB_OK)
        return rc;
    /* Everything is checked: the first write below is the only one a
     * refusal can still stop (a receipt recorded already), so a refused
     * payment writes nothing (an import needs no savepoint for it). */
    out->assist_fund =
        out->assisted
            ? (out->due.assist_fund ? out->due.assist_fund : YB_FUND_ASSIST)
            : NULL;
    rc = insert_contribution(s, x, out->personal, out->assisted,
                             out->assist_fund, ev, &out->contribution_id, e);
    if (rc == YB_OK)
        rc = post(s, x->who, ev, x->period_at ? x->period_at : x->pay->paid_at,
                  out->personal, out->assisted, out->assist_fund, false,
                  x->pay->receipt_no, e);
    if (rc == YB_OK)
        rc = yb__enrol_save(s, &x->c.en, e);
    out->enrolment = x->c.en;
    return rc;
}

/* Record x->pay in event *ev, or in a new 'contribution.payment' event
 * when *ev is 0. */
static int pay_in_event(yb_store *s, struct pay_run *x, int64_t *ev,
                        struct yb_err *e)
{
    int rc = pay_context(s, x, e);
    if (rc == YB_OK && *ev == 0)
        rc = yb__svc_event(s, x->who, "contribution.payment",
                           x->pay->receipt_no, ev, e);
    if (rc == YB_OK)
        rc = pay_body(s, x, *ev, e);
    x->out->event_id = *ev;
    /* A receipt recorded already is the error whatever else is wrong. It
     * is looked for only now: on the way to success the unique index on
     * contribution.receipt refuses it, and a payment does not pay for a
     * probe of a random key it needs only to explain a refusal. */
    if (rc != YB_OK && rc != YB_ENOMEM && rc != YB_EIO && rc != YB_EBUSY &&
        x->out->contribution_id == 0 /* not this payment's own row */) {
        struct yb_err dup = {0};
        if (receipt_free(s, x->pay->receipt_no, &dup) == YB_EDUPLICATE) {
            *e = dup;
            return YB_EDUPLICATE;
        }
    }
    /* The engine's "payment_date" is this row's paid_at. */
    if (rc != YB_OK && strcmp(e->field, "payment_date") == 0) {
        char msg[sizeof e->msg];
        memcpy(msg, e->msg, sizeof msg);
        yb_err_set(e, rc, "paid_at", "人员 %s：%.200s", x->c.psn.psn_no, msg);
    }
    return rc;
}

static int pay_run(yb_store *s, void *arg, struct yb_err *e)
{
    int64_t ev = 0;
    return pay_in_event(s, arg, &ev, e);
}

int yb_contribution_pay(yb_store *s, const struct yb_actor *who,
                        const struct yb_policy *p, const struct yb_payment *pay,
                        struct yb_payment_result *out, struct yb_err *e)
{
    return yb__contribution_pay_seen(s, who, p, pay, NULL, out, e);
}

int yb__contribution_pay_seen(yb_store *s, const struct yb_actor *who,
                              const struct yb_policy *p,
                              const struct yb_payment *pay,
                              const struct yb__pay_seen *seen,
                              struct yb_payment_result *out, struct yb_err *e)
{
    struct pay_run x = {
        .who = who, .p = p, .pay = pay, .out = out, .seen = seen};
    memset(out, 0, sizeof *out);
    int rc = check_payment(p, pay, &x.paid, e);
    if (rc != YB_OK)
        return rc;
    x.assistance = strcmp(pay->channel, "assistance") == 0;
    yb_arena_init(&x.a, 1024);
    rc = yb__svc_in_txn(s, pay_run, &x, e);
    yb_arena_free(&x.a);
    if (rc != YB_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- refunds (退费) ------------------------------------------------------
 */

struct refund_run {
    const struct yb_actor *who;
    const char *receipt, *reason;
    const char *kind; /* of the reversing row: refund or correction */
    bool cancel;
    struct yb_refund_result *out;
    struct yb_contribution_rec orig;
};

/* The payment with x->receipt, not reversed yet. */
static int find_payment(yb_store *s, struct refund_run *x, struct yb_err *e)
{
    yb_stmt *st;
    struct yb_contribution_rec *c = &x->orig;
    int rc = yb_store_prepare(
        s,
        "SELECT c.id, c.psn_no, c.year, c.tier, c.personal, c.assisted, "
        "c.assist_payer, c.channel, c.paid_at, r.id, r.kind FROM "
        "contribution c LEFT JOIN contribution r ON r.reverses = c.id "
        "WHERE c.receipt = $1 ORDER BY r.id DESC LIMIT 1",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->receipt);
    rc = yb_stmt_step(st, e);
    int64_t reversed = 0;
    char how[12] = "";
    if (rc == YB_ROW) {
        c->id = yb_stmt_int(st, 0);
        snprintf(c->psn_no, sizeof c->psn_no, "%s", yb_stmt_text(st, 1));
        c->year = (int)yb_stmt_int(st, 2);
        c->tier = (int)yb_stmt_int(st, 3);
        c->personal = yb_stmt_int(st, 4);
        c->assisted = yb_stmt_int(st, 5);
        const char *payer = yb_stmt_text(st, 6), *ch = yb_stmt_text(st, 7);
        snprintf(c->assist_payer, sizeof c->assist_payer, "%s",
                 payer ? payer : "");
        snprintf(c->channel, sizeof c->channel, "%s", ch ? ch : "");
        snprintf(c->paid_at, sizeof c->paid_at, "%s", yb_stmt_text(st, 8));
        snprintf(c->receipt, sizeof c->receipt, "%s", x->receipt);
        reversed = yb_stmt_int(st, 9);
        const char *k = yb_stmt_text(st, 10);
        snprintf(how, sizeof how, "%s", k ? k : "");
    }
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(
            e, YB_ENOTFOUND, "receipt",
            "没有票据号为 %s 的缴费 (no payment with this receipt)",
            x->receipt);
    if (rc == YB_ROW && reversed)
        return yb_err_set(e, YB_EDUPLICATE, "receipt",
                          "票据号 %s 已%s（缴费记录 %lld）(done already)",
                          x->receipt,
                          strcmp(how, "correction") == 0 ? "更正" : "退费",
                          (long long)reversed);
    return rc == YB_ROW ? YB_OK : rc;
}

static int insert_refund(yb_store *s, const struct refund_run *x, int64_t ev,
                         int64_t *id, struct yb_err *e)
{
    const struct yb_contribution_rec *c = &x->orig;
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "INSERT INTO contribution (psn_no, year, tier, personal, assisted, "
        "assist_payer, paid_at, receipt, kind, reverses, event_id, channel, "
        "note) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $12, $8, $9, $10, "
        "$11) RETURNING id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, c->psn_no);
    yb_stmt_bind_int(st, 2, c->year);
    yb_stmt_bind_int(st, 3, c->tier);
    yb_stmt_bind_int(st, 4, -c->personal);
    yb_stmt_bind_int(st, 5, -c->assisted);
    yb_stmt_bind_text(st, 6, c->assist_payer[0] ? c->assist_payer : NULL);
    yb_stmt_bind_text(st, 7, x->who->now);
    yb_stmt_bind_int(st, 8, c->id);
    yb_stmt_bind_int(st, 9, ev);
    yb_stmt_bind_text(st, 10, c->channel[0] ? c->channel : NULL);
    yb_stmt_bind_text(st, 11, x->reason);
    yb_stmt_bind_text(st, 12, x->kind);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        *id = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

/* The year's live enrolment loses its cover: pending again, or
 * cancelled. */
static int uncover(yb_store *s, struct refund_run *x, struct yb_err *e)
{
    struct yb_enrolment *en = &x->out->enrolment;
    bool found = false;
    int rc =
        yb__enrol_live(s, x->orig.psn_no, "basic", x->orig.year, en, &found, e);
    if (rc != YB_OK || !found)
        return rc;
    snprintf(en->status, sizeof en->status, "%s",
             x->cancel ? YB_ENROL_CANCELLED : YB_ENROL_PENDING);
    en->covered_from = en->covered_to = en->waiting_until = 0;
    return yb__enrol_update(s, en, e);
}

/* The reversal of x->orig in event kind.refund or kind.correction: the
 * reversing row, its entries in the month of who->now, the reason in the
 * audit chain and the enrolment's cover taken away. */
static int reverse(yb_store *s, struct refund_run *x, struct yb_err *e)
{
    struct yb_refund_result *out = x->out;
    char kind[32], action[48];
    snprintf(kind, sizeof kind, "contribution.%s", x->kind);
    snprintf(action, sizeof action, "contribution.%s.reason", x->kind);
    int rc = yb__svc_event(s, x->who, kind, x->receipt, &out->event_id, e);
    if (rc == YB_OK)
        rc = yb_audit_append(s, out->event_id, x->who->name, action, x->reason,
                             x->who->now, e);
    if (rc == YB_OK)
        rc = insert_refund(s, x, out->event_id, &out->refund_id, e);
    if (rc == YB_OK)
        rc = post(s, x->who, out->event_id, x->who->now, x->orig.personal,
                  x->orig.assisted, x->orig.assist_payer, true, x->receipt, e);
    if (rc == YB_OK)
        rc = uncover(s, x, e);
    out->reverses = x->orig.id;
    out->personal = x->orig.personal;
    out->assisted = x->orig.assisted;
    return rc;
}

static int refund_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct refund_run *x = arg;
    int rc = find_payment(s, x, e);
    return rc == YB_OK ? reverse(s, x, e) : rc;
}

int yb_contribution_refund(yb_store *s, const struct yb_actor *who,
                           const char *receipt, const char *reason, bool cancel,
                           struct yb_refund_result *out, struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    if (!receipt || !receipt[0])
        return yb_err_set(e, YB_EINVAL, "receipt", "不能为空 (empty)");
    if (!reason || !reason[0])
        return yb_err_set(
            e, YB_EINVAL, "reason",
            "退费需要说明原因（退费 %s）(a refund needs a reason)", receipt);
    struct refund_run x = {.who = who,
                           .receipt = receipt,
                           .reason = reason,
                           .kind = "refund",
                           .cancel = cancel,
                           .out = out};
    int rc = yb__svc_in_txn(s, refund_run, &x, e);
    if (rc != YB_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- corrections (更正) --------------------------------------------------
 */

struct correct_run {
    const struct yb_policy *p;
    const struct yb_correction *c;
    struct refund_run r; /* the reversal */
    struct pay_run x;    /* the corrected payment */
    struct yb_payment fix;
    char receipt[64]; /* a receipt too long is refused by check_payment */
};

/* "X" -> "X-C1", "X-C4" -> "X-C5". */
static void next_receipt(const char *r, char *out, size_t n)
{
    const char *c = strrchr(r, '-');
    size_t digits = c && c[1] == 'C' ? strspn(c + 2, "0123456789") : 0;
    if (digits > 0 && digits < 9 && c[2 + digits] == '\0')
        snprintf(out, n, "%.*s-C%ld", (int)(c - r), r,
                 strtol(c + 2, NULL, 10) + 1);
    else
        snprintf(out, n, "%s-C1", r);
}

/* The corrected payment: the original's values where the correction
 * leaves them. A payment by medical assistance paid its assisted part;
 * any other, the person's own part. */
static int fill_fix(struct correct_run *k, struct yb_err *e)
{
    const struct yb_correction *c = k->c;
    const struct yb_contribution_rec *o = &k->r.orig;
    struct yb_payment *f = &k->fix;
    if (o->year != k->p->year)
        return yb_err_set(e, YB_EINVAL, "year",
                          "票据号 %s 缴的是 %d 年度，不是政策的参保年度 %d "
                          "(wrong coverage year)",
                          o->receipt, o->year, k->p->year);
    f->certno = c->certno ? c->certno : o->psn_no;
    f->year = o->year;
    f->tier = c->tier ? c->tier : o->tier;
    f->amount = c->amount                               ? c->amount
                : strcmp(o->channel, "assistance") == 0 ? o->assisted
                                                        : o->personal;
    f->paid_at = c->paid_at ? c->paid_at : o->paid_at;
    f->channel = c->channel ? c->channel : o->channel;
    if (c->new_receipt)
        f->receipt_no = c->new_receipt;
    else {
        next_receipt(o->receipt, k->receipt, sizeof k->receipt);
        f->receipt_no = k->receipt;
    }
    bool same_person = strcmp(f->certno, o->psn_no) == 0;
    if (same_person && f->tier == o->tier && !c->amount &&
        strcmp(f->paid_at, o->paid_at) == 0 &&
        strcmp(f->channel, o->channel) == 0)
        return yb_err_set(e, YB_EINVAL, "correction",
                          "与票据号 %s "
                          "的缴费没有任何不同（请给出应更正的人员、档次、金额、"
                          "时间或渠道）(nothing to correct)",
                          o->receipt);
    return YB_OK;
}

static int correct_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct correct_run *k = arg;
    int rc = find_payment(s, &k->r, e);
    if (rc == YB_OK)
        rc = fill_fix(k, e);
    if (rc == YB_OK)
        rc = check_payment(k->p, &k->fix, &k->x.paid, e);
    if (rc == YB_OK)
        rc = reverse(s, &k->r, e);
    if (rc != YB_OK)
        return rc;
    k->x.pay = &k->fix;
    k->x.assistance = strcmp(k->fix.channel, "assistance") == 0;
    int64_t ev = k->r.out->event_id;
    return pay_in_event(s, &k->x, &ev, e);
}

int yb_contribution_correct(yb_store *s, const struct yb_actor *who,
                            const struct yb_policy *p,
                            const struct yb_correction *c,
                            struct yb_correction_result *out, struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    if (!c->receipt || !c->receipt[0])
        return yb_err_set(e, YB_EINVAL, "receipt", "不能为空 (empty)");
    if (!c->reason || !c->reason[0])
        return yb_err_set(
            e, YB_EINVAL, "reason",
            "更正需要说明原因（更正 %s）(a correction needs a reason)",
            c->receipt);
    int rc = yb__enrol_check_policy(p, e);
    if (rc != YB_OK)
        return rc;
    struct correct_run k = {.p = p, .c = c};
    k.r = (struct refund_run){.who = who,
                              .receipt = c->receipt,
                              .reason = c->reason,
                              .kind = "correction",
                              .out = &out->reversal};
    k.x = (struct pay_run){
        .who = who, .p = p, .out = &out->payment, .period_at = who->now};
    yb_arena_init(&k.x.a, 1024);
    rc = yb__svc_in_txn(s, correct_run, &k, e);
    yb_arena_free(&k.x.a);
    if (rc != YB_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- reading -------------------------------------------------------------
 */

static void text_into(yb_stmt *st, int col, char *buf, size_t n)
{
    const char *t = yb_stmt_text(st, col);
    snprintf(buf, n, "%s", t ? t : "");
}

int yb_contribution_list(yb_store *s, const char *psn_no, yb_contribution_fn fn,
                         void *ud, struct yb_err *e)
{
    yb_stmt *st;
    struct yb_contribution_rec c;
    int rc = yb_store_prepare(
        s,
        "SELECT id, psn_no, year, tier, personal, assisted, assist_payer, "
        "paid_at, receipt, kind, channel, reverses FROM contribution WHERE "
        "psn_no = $1 ORDER BY year, id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        memset(&c, 0, sizeof c);
        c.id = yb_stmt_int(st, 0);
        text_into(st, 1, c.psn_no, sizeof c.psn_no);
        c.year = (int)yb_stmt_int(st, 2);
        c.tier = (int)yb_stmt_int(st, 3);
        c.personal = yb_stmt_int(st, 4);
        c.assisted = yb_stmt_int(st, 5);
        text_into(st, 6, c.assist_payer, sizeof c.assist_payer);
        text_into(st, 7, c.paid_at, sizeof c.paid_at);
        text_into(st, 8, c.receipt, sizeof c.receipt);
        text_into(st, 9, c.kind, sizeof c.kind);
        text_into(st, 10, c.channel, sizeof c.channel);
        c.reverses = yb_stmt_int(st, 11);
        fn(&c, ud);
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}
