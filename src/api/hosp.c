/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hospital interface's dispatcher (include/yibao/hosp.h): envelope in,
 * envelope out.
 *
 * Order of checks, each refusing with infcode -1 and changing nothing
 * (docs/hospital.md, "Order of checks"):
 *  1. the body is a JSON object;
 *  2. the envelope's fields are present, strings, of their lengths and
 *     forms; fixmedins_code has 12 characters and msgid is that code, a
 *     valid time yyyyMMddHHmmss and a 4-digit serial;
 *  3. infno is known;
 *  4. the institution exists;
 *  5. the caller is the institution: 9001 presents its credential (and
 *     the agreement is valid that day), 9002 a session of it that has not
 *     expired, every other call an open session;
 *  6. a 1101 lookup is within the institution's rate (the server's guard);
 *  7. only now the msgid (of a writing call: only those are stored): the
 *     institution's msgid seen before with the same body gets the stored
 *     answer, with another body is refused;
 *  8. the person the input names is insured in this pooling region (and
 *     in insuplc_admdvs when sent; hosp_person.c), then the transaction's
 *     own checks, which settle under the policy set's version in force.
 * So a caller that is not signed in learns nothing about a msgid, and a
 * msgid belongs to its institution (the log is keyed by both). A writing
 * transaction runs in one store transaction, from step 4 on, that also
 * stores its answer under the institution's msgid. The server runs steps
 * 1-5 on its connection thread (yb_hosp_admit) before it hands a writing
 * call to the writer, which runs them again in its transaction.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/hospital.h"
#include "yibao/policyset.h"
#include "yibao/server.h"
#include "yibao/text.h"
#include "yibao/visit.h"

static const struct yb_hosp_tx *const tables[] = {
    yb__hosp_basic,    yb__hosp_visit, yb__hosp_settlement, yb__hosp_inpatient,
    yb__hosp_reversal, yb__hosp_query, yb__hosp_records,    NULL};

static const struct yb_hosp_tx *find_tx(const char *infno)
{
    for (int t = 0; tables[t]; t++)
        for (const struct yb_hosp_tx *x = tables[t]; x->infno; x++)
            if (strcmp(x->infno, infno) == 0)
                return x;
    return NULL;
}

const char *const *yb_hosp_infnos(void)
{
    static const char *list[64];
    if (!list[0]) {
        int n = 0;
        for (int t = 0; tables[t]; t++)
            for (const struct yb_hosp_tx *x = tables[t]; x->infno && n < 63;
                 x++)
                list[n++] = x->infno;
    }
    return list;
}

int yb_hosp_new(yb_store *s, const struct yb_hosp_opts *o, struct yb_hosp **out,
                struct yb_err *e)
{
    struct yb_hosp *h = calloc(1, sizeof *h);
    if (!h)
        return yb_err_set(e, YB_ENOMEM, "hosp", "内存不足 (out of memory)");
    h->s = s;
    int rc = yb_policy_cache_new(&h->policies, e);
    if (rc != YB_OK) {
        free(h);
        return rc;
    }
    h->serial = o && o->share ? o->share->serial : &h->own_serial;
    h->guard = o ? o->guard : NULL;
    snprintf(h->admdvs, sizeof h->admdvs, "%.6s",
             o && o->admdvs ? o->admdvs : "000000");
    *out = h;
    return YB_OK;
}

void yb_hosp_free(struct yb_hosp *h)
{
    if (!h)
        return;
    yb_policy_cache_free(h->policies);
    if (h->cat_loaded)
        yb_catalogue_free(&h->cat);
    yb_arena_free(&h->cat_arena);
    free(h);
}

/* ---- the envelope ------------------------------------------------------- */

struct env_field {
    const char *name;
    size_t offset;
    bool required;
    size_t maxlen;
};

#define F(n, req, len)                                                         \
    {                                                                          \
#n, offsetof(struct yb_env, n), req, len                               \
    }
static const struct env_field env_fields[] = {
    F(infno, true, 6),
    F(msgid, true, 30),
    F(mdtrtarea_admvs, true, 6),
    F(insuplc_admdvs, false, 6),
    F(recer_sys_code, true, 10),
    F(dev_no, false, 100),
    F(dev_safe_info, false, 2000),
    F(cainfo, false, 1024),
    F(signtype, false, 10),
    F(infver, true, 6),
    F(opter_type, true, 3),
    F(opter, true, 30),
    F(opter_name, true, 50),
    F(inf_time, true, 19),
    F(fixmedins_code, true, 30),
    F(fixmedins_name, true, 200),
    F(sign_no, false, 30),
};
#undef F

