/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/server: the hospital interface over loopback, on any day.
 *
 * 1. A synthetic region of the current year (N persons, default 2,000)
 *    imported into a new SQLite file under the demo region's policy moved
 *    to that year (its year, collection window and contribution tiers)
 *    and imported into the policy set, under which the server settles; a
 *    township clinic with a current agreement and its credential, signed
 *    in now (not timed).
 * 2. The server (yb_server_run, the code `yibao serve` runs) in this
 *    process on a free port, with its settings (thread pool of 2, durable
 *    commits, the 1101 guard with a rate that never refuses: the check
 *    runs, and every lookup is recorded; --lookup-rate 0 turns the check
 *    off, to measure what it costs).
 * 3. Timed, C clients on keep-alive connections:
 *    - 1101 person information, requests/s and p50/p99 latency (--clients,
 *      default 4);
 *    - the HTTP ceiling: a trivial libmicrohttpd handler with the same
 *      daemon settings answering a fixed envelope, requests/s, with the
 *      clients of 1101, run in quarter-second slices alternating with
 *      1101's (the machine's speed drifts; the ratio of the two holds). The
 *      ratio printed is the median of the ratios of neighbouring slices;
 *      the pooled ratio (all 1101 requests over all the ceiling's) follows,
 *      and the server's CPU time a request against the ceiling's (which
 *      the host's load moves much less than the rates);
 *    - whole outpatient chains 2201 + 2204 (10 lines) + 2207 of today,
 *      chains/s and p50/p99 latency of a chain (--chain-clients, default
 *      48: a region's hospitals settle at many windows at once, and group
 *      commit gathers their calls into one sync), after 3 s of untimed
 *      chains that bring the server to its steady state;
 *    - the same 1101 and ceiling slices over TLS (the server with
 *      --tls-cert/--tls-key, a P-256 certificate made here; the ceiling
 *      with the same certificate), from clients that shake hands once a
 *      connection.
 * Dates come from the clock: today, this year; msgids are the clinic's
 * code, a valid time and a serial. The last lines are RESULT lines;
 * targets: 1101 >= 60% of the ceiling; >= 3,000 chains/s with p99 < 50 ms.
 *
 * Usage: server [--persons N] [--seconds S] [--clients C]
 *               [--chain-clients C] [--only 1101|chain|tls|calls]
 *               [--lookup-rate N] [--calls N]
 * (--only runs one workload, for profiling: perf record -g, then
 * perf report --sort comm,symbol; the server's threads are named.
 * --only calls runs N chains (default 2,000) and ten times as many 1101
 * in process, without HTTP: the server's CPU a chain and a lookup, and
 * under valgrind --tool=callgrind --toggle-collect=measure_calls its
 * instructions, which the host's load does not move.)
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "yibao/hosp.h"
#include "yibao/hospital.h"
#include "yibao/import.h"
#include "yibao/policy.h"
#include "yibao/policyset.h"
#include "yibao/server.h"
#include "yibao/store.h"
#include "yibao/synth.h"

#define INST "H53010299999"
#define MAX_SAMPLES 2000000
#define WARM_MIN_S 3   /* untimed chains before the timed ones: at least */
#define WARM_MAX_S 40  /* and at most, seconds */
#define WARM_FLAT_MB 4 /* until the process grows less a second */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const struct yb_err *e)
{
    fprintf(stderr, "server: %s: %s: %s\n", what, e ? e->field : "",
            e ? e->msg : "");
    exit(1);
}

/* ---- an HTTP/1.1 keep-alive client, plain or TLS ------------------------ */

static gnutls_certificate_credentials_t client_cred; /* trusts anything:
                                                        our own server */

struct conn {
    int fd;
    gnutls_session_t tls; /* NULL: plain */
    char buf[1 << 16];
};

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A connection to port, with a TLS handshake when tls. 0 or -1. */
static int conn_open(struct conn *c, int port, bool tls)
{
    c->tls = NULL;
    if ((c->fd = connect_to(port)) < 0)
        return -1;
    if (!tls)
        return 0;
    if (gnutls_init(&c->tls, GNUTLS_CLIENT) < 0)
        return -1;
    gnutls_set_default_priority(c->tls);
    gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, client_cred);
    gnutls_transport_set_int(c->tls, c->fd);
    int rc;
    do
        rc = gnutls_handshake(c->tls);
    while (rc < 0 && !gnutls_error_is_fatal(rc));
    return rc < 0 ? -1 : 0;
}

static void conn_close(struct conn *c)
{
    if (c->tls) {
        gnutls_bye(c->tls, GNUTLS_SHUT_WR);
        gnutls_deinit(c->tls);
    }
    if (c->fd >= 0)
        close(c->fd);
}

static ssize_t conn_write(struct conn *c, const char *p, size_t n)
{
    return c->tls ? gnutls_record_send(c->tls, p, n) : write(c->fd, p, n);
}

static ssize_t conn_read(struct conn *c, char *p, size_t n)
{
    return c->tls ? gnutls_record_recv(c->tls, p, n) : read(c->fd, p, n);
}

/* POST body; the response body (NUL-terminated) in c->buf. 0 or -1. The
 * request goes out in one write and the answer is read in as few reads as
 * the kernel allows: the load generator shares the machine's two cores
 * with the server, and every system call it saves is the server's. */
static int post(struct conn *c, const char *body)
{
    static _Thread_local char req[1 << 17];
    size_t n = strlen(body);
    int h = snprintf(req, sizeof req,
                     "POST /fsi/api/rsfComIfsService/callService HTTP/1.1\r\n"
                     "Host: b\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     n);
    if (h < 0 || (size_t)h + n > sizeof req)
        return -1;
    memcpy(req + h, body, n);
    if (conn_write(c, req, (size_t)h + n) != (ssize_t)((size_t)h + n))
        return -1;
    size_t got = 0, off = 0, len = 0;
    bool head = false;
    for (;;) {
        ssize_t r = conn_read(c, c->buf + got, sizeof c->buf - 1 - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
        c->buf[got] = '\0';
        if (!head) {
            char *end = strstr(c->buf, "\r\n\r\n");
            if (!end)
                continue;
            head = true;
            *end = '\0';
            const char *cl = strstr(c->buf, "Content-Length:");
            if (!cl)
                cl = strstr(c->buf, "content-length:");
            len = cl ? (size_t)atol(cl + 15) : 0;
            off = (size_t)(end + 4 - c->buf);
        }
        if (got >= off + len)
            break;
    }
    memmove(c->buf, c->buf + off, len);
    c->buf[len] = '\0';
    return 0;
}

/* ---- the workloads ------------------------------------------------------ */

struct work {
    int port, id;
    bool tls;
    double until;
    const char *sign, *psn, *cert, *code, *today; /* today: yyyy-MM-dd */
    /* psn and cert: 1101's person; the chains take the covered persons
     * in turn */
    int kind; /* 0 1101 (or the ceiling), 1 chain */
    long done, failed;
    double *lat;
    long n_lat;
};

/* The clinic's msgids: its code, a valid time and a 4-digit serial, from
 * one counter: 10,000 a second from 2000-01-01 00:00:00 on, never one
 * twice (the 28th day is 24 billion calls away). Arithmetic, no gmtime_r:
 * glibc takes a global lock in it, which 48 clients would contend for. */
static atomic_long msgids;

static void next_msgid(char out[48])
{
    long n = atomic_fetch_add(&msgids, 1), s = n / 10000;
    snprintf(out, 48, INST "200001%02ld%02ld%02ld%02ld%04ld",
             1 + s / 86400 % 28, s % 86400 / 3600, s % 3600 / 60, s % 60,
             n % 10000);
}

/* The outpatient numbers of the chains' visits, each new. */
static atomic_long visits;

/* The covered persons the chains take in turn: one person's chains would
 * soon reach the year's outpatient cap, and every later settlement would
 * pay nothing from the fund (no fund rows, no ledger postings): not the
 * settlements a region's hospitals send. */
struct person {
    char psn[32], cert[32];
};
static struct person *people;
static long n_people;
static atomic_long next_person;

static void envelope(char *out, size_t n, const char *infno, const char *sign,
                     const char *input)
{
    char msgid[48];
    next_msgid(msgid);
    snprintf(out, n,
             "{\"infno\":\"%s\",\"msgid\":\"%s\","
             "\"mdtrtarea_admvs\":\"530102\",\"insuplc_admdvs\":\"530100\","
             "\"recer_sys_code\":\"YBXT\",\"infver\":\"V1.0\","
             "\"opter_type\":\"1\",\"opter\":\"b\",\"opter_name\":\"b\","
             "\"inf_time\":\"2026-01-01 10:00:00\",\"fixmedins_code\":\"" INST
             "\",\"fixmedins_name\":\"b\",\"sign_no\":\"%s\",\"input\":%s}",
             infno, msgid, sign, input);
}

static void record(struct work *w, double t0)
{
    if (w->n_lat < MAX_SAMPLES)
        w->lat[w->n_lat++] = now_s() - t0;
}

/* The three calls of a chain for person `who`: the bodies (the visit's
 * mdtrt_id, from the 2201 answer, for the other two), and the mdtrt_id in
 * an answer. The HTTP clients and the in-process run (--only calls) send
 * the same. */
static void body_2201(const struct work *w, const struct person *who,
                      char *body, size_t n, char *input, size_t m)
{
    snprintf(input, m,
             "{\"data\":{\"psn_no\":\"%s\",\"insutype\":\"390\",\"begntime\":"
             "\"%s 00:00:01\",\"mdtrt_cert_type\":\"02\","
             "\"mdtrt_cert_no\":\"%s\",\"ipt_otp_no\":\"B%ld\"}}",
             who->psn, w->today, who->cert, atomic_fetch_add(&visits, 1));
    envelope(body, n, "2201", w->sign, input);
}

static void body_2204(const struct work *w, const struct person *who,
                      const char *mdtrt, char *body, size_t n, char *input,
                      size_t m)
{
    size_t len = (size_t)snprintf(input, m, "{\"feedetail\":[");
    for (int i = 0; i < 10; i++)
        len += (size_t)snprintf(
            input + len, m - len,
            "%s{\"feedetl_sn\":\"%d\",\"mdtrt_id\":\"%s\",\"psn_no\":\"%s\","
            "\"chrg_bchno\":\"1\",\"fee_ocur_time\":\"%s 00:00:02\","
            "\"med_list_codg\":\"%s\",\"det_item_fee_sumamt\":2.00,"
            "\"cnt\":1,\"pric\":2}",
            i ? "," : "", i + 1, mdtrt, who->psn, w->today, w->code);
    snprintf(input + len, m - len, "]}");
    envelope(body, n, "2204", w->sign, input);
}

static void body_2207(const struct work *w, const struct person *who,
                      const char *mdtrt, char *body, size_t n, char *input,
                      size_t m)
{
    snprintf(input, m,
             "{\"data\":{\"psn_no\":\"%s\",\"mdtrt_cert_type\":\"02\","
             "\"mdtrt_cert_no\":\"%s\",\"med_type\":\"11\",\"medfee_sumamt\":"
             "20.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"%s\",\"insutype\":"
             "\"390\"}}",
             who->psn, who->cert, mdtrt);
    envelope(body, n, "2207", w->sign, input);
}

static bool mdtrt_of(const char *answer, char mdtrt[32])
{
    const char *p = strstr(answer, "\"mdtrt_id\":\"");
    if (p)
        snprintf(mdtrt, 32, "%.20s", p + 12);
    return p != NULL;
}

static const struct person *next_one(void)
{
    return &people[atomic_fetch_add(&next_person, 1) % n_people];
}

static int chain(struct work *w, struct conn *c, char *body, size_t n,
                 char *input, size_t m)
{
    char mdtrt[32] = "";
    const struct person *who = next_one();
    body_2201(w, who, body, n, input, m);
    if (post(c, body) != 0 || !mdtrt_of(c->buf, mdtrt))
        return -1;
    body_2204(w, who, mdtrt, body, n, input, m);
    if (post(c, body) != 0 || !strstr(c->buf, "\"infcode\":0"))
        return -1;
    body_2207(w, who, mdtrt, body, n, input, m);
    if (post(c, body) != 0 || !strstr(c->buf, "\"infcode\":0"))
        return -1;
    return 0;
}

static void *client(void *arg)
{
    struct work *w = arg;
    pthread_setname_np(pthread_self(), "bench-client");
    struct conn *c = malloc(sizeof *c);
    char *body = malloc(1 << 16), *input = malloc(1 << 15);
    if (conn_open(c, w->port, w->tls) != 0) {
        w->failed++;
        conn_close(c);
        free(c), free(body), free(input);
        return NULL;
    }
    char in1101[256];
    snprintf(in1101, sizeof in1101,
             "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"%s\","
             "\"begntime\":\"%s\"}}",
             w->cert ? w->cert : "x", w->today ? w->today : "");
    /* one msgid for all its lookups: reads are not kept for replay */
    envelope(body, 1 << 16, "1101", w->sign ? w->sign : "", in1101);
    while (now_s() < w->until) {
        double t0 = now_s();
        int rc = w->kind == 0 ? post(c, body)
                              : chain(w, c, body, 1 << 16, input, 1 << 15);
        if (rc != 0 || (w->kind == 0 && !strstr(c->buf, "\"infcode\":0"))) {
            if (w->failed++ == 0)
                fprintf(stderr, "server: a call failed: %.300s\n", c->buf);
            if (rc != 0)
                break;
            continue;
        }
        record(w, t0);
        w->done++;
    }
    conn_close(c);
    free(c);
    free(body);
    free(input);
    return NULL;
}

#define MAX_PAIRS 400 /* pairs of slices: 100 s */

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct result {
    double rate, p50, p99;
    long failed;
};

/* Requests done, failed, their latencies and the time they took, over
 * one or more timed runs. */
struct tally {
    double *lat, el;
    long n, done, failed;
};

static void drive(int port, int clients, double secs, int kind,
                  struct work *proto, struct tally *ty)
{
    pthread_t t[64];
    struct work w[64];
    double t0 = now_s();
    for (int i = 0; i < clients; i++) {
        w[i] = *proto;
        w[i].port = port;
        w[i].id = i;
        w[i].kind = kind;
        w[i].until = t0 + secs;
        w[i].lat = malloc(sizeof(double) * MAX_SAMPLES);
        pthread_create(&t[i], NULL, client, &w[i]);
    }
    long done = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(t[i], NULL);
        done += w[i].done;
        ty->failed += w[i].failed;
    }
    ty->el += now_s() - t0;
    ty->done += done;
    ty->lat = realloc(ty->lat, sizeof(double) * (size_t)(ty->n + done + 1));
    for (int i = 0; i < clients; i++) {
        memcpy(ty->lat + ty->n, w[i].lat, sizeof(double) * (size_t)w[i].n_lat);
        ty->n += w[i].n_lat;
        free(w[i].lat);
    }
}

static struct result summary(struct tally *ty)
{
    qsort(ty->lat, (size_t)ty->n, sizeof *ty->lat, cmp);
    long n = ty->n;
    struct result r = {ty->el > 0 ? (double)ty->done / ty->el : 0,
                       n ? ty->lat[n / 2] * 1e3 : 0,
                       n ? ty->lat[(size_t)((double)n * 0.99)] * 1e3 : 0,
                       ty->failed};
    free(ty->lat);
    return r;
}

/* ---- the ceiling: a trivial handler with the server's settings ---------- */

static const char trivial[] =
    "{\"infcode\":0,\"inf_refmsgid\":\"530100202611221000000000000001\","
    "\"refmsg_time\":\"20261122100000000\",\"respond_time\":"
    "\"20261122100000000\",\"err_msg\":\"\",\"warn_msg\":\"\",\"output\":{}}";

static enum MHD_Result on_trivial(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload;
    if (!*con_cls) {
        *con_cls = (void *)1;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(
        sizeof trivial - 1, (void *)trivial, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof a;
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

/* The ceiling's daemon: the server's daemon flags (epoll, internal thread
 * pool of two, suspend/resume allowed), over TLS with the server's
 * certificate when pem_cert is given. */
static struct MHD_Daemon *ceiling(int port, const char *pem_cert,
                                  const char *pem_key)
{
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_THREAD_POOL_SIZE, 2, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)(uintptr_t)pem_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)pem_key},
        {MHD_OPTION_END, 0, NULL}};
    if (!pem_cert)
        opts[2].option = MHD_OPTION_END;
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
            MHD_ALLOW_SUSPEND_RESUME | (pem_cert ? MHD_USE_TLS : 0),
        (uint16_t)port, NULL, NULL, on_trivial, NULL, MHD_OPTION_ARRAY, opts,
        MHD_OPTION_END);
}

/* CPU seconds (user and system) the threads whose names start with
 * prefix have used, from /proc/self/task (clock ticks: a hundredth of a
 * second). Counted over the slices of one kind, they give the server's CPU
 * a request, which the host's load moves much less than it moves the
 * rates: the server's threads are named yb-..., the ceiling's are
 * libmicrohttpd's MHD-... */
static double threads_cpu(const char *prefix)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *t;
    double ticks = 0;
    while (d && (t = readdir(d)) != NULL) {
        char path[300], comm[64] = "", stat[1024];
        if (t->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", t->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (!fgets(comm, sizeof comm, f))
            comm[0] = '\0';
        fclose(f);
        if (strncmp(comm, prefix, strlen(prefix)) != 0)
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", t->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        const char *p = fgets(stat, sizeof stat, f) ? strrchr(stat, ')') : NULL;
        unsigned long ut = 0, st = 0;
        /* after the name: its state and 11 fields, then utime and stime */
        if (p &&
            sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                   &ut, &st) == 2)
            ticks += (double)(ut + st);
        fclose(f);
    }
    if (d)
        closedir(d);
    return ticks / (double)sysconf(_SC_CLK_TCK);
}

