/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Institution credentials, sign-in sessions and the message log of the
 * hospital interface (include/yibao/hospital.h).
 */
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

struct sign_run {
    const struct yb_signin *in;
    char *sign_no, *sign_time;
};

static int sign_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct sign_run *x = arg;
    const struct yb_signin *in = x->in;
    struct inst_row r;
    char expires[20];
    int64_t ev = 0;
    int rc = inst_of(s, in->fixmedins_code, &r, e);
    if (rc == YB_OK && !r.found)
        return yb_err_set(e, YB_ENOTFOUND, "fixmedins_code",
                          "定点医药机构 %s 不存在 (no such institution)",
                          in->fixmedins_code);
    if (rc == YB_OK)
        rc = check_credential(&r, in, e);
    if (rc == YB_OK)
        rc = later(in->now, YB_SIGN_HOURS, expires, e);
    if (rc != YB_OK)
        return rc;
    unsigned char raw[YB_SIGN_NO_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(x->sign_no, YB_SIGN_NO_LEN + 1, raw, sizeof raw);
    snprintf(x->sign_time, 20, "%s", in->now);
    struct yb_actor who = {.name = in->opter_no, .now = in->now};
    rc = yb__svc_event(s, &who, "hospital.signin", in->fixmedins_code, &ev, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(
            s,
            "INSERT INTO sign_session (sign_no, fixmedins_code, opter_no, "
            "mac, ip, sign_time, expires_at) VALUES ($1, $2, $3, $4, $5, $6, "
            "$7)",
            &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->sign_no);
    yb_stmt_bind_text(st, 2, in->fixmedins_code);
    yb_stmt_bind_text(st, 3, in->opter_no);
    yb_stmt_bind_text(st, 4, in->mac);
    yb_stmt_bind_text(st, 5, in->ip);
    yb_stmt_bind_text(st, 6, in->now);
    yb_stmt_bind_text(st, 7, expires);
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

int yb_sign_check(yb_store *s, const char *code, const char *sign_no,
                  const char *now, struct yb_err *e)
{
    yb_stmt *st;
    if (!sign_no || !*sign_no)
        return yb_err_set(e, YB_EPERM, "sign_no",
                          "未签到：请先调用 9001 签到 (sign in first)");
    int rc = yb_store_prepare(s,
                              "SELECT fixmedins_code, expires_at, "
                              "signed_out_at FROM sign_session WHERE "
                              "sign_no = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, sign_no);
    rc = yb_stmt_step(st, e);
    if (rc == YB_DONE)
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号 %s 不存在 (unknown sign_no)", sign_no);
    else if (rc == YB_ROW && strcmp(yb_stmt_text(st, 0), code) != 0)
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号 %s 不属于机构 %s (another institution's)",
                        sign_no, code);
    else if (rc == YB_ROW && !yb_stmt_null(st, 2))
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号 %s 已于 %s 签退 (signed out)", sign_no,
                        yb_stmt_text(st, 2));
    else if (rc == YB_ROW && strcmp(now, yb_stmt_text(st, 1)) >= 0)
        rc = yb_err_set(e, YB_EPERM, "sign_no",
                        "签到编号 %s 已于 %s 过期，请重新签到 (expired)",
                        sign_no, yb_stmt_text(st, 1));
    else if (rc == YB_ROW)
        rc = YB_OK;
    yb_stmt_reset(st);
    return rc;
}

struct out_run {
    const char *code, *sign_no, *now;
};

static int out_run(yb_store *s, void *arg, struct yb_err *e)
{
    struct out_run *x = arg;
    int64_t ev = 0;
    int rc = yb_sign_check(s, x->code, x->sign_no, x->now, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(s,
                              "UPDATE sign_session SET signed_out_at = $2 "
                              "WHERE sign_no = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, x->sign_no);
    yb_stmt_bind_text(st, 2, x->now);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    if (rc != YB_DONE)
        return rc;
    struct yb_actor who = {.name = x->code, .now = x->now};
    return yb__svc_event(s, &who, "hospital.signout", x->code, &ev, e);
}

int yb_sign_out(yb_store *s, const char *code, const char *sign_no,
                const char *now, struct yb_err *e)
{
    struct out_run x = {code, sign_no, now};
    return yb__svc_in_txn(s, out_run, &x, e);
}

/* ---- message log --------------------------------------------------------
 */

int yb_message_get(yb_store *s, const char *msgid, struct yb_arena *a,
                   struct yb_message *out, bool *found, struct yb_err *e)
{
    yb_stmt *st;
    *found = false;
    memset(out, 0, sizeof *out);
    int rc = yb_store_prepare(s,
                              "SELECT fixmedins_code, infno, request_hash, "
                              "infcode, response, COALESCE(ref, ''), "
                              "COALESCE(reversed_by, '') FROM message WHERE "
                              "msgid = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, msgid);
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

int yb_message_reversed(yb_store *s, const char *msgid, const char *by_msgid,
                        struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(
        s, "UPDATE message SET reversed_by = $2 WHERE msgid = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, msgid);
    yb_stmt_bind_text(st, 2, by_msgid);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}
