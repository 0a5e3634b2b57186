/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP server of the hospital interface (include/yibao/server.h) on
 * GNU libmicrohttpd.
 *
 * A pool of connection threads reads requests and parses them. A reading
 * call (1101, the queries, the pre-settlements) is answered at once on
 * the thread, on a read-only store connection taken from a pool: on
 * SQLite's WAL, readers see the last committed state and neither wait
 * for the writer nor make it wait.
 *
 * A writing call is handed to the one writer thread, and its connection
 * is suspended. The writer takes every call waiting, runs them in one
 * store transaction, each in a savepoint of its own (a refused call rolls
 * back to its savepoint and leaves the others), and commits once: the
 * commit is written to the WAL but not synced. The batch then goes to the
 * syncer thread, which syncs the WAL (one fdatasync covers every batch
 * committed before it) and only then resumes the connections to send the
 * answers. So an answer never leaves before its call is on disk, and the
 * writer runs the next batch while the last one syncs (group commit). If
 * the commit fails, every call of the batch is answered with the failure
 * and nothing of it is stored. If a sync fails, the batches it covered
 * are answered with the failure (a retry with the same msgid gets the
 * stored answer if the call did reach the disk) and the server refuses
 * writing calls from then on.
 *
 * Before a writing call is handed over, the connection thread admits it
 * on its read-only connection (yb_hosp_admit: the envelope, the
 * institution, the sign-in or for 9001 the credential): a call that is
 * refused there never reaches the writer or the disk. The writer checks
 * again in its transaction.
 *
 * The lookup audit records of 1101 (the guard, hosp.h) wait in a queue;
 * the writer stores them at the start of a batch. The checkpointer asks
 * for one every CHECKPOINT_MS when records wait and no calls come, and the
 * guard asks at once when the queue has grown by a sixteenth of its size.
 *
 * Connections are limited in all and per address, and each request has a
 * deadline (conns.c).
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "server_int.h"
#include "yibao/hosp.h"
#include "yibao/server.h"
#include "yibao/store.h"

#define CALL_PATH "/fsi/api/rsfComIfsService/callService"

#define BATCH_MAX 1024 /* calls in one commit */

struct request {
    char *body;
    size_t n, cap;
    bool too_big;
    struct yb_hosp_req *q; /* parsed */
    char *answer;          /* set by the writer before it resumes */
    char now[20];
    struct timespec t0;
    struct request *next; /* in the writer's queue */
    struct MHD_Connection *c;
    bool failed; /* its batch failed: fail says why */
    struct yb_err fail;
};

/* A read-only connection with its dispatcher, one for each connection
 * thread, which finds it through a thread-local pointer: no lock and no
 * shared list on a call's way. `busy` is held by the thread during a call
 * and, between calls, briefly by the checkpointer when it ends a stale
 * snapshot (readers_sweep). A reader keeps its read transaction
 * (its snapshot) open from one call to the next while the snapshot is
 * fresh: younger than SNAPSHOT_NS and no commit of the writer since it
 * began. Beginning a read transaction on SQLite's WAL costs locks on the
 * shared wal-index (system calls, and a mutex the connection threads
 * contend for) that took a fifth of a 1101's time. */
struct reader {
    yb_store *s;
    struct yb_hosp *h;
    unsigned long gen;  /* the writer's commits when it began */
    struct timespec t0; /* when it began */
    atomic_int busy;    /* 1 while a thread uses it */
    const void *owner;  /* the server it belongs to */
    struct reader *all;
};

/* The connection thread's reader. */
static _Thread_local struct reader *thread_reader;

#define SNAPSHOT_NS                                                            \
    1000000L /* 1 ms: another process's commit (an                             \
              * import from the command line) is seen at                       \
              * most this late */

struct server {
    const struct yb_server_opts *o;
    size_t max_body;
    /* the writer */
    yb_store *ws;
    struct yb_hosp *wh;
    pthread_t writer;
    pthread_mutex_t mu;
    pthread_cond_t wake, idle;
    struct request *head, *tail;
    size_t pending;         /* handed to the writer, not yet resumed */
    atomic_ulong commits;   /* batches committed: readers' snapshots older
                             * than the last one are not reused */
    atomic_bool restarting; /* the checkpointer restarts the WAL */
    struct yb_server_stats stats;
    /* the syncer: committed batches waiting for their sync */
    yb_store_sync *sync;
    pthread_t syncer;
    pthread_cond_t synced;
    pthread_cond_t ckpt_wake; /* only at stopping */
    /* the checkpointer pauses the writer to start the WAL again */
    pthread_cond_t pause_cv;
    bool pause_req, writer_paused, writer_done;
    struct request *committed, *committed_tail;
    bool sync_failed, sync_stopping;
    /* the checkpointer: moves the WAL into the database file, off the
     * writer's path (its syncs of the database file would stall it) */
    yb_store *cs;
    pthread_t checkpointer;
    unsigned long handed; /* batches committed so far */
    bool closing, stopping;
    /* the readers: every one made, for the sweep and the close */
    pthread_mutex_t rmu;
    struct reader *readers;
    /* 1101's limits and lookup audit; the writer stores the records when
     * asked (flush_req), and once more at stopping (final_flush) */
    struct yb_hosp_guard *guard;
    bool flush_req, final_flush;
    /* connection limits and deadlines */
    struct yb__conns *conns;
    /* TLS: the certificate and key, for the daemon's life */
    char *tls_cert, *tls_key;
};

/* The call's time, "yyyy-MM-dd HH:mm:ss" and its milliseconds. A thread
 * formats a second once: localtime_r takes glibc's global time-zone lock,
 * which every call of every thread would otherwise contend for. */
