/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the hospital interface's dispatcher (hosp.h) on
 * arbitrary bytes, two ways. Even first byte: the bytes are the whole
 * request body (the envelope). Odd first byte: the second byte picks a
 * known infno and the rest is put as the `input` of an otherwise valid
 * envelope of a signed-in institution, so every transaction's input
 * reader is reached. The database (one per process, reset every 512
 * inputs) holds a region, an institution with its credential and
 * session, and a person. Every answer must be valid UTF-8 and a JSON
 * object with infcode 0 or -1, the envelope's fields, and for -1 an
 * err_msg "[YBnnnn] field: message" of a known code whose message has a
 * Chinese character before any ASCII letter; a refused call must leave
 * the event, session and message tables as they were. Any violation
 * aborts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "yibao/hosp.h"
#include "yibao/hospital.h"
#include "yibao/registry.h"
#include "yibao/store.h"
#include "yibao/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RESET_EVERY 512
#define INST "H53010200001"
#define NOW "2026-11-22 10:00:00"

static char dir[64], db_path[96];
static yb_store *db;
static struct yb_hosp *hosp;
static char sign_no[YB_SIGN_NO_LEN + 1];
static unsigned long inputs;

static void broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_hosp: %s: %.300s\n", what, detail);
    abort();
}

static void setup(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    struct yb_err e = {0};
    char p[128], secret[YB_SECRET_HEX + 1], t[20];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/yb-fuzz-hosp-XXXXXX");
        if (!mkdtemp(dir))
            broken("mkdtemp", dir);
        snprintf(db_path, sizeof db_path, "%s/db.sqlite", dir);
    }
    yb_hosp_free(hosp);
    yb_store_close(db);
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
        unlink(p);
    }
    if (yb_store_open(db_path, YB_STORE_CREATE | YB_STORE_NOSYNC, &db, &e) !=
        YB_OK)
        broken("open", e.msg);
    if (yb_store_exec(db,
                      "INSERT INTO region (admdvs, name, level, parent, "
                      "pooling) VALUES ('530102', '五华区', 3, '530100', "
                      "'530100');"
                      "INSERT INTO institution (fixmedins_code, name, "
                      "hosp_lv, admdvs) VALUES ('" INST "', '甲医院', '3', "
                      "'530102')",
                      &e) != YB_OK)
        broken("seed", e.msg);
    struct yb_actor who = {.name = "fuzz", .now = NOW};
    struct yb_person_rec psn = {.certno = "530102198605120813",
                                .psn_name = "张伟",
                                .resd_admdvs = "530102"};
    struct yb_signin in = {
        .fixmedins_code = INST, .opter_no = "001", .now = NOW};
    if (yb_person_add(db, &who, &psn, &e) != YB_OK ||
        yb_inst_credential_new(db, &who, INST, secret, &e) != YB_OK)
        broken("seed", e.msg);
    in.secret = secret;
    if (yb_sign_in(db, &in, sign_no, t, &e) != YB_OK ||
        yb_hosp_new(db, NULL, &hosp, &e) != YB_OK)
        broken("seed", e.msg);
}

static int64_t count(const char *sql)
{
    struct yb_err e = {0};
    yb_stmt *st;
    int64_t v = -1;
    if (yb_store_prepare(db, sql, &st, &e) == YB_OK &&
        yb_stmt_step(st, &e) == YB_ROW)
        v = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return v;
}

static int64_t written(void)
{
    return count("SELECT (SELECT count(*) FROM event) * 1000000 + "
                 "(SELECT count(*) FROM sign_session) * 1000 + "
                 "(SELECT count(*) FROM message)");
}

