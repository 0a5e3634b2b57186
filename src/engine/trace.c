/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The settlement trace: recording steps cheaply while settling (static
 * labels and integers only), and rendering them later as Chinese text for
 * clerks and receipts (setl_proc_info). Also the invariant check that every
 * settlement must pass before anyone stores or shows it.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "yibao/dict.h"

/* ---- recording --------------------------------------------------------- */

struct yb_step *yb__step_add(struct yb__steps *s, const char *code,
                             const char *label, const char *layer,
                             const char *rule)
{
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 48;
        struct yb_step *nv = yb_arena_alloc(s->arena, sizeof *nv * (size_t)cap);
        if (!nv) {
            s->oom = true;
            return NULL;
        }
        if (s->n)
            memcpy(nv, s->v, sizeof *nv * (size_t)s->n);
        s->v = nv;
        s->cap = cap;
    }
    struct yb_step *st = &s->v[s->n++];
    /* inputs past n_in are never read, so only the header is cleared */
    st->note = NULL;
    st->n_in = 0;
    st->result = 0;
    st->result_unit = YB_UNIT_FEN;
    st->code = code;
    st->label = label;
    st->layer = layer;
    st->rule = rule;
    return st;
}

void yb__step_in(struct yb_step *st, const char *key, const char *name,
                 int64_t value, enum yb_unit unit)
{
    if (!st || st->n_in >= YB_STEP_MAX_INPUTS)
        return;
    st->in[st->n_in++] = (struct yb_step_input){
        .name = name, .key = key, .value = value, .unit = unit};
}

bool yb__med_type_is_inpatient(int med_type)
{
    int n;
    const struct yb_dict_entry *t = yb_dict_entries(YB_DICT_MED_TYPE, &n);
    if (med_type < 0 || med_type >= n)
        return false;
    return t[med_type].code[0] == '2' || strcmp(t[med_type].code, "52") == 0;
}

/* ---- rendering --------------------------------------------------------- */

/* A string builder over a fixed buffer; output is truncated, never
 * overrun. */
/* A text that grows in an arena as it is written: nothing is ever cut
 * (a long band list or note once was, at a fixed 1,024 bytes). oom is
 * set when the arena is out of memory; the text is then NULL. */
struct sb {
    struct yb_arena *a;
    char *buf;
    size_t len, cap;
    bool oom;
};

static bool sb_reserve(struct sb *b, size_t more)
{
    if (b->oom)
        return false;
    if (b->buf && b->len + more < b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap <= b->len + more)
        cap *= 2;
    char *buf = yb_arena_alloc(b->a, cap);
    if (!buf) {
        b->oom = true;
        return false;
    }
    if (b->len)
        memcpy(buf, b->buf, b->len);
    buf[b->len] = '\0';
    b->buf = buf;
    b->cap = cap;
    return true;
}

static void sb_printf(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (!sb_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    assert(b->len < b->cap && b->buf[b->len] == '\0');
}

/* s as it is (NULL as nothing): a trace is mostly labels and names, and
 * sb_printf's two passes of vsnprintf cost ten times the copy. */
static void sb_puts(struct sb *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!sb_reserve(b, n))
        return;
    memcpy(b->buf + b->len, s ? s : "", n + 1);
    b->len += n;
}

/* The text written, or NULL when the arena ran out. */
static char *sb_text(struct sb *b)
{
    return sb_reserve(b, 0) ? b->buf : NULL;
}

static void sb_value(struct sb *b, int64_t v, enum yb_unit u)
{
    char tmp[32];
    if (u == YB_UNIT_FEN) {
        sb_puts(b, yb_money_format(v, tmp));
        sb_puts(b, "元");
    } else if (u == YB_UNIT_RATE)
        sb_puts(b, yb_rate_format((yb_rate)v, tmp));
    else
        sb_puts(b, yb_decimal_format(v, 0, tmp));
}

