/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of fee-line classification (docs/benefits.md), observed through
 * the per-line result[] of a settlement: class C, restrictions of every kind,
 * price ceilings with fractional quantities, class-B shares from the entry
 * or the policy's default, unmapped codes under both policy choices, and
 * catalogue versions by fee date.
 */
#include "engine_fixture.h"

static const char *POLICY_HEAD =
    "{\"schema\":\"yibao.policy/1\",\"name\":\"c\",\"region\":\"110100\","
    "\"insutype\":\"390\",\"year\":2024,\"classification\":{"
    "\"unknown_item\":\"";
static const char *POLICY_TAIL =
    "\",\"default_selfpay_prop\":{\"301\":\"20%\"}},"
    "\"benefits\":{\"layers\":[{\"id\":\"in\",\"name\":\"住院\","
    "\"stage\":\"basic\",\"rates\":{\"rules\":[{\"rate\":\"50%\"}]}}]}}";

struct cfx {
    struct yb_policy *p;
    struct yb_catalogue cat;
    struct yb_catalogue_entry x[8];
    struct yb_arena a;
    struct yb_person psn;
    struct yb_visit v;
};

static void cfx_init(struct cfx *f, const char *unknown)
{
    char json[1024];
    snprintf(json, sizeof json, "%s%s%s", POLICY_HEAD, unknown, POLICY_TAIL);
    memset(f, 0, sizeof *f);
    f->p = fx_policy(json);
    f->x[0] = fx_entry("C3", "101", 3, -1);
    f->x[1] = fx_entry("FEMALE", "101", 1, -1);
    f->x[1].lmt_gender = YB_GENDER_FEMALE;
    f->x[2] = fx_entry("CHILD", "101", 1, -1);
    f->x[2].lmt_age_max = 17;
    f->x[3] = fx_entry("LV3", "201", 1, -1);
    f->x[3].lmt_levels = UINT64_C(1) << fx_idx(YB_DICT_HOSP_LV, "3");
    f->x[4] = fx_entry("MAX2", "101", 1, -1);
    f->x[4].lmt_max_cnt = 20000;
    f->x[5] = fx_entry("CEIL", "301", 2, -1); /* B, policy default 20% */
    f->x[5].price_ceiling = 3333333;          /* 3.333333 yuan */
    f->x[6] = fx_entry("OLD", "101", 1, -1);
    f->x[6].valid_to = fx_date("2023-12-31");
    f->x[7] = fx_entry("INP", "101", 1, -1);
    f->x[7].lmt_med_types = UINT64_C(1) << fx_idx(YB_DICT_MED_TYPE, "21");
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(&f->cat, f->x, 8, &e), YB_OK);
    yb_arena_init(&f->a, 0);
    f->psn = fx_person("1501", "1980-05-05");
    f->v = fx_visit("21", "2", "110101", "2024-03-01", "2024-03-03");
}

static void cfx_free(struct cfx *f)
{
    yb_catalogue_free(&f->cat);
    yb_policy_free(f->p);
    yb_arena_free(&f->a);
}

static const struct yb_line_result *one(struct cfx *f, const char *code,
                                        int64_t cnt, yb_fen amount)
{
    static struct yb_fee_line l;
    static struct yb_settlement s;
    l = fx_line("1", code, amount, "2024-03-01");
    l.cnt = cnt;
    fx_settle(f->p, &f->cat, &f->psn, &f->v, &l, 1, NULL, &f->a, &s);
    return &s.lines[0];
}

static void test_classify_class_c_is_wholly_self_paid(void **state)
{
    (void)state;
    struct cfx f;
    cfx_init(&f, "reject");
    const struct yb_line_result *r = one(&f, "C3", 10000, 12345);
    assert_int_equal(r->fulamt_ownpay_amt, 12345);
    assert_int_equal(r->inscp_scp_amt, 0);
    assert_int_equal(r->chrgitm_lv, 3);
    assert_string_equal(r->memo, "丙类项目，全自费");
    cfx_free(&f);
}

