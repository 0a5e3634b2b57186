/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Institution credentials, sign-in sessions and the message log of the
 * hospital interface (include/yibao/hospital.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "service_int.h"
#include "yibao/date.h"
#include "yibao/event.h"
#include "yibao/hospital.h"

void yb_hash_hex(const void *p, size_t n, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, p, n, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Bind n texts to parameters from, from + 1, ... (NULL binds NULL). */
static void bind_texts(yb_stmt *st, int from, const char *const *v, int n)
{
    for (int i = 0; i < n; i++)
        yb_stmt_bind_text(st, from + i, v[i]);
}

/* ---- credentials --------------------------------------------------------
 */

struct cred_run {
    const struct yb_actor *who;
    const char *code;
    char *secret;
};

static int cred_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct cred_run *x = arg;
    unsigned char raw[YB_SECRET_HEX / 2];
    char digest[65];
    int64_t ev = 0;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(x->secret, YB_SECRET_HEX + 1, raw, sizeof raw);
    yb_hash_hex(x->secret, YB_SECRET_HEX, digest);
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "UPDATE institution SET credential_hash = $2 "
                              "WHERE fixmedins_code = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->code);
    yb_stmt_bind_text(st, 2, digest);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    if (yb_stmt_changes(st) == 0)
        return yb_err_set(e, YB_ENOTFOUND, "fixmedins_code",
                          "没有定点医药机构 %s (no designated institution)",
                          x->code);
    return yb__svc_event(s, x->who, "institution.credential", x->code, &ev, e);
}

int yb_inst_credential_new(yb_store *s, const struct yb_actor *who,
                           const char *code, char secret[YB_SECRET_HEX + 1],
                           struct yb_err *e)
{
    if (sodium_init() < 0)
        return yb_err_set(e, YB_EINVARIANT, "sodium",
                          "无法初始化 (cannot initialise)");
    struct cred_run x = {who, code ? code : "", secret};
    int rc = yb__svc_in_txn(s, cred_run, &x, e);
    if (rc != YB_OK)
        memset(secret, 0, YB_SECRET_HEX + 1);
    return rc;
}

int yb_institution_known(yb_store *s, const char *code, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s, "SELECT 1 FROM institution WHERE fixmedins_code = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, code);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(e, YB_ENOTFOUND, "fixmedins_code",
                          "定点医药机构 %s 不存在 (no such institution)", code);
    return rc == YB_ROW ? YB_OK : rc;
}

/* ---- sessions -----------------------------------------------------------
 */

/* now + hours, "yyyy-MM-dd HH:mm:ss". */
static int later(const char *now, int hours, char out[20], struct yb_err *e)
{
    yb_date d;
    int32_t secs;
    int rc = yb_datetime_parse(now, false, &d, &secs, "now", e);
    if (rc != YB_OK)
        return rc;
    int64_t t = (int64_t)secs + (int64_t)hours * 3600;
    d += (yb_date)(t / 86400);
    t %= 86400;
    char day[11];
    snprintf(out, 20, "%s %02d:%02d:%02d", yb_date_format(d, day),
             (int)(t / 3600), (int)(t / 60 % 60), (int)(t % 60));
    return YB_OK;
}

struct inst_row {
    bool found;
    char digest[65];
    char from[11], to[11];
};

static int inst_of(yb_store *s, const char *code, struct inst_row *r,
                   struct yb_err *e)
{
    yb_stmt *st;
    memset(r, 0, sizeof *r);
    int rc = yb_store_prepare(s,
                              "SELECT credential_hash, agreement_from, "
                              "agreement_to FROM institution WHERE "
                              "fixmedins_code = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, code);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        const char *v[3] = {yb_stmt_text(st, 0), yb_stmt_text(st, 1),
                            yb_stmt_text(st, 2)};
        r->found = true;
        snprintf(r->digest, sizeof r->digest, "%s", v[0] ? v[0] : "");
        snprintf(r->from, sizeof r->from, "%s", v[1] ? v[1] : "");
        snprintf(r->to, sizeof r->to, "%s", v[2] ? v[2] : "");
    }
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

