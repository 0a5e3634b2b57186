/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQLite backend of the store (store_int.h). Opening applies the
 * connection settings every yibao database runs with: WAL (readers never
 * block the writer), foreign keys on, a busy timeout so a second process
 * waits for the lock instead of failing at once, synchronous=NORMAL (OFF
 * for YB_STORE_NOSYNC bulk loads). Statements are prepared once with
 * SQLITE_PREPARE_PERSISTENT after the portable "$N" placeholders are turned
 * into SQLite's numbered "?N" (SQLite reads "$1" as a *named* parameter
 * numbered by first appearance, so "$2 ... $1" would bind the wrong way
 * round). Errors are mapped to the store's codes: unique and primary-key
 * violations to YB_EDUPLICATE naming the columns, other constraints to
 * YB_ECONSTRAINT, BUSY and LOCKED to YB_EBUSY, everything else YB_ESTORE.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sqlite_int.h"
#include "store_int.h"

/* How long a writer waits for another connection's lock. */
#define BUSY_TIMEOUT_MS 5000
/* Pages of WAL after which a commit checkpoints (SQLite's default: 1,000). */
#define AUTOCHECKPOINT "4096"

struct conn {
    sqlite3 *db;
    int flags;
    /* BEGIN and COMMIT, prepared once: a read-only call on the hospital
     * interface is one short transaction, and parsing these two at every
     * call cost as much as its reads */
    sqlite3_stmt *begin, *commit;
    int log_pages; /* after the last commit, while it does not checkpoint */
};

/* ---- placeholders ------------------------------------------------------ */

/* The index just past a quoted run starting at sql[i] (a doubled quote
 * inside is an escaped one and simply starts a new run). */
static size_t skip_quoted(const char *sql, size_t i)
{
    char q = sql[i++];

    while (sql[i] != '\0' && sql[i] != q)
        i++;
    return sql[i] == q ? i + 1 : i;
}

static size_t skip_comment(const char *sql, size_t i)
{
    if (sql[i] == '-') {
        while (sql[i] != '\0' && sql[i] != '\n')
            i++;
        return i;
    }
    for (i += 2; sql[i] != '\0'; i++)
        if (sql[i] == '*' && sql[i + 1] == '/')
            return i + 2;
    return i;
}

void yb__sql_translate_placeholders(const char *sql, char *out)
{
    size_t i = 0, n = strlen(sql);

    memcpy(out, sql, n + 1);
    while (i < n) {
        size_t next;

        if (sql[i] == '\'' || sql[i] == '"')
            next = skip_quoted(sql, i);
        else if ((sql[i] == '-' && sql[i + 1] == '-') ||
                 (sql[i] == '/' && sql[i + 1] == '*'))
            next = skip_comment(sql, i);
        else {
            if (sql[i] == '$' && isdigit((unsigned char)sql[i + 1]))
                out[i] = '?';
            next = i + 1;
        }
        i = next;
    }
}

/* ---- errors ------------------------------------------------------------ */

/* SQLite's message with the constraint kind in lower case ("UNIQUE
 * constraint failed: person.certno" -> "unique constraint failed: ..."). */
static void lower_constraint(const char *msg, char *buf, size_t size)
{
    const char *kw = strstr(msg, " constraint failed");
    size_t n = kw != NULL ? (size_t)(kw - msg) : 0;

    snprintf(buf, size, "%s", msg);
    for (size_t i = 0; i < n && i < size; i++)
        buf[i] = (char)tolower((unsigned char)buf[i]);
}

static int map_constraint(int rc, const char *msg, struct yb_err *e)
{
    char text[200];
    const char *cols = strstr(msg, "failed: ");

    lower_constraint(msg, text, sizeof text);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return yb_err_set(e, YB_EDUPLICATE, cols != NULL ? cols + 8 : "store",
                          "数据重复 (%s)", text);
    return yb_err_set(e, YB_ECONSTRAINT, cols != NULL ? cols + 8 : "store",
                      "违反数据约束 (%s)", text);
}

