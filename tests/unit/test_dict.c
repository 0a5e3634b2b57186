/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for dict.c: every table's JSON name, and every code, position
 * and Chinese name exactly as specified (positions are policy bit indices,
 * so any change here breaks stored policies), plus lookups of unknown codes
 * and kinds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/dict.h"

static const struct yb_dict_entry want_med_type[] = {
    {"11", "普通门诊"},     {"12", "门诊挂号"},   {"13", "急诊"},
    {"14", "门诊慢特病"},   {"21", "普通住院"},   {"22", "外伤住院"},
    {"23", "转外诊治住院"}, {"24", "急诊转住院"}, {"51", "生育门诊"},
    {"52", "生育住院"},     {NULL, NULL},
};
static const struct yb_dict_entry want_hosp_lv[] = {
    {"3", "三级医院"},
    {"2", "二级医院"},
    {"1", "一级医院"},
    {"township", "乡镇卫生院/社区卫生服务中心"},
    {"village", "村卫生室/社区卫生服务站"},
    {"unrated", "未定级"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_psn_type[] = {
    {"1401", "新生儿"},
    {"1402", "学龄前儿童"},
    {"1403", "中小学生"},
    {"1404", "大学生"},
    {"1405", "未在校未成年人"},
    {"1501", "成年居民"},
    {"1601", "老年居民(60周岁以上)"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_idet[] = {
    {"201", "特困人员"},
    {"202", "低保对象"},
    {"203", "返贫致贫人口(含原建档立卡贫困人口)"},
    {"204", "低保边缘家庭成员"},
    {"205", "重度残疾人"},
    {"206", "防止返贫监测对象"},
    {"207", "孤儿及事实无人抚养儿童"},
    {"299", "其他困难人员"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_list_type[] = {
    {"101", "西药中成药"}, {"102", "中药饮片"}, {"201", "医疗服务项目"},
    {"301", "医用耗材"},   {NULL, NULL},
};
static const struct yb_dict_entry want_chrgitm_lv[] = {
    {"01", "甲类"},
    {"02", "乙类"},
    {"03", "丙类(自费)"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_fund[] = {
    {"390100", "城乡居民基本医疗保险基金"},
    {"390200", "城乡居民大病保险资金"},
    {"610100", "医疗救助基金"},
    {"999996", "医院减免"},
    {"999999", "其他基金"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_gend[] = {
    {"1", "男"},
    {"2", "女"},
    {"9", "未说明"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_place[] = {
    {"local", "统筹区内"},
    {"in_province", "省内异地"},
    {"out_province", "跨省异地"},
    {NULL, NULL},
};

static const struct yb_dict_entry want_insutype[] = {
    {"390", "城乡居民基本医疗保险"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_mdtrt_cert_type[] = {
    {"01", "医保电子凭证"},
    {"02", "居民身份证"},
    {"03", "社会保障卡"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_psn_cert_type[] = {
    {"01", "居民身份证(户口簿)"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_psn_insu_stas[] = {
    {"1", "正常参保"},
    {"2", "暂停参保"},
    {"4", "终止参保"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_psn_setlway[] = {
    {"01", "按项目结算"},
    {"02", "按定额结算"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_clr_type[] = {
    {"11", "门诊"},
    {"21", "住院"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_opter_type[] = {
    {"1", "经办人"},
    {"2", "自助终端"},
    {"3", "移动终端"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_naty[] = {
    {"01", "汉族"},
    {"02", "蒙古族"},
    {"03", "回族"},
    {"04", "藏族"},
    {"05", "维吾尔族"},
    {"06", "苗族"},
    {"07", "彝族"},
    {"08", "壮族"},
    {"09", "布依族"},
    {"10", "朝鲜族"},
    {"11", "满族"},
    {"12", "侗族"},
    {"13", "瑶族"},
    {"14", "白族"},
    {"15", "土家族"},
    {"16", "哈尼族"},
    {"17", "哈萨克族"},
    {"18", "傣族"},
    {"19", "黎族"},
    {"20", "傈僳族"},
    {"21", "佤族"},
    {"22", "畲族"},
    {"23", "高山族"},
    {"24", "拉祜族"},
    {"25", "水族"},
    {"26", "东乡族"},
    {"27", "纳西族"},
    {"28", "景颇族"},
    {"29", "柯尔克孜族"},
    {"30", "土族"},
    {"31", "达斡尔族"},
    {"32", "仫佬族"},
    {"33", "羌族"},
    {"34", "布朗族"},
    {"35", "撒拉族"},
    {"36", "毛南族"},
    {"37", "仡佬族"},
    {"38", "锡伯族"},
    {"39", "阿昌族"},
    {"40", "普米族"},
    {"41", "塔吉克族"},
    {"42", "怒族"},
    {"43", "乌孜别克族"},
    {"44", "俄罗斯族"},
    {"45", "鄂温克族"},
    {"46", "德昂族"},
    {"47", "保安族"},
    {"48", "裕固族"},
    {"49", "京族"},
    {"50", "塔塔尔族"},
    {"51", "独龙族"},
    {"52", "鄂伦春族"},
    {"53", "赫哲族"},
    {"54", "门巴族"},
    {"55", "珞巴族"},
    {"56", "基诺族"},
    {"97", "其他未识别民族"},
    {"98", "外国血统中国籍人士"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_hosp_appr_flag[] = {
    {"0", "无须审批"},
    {"1", "审批通过"},
    {"2", "审批不通过"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_diag_type[] = {
    {"1", "西医诊断"},
    {"2", "中医主病诊断"},
    {"3", "中医主证诊断"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_yes_no[] = {
    {"0", "否"},
    {"1", "是"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_vali_flag[] = {
    {"0", "无效"},
    {"1", "有效"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_setl_flag[] = {
    {"0", "未结算"},
    {"1", "已结算"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_setl_stas[] = {
    {"0", "已冲销"},
    {"1", "正常"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_inhosp_stas[] = {
    {"0", "已出院"},
    {"1", "在院"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_stmt_rslt[] = {
    {"0", "对账一致"},
    {"1", "对账不一致"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_trt_chk_type[] = {
    {"01", "参保状态"},
    {NULL, NULL},
};
static const struct yb_dict_entry want_trt_enjymnt_flag[] = {
    {"0", "不享受"},
    {"1", "享受"},
    {NULL, NULL},
};

static const struct {
    enum yb_dict_kind kind;
    const char *name;
    const struct yb_dict_entry *entries;
} want[] = {
    {YB_DICT_MED_TYPE, "med_type", want_med_type},
    {YB_DICT_HOSP_LV, "hosp_lv", want_hosp_lv},
    {YB_DICT_PSN_TYPE, "psn_type", want_psn_type},
    {YB_DICT_IDET, "idet", want_idet},
    {YB_DICT_LIST_TYPE, "list_type", want_list_type},
    {YB_DICT_CHRGITM_LV, "chrgitm_lv", want_chrgitm_lv},
    {YB_DICT_FUND, "fund_pay_type", want_fund},
    {YB_DICT_GEND, "gend", want_gend},
    {YB_DICT_PLACE, "place", want_place},
    {YB_DICT_INSUTYPE, "insutype", want_insutype},
    {YB_DICT_MDTRT_CERT_TYPE, "mdtrt_cert_type", want_mdtrt_cert_type},
    {YB_DICT_PSN_CERT_TYPE, "psn_cert_type", want_psn_cert_type},
    {YB_DICT_PSN_INSU_STAS, "psn_insu_stas", want_psn_insu_stas},
    {YB_DICT_PSN_SETLWAY, "psn_setlway", want_psn_setlway},
    {YB_DICT_CLR_TYPE, "clr_type", want_clr_type},
    {YB_DICT_OPTER_TYPE, "opter_type", want_opter_type},
    {YB_DICT_NATY, "naty", want_naty},
    {YB_DICT_HOSP_APPR_FLAG, "hosp_appr_flag", want_hosp_appr_flag},
    {YB_DICT_DIAG_TYPE, "diag_type", want_diag_type},
    {YB_DICT_CVLSERV_FLAG, "cvlserv_flag", want_yes_no},
    {YB_DICT_ACCT_USED_FLAG, "acct_used_flag", want_yes_no},
    {YB_DICT_LMT_USED_FLAG, "lmt_used_flag", want_yes_no},
    {YB_DICT_MAINDIAG_FLAG, "maindiag_flag", want_yes_no},
    {YB_DICT_VALI_FLAG, "vali_flag", want_vali_flag},
    {YB_DICT_SETL_FLAG, "setl_flag", want_setl_flag},
    {YB_DICT_SETL_STAS, "setl_stas", want_setl_stas},
    {YB_DICT_INHOSP_STAS, "inhosp_stas", want_inhosp_stas},
    {YB_DICT_STMT_RSLT, "stmt_rslt", want_stmt_rslt},
    {YB_DICT_TRT_CHK_TYPE, "trt_chk_type", want_trt_chk_type},
    {YB_DICT_TRT_ENJYMNT_FLAG, "trt_enjymnt_flag", want_trt_enjymnt_flag},
};

static void test_dict_every_kind_is_specified_here(void **state)
{
    (void)state;
    assert_int_equal(sizeof want / sizeof want[0], YB_DICT__COUNT);
}

static void test_dict_tables_have_their_json_names(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        assert_string_equal(yb_dict_name(want[k].kind), want[k].name);
}

static void test_dict_tables_hold_exactly_the_specified_entries(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        const struct yb_dict_entry *got;
        int n = -1, expected = 0;

        while (want[k].entries[expected].code != NULL)
            expected++;
        got = yb_dict_entries(want[k].kind, &n);
        assert_non_null(got);
        assert_int_equal(n, expected);
        for (int i = 0; i < n; i++) {
            assert_string_equal(got[i].code, want[k].entries[i].code);
            assert_string_equal(got[i].name, want[k].entries[i].name);
        }
    }
}

static void test_dict_index_is_the_position_in_the_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        for (int i = 0; want[k].entries[i].code != NULL; i++) {
            assert_int_equal(
                yb_dict_index(want[k].kind, want[k].entries[i].code), i);
            assert_true(i < 64); /* fits a uint64_t bit set */
        }
    }
    assert_int_equal(yb_dict_index(YB_DICT_MED_TYPE, "21"), 4);
    assert_int_equal(yb_dict_index(YB_DICT_FUND, "610100"), 2);
    assert_int_equal(yb_dict_index(YB_DICT_HOSP_LV, "township"), 3);
}

static void test_dict_label_gives_the_chinese_name(void **state)
{
    (void)state;
    assert_string_equal(yb_dict_label(YB_DICT_FUND, "390200"),
                        "城乡居民大病保险资金");
    assert_string_equal(yb_dict_label(YB_DICT_MED_TYPE, "14"), "门诊慢特病");
    assert_string_equal(yb_dict_label(YB_DICT_GEND, "9"), "未说明");
}

static void test_dict_unknown_codes_are_not_found(void **state)
{
    (void)state;
    assert_int_equal(yb_dict_index(YB_DICT_MED_TYPE, "99"), -1);
    assert_int_equal(yb_dict_index(YB_DICT_MED_TYPE, "1"), -1);
    assert_int_equal(yb_dict_index(YB_DICT_MED_TYPE, "110"), -1);
    assert_int_equal(yb_dict_index(YB_DICT_MED_TYPE, ""), -1);
    assert_int_equal(yb_dict_index(YB_DICT_MED_TYPE, NULL), -1);
    /* codes are per table: a fund code is not a medical type */
    assert_int_equal(yb_dict_index(YB_DICT_MED_TYPE, "390100"), -1);
    assert_int_equal(yb_dict_index(YB_DICT_CHRGITM_LV, "1"), -1);
    assert_null(yb_dict_label(YB_DICT_FUND, "390300"));
    assert_null(yb_dict_label(YB_DICT_FUND, NULL));
}

static void test_dict_unknown_kinds_are_not_found(void **state)
{
    int n = 5;

    (void)state;
    assert_null(yb_dict_name(YB_DICT__COUNT));
    assert_null(yb_dict_entries(YB_DICT__COUNT, &n));
    assert_int_equal(n, 0);
    assert_null(yb_dict_entries((enum yb_dict_kind) - 1, NULL));
    assert_int_equal(yb_dict_index(YB_DICT__COUNT, "11"), -1);
    assert_null(yb_dict_label(YB_DICT__COUNT, "11"));
}

/* psn_idet_type is 字符型 3 in the HIS field models: the four-character
 * codes yibao used keep their positions under three characters, and a
 * file still carrying one is told the new code. */
static void test_dict_retired_identity_codes_name_their_successor(void **state)
{
    struct yb_err e = {0};

    (void)state;
    assert_int_equal(yb_dict_index(YB_DICT_IDET, "2001"), -1);
    assert_int_equal(yb_dict_index(YB_DICT_IDET, "201"), 0);
    assert_int_equal(yb_dict_index(YB_DICT_IDET, "299"), 7);
    assert_string_equal(yb_dict_replaced(YB_DICT_IDET, "2003"), "203");
    assert_string_equal(yb_dict_replaced(YB_DICT_IDET, "2099"), "299");
    assert_null(yb_dict_replaced(YB_DICT_IDET, "201"));
    assert_null(yb_dict_replaced(YB_DICT_IDET, "3001"));
    assert_null(yb_dict_replaced(YB_DICT_MED_TYPE, "2001"));
    assert_null(yb_dict_replaced(YB_DICT_IDET, NULL));
    /* the e-voucher is listed, not taken */
    assert_false(yb_dict_taken(YB_DICT_MDTRT_CERT_TYPE, "01"));
    assert_true(yb_dict_taken(YB_DICT_MDTRT_CERT_TYPE, "02"));
    assert_true(yb_dict_taken(YB_DICT_MED_TYPE, "01"));
    assert_int_equal(yb_dict_unknown(YB_DICT_IDET, "2002", "psn_idet_type", &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "psn_idet_type");
    assert_string_equal(
        e.msg, "代码表 idet 的代码 \"2002\" 已停用，请改用 \"202\"（低保"
               "对象）(code renamed: use 202)");
    assert_int_equal(yb_dict_unknown(YB_DICT_IDET, "3001", "idet", &e),
                     YB_EINVAL);
    assert_string_equal(e.msg,
                        "代码表 idet 中没有代码 \"3001\" (unknown idet code)");
    for (int i = 0; i < 8; i++) {
        int n = 0;
        const struct yb_dict_entry *t = yb_dict_entries(YB_DICT_IDET, &n);
        assert_int_equal(strlen(t[i].code), 3);
    }
}

static void test_dict_place_codes_match_the_place_enum(void **state)
{
    (void)state;
    assert_int_equal(yb_dict_index(YB_DICT_PLACE, "local"), YB_PLACE_LOCAL);
    assert_int_equal(yb_dict_index(YB_DICT_PLACE, "in_province"),
                     YB_PLACE_IN_PROVINCE);
    assert_int_equal(yb_dict_index(YB_DICT_PLACE, "out_province"),
                     YB_PLACE_OUT_PROVINCE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dict_every_kind_is_specified_here),
        cmocka_unit_test(test_dict_tables_have_their_json_names),
        cmocka_unit_test(test_dict_tables_hold_exactly_the_specified_entries),
        cmocka_unit_test(test_dict_retired_identity_codes_name_their_successor),
        cmocka_unit_test(test_dict_index_is_the_position_in_the_table),
        cmocka_unit_test(test_dict_label_gives_the_chinese_name),
        cmocka_unit_test(test_dict_unknown_codes_are_not_found),
        cmocka_unit_test(test_dict_unknown_kinds_are_not_found),
        cmocka_unit_test(test_dict_place_codes_match_the_place_enum),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
