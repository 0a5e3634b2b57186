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

/* How to read: the file's encoding. NULL (or "utf-8"): UTF-8, a
 * byte-order mark skipped. "gbk" (also "cp936") and "gb18030": the
 * encodings Excel writes on Chinese Windows, converted to UTF-8 with
 * iconv line by line. */
struct yb_csv_opts {
    const char *encoding;
};

/* One record. f[i] are NUL-terminated (empty string for an empty field);
 * valid only during the callback. line is the record's first physical
 * line in the file (1 = the header). */
struct yb_csv_row {
    long line;
    long record; /* 0 = the header */
    int n;
    const char *const *f;
    /* Not NULL: the reader refused this data record, and says why (field:
     * the column to blame, or ""); n and f hold what was read of it. */
    const struct yb_err *bad;
};

/* Return YB_OK to go on, anything else to stop (the reader returns it). */
typedef int (*yb_csv_row_fn)(const struct yb_csv_row *row, void *ud,
                             struct yb_err *e);

/* Read a whole stream / file, calling fn for every record including the
 * header. A data record is refused (fn gets it with row->bad set) when it
 * has another number of fields than the header, a field above 64 KiB or
 * more than 256 fields, a stray or unbalanced quote, bytes that are not
 * valid in the encoding, or a field that is not UTF-8 text without NUL;
 * the records after it are read as usual: a quoted field left open
 * swallows no more than its own record, which is refused, and reading
 * goes on at the line after its first (the stream must be seekable for
 * that; otherwise it is YB_EPARSE). A refused header is the whole file's
 * error: YB_EPARSE or YB_EINVAL naming the line. YB_EIO when the file
 * cannot be read; YB_EINVAL for an unknown encoding. o may be NULL. */
int yb_csv_read(FILE *in, const char *name, const struct yb_csv_opts *o,
                yb_csv_row_fn fn, void *ud, struct yb_err *e);
int yb_csv_read_file(const char *path, const struct yb_csv_opts *o,
                     yb_csv_row_fn fn, void *ud, struct yb_err *e);

/* Map header names to column indices: idx[k] is the column of
 * names[k] (NULL-terminated list) or -1. Names in `required` (a
 * NULL-terminated subset) must be present: YB_EINVAL naming the missing
 * column. A duplicated header name is YB_EINVAL. */
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
