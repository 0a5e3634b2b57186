/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The optional "financing" and "enrolment" sections of a policy file
 * (docs/policy.md, "Financing" and "Enrolment"; docs/financing.md): the
 * collection window, contribution tiers, the per-capita subsidy and its
 * split between budget levels, the critical-illness earmark, assisted
 * contributions; person types by age and student status, the newborn
 * grace period, waiting periods and critical-illness cap increases. Like
 * the rest of the loader it is strict: unknown keys, keys that do not
 * belong to a rule, selectors naming visit conditions, a split whose parts
 * exceed the subsidy or leave some of it unassigned, person-type rules that
 * leave someone without a type - each is refused with the JSON path and
 * the value. The split is validated with yb_split_part_amount, the very
 * function the engine computes with, so an accepted split always adds up.
 * Everything is copied into the policy's arena.
 */
#include <stdio.h>
#include <string.h>

#include "policy_int.h"
#include "yibao/financing.h"

#define NAME_MAX_BYTES 128
/* Tier numbers must fit the selector's tier set (1..31, struct yb_when). */
#define TIERS_MAX 31
#define PROVINCE_TIERS_MAX 16
/* Sanity bounds of counts a policy gives (not policy figures). */
#define MONTHS_MAX 120
#define YEARS_MAX 100
#define GRACE_DAYS_MAX 3660
#define AGE_MAX 150

static const char *const financing_keys[] = {
    "window",           "national_minimum", "subsidy", "tiers",
    "critical_illness", "assistance",       "split",   NULL};
static const char *const window_keys[] = {"from", "to", NULL};
static const char *const minimum_keys[] = {"subsidy", "individual", NULL};
static const char *const tier_keys[] = {"tier", "name", "amount", NULL};
static const char *const assist_keys[] = {"name",   "when",  "pay",  "basis",
                                          "amount", "share", "fund", NULL};
static const char *const part_keys[] = {"level",  "rule",        "rate",
                                        "rates",  "base_amount", "base_subsidy",
                                        "amount", NULL};
static const char *const ci_keys[] = {"rule",         "rate",   "base_amount",
                                      "base_subsidy", "amount", NULL};
/* The keys that carry a rule's parameters, and which rule takes which. */
static const char *const param_keys[] = {
    "rate", "rates", "base_amount", "base_subsidy", "amount", NULL};
static const char *const rule_params[][4] = {
    [YB_SPLIT_SHARE] = {"rate", NULL},
    [YB_SPLIT_SHARE_BY_TIER] = {"rates", NULL},
    [YB_SPLIT_INCREMENT] = {"base_amount", "base_subsidy", "rate", NULL},
    [YB_SPLIT_FIXED] = {"amount", NULL},
    [YB_SPLIT_REMAINDER] = {NULL},
};

static const char *const enrol_keys[] = {"person_types", "newborn_grace_days",
                                         "waiting", "ci_cap_bonus", NULL};
static const char *const psn_rule_keys[] = {"psn_type", "age_min", "age_max",
                                            "student", NULL};
static const char *const waiting_keys[] = {"fixed_months",
                                           "variable_months_per_year",
                                           "variable_after_years",
                                           "repair_months_per_year",
                                           "repair_floor",
                                           "exempt",
                                           NULL};
static const char *const floor_keys[] = {"from_break_years", "months", NULL};
static const char *const bonus_keys[] = {"continuous", "claim_free",
                                         "max_share", "caps", NULL};
static const char *const continuous_keys[] = {"after_years", "amount", NULL};
static const char *const claim_free_keys[] = {"amount", NULL};

static const char *const pay_names[] = {"full", "amount", "share", NULL};
static const char *const basis_names[] = {"chosen_tier", "lowest_tier", NULL};
static const char *const level_names[] = {"central", "province", "city",
                                          "county", NULL};
static const char *const level_labels[] = {"中央", "省级", "市级", "县级"};
static const char *const rule_names[] = {"share", "share_by_tier", "increment",
                                         "fixed", "remainder",     NULL};
static const char *const student_names[] = {"none", "school", "college", NULL};
/* Selector conditions that make sense for a person rather than a visit. */
static const char *const assist_when_keys[] = {"idet", "no_idet", "psn_type",
                                               "tier", NULL};
static const char *const exempt_when_keys[] = {"idet",    "no_idet", "psn_type",
                                               "age_min", "age_max", NULL};

/* ---- shared helpers ---------------------------------------------------- */

static bool has(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    return v != NULL && !cJSON_IsNull(v);
}

static bool in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i] != NULL; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static int keep_path(struct yb_policy *p, const char *path, const char **out,
                     struct yb_err *e)
{
    *out = yb_arena_strdup(&p->arena, path);
    return *out != NULL ? YB_OK : yb__policy_nomem(e, path);
}

static int int_key(const cJSON *obj, const char *key, const char *path,
                   bool required, int64_t min, int64_t max, int *out,
                   struct yb_err *e)
{
    int64_t v = *out;
    int rc = yb_json_int(obj, key, path, required, min, max, &v, e);

    if (rc == YB_OK)
        *out = (int)v;
    return rc;
}

/* The selector sel (already parsed) names only keys of `allowed`: the other
 * conditions describe a visit, which a contribution or an enrolment is
 * not. */
static int person_selector(const cJSON *sel, const char *wpath,
                           const char *const *allowed, const char *what,
                           struct yb_err *e)
{
    char f[YB__PATH_MAX], list[96];
    const cJSON *c;
    size_t used = 0;

    if (!cJSON_IsObject(sel))
        return YB_OK;
    cJSON_ArrayForEach(c, sel)
    {
        if (in_list(allowed, c->string))
            continue;
        list[0] = '\0';
        for (int i = 0; allowed[i] != NULL && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     i == 0 ? "" : ", ", allowed[i]);
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, wpath, c->string),
            "不是%s可用的条件（只能用 %s）(condition not allowed here)", what,
            list);
    }
    return YB_OK;
}

