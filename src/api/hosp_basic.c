/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hospital interface's basic transactions (docs/hospital.md):
 *   9001 签到 sign in       input.signIn {opter_no, mac, ip}; the
 *                           institution's credential in the envelope's
 *                           cainfo; output.signinoutb {sign_time, sign_no}
 *   9002 签退 sign out      input.signOut {sign_no, opter_no}
 *   1101 人员信息获取       input.data {mdtrt_cert_type, mdtrt_cert_no,
 *                           psn_name?, begntime?}; output baseinfo,
 *                           insuinfo[], idetinfo[]
 *   1901 字典表查询         input.data {type?}; output list[]
 */
#include <stdio.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/dict.h"
#include "yibao/enrolment.h"
#include "yibao/hospital.h"
#include "yibao/idcard.h"
#include "yibao/registry.h"

/* ---- 9001 / 9002 ------------------------------------------------------- */

static int tx_9001(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], sign_no[YB_SIGN_NO_LEN + 1], sign_time[20];
    const cJSON *in = yb__hosp_node(c, "signIn", path, sizeof path);
    struct yb_signin s = {.fixmedins_code = c->env->fixmedins_code,
                          .secret = c->env->cainfo,
                          .now = c->now};
    int rc = yb__hosp_str(c, in, path, "opter_no", true, 20, &s.opter_no, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "mac", false, 20, &s.mac, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "ip", false, 20, &s.ip, e);
    if (rc == YB_OK)
        rc = yb_sign_in(c->h->s, &s, sign_no, sign_time, e);
    if (rc != YB_OK)
        return rc;
    /* the log keeps the session's digest, never the sign_no (2601 signs it
     * out by the digest) */
    yb_hash_hex(sign_no, strlen(sign_no), c->ref);
    cJSON *o = cJSON_AddObjectToObject(c->output, "signinoutb");
    if (!o)
        return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    rc = yb__hosp_add_str(o, "sign_time", sign_time, e);
    return rc == YB_OK ? yb__hosp_add_str(o, "sign_no", sign_no, e) : rc;
}

static int tx_9002(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "signOut", path, sizeof path);
    const char *sign_no = NULL, *opter_no = NULL;
    int rc = yb__hosp_str(c, in, path, "sign_no", false, 30, &sign_no, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "opter_no", false, 20, &opter_no, e);
    if (rc != YB_OK)
        return rc;
    /* the session closed is the one the input names, else the envelope's */
    if (!sign_no || !*sign_no)
        sign_no = c->env->sign_no;
    else if (c->env->sign_no && strcmp(sign_no, c->env->sign_no) != 0)
        return yb_err_set(e, YB_EINVAL, "input.signOut.sign_no",
                          "与报文头的 sign_no 不一致 (differs from the "
                          "envelope)");
    rc = yb_sign_out(c->h->s, c->env->fixmedins_code, sign_no, c->now, e);
    if (rc != YB_OK)
        return rc;
    cJSON *o = cJSON_AddObjectToObject(c->output, "signoutoutb");
    if (!o)
        return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    return yb__hosp_add_str(o, "sign_time", c->now, e);
}

/* ---- 1101 -------------------------------------------------------------- */

/* A person's enrolments, read once (yb_enrol_list), then chosen and
 * ordered. */
struct enrolments {
    struct yb_arena *a;
    struct yb_enrolment *v;
    size_t n, cap;
    bool oom;
};

