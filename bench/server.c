/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/server: the hospital interface over loopback.
 *
 * 1. A synthetic region (N persons, default 2,000) imported into a new
 *    SQLite file, a township clinic with its credential (not timed).
 * 2. The server (yb_server_run, the code `yibao serve` runs) in this
 *    process on a free port, with its settings (thread pool of 2, durable
 *    commits).
 * 3. Timed, C clients on keep-alive connections:
 *    - 1101 person information, requests/s and p50/p99 latency (--clients,
 *      default 4);
 *    - whole outpatient chains 2201 + 2204 (10 lines) + 2207, chains/s and
 *      p50/p99 latency of a chain (--chain-clients, default 48: a region's
 *      hospitals settle at many windows at once, and group commit gathers
 *      their calls into one sync), after 3 s of untimed chains that bring
 *      the server to its steady state (its page cache full);
 *    - the HTTP ceiling: a trivial libmicrohttpd handler with the same
 *      daemon settings answering a fixed envelope, requests/s, with the
 *      clients of 1101, run in quarter-second slices alternating with 1101's
 *      (the machine's speed drifts; the ratio of the two holds). The ratio
 *      printed is the median of the ratios of neighbouring slices; the
 *      pooled ratio (all 1101 requests over all the ceiling's) follows.
 * The last lines are RESULT lines; targets (issue 4): 1101 >= 20,000
 * requests/s and >= 60% of the ceiling; >= 3,000 chains/s with p99 < 50 ms.
 *
 * Usage: server [--persons N] [--seconds S] [--clients C]
 *               [--chain-clients C] [--only 1101|chain]
 * (--only runs one workload, for profiling: perf record -g, then
 * perf report --sort comm,symbol; the server's threads are named.)
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "yibao/hospital.h"
#include "yibao/import.h"
#include "yibao/policy.h"
#include "yibao/policyset.h"
#include "yibao/server.h"
#include "yibao/store.h"
#include "yibao/synth.h"

#define INST "H53010299999"
#define MAX_SAMPLES 2000000
#define WARM_S 3.0 /* untimed chains before the timed ones */

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

/* ---- an HTTP/1.1 keep-alive client -------------------------------------- */

struct conn {
    int fd;
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
    if (write(c->fd, req, (size_t)h + n) != (ssize_t)((size_t)h + n))
        return -1;
    size_t got = 0, off = 0, len = 0;
    bool head = false;
    for (;;) {
        ssize_t r = read(c->fd, c->buf + got, sizeof c->buf - 1 - got);
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
    double until;
    const char *sign, *psn, *cert, *code;
    int kind; /* 0 1101 (or the ceiling), 1 chain */
    long done, failed;
    double *lat;
    long n_lat;
};

static void envelope(char *out, size_t n, const char *infno, long serial,
                     int client, const char *sign, const char *input)
{
    snprintf(out, n,
             "{\"infno\":\"%s\",\"msgid\":\"" INST "%02d%016ld\","
             "\"mdtrtarea_admvs\":\"530102\",\"insuplc_admdvs\":\"530100\","
             "\"recer_sys_code\":\"YBXT\",\"infver\":\"V1.0\","
             "\"opter_type\":\"1\",\"opter\":\"b\",\"opter_name\":\"b\","
             "\"inf_time\":\"2026-11-22 10:00:00\",\"fixmedins_code\":\"" INST
             "\",\"fixmedins_name\":\"b\",\"sign_no\":\"%s\",\"input\":%s}",
             infno, client, serial, sign, input);
}

static void record(struct work *w, double t0)
{
    if (w->n_lat < MAX_SAMPLES)
        w->lat[w->n_lat++] = now_s() - t0;
}

static int chain(struct work *w, struct conn *c, long k, char *body, size_t n,
                 char *input, size_t m)
{
    char mdtrt[32] = "";
    snprintf(input, m,
             "{\"data\":{\"psn_no\":\"%s\",\"insutype\":\"390\",\"begntime\":"
             "\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\","
             "\"mdtrt_cert_no\":\"%s\",\"ipt_otp_no\":\"B%dN%ld\"}}",
             w->psn, w->cert, w->id, k);
    envelope(body, n, "2201", 3 * k, w->id, w->sign, input);
    if (post(c, body) != 0)
        return -1;
    const char *p = strstr(c->buf, "\"mdtrt_id\":\"");
    if (!p)
        return -1;
    snprintf(mdtrt, sizeof mdtrt, "%.20s", p + 12);
    size_t len = (size_t)snprintf(input, m, "{\"feedetail\":[");
    for (int i = 0; i < 10; i++)
        len += (size_t)snprintf(
            input + len, m - len,
            "%s{\"feedetl_sn\":\"%d\",\"mdtrt_id\":\"%s\",\"psn_no\":\"%s\","
            "\"chrg_bchno\":\"1\",\"fee_ocur_time\":\"2018-06-01 09:10:00\","
            "\"med_list_codg\":\"%s\",\"det_item_fee_sumamt\":2.00,"
            "\"cnt\":1,\"pric\":2}",
            i ? "," : "", i + 1, mdtrt, w->psn, w->code);
    snprintf(input + len, m - len, "]}");
    envelope(body, n, "2204", 3 * k + 1, w->id, w->sign, input);
    if (post(c, body) != 0 || !strstr(c->buf, "\"infcode\":0"))
        return -1;
    snprintf(input, m,
             "{\"data\":{\"psn_no\":\"%s\",\"mdtrt_cert_type\":\"02\","
             "\"mdtrt_cert_no\":\"%s\",\"med_type\":\"11\",\"medfee_sumamt\":"
             "20.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"%s\",\"insutype\":"
             "\"390\"}}",
             w->psn, w->cert, mdtrt);
    envelope(body, n, "2207", 3 * k + 2, w->id, w->sign, input);
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
    c->fd = connect_to(w->port);
    if (c->fd < 0) {
        w->failed++;
        return NULL;
    }
    char in1101[256];
    snprintf(in1101, sizeof in1101,
             "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"%s\","
             "\"begntime\":\"2018-06-01\"}}",
             w->cert ? w->cert : "x");
    envelope(body, 1 << 16, "1101", 1, w->id, w->sign ? w->sign : "", in1101);
    for (long k = 1; now_s() < w->until; k++) {
        double t0 = now_s();
        int rc = w->kind == 0 ? post(c, body)
                              : chain(w, c, k, body, 1 << 16, input, 1 << 15);
        if (rc != 0 || (w->kind == 0 && !strstr(c->buf, "\"infcode\":0"))) {
            w->failed++;
            if (rc != 0)
                break;
            continue;
        }
        record(w, t0);
        w->done++;
    }
    close(c->fd);
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

static struct yb_policy *load_policy(const char *path)
{
    static char buf[1 << 17];
    FILE *f = fopen(path, "rb");
    if (!f)
        return perror(path), exit(1), NULL;
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    if (yb_policy_parse(buf, n, &p, &e) != YB_OK)
        die(path, &e);
    return p;
}

/* The policy file at path, imported into the database's policy set: the
 * server settles under the version in force, as `yibao serve` does. */
static void import_policy(yb_store *s, const char *path)
{
    static char buf[1 << 17];
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct yb_actor who = {.name = "bench", .now = "2017-12-31 12:00:00"};
    struct yb_policy_version v;
    struct yb_arena a;
    struct yb_err e = {0};
    bool existed;
    yb_arena_init(&a, 0);
    if (yb_policyset_import(s, &who, buf, n, &a, &v, &existed, &e) != YB_OK)
        die(path, &e);
    yb_arena_free(&a);
}

static void import(yb_store *s, enum yb_import_kind k, const char *path,
                   const struct yb_policy *p)
{
    struct yb_import_opts o = {.path = path,
                               .actor = "bench",
                               .now = "2017-12-31 12:00:00",
                               .policy = p};
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

int main(int argc, char **argv)
{
    int64_t persons = 2000;
    double secs = 3;
    int clients = 4, chain_clients = 48;
    const char *only = "";
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
    }
    if (clients < 1 || clients > 64)
        clients = 4;
    if (chain_clients < 1 || chain_clients > 64)
        chain_clients = 48;
    signal(SIGPIPE, SIG_IGN);
    char dir[] = "/tmp/yb-bench-server-XXXXXX", csv[96], db[96], path[160];
    if (!mkdtemp(dir))
        return perror("mkdtemp"), 1;
    snprintf(csv, sizeof csv, "%s/csv", dir);
    snprintf(db, sizeof db, "%s/server.db", dir);
    struct yb_policy *p = load_policy("policies/demo-region-2018.json");
    struct yb_synth_opts so = {
        .persons = persons, .year = 2018, .seed = 3, .out_dir = csv};
    struct yb_err e = {0};
    if (yb_synth_run(&so, &e) != YB_OK)
        die("synth", &e);
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
        import(s, files[i].k, path, p);
    }
    import_policy(s, "policies/demo-region-2018.json");
    if (yb_store_exec(s,
                      "INSERT INTO institution (fixmedins_code, name, "
                      "hosp_lv, admdvs) VALUES ('" INST "', '基准诊所', "
                      "'township', '530102')",
                      &e) != YB_OK)
        die("clinic", &e);
    char secret[YB_SECRET_HEX + 1], sign[YB_SIGN_NO_LEN + 1], t[20];
    struct yb_actor who = {.name = "bench", .now = "2026-11-22 09:00:00"};
    if (yb_inst_credential_new(s, &who, INST, secret, &e) != YB_OK)
        die("credential", &e);
    struct yb_signin in = {.fixmedins_code = INST,
                           .secret = secret,
                           .opter_no = "b",
                           .now = "2026-11-22 09:00:00"};
    if (yb_sign_in(s, &in, sign, t, &e) != YB_OK)
        die("sign-in", &e);
    yb_store_close(s);
    char psn[32] = "", cert[32] = "", code[64] = "";
    first_of(db,
             "SELECT e.psn_no FROM enrolment e WHERE e.year = 2018 AND "
             "e.status = 'covered' AND e.covered_from <= '2018-06-01' ORDER BY "
             "e.psn_no LIMIT 1",
             psn, sizeof psn);
    snprintf(path, sizeof path, "SELECT certno FROM person WHERE psn_no = '%s'",
             psn);
    first_of(db, path, cert, sizeof cert);
    first_of(db,
             "SELECT med_list_codg FROM catalogue_item WHERE chrgitm_lv = "
             "'01' AND lmt_gend IS NULL AND lmt_age_min IS NULL AND "
             "lmt_age_max IS NULL AND (price_ceiling = 0 OR price_ceiling >= "
             "2000000) LIMIT 1",
             code, sizeof code);

    int port = free_port();
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    static struct yb_server_stats stats;
    sopts = (struct yb_server_opts){
        .db = db, .listen = listen, .admdvs = p->region, .stats = &stats};
    pthread_t srv;
    pthread_create(&srv, NULL, serve, NULL);
    struct timespec wait = {0, 300000000};
    nanosleep(&wait, NULL);
    struct work proto = {.sign = sign, .psn = psn, .cert = cert, .code = code};
    printf("server: %lld persons, %d clients (chains: %d), %.0f s per "
           "figure\n",
           (long long)persons, clients, chain_clients, secs);
    /* 1101 and the ceiling in alternating slices of a second, so that
     * the machine's drift weighs on both alike */
    int cport = free_port();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
            MHD_ALLOW_SUSPEND_RESUME, /* the server's daemon flags */
        (uint16_t)cport, NULL, NULL, on_trivial, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_END);
    if (!d)
        return fprintf(stderr, "server: no ceiling daemon\n"), 1;
    struct tally t1101 = {0}, tceil = {0}, tchain = {0};
    int slices = secs < 0.25 ? 1 : (int)(secs * 4); /* quarter seconds */
    if (slices > MAX_PAIRS)
        slices = MAX_PAIRS;
    double pair[MAX_PAIRS];
    int pairs = 0;
    for (int i = 0; i < slices && strcmp(only, "chain") != 0; i++) {
        long a0 = t1101.done, c0 = tceil.done;
        double ea = t1101.el, ec = tceil.el;
        drive(port, clients, secs / slices, 0, &proto, &t1101);
        drive(cport, clients, secs / slices, 0, &proto, &tceil);
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
    double median = pairs == 0 ? 0
                    : pairs % 2 ? pair[pairs / 2]
                                : (pair[pairs / 2 - 1] + pair[pairs / 2]) / 2;
    MHD_stop_daemon(d);
    struct result r1101 = summary(&t1101), rc = summary(&tceil);
    printf("1101     %9.0f requests/s  p50 %.2f ms  p99 %.2f ms  (%ld "
           "failed)\n",
           r1101.rate, r1101.p50, r1101.p99, r1101.failed);
    printf("ceiling  %9.0f requests/s  p50 %.2f ms  p99 %.2f ms\n", rc.rate,
           rc.p50, rc.p99);
    if (pairs)
        printf("1101/ceiling of %d pairs of quarter-second slices: median "
               "%.3f (lowest %.3f, highest %.3f); pooled %.3f\n",
               pairs, median, pair[0], pair[pairs - 1],
               rc.rate > 0 ? r1101.rate / rc.rate : 0);
    if (strcmp(only, "1101") != 0) {
        /* untimed first: a server in service has its writer's page cache
         * full, so new pages reuse its buffers; a fresh one grows it,
         * faulting memory in, until it holds cache_size (128 MiB, some
         * 3 s of chains here). The figure is the steady state. */
        struct tally warm = {0};
        drive(port, chain_clients, WARM_S, 1, &proto, &warm);
        free(warm.lat);
        drive(port, chain_clients, secs, 1, &proto, &tchain);
    }
    struct result rch = summary(&tchain);
    printf("chain    %9.0f chains/s    p50 %.2f ms  p99 %.2f ms  (%ld "
           "failed)\n",
           rch.rate, rch.p50, rch.p99, rch.failed);
    stop = 1;
    pthread_join(srv, NULL);
    printf("writer   %lu calls in %lu commits, %.1f a commit (largest %lu); "
           "%.0f us a call running, %.2f ms a commit, %.0f us of CPU a call; "
           "%lu syncs of %.2f ms (longest %.1f ms); the WAL started again "
           "%lu times (writer paused %.1f ms at most)\n",
           stats.calls, stats.batches,
           stats.batches ? (double)stats.calls / (double)stats.batches : 0,
           stats.largest,
           stats.calls ? stats.run_s * 1e6 / (double)stats.calls : 0,
           stats.batches ? stats.commit_s * 1e3 / (double)stats.batches : 0,
           stats.calls ? stats.cpu_s * 1e6 / (double)stats.calls : 0,
           stats.syncs,
           stats.syncs ? stats.sync_s * 1e3 / (double)stats.syncs : 0,
           stats.sync_max_s * 1e3, stats.restarts, stats.pause_max_s * 1e3);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "server: could not remove %s\n", dir);
    yb_policy_free(p);
    printf("RESULT server_1101_rate %.0f requests/s\n", r1101.rate);
    printf("RESULT server_1101_p99 %.2f ms\n", r1101.p99);
    printf("RESULT server_ceiling_rate %.0f requests/s\n", rc.rate);
    printf("RESULT server_1101_ceiling_ratio %.3f ratio\n", median);
    printf("RESULT server_1101_ceiling_ratio_pooled %.3f ratio\n",
           rc.rate > 0 ? r1101.rate / rc.rate : 0);
    printf("RESULT server_chain_rate %.0f chains/s\n", rch.rate);
    printf("RESULT server_chain_p50 %.2f ms\n", rch.p50);
    printf("RESULT server_chain_p99 %.2f ms\n", rch.p99);
    printf("RESULT server_calls_per_commit %.1f calls\n",
           stats.batches ? (double)stats.calls / (double)stats.batches : 0);
    return 0;
}
