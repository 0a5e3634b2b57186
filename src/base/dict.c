/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The code tables (字典). Each table is a fixed array whose positions are the
 * indices policies use in their bit sets, so an entry's position is part of
 * the contract: new codes are appended, never inserted or reordered. Codes
 * and names follow the national interface where one exists
 * (docs/glossary.md, docs/hospital.md); the place and hospital-level
 * tables are yibao's own (docs/benefits.md, the visit). The tables after
 * place are the interface's: the codes the hospital interface reads or
 * writes, listed by 1901.
 */
#include "yibao/dict.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static const struct yb_dict_entry med_type[] = {
    {"11", "普通门诊"},     {"12", "门诊挂号"},   {"13", "急诊"},
    {"14", "门诊慢特病"},   {"21", "普通住院"},   {"22", "外伤住院"},
    {"23", "转外诊治住院"}, {"24", "急诊转住院"}, {"51", "生育门诊"},
    {"52", "生育住院"},
};

static const struct yb_dict_entry hosp_lv[] = {
    {"3", "三级医院"},
    {"2", "二级医院"},
    {"1", "一级医院"},
    {"township", "乡镇卫生院/社区卫生服务中心"},
    {"village", "村卫生室/社区卫生服务站"},
    {"unrated", "未定级"},
};

static const struct yb_dict_entry psn_type[] = {
    {"1401", "新生儿"},
    {"1402", "学龄前儿童"},
    {"1403", "中小学生"},
    {"1404", "大学生"},
    {"1405", "未在校未成年人"},
    {"1501", "成年居民"},
    {"1601", "老年居民(60周岁以上)"},
};

static const struct yb_dict_entry idet[] = {
    {"201", "特困人员"},
    {"202", "低保对象"},
    {"203", "返贫致贫人口(含原建档立卡贫困人口)"},
    {"204", "低保边缘家庭成员"},
    {"205", "重度残疾人"},
    {"206", "防止返贫监测对象"},
    {"207", "孤儿及事实无人抚养儿童"},
    {"299", "其他困难人员"},
};

static const struct yb_dict_entry list_type[] = {
    {"101", "西药中成药"},
    {"102", "中药饮片"},
    {"201", "医疗服务项目"},
    {"301", "医用耗材"},
};

static const struct yb_dict_entry chrgitm_lv[] = {
    {"01", "甲类"},
    {"02", "乙类"},
    {"03", "丙类(自费)"},
};

static const struct yb_dict_entry fund[] = {
    {"390100", "城乡居民基本医疗保险基金"},
    {"390200", "城乡居民大病保险资金"},
    {"610100", "医疗救助基金"},
    {"999996", "医院减免"},
    {"999999", "其他基金"},
};

static const struct yb_dict_entry gend[] = {
    {"1", "男"},
    {"2", "女"},
    {"9", "未说明"},
};

/* Order matches enum yb_place. */
static const struct yb_dict_entry place[] = {
    {"local", "统筹区内"},
    {"in_province", "省内异地"},
    {"out_province", "跨省异地"},
};

/* ---- the interface's own code tables: what 1901 lists, and what the
 * hospital interface reads or writes in these fields (docs/hospital.md).
 * Codes and names as the public HIS code models them. */

static const struct yb_dict_entry insutype[] = {
    {"390", "城乡居民基本医疗保险"},
};

/* 01 (the e-voucher) is a national code yibao does not take */
static const struct yb_dict_entry mdtrt_cert_type[] = {
    {"01", "医保电子凭证"},
    {"02", "居民身份证"},
    {"03", "社会保障卡"},
};

static const struct yb_dict_entry psn_cert_type[] = {
    {"01", "居民身份证(户口簿)"},
};

static const struct yb_dict_entry psn_insu_stas[] = {
    {"1", "正常参保"},
    {"2", "暂停参保"},
    {"4", "终止参保"},
};

static const struct yb_dict_entry psn_setlway[] = {
    {"01", "按项目结算"},
    {"02", "按定额结算"},
};

static const struct yb_dict_entry clr_type[] = {
    {"11", "门诊"},
    {"21", "住院"},
};

static const struct yb_dict_entry opter_type[] = {
    {"1", "经办人"},
    {"2", "自助终端"},
    {"3", "移动终端"},
};

