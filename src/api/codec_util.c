/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small helpers shared by the codecs: the setlinfo figure table that the
 * JSON and text renderers both walk (so a new figure is added once), dict
 * codes by index, and the text of a JSON value for error messages.
 */
#include <stdio.h>
#include <string.h>

#include "api_int.h"

#define F(name, label)                                                         \
    {                                                                          \
#name, label, offsetof(struct yb_setlinfo, name), 2                    \
    }
#define RATIO(name, label)                                                     \
    {                                                                          \
#name, label, offsetof(struct yb_setlinfo, name), 4                    \
    }

/* The order of the national 2207 setlinfo (docs/hospital.md). */
const struct yb__setl_field yb__setl_fields[] = {
    F(medfee_sumamt, "医疗费用总额"),
    F(fulamt_ownpay_amt, "全自费金额"),
    F(overlmt_selfpay, "超限价自费费用"),
    F(preselfpay_amt, "先行自付金额"),
    F(inscp_scp_amt, "符合政策范围金额"),
    F(act_pay_dedc, "实际支付起付线"),
    F(hifp_pay, "基本医疗保险统筹基金支出"),
    RATIO(pool_prop_selfpay, "基本医疗保险统筹基金支付比例"),
    F(cvlserv_pay, "公务员医疗补助资金支出"),
    F(hifes_pay, "补充医疗保险基金支出"),
    F(hifmi_pay, "居民大病保险资金支出"),
    F(hifob_pay, "大额医疗补助基金支出"),
    F(maf_pay, "医疗救助基金支出"),
    F(oth_pay, "其他支出"),
    F(fund_pay_sumamt, "基金支付总额"),
    F(psn_part_amt, "个人负担总金额"),
    F(acct_pay, "个人账户支出"),
    F(psn_cash_pay, "个人现金支出"),
    F(hosp_part_amt, "医院负担金额"),
};

#undef F
#undef RATIO

const size_t yb__n_setl_fields =
    sizeof yb__setl_fields / sizeof yb__setl_fields[0];

int64_t yb__setl_value(const struct yb_setlinfo *info,
                       const struct yb__setl_field *f)
{
    int64_t v;

    memcpy(&v, (const char *)info + f->offset, sizeof v);
    return v;
}

cJSON *yb__setl_add(cJSON *obj, const struct yb_setlinfo *info,
                    const struct yb__setl_field *f)
{
    char buf[48];

    if (f->scale == 2)
        return yb_json_add_money(obj, f->name, yb__setl_value(info, f));
    yb_decimal_format(yb__setl_value(info, f), f->scale, buf);
    return cJSON_AddRawToObject(obj, f->name, buf);
}

const char *yb__dict_code(enum yb_dict_kind kind, int idx)
{
    int n = 0;
    const struct yb_dict_entry *t = yb_dict_entries(kind, &n);

    if (t == NULL || idx < 0 || idx >= n)
        return "";
    return t[idx].code;
}

int yb__json_gender(const cJSON *obj, const char *path, bool required, int *out,
                    struct yb_err *e)
{
    int idx = -1;
    int rc = yb_json_code(obj, "gend", path, required, YB_DICT_GEND, &idx, e);
    const char *code = yb__dict_code(YB_DICT_GEND, idx);

    if (rc != YB_OK || idx < 0)
        return rc;
    if (strcmp(code, "1") == 0)
        *out = YB_GENDER_MALE;
    else if (strcmp(code, "2") == 0)
        *out = YB_GENDER_FEMALE;
    else
        *out = YB_GENDER_UNKNOWN;
    return YB_OK;
}

char *yb__json_text(const cJSON *item, char *buf, size_t n)
{
    buf[0] = '\0';
    if (item == NULL)
        snprintf(buf, n, "(absent)");
    else if (cJSON_IsString(item))
        snprintf(buf, n, "\"%.40s%s\"", item->valuestring,
                 strlen(item->valuestring) > 40 ? "..." : "");
    else if (cJSON_IsNumber(item) || cJSON_IsBool(item) || cJSON_IsNull(item)) {
        if (n > 1 && n <= (size_t)0x7fffffff &&
            !cJSON_PrintPreallocated((cJSON *)item, buf, (int)n, 0))
            snprintf(buf, n, "(number)");
    } else if (cJSON_IsArray(item))
        snprintf(buf, n, "(array)");
    else
        snprintf(buf, n, "(object)");
    return buf;
}

const cJSON *yb__json_member(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    return cJSON_IsNull(it) ? NULL : it;
}
