/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backend-neutral half of the store (include/yibao/store.h): parsing
 * the target ("path" or "scheme:path") and choosing a backend, the cache of
 * prepared statements (a hash table keyed by the address of the SQL text,
 * so a service may call yb_store_prepare with a literal on every use at the
 * cost of one hash look-up), the transaction state that makes nested begin
 * an error, and the migration runner that takes any database to the schema
 * version of this build one migration, one transaction at a time. What a
 * statement means is the backend's business (store_int.h).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

struct yb_stmt {
    yb_store *store;
    const char *key;      /* the caller's SQL pointer (not owned) */
    void *native;         /* the backend's statement */
    struct yb_stmt *next; /* hash chain */
    int64_t changes;      /* rows changed when it last reached YB_DONE */
    bool active;          /* stepped and not yet reset or done */
};

struct yb_store {
    const struct yb__store_ops *ops;
    void *conn;
    int flags;
    char *target; /* as opened, for yb_store_open_peer */
    bool in_tx;
    struct yb_stmt **buckets; /* statement cache, power-of-two size */
    size_t n_buckets;
    size_t n_stmts;
    struct memo_slot {
        char key[YB_MEMO_KEY];
        char val[YB_MEMO_VAL];
        bool tx;           /* for the open transaction only */
    } memo[YB_MEMO_SLOTS]; /* direct-mapped; key "" is empty */
    bool memo_tx;          /* a value for the open transaction was put */
    struct yb__ckpt *ckpt; /* background checkpoints: on while not NULL */
    int ckpt_depth;        /* yb_store_background_checkpoints calls on */
};

/* Every backend this build has; a PostgreSQL one is appended here. */
static const struct yb__store_ops *const backends[] = {&yb__sqlite_ops};

#define N_BACKENDS (sizeof backends / sizeof backends[0])
#define SCHEME_MAX 32

/* ---- target parsing ---------------------------------------------------- */

/* Length of a URI-style scheme at the start of target ("sqlite" in
 * "sqlite:x.db"), or 0 when target is a plain path. One letter is not a
 * scheme, so "C:..." would still read as a path. */
static size_t scheme_len(const char *target)
{
    size_t n = 0;

    while (
        (target[n] >= 'a' && target[n] <= 'z') ||
        (target[n] >= 'A' && target[n] <= 'Z') ||
        (n > 0 && ((target[n] >= '0' && target[n] <= '9') || target[n] == '+' ||
                   target[n] == '-' || target[n] == '.')))
        n++;
    return n >= 2 && target[n] == ':' ? n : 0;
}

static int parse_target(const char *target, const struct yb__store_ops **ops,
                        const char **path, struct yb_err *e)
{
    size_t n;

    if (target == NULL || target[0] == '\0')
        return yb_err_set(e, YB_EINVAL, "store",
                          "没有给出数据库 (no database given)");
    n = scheme_len(target);
    *ops = backends[0];
    *path = target + (n > 0 ? n + 1 : 0);
    if (n > 0) {
        size_t k;

        for (k = 0; k < N_BACKENDS; k++)
            if (strlen(backends[k]->name) == n &&
                strncmp(backends[k]->name, target, n) == 0)
                break;
        if (k == N_BACKENDS)
            return yb_err_set(
                e, YB_EINVAL, "store",
                "未知的存储后端 \"%.*s\"（本程序支持：sqlite）(unknown storage "
                "backend)",
                (int)(n < SCHEME_MAX ? n : SCHEME_MAX), target);
        *ops = backends[k];
    }
    if ((*path)[0] == '\0')
        return yb_err_set(e, YB_EINVAL, "store",
                          "地址 \"%s\" 没有指定数据库 (names no database)",
                          target);
    return YB_OK;
}

/* ---- statement cache --------------------------------------------------- */

/* Fibonacci hashing of the pointer; the low bits of string literals are
 * often equal, so the multiply spreads the high ones down. */
static size_t slot_of(const yb_store *s, const char *key)
{
    uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15);

    return (size_t)(h >> 32) & (s->n_buckets - 1);
}

static int cache_grow(yb_store *s)
{
    size_t n = s->n_buckets == 0 ? 64 : s->n_buckets * 2;
    struct yb_stmt **nb = calloc(n, sizeof *nb);
    struct yb_stmt **old = s->buckets;
    size_t old_n = s->n_buckets;

    if (nb == NULL)
        return YB_ENOMEM;
    s->buckets = nb;
    s->n_buckets = n;
    for (size_t i = 0; i < old_n; i++) {
        struct yb_stmt *st = old[i], *next;

        for (; st != NULL; st = next) {
            size_t k = slot_of(s, st->key);

            next = st->next;
            st->next = nb[k];
            nb[k] = st;
        }
    }
    free(old);
    return YB_OK;
}