static bool digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* msgid: the sender's fixmedins_code (12), a valid time yyyyMMddHHmmss
 * (14) and a serial of 4 digits: 30 characters (DOMAIN §11). Since it
 * starts with the sender's own code, one institution cannot send another's
 * msgids at all. */
static int check_msgid(const struct yb_env *v, struct yb_err *e)
{
    const char *m = v->msgid;
    if (strlen(v->fixmedins_code) != 12)
        return yb_err_set(e, YB_EINVAL, "fixmedins_code",
                          "应为12位定点医药机构编码，实际为 %zu 位 \"%s\" "
                          "(12 characters)",
                          strlen(v->fixmedins_code), v->fixmedins_code);
    if (strlen(m) != 30)
        return yb_err_set(e, YB_EINVAL, "msgid",
                          "应为30位（机构编码12位+时间14位+流水号4位），"
                          "实际为 %zu 位 \"%s\" (30 characters)",
                          strlen(m), m);
    if (strncmp(m, v->fixmedins_code, 12) != 0)
        return yb_err_set(e, YB_EINVAL, "msgid",
                          "报文ID \"%s\" 的前12位应为发送机构编码 %s (msgid "
                          "must begin with the sender's fixmedins_code)",
                          m, v->fixmedins_code);
    char t[20];
    yb_date d;
    struct yb_err ignore = {0};
    snprintf(t, sizeof t, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s", m + 12, m + 16,
             m + 18, m + 20, m + 22, m + 24);
    if (strspn(m + 12, "0123456789") < 14 ||
        yb_datetime_parse(t, false, &d, NULL, "msgid", &ignore) != YB_OK)
        return yb_err_set(e, YB_EINVAL, "msgid",
                          "报文ID \"%s\" 的第13至26位应为时间 yyyyMMddHHmmss "
                          "(not a valid time)",
                          m);
    if (strspn(m + 26, "0123456789") != 4)
        return yb_err_set(e, YB_EINVAL, "msgid",
                          "报文ID \"%s\" 的末4位应为数字流水号 (serial of 4 "
                          "digits)",
                          m);
    return YB_OK;
}

static int check_env(const struct yb_env *v, struct yb_err *e)
{
    if (!digits(v->infno, 4))
        return yb_err_set(e, YB_EINVAL, "infno",
                          "应为4位交易编号，实际为 \"%s\" (4 digits)",
                          v->infno);
    int rc = check_msgid(v, e);
    if (rc != YB_OK)
        return rc;
    if (!digits(v->mdtrtarea_admvs, 6))
        return yb_err_set(e, YB_EINVAL, "mdtrtarea_admvs",
                          "应为6位行政区划代码，实际为 \"%s\" (6-digit region "
                          "code)",
                          v->mdtrtarea_admvs);
    if (v->insuplc_admdvs && *v->insuplc_admdvs &&
        !digits(v->insuplc_admdvs, 6))
        return yb_err_set(e, YB_EINVAL, "insuplc_admdvs",
                          "应为6位行政区划代码，实际为 \"%s\" (6-digit region "
                          "code)",
                          v->insuplc_admdvs);
    if (strcmp(v->opter_type, "1") != 0 && strcmp(v->opter_type, "2") != 0 &&
        strcmp(v->opter_type, "3") != 0)
        return yb_err_set(e, YB_EINVAL, "opter_type",
                          "应为 1（经办人）、2（自助终端）或 3（移动终端），"
                          "实际为 \"%s\" (1, 2 or 3)",
                          v->opter_type);
    yb_date d;
    struct yb_err ignore = {0};
    if (yb_datetime_parse(v->inf_time, false, &d, NULL, "inf_time", &ignore) !=
        YB_OK)
        return yb_err_set(e, YB_EINVAL, "inf_time",
                          "应为 yyyy-MM-dd HH:mm:ss，实际为 \"%s\" (not a "
                          "datetime)",
                          v->inf_time);
    return YB_OK;
}

