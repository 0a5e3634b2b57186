/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The visit document read by `yibao settle` (docs/api.md): the person, the
 * visit (mdtrt) and its fee lines in the national field names, optionally
 * a stated total and an inline catalogue. Parsing is strict: unknown keys,
 * unknown codes, fractional fen, impossible dates, fee times outside the
 * visit, duplicate line numbers and a stated total that differs from the
 * lines are all YB_EINVAL with the full field path and the value. Every
 * string of the result lives in the document's own arena.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "yibao/idcard.h"
#include "yibao/region.h"

static const char *const doc_keys[] = {
    "person", "mdtrt", "medfee_sumamt", "feedetail", "catalogue", NULL};
static const char *const person_keys[] = {
    "psn_no",   "psn_name", "certno", "gend",         "brdy",
    "psn_type", "idet",     "tier",   "ci_cap_bonus", NULL};
static const char *const bonus_keys[] = {"continuous_years", "claim_free_years",
                                         NULL};
static const char *const mdtrt_keys[] = {
    "mdtrt_id",          "med_type",  "hosp_lv",
    "fixmedins_code",    "insutype",  "insuplc_admdvs",
    "mdtrtarea_admvs",   "begntime",  "endtime",
    "adm_ordinal",       "referral",  "dise_codg",
    "chronic_dise_codg", "matn_type", NULL};
/* The six keys the engine reads, then the rest of the national 2204
 * feedetail fields: a HIS sends them all, so they are accepted (and not
 * used here); anything else is a typo and refused. */
static const char *const line_keys[] = {"feedetl_sn",
                                        "med_list_codg",
                                        "cnt",
                                        "pric",
                                        "det_item_fee_sumamt",
                                        "fee_ocur_time",
                                        "mdtrt_id",
                                        "psn_no",
                                        "chrg_bchno",
                                        "dise_codg",
                                        "rxno",
                                        "rx_circ_flag",
                                        "medins_list_codg",
                                        "sin_dos_dscr",
                                        "used_frqu_dscr",
                                        "prd_days",
                                        "medc_way_dscr",
                                        "bilg_dept_codg",
                                        "bilg_dept_name",
                                        "bilg_dr_codg",
                                        "bilg_dr_name",
                                        "acord_dept_codg",
                                        "acord_dept_name",
                                        "orders_dr_code",
                                        "orders_dr_name",
                                        "hosp_appr_flag",
                                        "tcmdrug_used_way",
                                        "etip_flag",
                                        "etip_hosp_code",
                                        "dscg_tkdrug_flag",
                                        "matn_fee_flag",
                                        NULL};

#define MAX_LINES 100000
#define MAX_DISEASES 64

/* A required identifier must not be empty. */
static int check_nonempty(const char *s, const char *path, const char *key,
                          struct yb_err *e)
{
    char f[128];

    if (s != NULL && s[0] != '\0')
        return YB_OK;
    return yb_err_set(e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, key),
                      "不能为空 (empty)");
}

/* person.ci_cap_bonus: the years that raise the critical-illness cap
 * (docs/api.md); the engine checks that they fit together. */
static int parse_bonus_years(const cJSON *p, struct yb_person *ps,
                             struct yb_err *e)
{
    const char *path = "person.ci_cap_bonus";
    const cJSON *b = NULL;
    int64_t n = 0, k = 0;
    int rc = yb_json_object(p, "ci_cap_bonus", "person", false, &b, e);

    if (rc != YB_OK || b == NULL)
        return rc;
    rc = yb_json_check_keys(b, path, bonus_keys, e);
    if (rc == YB_OK)
        rc = yb_json_int(b, "continuous_years", path, true, 0, 200, &n, e);
    if (rc == YB_OK)
        rc = yb_json_int(b, "claim_free_years", path, false, 0, 200, &k, e);
    ps->ci_continuous_years = (int)n;
    ps->ci_claim_free_years = (int)k;
    return rc;
}

static int parse_person(const cJSON *root, struct yb_visit_doc *d,
                        struct yb_err *e)
{
    struct yb_person *ps = &d->person;
    const cJSON *p = NULL;
    const char *certno = NULL;
    int64_t tier = 1;
    int rc;

