/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the hospital interface's store side (hospital.h:
 * credentials, sign-in sessions, the message log) and of its dispatcher
 * (hosp.h) called directly, without HTTP: a credential is stored only as
 * its digest; a sign-in needs it and a valid agreement, gives a session
 * that expires after 24 hours to the second and ends at 9002; another
 * institution's sign_no is refused; a msgid is stored once; the dispatcher
 * answers a retried msgid from the log and refuses a reused one, refuses
 * every envelope error with a stable code naming the field and writes
 * nothing when it refuses; and the log masks ID numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "../../src/api/hosp_int.h"
#include "store_fixture.h"
#include "yibao/hosp.h"
#include "yibao/hospital.h"
#include "yibao/server.h"

#define INST "H53010200001"
#define T0 "2026-11-22 10:00:00"

static const struct yb_actor CLERK = {.name = "clerk", .now = T0};

static struct fx_db *open_db(void **state, char secret[YB_SECRET_HEX + 1])
{
    struct fx_db *d = *state;
    struct yb_err e = {0};
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(
        yb_store_exec(d->s,
                      "INSERT INTO institution (fixmedins_code, name, "
                      "hosp_lv, admdvs, agreement_from, agreement_to) VALUES "
                      "('" INST "', '甲医院', '3', '530102', '2020-01-01', "
                      "'2026-12-31'), ('H53010200002', '乙医院', '2', "
                      "'530102', '2020-01-01', NULL)",
                      &e),
        YB_OK);
    assert_int_equal(yb_inst_credential_new(d->s, &CLERK, INST, secret, &e),
                     YB_OK);
    return d;
}

static int sign_in(yb_store *s, const char *secret, const char *now,
                   char sign_no[YB_SIGN_NO_LEN + 1], struct yb_err *e)
{
    char t[20];
    struct yb_signin in = {.fixmedins_code = INST,
                           .secret = secret,
                           .opter_no = "001",
                           .mac = "00-11",
                           .ip = "10.0.0.1",
                           .now = now};
    return yb_sign_in(s, &in, sign_no, t, e);
}

static void test_credential_is_kept_as_a_digest(void **state)
{
    char secret[YB_SECRET_HEX + 1], digest[65], stored[80];
    struct fx_db *d = open_db(state, secret);
    assert_int_equal(strlen(secret), 64);
    assert_int_equal(strspn(secret, "0123456789abcdef"), 64);
    yb_hash_hex(secret, 64, digest);
    fx_text(d->s,
            "SELECT credential_hash FROM institution WHERE fixmedins_code = "
            "'" INST "'",
            stored, sizeof stored);
    assert_string_equal(stored, digest);
    assert_int_equal(fx_int(d->s,
                            "SELECT count(*) FROM event WHERE kind = "
                            "'institution.credential' AND ref = '" INST "'"),
                     1);
    /* an unknown institution gets none, and nothing is written */
    struct yb_err e = {0};
    char other[YB_SECRET_HEX + 1];
    assert_int_equal(
        yb_inst_credential_new(d->s, &CLERK, "H53019999999", other, &e),
        YB_ENOTFOUND);
    assert_string_equal(e.field, "fixmedins_code");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 1);
}

static void test_sign_in_needs_the_credential_and_the_agreement(void **state)
{
    char secret[YB_SECRET_HEX + 1], sign_no[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_err e = {0};
    assert_int_equal(sign_in(d->s, "0123", T0, sign_no, &e), YB_EPERM);
    assert_string_equal(e.field, "cainfo");
    assert_string_equal(sign_no, "");
    assert_int_equal(sign_in(d->s, NULL, T0, sign_no, &e), YB_EPERM);
    /* the agreement ends on 2026-12-31 */
    assert_int_equal(sign_in(d->s, secret, "2027-01-01 08:00:00", sign_no, &e),
                     YB_EPERM);
    assert_string_equal(e.field, "fixmedins_code");
    assert_string_equal(e.msg, "机构 " INST " 的定点协议 2020-01-01 至 "
                               "2026-12-31 不含 2027-01-01 (agreement not "
                               "valid)");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session"), 0);
    /* an institution without a credential */
    struct yb_signin in = {.fixmedins_code = "H53010200002",
                           .secret = secret,
                           .opter_no = "1",
                           .now = T0};
    char t[20];
    assert_int_equal(yb_sign_in(d->s, &in, sign_no, t, &e), YB_EPERM);
    assert_string_equal(e.msg, "机构 H53010200002 尚未发放接口凭证 (no "
                               "credential issued)");
    assert_int_equal(sign_in(d->s, secret, T0, sign_no, &e), YB_OK);
    assert_int_equal(strlen(sign_no), 30);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session WHERE "
                                  "expires_at = '2026-11-23 10:00:00'"),
                     1);
}