static int read_env(const cJSON *root, struct yb_arena *a, struct yb_env *v,
                    struct yb_err *e)
{
    memset(v, 0, sizeof *v);
    if (!cJSON_IsObject(root))
        return yb_err_set(e, YB_EINVAL, "envelope",
                          "报文应为 JSON 对象 (not an object)");
    for (size_t i = 0; i < sizeof env_fields / sizeof *env_fields; i++) {
        const struct env_field *f = &env_fields[i];
        const char **slot = (const char **)(void *)((char *)v + f->offset);
        const char *val = NULL;
        int rc = yb_json_string(root, f->name, "", f->required, f->maxlen,
                                false, a, &val, e);
        if (rc != YB_OK)
            return rc;
        if (f->required && val && !*val)
            return yb_err_set(e, YB_EINVAL, f->name, "必填，不能为空 (empty)");
        *slot = val;
    }
    const cJSON *input = NULL;
    int rc = yb_json_object(root, "input", "", true, &input, e);
    if (rc != YB_OK)
        return rc;
    v->input = input;
    return check_env(v, e);
}

/* ---- the answer ---------------------------------------------------------
 */

/* "yyyyMMddHHmmssSSS" of now. (Every answer has two such stamps: written
 * without printf, which cost as much as the rest of a 1101's envelope.) */
static void stamp(const char *now, int ms, char out[18])
{
    size_t k = 0;
    int m = ((ms % 1000) + 1000) % 1000;
    for (const char *p = now; *p && k < 14; p++)
        if (*p >= '0' && *p <= '9')
            out[k++] = *p;
    out[k++] = (char)('0' + m / 100);
    out[k++] = (char)('0' + m / 10 % 10);
    out[k++] = (char)('0' + m % 10);
    out[k] = '\0';
}

static char *render(struct yb_hosp *h, const char *now, int ms, int infcode,
                    const char *err_msg, cJSON *output)
{
    char ref[31], t[18];
    stamp(now, ms, t);
    /* the region (6), the time to the second (14), a serial (10) */
    size_t k = strnlen(h->admdvs, 6), tn = strnlen(t, 14);
    unsigned long serial = (atomic_fetch_add(h->serial, 1) + 1) % 10000000000UL;
    memcpy(ref, h->admdvs, k);
    memcpy(ref + k, t, tn);
    k += tn;
    for (int i = 9; i >= 0; i--, serial /= 10)
        ref[k + (size_t)i] = (char)('0' + serial % 10);
    ref[k + 10] = '\0';
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        cJSON_Delete(output);
        return NULL;
    }
    yb_json_add_int(o, "infcode", infcode);
    cJSON_AddStringToObject(o, "inf_refmsgid", ref);
    cJSON_AddStringToObject(o, "refmsg_time", t);
    cJSON_AddStringToObject(o, "respond_time", t);
    cJSON_AddStringToObject(o, "err_msg", err_msg ? err_msg : "");
    cJSON_AddStringToObject(o, "warn_msg", "");
    if (!output)
        output = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "output", output);
    char *text = yb_json_print(o); /* as cJSON prints it, faster */
    cJSON_Delete(o);
    /* Every string came in checked, but an answer must be UTF-8 even if
     * a bug let a bad byte through: it would become '?', not a broken
     * document for the HIS. */
    if (text)
        yb_utf8_scrub(text, strlen(text));
    return text;
}

/* "[YB0002] input.data.certno: 必填 (required)"; a report without a
 * message gets its code's Chinese text. */
static char *render_error(struct yb_hosp *h, const char *now, int ms,
                          const struct yb_err *e)
{
    char msg[sizeof e->field + sizeof e->msg + 16];
    snprintf(msg, sizeof msg, "[YB%04d] %s%s%s", e->code, e->field,
             e->field[0] ? ": " : "", e->msg[0] ? e->msg : yb_err_zh(e->code));
    return render(h, now, ms, -1, msg, NULL);
}

/* ---- the call ----------------------------------------------------------- */

/* A request parsed up to its transaction: the JSON, the envelope, the
 * request's hash (for msgid replay) and the transaction named by infno
 * (NULL when unknown: that is reported after the envelope). rc and err
 * hold a refusal found while parsing; infcode and out_err what the answer
 * said (for the server's log). */