/* GB 3304 民族 */
static const struct yb_dict_entry naty[] = {
    {"01", "汉族"},           {"02", "蒙古族"},
    {"03", "回族"},           {"04", "藏族"},
    {"05", "维吾尔族"},       {"06", "苗族"},
    {"07", "彝族"},           {"08", "壮族"},
    {"09", "布依族"},         {"10", "朝鲜族"},
    {"11", "满族"},           {"12", "侗族"},
    {"13", "瑶族"},           {"14", "白族"},
    {"15", "土家族"},         {"16", "哈尼族"},
    {"17", "哈萨克族"},       {"18", "傣族"},
    {"19", "黎族"},           {"20", "傈僳族"},
    {"21", "佤族"},           {"22", "畲族"},
    {"23", "高山族"},         {"24", "拉祜族"},
    {"25", "水族"},           {"26", "东乡族"},
    {"27", "纳西族"},         {"28", "景颇族"},
    {"29", "柯尔克孜族"},     {"30", "土族"},
    {"31", "达斡尔族"},       {"32", "仫佬族"},
    {"33", "羌族"},           {"34", "布朗族"},
    {"35", "撒拉族"},         {"36", "毛南族"},
    {"37", "仡佬族"},         {"38", "锡伯族"},
    {"39", "阿昌族"},         {"40", "普米族"},
    {"41", "塔吉克族"},       {"42", "怒族"},
    {"43", "乌孜别克族"},     {"44", "俄罗斯族"},
    {"45", "鄂温克族"},       {"46", "德昂族"},
    {"47", "保安族"},         {"48", "裕固族"},
    {"49", "京族"},           {"50", "塔塔尔族"},
    {"51", "独龙族"},         {"52", "鄂伦春族"},
    {"53", "赫哲族"},         {"54", "门巴族"},
    {"55", "珞巴族"},         {"56", "基诺族"},
    {"97", "其他未识别民族"}, {"98", "外国血统中国籍人士"},
};

static const struct yb_dict_entry hosp_appr_flag[] = {
    {"0", "无须审批"},
    {"1", "审批通过"},
    {"2", "审批不通过"},
};

static const struct yb_dict_entry diag_type[] = {
    {"1", "西医诊断"},
    {"2", "中医主病诊断"},
    {"3", "中医主证诊断"},
};

static const struct yb_dict_entry yes_no[] = {
    {"0", "否"},
    {"1", "是"},
};

static const struct yb_dict_entry vali_flag[] = {
    {"0", "无效"},
    {"1", "有效"},
};

static const struct yb_dict_entry setl_flag[] = {
    {"0", "未结算"},
    {"1", "已结算"},
};

static const struct yb_dict_entry setl_stas[] = {
    {"0", "已冲销"},
    {"1", "正常"},
};

static const struct yb_dict_entry inhosp_stas[] = {
    {"0", "已出院"},
    {"1", "在院"},
};

static const struct yb_dict_entry stmt_rslt[] = {
    {"0", "对账一致"},
    {"1", "对账不一致"},
};

static const struct yb_dict_entry trt_chk_type[] = {
    {"01", "参保状态"},
};

static const struct yb_dict_entry trt_enjymnt_flag[] = {
    {"0", "不享受"},
    {"1", "享受"},
};

#define TABLE(name, entries)                                                   \
    {                                                                          \
        name, entries, (int)(sizeof entries / sizeof entries[0])               \
    }

static const struct {
    const char *name; /* JSON key */
    const struct yb_dict_entry *entries;
    int n;
} tables[YB_DICT__COUNT] = {
    [YB_DICT_MED_TYPE] = TABLE("med_type", med_type),
    [YB_DICT_HOSP_LV] = TABLE("hosp_lv", hosp_lv),
    [YB_DICT_PSN_TYPE] = TABLE("psn_type", psn_type),
    [YB_DICT_IDET] = TABLE("idet", idet),
    [YB_DICT_LIST_TYPE] = TABLE("list_type", list_type),
    [YB_DICT_CHRGITM_LV] = TABLE("chrgitm_lv", chrgitm_lv),
    [YB_DICT_FUND] = TABLE("fund_pay_type", fund),
    [YB_DICT_GEND] = TABLE("gend", gend),
    [YB_DICT_PLACE] = TABLE("place", place),
    [YB_DICT_INSUTYPE] = TABLE("insutype", insutype),
    [YB_DICT_MDTRT_CERT_TYPE] = TABLE("mdtrt_cert_type", mdtrt_cert_type),
    [YB_DICT_PSN_CERT_TYPE] = TABLE("psn_cert_type", psn_cert_type),
    [YB_DICT_PSN_INSU_STAS] = TABLE("psn_insu_stas", psn_insu_stas),
    [YB_DICT_PSN_SETLWAY] = TABLE("psn_setlway", psn_setlway),
    [YB_DICT_CLR_TYPE] = TABLE("clr_type", clr_type),
    [YB_DICT_OPTER_TYPE] = TABLE("opter_type", opter_type),
    [YB_DICT_NATY] = TABLE("naty", naty),
    [YB_DICT_HOSP_APPR_FLAG] = TABLE("hosp_appr_flag", hosp_appr_flag),
    [YB_DICT_DIAG_TYPE] = TABLE("diag_type", diag_type),
    [YB_DICT_CVLSERV_FLAG] = TABLE("cvlserv_flag", yes_no),
    [YB_DICT_ACCT_USED_FLAG] = TABLE("acct_used_flag", yes_no),
    [YB_DICT_LMT_USED_FLAG] = TABLE("lmt_used_flag", yes_no),
    [YB_DICT_MAINDIAG_FLAG] = TABLE("maindiag_flag", yes_no),
    [YB_DICT_VALI_FLAG] = TABLE("vali_flag", vali_flag),
    [YB_DICT_SETL_FLAG] = TABLE("setl_flag", setl_flag),
    [YB_DICT_SETL_STAS] = TABLE("setl_stas", setl_stas),
    [YB_DICT_INHOSP_STAS] = TABLE("inhosp_stas", inhosp_stas),
    [YB_DICT_STMT_RSLT] = TABLE("stmt_rslt", stmt_rslt),
    [YB_DICT_TRT_CHK_TYPE] = TABLE("trt_chk_type", trt_chk_type),
    [YB_DICT_TRT_ENJYMNT_FLAG] = TABLE("trt_enjymnt_flag", trt_enjymnt_flag),
};

