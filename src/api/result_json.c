/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The settlement result as the national-shaped JSON document (docs/api.md,
 * docs/hospital.md): 2207 setlinfo and setldetail[], 2204 result[]
 * per fee line, the accumulators after the visit (readable back by
 * yb_accums_doc_parse) and, on request, the trace. Money goes out through
 * yb_json_add_money (exact two decimals); quantities, prices and shares as
 * raw decimal numbers with 4, 6 and 4 places; nothing passes through a
 * double. A failed allocation anywhere yields NULL.
 */
#include <stdio.h>
#include <string.h>

#include "api_int.h"

/* A renderer's state: the first allocation failure sticks. */
struct out {
    bool oom;
};

static cJSON *check(struct out *o, cJSON *item)
{
    if (item == NULL)
        o->oom = true;
    return item;
}

/* A string member; a missing value is "" (never null: an HIS reads every
 * field into a non-nullable type). */
static void add_str(struct out *o, cJSON *obj, const char *key, const char *v)
{
    check(o, cJSON_AddStringToObject(obj, key, v != NULL ? v : ""));
}

static void add_money(struct out *o, cJSON *obj, const char *key, yb_fen v)
{
    check(o, yb_json_add_money(obj, key, v));
}

/* A decimal scaled by 10^scale, written as a JSON number. */
static void add_dec(struct out *o, cJSON *obj, const char *key, int64_t v,
                    int scale)
{
    char buf[64];

    if (scale == 0)
        snprintf(buf, sizeof buf, "%lld", (long long)v);
    else
        yb_decimal_format(v, scale, buf);
    check(o, cJSON_AddRawToObject(obj, key, buf));
}

/* A new object appended to an array. */
static cJSON *push_obj(struct out *o, cJSON *arr)
{
    cJSON *it = cJSON_CreateObject();

    if (it != NULL && !cJSON_AddItemToArray(arr, it)) {
        cJSON_Delete(it);
        it = NULL;
    }
    return check(o, it);
}

static const char *clr_type(int med_type)
{
    const char *code = yb__dict_code(YB_DICT_MED_TYPE, med_type);

    /* inpatient types (2x) and maternity inpatient (52) clear as 21 */
    if (code[0] == '2' || strcmp(code, "52") == 0)
        return "21";
    return "11";
}

static void add_person(struct out *o, cJSON *si, const struct yb_settlement *s,
                       const struct yb_visit_doc *d)
{
    char buf[16];

    add_str(o, si, "psn_no", d->person.psn_no);
    add_str(o, si, "psn_name", d->psn_name != NULL ? d->psn_name : "");
    add_str(o, si, "gend",
            d->person.gender == 1   ? "1"
            : d->person.gender == 2 ? "2"
                                    : "9");
    add_str(o, si, "brdy", yb_date_format(d->person.birth, buf));
    add_dec(o, si, "age", s->age, 0);
    add_str(o, si, "insutype", d->insutype);
    add_str(o, si, "psn_type",
            yb__dict_code(YB_DICT_PSN_TYPE, d->person.psn_type));
}

static void add_setlinfo(struct out *o, cJSON *root,
                         const struct yb_settlement *s,
                         const struct yb_visit_doc *d)
{
    cJSON *si = check(o, cJSON_AddObjectToObject(root, "setlinfo"));
    char buf[16];
    size_t i;

    add_str(o, si, "mdtrt_id", d->visit.mdtrt_id);
    add_person(o, si, s, d);
    add_str(o, si, "med_type",
            yb__dict_code(YB_DICT_MED_TYPE, d->visit.med_type));
    add_str(o, si, "setl_time", yb_date_format(d->visit.end, buf));
    for (i = 0; i < yb__n_setl_fields; i++)
        check(o, yb__setl_add(si, &s->info, &yb__setl_fields[i]));
    add_money(o, si, "balc", 0);
    add_money(o, si, "acct_mulaid_pay", 0);
    add_str(o, si, "clr_type", clr_type(d->visit.med_type));
    add_dec(o, si, "adm_ordinal", s->adm_ordinal, 0);
}

/* setldetail[]: one row per fund (the rounds of a fund summed). */
static void add_details(struct out *o, cJSON *root,
                        const struct yb_settlement *s, struct yb_arena *arena)
{
    cJSON *arr = check(o, cJSON_AddArrayToObject(root, "setldetail"));
    int i;

    for (i = 0; i < s->n_setldetail && !o->oom; i++) {
        const struct yb_setldetail *row = &s->setldetail[i];
        cJSON *it = push_obj(o, arr);
        const char *name = yb_dict_label(YB_DICT_FUND, row->fund_pay_type);
        const char *proc = yb_setldetail_proc_info(s, i, arena);

        if (name == NULL)
            name = row->name;
        add_str(o, it, "fund_pay_type", row->fund_pay_type);
        add_str(o, it, "fund_pay_type_name", name);
        add_money(o, it, "inscp_scp_amt", row->inscp_scp_amt);
        add_money(o, it, "crt_payb_lmt_amt", row->crt_payb_lmt_amt);
        add_money(o, it, "fund_payamt", row->fund_payamt);
        if (proc == NULL)
            o->oom = true;
        add_str(o, it, "setl_proc_info", proc);
    }
}

