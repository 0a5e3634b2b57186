/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guard of the hospital interface (include/yibao/hosp.h): what the
 * server's dispatchers share to keep one institution from listing the
 * insured population through 1101, and the record of every lookup.
 *
 * A token bucket per institution, in millionths of a token and in the
 * calls' own time (the envelope's time of the call and its milliseconds,
 * so that tests drive it without a clock): it holds lookup_burst tokens
 * at most and gains lookup_rate a second; a lookup takes one. The buckets
 * are an open-addressing table of the institutions seen, grown by
 * doubling (they are the registry's institutions, signed in).
 *
 * The lookup audit: each lookup let through holds a place in a queue,
 * bounded by audit_max, and its record (one allocation for its strings)
 * takes it after the call. The writer takes the whole queue in its batch,
 * inserts it in a savepoint of the batch's transaction and, once it knows
 * whether the batch committed, frees it or puts it back in front. So a
 * 1101 never waits for the disk; what a crash loses is the queue (records
 * of the last tens of milliseconds: the server asks the writer to store
 * it every 50 ms, and at once when it has grown by audit_max / 16).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/date.h"
#include "yibao/hospital.h"

#define MICRO 1000000 /* a token */
#define AUDIT_MAX_DEFAULT 65536

struct bucket {
    char *code;     /* NULL: a free slot */
    int64_t tokens; /* millionths */
    int64_t at_ms;  /* when it was last filled */
};

struct yb_hosp_guard {
    struct yb_hosp_guard_opts o;
    pthread_mutex_t mu;
    struct bucket *b;
    size_t nb, cap_b; /* cap_b a power of two */
    struct yb_lookup_rec *q;
    size_t nq, cap_q;
    size_t reserved;             /* places held by lookups under way */
    struct yb_lookup_rec *taken; /* by the writer, until stored */
    size_t ntaken;
    size_t wake_every;
    struct yb_hosp_guard_stats st;
};

int yb_hosp_guard_new(const struct yb_hosp_guard_opts *o,
                      struct yb_hosp_guard **out, struct yb_err *e)
{
    struct yb_hosp_guard *g = calloc(1, sizeof *g);
    if (!g)
        return yb_err_set(e, YB_ENOMEM, "guard", "内存不足 (out of memory)");
    if (o)
        g->o = *o;
    if (!g->o.lookup_burst)
        g->o.lookup_burst = g->o.lookup_rate;
    if (!g->o.audit_max)
        g->o.audit_max = AUDIT_MAX_DEFAULT;
    g->wake_every = g->o.audit_max / 16 ? g->o.audit_max / 16 : 1;
    pthread_mutex_init(&g->mu, NULL);
    *out = g;
    return YB_OK;
}

static void free_recs(struct yb_lookup_rec *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((void *)r[i].at); /* the record's strings start there */
}

void yb_hosp_guard_free(struct yb_hosp_guard *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->cap_b; i++)
        free(g->b[i].code);
    free(g->b);
    free_recs(g->q, g->nq);
    free(g->q);
    free_recs(g->taken, g->ntaken);
    free(g->taken);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

/* ---- the buckets ---------------------------------------------------------
 */

static size_t hash_of(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static struct bucket *slot_of(struct bucket *b, size_t cap, const char *code)
{
    size_t i = hash_of(code) & (cap - 1);
    while (b[i].code && strcmp(b[i].code, code) != 0)
        i = (i + 1) & (cap - 1);
    return &b[i];
}

/* With mu held: room for one more bucket (the table at most 3/4 full). */
static int grow_buckets(struct yb_hosp_guard *g)
{
    if (4 * (g->nb + 1) <= 3 * g->cap_b)
        return YB_OK;
    size_t cap = g->cap_b ? 2 * g->cap_b : 64;
    struct bucket *b = calloc(cap, sizeof *b);
    if (!b)
        return YB_ENOMEM;
    for (size_t i = 0; i < g->cap_b; i++)
        if (g->b[i].code)
            *slot_of(b, cap, g->b[i].code) = g->b[i];
    free(g->b);
    g->b = b;
    g->cap_b = cap;
    return YB_OK;
}

/* With mu held: the bucket of code, made full at its first lookup. */
static struct bucket *bucket_of(struct yb_hosp_guard *g, const char *code,
                                int64_t t)
{
    if (g->cap_b) {
        struct bucket *k = slot_of(g->b, g->cap_b, code);
        if (k->code)
            return k;
    }
    if (grow_buckets(g) != YB_OK)
        return NULL;
    struct bucket *k = slot_of(g->b, g->cap_b, code);
    if (!(k->code = strdup(code)))
        return NULL;
    k->tokens = (int64_t)g->o.lookup_burst * MICRO;
    k->at_ms = t;
    g->nb++;
    return k;
}

/* With mu held: fill the bucket for the time since, then take a token. */
static bool take_token(const struct yb_hosp_guard *g, struct bucket *k,
                       int64_t t)
{
    int64_t full = (int64_t)g->o.lookup_burst * MICRO;
    int64_t per_ms = (int64_t)g->o.lookup_rate * (MICRO / 1000);
    if (t > k->at_ms) {
        /* beyond the time it takes to fill up, more does not matter (and
         * would overflow) */
        int64_t ms = t - k->at_ms, fill_ms = full / per_ms + 1;
        k->tokens += (ms < fill_ms ? ms : fill_ms) * per_ms;
        if (k->tokens > full)
            k->tokens = full;
        k->at_ms = t;
    } /* a clock that went back fills nothing */
    if (k->tokens < MICRO)
        return false;
    k->tokens -= MICRO;
    return true;
}

int yb__guard_take(struct yb_hosp_guard *g, const char *code, const char *now,
                   int now_ms, struct yb_err *e)
{
    yb_date d;
    int32_t secs = 0;
    int rc = yb_datetime_parse(now, false, &d, &secs, "now", e);
    if (rc != YB_OK)
        return rc;
    int64_t t = ((int64_t)d * 86400 + secs) * 1000 + now_ms;
    pthread_mutex_lock(&g->mu);
    struct bucket *k = g->o.lookup_rate ? bucket_of(g, code, t) : NULL;
    if (g->o.lookup_rate && !k)
        rc = yb_err_set(e, YB_ENOMEM, "guard", "内存不足 (out of memory)");
    else if (g->nq + g->ntaken + g->reserved >= g->o.audit_max) {
        g->st.full++;
        rc = yb_err_set(e, YB_EBUSY, "infno",
                        "人员信息查询的审计记录积压，请稍后重试 (lookup "
                        "audit queue full)");
    } else if (k && !take_token(g, k, t)) {
        g->st.limited++;
        rc = yb_err_set(e, YB_EPERM, "infno",
                        "机构 %s 的人员信息查询超过每秒 %u 次（连续至多 %u "
                        "次）的限额，请稍后重试 (1101 rate limit)",
                        code, g->o.lookup_rate, g->o.lookup_burst);
    } else
        g->reserved++;
    pthread_mutex_unlock(&g->mu);
    return rc;
}

/* ---- the audit queue -----------------------------------------------------
 */

/* A copy of r whose strings live in one allocation, starting at .at. */
static bool copy_rec(const struct yb_lookup_rec *r, struct yb_lookup_rec *out)
{
    const char *v[9] = {r->at,         r->fixmedins_code, r->opter,
                        r->opter_name, r->infno,          r->msgid,
                        r->psn_no,     r->cert_type,      r->cert_no};
    const char **to[9] = {
        &out->at,         &out->fixmedins_code, &out->opter,
        &out->opter_name, &out->infno,          &out->msgid,
        &out->psn_no,     &out->cert_type,      &out->cert_no};
    size_t len[9], total = 0;
    for (int i = 0; i < 9; i++)
        total += (len[i] = strlen(v[i] ? v[i] : "") + 1);
    char *blob = malloc(total);
    if (!blob)
        return false;
    for (int i = 0; i < 9; i++) {
        memcpy(blob, v[i] ? v[i] : "", len[i]);
        *to[i] = blob;
        blob += len[i];
    }
    out->infcode = r->infcode;
    out->err_code = r->err_code;
    return true;
}

void yb__guard_audit(struct yb_hosp_guard *g, const struct yb_lookup_rec *r)
{
    struct yb_lookup_rec c;
    bool copied = copy_rec(r, &c), wake = false;
    pthread_mutex_lock(&g->mu);
    g->reserved--;
    if (copied && g->nq == g->cap_q) {
        /* never past audit_max: take held a place for it */
        size_t cap = g->cap_q ? 2 * g->cap_q : 256;
        struct yb_lookup_rec *q = realloc(g->q, cap * sizeof *q);
        if (q) {
            g->q = q;
            g->cap_q = cap;
        }
    }
    if (copied && g->nq < g->cap_q) {
        g->q[g->nq++] = c;
        g->st.audited++;
        wake = g->nq % g->wake_every == 0;
    } else {
        if (copied)
            free((void *)c.at);
        g->st.lost++;
    }
    pthread_mutex_unlock(&g->mu);
    if (wake && g->o.wake)
        g->o.wake(g->o.ctx);
}

size_t yb_hosp_guard_pending(struct yb_hosp_guard *g)
{
    pthread_mutex_lock(&g->mu);
    size_t n = g->nq;
    pthread_mutex_unlock(&g->mu);
    return n;
}

int yb_hosp_guard_store(struct yb_hosp_guard *g, yb_store *s, size_t *n,
                        struct yb_err *e)
{
    *n = 0;
    pthread_mutex_lock(&g->mu);
    if (g->ntaken) { /* the last batch's outcome was not reported */
        pthread_mutex_unlock(&g->mu);
        return yb_err_set(e, YB_EINVAL, "guard",
                          "审计记录已被取走，上一批的结果尚未报告 (records "
                          "taken already)");
    }
    g->taken = g->q;
    g->ntaken = g->nq;
    g->q = NULL;
    g->nq = g->cap_q = 0;
    if (!g->ntaken) {
        free(g->taken);
        g->taken = NULL;
    }
    pthread_mutex_unlock(&g->mu);
    if (!g->ntaken)
        return YB_OK;
    int rc = yb_store_exec(s, "SAVEPOINT lookup_audit", e);
    if (rc == YB_OK) {
        rc = yb_lookup_audit_put(s, g->taken, g->ntaken, e);
        struct yb_err ignore = {0};
        if (rc != YB_OK)
            yb_store_exec(s, "ROLLBACK TO lookup_audit", &ignore);
        if (yb_store_exec(s, "RELEASE lookup_audit", &ignore) != YB_OK &&
            rc == YB_OK)
            rc = yb_err_set(e, YB_ESTORE, "lookup_audit",
                            "无法释放保存点 (cannot release the savepoint)");
    }
    if (rc != YB_OK)
        yb_hosp_guard_stored(g, false);
    else
        *n = g->ntaken;
    return rc;
}

void yb_hosp_guard_stored(struct yb_hosp_guard *g, bool committed)
{
    pthread_mutex_lock(&g->mu);
    if (committed) {
        g->st.stored += g->ntaken;
        free_recs(g->taken, g->ntaken);
        free(g->taken);
    } else if (g->ntaken) { /* back in front of those queued since */
        struct yb_lookup_rec *q =
            realloc(g->taken, (g->ntaken + g->nq) * sizeof *q);
        if (q) {
            if (g->nq) /* g->q may be NULL when none came since */
                memcpy(q + g->ntaken, g->q, g->nq * sizeof *q);
            free(g->q);
            g->q = q;
            g->nq += g->ntaken;
            g->cap_q = g->nq;
        } else {
            free_recs(g->taken, g->ntaken);
            free(g->taken);
            g->st.lost += g->ntaken;
        }
    }
    g->taken = NULL;
    g->ntaken = 0;
    pthread_mutex_unlock(&g->mu);
}

void yb_hosp_guard_stats(struct yb_hosp_guard *g,
                         struct yb_hosp_guard_stats *out)
{
    pthread_mutex_lock(&g->mu);
    *out = g->st;
    pthread_mutex_unlock(&g->mu);
}
