/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Money, rates and scaled decimals: the edge where yuan strings, percentages
 * and quantities become exact integers and back. Every parser here shares one
 * strict scanner (optional '-', digits, optionally '.' and digits) and then
 * applies its own limits on decimals and magnitude, so "1e3", "+1", " 1",
 * "1." and ".5" are refused everywhere alike. Arithmetic is checked with the
 * compiler's overflow builtins and the only rounding is half up, away from
 * zero (docs/architecture.md, principle 3). There is deliberately no
 * floating point in this file.
 */
#include "yibao/money.h"
#include "yibao/text.h"

#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* How much of a bad input a message quotes. */
#define SHOW_MAX 40

/* Rates above 10^8 (1,000,000%) are refused even with allow_over. */
#define RATE_LIMIT 100000000
/* Decimals: magnitude limit in whole units (money.h). */
#define DECIMAL_UNIT_LIMIT INT64_C(1000000000000)
#define DECIMAL_MAX_SCALE 6

int yb_money_add(yb_fen a, yb_fen b, yb_fen *out)
{
    yb_fen r;

    if (__builtin_add_overflow(a, b, &r))
        return YB_EOVERFLOW;
    *out = r;
    return YB_OK;
}

int yb_money_sub(yb_fen a, yb_fen b, yb_fen *out)
{
    yb_fen r;

    if (__builtin_sub_overflow(a, b, &r))
        return YB_EOVERFLOW;
    *out = r;
    return YB_OK;
}

int yb_money_mul(yb_fen a, int64_t k, yb_fen *out)
{
    yb_fen r;

    if (__builtin_mul_overflow(a, k, &r))
        return YB_EOVERFLOW;
    *out = r;
    return YB_OK;
}

int64_t yb_div_half_up(int64_t num, int64_t den)
{
    int64_t q, r, mag;

    assert(den > 0);
    q = num / den;
    r = num % den; /* same sign as num; |r| < den so -r cannot overflow */
    mag = r < 0 ? -r : r;
    /* mag >= den - mag is 2*mag >= den without the overflow of 2*mag.
     * |q| <= INT64_MAX / 2 whenever r != 0, so q +/- 1 cannot overflow. */
    if (r != 0 && mag >= den - mag)
        q += num < 0 ? -1 : 1;
    return q;
}

int yb_money_apply_rate(yb_fen amount, yb_rate rate, yb_fen *out)
{
    int64_t product;

    if (__builtin_mul_overflow(amount, (int64_t)rate, &product))
        return YB_EOVERFLOW;
    /* Rounding: half up to the fen, away from zero (money.h). */
    *out = yb_div_half_up(product, YB_RATE_ONE);
    return YB_OK;
}

/* ---- the shared scanner ---- */

struct scan {
    bool neg;
    uint64_t whole;   /* integer part, capped at WHOLE_CAP */
    bool whole_big;   /* the integer part exceeded WHOLE_CAP */
    int ndec;         /* number of decimals written */
    uint64_t dec;     /* the first MAX_KEPT decimals as an integer */
    const char *rest; /* first character after the number */
};

#define WHOLE_CAP UINT64_C(100000000000000000) /* 10^17 */
#define MAX_KEPT 8

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Scan "-?[0-9]+(\.[0-9]+)?" at the start of s. Returns false when s does
 * not start with one; what follows it is left to the caller. */
static bool scan_number(const char *s, struct scan *sc)
{
    const char *p = s;

    memset(sc, 0, sizeof *sc);
    if (*p == '-') {
        sc->neg = true;
        p++;
    }
    if (!is_digit(*p))
        return false;
    for (; is_digit(*p); p++) {
        if (sc->whole > WHOLE_CAP)
            sc->whole_big = true;
        else
            sc->whole = sc->whole * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return false;
        for (; is_digit(*p); p++) {
            if (sc->ndec < MAX_KEPT)
                sc->dec = sc->dec * 10 + (uint64_t)(*p - '0');
            if (sc->ndec < 1000)
                sc->ndec++;
        }
    }
    if (sc->whole > WHOLE_CAP)
        sc->whole_big = true;
    sc->rest = p;
    return true;
}

static uint64_t pow10u(int n)
{
    uint64_t r = 1;

    while (n-- > 0)
        r *= 10;
    return r;
}

