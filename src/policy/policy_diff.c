/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A structural diff of two policy documents (include/yibao/policy.h),
 * for `yibao policy diff`: the two JSON trees are walked side by side and
 * every leaf that differs is reported once, with its path, as a clerk
 * reads a policy ("benefits.layers[inpatient].rates.rules[2].rate: 75% →
 * 80%"). Objects are matched by key; arrays whose elements are all
 * objects with a unique string "id" (layers, caps) are matched by id and
 * their paths name it, so inserting a layer does not show every later
 * layer as changed; other arrays are matched by index. An added or
 * removed object or array is listed leaf by leaf. A change in the order of
 * id-matched elements is a change of its own (the first matching basic
 * layer settles a visit, so the order is part of the policy).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"
#include "yibao/json.h"

struct diff {
    struct yb_arena a; /* values and lines of the current change */
    char *path;        /* the current path, grown as needed */
    size_t len, cap;
    yb_policy_change_fn fn;
    void *ud;
    size_t n;
    bool oom;
};

/* Append a segment to the path; returns the length to cut back to. */
static size_t push(struct diff *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static size_t push(struct diff *d, const char *fmt, ...)
{
    size_t mark = d->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || d->oom)
        return mark;
    size_t need = d->len + (size_t)n + 1;
    if (need > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 128;
        while (cap < need)
            cap *= 2;
        char *p = realloc(d->path, cap);
        if (!p) {
            d->oom = true;
            return mark;
        }
        d->path = p;
        d->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(d->path + d->len, d->cap - d->len, fmt, ap);
    va_end(ap);
    d->len += (size_t)n;
    return mark;
}

static void pop(struct diff *d, size_t mark)
{
    d->len = mark;
    if (d->path)
        d->path[mark] = '\0';
}

/* A key segment: "key" at the top, ".key" below. */
static size_t push_key(struct diff *d, const char *key)
{
    return push(d, "%s%s", d->len ? "." : "", key);
}

/* A leaf as the diff shows it: a string as written (`""` when empty), a
 * number as cJSON prints it, true, false, null, {} or []. */
static const char *show(struct diff *d, const cJSON *v)
{
    if (cJSON_IsString(v))
        return *v->valuestring ? yb_arena_strdup(&d->a, v->valuestring)
                               : "\"\"";
    if (cJSON_IsNumber(v)) {
        char *t = cJSON_PrintUnformatted(v);
        const char *r = t ? yb_arena_strdup(&d->a, t) : NULL;
        cJSON_free(t);
        return r;
    }
    if (cJSON_IsTrue(v))
        return "true";
    if (cJSON_IsFalse(v))
        return "false";
    if (cJSON_IsObject(v))
        return "{}";
    if (cJSON_IsArray(v))
        return "[]";
    return "null";
}

static void emit(struct diff *d, enum yb_policy_change_kind kind,
                 const char *before, const char *after)
{
    const char *path = d->path ? d->path : "";
    char *line = NULL;
    if (d->oom)
        return;
    if ((kind != YB_CHANGE_ADDED && !before) ||
        (kind != YB_CHANGE_REMOVED && !after)) {
        d->oom = true;
        return;
    }
    switch (kind) {
    case YB_CHANGE_CHANGED:
        line = yb_arena_printf(&d->a, "%s: %s → %s", path, before, after);
        break;
    case YB_CHANGE_ADDED:
        line = yb_arena_printf(&d->a, "%s: 新增 added %s", path, after);
        break;
    case YB_CHANGE_REMOVED:
        line = yb_arena_printf(&d->a, "%s: 删除 removed %s", path, before);
        break;
    case YB_CHANGE_ORDER:
        line = yb_arena_printf(&d->a, "%s: 顺序 order %s → %s", path, before,
                               after);
        break;
    }
    if (!line) {
        d->oom = true;
        return;
    }
    struct yb_policy_change c = {.kind = kind,
                                 .path = path,
                                 .before = before,
                                 .after = after,
                                 .line = line};
    d->fn(&c, d->ud);
    d->n++;
    yb_arena_reset(&d->a);
}

static bool container(const cJSON *v)
{
    return (cJSON_IsObject(v) || cJSON_IsArray(v)) && v->child;
}

/* The "id" of an element of an array that ids_unique() accepted. */
static const char *id_of(const cJSON *x)
{
    return cJSON_GetObjectItemCaseSensitive(x, "id")->valuestring;
}

/* The child segment of element i of array v: its id, or its index. */
static size_t push_elem(struct diff *d, const cJSON *it, int i, bool by_id)
{
    return by_id ? push(d, "[%s]", id_of(it)) : push(d, "[%d]", i);
}

static bool ids_unique(const cJSON *arr)
{
    if (!cJSON_IsArray(arr))
        return false;
    for (const cJSON *x = arr->child; x; x = x->next) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(x, "id");
        if (!cJSON_IsObject(x) || !cJSON_IsString(id))
            return false;
        for (const cJSON *y = arr->child; y != x; y = y->next)
            if (strcmp(id_of(y), id->valuestring) == 0)
                return false;
    }
    return true;
}

/* Every leaf under v, as added (after) or removed (before). */
static void whole(struct diff *d, const cJSON *v, bool added)
{
    if (!container(v)) {
        const char *s = show(d, v);
        emit(d, added ? YB_CHANGE_ADDED : YB_CHANGE_REMOVED, added ? NULL : s,
             added ? s : NULL);
        return;
    }
    bool by_id = ids_unique(v);
    int i = 0;
    for (const cJSON *x = v->child; x && !d->oom; x = x->next, i++) {
        size_t m = cJSON_IsArray(v) ? push_elem(d, x, i, by_id)
                                    : push_key(d, x->string);
        whole(d, x, added);
        pop(d, m);
    }
}

static void walk(struct diff *d, const cJSON *a, const cJSON *b);

static const cJSON *by_id(const cJSON *arr, const char *id)
{
    for (const cJSON *x = arr->child; x; x = x->next)
        if (strcmp(id_of(x), id) == 0)
            return x;
    return NULL;
}

/* "a, b, c": the ids of arr's elements that the other array has too. */
static const char *common_ids(struct diff *d, const cJSON *arr,
                              const cJSON *other)
{
    size_t n = 1;
    for (const cJSON *x = arr->child; x; x = x->next)
        n += strlen(id_of(x)) + 2;
    char *s = yb_arena_alloc(&d->a, n);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (const cJSON *x = arr->child; x; x = x->next) {
        const char *id = id_of(x);
        if (by_id(other, id)) {
            if (*s)
                strcat(s, ", ");
            strcat(s, id);
        }
    }
    return s;
}

/* The element of `in` that matches `like` (by key or by id), or NULL. */
typedef const cJSON *(*match_fn)(const cJSON *in, const cJSON *like);
/* Push the path segment of x; returns the mark to pop to. */
typedef size_t (*seg_fn)(struct diff *d, const cJSON *x);

static const cJSON *same_key(const cJSON *in, const cJSON *like)
{
    return cJSON_GetObjectItemCaseSensitive(in, like->string);
}

static const cJSON *same_id(const cJSON *in, const cJSON *like)
{
    return by_id(in, id_of(like));
}

static size_t key_seg(struct diff *d, const cJSON *x)
{
    return push_key(d, x->string);
}

static size_t id_seg(struct diff *d, const cJSON *x)
{
    return push(d, "[%s]", id_of(x));
}

/* a's members walked against their matches in b (removed when there is
 * none), then b's members without a match in a, added. */
static void walk_matched(struct diff *d, const cJSON *a, const cJSON *b,
                         match_fn match, seg_fn seg)
{
    for (const cJSON *x = a->child; x && !d->oom; x = x->next) {
        size_t m = seg(d, x);
        const cJSON *y = match(b, x);
        if (y)
            walk(d, x, y);
        else
            whole(d, x, false);
        pop(d, m);
    }
    for (const cJSON *y = b->child; y && !d->oom; y = y->next) {
        if (match(a, y))
            continue;
        size_t m = seg(d, y);
        whole(d, y, true);
        pop(d, m);
    }
}

static void walk_ids(struct diff *d, const cJSON *a, const cJSON *b)
{
    const char *oa = common_ids(d, a, b), *ob = common_ids(d, b, a);
    if (!oa || !ob)
        d->oom = true;
    else if (strcmp(oa, ob) != 0)
        emit(d, YB_CHANGE_ORDER, oa, ob);
    else
        yb_arena_reset(&d->a);
    walk_matched(d, a, b, same_id, id_seg);
}

static void walk_index(struct diff *d, const cJSON *a, const cJSON *b)
{
    const cJSON *x = a->child, *y = b->child;
    for (int i = 0; (x || y) && !d->oom; i++) {
        size_t m = push(d, "[%d]", i);
        if (x && y)
            walk(d, x, y);
        else
            whole(d, x ? x : y, y != NULL);
        pop(d, m);
        x = x ? x->next : NULL;
        y = y ? y->next : NULL;
    }
}

static void walk(struct diff *d, const cJSON *a, const cJSON *b)
{
    if (cJSON_IsObject(a) && cJSON_IsObject(b) && a->child && b->child) {
        walk_matched(d, a, b, same_key, key_seg);
        return;
    }
    if (cJSON_IsArray(a) && cJSON_IsArray(b) && a->child && b->child) {
        if (ids_unique(a) && ids_unique(b))
            walk_ids(d, a, b);
        else
            walk_index(d, a, b);
        return;
    }
    if (container(a) || container(b)) { /* a leaf became a tree or back */
        whole(d, a, false);
        whole(d, b, true);
        return;
    }
    const char *x = show(d, a), *y = show(d, b);
    bool same =
        x && y && strcmp(x, y) == 0 && cJSON_IsString(a) == cJSON_IsString(b);
    if (!x || !y)
        d->oom = true;
    else if (!same)
        emit(d, YB_CHANGE_CHANGED, x, y);
    else
        yb_arena_reset(&d->a);
}

int yb_policy_diff(const char *a, size_t na, const char *b, size_t nb,
                   yb_policy_change_fn fn, void *ud, size_t *n,
                   struct yb_err *e)
{
    cJSON *ta = NULL, *tb = NULL;
    struct diff d = {.fn = fn, .ud = ud};
    if (n)
        *n = 0;
    int rc = yb_json_parse(a, na, &ta, e);
    if (rc != YB_OK) {
        yb_err_prefix(e, "a");
        goto out;
    }
    rc = yb_json_parse(b, nb, &tb, e);
    if (rc != YB_OK) {
        yb_err_prefix(e, "b");
        goto out;
    }
    yb_arena_init(&d.a, 0);
    walk(&d, ta, tb);
    yb_arena_free(&d.a);
    if (d.oom)
        rc = yb_err_set(e, YB_ENOMEM, "diff", "内存不足 (out of memory)");
    else if (n)
        *n = d.n;
out:
    free(d.path);
    cJSON_Delete(ta);
    cJSON_Delete(tb);
    return rc;
}