static struct yb_stmt *cache_find(const yb_store *s, const char *key)
{
    struct yb_stmt *st;

    if (s->n_buckets == 0)
        return NULL;
    for (st = s->buckets[slot_of(s, key)]; st != NULL; st = st->next)
        if (st->key == key)
            return st;
    return NULL;
}

/* Reset every statement still stepping, so commit and rollback never meet
 * a pending read. */
static void reset_active(yb_store *s)
{
    for (size_t i = 0; i < s->n_buckets; i++)
        for (struct yb_stmt *st = s->buckets[i]; st != NULL; st = st->next)
            if (st->active) {
                s->ops->reset(st->native);
                st->active = false;
            }
}

int yb_store_prepare(yb_store *s, const char *sql, yb_stmt **out,
                     struct yb_err *e)
{
    struct yb_stmt *st = cache_find(s, sql);
    void *native = NULL;
    int rc;

    *out = NULL;
    if (st != NULL) {
        s->ops->reset(st->native);
        st->active = false;
        *out = st;
        return YB_OK;
    }
    if (s->n_stmts >= s->n_buckets && cache_grow(s) != YB_OK)
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    rc = s->ops->prepare(s->conn, sql, &native, e);
    if (rc != YB_OK)
        return rc;
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        s->ops->finalize(native);
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    }
    st->store = s;
    st->key = sql;
    st->native = native;
    size_t k = slot_of(s, sql);
    st->next = s->buckets[k];
    s->buckets[k] = st;
    s->n_stmts++;
    *out = st;
    return YB_OK;
}

int yb_stmt_bind_int(yb_stmt *st, int i, int64_t v)
{
    return st->store->ops->bind_int(st->native, i, v);
}

int yb_stmt_bind_text(yb_stmt *st, int i, const char *v)
{
    if (v == NULL)
        return st->store->ops->bind_null(st->native, i);
    return st->store->ops->bind_text(st->native, i, v);
}

int yb_stmt_bind_null(yb_stmt *st, int i)
{
    return st->store->ops->bind_null(st->native, i);
}

int yb_stmt_step(yb_stmt *st, struct yb_err *e)
{
    const struct yb__store_ops *ops = st->store->ops;
    int rc = ops->step(st->store->conn, st->native, e);

    st->active = rc == YB_ROW;
    if (rc == YB_DONE)
        st->changes = ops->changes(st->store->conn);
    else if (rc != YB_ROW)
        ops->reset(st->native); /* the message is already in e */
    return rc;
}

int64_t yb_stmt_int(yb_stmt *st, int col)
{
    return st->store->ops->col_int(st->native, col);
}

const char *yb_stmt_text(yb_stmt *st, int col)
{
    return st->store->ops->col_text(st->native, col);
}

bool yb_stmt_null(yb_stmt *st, int col)
{
    return st->store->ops->col_null(st->native, col);
}

int64_t yb_stmt_changes(yb_stmt *st)
{
    return st->changes;
}

void yb_stmt_reset(yb_stmt *st)
{
    st->store->ops->reset(st->native);
    st->active = false;
}

/* ---- memo --------------------------------------------------------------- */

static struct memo_slot *memo_slot(yb_store *s, const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &s->memo[h % YB_MEMO_SLOTS];
}

bool yb_store_memo_get(yb_store *s, const char *key, char *val, size_t n)
{
    struct memo_slot *m = memo_slot(s, key);
    if (m->key[0] == '\0' || strcmp(m->key, key) != 0 || n == 0)
        return false;
    size_t len = strnlen(m->val, n - 1);
    memcpy(val, m->val, len);
    val[len] = '\0';
    return true;
}

static void memo_put(yb_store *s, const char *key, const char *val, bool tx)
{
    if (strlen(key) >= YB_MEMO_KEY || strlen(val) >= YB_MEMO_VAL || !*key ||
        (tx && !s->in_tx))
        return;
    struct memo_slot *m = memo_slot(s, key);
    memcpy(m->key, key, strlen(key) + 1);
    memcpy(m->val, val, strlen(val) + 1);
    m->tx = tx;
    s->memo_tx |= tx;
}

void yb_store_memo_put(yb_store *s, const char *key, const char *val)
{
    memo_put(s, key, val, false);
}

void yb_store_memo_put_tx(yb_store *s, const char *key, const char *val)
{
    memo_put(s, key, val, true);
}