/* ---- the model's arithmetic -------------------------------------------- */

int yb_split_part_amount(const struct yb_split_part *part, yb_fen subsidy,
                         int province_tier, yb_fen *out, struct yb_err *e)
{
    yb_fen v = 0, inc = 0;
    int rc = YB_OK;

    switch (part->rule) {
    case YB_SPLIT_SHARE:
        /* Rounding point: rate x subsidy, half up to the fen, per capita. */
        rc = yb_money_apply_rate(subsidy, part->rate, &v);
        break;
    case YB_SPLIT_SHARE_BY_TIER:
        if (province_tier < 1 || province_tier > part->n_tier_rates)
            return yb_err_set(
                e, YB_EINVAL, "province_tier",
                "%d 不是 %s.rates 的档次（1 至 %d）(not a tier of the rates)",
                province_tier, part->path, part->n_tier_rates);
        /* Rounding point: the tier's rate x subsidy, half up to the fen. */
        rc = yb_money_apply_rate(subsidy, part->tier_rates[province_tier - 1],
                                 &v);
        break;
    case YB_SPLIT_INCREMENT:
        /* Rounding point: rate x (subsidy - base_subsidy), half up to the
         * fen; the kept base amount is exact. */
        rc = yb_money_sub(subsidy, part->base_subsidy, &inc);
        if (rc == YB_OK)
            rc = yb_money_apply_rate(inc, part->rate, &inc);
        if (rc == YB_OK)
            rc = yb_money_add(part->base_amount, inc, &v);
        break;
    case YB_SPLIT_FIXED:
        v = part->amount;
        break;
    case YB_SPLIT_REMAINDER:
    default:
        return yb_err_set(e, YB_EINVAL, part->path,
                          "余额部分 \"remainder\" 不能有自己的金额 (a "
                          "remainder part has no amount)");
    }
    if (rc != YB_OK)
        return yb_err_set(e, YB_EOVERFLOW, part->path,
                          "金额超出范围 (amount out of range)");
    *out = v;
    return YB_OK;
}

const char *yb_gov_level_name(enum yb_gov_level level)
{
    return (int)level >= 0 && level < YB_GOV__COUNT ? level_names[level] : NULL;
}

const char *yb_gov_level_label(enum yb_gov_level level)
{
    return (int)level >= 0 && level < YB_GOV__COUNT ? level_labels[level]
                                                    : NULL;
}

/* ---- financing: window, subsidy, tiers --------------------------------- */

static int load_window(const cJSON *fin, const struct yb_policy *p,
                       struct yb_financing *f, struct yb_err *e)
{
    const char *path = "financing.window";
    char a[16], b[16];
    const cJSON *w = NULL;
    int rc = yb_json_object(fin, "window", "financing", true, &w, e);

    if (rc == YB_OK)
        rc = yb_json_check_keys(w, path, window_keys, e);
    if (rc == YB_OK)
        rc = yb_json_date(w, "from", path, true, false, &f->window_from, e);
    if (rc == YB_OK)
        rc = yb_json_date(w, "to", path, true, false, &f->window_to, e);
    if (rc != YB_OK)
        return rc;
    if (f->window_to < f->window_from)
        return yb_err_set(e, YB_EINVAL, "financing.window.to",
                          "日期 %s 早于 from %s (before from)",
                          yb_date_format(f->window_to, a),
                          yb_date_format(f->window_from, b));
    /* A contribution collected after its coverage year buys nothing. */
    if (f->window_to > yb_date_from_ymd(p->year, 12, 31))
        return yb_err_set(e, YB_EINVAL, "financing.window.to",
                          "日期 %s 晚于参保年度 %d (after the coverage year)",
                          yb_date_format(f->window_to, a), p->year);
    return YB_OK;
}

static int load_subsidy(const cJSON *fin, struct yb_financing *f,
                        struct yb_err *e)
{
    const char *path = "financing.national_minimum";
    char a[32], b[32];
    const cJSON *m = NULL;
    int rc =
        yb_json_money(fin, "subsidy", "financing", true, false, &f->subsidy, e);

    f->min_subsidy = -1;
    f->min_individual = -1;
    if (rc == YB_OK)
        rc = yb_json_object(fin, "national_minimum", "financing", false, &m, e);
    if (rc != YB_OK || m == NULL)
        return rc;
    rc = yb_json_check_keys(m, path, minimum_keys, e);
    if (rc == YB_OK)
        rc =
            yb_json_money(m, "subsidy", path, false, false, &f->min_subsidy, e);
    if (rc == YB_OK)
        rc = yb_json_money(m, "individual", path, false, false,
                           &f->min_individual, e);
    if (rc != YB_OK)
        return rc;
    if (f->min_subsidy >= 0 && f->subsidy < f->min_subsidy)
        return yb_err_set(
            e, YB_EINVAL, "financing.subsidy",
            "金额 %s 低于国家最低标准 %s (below the national minimum)",
            yb_money_format(f->subsidy, a), yb_money_format(f->min_subsidy, b));
    return YB_OK;
}

static int load_tier(const cJSON *it, const char *path, int i,
                     struct yb_policy *p, struct yb_contrib_tier *t,
                     struct yb_err *e)
{
    char f[YB__PATH_MAX], a[32], b[32];
    int rc = yb_json_check_keys(it, path, tier_keys, e);