/* The process's resident memory, MiB. */
static double resident_mb(void)
{
    long pages = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f && fscanf(f, "%ld %ld", &pages, &res) != 2)
        res = 0;
    if (f)
        fclose(f);
    return (double)res * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

/* CPU seconds of the whole process (every thread, live or ended). */
static double process_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The CPU time of a chain, measured over the timed chains: the server's
 * threads, its writer, and the rest of the process (the 48 clients). The
 * host's load moves these much less than the rate; from them, the rate two
 * cores of the machine's own would allow: the writer is one thread (at
 * most a core), and all of it shares the two. */
struct chain_cpu {
    double server_us, writer_us, client_us, bound;
    bool writer_bound;
};

static void chain_cpu(struct chain_cpu *c, long chains, double process,
                      double server, double writer)
{
    if (chains <= 0)
        return;
    c->server_us = server * 1e6 / (double)chains;
    c->writer_us = writer * 1e6 / (double)chains;
    c->client_us = (process - server) * 1e6 / (double)chains;
    double by_writer = c->writer_us > 0 ? 1e6 / c->writer_us : 0,
           by_cpu = process > 0 ? 2e6 / (process * 1e6 / (double)chains) : 0;
    c->writer_bound = by_writer < by_cpu;
    c->bound = c->writer_bound ? by_writer : by_cpu;
}