void yb_store_memo_clear(yb_store *s)
{
    for (size_t i = 0; i < YB_MEMO_SLOTS; i++)
        s->memo[i].key[0] = '\0';
    s->memo_tx = false;
}

/* Drop the values kept for the transaction that ends. */
static void memo_end_tx(yb_store *s)
{
    for (size_t i = 0; s->memo_tx && i < YB_MEMO_SLOTS; i++)
        if (s->memo[i].tx) {
            s->memo[i].key[0] = '\0';
            s->memo[i].tx = false;
        }
    s->memo_tx = false;
}

int yb_store_exec(yb_store *s, const char *sql, struct yb_err *e)
{
    /* Anything but a savepoint may change what the memo holds (a rollback
     * to a savepoint, a fixture's rows). */
    if (strncmp(sql, "SAVEPOINT", 9) != 0 && strncmp(sql, "RELEASE", 7) != 0)
        yb_store_memo_clear(s);
    /* A single statement (savepoints, run for every imported row) goes
     * through the statement cache instead of being parsed again. */
    if (strchr(sql, ';') == NULL) {
        yb_stmt *st;
        int rc = yb_store_prepare(s, sql, &st, e);
        if (rc != YB_OK)
            return rc;
        while ((rc = yb_stmt_step(st, e)) == YB_ROW)
            ;
        yb_stmt_reset(st);
        return rc == YB_DONE ? YB_OK : rc;
    }
    return s->ops->exec(s->conn, sql, e);
}

/* ---- transactions ------------------------------------------------------ */

int yb_store_begin(yb_store *s, struct yb_err *e)
{
    int rc;

    if (s->in_tx)
        return yb_err_set(e, YB_EINVAL, "store",
                          "事务已经打开 (a transaction is already open)");
    if (s->ckpt != NULL)
        yb__ckpt_settle(s->ckpt);
    rc = s->ops->begin(s->conn, e);
    if (rc == YB_OK)
        s->in_tx = true;
    return rc;
}

int yb_store_commit(yb_store *s, struct yb_err *e)
{
    int rc;

    if (!s->in_tx)
        return yb_err_set(e, YB_EINVAL, "store",
                          "没有打开的事务 (no transaction is open)");
    reset_active(s);
    rc = s->ops->commit(s->conn, e);
    if (rc != YB_OK)
        s->ops->rollback(s->conn);
    else if (s->ckpt != NULL)
        yb__ckpt_kick(s->ckpt, s->ops->log_pages(s->conn));
    s->in_tx = false;
    memo_end_tx(s);
    return rc;
}

void yb_store_rollback(yb_store *s)
{
    if (s == NULL || !s->in_tx)
        return;
    reset_active(s);
    s->ops->rollback(s->conn);
    s->in_tx = false;
    yb_store_memo_clear(s);
}

int64_t yb_store_writes(const yb_store *s)
{
    return s->ops->total_changes(s->conn);
}

bool yb_store_in_transaction(const yb_store *s)
{
    return s->in_tx;
}

/* ---- group commit ------------------------------------------------------ */

struct yb_store_sync {
    int fd;
    char path[4096];
};

int yb_store_sync_open(yb_store *s, yb_store_sync **out, struct yb_err *e)
{
    *out = NULL;
    yb_store_sync *y = calloc(1, sizeof *y);
    if (y == NULL)
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    int rc = s->ops->log_path(s->conn, y->path, sizeof y->path, e);
    if (rc == YB_OK) {
        /* the log exists while its database is open in WAL mode */
        y->fd = open(y->path, O_RDONLY | O_CLOEXEC);
        if (y->fd < 0)
            rc = yb_err_set(e, YB_EIO, y->path, "无法打开：%s (cannot open)",
                            strerror(errno));
    }
    if (rc != YB_OK) {
        free(y);
        return rc;
    }
    *out = y;
    return YB_OK;
}

int yb_store_sync_run(yb_store_sync *y, struct yb_err *e)
{
    if (fdatasync(y->fd) != 0)
        return yb_err_set(e, YB_EIO, y->path,
                          "无法同步到磁盘：%s (cannot sync)", strerror(errno));
    return YB_OK;
}

int yb_store_checkpoint(yb_store *s, bool restart, int64_t *log_pages,
                        struct yb_err *e)
{
    return s->ops->checkpoint(s->conn, restart, log_pages, e);
}