static void test_a_session_expires_and_ends_at_sign_out(void **state)
{
    char secret[YB_SECRET_HEX + 1], sign_no[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_err e = {0};
    assert_int_equal(sign_in(d->s, secret, "2026-11-22 23:30:15", sign_no, &e),
                     YB_OK);
    assert_int_equal(
        yb_sign_check(d->s, INST, sign_no, "2026-11-23 23:30:14", &e), YB_OK);
    assert_int_equal(
        yb_sign_check(d->s, INST, sign_no, "2026-11-23 23:30:15", &e),
        YB_EPERM);
    assert_string_equal(e.msg,
                        "签到编号已于 2026-11-23 23:30:15 过期，请重新签到 "
                        "(expired)");
    assert_int_equal(
        yb_sign_check(d->s, "H53010200002", sign_no, "2026-11-23 00:00:00", &e),
        YB_EPERM);
    assert_string_equal(e.msg, "签到编号不属于机构 H53010200002 (another "
                               "institution's)");
    assert_int_equal(yb_sign_check(d->s, INST, "nope", T0, &e), YB_EPERM);
    assert_int_equal(yb_sign_check(d->s, INST, "", T0, &e), YB_EPERM);
    assert_int_equal(
        yb_sign_out(d->s, INST, sign_no, "2026-11-23 08:00:00", &e), YB_OK);
    assert_int_equal(
        yb_sign_check(d->s, INST, sign_no, "2026-11-23 08:00:01", &e),
        YB_EPERM);
    assert_string_equal(e.msg, "签到编号已于 2026-11-23 08:00:00 签退 "
                               "(signed out)");
    /* a session signed out is still known (a retried 9002 shows it) */
    assert_int_equal(
        yb_sign_known(d->s, INST, sign_no, "2026-11-23 08:00:01", &e), YB_OK);
    /* sign-in and sign-out are audited events */
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE kind IN "
                                  "('hospital.signin', 'hospital.signout')"),
                     2);
}

static void test_a_msgid_is_stored_once_per_institution(void **state)
{
    char secret[YB_SECRET_HEX + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_err e = {0};
    struct yb_message m = {.fixmedins_code = INST,
                           .infno = "9001",
                           .request_hash = "ab",
                           .infcode = 0,
                           .response = "{\"infcode\":0}"};
    assert_int_equal(yb_message_put(d->s, "M1", &m, T0, &e), YB_OK);
    assert_int_equal(yb_message_put(d->s, "M1", &m, T0, &e), YB_EDUPLICATE);
    assert_string_equal(e.field, "msgid");
    /* the same msgid of another institution is another message */
    struct yb_message other = m;
    snprintf(other.fixmedins_code, sizeof other.fixmedins_code, "H53010200002");
    other.response = "{\"infcode\":1}";
    assert_int_equal(yb_message_put(d->s, "M1", &other, T0, &e), YB_OK);
    struct yb_arena a;
    yb_arena_init(&a, 0);
    struct yb_message got;
    bool found = false;
    assert_int_equal(yb_message_get(d->s, INST, "M1", &a, &got, &found, &e),
                     YB_OK);
    assert_true(found);
    assert_string_equal(got.response, "{\"infcode\":0}");
    assert_string_equal(got.infno, "9001");
    assert_int_equal(
        yb_message_get(d->s, "H53010200002", "M1", &a, &got, &found, &e),
        YB_OK);
    assert_true(found);
    assert_string_equal(got.response, "{\"infcode\":1}");
    assert_int_equal(yb_message_get(d->s, INST, "M2", &a, &got, &found, &e),
                     YB_OK);
    assert_false(found);
    assert_int_equal(
        yb_message_get(d->s, "H53010200003", "M1", &a, &got, &found, &e),
        YB_OK);
    assert_false(found);
    yb_arena_free(&a);
}

/* ---- the dispatcher ------------------------------------------------------ */

static char *envelope(const char *infno, const char *msgid, const char *sign,
                      const char *cainfo, const char *input)
{
    char *b = malloc(2048);
    assert_non_null(b);
    snprintf(b, 2048,
             "{\"infno\":\"%s\",\"msgid\":\"%s\",\"mdtrtarea_admvs\":"
             "\"530102\",\"insuplc_admdvs\":\"\",\"recer_sys_code\":\"YBXT\","
             "\"dev_no\":\"\",\"dev_safe_info\":\"\",\"cainfo\":\"%s\","
             "\"signtype\":\"\",\"infver\":\"V1.0\",\"opter_type\":\"1\","
             "\"opter\":\"001\",\"opter_name\":\"张三\",\"inf_time\":"
             "\"" T0 "\",\"fixmedins_code\":\"" INST "\",\"fixmedins_name\":"
             "\"甲医院\",\"sign_no\":\"%s\",\"input\":%s}",
             infno, msgid, cainfo, sign, input);
    return b;
}

static cJSON *call(struct yb_hosp *h, const char *body, const char *now)
{
    char *out = yb_hosp_call(h, body, strlen(body), now, 123);
    assert_non_null(out);
    cJSON *j = cJSON_Parse(out);
    free(out);
    assert_non_null(j);
    return j;
}

static const char *err_msg(const cJSON *j)
{
    return cJSON_GetObjectItem(j, "err_msg")->valuestring;
}

static void test_dispatcher_signs_in_and_replays_a_msgid(void **state)
{
    char secret[YB_SECRET_HEX + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_hosp *h = NULL;
    struct yb_err e = {0};
    struct yb_hosp_opts o = {.admdvs = "530100"};
    assert_int_equal(yb_hosp_new(d->s, &o, &h, &e), YB_OK);
    const char *msgid = INST "202611221000000001";
    char *body = envelope("9001", msgid, "", secret,
                          "{\"signIn\":{\"opter_no\":\"001\"}}");
    char *first = yb_hosp_call(h, body, strlen(body), T0, 7);
    char *again = yb_hosp_call(h, body, strlen(body), "2026-11-22 10:00:05", 9);
    assert_string_equal(first, again); /* the stored answer */
    cJSON *j = cJSON_Parse(first);
    assert_int_equal(cJSON_GetObjectItem(j, "infcode")->valueint, 0);
    assert_string_equal(cJSON_GetObjectItem(j, "inf_refmsgid")->valuestring,
                        "530100202611221000000000000001");
    assert_string_equal(cJSON_GetObjectItem(j, "respond_time")->valuestring,
                        "20261122100000007");
    cJSON_Delete(j);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session"), 1);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM message"), 1);
    free(first);
    free(again);
    free(body);
    /* the same msgid for another request */
    body = envelope("9001", msgid, "", secret,
                    "{\"signIn\":{\"opter_no\":\"002\"}}");
    j = call(h, body, T0);
    assert_string_equal(err_msg(j), "[YB0010] msgid: 报文ID " INST
                                    "202611221000000001 已用于另一笔交易 "
                                    "9001 (msgid reused for another request)");
    cJSON_Delete(j);
    free(body);
    yb_hosp_free(h);
}

