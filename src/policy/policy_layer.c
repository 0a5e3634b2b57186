/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One benefit layer of a policy (docs/policy.md, "Layers"): its identity
 * and stage, the deductible rules, the banded rates or flat amounts, and
 * the cap. Defaults follow the stage (docs/benefits.md): a basic layer pays
 * on the policy scope from fund 390100, critical illness and assistance on
 * the burden earlier layers left, from 390200 and 610100. The checks here
 * are the ones a reviewer of the policy text would make: bands start at 0
 * and strictly ascend, min_rate <= max_rate, a cap is given one way, a
 * shared cap exists, a flat layer has amounts and no rates.
 */
#include <string.h>

#include "policy_int.h"

#define LAYER_NAME_MAX 128

static const char *const layer_keys[] = {
    "id",     "name",          "stage",      "fund",  "when", "base",
    "method", "accumulate_as", "deductible", "rates", "flat", "cap",
    NULL};
static const char *const deductible_keys[] = {
    "scope", "rules", "ordinal_factors", "adjust", NULL};
static const char *const rates_keys[] = {
    "measure", "bands_from", "rules", "adjust", "min_rate", "max_rate", NULL};
static const char *const cap_keys[] = {"amount", "rules",  "per_disease",
                                       "exempt", "shared", NULL};
static const char *const amount_rule_keys[] = {"when", "amount", NULL};
static const char *const adjust_keys[] = {"when", "factor", "amount", NULL};
static const char *const rate_rule_keys[] = {"when", "bands", "rate", NULL};
static const char *const band_keys[] = {"from", "rate", NULL};
static const char *const points_keys[] = {"when", "points", NULL};

static const char *const stage_names[] = {"basic", "critical", "assist", NULL};
static const char *const base_names[] = {
    "scope", "scope_burden", "scope_burden_preselfpay", "total_burden", NULL};
static const char *const method_names[] = {"banded", "flat", NULL};
static const char *const measure_names[] = {"visit", "year", NULL};
static const char *const origin_names[] = {"zero", "deductible", NULL};
/* Fund of each stage unless the layer names one (docs/benefits.md). */
static const char *const stage_funds[] = {"390100", "390200", "610100"};

/* Reads one element of an array of objects into elem (index i). */
typedef int (*item_fn)(const cJSON *it, const char *path, int i, void *elem,
                       struct yb_policy *p, struct yb_err *e);

static bool has(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    return v != NULL && !cJSON_IsNull(v);
}

static int keep_path(struct yb_policy *p, const char *path, const char **out,
                     struct yb_err *e)
{
    *out = yb_arena_strdup(&p->arena, path);
    return *out != NULL ? YB_OK : yb__policy_nomem(e, path);
}

/* obj[key] as an array of at least min_items objects, each read by fn
 * into an arena array of `size`-byte elements: *out (NULL when empty) and
 * *n. */
static int each_object(const cJSON *obj, const char *key, const char *path,
                       bool required, int min_items, size_t size, item_fn fn,
                       struct yb_policy *p, void **out, int *n,
                       struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    unsigned char *elems;
    int count, i = 0;
    int rc =
        yb__policy_array(obj, key, path, required, min_items, &arr, &count, e);

    if (rc != YB_OK || count == 0)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, key);
    elems = yb_arena_calloc(&p->arena, (size_t)count, size);
    if (elems == NULL)
        return yb__policy_nomem(e, apath);
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, apath, i);
        rc = fn(it, ipath, i, elems + (size_t)i * size, p, e);
        if (rc != YB_OK)
            return rc;
        i++;
    }
    *out = elems;
    *n = count;
    return YB_OK;
}

/* {"when": {...}, "amount": "1200.00"}: deductible, flat and cap rules. */
static int amount_rule(const cJSON *it, const char *path, int i, void *elem,
                       struct yb_policy *p, struct yb_err *e)
{
    struct yb_amount_rule *r = elem;
    int rc = yb_json_check_keys(it, path, amount_rule_keys, e);

    (void)i;
    if (rc == YB_OK)
        rc = yb__when_parse(it, "when", path, &p->arena, &r->when, NULL, e);
    if (rc == YB_OK)
        rc = yb_json_money(it, "amount", path, true, false, &r->amount, e);
    if (rc == YB_OK)
        rc = keep_path(p, path, &r->path, e);
    return rc;
}

