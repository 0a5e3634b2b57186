/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading a policy file (docs/policy.md): the document's header (schema,
 * region, insurance type, year, validity), the classification defaults,
 * the shared caps and the list of benefit layers, each layer handed to
 * policy_layer.c. Nothing is guessed: unknown keys, unknown codes, values
 * out of range and contradictions are refused with the JSON path and the
 * value, because a misread policy pays the wrong amounts to real people.
 * Everything the policy keeps is copied into its own arena, so the parsed
 * JSON tree is freed before yb_policy_parse returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"
#include "yibao/financing.h"
#include "yibao/region.h"

#define NAME_MAX_BYTES 256
#define SOURCE_MAX_BYTES 4096
#define YEAR_MIN 1990
#define YEAR_MAX 2199

static const char *const top_keys[] = {
    "schema",         "name", "source",     "region",
    "insutype",       "year", "valid_from", "valid_to",
    "classification", "caps", "benefits",   "financing",
    "enrolment",      NULL};
static const char *const classify_keys[] = {"unknown_item",
                                            "default_selfpay_prop", NULL};
static const char *const cap_keys[] = {"id", "name", "amount", "exempt", NULL};
static const char *const benefit_keys[] = {"layers", NULL};
static const char *const unknown_item_names[] = {"reject", "self_pay", NULL};

int yb__policy_nomem(struct yb_err *e, const char *path)
{
    return yb_err_set(e, YB_ENOMEM, path, "内存不足 (out of memory)");
}

int yb__policy_enum(const cJSON *obj, const char *key, const char *path,
                    bool required, const char *const *names, int *out,
                    struct yb_err *e)
{
    char f[YB__PATH_MAX], list[160], shown[96];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    size_t used = 0;
    int i;

    yb_json_path_key(f, sizeof f, path, key);
    if (v == NULL || cJSON_IsNull(v))
        return required ? yb_err_set(e, YB_EINVAL, f, "必填 (required)")
                        : YB_OK;
    for (i = 0; cJSON_IsString(v) && names[i] != NULL; i++)
        if (strcmp(v->valuestring, names[i]) == 0) {
            *out = i;
            return YB_OK;
        }
    list[0] = '\0';
    for (i = 0; names[i] != NULL && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"",
                                 i == 0 ? "" : ", ", names[i]);
    if (cJSON_IsString(v))
        (void)snprintf(shown, sizeof shown, "\"%.64s\"", v->valuestring);
    else
        (void)snprintf(shown, sizeof shown, "%s",
                       cJSON_IsNumber(v)  ? "a number"
                       : cJSON_IsBool(v)  ? "a boolean"
                       : cJSON_IsArray(v) ? "an array"
                                          : "an object");
    return yb_err_set(e, YB_EINVAL, f,
                      "值 %s 不是 %s 之一 (not an allowed value)", shown, list);
}

int yb__policy_id(const cJSON *obj, const char *key, const char *path,
                  bool required, struct yb_arena *a, const char **out,
                  struct yb_err *e)
{
    char f[YB__PATH_MAX];
    const char *s = NULL;
    size_t i, n;
    int rc = yb_json_string(obj, key, path, required, 0, false, a, &s, e);

    if (rc != YB_OK || s == NULL)
        return rc;
    n = strlen(s);
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_'))
            break;
    if (n == 0 || n > YB__ID_MAX || i < n)
        return yb_err_set(e, YB_EINVAL,
                          yb_json_path_key(f, sizeof f, path, key),
                          "标识 \"%.64s\" 不合法，应为 1 至 %d 个 a-z、0-9 或 "
                          "_ 字符 (not an id)",
                          s, YB__ID_MAX);
    *out = s;
    return YB_OK;
}

int yb__policy_array(const cJSON *obj, const char *key, const char *path,
                     bool required, int min_items, const cJSON **arr, int *n,
                     struct yb_err *e)
{
    char f[YB__PATH_MAX];
    const cJSON *a = NULL;
    int rc = yb_json_array(obj, key, path, required, &a, e);

    *arr = NULL;
    *n = 0;
    if (rc != YB_OK || a == NULL)
        return rc;
    *n = cJSON_GetArraySize(a);
    if (*n < min_items)
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, key),
            "为空，至少给出 %d 项 (empty; give at least %d item%s)", min_items,
            min_items, min_items == 1 ? "" : "s");
    *arr = a;
    return YB_OK;
}

