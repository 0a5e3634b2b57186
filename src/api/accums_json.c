/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A person's year-to-date accumulators (累计, docs/benefits.md) as JSON:
 * {"year": 2023, "amounts": {"inpatient.base": "1000.00"}, "counts":
 * {"admissions": 1}}. The same object sits under "accumulators" in every
 * settlement result, so a result can be read back as the accumulators of
 * the person's next visit. Keys ending in "admissions" are counts, every
 * other key is an amount in yuan.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api_int.h"

static const char *const accum_keys[] = {"year", "amounts", "counts", NULL};

#define MAX_KEY 100

static bool is_count_key(const char *k)
{
    size_t n = strlen(k), s = strlen("admissions");

    return n >= s && strcmp(k + n - s, "admissions") == 0;
}

/* Key syntax, the right section for its kind, and no repeats. */
static int check_key(const struct yb_accums *a, const char *k, bool count,
                     const char *path, struct yb_err *e)
{
    char f[256];
    size_t i;
    int j;

    snprintf(f, sizeof f, "%s.%s", path, k);
    if (k[0] == '\0' || strlen(k) > MAX_KEY)
        return yb_err_set(e, YB_EINVAL, path,
                          "键名 \"%.40s\" 应为 1 至 %d 个字符 (key length)", k,
                          MAX_KEY);
    for (i = 0; k[i] != '\0'; i++)
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789._-",
                   k[i]) == NULL)
            return yb_err_set(
                e, YB_EINVAL, f,
                "键名含有 [A-Za-z0-9._-] 以外的字符 (bad character in key)");
    if (is_count_key(k) != count)
        return yb_err_set(e, YB_EINVAL, f,
                          "应放在 \"%s\" 之下 (belongs under another section)",
                          count ? "amounts" : "counts");
    for (j = 0; j < a->n; j++)
        if (strcmp(a->items[j].key, k) == 0)
            return yb_err_set(e, YB_EINVAL, f, "重复出现 (appears twice)");
    return YB_OK;
}

/* Append the members of "amounts" (count false) or "counts" (true). */
static int parse_section(const cJSON *obj, const char *path, bool count,
                         struct yb_arena *arena, struct yb_accums *a,
                         struct yb_err *e)
{
    const char *name = count ? "counts" : "amounts";
    const cJSON *sec = NULL, *it;
    char spath[128];
    int rc = yb_json_object(obj, name, path, false, &sec, e);

    if (rc != YB_OK || sec == NULL)
        return rc;
    yb_json_path_key(spath, sizeof spath, path, name);
    cJSON_ArrayForEach(it, sec)
    {
        struct yb_accum *x = &a->items[a->n];

        rc = check_key(a, it->string, count, spath, e);
        if (rc != YB_OK)
            return rc;
        if (count)
            rc = yb_json_int(sec, it->string, spath, true, 0, 1000000,
                             &x->value, e);
        else
            rc = yb_json_money(sec, it->string, spath, true, false, &x->value,
                               e);
        if (rc != YB_OK)
            return rc;
        x->key = yb_arena_strdup(arena, it->string);
        if (x->key == NULL)
            return yb_err_set(e, YB_ENOMEM, spath, "内存不足 (out of memory)");
        a->n++;
    }
    return YB_OK;
}

static int section_size(const cJSON *obj, const char *key)
{
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(obj, key);

    return cJSON_IsObject(sec) ? cJSON_GetArraySize(sec) : 0;
}

static int parse_accums(const cJSON *obj, const char *path,
                        struct yb_arena *arena, struct yb_accums *out,
                        struct yb_err *e)
{
    int64_t year = 0;
    int cap;
    int rc = yb_json_check_keys(obj, path, accum_keys, e);

    if (rc == YB_OK)
        rc = yb_json_int(obj, "year", path, true, YB_DATE_MIN_YEAR,
                         YB_DATE_MAX_YEAR, &year, e);
    if (rc != YB_OK)
        return rc;
    out->year = (int)year;
    cap = section_size(obj, "amounts") + section_size(obj, "counts");
    if (cap > 0) {
        out->items = yb_arena_calloc(arena, (size_t)cap, sizeof *out->items);
        if (out->items == NULL)
            return yb_err_set(e, YB_ENOMEM, path, "内存不足 (out of memory)");
    }
    rc = parse_section(obj, path, false, arena, out, e);
    if (rc == YB_OK)
        rc = parse_section(obj, path, true, arena, out, e);
    return rc;
}

int yb_accums_doc_parse(const char *text, size_t len, struct yb_arena *arena,
                        struct yb_accums *out, struct yb_err *e)
{
    const cJSON *obj = NULL;
    cJSON *root = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    rc = yb_json_parse(text, len, &root, e);
    if (rc != YB_OK)
        goto out;
    if (!cJSON_IsObject(root)) {
        rc = yb_err_set(
            e, YB_EINVAL, "",
            "累计值应为 JSON 对象 (accumulators must be a JSON object)");
        goto out;
    }
    /* Field paths say "accumulators." either way, as the engine's do. */
    obj = root;
    if (cJSON_GetObjectItemCaseSensitive(root, "accumulators") != NULL) {
        rc = yb_json_object(root, "accumulators", "", true, &obj, e);
        if (rc != YB_OK)
            goto out;
    }
    rc = parse_accums(obj, "accumulators", arena, out, e);
out:
    if (rc != YB_OK)
        memset(out, 0, sizeof *out);
    cJSON_Delete(root);
    return rc;
}
