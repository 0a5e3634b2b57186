/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the HTTP server (server.c): its connection guard (conns.c),
 * which limits connections per address and in all and gives each request
 * a deadline.
 */
#ifndef YIBAO_SERVER_INT_H
#define YIBAO_SERVER_INT_H

#include <stdbool.h>
#include <time.h>

#include <microhttpd.h>

#include "yibao/err.h"

struct yb__conns_opts {
    unsigned max;               /* connections at once */
    unsigned per_ip;            /* from one address */
    unsigned request_timeout_s; /* a request's deadline */
};

/* What a connection is: within the limits, or opened past them. */
enum { YB__CONN_OK, YB__CONN_FULL, YB__CONN_ADDRESS };

struct yb__conns;

int yb__conns_new(const struct yb__conns_opts *o, struct yb__conns **out,
                  struct yb_err *e);
/* Stops the reaper; the daemon must be stopped first. Accepts NULL. */
void yb__conns_free(struct yb__conns *t);

/* libmicrohttpd's own limits, above ours (the room to answer 503). */
unsigned yb__conns_hard_limit(const struct yb__conns_opts *o);
unsigned yb__conns_hard_per_ip(const struct yb__conns_opts *o);

/* The daemon's MHD_OPTION_NOTIFY_CONNECTION callback (cls: the guard). */
void yb__conns_notify(void *cls, struct MHD_Connection *c, void **ctx,
                      enum MHD_ConnectionNotificationCode code);

/* At a request's first call: YB__CONN_OK, or why it is to be refused
 * (counted). */
int yb__conns_over(struct yb__conns *t, struct MHD_Connection *c);
/* The request is whole and being answered (no deadline), or answered (the
 * next request's deadline starts). */
void yb__conns_answering(struct MHD_Connection *c);
void yb__conns_answered(struct MHD_Connection *c);

/* The reaper thread, which closes connections past their deadline. */
int yb__conns_start(struct yb__conns *t, struct yb_err *e);
void yb__conns_stop(struct yb__conns *t);

/* Requests refused with 503, connections closed at their deadline. */
void yb__conns_counts(struct yb__conns *t, unsigned long *refused,
                      unsigned long *timed_out);

/* The CLOCK_REALTIME time ms milliseconds from now (for a timed wait). */
void yb__time_in(struct timespec *until, long ms);

#endif