static int load_schema(const cJSON *root, struct yb_err *e)
{
    const cJSON *v;

    /* The schema first: a file of another schema is better told so than
     * told about keys this one does not know. */
    if (!cJSON_IsObject(root))
        return yb_err_set(
            e, YB_EINVAL, "",
            "政策文件应为 JSON 对象 (a policy must be a JSON object)");
    v = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (v == NULL || cJSON_IsNull(v))
        return yb_err_set(e, YB_EINVAL, "schema", "必填 (required)");
    if (!cJSON_IsString(v) || strcmp(v->valuestring, YB_POLICY_SCHEMA) != 0)
        return yb_err_set(e, YB_EINVAL, "schema",
                          "值 %s%.64s%s 不是 \"%s\" (wrong value)",
                          cJSON_IsString(v) ? "\"" : "",
                          cJSON_IsString(v) ? v->valuestring : "a non-string",
                          cJSON_IsString(v) ? "\"" : "", YB_POLICY_SCHEMA);
    return yb_json_check_keys(root, "", top_keys, e);
}

/* name, source, region, insutype. */
static int load_identity(const cJSON *root, struct yb_policy *p,
                         struct yb_err *e)
{
    struct yb_arena *a = &p->arena;
    const char *s;
    int rc;

    p->name = "";
    p->source = "";
    rc = yb_json_string(root, "name", "", false, NAME_MAX_BYTES, false, a,
                        &p->name, e);
    if (rc == YB_OK)
        rc = yb_json_string(root, "source", "", false, SOURCE_MAX_BYTES, false,
                            a, &p->source, e);
    if (rc == YB_OK)
        rc = yb_json_string(root, "region", "", true, 32, true, a, &p->region,
                            e);
    if (rc == YB_OK && !yb_region_valid(p->region))
        return yb_err_set(
            e, YB_EINVAL, "region",
            "行政区划代码（GB/T 2260）无效：\"%s\" (not a region code)",
            p->region);
    if (rc == YB_OK)
        rc = yb_json_string(root, "insutype", "", true, 32, true, a,
                            &p->insutype, e);
    if (rc != YB_OK)
        return rc;
    s = p->insutype;
    if (strlen(s) != 3 || strspn(s, "0123456789") != 3)
        return yb_err_set(
            e, YB_EINVAL, "insutype",
            "险种代码应为 3 位，实际为 \"%s\" (not a 3-digit insutype code)",
            s);
    return YB_OK;
}

/* year, valid_from, valid_to. */
static int load_validity(const cJSON *root, struct yb_policy *p,
                         struct yb_err *e)
{
    char from[16], to[16];
    int64_t year = 0;
    int rc = yb_json_int(root, "year", "", true, YEAR_MIN, YEAR_MAX, &year, e);

    if (rc != YB_OK)
        return rc;
    p->year = (int)year;
    p->valid_from = yb_date_from_ymd(p->year, 1, 1);
    p->valid_to = yb_date_from_ymd(p->year, 12, 31);
    rc = yb_json_date(root, "valid_from", "", false, false, &p->valid_from, e);
    if (rc == YB_OK)
        rc = yb_json_date(root, "valid_to", "", false, false, &p->valid_to, e);
    if (rc != YB_OK)
        return rc;
    if (p->valid_to < p->valid_from)
        return yb_err_set(e, YB_EINVAL, "valid_to",
                          "日期 %s 早于 valid_from %s (before valid_from)",
                          yb_date_format(p->valid_to, to),
                          yb_date_format(p->valid_from, from));
    return YB_OK;
}

/* classification.default_selfpay_prop: list_type code -> rate. */
static int load_selfpay(const cJSON *cls, struct yb_classify_policy *c,
                        struct yb_err *e)
{
    const char *path = "classification.default_selfpay_prop";
    char f[YB__PATH_MAX];
    const cJSON *obj = NULL, *it;
    uint32_t seen = 0;
    int rc = yb_json_object(cls, "default_selfpay_prop", "classification",
                            false, &obj, e);