static void add_line(struct out *o, cJSON *it, const struct yb_line_result *r)
{
    const char *lv = r->chrgitm_lv == 1   ? "01"
                     : r->chrgitm_lv == 2 ? "02"
                                          : "03";

    add_str(o, it, "feedetl_sn", r->line->feedetl_sn);
    add_str(o, it, "med_list_codg", r->line->med_list_codg);
    add_money(o, it, "det_item_fee_sumamt", r->line->amount);
    add_dec(o, it, "cnt", r->line->cnt, 4);
    add_dec(o, it, "pric", r->line->pric, 6);
    add_dec(o, it, "pric_uplmt_amt", r->pric_uplmt_amt, 6);
    add_dec(o, it, "selfpay_prop", r->selfpay_prop, 4);
    add_money(o, it, "fulamt_ownpay_amt", r->fulamt_ownpay_amt);
    add_money(o, it, "overlmt_amt", r->overlmt_amt);
    add_money(o, it, "preselfpay_amt", r->preselfpay_amt);
    add_money(o, it, "inscp_scp_amt", r->inscp_scp_amt);
    add_str(o, it, "chrgitm_lv", lv);
    add_str(o, it, "med_chrgitm_type",
            r->entry != NULL
                ? yb__dict_code(YB_DICT_LIST_TYPE, r->entry->list_type)
                : "");
    add_str(o, it, "lmt_used_flag", r->lmt_used_flag ? "1" : "0");
    add_str(o, it, "memo", r->memo != NULL ? r->memo : "");
}

static void add_lines(struct out *o, cJSON *arr, const struct yb_line_result *r,
                      size_t n)
{
    for (size_t i = 0; i < n && !o->oom && arr; i++) {
        cJSON *it = push_obj(o, arr);
        if (it)
            add_line(o, it, &r[i]);
    }
}

static void add_results(struct out *o, cJSON *root,
                        const struct yb_settlement *s)
{
    add_lines(o, check(o, cJSON_AddArrayToObject(root, "result")), s->lines,
              s->n_lines);
}

int yb_settlement_nodes(cJSON *root, const struct yb_settlement *s,
                        const struct yb_visit_doc *d, struct yb_arena *arena)
{
    struct out o = {false};
    add_setlinfo(&o, root, s, d);
    add_details(&o, root, s, arena);
    return o.oom ? YB_ENOMEM : YB_OK;
}

int yb_line_results_json(cJSON *arr, const struct yb_line_result *r, size_t n)
{
    struct out o = {false};
    add_lines(&o, arr, r, n);
    return o.oom ? YB_ENOMEM : YB_OK;
}

static bool is_count_key(const char *k)
{
    size_t n = strlen(k), s = strlen("admissions");

    return n >= s && strcmp(k + n - s, "admissions") == 0;
}

static void add_accums(struct out *o, cJSON *root, const struct yb_accums *a)
{
    cJSON *obj = check(o, cJSON_AddObjectToObject(root, "accumulators"));
    cJSON *amounts, *counts;
    char buf[32];
    int i;

    add_dec(o, obj, "year", a->year, 0);
    amounts = check(o, cJSON_AddObjectToObject(obj, "amounts"));
    counts = check(o, cJSON_AddObjectToObject(obj, "counts"));
    for (i = 0; i < a->n && !o->oom; i++) {
        const struct yb_accum *x = &a->items[i];

        if (is_count_key(x->key))
            add_dec(o, counts, x->key, x->value, 0);
        else
            add_str(o, amounts, x->key, yb_money_format(x->value, buf));
    }
}

/* A trace value in its unit: money as a yuan number, a rate as "70%", a
 * count as an integer. */
static void add_value(struct out *o, cJSON *obj, const char *key, int64_t v,
                      enum yb_unit unit)
{
    char buf[32];

    if (unit == YB_UNIT_FEN)
        add_money(o, obj, key, v);
    else if (unit == YB_UNIT_RATE && v >= INT32_MIN && v <= INT32_MAX)
        add_str(o, obj, key, yb_rate_format((yb_rate)v, buf));
    else
        add_dec(o, obj, key, v, 0);
}

static void add_step(struct out *o, cJSON *it, const struct yb_step *st,
                     struct yb_arena *arena)
{
    cJSON *in;
    const char *text = yb_step_text(st, arena);
    int k;

    add_str(o, it, "code", st->code);
    add_str(o, it, "label", st->label);
    add_str(o, it, "layer", st->layer);
    add_str(o, it, "rule", st->rule);
    in = check(o, cJSON_AddObjectToObject(it, "inputs"));
    for (k = 0; k < st->n_in && k < YB_STEP_MAX_INPUTS; k++)
        add_value(o, in, st->in[k].key, st->in[k].value, st->in[k].unit);
    if (st->result_unit != YB_UNIT_NONE)
        add_value(o, it, "result", st->result, st->result_unit);
    add_str(o, it, "note", st->note);
    if (text == NULL)
        o->oom = true;
    add_str(o, it, "text", text);
}

static void add_trace(struct out *o, cJSON *root, const struct yb_settlement *s,
                      struct yb_arena *arena)
{
    cJSON *arr = check(o, cJSON_AddArrayToObject(root, "trace"));
    int i;

    for (i = 0; i < s->n_steps && !o->oom; i++)
        add_step(o, push_obj(o, arr), &s->steps[i], arena);
}

char *yb_settlement_json(const struct yb_settlement *s,
                         const struct yb_visit_doc *d, bool trace,
                         struct yb_arena *arena)
{
    struct out o = {false};
    cJSON *root = cJSON_CreateObject();
    char *printed = NULL, *res = NULL;

    if (root == NULL)
        goto out;
    add_setlinfo(&o, root, s, d);
    add_details(&o, root, s, arena);
    add_results(&o, root, s);
    add_accums(&o, root, &s->after);
    if (trace)
        add_trace(&o, root, s, arena);
    if (o.oom)
        goto out;
    printed = cJSON_Print(root);
    if (printed != NULL)
        res = yb_arena_strdup(arena, printed);
out:
    cJSON_free(printed);
    cJSON_Delete(root);
    return res;
}
