/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface between the backend-neutral part of the store
 * (store.c: target parsing, statement cache, transaction state, the
 * migration runner) and its backends (sqlite.c today, a libpq backend
 * later). A backend is one const struct yb__store_ops: a table of
 * functions over its native connection and statement handles, plus its
 * migration scripts. Services never see this header; adding a backend
 * means one ops table, one schema file and one line in store.c's backend
 * list (docs/internals/store.md).
 */
#ifndef YIBAO_STORE_INT_H
#define YIBAO_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "yibao/store.h"

/* One migration: the DDL that takes the schema from version - 1 to
 * version, as a NULL-terminated list of scripts run in order in one
 * transaction; a script may hold several statements separated by ';'. */
struct yb__migration {
    int version;
    const char *const *scripts;
    /* NULL, or a step run after the scripts in the same transaction, for
     * what SQL alone cannot say (a value computed from the database) */
    int (*step)(yb_store *s, struct yb_err *e);
};

struct yb__store_ops {
    const char *name; /* "sqlite": the scheme and yb_store_backend */
    /* Open the connection at path (already stripped of the scheme) and
     * apply connection settings; *conn gets the native handle. Errors:
     * YB_EIO naming the path. */
    int (*open)(const char *path, int flags, void **conn, struct yb_err *e);
    void (*close)(void *conn);
    /* Prepare portable SQL: the backend translates placeholders itself. */
    int (*prepare)(void *conn, const char *sql, void **stmt, struct yb_err *e);
    void (*finalize)(void *stmt);
    int (*bind_int)(void *stmt, int i, int64_t v);
    int (*bind_text)(void *stmt, int i, const char *v);
    int (*bind_null)(void *stmt, int i);
    /* YB_ROW, YB_DONE or a mapped error (store.h). */
    int (*step)(void *conn, void *stmt, struct yb_err *e);
    int64_t (*col_int)(void *stmt, int col);
    const char *(*col_text)(void *stmt, int col);
    bool (*col_null)(void *stmt, int col);
    int64_t (*changes)(void *conn);
    /* Rows inserted, updated or deleted through the connection since it
     * was opened (a statement that failed counts none). */
    int64_t (*total_changes)(void *conn);
    /* Reset and clear bindings. */
    void (*reset)(void *stmt);
    /* Run one or more ';'-separated statements without results. */
    int (*exec)(void *conn, const char *sql, struct yb_err *e);
    /* Transaction control in the backend's dialect (SQLite takes the
     * write lock at BEGIN so two writers never deadlock on an upgrade). */
    int (*begin)(void *conn, struct yb_err *e);
    int (*commit)(void *conn, struct yb_err *e);
    void (*rollback)(void *conn);
    /* Whether the table exists (the migration runner asks for "meta"). */
    int (*has_table)(void *conn, const char *table, bool *out,
                     struct yb_err *e);
    /* The file a commit's log is written to (SQLite: the WAL), for
     * yb_store_sync_open; YB_EINVAL when commits do not go to such a
     * file (a connection not in WAL mode). */
    int (*log_path)(void *conn, char *out, size_t n, struct yb_err *e);
    int (*checkpoint)(void *conn, bool restart, int64_t *log_pages,
                      struct yb_err *e);
    /* Whether the connection's commits checkpoint the log themselves
     * (SQLite: wal_autocheckpoint). While they do not, log_pages gives
     * the log's size in pages after the last commit. Both NULL in a
     * backend that has no checkpoints to hand to another connection
     * (yb_store_background_checkpoints is then refused). */
    int (*autocheckpoint)(void *conn, bool on, struct yb_err *e);
    int64_t (*log_pages)(void *conn);
    /* Versions 1..n in order, then a terminating {0, NULL}. */
    const struct yb__migration *migrations;
};

/* The SQLite backend (sqlite.c) and its schema (schema_sqlite.c). */
extern const struct yb__store_ops yb__sqlite_ops;
extern const struct yb__migration yb__sqlite_migrations[];

/* The thread of yb_store_background_checkpoints (checkpointer.c). Start
 * opens its connection to the database of s with flags; kick asks for a
 * copy after a commit that left log_pages in the log; settle, before a
 * begin, waits for the copy under way once the log has grown past
 * yb__ckpt_log_limit (so that the transaction begins on a wholly copied
 * log and its commit starts the log again); stop makes the copy still
 * asked for, ends the thread and closes its connection. */
struct yb__ckpt;
extern int64_t yb__ckpt_log_limit; /* pages; settle waits past it */
int yb__ckpt_start(yb_store *s, int flags, struct yb__ckpt **out,
                   struct yb_err *e);
void yb__ckpt_kick(struct yb__ckpt *c, int64_t log_pages);
void yb__ckpt_settle(struct yb__ckpt *c);
void yb__ckpt_stop(struct yb__ckpt *c);

/* Number of migrations of a backend (the schema version it builds). */
int yb__store_n_migrations(const struct yb__store_ops *ops);

/* Translate $N placeholders outside string literals, quoted identifiers
 * and comments into ?N (same length, so out has strlen(sql) + 1 bytes).
 * Exposed for the unit test. */
void yb__sql_translate_placeholders(const char *sql, char *out);

#endif
