/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one-stop settlement (一站式结算, docs/benefits.md): classify the
 * lines, then run the policy's layers in order — the first matching basic
 * layer, every matching critical-illness layer, every matching
 * assistance round — each taking its base, removing its deductible,
 * paying banded rates or a flat amount, and stopping at its caps. Layers
 * measured over the year pay F(position after) - F(position before) of one
 * exactly rounded banded function F, so a year's visits add up to the fen
 * to what one settlement of their total pays (累计计算、分段报销、按次结算).
 *
 * Pure: no I/O, no globals, no clock. All output memory comes from the
 * caller's arena.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "yibao/financing.h"
#include "yibao/region.h"

struct ctx {
    const struct yb_policy *p;
    const struct yb_person *psn;
    const struct yb_visit *v;
    int age, place, ordinal;
    struct yb_arena *arena;
    struct yb_err *e;
    struct yb__steps steps;
    struct yb_accum *acc;
    uint32_t *acc_hash; /* hash of each acc[i].key, to skip string compares */
    int n_acc, cap_acc;
    struct yb_settlement *out;
    yb_fen paid;           /* fund payments so far in this settlement */
    bool basic_done;       /* a basic layer has settled the visit */
    yb_fen basic_eligible; /* its base above its deductible */
};

/* What one layer computed, for the detail line and the settlement. */
struct layer_result {
    yb_fen base, dedc, eligible, raw, limit, pay; /* raw: before caps */
};

/* ---- accumulators ------------------------------------------------------ */

