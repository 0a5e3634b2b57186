/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV reading over libcsv, fed one physical line at a time so that every
 * record knows the line it started on, and CSV writing with RFC 4180
 * quoting. Fields of the record being read are packed into one growing
 * buffer; a record is handed to the caller as an array of pointers into it.
 *
 * A bad data record is refused on its own (csv.h): the reader marks it,
 * reads on to its end, and hands it to the caller as refused. A record
 * the parser cannot finish (a stray quote, a quote never closed, a quoted
 * field grown past the field limit, bytes not valid in the encoding) is
 * refused at once, and the parser starts again at the line after the
 * record's first: the lines it had swallowed are read again as records
 * of their own. Each line is read again at most once per record that
 * swallowed it, and a swallowing record ends within MAX_FIELD bytes.
 *
 * Files in GBK or GB18030 (what Excel saves on Chinese Windows) are
 * converted to UTF-8 line by line with iconv: neither encoding has a byte
 * below 0x40 inside a multi-byte character, so a line break, comma or
 * quote is always one.
 */
#include "yibao/csv.h"
#include "yibao/text.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#define MAX_FIELDS 256
#define MAX_FIELD (64 * 1024)

struct reader {
    const char *name;
    yb_csv_row_fn fn;
    void *ud;
    struct yb_err *e;
    struct csv_parser p;
    iconv_t cd;      /* (iconv_t)-1: the file is UTF-8 */
    const char *enc; /* its name, for messages */
    char *conv;      /* the line converted to UTF-8 */
    size_t conv_cap;
    long line;        /* physical line being fed */
    long start;       /* line the current record began on (0: none begun) */
    off_t start_next; /* where the line after start begins (-1: unknown) */
    long record;      /* records delivered so far */
    char *buf;        /* packed fields of the current record */
    size_t len, cap;
    size_t off[MAX_FIELDS];
    int n;
    char **header; /* the header's names, for messages */
    int n_header;
    bool refused;      /* the current record is refused ... */
    struct yb_err why; /* ... for this */
    bool swallowed;    /* it must be cut off: the parser restarts */
    int rc;            /* an error of the whole file, stops the reader */
};

/* The name of column i (0-based) for a message. */
static const char *column(const struct reader *r, int i)
{
    return i < r->n_header ? r->header[i] : "";
}

/* Refuse the current record (the first reason counts): YB_EPARSE when
 * its CSV is broken, YB_EINVAL when a value is. */
static void refuse(struct reader *r, int code, const char *field,
                   const char *what, const char *detail)
{
    if (r->refused)
        return;
    r->refused = true;
    yb_err_set(&r->why, code, field, "第 %ld 行%s%s",
               r->start ? r->start : r->line, what, detail);
}

static bool grow(struct reader *r, size_t need)
{
    if (need <= r->cap)
        return true;
    size_t cap = r->cap ? r->cap : 4096;
    while (cap < need)
        cap *= 2;
    char *nb = realloc(r->buf, cap);
    if (!nb) {
        r->rc =
            yb_err_set(r->e, YB_ENOMEM, r->name, "内存不足 (out of memory)");
        return false;
    }
    r->buf = nb;
    r->cap = cap;
    return true;
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    char what[160], why[160];
    enum yb_utf8_fault f;
    size_t at = 0;

    if (r->rc != YB_OK || r->refused)
        return;
    if (r->n >= MAX_FIELDS) {
        snprintf(what, sizeof what, "超过 %d 个字段 (more than %d fields)",
                 MAX_FIELDS, MAX_FIELDS);
        refuse(r, YB_EINVAL, "", what, "");
        return;
    }
    if (len > MAX_FIELD) {
        snprintf(what, sizeof what,
                 "第 %d 列超过 %d 字节 (field longer than %d bytes)", r->n + 1,
                 MAX_FIELD, MAX_FIELD);
        refuse(r, YB_EINVAL, column(r, r->n), what, "");
        return;
    }
    if ((f = yb_utf8_check(s, len, &at)) != YB_UTF8_OK) {
        snprintf(what, sizeof what, "第 %d 列", r->n + 1);
        refuse(r, YB_EINVAL, column(r, r->n), what,
               yb_utf8_describe(why, sizeof why, f, at));
        return;
    }
    if (!grow(r, r->len + len + 1))
        return;
    r->off[r->n++] = r->len;
    if (len)
        memcpy(r->buf + r->len, s, len);
    r->len += len;
    r->buf[r->len++] = 0;
}

/* Keep the header's names for the messages of later records. */
static int keep_header(struct reader *r, const char *const *f, int n)
{
    r->header = calloc((size_t)n + 1, sizeof *r->header);
    if (!r->header)
        return yb_err_set(r->e, YB_ENOMEM, r->name, "内存不足 (out of memory)");
    for (int i = 0; i < n; i++)
        if (!(r->header[i] = strdup(f[i])))
            return yb_err_set(r->e, YB_ENOMEM, r->name,
                              "内存不足 (out of memory)");
    r->n_header = n;
    return YB_OK;
}

