/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Events and the audit hash chain (include/yibao/event.h). A row's hash is
 * BLAKE2b-256 (libsodium's crypto_generichash, 32 bytes, no key) over its
 * fields in a fixed order, each written as "<byte length>:<bytes>" so no
 * two different rows hash the same input:
 *
 *     prev_hash, event_id (decimal, "" when none), actor, action, detail, at
 *
 * stored as 64 lower-case hex digits. The first row's prev_hash is 64
 * zeros. The recipe is in docs/internals/store.md so an auditor can check
 * the chain with nothing but `b2sum -l 256`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "yibao/date.h"
#include "yibao/event.h"

#define HASH_BYTES 32
#define GENESIS                                                                \
    "0000000000000000000000000000000000000000000000000000000000000000"

/* One audit row as hashed and stored. */
struct audit_row {
    int64_t event_id; /* 0: none */
    const char *actor, *action, *detail, *at;
    char prev[YB_AUDIT_HASH_HEX + 1];
    char hash[YB_AUDIT_HASH_HEX + 1];
};

static void feed(crypto_generichash_state *st, const char *v)
{
    char len[24];
    size_t n = strlen(v);

    snprintf(len, sizeof len, "%zu:", n);
    crypto_generichash_update(st, (const unsigned char *)len, strlen(len));
    crypto_generichash_update(st, (const unsigned char *)v, n);
}

/* Compute r->hash from r->prev and the fields. */
static void row_hash(struct audit_row *r)
{
    crypto_generichash_state st;
    unsigned char out[HASH_BYTES];
    char id[24] = "";

    if (r->event_id > 0)
        snprintf(id, sizeof id, "%" PRId64, r->event_id);
    crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
    feed(&st, r->prev);
    feed(&st, id);
    feed(&st, r->actor);
    feed(&st, r->action);
    feed(&st, r->detail);
    feed(&st, r->at);
    crypto_generichash_final(&st, out, HASH_BYTES);
    sodium_bin2hex(r->hash, sizeof r->hash, out, HASH_BYTES);
}

static int check_args(yb_store *s, const char *actor, const char *action,
                      const char *at, struct yb_err *e)
{
    yb_date d;

    if (!yb_store_in_transaction(s))
        return yb_err_set(e, YB_EINVAL, "event",
                          "业务事件只能在事务中写入 (events are written inside "
                          "a transaction)");
    if (action == NULL || action[0] == '\0')
        return yb_err_set(e, YB_EINVAL, "event.kind",
                          "必须给出事件类型 kind (kind is required)");
    if (actor == NULL || actor[0] == '\0')
        return yb_err_set(e, YB_EINVAL, "event.actor",
                          "必须给出操作人 actor (actor is required)");
    if (at == NULL)
        return yb_err_set(e, YB_EINVAL, "event.at",
                          "必须给出时间 (time is required)");
    return yb_datetime_parse(at, false, &d, NULL, "event.at", e);
}

/* The hash of the chain's last row, or GENESIS for an empty chain. */
static int chain_tail(yb_store *s, char *prev, struct yb_err *e)
{
    static const char sql[] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1";
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        const char *h = yb_stmt_text(st, 0);

        snprintf(prev, YB_AUDIT_HASH_HEX + 1, "%s", h != NULL ? h : "");
        rc = YB_OK;
    } else if (rc == YB_DONE) {
        memcpy(prev, GENESIS, sizeof GENESIS);
        rc = YB_OK;
    }
    yb_stmt_reset(st);
    return rc;
}

static int insert_audit(yb_store *s, const struct audit_row *r,
                        struct yb_err *e)
{
    static const char sql[] =
        "INSERT INTO audit (event_id, actor, action, detail, at, prev_hash, "
        "hash) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    rc = r->event_id > 0 ? yb_stmt_bind_int(st, 1, r->event_id)
                         : yb_stmt_bind_null(st, 1);
    if (rc == YB_OK)
        rc = yb_stmt_bind_text(st, 2, r->actor);
    if (rc == YB_OK)
        rc = yb_stmt_bind_text(st, 3, r->action);
    if (rc == YB_OK)
        rc = yb_stmt_bind_text(st, 4, r->detail);
    if (rc == YB_OK)
        rc = yb_stmt_bind_text(st, 5, r->at);
    if (rc == YB_OK)
        rc = yb_stmt_bind_text(st, 6, r->prev);
    if (rc == YB_OK)
        rc = yb_stmt_bind_text(st, 7, r->hash);
    if (rc != YB_OK)
        return yb_err_set(e, rc, "audit",
                          "无法绑定审计记录 (cannot bind the audit row)");
    rc = yb_stmt_step(st, e);
    return rc == YB_DONE ? YB_OK : rc;
}

int yb_audit_append(yb_store *s, int64_t event_id, const char *actor,
                    const char *action, const char *detail, const char *at,
                    struct yb_err *e)
{
    struct audit_row r = {.event_id = event_id,
                          .actor = actor,
                          .action = action,
                          .detail = detail != NULL ? detail : "",
                          .at = at};
    int rc = check_args(s, actor, action, at, e);