static void step_render(struct sb *b, const struct yb_step *st)
{
    sb_puts(b, st->label);
    if (st->layer) {
        sb_puts(b, "[");
        sb_puts(b, st->layer);
        sb_puts(b, "]");
    }
    sb_puts(b, "：");
    for (int i = 0; i < st->n_in; i++) {
        sb_puts(b, i ? "，" : "");
        sb_puts(b, st->in[i].name);
        sb_puts(b, "=");
        sb_value(b, st->in[i].value, st->in[i].unit);
    }
    if (st->result_unit != YB_UNIT_NONE) {
        if (st->n_in)
            sb_puts(b, " → ");
        sb_value(b, st->result, st->result_unit);
    }
    if (st->note && st->result_unit == YB_UNIT_NONE && !st->n_in)
        sb_puts(b, st->note);
    else if (st->note) {
        sb_puts(b, "（");
        sb_puts(b, st->note);
        sb_puts(b, "）");
    }
    if (st->rule) {
        sb_puts(b, " 〔");
        sb_puts(b, st->rule);
        sb_puts(b, "〕");
    }
}

char *yb_step_text(const struct yb_step *st, struct yb_arena *arena)
{
    struct sb b = {.a = arena};
    step_render(&b, st);
    return sb_text(&b);
}

char *yb_trace_text(const struct yb_settlement *s, struct yb_arena *arena)
{
    struct sb b = {.a = arena};
    for (int i = 0; i < s->n_steps; i++) {
        char num[32];
        yb_decimal_format(i + 1, 0, num);
        sb_puts(&b, num[1] ? "" : " "); /* "%2d. " */
        sb_puts(&b, num);
        sb_puts(&b, ". ");
        step_render(&b, &s->steps[i]);
        sb_puts(&b, "\n");
    }
    return sb_text(&b);
}

static const struct yb_step *find_step(const struct yb_settlement *s,
                                       const struct yb_fund_detail *d,
                                       const char *code)
{
    for (int i = d->first_step; i < d->first_step + d->n_steps; i++)
        if (strcmp(s->steps[i].code, code) == 0)
            return &s->steps[i];
    return NULL;
}

char *yb_detail_proc_info(const struct yb_settlement *s, int detail,
                          struct yb_arena *arena)
{
    const struct yb_fund_detail *d = &s->details[detail];
    const struct yb_step *ded = find_step(s, d, "deductible.applied");
    const struct yb_step *pay = find_step(s, d, "layer.pay");
    char t1[32], t2[32], t3[32];
    struct sb b = {.a = arena};
    yb_fen dedc = ded ? ded->result : 0;
    sb_printf(&b, "基数%s-起付线%s=%s；", yb_money_format(d->inscp_scp_amt, t1),
              yb_money_format(dedc, t2),
              yb_money_format(d->inscp_scp_amt - dedc, t3));
    int parts = 0;
    for (int i = d->first_step; i < d->first_step + d->n_steps; i++) {
        const struct yb_step *st = &s->steps[i];
        if (strcmp(st->code, "rate.band") == 0)
            sb_printf(&b, "%s%s×%s", parts++ ? "+" : "",
                      yb_money_format(st->in[2].value, t1),
                      yb_rate_format((yb_rate)st->in[3].value, t2));
        else if (strcmp(st->code, "flat") == 0 && parts++ == 0)
            sb_printf(&b, "定额%s", yb_money_format(st->in[0].value, t1));
    }
    if (pay && pay->n_in > 0) {
        sb_printf(&b, "%s=%s", parts ? "" : "0",
                  yb_money_format(pay->in[0].value, t1));
        if (pay->result != pay->in[0].value)
            sb_printf(&b, "；限额内支付%s", yb_money_format(pay->result, t2));
    }
    /* a cap raised for continuous and claim-free years (cap.raised) */
    for (int i = d->first_step; i < d->first_step + d->n_steps; i++)
        if (strcmp(s->steps[i].code, "cap.raised") == 0)
            sb_printf(&b, "；封顶线%s+连续参保/零报销增加%s=%s",
                      yb_money_format(s->steps[i].in[0].value, t1),
                      yb_money_format(s->steps[i].in[1].value, t2),
                      yb_money_format(s->steps[i].result, t3));
    return sb_text(&b);
}

