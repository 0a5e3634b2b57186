/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read-ahead for the import driver (import_int.h, yb__pipe_*): a second
 * thread parses the CSV file and, for kinds that have a prefetch hook,
 * runs the row's reads on a read-only connection of its own, while the
 * driver's thread writes the rows before them. On a region's first load
 * this takes a payment's reads (its person by ID number, the year's
 * enrolment, amounts and identities) off the writer, whose work is then
 * little more than its inserts.
 *
 * What makes a read done ahead as good as one done by the writer:
 * - The writer numbers its transactions: the epoch is odd while one is
 *   open (it holds the write lock from its BEGIN), even in between.
 * - The reader starts a snapshot only while the epoch is odd, and keeps
 *   it only if the epoch did not move while it was taken: the snapshot is
 *   then the database as that transaction began, since nobody else can
 *   commit while the writer holds the lock.
 * - A row read ahead carries its snapshot's epoch. The writer uses it only
 *   in that same transaction, and only if the transaction has not written
 *   what the read covered (the kind asks yb__imp_touched, a set of keys
 *   the driver empties at each BEGIN). Otherwise the row reads for itself.
 * So a read ahead is used only when it equals what the writer would read.
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* Rows in flight between the threads. A reader that finds the ring full
 * sleeps until PIPE_LOW slots are free, and the writer hands slots back
 * in runs of PIPE_GIVE: the threads meet on the lock every few dozen rows
 * and wake each other every few hundred, not at every row (which cost the
 * writer about a tenth of its time in futex calls). */
#define PIPE_ROWS 1024
#define PIPE_LOW (PIPE_ROWS / 2)
#define PIPE_GIVE 32

enum { PIPE_STOP = -2 }; /* the reader's callback: the writer has stopped */

struct slot {
    long line, record;
    int n;
    const char **f;    /* n fields, in a */
    long epoch;        /* of the snapshot pre was read in; 0: nothing read */
    void *pre;         /* the kind's pre_size bytes */
    struct yb_arena a; /* the fields and pre's strings, emptied per row */
    bool end;          /* no row: the file ended (rc YB_OK) or failed */
    int rc;            /* with end */
    struct yb_err err; /* with end; or why the reader refused the row */
    bool refused;      /* the CSV reader refused the row (err says why) */
};

struct yb__pipe {
    bool ready;            /* its locks initialised */
    struct yb__import rim; /* the reader's view: its kind, store, columns */
    bool have_cols;
    const char *path;
    long skip;        /* records committed before: nothing to read for them */
    const void **cur; /* where the writer's current row's read goes */
    struct slot *ring;
    pthread_t th;
    pthread_mutex_t mu;
    /* rows to write; room to read; epoch moved; snapshot dropped */
    pthread_cond_t more, room, tx, dropped;
    size_t head, tail; /* taken by the writer; put by the reader */
    bool writer_waits, reader_waits, stop;
    _Atomic long epoch;
    long snap;    /* the reader's snapshot's epoch; 0: none open */
    yb_store *ro; /* the reader's connection */
};

int yb__pipe_open(yb_store *s, const struct yb__import_kind *k,
                  const struct yb_import_opts *o, const void **cur,
                  struct yb__pipe **out)
{
    struct yb_err ignore = {0};
    *out = NULL;
    struct yb__pipe *p = calloc(1, sizeof *p);
    if (p == NULL)
        return YB_ENOMEM;
    p->ring = calloc(PIPE_ROWS, sizeof *p->ring);
    int rc = p->ring ? YB_OK : YB_ENOMEM;
    for (int i = 0; rc == YB_OK && i < PIPE_ROWS; i++) {
        yb_arena_init(&p->ring[i].a, 2048);
        if (k->pre_size && !(p->ring[i].pre = malloc(k->pre_size)))
            rc = YB_ENOMEM;
    }
    if (rc == YB_OK)
        rc = yb_store_open_peer(s, YB_STORE_READONLY, &p->ro, &ignore);
    if (rc == YB_OK && pthread_mutex_init(&p->mu, NULL) != 0)
        rc = YB_ENOMEM;
    if (rc != YB_OK) {
        yb__pipe_close(p);
        return rc;
    }
    pthread_cond_init(&p->more, NULL);
    pthread_cond_init(&p->room, NULL);
    pthread_cond_init(&p->tx, NULL);
    pthread_cond_init(&p->dropped, NULL);
    p->ready = true;
    p->rim = (struct yb__import){.s = p->ro, .o = o, .k = k};
    p->cur = cur;
    *out = p;
    return YB_OK;
}