int yb_store_background_checkpoints(yb_store *s, bool on, struct yb_err *e)
{
    if (!on) {
        if (s->ckpt_depth == 0 || --s->ckpt_depth > 0)
            return YB_OK;
        yb__ckpt_stop(s->ckpt);
        s->ckpt = NULL;
        return s->ops->autocheckpoint(s->conn, true, e);
    }
    if (s->ckpt_depth > 0) {
        s->ckpt_depth++;
        return YB_OK;
    }
    if (s->ops->autocheckpoint == NULL || s->ops->log_pages == NULL)
        return yb_err_set(
            e, YB_EINVAL, "store",
            "存储后端 %s 没有可移交的检查点 (no checkpoints to hand over)",
            s->ops->name);
    if (s->flags & (YB_STORE_READONLY | YB_STORE_GROUPCOMMIT))
        return yb_err_set(
            e, YB_EINVAL, "store",
            "后台检查点只用于批量写入，不用于 %s 存储 (not for this store)",
            (s->flags & YB_STORE_READONLY) ? "read-only" : "group-commit");
    int rc = yb__ckpt_start(s, s->flags, &s->ckpt, e);
    if (rc == YB_OK)
        rc = s->ops->autocheckpoint(s->conn, false, e);
    if (rc != YB_OK) {
        yb__ckpt_stop(s->ckpt);
        s->ckpt = NULL;
        return rc;
    }
    s->ckpt_depth = 1;
    return YB_OK;
}

void yb_store_sync_close(yb_store_sync *y)
{
    if (y == NULL)
        return;
    close(y->fd);
    free(y);
}

/* ---- migrations -------------------------------------------------------- */

static int parse_version(const char *text, int *out, struct yb_err *e)
{
    char *end;
    long v;

    errno = 0;
    v = text != NULL ? strtol(text, &end, 10) : -1;
    if (text == NULL || errno != 0 || end == text || *end != '\0' || v < 0 ||
        v > 1000000)
        return yb_err_set(
            e, YB_ESTORE, "meta.schema_version",
            "数据库模式版本 \"%s\" 不是数字 (schema version is not a number)",
            text != NULL ? text : "(null)");
    *out = (int)v;
    return YB_OK;
}

/* The schema version recorded in meta; 0 for an empty database. */
static int read_version(yb_store *s, int *version, struct yb_err *e)
{
    static const char sql[] =
        "SELECT value FROM meta WHERE key = 'schema_version'";
    yb_stmt *st;
    bool has = false;
    int rc;

    *version = 0;
    rc = s->ops->has_table(s->conn, "meta", &has, e);
    if (rc != YB_OK || !has)
        return rc;
    rc = yb_store_prepare(s, sql, &st, e);
    if (rc != YB_OK)
        return rc;
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        rc = parse_version(yb_stmt_text(st, 0), version, e);
    else if (rc == YB_DONE)
        rc = yb_err_set(e, YB_ESTORE, "meta",
                        "元数据表没有 schema_version (no schema_version)");
    yb_stmt_reset(st);
    return rc;
}

static int newer_error(int version, struct yb_err *e)
{
    return yb_err_set(
        e, YB_ESTORE, "meta.schema_version",
        "数据库模式版本 %d 比本程序新（%d）(schema newer than this build)",
        version, yb_store_latest_version());
}

static int apply_one(yb_store *s, int version, struct yb_err *e)
{
    static const char sql[] =
        "INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    const struct yb__migration *m = &s->ops->migrations[version - 1];
    char text[16];
    yb_stmt *st;
    int rc;

    assert(m->version == version);
    for (size_t i = 0; m->scripts[i] != NULL; i++) {
        rc = yb_store_exec(s, m->scripts[i], e);
        if (rc != YB_OK) {
            if (e != NULL)
                snprintf(e->field, sizeof e->field, "migration %d", version);
            return rc;
        }
    }
    if (m->step != NULL && (rc = m->step(s, e)) != YB_OK) {
        if (e != NULL)
            snprintf(e->field, sizeof e->field, "migration %d", version);
        return rc;
    }
    snprintf(text, sizeof text, "%d", version);
    rc = yb_store_prepare(s, sql, &st, e);
    if (rc == YB_OK && (rc = yb_stmt_bind_text(st, 1, text)) == YB_OK)
        rc = yb_stmt_step(st, e);
    return rc == YB_DONE ? YB_OK : rc;
}

/* One step: apply the next migration if any; *more says whether one was
 * applied. The version is read inside the transaction, so two processes
 * migrating the same file at once apply each migration once. */
static int migrate_step(yb_store *s, int *before, bool *more, struct yb_err *e)
{
    int v = 0, rc;

    *more = false;
    rc = yb_store_begin(s, e);
    if (rc != YB_OK)
        return rc;
    rc = read_version(s, &v, e);
    if (rc != YB_OK)
        goto out;
    if (*before < 0)
        *before = v;
    if (v > yb__store_n_migrations(s->ops)) {
        rc = newer_error(v, e);
        goto out;
    }
    if (v < yb__store_n_migrations(s->ops)) {
        rc = apply_one(s, v + 1, e);
        *more = rc == YB_OK;
    }
    if (rc == YB_OK)
        return yb_store_commit(s, e);
out:
    yb_store_rollback(s);
    return rc;
}

