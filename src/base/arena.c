/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arena allocator: a bump pointer over a list of malloc'd chunks, newest
 * first. Small allocations are carved from the head chunk; when it is full a
 * new standard chunk (a->chunk_size bytes) becomes the head. An allocation
 * larger than a quarter of a standard chunk gets a chunk of its own, linked
 * behind the head so the free space left in the head is not abandoned. Reset
 * keeps one standard chunk so a loop that resets per iteration stops calling
 * malloc once warm. Pointers are aligned to 16 by address, so the result does
 * not depend on what alignment malloc happens to give.
 */
#include "yibao/arena.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_DEFAULT_CHUNK ((size_t)64 * 1024)

struct yb_arena_chunk {
    struct yb_arena_chunk *next; /* older chunk */
    size_t size;                 /* usable bytes in data[] */
    size_t used;                 /* bytes of data[] handed out or padding */
    bool own;                    /* holds one large allocation */
    /* Aligned so that with malloc's usual 16-byte alignment the first
     * allocation of a chunk needs no padding. */
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void yb_arena_init(struct yb_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : ARENA_DEFAULT_CHUNK;
    a->total = 0;
    a->fail_after = -1;
}

static struct yb_arena_chunk *chunk_new(size_t size, bool own)
{
    struct yb_arena_chunk *c;

    if (size > SIZE_MAX - sizeof *c)
        return NULL;
    c = malloc(sizeof *c + size);
    if (c == NULL)
        return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    c->own = own;
    return c;
}

/* Padding that aligns the next free byte of c to ARENA_ALIGN. */
static size_t chunk_pad(const struct yb_arena_chunk *c)
{
    uintptr_t p = (uintptr_t)(c->data + c->used);

    return (size_t)((ARENA_ALIGN - p % ARENA_ALIGN) % ARENA_ALIGN);
}

/* Hand out n bytes from c, or NULL when they do not fit. */
static void *chunk_take(struct yb_arena_chunk *c, size_t n)
{
    size_t pad = chunk_pad(c);
    void *p;

    if (pad > c->size - c->used || n > c->size - c->used - pad)
        return NULL;
    p = c->data + c->used + pad;
    c->used += pad + n;
    return p;
}

/* Link a chunk for one large allocation of n bytes behind the head, so the
 * head keeps serving small allocations. */
static struct yb_arena_chunk *add_own_chunk(struct yb_arena *a, size_t n)
{
    struct yb_arena_chunk *c = chunk_new(n + ARENA_ALIGN - 1, true);

    if (c == NULL)
        return NULL;
    if (a->head != NULL) {
        c->next = a->head->next;
        a->head->next = c;
    } else {
        a->head = c;
    }
    return c;
}

/* Push a new standard chunk as the head. The slack of ARENA_ALIGN - 1
 * makes chunk_size bytes usable whatever malloc's alignment. */
static struct yb_arena_chunk *add_standard_chunk(struct yb_arena *a)
{
    struct yb_arena_chunk *c;

    if (a->chunk_size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    c = chunk_new(a->chunk_size + ARENA_ALIGN - 1, false);
    if (c == NULL)
        return NULL;
    c->next = a->head;
    a->head = c;
    return c;
}

void *yb_arena_alloc(struct yb_arena *a, size_t n)
{
    struct yb_arena_chunk *c;
    bool large;
    void *p = NULL;

    if (a->fail_after == 0)
        return NULL;
    if (a->fail_after > 0)
        a->fail_after--;
    if (n == 0)
        n = 1; /* distinct pointers for zero-size requests */
    if (n > SIZE_MAX - ARENA_ALIGN)
        return NULL;

    large = n > a->chunk_size / 4;
    if (!large && a->head != NULL)
        p = chunk_take(a->head, n);
    if (p == NULL) {
        c = large ? add_own_chunk(a, n) : add_standard_chunk(a);
        if (c == NULL)
            return NULL;
        p = chunk_take(c, n);
        assert(p != NULL); /* sized for n plus worst-case padding */
    }
    a->total += n;
    return p;
}

void *yb_arena_calloc(struct yb_arena *a, size_t count, size_t size)
{
    size_t n;
    void *p;

    if (__builtin_mul_overflow(count, size, &n))
        return NULL;
    p = yb_arena_alloc(a, n);
    if (p != NULL)
        memset(p, 0, n);
    return p;
}

char *yb_arena_strndup(struct yb_arena *a, const char *s, size_t n)
{
    size_t len;
    char *p;

    if (s == NULL)
        return NULL;
    len = strnlen(s, n);
    if (len == SIZE_MAX)
        return NULL;
    p = yb_arena_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *yb_arena_strdup(struct yb_arena *a, const char *s)
{
    return yb_arena_strndup(a, s, SIZE_MAX - 1);
}

char *yb_arena_printf(struct yb_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    char *p = NULL;
    int len;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap);
    if (len < 0)
        goto out;
    p = yb_arena_alloc(a, (size_t)len + 1);
    if (p == NULL)
        goto out;
    (void)vsnprintf(p, (size_t)len + 1, fmt, ap2);
out:
    va_end(ap2);
    va_end(ap);
    return p;
}

void yb_arena_reset(struct yb_arena *a)
{
    struct yb_arena_chunk *c, *next, *keep = NULL;

    /* The list is newest first, so the last standard chunk seen is the
     * oldest one: keep that, free the rest. */
    for (c = a->head; c != NULL; c = c->next)
        if (!c->own)
            keep = c;
    for (c = a->head; c != NULL; c = next) {
        next = c->next;
        if (c != keep)
            free(c);
    }
    if (keep != NULL) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->total = 0;
}

void yb_arena_free(struct yb_arena *a)
{
    struct yb_arena_chunk *c, *next;

    if (a == NULL)
        return;
    for (c = a->head; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
    a->total = 0;
}