/* Hand the record read so far to the caller, refused or not, and start
 * the next. */
static void deliver(struct reader *r)
{
    const char *f[MAX_FIELDS];
    char what[96];

    if (r->rc != YB_OK)
        return;
    if (!r->refused && r->record > 0 && r->n != r->n_header) {
        snprintf(what, sizeof what,
                 "有 %d 个字段，表头有 %d 个 (%d fields, the header has %d)",
                 r->n, r->n_header, r->n, r->n_header);
        refuse(r, YB_EINVAL, "", what, "");
    }
    for (int i = 0; i < r->n; i++)
        f[i] = r->buf + r->off[i];
    struct yb_csv_row row = {.line = r->start ? r->start : r->line,
                             .record = r->record,
                             .n = r->n,
                             .f = f,
                             .bad = r->refused ? &r->why : NULL};
    if (r->record == 0 && r->refused) /* no header, no file */
        r->rc = yb_err_set(r->e, r->why.code, r->name, "表头%s", r->why.msg);
    else if (r->record == 0 && (r->rc = keep_header(r, f, r->n)) != YB_OK)
        ;
    else
        r->rc = r->fn(&row, r->ud, r->e);
    r->record++;
    r->n = 0;
    r->len = 0;
    r->start = 0;
    r->refused = false;
}

static void on_record(int c, void *data)
{
    (void)c;
    deliver(data);
}

/* A record the parser cannot finish: refuse it (if not yet), hand it
 * over, and start the parser again. Returns whether the record had
 * swallowed lines after its first, which must be read again. */
static bool cut_off(struct reader *r, const char *what)
{
    bool multi = r->start != 0 && r->start < r->line;

    refuse(r, YB_EPARSE, "", what, "");
    csv_free(&r->p);
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        r->rc =
            yb_err_set(r->e, YB_ENOMEM, r->name, "内存不足 (out of memory)");
        return false;
    }
    deliver(r);
    return multi;
}

/* Go back to the line after the first of a record cut off. */
static int reread_from(struct reader *r, FILE *in, long first, off_t next)
{
    if (next < 0 || fseeko(in, next, SEEK_SET) != 0)
        return yb_err_set(r->e, YB_EPARSE, r->name,
                          "第 %ld 行起的记录无法结束，且文件不能回读 "
                          "(unterminated record in an unseekable stream)",
                          first);
    clearerr(in);
    r->line = first;
    return YB_OK;
}

/* The line in UTF-8: itself, or converted; NULL (and *bad the offset of
 * the first byte that is not) when it is not valid in the encoding. */
static const char *to_utf8(struct reader *r, const char *s, size_t *n,
                           size_t *bad)
{
    if (r->cd == (iconv_t)-1)
        return s;
    size_t need = *n * 4 + 4; /* GBK's 2 bytes are at most 3 in UTF-8 */
    if (need > r->conv_cap) {
        char *nb = realloc(r->conv, need);
        if (!nb) {
            r->rc = yb_err_set(r->e, YB_ENOMEM, r->name,
                               "内存不足 (out of memory)");
            return NULL;
        }
        r->conv = nb;
        r->conv_cap = need;
    }
    char *in = (char *)s, *out = r->conv;
    size_t left = *n, room = r->conv_cap;
    iconv(r->cd, NULL, NULL, NULL, NULL);
    if (iconv(r->cd, &in, &left, &out, &room) == (size_t)-1) {
        *bad = (size_t)(in - s);
        return NULL;
    }
    *n = (size_t)(out - r->conv);
    return r->conv;
}