static int check_credential(const struct inst_row *r,
                            const struct yb_signin *in, struct yb_err *e)
{
    char digest[65];
    const char *secret = in->secret ? in->secret : "";
    if (!r->digest[0])
        return yb_err_set(e, YB_EPERM, "cainfo",
                          "机构 %s 尚未发放接口凭证 (no credential issued)",
                          in->fixmedins_code);
    yb_hash_hex(secret, strlen(secret), digest);
    if (sodium_memcmp(digest, r->digest, 64) != 0)
        return yb_err_set(e, YB_EPERM, "cainfo",
                          "机构 %s 的接口凭证不正确 (wrong credential)",
                          in->fixmedins_code);
    /* the agreement (协议) must be valid on the day */
    char day[11];
    snprintf(day, sizeof day, "%.10s", in->now);
    if ((r->from[0] && strcmp(day, r->from) < 0) ||
        (r->to[0] && strcmp(day, r->to) > 0))
        return yb_err_set(e, YB_EPERM, "fixmedins_code",
                          "机构 %s 的定点协议 %s 至 %s 不含 %s (agreement "
                          "not valid)",
                          in->fixmedins_code, r->from[0] ? r->from : "-",
                          r->to[0] ? r->to : "-", day);
    return YB_OK;
}

/* The sign_no of a session: 15 bytes of BLAKE2b keyed with the
 * institution's credential (the secret the sign-in presented, never
 * stored) over the session's random salt, in hex. The store keeps the
 * salt and the sign_no's own digest: neither gives the sign_no without
 * the secret, and a retried sign-in that presents the secret again gets
 * the same sign_no back (yb_sign_recover). */
static int derive_sign_no(const char *secret, const char *salt_hex,
                          char sign_no[YB_SIGN_NO_LEN + 1], struct yb_err *e)
{
    unsigned char salt[16], raw[YB_SIGN_NO_LEN / 2];
    size_t k = secret ? strlen(secret) : 0, n = 0;
    if (k < crypto_generichash_KEYBYTES_MIN ||
        k > crypto_generichash_KEYBYTES_MAX ||
        sodium_hex2bin(salt, sizeof salt, salt_hex, strlen(salt_hex), NULL, &n,
                       NULL) != 0 ||
        n != sizeof salt)
        return yb_err_set(e, YB_EPERM, "cainfo",
                          "接口凭证不正确 (wrong credential)");
    crypto_generichash(raw, sizeof raw, salt, sizeof salt,
                       (const unsigned char *)secret, k);
    sodium_bin2hex(sign_no, YB_SIGN_NO_LEN + 1, raw, sizeof raw);
    return YB_OK;
}

int yb_credential_check(yb_store *s, const char *code, const char *secret,
                        const char *now, struct yb_err *e)
{
    struct inst_row r;
    int rc = inst_of(s, code, &r, e);
    if (rc == YB_OK && !r.found)
        return yb_err_set(e, YB_ENOTFOUND, "fixmedins_code",
                          "定点医药机构 %s 不存在 (no such institution)", code);
    struct yb_signin in = {
        .fixmedins_code = code, .secret = secret, .now = now};
    return rc == YB_OK ? check_credential(&r, &in, e) : rc;
}

struct sign_run {
    const struct yb_signin *in;
    char *sign_no, *sign_time;
};

static int sign_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct sign_run *x = arg;
    const struct yb_signin *in = x->in;
    char expires[20], salt[33], hash[65];
    unsigned char raw[16];
    int64_t ev = 0;
    int rc = yb_credential_check(s, in->fixmedins_code, in->secret, in->now, e);
    if (rc == YB_OK)
        rc = later(in->now, YB_SIGN_HOURS, expires, e);
    if (rc != YB_OK)
        return rc;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(salt, sizeof salt, raw, sizeof raw);
    rc = derive_sign_no(in->secret, salt, x->sign_no, e);
    if (rc != YB_OK)
        return rc;
    yb_hash_hex(x->sign_no, YB_SIGN_NO_LEN, hash);
    snprintf(x->sign_time, 20, "%s", in->now);
    struct yb_actor who = {.name = in->opter_no, .now = in->now};
    rc = yb__svc_event(s, &who, "hospital.signin", in->fixmedins_code, &ev, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "INSERT INTO sign_session (sign_hash, salt, fixmedins_code, "
            "opter_no, mac, ip, sign_time, expires_at) VALUES ($1, $2, $3, "
            "$4, $5, $6, $7, $8)",
            &st, e);
    if (rc != YB_OK)
        return rc;
    const char *const v[] = {hash,         salt,    in->fixmedins_code,
                             in->opter_no, in->mac, in->ip,
                             in->now,      expires};
    bind_texts(st, 1, v, 8);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

