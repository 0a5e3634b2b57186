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
    char msg[200];
    snprintf(msg, sizeof msg,
             "签到编号 %s 已于 2026-11-23 23:30:15 过期，请重新签到 (expired)",
             sign_no);
    assert_string_equal(e.msg, msg);
    assert_int_equal(
        yb_sign_check(d->s, "H53010200002", sign_no, "2026-11-23 00:00:00", &e),
        YB_EPERM);
    snprintf(msg, sizeof msg,
             "签到编号 %s 不属于机构 H53010200002 (another institution's)",
             sign_no);
    assert_string_equal(e.msg, msg);
    assert_int_equal(yb_sign_check(d->s, INST, "nope", T0, &e), YB_EPERM);
    assert_int_equal(yb_sign_check(d->s, INST, "", T0, &e), YB_EPERM);
    assert_int_equal(
        yb_sign_out(d->s, INST, sign_no, "2026-11-23 08:00:00", &e), YB_OK);
    assert_int_equal(
        yb_sign_check(d->s, INST, sign_no, "2026-11-23 08:00:01", &e),
        YB_EPERM);
    snprintf(msg, sizeof msg,
             "签到编号 %s 已于 2026-11-23 08:00:00 签退 "
             "(signed out)",
             sign_no);
    assert_string_equal(e.msg, msg);
    /* sign-in and sign-out are audited events */
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE kind IN "
                                  "('hospital.signin', 'hospital.signout')"),
                     2);
}

static void test_a_msgid_is_stored_once(void **state)
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
    struct yb_arena a;
    yb_arena_init(&a, 0);
    struct yb_message got;
    bool found = false;
    assert_int_equal(yb_message_get(d->s, "M1", &a, &got, &found, &e), YB_OK);
    assert_true(found);
    assert_string_equal(got.response, "{\"infcode\":0}");
    assert_string_equal(got.infno, "9001");
    assert_int_equal(yb_message_get(d->s, "M2", &a, &got, &found, &e), YB_OK);
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
                                    "\"short\"");
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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_credential_is_kept_as_a_digest),
        T(test_sign_in_needs_the_credential_and_the_agreement),
        T(test_a_session_expires_and_ends_at_sign_out),
        T(test_a_msgid_is_stored_once),
        T(test_dispatcher_signs_in_and_replays_a_msgid),
        T(test_dispatcher_refuses_envelope_errors_writing_nothing),
        T(test_a_batch_keeps_its_good_calls_and_drops_the_bad),
        cmocka_unit_test(test_logs_mask_id_numbers),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
