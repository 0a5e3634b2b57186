/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hospital interface's dispatcher (docs/hospital.md): one
 * request body in the national input envelope, one answer in the output
 * envelope. It checks the envelope, answers a msgid seen before from the
 * message log, checks the sign-in, runs the transaction named by infno
 * (a writing one in a single store transaction together with its message
 * log row) and renders infcode 0 with output, or infcode -1 with a
 * Chinese err_msg that starts with a stable code and names the field:
 *   "[YB0002] input.data.mdtrt_cert_no: 必填 (required)".
 * The HTTP server (server.h) calls it; tests and the fuzz target call it
 * directly.
 *
 * Not thread-safe: one yb_hosp per store connection, used by one thread
 * at a time. The server (server.h) parses requests on its connection
 * threads, answers reading calls there on read-only connections, and
 * hands writing calls to one writer that runs them in batches (group
 * commit, below).
 */
#ifndef YIBAO_HOSP_H
#define YIBAO_HOSP_H

#include <stdbool.h>
#include <stddef.h>

#include "yibao/err.h"
#include "yibao/store.h"

struct yb_hosp;
struct yb_hosp_guard; /* below */

/* The benefit rules come from the policy set in the store (policyset.h):
 * a settlement, a fee upload and a fee query take the version in force
 * for the person's pooling region and the visit's day. */
struct yb_hosp_opts {
    const char *admdvs;          /* the agency's pooling region: the first 6
                                    digits of inf_refmsgid, mdtrt_id and
                                    setl_id; default "000000" */
    struct yb_hosp *share;       /* another dispatcher whose inf_refmsgid serial
                                    this one shares (its connections' siblings);
                                    it must outlive this one */
    struct yb_hosp_guard *guard; /* the server's per-institution limits and
                                    lookup audit, shared by its
                                    dispatchers; NULL: none */
};

int yb_hosp_new(yb_store *s, const struct yb_hosp_opts *o, struct yb_hosp **out,
                struct yb_err *e);
void yb_hosp_free(struct yb_hosp *h);

/* Answer one request. now is the call's time "yyyy-MM-dd HH:mm:ss" and
 * now_ms its milliseconds (for refmsg_time/respond_time). Returns a
 * malloc'd NUL-terminated JSON document (the caller frees it), or NULL
 * when out of memory. */
char *yb_hosp_call(struct yb_hosp *h, const char *body, size_t n,
                   const char *now, int now_ms);

/* The two halves of yb_hosp_call, for a server that parses on one thread
 * and answers on another. yb_hosp_parse reads the JSON and the envelope
 * (any refusal is kept and rendered by yb_hosp_answer); NULL only when out
 * of memory. yb_hosp_req_writes: whether the call runs a writing
 * transaction (false for a request that did not parse). yb_hosp_answer
 * may be called once per request, on any dispatcher; reading calls run in
 * one read transaction. */
struct yb_hosp_req;
struct yb_hosp_req *yb_hosp_parse(const char *body, size_t n);
bool yb_hosp_req_writes(const struct yb_hosp_req *q);
char *yb_hosp_answer(struct yb_hosp *h, struct yb_hosp_req *q, const char *now,
                     int now_ms);
void yb_hosp_req_free(struct yb_hosp_req *q);

/* The checks a call must pass before a server hands it to its writer, on
 * a read-only connection (in the caller's read transaction, or one of its
 * own): the envelope, infno, the institution and its sign-in (9001: its
 * credential). YB_OK when admitted; otherwise *refusal gets the answer
 * (malloc'd, the caller sends and frees it; NULL when out of memory) and
 * the msgid has not been looked at. The writer checks all again. */
int yb_hosp_admit(struct yb_hosp *h, struct yb_hosp_req *q, const char *now,
                  int now_ms, char **refusal);

/* The request's infno, fixmedins_code and msgid as parsed ("" when the
 * envelope did not get that far), borrowed from q; for the call log. */
void yb_hosp_req_ids(const struct yb_hosp_req *q, const char **infno,
                     const char **fixmedins_code, const char **msgid);

/* What the answer to q said: infcode 0, or -1 with *e its error (borrowed
 * from q); -1 with *e NULL before it was answered. */
int yb_hosp_req_outcome(const struct yb_hosp_req *q, const struct yb_err **e);

/* Group commit. Between batch_begin and batch_commit, every writing call
 * answered by h runs in a savepoint of one store transaction: a refused
 * call rolls back to its savepoint and leaves the others; batch_commit
 * makes them all durable at once (one sync), or none. The answers must
 * not leave the process before batch_commit returns YB_OK; if it fails,
 * every call of the batch failed: answer each with yb_hosp_refusal.
 * batch_rollback abandons the batch. */
int yb_hosp_batch_begin(struct yb_hosp *h, struct yb_err *e);
int yb_hosp_batch_commit(struct yb_hosp *h, struct yb_err *e);
void yb_hosp_batch_rollback(struct yb_hosp *h);
/* The infcode -1 envelope for e (a failed batch's calls). */
char *yb_hosp_refusal(struct yb_hosp *h, const char *now, int now_ms,
                      const struct yb_err *e);

/* The infno values the dispatcher knows, NULL-terminated (for docs and
 * tests). */
const char *const *yb_hosp_infnos(void);

/* ---- the guard ------------------------------------------------------------
 * What a server shares among its dispatchers (one per connection thread
 * and the writer): a token bucket per institution for the person lookups
 * (1101), which keep one institution from listing the insured population,
 * and the queue of lookup audit records (hospital.h, yb_lookup_rec) that
 * the writer stores in its batches, so that no lookup waits for the disk.
 * A lookup is checked after the sign-in (an unsigned caller cannot spend
 * another institution's tokens) and refused when over the rate, or when
 * the queue is full (no lookup goes unrecorded). Thread-safe. */
struct yb_hosp_guard_opts {
    unsigned lookup_rate;  /* 1101 a second per institution; 0: no limit */
    unsigned lookup_burst; /* the bucket's size; 0: lookup_rate */
    size_t audit_max;      /* records waiting at most; 0: 65,536 */
    /* called (on a connection thread, no lock held) when the queue has
     * grown by audit_max / 16 records: time the writer stored them */
    void (*wake)(void *ctx);
    void *ctx;
};

/* Counters since the guard was made. */
struct yb_hosp_guard_stats {
    unsigned long limited; /* lookups refused over the rate */
    unsigned long full;    /* lookups refused with the queue full */
    unsigned long audited; /* records queued */
    unsigned long stored;  /* records stored (committed) */
    unsigned long lost;    /* records lost (out of memory) */
};

int yb_hosp_guard_new(const struct yb_hosp_guard_opts *o,
                      struct yb_hosp_guard **out, struct yb_err *e);
/* Records still queued are lost (store them first). Accepts NULL. */
void yb_hosp_guard_free(struct yb_hosp_guard *g);
/* Records queued and not yet taken by yb_hosp_guard_store. */
size_t yb_hosp_guard_pending(struct yb_hosp_guard *g);
/* For the writer, inside its open transaction on s: insert every queued
 * record (*n: how many). The records are kept until yb_hosp_guard_stored
 * says whether the transaction committed: if not (or if this fails) they
 * go back to the queue. */
int yb_hosp_guard_store(struct yb_hosp_guard *g, yb_store *s, size_t *n,
                        struct yb_err *e);
void yb_hosp_guard_stored(struct yb_hosp_guard *g, bool committed);
void yb_hosp_guard_stats(struct yb_hosp_guard *g,
                         struct yb_hosp_guard_stats *out);

#endif