/* FNV-1a over "a[.b[.c]]" without joining the parts. */
static uint32_t key_hash(const char *a, const char *b, const char *c3)
{
    const char *part[3] = {a, b, c3};
    uint32_t h = 2166136261u;
    for (int i = 0; i < 3 && part[i]; i++) {
        if (i)
            h = (h ^ '.') * 16777619u;
        for (const char *p = part[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
    }
    return h;
}

/* key == a[.b[.c]] */
static bool key_is(const char *key, const char *a, const char *b,
                   const char *c3)
{
    size_t n = strlen(a);
    if (strncmp(key, a, n) != 0)
        return false;
    key += n;
    if (!b)
        return *key == 0;
    if (*key++ != '.')
        return false;
    n = strlen(b);
    if (strncmp(key, b, n) != 0)
        return false;
    key += n;
    if (!c3)
        return *key == 0;
    return *key == '.' && strcmp(key + 1, c3) == 0;
}

/* "a[.b[.c]]" in the arena, without printf (this is on the hot path). */
static const char *key_join(struct yb_arena *arena, const char *a,
                            const char *b, const char *c3)
{
    const char *part[3] = {a, b, c3};
    size_t len[3] = {0}, total = 0;
    for (int i = 0; i < 3 && part[i]; i++)
        total += (len[i] = strlen(part[i])) + 1;
    char *key = yb_arena_alloc(arena, total);
    if (!key)
        return NULL;
    char *w = key;
    for (int i = 0; i < 3 && part[i]; i++) {
        if (i)
            *w++ = '.';
        memcpy(w, part[i], len[i]);
        w += len[i];
    }
    *w = 0;
    return key;
}

static struct yb_accum *acc_find(struct ctx *c, const char *a, const char *b,
                                 const char *c3, uint32_t h)
{
    for (int i = 0; i < c->n_acc; i++)
        if (c->acc_hash[i] == h && key_is(c->acc[i].key, a, b, c3))
            return &c->acc[i];
    return NULL;
}

/* Make room for one more accumulator. */
static int acc_grow(struct ctx *c)
{
    if (c->n_acc < c->cap_acc)
        return YB_OK;
    int cap = c->cap_acc ? c->cap_acc * 2 : 16;
    struct yb_accum *nv = yb_arena_alloc(c->arena, sizeof *nv * (size_t)cap);
    uint32_t *nh = yb_arena_alloc(c->arena, sizeof *nh * (size_t)cap);
    if (!nv || !nh)
        return yb_err_set(c->e, YB_ENOMEM, "accumulators",
                          "内存不足 (out of memory)");
    if (c->n_acc) {
        memcpy(nv, c->acc, sizeof *nv * (size_t)c->n_acc);
        memcpy(nh, c->acc_hash, sizeof *nh * (size_t)c->n_acc);
    }
    c->acc = nv;
    c->acc_hash = nh;
    c->cap_acc = cap;
    return YB_OK;
}

static int64_t acc_get(struct ctx *c, const char *a, const char *b,
                       const char *c3)
{
    struct yb_accum *x = acc_find(c, a, b, c3, key_hash(a, b, c3));
    return x ? x->value : 0;
}

static int acc_add(struct ctx *c, const char *a, const char *b, const char *c3,
                   int64_t delta)
{
    if (delta == 0)
        return YB_OK;
    uint32_t h = key_hash(a, b, c3);
    struct yb_accum *x = acc_find(c, a, b, c3, h);
    if (!x) {
        int rc = acc_grow(c);
        if (rc != YB_OK)
            return rc;
        c->acc_hash[c->n_acc] = h;
        x = &c->acc[c->n_acc];
        x->key = key_join(c->arena, a, b, c3);
        x->value = 0;
        if (!x->key)
            return yb_err_set(c->e, YB_ENOMEM, "accumulators",
                              "内存不足 (out of memory)");
        c->n_acc++;
    }
    if (yb_money_add(x->value, delta, &x->value) != YB_OK)
        return yb_err_set(c->e, YB_EOVERFLOW, "accumulators",
                          "累计值 %s 溢出 (accumulator overflows)", x->key);
    return YB_OK;
}

/* ---- selectors --------------------------------------------------------- */

static bool bit(uint64_t set, int i)
{
    return set == 0 || (i >= 0 && i < 64 && (set & (UINT64_C(1) << i)));
}

static bool any_prefix(const char **list, int n, const char *s)
{
    if (!s)
        return false;
    for (int i = 0; i < n; i++)
        if (strncmp(s, list[i], strlen(list[i])) == 0)
            return true;
    return false;
}

static bool disease_match(const struct yb_when *w, const struct yb_visit *v)
{
    if (w->n_diseases == 0)
        return true;
    if (any_prefix(w->diseases, w->n_diseases, v->chronic_disease))
        return true;
    for (int i = 0; i < v->n_diseases; i++)
        if (any_prefix(w->diseases, w->n_diseases, v->diseases[i]))
            return true;
    return false;
}

static bool matn_match(const struct yb_when *w, const struct yb_visit *v)
{
    if (w->n_matn_types == 0)
        return true;
    for (int i = 0; v->matn_type && i < w->n_matn_types; i++)
        if (strcmp(v->matn_type, w->matn_types[i]) == 0)
            return true;
    return false;
}

static bool when_match(const struct yb_when *w, const struct ctx *c)
{
    const struct yb_person *p = c->psn;
    const struct yb_visit *v = c->v;
    if (!bit(w->med_types, v->med_type) || !bit(w->levels, v->hosp_lv) ||
        !bit(w->psn_types, p->psn_type) || !bit(w->places, c->place))
        return false;
    if (w->idets && !(w->idets & p->idets))
        return false;
    if (w->no_idets & p->idets)
        return false;
    if (w->tiers && !(p->tier >= 0 && p->tier < 32 &&
                      (w->tiers & (UINT32_C(1) << p->tier))))
        return false;
    if ((w->ordinal_min && c->ordinal < w->ordinal_min) ||
        (w->ordinal_max && c->ordinal > w->ordinal_max))
        return false;
    if ((w->age_min >= 0 && c->age < w->age_min) ||
        (w->age_max >= 0 && c->age > w->age_max))
        return false;
    if (w->gender && w->gender != p->gender)
        return false;
    if (w->referral >= 0 && w->referral != (int)v->referral)
        return false;
    return disease_match(w, v) && matn_match(w, v);
}

static const struct yb_amount_rule *first_amount(const struct yb_amount_rule *r,
                                                 int n, const struct ctx *c)
{
    for (int i = 0; i < n; i++)
        if (when_match(&r[i].when, c))
            return &r[i];
    return NULL;
}

/* ---- trace shorthands -------------------------------------------------- */

static struct yb_step *step(struct ctx *c, const char *code, const char *label,
                            const struct yb_layer *L, const char *rule)
{
    return yb__step_add(&c->steps, code, label, L ? L->id : NULL, rule);
}

static void step_result(struct yb_step *st, int64_t v, enum yb_unit u)
{
    if (st) {
        st->result = v;
        st->result_unit = u;
    }
}

static void step_note(struct yb_step *st, const char *note)
{
    if (st)
        st->note = note;
}

/* ---- layer: base and deductible --------------------------------------- */

static yb_fen layer_base(struct ctx *c, const struct yb_layer *L)
{
    const struct yb_setlinfo *s = &c->out->info;
    yb_fen b = 0;
    struct yb_step *st = step(c, "layer.base", "计算基数", L, L->path);
    switch (L->base) {
    case YB_BASE_SCOPE:
        b = s->inscp_scp_amt;
        yb__step_in(st, "inscp_scp_amt", "政策范围内费用", b, YB_UNIT_FEN);
        break;
    case YB_BASE_SCOPE_BURDEN:
    case YB_BASE_SCOPE_BURDEN_PRESELFPAY:
        b = s->inscp_scp_amt - c->paid;
        yb__step_in(st, "inscp_scp_amt", "政策范围内费用", s->inscp_scp_amt,
                    YB_UNIT_FEN);
        yb__step_in(st, "paid", "前序基金已支付", c->paid, YB_UNIT_FEN);
        if (L->base == YB_BASE_SCOPE_BURDEN_PRESELFPAY) {
            b += s->preselfpay_amt;
            yb__step_in(st, "preselfpay_amt", "乙类先行自付", s->preselfpay_amt,
                        YB_UNIT_FEN);
        }
        break;
    case YB_BASE_TOTAL_BURDEN:
        b = s->medfee_sumamt - c->paid;
        yb__step_in(st, "medfee_sumamt", "医疗费用总额", s->medfee_sumamt,
                    YB_UNIT_FEN);
        yb__step_in(st, "paid", "前序基金已支付", c->paid, YB_UNIT_FEN);
        break;
    }
    if (b < 0)
        b = 0;
    step_result(st, b, YB_UNIT_FEN);
    return b;
}

/* The deductible standard for this visit: first matching rule, ordinal
 * factor, then every matching adjustment in order. */
static int deductible_standard(struct ctx *c, const struct yb_layer *L,
                               yb_fen *out)
{
    const struct yb_deductible *d = &L->deductible;
    const struct yb_amount_rule *r = first_amount(d->rules, d->n_rules, c);
    yb_fen std = r ? r->amount : 0;
    struct yb_step *st =
        step(c, "deductible.rule", "起付标准", L, r ? r->path : NULL);
    step_note(st, r ? NULL : "无适用起付线规则");
    step_result(st, std, YB_UNIT_FEN);
    if (d->n_ordinal_factors > 0 && c->ordinal > 0) {
        int k = c->ordinal < d->n_ordinal_factors ? c->ordinal
                                                  : d->n_ordinal_factors;
        yb_rate f = d->ordinal_factors[k - 1];
        st = step(c, "deductible.ordinal", "住院次数系数", L, L->path);
        yb__step_in(st, "ordinal", "本年住院次序", c->ordinal, YB_UNIT_COUNT);
        yb__step_in(st, "factor", "系数", f, YB_UNIT_RATE);
        if (yb_money_apply_rate(std, f, &std) != YB_OK)
            return yb_err_set(c->e, YB_EOVERFLOW, L->path,
                              "数值溢出 (overflow)");
        step_result(st, std, YB_UNIT_FEN);
    }
    for (int i = 0; i < d->n_adjust; i++) {
        const struct yb_adjust_rule *a = &d->adjust[i];
        if (!when_match(&a->when, c))
            continue;
        st = step(c, "deductible.adjust", "起付线调整", L, a->path);
        if (a->set_amount) {
            std = a->amount;
        } else {
            yb__step_in(st, "factor", "系数", a->factor, YB_UNIT_RATE);
            if (yb_money_apply_rate(std, a->factor, &std) != YB_OK)
                return yb_err_set(c->e, YB_EOVERFLOW, a->path,
                                  "数值溢出 (overflow)");
        }
        step_result(st, std, YB_UNIT_FEN);
    }
    *out = std;
    return YB_OK;
}

/* Apply the standard to this visit's base: per visit, or what is left of
 * the year's deductible. */
static int deductible_apply(struct ctx *c, const struct yb_layer *L,
                            yb_fen base, yb_fen *applied)
{
    yb_fen std = 0;
    int rc = deductible_standard(c, L, &std);
    if (rc != YB_OK)
        return rc;
    const char *acc = L->accumulate_as;
    yb_fen used = 0;
    if (L->deductible.scope == YB_MEASURE_YEAR)
        used = acc_get(c, acc, "dedc", NULL);
    yb_fen left = std > used ? std - used : 0;
    *applied = left < base ? left : base;
    struct yb_step *st = step(c, "deductible.applied", "本次起付线", L, NULL);
    yb__step_in(st, "standard", "起付标准", std, YB_UNIT_FEN);
    if (L->deductible.scope == YB_MEASURE_YEAR)
        yb__step_in(st, "used", "本年已计起付线", used, YB_UNIT_FEN);
    yb__step_in(st, "base", "基数", base, YB_UNIT_FEN);
    step_result(st, *applied, YB_UNIT_FEN);
    if (L->deductible.scope == YB_MEASURE_YEAR)
        return acc_add(c, acc, "dedc", NULL, *applied);
    return YB_OK;
}

/* ---- layer: bands ------------------------------------------------------ */

#define MAX_LOCAL_BANDS 16

/* Effective band rates: the rule's rates plus the matching adjustments,
 * kept within [min_rate, max_rate] and [0, 100%]. */
static int effective_bands(struct ctx *c, const struct yb_layer *L,
                           const struct yb_rate_rule *r, struct yb_band *out)
{
    const struct yb_rates *rt = &L->rates;
    int32_t points = 0;
    for (int i = 0; i < rt->n_adjust; i++) {
        if (!when_match(&rt->adjust[i].when, c))
            continue;
        points += rt->adjust[i].points;
        struct yb_step *st =
            step(c, "rate.adjust", "支付比例调整", L, rt->adjust[i].path);
        step_result(st, rt->adjust[i].points, YB_UNIT_RATE);
    }
    for (int i = 0; i < r->n_bands; i++) {
        int32_t x = r->bands[i].rate + points;
        if (x < rt->min_rate)
            x = rt->min_rate;
        if (x > rt->max_rate)
            x = rt->max_rate;
        if (x < 0)
            x = 0;
        if (x > YB_RATE_ONE)
            x = YB_RATE_ONE;
        out[i].from = r->bands[i].from;
        out[i].rate = x;
    }
    return r->n_bands;
}

/* Sum of rate x (part of [lo, hi) in each band), in fen x 1/10,000. */
static yb__i128 band_sum(const struct yb_band *b, int n, yb_fen lo, yb_fen hi)
{
    yb__i128 sum = 0;
    for (int i = 0; i < n; i++) {
        yb_fen from = b[i].from;
        yb_fen to = i + 1 < n ? b[i + 1].from : INT64_MAX;
        yb_fen a = lo > from ? lo : from;
        yb_fen z = hi < to ? hi : to;
        if (z > a)
            sum += (yb__i128)(z - a) * b[i].rate;
    }
    return sum;
}

static yb_fen round_bp(yb__i128 v)
{
    yb__i128 q = v / YB_RATE_ONE;
    if ((v % YB_RATE_ONE) * 2 >= YB_RATE_ONE)
        q++;
    return (yb_fen)q;
}

/* One trace step per band the segment [lo, hi) touches. */
static void trace_bands(struct ctx *c, const struct yb_layer *L,
                        const struct yb_band *b, int n, yb_fen lo, yb_fen hi)
{
    for (int i = 0; i < n; i++) {
        yb_fen from = b[i].from;
        yb_fen to = i + 1 < n ? b[i + 1].from : INT64_MAX;
        yb_fen a = lo > from ? lo : from;
        yb_fen z = hi < to ? hi : to;
        if (z <= a)
            continue;
        struct yb_step *st = step(c, "rate.band", "分段支付", L, NULL);
        yb__step_in(st, "from", "段起点", a, YB_UNIT_FEN);
        yb__step_in(st, "to", "段终点", z, YB_UNIT_FEN);
        yb__step_in(st, "amount", "段内金额", z - a, YB_UNIT_FEN);
        yb__step_in(st, "rate", "支付比例", b[i].rate, YB_UNIT_RATE);
        step_result(st, round_bp((yb__i128)(z - a) * b[i].rate), YB_UNIT_FEN);
    }
}

/* The segment of band positions this visit occupies, and the accumulator
 * updates of a year-measured layer. */
static int band_segment(struct ctx *c, const struct yb_layer *L,
                        const struct layer_result *lr, yb_fen *lo, yb_fen *hi)
{
    const char *acc = L->accumulate_as;
    bool zero = L->rates.origin == YB_BANDS_FROM_ZERO;
    if (L->rates.measure == YB_MEASURE_VISIT) {
        *lo = zero ? lr->dedc : 0;
        *hi = zero ? lr->base : lr->eligible;
        return YB_OK;
    }
    const char *key = zero ? "base" : "eligible";
    yb_fen before = acc_get(c, acc, key, NULL);
    *lo = before + (zero ? lr->dedc : 0);
    *hi = before + (zero ? lr->base : lr->eligible);
    struct yb_step *st = step(c, "rate.position", "累计位置", L, NULL);
    yb__step_in(st, "before", "本年此前累计", before, YB_UNIT_FEN);
    yb__step_in(st, "lo", "本次起点", *lo, YB_UNIT_FEN);
    yb__step_in(st, "hi", "本次终点", *hi, YB_UNIT_FEN);
    step_result(st, *hi - *lo, YB_UNIT_FEN);
    return acc_add(c, acc, key, NULL, zero ? lr->base : lr->eligible);
}

static int layer_banded(struct ctx *c, const struct yb_layer *L,
                        struct layer_result *lr, yb_fen *raw)
{
    const struct yb_rates *rt = &L->rates;
    const struct yb_rate_rule *r = NULL;
    for (int i = 0; i < rt->n_rules && !r; i++)
        if (when_match(&rt->rules[i].when, c))
            r = &rt->rules[i];
    struct yb_step *st =
        step(c, "rate.rule", "支付比例", L, r ? r->path : NULL);
    if (!r) {
        step_note(st, "无适用支付比例规则，本层不支付");
        *raw = 0;
        return YB_OK;
    }
    step_result(st, r->bands[0].rate, YB_UNIT_RATE);
    struct yb_band local[MAX_LOCAL_BANDS], *b = local;
    if (r->n_bands > MAX_LOCAL_BANDS) {
        b = yb_arena_alloc(c->arena, sizeof *b * (size_t)r->n_bands);
        if (!b)
            return yb_err_set(c->e, YB_ENOMEM, L->path,
                              "内存不足 (out of memory)");
    }
    int n = effective_bands(c, L, r, b);
    /* the loader's promise: bands start at 0 and ascend, rates in 0..100% */
    assert(n >= 1 && b[0].from == 0);
    for (int i = 1; i < n; i++)
        assert(b[i].from > b[i - 1].from);
    for (int i = 0; i < n; i++)
        assert(b[i].rate >= 0 && b[i].rate <= YB_RATE_ONE);
    yb_fen lo, hi;
    int rc = band_segment(c, L, lr, &lo, &hi);
    if (rc != YB_OK)
        return rc;
    trace_bands(c, L, b, n, lo, hi);
    if (rt->measure == YB_MEASURE_VISIT)
        *raw = round_bp(band_sum(b, n, lo, hi));
    else /* telescoping: F(hi) - F(lo), each rounded once from zero */
        *raw =
            round_bp(band_sum(b, n, 0, hi)) - round_bp(band_sum(b, n, 0, lo));
    st = step(c, "rate.total", "按比例支付", L, NULL);
    step_result(st, *raw, YB_UNIT_FEN);
    return YB_OK;
}

static void layer_flat(struct ctx *c, const struct yb_layer *L,
                       const struct layer_result *lr, yb_fen *raw)
{
    const struct yb_amount_rule *r = first_amount(L->flat, L->n_flat, c);
    struct yb_step *st = step(c, "flat", "定额支付", L, r ? r->path : NULL);
    yb_fen amount = r ? r->amount : 0;
    yb__step_in(st, "standard", "定额标准", amount, YB_UNIT_FEN);
    yb__step_in(st, "eligible", "起付线以上费用", lr->eligible, YB_UNIT_FEN);
    *raw = amount < lr->eligible ? amount : lr->eligible;
    step_note(st, r ? NULL : "无适用定额规则");
    step_result(st, *raw, YB_UNIT_FEN);
}

/* ---- layer: caps ------------------------------------------------------- */

static const char *cap_disease(const struct ctx *c)
{
    if (c->v->chronic_disease && c->v->chronic_disease[0])
        return c->v->chronic_disease;
    if (c->v->n_diseases > 0)
        return c->v->diseases[0];
    return "-";
}

/* The amount of a cap the policy's ci_cap_bonus raises (大病保险封顶线
 * 提高, docs/benefits.md): the increase the person's years earned, at most
 * max_share of the cap, added to it for this settlement. Steps: how the
 * increase was reached, and the raised cap when there is one. */
static int raise_cap(struct ctx *c, const struct yb_layer *L, const char *rule,
                     yb_fen *amount)
{
    const struct yb_person *p = c->psn;
    struct yb_ci_bonus b;
    if (p->ci_continuous_years == 0 || c->p->enrol == NULL)
        return YB_OK;
    int rc = yb_ci_cap_bonus(c->p->enrol, p->ci_continuous_years,
                             p->ci_claim_free_years, *amount, &b, c->e);
    if (rc != YB_OK)
        return rc;
    struct yb_step *st =
        step(c, "cap.bonus", "封顶线提高额", L, "enrolment.ci_cap_bonus");
    yb__step_in(st, "continuous_years", "连续参保年数", p->ci_continuous_years,
                YB_UNIT_COUNT);
    yb__step_in(st, "claim_free_years", "零报销年数", p->ci_claim_free_years,
                YB_UNIT_COUNT);
    yb__step_in(st, "continuous", "连续参保增加", b.continuous, YB_UNIT_FEN);
    yb__step_in(st, "claim_free", "零报销增加", b.claim_free, YB_UNIT_FEN);
    yb__step_in(st, "limit", "增加上限", b.limit, YB_UNIT_FEN);
    step_note(st,
              b.bonus < b.continuous + b.claim_free ? "以增加上限为限" : NULL);
    step_result(st, b.bonus, YB_UNIT_FEN);
    if (b.bonus == 0)
        return YB_OK;
    st = step(c, "cap.raised", "大病保险封顶线", L, rule);
    yb__step_in(st, "cap", "原封顶线", *amount, YB_UNIT_FEN);
    yb__step_in(st, "bonus", "连续参保/零报销增加", b.bonus, YB_UNIT_FEN);
    if (yb_money_add(*amount, b.bonus, amount) != YB_OK)
        return yb_err_set(c->e, YB_EOVERFLOW, rule,
                          "金额超出范围 (amount out of range)");
    step_note(st, "连续参保、零报销提高封顶线");
    step_result(st, *amount, YB_UNIT_FEN);
    return YB_OK;
}

/* Remaining room under the layer's own cap into *room (-1: none). */
static int own_cap_room(struct ctx *c, const struct yb_layer *L, yb_fen *room)
{
    const struct yb_cap *cap = &L->cap;
    *room = -1;
    if (cap->has_exempt && when_match(&cap->exempt, c)) {
        struct yb_step *st = step(c, "cap.exempt", "免封顶线", L, L->path);
        step_note(st, "符合倾斜政策，不设封顶线");
        step_result(st, 0, YB_UNIT_NONE);
        return YB_OK;
    }
    const struct yb_amount_rule *r = first_amount(cap->rules, cap->n_rules, c);
    if (!r)
        return YB_OK;
    yb_fen amount = r->amount;
    int rc = cap->ci_bonus ? raise_cap(c, L, r->path, &amount) : YB_OK;
    if (rc != YB_OK)
        return rc;
    const char *dis = cap->per_disease ? cap_disease(c) : NULL;
    yb_fen paid = acc_get(c, L->accumulate_as, "paid", dis);
    *room = amount > paid ? amount - paid : 0;
    struct yb_step *st =
        step(c, "cap.own", cap->per_disease ? "病种年度限额" : "年度封顶线", L,
             r->path);
    yb__step_in(st, "cap", "限额", amount, YB_UNIT_FEN);
    yb__step_in(st, "paid", "本年已支付", paid, YB_UNIT_FEN);
    step_result(st, *room, YB_UNIT_FEN);
    return YB_OK;
}

/* Narrow *room (-1: none yet) to the room under the layer's shared caps. */
static int shared_cap_room(struct ctx *c, const struct yb_layer *L,
                           yb_fen *room)
{
    for (int i = 0; i < L->cap.n_shared; i++) {
        const struct yb_shared_cap *s = &c->p->caps[L->cap.shared[i]];
        if (s->has_exempt && when_match(&s->exempt, c))
            continue;
        yb_fen amount = s->amount;
        /* raised for the critical-illness layers sharing it only: the
         * increase is critical illness's (docs/benefits.md) */
        bool raise = s->ci_bonus && L->stage == YB_STAGE_CRITICAL;
        int rc = raise ? raise_cap(c, L, s->path, &amount) : YB_OK;
        if (rc != YB_OK)
            return rc;
        yb_fen paid = acc_get(c, "cap", s->id, "paid");
        yb_fen r = amount > paid ? amount - paid : 0;
        struct yb_step *st = step(c, "cap.shared", "共用封顶线", L, s->path);
        yb__step_in(st, "cap", "限额", amount, YB_UNIT_FEN);
        yb__step_in(st, "paid", "本年已支付", paid, YB_UNIT_FEN);
        step_result(st, r, YB_UNIT_FEN);
        if (*room < 0 || r < *room)
            *room = r;
    }
    return YB_OK;
}

static int record_payment(struct ctx *c, const struct yb_layer *L, yb_fen pay)
{
    const char *dis = L->cap.per_disease ? cap_disease(c) : NULL;
    int rc = acc_add(c, L->accumulate_as, "paid", dis, pay);
    for (int i = 0; rc == YB_OK && i < L->cap.n_shared; i++)
        rc = acc_add(c, "cap", c->p->caps[L->cap.shared[i]].id, "paid", pay);
    return rc;
}

/* ---- layer driver ------------------------------------------------------ */

static int add_to_info(struct ctx *c, const struct yb_layer *L,
                       const struct layer_result *lr)
{
    struct yb_setlinfo *s = &c->out->info;
    yb_fen *dst = &s->oth_pay;
    if (L->stage == YB_STAGE_BASIC) {
        dst = &s->hifp_pay;
        s->act_pay_dedc += lr->dedc;
        c->basic_eligible += lr->eligible;
    } else if (L->stage == YB_STAGE_CRITICAL) {
        dst = &s->hifmi_pay;
    } else if (L->stage == YB_STAGE_ASSIST) {
        dst = &s->maf_pay;
    }
    if (strcmp(L->fund, "999999") == 0)
        dst = &s->oth_pay;
    *dst += lr->pay;
    c->paid += lr->pay;
    return YB_OK;
}

static int layer_run(struct ctx *c, const struct yb_layer *L,
                     struct yb_fund_detail *d)
{
    struct layer_result lr = {0};
    int first = c->steps.n;
    struct yb_step *st = step(c, "layer", "适用待遇", L, L->path);
    step_note(st, L->name);
    step_result(st, 0, YB_UNIT_NONE);
    lr.base = layer_base(c, L);
    int rc = deductible_apply(c, L, lr.base, &lr.dedc);
    if (rc != YB_OK)
        return rc;
    lr.eligible = lr.base - lr.dedc;
    yb_fen raw = 0;
    if (L->method == YB_METHOD_FLAT)
        layer_flat(c, L, &lr, &raw);
    else if ((rc = layer_banded(c, L, &lr, &raw)) != YB_OK)
        return rc;
    lr.raw = raw;
    if ((rc = own_cap_room(c, L, &lr.limit)) != YB_OK ||
        (rc = shared_cap_room(c, L, &lr.limit)) != YB_OK)
        return rc;
    lr.pay = lr.limit >= 0 && raw > lr.limit ? lr.limit : raw;
    /* a layer never pays more than it is given, nor less than nothing */
    assert(lr.dedc >= 0 && lr.dedc <= lr.base);
    assert(lr.pay >= 0 && lr.pay <= lr.eligible);
    st = step(c, "layer.pay", "基金支付", L, NULL);
    yb__step_in(st, "raw", "按规则应付", raw, YB_UNIT_FEN);
    if (lr.limit >= 0)
        yb__step_in(st, "limit", "限额内可付", lr.limit, YB_UNIT_FEN);
    step_note(st, lr.pay < raw ? "达到封顶线" : NULL);
    step_result(st, lr.pay, YB_UNIT_FEN);
    if ((rc = record_payment(c, L, lr.pay)) != YB_OK)
        return rc;
    *d = (struct yb_fund_detail){.layer = L,
                                 .fund_pay_type = L->fund,
                                 .inscp_scp_amt = lr.base,
                                 .crt_payb_lmt_amt = lr.limit,
                                 .fund_payamt = lr.pay,
                                 .first_step = first,
                                 .n_steps = c->steps.n - first};
    return add_to_info(c, L, &lr);
}

/* ---- setldetail and the basic fund's ratio ---------------------------- */

/* The room a round leaves its fund's row: under its caps, or its whole
 * base when it has none (it never pays more than its base). */
static yb_fen round_limit(const struct yb_fund_detail *d)
{
    return d->crt_payb_lmt_amt >= 0 ? d->crt_payb_lmt_amt : d->inscp_scp_amt;
}

/* One setldetail row per fund_pay_type (docs/hospital.md): an HIS keys the
 * rows by fund, so the rounds of one fund are summed; each round's own
 * figures stay in details[] and the trace. */
static int group_funds(struct ctx *c)
{
    struct yb_settlement *out = c->out;
    out->setldetail = yb_arena_calloc(c->arena, (size_t)out->n_details + 1,
                                      sizeof *out->setldetail);
    if (!out->setldetail)
        return yb_err_set(c->e, YB_ENOMEM, "settlement",
                          "内存不足 (out of memory)");
    for (int i = 0; i < out->n_details; i++) {
        const struct yb_fund_detail *d = &out->details[i];
        struct yb_setldetail *row = NULL;
        for (int k = 0; k < out->n_setldetail && !row; k++)
            if (strcmp(out->setldetail[k].fund_pay_type, d->fund_pay_type) == 0)
                row = &out->setldetail[k];
        if (!row) {
            row = &out->setldetail[out->n_setldetail++];
            *row = (struct yb_setldetail){.fund_pay_type = d->fund_pay_type,
                                          .name = d->layer->name,
                                          .inscp_scp_amt = d->inscp_scp_amt};
        }
        row->n_rounds++;
        if (yb_money_add(row->fund_payamt, d->fund_payamt, &row->fund_payamt) !=
                YB_OK ||
            yb_money_add(row->crt_payb_lmt_amt, round_limit(d),
                         &row->crt_payb_lmt_amt) != YB_OK)
            return yb_err_set(c->e, YB_EOVERFLOW, d->layer->path,
                              "基金 %s 的支付金额溢出 (fund payment overflows)",
                              d->fund_pay_type);
    }
    assert(out->n_setldetail <= out->n_details);
    return YB_OK;
}

/* pool_prop_selfpay (基本医疗保险统筹基金支付比例): what the basic fund
 * paid over the policy-scope amount above its deductible, in 1/10,000,
 * rounded half up; 0 when nothing is above the deductible. With bands
 * and caps it is the effective ratio of this visit (docs/hospital.md). */
static void basic_ratio(struct ctx *c)
{
    struct yb_setlinfo *s = &c->out->info;
    yb_fen base = c->basic_eligible;
    s->pool_prop_selfpay = 0;
    if (base > 0) {
        yb__i128 q = (yb__i128)s->hifp_pay * YB_RATE_ONE * 2 + base;
        s->pool_prop_selfpay = (int64_t)(q / ((yb__i128)base * 2));
    }
    if (!c->basic_done)
        return;
    struct yb_step *st = step(c, "basic.ratio", "统筹基金支付比例", NULL, NULL);
    yb__step_in(st, "hifp_pay", "统筹基金支付", s->hifp_pay, YB_UNIT_FEN);
    yb__step_in(st, "eligible", "起付线以上政策范围内费用", base, YB_UNIT_FEN);
    step_result(st, s->pool_prop_selfpay, YB_UNIT_RATE);
}

static int run_layers(struct ctx *c)
{
    const struct yb_policy *p = c->p;
    struct yb_settlement *out = c->out;
    out->details = yb_arena_calloc(c->arena, (size_t)p->n_layers + 1,
                                   sizeof *out->details);
    if (!out->details)
        return yb_err_set(c->e, YB_ENOMEM, "settlement",
                          "内存不足 (out of memory)");
    for (int i = 0; i < p->n_layers; i++) {
        const struct yb_layer *L = &p->layers[i];
        if (L->stage == YB_STAGE_BASIC && c->basic_done)
            continue;
        if (!when_match(&L->when, c))
            continue;
        if (L->stage == YB_STAGE_BASIC)
            c->basic_done = true;
        int rc = layer_run(c, L, &out->details[out->n_details]);
        if (rc != YB_OK)
            return rc;
        out->n_details++;
    }
    if (!c->basic_done) {
        struct yb_step *st = step(c, "layer.none", "基本医保", NULL, NULL);
        step_note(st, "无适用的基本医保待遇，统筹基金不支付");
        step_result(st, 0, YB_UNIT_NONE);
    }
    return YB_OK;
}

/* ---- visit context ----------------------------------------------------- */

static int check_visit(const struct ctx *c, const struct yb_accums *before)
{
    const struct yb_visit *v = c->v;
    char a[11], b[11];
    if (v->end < v->begin)
        return yb_err_set(c->e, YB_EINVAL, "mdtrt.endtime",
                          "时间 %s 早于开始时间 begntime %s (before begntime)",
                          yb_date_format(v->end, a),
                          yb_date_format(v->begin, b));
    if (v->end < c->p->valid_from || v->end > c->p->valid_to)
        return yb_err_set(c->e, YB_ENOTCOVERED, "mdtrt.endtime",
                          "结算日期 %s 不在政策有效期 %s 至 %s 内 (outside the "
                          "policy's validity)",
                          yb_date_format(v->end, a),
                          yb_date_format(c->p->valid_from, b),
                          yb_date_format(c->p->valid_to, (char[11]){0}));
    int year = yb_date_year(v->end);
    if (before && before->year != 0 && before->year != year)
        return yb_err_set(
            c->e, YB_EINVAL, "accumulators.year",
            "%d 与结算年度 %d 不符 (does not match the settlement year)",
            before->year, year);
    return YB_OK;
}

/* The years that raise the critical-illness cap: the claim-free ones are
 * earlier years of the continuous run, so fewer than its length. */
static int check_years(const struct ctx *c)
{
    int n = c->psn->ci_continuous_years, k = c->psn->ci_claim_free_years;
    if (n < 0)
        return yb_err_set(c->e, YB_EINVAL,
                          "person.ci_cap_bonus.continuous_years",
                          "连续参保年数 %d 为负数 (negative)", n);
    if (k < 0 || (k > 0 && k >= n))
        return yb_err_set(c->e, YB_EINVAL,
                          "person.ci_cap_bonus.claim_free_years",
                          "零报销年数 %d 须为连续参保年数 %d 中本年度以前的"
                          "年数 (claim-free years are the years of the "
                          "continuous run before this one)",
                          k, n);
    return YB_OK;
}

static int place_of_care(const struct yb_policy *p, const struct yb_visit *v)
{
    if (yb_region_contains(p->region, v->mdtrtarea_admvs))
        return YB_PLACE_LOCAL;
    if (yb_region_same_province(v->insuplc_admdvs, v->mdtrtarea_admvs))
        return YB_PLACE_IN_PROVINCE;
    return YB_PLACE_OUT_PROVINCE;
}

static int init_ctx(struct ctx *c, const struct yb_accums *before)
{
    int rc = check_visit(c, before);
    if (rc == YB_OK)
        rc = check_years(c);
    if (rc != YB_OK)
        return rc;
    c->age = yb_date_age(c->psn->birth, c->v->begin);
    c->place = place_of_care(c->p, c->v);
    int n = before ? before->n : 0;
    c->cap_acc = n + 16;
    c->acc = yb_arena_alloc(c->arena, sizeof *c->acc * (size_t)c->cap_acc);
    c->acc_hash =
        yb_arena_alloc(c->arena, sizeof *c->acc_hash * (size_t)c->cap_acc);
    if (!c->acc || !c->acc_hash)
        return yb_err_set(c->e, YB_ENOMEM, "accumulators",
                          "内存不足 (out of memory)");
    for (int i = 0; i < n; i++) {
        c->acc[i] = before->items[i];
        c->acc_hash[i] = key_hash(before->items[i].key, NULL, NULL);
    }
    c->n_acc = n;
    if (yb__med_type_is_inpatient(c->v->med_type)) {
        int64_t prior = acc_get(c, "admissions", NULL, NULL);
        c->ordinal = c->v->adm_ordinal > 0 ? c->v->adm_ordinal : (int)prior + 1;
        if (c->ordinal > prior)
            rc = acc_add(c, "admissions", NULL, NULL, c->ordinal - prior);
    }
    struct yb_step *st = step(c, "visit", "就诊信息", NULL, NULL);
    yb__step_in(st, "age", "年龄", c->age, YB_UNIT_COUNT);
    yb__step_in(st, "ordinal", "本年住院次序", c->ordinal, YB_UNIT_COUNT);
    int n_places = 0;
    const struct yb_dict_entry *places =
        yb_dict_entries(YB_DICT_PLACE, &n_places);
    step_note(st, c->place < n_places ? places[c->place].name : NULL);
    step_result(st, 0, YB_UNIT_NONE);
    return rc;
}

/* ---- classification totals --------------------------------------------- */

/* Issue the catalogue's memory loads for all lines before classifying any,
 * so their cache misses overlap instead of queueing one after another. */
static void prefetch_lines(const struct yb_catalogue *cat,
                           const struct yb_fee_line *lines, size_t n,
                           size_t *home)
{
    for (size_t i = 0; i < n; i++)
        home[i] = yb__catalogue_prefetch(cat, lines[i].med_list_codg);
}

static int classify_all(struct ctx *c, const struct yb_catalogue *cat,
                        const struct yb_fee_line *lines, size_t n)
{
    struct yb_settlement *out = c->out;
    struct yb_setlinfo *s = &out->info;
    out->lines = yb_arena_alloc(c->arena, sizeof *out->lines * (n ? n : 1));
    size_t *home = yb_arena_alloc(c->arena, sizeof *home * (n ? n : 1));
    if (!out->lines || !home)
        return yb_err_set(c->e, YB_ENOMEM, "feedetail",
                          "内存不足 (out of memory)");
    out->n_lines = n;
    prefetch_lines(cat, lines, n, home);
    for (size_t i = 0; i < n; i++) {
        struct yb_line_result *r = &out->lines[i];
        int rc = yb__classify_line(c->p, cat, c->psn, c->v, c->age, i, home[i],
                                   &lines[i], r, c->e);
        if (rc != YB_OK)
            return rc;
        if (yb_money_add(s->medfee_sumamt, lines[i].amount,
                         &s->medfee_sumamt) != YB_OK ||
            s->medfee_sumamt > YB_MONEY_MAX)
            return yb_err_set(
                c->e, YB_EOVERFLOW, "feedetail",
                "明细合计超出范围 (total of the lines is out of range)");
        s->fulamt_ownpay_amt += r->fulamt_ownpay_amt;
        s->overlmt_selfpay += r->overlmt_amt;
        s->preselfpay_amt += r->preselfpay_amt;
        s->inscp_scp_amt += r->inscp_scp_amt;
    }
    struct yb_step *st = step(c, "classify", "费用分类", NULL, NULL);
    yb__step_in(st, "medfee_sumamt", "医疗费用总额", s->medfee_sumamt,
                YB_UNIT_FEN);
    yb__step_in(st, "fulamt_ownpay_amt", "全自费", s->fulamt_ownpay_amt,
                YB_UNIT_FEN);
    yb__step_in(st, "overlmt_selfpay", "超限价自费", s->overlmt_selfpay,
                YB_UNIT_FEN);
    yb__step_in(st, "preselfpay_amt", "乙类先行自付", s->preselfpay_amt,
                YB_UNIT_FEN);
    step_result(st, s->inscp_scp_amt, YB_UNIT_FEN);
    step_note(st, "政策范围内费用");
    return YB_OK;
}

static void finish(struct ctx *c)
{
    struct yb_settlement *out = c->out;
    struct yb_setlinfo *s = &out->info;
    s->fund_pay_sumamt = s->hifp_pay + s->hifmi_pay + s->maf_pay + s->oth_pay;
    s->psn_part_amt = s->medfee_sumamt - s->fund_pay_sumamt - s->hosp_part_amt;
    s->psn_cash_pay = s->psn_part_amt - s->acct_pay;
    out->after.year = yb_date_year(c->v->end);
    out->after.items = c->acc;
    out->after.n = c->n_acc;
    out->adm_ordinal = c->ordinal;
    out->place = c->place;
    out->age = c->age;
    out->steps = c->steps.v;
    out->n_steps = c->steps.n;
}

int yb_settle(const struct yb_policy *policy, const struct yb_catalogue *cat,
              const struct yb_person *person, const struct yb_visit *visit,
              const struct yb_fee_line *lines, size_t n_lines,
              const struct yb_accums *before, struct yb_arena *arena,
              struct yb_settlement *out, struct yb_err *e)
{
    struct ctx c = {.p = policy,
                    .psn = person,
                    .v = visit,
                    .arena = arena,
                    .e = e,
                    .out = out};
    memset(out, 0, sizeof *out);
    c.steps.arena = arena;
    int rc = init_ctx(&c, before);
    if (rc == YB_OK)
        rc = classify_all(&c, cat, lines, n_lines);
    if (rc == YB_OK)
        rc = run_layers(&c);
    if (rc == YB_OK)
        rc = group_funds(&c);
    if (rc == YB_OK)
        basic_ratio(&c);
    if (rc == YB_OK && c.steps.oom)
        rc = yb_err_set(e, YB_ENOMEM, "trace", "内存不足 (out of memory)");
    if (rc == YB_OK)
        finish(&c);
    return rc;
}

int64_t yb_accums_get(const struct yb_accums *a, const char *key)
{
    for (int i = 0; a && i < a->n; i++)
        if (strcmp(a->items[i].key, key) == 0)
            return a->items[i].value;
    return 0;
}