    if (rc == YB_OK)
        rc = int_key(it, "tier", path, true, 1, TIERS_MAX, &t->tier, e);
    if (rc == YB_OK && t->tier != i + 1)
        return yb_err_set(e, YB_EINVAL,
                          yb_json_path_key(f, sizeof f, path, "tier"),
                          "%d 不是 %d：档次应按 1、2、…… 依次编号 (number the "
                          "tiers in order)",
                          t->tier, i + 1);
    t->name = NULL;
    if (rc == YB_OK)
        rc = yb_json_string(it, "name", path, false, NAME_MAX_BYTES, false,
                            &p->arena, &t->name, e);
    if (rc == YB_OK && t->name == NULL) {
        t->name = yb_arena_printf(&p->arena, "第%d档", t->tier);
        if (t->name == NULL)
            return yb__policy_nomem(e, path);
    }
    if (rc == YB_OK)
        rc = yb_json_money(it, "amount", path, true, false, &t->amount, e);
    if (rc != YB_OK)
        return rc;
    if (i > 0 && t->amount <= t[-1].amount)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "amount"),
            "金额 %s 不高于第 %d 档的 %s：第 1 档最低，后面各档依次更高 (tiers "
            "must rise)",
            yb_money_format(t->amount, a), i, yb_money_format(t[-1].amount, b));
    return keep_path(p, path, &t->path, e);
}

static int load_tiers(const cJSON *fin, struct yb_policy *p,
                      struct yb_financing *f, struct yb_err *e)
{
    char ipath[YB__PATH_MAX], a[32], b[32];
    const cJSON *arr, *it;
    int n, i = 0;
    int rc = yb__policy_array(fin, "tiers", "financing", true, 1, &arr, &n, e);

    if (rc != YB_OK)
        return rc;
    if (n > TIERS_MAX)
        return yb_err_set(e, YB_EINVAL, "financing.tiers",
                          "有 %d 个档次，最多 %d 个 (too many tiers)", n,
                          TIERS_MAX);
    f->tiers = yb_arena_calloc(&p->arena, (size_t)n, sizeof *f->tiers);
    if (f->tiers == NULL)
        return yb__policy_nomem(e, "financing.tiers");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, "financing.tiers", i);
        rc = load_tier(it, ipath, i, p, &f->tiers[i], e);
        if (rc != YB_OK)
            return rc;
        f->n_tiers = ++i;
    }
    /* docs/financing.md: tier 1 may not be below the national minimum. */
    if (f->min_individual >= 0 && f->tiers[0].amount < f->min_individual)
        return yb_err_set(
            e, YB_EINVAL, "financing.tiers[0].amount",
            "金额 %s 低于国家最低标准 %s (below the national minimum)",
            yb_money_format(f->tiers[0].amount, a),
            yb_money_format(f->min_individual, b));
    return YB_OK;
}

/* ---- financing: split parts and the critical-illness earmark ----------- */

/* Rates of "share_by_tier": a non-empty list, one per province tier. */
static int load_tier_rates(const cJSON *obj, const char *path,
                           struct yb_policy *p, struct yb_split_part *part,
                           struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    yb_rate *rates;
    int n, i = 0;
    int rc = yb__policy_array(obj, "rates", path, true, 1, &arr, &n, e);

    if (rc != YB_OK)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, "rates");
    if (n > PROVINCE_TIERS_MAX)
        return yb_err_set(e, YB_EINVAL, apath,
                          "有 %d 个档次，最多 %d 个 (too many tiers)", n,
                          PROVINCE_TIERS_MAX);
    rates = yb_arena_calloc(&p->arena, (size_t)n, sizeof *rates);
    if (rates == NULL)
        return yb__policy_nomem(e, apath);
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, apath, i);
        rc = yb_json_rate(it, NULL, ipath, true, false, &rates[i], e);
        if (rc != YB_OK)
            return rc;
        i++;
    }
    part->tier_rates = rates;
    part->n_tier_rates = n;
    return YB_OK;
}

/* Every parameter key present belongs to the rule. */
static int rule_keys_only(const cJSON *obj, const char *path, int rule,
                          struct yb_err *e)
{
    char f[YB__PATH_MAX];

    for (int i = 0; param_keys[i] != NULL; i++)
        if (has(obj, param_keys[i]) &&
            !in_list(rule_params[rule], param_keys[i]))
            return yb_err_set(
                e, YB_EINVAL,
                yb_json_path_key(f, sizeof f, path, param_keys[i]),
                "不能与规则 \"%s\" 同用 (not allowed with this rule)",
                rule_names[rule]);
    return YB_OK;
}

static int load_params(const cJSON *obj, const char *path, struct yb_policy *p,
                       struct yb_split_part *part, struct yb_err *e)
{
    switch (part->rule) {
    case YB_SPLIT_SHARE:
        return yb_json_rate(obj, "rate", path, true, false, &part->rate, e);
    case YB_SPLIT_SHARE_BY_TIER:
        return load_tier_rates(obj, path, p, part, e);
    case YB_SPLIT_INCREMENT: {
        int rc = yb_json_money(obj, "base_amount", path, true, false,
                               &part->base_amount, e);
        if (rc == YB_OK)
            rc = yb_json_money(obj, "base_subsidy", path, true, false,
                               &part->base_subsidy, e);
        if (rc == YB_OK)
            rc = yb_json_rate(obj, "rate", path, true, false, &part->rate, e);
        return rc;
    }
    case YB_SPLIT_FIXED:
        return yb_json_money(obj, "amount", path, true, false, &part->amount,
                             e);
    case YB_SPLIT_REMAINDER:
    default:
        return YB_OK;
    }
}

/* An increment is measured from an earlier, smaller subsidy, and keeps at
 * most that subsidy. */
static int check_increment(const struct yb_split_part *part, yb_fen subsidy,
                           struct yb_err *e)
{
    char f[YB__PATH_MAX], a[32], b[32];

    if (part->rule != YB_SPLIT_INCREMENT)
        return YB_OK;
    if (part->base_subsidy > subsidy)
        return yb_err_set(
            e, YB_EINVAL,
            yb_json_path_key(f, sizeof f, part->path, "base_subsidy"),
            "金额 %s 大于补助 %s (above the subsidy)",
            yb_money_format(part->base_subsidy, a),
            yb_money_format(subsidy, b));
    if (part->base_amount > part->base_subsidy)
        return yb_err_set(
            e, YB_EINVAL,
            yb_json_path_key(f, sizeof f, part->path, "base_amount"),
            "金额 %s 大于 base_subsidy %s (above base_subsidy)",
            yb_money_format(part->base_amount, a),
            yb_money_format(part->base_subsidy, b));
    return YB_OK;
}

