/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calendar dates as day numbers since 1970-01-01 (proleptic Gregorian), and
 * the calendar rules the benefits need: month arithmetic that clamps to the
 * month's end, ages in full years with the Feb-29 rule, and whole months
 * between two dates. The day number of a date is counted directly: 365 per
 * year since 1970, plus the leap days in between, plus the days of the
 * months before; the inverse is a closed form over 400-year cycles. Parsing is
 * strict because dates arrive from hospital systems and a lenient parser
 * would turn their mistakes into wrong ages and waiting periods.
 */
#include "yibao/date.h"
#include "yibao/text.h"

#include <stdio.h>
#include <string.h>

#define SHOW_MAX 40

/* Days before the first of each month in a common year. */
static const int16_t days_before_month[12] = {0,   31,  59,  90,  120, 151,
                                              181, 212, 243, 273, 304, 334};

/* a / b rounded towards minus infinity (b > 0). */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Leap years among the years before y (counted from the proleptic year 0
 * with floor division, so differences are right for any y). */
static int64_t leaps_before(int64_t y)
{
    return floor_div(y - 1, 4) - floor_div(y - 1, 100) + floor_div(y - 1, 400);
}

bool yb_date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int yb_date_days_in_month(int year, int month)
{
    static const int8_t dim[12] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && yb_date_is_leap(year))
        return 29;
    return dim[month - 1];
}

bool yb_date_valid(int y, int m, int d)
{
    return y >= YB_DATE_MIN_YEAR && y <= YB_DATE_MAX_YEAR && m >= 1 &&
           m <= 12 && d >= 1 && d <= yb_date_days_in_month(y, m);
}

static int64_t day_number(int64_t y, int m, int d)
{
    int64_t days = 365 * (y - 1970) + leaps_before(y) - leaps_before(1970);

    days += days_before_month[m - 1] + d - 1;
    if (m > 2 && yb_date_is_leap((int)y))
        days++;
    return days;
}

yb_date yb_date_from_ymd(int y, int m, int d)
{
    return (yb_date)day_number(y, m, d);
}

void yb_date_to_ymd(yb_date dt, int *y, int *m, int *d)
{
    /* Closed form (no loops: settlements call this on their hot path).
     * Count days from 0000-03-01, so that the leap day is the last day of
     * each 4-, 100- and 400-year cycle; 719468 is that day's distance to
     * 1970-01-01 and 146097 the days of 400 years. */
    int64_t z = (int64_t)dt + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097; /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* from Mar 1 */
    int64_t mp = (5 * doy + 2) / 153;                      /* Mar = 0 */
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = month;
    *y = (int)(yoe + era * 400 + (month <= 2));
}

int yb_date_year(yb_date dt)
{
    int y, m, d;

    yb_date_to_ymd(dt, &y, &m, &d);
    return y;
}

/* ---- text ---- */

/* What is wrong with a date or time: Chinese before and after the quoted
 * value, and the English gist. */
struct fault {
    const char *pre, *post, *en;
};

static const struct fault NOT_DATE = {"应为 yyyy-MM-dd，实际为 ", "",
                                      "not a date"},
                          NOT_TIME = {"应为 yyyy-MM-dd HH:mm:ss，实际为 ", "",
                                      "not a datetime"},
                          BAD_YEAR = {"日期 ", " 不在 1900–2199 年之间",
                                      "outside the years 1900-2199"},
                          BAD_DAY = {"日期 ", " 不存在", "not a real date"},
                          BAD_HOUR = {"时间 ", " 不存在",
                                      "not a real time of day"};

/* The value quoted (at most SHOW_MAX bytes); the field is e->field's,
 * never repeated in the message. */
static int bad(struct yb_err *e, const char *field, const char *s,
               const struct fault *f)
{
    char shown[SHOW_MAX + 24];

    yb_text_quote(shown, sizeof shown, s, strlen(s), SHOW_MAX);
    /* Chinese first: every fault's pre starts with Chinese */
    return yb_err_set(e, YB_EINVAL, field, "%s%s%s (%s)", f->pre, shown,
                      f->post, f->en);
}

/* The number in s[0..n-1] if all are digits, else -1. */
static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parse the "yyyy-MM-dd" at the start of s (the caller checks what
 * follows). */