int yb_store_migrate(yb_store *s, int *from, int *to, struct yb_err *e)
{
    int before = -1, rc;
    bool more = true;

    if (s->in_tx)
        return yb_err_set(
            e, YB_EINVAL, "store",
            "不能在事务中迁移 (cannot migrate inside a transaction)");
    if (s->flags & YB_STORE_READONLY)
        return yb_err_set(
            e, YB_EINVAL, "store",
            "只读打开的存储不能迁移 (cannot migrate a read-only store)");
    while (more) {
        rc = migrate_step(s, &before, &more, e);
        if (rc != YB_OK)
            return rc;
    }
    if (from != NULL)
        *from = before;
    if (to != NULL)
        *to = yb__store_n_migrations(s->ops);
    return YB_OK;
}

int yb_store_version(yb_store *s, int *version, struct yb_err *e)
{
    return read_version(s, version, e);
}

int yb_store_latest_version(void)
{
    /* Backends keep one numbering: version N is the same schema on each. */
    return yb__store_n_migrations(backends[0]);
}

int yb__store_n_migrations(const struct yb__store_ops *ops)
{
    int n = 0;

    while (ops->migrations[n].scripts != NULL)
        n++;
    return n;
}

/* A read-only store cannot migrate: it must already be current. */
static int check_readonly_version(yb_store *s, struct yb_err *e)
{
    int v = 0, rc = read_version(s, &v, e);

    if (rc != YB_OK)
        return rc;
    if (v > yb__store_n_migrations(s->ops))
        return newer_error(v, e);
    if (v < yb__store_n_migrations(s->ops))
        return yb_err_set(
            e, YB_ESTORE, "meta.schema_version",
            "数据库模式版本 %d 比本程序旧（%d）；请以可写方式打开一次以迁移 "
            "(open it once for writing to migrate)",
            v, yb__store_n_migrations(s->ops));
    return YB_OK;
}

/* ---- open and close ---------------------------------------------------- */

int yb_store_open(const char *target, int flags, yb_store **out,
                  struct yb_err *e)
{
    const struct yb__store_ops *ops = NULL;
    const char *path = NULL;
    yb_store *s = NULL;
    int rc;

    *out = NULL;
    rc = parse_target(target, &ops, &path, e);
    if (rc != YB_OK)
        return rc;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    s->ops = ops;
    s->flags = flags;
    s->target = strdup(target);
    if (s->target == NULL) {
        rc = yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
        goto out;
    }
    rc = ops->open(path, flags, &s->conn, e);
    if (rc != YB_OK)
        goto out;
    if (flags & YB_STORE_READONLY)
        rc = check_readonly_version(s, e);
    else
        rc = yb_store_migrate(s, NULL, NULL, e);
    if (rc != YB_OK) {
        if (e != NULL && e->field[0] == '\0')
            snprintf(e->field, sizeof e->field, "%s", path);
        goto out;
    }
    *out = s;
    s = NULL;
out:
    yb_store_close(s);
    return rc;
}

void yb_store_close(yb_store *s)
{
    if (s == NULL)
        return;
    yb_store_rollback(s);
    yb__ckpt_stop(s->ckpt); /* before the store's own connection closes */
    for (size_t i = 0; i < s->n_buckets; i++) {
        struct yb_stmt *st = s->buckets[i], *next;

        for (; st != NULL; st = next) {
            next = st->next;
            s->ops->finalize(st->native);
            free(st);
        }
    }
    free(s->buckets);
    if (s->conn != NULL)
        s->ops->close(s->conn);
    free(s->target);
    free(s);
}

int yb_store_open_peer(yb_store *s, int flags, yb_store **out, struct yb_err *e)
{
    char log[4096];
    struct yb_err ignore = {0};
    *out = NULL;
    /* A second connection reads beside a writer only through a log (and
     * an in-memory database has none: it is the connection's own) */
    if (s->ops->log_path(s->conn, log, sizeof log, &ignore) != YB_OK)
        return yb_err_set(
            e, YB_EINVAL, "store",
            "数据库 %s 不能共享：它没有日志（%s）(cannot be shared)", s->target,
            ignore.msg);
    return yb_store_open(s->target, flags & ~YB_STORE_CREATE, out, e);
}

const char *yb_store_backend(const yb_store *s)
{
    return s->ops->name;
}