struct yb_hosp_req {
    struct yb_arena a;
    cJSON *root;
    struct yb_env env;
    char hash[65];
    const struct yb_hosp_tx *tx;
    int rc;
    struct yb_err err;
    int infcode;
    struct yb_err out_err;
};

struct run {
    struct yb_hosp *h;
    struct yb_hosp_req *q;
    struct yb_hcall c;
    int ms;
    char *answer;
    bool lookup;        /* a 1101 the guard let through: audited */
    const char *psn_no; /* the person it found */
};

/* A writing call in a batch runs in a savepoint of the batch's
 * transaction; on its own, in a transaction of its own. A savepoint that
 * cannot be released or rolled back to means the transaction is gone
 * (SQLite rolls everything back on some I/O errors): the batch is broken. */
static int call_begin(struct yb_hosp *h, struct yb_err *e)
{
    if (!h->batch)
        return yb_store_begin(h->s, e);
    return yb_store_exec(h->s, "SAVEPOINT hosp_call", e);
}

static int call_commit(struct yb_hosp *h, struct yb_err *e)
{
    if (!h->batch)
        return yb_store_commit(h->s, e);
    int rc = yb_store_exec(h->s, "RELEASE hosp_call", e);
    if (rc != YB_OK)
        h->broken = true;
    return rc;
}

static void call_rollback(struct yb_hosp *h)
{
    if (!h->batch) {
        yb_store_rollback(h->s);
        return;
    }
    struct yb_err ignore = {0};
    if (yb_store_exec(h->s, "ROLLBACK TO hosp_call", &ignore) != YB_OK ||
        yb_store_exec(h->s, "RELEASE hosp_call", &ignore) != YB_OK)
        h->broken = true;
}

/* The value of `"sign_no":"` in an answer: its YB_SIGN_NO_LEN characters,
 * or NULL. A 9001 answer is stored with them blotted out and gets them
 * back, derived again from the credential, when it is replayed. */
static char *sign_no_in(char *answer)
{
    static const char key[] = "\"sign_no\":\"";
    char *p = strstr(answer, key);
    if (!p)
        return NULL;
    p += sizeof key - 1;
    return strlen(p) > YB_SIGN_NO_LEN && p[YB_SIGN_NO_LEN] == '"' ? p : NULL;
}

/* Steps 3-5 of the order of checks: the transaction is known, the
 * institution exists and the caller is that institution. Nothing about the
 * msgid is read before this passes. */
static int authenticate(struct yb_hosp *h, const struct yb_hosp_req *q,
                        const char *now, struct yb_err *e)
{
    const struct yb_env *v = &q->env;
    if (!q->tx)
        return yb_err_set(e, YB_EINVAL, "infno",
                          "不支持的交易编号 %s (unknown transaction)",
                          v->infno);
    if (strcmp(q->tx->infno, "9001") == 0) /* it checks the institution */
        return yb_credential_check(h->s, v->fixmedins_code, v->cainfo, now, e);
    if (!q->tx->sign)
        return yb_institution_known(h->s, v->fixmedins_code, e);
    /* a retried 9002 carries the session it closed */
    int rc = strcmp(q->tx->infno, "9002") == 0
                 ? yb_sign_known(h->s, v->fixmedins_code, v->sign_no, now, e)
                 : yb_sign_check(h->s, v->fixmedins_code, v->sign_no, now, e);
    /* A session of the institution means it exists (a session references
     * its institution): only a refused sign-in asks which check comes
     * first, the institution's. */
    struct yb_err unknown = {0};
    if (rc == YB_EPERM && yb_institution_known(h->s, v->fixmedins_code,
                                               &unknown) == YB_ENOTFOUND) {
        *e = unknown;
        return YB_ENOTFOUND;
    }
    return rc;
}

/* The institution's msgid seen before: the same request gets its stored
 * answer (a 9001's with its sign_no derived again), another is refused. */
