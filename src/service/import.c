/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The import driver: a job row in the store, the CSV read as a stream,
 * each data row handed to its kind's handler, bad rows listed, batches
 * committed with the job's progress so that a killed import can resume
 * after its last committed row. The file is identified by its BLAKE2b
 * hash, so resuming another file (or a file changed since) starts a new
 * job instead of skipping the wrong rows.
 *
 * A refused row must leave nothing behind. Handlers check before they
 * write, so a refused row has almost always written nothing, and a
 * savepoint around every row (which copies each page the row touches) is
 * paid for nothing. The driver therefore runs rows without one and reads
 * the store's write count around each: a refused row that did write rolls
 * its whole batch back, and the batch is read again from the file with a
 * savepoint around each row.
 */
#include <errno.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "import_int.h"
#include "yibao/event.h"
#include "yibao/idcard.h"
#include "yibao/text.h"

static const struct yb__import_kind *const kinds[YB_IMPORT__COUNT] = {
    &yb__import_region,    &yb__import_institution, &yb__import_catalogue,
    &yb__import_person,    &yb__import_identity,    &yb__import_school,
    &yb__import_household, &yb__import_payment,
};

struct run {
    struct yb__import im;
    struct yb_import_result *r;
    struct yb_import_progress pg;
    long done_before; /* rows committed by an earlier run */
    long in_batch;
    long rows0;     /* r->rows when the batch began */
    bool guarded;   /* this batch's rows run in savepoints */
    bool committed; /* a batch of this run was committed (with its job) */
    char hash[65];  /* of the file */
    /* An empty file has no header: no columns at all. */
    bool header_seen;
    long ok0, bad0, ahead0; /* counts when the batch began */
    struct yb_ledger_sum saved[YB_LEDGER_BATCH_MAX]; /* voucher before a row */
    int batch;
    long epoch;            /* transactions begun and ended: odd while open */
    struct yb__pipe *pipe; /* read-ahead thread, or NULL */
};

const char *yb_import_kind_name(enum yb_import_kind kind)
{
    return kind < YB_IMPORT__COUNT ? kinds[kind]->name : NULL;
}

const char *yb__imp_get(const struct yb__import *im,
                        const struct yb_csv_row *row, int col)
{
    return yb_csv_get(row, im->idx[col]);
}

/* ---- what the open transaction wrote ----------------------------------
 * An open-addressing set (linear probing, at most half full), emptied at
 * every BEGIN. It keeps a 64-bit hash of each key, not the key: two keys
 * with one hash only make a row read for itself when it need not. */

static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)key; *c; c++)
        h = (h ^ *c) * 1099511628211u;
    return h ? h : 1; /* 0 marks a free slot */
}