char *yb_setldetail_proc_info(const struct yb_settlement *s, int row,
                              struct yb_arena *arena)
{
    const struct yb_setldetail *r = &s->setldetail[row];
    int k = 0;
    const char **parts =
        yb_arena_alloc(arena, sizeof *parts * (size_t)(r->n_rounds + 1));
    if (!parts)
        return NULL;
    for (int i = 0; i < s->n_details && k < r->n_rounds; i++) {
        if (strcmp(s->details[i].fund_pay_type, r->fund_pay_type) != 0)
            continue;
        if (!(parts[k] = yb_detail_proc_info(s, i, arena)))
            return NULL;
        k++;
    }
    if (r->n_rounds == 1)
        return (char *)parts[0];
    struct sb b = {.a = arena};
    for (int i = 0, j = 0; i < s->n_details && j < k; i++)
        if (strcmp(s->details[i].fund_pay_type, r->fund_pay_type) == 0) {
            sb_printf(&b, "%s第%d轮 %s：%s", j ? "；" : "", j + 1,
                      s->details[i].layer->name, parts[j]);
            j++;
        }
    return sb_text(&b);
}

/* ---- invariants -------------------------------------------------------- */

static int fail(struct yb_err *e, const char *what, yb_fen l, yb_fen r)
{
    char a[32], b[32];
    return yb_err_set(e, YB_EINVARIANT, "settlement",
                      "结算结果校验失败：%s：%s != %s (invariant violated)",
                      what, yb_money_format(l, a), yb_money_format(r, b));
}

static int check_lines(const struct yb_settlement *s, struct yb_err *e)
{
    yb_fen tot[5] = {0};
    for (size_t i = 0; i < s->n_lines; i++) {
        const struct yb_line_result *r = &s->lines[i];
        yb_fen parts = r->fulamt_ownpay_amt + r->overlmt_amt +
                       r->preselfpay_amt + r->inscp_scp_amt;
        if (parts != r->line->amount)
            return fail(e, "line parts", parts, r->line->amount);
        if (r->fulamt_ownpay_amt < 0 || r->overlmt_amt < 0 ||
            r->preselfpay_amt < 0 || r->inscp_scp_amt < 0)
            return fail(e, "negative line part", parts, 0);
        tot[0] += r->line->amount;
        tot[1] += r->fulamt_ownpay_amt;
        tot[2] += r->overlmt_amt;
        tot[3] += r->preselfpay_amt;
        tot[4] += r->inscp_scp_amt;
    }
    const struct yb_setlinfo *x = &s->info;
    const yb_fen want[5] = {x->medfee_sumamt, x->fulamt_ownpay_amt,
                            x->overlmt_selfpay, x->preselfpay_amt,
                            x->inscp_scp_amt};
    for (int i = 0; i < 5; i++)
        if (tot[i] != want[i])
            return fail(e, "line totals", tot[i], want[i]);
    return YB_OK;
}

/* setldetail: one row per fund, each the sum of its rounds, within its
 * limit. */
static int check_rows(const struct yb_settlement *s, struct yb_err *e)
{
    for (int r = 0; r < s->n_setldetail; r++) {
        const struct yb_setldetail *row = &s->setldetail[r];
        yb_fen sum = 0;
        int rounds = 0;
        for (int k = 0; k < r; k++)
            if (strcmp(s->setldetail[k].fund_pay_type, row->fund_pay_type) == 0)
                return fail(e, "two setldetail rows of one fund", r, k);
        for (int i = 0; i < s->n_details; i++)
            if (strcmp(s->details[i].fund_pay_type, row->fund_pay_type) == 0) {
                sum += s->details[i].fund_payamt;
                rounds++;
            }
        if (sum != row->fund_payamt || rounds != row->n_rounds)
            return fail(e, "setldetail vs its rounds", row->fund_payamt, sum);
        if (row->crt_payb_lmt_amt < 0 ||
            row->fund_payamt > row->crt_payb_lmt_amt)
            return fail(e, "setldetail above its limit", row->fund_payamt,
                        row->crt_payb_lmt_amt);
    }
    return YB_OK;
}

