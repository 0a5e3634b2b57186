/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV reading over libcsv, fed one physical line at a time so that every
 * record knows the line it started on, and CSV writing with RFC 4180
 * quoting. Fields of the record being read are packed into one growing
 * buffer; a record is handed to the caller as an array of pointers into it.
 */
#include "yibao/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 256
#define MAX_FIELD (64 * 1024)

struct reader {
    const char *name;
    yb_csv_row_fn fn;
    void *ud;
    struct yb_err *e;
    long line;   /* physical line being fed */
    long start;  /* line the current record began on (0: none begun) */
    long record; /* records delivered so far */
    char *buf;   /* packed fields of the current record */
    size_t len, cap;
    size_t off[MAX_FIELDS];
    int n;
    int rc; /* first error, stops the reader */
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->rc != YB_OK)
        return;
    if (r->n >= MAX_FIELDS) {
        r->rc =
            yb_err_set(r->e, YB_EINVAL, r->name,
                       "line %ld: more than %d fields", r->start, MAX_FIELDS);
        return;
    }
    if (len > MAX_FIELD) {
        r->rc = yb_err_set(r->e, YB_EINVAL, r->name,
                           "line %ld: field %d is longer than %d bytes",
                           r->start, r->n + 1, MAX_FIELD);
        return;
    }
    if (r->len + len + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + len + 1)
            cap *= 2;
        char *nb = realloc(r->buf, cap);
        if (!nb) {
            r->rc = yb_err_set(r->e, YB_ENOMEM, r->name, "out of memory");
            return;
        }
        r->buf = nb;
        r->cap = cap;
    }
    r->off[r->n++] = r->len;
    if (len)
        memcpy(r->buf + r->len, s, len);
    r->len += len;
    r->buf[r->len++] = 0;
}

static void on_record(int c, void *data)
{
    (void)c;
    struct reader *r = data;
    if (r->rc != YB_OK)
        return;
    const char *f[MAX_FIELDS];
    for (int i = 0; i < r->n; i++)
        f[i] = r->buf + r->off[i];
    struct yb_csv_row row = {.line = r->start ? r->start : r->line,
                             .record = r->record,
                             .n = r->n,
                             .f = f};
    r->rc = r->fn(&row, r->ud, r->e);
    r->record++;
    r->n = 0;
    r->len = 0;
    r->start = 0;
}

static int feed(struct csv_parser *p, struct reader *r, const char *s, size_t n)
{
    /* A record begins on the first non-blank line fed while none is open
     * (libcsv skips blank lines). Taking the line when its first field
     * ends would name the last line of a quoted multi-line first field. */
    bool blank =
        (n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' && s[1] == '\n');
    if (r->start == 0 && !blank)
        r->start = r->line;
    if (csv_parse(p, s, n, on_field, on_record, r) != n && r->rc == YB_OK)
        r->rc = yb_err_set(r->e, YB_EPARSE, r->name, "line %ld: %s", r->line,
                           csv_strerror(csv_error(p)));
    return r->rc;
}

int yb_csv_read(FILE *in, const char *name, yb_csv_row_fn fn, void *ud,
                struct yb_err *e)
{
    struct csv_parser p;
    struct reader r = {.name = name, .fn = fn, .ud = ud, .e = e};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return yb_err_set(e, YB_ENOMEM, name, "out of memory");
    while (r.rc == YB_OK && (got = getline(&line, &cap, in)) > 0) {
        const char *s = line;
        size_t n = (size_t)got;
        r.line++;
        if (r.line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3; /* UTF-8 byte-order mark */
            n -= 3;
        }
        feed(&p, &r, s, n);
    }
    if (r.rc == YB_OK && ferror(in))
        r.rc = yb_err_set(e, YB_EIO, name, "read error at line %ld", r.line);
    if (r.rc == YB_OK && csv_fini(&p, on_field, on_record, &r) != 0 &&
        r.rc == YB_OK)
        r.rc = yb_err_set(e, YB_EPARSE, name,
                          "line %ld: unterminated quoted field", r.start);
    csv_free(&p);
    free(line);
    free(r.buf);
    return r.rc;
}

int yb_csv_read_file(const char *path, yb_csv_row_fn fn, void *ud,
                     struct yb_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return yb_err_set(e, YB_EIO, path, "cannot open: %s", strerror(errno));
    int rc = yb_csv_read(f, path, fn, ud, e);
    fclose(f);
    return rc;
}

int yb_csv_columns(const struct yb_csv_row *header, const char *const *names,
                   const char *const *required, int *idx, struct yb_err *e)
{
    for (int k = 0; names[k]; k++)
        idx[k] = -1;
    for (int i = 0; i < header->n; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(header->f[i], header->f[j]) == 0)
                return yb_err_set(e, YB_EINVAL, header->f[i],
                                  "line 1: column appears twice");
        for (int k = 0; names[k]; k++)
            if (strcmp(header->f[i], names[k]) == 0)
                idx[k] = i;
    }
    for (int r = 0; required && required[r]; r++) {
        int k = 0;
        while (names[k] && strcmp(names[k], required[r]) != 0)
            k++;
        if (!names[k] || idx[k] < 0)
            return yb_err_set(e, YB_EINVAL, required[r],
                              "line 1: missing column %s", required[r]);
    }
    return YB_OK;
}

const char *yb_csv_get(const struct yb_csv_row *row, int idx)
{
    return idx >= 0 && idx < row->n ? row->f[idx] : "";
}

int yb_csv_put_field(FILE *out, const char *s)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n") == NULL)
        return fputs(s, out) < 0 ? EOF : 0;
    if (fputc('"', out) == EOF)
        return EOF;
    for (; *s; s++)
        if ((*s == '"' && fputc('"', out) == EOF) || fputc(*s, out) == EOF)
            return EOF;
    return fputc('"', out) == EOF ? EOF : 0;
}

int yb_csv_put_row(FILE *out, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++)
        if ((i && fputc(',', out) == EOF) ||
            yb_csv_put_field(out, fields[i]) == EOF)
            return EOF;
    return fputs("\r\n", out) < 0 ? EOF : 0;
}
