/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP server of the hospital interface (include/yibao/server.h) on
 * GNU libmicrohttpd: a pool of threads reads requests; each call is
 * answered under one lock on the server's store connection, so a call's
 * store transaction is never interleaved with another's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "yibao/hosp.h"
#include "yibao/server.h"
#include "yibao/store.h"

#define CALL_PATH "/fsi/api/rsfComIfsService/callService"

struct server {
    const struct yb_server_opts *o;
    struct yb_hosp *h;
    yb_store *s;
    pthread_mutex_t mu;
    size_t max_body;
};

struct request {
    char *body;
    size_t n, cap;
    bool too_big;
};

char *yb_mask_ids(const char *s, char *out, size_t n)
{
    size_t len = strlen(s), k = 0;
    if (n == 0)
        return out;
    for (size_t i = 0; i < len && k + 1 < n; i++) {
        /* an ID number: 17 digits and a digit or X, not inside a longer
         * run of digits */
        size_t d = 0;
        while (i + d < len && d < 17 && s[i + d] >= '0' && s[i + d] <= '9')
            d++;
        bool id = d == 17 && i + 17 < len &&
                  ((s[i + 17] >= '0' && s[i + 17] <= '9') || s[i + 17] == 'X' ||
                   s[i + 17] == 'x') &&
                  (i == 0 || s[i - 1] < '0' || s[i - 1] > '9') &&
                  (i + 18 >= len || s[i + 18] < '0' || s[i + 18] > '9');
        if (!id) {
            out[k++] = s[i];
            continue;
        }
        for (size_t j = 0; j < 18 && k + 1 < n; j++)
            out[k++] = j < 6 || j >= 14 ? s[i + j] : '*';
        i += 17;
    }
    out[k] = '\0';
    return out;
}

static void clock_now(char now[20], int *ms)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(now, 20, "%Y-%m-%d %H:%M:%S", &tm);
    *ms = (int)(ts.tv_nsec / 1000000);
}

/* A short JSON field of a rendered answer, for the log ("" if absent). */
static void field_of(const char *doc, const char *key, char *out, size_t n)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(doc, pat);
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(pat);
    if (*p == '"')
        p++;
    size_t k = 0;
    while (*p && *p != '"' && *p != ',' && *p != '}' && k + 1 < n)
        out[k++] = *p++;
    out[k] = '\0';
}

static void log_call(struct server *sv, const struct request *r,
                     const char *answer, const char *now, double ms)
{
    if (!sv->o->log)
        return;
    char infno[8], code[40], msgid[40], infcode[8], err[300], masked[300];
    field_of(r->body ? r->body : "", "infno", infno, sizeof infno);
    field_of(r->body ? r->body : "", "fixmedins_code", code, sizeof code);
    field_of(r->body ? r->body : "", "msgid", msgid, sizeof msgid);
    field_of(answer, "infcode", infcode, sizeof infcode);
    const char *em = strstr(answer, "\"err_msg\":\"");
    snprintf(err, sizeof err, "%.*s", em ? (int)strcspn(em + 11, "\"") : 0,
             em ? em + 11 : "");
    fprintf(sv->o->log, "%s infno=%s inst=%s msgid=%s infcode=%s %.1fms%s%s\n",
            now, infno, code, msgid, infcode, ms, err[0] ? " " : "",
            yb_mask_ids(err, masked, sizeof masked));
    fflush(sv->o->log);
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

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result answer(struct server *sv, struct MHD_Connection *c,
                              struct request *r)
{
    char now[20];
    int ms;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (r->too_big) {
        char msg[128];
        snprintf(msg, sizeof msg, "请求报文超过 %zu 字节 (body too large)",
                 sv->max_body);
        return refuse(c, MHD_HTTP_CONTENT_TOO_LARGE, "YB0002", msg);
    }
    pthread_mutex_lock(&sv->mu);
    clock_now(now, &ms);
    char *text = yb_hosp_call(sv->h, r->body ? r->body : "", r->n, now, ms);
    pthread_mutex_unlock(&sv->mu);
    if (!text)
        return refuse(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "YB0001",
                      "内存不足 (out of memory)");
    log_call(sv, r, text, now, ms_since(&t0));
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
        size_t cap = r->cap ? r->cap : 4096;
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct server *sv = cls;
    (void)version;
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
    (void)c;
    (void)code;
    struct request *r = *con_cls;
    if (r) {
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
        return yb_err_set(e, YB_EINVAL, "listen", "\"%s\" is not HOST:PORT",
                          listen ? listen : "");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (!*(colon + 1) || *end || port < 0 || port > 65535)
        return yb_err_set(e, YB_EINVAL, "listen", "\"%s\" is not a port",
                          colon + 1);
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return yb_err_set(e, YB_EINVAL, "listen",
                          "\"%s\" is not an IPv4 address", host);
    a->sin_port = htons((uint16_t)port);
    return YB_OK;
}

static int serve(struct server *sv, const struct sockaddr_in *addr,
                 volatile sig_atomic_t *stop, struct yb_err *e)
{
    const struct yb_server_opts *o = sv->o;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY,
        ntohs(addr->sin_port), NULL, NULL, on_request, sv, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *)addr, MHD_OPTION_THREAD_POOL_SIZE,
        o->threads ? o->threads : 2u, MHD_OPTION_CONNECTION_TIMEOUT,
        o->timeout_s ? o->timeout_s : 30u, MHD_OPTION_NOTIFY_COMPLETED, on_done,
        sv, MHD_OPTION_END);
    if (!d)
        return yb_err_set(e, YB_EIO, "listen", "cannot listen on %s: %s",
                          o->listen, strerror(errno));
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
    /* stop accepting, then let the calls in flight finish */
    MHD_socket fd = MHD_quiesce_daemon(d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    MHD_stop_daemon(d);
    return YB_OK;
}

int yb_server_run(const struct yb_server_opts *o, volatile sig_atomic_t *stop,
                  struct yb_err *e)
{
    struct sockaddr_in addr;
    struct server sv = {.o = o,
                        .max_body = o->max_body ? o->max_body : 1u << 20};
    int rc = parse_listen(o->listen, &addr, e);
    if (rc == YB_OK)
        rc = yb_store_open(o->db, YB_STORE_DURABLE, &sv.s, e);
    struct yb_hosp_opts ho = {.policy = o->policy};
    if (rc == YB_OK)
        rc = yb_hosp_new(sv.s, &ho, &sv.h, e);
    if (rc == YB_OK) {
        pthread_mutex_init(&sv.mu, NULL);
        rc = serve(&sv, &addr, stop, e);
        pthread_mutex_destroy(&sv.mu);
    }
    yb_hosp_free(sv.h);
    yb_store_close(sv.s);
    return rc;
}