/* 1101 against its ceiling in alternating quarter-second slices. */
struct comparison {
    struct result r1101, ceil;
    double median, pooled, lowest, highest;
    int pairs;
    double cpu_us, ceil_cpu_us; /* server CPU a request */
};

static struct comparison compare(int port, int cport, int clients, double secs,
                                 struct work *proto)
{
    struct tally t1101 = {0}, tceil = {0};
    int slices = secs < 0.25 ? 1 : (int)(secs * 4); /* quarter seconds */
    if (slices > MAX_PAIRS)
        slices = MAX_PAIRS;
    double pair[MAX_PAIRS], cpu = 0, ceil_cpu = 0;
    int pairs = 0;
    for (int i = 0; i < slices; i++) {
        long a0 = t1101.done, c0 = tceil.done;
        double ea = t1101.el, ec = tceil.el, u0 = threads_cpu("yb-");
        drive(port, clients, secs / slices, 0, proto, &t1101);
        double u1 = threads_cpu("yb-"), m1 = threads_cpu("MHD-");
        drive(cport, clients, secs / slices, 0, proto, &tceil);
        cpu += u1 - u0;
        ceil_cpu += threads_cpu("MHD-") - m1;
        double ra = (double)(t1101.done - a0) / (t1101.el - ea);
        double rc0 = (double)(tceil.done - c0) / (tceil.el - ec);
        if (rc0 > 0)
            pair[pairs++] = ra / rc0;
    }
    /* The ratio of each pair of neighbouring slices, and their median:
     * the host's bursts (a slice of either kind at half or twice its
     * neighbours' rate) move the pooled ratio by a tenth between runs and
     * the median of the pairs by much less. Both are printed. */
    qsort(pair, (size_t)pairs, sizeof *pair, cmp);
    struct comparison c = {.pairs = pairs};
    c.median = pairs == 0  ? 0
               : pairs % 2 ? pair[pairs / 2]
                           : (pair[pairs / 2 - 1] + pair[pairs / 2]) / 2;
    c.lowest = pairs ? pair[0] : 0;
    c.highest = pairs ? pair[pairs - 1] : 0;
    c.cpu_us = t1101.done ? cpu * 1e6 / (double)t1101.done : 0;
    c.ceil_cpu_us = tceil.done ? ceil_cpu * 1e6 / (double)tceil.done : 0;
    c.r1101 = summary(&t1101);
    c.ceil = summary(&tceil);
    c.pooled = c.ceil.rate > 0 ? c.r1101.rate / c.ceil.rate : 0;
    return c;
}