int yb_sign_in(yb_store *s, const struct yb_signin *in,
               char sign_no[YB_SIGN_NO_LEN + 1], char sign_time[20],
               struct yb_err *e)
{
    sign_no[0] = sign_time[0] = '\0';
    if (sodium_init() < 0)
        return yb_err_set(e, YB_EINVARIANT, "sodium",
                          "无法初始化 (cannot initialise)");
    if (!in->fixmedins_code || !*in->fixmedins_code)
        return yb_err_set(e, YB_EINVAL, "fixmedins_code", "不能为空 (empty)");
    if (!in->opter_no || !*in->opter_no)
        return yb_err_set(e, YB_EINVAL, "opter_no", "不能为空 (empty)");
    struct sign_run x = {in, sign_no, sign_time};
    int rc = yb__svc_in_txn(s, sign_run, &x, e);
    if (rc != YB_OK)
        sign_no[0] = sign_time[0] = '\0';
    return rc;
}

/* The session whose sign_no has digest `hash`: it must belong to `code`
 * and not have expired on `now`; signed out is refused unless
 * `signed_out_ok`. The messages never repeat the sign_no (they reach the
 * call log). */
static int session_check(yb_store *s, const char *code, const char *hash,
                         const char *now, bool signed_out_ok, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "SELECT fixmedins_code, expires_at, "
                              "signed_out_at FROM sign_session WHERE "
                              "sign_hash = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, hash);
    rc = yb_stmt_step(st, e);
    if (rc == YB_DONE)
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号不存在，请先调用 9001 签到 (unknown "
                        "sign_no)");
    else if (rc == YB_ROW && strcmp(yb_stmt_text(st, 0), code) != 0)
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号不属于机构 %s (another institution's)", code);
    else if (rc == YB_ROW && !signed_out_ok && !yb_stmt_null(st, 2))
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号已于 %s 签退 (signed out)",
                        yb_stmt_text(st, 2));
    else if (rc == YB_ROW && strcmp(now, yb_stmt_text(st, 1)) >= 0)
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号已于 %s 过期，请重新签到 (expired)",
                        yb_stmt_text(st, 1));
    else if (rc == YB_ROW)
        rc = YB_OK;
    yb_stmt_reset(st);
    return rc;
}

static int sign_check(yb_store *s, const char *code, const char *sign_no,
                      const char *now, bool signed_out_ok, struct yb_err *e)
{
    char hash[65];
    if (!sign_no || !*sign_no)
        return yb_err_set(e, YB_EPERM, "sign_no",
                          "未签到：请先调用 9001 签到 (sign in first)");
    yb_hash_hex(sign_no, strlen(sign_no), hash);
    return session_check(s, code, hash, now, signed_out_ok, e);
}

int yb_sign_check(yb_store *s, const char *code, const char *sign_no,
                  const char *now, struct yb_err *e)
{
    return sign_check(s, code, sign_no, now, false, e);
}

int yb_sign_known(yb_store *s, const char *code, const char *sign_no,
                  const char *now, struct yb_err *e)
{
    return sign_check(s, code, sign_no, now, true, e);
}