/* One split part (is_ci false) or the critical-illness earmark. */
static int load_part(const cJSON *obj, const char *path, bool is_ci,
                     struct yb_policy *p, struct yb_split_part *part,
                     struct yb_err *e)
{
    char f[YB__PATH_MAX];
    int level = 0, rule = 0;
    int rc = yb_json_check_keys(obj, path, is_ci ? ci_keys : part_keys, e);

    if (rc == YB_OK && !is_ci)
        rc = yb__policy_enum(obj, "level", path, true, level_names, &level, e);
    if (rc == YB_OK)
        rc = yb__policy_enum(obj, "rule", path, true, rule_names, &rule, e);
    if (rc != YB_OK)
        return rc;
    if (is_ci && (rule == YB_SPLIT_SHARE_BY_TIER || rule == YB_SPLIT_REMAINDER))
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "rule"),
            "大病保险划拨规则应为 \"share\"、\"increment\" 或 "
            "\"fixed\"，实际为 \"%s\" (not a critical-illness earmark rule)",
            rule_names[rule]);
    part->level = (enum yb_gov_level)level;
    part->rule = (enum yb_split_rule)rule;
    rc = keep_path(p, path, &part->path, e);
    if (rc == YB_OK)
        rc = rule_keys_only(obj, path, rule, e);
    if (rc == YB_OK)
        rc = load_params(obj, path, p, part, e);
    return rc;
}

static int load_ci(const cJSON *fin, struct yb_policy *p,
                   struct yb_financing *f, struct yb_err *e)
{
    const char *path = "financing.critical_illness";
    char a[32], b[32], c[32], d[32];
    const cJSON *obj = NULL;
    yb_fen per_capita = 0, funding = 0;
    int rc =
        yb_json_object(fin, "critical_illness", "financing", false, &obj, e);

    if (rc != YB_OK || obj == NULL)
        return rc;
    f->has_critical_illness = true;
    rc = load_part(obj, path, true, p, &f->critical_illness, e);
    if (rc == YB_OK)
        rc = check_increment(&f->critical_illness, f->subsidy, e);
    if (rc == YB_OK)
        rc = yb_split_part_amount(&f->critical_illness, f->subsidy, 1,
                                  &per_capita, e);
    if (rc != YB_OK)
        return rc;
    if (yb_money_add(f->subsidy, f->tiers[0].amount, &funding) != YB_OK)
        return yb_err_set(e, YB_EOVERFLOW, path,
                          "金额超出范围 (amount out of range)");
    /* The earmark comes out of the per-capita funding: subsidy plus at
     * least the lowest contribution. */
    if (per_capita > funding)
        return yb_err_set(e, YB_EINVAL, path,
                          "每人 %s 高于人均筹资 %s（补助 %s + 第 1 档 "
                          "%s）(above the per-capita funding)",
                          yb_money_format(per_capita, a),
                          yb_money_format(funding, b),
                          yb_money_format(f->subsidy, c),
                          yb_money_format(f->tiers[0].amount, d));
    return YB_OK;
}

/* Levels once each; a remainder only last; share_by_tier lists of one
 * length (the number of province tiers). */
static int check_split_shape(struct yb_financing *f, struct yb_err *e)
{
    char g[YB__PATH_MAX];
    const struct yb_split_part *tiered = NULL;

    for (int i = 0; i < f->n_split; i++) {
        const struct yb_split_part *s = &f->split[i];

        for (int j = 0; j < i; j++)
            if (f->split[j].level == s->level)
                return yb_err_set(
                    e, YB_EINVAL,
                    yb_json_path_key(g, sizeof g, s->path, "level"),
                    "值 \"%s\" 出现两次（另见 %s）(given twice)",
                    level_names[s->level], f->split[j].path);
        if (s->rule == YB_SPLIT_REMAINDER && i != f->n_split - 1)
            return yb_err_set(e, YB_EINVAL,
                              yb_json_path_key(g, sizeof g, s->path, "rule"),
                              "余额部分 \"remainder\" 必须是最后一部分 "
                              "(remainder must be the last part)");
        if (s->rule != YB_SPLIT_SHARE_BY_TIER)
            continue;
        if (tiered != NULL && s->n_tier_rates != tiered->n_tier_rates)
            return yb_err_set(
                e, YB_EINVAL, yb_json_path_key(g, sizeof g, s->path, "rates"),
                "有 %d 个档次，而 %s.rates 有 %d 个 (tier counts differ)",
                s->n_tier_rates, tiered->path, tiered->n_tier_rates);
        tiered = s;
        f->n_province_tiers = s->n_tier_rates;
    }
    return YB_OK;
}

/* At province tier t the parts, computed as the engine computes them,
 * never exceed the subsidy, and without a remainder they add up to it. */
static int check_split_sums(const struct yb_financing *f, int t,
                            struct yb_err *e)
{
    char at[40] = "", a[32], b[32];
    const struct yb_split_part *last = &f->split[f->n_split - 1];
    yb_fen sum = 0, v = 0;