static void print_comparison(const char *name, const struct comparison *c)
{
    printf("%-8s %9.0f requests/s  p50 %.2f ms  p99 %.2f ms  (%ld failed)\n",
           name, c->r1101.rate, c->r1101.p50, c->r1101.p99, c->r1101.failed);
    printf("ceiling  %9.0f requests/s  p50 %.2f ms  p99 %.2f ms\n",
           c->ceil.rate, c->ceil.p50, c->ceil.p99);
    if (c->pairs)
        printf("%s/ceiling of %d pairs of quarter-second slices: median "
               "%.3f (lowest %.3f, highest %.3f); pooled %.3f\n"
               "%s server CPU a request %.1f us, the ceiling's %.1f us "
               "(ratio %.3f)\n",
               name, c->pairs, c->median, c->lowest, c->highest, c->pooled,
               name, c->cpu_us, c->ceil_cpu_us,
               c->cpu_us > 0 ? c->ceil_cpu_us / c->cpu_us : 0);
}

/* ---- setup -------------------------------------------------------------- */

static volatile sig_atomic_t stop;
static struct yb_server_opts sopts;

static void *serve(void *arg)
{
    struct yb_err e = {0};
    (void)arg;
    if (yb_server_run(&sopts, &stop, &e) != YB_OK)
        die("serve", &e);
    return NULL;
}

/* Start the server with sopts on a free port; its port. */
static int start(pthread_t *t)
{
    static char listen[32];
    int port = free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    sopts.listen = listen;
    stop = 0;
    pthread_create(t, NULL, serve, NULL);
    struct timespec wait = {0, 300000000};
    nanosleep(&wait, NULL);
    return port;
}

static void finish(pthread_t t)
{
    stop = 1;
    pthread_join(t, NULL);
}

/* The largest payment of each contribution tier in a synthetic region's
 * payments.csv (certno,year,tier,amount,...): the tier's whole amount
 * (assisted persons pay parts of it). amount[t] in fen, tiers 1..8. */
static void tier_amounts(const char *payments, long amount[9])
{
    char line[512];
    FILE *f = fopen(payments, "r");
    if (!f)
        perror(payments), exit(1);
    while (fgets(line, sizeof line, f)) {
        char *tier = strchr(line, ','), *amt;
        tier = tier ? strchr(tier + 1, ',') : NULL;
        amt = tier ? strchr(tier + 1, ',') : NULL;
        char *dot = amt ? strchr(amt, '.') : NULL;
        long t = tier ? atol(tier + 1) : 0;
        long fen = dot ? atol(amt + 1) * 100 + atol(dot + 1) : 0;
        if (t >= 1 && t <= 8 && fen > amount[t])
            amount[t] = fen;
    }
    fclose(f);
}

/* The demo region's policy (made for 2018) moved to `year`: its year, its
 * collection window (the autumn before) and its contribution tiers those
 * of the synthetic region's payments. Its benefits stay 2018's: the
 * benchmark measures the server, not a year's policy. The parsed policy,
 * and its text (for free()) in *text_out. */
