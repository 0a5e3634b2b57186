/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generator's CSV writer: one buffer per file, flushed in large
 * writes, and formatters for the field types of docs/import-formats.md
 * (codes, integers, yuan with two decimals, scaled decimals, dates and
 * times) that build digits by hand, because a million persons mean tens of
 * millions of fields and printf would dominate the run. Rows follow RFC
 * 4180: comma-separated, CRLF line ends, a field quoted only when it holds
 * a comma, a quote or a line break.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"

int yb__csv_open(struct yb__csv *w, const char *dir, const char *name,
                 const char *header, struct yb_err *e)
{
    int n;

    memset(w, 0, sizeof *w);
    n = snprintf(w->path, sizeof w->path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof w->path)
        return yb_err_set(e, YB_EINVAL, "out_dir",
                          "路径 \"%s/%s\" 过长 (path too long)", dir, name);
    w->buf = malloc(YB__CSV_BUF);
    if (w->buf == NULL)
        return yb_err_set(e, YB_ENOMEM, w->path, "内存不足 (out of memory)");
    w->f = fopen(w->path, "wb");
    if (w->f == NULL) {
        int err = errno;

        free(w->buf);
        w->buf = NULL;
        return yb_err_set(e, YB_EIO, w->path, "无法创建：%s (cannot create)",
                          strerror(err));
    }
    yb__csv_put(w, header, strlen(header));
    yb__csv_put(w, "\r\n", 2);
    return YB_OK;
}

void yb__csv_flush(struct yb__csv *w)
{
    if (w->len > 0 && w->err == 0 && fwrite(w->buf, 1, w->len, w->f) != w->len)
        w->err = errno != 0 ? errno : EIO;
    w->bytes += (int64_t)w->len;
    w->len = 0;
}

int yb__csv_close(struct yb__csv *w, struct yb_err *e)
{
    int rc = YB_OK;

    if (w->f == NULL)
        goto out;
    yb__csv_flush(w);
    if (fclose(w->f) != 0 && w->err == 0)
        w->err = errno != 0 ? errno : EIO;
    w->f = NULL;
    if (w->err != 0)
        rc = yb_err_set(e, YB_EIO, w->path, "无法写入：%s (cannot write)",
                        strerror(w->err));
out:
    free(w->buf);
    w->buf = NULL;
    return rc;
}

void yb__csv_str(struct yb__csv *w, const char *s)
{
    yb__csv_put(w, s, strlen(s));
}

void yb__csv_text(struct yb__csv *w, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        yb__csv_str(w, s);
        return;
    }
    yb__csv_ch(w, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"')
            yb__csv_ch(w, '"');
        yb__csv_ch(w, *s);
    }
    yb__csv_ch(w, '"');
}

/* Digits of v >= 0 into the end of tmp; returns the first. */
static char *digits(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return end;
}

void yb__csv_int(struct yb__csv *w, int64_t v)
{
    char tmp[24], *p;

    if (v < 0) {
        yb__csv_ch(w, '-');
        p = digits((uint64_t)0 - (uint64_t)v, tmp + sizeof tmp);
    } else {
        p = digits((uint64_t)v, tmp + sizeof tmp);
    }
    yb__csv_put(w, p, (size_t)(tmp + sizeof tmp - p));
}

void yb__csv_zint(struct yb__csv *w, int64_t v, int width)
{
    char tmp[24], *end = tmp + sizeof tmp, *p = digits((uint64_t)v, end);

    while (end - p < width)
        *--p = '0';
    yb__csv_put(w, p, (size_t)(end - p));
}

void yb__csv_fen(struct yb__csv *w, yb_fen v)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[32], *end = tmp + sizeof tmp, *p;

    *--end = (char)('0' + a % 10);
    *--end = (char)('0' + a / 10 % 10);
    *--end = '.';
    p = digits(a / 100, end);
    if (v < 0)
        *--p = '-';
    yb__csv_put(w, p, (size_t)(tmp + sizeof tmp - p));
}

void yb__csv_dec(struct yb__csv *w, int64_t v, int scale)
{
    char tmp[40], *end = tmp + sizeof tmp, *p;
    uint64_t u = (uint64_t)v, pow = 1;
    int keep = scale;

    for (int i = 0; i < scale; i++)
        pow *= 10;
    /* drop trailing zero decimals */
    while (keep > 0 && u % pow % 10 == 0 && u % pow != 0) {
        keep--;
        u /= 10;
        pow /= 10;
    }
    if (u % pow == 0) {
        p = digits(u / pow, end);
        yb__csv_put(w, p, (size_t)(end - p));
        return;
    }
    for (int i = 0; i < keep; i++) {
        *--end = (char)('0' + u % 10);
        u /= 10;
    }
    *--end = '.';
    p = digits(u, end);
    yb__csv_put(w, p, (size_t)(tmp + sizeof tmp - p));
}

void yb__csv_date(struct yb__csv *w, yb_date d)
{
    char tmp[10];
    int y, m, dd;

    yb_date_to_ymd(d, &y, &m, &dd);
    tmp[0] = (char)('0' + y / 1000);
    tmp[1] = (char)('0' + y / 100 % 10);
    tmp[2] = (char)('0' + y / 10 % 10);
    tmp[3] = (char)('0' + y % 10);
    tmp[4] = '-';
    tmp[5] = (char)('0' + m / 10);
    tmp[6] = (char)('0' + m % 10);
    tmp[7] = '-';
    tmp[8] = (char)('0' + dd / 10);
    tmp[9] = (char)('0' + dd % 10);
    yb__csv_put(w, tmp, sizeof tmp);
}

void yb__csv_time(struct yb__csv *w, yb_date d, int32_t secs)
{
    char tmp[9];
    int h = secs / 3600, mi = secs / 60 % 60, s = secs % 60;

    yb__csv_date(w, d);
    tmp[0] = ' ';
    tmp[1] = (char)('0' + h / 10);
    tmp[2] = (char)('0' + h % 10);
    tmp[3] = ':';
    tmp[4] = (char)('0' + mi / 10);
    tmp[5] = (char)('0' + mi % 10);
    tmp[6] = ':';
    tmp[7] = (char)('0' + s / 10);
    tmp[8] = (char)('0' + s % 10);
    yb__csv_put(w, tmp, sizeof tmp);
}