/* The decimals of sc as a count of 10^-scale units (sc->ndec <= scale). */
static uint64_t scaled_decimals(const struct scan *sc, int scale)
{
    return sc->dec * pow10u(scale - sc->ndec);
}

/* Report a bad input: a Chinese sentence, pre + the value quoted (at
 * most SHOW_MAX bytes of it) + post, then the English gist in brackets.
 * The field is e->field's, never repeated in the message. */
static int bad(struct yb_err *e, int code, const char *field, const char *s,
               const char *pre, const char *post, const char *en)
{
    char shown[SHOW_MAX + 24];

    yb_text_quote(shown, sizeof shown, s, strlen(s), SHOW_MAX);
    /* Chinese first: every caller's pre starts with Chinese */
    return yb_err_set(e, code, field, "%s%s%s (%s)", pre, shown, post, en);
}

/* ---- money ---- */

int yb_money_parse(const char *s, yb_fen *out, const char *field,
                   struct yb_err *e)
{
    struct scan sc;
    uint64_t mag;
    char limit[32], what[48];

    if (s == NULL)
        return yb_err_set(e, YB_EINVAL, field, "缺少金额 (amount is missing)");
    if (s[0] == '\0')
        return yb_err_set(e, YB_EINVAL, field, "金额为空 (amount is empty)");
    if (!scan_number(s, &sc) || *sc.rest != '\0')
        return bad(e, YB_EINVAL, field, s,
                   "应为金额（元，最多两位小数），实际为 ", "",
                   "not an amount");
    if (sc.ndec > 2)
        return bad(e, YB_EINVAL, field, s, "金额 ", " 超过两位小数",
                   "more than two decimals");
    if (sc.whole_big || sc.whole > (uint64_t)YB_MONEY_MAX / 100)
        goto too_big;
    mag = sc.whole * 100 + scaled_decimals(&sc, 2);
    if (mag > (uint64_t)YB_MONEY_MAX)
        goto too_big;
    *out = sc.neg ? -(yb_fen)mag : (yb_fen)mag;
    return YB_OK;
too_big:
    (void)snprintf(what, sizeof what, " 超过上限 %s",
                   yb_money_format(YB_MONEY_MAX, limit));
    return bad(e, YB_EOVERFLOW, field, s, "金额 ", what, "amount too large");
}

/* "-" when neg, the digits of whole, then (scale > 0) "." and frac in
 * exactly scale digits, then the suffix; written at buf, which it
 * returns. At most 1 + 20 + 1 + scale characters and the suffix's. No
 * printf: the server formats some two hundred amounts a settlement (the
 * answer, the trace, the stored texts), and printf's parsing of its format
 * costs ten times the digits. */
