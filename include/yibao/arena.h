/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arena allocator. A request or a batch step allocates from one arena and
 * frees everything at once at the end. Memory is handed out in chunks; a
 * request larger than a quarter of chunk_size gets a chunk of its own. A
 * reset keeps the first standard chunk so a hot loop that resets per
 * iteration does not touch malloc after warm-up.
 */
#ifndef YIBAO_ARENA_H
#define YIBAO_ARENA_H

#include <stddef.h>

struct yb_arena_chunk;

struct yb_arena {
    struct yb_arena_chunk *head; /* current chunk, newest first */
    size_t chunk_size;           /* default size of new chunks */
    size_t total;                /* bytes requested since init/reset */
    /* Test hook for allocation-failure paths. < 0 (the default): never
     * fail. N >= 0: the next N allocations (calls of yb_arena_alloc, which
     * every other allocating function makes exactly once) succeed and
     * decrement it; once it is 0 every allocation returns NULL until the
     * test sets it back to -1. Reset and free leave it unchanged. */
    int fail_after;
};

/* Initialise an empty arena; chunk_size 0 picks a default (64 KiB). */
void yb_arena_init(struct yb_arena *a, size_t chunk_size);
/* Allocate n bytes aligned to 16 (n 0 is served as 1, so the pointer is
 * distinct); NULL on allocation failure. The memory belongs to the arena
 * and lives until yb_arena_reset or yb_arena_free. */
void *yb_arena_alloc(struct yb_arena *a, size_t n);
/* As yb_arena_alloc, zero-filled; NULL if count * size overflows. */
void *yb_arena_calloc(struct yb_arena *a, size_t count, size_t size);
/* Copy a NUL-terminated string (or at most its first n bytes) into the
 * arena, NUL-terminated; NULL if s is NULL or on allocation failure. */
char *yb_arena_strdup(struct yb_arena *a, const char *s);
char *yb_arena_strndup(struct yb_arena *a, const char *s, size_t n);
/* printf into the arena; NULL on failure. */
char *yb_arena_printf(struct yb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Free all chunks but the first standard-size one and rewind it (large
 * allocations' own chunks are always freed); total restarts at 0. */
void yb_arena_reset(struct yb_arena *a);
/* Free everything; the arena may be initialised again. Accepts NULL. */
void yb_arena_free(struct yb_arena *a);

#endif