static int replay(struct run *r, bool *done, struct yb_err *e)
{
    const struct yb_env *v = r->c.env;
    struct yb_message m;
    bool found = false;
    *done = false;
    int rc = yb_message_get(r->h->s, v->fixmedins_code, v->msgid, r->c.a, &m,
                            &found, e);
    if (rc != YB_OK || !found)
        return rc;
    if (strcmp(m.request_hash, r->q->hash) != 0)
        return yb_err_set(e, YB_EDUPLICATE, "msgid",
                          "报文ID %s 已用于另一笔交易 %s (msgid reused "
                          "for another request)",
                          v->msgid, m.infno);
    size_t n = strlen(m.response) + 1;
    r->answer = malloc(n);
    if (!r->answer)
        return yb_err_set(e, YB_ENOMEM, "message", "内存不足 (out of memory)");
    memcpy(r->answer, m.response, n);
    char *slot = strcmp(m.infno, "9001") == 0 ? sign_no_in(r->answer) : NULL;
    if (slot) {
        char sign_no[YB_SIGN_NO_LEN + 1];
        rc = yb_sign_recover(r->h->s, v->fixmedins_code, v->cainfo, m.ref,
                             sign_no, e);
        if (rc != YB_OK) {
            free(r->answer);
            r->answer = NULL;
            return rc;
        }
        memcpy(slot, sign_no, YB_SIGN_NO_LEN);
    }
    *done = true;
    return YB_OK;
}

/* The answer stored under the msgid: the answer itself, or for 9001 a
 * copy without the sign_no (the store never holds one). */
static int store_answer(struct run *r, struct yb_err *e)
{
    const struct yb_env *v = r->c.env;
    char *copy = NULL, *slot = NULL;
    if (strcmp(v->infno, "9001") == 0) {
        copy = strdup(r->answer);
        if (!copy)
            return yb_err_set(e, YB_ENOMEM, "message",
                              "内存不足 (out of memory)");
        if ((slot = sign_no_in(copy)) != NULL)
            memset(slot, '*', YB_SIGN_NO_LEN);
    }
    struct yb_message m = {.infcode = 0, .response = copy ? copy : r->answer};
    snprintf(m.fixmedins_code, sizeof m.fixmedins_code, "%s",
             v->fixmedins_code);
    snprintf(m.infno, sizeof m.infno, "%s", v->infno);
    snprintf(m.request_hash, sizeof m.request_hash, "%s", r->q->hash);
    snprintf(m.ref, sizeof m.ref, "%s", r->c.ref);
    int rc = yb_message_put(r->h->s, v->msgid, &m, r->c.now, e);
    free(copy);
    return rc;
}

/* The person a 1101 answer found (for the lookup audit). */
static const char *found_psn(struct run *r)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(r->c.output, "baseinfo");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(b, "psn_no");
    return cJSON_IsString(p) ? yb_arena_strdup(r->c.a, p->valuestring) : NULL;
}

/* Steps 6-8: the guard, the msgid, the transaction (first: the person
 * its input names is insured here); for a writing one its answer is
 * stored with it. Runs inside the call's transaction. */
static int run_tx(struct run *r, struct yb_err *e)
{
    const struct yb_hosp_tx *tx = r->q->tx;
    bool done = false;
    int rc = YB_OK;
    if (r->h->guard && strcmp(tx->infno, "1101") == 0) {
        rc = yb__guard_take(r->h->guard, r->c.env->fixmedins_code, r->c.now,
                            r->ms, e);
        r->lookup = rc == YB_OK;
    }
    /* only writing calls are stored, so only they can be replayed */
    if (rc == YB_OK && tx->writes)
        rc = replay(r, &done, e);
    if (rc != YB_OK || done)
        return rc;
    /* the person the input names is insured here (not for 1101) */
    if (tx->sign)
        rc = yb__hosp_insured_here(&r->c, e);
    if (rc == YB_OK)
        rc = tx->fn(&r->c, e);
    if (rc == YB_OK && r->lookup)
        r->psn_no = found_psn(r);
    if (rc == YB_OK) {
        r->answer = render(r->h, r->c.now, r->ms, 0, NULL, r->c.output);
        r->c.output = NULL;
        if (!r->answer)
            rc = yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    }
    if (rc == YB_OK && tx->writes)
        rc = store_answer(r, e);
    return rc;
}