/* Map a SQLite result code (extended) to a store error, with the message
 * the connection holds. */
static int map_error(sqlite3 *db, int rc, struct yb_err *e)
{
    const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return map_constraint(rc, msg, e);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return yb_err_set(e, YB_EBUSY, "store",
                          "数据库忙：%s (database is busy)", msg);
    case SQLITE_NOMEM:
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    default:
        return yb_err_set(e, YB_ESTORE, "store", "数据库错误 (%s)", msg);
    }
}

/* ---- connection -------------------------------------------------------- */

static int open_error(sqlite3 *db, int rc, const char *path, struct yb_err *e)
{
    const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

    return yb_err_set(e, YB_EIO, path,
                      "无法打开数据库：%s (cannot open database)", msg);
}

/* string_agg(value, separator), PostgreSQL's aggregate, which SQLite 3.40
 * lacks (3.44 has it built in): the values that are not NULL, joined by the
 * separator; NULL when there is none. SQL outside the store writes it the
 * one way both databases run. */
struct agg {
    char *buf;
    sqlite3_uint64 len, cap;
};

static void agg_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct agg *a = sqlite3_aggregate_context(cx, sizeof *a);
    const char *v = (const char *)sqlite3_value_text(argv[0]);
    const char *sep = (const char *)sqlite3_value_text(argv[1]);
    if (!a) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (!v)
        return;
    size_t n = strlen(v), k = a->buf && sep ? strlen(sep) : 0;
    if (a->len + k + n + 1 > a->cap) {
        sqlite3_uint64 cap = a->cap ? a->cap : 64;
        while (cap < a->len + k + n + 1)
            cap *= 2;
        char *b = sqlite3_realloc64(a->buf, cap);
        if (!b) {
            sqlite3_result_error_nomem(cx);
            return;
        }
        a->buf = b;
        a->cap = cap;
    }
    memcpy(a->buf + a->len, sep, k);
    memcpy(a->buf + a->len + k, v, n + 1);
    a->len += k + n;
}

static void agg_final(sqlite3_context *cx)
{
    struct agg *a = sqlite3_aggregate_context(cx, 0);
    if (!a || !a->buf)
        sqlite3_result_null(cx);
    else /* the result takes the buffer */
        sqlite3_result_text64(cx, a->buf, a->len, sqlite3_free, SQLITE_UTF8);
}

/* The settings of every connection; a file that is not a database shows
 * here, at its first read, and is reported as an open error. */
static int configure(sqlite3 *db, int flags, const char *path, struct yb_err *e)
{
    /* WAL with NORMAL survives a crash of the process (the OS has the
     * pages) but not of the machine; DURABLE syncs the WAL at every
     * commit, so an answered call is on disk. */
    /* GROUPCOMMIT: FULL, so that SQLite syncs the log at each commit,
     * which the group VFS turns into one write and no sync */
    const char *sync = (flags & YB_STORE_NOSYNC) ? "PRAGMA synchronous = OFF"
                       : (flags & (YB_STORE_DURABLE | YB_STORE_GROUPCOMMIT))
                           ? "PRAGMA synchronous = FULL"
                           : "PRAGMA synchronous = NORMAL";
    int rc;

    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "string_agg", 2,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                        NULL, NULL, agg_step, agg_final, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL,
                          NULL);
    if (rc == SQLITE_OK && !(flags & YB_STORE_READONLY))
        rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sync, NULL, NULL, NULL);
    /* A region's registry has millions of rows with random keys (ID
     * numbers, audit hashes): index pages must stay in memory, or every
     * insert reads the disk. 128 MiB of page cache per connection and
     * temporary b-trees in memory; the WAL is checkpointed every 4,096
     * pages instead of 1,000 so bulk loads do not stall on it. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "PRAGMA cache_size = -131072;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA wal_autocheckpoint = " AUTOCHECKPOINT,
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK && (flags & YB_STORE_GROUPCOMMIT))
        rc =
            sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 0", NULL, NULL, NULL);
    return rc == SQLITE_OK ? YB_OK : open_error(db, rc, path, e);
}

/* A new database file is made 0600 before SQLite opens it: it holds the
 * insured population. SQLite makes the -wal and -shm files with the mode
 * of the database file, so they are 0600 too. (SQLite's own default is
 * 0644 less the umask.) An existing file keeps its mode. */