static void clock_now(char now[20], int *ms)
{
    static _Thread_local time_t last = -1;
    static _Thread_local char text[20];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != last) {
        struct tm tm;
        localtime_r(&ts.tv_sec, &tm);
        strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
        last = ts.tv_sec;
    }
    memcpy(now, text, sizeof text);
    *ms = (int)(ts.tv_nsec / 1000000);
}

/* One line of the call log: time, the request's infno, institution and
 * msgid as parsed ("" when the envelope did not get that far), the
 * answer's infcode, milliseconds, and the error (ID numbers masked). */
static void log_line(struct server *sv, const char *now, const char *infno,
                     const char *inst, const char *msgid, int infcode,
                     double ms, const struct yb_err *e)
{
    FILE *f = sv->o->log;
    char err[sizeof e->field + sizeof e->msg + 16], masked[sizeof err];
    err[0] = '\0';
    if (e)
        snprintf(err, sizeof err, "[YB%04d] %s%s%s", e->code, e->field,
                 e->field[0] ? ": " : "", e->msg);
    /* each field escaped and cut between characters (text.h) */
    char in[4 * 8 + 4], ic[4 * 32 + 4], im[4 * 32 + 4], ie[4 * 300 + 4];
    yb_text_log_field(in, sizeof in, infno, 8, true);
    yb_text_log_field(ic, sizeof ic, inst, 32, true);
    yb_text_log_field(im, sizeof im, msgid, 32, true);
    yb_text_log_field(ie, sizeof ie, yb_mask_ids(err, masked, sizeof masked),
                      300, false);
    flockfile(f);
    fprintf(f, "%s infno=%s inst=%s msgid=%s infcode=%d %.1fms%s%s\n", now, in,
            ic, im, infcode, ms, err[0] ? " " : "", ie);
    fflush(f);
    funlockfile(f);
}

static void log_call(struct server *sv, const struct request *r,
                     const char *now, double ms)
{
    if (!sv->o->log)
        return;
    const char *infno, *inst, *msgid;
    const struct yb_err *e = NULL;
    yb_hosp_req_ids(r->q, &infno, &inst, &msgid);
    int infcode = r->failed ? -1 : yb_hosp_req_outcome(r->q, &e);
    log_line(sv, now, infno, inst, msgid, infcode, ms,
             r->failed ? &r->fail : e);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
                             char *text)
{
    struct MHD_Response *res = MHD_create_response_from_buffer(
        strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!res) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(res, "Content-Type",
                            "application/json; charset=utf-8");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE) { /* come back later */
        MHD_add_response_header(res, "Retry-After", "1");
        MHD_add_response_header(res, "Connection", "close");
    }
    enum MHD_Result ok = MHD_queue_response(c, status, res);
    MHD_destroy_response(res);
    return ok;
}

/* An HTTP-level refusal, still in the envelope's shape. */
static enum MHD_Result refuse(struct MHD_Connection *c, unsigned status,
                              const char *code, const char *msg)
{
    char *t = malloc(512);
    if (!t)
        return MHD_NO;
    snprintf(t, 512,
             "{\"infcode\":-1,\"inf_refmsgid\":\"\",\"refmsg_time\":\"\","
             "\"respond_time\":\"\",\"err_msg\":\"[%s] %s\",\"warn_msg\":"
             "\"\",\"output\":{}}",
             code, msg);
    return reply(c, status, t);
}

static long ns_between(const struct timespec *a, const struct timespec *b)
{
    return (long)(b->tv_sec - a->tv_sec) * 1000000000L +
           (b->tv_nsec - a->tv_nsec);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)ns_between(t0, &t1) / 1e6;
}

/* ---- reading calls: on the connection thread ----------------------------
 */

/* End a reader's snapshot (it wrote nothing). */
static void reader_end(struct reader *rd)
{
    struct yb_err ignore = {0};
    if (yb_store_in_transaction(rd->s) &&
        yb_store_commit(rd->s, &ignore) != YB_OK)
        yb_store_rollback(rd->s);
}

/* A snapshot for the call about to run: the reader's own while fresh,
 * else a new one. The writer's count is read before the new transaction
 * begins, so a snapshot never counts a commit it does not hold. */
static int reader_snapshot(struct server *sv, struct reader *rd,
                           struct yb_err *e)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    unsigned long gen =
        atomic_load_explicit(&sv->commits, memory_order_acquire);
    if (yb_store_in_transaction(rd->s) && rd->gen == gen &&
        ns_between(&rd->t0, &now) < SNAPSHOT_NS)
        return YB_OK;
    reader_end(rd);
    int rc = yb_store_begin(rd->s, e);
    if (rc == YB_OK) {
        rd->gen = gen;
        rd->t0 = now;
    }
    return rc;
}

/* Hold a reader: its thread for a call, or the checkpointer between
 * calls (false when the reader is in use). */
static bool reader_hold(struct reader *rd)
{
    int free_ = 0;
    return atomic_compare_exchange_strong_explicit(
        &rd->busy, &free_, 1, memory_order_acquire, memory_order_relaxed);
}

static void reader_release(struct reader *rd)
{
    atomic_store_explicit(&rd->busy, 0, memory_order_release);
}

/* End the snapshots of the readers nobody is using that went stale, so
 * that an idle reader does not hold the WAL back from the checkpoints. */
static void readers_sweep(struct server *sv, bool all)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&sv->rmu);
    for (struct reader *rd = sv->readers; rd; rd = rd->all)
        if (reader_hold(rd)) { /* t0 is read only while held */
            if (all || ns_between(&rd->t0, &now) >= SNAPSHOT_NS)
                reader_end(rd);
            reader_release(rd);
        }
    pthread_mutex_unlock(&sv->rmu);
}