static void
test_dispatcher_refuses_envelope_errors_writing_nothing(void **state)
{
    char secret[YB_SECRET_HEX + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_hosp *h = NULL;
    struct yb_err e = {0};
    assert_int_equal(yb_hosp_new(d->s, NULL, &h, &e), YB_OK);
    int64_t events = fx_int(d->s, "SELECT count(*) FROM event");
    const char *ok_id = INST "202611221000000002";
    struct {
        const char *body, *err;
    } bad[] = {
        {"", "[YB0004] 空文档：没有 JSON 内容 (empty document"},
        {"[1]", "[YB0002] envelope: 报文应为 JSON 对象 (not an object)"},
        {"{\"infno\":\"9001\"}", "[YB0002] msgid: 必填 (required)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cJSON *j = call(h, bad[i].body, T0);
        assert_int_equal(cJSON_GetObjectItem(j, "infcode")->valueint, -1);
        if (strncmp(err_msg(j), bad[i].err, strlen(bad[i].err)) != 0)
            fail_msg("body %zu: got \"%s\"", i, err_msg(j));
        cJSON_Delete(j);
    }
    char *b = envelope("9001", "short", "", secret, "{}");
    cJSON *j = call(h, b, T0);
    assert_string_equal(err_msg(j), "[YB0002] msgid: 应为30位（机构编码12位+"
                                    "时间14位+流水号4位），实际为 5 位 "
                                    "\"short\" (30 characters)");
    cJSON_Delete(j);
    free(b);
    b = envelope("1101", ok_id, "", "",
                 "{\"data\":{\"mdtrt_cert_type\":\"02\"}}");
    j = call(h, b, T0);
    assert_string_equal(err_msg(j), "[YB0015] sign_no: 未签到：请先调用 9001 "
                                    "签到 (sign in first)");
    cJSON_Delete(j);
    free(b);
    b = envelope("2999", ok_id, "", "", "{}");
    j = call(h, b, T0);
    assert_string_equal(err_msg(j), "[YB0002] infno: 不支持的交易编号 2999 "
                                    "(unknown transaction)");
    cJSON_Delete(j);
    free(b);
    /* a refused sign-in writes nothing, not even its message */
    b = envelope("9001", ok_id, "", "bad", "{\"signIn\":{\"opter_no\":\"1\"}}");
    j = call(h, b, T0);
    assert_int_equal(cJSON_GetObjectItem(j, "infcode")->valueint, -1);
    cJSON_Delete(j);
    free(b);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM message"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), events);
    yb_hosp_free(h);
}

static char *answer_parsed(struct yb_hosp *h, const char *body)
{
    struct yb_hosp_req *q = yb_hosp_parse(body, strlen(body));
    assert_non_null(q);
    char *out = yb_hosp_answer(h, q, T0, 5);
    yb_hosp_req_free(q);
    assert_non_null(out);
    return out;
}

static int infcode(const char *answer)
{
    cJSON *j = cJSON_Parse(answer);
    assert_non_null(j);
    int c = cJSON_GetObjectItem(j, "infcode")->valueint;
    cJSON_Delete(j);
    return c;
}

/* Group commit: in a batch, a refused call rolls back to its savepoint
 * and leaves the others; a retried msgid in the same batch gets the
 * answer of the first; commit stores all that succeeded; a rolled-back
 * batch stores nothing. Whether a request writes is known once parsed. */
static void test_a_batch_keeps_its_good_calls_and_drops_the_bad(void **state)
{
    char secret[YB_SECRET_HEX + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_hosp *h = NULL;
    struct yb_err e = {0};
    assert_int_equal(yb_hosp_new(d->s, NULL, &h, &e), YB_OK);
    char *in1 = envelope("9001", INST "202611221000000011", "", secret,
                         "{\"signIn\":{\"opter_no\":\"001\"}}");
    char *bad = envelope("9001", INST "202611221000000012", "", "wrong",
                         "{\"signIn\":{\"opter_no\":\"002\"}}");
    char *in3 = envelope("9001", INST "202611221000000013", "", secret,
                         "{\"signIn\":{\"opter_no\":\"003\"}}");
    char *read = envelope("1101", INST "202611221000000014", "", "", "{}");
    struct yb_hosp_req *q = yb_hosp_parse(in1, strlen(in1));
    assert_true(yb_hosp_req_writes(q));
    yb_hosp_req_free(q);
    q = yb_hosp_parse(read, strlen(read));
    assert_false(yb_hosp_req_writes(q));
    yb_hosp_req_free(q);
    q = yb_hosp_parse("{", 1);
    assert_false(yb_hosp_req_writes(q));
    yb_hosp_req_free(q);

    assert_int_equal(yb_hosp_batch_begin(h, &e), YB_OK);
    assert_int_equal(yb_hosp_batch_begin(h, &e), YB_EINVAL);
    char *a1 = answer_parsed(h, in1);
    char *a2 = answer_parsed(h, bad);
    char *a3 = answer_parsed(h, in3);
    char *again = answer_parsed(h, in1);
    assert_int_equal(infcode(a1), 0);
    assert_int_equal(infcode(a2), -1);
    assert_int_equal(infcode(a3), 0);
    assert_string_equal(again, a1);
    assert_int_equal(yb_hosp_batch_commit(h, &e), YB_OK);
    assert_int_equal(yb_hosp_batch_commit(h, &e), YB_EINVAL);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session"), 2);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM message"), 2);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session WHERE "
                                  "opter_no = '002'"),
                     0);
    free(a1), free(a2), free(a3), free(again);

    /* a batch rolled back leaves nothing */
    char *in5 = envelope("9001", INST "202611221000000015", "", secret,
                         "{\"signIn\":{\"opter_no\":\"005\"}}");
    assert_int_equal(yb_hosp_batch_begin(h, &e), YB_OK);
    char *a5 = answer_parsed(h, in5);
    assert_int_equal(infcode(a5), 0);
    yb_hosp_batch_rollback(h);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session"), 2);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM message"), 2);
    /* its refusal envelope, for a batch that failed */
    yb_err_set(&e, YB_ESTORE, "store", "commit failed");
    char *r = yb_hosp_refusal(h, T0, 5, &e);
    cJSON *j = cJSON_Parse(r);
    assert_string_equal(err_msg(j), "[YB0013] store: commit failed");
    cJSON_Delete(j);
    free(r), free(a5), free(in5);
    free(in1), free(bad), free(in3), free(read);
    yb_hosp_free(h);
}

