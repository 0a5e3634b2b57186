/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The storage interface. Services talk to the database only through this
 * header, in portable SQL: the subset that SQLite (3.40) and PostgreSQL
 * (15) both run the same way — $1..$N placeholders, INSERT ... ON CONFLICT
 * DO NOTHING / DO UPDATE, RETURNING, standard types (INTEGER/BIGINT, TEXT),
 * no dialect functions (dates are stored as ISO text or day numbers, money
 * as BIGINT fen, times as ISO text). Everything dialect-specific — DDL,
 * migrations, connection setup (WAL, foreign keys, busy timeout), error
 * mapping, placeholder translation — lives in a backend under src/store/.
 * A PostgreSQL backend slots in behind the same functions.
 *
 * Threading: a yb_store is one connection, used by one thread at a time.
 * Ownership: yb_store_open returns a handle the caller closes; statements
 * belong to their store and are finalised by yb_store_close.
 */
#ifndef YIBAO_STORE_H
#define YIBAO_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

typedef struct yb_store yb_store;
typedef struct yb_stmt yb_stmt;

/* yb_stmt_step results that are not errors (outside the error table). */
#define YB_ROW 100  /* a row is available */
#define YB_DONE 101 /* the statement has finished */

enum yb_store_flags {
    YB_STORE_CREATE = 1,       /* create the database if missing */
    YB_STORE_READONLY = 2,     /* open for reading only */
    YB_STORE_NOSYNC = 4,       /* bulk loads and benchmarks: durability off
                                  (synchronous=OFF on SQLite); never in serve */
    YB_STORE_DURABLE = 8,      /* every commit on disk before it returns
                                  (synchronous FULL) */
    YB_STORE_GROUPCOMMIT = 16, /* the writer of group commit: a commit is
                                  written to the log, not synced (one
                                  yb_store_sync_run covers many), and never
                                  checkpoints; another connection runs
                                  yb_store_checkpoint (SQLite: the log is
                                  written with one write a commit, see
                                  src/store/sqlite_vfs.c) */
};

/* Open a store. target is a file path or "sqlite:PATH" (SQLite); other
 * schemes name future backends. Opening applies the backend's connection
 * settings and any pending migrations (yb_store_migrate), so a store handed
 * to a service always has the current schema. Errors: YB_EIO when the file
 * cannot be opened, YB_ESTORE for anything else the backend reports. */
int yb_store_open(const char *target, int flags, yb_store **out,
                  struct yb_err *e);
/* Another connection to the database of s, opened with flags (less
 * YB_STORE_CREATE), for another thread: a bulk job's reader beside its
 * writer, say. YB_EINVAL when the database cannot be shared (SQLite: an
 * in-memory database, or one not in WAL mode, where a reader would block
 * the writer's commit). */
int yb_store_open_peer(yb_store *s, int flags, yb_store **out,
                       struct yb_err *e);
/* Finalise every statement and close; accepts NULL. A transaction still
 * open is rolled back. */
void yb_store_close(yb_store *s);
/* "sqlite" (static string). */
const char *yb_store_backend(const yb_store *s);

/* Apply pending migrations, each in its own transaction; *from and *to
 * (if not NULL) get the schema version before and after. */
int yb_store_migrate(yb_store *s, int *from, int *to, struct yb_err *e);
/* The current schema version, and the version this build knows. */
int yb_store_version(yb_store *s, int *version, struct yb_err *e);
int yb_store_latest_version(void);

/* ---- memo ----------------------------------------------------------------
 * A small cache, kept by the store handle, of values read from reference
 * tables that change rarely (a region's pooling region), so a bulk job or
 * a busy server does not ask the database the same question per row.
 * Keys shorter than YB_MEMO_KEY, values shorter than YB_MEMO_VAL; a new
 * key may evict an old one. A rollback clears it, and so does every
 * yb_store_exec but SAVEPOINT and RELEASE (a rollback to a savepoint, a
 * script); code that writes such a table calls yb_store_memo_clear.
 * yb_store_memo_put_tx keeps a value for the open transaction only (a
 * commit drops it too): one this transaction derived from rows it holds
 * the write lock on, such as the last number it gave. */
#define YB_MEMO_KEY 24
#define YB_MEMO_VAL 24
#define YB_MEMO_SLOTS 256
bool yb_store_memo_get(yb_store *s, const char *key, char *val, size_t n);
void yb_store_memo_put(yb_store *s, const char *key, const char *val);
void yb_store_memo_put_tx(yb_store *s, const char *key, const char *val);
void yb_store_memo_clear(yb_store *s);