/* The calling thread's reader, held for the call; made on the thread's
 * first call. */
static struct reader *reader_take(struct server *sv, struct yb_err *e)
{
    struct reader *rd = thread_reader;
    if (rd && rd->owner == sv) {
        while (!reader_hold(rd)) /* the sweep has it for a moment */
            sched_yield();
        return rd;
    }
    rd = calloc(1, sizeof *rd);
    if (!rd) {
        yb_err_set(e, YB_ENOMEM, "server", "内存不足 (out of memory)");
        return NULL;
    }
    struct yb_hosp_opts ho = {
        .admdvs = sv->o->admdvs, .share = sv->wh, .guard = sv->guard};
    if (yb_store_open(sv->o->db, YB_STORE_READONLY, &rd->s, e) != YB_OK ||
        yb_hosp_new(rd->s, &ho, &rd->h, e) != YB_OK) {
        yb_store_close(rd->s);
        free(rd);
        return NULL;
    }
    rd->owner = sv;
    atomic_init(&rd->busy, 1);
    pthread_mutex_lock(&sv->rmu);
    rd->all = sv->readers;
    sv->readers = rd;
    pthread_mutex_unlock(&sv->rmu);
    thread_reader = rd;
    return rd;
}

/* Run fn on the calling thread's reader, in a fresh enough snapshot:
 * answer a reading call, or admit a writing one. NULL only when out of
 * memory; *admitted (may be NULL) whether fn admitted the call. */
static char *on_reader(struct server *sv, struct request *r, bool admit,
                       bool *admitted)
{
    int ms;
    struct yb_err e = {0};
    char *text = NULL;
    clock_now(r->now, &ms);
    struct reader *rd = reader_take(sv, &e);
    if (!rd) {
        if (!e.code)
            yb_err_set(&e, YB_ESTORE, "store",
                       "无法打开只读连接 (cannot open a reader)");
        r->failed = true;
        r->fail = e;
        return yb_hosp_refusal(sv->wh, r->now, ms, &e);
    }
    if (reader_snapshot(sv, rd, &e) != YB_OK) {
        r->failed = true;
        r->fail = e;
        text = yb_hosp_refusal(sv->wh, r->now, ms, &e);
    } else if (!admit)
        text = yb_hosp_answer(rd->h, r->q, r->now, ms);
    else if (yb_hosp_admit(rd->h, r->q, r->now, ms, &text) == YB_OK)
        *admitted = true;
    /* no snapshot kept after an admission (the call about to be written
     * makes it stale), nor while the checkpointer restarts the WAL, which
     * waits for every snapshot on it */
    if (admit || atomic_load_explicit(&sv->restarting, memory_order_acquire))
        reader_end(rd);
    reader_release(rd);
    return text;
}

/* ---- writing calls: the writer's batches --------------------------------
 */

/* Send the answers of a list of calls: the connection threads take them
 * up when their connections are resumed. */
static void resume_all(struct server *sv, struct request *list)
{
    while (list) {
        struct request *r = list;
        list = r->next;
        pthread_mutex_lock(&sv->mu);
        if (--sv->pending == 0)
            pthread_cond_broadcast(&sv->idle);
        pthread_mutex_unlock(&sv->mu);
        MHD_resume_connection(r->c); /* r may be freed from here on */
    }
}

/* Every call of the list failed with e (nothing of them is stored). */
static void refuse_all(struct server *sv, struct request *list,
                       const struct yb_err *e)
{
    for (struct request *r = list; r; r = r->next) {
        free(r->answer);
        r->answer = yb_hosp_refusal(sv->wh, r->now, 0, e);
        r->failed = true;
        r->fail = *e;
    }
}

/* In the batch's transaction: the lookup records waiting (a failure
 * leaves them queued for the next batch). */
static void store_lookups(struct server *sv)
{
    struct yb_err e = {0};
    size_t n = 0;
    if (sv->guard && yb_hosp_guard_store(sv->guard, sv->ws, &n, &e) != YB_OK &&
        sv->o->log)
        fprintf(sv->o->log, "lookup audit not stored (kept queued): %s: %s\n",
                e.field, e.msg);
}

static void run_batch(struct server *sv, struct request *list,
                      struct request *last)
{
    struct yb_err e = {0};
    int ms = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!list && !(sv->guard && yb_hosp_guard_pending(sv->guard)))
        return; /* asked to store the lookups, and there are none */
    int rc = yb_hosp_batch_begin(sv->wh, &e);
    if (rc == YB_OK)
        store_lookups(sv);
    for (struct request *r = list; r; r = r->next) {
        clock_now(r->now, &ms);
        r->answer = rc == YB_OK ? yb_hosp_answer(sv->wh, r->q, r->now, ms)
                                : yb_hosp_refusal(sv->wh, r->now, ms, &e);
    }
    double run = ms_since(&t0);
    if (rc == YB_OK)
        rc = yb_hosp_batch_commit(sv->wh, &e);
    sv->stats.run_s += run / 1e3;
    sv->stats.commit_s += (ms_since(&t0) - run) / 1e3;
    if (sv->guard)
        yb_hosp_guard_stored(sv->guard, rc == YB_OK);
    if (rc != YB_OK) { /* nothing of the batch is stored */
        if (!e.code)
            yb_err_set(&e, YB_ESTORE, "store", "提交失败 (commit failed)");
        refuse_all(sv, list, &e);
        resume_all(sv, list);
        return;
    }
    /* committed: readers take new snapshots from now on (before any
     * answer of the batch goes out, so a client reads what it wrote);
     * the syncer makes it durable, then the answers go */
    atomic_fetch_add_explicit(&sv->commits, 1, memory_order_release);
    pthread_mutex_lock(&sv->mu);
    if (list && sv->committed_tail) /* lookups alone wait for no sync */
        sv->committed_tail->next = list;
    else if (list)
        sv->committed = list;
    if (list)
        sv->committed_tail = last;
    sv->handed++;
    pthread_cond_broadcast(&sv->synced);
    pthread_mutex_unlock(&sv->mu);
}

