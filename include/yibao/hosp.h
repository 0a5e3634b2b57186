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

/* The benefit rules come from the policy set in the store (policyset.h):
 * a settlement, a fee upload and a fee query take the version in force
 * for the person's pooling region and the visit's day. */
struct yb_hosp_opts {
    const char *admdvs;    /* the agency's pooling region: the first 6 digits
                              of inf_refmsgid, mdtrt_id and setl_id; default
                              "000000" */
    struct yb_hosp *share; /* another dispatcher whose inf_refmsgid serial
                              this one shares (its connections' siblings);
                              it must outlive this one */
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

#endif