static bool kind_ok(enum yb_dict_kind kind)
{
    return (int)kind >= 0 && kind < YB_DICT__COUNT;
}

const char *yb_dict_name(enum yb_dict_kind kind)
{
    return kind_ok(kind) ? tables[kind].name : NULL;
}

const struct yb_dict_entry *yb_dict_entries(enum yb_dict_kind kind, int *n)
{
    if (!kind_ok(kind)) {
        if (n != NULL)
            *n = 0;
        return NULL;
    }
    if (n != NULL)
        *n = tables[kind].n;
    return tables[kind].entries;
}

/* Codes a table no longer takes, each with the code that took its
 * position: yibao wrote psn_idet_type with four characters (2001 …)
 * before it followed the HIS field models, where it is 字符型 3
 * (docs/policy.md). */
static const struct {
    enum yb_dict_kind kind;
    const char *old, *now;
} replaced[] = {
    {YB_DICT_IDET, "2001", "201"}, {YB_DICT_IDET, "2002", "202"},
    {YB_DICT_IDET, "2003", "203"}, {YB_DICT_IDET, "2004", "204"},
    {YB_DICT_IDET, "2005", "205"}, {YB_DICT_IDET, "2006", "206"},
    {YB_DICT_IDET, "2007", "207"}, {YB_DICT_IDET, "2099", "299"},
};

bool yb_dict_taken(enum yb_dict_kind kind, const char *code)
{
    /* 01 医保电子凭证: its token is read through the national platform,
     * which yibao is not */
    return !(kind == YB_DICT_MDTRT_CERT_TYPE && code &&
             strcmp(code, "01") == 0);
}

const char *yb_dict_replaced(enum yb_dict_kind kind, const char *code)
{
    for (size_t i = 0; code && i < sizeof replaced / sizeof *replaced; i++)
        if (replaced[i].kind == kind && strcmp(replaced[i].old, code) == 0)
            return replaced[i].now;
    return NULL;
}

int yb_dict_unknown(enum yb_dict_kind kind, const char *code, const char *field,
                    struct yb_err *e)
{
    const char *now = yb_dict_replaced(kind, code);
    if (now)
        return yb_err_set(e, YB_EINVAL, field,
                          "代码表 %s 的代码 \"%s\" 已停用，请改用 \"%s\"（%s）"
                          "(code renamed: use %s)",
                          yb_dict_name(kind), code, now,
                          yb_dict_label(kind, now), now);
    return yb_err_set(e, YB_EINVAL, field,
                      "代码表 %s 中没有代码 \"%s\" (unknown %s code)",
                      yb_dict_name(kind), code ? code : "", yb_dict_name(kind));
}

int yb_dict_index(enum yb_dict_kind kind, const char *code)
{
    if (!kind_ok(kind) || code == NULL)
        return -1;
    for (int i = 0; i < tables[kind].n; i++)
        if (strcmp(tables[kind].entries[i].code, code) == 0)
            return i;
    return -1;
}

const char *yb_dict_label(enum yb_dict_kind kind, const char *code)
{
    int i = yb_dict_index(kind, code);

    return i < 0 ? NULL : tables[kind].entries[i].name;
}
