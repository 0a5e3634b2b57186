/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Selectors (JSON "when" and "exempt" objects): which visits a rule applies
 * to. Codes become bit sets over the dict tables' indices, so the engine
 * matches with one AND per condition; disease prefixes and delivery types
 * stay strings. A key that is present must say something: an empty list
 * would silently widen the rule to every visit, so it is an error, and so
 * are selectors that can never match (age_min above age_max, every
 * required identity also excluded).
 */
#include <string.h>

#include "policy_int.h"

/* Longest disease code prefix and delivery type code. */
#define DISEASE_MAX 32
#define MATN_TYPE_MAX 16
/* Largest admission ordinal and age a selector may name. */
#define ORDINAL_MAX 999
#define AGE_MAX 150

static const char *const when_keys[] = {
    "med_type", "hosp_lv",     "psn_type",    "idet",    "no_idet", "place",
    "tier",     "ordinal_min", "ordinal_max", "age_min", "age_max", "gender",
    "referral", "disease",     "matn_type",   NULL};

void yb__when_init(struct yb_when *w)
{
    memset(w, 0, sizeof *w);
    w->age_min = -1;
    w->age_max = -1;
    w->referral = -1;
}

bool yb__when_is_empty(const struct yb_when *w)
{
    return w->med_types == 0 && w->levels == 0 && w->psn_types == 0 &&
           w->idets == 0 && w->no_idets == 0 && w->places == 0 &&
           w->tiers == 0 && w->ordinal_min == 0 && w->ordinal_max == 0 &&
           w->age_min < 0 && w->age_max < 0 && w->gender == 0 &&
           w->referral < 0 && w->n_diseases == 0 && w->n_matn_types == 0;
}

/* A code list: absent leaves *out 0 ("any"), present must not be empty. */
static int code_list(const cJSON *sel, const char *key, const char *path,
                     enum yb_dict_kind kind, uint64_t *out, struct yb_err *e)
{
    const cJSON *arr;
    int n;
    int rc = yb__policy_array(sel, key, path, false, 1, &arr, &n, e);

    if (rc == YB_OK && arr != NULL)
        rc = yb_json_code_set(sel, key, path, true, kind, out, e);
    return rc;
}

static int tier_list(const cJSON *sel, const char *path, uint32_t *out,
                     struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    int64_t t;
    int n, i = 0;
    int rc = yb__policy_array(sel, "tier", path, false, 1, &arr, &n, e);

    if (rc != YB_OK || arr == NULL)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, "tier");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, apath, i++);
        rc = yb_json_int(it, NULL, ipath, true, 1, 31, &t, e);
        if (rc != YB_OK)
            return rc;
        if (*out & (UINT32_C(1) << t))
            return yb_err_set(e, YB_EINVAL, ipath,
                              "档次 %d 重复 (duplicate tier)", (int)t);
        *out |= UINT32_C(1) << t;
    }
    return YB_OK;
}

/* A list of non-empty, distinct strings copied into the arena. */
static int string_list(const cJSON *sel, const char *key, const char *path,
                       size_t maxlen, struct yb_arena *a, const char ***out,
                       int *count, struct yb_err *e)
{
    char apath[YB__PATH_MAX], ipath[YB__PATH_MAX];
    const cJSON *arr, *it;
    const char **list;
    int n, i = 0, j;
    int rc = yb__policy_array(sel, key, path, false, 1, &arr, &n, e);

    if (rc != YB_OK || arr == NULL)
        return rc;
    yb_json_path_key(apath, sizeof apath, path, key);
    list = yb_arena_calloc(a, (size_t)n, sizeof *list);
    if (list == NULL)
        return yb__policy_nomem(e, apath);
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(ipath, sizeof ipath, apath, i);
        rc =
            yb_json_string(it, NULL, ipath, true, maxlen, true, a, &list[i], e);
        if (rc != YB_OK)
            return rc;
        if (list[i][0] == '\0')
            return yb_err_set(e, YB_EINVAL, ipath, "不能为空 (empty)");
        for (j = 0; j < i; j++)
            if (strcmp(list[j], list[i]) == 0)
                return yb_err_set(e, YB_EINVAL, ipath,
                                  "值 \"%s\" 重复 (duplicate)", list[i]);
        i++;
    }
    *out = list;
    *count = n;
    return YB_OK;
}

/* An optional pair of bounds lo <= hi in [min, max]; unset ones keep
 * their preset value. */