    rc = yb_json_object(root, "person", "", true, &p, e);
    if (rc == YB_OK)
        rc = yb_json_check_keys(p, "person", person_keys, e);
    if (rc == YB_OK)
        rc = yb_json_string(p, "psn_no", "person", true, 30, true, &d->arena,
                            &ps->psn_no, e);
    if (rc == YB_OK)
        rc = check_nonempty(ps->psn_no, "person", "psn_no", e);
    if (rc == YB_OK)
        rc = yb_json_string(p, "psn_name", "person", false, 50, false,
                            &d->arena, &d->psn_name, e);
    if (rc == YB_OK)
        rc = yb_json_string(p, "certno", "person", false, 50, false, &d->arena,
                            &certno, e);
    if (rc == YB_OK && certno != NULL)
        rc = yb_idcard_parse(certno, NULL, "person.certno", e);
    if (rc == YB_OK)
        rc = yb__json_gender(p, "person", true, &ps->gender, e);
    if (rc == YB_OK)
        rc = yb_json_date(p, "brdy", "person", true, false, &ps->birth, e);
    if (rc == YB_OK)
        rc = yb_json_code(p, "psn_type", "person", true, YB_DICT_PSN_TYPE,
                          &ps->psn_type, e);
    if (rc == YB_OK)
        rc = yb_json_code_set(p, "idet", "person", false, YB_DICT_IDET,
                              &ps->idets, e);
    if (rc == YB_OK)
        rc = yb_json_int(p, "tier", "person", false, 1, 31, &tier, e);
    ps->tier = (int)tier;
    if (rc == YB_OK)
        rc = parse_bonus_years(p, ps, e);
    return rc;
}

/* insuplc_admdvs / mdtrtarea_admvs: six digits forming a region code. */
static int parse_region(const cJSON *m, const char *key, char out[7],
                        struct yb_arena *a, struct yb_err *e)
{
    const char *s = NULL;
    char f[128];
    int rc = yb_json_string(m, key, "mdtrt", true, 6, true, a, &s, e);

    if (rc != YB_OK)
        return rc;
    if (!yb_region_valid(s))
        return yb_err_set(e, YB_EINVAL,
                          yb_json_path_key(f, sizeof f, "mdtrt", key),
                          "行政区划代码无效：\"%s\" (not a region code)", s);
    memcpy(out, s, 7);
    return YB_OK;
}

/* dise_codg: a list of non-empty diagnosis codes, the main one first. */
static int parse_diseases(const cJSON *m, struct yb_visit_doc *d,
                          struct yb_err *e)
{
    const cJSON *arr = NULL, *it;
    char f[128];
    int i = 0, n;
    int rc = yb_json_array(m, "dise_codg", "mdtrt", false, &arr, e);

    if (rc != YB_OK || arr == NULL)
        return rc;
    n = cJSON_GetArraySize(arr);
    if (n > MAX_DISEASES)
        return yb_err_set(e, YB_EINVAL, "mdtrt.dise_codg",
                          "共 %d 个诊断，最多 %d 个 (too many diagnoses)", n,
                          MAX_DISEASES);
    d->visit.diseases =
        yb_arena_calloc(&d->arena, (size_t)n + 1, sizeof(const char *));
    if (d->visit.diseases == NULL)
        return yb_err_set(e, YB_ENOMEM, "mdtrt.dise_codg",
                          "内存不足 (out of memory)");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(f, sizeof f, "mdtrt.dise_codg", i);
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
            strlen(it->valuestring) > 30)
            return yb_err_set(
                e, YB_EINVAL, f,
                "诊断代码应为 1 至 30 个字符的字符串 (a diagnosis code must be "
                "a string of 1 to 30 characters)");
        d->visit.diseases[i] = yb_arena_strdup(&d->arena, it->valuestring);
        if (d->visit.diseases[i] == NULL)
            return yb_err_set(e, YB_ENOMEM, f, "内存不足 (out of memory)");
        i++;
    }
    d->visit.n_diseases = n;
    return YB_OK;
}

static int check_visit_dates(const struct yb_visit *v, struct yb_err *e)
{
    char b[16], en[16];

    if (v->end >= v->begin)
        return YB_OK;
    return yb_err_set(
        e, YB_EINVAL, "mdtrt.endtime",
        "时间 \"%s\" 早于开始时间 begntime \"%s\" (before begntime)",
        yb_date_format(v->end, en), yb_date_format(v->begin, b));
}

