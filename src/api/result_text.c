/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The settlement as a receipt in Chinese for the insured person and the
 * clerk (`yibao settle --format text`): who and which visit, every
 * setlinfo figure on its own line ("医疗费用总额 22000.00 元"), each fund's
 * payment with its calculation (setl_proc_info), and with trace the whole
 * calculation step by step under "计算过程" (yb_trace_text). Text is
 * assembled in a memory stream and copied into the caller's arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"

static const char *rule_line = "----------------------------------------\n";

static const char *gender_name(int g)
{
    return g == 1 ? "男" : g == 2 ? "女" : "未知";
}

static const char *label(enum yb_dict_kind kind, int idx)
{
    const char *l = yb_dict_label(kind, yb__dict_code(kind, idx));

    return l != NULL ? l : "";
}

static void put_header(FILE *f, const struct yb_settlement *s,
                       const struct yb_visit_doc *d)
{
    char b[16], en[16];

    fputs("医疗保障基金结算单\n", f);
    fputs(rule_line, f);
    fprintf(f, "就诊ID %s\n", d->visit.mdtrt_id);
    fprintf(f, "人员编号 %s  姓名 %s\n", d->person.psn_no,
            d->psn_name != NULL ? d->psn_name : "");
    fprintf(f, "性别 %s  出生日期 %s  年龄 %d\n", gender_name(d->person.gender),
            yb_date_format(d->person.birth, b), s->age);
    fprintf(f, "险种 %s  人员类别 %s %s\n", d->insutype,
            yb__dict_code(YB_DICT_PSN_TYPE, d->person.psn_type),
            label(YB_DICT_PSN_TYPE, d->person.psn_type));
    fprintf(f, "医疗类别 %s %s  医院等级 %s\n",
            yb__dict_code(YB_DICT_MED_TYPE, d->visit.med_type),
            label(YB_DICT_MED_TYPE, d->visit.med_type),
            label(YB_DICT_HOSP_LV, d->visit.hosp_lv));
    fprintf(f, "就诊日期 %s 至 %s  本年度第 %d 次\n",
            yb_date_format(d->visit.begin, b), yb_date_format(d->visit.end, en),
            s->adm_ordinal);
}

static void put_figures(FILE *f, const struct yb_settlement *s)
{
    char buf[32];
    size_t i;

    fputs(rule_line, f);
    for (i = 0; i < yb__n_setl_fields; i++) {
        const struct yb__setl_field *x = &yb__setl_fields[i];

        if (x->scale == 2)
            fprintf(f, "%s %s 元\n", x->label,
                    yb_money_format(yb__setl_value(&s->info, x), buf));
        else
            fprintf(
                f, "%s %s\n", x->label,
                yb_decimal_format(yb__setl_value(&s->info, x), x->scale, buf));
    }
}

/* One block per fund (its rounds together); false on allocation
 * failure. */
static bool put_details(FILE *f, const struct yb_settlement *s,
                        struct yb_arena *arena)
{
    char a[32], b[32], c[32];
    int i;

    if (s->n_setldetail > 0) {
        fputs(rule_line, f);
        fputs("基金支付明细\n", f);
    }
    for (i = 0; i < s->n_setldetail; i++) {
        const struct yb_setldetail *row = &s->setldetail[i];
        const char *name = yb_dict_label(YB_DICT_FUND, row->fund_pay_type);
        const char *proc = yb_setldetail_proc_info(s, i, arena);

        if (proc == NULL)
            return false;
        if (name == NULL)
            name = row->name;
        fprintf(
            f, "%s (%s) 计算基数 %s 元 支付 %s 元 本次可支付限额 %s 元\n  %s\n",
            name, row->fund_pay_type, yb_money_format(row->inscp_scp_amt, a),
            yb_money_format(row->fund_payamt, b),
            yb_money_format(row->crt_payb_lmt_amt, c), proc);
    }
    return true;
}

static bool put_trace(FILE *f, const struct yb_settlement *s,
                      struct yb_arena *arena)
{
    const char *t = yb_trace_text(s, arena);
    size_t n;

    if (t == NULL)
        return false;
    fputs(rule_line, f);
    fputs("计算过程\n", f);
    fputs(t, f);
    n = strlen(t);
    if (n > 0 && t[n - 1] != '\n')
        fputc('\n', f);
    return true;
}

char *yb_settlement_text(const struct yb_settlement *s,
                         const struct yb_visit_doc *d, bool trace,
                         struct yb_arena *arena)
{
    char *buf = NULL, *res = NULL;
    size_t len = 0;
    bool ok;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        return NULL;
    put_header(f, s, d);
    put_figures(f, s);
    ok = put_details(f, s, arena);
    if (ok && trace)
        ok = put_trace(f, s, arena);
    if (fclose(f) != 0 || !ok || buf == NULL)
        goto out;
    res = yb_arena_strndup(arena, buf, len);
out:
    free(buf);
    return res;
}