static struct yb_policy *load_policy(const char *path, int year,
                                     const char *payments, char **text_out)
{
    static char buf[1 << 17];
    FILE *f = fopen(path, "rb");
    if (!f)
        return perror(path), exit(1), NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *root = cJSON_Parse(buf);
    cJSON *fin = cJSON_GetObjectItem(root, "financing");
    cJSON *win = cJSON_GetObjectItem(fin, "window");
    cJSON *tiers = cJSON_GetObjectItem(fin, "tiers");
    char from[24], to[24];
    snprintf(from, sizeof from, "%04d-09-01", year - 1);
    snprintf(to, sizeof to, "%04d-12-31", year - 1);
    if (!root || !win || !cJSON_IsArray(tiers) ||
        !cJSON_ReplaceItemInObject(root, "year", cJSON_CreateNumber(year)) ||
        !cJSON_ReplaceItemInObject(win, "from", cJSON_CreateString(from)) ||
        !cJSON_ReplaceItemInObject(win, "to", cJSON_CreateString(to)))
        return fprintf(stderr, "server: %s: no year or window\n", path),
               exit(1), NULL;
    long amount[9] = {0};
    tier_amounts(payments, amount);
    cJSON *t;
    cJSON_ArrayForEach(t, tiers)
    {
        int k = cJSON_GetObjectItem(t, "tier")->valueint;
        char yuan[32];
        if (k < 1 || k > 8 || amount[k] == 0)
            continue;
        snprintf(yuan, sizeof yuan, "%ld.%02ld", amount[k] / 100,
                 amount[k] % 100);
        cJSON_ReplaceItemInObject(t, "amount", cJSON_CreateString(yuan));
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    if (!text || yb_policy_parse(text, strlen(text), &p, &e) != YB_OK ||
        !(*text_out = strdup(text)))
        die(path, &e);
    cJSON_free(text); /* yibao's cJSON hooks allocated it */
    return p;
}

/* The policy text, imported into the database's policy set at now: the
 * server settles under the version in force, as `yibao serve` does. */
static void import_policy(yb_store *s, const char *text, const char *now)
{
    struct yb_actor who = {.name = "bench", .now = now};
    struct yb_policy_version v;
    struct yb_arena a;
    struct yb_err e = {0};
    bool existed;
    yb_arena_init(&a, 0);
    if (yb_policyset_import(s, &who, text, strlen(text), &a, &v, &existed,
                            &e) != YB_OK)
        die("policy set", &e);
    yb_arena_free(&a);
}

static void import(yb_store *s, enum yb_import_kind k, const char *path,
                   const struct yb_policy *p, const char *when)
{
    struct yb_import_opts o = {
        .path = path, .actor = "bench", .now = when, .policy = p};
    struct yb_import_result r;
    struct yb_err e = {0};
    if (yb_import_run(s, k, &o, &r, &e) != YB_OK)
        die(path, &e);
}

static void first_of(const char *db, const char *sql, char *out, size_t n)
{
    yb_store *s;
    yb_stmt *st;
    struct yb_err e = {0};
    if (yb_store_open(db, 0, &s, &e) != YB_OK ||
        yb_store_prepare(s, sql, &st, &e) != YB_OK)
        die("query", &e);
    if (yb_stmt_step(st, &e) == YB_ROW)
        snprintf(out, n, "%s", yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    yb_store_close(s);
}

/* The persons covered today in `year` (psn_no, certno), into people. */
static void load_persons(const char *db, int year, const char *day)
{
    yb_store *s;
    yb_stmt *st;
    struct yb_err e = {0};
    if (yb_store_open(db, 0, &s, &e) != YB_OK ||
        yb_store_prepare(s,
                         "SELECT e.psn_no, p.certno FROM enrolment e JOIN "
                         "person p ON p.psn_no = e.psn_no WHERE e.year = $1 "
                         "AND e.status = 'covered' AND e.covered_from <= $2 "
                         "ORDER BY e.psn_no",
                         &st, &e) != YB_OK)
        die("persons", &e);
    yb_stmt_bind_int(st, 1, year);
    yb_stmt_bind_text(st, 2, day);
    long cap = 0;
    while (yb_stmt_step(st, &e) == YB_ROW) {
        if (n_people == cap) {
            cap = cap ? cap * 2 : 1024;
            people = realloc(people, sizeof *people * (size_t)cap);
            if (!people)
                fprintf(stderr, "server: out of memory\n"), exit(1);
        }
        struct person *p = &people[n_people++];
        snprintf(p->psn, sizeof p->psn, "%s", yb_stmt_text(st, 0));
        snprintf(p->cert, sizeof p->cert, "%s", yb_stmt_text(st, 1));
    }
    yb_stmt_reset(st);
    yb_store_close(s);
}

/* A self-signed P-256 certificate for 127.0.0.1, valid from an hour ago
 * for two days, and its key: PEM into cert and key (and files at cert_path
 * and key_path, for the server). */
static void make_certificate(const char *cert_path, const char *key_path,
                             char *cert, size_t *cert_n, char *key,
                             size_t *key_n)
{
    gnutls_x509_privkey_t k;
    gnutls_x509_crt_t c;
    time_t now = time(NULL);
    unsigned char serial[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    if (gnutls_x509_privkey_init(&k) < 0 ||
        gnutls_x509_privkey_generate(
            k, GNUTLS_PK_ECDSA,
            GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0 ||
        gnutls_x509_crt_init(&c) < 0 || gnutls_x509_crt_set_version(c, 3) < 0 ||
        gnutls_x509_crt_set_serial(c, serial, sizeof serial) < 0 ||
        gnutls_x509_crt_set_activation_time(c, now - 3600) < 0 ||
        gnutls_x509_crt_set_expiration_time(c, now + 2 * 86400) < 0 ||
        gnutls_x509_crt_set_dn_by_oid(c, GNUTLS_OID_X520_COMMON_NAME, 0,
                                      "127.0.0.1", 9) < 0 ||
        gnutls_x509_crt_set_key(c, k) < 0 ||
        gnutls_x509_crt_sign2(c, c, k, GNUTLS_DIG_SHA256, 0) < 0 ||
        gnutls_x509_crt_export(c, GNUTLS_X509_FMT_PEM, cert, cert_n) < 0 ||
        gnutls_x509_privkey_export(k, GNUTLS_X509_FMT_PEM, key, key_n) < 0)
        fprintf(stderr, "server: cannot make a certificate\n"), exit(1);
    gnutls_x509_crt_deinit(c);
    gnutls_x509_privkey_deinit(k);
    cert[*cert_n] = key[*key_n] = '\0';
    FILE *f = fopen(cert_path, "w"), *g = fopen(key_path, "w");
    if (!f || !g || fputs(cert, f) < 0 || fputs(key, g) < 0)
        fprintf(stderr, "server: cannot write the certificate\n"), exit(1);
    fclose(f);
    fclose(g);
}

/* Today ("yyyy-MM-dd"), now ("yyyy-MM-dd HH:mm:ss"), this year, from the
 * clock (local time, as the server reads it). */
static int today(char day[11], char now[20])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(day, 11, "%Y-%m-%d", &tm);
    strftime(now, 20, "%Y-%m-%d %H:%M:%S", &tm);
    return tm.tm_year + 1900;
}

/* The region of `year` in a new database at db, the clinic with a current
 * agreement (from last year on, open-ended) and its credential; it signs
 * in now. */
static struct yb_policy *setup(const char *dir, const char *db, int year,
                               int64_t persons, const char *now,
                               char sign[YB_SIGN_NO_LEN + 1])
{
    char csv[96], path[256], last_autumn[32];
    snprintf(csv, sizeof csv, "%s/csv", dir);
    snprintf(last_autumn, sizeof last_autumn, "%04d-12-31 12:00:00", year - 1);
    struct yb_synth_opts so = {
        .persons = persons, .year = year, .seed = 3, .out_dir = csv};
    struct yb_err e = {0};
    if (yb_synth_run(&so, &e) != YB_OK)
        die("synth", &e);
    snprintf(path, sizeof path, "%s/payments.csv", csv);
    char *text = NULL;
    struct yb_policy *p =
        load_policy("policies/demo-region-2018.json", year, path, &text);
    yb_store *s;
    if (yb_store_open(db, YB_STORE_CREATE, &s, &e) != YB_OK)
        die("open", &e);
    const struct {
        enum yb_import_kind k;
        const char *file;
    } files[] = {{YB_IMPORT_REGION, "regions.csv"},
                 {YB_IMPORT_SCHOOL, "schools.csv"},
                 {YB_IMPORT_HOUSEHOLD, "households.csv"},
                 {YB_IMPORT_PERSON, "persons.csv"},
                 {YB_IMPORT_IDENTITY, "identities.csv"},
                 {YB_IMPORT_CATALOGUE, "catalogue.csv"},
                 {YB_IMPORT_PAYMENT, "payments.csv"}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", csv, files[i].file);
        import(s, files[i].k, path, p, last_autumn);
    }
    import_policy(s, text, now);
    free(text);
    snprintf(path, sizeof path,
             "INSERT INTO institution (fixmedins_code, name, hosp_lv, admdvs, "
             "agreement_from) VALUES ('" INST "', '基准诊所', 'township', "
             "'530102', '%04d-01-01')",
             year - 1);
    if (yb_store_exec(s, path, &e) != YB_OK)
        die("clinic", &e);
    char secret[YB_SECRET_HEX + 1], t[20];
    struct yb_actor who = {.name = "bench", .now = now};
    if (yb_inst_credential_new(s, &who, INST, secret, &e) != YB_OK)
        die("credential", &e);
    struct yb_signin in = {
        .fixmedins_code = INST, .secret = secret, .opter_no = "b", .now = now};
    if (yb_sign_in(s, &in, sign, t, &e) != YB_OK)
        die("sign-in", &e);
    yb_store_close(s);
    return p;
}

/* ---- the calls in process (--only calls) -------------------------------
 * The chains' calls and 1101 without HTTP: each call of a batch parsed and
 * admitted on a read-only connection (a connection thread's work), then
 * the batch run in one transaction of the writer's connection (the
 * writer's), as the server does; the WAL is written at each commit but
 * not synced. Its CPU a chain and a lookup are the server's work alone,
 * which no load generator or loopback shares, and under
 * valgrind --tool=callgrind --toggle-collect=measure_calls its instruction
 * counts, which the host's load does not move at all. */

#define CALLS_BATCH 16 /* calls a commit */

struct inproc {
    yb_store *ws, *rs;
    struct yb_hosp *wh, *rh; /* the writer's, a connection thread's */
    struct work w;
    const char *now;
};

static void run_batch_inproc(struct inproc *x, char *body[], char *answer[])
{
    struct yb_hosp_req *q[CALLS_BATCH];
    struct yb_err e = {0};
    for (int i = 0; i < CALLS_BATCH; i++) {
        char *refusal = NULL;
        q[i] = yb_hosp_parse(body[i], strlen(body[i]));
        if (!q[i] || yb_hosp_admit(x->rh, q[i], x->now, 0, &refusal) != YB_OK)
            fprintf(stderr, "server: not admitted: %.300s\n",
                    refusal ? refusal : "out of memory"),
                exit(1);
    }
    if (yb_hosp_batch_begin(x->wh, &e) != YB_OK)
        die("batch", &e);
    for (int i = 0; i < CALLS_BATCH; i++)
        answer[i] = yb_hosp_answer(x->wh, q[i], x->now, 0);
    if (yb_hosp_batch_commit(x->wh, &e) != YB_OK)
        die("commit", &e);
    for (int i = 0; i < CALLS_BATCH; i++) {
        yb_hosp_req_free(q[i]);
        if (!answer[i] || !strstr(answer[i], "\"infcode\":0"))
            fprintf(stderr, "server: a call failed: %.300s\n",
                    answer[i] ? answer[i] : "(out of memory)"),
                exit(1);
    }
}

/* At least n chains, CALLS_BATCH at a time: a batch of 2201s, one of
 * 2204s, one of 2207s. */
static void chains_inproc(struct inproc *x, long n)
{
    static char body[CALLS_BATCH][1 << 14], input[1 << 13];
    char *b[CALLS_BATCH], *a[CALLS_BATCH], mdtrt[CALLS_BATCH][32];
    const struct person *who[CALLS_BATCH];
    for (int i = 0; i < CALLS_BATCH; i++)
        b[i] = body[i];
    for (long done = 0; done < n; done += CALLS_BATCH) {
        for (int i = 0; i < CALLS_BATCH; i++) {
            who[i] = next_one();
            body_2201(&x->w, who[i], b[i], sizeof body[i], input, sizeof input);
        }
        run_batch_inproc(x, b, a);
        for (int i = 0; i < CALLS_BATCH; i++) {
            if (!mdtrt_of(a[i], mdtrt[i]))
                fprintf(stderr, "server: no mdtrt_id\n"), exit(1);
            free(a[i]);
            body_2204(&x->w, who[i], mdtrt[i], b[i], sizeof body[i], input,
                      sizeof input);
        }
        run_batch_inproc(x, b, a);
        for (int i = 0; i < CALLS_BATCH; i++) {
            free(a[i]);
            body_2207(&x->w, who[i], mdtrt[i], b[i], sizeof body[i], input,
                      sizeof input);
        }
        run_batch_inproc(x, b, a);
        for (int i = 0; i < CALLS_BATCH; i++)
            free(a[i]);
    }
}

/* n lookups (1101) of the covered persons in turn, on the reader. */
static void lookups_inproc(struct inproc *x, long n)
{
    char body[2048], input[256];
    for (long i = 0; i < n; i++) {
        const struct person *who = &people[i % n_people];
        snprintf(input, sizeof input,
                 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":"
                 "\"%s\",\"begntime\":\"%s\"}}",
                 who->cert, x->w.today);
        envelope(body, sizeof body, "1101", x->w.sign, input);
        struct yb_hosp_req *q = yb_hosp_parse(body, strlen(body));
        char *a = q ? yb_hosp_answer(x->rh, q, x->now, 0) : NULL;
        if (!a || !strstr(a, "\"infcode\":0"))
            fprintf(stderr, "server: a 1101 failed: %.300s\n",
                    a ? a : "(out of memory)"),
                exit(1);
        free(a);
        yb_hosp_req_free(q);
    }
}

/* The measured part (callgrind's --toggle-collect): CPU seconds of the
 * chains and of the lookups. */
__attribute__((noinline)) static void measure_calls(struct inproc *x,
                                                    long chains, long lookups,
                                                    double *cpu_chains,
                                                    double *cpu_lookups)
{
    double t0 = process_cpu();
    chains_inproc(x, chains);
    double t1 = process_cpu();
    lookups_inproc(x, lookups);
    *cpu_chains = t1 - t0;
    *cpu_lookups = process_cpu() - t1;
}

static void run_calls(const char *db, const char *region, struct work *w,
                      const char *now, long chains)
{
    struct inproc x = {.w = *w, .now = now};
    struct yb_hosp_opts ho = {.admdvs = region};
    struct yb_err e = {0};
    if (yb_store_open(db, 0, &x.ws, &e) != YB_OK ||
        yb_store_open(db, YB_STORE_READONLY, &x.rs, &e) != YB_OK ||
        yb_hosp_new(x.ws, &ho, &x.wh, &e) != YB_OK ||
        yb_hosp_new(x.rs, &ho, &x.rh, &e) != YB_OK)
        die("calls", &e);
    long n = (chains + CALLS_BATCH - 1) / CALLS_BATCH * CALLS_BATCH,
         lookups = 10 * n;
    double cc = 0, cl = 0;
    chains_inproc(&x, n / 4 > CALLS_BATCH ? n / 4 : CALLS_BATCH); /* warm */
    lookups_inproc(&x, n);
    measure_calls(&x, n, lookups, &cc, &cl);
    printf("calls    in process, %ld chains in batches of %d: %.0f us of "
           "CPU a chain (its calls parsed, admitted and written); %ld "
           "lookups: %.1f us a 1101\n",
           n, CALLS_BATCH, cc * 1e6 / (double)n, lookups,
           cl * 1e6 / (double)lookups);
    printf("RESULT server_calls_chain_cpu %.0f us\n", cc * 1e6 / (double)n);
    printf("RESULT server_calls_1101_cpu %.1f us\n",
           cl * 1e6 / (double)lookups);
    yb_hosp_free(x.wh);
    yb_hosp_free(x.rh);
    yb_store_close(x.rs);
    yb_store_close(x.ws);
}

static void print_writer(const struct yb_server_stats *st,
                         const struct yb_server_stats *tls)
{
    printf("writer   %lu calls in %lu commits, %.1f a commit (largest %lu); "
           "%.0f us a call running, %.2f ms a commit, %.0f us of CPU a call; "
           "%lu syncs of %.2f ms (longest %.1f ms); the WAL started again "
           "%lu times (writer paused %.1f ms at most)\n",
           st->calls, st->batches,
           st->batches ? (double)st->calls / (double)st->batches : 0,
           st->largest, st->calls ? st->run_s * 1e6 / (double)st->calls : 0,
           st->batches ? st->commit_s * 1e3 / (double)st->batches : 0,
           st->calls ? st->cpu_s * 1e6 / (double)st->calls : 0, st->syncs,
           st->syncs ? st->sync_s * 1e3 / (double)st->syncs : 0,
           st->sync_max_s * 1e3, st->restarts, st->pause_max_s * 1e3);
    printf("guard    1101 lookups audited %lu, stored %lu, lost %lu, over "
           "the rate %lu\n",
           st->lookups_audited + tls->lookups_audited,
           st->lookups_stored + tls->lookups_stored,
           st->lookups_lost + tls->lookups_lost,
           st->lookups_limited + tls->lookups_limited);
}

static void print_results(const struct comparison *plain,
                          const struct result *rch,
                          const struct chain_cpu *ccpu,
                          const struct yb_server_stats *st,
                          const struct comparison *tls)
{
    printf("RESULT server_1101_rate %.0f requests/s\n", plain->r1101.rate);
    printf("RESULT server_1101_p99 %.2f ms\n", plain->r1101.p99);
    printf("RESULT server_ceiling_rate %.0f requests/s\n", plain->ceil.rate);
    printf("RESULT server_1101_ceiling_ratio %.3f ratio\n", plain->median);
    printf("RESULT server_1101_ceiling_ratio_pooled %.3f ratio\n",
           plain->pooled);
    printf("RESULT server_1101_cpu %.1f us\n", plain->cpu_us);
    printf("RESULT server_ceiling_cpu %.1f us\n", plain->ceil_cpu_us);
    printf("RESULT server_chain_rate %.0f chains/s\n", rch->rate);
    printf("RESULT server_chain_p50 %.2f ms\n", rch->p50);
    printf("RESULT server_chain_p99 %.2f ms\n", rch->p99);
    printf("RESULT server_chain_cpu %.0f us\n", ccpu->server_us);
    printf("RESULT server_chain_writer_cpu %.0f us\n", ccpu->writer_us);
    printf("RESULT server_chain_client_cpu %.0f us\n", ccpu->client_us);
    printf("RESULT server_chain_quiet_bound %.0f chains/s\n", ccpu->bound);
    printf("RESULT server_calls_per_commit %.1f calls\n",
           st->batches ? (double)st->calls / (double)st->batches : 0);
    printf("RESULT server_tls_1101_rate %.0f requests/s\n", tls->r1101.rate);
    printf("RESULT server_tls_1101_p99 %.2f ms\n", tls->r1101.p99);
    printf("RESULT server_tls_ceiling_rate %.0f requests/s\n", tls->ceil.rate);
    printf("RESULT server_tls_1101_ceiling_ratio %.3f ratio\n", tls->median);
    printf("RESULT server_tls_1101_ceiling_ratio_pooled %.3f ratio\n",
           tls->pooled);
    printf("RESULT server_tls_1101_cpu %.1f us\n", tls->cpu_us);
    printf("RESULT server_tls_ceiling_cpu %.1f us\n", tls->ceil_cpu_us);
}

/* The temporary directory removed, and what main allocated freed. */
static void cleanup(const char *dir, struct yb_policy *p)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "server: could not remove %s\n", dir);
    yb_policy_free(p);
    free(people);
    gnutls_certificate_free_credentials(client_cred);
    gnutls_global_deinit();
}

int main(int argc, char **argv)
{
    int64_t persons = 2000;
    double secs = 3;
    int clients = 4, chain_clients = 48;
    long rate = 100000000; /* never refuses: the check runs */
    const char *only = "";
    long calls = 2000; /* chains of --only calls */
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--persons") == 0)
            persons = atoll(argv[++i]);
        else if (strcmp(argv[i], "--seconds") == 0)
            secs = atof(argv[++i]);
        else if (strcmp(argv[i], "--clients") == 0)
            clients = atoi(argv[++i]);
        else if (strcmp(argv[i], "--chain-clients") == 0)
            chain_clients = atoi(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0)
            only = argv[++i];
        else if (strcmp(argv[i], "--lookup-rate") == 0)
            rate = atol(argv[++i]);
        else if (strcmp(argv[i], "--calls") == 0)
            calls = atol(argv[++i]);
    }
    if (clients < 1 || clients > 64)
        clients = 4;
    if (chain_clients < 1 || chain_clients > 64)
        chain_clients = 48;
    if (rate < 0 || rate > 1000000000)
        rate = 100000000;
    bool run1101 = !*only || strcmp(only, "1101") == 0,
         runchain = !*only || strcmp(only, "chain") == 0,
         runtls = !*only || strcmp(only, "tls") == 0;
    signal(SIGPIPE, SIG_IGN);
    gnutls_global_init();
    gnutls_certificate_allocate_credentials(&client_cred);
    char dir[] = "/tmp/yb-bench-server-XXXXXX", db[96], cert_path[96],
         key_path[96], day[11], now[20], sign[YB_SIGN_NO_LEN + 1];
    if (!mkdtemp(dir))
        return perror("mkdtemp"), 1;
    snprintf(db, sizeof db, "%s/server.db", dir);
    snprintf(cert_path, sizeof cert_path, "%s/cert.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/key.pem", dir);
    int year = today(day, now);
    struct yb_policy *p = setup(dir, db, year, persons, now, sign);
    char code[64] = "";
    load_persons(db, year, day);
    first_of(db,
             "SELECT med_list_codg FROM catalogue_item WHERE chrgitm_lv = "
             "'01' AND lmt_gend IS NULL AND lmt_age_min IS NULL AND "
             "lmt_age_max IS NULL AND (price_ceiling = 0 OR price_ceiling >= "
             "2000000) LIMIT 1",
             code, sizeof code);
    if (!n_people || !code[0])
        return fprintf(stderr, "server: no covered person or item in %d\n",
                       year),
               1;
    if (strcmp(only, "calls") == 0) {
        struct work w = {.sign = sign, .code = code, .today = day};
        run_calls(db, p->region, &w, now, calls < 1 ? 1 : calls);
        cleanup(dir, p);
        return 0;
    }
    static char pem_cert[8192], pem_key[8192];
    size_t cert_n = sizeof pem_cert - 1, key_n = sizeof pem_key - 1;
    make_certificate(cert_path, key_path, pem_cert, &cert_n, pem_key, &key_n);

    static struct yb_server_stats stats, tls_stats;
    sopts = (struct yb_server_opts){
        .db = db,
        .admdvs = p->region,
        .stats = &stats,
        .lookup_rate = rate > 0 ? (unsigned)rate : YB_SERVER_UNLIMITED,
        .lookup_burst = rate > 0 ? (unsigned)rate : 0};
    pthread_t srv;
    int port = start(&srv);
    struct work proto = {.sign = sign,
                         .psn = people[0].psn,
                         .cert = people[0].cert,
                         .code = code,
                         .today = day};
    printf("server: %lld persons of %d (%ld covered today), today %s, %d "
           "clients (chains: %d), %.0f s per figure, 1101 rate check %s\n",
           (long long)persons, year, n_people, day, clients, chain_clients,
           secs, rate > 0 ? "on" : "off");
    struct comparison plain = {0}, tls = {0};
    int cport = free_port();
    struct MHD_Daemon *d = ceiling(cport, NULL, NULL);
    if (!d)
        return fprintf(stderr, "server: no ceiling daemon\n"), 1;
    if (run1101) {
        plain = compare(port, cport, clients, secs, &proto);
        print_comparison("1101", &plain);
    }
    MHD_stop_daemon(d);
    struct tally tchain = {0};
    struct chain_cpu ccpu = {0};
    if (runchain) {
        /* untimed first: a server in service has its writer's page cache
         * full, so new pages reuse its buffers; a fresh one grows it,
         * mallocing and faulting memory in, until it holds cache_size
         * (128 MiB): some 6-10 s of chains here (a fixed 3 s once was
         * enough; since the chains name many persons, a chain writes more
         * and the timed chains were still filling the cache). Chains run
         * untimed a second at a time until the process grows by less than
         * WARM_FLAT_MB in one. The figure is the steady state. */
        struct tally warm = {0};
        double rss = resident_mb(), grew = 0;
        int warm_s = 0;
        while (warm_s < WARM_MAX_S) {
            drive(port, chain_clients, 1, 1, &proto, &warm);
            double now_mb = resident_mb();
            grew = now_mb - rss;
            rss = now_mb;
            if (++warm_s >= WARM_MIN_S && grew < WARM_FLAT_MB)
                break;
        }
        free(warm.lat);
        printf("chain    warmed %d s (%ld chains) to %.0f MiB, the last "
               "second +%.1f MiB\n",
               warm_s, warm.done, rss, grew);
        double p0 = process_cpu(), s0 = threads_cpu("yb-"),
               w0 = threads_cpu("yb-writer");
        drive(port, chain_clients, secs, 1, &proto, &tchain);
        chain_cpu(&ccpu, tchain.done, process_cpu() - p0,
                  threads_cpu("yb-") - s0, threads_cpu("yb-writer") - w0);
    }
    struct result rch = summary(&tchain);
    printf("chain    %9.0f chains/s    p50 %.2f ms  p99 %.2f ms  (%ld "
           "failed)\n",
           rch.rate, rch.p50, rch.p99, rch.failed);
    if (runchain)
        printf("chain CPU a chain: server %.0f us (writer %.0f us), load "
               "generator %.0f us; on two quiet cores of its own at most "
               "%.0f chains/s (%s-bound)\n",
               ccpu.server_us, ccpu.writer_us, ccpu.client_us, ccpu.bound,
               ccpu.writer_bound ? "writer" : "CPU");
    finish(srv);
    if (runtls) { /* the same server over TLS, the ceiling too */
        sopts.tls_cert = cert_path;
        sopts.tls_key = key_path;
        sopts.stats = &tls_stats;
        port = start(&srv);
        cport = free_port();
        d = ceiling(cport, pem_cert, pem_key);
        if (!d)
            return fprintf(stderr, "server: no TLS ceiling daemon\n"), 1;
        proto.tls = true;
        tls = compare(port, cport, clients, secs, &proto);
        print_comparison("tls-1101", &tls);
        MHD_stop_daemon(d);
        finish(srv);
    }
    print_writer(&stats, &tls_stats);
    cleanup(dir, p);
    print_results(&plain, &rch, &ccpu, &stats, &tls);
    return 0;
}