void yb__pipe_close(struct yb__pipe *p)
{
    if (p == NULL)
        return;
    if (p->ready) {
        pthread_cond_destroy(&p->more);
        pthread_cond_destroy(&p->room);
        pthread_cond_destroy(&p->tx);
        pthread_cond_destroy(&p->dropped);
        pthread_mutex_destroy(&p->mu);
    }
    for (int i = 0; p->ring && i < PIPE_ROWS; i++) {
        free(p->ring[i].pre);
        yb_arena_free(&p->ring[i].a);
    }
    free(p->ring);
    yb_store_close(p->ro);
    free(p);
}

/* Before a COMMIT the writer also waits for the reader to leave its
 * snapshot: a reader still on the log keeps the commit's checkpoint from
 * emptying it, and the log would grow by every batch, each read searching
 * it. (The reader leaves within a row: it checks between rows and while
 * it waits for room.) */
void yb__pipe_epoch(struct yb__pipe *p, long epoch)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->epoch, epoch);
    pthread_cond_broadcast(&p->tx);
    pthread_cond_broadcast(&p->room);
    while (!(epoch & 1) && p->snap != 0)
        pthread_cond_wait(&p->dropped, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

/* ---- the reader ---------------------------------------------------------
 */

/* Leave the snapshot, and tell a writer waiting to commit. */
static void drop(struct yb__pipe *p)
{
    if (p->snap == 0)
        return;
    yb_store_rollback(p->ro);
    pthread_mutex_lock(&p->mu);
    p->snap = 0;
    pthread_cond_broadcast(&p->dropped);
    pthread_mutex_unlock(&p->mu);
}

/* A snapshot of the database as the writer's open transaction began (see
 * the top of the file); false when the writer has stopped or the
 * connection fails, and the row goes without. */
static bool snapshot(struct yb__pipe *p)
{
    if (p->snap != 0 && p->snap == atomic_load(&p->epoch))
        return true;
    drop(p);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!(atomic_load(&p->epoch) & 1) && !p->stop)
            pthread_cond_wait(&p->tx, &p->mu);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            return false;
        long before = atomic_load(&p->epoch);
        struct yb_err ignore = {0};
        yb_stmt *st;
        /* a read starts the snapshot (BEGIN alone does not) */
        int rc = yb_store_begin(p->ro, &ignore);
        if (rc == YB_OK)
            rc = yb_store_prepare(p->ro, "SELECT 1 FROM meta", &st, &ignore);
        if (rc == YB_OK) {
            rc = yb_stmt_step(st, &ignore);
            yb_stmt_reset(st);
        }
        if (rc != YB_ROW && rc != YB_DONE) {
            yb_store_rollback(p->ro);
            return false;
        }
        pthread_mutex_lock(&p->mu);
        bool same = atomic_load(&p->epoch) == before;
        if (same)
            p->snap = before;
        pthread_mutex_unlock(&p->mu);
        if (same)
            return true;
        yb_store_rollback(p->ro);
    }
}

/* A free slot, waited for; NULL when the writer has stopped. */
static struct slot *free_slot(struct yb__pipe *p)
{
    pthread_mutex_lock(&p->mu);
    bool full = p->tail - p->head == PIPE_ROWS;
    while (full && p->tail - p->head > PIPE_ROWS - PIPE_LOW && !p->stop) {
        if (p->snap != 0 && p->snap != atomic_load(&p->epoch)) {
            pthread_mutex_unlock(&p->mu);
            drop(p); /* the writer is waiting for it to commit */
            pthread_mutex_lock(&p->mu);
            continue;
        }
        p->reader_waits = true;
        pthread_cond_wait(&p->room, &p->mu);
    }
    p->reader_waits = false;
    struct slot *sl = p->stop ? NULL : &p->ring[p->tail % PIPE_ROWS];
    pthread_mutex_unlock(&p->mu);
    return sl;
}

static void put_slot(struct yb__pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->tail++;
    if (p->writer_waits)
        pthread_cond_signal(&p->more);
    pthread_mutex_unlock(&p->mu);
}

/* The row's fields into the slot's arena, emptied first (it also holds
 * the strings of the row before's read ahead). */
static int copy_row(struct slot *sl, const struct yb_csv_row *row)
{
    yb_arena_reset(&sl->a);
    sl->f = yb_arena_alloc(&sl->a, sizeof *sl->f * (size_t)row->n);
    if (sl->f == NULL)
        return YB_ENOMEM;
    for (int i = 0; i < row->n; i++)
        if ((sl->f[i] = yb_arena_strdup(&sl->a, row->f[i])) == NULL)
            return YB_ENOMEM;
    sl->line = row->line;
    sl->record = row->record;
    sl->n = row->n;
    return YB_OK;
}