/* ---- the order of checks, the msgid, the sign_no --------------------------
 */

/* A dispatcher on the fixture's store, with the guard g (may be NULL). */
static struct yb_hosp *new_hosp(struct fx_db *d, struct yb_hosp_guard *g)
{
    struct yb_hosp *h = NULL;
    struct yb_err e = {0};
    struct yb_hosp_opts o = {.guard = g};
    assert_int_equal(yb_hosp_new(d->s, &o, &h, &e), YB_OK);
    return h;
}

/* An envelope of institution `inst` (its msgid and fixmedins_code). */
static char *envelope_of(const char *inst, const char *infno, const char *msgid,
                         const char *sign, const char *cainfo,
                         const char *input)
{
    char *b = malloc(2048);
    assert_non_null(b);
    snprintf(b, 2048,
             "{\"infno\":\"%s\",\"msgid\":\"%s\",\"mdtrtarea_admvs\":"
             "\"530102\",\"insuplc_admdvs\":\"\",\"recer_sys_code\":\"YBXT\","
             "\"dev_no\":\"\",\"dev_safe_info\":\"\",\"cainfo\":\"%s\","
             "\"signtype\":\"\",\"infver\":\"V1.0\",\"opter_type\":\"1\","
             "\"opter\":\"001\",\"opter_name\":\"张三\",\"inf_time\":"
             "\"" T0 "\",\"fixmedins_code\":\"%s\",\"fixmedins_name\":"
             "\"甲医院\",\"sign_no\":\"%s\",\"input\":%s}",
             infno, msgid, cainfo, inst, sign, input);
    return b;
}

/* The err_msg of the answer to body (infcode -1 asserted). */
static void expect_refusal(struct yb_hosp *h, const char *body,
                           const char *want)
{
    cJSON *j = call(h, body, T0);
    assert_int_equal(cJSON_GetObjectItem(j, "infcode")->valueint, -1);
    if (strcmp(err_msg(j), want) != 0)
        fail_msg("got  \"%s\"\nwant \"%s\"", err_msg(j), want);
    cJSON_Delete(j);
}

/* A sign-in through the dispatcher: its sign_no into out. */
static void sign_in_call(struct yb_hosp *h, const char *inst, const char *msgid,
                         const char *secret, char out[YB_SIGN_NO_LEN + 1])
{
    char *b = envelope_of(inst, "9001", msgid, "", secret,
                          "{\"signIn\":{\"opter_no\":\"001\"}}");
    cJSON *j = call(h, b, T0);
    free(b);
    cJSON *o =
        cJSON_GetObjectItem(cJSON_GetObjectItem(j, "output"), "signinoutb");
    assert_non_null(o);
    snprintf(out, YB_SIGN_NO_LEN + 1, "%s",
             cJSON_GetObjectItem(o, "sign_no")->valuestring);
    cJSON_Delete(j);
}

/* msgid is the sender's 12-character code, a valid time yyyyMMddHHmmss and
 * a 4-digit serial: 30 spaces, another institution's code, a 13th month,
 * a 25th hour, a 30th of February and a serial with a letter are refused,
 * naming msgid, and nothing is written. */
static void test_the_msgid_form_is_checked(void **state)
{
    char secret[YB_SECRET_HEX + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_hosp *h = new_hosp(d, NULL);
    const char *in = "{\"signIn\":{\"opter_no\":\"001\"}}";
    struct {
        const char *msgid, *want;
    } bad[] = {
        {"                              ",
         "[YB0002] msgid: 报文ID \"                              \" "
         "的前12位应为发送机构编码 " INST " (msgid must begin with the "
         "sender's fixmedins_code)"},
        {"H53010200002202611221000000001",
         "[YB0002] msgid: 报文ID \"H53010200002202611221000000001\" "
         "的前12位应为发送机构编码 " INST " (msgid must begin with the "
         "sender's fixmedins_code)"},
        {INST "202613221000000001", "[YB0002] msgid: 报文ID \"" INST
                                    "202613221000000001\" 的第13至26位应为"
                                    "时间 yyyyMMddHHmmss (not a valid time)"},
        {INST "202611222500000001", "[YB0002] msgid: 报文ID \"" INST
                                    "202611222500000001\" 的第13至26位应为"
                                    "时间 yyyyMMddHHmmss (not a valid time)"},
        {INST "202602301000000001", "[YB0002] msgid: 报文ID \"" INST
                                    "202602301000000001\" 的第13至26位应为"
                                    "时间 yyyyMMddHHmmss (not a valid time)"},
        {INST "20261122100000001",
         "[YB0002] msgid: 应为30位（机构编码12位+时间14位+流水号4位），实际为 "
         "29 位 \"" INST "20261122100000001\" (30 characters)"},
        {INST "20261122100000000A",
         "[YB0002] msgid: 报文ID \"" INST "20261122100000000A\" 的末4位应为数字"
         "流水号 (serial of 4 digits)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *b = envelope("9001", bad[i].msgid, "", secret, in);
        expect_refusal(h, b, bad[i].want);
        free(b);
    }
    /* the institution code itself has 12 characters */
    char *b = envelope_of("H530102", "9001", "H530102" INST "20261122100", "",
                          secret, in);
    expect_refusal(h, b,
                   "[YB0002] fixmedins_code: 应为12位定点医药机构编码，实际为 "
                   "7 位 \"H530102\" (12 characters)");
    free(b);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM message"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM sign_session"), 0);
    yb_hosp_free(h);
}