static void *syncer(void *arg)
{
    struct server *sv = arg;
    pthread_setname_np(pthread_self(), "yb-syncer");
    for (;;) {
        pthread_mutex_lock(&sv->mu);
        while (!sv->committed && !sv->sync_stopping)
            pthread_cond_wait(&sv->synced, &sv->mu);
        struct request *list = sv->committed;
        sv->committed = sv->committed_tail = NULL;
        pthread_mutex_unlock(&sv->mu);
        if (!list)
            return NULL;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct yb_err e = {0};
        if (yb_store_sync_run(sv->sync, &e) != YB_OK) {
            pthread_mutex_lock(&sv->mu);
            sv->sync_failed = true;
            pthread_mutex_unlock(&sv->mu);
            if (sv->o->log)
                fprintf(sv->o->log, "sync failed: %s: %s\n", e.field, e.msg);
            yb_err_set(&e, YB_ESTORE, "store",
                       "写盘失败，请以原报文ID重试 (sync failed, retry "
                       "with the same msgid)");
            refuse_all(sv, list, &e);
        }
        double took = ms_since(&t0) / 1e3;
        sv->stats.syncs++;
        sv->stats.sync_s += took;
        if (took > sv->stats.sync_max_s)
            sv->stats.sync_max_s = took;
        resume_all(sv, list);
    }
}

/* Every CHECKPOINT_MS the checkpointer copies what the WAL gained into the
 * database file: each page changed since, once (a checkpoint after every
 * commit copied the same hot pages over and over, a quarter of a core).
 * That never lets the WAL start again from its beginning while the writer
 * keeps committing (SQLite restarts the log only at a write that finds it
 * wholly copied): it grew by some 100 MB a second under a steady load. So
 * when the log passes RESTART_PAGES, the checkpointer pauses the writer
 * between two batches, copies the little that is left, waits for readers
 * still on the log (SQLite's RESTART checkpoint) and lets the writer go on:
 * its next commit starts the log again. The pause is the copy of what the
 * last CHECKPOINT_MS added (a few ms). */
#define CHECKPOINT_MS 50
#define RESTART_PAGES 4096 /* 16 MiB of 4 KiB pages */

static void checkpoint_now(struct server *sv, bool restart, int64_t *pages)
{
    struct yb_err e = {0};
    if (yb_store_checkpoint(sv->cs, restart, pages, &e) != YB_OK && sv->o->log)
        fprintf(sv->o->log, "checkpoint failed: %s\n", e.msg);
}

/* With sv->mu held: stop the writer between batches; false when it has
 * stopped for good. */
static bool pause_writer(struct server *sv)
{
    sv->pause_req = true;
    pthread_cond_signal(&sv->wake);
    while (!sv->writer_paused && !sv->writer_done)
        pthread_cond_wait(&sv->pause_cv, &sv->mu);
    return sv->writer_paused;
}

static void resume_writer(struct server *sv)
{
    sv->pause_req = false;
    pthread_cond_broadcast(&sv->pause_cv);
}

static void restart_log(struct server *sv)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_mutex_lock(&sv->mu);
    bool paused = pause_writer(sv);
    pthread_mutex_unlock(&sv->mu);
    if (paused) {
        /* the RESTART waits for every reader still on the log: end the
         * idle readers' snapshots now, and readers end theirs after each
         * call until it is done */
        atomic_store_explicit(&sv->restarting, true, memory_order_release);
        readers_sweep(sv, true);
        checkpoint_now(sv, true, NULL);
        atomic_store_explicit(&sv->restarting, false, memory_order_release);
    }
    pthread_mutex_lock(&sv->mu);
    resume_writer(sv);
    pthread_mutex_unlock(&sv->mu);
    double took = ms_since(&t0) / 1e3;
    sv->stats.restarts++;
    sv->stats.pause_s += took;
    if (took > sv->stats.pause_max_s)
        sv->stats.pause_max_s = took;
}

static void *checkpointer(void *arg)
{
    struct server *sv = arg;
    unsigned long done = 0;
    pthread_setname_np(pthread_self(), "yb-checkpoint");
    pthread_mutex_lock(&sv->mu);
    while (!sv->sync_stopping) {
        struct timespec until;
        yb__time_in(&until, CHECKPOINT_MS);
        while (!sv->sync_stopping &&
               pthread_cond_timedwait(&sv->ckpt_wake, &sv->mu, &until) !=
                   ETIMEDOUT)
            ;
        pthread_mutex_unlock(&sv->mu);
        readers_sweep(sv, false);
        bool lookups = sv->guard && yb_hosp_guard_pending(sv->guard);
        pthread_mutex_lock(&sv->mu);
        if (lookups && !sv->flush_req) { /* no calls came to carry them */
            sv->flush_req = true;
            pthread_cond_signal(&sv->wake);
        }
        if (sv->handed == done || sv->sync_stopping)
            continue;
        done = sv->handed;
        pthread_mutex_unlock(&sv->mu);
        int64_t pages = 0;
        checkpoint_now(sv, false, &pages);
        if (pages >= RESTART_PAGES)
            restart_log(sv);
        pthread_mutex_lock(&sv->mu);
    }
    pthread_mutex_unlock(&sv->mu);
    return NULL;
}