static int create_private(const char *path, struct yb_err *e)
{
    if (path[0] == '\0' || path[0] == ':' || strncmp(path, "file:", 5) == 0)
        return YB_OK; /* in memory, or a URI: SQLite's business */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    else if (errno != EEXIST)
        return yb_err_set(e, YB_EIO, path,
                          "无法创建数据库：%s (cannot create database)",
                          strerror(errno));
    return YB_OK;
}

static int sq_open(const char *path, int flags, void **out, struct yb_err *e)
{
    int oflags = SQLITE_OPEN_NOMUTEX, rc;
    struct conn *c;
    sqlite3 *db = NULL;

    *out = NULL;
    /* Memory statistics take a global mutex at every allocation; yibao
     * never reads them. Only possible before SQLite's first use in the
     * process: later calls fail harmlessly. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (flags & YB_STORE_READONLY)
        oflags |= SQLITE_OPEN_READONLY;
    else
        oflags |= SQLITE_OPEN_READWRITE |
                  ((flags & YB_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    if ((flags & YB_STORE_CREATE) && !(flags & YB_STORE_READONLY) &&
        (rc = create_private(path, e)) != YB_OK)
        return rc;
    const char *vfs = NULL;
    if (flags & YB_STORE_GROUPCOMMIT) {
        if (yb__sqlite_group_vfs() != SQLITE_OK)
            return yb_err_set(
                e, YB_ESTORE, path,
                "无法注册组提交 VFS (cannot register the group-commit VFS)");
        vfs = YB__SQLITE_GROUP_VFS;
    }
    rc = sqlite3_open_v2(path, &db, oflags, vfs);
    if (rc != SQLITE_OK) {
        rc = open_error(db, rc, path, e);
        sqlite3_close_v2(db);
        return rc;
    }
    rc = configure(db, flags, path, e);
    if (rc != YB_OK) {
        sqlite3_close_v2(db);
        return rc;
    }
    if ((c = malloc(sizeof *c)) == NULL) {
        sqlite3_close_v2(db);
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    }
    c->db = db;
    c->flags = flags;
    c->begin = c->commit = NULL;
    c->log_pages = 0;
    *out = c;
    return YB_OK;
}

static void sq_close(void *conn)
{
    struct conn *c = conn;

    sqlite3_finalize(c->begin);
    sqlite3_finalize(c->commit);
    sqlite3_close_v2(c->db);
    free(c);
}

/* ---- statements -------------------------------------------------------- */

static bool only_space(const char *p)
{
    while (*p != '\0' && (isspace((unsigned char)*p) || *p == ';'))
        p++;
    return *p == '\0';
}

/* A prepared statement. SQLite runs INSERT ... RETURNING through a
 * temporary b-tree that it builds and frees at every step, which costs a
 * bulk import more than the insert itself. The services' portable
 * "INSERT ... RETURNING id" (id an INTEGER PRIMARY KEY, that is the rowid)
 * is therefore prepared without its RETURNING clause, and the row it would
 * return is made from sqlite3_last_insert_rowid(). */
struct sq_stmt {
    sqlite3_stmt *st;
    sqlite3 *db;
    bool rowid_row; /* emulating RETURNING id */
    bool has_row;   /* the emulated row is current */
    int64_t id;
    char text[24];
    int nparam;
    struct sq_param { /* the text bound to each parameter: sq_bind_text */
        char *p;
        size_t cap;
    } * param; /* [nparam], parameter i at i - 1 */
};

static const char returning_id[] = "RETURNING id";

/* Length of sql without a trailing "RETURNING id" of an INSERT, or n. */
static size_t strip_returning_id(const char *sql, size_t n)
{
    size_t k = n, r = sizeof returning_id - 1;
    while (k > 0 && (isspace((unsigned char)sql[k - 1]) || sql[k - 1] == ';'))
        k--;
    if (k < r + 1 || strncmp(sql + k - r, returning_id, r) != 0 ||
        !isspace((unsigned char)sql[k - r - 1]))
        return n;
    while (*sql != '\0' && isspace((unsigned char)*sql))
        sql++;
    if (strncmp(sql, "INSERT", 6) != 0)
        return n;
    return k - r - 1;
}

static int sq_prepare(void *conn, const char *sql, void **out, struct yb_err *e)
{
    struct conn *c = conn;
    size_t n = strlen(sql);
    sqlite3_stmt *st = NULL;
    struct sq_stmt *w;
    const char *tail = NULL;
    char *text;
    int rc;

    *out = NULL;
    if (n >= INT_MAX)
        return yb_err_set(e, YB_EINVAL, "sql",
                          "语句过长 (statement is too long)");
    text = malloc(n + 1);
    w = calloc(1, sizeof *w);
    if (text == NULL || w == NULL) {
        free(text);
        free(w);
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    }
    yb__sql_translate_placeholders(sql, text);
    size_t len = strip_returning_id(text, n);
    w->rowid_row = len != n;
    text[len] = '\0';
    rc = sqlite3_prepare_v3(c->db, text, (int)len + 1,
                            SQLITE_PREPARE_PERSISTENT, &st, &tail);
    if (rc != SQLITE_OK) {
        rc = map_error(c->db, rc, e);
        if (e != NULL)
            snprintf(e->field, sizeof e->field, "%.60s", sql);
    } else if (st == NULL) {
        rc = yb_err_set(e, YB_EINVAL, "sql", "空语句 (empty statement)");
    } else if (tail != NULL && !only_space(tail)) {
        sqlite3_finalize(st);
        rc = yb_err_set(
            e, YB_EINVAL, "sql",
            "多于一条语句：请用 yb_store_exec (more than one statement)");
    } else if ((w->nparam = sqlite3_bind_parameter_count(st)) > 0 &&
               !(w->param = calloc((size_t)w->nparam, sizeof *w->param))) {
        sqlite3_finalize(st);
        rc = yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    } else {
        w->st = st;
        w->db = c->db;
        *out = w;
        w = NULL;
        rc = YB_OK;
    }
    free(w);
    free(text);
    return rc;
}

static void sq_finalize(void *stmt)
{
    struct sq_stmt *w = stmt;

    sqlite3_finalize(w->st);
    for (int i = 0; i < w->nparam; i++)
        free(w->param[i].p);
    free(w->param);
    free(w);
}

static int bind_rc(int rc)
{
    if (rc == SQLITE_OK)
        return YB_OK;
    if (rc == SQLITE_RANGE || rc == SQLITE_MISUSE) /* index; not reset */
        return YB_EINVAL;
    return rc == SQLITE_NOMEM ? YB_ENOMEM : YB_ESTORE;
}

static int sq_bind_int(void *stmt, int i, int64_t v)
{
    return bind_rc(sqlite3_bind_int64(((struct sq_stmt *)stmt)->st, i, v));
}

/* The text is copied into the parameter's own buffer, kept from one
 * binding to the next, and bound from there as SQLITE_STATIC: SQLite's
 * own copy (SQLITE_TRANSIENT) mallocs and frees at every binding, a
 * tenth of a bulk import's instructions. A running statement still reads
 * the buffer it was bound with, so binding to one (which SQLite refuses)
 * must not touch it: that, NULL and a bad index go to SQLite as before. */
static int sq_bind_text(void *stmt, int i, const char *v)
{
    struct sq_stmt *w = stmt;
    if (v == NULL || i < 1 || i > w->nparam || sqlite3_stmt_busy(w->st))
        return bind_rc(sqlite3_bind_text(w->st, i, v, -1, SQLITE_TRANSIENT));
    size_t n = strlen(v);
    struct sq_param *b = &w->param[i - 1];
    if (n >= INT_MAX)
        return YB_EINVAL;
    if (n + 1 > b->cap) {
        size_t cap = n + 1 < 32 ? 32 : n + 1;
        char *p = realloc(b->p, cap);
        if (p == NULL)
            return YB_ENOMEM;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p, v, n + 1);
    return bind_rc(sqlite3_bind_text(w->st, i, b->p, (int)n, SQLITE_STATIC));
}

static int sq_bind_null(void *stmt, int i)
{
    return bind_rc(sqlite3_bind_null(((struct sq_stmt *)stmt)->st, i));
}

static int sq_step(void *conn, void *stmt, struct yb_err *e)
{
    struct conn *c = conn;
    struct sq_stmt *w = stmt;
    int rc;

    if (w->has_row) { /* past the one emulated row */
        w->has_row = false;
        return YB_DONE;
    }
    rc = sqlite3_step(w->st);
    if (rc == SQLITE_ROW)
        return YB_ROW;
    if (rc == SQLITE_DONE && w->rowid_row && sqlite3_changes(c->db) > 0) {
        w->id = sqlite3_last_insert_rowid(c->db);
        w->has_row = true;
        return YB_ROW;
    }
    if (rc == SQLITE_DONE)
        return YB_DONE;
    return map_error(c->db, rc, e);
}

static int64_t sq_col_int(void *stmt, int col)
{
    struct sq_stmt *w = stmt;

    if (w->has_row)
        return col == 0 ? w->id : 0;
    return sqlite3_column_int64(w->st, col);
}

static const char *sq_col_text(void *stmt, int col)
{
    struct sq_stmt *w = stmt;

    if (w->has_row) {
        if (col != 0)
            return NULL;
        snprintf(w->text, sizeof w->text, "%lld", (long long)w->id);
        return w->text;
    }
    return (const char *)sqlite3_column_text(w->st, col);
}

static bool sq_col_null(void *stmt, int col)
{
    struct sq_stmt *w = stmt;

    if (w->has_row)
        return col != 0;
    return sqlite3_column_type(w->st, col) == SQLITE_NULL;
}

static int64_t sq_changes(void *conn)
{
    return sqlite3_changes64(((struct conn *)conn)->db);
}

static int64_t sq_total_changes(void *conn)
{
    return sqlite3_total_changes64(((struct conn *)conn)->db);
}

static void sq_reset(void *stmt)
{
    struct sq_stmt *w = stmt;

    w->has_row = false;
    sqlite3_reset(w->st);
    sqlite3_clear_bindings(w->st);
}

static int sq_exec(void *conn, const char *sql, struct yb_err *e)
{
    struct conn *c = conn;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK
               ? YB_OK
               : map_error(c->db, sqlite3_extended_errcode(c->db), e);
}

/* ---- transactions ------------------------------------------------------ */

/* Run a cached statement without results (prepared at first use). */
static int run_cached(struct conn *c, sqlite3_stmt **st, const char *sql,
                      struct yb_err *e)
{
    int rc = *st ? SQLITE_OK
                 : sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                      st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(*st);
        sqlite3_reset(*st);
        if (rc == SQLITE_DONE)
            return YB_OK;
    }
    return map_error(c->db, sqlite3_extended_errcode(c->db), e);
}

