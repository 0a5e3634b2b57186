/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Money and rates. Money is int64_t fen (1/100 yuan) everywhere inside
 * yibao; yuan strings with two decimals exist only at the edges. Rates are
 * integers in 1/10,000 (basis points: 7000 = 70%). Arithmetic is checked:
 * overflow is an error, never a wrap. The one rounding rule is half up to
 * the fen (away from zero for negative amounts), applied where a function
 * says so. docs/architecture.md, principle 3.
 */
#ifndef YIBAO_MONEY_H
#define YIBAO_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

typedef int64_t yb_fen;  /* money in fen */
typedef int32_t yb_rate; /* rate in 1/10,000 */

#define YB_RATE_ONE 10000
/* Largest amount yibao accepts anywhere: 10^13 fen = 100 billion yuan. */
#define YB_MONEY_MAX INT64_C(10000000000000)

/* Checked arithmetic: *out = a op b; YB_EOVERFLOW if the result does not fit
 * in int64_t (out is then unchanged). */
int yb_money_add(yb_fen a, yb_fen b, yb_fen *out);
int yb_money_sub(yb_fen a, yb_fen b, yb_fen *out);
int yb_money_mul(yb_fen a, int64_t k, yb_fen *out);

/* amount x rate, rounded half up to the fen (half away from zero for a
 * negative amount). YB_EOVERFLOW if amount * rate overflows. */
int yb_money_apply_rate(yb_fen amount, yb_rate rate, yb_fen *out);

/* Divide num by den (> 0) rounding half up (away from zero). */
int64_t yb_div_half_up(int64_t num, int64_t den);

/* Parse a yuan string: optional '-', at least one digit, optionally '.'
 * followed by one or two digits ("1234", "1234.5", "1234.56", "-3.10").
 * Rejects empty strings, three or more decimals, exponents, '+', spaces and
 * any other character, and amounts whose magnitude exceeds YB_MONEY_MAX.
 * field names the input in the error ("feedetail[2].pric"). */
int yb_money_parse(const char *s, yb_fen *out, const char *field,
                   struct yb_err *e);

/* Format as yuan with exactly two decimals ("1234.50", "-0.05") into buf
 * (at least 32 bytes). Returns buf. */
char *yb_money_format(yb_fen v, char *buf);

/* Parse a rate: a percentage with up to two decimals and a '%' sign
 * ("70%", "72.5%", "0.25%") or a fraction of one with up to four decimals
 * ("0.7", "0.725", "1"). Range 0 to 100% unless allow_over is set; negative
 * values are accepted only when allow_negative is set (rate adjustments). */
int yb_rate_parse(const char *s, yb_rate *out, bool allow_negative,
                  bool allow_over, const char *field, struct yb_err *e);

/* Format a rate as a percentage ("70%", "72.5%", "0.25%") into buf (at least
 * 16 bytes). Returns buf. */
char *yb_rate_format(yb_rate r, char *buf);

/* Parse a non-negative decimal with at most `scale` decimals into an
 * integer scaled by 10^scale ("1.5", scale 4 -> 15000). Used for quantities
 * (scale 4) and unit prices (scale 6); scale must be 0..6. Magnitude limit:
 * 10^12 units before scaling, so the scaled value fits int64_t at scale 6
 * (10^15 would overflow from scale 4 up). A negative value needs
 * allow_negative ("-0" reads as 0). */
int yb_decimal_parse(const char *s, int scale, bool allow_negative,
                     int64_t *out, const char *field, struct yb_err *e);
/* Format an integer scaled by 10^scale (scale 0..6) with all `scale`
 * decimals into buf (at least 32 bytes). Returns buf. */
char *yb_decimal_format(int64_t v, int scale, char *buf);

#endif