    if (f->n_province_tiers > 0)
        (void)snprintf(at, sizeof at, "（省级补助第 %d 档）", t);
    for (int i = 0; i < f->n_split; i++) {
        const struct yb_split_part *s = &f->split[i];

        if (s->rule == YB_SPLIT_REMAINDER)
            break;
        int rc = yb_split_part_amount(s, f->subsidy, t, &v, e);
        if (rc == YB_OK && yb_money_add(sum, v, &sum) != YB_OK)
            rc = yb_err_set(e, YB_EOVERFLOW, s->path,
                            "金额超出范围 (amount out of range)");
        if (rc != YB_OK)
            return rc;
        if (sum > f->subsidy)
            return yb_err_set(
                e, YB_EINVAL, s->path,
                "使各部分合计达到 %s%s，超过补助 %s (parts above the subsidy)",
                yb_money_format(sum, a), at, yb_money_format(f->subsidy, b));
    }
    if (last->rule != YB_SPLIT_REMAINDER && sum != f->subsidy)
        return yb_err_set(e, YB_EINVAL, "financing.split",
                          "各部分合计 %s%s，不等于补助 %s；请以 \"remainder\" "
                          "部分结尾 (parts do not add up to the subsidy)",
                          yb_money_format(sum, a), at,
                          yb_money_format(f->subsidy, b));
    return YB_OK;
}

static int load_split(const cJSON *fin, struct yb_policy *p,
                      struct yb_financing *f, struct yb_err *e)
{
    char ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    int n, i = 0;
    int rc = yb__policy_array(fin, "split", "financing", false, 1, &arr, &n, e);

    if (rc != YB_OK || n == 0)
        return rc;
    f->split = yb_arena_calloc(&p->arena, (size_t)n, sizeof *f->split);
    if (f->split == NULL)
        return yb__policy_nomem(e, "financing.split");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, "financing.split", i);
        rc = load_part(it, ipath, false, p, &f->split[i], e);
        if (rc == YB_OK)
            rc = check_increment(&f->split[i], f->subsidy, e);
        if (rc != YB_OK)
            return rc;
        f->n_split = ++i;
    }
    rc = check_split_shape(f, e);
    /* Without share_by_tier the province tier changes nothing: check 1. */
    n = f->n_province_tiers > 0 ? f->n_province_tiers : 1;
    for (int t = 1; rc == YB_OK && t <= n; t++)
        rc = check_split_sums(f, t, e);
    return rc;
}

/* ---- financing: assisted contributions --------------------------------- */

/* pay "amount" takes "amount", "share" takes "share", "full" neither. */
static int load_assist_pay(const cJSON *it, const char *path,
                           struct yb_assist_rule *r, struct yb_err *e)
{
    static const char *const takes[] = {NULL, "amount", "share"};
    char f[YB__PATH_MAX];
    int pay = 0, basis = 0;
    int rc = yb__policy_enum(it, "pay", path, true, pay_names, &pay, e);

    if (rc == YB_OK)
        rc = yb__policy_enum(it, "basis", path, false, basis_names, &basis, e);
    if (rc != YB_OK)
        return rc;
    r->pay = (enum yb_assist_pay)pay;
    r->basis = (enum yb_assist_basis)basis;
    for (int k = 1; k <= 2; k++)
        if (k != pay && has(it, takes[k]))
            return yb_err_set(
                e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, takes[k]),
                "不能与 pay \"%s\" 同用 (not allowed with this pay)",
                pay_names[pay]);
    if (r->pay == YB_ASSIST_AMOUNT)
        rc = yb_json_money(it, "amount", path, true, false, &r->amount, e);
    else if (r->pay == YB_ASSIST_SHARE)
        rc = yb_json_rate(it, "share", path, true, false, &r->share, e);
    return rc;
}

/* The selector: present, not empty, person conditions only, tiers that
 * exist. */
static int load_assist_when(const cJSON *it, const char *path,
                            struct yb_policy *p, const struct yb_financing *fin,
                            struct yb_assist_rule *r, struct yb_err *e)
{
    char f[YB__PATH_MAX], g[YB__PATH_MAX];
    bool present = false;
    int rc = yb__when_parse(it, "when", path, &p->arena, &r->when, &present, e);

    yb_json_path_key(f, sizeof f, path, "when");
    if (rc != YB_OK)
        return rc;
    if (!present)
        return yb_err_set(e, YB_EINVAL, f, "必填 (required)");
    if (yb__when_is_empty(&r->when))
        return yb_err_set(
            e, YB_EINVAL, f,
            "为空，将资助所有人 (empty: would assist every person)");
    rc = person_selector(cJSON_GetObjectItemCaseSensitive(it, "when"), f,
                         assist_when_keys, "资助规则", e);
    if (rc != YB_OK)
        return rc;
    for (int t = fin->n_tiers + 1; t <= TIERS_MAX; t++)
        if (r->when.tiers & (UINT32_C(1) << t))
            return yb_err_set(e, YB_EINVAL,
                              yb_json_path_key(g, sizeof g, f, "tier"),
                              "指定了第 %d 档，而政策只有 %d 档 (no such tier)",
                              t, fin->n_tiers);
    return YB_OK;
}

static int load_assist(const cJSON *it, const char *path, struct yb_policy *p,
                       const struct yb_financing *fin, struct yb_assist_rule *r,
                       struct yb_err *e)
{
    int n = 0, fund = yb_dict_index(YB_DICT_FUND, "610100");
    int rc = yb_json_check_keys(it, path, assist_keys, e);

    r->name = "资助参保";
    if (rc == YB_OK)
        rc = yb_json_string(it, "name", path, false, NAME_MAX_BYTES, false,
                            &p->arena, &r->name, e);
    if (rc == YB_OK)
        rc = load_assist_when(it, path, p, fin, r, e);
    if (rc == YB_OK)
        rc = load_assist_pay(it, path, r, e);
    /* Medical assistance (610100) pays unless the rule names a fund. */
    if (rc == YB_OK)
        rc = yb_json_code(it, "fund", path, false, YB_DICT_FUND, &fund, e);
    if (rc != YB_OK)
        return rc;
    r->fund = yb_dict_entries(YB_DICT_FUND, &n)[fund].code;
    return keep_path(p, path, &r->path, e);
}

static int load_assistance(const cJSON *fin, struct yb_policy *p,
                           struct yb_financing *f, struct yb_err *e)
{
    char ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    int n, i = 0;
    int rc =
        yb__policy_array(fin, "assistance", "financing", false, 1, &arr, &n, e);