static int reader_row(const struct yb_csv_row *row, void *ud, struct yb_err *e)
{
    struct yb__pipe *p = ud;
    struct slot *sl = free_slot(p);
    if (sl == NULL)
        return PIPE_STOP;
    sl->end = false;
    sl->epoch = 0;
    if (copy_row(sl, row) != YB_OK)
        return yb_err_set(e, YB_ENOMEM, "import", "内存不足 (out of memory)");
    sl->refused = row->bad != NULL;
    if (sl->refused)
        sl->err = *row->bad;
    struct yb_err ignore = {0};
    if (row->record == 0) /* the writer reports a bad header */
        p->have_cols =
            yb_csv_columns(row, p->rim.k->columns, p->rim.k->required,
                           p->rim.idx, &ignore) == YB_OK;
    else if (p->have_cols && !sl->refused && row->record > p->skip &&
             snapshot(p)) {
        if (p->rim.k->prefetch(&p->rim, row, sl->pre, &sl->a, &ignore) == YB_OK)
            sl->epoch = p->snap;
    }
    put_slot(p);
    return YB_OK;
}

static void *reader_main(void *arg)
{
    struct yb__pipe *p = arg;
    struct yb_err e = {0};
    pthread_setname_np(pthread_self(), "yb-import-read"); /* for top -H */
    struct yb_csv_opts csv = {.encoding = p->rim.o->encoding};
    int rc = yb_csv_read_file(p->path, &csv, reader_row, p, &e);
    drop(p);
    if (rc == PIPE_STOP)
        return NULL;
    struct slot *sl = free_slot(p);
    if (sl != NULL) {
        sl->end = true;
        sl->rc = rc;
        sl->err = e;
        put_slot(p);
    }
    return NULL;
}

/* ---- the writer ---------------------------------------------------------
 */

/* Stop the reader (it may be waiting for room or a transaction) and wait
 * for it to end. */
static void stop_reader(struct yb__pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->room);
    pthread_cond_broadcast(&p->tx);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
}

/* Hand the slots before head back to the reader (under p->mu), waking it
 * once it has PIPE_LOW of them. */
static void give_back(struct yb__pipe *p, size_t head)
{
    p->head = head;
    if (p->reader_waits && p->tail - p->head <= PIPE_ROWS - PIPE_LOW)
        pthread_cond_signal(&p->room);
}

int yb__pipe_pass(struct yb__pipe *p, const char *path, long skip,
                  yb_csv_row_fn fn, void *ud, struct yb_err *e)
{
    p->path = path;
    p->skip = skip;
    p->head = p->tail = 0;
    p->stop = p->have_cols = false;
    if (pthread_create(&p->th, NULL, reader_main, p) != 0) {
        struct yb_csv_opts csv = {.encoding = p->rim.o->encoding};
        return yb_csv_read_file(path, &csv, fn, ud, e); /* on this thread */
    }
    int rc = YB_OK;
    size_t head = 0; /* rows taken; p->head: those handed back */
    for (;;) {
        pthread_mutex_lock(&p->mu);
        give_back(p, head);
        while (head == p->tail) {
            p->writer_waits = true;
            pthread_cond_wait(&p->more, &p->mu);
        }
        p->writer_waits = false;
        size_t tail = p->tail;
        pthread_mutex_unlock(&p->mu);
        while (head != tail) {
            struct slot *sl = &p->ring[head % PIPE_ROWS];
            if (sl->end) {
                rc = sl->rc;
                if (rc != YB_OK)
                    *e = sl->err;
                goto out;
            }
            bool fresh = sl->epoch != 0 && sl->epoch == atomic_load(&p->epoch);
            *p->cur = fresh ? sl->pre : NULL;
            struct yb_csv_row row = {.line = sl->line,
                                     .record = sl->record,
                                     .n = sl->n,
                                     .f = sl->f,
                                     .bad = sl->refused ? &sl->err : NULL};
            rc = fn(&row, ud, e);
            *p->cur = NULL;
            if (rc != YB_OK)
                goto out;
            if (++head % PIPE_GIVE == 0) {
                pthread_mutex_lock(&p->mu);
                give_back(p, head);
                pthread_mutex_unlock(&p->mu);
            }
        }
    }
out:
    stop_reader(p);
    return rc;
}