/* Exactly one of keys a and b must be present in obj. */
static int one_of(const cJSON *obj, const char *a, const char *b,
                  const char *path, struct yb_err *e)
{
    if (has(obj, a) != has(obj, b))
        return YB_OK;
    return yb_err_set(e, YB_EINVAL, path,
                      "键 \"%s\" 与 \"%s\" 应恰好给出一个 (give exactly one)",
                      a, b);
}

/* {"when", "factor": "50%"} or {"when", "amount": "0"}. */
static int adjust_rule(const cJSON *it, const char *path, int i, void *elem,
                       struct yb_policy *p, struct yb_err *e)
{
    struct yb_adjust_rule *r = elem;
    int rc = yb_json_check_keys(it, path, adjust_keys, e);

    (void)i;
    if (rc == YB_OK)
        rc = one_of(it, "factor", "amount", path, e);
    if (rc == YB_OK)
        rc = yb__when_parse(it, "when", path, &p->arena, &r->when, NULL, e);
    if (rc != YB_OK)
        return rc;
    r->factor = YB_RATE_ONE;
    r->set_amount = has(it, "amount");
    if (r->set_amount)
        rc = yb_json_money(it, "amount", path, true, false, &r->amount, e);
    else
        rc = yb_json_rate(it, "factor", path, true, false, &r->factor, e);
    if (rc == YB_OK)
        rc = keep_path(p, path, &r->path, e);
    return rc;
}

/* {"from": "20000", "rate": "73%"}: from is 0 for the first band and
 * strictly above the previous band's for the others (elem[-1]). */
static int band(const cJSON *it, const char *path, int i, void *elem,
                struct yb_policy *p, struct yb_err *e)
{
    struct yb_band *b = elem;
    char f[YB__PATH_MAX], from[32], prev[32];
    int rc = yb_json_check_keys(it, path, band_keys, e);

    (void)p;
    if (rc == YB_OK)
        rc = yb_json_money(it, "from", path, true, false, &b->from, e);
    if (rc == YB_OK)
        rc = yb_json_rate(it, "rate", path, true, false, &b->rate, e);
    if (rc != YB_OK)
        return rc;
    yb_json_path_key(f, sizeof f, path, "from");
    yb_money_format(b->from, from);
    if (i == 0 && b->from != 0)
        return yb_err_set(
            e, YB_EINVAL, f,
            "起点 %s 不是 0：第一段应从 0 开始 (the first band starts at 0)",
            from);
    if (i > 0 && b->from <= b[-1].from)
        return yb_err_set(e, YB_EINVAL, f,
                          "起点 %s 不高于上一段的 %s (bands must rise)", from,
                          yb_money_format(b[-1].from, prev));
    return YB_OK;
}

/* {"when", "bands": [...]} or {"when", "rate": "70%"} (one band from 0). */
static int rate_rule(const cJSON *it, const char *path, int i, void *elem,
                     struct yb_policy *p, struct yb_err *e)
{
    struct yb_rate_rule *r = elem;
    void *bands = NULL;
    int rc = yb_json_check_keys(it, path, rate_rule_keys, e);

    (void)i;
    if (rc == YB_OK)
        rc = one_of(it, "rate", "bands", path, e);
    if (rc == YB_OK)
        rc = yb__when_parse(it, "when", path, &p->arena, &r->when, NULL, e);
    if (rc == YB_OK)
        rc = keep_path(p, path, &r->path, e);
    if (rc != YB_OK)
        return rc;
    if (has(it, "bands")) {
        rc = each_object(it, "bands", path, true, 1, sizeof *r->bands, band, p,
                         &bands, &r->n_bands, e);
        r->bands = bands;
        return rc;
    }
    r->bands = yb_arena_calloc(&p->arena, 1, sizeof *r->bands);
    if (r->bands == NULL)
        return yb__policy_nomem(e, path);
    r->n_bands = 1;
    return yb_json_rate(it, "rate", path, true, false, &r->bands[0].rate, e);
}

/* {"when", "points": "-10%"}: rate points, -100% to 100%. */
static int points_rule(const cJSON *it, const char *path, int i, void *elem,
                       struct yb_policy *p, struct yb_err *e)
{
    struct yb_points_rule *r = elem;
    int rc = yb_json_check_keys(it, path, points_keys, e);

    (void)i;
    if (rc == YB_OK)
        rc = yb__when_parse(it, "when", path, &p->arena, &r->when, NULL, e);
    if (rc == YB_OK)
        rc = yb_json_rate(it, "points", path, true, true, &r->points, e);
    if (rc == YB_OK)
        rc = keep_path(p, path, &r->path, e);
    return rc;
}

