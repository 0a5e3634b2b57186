/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The code tables (字典). Each table is a fixed array whose positions are the
 * indices policies use in their bit sets, so an entry's position is part of
 * the contract: new codes are appended, never inserted or reordered. Codes
 * and names follow the national interface where one exists
 * (docs/glossary.md, docs/hospital.md); the place table is yibao's own
 * (docs/benefits.md, the visit).
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
    {"2001", "特困人员"},
    {"2002", "低保对象"},
    {"2003", "返贫致贫人口(含原建档立卡贫困人口)"},
    {"2004", "低保边缘家庭成员"},
    {"2005", "重度残疾人"},
    {"2006", "防止返贫监测对象"},
    {"2007", "孤儿及事实无人抚养儿童"},
    {"2099", "其他困难人员"},
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
