/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao serve`: the hospital interface over HTTP (GNU libmicrohttpd).
 *   POST /fsi/api/rsfComIfsService/callService   the national envelope
 *   GET  /healthz                                "ok" once serving
 * A thread pool takes connections and answers reading calls on read-only
 * store connections; writing calls go to one writer thread that runs them
 * in batches, one store transaction and one sync to disk a batch (group
 * commit), and answers each only once its batch is on disk. A writing
 * call is admitted (envelope, institution, sign-in) on the connection
 * thread first: one that is refused never reaches the writer. Bodies
 * above max_body get HTTP 413, other paths 404, other methods 405; a
 * connection beyond max_conns, or beyond max_conns_per_ip from one
 * address, gets 503 and is closed; all with a JSON envelope (infcode -1).
 * A request must arrive whole within request_timeout_s of its
 * connection's opening or its last answer, or the connection is closed.
 * Over TLS with tls_cert and tls_key. 1101 is limited per institution and
 * every lookup recorded (hosp.h, the guard). One log line per call, ID
 * numbers masked, control characters escaped.
 */
#ifndef YIBAO_SERVER_H
#define YIBAO_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "yibao/err.h"
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
    /* requests refused 503 over the connection limits; connections closed
     * at their request's deadline */
    unsigned long conns_refused, conns_timed_out;
    /* 1101: refused over the rate, refused with the audit queue full,
     * audited (queued), stored, lost (out of memory) */
    unsigned long lookups_limited, lookups_full, lookups_audited,
        lookups_stored, lookups_lost;
};

/* lookup_rate: no limit */
#define YB_SERVER_UNLIMITED 0xffffffffu

struct yb_server_opts {
    const char *db;             /* store target (a path or sqlite:PATH) */
    const char *listen;         /* "127.0.0.1:PORT"; port 0 picks a free one */
    unsigned threads;           /* connection threads; 0: 2 */
    size_t max_body;            /* request body limit in bytes; 0: 1 MiB */
    unsigned timeout_s;         /* idle connection timeout; 0: 30 s */
    unsigned request_timeout_s; /* a request's deadline, head and body,
                                   from its connection's opening or last
                                   answer; 0: 30 s */
    unsigned max_conns;         /* connections at once; 0: 2,000 */
    unsigned max_conns_per_ip;  /* from one address; 0: 200 */
    unsigned lookup_rate;       /* 1101 a second per institution; 0: 20;
                                   YB_SERVER_UNLIMITED: no limit */
    unsigned lookup_burst;      /* 1101 at once per institution; 0: 200 */
    const char *tls_cert;       /* PEM certificate (chain) file: serve HTTPS */
    const char *tls_key;        /* its PEM private key file */
    const char *admdvs;         /* the agency's pooling region (yb_hosp_opts);
                                   the benefit rules come from the policy set
                                   in the database (policyset.h) */
    FILE *log;                  /* call log; NULL: none */
    FILE *ready; /* "listening on ADDR:PORT" goes here once bound */
    struct yb_server_stats *stats; /* filled when the server stops; may
                                      be NULL */
};

/* Serve until *stop becomes non-zero (a signal handler sets it), then stop
 * taking connections, let calls in flight finish, store the lookup records
 * still queued and return YB_OK. Errors: YB_EINVAL for a bad listen
 * address, only one of tls_cert and tls_key, or limits the process's file
 * limit cannot hold (e->field "listen", "tls" or "max_conns"); YB_EIO when
 * the port cannot be bound or a TLS file read (e->field "tls"), store
 * errors from opening the database. */
int yb_server_run(const struct yb_server_opts *o, volatile sig_atomic_t *stop,
                  struct yb_err *e);

#endif