/* deductible.ordinal_factors: rates, 0 to 100%. */
static int ordinal_factors(const cJSON *obj, const char *path,
                           struct yb_policy *p, struct yb_deductible *d,
                           struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    int n, i = 0;
    int rc =
        yb__policy_array(obj, "ordinal_factors", path, false, 1, &arr, &n, e);

    if (rc != YB_OK || arr == NULL)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, "ordinal_factors");
    d->ordinal_factors = yb_arena_calloc(&p->arena, (size_t)n, sizeof(yb_rate));
    if (d->ordinal_factors == NULL)
        return yb__policy_nomem(e, apath);
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, apath, i);
        rc = yb_json_rate(it, NULL, ipath, true, false,
                          &d->ordinal_factors[i++], e);
        if (rc != YB_OK)
            return rc;
    }
    d->n_ordinal_factors = n;
    return YB_OK;
}

static int load_deductible(const cJSON *obj, const char *lpath,
                           struct yb_policy *p, struct yb_deductible *d,
                           struct yb_err *e)
{
    char path[YB__PATH_MAX], f[YB__PATH_MAX];
    const cJSON *dd = NULL;
    void *rules = NULL, *adjust = NULL;
    int scope = YB_MEASURE_VISIT;
    int rc = yb_json_object(obj, "deductible", lpath, false, &dd, e);

    d->scope = YB_MEASURE_VISIT;
    if (rc != YB_OK || dd == NULL)
        return rc;
    yb_json_path_key(path, sizeof path, lpath, "deductible");
    rc = yb_json_check_keys(dd, path, deductible_keys, e);
    if (rc == YB_OK)
        rc =
            yb__policy_enum(dd, "scope", path, false, measure_names, &scope, e);
    if (rc == YB_OK)
        rc = each_object(dd, "rules", path, false, 0, sizeof *d->rules,
                         amount_rule, p, &rules, &d->n_rules, e);
    if (rc == YB_OK)
        rc = ordinal_factors(dd, path, p, d, e);
    if (rc == YB_OK)
        rc = each_object(dd, "adjust", path, false, 0, sizeof *d->adjust,
                         adjust_rule, p, &adjust, &d->n_adjust, e);
    d->scope = (enum yb_measure)scope;
    d->rules = rules;
    d->adjust = adjust;
    if (rc == YB_OK && d->scope == YB_MEASURE_YEAR && d->n_ordinal_factors)
        return yb_err_set(
            e, YB_EINVAL,
            yb_json_path_key(f, sizeof f, path, "ordinal_factors"),
            "按住院次数计算，范围 scope 应为 \"visit\" 而非 \"year\" (needs "
            "scope visit)");
    return rc;
}

/* rates.min_rate and rates.max_rate, min <= max. */
static int rate_limits(const cJSON *ro, const char *path, struct yb_rates *r,
                       struct yb_err *e)
{
    char f[YB__PATH_MAX], lo[16], hi[16];
    int rc;

    r->min_rate = 0;
    r->max_rate = YB_RATE_ONE;
    rc = yb_json_rate(ro, "min_rate", path, false, false, &r->min_rate, e);
    if (rc == YB_OK)
        rc = yb_json_rate(ro, "max_rate", path, false, false, &r->max_rate, e);
    if (rc == YB_OK && r->min_rate > r->max_rate)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "min_rate"),
            "比例 %s 大于 max_rate %s (above max_rate)",
            yb_rate_format(r->min_rate, lo), yb_rate_format(r->max_rate, hi));
    return rc;
}

static int load_rates(const cJSON *obj, const char *lpath, struct yb_policy *p,
                      struct yb_rates *r, struct yb_err *e)
{
    char path[YB__PATH_MAX];
    const cJSON *ro = NULL;
    void *rules = NULL, *adjust = NULL;
    int measure = YB_MEASURE_VISIT, origin = YB_BANDS_FROM_ZERO;
    int rc = yb_json_object(obj, "rates", lpath, true, &ro, e);