    if (rc != YB_OK || obj == NULL)
        return rc;
    cJSON_ArrayForEach(it, obj)
    {
        int idx = yb_dict_index(YB_DICT_LIST_TYPE, it->string);

        yb_json_path_key(f, sizeof f, path, it->string);
        if (idx < 0 || idx >= 16)
            return yb_err_set(e, YB_EINVAL, f,
                              "代码表 %s 中没有代码 \"%.32s\" (unknown code)",
                              yb_dict_name(YB_DICT_LIST_TYPE), it->string);
        if (seen & (UINT32_C(1) << idx))
            return yb_err_set(e, YB_EINVAL, f,
                              "键名 \"%s\" 重复出现 (duplicate key)",
                              it->string);
        seen |= UINT32_C(1) << idx;
        rc =
            yb_json_rate(it, NULL, f, true, false, &c->default_selfpay[idx], e);
        if (rc != YB_OK)
            return rc;
    }
    return YB_OK;
}

static int load_classification(const cJSON *root, struct yb_policy *p,
                               struct yb_err *e)
{
    struct yb_classify_policy *c = &p->classify;
    const cJSON *cls = NULL;
    int unknown = YB_UNKNOWN_REJECT;
    int i, rc;

    c->unknown_item = YB_UNKNOWN_REJECT;
    for (i = 0; i < 16; i++)
        c->default_selfpay[i] = -1;
    rc = yb_json_object(root, "classification", "", false, &cls, e);
    if (rc != YB_OK || cls == NULL)
        return rc;
    rc = yb_json_check_keys(cls, "classification", classify_keys, e);
    if (rc == YB_OK)
        rc = yb__policy_enum(cls, "unknown_item", "classification", false,
                             unknown_item_names, &unknown, e);
    if (rc == YB_OK)
        rc = load_selfpay(cls, c, e);
    c->unknown_item = (enum yb_unknown_item)unknown;
    return rc;
}

static int load_cap(const cJSON *obj, const char *path, struct yb_policy *p,
                    struct yb_shared_cap *c, struct yb_err *e)
{
    char f[YB__PATH_MAX];
    int rc = yb_json_check_keys(obj, path, cap_keys, e);

    if (rc == YB_OK)
        rc = yb__policy_id(obj, "id", path, true, &p->arena, &c->id, e);
    if (rc != YB_OK)
        return rc;
    c->name = c->id;
    rc = yb_json_string(obj, "name", path, false, NAME_MAX_BYTES, false,
                        &p->arena, &c->name, e);
    if (rc == YB_OK)
        rc = yb_json_money(obj, "amount", path, true, false, &c->amount, e);
    if (rc == YB_OK)
        rc = yb__when_parse(obj, "exempt", path, &p->arena, &c->exempt,
                            &c->has_exempt, e);
    if (rc != YB_OK)
        return rc;
    if (c->has_exempt && yb__when_is_empty(&c->exempt))
        return yb_err_set(
            e, YB_EINVAL, yb_json_path_key(f, sizeof f, path, "exempt"),
            "为空，将豁免所有就诊 (empty: would exempt every visit)");
    c->path = yb_arena_strdup(&p->arena, path);
    return c->path != NULL ? YB_OK : yb__policy_nomem(e, path);
}

static int load_caps(const cJSON *root, struct yb_policy *p, struct yb_err *e)
{
    char f[YB__PATH_MAX], g[YB__PATH_MAX];
    const cJSON *arr, *it;
    int n, i = 0, rc;

    rc = yb__policy_array(root, "caps", "", false, 0, &arr, &n, e);
    if (rc != YB_OK || n == 0)
        return rc;
    p->caps = yb_arena_calloc(&p->arena, (size_t)n, sizeof *p->caps);
    if (p->caps == NULL)
        return yb__policy_nomem(e, "caps");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(f, sizeof f, "caps", i);
        rc = load_cap(it, f, p, &p->caps[i], e);
        if (rc != YB_OK)
            return rc;
        if (yb_policy_cap_index(p, p->caps[i].id) >= 0)
            return yb_err_set(
                e, YB_EINVAL, yb_json_path_key(g, sizeof g, f, "id"),
                "封顶标识 \"%s\" 重复 (duplicate cap id)", p->caps[i].id);
        p->n_caps = ++i;
    }
    return YB_OK;
}

/* Layers run in file order and each acts on what earlier ones left
 * (docs/benefits.md), so the stages must not go backwards. */
static int stage_order(const struct yb_policy *p, int i, const char *path,
                       struct yb_err *e)
{
    static const char *const names[] = {"basic", "critical", "assist"};
    char f[YB__PATH_MAX];

