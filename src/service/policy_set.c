/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The policy set (include/yibao/policyset.h): importing policy files as
 * versions, listing and reading them, the rule that picks the version in
 * force, and the cache of parsed policies a server keeps per connection.
 * The rule is written once, in pick(), over an index of the versions (the
 * same for a one-off look-up and for the cache), so the command line and
 * the server cannot disagree on which version is in force.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"
#include "yibao/hospital.h" /* yb_hash_hex */
#include "yibao/policyset.h"

#define COLS                                                                   \
    "id, region, insutype, year, valid_from, valid_to, digest, name, "         \
    "imported_by, imported_at, event_id"

static int oom(struct yb_err *e)
{
    return yb_err_set(e, YB_ENOMEM, "policy_version",
                      "内存不足 (out of memory)");
}

/* A row of COLS (and the body after them when with_body) into *v. */
static int read_row(yb_stmt *st, struct yb_arena *a, bool with_body,
                    struct yb_policy_version *v, struct yb_err *e)
{
    memset(v, 0, sizeof *v);
    v->id = yb_stmt_int(st, 0);
    yb__svc_copy(v->region, sizeof v->region, yb_stmt_text(st, 1));
    yb__svc_copy(v->insutype, sizeof v->insutype, yb_stmt_text(st, 2));
    v->year = (int)yb_stmt_int(st, 3);
    int rc = yb_date_parse(yb_stmt_text(st, 4), &v->valid_from,
                           "policy_version.valid_from", e);
    if (rc == YB_OK)
        rc = yb_date_parse(yb_stmt_text(st, 5), &v->valid_to,
                           "policy_version.valid_to", e);
    if (rc != YB_OK)
        return rc;
    yb__svc_copy(v->digest, sizeof v->digest, yb_stmt_text(st, 6));
    v->name = yb_arena_strdup(a, yb_stmt_text(st, 7));
    v->imported_by = yb_arena_strdup(a, yb_stmt_text(st, 8));
    v->imported_at = yb_arena_strdup(a, yb_stmt_text(st, 9));
    v->event_id = yb_stmt_int(st, 10);
    if (with_body) {
        const char *b = yb_stmt_text(st, 11);
        v->body_len = b ? strlen(b) : 0;
        v->body = yb_arena_strndup(a, b ? b : "", v->body_len);
    }
    if (!v->name || !v->imported_by || !v->imported_at ||
        (with_body && !v->body))
        return oom(e);
    return YB_OK;
}

/* ---- import ------------------------------------------------------------- */

/* Well-formed UTF-8 (no overlong forms, surrogates or values past
 * U+10FFFF) without NUL: what a TEXT column and every reader expect. */
static bool utf8_text(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t k;
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            k = 1;
        else if (c >= 0xe0 && c <= 0xef)
            k = 2;
        else if (c >= 0xf0 && c <= 0xf4)
            k = 3;
        else
            return false;
        if (n - i <= k)
            return false;
        unsigned lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
        unsigned hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
        for (size_t j = 1; j <= k; j++) {
            unsigned b = p[i + j];
            if (b < (j == 1 ? lo : 0x80) || b > (j == 1 ? hi : 0xbf))
                return false;
        }
        i += k + 1;
    }
    return true;
}

struct import_run {
    const struct yb_actor *who;
    const struct yb_policy *p;
    const char *text;
    const char *digest;
    struct yb_arena *a;
    struct yb_policy_version *out;
    bool *existed;
};

