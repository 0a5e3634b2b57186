/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fresh database file per test for the store, event and ledger unit
 * tests: a directory from mkdtemp holding db.sqlite (and its -wal and -shm
 * files), removed again after the test; plus small helpers to read one
 * integer or one text from the database.
 */
#ifndef YIBAO_TEST_STORE_FIXTURE_H
#define YIBAO_TEST_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "yibao/store.h"

struct fx_db {
    char dir[64];
    char path[96];
    yb_store *s;
};

static inline int fx_db_setup(void **state)
{
    struct fx_db *d = calloc(1, sizeof *d);

    if (d == NULL)
        return -1;
    snprintf(d->dir, sizeof d->dir, "/tmp/yb-test-XXXXXX");
    if (mkdtemp(d->dir) == NULL) {
        free(d);
        return -1;
    }
    snprintf(d->path, sizeof d->path, "%s/db.sqlite", d->dir);
    *state = d;
    return 0;
}

static inline int fx_db_teardown(void **state)
{
    struct fx_db *d = *state;
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[128];

    yb_store_close(d->s);
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", d->path, suffix[i]);
        unlink(p);
    }
    rmdir(d->dir);
    free(d);
    return 0;
}

/* Open (creating) the fixture's database into d->s. */
static inline int fx_db_open(struct fx_db *d, int flags, struct yb_err *e)
{
    return yb_store_open(d->path, YB_STORE_CREATE | flags, &d->s, e);
}

/* The first column of the first row of sql as an integer; -1 on error. */
static inline int64_t fx_int(yb_store *s, const char *sql)
{
    struct yb_err e;
    yb_stmt *st;
    int64_t v = -1;

    if (yb_store_prepare(s, sql, &st, &e) != YB_OK)
        return -1;
    if (yb_stmt_step(st, &e) == YB_ROW)
        v = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return v;
}

/* The same as text, copied into buf ("" for NULL or error). */
static inline const char *fx_text(yb_store *s, const char *sql, char *buf,
                                  size_t size)
{
    struct yb_err e;
    yb_stmt *st;

    buf[0] = '\0';
    if (yb_store_prepare(s, sql, &st, &e) != YB_OK)
        return buf;
    if (yb_stmt_step(st, &e) == YB_ROW && !yb_stmt_null(st, 0))
        snprintf(buf, size, "%s", yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    return buf;
}

#endif