struct yb_hosp_req *yb_hosp_parse(const char *body, size_t n)
{
    struct yb_hosp_req *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    /* the request's tree, its strings and its answer's tree live in its
     * arena (yb_json_use_arena) */
    yb_arena_init(&q->a, 16384);
    body = body ? body : "";
    struct yb_err *e = &q->err;
    struct yb_arena *was = yb_json_use_arena(&q->a);
    int rc = yb_json_parse(body, n, &q->root, e);
    yb_json_use_arena(was);
    if (rc == YB_OK)
        rc = read_env(q->root, &q->a, &q->env, e);
    if (rc == YB_OK) {
        q->tx = find_tx(q->env.infno);
        /* only a writing call is kept for msgid replay (a 1101 saves 4%) */
        if (q->tx && q->tx->writes)
            yb_hash_hex(body, n, q->hash);
    }
    q->rc = rc;
    return q;
}

bool yb_hosp_req_writes(const struct yb_hosp_req *q)
{
    return q && q->rc == YB_OK && q->tx && q->tx->writes;
}

void yb_hosp_req_ids(const struct yb_hosp_req *q, const char **infno,
                     const char **fixmedins_code, const char **msgid)
{
    *infno = q && q->env.infno ? q->env.infno : "";
    *fixmedins_code = q && q->env.fixmedins_code ? q->env.fixmedins_code : "";
    *msgid = q && q->env.msgid ? q->env.msgid : "";
}

void yb_hosp_req_free(struct yb_hosp_req *q)
{
    if (!q)
        return;
    /* Every node of q->root is in q->a: it is parsed, and changed only,
     * with yb_json_use_arena(&q->a). Freeing the arena frees the tree;
     * cJSON_Delete would only walk it (on the connection thread, nodes
     * the writer's core touched last: a twentieth of its time). */
    yb_arena_free(&q->a);
    free(q);
}

int yb_hosp_req_outcome(const struct yb_hosp_req *q, const struct yb_err **e)
{
    *e = q && q->infcode ? &q->out_err : NULL;
    return q ? q->infcode : -1;
}

/* Record a lookup the guard let through, with its result. */
static void audit(struct run *r, int rc, const struct yb_err *e)
{
    const struct yb_env *v = r->c.env;
    char path[64], masked[64];
    const cJSON *d = yb__hosp_node(&r->c, "data", path, sizeof path);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(d, "mdtrt_cert_type");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(d, "mdtrt_cert_no");
    const char *no = cJSON_IsString(n) ? n->valuestring : "";
    struct yb_lookup_rec rec = {
        .at = r->c.now,
        .fixmedins_code = v->fixmedins_code,
        .opter = v->opter,
        .opter_name = v->opter_name,
        .infno = v->infno,
        .msgid = v->msgid,
        .psn_no = rc == YB_OK && r->psn_no ? r->psn_no : "",
        .cert_type = cJSON_IsString(t) ? t->valuestring : "",
        .cert_no = strlen(no) < sizeof masked
                       ? yb_mask_ids(no, masked, sizeof masked)
                       : "(too long)",
        .infcode = rc == YB_OK ? 0 : -1,
        .err_code = rc == YB_OK ? 0 : e->code};
    yb__guard_audit(r->h->guard, &rec);
}

static int call(struct run *r, struct yb_err *e)
{
    struct yb_hosp_req *q = r->q;
    if (q->rc != YB_OK) {
        *e = q->err;
        return q->rc;
    }
    r->c.env = &q->env;
    bool writes = q->tx && q->tx->writes;
    if (writes && r->h->batch && r->h->broken)
        return yb_err_set(e, YB_ESTORE, "store",
                          "存储事务已失败，请重试 (batch lost, retry)");
    int rc = writes ? call_begin(r->h, e) : YB_OK;
    if (rc != YB_OK)
        return rc;
    rc = authenticate(r->h, q, r->c.now, e);
    if (rc == YB_OK) {
        r->c.output = cJSON_CreateObject();
        rc = r->c.output ? run_tx(r, e)
                         : yb_err_set(e, YB_ENOMEM, "output",
                                      "内存不足 (out of memory)");
        cJSON_Delete(r->c.output);
        r->c.output = NULL;
    }
    if (writes && rc == YB_OK)
        rc = call_commit(r->h, e);
    if (writes && rc != YB_OK)
        call_rollback(r->h);
    if (rc != YB_OK) {
        free(r->answer);
        r->answer = NULL;
    }
    if (r->lookup)
        audit(r, rc, e);
    return rc;
}

