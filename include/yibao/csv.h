/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV reading (RFC 4180, over libcsv) and writing for the import and
 * export formats of docs/import-formats.md. Reading streams: a row at a
 * time goes to a callback with its line number, so a million-row file is
 * read in constant memory and every error can name its line. Columns are
 * found by header name, so files may order them freely.
 */
#ifndef YIBAO_CSV_H
#define YIBAO_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* One record. f[i] are NUL-terminated (empty string for an empty field);
 * valid only during the callback. line is the record's first physical
 * line in the file (1 = the header). */
struct yb_csv_row {
    long line;
    long record; /* 0 = the header */
    int n;
    const char *const *f;
};

/* Return YB_OK to go on, anything else to stop (the reader returns it). */
typedef int (*yb_csv_row_fn)(const struct yb_csv_row *row, void *ud,
                             struct yb_err *e);

/* Read a whole stream / file, calling fn for every record including the
 * header. A UTF-8 byte-order mark is skipped. Malformed CSV (a stray quote,
 * an unterminated quoted field) is YB_EPARSE naming the line. A record with
 * more than 256 fields or a field above 64 KiB is YB_EINVAL. Returns
 * YB_EIO when the file cannot be read. */
int yb_csv_read(FILE *in, const char *name, yb_csv_row_fn fn, void *ud,
                struct yb_err *e);
int yb_csv_read_file(const char *path, yb_csv_row_fn fn, void *ud,
                     struct yb_err *e);

/* Map header names to column indices: idx[k] is the column of
 * names[k] (NULL-terminated list) or -1. Names in `required` (a
 * NULL-terminated subset) must be present: YB_EINVAL "missing column X" at
 * line 1. A duplicated header name is YB_EINVAL. */
int yb_csv_columns(const struct yb_csv_row *header, const char *const *names,
                   const char *const *required, int *idx, struct yb_err *e);

/* The field of column idx in row, or "" when the column is absent (-1) or
 * the row is short. */
const char *yb_csv_get(const struct yb_csv_row *row, int idx);

/* Write one field, quoted when it holds a comma, quote, CR or LF; and a
 * whole record followed by CRLF. Return 0 or EOF on a write error. */
int yb_csv_put_field(FILE *out, const char *s);
int yb_csv_put_row(FILE *out, const char *const *fields, int n);

#endif
