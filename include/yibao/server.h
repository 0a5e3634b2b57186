/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao serve`: the hospital interface over HTTP (GNU libmicrohttpd).
 *   POST /fsi/api/rsfComIfsService/callService   the national envelope
 *   GET  /healthz                                "ok" once serving
 * A thread pool takes connections and answers reading calls on read-only
 * store connections; writing calls go to one writer thread that runs them
 * in batches, one store transaction and one sync to disk a batch (group
 * commit), and answers each only once its batch is on disk. Bodies
 * above max_body get HTTP 413, other paths 404, other methods 405, all
 * with a JSON envelope (infcode -1). One log line per call, ID numbers
 * masked.
 */
#ifndef YIBAO_SERVER_H
#define YIBAO_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "yibao/err.h"
#include "yibao/policy.h"
#include "yibao/text.h" /* yb_mask_ids, for the call log */

/* What the writer did (group commit): commits, writing calls, the largest
 * batch, the seconds (of the clock) it spent running calls and
 * committing, its CPU seconds; the syncs, the seconds they took and the
 * longest. */
struct yb_server_stats {
    unsigned long batches, calls, largest, syncs;
    double run_s, commit_s, cpu_s, sync_s, sync_max_s;
    /* the WAL started again (the writer paused for the last copy) */
    unsigned long restarts;
    double pause_s, pause_max_s;
};

struct yb_server_opts {
    const char *db;     /* store target (a path or sqlite:PATH) */
    const char *listen; /* "127.0.0.1:PORT"; port 0 picks a free one */
    unsigned threads;   /* connection threads; 0: 2 */
    size_t max_body;    /* request body limit in bytes; 0: 1 MiB */
    unsigned timeout_s; /* idle connection timeout; 0: 30 s */
    const struct yb_policy *policy; /* may be NULL */
    FILE *log;                      /* call log; NULL: none */
    FILE *ready; /* "listening on ADDR:PORT" goes here once bound */
    struct yb_server_stats *stats; /* filled when the server stops; may
                                      be NULL */
};

/* Serve until *stop becomes non-zero (a signal handler sets it), then stop
 * taking connections, let calls in flight finish and return YB_OK.
 * Errors: YB_EINVAL for a bad listen address, YB_EIO when the port cannot
 * be bound, store errors from opening the database. */
int yb_server_run(const struct yb_server_opts *o, volatile sig_atomic_t *stop,
                  struct yb_err *e);

#endif