static void keep_enrolment(const struct yb_enrolment *en, void *ud)
{
    struct enrolments *l = ud;
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct yb_enrolment *v = yb_arena_alloc(l->a, cap * sizeof *v);
        if (!v) {
            l->oom = true;
            return;
        }
        if (l->n)
            memcpy(v, l->v, l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *en;
}

static bool ended(const struct yb_enrolment *en)
{
    return strcmp(en->status, "cancelled") == 0 ||
           strcmp(en->status, "transferred") == 0;
}

/* The coverage year to report: the one asked (begntime), else the year of
 * the call when the person has an enrolment in it, else the latest year
 * before it, else the first after it. */
static int year_to_report(const struct enrolments *l, int asked, bool explicit)
{
    if (explicit)
        return asked;
    int before = 0, after = 0;
    for (size_t i = 0; i < l->n; i++) {
        int y = l->v[i].year;
        if (y == asked)
            return y;
        if (y < asked && y > before)
            before = y;
        if (y > asked && (!after || y < after))
            after = y;
    }
    return before ? before : after ? after : asked;
}

/* psn_insu_stas on day `on`: 1 正常参保 (covered that day), 2 暂停参保
 * (enrolled but not covered: unpaid, waiting, or not yet begun), 4 终止参保
 * (cancelled or transferred, or its cover ended before the day); *end
 * gets the day it ended (0 when it has not). */
static const char *insu_stas(const struct yb_enrolment *en, yb_date on,
                             yb_date *end)
{
    *end = 0;
    if (ended(en)) {
        *end = en->covered_to;
        return "4";
    }
    if (strcmp(en->status, YB_ENROL_COVERED) != 0)
        return "2";
    yb_date last =
        en->covered_to ? en->covered_to : yb_date_from_ymd(en->year, 12, 31);
    if (last < on) {
        *end = last;
        return "4";
    }
    if (en->covered_from > on)
        return "2";
    return "1";
}

static int add_insu(cJSON *list, const struct yb_enrolment *en, yb_date on,
                    struct yb_err *e)
{
    char d[11], p[11];
    yb_date end = 0;
    const char *stas = insu_stas(en, on, &end);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(list, o)) {
        cJSON_Delete(o);
        return yb_err_set(e, YB_ENOMEM, "insuinfo", "内存不足 (out of memory)");
    }
    yb_json_add_money(o, "balc", 0);
    cJSON_AddStringToObject(o, "insutype", en->insutype);
    cJSON_AddStringToObject(o, "psn_type", en->psn_type);
    cJSON_AddStringToObject(o, "psn_insu_stas", stas);
    cJSON_AddStringToObject(
        o, "psn_insu_date",
        en->covered_from ? yb_date_format(en->covered_from, d) : "");
    cJSON_AddStringToObject(o, "paus_insu_date",
                            end ? yb_date_format(end, p) : "");
    cJSON_AddStringToObject(o, "cvlserv_flag", "0");
    cJSON_AddStringToObject(o, "insuplc_admdvs", en->admdvs);
    cJSON_AddStringToObject(o, "emp_name", "");
    if (!yb_json_add_int(o, "year", en->year))
        return yb_err_set(e, YB_ENOMEM, "insuinfo", "内存不足 (out of memory)");
    return YB_OK;
}

/* insuinfo[]: the enrolments of the year to report, the live ones first
 * (an HIS reads insuinfo[0]), then the cancelled and transferred. */
static int insu_info(struct yb_hcall *c, const char *psn_no, yb_date on,
                     bool explicit, struct yb_err *e)
{
    struct enrolments l = {.a = c->a};
    cJSON *list = cJSON_AddArrayToObject(c->output, "insuinfo");
    if (!list)
        return yb_err_set(e, YB_ENOMEM, "insuinfo", "内存不足 (out of memory)");
    int rc = yb_enrol_list(c->h->s, psn_no, keep_enrolment, &l, e);
    if (rc == YB_OK && l.oom)
        rc = yb_err_set(e, YB_ENOMEM, "insuinfo", "内存不足 (out of memory)");
    int year = year_to_report(&l, yb_date_year(on), explicit);
    for (int pass = 0; rc == YB_OK && pass < 2; pass++)
        for (size_t i = 0; rc == YB_OK && i < l.n; i++)
            if (l.v[i].year == year && ended(&l.v[i]) == (pass == 1))
                rc = add_insu(list, &l.v[i], on, e);
    return rc;
}

struct p1101 {
    cJSON *list;
    int rc;
    struct yb_err *e;
};

static void add_idet(const struct yb_identity_rec *r, void *ud)
{
    struct p1101 *p = ud;
    char b[11], t[24];
    if (p->rc != YB_OK)
        return;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(p->list, o)) {
        cJSON_Delete(o);
        p->rc =
            yb_err_set(p->e, YB_ENOMEM, "idetinfo", "内存不足 (out of memory)");
        return;
    }
    cJSON_AddStringToObject(o, "psn_idet_type", r->idet);
    cJSON_AddStringToObject(o, "psn_type_lv", "");
    cJSON_AddStringToObject(o, "memo", r->source ? r->source : "");
    snprintf(t, sizeof t, "%s 00:00:00", yb_date_format(r->begin, b));
    cJSON_AddStringToObject(o, "begntime", t);
    if (r->end)
        snprintf(t, sizeof t, "%s 23:59:59", yb_date_format(r->end, b));
    cJSON_AddStringToObject(o, "endtime", r->end ? t : "");
}