/* Wait, with sv->mu held, for calls to run or lookup records to store;
 * false when stopping (once the records are stored). *list gets the calls
 * (NULL: records only). Pauses here, between batches, while the
 * checkpointer asks. */
static bool next_batch(struct server *sv, struct request **list,
                       struct request **last, unsigned long *k)
{
    for (;;) {
        if (sv->pause_req) {
            sv->writer_paused = true;
            pthread_cond_broadcast(&sv->pause_cv);
            pthread_cond_wait(&sv->pause_cv, &sv->mu);
            continue;
        }
        sv->writer_paused = false;
        if (sv->head || sv->flush_req)
            break;
        if (sv->stopping && !sv->final_flush && sv->guard) {
            sv->final_flush = true; /* once: a failing store stops too */
            break;
        }
        if (sv->stopping)
            return false;
        pthread_cond_wait(&sv->wake, &sv->mu);
    }
    sv->flush_req = false;
    *list = sv->head;
    *k = 0;
    if (!*list)
        return true;
    *last = *list;
    for (*k = 1; *k < BATCH_MAX && (*last)->next; (*k)++)
        *last = (*last)->next;
    sv->head = (*last)->next;
    if (!sv->head)
        sv->tail = NULL;
    (*last)->next = NULL;
    return true;
}