/* A caller that is not signed in learns nothing about a msgid: with a
 * msgid of a stored 9001 and another body, a wrong credential is told its
 * credential is wrong (not that the msgid was used), and the same body
 * with a wrong credential gets no stored answer; a msgid of a stored 9002
 * sent without a sign_no, or with an unknown one, is told to sign in. */
static void test_sign_in_is_checked_before_the_msgid(void **state)
{
    char secret[YB_SECRET_HEX + 1], sign_no[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_hosp *h = new_hosp(d, NULL);
    const char *m1 = INST "202611221000000001", *m2 = INST "202611221000000002";
    sign_in_call(h, INST, m1, secret, sign_no);
    char *b = envelope("9001", m1, "", "0123456789",
                       "{\"signIn\":{\"opter_no\":\"002\"}}");
    expect_refusal(h, b,
                   "[YB0015] cainfo: 机构 " INST " 的接口凭证不正确 (wrong "
                   "credential)");
    free(b);
    b = envelope("9001", m1, "", "0123456789",
                 "{\"signIn\":{\"opter_no\":\"001\"}}");
    expect_refusal(h, b,
                   "[YB0015] cainfo: 机构 " INST " 的接口凭证不正确 (wrong "
                   "credential)");
    free(b);
    b = envelope("9002", m2, sign_no, "", "{\"signOut\":{}}");
    cJSON *j = call(h, b, T0);
    assert_int_equal(cJSON_GetObjectItem(j, "infcode")->valueint, 0);
    cJSON_Delete(j);
    free(b);
    b = envelope("9002", m2, "", "", "{\"signOut\":{}}");
    expect_refusal(h, b,
                   "[YB0015] sign_no: 未签到：请先调用 9001 签到 (sign in "
                   "first)");
    free(b);
    b = envelope("1101", m2, "0123456789abcdef0123456789abcd", "",
                 "{\"data\":{\"mdtrt_cert_type\":\"02\"}}");
    expect_refusal(h, b,
                   "[YB0015] sign_no: 签到编号不存在，请先调用 9001 签到 "
                   "(unknown sign_no)");
    free(b);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM message"), 2);
    yb_hosp_free(h);
}

/* The store never holds a sign_no: the session keeps its digest and salt,
 * the stored 9001 answer has it blotted out and its ref is the digest. A
 * retried 9001 still gets the same answer byte for byte (the sign_no
 * derived again from the credential it presents); after a new credential
 * is issued, the old one is refused before the msgid is looked at. A
 * retried 9002 gets its stored answer though the session is signed out.
 * 2601 of the 9001 signs its session out. */
static void test_a_sign_no_is_stored_only_as_a_digest(void **state)
{
    char secret[YB_SECRET_HEX + 1], sign_no[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_hosp *h = new_hosp(d, NULL);
    struct yb_err e = {0};
    const char *m1 = INST "202611221000000001";
    char *b =
        envelope("9001", m1, "", secret, "{\"signIn\":{\"opter_no\":\"001\"}}");
    char *first = yb_hosp_call(h, b, strlen(b), T0, 1);
    char *again = yb_hosp_call(h, b, strlen(b), "2026-11-22 10:01:00", 2);
    assert_string_equal(again, first);
    cJSON *j = cJSON_Parse(first);
    snprintf(
        sign_no, sizeof sign_no, "%s",
        cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetObjectItem(j, "output"), "signinoutb"),
            "sign_no")
            ->valuestring);
    cJSON_Delete(j);
    assert_int_equal(strlen(sign_no), 30);
    /* (yb_store_prepare keeps statements by their text's address: one
     * buffer each) */
    char digest[65], q1[200], q2[300], q3[200], text[200];
    yb_hash_hex(sign_no, 30, digest);
    snprintf(q1, sizeof q1,
             "SELECT count(*) FROM sign_session WHERE sign_hash = '%s'",
             digest);
    assert_int_equal(fx_int(d->s, q1), 1);
    snprintf(q2, sizeof q2,
             "SELECT count(*) FROM sign_session WHERE instr(sign_hash || salt "
             "|| fixmedins_code || opter_no || sign_time || expires_at, "
             "'%s') > 0",
             sign_no);
    assert_int_equal(fx_int(d->s, q2), 0);
    snprintf(q3, sizeof q3,
             "SELECT count(*) FROM message WHERE instr(response || ref, '%s') "
             "> 0",
             sign_no);
    assert_int_equal(fx_int(d->s, q3), 0);
    fx_text(d->s, "SELECT ref FROM message", text, sizeof text);
    assert_string_equal(text, digest);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM message WHERE "
                                  "instr(response, '\"sign_no\":\""
                                  "******************************\"') > 0"),
                     1);
    /* a 9002 and its retry after the session is closed */
    char *out = envelope("9002", INST "202611221000000002", sign_no, "",
                         "{\"signOut\":{}}");
    char *o1 = yb_hosp_call(h, out, strlen(out), T0, 3);
    char *o2 = yb_hosp_call(h, out, strlen(out), T0, 4);
    assert_int_equal(infcode(o1), 0);
    assert_string_equal(o2, o1);
    free(o1), free(o2), free(out);
    /* 2601 of the 9001 would sign the session out: it is already */
    char *rev = envelope("2601", INST "202611221000000003", sign_no, "",
                         "{\"data\":{\"omsgid\":\"" INST
                         "202611221000000001\",\"oinfno\":\"9001\"}}");
    expect_refusal(h, rev,
                   "[YB0015] sign_no: 签到编号已于 2026-11-22 10:00:00 签退 "
                   "(signed out)");
    free(rev);
    /* a new credential: the old one no longer signs in, not even a retry */
    char fresh[YB_SECRET_HEX + 1];
    assert_int_equal(yb_inst_credential_new(d->s, &CLERK, INST, fresh, &e),
                     YB_OK);
    expect_refusal(h, b,
                   "[YB0015] cainfo: 机构 " INST " 的接口凭证不正确 (wrong "
                   "credential)");
    free(first), free(again), free(b);
    yb_hosp_free(h);
}

