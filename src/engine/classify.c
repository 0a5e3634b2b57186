/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fee-line classification (docs/benefits.md). Each line's amount is split
 * into wholly self-paid (not in the catalogue, class C, or outside a
 * catalogue restriction), over the price ceiling, the class-B first self-pay
 * share, and the policy-scope rest. The four parts always add up to the amount.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine_int.h"

/* Restriction check: NULL when the line may be covered, else the reason. */
static const char *restriction(const struct yb_catalogue_entry *x,
                               const struct yb_person *psn,
                               const struct yb_visit *v, int age,
                               const struct yb_fee_line *l)
{
    if (x->lmt_gender && x->lmt_gender != psn->gender)
        return x->lmt_gender == YB_GENDER_FEMALE ? "限女性使用" : "限男性使用";
    if (x->lmt_age_min >= 0 && age < x->lmt_age_min)
        return "低于限定年龄";
    if (x->lmt_age_max >= 0 && age > x->lmt_age_max)
        return "超过限定年龄";
    if (x->lmt_levels && !(x->lmt_levels & (UINT64_C(1) << v->hosp_lv)))
        return "限定医院等级使用";
    if (x->lmt_med_types && !(x->lmt_med_types & (UINT64_C(1) << v->med_type)))
        return "限定医疗类别使用";
    if (x->lmt_max_cnt > 0 && l->cnt > x->lmt_max_cnt)
        return "超过限定数量";
    return NULL;
}

/* Amount allowed under the ceiling: cnt (1e-4) x ceiling (1e-6 yuan) in
 * 1e-8 fen, rounded half up to the fen. */
static int64_t ceiling_amount(int64_t cnt, int64_t ceiling)
{
    yb__i128 v = (yb__i128)cnt * ceiling;
    yb__i128 q = v / 100000000;
    if ((v % 100000000) * 2 >= 100000000)
        q++;
    return q > INT64_MAX ? INT64_MAX : (int64_t)q;
}

static int unknown_item(const struct yb_policy *p,
                        const struct yb_catalogue *cat, size_t index,
                        const struct yb_fee_line *l, struct yb_line_result *r,
                        struct yb_err *e)
{
    bool known = yb_catalogue_has(cat, l->med_list_codg);
    if (p->classify.unknown_item == YB_UNKNOWN_REJECT) {
        char path[64], day[11];
        snprintf(path, sizeof path, "feedetail[%zu].med_list_codg", index);
        if (known)
            return yb_err_set(e, YB_EINVAL, path,
                              "目录项 \"%s\" 在 %s 不在目录内 (not in the "
                              "catalogue on that day)",
                              l->med_list_codg,
                              yb_date_format(l->fee_date, day));
        return yb_err_set(e, YB_EINVAL, path,
                          "未知的目录编码 \"%s\" (unknown item code)",
                          l->med_list_codg);
    }
    r->fulamt_ownpay_amt = l->amount;
    r->chrgitm_lv = 3;
    r->memo = known ? "费用发生日期目录项目无效，全自费" : "目录外项目，全自费";
    return YB_OK;
}

int yb__classify_line(const struct yb_policy *p, const struct yb_catalogue *cat,
                      const struct yb_person *psn, const struct yb_visit *v,
                      int age, size_t index, size_t home,
                      const struct yb_fee_line *l, struct yb_line_result *r,
                      struct yb_err *e)
{
    char path[64];
    memset(r, 0, sizeof *r);
    r->line = l;
    if (l->amount < 0 || l->amount > YB_MONEY_MAX) {
        snprintf(path, sizeof path, "feedetail[%zu].det_item_fee_sumamt",
                 index);
        return yb_err_set(e, YB_EINVAL, path,
                          "金额 %lld 分超出范围 (amount out of range)",
                          (long long)l->amount);
    }
    if (l->cnt <= 0) {
        snprintf(path, sizeof path, "feedetail[%zu].cnt", index);
        return yb_err_set(e, YB_EINVAL, path,
                          "数量应大于 0 (quantity must be positive)");
    }
    const struct yb_catalogue_entry *x =
        yb__catalogue_find_from(cat, home, l->med_list_codg, l->fee_date);
    if (!x)
        return unknown_item(p, cat, index, l, r, e);
    r->entry = x;
    r->chrgitm_lv = x->chrgitm_lv;
    r->pric_uplmt_amt = x->price_ceiling;
    if (x->chrgitm_lv == 3) {
        r->fulamt_ownpay_amt = l->amount;
        r->memo = "丙类项目，全自费";
        return YB_OK;
    }
    r->memo = restriction(x, psn, v, age, l);
    if (r->memo) {
        r->fulamt_ownpay_amt = l->amount;
        r->lmt_used_flag = true;
        return YB_OK;
    }
    if (x->price_ceiling > 0) {
        int64_t allowed = ceiling_amount(l->cnt, x->price_ceiling);
        if (l->amount > allowed) {
            r->overlmt_amt = l->amount - allowed;
            r->memo = "超限价部分自付";
        }
    }
    yb_fen in_ceiling = l->amount - r->overlmt_amt;
    if (x->chrgitm_lv == 2) {
        yb_rate prop = x->selfpay_prop;
        if (prop < 0 && x->list_type >= 0 && x->list_type < 16)
            prop = p->classify.default_selfpay[x->list_type];
        r->selfpay_prop = prop < 0 ? 0 : prop;
        int rc = yb_money_apply_rate(in_ceiling, r->selfpay_prop,
                                     &r->preselfpay_amt);
        if (rc != YB_OK)
            return yb_err_set(e, rc, "feedetail",
                              "第 %zu 条明细金额溢出 (line overflows)", index);
    }
    r->inscp_scp_amt = in_ceiling - r->preselfpay_amt;
    return YB_OK;
}

int yb_classify_lines(const struct yb_policy *policy,
                      const struct yb_catalogue *cat,
                      const struct yb_person *person,
                      const struct yb_visit *visit,
                      const struct yb_fee_line *lines, size_t n,
                      struct yb_line_result *results, struct yb_err *e)
{
    int age = yb_date_age(person->birth, visit->begin);
    for (size_t i = 0; i < n; i++) {
        size_t home = yb__catalogue_prefetch(cat, lines[i].med_list_codg);
        int rc = yb__classify_line(policy, cat, person, visit, age, i, home,
                                   &lines[i], &results[i], e);
        if (rc != YB_OK)
            return rc;
    }
    return YB_OK;
}