/* Run fn in one read transaction of h's store (a snapshot that writers
 * do not block) unless the caller has one open. */
static int in_snapshot(struct yb_hosp *h, struct run *r,
                       int (*fn)(struct run *, struct yb_err *),
                       struct yb_err *e)
{
    bool own = !h->batch && !yb_store_in_transaction(h->s);
    int rc = own ? yb_store_begin(h->s, e) : YB_OK;
    if (rc == YB_OK)
        rc = fn(r, e);
    if (own && yb_store_in_transaction(h->s)) {
        struct yb_err ignore = {0};
        if (yb_store_commit(h->s, &ignore) != YB_OK) /* it wrote nothing */
            yb_store_rollback(h->s);
    }
    return rc;
}

/* The outcome of a call for the log, and its text. */
static char *finish(struct run *r, int rc, struct yb_err *e, const char *now,
                    int now_ms)
{
    if (rc != YB_OK && e->code == YB_OK) /* a refusal nobody explained */
        yb_err_set(e, YB_ESTORE, "", "内部错误 (internal error %d)", rc);
    r->q->infcode = rc == YB_OK ? 0 : -1;
    static const struct yb_err none;
    r->q->out_err = rc == YB_OK ? none : *e;
    return rc == YB_OK ? r->answer : render_error(r->h, now, now_ms, e);
}

char *yb_hosp_answer(struct yb_hosp *h, struct yb_hosp_req *q, const char *now,
                     int now_ms)
{
    struct yb_err e = {0};
    struct run r = {
        .h = h, .q = q, .ms = now_ms, .c = {.h = h, .now = now, .a = &q->a}};
    struct yb_arena *was = yb_json_use_arena(&q->a); /* the answer's tree */
    /* A reading call sees one state of the database: a read transaction
     * (on SQLite's WAL, a snapshot that writers do not block). */
    int rc = q->rc == YB_OK && !yb_hosp_req_writes(q)
                 ? in_snapshot(h, &r, call, &e)
                 : call(&r, &e);
    char *text = finish(&r, rc, &e, now, now_ms);
    yb_json_use_arena(was);
    return text;
}

static int admit(struct run *r, struct yb_err *e)
{
    if (r->q->rc != YB_OK) {
        *e = r->q->err;
        return r->q->rc;
    }
    return authenticate(r->h, r->q, r->c.now, e);
}

int yb_hosp_admit(struct yb_hosp *h, struct yb_hosp_req *q, const char *now,
                  int now_ms, char **refusal)
{
    struct yb_err e = {0};
    struct run r = {
        .h = h, .q = q, .ms = now_ms, .c = {.h = h, .now = now, .a = &q->a}};
    *refusal = NULL;
    struct yb_arena *was = yb_json_use_arena(&q->a);
    int rc = in_snapshot(h, &r, admit, &e);
    if (rc != YB_OK)
        *refusal = finish(&r, rc, &e, now, now_ms);
    yb_json_use_arena(was);
    return rc;
}

char *yb_hosp_call(struct yb_hosp *h, const char *body, size_t n,
                   const char *now, int now_ms)
{
    struct yb_hosp_req *q = yb_hosp_parse(body, body ? n : 0);
    if (!q)
        return NULL;
    char *out = yb_hosp_answer(h, q, now, now_ms);
    yb_hosp_req_free(q);
    return out;
}

char *yb_hosp_refusal(struct yb_hosp *h, const char *now, int now_ms,
                      const struct yb_err *e)
{
    return render_error(h, now, now_ms, e);
}

/* ---- group commit ------------------------------------------------------- */

int yb_hosp_batch_begin(struct yb_hosp *h, struct yb_err *e)
{
    if (h->batch)
        return yb_err_set(e, YB_EINVAL, "batch",
                          "批次已经打开 (a batch is already open)");
    int rc = yb_store_begin(h->s, e);
    if (rc == YB_OK) {
        h->batch = true;
        h->broken = false;
    }
    return rc;
}

int yb_hosp_batch_commit(struct yb_hosp *h, struct yb_err *e)
{
    if (!h->batch)
        return yb_err_set(e, YB_EINVAL, "batch",
                          "没有打开的批次 (no batch is open)");
    h->batch = false;
    if (h->broken) {
        yb_store_rollback(h->s);
        return yb_err_set(e, YB_ESTORE, "store",
                          "存储事务已失败，请重试 (batch lost, retry)");
    }
    return yb_store_commit(h->s, e); /* a failed commit rolls back */
}