static int base_info(struct yb_hcall *c, const struct yb_person_rec *p,
                     yb_date today, struct yb_err *e)
{
    char d[11], g[4];
    cJSON *o = cJSON_AddObjectToObject(c->output, "baseinfo");
    if (!o)
        return yb_err_set(e, YB_ENOMEM, "baseinfo", "内存不足 (out of memory)");
    snprintf(g, sizeof g, "%d", p->gend);
    cJSON_AddStringToObject(o, "psn_no", p->psn_no);
    cJSON_AddStringToObject(o, "psn_cert_type", "01"); /* 居民身份证 */
    cJSON_AddStringToObject(o, "certno", p->certno);
    cJSON_AddStringToObject(o, "psn_name", p->psn_name);
    cJSON_AddStringToObject(o, "gend", g);
    cJSON_AddStringToObject(o, "naty", p->naty ? p->naty : "");
    cJSON_AddStringToObject(o, "brdy", yb_date_format(p->brdy, d));
    yb_json_add_int(o, "age", yb_date_age(p->brdy, today));
    if (!cJSON_AddStringToObject(o, "exp_content", ""))
        return yb_err_set(e, YB_ENOMEM, "baseinfo", "内存不足 (out of memory)");
    return YB_OK;
}

/* The person the 1101 input names, only by the documented credentials:
 * mdtrt_cert_type 02 (居民身份证) or 03 (社会保障卡, which carries the ID
 * number), mdtrt_cert_no an 18-character ID number (GB 11643). A person
 * number is not a credential: sequential psn_no values would list every
 * insured person. Nothing here may block (an answer is one indexed read). */
static int who_1101(struct yb_hcall *c, const cJSON *in, const char *path,
                    struct yb_person_rec *p, yb_date *on, bool *explicit,
                    struct yb_err *e)
{
    const char *type = NULL, *no = NULL, *name = NULL, *begn = NULL;
    char f[96];
    struct yb_err why = {0};
    int rc = yb__hosp_str(c, in, path, "mdtrt_cert_type", true, 3, &type, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "mdtrt_cert_no", true, 50, &no, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "psn_name", false, 50, &name, e);
    if (rc == YB_OK)
        rc = yb__hosp_str(c, in, path, "begntime", false, 19, &begn, e);
    if (rc != YB_OK)
        return rc;
    if (strcmp(type, "02") != 0 && strcmp(type, "03") != 0)
        return yb_err_set(
            e, YB_EINVAL,
            yb_json_path_key(f, sizeof f, path, "mdtrt_cert_type"),
            "不支持的就诊凭证类型 \"%s\"（支持 02 身份证、03 "
            "社保卡）(unsupported credential type)",
            type);
    if (yb_idcard_parse(no, NULL, "mdtrt_cert_no", &why) != YB_OK) {
        /* the parser's message, Chinese first, with its English gist
         * moved to the end: one gist a message, short enough for
         * yb_err's 256 bytes with a 64-byte value shown */
        size_t zh = strlen(why.msg);
        const char *gist = "";
        const char *open = strrchr(why.msg, '(');
        if (open && open > why.msg && open[-1] == ' ' && zh > 0 &&
            why.msg[zh - 1] == ')') {
            gist = open + 1;
            zh = (size_t)(open - 1 - why.msg);
        }
        /* Chinese first: why.msg begins with Chinese (idcard.c) */
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "mdtrt_cert_no"),
            "%.*s；1101 只受理身份证号码，不受理人员编号等其他号码 "
            "(%.*s%s1101 takes an ID number only)",
            (int)zh, why.msg, (int)(*gist ? strlen(gist) - 1 : 0), gist,
            *gist ? "; " : "");
    }
    *explicit = begn && *begn;
    if (*explicit &&
        yb_datetime_parse(begn, true, on, NULL,
                          yb_json_path_key(f, sizeof f, path, "begntime"),
                          e) != YB_OK)
        return YB_EINVAL;
    rc = yb_person_find(c->h->s, no, c->a, p, e);
    if (rc == YB_ENOTFOUND)
        return yb_err_set(e, YB_ENOTFOUND,
                          yb_json_path_key(f, sizeof f, path, "mdtrt_cert_no"),
                          "查无此人：%s 未登记 (no such person)", no);
    if (rc == YB_OK && name && *name && strcmp(name, p->psn_name) != 0)
        return yb_err_set(e, YB_EINVAL,
                          yb_json_path_key(f, sizeof f, path, "psn_name"),
                          "姓名 \"%s\" 与登记姓名不符 (name differs)", name);
    return rc;
}