    if (rc != YB_OK)
        return rc;
    yb_json_path_key(path, sizeof path, lpath, "rates");
    rc = yb_json_check_keys(ro, path, rates_keys, e);
    if (rc == YB_OK)
        rc = yb__policy_enum(ro, "measure", path, false, measure_names,
                             &measure, e);
    if (rc == YB_OK)
        rc = yb__policy_enum(ro, "bands_from", path, false, origin_names,
                             &origin, e);
    if (rc == YB_OK)
        rc = each_object(ro, "rules", path, true, 1, sizeof *r->rules,
                         rate_rule, p, &rules, &r->n_rules, e);
    if (rc == YB_OK)
        rc = each_object(ro, "adjust", path, false, 0, sizeof *r->adjust,
                         points_rule, p, &adjust, &r->n_adjust, e);
    if (rc == YB_OK)
        rc = rate_limits(ro, path, r, e);
    r->measure = (enum yb_measure)measure;
    r->origin = (enum yb_band_origin)origin;
    r->rules = rules;
    r->adjust = adjust;
    return rc;
}

/* cap.shared: ids of the policy's shared caps, each once. */
static int shared_caps(const cJSON *co, const char *path, struct yb_policy *p,
                       struct yb_cap *c, struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    const char *id;
    int n, i = 0, j;
    int rc = yb__policy_array(co, "shared", path, false, 0, &arr, &n, e);

    if (rc != YB_OK || n == 0)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, "shared");
    c->shared = yb_arena_calloc(&p->arena, (size_t)n, sizeof *c->shared);
    if (c->shared == NULL)
        return yb__policy_nomem(e, apath);
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, apath, i);
        rc = yb__policy_id(it, NULL, ipath, true, &p->arena, &id, e);
        if (rc != YB_OK)
            return rc;
        c->shared[i] = yb_policy_cap_index(p, id);
        if (c->shared[i] < 0)
            return yb_err_set(
                e, YB_EINVAL, ipath,
                "未知的共享封顶 \"%s\"（不在 caps 中）(unknown shared cap)",
                id);
        for (j = 0; j < i; j++)
            if (c->shared[j] == c->shared[i])
                return yb_err_set(e, YB_EINVAL, ipath,
                                  "共享封顶 \"%s\" 重复 (duplicate shared cap)",
                                  id);
        c->n_shared = ++i;
    }
    return YB_OK;
}

/* cap.amount (one rule for every visit) or cap.rules, not both. */
static int cap_rules(const cJSON *co, const char *path, struct yb_policy *p,
                     struct yb_cap *c, struct yb_err *e)
{
    void *rules = NULL;
    int rc;

    if (has(co, "amount") && has(co, "rules"))
        return yb_err_set(e, YB_EINVAL, path,
                          "应给出 \"amount\" 或 \"rules\"，不能同时给出 "
                          "(amount or rules, not both)");
    if (!has(co, "amount")) {
        rc = each_object(co, "rules", path, false, 0, sizeof *c->rules,
                         amount_rule, p, &rules, &c->n_rules, e);
        c->rules = rules;
        return rc;
    }
    c->rules = yb_arena_calloc(&p->arena, 1, sizeof *c->rules);
    if (c->rules == NULL)
        return yb__policy_nomem(e, path);
    c->n_rules = 1;
    yb__when_init(&c->rules[0].when);
    rc = yb_json_money(co, "amount", path, true, false, &c->rules[0].amount, e);
    if (rc == YB_OK)
        rc = keep_path(p, path, &c->rules[0].path, e);
    return rc;
}

static int load_cap(const cJSON *obj, const char *lpath, struct yb_policy *p,
                    struct yb_cap *c, struct yb_err *e)
{
    char path[YB__PATH_MAX], f[YB__PATH_MAX];
    const cJSON *co = NULL;
    int rc = yb_json_object(obj, "cap", lpath, false, &co, e);

    yb__when_init(&c->exempt);
    if (rc != YB_OK || co == NULL)
        return rc;
    yb_json_path_key(path, sizeof path, lpath, "cap");
    rc = yb_json_check_keys(co, path, cap_keys, e);
    if (rc == YB_OK)
        rc = cap_rules(co, path, p, c, e);
    if (rc == YB_OK)
        rc = yb_json_bool(co, "per_disease", path, false, &c->per_disease, e);
    if (rc == YB_OK)
        rc = yb__when_parse(co, "exempt", path, &p->arena, &c->exempt,
                            &c->has_exempt, e);
    if (rc == YB_OK && c->has_exempt && yb__when_is_empty(&c->exempt))
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "exempt"),
            "为空，将豁免所有就诊 (empty: would exempt every visit)");
    if (rc == YB_OK)
        rc = shared_caps(co, path, p, c, e);
    return rc;
}

