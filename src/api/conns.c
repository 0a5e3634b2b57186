/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The server's connection guard (server_int.h): how many connections it
 * holds, from each address and in all, and how long each may take to send
 * a request.
 *
 * libmicrohttpd tells us when a connection opens and closes (its
 * NOTIFY_CONNECTION callback, which also gives each connection a pointer
 * of ours). A connection that opens beyond --max-conns, or beyond
 * --max-conns-per-ip from its address, is marked: its first request is
 * answered 503 and the connection closed; if it sends none it is closed
 * after a short grace. libmicrohttpd's own hard limits sit above ours, so
 * that there is room to say 503 before it has to drop connections
 * silently, and the process's file limit is raised above them.
 *
 * libmicrohttpd's timeout is an idle time, which a sender resets with
 * every byte: a slow sender keeps its connection, and its thread's memory,
 * for ever. So each connection also has a deadline: from its opening, or
 * from its last answer, a request must have arrived whole (head and body)
 * within --request-timeout seconds. A reaper thread looks every tenth of
 * a second and shuts the socket of a connection past its deadline down
 * (shutdown(2): libmicrohttpd's next read fails and it closes the
 * connection itself). The close notification, which removes a connection
 * from our list under the lock the reaper holds, comes before
 * libmicrohttpd closes the descriptor, so the reaper never touches a
 * descriptor that was closed and reused. While a request is being
 * answered (the writer holds it) it has no deadline.
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "server_int.h"

#define GRACE_MS 1000 /* a connection over a limit, to send its request */
#define TICK_MS 100   /* the reaper's round */

enum { WAITING, ANSWERING };

struct conn {
    struct MHD_Connection *c;
    int fd;
    uint32_t addr;         /* IPv4, network order; 0 for another family */
    int over;              /* YB__CONN_OK, _FULL or _ADDRESS */
    atomic_int phase;      /* WAITING for a request, or ANSWERING it */
    _Atomic int64_t since; /* ms: opened, or last answered */
    bool shut;             /* the reaper shut it down */
    struct conn *prev, *next;
};

struct addr_count {
    uint32_t addr;
    unsigned n;
    struct addr_count *next;
};

struct yb__conns {
    struct yb__conns_opts o;
    pthread_mutex_t mu;
    struct conn *head;
    unsigned n;
    struct addr_count **by_addr; /* chained, nb buckets (a power of 2) */
    size_t nb;
    pthread_t reaper;
    bool reaping, stop;
    pthread_cond_t stop_cv;
    atomic_ulong refused, timed_out;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int yb__conns_new(const struct yb__conns_opts *o, struct yb__conns **out,
                  struct yb_err *e)
{
    struct yb__conns *t = calloc(1, sizeof *t);
    if (!t)
        return yb_err_set(e, YB_ENOMEM, "server", "内存不足 (out of memory)");
    t->o = *o;
    /* about one bucket per connection the hard limit allows */
    for (t->nb = 64; t->nb < yb__conns_hard_limit(o); t->nb *= 2)
        ;
    t->by_addr = calloc(t->nb, sizeof *t->by_addr);
    if (!t->by_addr) {
        free(t);
        return yb_err_set(e, YB_ENOMEM, "server", "内存不足 (out of memory)");
    }
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->stop_cv, NULL);
    *out = t;
    return YB_OK;
}

unsigned yb__conns_hard_limit(const struct yb__conns_opts *o)
{
    return o->max + o->max / 8 + 16;
}

unsigned yb__conns_hard_per_ip(const struct yb__conns_opts *o)
{
    return o->per_ip + o->per_ip / 8 + 4;
}