    if (rc != YB_OK || n == 0)
        return rc;
    f->assist = yb_arena_calloc(&p->arena, (size_t)n, sizeof *f->assist);
    if (f->assist == NULL)
        return yb__policy_nomem(e, "financing.assistance");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, "financing.assistance", i);
        rc = load_assist(it, ipath, p, f, &f->assist[i], e);
        if (rc != YB_OK)
            return rc;
        f->n_assist = ++i;
    }
    return YB_OK;
}

int yb__financing_parse(const cJSON *root, struct yb_policy *p,
                        struct yb_err *e)
{
    const cJSON *obj = NULL;
    struct yb_financing *f;
    int rc = yb_json_object(root, "financing", "", false, &obj, e);

    if (rc != YB_OK || obj == NULL)
        return rc;
    rc = yb_json_check_keys(obj, "financing", financing_keys, e);
    if (rc != YB_OK)
        return rc;
    f = yb_arena_calloc(&p->arena, 1, sizeof *f);
    if (f == NULL)
        return yb__policy_nomem(e, "financing");
    rc = load_window(obj, p, f, e);
    if (rc == YB_OK)
        rc = load_subsidy(obj, f, e);
    if (rc == YB_OK)
        rc = load_tiers(obj, p, f, e);
    if (rc == YB_OK)
        rc = load_ci(obj, p, f, e);
    if (rc == YB_OK)
        rc = load_assistance(obj, p, f, e);
    if (rc == YB_OK)
        rc = load_split(obj, p, f, e);
    if (rc == YB_OK)
        p->financing = f;
    return rc;
}

/* ---- enrolment: person types ------------------------------------------- */

static int load_students(const cJSON *it, const char *path, unsigned *out,
                         struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *s;
    int n, i = 0;
    int rc = yb__policy_array(it, "student", path, false, 1, &arr, &n, e);

    if (rc != YB_OK || arr == NULL)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, "student");
    cJSON_ArrayForEach(s, arr)
    {
        int k;

        yb_json_path_index(ipath, sizeof ipath, apath, i++);
        for (k = 0; student_names[k] != NULL; k++)
            if (cJSON_IsString(s) &&
                strcmp(s->valuestring, student_names[k]) == 0)
                break;
        if (student_names[k] == NULL)
            return yb_err_set(e, YB_EINVAL, ipath,
                              "学生状态应为 \"none\"、\"school\"、\"college\" "
                              "之一，实际为 %s%.32s%s (not a student status)",
                              cJSON_IsString(s) ? "\"" : "",
                              cJSON_IsString(s) ? s->valuestring
                                                : "a non-string",
                              cJSON_IsString(s) ? "\"" : "");
        if (*out & (1u << k))
            return yb_err_set(e, YB_EINVAL, ipath, "值 \"%s\" 重复 (duplicate)",
                              student_names[k]);
        *out |= 1u << k;
    }
    return YB_OK;
}

static int load_psn_rule(const cJSON *it, const char *path, struct yb_policy *p,
                         struct yb_psn_type_rule *r, struct yb_err *e)
{
    char f[YB__PATH_MAX];
    int rc = yb_json_check_keys(it, path, psn_rule_keys, e);

    r->age_min = -1;
    r->age_max = -1;
    if (rc == YB_OK)
        rc = yb_json_code(it, "psn_type", path, true, YB_DICT_PSN_TYPE,
                          &r->psn_type, e);
    if (rc == YB_OK)
        rc = int_key(it, "age_min", path, false, 0, AGE_MAX, &r->age_min, e);
    if (rc == YB_OK)
        rc = int_key(it, "age_max", path, false, 0, AGE_MAX, &r->age_max, e);
    if (rc == YB_OK)
        rc = load_students(it, path, &r->students, e);
    if (rc != YB_OK)
        return rc;
    if (r->age_min >= 0 && r->age_max >= 0 && r->age_min > r->age_max)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "age_min"),
            "%d 大于 age_max %d (above age_max)", r->age_min, r->age_max);
    return keep_path(p, path, &r->path, e);
}

static bool psn_rule_matches(const struct yb_psn_type_rule *r, int age,
                             int student)
{
    return (r->age_min < 0 || age >= r->age_min) &&
           (r->age_max < 0 || age <= r->age_max) &&
           (r->students == 0 || (r->students & (1u << student)) != 0);
}

/* Every person gets a type: a catch-all rule only last, and for every age
 * the loader accepts and every student status some rule matches. */
static int check_psn_cover(const struct yb_enrol_rules *r, struct yb_err *e)
{
    for (int i = 0; i + 1 < r->n_psn_types; i++) {
        const struct yb_psn_type_rule *x = &r->psn_types[i];

        if (x->age_min < 0 && x->age_max < 0 && x->students == 0)
            return yb_err_set(
                e, YB_EINVAL, x->path,
                "匹配所有人，其后的规则永远不会生效 (matches everyone)");
    }
    for (int age = 0; age <= AGE_MAX; age++)
        for (int s = 0; student_names[s] != NULL; s++) {
            int i = 0;

            while (i < r->n_psn_types &&
                   !psn_rule_matches(&r->psn_types[i], age, s))
                i++;
            if (i == r->n_psn_types)
                return yb_err_set(e, YB_EINVAL, "enrolment.person_types",
                                  "没有规则给出 %d 岁、学生状态为 \"%s\" "
                                  "的人员类别 (no rule gives the person type)",
                                  age, student_names[s]);
        }
    return YB_OK;
}

static int load_psn_types(const cJSON *obj, struct yb_policy *p,
                          struct yb_enrol_rules *r, struct yb_err *e)
{
    char ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    int n, i = 0;
    int rc = yb__policy_array(obj, "person_types", "enrolment", false, 1, &arr,
                              &n, e);