static char *put_fixed(char *buf, bool neg, uint64_t whole, uint64_t frac,
                       int scale, const char *suffix)
{
    char digits[20];
    size_t n = 0;
    char *p = buf;

    if (neg)
        *p++ = '-';
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    while (n > 0)
        *p++ = digits[--n];
    if (scale > 0) {
        *p++ = '.';
        for (int i = scale - 1; i >= 0; i--) {
            p[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += scale;
    }
    while (*suffix != '\0')
        *p++ = *suffix++;
    *p = '\0';
    return buf;
}

char *yb_money_format(yb_fen v, char *buf)
{
    /* Through uint64_t so INT64_MIN has a magnitude. */
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    return put_fixed(buf, v < 0, mag / 100, mag % 100, 2, "");
}

/* ---- rates ---- */

int yb_rate_parse(const char *s, yb_rate *out, bool allow_negative,
                  bool allow_over, const char *field, struct yb_err *e)
{
    struct scan sc;
    bool percent;
    uint64_t mag;
    int64_t r;
    char shown[16];

    if (s == NULL)
        return yb_err_set(e, YB_EINVAL, field, "缺少比例 (rate is missing)");
    if (!scan_number(s, &sc))
        return bad(e, YB_EINVAL, field, s,
                   "应为比例（如 0.25 或 25%），实际为 ", "", "not a rate");
    percent = *sc.rest == '%';
    if (sc.rest[percent ? 1 : 0] != '\0')
        return bad(e, YB_EINVAL, field, s,
                   "应为比例（如 0.25 或 25%），实际为 ", "", "not a rate");
    if (percent && sc.ndec > 2)
        return bad(e, YB_EINVAL, field, s, "百分比 ", " 超过两位小数",
                   "more than two decimals");
    if (!percent && sc.ndec > 4)
        return bad(e, YB_EINVAL, field, s, "比例 ", " 超过四位小数",
                   "more than four decimals");
    if (sc.whole_big || sc.whole > RATE_LIMIT)
        return bad(e, YB_EINVAL, field, s, "比例 ", " 超出范围",
                   "out of range");
    if (percent)
        mag = sc.whole * 100 + scaled_decimals(&sc, 2);
    else
        mag = sc.whole * YB_RATE_ONE + scaled_decimals(&sc, 4);
    if (mag > RATE_LIMIT)
        return bad(e, YB_EINVAL, field, s, "比例 ", " 超出范围",
                   "out of range");
    r = sc.neg ? -(int64_t)mag : (int64_t)mag;
    if (r < 0 && !allow_negative)
        return bad(e, YB_EINVAL, field, s, "比例 ", " 不能为负数", "negative");
    if (!allow_over && (r > YB_RATE_ONE || r < -YB_RATE_ONE)) {
        (void)yb_rate_format((yb_rate)r, shown);
        return yb_err_set(e, YB_EINVAL, field, "比例 %s %s (%s)", shown,
                          r > 0 ? "超过 100%" : "低于 -100%",
                          r > 0 ? "above 100%" : "below -100%");
    }
    *out = (yb_rate)r;
    return YB_OK;
}

char *yb_rate_format(yb_rate r, char *buf)
{
    int64_t v = r;
    uint64_t mag = (uint64_t)(v < 0 ? -v : v);
    uint64_t whole = mag / 100, cents = mag % 100;

    if (cents == 0)
        return put_fixed(buf, v < 0, whole, 0, 0, "%");
    if (cents % 10 == 0)
        return put_fixed(buf, v < 0, whole, cents / 10, 1, "%");
    return put_fixed(buf, v < 0, whole, cents, 2, "%");
}

/* ---- scaled decimals ---- */

int yb_decimal_parse(const char *s, int scale, bool allow_negative,
                     int64_t *out, const char *field, struct yb_err *e)
{
    struct scan sc;
    uint64_t mag;
    char what[40];

    if (scale < 0 || scale > DECIMAL_MAX_SCALE)
        return yb_err_set(e, YB_EINVAL, field,
                          "小数位数 %d 不在 0 到 %d 之间 (scale out of range)",
                          scale, DECIMAL_MAX_SCALE);
    if (s == NULL)
        return yb_err_set(e, YB_EINVAL, field, "缺少数值 (value is missing)");
    if (!scan_number(s, &sc) || *sc.rest != '\0')
        return bad(e, YB_EINVAL, field, s, "应为数字，实际为 ", "",
                   "not a number");
    if (sc.ndec > scale) {
        (void)snprintf(what, sizeof what, " 超过 %d 位小数", scale);
        return bad(e, YB_EINVAL, field, s, "数值 ", what, "too many decimals");
    }
    if (sc.whole_big || sc.whole > (uint64_t)DECIMAL_UNIT_LIMIT)
        goto too_big;
    mag = sc.whole * pow10u(scale) + scaled_decimals(&sc, scale);
    if (mag > (uint64_t)DECIMAL_UNIT_LIMIT * pow10u(scale))
        goto too_big;
    if (sc.neg && mag != 0 && !allow_negative)
        return bad(e, YB_EINVAL, field, s, "数值 ", " 不能为负数", "negative");
    *out = sc.neg ? -(int64_t)mag : (int64_t)mag;
    return YB_OK;
too_big:
    (void)snprintf(what, sizeof what, " 超过上限 %" PRId64, DECIMAL_UNIT_LIMIT);
    return bad(e, YB_EINVAL, field, s, "数值 ", what, "too large");
}

char *yb_decimal_format(int64_t v, int scale, char *buf)
{
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    uint64_t unit;

    assert(scale >= 0 && scale <= DECIMAL_MAX_SCALE);
    if (scale <= 0)
        return put_fixed(buf, v < 0, mag, 0, 0, "");
    unit = pow10u(scale);
    return put_fixed(buf, v < 0, mag / unit, mag % unit, scale, "");
}