static int parse_mdtrt_codes(const cJSON *m, struct yb_visit_doc *d,
                             struct yb_err *e)
{
    struct yb_visit *v = &d->visit;
    int rc;

    rc = yb_json_string(m, "mdtrt_id", "mdtrt", true, 30, true, &d->arena,
                        &v->mdtrt_id, e);
    if (rc == YB_OK)
        rc = check_nonempty(v->mdtrt_id, "mdtrt", "mdtrt_id", e);
    if (rc == YB_OK)
        rc = yb_json_code(m, "med_type", "mdtrt", true, YB_DICT_MED_TYPE,
                          &v->med_type, e);
    if (rc == YB_OK)
        rc = yb_json_code(m, "hosp_lv", "mdtrt", true, YB_DICT_HOSP_LV,
                          &v->hosp_lv, e);
    if (rc == YB_OK)
        rc = yb_json_string(m, "fixmedins_code", "mdtrt", false, 30, false,
                            &d->arena, &d->fixmedins_code, e);
    if (rc == YB_OK)
        rc = yb_json_string(m, "insutype", "mdtrt", false, 6, true, &d->arena,
                            &d->insutype, e);
    if (rc == YB_OK)
        rc = parse_region(m, "insuplc_admdvs", v->insuplc_admdvs, &d->arena, e);
    if (rc == YB_OK)
        rc = parse_region(m, "mdtrtarea_admvs", v->mdtrtarea_admvs, &d->arena,
                          e);
    return rc;
}

static int parse_mdtrt(const cJSON *root, struct yb_visit_doc *d,
                       struct yb_err *e)
{
    struct yb_visit *v = &d->visit;
    const cJSON *m = NULL;
    int64_t ordinal = 0;
    int rc;

    d->insutype = "390";
    rc = yb_json_object(root, "mdtrt", "", true, &m, e);
    if (rc == YB_OK)
        rc = yb_json_check_keys(m, "mdtrt", mdtrt_keys, e);
    if (rc == YB_OK)
        rc = parse_mdtrt_codes(m, d, e);
    if (rc == YB_OK)
        rc = yb_json_date(m, "begntime", "mdtrt", true, true, &v->begin, e);
    if (rc == YB_OK)
        rc = yb_json_date(m, "endtime", "mdtrt", true, true, &v->end, e);
    if (rc == YB_OK)
        rc = check_visit_dates(v, e);
    if (rc == YB_OK)
        rc = yb_json_int(m, "adm_ordinal", "mdtrt", false, 0, 999, &ordinal, e);
    v->adm_ordinal = (int)ordinal;
    if (rc == YB_OK)
        rc = yb_json_bool(m, "referral", "mdtrt", false, &v->referral, e);
    if (rc == YB_OK)
        rc = parse_diseases(m, d, e);
    if (rc == YB_OK)
        rc = yb_json_string(m, "chronic_dise_codg", "mdtrt", false, 30, false,
                            &d->arena, &v->chronic_disease, e);
    if (rc == YB_OK)
        rc = yb_json_string(m, "matn_type", "mdtrt", false, 6, true, &d->arena,
                            &v->matn_type, e);
    return rc;
}

/* The birth date must not follow the visit (age would be negative). */
static int check_birth(const struct yb_visit_doc *d, struct yb_err *e)
{
    char b[16], v[16];

    if (d->person.birth <= d->visit.begin)
        return YB_OK;
    return yb_err_set(e, YB_EINVAL, "person.brdy",
                      "时间 \"%s\" 晚于就诊开始时间 begntime \"%s\" (after the "
                      "visit's begntime)",
                      yb_date_format(d->person.birth, b),
                      yb_date_format(d->visit.begin, v));
}

/* cnt > 0 and pric >= 0, naming the value as sent. */
static int check_quantities(const cJSON *it, const char *path,
                            const struct yb_fee_line *l, struct yb_err *e)
{
    char f[128], t[64];
    const char *key = NULL;
    const char *what = NULL;

    if (l->cnt < 0) {
        key = "cnt";
        what = "is negative";
    } else if (l->cnt == 0) {
        key = "cnt";
        what = "应大于 0 (not positive)";
    } else if (l->pric < 0) {
        key = "pric";
        what = "不能为负数 (negative)";
    }
    if (key == NULL)
        return YB_OK;
    return yb_err_set(
        e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, key), "数值 %s %s",
        yb__json_text(yb__json_member(it, key), t, sizeof t), what);
}

