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
    snprintf(c->ref, sizeof c->ref, "%s", sign_no);
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
                          "签到编号 %s 与报文头 sign_no %s 不一致 (differs "
                          "from the envelope)",
                          sign_no, c->env->sign_no);
    rc = yb_sign_out(c->h->s, c->env->fixmedins_code, sign_no, c->now, e);
    if (rc != YB_OK)
        return rc;
    cJSON *o = cJSON_AddObjectToObject(c->output, "signoutoutb");
    if (!o)
        return yb_err_set(e, YB_ENOMEM, "output", "内存不足 (out of memory)");
    return yb__hosp_add_str(o, "sign_time", c->now, e);
}

/* ---- 1101 -------------------------------------------------------------- */

struct p1101 {
    struct yb_hcall *c;
    cJSON *list;
    int year;
    int rc;
    struct yb_err *e;
};

/* psn_insu_stas: 1 正常参保, 2 暂停参保 (enrolled, not paid or waiting),
 * 4 终止参保 (cancelled or transferred away). */
static const char *insu_stas(const char *status)
{
    if (strcmp(status, YB_ENROL_COVERED) == 0)
        return "1";
    if (strcmp(status, "cancelled") == 0 || strcmp(status, "transferred") == 0)
        return "4";
    return "2";
}

static void add_insu(const struct yb_enrolment *en, void *ud)
{
    struct p1101 *p = ud;
    char d[11];
    if (p->rc != YB_OK || en->year != p->year)
        return;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(p->list, o)) {
        cJSON_Delete(o);
        p->rc =
            yb_err_set(p->e, YB_ENOMEM, "insuinfo", "内存不足 (out of memory)");
        return;
    }
    yb_json_add_money(o, "balc", 0);
    cJSON_AddStringToObject(o, "insutype", en->insutype);
    cJSON_AddStringToObject(o, "psn_type", en->psn_type);
    cJSON_AddStringToObject(o, "psn_insu_stas", insu_stas(en->status));
    cJSON_AddStringToObject(
        o, "psn_insu_date",
        en->covered_from ? yb_date_format(en->covered_from, d) : "");
    cJSON_AddStringToObject(o, "paus_insu_date",
                            strcmp(insu_stas(en->status), "4") == 0 &&
                                    en->covered_to
                                ? yb_date_format(en->covered_to, d)
                                : "");
    cJSON_AddStringToObject(o, "cvlserv_flag", "0");
    cJSON_AddStringToObject(o, "insuplc_admdvs", en->admdvs);
    cJSON_AddStringToObject(o, "emp_name", "");
    yb_json_add_int(o, "year", en->year);
}

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

/* The person the 1101 input names: by ID number (mdtrt_cert_type 02, or
 * 03 — the social security card carries it) or by psn_no. */
static int who_1101(struct yb_hcall *c, const cJSON *in, const char *path,
                    struct yb_person_rec *p, yb_date *on, struct yb_err *e)
{
    const char *type = NULL, *no = NULL, *name = NULL, *begn = NULL;
    char f[96];
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
            "社保卡）",
            type);
    if (begn && *begn &&
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
    yb_datetime_parse(c->now, false, &today, NULL, "now", NULL);
    on = today;
    int rc = who_1101(c, in, path, &p, &on, e);
    if (rc == YB_OK)
        rc = base_info(c, &p, today, e);
    if (rc != YB_OK)
        return rc;
    struct p1101 x = {.c = c, .year = yb_date_year(on), .rc = YB_OK, .e = e};
    x.list = cJSON_AddArrayToObject(c->output, "insuinfo");
    if (!x.list)
        return yb_err_set(e, YB_ENOMEM, "insuinfo", "内存不足 (out of memory)");
    rc = yb_enrol_list(c->h->s, p.psn_no, add_insu, &x, e);
    if (rc == YB_OK && x.rc == YB_OK) {
        x.list = cJSON_AddArrayToObject(c->output, "idetinfo");
        rc = x.list ? yb_identity_list(c->h->s, p.psn_no, add_idet, &x, e)
                    : yb_err_set(e, YB_ENOMEM, "idetinfo",
                                 "内存不足 (out of memory)");
    }
    return rc == YB_OK ? x.rc : rc;
}

/* ---- 1901 -------------------------------------------------------------- */

/* The national name of a code table (the dictionary's own name but for
 * the identity table, psn_idet_type on the interface). */
static const char *national_type(enum yb_dict_kind k)
{
    return k == YB_DICT_IDET ? "psn_idet_type" : yb_dict_name(k);
}

static int tx_1901(struct yb_hcall *c, struct yb_err *e)
{
    char path[64], f[96];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *type = NULL;
    int rc = yb__hosp_str(c, in, path, "type", false, 30, &type, e);
    if (rc != YB_OK)
        return rc;
    cJSON *list = cJSON_AddArrayToObject(c->output, "list");
    if (!list)
        return yb_err_set(e, YB_ENOMEM, "list", "内存不足 (out of memory)");
    bool any = false;
    for (int k = 0; k < YB_DICT__COUNT; k++) {
        const char *name = national_type((enum yb_dict_kind)k);
        if (type && *type && strcmp(type, name) != 0 &&
            strcmp(type, yb_dict_name((enum yb_dict_kind)k)) != 0)
            continue;
        any = true;
        int n = 0;
        const struct yb_dict_entry *en =
            yb_dict_entries((enum yb_dict_kind)k, &n);
        for (int i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            if (!o || !cJSON_AddItemToArray(list, o)) {
                cJSON_Delete(o);
                return yb_err_set(e, YB_ENOMEM, "list",
                                  "内存不足 (out of memory)");
            }
            cJSON_AddStringToObject(o, "type", name);
            cJSON_AddStringToObject(o, "label", en[i].name);
            cJSON_AddStringToObject(o, "value", en[i].code);
            cJSON_AddStringToObject(o, "parent_value", "");
            yb_json_add_int(o, "sort", i + 1);
            cJSON_AddStringToObject(o, "vali_flag", "1");
        }
    }
    if (!any)
        return yb_err_set(e, YB_ENOTFOUND,
                          yb_json_path_key(f, sizeof f, path, "type"),
                          "没有字典 \"%s\" (no such code table)", type);
    return YB_OK;
}

const struct yb_hosp_tx yb__hosp_basic[] = {
    {"9001", "签到", false, true, tx_9001},
    {"9002", "签退", true, true, tx_9002},
    {"1101", "人员信息获取", true, false, tx_1101},
    {"1901", "字典表查询", true, false, tx_1901},
    {NULL, NULL, false, false, NULL},
};