    if (i == 0 || p->layers[i].stage >= p->layers[i - 1].stage)
        return YB_OK;
    return yb_err_set(e, YB_EINVAL,
                      yb_json_path_key(f, sizeof f, path, "stage"),
                      "层 \"%s\" 排在 \"%s\" 层 %s "
                      "之后；应先列基本医保，再列大病保险，最后列医疗救助 "
                      "(layers out of order)",
                      names[p->layers[i].stage], names[p->layers[i - 1].stage],
                      p->layers[i - 1].path);
}

static int load_benefits(const cJSON *root, struct yb_policy *p,
                         struct yb_err *e)
{
    char f[YB__PATH_MAX], g[YB__PATH_MAX];
    const cJSON *ben = NULL, *arr, *it;
    int n, i = 0, j;
    int rc = yb_json_object(root, "benefits", "", true, &ben, e);

    if (rc == YB_OK)
        rc = yb_json_check_keys(ben, "benefits", benefit_keys, e);
    if (rc == YB_OK)
        rc = yb__policy_array(ben, "layers", "benefits", true, 1, &arr, &n, e);
    if (rc != YB_OK)
        return rc;
    p->layers = yb_arena_calloc(&p->arena, (size_t)n, sizeof *p->layers);
    if (p->layers == NULL)
        return yb__policy_nomem(e, "benefits.layers");
    cJSON_ArrayForEach(it, arr)
    {
        yb_json_path_index(f, sizeof f, "benefits.layers", i);
        rc = yb__layer_parse(it, f, p, &p->layers[i], e);
        if (rc != YB_OK)
            return rc;
        for (j = 0; j < i; j++)
            if (strcmp(p->layers[j].id, p->layers[i].id) == 0)
                return yb_err_set(
                    e, YB_EINVAL, yb_json_path_key(g, sizeof g, f, "id"),
                    "层标识 \"%s\" 重复（另见 %s）(duplicate layer id)",
                    p->layers[i].id, p->layers[j].path);
        rc = stage_order(p, i, f, e);
        if (rc != YB_OK)
            return rc;
        p->n_layers = ++i;
    }
    return YB_OK;
}

static int load_document(const cJSON *root, struct yb_policy *p,
                         struct yb_err *e)
{
    int rc = load_schema(root, e);

    if (rc == YB_OK)
        rc = load_identity(root, p, e);
    if (rc == YB_OK)
        rc = load_validity(root, p, e);
    if (rc == YB_OK)
        rc = load_classification(root, p, e);
    if (rc == YB_OK)
        rc = load_caps(root, p, e);
    if (rc == YB_OK)
        rc = load_benefits(root, p, e);
    if (rc == YB_OK)
        rc = yb__financing_parse(root, p, e);
    if (rc == YB_OK)
        rc = yb__enrol_parse(root, p, e);
    return rc;
}

int yb__policy_parse_ex(const char *text, size_t len, int fail_after,
                        struct yb_policy **out, struct yb_err *e)
{
    struct yb_policy *p = NULL;
    cJSON *root = NULL;
    int rc;

    *out = NULL;
    rc = yb_json_parse(text, len, &root, e);
    if (rc != YB_OK)
        goto out;
    p = calloc(1, sizeof *p);
    if (p == NULL) {
        rc = yb__policy_nomem(e, "");
        goto out;
    }
    yb_arena_init(&p->arena, 0);
    p->arena.fail_after = fail_after;
    rc = load_document(root, p, e);
    p->arena.fail_after = -1;
out:
    cJSON_Delete(root);
    if (rc != YB_OK) {
        yb_policy_free(p);
        /* Whatever the helper said (EINVAL, EOVERFLOW), to the caller a
         * bad value in a policy is an invalid policy. */
        if (rc != YB_ENOMEM && rc != YB_EPARSE) {
            rc = YB_EPOLICY;
            if (e != NULL)
                e->code = rc;
        }
        return rc;
    }
    *out = p;
    return YB_OK;
}

int yb_policy_parse(const char *text, size_t len, struct yb_policy **out,
                    struct yb_err *e)
{
    return yb__policy_parse_ex(text, len, -1, out, e);
}

void yb_policy_free(struct yb_policy *p)
{
    if (p == NULL)
        return;
    yb_arena_free(&p->arena);
    free(p);
}

int yb_policy_cap_index(const struct yb_policy *p, const char *id)
{
    int i;

    if (p == NULL || id == NULL)
        return -1;
    for (i = 0; i < p->n_caps; i++)
        if (strcmp(p->caps[i].id, id) == 0)
            return i;
    return -1;
}