/* Whether p has a CJK character before any ASCII letter. */
static bool cjk_before_letter(const char *p)
{
    for (const unsigned char *u = (const unsigned char *)p; *u;) {
        if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z'))
            return false;
        if (*u < 0x80) {
            u++;
            continue;
        }
        /* a valid answer: u[0] leads a 2- to 4-byte character */
        unsigned cp =
            *u >= 0xF0 ? (u[0] & 7u) << 18 | (u[1] & 63u) << 12 |
                             (u[2] & 63u) << 6 | (u[3] & 63u)
            : *u >= 0xE0 ? (u[0] & 15u) << 12 | (u[1] & 63u) << 6 | (u[2] & 63u)
                         : (u[0] & 31u) << 6 | (u[1] & 63u);
        if (cp >= 0x3400 && cp <= 0x9FFF)
            return true;
        u += *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : 2;
    }
    return false;
}

/* Whether the message of "[YBnnnn] field: message" or "[YBnnnn] message"
 * is Chinese first. (A key in the field may itself hold ": ": any of
 * them may end the field.) */
static bool chinese_first(const char *err)
{
    const char *p = strstr(err, "] ");
    if (!p)
        return false;
    for (p += 2; p; p = strstr(p, ": ") ? strstr(p, ": ") + 2 : NULL)
        if (cjk_before_letter(p))
            return true;
    return false;
}

/* The body to send: the bytes, or the bytes as a valid envelope's input. */
static char *body_of(const uint8_t *data, size_t size, size_t *n)
{
    const char *const *infnos = yb_hosp_infnos();
    int k = 0;
    while (infnos[k])
        k++;
    if (size < 2 || !(data[0] & 1)) {
        char *b = malloc(size + 1);
        if (!b)
            broken("malloc", "");
        memcpy(b, data, size);
        b[size] = '\0';
        *n = size;
        return b;
    }
    const char *infno = infnos[data[1] % k];
    size_t cap = size + 1024;
    char *b = malloc(cap);
    if (!b)
        broken("malloc", "");
    int len = snprintf(
        b, cap,
        "{\"infno\":\"%s\",\"msgid\":\"" INST "20261122100000%04lu\","
        "\"mdtrtarea_admvs\":\"530102\",\"recer_sys_code\":\"YBXT\","
        "\"infver\":\"V1.0\",\"opter_type\":\"1\",\"opter\":\"1\","
        "\"opter_name\":\"x\",\"inf_time\":\"" NOW "\",\"fixmedins_code\":"
        "\"" INST "\",\"fixmedins_name\":\"甲\",\"sign_no\":\"%s\","
        "\"input\":",
        infno, inputs % 10000, sign_no);
    memcpy(b + len, data + 2, size - 2);
    b[len + (int)(size - 2)] = '}';
    *n = (size_t)len + size - 1;
    b[*n] = '\0';
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (inputs++ % RESET_EVERY == 0)
        setup();
    size_t n = 0;
    char *body = body_of(data, size, &n);
    int64_t before = written();
    char *out = yb_hosp_call(hosp, body, n, NOW, 0);
    if (!out)
        broken("no answer", body);
    if (yb_utf8_check(out, strlen(out), NULL) != YB_UTF8_OK)
        broken("the answer is not UTF-8", out);
    cJSON *j = cJSON_Parse(out);
    if (!cJSON_IsObject(j))
        broken("answer is not a JSON object", out);
    const cJSON *code = cJSON_GetObjectItem(j, "infcode");
    const cJSON *msg = cJSON_GetObjectItem(j, "err_msg");
    if (!cJSON_IsNumber(code) || (code->valueint != 0 && code->valueint != -1))
        broken("infcode", out);
    if (!cJSON_IsString(msg) ||
        !cJSON_IsString(cJSON_GetObjectItem(j, "inf_refmsgid")) ||
        !cJSON_IsObject(cJSON_GetObjectItem(j, "output")))
        broken("envelope fields", out);
    if (code->valueint == -1) {
        unsigned num = 0;
        if (sscanf(msg->valuestring, "[YB%4u]", &num) != 1 || num == 0 ||
            strcmp(yb_err_name((int)num), "EUNKNOWN") == 0)
            broken("err_msg without a known code", out);
        if (!chinese_first(msg->valuestring))
            broken("err_msg not Chinese first", out);
        if (written() != before)
            broken("a refused call wrote", out);
    }
    cJSON_Delete(j);
    free(out);
    free(body);
    return 0;
}
