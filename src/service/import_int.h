/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface between the import driver (import.c) and the row
 * handlers of each kind (import_ref.c, import_person.c). A handler checks
 * one CSV record and writes it through the store. It should check before
 * it writes: a refused row that wrote nothing costs nothing, while one
 * that wrote (the driver sees the store's write count move) makes the
 * driver roll the batch back and run it again with a savepoint around
 * each row. Either way a refused row leaves nothing behind.
 */
#ifndef YIBAO_IMPORT_INT_H
#define YIBAO_IMPORT_INT_H

#include <stdint.h>

#include "yibao/arena.h"
#include "yibao/csv.h"
#include "yibao/import.h"
#include "yibao/ledger.h"

#define YB__IMPORT_MAX_COLS 48

struct yb__import;

struct yb__import_kind {
    const char *name;
    const char *const *columns;  /* NULL-terminated; idx[] follows it */
    const char *const *required; /* subset of columns */
    /* Optional: adapt to the header (e.g. a second accepted layout). */
    int (*header)(struct yb__import *im, const struct yb_csv_row *h,
                  struct yb_err *e);
    /* Check and write one row. A row error is YB_EINVAL, YB_EDUPLICATE or
     * YB_ECONSTRAINT with e->field the column name; any other code stops
     * the whole job. */
    int (*row)(struct yb__import *im, const struct yb_csv_row *row,
               struct yb_err *e);
    /* Optional: what row() would read for the row, read ahead on another
     * thread (import_pipe.c) into pre (pre_size bytes, strings in a).
     * rim is the reader's: rim->s a read-only connection of its own,
     * rim->idx the columns. row() finds the result in im->pre when it
     * still holds (the same transaction's snapshot); it must check
     * yb__imp_touched itself, and mark what it writes with yb__imp_touch.
     * Any failure here only means row() reads for itself. */
    size_t pre_size;
    int (*prefetch)(const struct yb__import *rim, const struct yb_csv_row *row,
                    void *pre, struct yb_arena *a, struct yb_err *e);
};

/* Keys (psn_no) the open transaction has written: a set of their hashes
 * the driver empties at every BEGIN. */
struct yb__touched {
    uint64_t *h;   /* 0: free */
    size_t cap, n; /* cap a power of two, or 0 */
    bool all;      /* out of memory: count every key as touched */
};

struct yb__import {
    yb_store *s;
    const struct yb_import_opts *o;
    const struct yb__import_kind *k;
    int idx[YB__IMPORT_MAX_COLS];
    int layout; /* set by a header hook */
    int64_t job_id;
    int64_t event_id;              /* the event of the current batch */
    struct yb_ledger_batch ledger; /* its summary voucher */
    long batch_no;                 /* 1, 2, ... */
    const void *pre;               /* the row's read ahead, or NULL */
    bool pre_used;                 /* set by a row() that used it */
    struct yb__touched touched;
};

/* Mark key as written by the open transaction; whether it was. */
void yb__imp_touch(struct yb__import *im, const char *key);
bool yb__imp_touched(const struct yb__import *im, const char *key);

/* The read-ahead thread of a kind with a prefetch hook (import_pipe.c).
 * open: a peer connection and the ring (anything but YB_OK: read on this
 * thread instead). epoch: the writer's transaction count, odd while one
 * is open, to be set after every BEGIN and before every COMMIT or
 * ROLLBACK. pass: read the file as yb_csv_read_file does, fn on this
 * thread, *cur set to each row's read ahead while fn runs; records up to
 * skip (committed before) are passed on unread. */
struct yb__pipe;
int yb__pipe_open(yb_store *s, const struct yb__import_kind *k,
                  const struct yb_import_opts *o, const void **cur,
                  struct yb__pipe **out);
void yb__pipe_epoch(struct yb__pipe *p, long epoch);
int yb__pipe_pass(struct yb__pipe *p, const char *path, long skip,
                  yb_csv_row_fn fn, void *ud, struct yb_err *e);
void yb__pipe_close(struct yb__pipe *p);

/* The field of a named column for the current row ("" when absent). */
const char *yb__imp_get(const struct yb__import *im,
                        const struct yb_csv_row *row, int col);

/* The business event the current row belongs to: one event per batch
 * ("<kind>.import", ref "job J batch B"), opened with its audit row before
 * the batch's first row and closed with an audit row that counts the
 * batch's good and bad rows; every record a row writes carries its id.
 * kind and ref name the row for the caller's reading only. */
int yb__imp_event(struct yb__import *im, const char *kind, const char *ref,
                  int64_t *event_id, struct yb_err *e);

extern const struct yb__import_kind yb__import_region;
extern const struct yb__import_kind yb__import_institution;
extern const struct yb__import_kind yb__import_catalogue;
extern const struct yb__import_kind yb__import_person;
extern const struct yb__import_kind yb__import_identity;
extern const struct yb__import_kind yb__import_school;
extern const struct yb__import_kind yb__import_household;
extern const struct yb__import_kind yb__import_payment;

#endif