/* The version with digest d into *out; *found says whether there is one. */
static int by_digest(yb_store *s, const char *d, struct yb_arena *a,
                     struct yb_policy_version *out, bool *found,
                     struct yb_err *e)
{
    yb_stmt *st;
    *found = false;
    int rc = yb_store_prepare(
        s, "SELECT " COLS ", body FROM policy_version WHERE digest = $1", &st,
        e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, d);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        *found = true;
        rc = read_row(st, a, true, out, e);
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int import_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct import_run *x = arg;
    const struct yb_policy *p = x->p;
    int rc = by_digest(s, x->digest, x->a, x->out, x->existed, e);
    if (rc != YB_OK || *x->existed)
        return rc;
    int64_t ev = 0;
    rc = yb__svc_event(s, x->who, "policy.import", x->digest, &ev, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "INSERT INTO policy_version (region, insutype, year, valid_from, "
            "valid_to, name, body, digest, imported_by, imported_at, "
            "event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
            "RETURNING id",
            &st, e);
    if (rc != YB_OK)
        return rc;
    char from[11], to[11];
    yb_stmt_bind_text(st, 1, p->region);
    yb_stmt_bind_text(st, 2, p->insutype);
    yb_stmt_bind_int(st, 3, p->year);
    yb_stmt_bind_text(st, 4, yb_date_format(p->valid_from, from));
    yb_stmt_bind_text(st, 5, yb_date_format(p->valid_to, to));
    yb_stmt_bind_text(st, 6, p->name ? p->name : "");
    yb_stmt_bind_text(st, 7, x->text);
    yb_stmt_bind_text(st, 8, x->digest);
    yb_stmt_bind_text(st, 9, x->who->name);
    yb_stmt_bind_text(st, 10, x->who->now);
    yb_stmt_bind_int(st, 11, ev);
    rc = yb_stmt_step(st, e);
    int64_t id = rc == YB_ROW ? yb_stmt_int(st, 0) : 0;
    yb_stmt_reset(st);
    if (rc != YB_ROW)
        return rc == YB_DONE
                   ? yb_err_set(e, YB_ESTORE, "policy_version",
                                "插入后没有返回编号 (insert returned no id)")
                   : rc;
    bool found = false;
    rc = by_digest(s, x->digest, x->a, x->out, &found, e);
    if (rc == YB_OK && (!found || x->out->id != id))
        rc = yb_err_set(e, YB_EINVARIANT, "policy_version",
                        "政策版本 %lld 写入后读不回 (version not read back)",
                        (long long)id);
    return rc;
}