static int parse_day(const char *s, yb_date *out, const char *field,
                     const struct fault *form, struct yb_err *e)
{
    int y, m, d;

    y = digits(s, 4);
    m = s[4] == '-' ? digits(s + 5, 2) : -1;
    d = s[7] == '-' ? digits(s + 8, 2) : -1;
    if (y < 0 || m < 0 || d < 0)
        return bad(e, field, s, form);
    if (y < YB_DATE_MIN_YEAR || y > YB_DATE_MAX_YEAR)
        return bad(e, field, s, &BAD_YEAR);
    if (!yb_date_valid(y, m, d))
        return bad(e, field, s, &BAD_DAY);
    *out = yb_date_from_ymd(y, m, d);
    return YB_OK;
}

int yb_date_parse(const char *s, yb_date *out, const char *field,
                  struct yb_err *e)
{
    if (s == NULL)
        return yb_err_set(e, YB_EINVAL, field, "缺少日期 (date is missing)");
    if (strlen(s) != 10)
        return bad(e, field, s, &NOT_DATE);
    return parse_day(s, out, field, &NOT_DATE, e);
}

int yb_datetime_parse(const char *s, bool allow_date_only, yb_date *date,
                      int32_t *secs, const char *field, struct yb_err *e)
{
    const struct fault *form = &NOT_TIME;
    size_t len;
    int h, mi, sec, rc;
    yb_date day;

    if (s == NULL)
        return yb_err_set(e, YB_EINVAL, field, "缺少时间 (time is missing)");
    len = strlen(s);
    if (len == 10 && allow_date_only) {
        rc = parse_day(s, &day, field, form, e);
        if (rc != YB_OK)
            return rc;
        h = mi = sec = 0;
        goto out;
    }
    if (len != 19 || s[10] != ' ')
        return bad(e, field, s, form);
    rc = parse_day(s, &day, field, form, e);
    if (rc != YB_OK)
        return rc;
    h = digits(s + 11, 2);
    mi = s[13] == ':' ? digits(s + 14, 2) : -1;
    sec = s[16] == ':' ? digits(s + 17, 2) : -1;
    if (h < 0 || mi < 0 || sec < 0)
        return bad(e, field, s, form);
    if (h > 23 || mi > 59 || sec > 59)
        return bad(e, field, s, &BAD_HOUR);
out:
    *date = day;
    if (secs != NULL)
        *secs = (int32_t)(h * 3600 + mi * 60 + sec);
    return YB_OK;
}

char *yb_date_format(yb_date dt, char *buf)
{
    int y, m, d;

    yb_date_to_ymd(dt, &y, &m, &d);
    /* Years outside 0..9999 never come from text; clamp so the output
     * keeps its shape instead of being truncated. */
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
    return buf;
}

/* ---- arithmetic ---- */

static yb_date add_months64(yb_date dt, int64_t n)
{
    int y, m, d, dim;
    int64_t index;

    yb_date_to_ymd(dt, &y, &m, &d);
    index = (int64_t)y * 12 + (m - 1) + n; /* months since year 0 */
    y = (int)floor_div(index, 12);
    m = (int)(index - (int64_t)y * 12) + 1;
    dim = yb_date_days_in_month(y, m);
    if (d > dim)
        d = dim;
    return (yb_date)day_number(y, m, d);
}

yb_date yb_date_add_months(yb_date dt, int n)
{
    return add_months64(dt, n);
}

yb_date yb_date_add_years(yb_date dt, int n)
{
    /* Twelve months with the same clamping: Feb 29 + 1 year = Feb 28. */
    return add_months64(dt, (int64_t)n * 12);
}

int yb_date_age(yb_date birth, yb_date on)
{
    int by, bm, bd, oy, om, od, age;

    yb_date_to_ymd(birth, &by, &bm, &bd);
    yb_date_to_ymd(on, &oy, &om, &od);
    age = oy - by;
    /* Before this year's birthday. A Feb 29 birthday compares as (2, 29),
     * which Feb 28 of a common year precedes and Mar 1 does not: it turns
     * over on Mar 1. */
    if (om < bm || (om == bm && od < bd))
        age--;
    return age;
}

int yb_date_months_between(yb_date a, yb_date b)
{
    int ay, am, ad, by, bm, bd, n;

    if (b < a)
        return -yb_date_months_between(b, a);
    yb_date_to_ymd(a, &ay, &am, &ad);
    yb_date_to_ymd(b, &by, &bm, &bd);
    /* add_months(a, n) lands in b's month; n - 1 lands in the month before
     * and n + 1 in the month after, so n or n - 1 is the answer. */
    n = (by - ay) * 12 + (bm - am);
    if (yb_date_add_months(a, n) > b)
        n--;
    return n;
}