    if (rc != YB_OK)
        return rc;
    if (event_id < 0)
        return yb_err_set(e, YB_EINVAL, "audit.event_id",
                          "事件编号 %" PRId64 " 不能为负数 (negative)",
                          event_id);
    if (sodium_init() < 0)
        return yb_err_set(
            e, YB_EINVARIANT, "audit",
            "初始化 libsodium 失败 (libsodium failed to initialise)");
    rc = chain_tail(s, r.prev, e);
    if (rc != YB_OK)
        return rc;
    row_hash(&r);
    return insert_audit(s, &r, e);
}

static int insert_event(yb_store *s, const char *kind, const char *ref,
                        const char *actor, const char *at, int64_t *id,
                        struct yb_err *e)
{
    static const char sql[] = "INSERT INTO event (kind, ref, actor, at) "
                              "VALUES ($1, $2, $3, $4) RETURNING id";
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);

    if (rc != YB_OK)
        return rc;
    if ((rc = yb_stmt_bind_text(st, 1, kind)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 2, ref)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 3, actor)) != YB_OK ||
        (rc = yb_stmt_bind_text(st, 4, at)) != YB_OK)
        return yb_err_set(e, rc, "event",
                          "无法绑定业务事件 (cannot bind the event)");
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        *id = yb_stmt_int(st, 0);
        rc = yb_stmt_step(st, e);
    }
    if (rc == YB_DONE)
        return YB_OK;
    return rc == YB_ROW
               ? yb_err_set(
                     e, YB_ESTORE, "event",
                     "插入返回了多于一行 (insert returned more than one row)")
               : rc;
}

int yb_event_open(yb_store *s, const char *kind, const char *ref,
                  const char *actor, const char *at, int64_t *event_id,
                  struct yb_err *e)
{
    int64_t id = 0;
    int rc = check_args(s, actor, kind, at, e);

    *event_id = 0;
    if (rc != YB_OK)
        return rc;
    rc = insert_event(s, kind, ref, actor, at, &id, e);
    if (rc == YB_OK)
        rc = yb_audit_append(s, id, actor, kind, ref, at, e);
    if (rc == YB_OK)
        *event_id = id;
    return rc;
}

/* ---- verification ------------------------------------------------------ */

static const char *text_or_empty(yb_stmt *st, int col)
{
    const char *v = yb_stmt_text(st, col);

    return v != NULL ? v : "";
}

/* Check one row against the previous row's hash in *prev; on success *prev
 * becomes this row's hash. */
static int verify_row(yb_stmt *st, char *prev, int64_t *first_bad,
                      struct yb_err *e)
{
    int64_t id = yb_stmt_int(st, 0);
    struct audit_row r = {.event_id =
                              yb_stmt_null(st, 1) ? 0 : yb_stmt_int(st, 1),
                          .actor = text_or_empty(st, 2),
                          .action = text_or_empty(st, 3),
                          .detail = text_or_empty(st, 4),
                          .at = text_or_empty(st, 5)};
    const char *stored_prev = text_or_empty(st, 6);
    const char *stored = text_or_empty(st, 7);

    *first_bad = id;
    if (strcmp(stored_prev, prev) != 0)
        return yb_err_set(e, YB_EINVARIANT, "audit",
                          "审计记录 %" PRId64
                          " 的 prev_hash 与上一行的哈希不符 "
                          "(prev_hash does not match the row before)",
                          id);
    memcpy(r.prev, prev, YB_AUDIT_HASH_HEX + 1);
    row_hash(&r);
    if (strcmp(r.hash, stored) != 0)
        return yb_err_set(e, YB_EINVARIANT, "audit",
                          "审计记录 %" PRId64 " 存储的哈希与内容不符 (stored "
                          "hash does not match its contents)",
                          id);
    *first_bad = 0;
    memcpy(prev, r.hash, YB_AUDIT_HASH_HEX + 1);
    return YB_OK;
}

int yb_audit_verify(yb_store *s, int64_t *first_bad, int64_t *rows,
                    struct yb_err *e)
{
    static const char sql[] =
        "SELECT id, event_id, actor, action, detail, at, prev_hash, hash "
        "FROM audit ORDER BY id";
    char prev[YB_AUDIT_HASH_HEX + 1] = GENESIS;
    int64_t n = 0;
    yb_stmt *st;
    int rc;

    *first_bad = 0;
    if (rows != NULL)
        *rows = 0;
    if (sodium_init() < 0)
        return yb_err_set(
            e, YB_EINVARIANT, "audit",
            "初始化 libsodium 失败 (libsodium failed to initialise)");
    rc = yb_store_prepare(s, sql, &st, e);
    if (rc != YB_OK)
        return rc;
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        n++;
        rc = verify_row(st, prev, first_bad, e);
        if (rc != YB_OK)
            break;
    }
    yb_stmt_reset(st);
    if (rows != NULL)
        *rows = n;
    return rc == YB_DONE ? YB_OK : rc;
}