int yb_sign_recover(yb_store *s, const char *code, const char *secret,
                    const char *sign_hash, char sign_no[YB_SIGN_NO_LEN + 1],
                    struct yb_err *e)
{
    yb_stmt *st;
    char salt[40] = "", hash[65];
    sign_no[0] = '\0';
    int rc = yb_store_prepare(s,
                              "SELECT salt FROM sign_session WHERE sign_hash "
                              "= $1 AND fixmedins_code = $2",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, sign_hash);
    yb_stmt_bind_text(st, 2, code);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        snprintf(salt, sizeof salt, "%s", yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(e, YB_ENOTFOUND, "msgid",
                          "该报文ID的签到会话已不存在，请用新的报文ID签到 "
                          "(session gone)");
    if (rc != YB_ROW)
        return rc;
    rc = derive_sign_no(secret, salt, sign_no, e);
    if (rc == YB_OK) {
        yb_hash_hex(sign_no, YB_SIGN_NO_LEN, hash);
        if (sodium_memcmp(hash, sign_hash, 64) != 0)
            rc = yb_err_set(e, YB_EPERM, "cainfo",
                            "接口凭证与签到时不同 (credential changed)");
    }
    if (rc != YB_OK)
        sodium_memzero(sign_no, YB_SIGN_NO_LEN + 1);
    return rc;
}

struct out_run {
    const char *code, *hash, *now;
};

static int out_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct out_run *x = arg;
    int64_t ev = 0;
    int rc = session_check(s, x->code, x->hash, x->now, false, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(s,
                              "UPDATE sign_session SET signed_out_at = $2 "
                              "WHERE sign_hash = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->hash);
    yb_stmt_bind_text(st, 2, x->now);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    struct yb_actor who = {.name = x->code, .now = x->now};
    return yb__svc_event(s, &who, "hospital.signout", x->code, &ev, e);
}

int yb_sign_out_session(yb_store *s, const char *code, const char *sign_hash,
                        const char *now, struct yb_err *e)
{
    struct out_run x = {code, sign_hash ? sign_hash : "", now};
    return yb__svc_in_txn(s, out_run, &x, e);
}

int yb_sign_out(yb_store *s, const char *code, const char *sign_no,
                const char *now, struct yb_err *e)
{
    char hash[65];
    if (!sign_no || !*sign_no)
        return yb_err_set(e, YB_EPERM, "sign_no",
                          "未签到：请先调用 9001 签到 (sign in first)");
    yb_hash_hex(sign_no, strlen(sign_no), hash);
    return yb_sign_out_session(s, code, hash, now, e);
}

/* ---- message log --------------------------------------------------------
 */

int yb_message_get(yb_store *s, const char *code, const char *msgid,
                   struct yb_arena *a, struct yb_message *out, bool *found,
                   struct yb_err *e)
{
    yb_stmt *st;
    *found = false;
    memset(out, 0, sizeof *out);
    int rc = yb_store_prepare(s,
                              "SELECT fixmedins_code, infno, request_hash, "
                              "infcode, response, COALESCE(ref, ''), "
                              "COALESCE(reversed_by, '') FROM message WHERE "
                              "fixmedins_code = $1 AND msgid = $2",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, code);
    yb_stmt_bind_text(st, 2, msgid);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        *found = true;
        snprintf(out->fixmedins_code, sizeof out->fixmedins_code, "%s",
                 yb_stmt_text(st, 0));
        snprintf(out->infno, sizeof out->infno, "%s", yb_stmt_text(st, 1));
        snprintf(out->request_hash, sizeof out->request_hash, "%s",
                 yb_stmt_text(st, 2));
        out->infcode = (int)yb_stmt_int(st, 3);
        out->response = yb_arena_strdup(a, yb_stmt_text(st, 4));
        snprintf(out->ref, sizeof out->ref, "%s", yb_stmt_text(st, 5));
        snprintf(out->reversed_by, sizeof out->reversed_by, "%s",
                 yb_stmt_text(st, 6));
        if (!out->response)
            rc =
                yb_err_set(e, YB_ENOMEM, "message", "内存不足 (out of memory)");
    }
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

int yb_message_put(yb_store *s, const char *msgid, const struct yb_message *m,
                   const char *at, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "INSERT INTO message (msgid, fixmedins_code, infno, request_hash, "
        "infcode, response, at, ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, msgid);
    yb_stmt_bind_text(st, 2, m->fixmedins_code);
    yb_stmt_bind_text(st, 3, m->infno);
    yb_stmt_bind_text(st, 4, m->request_hash);
    yb_stmt_bind_int(st, 5, m->infcode);
    yb_stmt_bind_text(st, 6, m->response);
    yb_stmt_bind_text(st, 7, at);
    yb_stmt_bind_text(st, 8, m->ref[0] ? m->ref : NULL);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    if (rc == YB_ECONSTRAINT || rc == YB_EDUPLICATE)
        return yb_err_set(e, YB_EDUPLICATE, "msgid",
                          "报文ID %s 已使用 (msgid used already)", msgid);
    return rc == YB_DONE ? YB_OK : rc;
}

int yb_message_reversed(yb_store *s, const char *code, const char *msgid,
                        const char *by_msgid, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "UPDATE message SET reversed_by = $3 WHERE "
                              "fixmedins_code = $1 AND msgid = $2",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, code);
    yb_stmt_bind_text(st, 2, msgid);
    yb_stmt_bind_text(st, 3, by_msgid);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* ---- the lookup audit ---------------------------------------------------
 */

struct audit_put {
    const struct yb_lookup_rec *r;
    size_t n;
};

/* The records go in AUDIT_ROWS at a time, one INSERT of that many rows (a
 * statement a row cost a sixth more: 3.8 against 3.3 us), the rest one by
 * one. The SQL of
 * the many-row INSERT is made once; the store keeps statements by the
 * address of their text, which stays. */
#define AUDIT_ROWS 16
#define AUDIT_COLS 11
#define AUDIT_INSERT                                                           \
    "INSERT INTO lookup_audit (at, fixmedins_code, opter, opter_name, infno, " \
    "msgid, psn_no, cert_type, cert_no, infcode, err_code) VALUES "

static char audit_many[sizeof AUDIT_INSERT + AUDIT_ROWS * AUDIT_COLS * 6];
static pthread_once_t audit_many_once = PTHREAD_ONCE_INIT;

static void make_audit_many(void)
{
    size_t k =
        (size_t)snprintf(audit_many, sizeof audit_many, "%s", AUDIT_INSERT);
    for (int r = 0; r < AUDIT_ROWS; r++)
        for (int c = 0; c < AUDIT_COLS; c++)
            k += (size_t)snprintf(
                audit_many + k, sizeof audit_many - k, "%s$%d%s",
                c   ? ", "
                : r ? ", ("
                    : "(",
                r * AUDIT_COLS + c + 1, c == AUDIT_COLS - 1 ? ")" : "");
}

/* Bind record r as the row whose first parameter is `from`. */
static void bind_rec(yb_stmt *st, int from, const struct yb_lookup_rec *r)
{
    const char *const v[] = {r->at,
                             r->fixmedins_code,
                             r->opter,
                             r->opter_name,
                             r->infno,
                             r->msgid,
                             r->psn_no && *r->psn_no ? r->psn_no : NULL,
                             r->cert_type ? r->cert_type : "",
                             r->cert_no ? r->cert_no : ""};
    bind_texts(st, from, v, 9);
    yb_stmt_bind_int(st, from + 9, r->infcode);
    yb_stmt_bind_int(st, from + 10, r->err_code);
}

static int audit_put(yb_store *s, void *arg, struct yb_err *e)
{
    struct audit_put *x = arg;
    yb_stmt *st;
    size_t i = 0;
    int rc = YB_OK;
    pthread_once(&audit_many_once, make_audit_many);
    while (rc == YB_OK && i < x->n) {
        int rows = x->n - i >= AUDIT_ROWS ? AUDIT_ROWS : 1;
        rc = yb_store_prepare(
            s,
            rows > 1 ? audit_many
                     : AUDIT_INSERT
                "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &st, e);
        for (int k = 0; rc == YB_OK && k < rows; k++)
            bind_rec(st, k * AUDIT_COLS + 1, &x->r[i + (size_t)k]);
        if (rc == YB_OK) {
            rc = yb_stmt_step(st, e);
            yb_stmt_reset(st);
            rc = rc == YB_DONE ? YB_OK : rc;
        }
        i += (size_t)rows;
    }
    return rc;
}

int yb_lookup_audit_put(yb_store *s, const struct yb_lookup_rec *r, size_t n,
                        struct yb_err *e)
{
    struct audit_put x = {r, n};
    return n ? yb__svc_in_txn(s, audit_put, &x, e) : YB_OK;
}

int yb_lookup_audit_list(yb_store *s, const struct yb_lookup_filter *f,
                         void (*fn)(const struct yb_lookup_rec *, void *),
                         void *ud, size_t *n, struct yb_err *e)
{
    yb_stmt *st;
    char to[32];
    *n = 0;
    int rc = yb_store_prepare(
        s,
        "SELECT at, fixmedins_code, opter, opter_name, infno, msgid, "
        "COALESCE(psn_no, ''), cert_type, cert_no, infcode, err_code FROM "
        "lookup_audit WHERE ($1 = '' OR fixmedins_code = $1) AND ($2 = '' OR "
        "psn_no = $2) AND ($3 = '' OR at >= $3) AND ($4 = '' OR at <= $4) "
        "ORDER BY id",
        &st, e);
    if (rc != YB_OK)
        return rc;
    /* a day's last second and beyond: "yyyy-MM-dd ~" sorts after them */
    snprintf(to, sizeof to, "%.10s%s", f && f->to ? f->to : "",
             f && f->to && *f->to ? " ~" : "");
    yb_stmt_bind_text(st, 1, f && f->fixmedins_code ? f->fixmedins_code : "");
    yb_stmt_bind_text(st, 2, f && f->psn_no ? f->psn_no : "");
    yb_stmt_bind_text(st, 3, f && f->from ? f->from : "");
    yb_stmt_bind_text(st, 4, to);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        struct yb_lookup_rec r = {.at = yb_stmt_text(st, 0),
                                  .fixmedins_code = yb_stmt_text(st, 1),
                                  .opter = yb_stmt_text(st, 2),
                                  .opter_name = yb_stmt_text(st, 3),
                                  .infno = yb_stmt_text(st, 4),
                                  .msgid = yb_stmt_text(st, 5),
                                  .psn_no = yb_stmt_text(st, 6),
                                  .cert_type = yb_stmt_text(st, 7),
                                  .cert_no = yb_stmt_text(st, 8),
                                  .infcode = (int)yb_stmt_int(st, 9),
                                  .err_code = (int)yb_stmt_int(st, 10)};
        fn(&r, ud);
        (*n)++;
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}
