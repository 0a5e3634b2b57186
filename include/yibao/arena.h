/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arena allocator. A request or a batch step allocates from one arena and
 * frees everything at once at the end. Memory is handed out in chunks; a
 * reset keeps the first chunk so a hot loop that resets per iteration does
 * not touch malloc after warm-up.
 */
#ifndef YIBAO_ARENA_H
#define YIBAO_ARENA_H

#include <stddef.h>

struct yb_arena_chunk;

struct yb_arena {
    struct yb_arena_chunk *head; /* current chunk, newest first */
    size_t chunk_size;           /* default size of new chunks */
    size_t total;                /* bytes handed out since init/reset */
    int fail_after;              /* test hook: fail the Nth alloc (<0: never) */
};

/* Initialise an empty arena; chunk_size 0 picks a default (64 KiB). */
void yb_arena_init(struct yb_arena *a, size_t chunk_size);
/* Allocate n bytes aligned to 16; NULL on allocation failure. The memory
 * belongs to the arena and lives until yb_arena_reset or yb_arena_free. */
void *yb_arena_alloc(struct yb_arena *a, size_t n);
/* As yb_arena_alloc, zero-filled. */
void *yb_arena_calloc(struct yb_arena *a, size_t count, size_t size);
/* Copy a NUL-terminated string (or n bytes of it) into the arena. */
char *yb_arena_strdup(struct yb_arena *a, const char *s);
char *yb_arena_strndup(struct yb_arena *a, const char *s, size_t n);
/* printf into the arena; NULL on failure. */
char *yb_arena_printf(struct yb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Free all but the first chunk and rewind it. */
void yb_arena_reset(struct yb_arena *a);
/* Free everything; the arena may be initialised again. Accepts NULL. */
void yb_arena_free(struct yb_arena *a);

#endif