static void *writer(void *arg)
{
    struct server *sv = arg;
    pthread_setname_np(pthread_self(), "yb-writer");
    for (;;) {
        struct request *list = NULL, *last = NULL;
        unsigned long k = 0;
        pthread_mutex_lock(&sv->mu);
        if (!next_batch(sv, &list, &last, &k)) {
            sv->writer_done = true;
            pthread_cond_broadcast(&sv->pause_cv);
            pthread_mutex_unlock(&sv->mu);
            return NULL;
        }
        pthread_mutex_unlock(&sv->mu);
        struct timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        if (list) {
            sv->stats.batches++;
            sv->stats.calls += k;
            if (k > sv->stats.largest)
                sv->stats.largest = k;
        }
        run_batch(sv, list, last);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        sv->stats.cpu_s += (double)(c1.tv_sec - c0.tv_sec) +
                           (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    }
}

/* The guard's call when its queue has grown: store the records now. */
static void wake_for_lookups(void *ctx)
{
    struct server *sv = ctx;
    pthread_mutex_lock(&sv->mu);
    sv->flush_req = true;
    pthread_cond_signal(&sv->wake);
    pthread_mutex_unlock(&sv->mu);
}

/* Hand a writing call to the writer; false when the server is stopping. */
static bool hand_over(struct server *sv, struct MHD_Connection *c,
                      struct request *r)
{
    pthread_mutex_lock(&sv->mu);
    if (sv->closing || sv->sync_failed) {
        pthread_mutex_unlock(&sv->mu);
        return false;
    }
    /* suspended before the writer can resume it */
    MHD_suspend_connection(c);
    r->c = c;
    r->next = NULL;
    if (sv->tail)
        sv->tail->next = r;
    else
        sv->head = r;
    sv->tail = r;
    sv->pending++;
    pthread_cond_signal(&sv->wake);
    pthread_mutex_unlock(&sv->mu);
    return true;
}

static enum MHD_Result answer(struct server *sv, struct MHD_Connection *c,
                              struct request *r)
{
    if (r->answer) { /* back from the writer */
        char *text = r->answer;
        r->answer = NULL;
        log_call(sv, r, r->now, ms_since(&r->t0));
        return reply(c, MHD_HTTP_OK, text);
    }
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    yb__conns_answering(c);
    if (r->too_big) {
        char msg[128];
        snprintf(msg, sizeof msg, "请求报文超过 %zu 字节 (body too large)",
                 sv->max_body);
        return refuse(c, MHD_HTTP_CONTENT_TOO_LARGE, "YB0002", msg);
    }
    r->q = yb_hosp_parse(r->body ? r->body : "", r->n);
    if (!r->q)
        return refuse(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "YB0001",
                      "内存不足 (out of memory)");
    bool writes = yb_hosp_req_writes(r->q), admitted = false;
    /* a writing call is admitted here first: one refused never reaches
     * the writer */
    char *text = on_reader(sv, r, writes, &admitted);
    if (admitted) {
        if (hand_over(sv, c, r))
            return MHD_YES;
        return refuse(c, MHD_HTTP_SERVICE_UNAVAILABLE, "YB0013",
                      sv->sync_failed
                          ? "存储不可用，暂停写入交易 (storage failed)"
                          : "服务正在停止，请稍后重试 (server stopping)");
    }
    if (!text)
        return refuse(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "YB0001",
                      "内存不足 (out of memory)");
    log_call(sv, r, r->now, ms_since(&r->t0));
    return reply(c, MHD_HTTP_OK, text);
}

static int append(struct server *sv, struct request *r, const char *data,
                  size_t n)
{
    if (r->too_big || r->n + n > sv->max_body) {
        r->too_big = true;
        return 0;
    }
    if (r->n + n + 1 > r->cap) {
        /* a body usually comes in one piece: no more than it needs (a
         * block of 1 KiB or more makes glibc's malloc sort its freed small
         * blocks first, a cost on every request) */
        size_t cap = r->cap ? r->cap * 2 : r->n + n + 1;
        while (cap < r->n + n + 1)
            cap *= 2;
        char *b = realloc(r->body, cap);
        if (!b)
            return -1;
        r->body = b;
        r->cap = cap;
    }
    memcpy(r->body + r->n, data, n);
    r->n += n;
    r->body[r->n] = '\0';
    return 0;
}

/* A connection opened past a limit: 503, and it is closed. */
static enum MHD_Result refuse_over(struct server *sv, struct MHD_Connection *c,
                                   int over)
{
    char msg[200], now[20];
    int ms;
    const struct yb_server_opts *o = sv->o;
    if (over == YB__CONN_FULL)
        snprintf(msg, sizeof msg,
                 "服务器连接数已达上限 %u，请稍后重试 (too many "
                 "connections)",
                 o->max_conns);
    else
        snprintf(msg, sizeof msg,
                 "来自同一地址的连接数已达上限 %u，请稍后重试 (too many "
                 "connections from this address)",
                 o->max_conns_per_ip);
    if (o->log) {
        struct yb_err e = {.code = YB_EBUSY};
        snprintf(e.msg, sizeof e.msg, "%s", msg);
        clock_now(now, &ms);
        log_line(sv, now, "", "", "", -1, 0, &e);
    }
    return refuse(c, MHD_HTTP_SERVICE_UNAVAILABLE, "YB0012", msg);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct server *sv = cls;
    (void)version;
    static _Thread_local bool named;
    if (!named) /* libmicrohttpd's pool threads, for top -H and perf */
        named = pthread_setname_np(pthread_self(), "yb-http") == 0;
    if (strcmp(url, "/healthz") == 0 && strcmp(method, "GET") == 0) {
        char *t = strdup("{\"status\":\"ok\"}");
        return t ? reply(c, MHD_HTTP_OK, t) : MHD_NO;
    }
    if (strcmp(url, CALL_PATH) != 0)
        return refuse(c, MHD_HTTP_NOT_FOUND, "YB0005",
                      "接口地址不存在 (unknown path)");
    if (strcmp(method, "POST") != 0)
        return refuse(c, MHD_HTTP_METHOD_NOT_ALLOWED, "YB0002",
                      "仅支持 POST (POST only)");
    struct request *r = *con_cls;
    if (!r) {
        int over = yb__conns_over(sv->conns, c);
        if (over != YB__CONN_OK)
            return refuse_over(sv, c, over);
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (append(sv, r, upload, *upload_size) != 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    return answer(sv, c, r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)code;
    yb__conns_answered(c); /* the next request's deadline starts */
    struct request *r = *con_cls;
    if (r) {
        yb_hosp_req_free(r->q);
        free(r->answer);
        free(r->body);
        free(r);
        *con_cls = NULL;
    }
}

static int parse_listen(const char *listen, struct sockaddr_in *a,
                        struct yb_err *e)
{
    char host[64];
    const char *colon = listen ? strrchr(listen, ':') : NULL;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return yb_err_set(e, YB_EINVAL, "listen",
                          "地址应为 主机:端口，实际为 \"%s\" (not HOST:PORT)",
                          listen ? listen : "");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (!*(colon + 1) || *end || port < 0 || port > 65535)
        return yb_err_set(e, YB_EINVAL, "listen",
                          "端口号无效：\"%s\" (not a port)", colon + 1);
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return yb_err_set(e, YB_EINVAL, "listen",
                          "地址 \"%s\" 不是 IPv4 地址 (not an IPv4 address)",
                          host);
    a->sin_port = htons((uint16_t)port);
    return YB_OK;
}

/* A PEM file for TLS, whole (at most 1 MiB), NUL-terminated; NULL with e
 * set when it cannot be read. */
static char *read_pem(const char *path, struct yb_err *e)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc((1 << 20) + 1) : NULL;
    size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
    bool ok = buf && !ferror(f) && n > 0 && n < (1 << 20);
    int err = errno;
    if (f)
        fclose(f);
    if (!ok) {
        free(buf);
        yb_err_set(e, YB_EIO, "tls", "无法读取 \"%s\"：%s (cannot read)", path,
                   !f || !buf ? strerror(err)
                   : n == 0   ? "空文件 (empty)"
                              : "超过 1 MiB (too large)");
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* The certificate and key load together (GnuTLS, as libmicrohttpd will
 * load them): a wrong file is named before the daemon starts. */
static int check_pair(const struct yb_server_opts *o, const char *cert,
                      const char *key, struct yb_err *e)
{
    gnutls_certificate_credentials_t cred;
    gnutls_datum_t c = {(unsigned char *)(uintptr_t)cert,
                        (unsigned)strlen(cert)};
    gnutls_datum_t k = {(unsigned char *)(uintptr_t)key, (unsigned)strlen(key)};
    if (gnutls_certificate_allocate_credentials(&cred) < 0)
        return yb_err_set(e, YB_ENOMEM, "tls", "内存不足 (out of memory)");
    int r =
        gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(cred);
    if (r < 0)
        return yb_err_set(e, YB_EINVAL, "tls",
                          "证书 \"%s\" 与私钥 \"%s\" 无法一同载入：%s "
                          "(certificate and key do not load together)",
                          o->tls_cert, o->tls_key, gnutls_strerror(r));
    return YB_OK;
}

static int load_tls(struct server *sv, struct yb_err *e)
{
    const struct yb_server_opts *o = sv->o;
    if (!o->tls_cert && !o->tls_key)
        return YB_OK;
    if (!o->tls_cert || !o->tls_key)
        return yb_err_set(e, YB_EINVAL, "tls",
                          "证书与私钥须同时给出 (--tls-cert and --tls-key "
                          "go together)");
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return yb_err_set(e, YB_EINVAL, "tls",
                          "本机的 libmicrohttpd 不支持 TLS (libmicrohttpd is "
                          "built without TLS)");
    sv->tls_cert = read_pem(o->tls_cert, e);
    sv->tls_key = sv->tls_cert ? read_pem(o->tls_key, e) : NULL;
    if (!sv->tls_key)
        return YB_EIO;
    return check_pair(o, sv->tls_cert, sv->tls_key, e);
}

/* The file descriptors the limits need: libmicrohttpd's hard limit and
 * some for the database, the log and the listening socket. The soft limit
 * is raised up to the hard one when it is lower (1,024 by default: the
 * old server stopped accepting at 1,020 idle connections). */
static int fit_file_limit(const struct yb__conns_opts *c, unsigned threads,
                          struct yb_err *e)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)yb__conns_hard_limit(c) + 64 + 8 * (rlim_t)threads;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
        return YB_OK;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
        return yb_err_set(
            e, YB_EINVAL, "max_conns",
            "%u 个连接需要 %llu 个文件描述符，上限为 %llu（ulimit "
            "-n）：请降低 --max-conns 或提高上限 (too few file "
            "descriptors: lower --max-conns or raise ulimit -n)",
            c->max, (unsigned long long)need, (unsigned long long)rl.rlim_max);
    rl.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        return yb_err_set(
            e, YB_EIO, "max_conns",
            "无法把文件描述符上限提高到 %llu：%s (cannot raise the "
            "file limit)",
            (unsigned long long)need, strerror(errno));
    return YB_OK;
}

static struct MHD_Daemon *start_daemon(struct server *sv,
                                       const struct sockaddr_in *addr,
                                       const struct yb__conns_opts *c)
{
    const struct yb_server_opts *o = sv->o;
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, (void *)(const struct sockaddr *)addr},
        {MHD_OPTION_THREAD_POOL_SIZE, o->threads, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, yb__conns_hard_limit(c), NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, yb__conns_hard_per_ip(c), NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_done, sv},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)yb__conns_notify, sv->conns},
        /* TLS 1.2 and 1.3 only */
        {MHD_OPTION_HTTPS_PRIORITIES, 0,
         sv->tls_cert ? "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" : NULL},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, sv->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, sv->tls_key},
        {MHD_OPTION_END, 0, NULL}};
    if (!sv->tls_cert) /* the TLS options end the list */
        opts[7].option = MHD_OPTION_END;
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
            MHD_ALLOW_SUSPEND_RESUME | (sv->tls_cert ? MHD_USE_TLS : 0),
        ntohs(addr->sin_port), NULL, NULL, on_request, sv, MHD_OPTION_ARRAY,
        opts, MHD_OPTION_END);
}