    if (rc != YB_OK || n == 0)
        return rc;
    r->psn_types = yb_arena_calloc(&p->arena, (size_t)n, sizeof *r->psn_types);
    if (r->psn_types == NULL)
        return yb__policy_nomem(e, "enrolment.person_types");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, "enrolment.person_types", i);
        rc = load_psn_rule(it, ipath, p, &r->psn_types[i], e);
        if (rc != YB_OK)
            return rc;
        r->n_psn_types = ++i;
    }
    return check_psn_cover(r, e);
}

/* ---- enrolment: waiting periods and cap increases ---------------------- */

static int load_exempt(const cJSON *w, const char *path, struct yb_policy *p,
                       struct yb_waiting *wt, struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    int n, i = 0;
    int rc = yb__policy_array(w, "exempt", path, false, 1, &arr, &n, e);

    if (rc != YB_OK || n == 0)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, "exempt");
    wt->exempt = yb_arena_calloc(&p->arena, (size_t)n, sizeof *wt->exempt);
    if (wt->exempt == NULL)
        return yb__policy_nomem(e, apath);
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, apath, i);
        rc =
            yb__when_parse(it, NULL, ipath, &p->arena, &wt->exempt[i], NULL, e);
        if (rc == YB_OK && yb__when_is_empty(&wt->exempt[i]))
            rc = yb_err_set(
                e, YB_EINVAL, ipath,
                "为空，将豁免所有人 (empty: would exempt every person)");
        if (rc == YB_OK)
            rc = person_selector(it, ipath, exempt_when_keys, "等待期豁免规则",
                                 e);
        if (rc != YB_OK)
            return rc;
        wt->n_exempt = ++i;
    }
    return YB_OK;
}

static int load_repair_floor(const cJSON *w, const char *path,
                             struct yb_waiting *wt, struct yb_err *e)
{
    char fpath[YB__PATH_MAX];
    const cJSON *fl = NULL;
    int rc = yb_json_object(w, "repair_floor", path, false, &fl, e);

    if (rc != YB_OK || fl == NULL)
        return rc;
    yb_json_path_key(fpath, sizeof fpath, path, "repair_floor");
    rc = yb_json_check_keys(fl, fpath, floor_keys, e);
    if (rc == YB_OK)
        rc = int_key(fl, "from_break_years", fpath, true, 1, YEARS_MAX,
                     &wt->floor_break_years, e);
    if (rc == YB_OK)
        rc = int_key(fl, "months", fpath, true, 0, MONTHS_MAX,
                     &wt->floor_months, e);
    return rc;
}

static int load_waiting(const cJSON *obj, struct yb_policy *p,
                        struct yb_enrol_rules *r, struct yb_err *e)
{
    const char *path = "enrolment.waiting";
    struct yb_waiting *wt = &r->waiting;
    const cJSON *w = NULL;
    int rc = yb_json_object(obj, "waiting", "enrolment", false, &w, e);

    if (rc != YB_OK || w == NULL)
        return rc;
    r->has_waiting = true;
    rc = yb_json_check_keys(w, path, waiting_keys, e);
    if (rc == YB_OK)
        rc = int_key(w, "fixed_months", path, true, 0, MONTHS_MAX,
                     &wt->fixed_months, e);
    if (rc == YB_OK)
        rc = int_key(w, "variable_months_per_year", path, true, 0, MONTHS_MAX,
                     &wt->variable_months_per_year, e);
    if (rc == YB_OK)
        rc = int_key(w, "variable_after_years", path, false, 0, YEARS_MAX,
                     &wt->variable_after_years, e);
    if (rc == YB_OK)
        rc = int_key(w, "repair_months_per_year", path, false, 0, MONTHS_MAX,
                     &wt->repair_months_per_year, e);
    if (rc == YB_OK)
        rc = load_repair_floor(w, path, wt, e);
    if (rc == YB_OK)
        rc = load_exempt(w, path, p, wt, e);
    return rc;
}

static int load_bonus_part(const cJSON *b, const char *key,
                           const char *const *keys, bool *present,
                           int *after_years, yb_fen *amount, struct yb_err *e)
{
    const char *path = "enrolment.ci_cap_bonus";
    char kpath[YB__PATH_MAX];
    const cJSON *o = NULL;
    int rc = yb_json_object(b, key, path, false, &o, e);

    if (rc != YB_OK || o == NULL)
        return rc;
    *present = true;
    yb_json_path_key(kpath, sizeof kpath, path, key);
    rc = yb_json_check_keys(o, kpath, keys, e);
    if (rc == YB_OK && after_years != NULL)
        rc = int_key(o, "after_years", kpath, true, 0, YEARS_MAX, after_years,
                     e);
    if (rc == YB_OK)
        rc = yb_json_money(o, "amount", kpath, true, false, amount, e);
    return rc;
}

/* The flag of what ci_cap_bonus.caps names by id: a critical-illness
 * layer with a cap of its own, or a shared cap. */
static int bonus_cap_flag(struct yb_policy *p, const char *id,
                          const char *ipath, bool **flag, struct yb_err *e)
{
    int k = yb_policy_cap_index(p, id);

    for (int i = 0; i < p->n_layers; i++) {
        struct yb_layer *l = &p->layers[i];
        if (strcmp(l->id, id) != 0)
            continue;
        if (l->stage != YB_STAGE_CRITICAL)
            return yb_err_set(e, YB_EINVAL, ipath,
                              "待遇层 \"%s\" 不是大病保险待遇层 (not a "
                              "critical-illness layer)",
                              id);
        if (l->cap.n_rules == 0)
            return yb_err_set(e, YB_EINVAL, ipath,
                              "待遇层 \"%s\" 没有自己的封顶线，请列出其共用"
                              "封顶线 (the layer has no cap of its own: "
                              "name its shared cap)",
                              id);
        *flag = &l->cap.ci_bonus;
        return YB_OK;
    }
    if (k < 0)
        return yb_err_set(
            e, YB_EINVAL, ipath,
            "编号 \"%s\" 既不是大病保险待遇层也不是共用封顶线 (no "
            "critical-illness layer or shared cap has this id)",
            id);
    *flag = &p->caps[k].ci_bonus;
    return YB_OK;
}