/* fee_ocur_time: optional; its day must lie within the visit. */
static int parse_fee_time(const cJSON *it, const char *path,
                          const struct yb_visit *v, struct yb_fee_line *l,
                          struct yb_err *e)
{
    char f[128], t[64], b[16], en[16];
    int rc;

    l->fee_date = v->begin;
    rc = yb_json_date(it, "fee_ocur_time", path, false, true, &l->fee_date, e);
    if (rc != YB_OK || (l->fee_date >= v->begin && l->fee_date <= v->end))
        return rc;
    return yb_err_set(
        e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "fee_ocur_time"),
        "时间 %s 不在就诊期间 %s 至 %s 内 (outside the visit)",
        yb__json_text(yb__json_member(it, "fee_ocur_time"), t, sizeof t),
        yb_date_format(v->begin, b), yb_date_format(v->end, en));
}

static int parse_line(const cJSON *it, const char *path, struct yb_visit_doc *d,
                      struct yb_fee_line *l, struct yb_err *e)
{
    int rc;

    if (!cJSON_IsObject(it))
        return yb_err_set(
            e, YB_EINVAL, path,
            "费用明细应为 JSON 对象 (a fee line must be an object)");
    rc = yb_json_check_keys(it, path, line_keys, e);
    if (rc == YB_OK)
        rc = yb_json_string(it, "feedetl_sn", path, true, 30, true, &d->arena,
                            &l->feedetl_sn, e);
    if (rc == YB_OK)
        rc = check_nonempty(l->feedetl_sn, path, "feedetl_sn", e);
    if (rc == YB_OK)
        rc = yb_json_string(it, "med_list_codg", path, true, 50, false,
                            &d->arena, &l->med_list_codg, e);
    if (rc == YB_OK)
        rc = check_nonempty(l->med_list_codg, path, "med_list_codg", e);
    if (rc == YB_OK)
        rc = yb_json_decimal(it, "cnt", path, true, 4, &l->cnt, e);
    if (rc == YB_OK)
        rc = yb_json_decimal(it, "pric", path, true, 6, &l->pric, e);
    if (rc == YB_OK)
        rc = check_quantities(it, path, l, e);
    if (rc == YB_OK)
        rc = yb_json_money(it, "det_item_fee_sumamt", path, true, false,
                           &l->amount, e);
    if (rc == YB_OK)
        rc = parse_fee_time(it, path, &d->visit, l, e);
    return rc;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

static int repeated_sn(struct yb_err *e, size_t i, const char *sn,
                       uint32_t first)
{
    char f[128], line[64];

    yb_json_path_index(line, sizeof line, "feedetail", (int)i);
    return yb_err_set(
        e, YB_EINVAL, yb_json_path_key(f, sizeof f, line, "feedetl_sn"),
        "明细流水号 \"%s\" 与 feedetail[%u] 重复 (repeats another fee line)",
        sn, first);
}

/* feedetl_sn is unique within the visit: an open-addressing set of line
 * indices + 1 over the arena. */
static int check_unique_sn(struct yb_visit_doc *d, struct yb_err *e)
{
    size_t n_slots = 16, i;
    uint32_t *slots;

    while (n_slots < 2 * d->n_lines)
        n_slots *= 2;
    slots = yb_arena_calloc(&d->arena, n_slots, sizeof *slots);
    if (slots == NULL)
        return yb_err_set(e, YB_ENOMEM, "feedetail",
                          "内存不足 (out of memory)");
    for (i = 0; i < d->n_lines; i++) {
        const char *sn = d->lines[i].feedetl_sn;
        size_t h = (size_t)hash_str(sn) & (n_slots - 1);

        for (; slots[h] != 0; h = (h + 1) & (n_slots - 1))
            if (strcmp(d->lines[slots[h] - 1].feedetl_sn, sn) == 0)
                return repeated_sn(e, i, sn, slots[h] - 1);
        slots[h] = (uint32_t)i + 1;
    }
    return YB_OK;
}

static int parse_lines(const cJSON *root, struct yb_visit_doc *d,
                       struct yb_err *e)
{
    const cJSON *arr = NULL, *it;
    char f[128];
    int i = 0, n;
    int rc = yb_json_array(root, "feedetail", "", true, &arr, e);