/* 2601 of a sign-in whose answer was lost closes its session. */
static void test_a_lost_sign_in_is_reversed(void **state)
{
    char secret[YB_SECRET_HEX + 1], s1[YB_SIGN_NO_LEN + 1],
        s2[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_hosp *h = new_hosp(d, NULL);
    struct yb_err e = {0};
    sign_in_call(h, INST, INST "202611221000000001", secret, s1);
    sign_in_call(h, INST, INST "202611221000000002", secret, s2);
    assert_string_not_equal(s1, s2);
    char *rev = envelope("2601", INST "202611221000000003", s2, "",
                         "{\"data\":{\"omsgid\":\"" INST
                         "202611221000000001\",\"oinfno\":\"9001\"}}");
    cJSON *j = call(h, rev, T0);
    assert_int_equal(cJSON_GetObjectItem(j, "infcode")->valueint, 0);
    cJSON_Delete(j);
    free(rev);
    assert_int_equal(yb_sign_check(d->s, INST, s1, T0, &e), YB_EPERM);
    assert_string_equal(e.msg, "签到编号已于 2026-11-22 10:00:00 签退 "
                               "(signed out)");
    assert_int_equal(yb_sign_check(d->s, INST, s2, T0, &e), YB_OK);
    yb_hosp_free(h);
}

/* ---- the guard: 1101 rate and audit -------------------------------------- */

#define PERSON_CERT "530102198605120813"

static void add_person(yb_store *s)
{
    struct yb_err e = {0};
    assert_int_equal(
        yb_store_exec(s,
                      "INSERT INTO person (psn_no, certno, psn_name, gend, "
                      "brdy, resd_admdvs) VALUES ('53010000000000000001', "
                      "'" PERSON_CERT "', '王五', '1', '1986-05-12', "
                      "'530102')",
                      &e),
        YB_OK);
}

static char *lookup_body(const char *inst, const char *sign, int serial,
                         const char *cert)
{
    char msgid[40], in[200];
    snprintf(msgid, sizeof msgid, "%s20261122100000%04d", inst, serial);
    snprintf(in, sizeof in,
             "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"%s\"}}",
             cert);
    return envelope_of(inst, "1101", msgid, sign, "", in);
}

/* The lookup's infcode at the call's time now + ms. */
static int lookup_at(struct yb_hosp *h, const char *body, const char *now,
                     int ms)
{
    char *out = yb_hosp_call(h, body, strlen(body), now, ms);
    assert_non_null(out);
    int c = infcode(out);
    free(out);
    return c;
}

/* 1101 takes an ID number only: a person number, or a value that shows
 * long escaped, is refused with the ID parser's reason and one English
 * gist at the end, the message whole (not cut at yb_err's 256 bytes). */
static void test_a_lookup_by_another_number_is_refused_whole(void **state)
{
    char secret[YB_SECRET_HEX + 1], s1[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    add_person(d->s);
    struct yb_hosp *h = new_hosp(d, NULL);
    sign_in_call(h, INST, INST "202611220900000001", secret, s1);
    char *b = lookup_body(INST, s1, 1, "53010000000000000001");
    expect_refusal(h, b,
                   "[YB0002] input.data.mdtrt_cert_no: 证件号码 "
                   "\"53010000000000000001\" 长度应为18位，实为20位；1101 "
                   "只受理身份证号码，不受理人员编号等其他号码 (must be 18 "
                   "characters; 1101 takes an ID number only)");
    free(b);
    char ctl[20 * 6 + 1] = "";
    for (int i = 0; i < 20; i++)
        strcat(ctl, "\\u0001");
    b = lookup_body(INST, s1, 2, ctl);
    expect_refusal(
        h, b,
        "[YB0002] input.data.mdtrt_cert_no: 证件号码 "
        "\"\\u0001\\u0001\\u0001\\u0001\\u0001\\u0001\\u0001\\u0001\\u0001..."
        "\" 长度应为18位，实为20位；1101 只受理身份证号码，不受理人员"
        "编号等其他号码 (must be 18 characters; 1101 takes an ID "
        "number only)");
    free(b);
    yb_hosp_free(h);
}

/* A bucket of 3 and 2 a second: three lookups at once pass, the fourth is
 * refused naming the limit; the 0.4 token left grows to one at 500 ms;
 * another institution has its own bucket; a caller that is not signed in
 * spends nobody's tokens. */
static void test_lookups_are_limited_per_institution(void **state)
{
    char secret[YB_SECRET_HEX + 1], secret2[YB_SECRET_HEX + 1];
    char s1[YB_SIGN_NO_LEN + 1], s2[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_err e = {0};
    assert_int_equal(
        yb_inst_credential_new(d->s, &CLERK, "H53010200002", secret2, &e),
        YB_OK);
    add_person(d->s);
    struct yb_hosp_guard *g = NULL;
    struct yb_hosp_guard_opts go = {.lookup_rate = 2, .lookup_burst = 3};
    assert_int_equal(yb_hosp_guard_new(&go, &g, &e), YB_OK);
    struct yb_hosp *h = new_hosp(d, g);
    sign_in_call(h, INST, INST "202611220900000001", secret, s1);
    sign_in_call(h, "H53010200002", "H53010200002202611220900000001", secret2,
                 s2);
    char *a = lookup_body(INST, s1, 1, PERSON_CERT);
    char *unsigned_b = lookup_body("H53010200002", "", 1, PERSON_CERT);
    for (int i = 0; i < 5; i++) /* no sign_no: nobody's tokens */
        assert_int_equal(lookup_at(h, unsigned_b, T0, 0), -1);
    assert_int_equal(lookup_at(h, a, T0, 0), 0);
    assert_int_equal(lookup_at(h, a, T0, 100), 0);
    assert_int_equal(lookup_at(h, a, T0, 200), 0);
    expect_refusal(h, a,
                   "[YB0015] infno: 机构 " INST " 的人员信息查询超过每秒 2 "
                   "次（连续至多 3 次）的限额，请稍后重试 (1101 rate limit)");
    /* 0.4 token left at 200 ms: the next whole one at 500 ms */
    assert_int_equal(lookup_at(h, a, T0, 499), -1);
    assert_int_equal(lookup_at(h, a, T0, 500), 0);
    assert_int_equal(lookup_at(h, a, T0, 501), -1);
    char *b = lookup_body("H53010200002", s2, 1, PERSON_CERT);
    for (int i = 0; i < 3; i++)
        assert_int_equal(lookup_at(h, b, T0, 502), 0);
    assert_int_equal(lookup_at(h, b, T0, 503), -1);
    /* a second later the bucket holds two again */
    assert_int_equal(lookup_at(h, a, "2026-11-22 10:00:01", 701), 0);
    assert_int_equal(lookup_at(h, a, "2026-11-22 10:00:01", 701), 0);
    assert_int_equal(lookup_at(h, a, "2026-11-22 10:00:01", 701), -1);
    struct yb_hosp_guard_stats st;
    yb_hosp_guard_stats(g, &st);
    assert_int_equal(st.limited, 5);
    assert_int_equal(st.audited, 9);
    assert_int_equal(yb_hosp_guard_pending(g), 9);
    free(a), free(b), free(unsigned_b);
    yb_hosp_free(h);
    yb_hosp_guard_free(g);
}

static void add_rec(const struct yb_lookup_rec *r, void *ud)
{
    char *out = ud;
    size_t n = strlen(out);
    snprintf(out + n, 2048 - n, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%d|%d\n", r->at,
             r->fixmedins_code, r->opter, r->opter_name, r->infno, r->msgid,
             r->psn_no, r->cert_type, r->cert_no, r->infcode, r->err_code);
}

/* Each lookup let through is recorded: who (institution, operator), whom
 * (the person found; for none, the certificate masked), when, the result.
 * The records wait in the queue until the writer stores them in its
 * transaction; a batch that did not commit puts them back; the auditor
 * lists them by institution, person and day. A full queue refuses
 * lookups: none goes unrecorded. */
static void test_lookups_are_audited(void **state)
{
    char secret[YB_SECRET_HEX + 1], s1[YB_SIGN_NO_LEN + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_err e = {0};
    add_person(d->s);
    struct yb_hosp_guard *g = NULL;
    struct yb_hosp_guard_opts go = {.audit_max = 3};
    assert_int_equal(yb_hosp_guard_new(&go, &g, &e), YB_OK);
    struct yb_hosp *h = new_hosp(d, g);
    sign_in_call(h, INST, INST "202611220900000001", secret, s1);
    char *found = lookup_body(INST, s1, 1, PERSON_CERT);
    char *none = lookup_body(INST, s1, 2, "530102199001011231");
    assert_int_equal(lookup_at(h, found, T0, 0), 0);
    assert_int_equal(lookup_at(h, none, T0, 0), -1);
    size_t n = 0;
    /* a batch that does not commit keeps them */
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_hosp_guard_store(g, d->s, &n, &e), YB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(yb_hosp_guard_pending(g), 0);
    yb_store_rollback(d->s);
    yb_hosp_guard_stored(g, false);
    assert_int_equal(yb_hosp_guard_pending(g), 2);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM lookup_audit"), 0);
    assert_int_equal(lookup_at(h, found, "2026-11-23 08:00:00", 0), 0);
    /* the queue holds 3: the fourth lookup is refused, not run */
    expect_refusal(h, found,
                   "[YB0012] infno: 人员信息查询的审计记录积压，请稍后重试 "
                   "(lookup audit queue full)");
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_hosp_guard_store(g, d->s, &n, &e), YB_OK);
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    yb_hosp_guard_stored(g, true);
    assert_int_equal(n, 3);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM lookup_audit"), 3);
    static char list[2048];
    list[0] = '\0';
    struct yb_lookup_filter f = {.fixmedins_code = INST};
    assert_int_equal(yb_lookup_audit_list(d->s, &f, add_rec, list, &n, &e),
                     YB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(
        list, T0 "|" INST "|001|张三|1101|" INST "202611221000000001|"
                 "53010000000000000001|02|530102********0813|0|0\n" T0 "|" INST
                 "|001|张三|1101|" INST "202611221000000002||02|"
                 "530102********1231|-1|5\n"
                 "2026-11-23 08:00:00|" INST "|001|张三|1101|" INST
                 "202611221000000001|53010000000000000001|02|"
                 "530102********0813|0|0\n");
    struct yb_lookup_filter by_day = {.psn_no = "53010000000000000001",
                                      .from = "2026-11-22",
                                      .to = "2026-11-22"};
    list[0] = '\0';
    assert_int_equal(yb_lookup_audit_list(d->s, &by_day, add_rec, list, &n, &e),
                     YB_OK);
    assert_int_equal(n, 1);
    struct yb_lookup_filter other = {.fixmedins_code = "H53010200002"};
    assert_int_equal(yb_lookup_audit_list(d->s, &other, add_rec, list, &n, &e),
                     YB_OK);
    assert_int_equal(n, 0);
    struct yb_hosp_guard_stats st;
    yb_hosp_guard_stats(g, &st);
    assert_int_equal(st.stored, 3);
    assert_int_equal(st.full, 1);
    free(found), free(none);
    yb_hosp_free(h);
    yb_hosp_guard_free(g);
}

static void count_rec(const struct yb_lookup_rec *r, void *ud)
{
    char *out = ud;
    size_t n = strlen(out);
    snprintf(out + n, 4096 - n, "%s,%s,%d;", r->msgid, r->psn_no, r->infcode);
}

/* 40 records go in as two INSERTs of 16 rows and 8 of one, each row with
 * its own values, in order. */
static void test_many_lookup_records_are_stored_in_order(void **state)
{
    char secret[YB_SECRET_HEX + 1];
    struct fx_db *d = open_db(state, secret);
    struct yb_err e = {0};
    struct yb_lookup_rec r[40];
    char msg[40][32], psn[40][24], want[4096] = "";
    for (int i = 0; i < 40; i++) {
        snprintf(msg[i], sizeof msg[i], INST "2026112210000%05d", i);
        snprintf(psn[i], sizeof psn[i], i % 3 ? "5301000000000000%04d" : "", i);
        r[i] = (struct yb_lookup_rec){
            T0,     INST, "001", "张三",         "1101",       msg[i],
            psn[i], "02", "x",   i % 3 ? 0 : -1, i % 3 ? 0 : 5};
        size_t n = strlen(want);
        snprintf(want + n, sizeof want - n, "%s,%s,%d;", msg[i], psn[i],
                 i % 3 ? 0 : -1);
    }
    assert_int_equal(yb_lookup_audit_put(d->s, r, 40, &e), YB_OK);
    static char got[4096];
    got[0] = '\0';
    size_t n = 0;
    struct yb_lookup_filter f = {0};
    assert_int_equal(yb_lookup_audit_list(d->s, &f, count_rec, got, &n, &e),
                     YB_OK);
    assert_int_equal(n, 40);
    assert_string_equal(got, want);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM lookup_audit WHERE "
                                  "psn_no IS NULL AND err_code = 5"),
                     14);
}

static void test_logs_mask_id_numbers(void **state)
{
    (void)state;
    char out[128];
    assert_string_equal(
        yb_mask_ids("查无此人：53010219860512081X 未登记", out, sizeof out),
        "查无此人：530102********081X 未登记");
    assert_string_equal(
        yb_mask_ids("530102198605120813,530102198605120814", out, sizeof out),
        "530102********0813,530102********0814");
    /* longer runs of digits are not ID numbers: a msgid, a psn_no */
    assert_string_equal(yb_mask_ids("53010000000000000001 x", out, sizeof out),
                        "53010000000000000001 x");
    assert_string_equal(yb_mask_ids("short 12345", out, sizeof out),
                        "short 12345");
}

/* A service's field gets the input's path, but no policy in force is
 * about the policy set, not a field of the input. */
static void test_service_errors_get_the_inputs_path(void **state)
{
    (void)state;
    struct yb_err e = {0};
    yb_err_set(&e, YB_ENOTFOUND, "psn_no", "x");
    assert_int_equal(yb__hosp_at(YB_ENOTFOUND, "input.data", &e), YB_ENOTFOUND);
    assert_string_equal(e.field, "input.data.psn_no");
    yb_err_set(&e, YB_ENOTCOVERED, "policy", "x");
    assert_int_equal(yb__hosp_at(YB_ENOTCOVERED, "input.data", &e),
                     YB_ENOTCOVERED);
    assert_string_equal(e.field, "policy");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_credential_is_kept_as_a_digest),
        T(test_sign_in_needs_the_credential_and_the_agreement),
        T(test_a_session_expires_and_ends_at_sign_out),
        T(test_a_msgid_is_stored_once_per_institution),
        T(test_dispatcher_signs_in_and_replays_a_msgid),
        T(test_dispatcher_refuses_envelope_errors_writing_nothing),
        T(test_a_batch_keeps_its_good_calls_and_drops_the_bad),
        T(test_the_msgid_form_is_checked),
        T(test_sign_in_is_checked_before_the_msgid),
        T(test_a_sign_no_is_stored_only_as_a_digest),
        T(test_a_lost_sign_in_is_reversed),
        T(test_a_lookup_by_another_number_is_refused_whole),
        T(test_lookups_are_limited_per_institution),
        T(test_lookups_are_audited),
        T(test_many_lookup_records_are_stored_in_order),
        cmocka_unit_test(test_logs_mask_id_numbers),
        cmocka_unit_test(test_service_errors_get_the_inputs_path),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