void yb_hosp_batch_rollback(struct yb_hosp *h)
{
    if (!h->batch)
        return;
    h->batch = false;
    yb_store_rollback(h->s);
}

/* ---- helpers for the transactions --------------------------------------- */

const cJSON *yb__hosp_node(const struct yb_hcall *c, const char *node,
                           char *path, size_t n)
{
    const cJSON *in = c->env->input;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(in, node);
    /* present but no object (an array, a string): returned as it is, so
     * that the first field read names it as of the wrong type */
    if (d != NULL && !cJSON_IsNull(d)) {
        snprintf(path, n, "input.%s", node);
        return d;
    }
    snprintf(path, n, "input");
    return in;
}

int yb__hosp_add_str(cJSON *o, const char *k, const char *v, struct yb_err *e)
{
    if (!cJSON_AddStringToObject(o, k, v ? v : ""))
        return yb_err_set(e, YB_ENOMEM, k, "内存不足 (out of memory)");
    return YB_OK;
}

int yb__hosp_str(struct yb_hcall *c, const cJSON *node, const char *path,
                 const char *key, bool required, size_t maxlen,
                 const char **out, struct yb_err *e)
{
    *out = NULL;
    int rc =
        yb_json_string(node, key, path, required, maxlen, true, c->a, out, e);
    if (rc == YB_OK && required && !**out) {
        char p[160];
        return yb_err_set(e, YB_EINVAL,
                          yb_json_path_key(p, sizeof p, path, key),
                          "必填，不能为空 (empty)");
    }
    return rc;
}

int yb__hosp_fields(struct yb_hcall *c, const cJSON *node, const char *path,
                    const struct yb_hosp_field *f, size_t n, struct yb_err *e)
{
    int rc = YB_OK;
    for (size_t i = 0; rc == YB_OK && i < n; i++)
        rc = yb__hosp_str(c, node, path, f[i].key, f[i].required, f[i].maxlen,
                          f[i].slot, e);
    return rc;
}

/* A service error's field (a name of the input) gets the input's path;
 * sign_no and policy (no policy in force) are not the input's. */
int yb__hosp_at(int rc, const char *path, struct yb_err *e)
{
    if (rc != YB_OK && e->field[0] && strncmp(e->field, "input", 5) != 0 &&
        strcmp(e->field, "sign_no") != 0 && strcmp(e->field, "policy") != 0) {
        char f[sizeof e->field];
        snprintf(f, sizeof f, "%.60s.%.60s", path, e->field);
        memcpy(e->field, f, sizeof f);
    }
    return rc;
}

/* The catalogue, loaded at first need and again when the table changed. */
int yb__hosp_catalogue(struct yb_hosp *h, struct yb_err *e)
{
    int64_t version = 0;
    int rc = yb_catalogue_version(h->s, &version, e);
    if (rc != YB_OK)
        return rc;
    if (h->cat_loaded && version == h->cat_version)
        return YB_OK;
    yb_catalogue_free(&h->cat);
    yb_arena_free(&h->cat_arena);
    yb_arena_init(&h->cat_arena, 1 << 20);
    h->cat_loaded = false;
    struct yb_catalogue_entry *entries = NULL;
    size_t k = 0;
    rc = yb_catalogue_load(h->s, &h->cat_arena, &entries, &k, e);
    if (rc == YB_OK)
        rc = yb_catalogue_build(&h->cat, entries, k, e);
    if (rc != YB_OK)
        return rc;
    h->cat_loaded = true;
    h->cat_version = version;
    return YB_OK;
}

int yb__hosp_policy(struct yb_hosp *h, const struct yb_visit_rec *v,
                    const struct yb_settle_out *view, yb_date day,
                    const struct yb_policy **out, struct yb_err *e)
{
    struct yb_policy_pick pick;
    int rc =
        yb_policy_cache_in_force(h->policies, h->s, view->visit.insuplc_admdvs,
                                 v->insutype, day, &pick, e);
    *out = rc == YB_OK ? pick.policy : NULL;
    return rc;
}