    if (rc != YB_OK)
        return rc;
    n = cJSON_GetArraySize(arr);
    if (n < 1)
        return yb_err_set(e, YB_EINVAL, "feedetail",
                          "没有费用明细 (has no fee lines)");
    if (n > MAX_LINES)
        return yb_err_set(e, YB_EINVAL, "feedetail",
                          "共 %d 条费用明细，最多 %d 条 (too many fee lines)",
                          n, MAX_LINES);
    d->lines = yb_arena_calloc(&d->arena, (size_t)n, sizeof *d->lines);
    if (d->lines == NULL)
        return yb_err_set(e, YB_ENOMEM, "feedetail",
                          "内存不足 (out of memory)");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(f, sizeof f, "feedetail", i);
        rc = parse_line(it, f, d, &d->lines[i], e);
        if (rc != YB_OK)
            return rc;
        i++;
    }
    d->n_lines = (size_t)n;
    return check_unique_sn(d, e);
}

/* The stated medfee_sumamt, if any, must equal the sum of the lines. */
static int check_total(const cJSON *root, struct yb_visit_doc *d,
                       struct yb_err *e)
{
    yb_fen sum = 0;
    char a[32], b[32];
    size_t i;
    int rc = yb_json_money(root, "medfee_sumamt", "", false, false,
                           &d->medfee_sumamt, e);

    if (rc != YB_OK)
        return rc;
    d->has_medfee_sumamt = yb__json_member(root, "medfee_sumamt") != NULL;
    for (i = 0; i < d->n_lines; i++)
        if (yb_money_add(sum, d->lines[i].amount, &sum) != YB_OK)
            return yb_err_set(e, YB_EOVERFLOW, "feedetail",
                              "费用明细金额 det_item_fee_sumamt 之和溢出 (the "
                              "sum overflows)");
    if (!d->has_medfee_sumamt || d->medfee_sumamt == sum)
        return YB_OK;
    return yb_err_set(e, YB_EINVAL, "medfee_sumamt",
                      "金额 \"%s\" 与费用明细金额 det_item_fee_sumamt 之和 %s "
                      "不符 (differs from the sum of the fee lines)",
                      yb_money_format(d->medfee_sumamt, a),
                      yb_money_format(sum, b));
}

static int parse_doc(const cJSON *root, struct yb_visit_doc *d,
                     struct yb_err *e)
{
    const cJSON *cat = NULL;
    int rc;

    if (!cJSON_IsObject(root))
        return yb_err_set(
            e, YB_EINVAL, "",
            "就诊文档应为 JSON 对象 (a visit must be a JSON object)");
    rc = yb_json_check_keys(root, "", doc_keys, e);
    if (rc == YB_OK)
        rc = parse_person(root, d, e);
    if (rc == YB_OK)
        rc = parse_mdtrt(root, d, e);
    if (rc == YB_OK)
        rc = check_birth(d, e);
    if (rc == YB_OK)
        rc = parse_lines(root, d, e);
    if (rc == YB_OK)
        rc = check_total(root, d, e);
    if (rc == YB_OK)
        rc = yb_json_array(root, "catalogue", "", false, &cat, e);
    if (rc == YB_OK && cat != NULL)
        rc = yb_catalogue_json_parse(cat, "catalogue", &d->arena, &d->catalogue,
                                     &d->n_catalogue, e);
    return rc;
}

int yb_visit_doc_parse(const char *text, size_t len, struct yb_visit_doc **out,
                       struct yb_err *e)
{
    struct yb_visit_doc *d = NULL;
    cJSON *root = NULL;
    int rc;

    *out = NULL;
    rc = yb_json_parse(text, len, &root, e);
    if (rc != YB_OK)
        goto out;
    d = calloc(1, sizeof *d);
    if (d == NULL) {
        rc = yb_err_set(e, YB_ENOMEM, "", "内存不足 (out of memory)");
        goto out;
    }
    yb_arena_init(&d->arena, 0);
    rc = parse_doc(root, d, e);
    if (rc != YB_OK)
        goto out;
    *out = d;
    d = NULL;
out:
    yb_visit_doc_free(d);
    cJSON_Delete(root);
    return rc;
}

void yb_visit_doc_free(struct yb_visit_doc *d)
{
    if (d == NULL)
        return;
    yb_arena_free(&d->arena);
    free(d);
}