/* Transactions. A business event is one transaction: begin, write its
 * records, ledger entries and audit row, commit — or roll back and leave
 * nothing. Nested begin is YB_EINVAL. Commit failure rolls back. */
int yb_store_begin(yb_store *s, struct yb_err *e);
int yb_store_commit(yb_store *s, struct yb_err *e);
void yb_store_rollback(yb_store *s);
bool yb_store_in_transaction(const yb_store *s);
/* A count that grows with every row inserted, updated or deleted through
 * this store; a statement that failed adds nothing (every statement is
 * atomic). Two readings tell a caller whether anything was written in
 * between, without a savepoint. */
int64_t yb_store_writes(const yb_store *s);

/* Group commit. On a store opened without YB_STORE_DURABLE a commit is
 * written (to SQLite's WAL, in the OS's cache) but not synced. A sync
 * handle, usable from any thread while the store is in use on another,
 * makes every commit that returned before yb_store_sync_run began durable
 * (SQLite: fdatasync of the WAL; a checkpoint syncs what it moves). One
 * sync for many commits: the server answers the calls of a batch only
 * after the sync that covers it. YB_EIO when the sync fails: what was
 * committed may not be on disk, and the process should stop writing. */
typedef struct yb_store_sync yb_store_sync;
/* Move what the log holds into the database file without blocking the
 * writer or readers (SQLite: a PASSIVE checkpoint, which syncs both
 * files), for a writer opened with YB_STORE_GROUPCOMMIT. With restart, the
 * caller has made sure that no write is under way (the server pauses its
 * writer): everything is moved, the call waits for the readers still on
 * the log, and the next write starts the log again from its beginning, so
 * it stays bounded (SQLite: a RESTART checkpoint). *log_pages (may be
 * NULL) gets the pages the log held. */
int yb_store_checkpoint(yb_store *s, bool restart, int64_t *log_pages,
                        struct yb_err *e);
/* Background checkpoints, for bulk jobs. While on, a thread with a
 * connection of its own moves each commit's pages from the log into the
 * database file (SQLite: a PASSIVE checkpoint, which syncs both files),
 * and the store's own commits no longer do: the writer goes on with its
 * next transaction instead of waiting for the copy and its syncs. Once the
 * log has grown long, a begin waits for the copy under way, so that the
 * log starts again from its beginning. Calls nest (on twice, off twice);
 * the last off copies what the last commit left, stops the thread and
 * lets the store's commits checkpoint again, and so does yb_store_close.
 * YB_EINVAL, and nothing changes, when the database cannot be shared
 * (yb_store_open_peer) or s is read-only or a group-commit writer (which
 * has a checkpointer of its own). */
int yb_store_background_checkpoints(yb_store *s, bool on, struct yb_err *e);
int yb_store_sync_open(yb_store *s, yb_store_sync **out, struct yb_err *e);
int yb_store_sync_run(yb_store_sync *y, struct yb_err *e);
void yb_store_sync_close(yb_store_sync *y);

/* Prepare portable SQL with $1..$N placeholders. Statements are cached by
 * the address of sql, so callers pass string literals (or strings that
 * outlive the store) and may call this on every use; the returned
 * statement is reset and its bindings cleared. */
int yb_store_prepare(yb_store *s, const char *sql, yb_stmt **out,
                     struct yb_err *e);
/* Bind parameter i (1-based). bind_text copies v; NULL binds SQL NULL. */
int yb_stmt_bind_int(yb_stmt *st, int i, int64_t v);
int yb_stmt_bind_text(yb_stmt *st, int i, const char *v);
int yb_stmt_bind_null(yb_stmt *st, int i);
/* Run one step: YB_ROW, YB_DONE, or an error: YB_EDUPLICATE (a unique or
 * primary-key violation; e->msg names the constraint's columns),
 * YB_ECONSTRAINT (foreign key, check, not null), YB_EBUSY (locked after the
 * busy timeout), YB_ESTORE (anything else). */
int yb_stmt_step(yb_stmt *st, struct yb_err *e);
/* Column values of the current row (0-based). Text is valid until the
 * next step or reset; NULL for SQL NULL. */
int64_t yb_stmt_int(yb_stmt *st, int col);
const char *yb_stmt_text(yb_stmt *st, int col);
bool yb_stmt_null(yb_stmt *st, int col);
/* Rows changed by the last completed INSERT/UPDATE/DELETE. */
int64_t yb_stmt_changes(yb_stmt *st);
/* Reset for another execution, clearing bindings. */
void yb_stmt_reset(yb_stmt *st);

/* Convenience: prepare, bind nothing, step to completion. For DDL and
 * maintenance; several statements separated by ';' are allowed. */
int yb_store_exec(yb_store *s, const char *sql, struct yb_err *e);

#endif