/* id, name, stage and the defaults that follow from the stage. */
static int layer_head(const cJSON *obj, const char *path, struct yb_policy *p,
                      struct yb_layer *l, struct yb_err *e)
{
    char f[YB__PATH_MAX];
    int stage = 0, fund = -1, rc;

    rc = yb__policy_id(obj, "id", path, true, &p->arena, &l->id, e);
    if (rc == YB_OK)
        rc = yb_json_string(obj, "name", path, true, LAYER_NAME_MAX, false,
                            &p->arena, &l->name, e);
    if (rc == YB_OK && l->name[0] == '\0')
        return yb_err_set(e, YB_EINVAL,
                          yb_json_path_key(f, sizeof f, path, "name"),
                          "不能为空 (empty)");
    if (rc == YB_OK)
        rc = yb__policy_enum(obj, "stage", path, true, stage_names, &stage, e);
    if (rc == YB_OK)
        rc = yb_json_code(obj, "fund", path, false, YB_DICT_FUND, &fund, e);
    if (rc != YB_OK)
        return rc;
    l->stage = (enum yb_stage)stage;
    l->fund = stage_funds[stage];
    if (fund >= 0)
        l->fund = yb_dict_entries(YB_DICT_FUND, NULL)[fund].code;
    l->accumulate_as = l->id;
    rc = yb__policy_id(obj, "accumulate_as", path, false, &p->arena,
                       &l->accumulate_as, e);
    /* The engine's own accumulator keys: "cap.<id>.paid", "admissions". */
    if (rc == YB_OK && (strcmp(l->accumulate_as, "cap") == 0 ||
                        strcmp(l->accumulate_as, "admissions") == 0))
        return yb_err_set(
            e, YB_EINVAL,
            yb_json_path_key(f, sizeof f, path,
                             has(obj, "accumulate_as") ? "accumulate_as"
                                                       : "id"),
            "名称 \"%s\" 为引擎的累计值保留 (reserved name)", l->accumulate_as);
    return rc;
}

/* when, base, method and the method's own keys. */
static int layer_rules(const cJSON *obj, const char *path, struct yb_policy *p,
                       struct yb_layer *l, struct yb_err *e)
{
    char f[YB__PATH_MAX];
    void *flat = NULL;
    int base =
        l->stage == YB_STAGE_BASIC ? YB_BASE_SCOPE : YB_BASE_SCOPE_BURDEN;
    int method = YB_METHOD_BANDED;
    int rc = yb__when_parse(obj, "when", path, &p->arena, &l->when, NULL, e);

    if (rc == YB_OK)
        rc = yb__policy_enum(obj, "base", path, false, base_names, &base, e);
    if (rc == YB_OK)
        rc = yb__policy_enum(obj, "method", path, false, method_names, &method,
                             e);
    if (rc != YB_OK)
        return rc;
    l->base = (enum yb_base_kind)base;
    l->method = (enum yb_method)method;
    l->rates.max_rate = YB_RATE_ONE;
    if (l->method == YB_METHOD_FLAT && has(obj, "rates"))
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "rates"),
            "不能与 method \"flat\" 同用 (not allowed with flat)");
    if (l->method == YB_METHOD_BANDED && has(obj, "flat"))
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "flat"),
            "不能与 method \"banded\" 同用 (not allowed with banded)");
    rc = load_deductible(obj, path, p, &l->deductible, e);
    if (rc == YB_OK && l->method == YB_METHOD_BANDED)
        rc = load_rates(obj, path, p, &l->rates, e);
    if (rc == YB_OK && l->method == YB_METHOD_FLAT)
        rc = each_object(obj, "flat", path, true, 1, sizeof *l->flat,
                         amount_rule, p, &flat, &l->n_flat, e);
    l->flat = flat;
    if (rc == YB_OK)
        rc = load_cap(obj, path, p, &l->cap, e);
    return rc;
}

int yb__layer_parse(const cJSON *obj, const char *path, struct yb_policy *p,
                    struct yb_layer *l, struct yb_err *e)
{
    int rc = yb_json_check_keys(obj, path, layer_keys, e);

    if (rc == YB_OK)
        rc = keep_path(p, path, &l->path, e);
    if (rc == YB_OK)
        rc = layer_head(obj, path, p, l, e);
    if (rc == YB_OK)
        rc = layer_rules(obj, path, p, l, e);
    return rc;
}