static int sq_begin(void *conn, struct yb_err *e)
{
    struct conn *c = conn;

    /* IMMEDIATE takes the write lock now: a deferred transaction that
     * reads, then writes, could fail with BUSY halfway through. */
    return run_cached(
        c, &c->begin,
        (c->flags & YB_STORE_READONLY) ? "BEGIN" : "BEGIN IMMEDIATE", e);
}

static int sq_commit(void *conn, struct yb_err *e)
{
    struct conn *c = conn;
    bool defer = (c->flags & YB_STORE_GROUPCOMMIT) != 0;

    if (defer) /* the log is synced by yb_store_sync_run */
        yb__sqlite_defer_sync(true);
    int rc = run_cached(c, &c->commit, "COMMIT", e);
    if (defer)
        yb__sqlite_defer_sync(false);
    return rc;
}

static void sq_rollback(void *conn)
{
    struct conn *c = conn;

    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_log_path(void *conn, char *out, size_t n, struct yb_err *e)
{
    struct conn *c = conn;
    sqlite3_stmt *st = NULL;
    bool wal = false;
    if (sqlite3_prepare_v2(c->db, "PRAGMA journal_mode", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *mode = sqlite3_column_text(st, 0);
        wal = mode && strcmp((const char *)mode, "wal") == 0;
    }
    sqlite3_finalize(st);
    sqlite3_filename db = sqlite3_db_filename(c->db, "main");
    const char *path = db && wal ? sqlite3_filename_wal(db) : NULL;
    if (!path || !*path || strlen(path) >= n)
        return yb_err_set(
            e, YB_EINVAL, "store",
            "数据库不是 WAL 模式 (the database is not in WAL mode)");
    memcpy(out, path, strlen(path) + 1);
    return YB_OK;
}

static int sq_checkpoint(void *conn, bool restart, int64_t *log_pages,
                         struct yb_err *e)
{
    struct conn *c = conn;
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(c->db, "main",
                                       restart ? SQLITE_CHECKPOINT_RESTART
                                               : SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &done);
    if (log_pages)
        *log_pages = log > 0 ? log : 0;
    /* BUSY: another checkpoint runs, or a reader stayed on the log past
     * the busy timeout; the next one will do */
    if (rc == SQLITE_OK || rc == SQLITE_BUSY)
        return YB_OK;
    return map_error(c->db, rc, e);
}

/* In place of the checkpoint a commit makes: only note the log's size. */
static int note_log(void *conn, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    ((struct conn *)conn)->log_pages = pages;
    return SQLITE_OK;
}

static int sq_autocheckpoint(void *conn, bool on, struct yb_err *e)
{
    struct conn *c = conn;
    if (!on) { /* SQLite's own checkpointing is this same hook */
        sqlite3_wal_hook(c->db, note_log, c);
        return YB_OK;
    }
    int rc = sqlite3_exec(c->db, "PRAGMA wal_autocheckpoint = " AUTOCHECKPOINT,
                          NULL, NULL, NULL);
    return rc == SQLITE_OK ? YB_OK : map_error(c->db, rc, e);
}

static int64_t sq_log_pages(void *conn)
{
    return ((struct conn *)conn)->log_pages;
}

static int sq_has_table(void *conn, const char *table, bool *out,
                        struct yb_err *e)
{
    struct conn *c = conn;
    sqlite3_stmt *st = NULL;
    int rc;

    *out = false;
    rc = sqlite3_prepare_v2(c->db,
                            "SELECT 1 FROM sqlite_schema "
                            "WHERE type = 'table' AND name = ?1",
                            -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        *out = rc == SQLITE_ROW;
        if (rc == SQLITE_ROW || rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK)
        rc = map_error(c->db, rc, e);
    sqlite3_finalize(st);
    return rc;
}

const struct yb__store_ops yb__sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_null = sq_col_null,
    .changes = sq_changes,
    .total_changes = sq_total_changes,
    .reset = sq_reset,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .has_table = sq_has_table,
    .log_path = sq_log_path,
    .checkpoint = sq_checkpoint,
    .autocheckpoint = sq_autocheckpoint,
    .log_pages = sq_log_pages,
    .migrations = yb__sqlite_migrations,
};