/* ci_cap_bonus.caps: the caps the increase raises; without the key, the
 * own cap of every critical-illness layer that has one. A policy whose
 * critical-illness layers only have shared caps must name them (raising
 * a cap shared with the basic fund is the region's decision). */
static int load_bonus_caps(const cJSON *b, struct yb_policy *p,
                           struct yb_err *e)
{
    const char *path = "enrolment.ci_cap_bonus.caps";
    char ipath[YB__PATH_MAX];
    const cJSON *arr = NULL, *it;
    int n = 0, i = 0, raised = 0, capped = 0;
    int rc = yb__policy_array(b, "caps", "enrolment.ci_cap_bonus", false, 1,
                              &arr, &n, e);

    if (rc != YB_OK)
        return rc;
    if (arr != NULL) {
        cJSON_ArrayForEach(it, arr)
        {
            const char *id = NULL;
            bool *flag = NULL;
            yb_json_path_index(ipath, sizeof ipath, path, i++);
            rc = yb__policy_id(it, NULL, ipath, true, &p->arena, &id, e);
            if (rc == YB_OK)
                rc = bonus_cap_flag(p, id, ipath, &flag, e);
            if (rc != YB_OK)
                return rc;
            if (*flag)
                return yb_err_set(e, YB_EINVAL, ipath,
                                  "编号 \"%s\" 重复 (given twice)", id);
            *flag = true;
        }
        return YB_OK;
    }
    for (i = 0; i < p->n_layers; i++) {
        struct yb_layer *l = &p->layers[i];
        if (l->stage != YB_STAGE_CRITICAL)
            continue;
        capped += l->cap.n_rules > 0 || l->cap.n_shared > 0;
        l->cap.ci_bonus = l->cap.n_rules > 0;
        raised += l->cap.ci_bonus;
    }
    if (capped > 0 && raised == 0)
        return yb_err_set(e, YB_EINVAL, "enrolment.ci_cap_bonus",
                          "大病保险待遇层没有自己的封顶线，请在 \"caps\" "
                          "中列出要提高的共用封顶线 (no critical-illness "
                          "layer has a cap of its own: name the caps to "
                          "raise in \"caps\")");
    return YB_OK;
}

static int load_ci_bonus(const cJSON *obj, struct yb_policy *p,
                         struct yb_enrol_rules *r, struct yb_err *e)
{
    const char *path = "enrolment.ci_cap_bonus";
    struct yb_ci_bonus_rules *c = &r->ci_bonus;
    const cJSON *b = NULL;
    int rc = yb_json_object(obj, "ci_cap_bonus", "enrolment", false, &b, e);

    if (rc != YB_OK || b == NULL)
        return rc;
    r->has_ci_bonus = true;
    rc = yb_json_check_keys(b, path, bonus_keys, e);
    if (rc == YB_OK)
        rc = load_bonus_part(b, "continuous", continuous_keys,
                             &c->has_continuous, &c->continuous_after_years,
                             &c->continuous_amount, e);
    if (rc == YB_OK)
        rc =
            load_bonus_part(b, "claim_free", claim_free_keys,
                            &c->has_claim_free, NULL, &c->claim_free_amount, e);
    if (rc == YB_OK)
        rc = yb_json_rate(b, "max_share", path, true, false, &c->max_share, e);
    if (rc == YB_OK && !c->has_continuous && !c->has_claim_free)
        return yb_err_set(e, YB_EINVAL, path,
                          "应给出 \"continuous\"、\"claim_free\" 或两者 (give "
                          "continuous, claim_free or both)");
    if (rc == YB_OK)
        rc = load_bonus_caps(b, p, e);
    return rc;
}

bool yb_ci_bonus_may_apply(const struct yb_policy *p, int med_type)
{
    if (p->enrol == NULL || !p->enrol->has_ci_bonus || med_type < 0 ||
        med_type >= 64)
        return false;
    for (int i = 0; i < p->n_layers; i++) {
        const struct yb_layer *l = &p->layers[i];
        bool raised = l->cap.ci_bonus;
        uint64_t types = l->when.med_types;
        for (int k = 0; k < l->cap.n_shared && !raised; k++)
            raised = p->caps[l->cap.shared[k]].ci_bonus;
        if (l->stage == YB_STAGE_CRITICAL && raised &&
            (types == 0 || (types & (UINT64_C(1) << med_type)) != 0))
            return true;
    }
    return false;
}

int yb__enrol_parse(const cJSON *root, struct yb_policy *p, struct yb_err *e)
{
    const cJSON *obj = NULL;
    struct yb_enrol_rules *r;
    int rc = yb_json_object(root, "enrolment", "", false, &obj, e);

    if (rc != YB_OK || obj == NULL)
        return rc;
    rc = yb_json_check_keys(obj, "enrolment", enrol_keys, e);
    if (rc != YB_OK)
        return rc;
    r = yb_arena_calloc(&p->arena, 1, sizeof *r);
    if (r == NULL)
        return yb__policy_nomem(e, "enrolment");
    r->newborn_grace_days = -1;
    rc = load_psn_types(obj, p, r, e);
    if (rc == YB_OK)
        rc = int_key(obj, "newborn_grace_days", "enrolment", false, 0,
                     GRACE_DAYS_MAX, &r->newborn_grace_days, e);
    if (rc == YB_OK)
        rc = load_waiting(obj, p, r, e);
    if (rc == YB_OK)
        rc = load_ci_bonus(obj, p, r, e);
    if (rc == YB_OK)
        p->enrol = r;
    return rc;
}
