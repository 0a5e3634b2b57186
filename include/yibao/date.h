/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calendar dates (proleptic Gregorian) as day numbers: days since
 * 1970-01-01, so comparison and differences are integer operations. Only
 * years 1900..2199 are accepted from text; that covers every birth date and
 * coverage year the system sees and keeps arithmetic far from overflow.
 */
#ifndef YIBAO_DATE_H
#define YIBAO_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

typedef int32_t yb_date; /* days since 1970-01-01 */

#define YB_DATE_MIN_YEAR 1900
#define YB_DATE_MAX_YEAR 2199

bool yb_date_is_leap(int year);
int yb_date_days_in_month(int year, int month);
/* true when y-m-d is a real calendar date within the accepted years. */
bool yb_date_valid(int y, int m, int d);
/* Day number of a valid date (no checking). */
yb_date yb_date_from_ymd(int y, int m, int d);
void yb_date_to_ymd(yb_date dt, int *y, int *m, int *d);
int yb_date_year(yb_date dt);

/* Parse "yyyy-MM-dd" exactly (10 chars, zero-padded, real date). */
int yb_date_parse(const char *s, yb_date *out, const char *field,
                  struct yb_err *e);
/* Parse "yyyy-MM-dd HH:mm:ss" exactly; *date gets the day, *secs (if not
 * NULL) the seconds since midnight. Also accepts a bare "yyyy-MM-dd" (secs
 * 0) when allow_date_only is set. */
int yb_datetime_parse(const char *s, bool allow_date_only, yb_date *date,
                      int32_t *secs, const char *field, struct yb_err *e);
/* Format "yyyy-MM-dd" into buf (at least 11 bytes). Returns buf. */
char *yb_date_format(yb_date dt, char *buf);

/* Add n months keeping the day, clamped to the month's end (Jan 31 + 1
 * month = Feb 28/29). */
yb_date yb_date_add_months(yb_date dt, int n);
/* Add n years keeping the day; Feb 29 becomes Feb 28 in common years. */
yb_date yb_date_add_years(yb_date dt, int n);
/* Age in full years on `on` for someone born on `birth` (0 before the
 * first birthday; a Feb 29 birthday turns over on Mar 1 in common years).
 * Negative if `on` precedes `birth`. */
int yb_date_age(yb_date birth, yb_date on);
/* Full months from a to b (b >= a): the largest n with add_months(a,n) <=
 * b. Negative results mirror it when b < a. */
int yb_date_months_between(yb_date a, yb_date b);

#endif
