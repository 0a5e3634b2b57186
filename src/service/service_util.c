/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The helpers of service_int.h: every service entry point runs in its
 * caller's transaction (a bulk import's batch) or in one of its own, and
 * records its changes under the caller's event or one of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"
#include "yibao/event.h"
#include "yibao/region.h"

int yb__svc_in_txn(yb_store *s, int (*fn)(yb_store *, void *, struct yb_err *),
                   void *arg, struct yb_err *e)
{
    if (yb_store_in_transaction(s))
        return fn(s, arg, e);
    int rc = yb_store_begin(s, e);
    if (rc != YB_OK)
        return rc;
    rc = fn(s, arg, e);
    if (rc == YB_OK)
        return yb_store_commit(s, e);
    yb_store_rollback(s);
    return rc;
}

int yb__svc_event(yb_store *s, const struct yb_actor *who, const char *kind,
                  const char *ref, int64_t *ev, struct yb_err *e)
{
    if (who->event_id > 0) {
        *ev = who->event_id;
        return YB_OK;
    }
    return yb_event_open(s, kind, ref, who->name, who->now, ev, e);
}

char *yb__svc_copy(char *dst, size_t n, const char *src)
{
    if (n == 0)
        return dst;
    size_t len = src ? strnlen(src, n - 1) : 0;
    if (len)
        memcpy(dst, src, len);
    dst[len] = '\0';
    return dst;
}

/* (snprintf's "%s%.*s" costs about 800 instructions, a tenth of a bulk
 * person import's own work across its memo lookups.) */
const char *yb__svc_memo_key(char key[YB_MEMO_KEY], const char *prefix,
                             const char *v, size_t max)
{
    size_t a = strnlen(prefix, YB_MEMO_KEY - 1);
    size_t b = strnlen(v, max);
    if (b > YB_MEMO_KEY - 1 - a)
        b = YB_MEMO_KEY - 1 - a;
    memcpy(key, prefix, a);
    memcpy(key + a, v, b);
    key[a + b] = '\0';
    return key;
}

int yb__svc_pooling(yb_store *s, const char *admdvs, char out[7],
                    struct yb_err *e)
{
    char key[YB_MEMO_KEY];
    yb__svc_memo_key(key, "pooling:", admdvs, 14);
    if (yb_store_memo_get(s, key, out, 7))
        return YB_OK;
    yb_stmt *st;
    int rc = yb_store_prepare(s, "SELECT pooling FROM region WHERE admdvs = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, admdvs);
    rc = yb_stmt_step(st, e);
    const char *pool = rc == YB_ROW ? yb_stmt_text(st, 0) : NULL;
    if (pool && strlen(pool) == 6)
        memcpy(out, pool, 7);
    else if (yb_region_level(admdvs) == YB_REGION_COUNTY)
        yb_region_parent(admdvs, out);
    else
        snprintf(out, 7, "%s", admdvs);
    yb_stmt_reset(st);
    if (rc != YB_ROW && rc != YB_DONE)
        return rc;
    yb_store_memo_put(s, key, out);
    return YB_OK;
}

int yb__svc_event_seen(yb_store *s, const char *kind, const char *ref,
                       int64_t *id, char *at, size_t n, struct yb_err *e)
{
    yb_stmt *st;
    *id = 0;
    at[0] = '\0';
    int rc = yb_store_prepare(
        s, "SELECT id, at FROM event WHERE kind = $1 AND ref = $2", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, kind);
    yb_stmt_bind_text(st, 2, ref);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        *id = yb_stmt_int(st, 0);
        snprintf(at, n, "%s", yb_stmt_text(st, 1));
    }
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

int yb__svc_next_number(yb_store *s, const char *max_sql, const char *region,
                        int64_t *out, struct yb_err *e)
{
    char lo[24], hi[24];
    yb_stmt *st;
    int rc = yb_store_prepare(s, max_sql, &st, e);
    if (rc != YB_OK)
        return rc;
    snprintf(lo, sizeof lo, "%.6s00000000000000", region);
    snprintf(hi, sizeof hi, "%.6s99999999999999", region);
    yb_stmt_bind_text(st, 1, lo);
    yb_stmt_bind_text(st, 2, hi);
    rc = yb_stmt_step(st, e);
    const char *max = rc == YB_ROW ? yb_stmt_text(st, 0) : NULL;
    *out = max && strlen(max) == 20 ? atoll(max + 6) + 1 : 1;
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

void *yb__svc_grow(struct yb_arena *a, void *v, size_t n, size_t *cap,
                   size_t size)
{
    if (v && n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 16;
    void *w = yb_arena_calloc(a, c, size);
    if (!w)
        return NULL;
    if (n)
        memcpy(w, v, n * size);
    *cap = c;
    return w;
}

int yb__svc_collect(yb_stmt *st, struct yb_arena *a, size_t size,
                    yb__svc_row_fn fn, const char *what, void **out, size_t *n,
                    struct yb_err *e)
{
    void *v = NULL;
    size_t k = 0, cap = 0;
    int rc;
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        v = yb__svc_grow(a, v, k, &cap, size);
        if (!v) {
            rc = yb_err_set(e, YB_ENOMEM, what, "内存不足 (out of memory)");
            break;
        }
        if ((rc = fn(st, a, (char *)v + k * size, e)) != YB_OK)
            break;
        k++;
    }
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    *out = v;
    *n = k;
    return YB_OK;
}

int yb__svc_meta_int(yb_store *s, const char *key, int64_t *out,
                     struct yb_err *e)
{
    yb_stmt *st;
    *out = 0;
    int rc =
        yb_store_prepare(s, "SELECT value FROM meta WHERE key = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, key);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        *out = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    if (rc == YB_DONE) {
        char f[64];
        snprintf(f, sizeof f, "meta.%.40s", key);
        return yb_err_set(e, YB_ESTORE, f, "元数据表没有 %s (no %s in meta)",
                          key, key);
    }
    return rc == YB_ROW ? YB_OK : rc;
}