static int serve(struct server *sv, const struct sockaddr_in *addr,
                 volatile sig_atomic_t *stop, struct yb_err *e)
{
    const struct yb_server_opts *o = sv->o;
    struct yb__conns_opts c = {.max = o->max_conns,
                               .per_ip = o->max_conns_per_ip,
                               .request_timeout_s = o->request_timeout_s};
    int rc = fit_file_limit(&c, o->threads, e);
    if (rc == YB_OK)
        rc = yb__conns_new(&c, &sv->conns, e);
    if (rc == YB_OK)
        rc = yb__conns_start(sv->conns, e);
    if (rc != YB_OK)
        return rc;
    struct MHD_Daemon *d = start_daemon(sv, addr, &c);
    if (!d)
        return yb_err_set(e, YB_EIO, "listen",
                          "无法在 %s 上监听：%s (cannot listen)", o->listen,
                          strerror(errno));
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (o->ready) {
        char host[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &addr->sin_addr, host, sizeof host);
        fprintf(o->ready, "listening on %s:%u\n", host,
                info ? (unsigned)info->port : ntohs(addr->sin_port));
        fflush(o->ready);
    }
    struct timespec tick = {0, 50000000};
    while (!*stop)
        nanosleep(&tick, NULL);
    /* stop accepting; refuse new writing calls; let the writer finish the
     * calls it holds and resume their connections; then stop */
    MHD_socket fd = MHD_quiesce_daemon(d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    pthread_mutex_lock(&sv->mu);
    sv->closing = true;
    while (sv->pending)
        pthread_cond_wait(&sv->idle, &sv->mu);
    pthread_mutex_unlock(&sv->mu);
    struct timespec grace = {0, 20000000}; /* the resumed answers go out */
    nanosleep(&grace, NULL);
    MHD_stop_daemon(d);
    yb__conns_stop(sv->conns);
    return YB_OK;
}

static void close_all(struct server *sv)
{
    while (sv->readers) {
        struct reader *rd = sv->readers;
        sv->readers = rd->all;
        yb_hosp_free(rd->h);
        yb_store_close(rd->s);
        free(rd);
    }
    yb_hosp_free(sv->wh);
    yb_store_sync_close(sv->sync);
    yb_store_close(sv->cs);
    yb_store_close(sv->ws);
    yb_hosp_guard_free(sv->guard);
    yb__conns_free(sv->conns);
    free(sv->tls_cert);
    if (sv->tls_key) { /* a private key: not left in freed memory */
        memset(sv->tls_key, 0, strlen(sv->tls_key));
        free(sv->tls_key);
    }
}

/* The options with their defaults filled in. */
static struct yb_server_opts with_defaults(const struct yb_server_opts *o)
{
    struct yb_server_opts d = *o;
    d.threads = d.threads ? d.threads : 2;
    d.max_body = d.max_body ? d.max_body : 1u << 20;
    d.timeout_s = d.timeout_s ? d.timeout_s : 30;
    d.request_timeout_s = d.request_timeout_s ? d.request_timeout_s : 30;
    d.max_conns = d.max_conns ? d.max_conns : 2000;
    d.max_conns_per_ip = d.max_conns_per_ip ? d.max_conns_per_ip : 200;
    d.lookup_rate = d.lookup_rate ? d.lookup_rate : 20;
    d.lookup_burst = d.lookup_burst ? d.lookup_burst : 200;
    return d;
}

/* The writer's and the guard's figures, into the stats and the log. */
static void report(struct server *sv, const struct yb_server_opts *o)
{
    struct yb_hosp_guard_stats g = {0};
    if (sv->guard)
        yb_hosp_guard_stats(sv->guard, &g);
    sv->stats.lookups_limited = g.limited;
    sv->stats.lookups_full = g.full;
    sv->stats.lookups_audited = g.audited;
    sv->stats.lookups_stored = g.stored;
    sv->stats.lookups_lost = g.lost;
    if (sv->conns)
        yb__conns_counts(sv->conns, &sv->stats.conns_refused,
                         &sv->stats.conns_timed_out);
    if (o->stats)
        *o->stats = sv->stats;
    if (!o->log)
        return;
    if (sv->stats.batches)
        fprintf(o->log,
                "writer: %lu calls in %lu commits (%.1f a commit, largest "
                "%lu), %lu syncs\n",
                sv->stats.calls, sv->stats.batches,
                (double)sv->stats.calls / (double)sv->stats.batches,
                sv->stats.largest, sv->stats.syncs);
    fprintf(o->log,
            "guard: %lu connections refused (503), %lu closed at their "
            "deadline; 1101: %lu over the rate, %lu with the audit queue "
            "full, %lu audited, %lu stored, %lu lost\n",
            sv->stats.conns_refused, sv->stats.conns_timed_out, g.limited,
            g.full, g.audited, g.stored, g.lost);
}

int yb_server_run(const struct yb_server_opts *o_in,
                  volatile sig_atomic_t *stop, struct yb_err *e)
{
    struct sockaddr_in addr;
    const struct yb_server_opts opts = with_defaults(o_in), *o = &opts;
    struct server sv = {.o = o, .max_body = o->max_body};
    struct yb_hosp_guard_opts go = {
        .lookup_rate =
            o->lookup_rate == YB_SERVER_UNLIMITED ? 0 : o->lookup_rate,
        .lookup_burst = o->lookup_burst,
        .wake = wake_for_lookups,
        .ctx = &sv};
    int rc = parse_listen(o->listen, &addr, e);
    if (rc == YB_OK)
        rc = load_tls(&sv, e);
    if (rc == YB_OK)
        rc = yb_hosp_guard_new(&go, &sv.guard, e);
    if (rc == YB_OK)
        rc = yb_store_open(o->db, YB_STORE_GROUPCOMMIT, &sv.ws, e);
    if (rc == YB_OK)
        rc = yb_store_sync_open(sv.ws, &sv.sync, e);
    if (rc == YB_OK)
        rc = yb_store_open(o->db, 0, &sv.cs, e);
    struct yb_hosp_opts ho = {.admdvs = o->admdvs, .guard = sv.guard};
    if (rc == YB_OK)
        rc = yb_hosp_new(sv.ws, &ho, &sv.wh, e);
    if (rc != YB_OK) {
        close_all(&sv);
        return rc;
    }
    /* Calls allocate and free a few hundred KiB each, on several threads:
     * keep freed memory in the process instead of giving it back to the
     * kernel and faulting it in again at the next call (glibc trims a
     * thread's heap as soon as 128 KiB at its top are free). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    pthread_mutex_init(&sv.mu, NULL);
    pthread_mutex_init(&sv.rmu, NULL);
    pthread_cond_init(&sv.wake, NULL);
    pthread_cond_init(&sv.idle, NULL);
    pthread_cond_init(&sv.synced, NULL);
    pthread_cond_init(&sv.ckpt_wake, NULL);
    pthread_cond_init(&sv.pause_cv, NULL);
    bool have_syncer = pthread_create(&sv.syncer, NULL, syncer, &sv) == 0;
    bool have_ckpt = have_syncer && pthread_create(&sv.checkpointer, NULL,
                                                   checkpointer, &sv) == 0;
    if (!have_ckpt || pthread_create(&sv.writer, NULL, writer, &sv) != 0)
        rc = yb_err_set(e, YB_ENOMEM, "server",
                        "无法启动写入线程 (cannot start the writer)");
    else {
        rc = serve(&sv, &addr, stop, e);
        pthread_mutex_lock(&sv.mu);
        sv.closing = sv.stopping = true;
        pthread_cond_signal(&sv.wake);
        pthread_mutex_unlock(&sv.mu);
        pthread_join(sv.writer, NULL);
    }
    if (have_syncer) { /* after the writer: it hands batches over */
        pthread_mutex_lock(&sv.mu);
        sv.sync_stopping = true;
        pthread_cond_broadcast(&sv.synced);
        pthread_cond_broadcast(&sv.ckpt_wake);
        pthread_mutex_unlock(&sv.mu);
        pthread_join(sv.syncer, NULL);
    }
    if (have_ckpt)
        pthread_join(sv.checkpointer, NULL);
    report(&sv, o_in);
    pthread_cond_destroy(&sv.pause_cv);
    pthread_cond_destroy(&sv.ckpt_wake);
    pthread_cond_destroy(&sv.synced);
    pthread_cond_destroy(&sv.idle);
    pthread_cond_destroy(&sv.wake);
    pthread_mutex_destroy(&sv.rmu);
    pthread_mutex_destroy(&sv.mu);
    close_all(&sv);
    return rc;
}