static int tx_1101(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    struct yb_person_rec p;
    yb_date today = 0, on = 0;
    bool explicit = false;
    yb_datetime_parse(c->now, false, &today, NULL, "now", NULL);
    on = today;
    int rc = who_1101(c, in, path, &p, &on, &explicit, e);
    if (rc == YB_OK)
        rc = base_info(c, &p, today, e);
    if (rc == YB_OK)
        rc = insu_info(c, p.psn_no, on, explicit, e);
    if (rc != YB_OK)
        return rc;
    struct p1101 x = {.rc = YB_OK, .e = e};
    x.list = cJSON_AddArrayToObject(c->output, "idetinfo");
    rc = x.list
             ? yb_identity_list(c->h->s, p.psn_no, add_idet, &x, e)
             : yb_err_set(e, YB_ENOMEM, "idetinfo", "内存不足 (out of memory)");
    return rc == YB_OK ? x.rc : rc;
}

/* ---- 1901 -------------------------------------------------------------- */

/* The code tables 1901 lists, under the names of the fields that carry
 * them: every dict table (the identity table as psn_idet_type), and the
 * catalogue's list type once more as med_chrgitm_type, the field 2204
 * writes it in (yibao's catalogue has no other charge-item class). */
static const char *national_type(enum yb_dict_kind k)
{
    return k == YB_DICT_IDET ? "psn_idet_type" : yb_dict_name(k);
}

static const struct {
    const char *type;
    enum yb_dict_kind kind;
} also[] = {
    {"med_chrgitm_type", YB_DICT_LIST_TYPE},
};

/* Append table kind under the name type to list. */
static int list_table(cJSON *list, const char *type, enum yb_dict_kind kind,
                      struct yb_err *e)
{
    int n = 0;
    const struct yb_dict_entry *en = yb_dict_entries(kind, &n);
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(list, o)) {
            cJSON_Delete(o);
            return yb_err_set(e, YB_ENOMEM, "list", "内存不足 (out of memory)");
        }
        cJSON_AddStringToObject(o, "type", type);
        cJSON_AddStringToObject(o, "label", en[i].name);
        cJSON_AddStringToObject(o, "value", en[i].code);
        cJSON_AddStringToObject(o, "parent_value", "");
        yb_json_add_int(o, "sort", i + 1);
        if (!cJSON_AddStringToObject(
                o, "vali_flag", yb_dict_taken(kind, en[i].code) ? "1" : "0"))
            return yb_err_set(e, YB_ENOMEM, "list", "内存不足 (out of memory)");
    }
    return YB_OK;
}

/* 1901 字典表查询: input.data.type, a table name or "" for every table →
 * output.list[] {type, label, value, parent_value, sort, vali_flag}. */
static int tx_1901(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], f[96];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *type = NULL;
    int rc = yb__hosp_str(c, in, path, "type", false, 30, &type, e);
    if (rc != YB_OK)
        return rc;
    bool all = !type || !*type, any = false;
    cJSON *list = cJSON_AddArrayToObject(c->output, "list");
    if (!list)
        return yb_err_set(e, YB_ENOMEM, "list", "内存不足 (out of memory)");
    for (int k = 0; rc == YB_OK && k < YB_DICT__COUNT; k++) {
        const char *name = national_type((enum yb_dict_kind)k);
        if (!all && strcmp(type, name) != 0 &&
            strcmp(type, yb_dict_name((enum yb_dict_kind)k)) != 0)
            continue;
        any = true;
        rc = list_table(list, name, (enum yb_dict_kind)k, e);
    }
    for (size_t i = 0; rc == YB_OK && i < sizeof also / sizeof *also; i++)
        if (all || strcmp(type, also[i].type) == 0) {
            any = true;
            rc = list_table(list, also[i].type, also[i].kind, e);
        }
    if (rc == YB_OK && !any)
        return yb_err_set(e, YB_ENOTFOUND,
                          yb_json_path_key(f, sizeof f, path, "type"),
                          "没有字典 \"%s\" (no such code table)", type);
    return rc;
}

const struct yb_hosp_tx yb__hosp_basic[] = {
    {"9001", "签到", false, true, tx_9001},
    {"9002", "签退", true, true, tx_9002},
    {"1101", "人员信息获取", true, false, tx_1101},
    {"1901", "字典表查询", true, false, tx_1901},
    {NULL, NULL, false, false, NULL},
};