static void test_classify_restrictions_move_lines_out_of_scope(void **state)
{
    (void)state;
    struct cfx f;
    cfx_init(&f, "reject");
    const struct yb_line_result *r = one(&f, "FEMALE", 10000, 1000);
    assert_int_equal(r->fulamt_ownpay_amt, 1000);
    assert_true(r->lmt_used_flag);
    assert_string_equal(r->memo, "限女性使用");
    f.psn.gender = YB_GENDER_FEMALE;
    r = one(&f, "FEMALE", 10000, 1000);
    assert_int_equal(r->inscp_scp_amt, 1000);
    assert_false(r->lmt_used_flag);
    r = one(&f, "CHILD", 10000, 1000);
    assert_string_equal(r->memo, "超过限定年龄");
    f.psn.birth = fx_date("2006-03-02"); /* 17 on 2024-03-01 */
    r = one(&f, "CHILD", 10000, 1000);
    assert_int_equal(r->inscp_scp_amt, 1000);
    r = one(&f, "LV3", 10000, 1000);
    assert_string_equal(r->memo, "限定医院等级使用");
    r = one(&f, "MAX2", 20001, 1000);
    assert_string_equal(r->memo, "超过限定数量");
    r = one(&f, "MAX2", 20000, 1000);
    assert_int_equal(r->inscp_scp_amt, 1000);
    f.v.med_type = fx_idx(YB_DICT_MED_TYPE, "22");
    r = one(&f, "INP", 10000, 1000);
    assert_string_equal(r->memo, "限定医疗类别使用");
    cfx_free(&f);
}

static void
test_classify_price_ceiling_rounds_half_up_then_takes_share(void **state)
{
    (void)state;
    struct cfx f;
    cfx_init(&f, "reject");
    /* 1.5 units x 3.333333 = 4.9999995 -> 5.00 allowed; 7.00 billed */
    const struct yb_line_result *r = one(&f, "CEIL", 15000, 700);
    assert_int_equal(r->pric_uplmt_amt, 3333333);
    assert_int_equal(r->overlmt_amt, 200);
    assert_int_equal(r->selfpay_prop, 2000); /* policy default for 301 */
    assert_int_equal(r->preselfpay_amt, 100);
    assert_int_equal(r->inscp_scp_amt, 400);
    /* under the ceiling: nothing over, 20% of 4.99 = 0.998 -> 1.00 */
    r = one(&f, "CEIL", 15000, 499);
    assert_int_equal(r->overlmt_amt, 0);
    assert_int_equal(r->preselfpay_amt, 100);
    assert_int_equal(r->inscp_scp_amt, 399);
    cfx_free(&f);
}

static void
test_classify_unknown_code_is_self_paid_when_policy_says_so(void **state)
{
    (void)state;
    struct cfx f;
    cfx_init(&f, "self_pay");
    const struct yb_line_result *r = one(&f, "NOPE", 10000, 5000);
    assert_null(r->entry);
    assert_int_equal(r->fulamt_ownpay_amt, 5000);
    assert_string_equal(r->memo, "目录外项目，全自费");
    r = one(&f, "OLD", 10000, 5000); /* expired on the fee date */
    assert_int_equal(r->fulamt_ownpay_amt, 5000);
    assert_string_equal(r->memo, "费用发生日期目录项目无效，全自费");
    cfx_free(&f);
}

static void
test_classify_expired_code_is_an_error_when_policy_rejects(void **state)
{
    (void)state;
    struct cfx f;
    cfx_init(&f, "reject");
    struct yb_fee_line l = fx_line("1", "OLD", 5000, "2024-03-01");
    struct yb_settlement s;
    struct yb_err e = {0};
    assert_int_equal(
        yb_settle(f.p, &f.cat, &f.psn, &f.v, &l, 1, NULL, &f.a, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "feedetail[0].med_list_codg");
    assert_string_equal(e.msg, "目录项 \"OLD\" 在 2024-03-01 不在目录内 (not "
                               "in the catalogue on that day)");
    cfx_free(&f);
}

static void
test_classify_rejects_negative_amount_and_zero_quantity(void **state)
{
    (void)state;
    struct cfx f;
    cfx_init(&f, "reject");
    struct yb_fee_line l = fx_line("1", "C3", -1, "2024-03-01");
    struct yb_settlement s;
    struct yb_err e = {0};
    assert_int_equal(
        yb_settle(f.p, &f.cat, &f.psn, &f.v, &l, 1, NULL, &f.a, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "feedetail[0].det_item_fee_sumamt");
    l = fx_line("1", "C3", 100, "2024-03-01");
    l.cnt = 0;
    assert_int_equal(
        yb_settle(f.p, &f.cat, &f.psn, &f.v, &l, 1, NULL, &f.a, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "feedetail[0].cnt");
    cfx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_class_c_is_wholly_self_paid),
        cmocka_unit_test(test_classify_restrictions_move_lines_out_of_scope),
        cmocka_unit_test(
            test_classify_price_ceiling_rounds_half_up_then_takes_share),
        cmocka_unit_test(
            test_classify_unknown_code_is_self_paid_when_policy_says_so),
        cmocka_unit_test(
            test_classify_expired_code_is_an_error_when_policy_rejects),
        cmocka_unit_test(
            test_classify_rejects_negative_amount_and_zero_quantity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