static size_t key_slot(const struct yb__touched *t, uint64_t h)
{
    size_t i = (size_t)(h ^ h >> 32) & (t->cap - 1);
    while (t->h[i] != 0 && t->h[i] != h)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static bool touched_grow(struct yb__touched *t)
{
    struct yb__touched g = {.cap = t->cap ? t->cap * 2 : 1024};
    g.h = calloc(g.cap, sizeof *g.h);
    if (g.h == NULL)
        return false;
    for (size_t i = 0; i < t->cap; i++)
        if (t->h[i]) {
            g.h[key_slot(&g, t->h[i])] = t->h[i];
            g.n++;
        }
    free(t->h);
    *t = g;
    return true;
}

void yb__imp_touch(struct yb__import *im, const char *key)
{
    struct yb__touched *t = &im->touched;
    if (t->all || key[0] == '\0')
        return;
    if ((t->n + 1) * 2 > t->cap && !touched_grow(t)) {
        t->all = true;
        return;
    }
    uint64_t h = key_hash(key);
    size_t i = key_slot(t, h);
    if (t->h[i] == 0) {
        t->h[i] = h;
        t->n++;
    }
}

bool yb__imp_touched(const struct yb__import *im, const char *key)
{
    const struct yb__touched *t = &im->touched;
    if (t->all)
        return true;
    return t->cap > 0 && t->h[key_slot(t, key_hash(key))] != 0;
}

/* The write transaction has begun: nothing in it is touched yet, and rows
 * read ahead from now on read the database as it is. */
static void tx_opened(struct run *x)
{
    struct yb__touched *t = &x->im.touched;
    if (t->n > 0)
        memset(t->h, 0, t->cap * sizeof *t->h);
    t->n = 0;
    t->all = false;
    if (!(x->epoch & 1))
        yb__pipe_epoch(x->pipe, ++x->epoch);
}

/* It is about to end: what was read ahead in it is read no more. */
static void tx_closing(struct run *x)
{
    if (x->epoch & 1)
        yb__pipe_epoch(x->pipe, ++x->epoch);
}

int yb__imp_event(struct yb__import *im, const char *kind, const char *ref,
                  int64_t *event_id, struct yb_err *e)
{
    (void)kind;
    (void)ref;
    (void)e;
    *event_id = im->event_id;
    return YB_OK;
}

/* Open the event of the next batch (inside its transaction). */
static int open_batch(struct yb__import *im, struct yb_err *e)
{
    char kind[48], ref[64];
    snprintf(kind, sizeof kind, "%s.import", im->k->name);
    snprintf(ref, sizeof ref, "job %lld batch %ld", (long long)im->job_id,
             ++im->batch_no);
    return yb_event_open(im->s, kind, ref, im->o->actor, im->o->now,
                         &im->event_id, e);
}

/* Close a batch's event with an audit row of its counts. */
static int close_batch(struct yb__import *im, long ok, long bad,
                       struct yb_err *e)
{
    char detail[96];
    snprintf(detail, sizeof detail, "%ld ok, %ld bad", ok, bad);
    return yb_audit_append(im->s, im->event_id, im->o->actor, "import.batch",
                           detail, im->o->now, e);
}

/* BLAKE2b-256 of the file, hex; and its line count as a size hint. */
static int file_digest(const char *path, char hex[65], long *lines,
                       struct yb_err *e)
{
    unsigned char h[32], buf[1 << 16];
    crypto_generichash_state st;
    /* libsodium picks its vectorised BLAKE2b only once initialised: the
     * portable one took 0.4 s of a 1,000,000-person file */
    if (sodium_init() < 0)
        return yb_err_set(
            e, YB_EINVARIANT, "import",
            "初始化 libsodium 失败 (libsodium failed to initialise)");
    FILE *f = fopen(path, "rb");
    if (!f)
        return yb_err_set(e, YB_EIO, path, "无法打开：%s (cannot open)",
                          strerror(errno));
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    *lines = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crypto_generichash_update(&st, buf, n);
        for (const unsigned char *p = buf;
             (p = memchr(p, '\n', n - (size_t)(p - buf))); p++)
            (*lines)++;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return yb_err_set(e, YB_EIO, path, "读取失败 (read error)");
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return YB_OK;
}

/* Find an unfinished job on the same file, or start one. With --resume a
 * finished job counts too: a run killed after its last commit has nothing
 * left to do, and running the file as a new job would refuse every row as
 * a duplicate. */
static int open_job(struct run *x, struct yb_err *e)
{
    const char *kind = x->im.k->name, *hash = x->hash;
    yb_store *s = x->im.s;
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "SELECT id, rows_done, rows_ok, rows_bad FROM import_job "
        "WHERE kind = $1 AND file_hash = $2 AND (status = 'running' OR "
        "$3 = 1) ORDER BY id DESC LIMIT 1",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, kind);
    yb_stmt_bind_text(st, 2, hash);
    yb_stmt_bind_int(st, 3, x->im.o->resume ? 1 : 0);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        int64_t id = yb_stmt_int(st, 0);
        long done = (long)yb_stmt_int(st, 1);
        if (!x->im.o->resume) {
            yb_stmt_reset(st);
            return yb_err_set(e, YB_EINVAL, x->im.o->path,
                              "此文件的导入任务 %lld 在第 %ld 行后中断：请加 "
                              "--resume 重新运行 (run again with --resume)",
                              (long long)id, done);
        }
        x->im.job_id = id;
        x->done_before = done;
        x->r->ok = (long)yb_stmt_int(st, 2);
        x->r->bad = (long)yb_stmt_int(st, 3);
        yb_stmt_reset(st);
        return YB_OK;
    }
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    rc = yb_store_prepare(
        s,
        "INSERT INTO import_job (kind, file, file_hash, rows_done, rows_ok, "
        "rows_bad, status, started_at) "
        "VALUES ($1, $2, $3, 0, 0, 0, 'running', $4) RETURNING id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, kind);
    yb_stmt_bind_text(st, 2, x->im.o->path);
    yb_stmt_bind_text(st, 3, hash);
    yb_stmt_bind_text(st, 4, x->im.o->now);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        x->im.job_id = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

static int save_progress(struct run *x, const char *status, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        x->im.s,
        "UPDATE import_job SET rows_done = $2, rows_ok = $3, rows_bad = $4, "
        "status = $5, finished_at = $6 WHERE id = $1",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, x->im.job_id);
    yb_stmt_bind_int(st, 2, x->done_before + x->r->rows);
    yb_stmt_bind_int(st, 3, x->r->ok);
    yb_stmt_bind_int(st, 4, x->r->bad);
    yb_stmt_bind_text(st, 5, status);
    yb_stmt_bind_text(st, 6, strcmp(status, "done") == 0 ? x->im.o->now : NULL);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* A column that holds ID numbers: its values are masked in import errors
 * whatever their shape. */
static bool id_column(const char *name)
{
    return strcmp(name, "certno") == 0 || strcmp(name, "head_certno") == 0;
}

static int insert_error(struct run *x, long line, const char *field,
                        const char *value, const char *msg, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(x->im.s,
                              "INSERT INTO import_error (job_id, line, field, "
                              "value, message) VALUES ($1, $2, $3, $4, $5)",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, x->im.job_id);
    yb_stmt_bind_int(st, 2, line);
    yb_stmt_bind_text(st, 3, field);
    yb_stmt_bind_text(st, 4, value);
    yb_stmt_bind_text(st, 5, msg);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* List a bad row. The value shown is its column's (none for a row the
 * reader refused: it may not even be text); ID numbers in the value and
 * the message are masked, as in the call log. */
static int record_error(struct run *x, const struct yb_csv_row *row,
                        const struct yb_err *re, struct yb_err *e)
{
    const char *value = "";
    const struct yb__import_kind *k = x->im.k;
    for (int c = 0; !row->bad && k->columns[c]; c++)
        if (strcmp(k->columns[c], re->field) == 0)
            value = yb__imp_get(&x->im, row, c);
    long keep = x->im.o->max_errors_kept;
    if (keep > 0 && x->r->bad > keep)
        return YB_OK;
    char small[64], msg[sizeof re->msg];
    size_t vn = strlen(value);
    char *shown = vn < sizeof small ? small : malloc(vn + 1);
    if (shown == NULL)
        return yb_err_set(e, YB_ENOMEM, "import", "内存不足 (out of memory)");
    if (id_column(re->field) && *value)
        yb_idcard_mask(value, shown); /* at most 18 bytes */
    else
        yb_mask_ids(value, shown, vn + 1);
    yb_mask_ids(re->msg[0] ? re->msg : yb_err_zh(re->code), msg, sizeof msg);
    int rc = insert_error(x, row->line, re->field, shown, msg, e);
    if (shown != small)
        free(shown);
    return rc;
}

/* What on_row returns to stop the reading when a batch must be run again
 * (not an error code: those are 0 and up). */
enum { REPLAY = -1 };

static bool row_error(int rc)
{
    return rc == YB_EINVAL || rc == YB_EDUPLICATE || rc == YB_ECONSTRAINT ||
           rc == YB_ENOTFOUND || rc == YB_EOVERFLOW;
}

/* Close the batch's event and remember where the next one starts. */
static int end_batch(struct run *x, struct yb_err *e)
{
    int rc = yb_ledger_batch_post(x->im.s, x->im.event_id, &x->im.ledger, e);
    if (rc == YB_OK)
        rc = close_batch(&x->im, x->r->ok - x->ok0, x->r->bad - x->bad0, e);
    x->ok0 = x->r->ok;
    x->bad0 = x->r->bad;
    x->ahead0 = x->r->read_ahead;
    return rc;
}

static void report(struct run *x)
{
    x->pg.rows = x->done_before + x->r->rows;
    x->pg.ok = x->r->ok;
    x->pg.bad = x->r->bad;
    x->pg.skipped = x->r->skipped;
    if (x->im.o->progress)
        x->im.o->progress(&x->pg, x->im.o->progress_ud);
}

static int next_batch(struct run *x, struct yb_err *e)
{
    int rc = end_batch(x, e);
    if (rc == YB_OK)
        rc = save_progress(x, "running", e);
    tx_closing(x);
    if (rc == YB_OK)
        rc = yb_store_commit(x->im.s, e);
    if (rc == YB_OK)
        rc = yb_store_begin(x->im.s, e);
    if (rc == YB_OK) {
        tx_opened(x);
        rc = open_batch(&x->im, e);
    }
    x->in_batch = 0;
    x->rows0 = x->r->rows;
    x->guarded = false;
    x->committed = true;
    if (rc == YB_OK)
        report(x);
    return rc;
}

/* A refused row wrote part of itself: roll the batch back and open it
 * again, its rows to be read anew, each in a savepoint. The first batch
 * takes its new job row with it, and writes it again. */
static int replay_batch(struct run *x, struct yb_err *e)
{
    tx_closing(x);
    yb_store_rollback(x->im.s);
    x->r->rows = x->rows0;
    x->r->ok = x->ok0;
    x->r->bad = x->bad0;
    x->r->read_ahead = x->ahead0;
    x->r->replayed++;
    x->in_batch = 0;
    x->im.ledger.n = 0;
    x->im.ledger.entries = 0;
    x->im.batch_no--;
    x->guarded = true;
    int rc = yb_store_begin(x->im.s, e);
    if (rc == YB_OK)
        tx_opened(x);
    if (rc == YB_OK && !x->committed)
        rc = open_job(x, e);
    return rc == YB_OK ? open_batch(&x->im, e) : rc;
}

/* A row refused before its kind sees it: by the CSV reader, or for a
 * required column left empty. It wrote nothing. */
static int refused_early(struct run *x, const struct yb_csv_row *row,
                         struct yb_err *why)
{
    if (row->bad) {
        *why = *row->bad;
        return why->code;
    }
    const struct yb__import_kind *k = x->im.k;
    for (int r = 0; k->required && k->required[r]; r++)
        for (int c = 0; k->columns[c]; c++)
            if (strcmp(k->columns[c], k->required[r]) == 0 &&
                yb__imp_get(&x->im, row, c)[0] == '\0')
                return yb_err_set(why, YB_EINVAL, k->columns[c],
                                  "必填，不能为空 (required)");
    return YB_OK;
}

static int one_row(struct run *x, const struct yb_csv_row *row,
                   struct yb_err *e)
{
    struct yb_err early = {0};
    if (refused_early(x, row, &early) != YB_OK) {
        x->r->bad++;
        return record_error(x, row, &early, e);
    }
    yb_store *s = x->im.s;
    struct yb_err re = {0};
    /* a refused row's entries must leave the summary voucher too */
    struct yb_ledger_batch *lb = &x->im.ledger;
    int saved_n = lb->n;
    long saved_entries = lb->entries;
    memcpy(x->saved, lb->v, sizeof *lb->v * (size_t)lb->n);
    int rc = x->guarded ? yb_store_exec(s, "SAVEPOINT yb_row", e) : YB_OK;
    if (rc != YB_OK)
        return rc;
    int64_t writes = yb_store_writes(s);
    x->im.pre_used = false;
    int hr = x->im.k->row(&x->im, row, &re);
    if (hr == YB_OK) {
        x->r->ok++;
        x->r->read_ahead += x->im.pre_used;
        return x->guarded ? yb_store_exec(s, "RELEASE SAVEPOINT yb_row", e)
                          : YB_OK;
    }
    if (!row_error(hr)) {
        *e = re;
        return hr;
    }
    if (!x->guarded && yb_store_writes(s) != writes)
        return REPLAY;
    memcpy(lb->v, x->saved, sizeof *lb->v * (size_t)saved_n);
    lb->n = saved_n;
    lb->entries = saved_entries;
    if (x->guarded) {
        rc = yb_store_exec(s, "ROLLBACK TO SAVEPOINT yb_row", e);
        if (rc == YB_OK)
            rc = yb_store_exec(s, "RELEASE SAVEPOINT yb_row", e);
    }
    x->r->bad++;
    return rc == YB_OK ? record_error(x, row, &re, e) : rc;
}

static int on_row(const struct yb_csv_row *row, void *ud, struct yb_err *e)
{
    struct run *x = ud;
    int rc;
    if (row->record == 0) {
        x->header_seen = true;
        rc = yb_csv_columns(row, x->im.k->columns, x->im.k->required, x->im.idx,
                            e);
        if (rc == YB_OK && x->im.k->header)
            rc = x->im.k->header(&x->im, row, e);
        return rc;
    }
    /* rows committed: by an earlier run, or by this one before a batch
     * read again (the skipped ones were counted at the first reading) */
    if (row->record <= x->done_before + x->rows0) {
        if (x->r->replayed == 0)
            x->r->skipped++;
        return YB_OK;
    }
    rc = one_row(x, row, e);
    if (rc == REPLAY)
        return rc;
    x->r->rows++;
    if (rc == YB_OK && ++x->in_batch >= x->batch)
        rc = next_batch(x, e);
    else if (rc == YB_OK && x->r->rows % YB_IMPORT_PROGRESS_ROWS == 0)
        report(x);
    return rc;
}

int yb_import_run(yb_store *s, enum yb_import_kind kind,
                  const struct yb_import_opts *o, struct yb_import_result *r,
                  struct yb_err *e)
{
    long lines = 0;
    memset(r, 0, sizeof *r);
    if (kind >= YB_IMPORT__COUNT)
        return yb_err_set(e, YB_EINVAL, "kind",
                          "未知的导入类型 %d (unknown import kind)", (int)kind);
    struct yb_csv_opts csv = {.encoding = o->encoding};
    struct run x = {.im = {.s = s, .o = o, .k = kinds[kind]},
                    .r = r,
                    .batch = o->batch > 0 ? o->batch : YB_IMPORT_BATCH};
    int rc = file_digest(o->path, x.hash, &lines, e);
    if (rc != YB_OK)
        return rc;
    x.pg.total_hint = lines > 0 ? lines - 1 : 0;
    if (x.im.k->prefetch && !o->serial &&
        yb__pipe_open(s, x.im.k, o, &x.im.pre, &x.pipe) != YB_OK)
        x.pipe = NULL; /* the rows read for themselves */
    /* Each batch's pages are moved into the database file while the next
     * batch is written; without a log to share (an in-memory database),
     * the commits do it as always. */
    struct yb_err bg_err = {0}; /* turning them on may fail: no matter */
    bool bg = !o->serial &&
              yb_store_background_checkpoints(s, true, &bg_err) == YB_OK;
    if ((rc = yb_store_begin(s, e)) != YB_OK) {
        if (bg)
            yb_store_background_checkpoints(s, false, &bg_err);
        yb__pipe_close(x.pipe);
        return rc;
    }
    tx_opened(&x);
    rc = open_job(&x, e);
    x.ok0 = r->ok;
    x.bad0 = r->bad;
    if (rc == YB_OK)
        rc = open_batch(&x.im, e);
    while (rc == YB_OK) {
        rc = x.pipe ? yb__pipe_pass(x.pipe, o->path, x.done_before + x.rows0,
                                    on_row, &x, e)
                    : yb_csv_read_file(o->path, &csv, on_row, &x, e);
        if (rc != REPLAY)
            break;
        rc = replay_batch(&x, e);
    }
    if (rc == YB_OK && !x.header_seen)
        rc = yb_err_set(
            e, YB_EINVAL, o->path,
            "第 1 行：没有表头（文件为空）(no header: the file is empty)");
    if (rc == YB_OK)
        rc = end_batch(&x, e);
    if (rc == YB_OK)
        rc = save_progress(&x, "done", e);
    tx_closing(&x);
    if (rc == YB_OK)
        rc = yb_store_commit(s, e);
    else
        yb_store_rollback(s);
    if (bg && yb_store_background_checkpoints(s, false, &bg_err) != YB_OK &&
        rc == YB_OK)
        rc = yb_err_set(e, YB_ESTORE, "store", "%s", bg_err.msg);
    yb__pipe_close(x.pipe);
    free(x.im.touched.h);
    r->job_id = x.im.job_id;
    r->rows += r->skipped;
    if (rc == YB_OK && o->progress) {
        x.pg.rows = x.done_before + r->rows - r->skipped;
        x.pg.ok = r->ok;
        x.pg.bad = r->bad;
        x.pg.skipped = r->skipped;
        o->progress(&x.pg, o->progress_ud);
    }
    return rc;
}

int yb_import_errors(yb_store *s, int64_t job_id, long limit,
                     yb_import_error_fn fn, void *ud, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "SELECT line, field, value, message FROM "
                              "import_error WHERE job_id = $1 ORDER BY line",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, job_id);
    long n = 0;
    while ((rc = yb_stmt_step(st, e)) == YB_ROW && (limit == 0 || n++ < limit))
        fn((long)yb_stmt_int(st, 0), yb_stmt_text(st, 1), yb_stmt_text(st, 2),
           yb_stmt_text(st, 3), ud);
    yb_stmt_reset(st);
    return rc == YB_DONE || rc == YB_ROW ? YB_OK : rc;
}