/* Feed one physical line. */
static void feed(struct reader *r, FILE *in, const char *s, size_t n,
                 off_t here)
{
    char what[160];
    size_t bad = 0;
    /* A record begins on the first non-blank line fed while none is open
     * (libcsv skips blank lines). Taking the line when its first field
     * ends would name the last line of a quoted multi-line first field. */
    bool blank =
        (n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' && s[1] == '\n');
    if (r->start == 0 && !blank) {
        r->start = r->line;
        r->start_next = here < 0 ? -1 : here + (off_t)n;
    }
    const char *u = to_utf8(r, s, &n, &bad);
    if (u == NULL && r->rc == YB_OK) {
        if (r->line == r->start)
            snprintf(what, sizeof what,
                     "第 %zu 字节起不是合法的 %s 编码 (not valid %s)", bad + 1,
                     r->enc, r->enc);
        else
            snprintf(what, sizeof what,
                     "起的记录中第 %ld 行第 %zu 字节起不是合法的 %s 编码 (not "
                     "valid %s)",
                     r->line, bad + 1, r->enc, r->enc);
        long first = r->start;
        off_t next = r->start_next;
        if (cut_off(r, what) && r->rc == YB_OK)
            r->rc = reread_from(r, in, first, next);
        return;
    }
    if (u == NULL)
        return;
    if (r->line == 1 && n >= 3 && memcmp(u, "\xEF\xBB\xBF", 3) == 0) {
        u += 3; /* byte-order mark */
        n -= 3;
    }
    long first = r->start;
    off_t next = r->start_next;
    if (csv_parse(&r->p, u, n, on_field, on_record, r) != n && r->rc == YB_OK)
        snprintf(what, sizeof what,
                 "引号不成对或引号后有多余字符 (malformed quoting: %s)",
                 csv_strerror(csv_error(&r->p)));
    else if (r->start != 0 && r->p.entry_pos > MAX_FIELD && r->rc == YB_OK)
        snprintf(what, sizeof what,
                 "起的引号字段超过 %d 字节，引号可能不成对 (quoted field "
                 "longer than %d bytes: an unbalanced quote?)",
                 MAX_FIELD, MAX_FIELD);
    else
        return;
    if (cut_off(r, what) && r->rc == YB_OK)
        r->rc = reread_from(r, in, first, next);
}

/* The iconv descriptor for an encoding name (-1 for UTF-8). */
static int open_encoding(struct reader *r, const char *enc)
{
    r->cd = (iconv_t)-1;
    r->enc = "UTF-8";
    if (enc == NULL || strcasecmp(enc, "utf-8") == 0 ||
        strcasecmp(enc, "utf8") == 0)
        return YB_OK;
    if (strcasecmp(enc, "gbk") == 0 || strcasecmp(enc, "cp936") == 0)
        r->enc = "GBK";
    else if (strcasecmp(enc, "gb18030") == 0)
        r->enc = "GB18030";
    else
        return yb_err_set(r->e, YB_EINVAL, "encoding",
                          "未知的编码 \"%.40s\"，可用 utf-8、gbk、gb18030 "
                          "(unknown encoding)",
                          enc);
    r->cd = iconv_open("UTF-8", r->enc);
    if (r->cd == (iconv_t)-1)
        return yb_err_set(r->e, YB_EINVAL, "encoding",
                          "本机的 iconv 不支持编码 %s (encoding not "
                          "available)",
                          r->enc);
    return YB_OK;
}

/* The end of the file: what libcsv still holds is the last record, or a
 * quoted field never closed. Returns whether lines must be read again. */
static bool at_end(struct reader *r, FILE *in)
{
    long first = r->start;
    off_t next = r->start_next;
    if (csv_fini(&r->p, on_field, on_record, r) == 0 || r->rc != YB_OK)
        return false;
    if (!cut_off(r, "起的引号字段没有结束 (unterminated quoted field)") ||
        r->rc != YB_OK)
        return false;
    r->rc = reread_from(r, in, first, next);
    return r->rc == YB_OK;
}

int yb_csv_read(FILE *in, const char *name, const struct yb_csv_opts *o,
                yb_csv_row_fn fn, void *ud, struct yb_err *e)
{
    struct reader r = {.name = name, .fn = fn, .ud = ud, .e = e};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;

    if (open_encoding(&r, o ? o->encoding : NULL) != YB_OK)
        return e ? e->code : YB_EINVAL;
    if (csv_init(&r.p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        if (r.cd != (iconv_t)-1)
            iconv_close(r.cd);
        return yb_err_set(e, YB_ENOMEM, name, "内存不足 (out of memory)");
    }
    while (r.rc == YB_OK) {
        off_t here = ftello(in);
        got = getline(&line, &cap, in);
        if (got > 0) {
            r.line++;
            feed(&r, in, line, (size_t)got, here);
            continue;
        }
        if (ferror(in))
            r.rc = yb_err_set(e, YB_EIO, name,
                              "第 %ld 行读取失败 (read error at line %ld)",
                              r.line + 1, r.line + 1);
        else if (!at_end(&r, in))
            break;
    }
    csv_free(&r.p);
    if (r.cd != (iconv_t)-1)
        iconv_close(r.cd);
    for (int i = 0; i < r.n_header; i++)
        free(r.header[i]);
    free(r.header);
    free(r.conv);
    free(line);
    free(r.buf);
    return r.rc;
}

int yb_csv_read_file(const char *path, const struct yb_csv_opts *o,
                     yb_csv_row_fn fn, void *ud, struct yb_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return yb_err_set(e, YB_EIO, path, "无法打开：%s (cannot open)",
                          strerror(errno));
    int rc = yb_csv_read(f, path, o, fn, ud, e);
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
                                  "第 1 行：列 %s 出现两次 (column appears "
                                  "twice)",
                                  header->f[i]);
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
                              "第 1 行：缺少必需的列 %s (missing column %s)",
                              required[r], required[r]);
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