static int bounds(const cJSON *sel, const char *klo, const char *khi,
                  const char *path, int64_t min, int64_t max, int *lo, int *hi,
                  struct yb_err *e)
{
    char f[YB__PATH_MAX];
    int64_t a = -1, b = -1;
    int rc = yb_json_int(sel, klo, path, false, min, max, &a, e);

    if (rc == YB_OK)
        rc = yb_json_int(sel, khi, path, false, min, max, &b, e);
    if (rc != YB_OK)
        return rc;
    if (a >= 0 && b >= 0 && a > b)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, klo),
            "%d 大于 %s %d (above the limit)", (int)a, khi, (int)b);
    if (a >= 0)
        *lo = (int)a;
    if (b >= 0)
        *hi = (int)b;
    return YB_OK;
}

/* gender "1"/"2" and referral true/false. */
static int person_flags(const cJSON *sel, const char *path, struct yb_when *w,
                        struct yb_err *e)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(sel, "referral");
    int64_t g = 0;
    bool referral = false;
    int rc = yb_json_int(sel, "gender", path, false, 1, 2, &g, e);

    if (rc != YB_OK)
        return rc;
    w->gender = (int)g; /* enum yb_gender: 1 male, 2 female */
    if (r == NULL || cJSON_IsNull(r))
        return YB_OK; /* referral stays -1: either way */
    rc = yb_json_bool(sel, "referral", path, true, &referral, e);
    w->referral = referral ? 1 : 0;
    return rc;
}

static int code_lists(const cJSON *sel, const char *path, struct yb_when *w,
                      struct yb_err *e)
{
    char f[YB__PATH_MAX];
    int rc =
        code_list(sel, "med_type", path, YB_DICT_MED_TYPE, &w->med_types, e);

    if (rc == YB_OK)
        rc = code_list(sel, "hosp_lv", path, YB_DICT_HOSP_LV, &w->levels, e);
    if (rc == YB_OK)
        rc = code_list(sel, "psn_type", path, YB_DICT_PSN_TYPE, &w->psn_types,
                       e);
    if (rc == YB_OK)
        rc = code_list(sel, "idet", path, YB_DICT_IDET, &w->idets, e);
    if (rc == YB_OK)
        rc = code_list(sel, "no_idet", path, YB_DICT_IDET, &w->no_idets, e);
    if (rc == YB_OK)
        rc = code_list(sel, "place", path, YB_DICT_PLACE, &w->places, e);
    if (rc != YB_OK)
        return rc;
    if (w->idets != 0 && (w->idets & ~w->no_idets) == 0)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "no_idet"),
            "排除了 idet 的所有身份，条件永远不会满足 (never matches)");
    return YB_OK;
}

int yb__when_parse(const cJSON *obj, const char *key, const char *path,
                   struct yb_arena *a, struct yb_when *w, bool *present,
                   struct yb_err *e)
{
    char wpath[YB__PATH_MAX];
    const cJSON *sel = NULL;
    int rc;

    yb__when_init(w);
    if (present != NULL)
        *present = false;
    rc = yb_json_object(obj, key, path, false, &sel, e);
    if (rc != YB_OK || sel == NULL)
        return rc;
    if (present != NULL)
        *present = true;
    yb_json_path_key(wpath, sizeof wpath, path, key);
    rc = yb_json_check_keys(sel, wpath, when_keys, e);
    if (rc == YB_OK)
        rc = code_lists(sel, wpath, w, e);
    if (rc == YB_OK)
        rc = tier_list(sel, wpath, &w->tiers, e);
    if (rc == YB_OK)
        rc = bounds(sel, "ordinal_min", "ordinal_max", wpath, 1, ORDINAL_MAX,
                    &w->ordinal_min, &w->ordinal_max, e);
    if (rc == YB_OK)
        rc = bounds(sel, "age_min", "age_max", wpath, 0, AGE_MAX, &w->age_min,
                    &w->age_max, e);
    if (rc == YB_OK)
        rc = person_flags(sel, wpath, w, e);
    if (rc == YB_OK)
        rc = string_list(sel, "disease", wpath, DISEASE_MAX, a, &w->diseases,
                         &w->n_diseases, e);
    if (rc == YB_OK)
        rc = string_list(sel, "matn_type", wpath, MATN_TYPE_MAX, a,
                         &w->matn_types, &w->n_matn_types, e);
    return rc;
}