void yb__conns_free(struct yb__conns *t)
{
    if (!t)
        return;
    yb__conns_stop(t);
    for (size_t i = 0; i < t->nb; i++)
        while (t->by_addr[i]) {
            struct addr_count *a = t->by_addr[i];
            t->by_addr[i] = a->next;
            free(a);
        }
    free(t->by_addr);
    while (t->head) { /* libmicrohttpd closed them all already */
        struct conn *k = t->head;
        t->head = k->next;
        free(k);
    }
    pthread_cond_destroy(&t->stop_cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* ---- per address ---------------------------------------------------------
 */

static struct addr_count **slot_of(struct yb__conns *t, uint32_t addr)
{
    struct addr_count **p = &t->by_addr[(addr * 2654435761u) & (t->nb - 1)];
    while (*p && (*p)->addr != addr)
        p = &(*p)->next;
    return p;
}

/* With mu held: one more connection from addr; its count now (0 when out
 * of memory: such a connection is treated as over the limit). */
static unsigned addr_add(struct yb__conns *t, uint32_t addr)
{
    struct addr_count **p = slot_of(t, addr);
    if (!*p && !(*p = calloc(1, sizeof **p)))
        return 0;
    (*p)->addr = addr;
    return ++(*p)->n;
}

static void addr_del(struct yb__conns *t, uint32_t addr)
{
    struct addr_count **p = slot_of(t, addr), *a = *p;
    if (a && --a->n == 0) {
        *p = a->next;
        free(a);
    }
}

/* ---- the notifications ---------------------------------------------------
 */

static void opened(struct yb__conns *t, struct MHD_Connection *c, void **ctx)
{
    struct conn *k = calloc(1, sizeof *k);
    *ctx = k;
    if (!k)
        return; /* no deadline for it; its requests are refused */
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *ad =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    k->c = c;
    k->fd = fd ? fd->connect_fd : -1;
    if (ad && ad->client_addr && ad->client_addr->sa_family == AF_INET)
        k->addr = ((const struct sockaddr_in *)(const void *)ad->client_addr)
                      ->sin_addr.s_addr;
    atomic_init(&k->phase, WAITING);
    atomic_init(&k->since, now_ms());
    pthread_mutex_lock(&t->mu);
    unsigned from = addr_add(t, k->addr);
    t->n++;
    k->over = t->n > t->o.max                   ? YB__CONN_FULL
              : from == 0 || from > t->o.per_ip ? YB__CONN_ADDRESS
                                                : YB__CONN_OK;
    k->next = t->head;
    if (t->head)
        t->head->prev = k;
    t->head = k;
    pthread_mutex_unlock(&t->mu);
}

static void closed(struct yb__conns *t, struct conn *k)
{
    pthread_mutex_lock(&t->mu);
    if (k->prev)
        k->prev->next = k->next;
    else
        t->head = k->next;
    if (k->next)
        k->next->prev = k->prev;
    t->n--;
    addr_del(t, k->addr);
    pthread_mutex_unlock(&t->mu);
    free(k);
}

void yb__conns_notify(void *cls, struct MHD_Connection *c, void **ctx,
                      enum MHD_ConnectionNotificationCode code)
{
    struct yb__conns *t = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        opened(t, c, ctx);
    else if (*ctx) {
        closed(t, *ctx);
        *ctx = NULL;
    }
}

static struct conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *i =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return i ? i->socket_context : NULL;
}

int yb__conns_over(struct yb__conns *t, struct MHD_Connection *c)
{
    struct conn *k = conn_of(c);
    int over = k ? k->over : YB__CONN_FULL;
    if (over != YB__CONN_OK)
        atomic_fetch_add(&t->refused, 1);
    return over;
}

void yb__conns_answering(struct MHD_Connection *c)
{
    struct conn *k = conn_of(c);
    if (k)
        atomic_store(&k->phase, ANSWERING);
}

void yb__conns_answered(struct MHD_Connection *c)
{
    struct conn *k = conn_of(c);
    if (k) {
        atomic_store(&k->since, now_ms());
        atomic_store(&k->phase, WAITING);
    }
}

/* ---- the reaper ----------------------------------------------------------
 */

static void reap(struct yb__conns *t)
{
    int64_t now = now_ms(), limit = (int64_t)t->o.request_timeout_s * 1000;
    pthread_mutex_lock(&t->mu);
    for (struct conn *k = t->head; k; k = k->next) {
        int64_t waited = now - atomic_load(&k->since);
        if (k->shut || k->fd < 0 || atomic_load(&k->phase) != WAITING ||
            waited <
                (k->over != YB__CONN_OK && GRACE_MS < limit ? GRACE_MS : limit))
            continue;
        shutdown(k->fd, SHUT_RDWR); /* libmicrohttpd closes it */
        k->shut = true;
        atomic_fetch_add(&t->timed_out, 1);
    }
    pthread_mutex_unlock(&t->mu);
}

void yb__time_in(struct timespec *until, long ms)
{
    clock_gettime(CLOCK_REALTIME, until);
    until->tv_nsec += ms * 1000000L;
    until->tv_sec += until->tv_nsec / 1000000000L;
    until->tv_nsec %= 1000000000L;
}

static void *reaper(void *arg)
{
    struct yb__conns *t = arg;
    pthread_setname_np(pthread_self(), "yb-reaper");
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        struct timespec until;
        yb__time_in(&until, TICK_MS);
        pthread_cond_timedwait(&t->stop_cv, &t->mu, &until);
        if (t->stop)
            break;
        pthread_mutex_unlock(&t->mu);
        reap(t);
        pthread_mutex_lock(&t->mu);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int yb__conns_start(struct yb__conns *t, struct yb_err *e)
{
    if (pthread_create(&t->reaper, NULL, reaper, t) != 0)
        return yb_err_set(e, YB_ENOMEM, "server",
                          "无法启动连接清理线程 (cannot start the reaper)");
    t->reaping = true;
    return YB_OK;
}

void yb__conns_stop(struct yb__conns *t)
{
    if (!t->reaping)
        return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_signal(&t->stop_cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->reaper, NULL);
    t->reaping = false;
}

void yb__conns_counts(struct yb__conns *t, unsigned long *refused,
                      unsigned long *timed_out)
{
    *refused = atomic_load(&t->refused);
    *timed_out = atomic_load(&t->timed_out);
}