static int check_details(const struct yb_settlement *s, struct yb_err *e)
{
    yb_fen by_stage[3] = {0}, sum = 0;
    for (int i = 0; i < s->n_details; i++) {
        const struct yb_fund_detail *d = &s->details[i];
        if (d->fund_payamt < 0 || d->inscp_scp_amt < 0)
            return fail(e, "negative fund payment", d->fund_payamt, 0);
        if (d->crt_payb_lmt_amt >= 0 && d->fund_payamt > d->crt_payb_lmt_amt)
            return fail(e, "payment above cap", d->fund_payamt,
                        d->crt_payb_lmt_amt);
        sum += d->fund_payamt;
        if (strcmp(d->fund_pay_type, "999999") != 0)
            by_stage[d->layer->stage] += d->fund_payamt;
    }
    const struct yb_setlinfo *x = &s->info;
    int rc = check_rows(s, e);
    if (rc != YB_OK)
        return rc;
    if (by_stage[0] != x->hifp_pay)
        return fail(e, "hifp_pay", x->hifp_pay, by_stage[0]);
    if (by_stage[1] != x->hifmi_pay)
        return fail(e, "hifmi_pay", x->hifmi_pay, by_stage[1]);
    if (by_stage[2] != x->maf_pay)
        return fail(e, "maf_pay", x->maf_pay, by_stage[2]);
    if (sum != x->fund_pay_sumamt)
        return fail(e, "fund_pay_sumamt vs setldetail", x->fund_pay_sumamt,
                    sum);
    return YB_OK;
}

int yb_settlement_check(const struct yb_settlement *s, struct yb_err *e)
{
    const struct yb_setlinfo *x = &s->info;
    if (x->fulamt_ownpay_amt + x->overlmt_selfpay + x->preselfpay_amt +
            x->inscp_scp_amt !=
        x->medfee_sumamt)
        return fail(e, "medfee_sumamt = parts", x->medfee_sumamt,
                    x->fulamt_ownpay_amt + x->overlmt_selfpay +
                        x->preselfpay_amt + x->inscp_scp_amt);
    if (x->hifp_pay + x->hifmi_pay + x->maf_pay + x->oth_pay !=
        x->fund_pay_sumamt)
        return fail(e, "fund_pay_sumamt = funds", x->fund_pay_sumamt,
                    x->hifp_pay + x->hifmi_pay + x->maf_pay + x->oth_pay);
    if (x->medfee_sumamt - x->fund_pay_sumamt - x->hosp_part_amt !=
        x->psn_part_amt)
        return fail(e, "psn_part_amt", x->psn_part_amt,
                    x->medfee_sumamt - x->fund_pay_sumamt);
    if (x->psn_part_amt - x->acct_pay != x->psn_cash_pay)
        return fail(e, "psn_cash_pay", x->psn_cash_pay, x->psn_part_amt);
    const yb_fen *f = &x->medfee_sumamt;
    for (size_t i = 0; i < sizeof *x / sizeof *f; i++)
        if (f[i] < 0)
            return fail(e, "negative setlinfo figure", f[i], 0);
    if (x->pool_prop_selfpay > YB_RATE_ONE)
        return fail(e, "pool_prop_selfpay above 1.0000", x->pool_prop_selfpay,
                    YB_RATE_ONE);
    if (x->act_pay_dedc > x->inscp_scp_amt)
        return fail(e, "act_pay_dedc above policy scope", x->act_pay_dedc,
                    x->inscp_scp_amt);
    int rc = check_lines(s, e);
    return rc != YB_OK ? rc : check_details(s, e);
}