int yb_policyset_import(yb_store *s, const struct yb_actor *who,
                        const char *text, size_t len, struct yb_arena *a,
                        struct yb_policy_version *out, bool *existed,
                        struct yb_err *e)
{
    struct yb_policy *p = NULL;
    char digest[65];
    memset(out, 0, sizeof *out);
    *existed = false;
    if (!utf8_text((const unsigned char *)text, len))
        return yb_err_set(e, YB_EINVAL, "policy",
                          "政策文件不是 UTF-8 文本或含有 NUL 字符 (not UTF-8 "
                          "text)");
    int rc = yb_policy_parse(text, len, &p, e);
    if (rc != YB_OK)
        return rc;
    char *copy = yb_arena_strndup(a, text, len);
    if (!copy) {
        yb_policy_free(p);
        return oom(e);
    }
    yb_hash_hex(text, len, digest);
    struct import_run x = {who, p, copy, digest, a, out, existed};
    rc = yb__svc_in_txn(s, import_run, &x, e);
    yb_policy_free(p);
    if (rc != YB_OK) {
        memset(out, 0, sizeof *out);
        *existed = false;
    }
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

static int list_row(yb_stmt *st, struct yb_arena *a, void *row,
                    struct yb_err *e)
{
    return read_row(st, a, false, row, e);
}

int yb_policyset_list(yb_store *s, const struct yb_policyset_filter *f,
                      struct yb_arena *a, struct yb_policy_version **out,
                      size_t *n, struct yb_err *e)
{
    yb_stmt *st;
    void *v = NULL;
    *out = NULL;
    *n = 0;
    int rc = yb_store_prepare(s,
                              "SELECT " COLS " FROM policy_version WHERE ($1 = "
                              "'' OR region = $1) AND ($2 = '' OR insutype = "
                              "$2) AND ($3 = 0 OR year = $3) ORDER BY region, "
                              "insutype, year, id",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, f && f->region ? f->region : "");
    yb_stmt_bind_text(st, 2, f && f->insutype ? f->insutype : "");
    yb_stmt_bind_int(st, 3, f ? f->year : 0);
    rc = yb__svc_collect(st, a, sizeof **out, list_row, "policy_version", &v, n,
                         e);
    *out = v;
    return rc;
}

int yb_policyset_get(yb_store *s, int64_t id, struct yb_arena *a,
                     struct yb_policy_version *out, struct yb_err *e)
{
    yb_stmt *st;
    memset(out, 0, sizeof *out);
    int rc = yb_store_prepare(
        s, "SELECT " COLS ", body FROM policy_version WHERE id = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_int(st, 1, id);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        rc = read_row(st, a, true, out, e);
    else if (rc == YB_DONE)
        rc = yb_err_set(e, YB_ENOTFOUND, "policy_version",
                        "政策版本 %lld 不存在 (no such policy version)",
                        (long long)id);
    yb_stmt_reset(st);
    return rc;
}

int yb_policyset_counter(yb_store *s, int64_t *counter, struct yb_err *e)
{
    return yb__svc_meta_int(s, "policy_set_version", counter, e);
}

static int region_row(yb_stmt *st, struct yb_arena *a, void *row,
                      struct yb_err *e)
{
    const char **r = row;
    return (*r = yb_arena_strdup(a, yb_stmt_text(st, 0))) ? YB_OK : oom(e);
}

int yb_policyset_regions(yb_store *s, struct yb_arena *a, const char ***out,
                         size_t *n, struct yb_err *e)
{
    yb_stmt *st;
    void *v = NULL;
    *out = NULL;
    *n = 0;
    int rc = yb_store_prepare(
        s, "SELECT DISTINCT region FROM policy_version ORDER BY region", &st,
        e);
    if (rc == YB_OK)
        rc = yb__svc_collect(st, a, sizeof **out, region_row, "policy_version",
                             &v, n, e);
    *out = v;
    return rc;
}

/* ---- the rule in force -------------------------------------------------- */

/* The index in v[0..n) of the version in force for region, insutype and
 * day, among those of coverage year `year` when year > 0: the highest id
 * whose validity includes day. -1 when none. */
static long pick(const struct yb_policy_version *v, size_t n,
                 const char *region, const char *insutype, int year,
                 yb_date day)
{
    long best = -1;
    for (size_t i = 0; i < n; i++)
        if (v[i].valid_from <= day && day <= v[i].valid_to &&
            (year <= 0 || v[i].year == year) &&
            strcmp(v[i].region, region) == 0 &&
            strcmp(v[i].insutype, insutype) == 0 &&
            (best < 0 || v[i].id > v[best].id))
            best = (long)i;
    return best;
}

/* The refusal when nothing is in force. */
static int none_in_force(const char *region, const char *insutype, int year,
                         yb_date day, struct yb_err *e)
{
    char d[11], ins[24] = "";
    yb_date_format(day, d);
    if (strcmp(insutype, "390") != 0)
        snprintf(ins, sizeof ins, " 险种 %.6s", insutype);
    if (year > 0)
        return yb_err_set(e, YB_ENOTCOVERED, "policy",
                          "统筹区 %.6s%s 在 %s 没有 %d 年度有效的待遇政策 (no "
                          "policy of coverage year %d in force)",
                          region, ins, d, year, year);
    return yb_err_set(e, YB_ENOTCOVERED, "policy",
                      "统筹区 %.6s%s 在 %s 没有有效的待遇政策 (no policy in "
                      "force)",
                      region, ins, d);
}

int yb_policyset_in_force(yb_store *s, const char *region, const char *insutype,
                          yb_date day, struct yb_arena *a,
                          struct yb_policy_version *out, struct yb_err *e)
{
    struct yb_policy_version *v = NULL;
    size_t n = 0;
    struct yb_policyset_filter f = {.region = region, .insutype = insutype};
    memset(out, 0, sizeof *out);
    int rc = yb_policyset_list(s, &f, a, &v, &n, e);
    if (rc != YB_OK)
        return rc;
    long i = pick(v, n, region, insutype, 0, day);
    if (i < 0)
        return none_in_force(region, insutype, 0, day, e);
    return yb_policyset_get(s, v[i].id, a, out, e);
}

int yb_policyset_diff(yb_store *s, int64_t a, int64_t b, yb_policy_change_fn fn,
                      void *ud, size_t *n, struct yb_err *e)
{
    struct yb_arena ar;
    struct yb_policy_version va, vb;
    yb_arena_init(&ar, 0);
    int rc = yb_policyset_get(s, a, &ar, &va, e);
    if (rc == YB_OK)
        rc = yb_policyset_get(s, b, &ar, &vb, e);
    if (rc == YB_OK)
        rc = yb_policy_diff(va.body, va.body_len, vb.body, vb.body_len, fn, ud,
                            n, e);
    yb_arena_free(&ar);
    return rc;
}

/* ---- the cache ---------------------------------------------------------- */

struct yb_policy_cache {
    bool loaded;
    int64_t counter;               /* the set's counter when loaded */
    struct yb_arena arena;         /* the index */
    struct yb_policy_version *idx; /* every version, without text */
    struct yb_policy **parsed;     /* parsed[i]: idx[i]'s policy or NULL */
    size_t n;
};

int yb_policy_cache_new(struct yb_policy_cache **out, struct yb_err *e)
{
    struct yb_policy_cache *c = calloc(1, sizeof *c);
    if (!c)
        return oom(e);
    yb_arena_init(&c->arena, 0);
    *out = c;
    return YB_OK;
}

static void drop_parsed(struct yb_policy **parsed, size_t n)
{
    for (size_t i = 0; parsed && i < n; i++)
        yb_policy_free(parsed[i]);
    free(parsed);
}

void yb_policy_cache_free(struct yb_policy_cache *c)
{
    if (!c)
        return;
    drop_parsed(c->parsed, c->n);
    yb_arena_free(&c->arena);
    free(c);
}

/* Read the index again when the counter has moved; policies parsed
 * before are kept for the versions still there with the same digest. */
static int refresh(struct yb_policy_cache *c, yb_store *s, struct yb_err *e)
{
    int64_t counter = 0;
    int rc = yb_policyset_counter(s, &counter, e);
    if (rc != YB_OK || (c->loaded && counter == c->counter))
        return rc;
    struct yb_arena a;
    struct yb_policy_version *v = NULL;
    size_t n = 0;
    yb_arena_init(&a, 0);
    rc = yb_policyset_list(s, NULL, &a, &v, &n, e);
    if (rc != YB_OK) {
        yb_arena_free(&a);
        return rc;
    }
    struct yb_policy **parsed = n ? calloc(n, sizeof *parsed) : NULL;
    if (n && !parsed) {
        yb_arena_free(&a);
        return oom(e);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < c->n; j++)
            if (c->parsed[j] && c->idx[j].id == v[i].id &&
                strcmp(c->idx[j].digest, v[i].digest) == 0) {
                parsed[i] = c->parsed[j];
                c->parsed[j] = NULL;
            }
    drop_parsed(c->parsed, c->n);
    yb_arena_free(&c->arena);
    c->arena = a;
    c->idx = v;
    c->parsed = parsed;
    c->n = n;
    c->counter = counter;
    c->loaded = true;
    return YB_OK;
}

/* idx[i]'s policy, parsed at first need. */
static int parsed_of(struct yb_policy_cache *c, yb_store *s, size_t i,
                     struct yb_policy_pick *out, struct yb_err *e)
{
    if (!c->parsed[i]) {
        struct yb_arena a;
        struct yb_policy_version v;
        yb_arena_init(&a, 0);
        int rc = yb_policyset_get(s, c->idx[i].id, &a, &v, e);
        if (rc == YB_OK)
            rc = yb_policy_parse(v.body, v.body_len, &c->parsed[i], e);
        yb_arena_free(&a);
        if (rc != YB_OK) {
            char pre[48];
            snprintf(pre, sizeof pre, "policy_version[%lld]",
                     (long long)c->idx[i].id);
            return yb_err_prefix(e, pre);
        }
    }
    out->policy = c->parsed[i];
    out->id = c->idx[i].id;
    memcpy(out->digest, c->idx[i].digest, sizeof out->digest);
    return YB_OK;
}

static int cache_pick(struct yb_policy_cache *c, yb_store *s,
                      const char *region, const char *insutype, int year,
                      yb_date day, struct yb_policy_pick *out, struct yb_err *e)
{
    memset(out, 0, sizeof *out);
    int rc = refresh(c, s, e);
    if (rc != YB_OK)
        return rc;
    long i = pick(c->idx, c->n, region, insutype, year, day);
    if (i < 0)
        return none_in_force(region, insutype, year, day, e);
    return parsed_of(c, s, (size_t)i, out, e);
}

int yb_policy_cache_in_force(struct yb_policy_cache *c, yb_store *s,
                             const char *region, const char *insutype,
                             yb_date day, struct yb_policy_pick *out,
                             struct yb_err *e)
{
    return cache_pick(c, s, region, insutype, 0, day, out, e);
}

int yb_policy_cache_for_year(struct yb_policy_cache *c, yb_store *s,
                             const char *region, const char *insutype, int year,
                             yb_date day, struct yb_policy_pick *out,
                             struct yb_err *e)
{
    yb_date first = yb_date_from_ymd(year, 1, 1);
    yb_date last = yb_date_from_ymd(year, 12, 31);
    if (day < first)
        day = first;
    if (day > last)
        day = last;
    return cache_pick(c, s, region, insutype, year, day, out, e);
}
