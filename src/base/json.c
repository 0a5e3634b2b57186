/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict JSON reading over cJSON. cJSON parses; this file decides what a
 * value may be and says precisely what is wrong: every error carries the
 * full field path and shows the offending value, quoted when it was a JSON
 * string. Amounts, rates and decimals never pass through floating point on
 * their way in: a JSON string goes straight to the strict parsers of
 * money.h, and a JSON number (which cJSON keeps only as a double) is first
 * rendered back to its shortest decimal text that reads back as the same
 * double, then parsed the same way. That rendering is the only place in
 * yibao's base layer where a double is touched.
 */
#include "yibao/json.h"
#include "yibao/arena.h"
#include "yibao/money.h"
#include "yibao/text.h"

#include "json_int.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Size of a field path buffer: the same as struct yb_err's field. */
#define FIELD_MAX sizeof(((struct yb_err *)0)->field)
/* Size of a rendered number or of a quoted, truncated value. */
#define NUM_MAX 40
#define SHOW_MAX 64
/* Bytes of a string value shown in a message before it is cut. */
#define QUOTE_CUT 40

/* Append src to buf[*k..n-1], truncating; buf stays terminated. */
static void put(char *buf, size_t n, size_t *k, const char *src)
{
    size_t len = strlen(src);
    if (len > n - 1 - *k)
        len = n - 1 - *k;
    memcpy(buf + *k, src, len);
    *k += len;
    buf[*k] = '\0';
}

/* Every member a parser reads names its field for a possible error, so
 * this runs a few dozen times a request: no printf. */
/* ---- cJSON's allocator --------------------------------------------------
 * Every block cJSON asks for carries a header naming its arena (NULL: the
 * heap), so cJSON_Delete and cJSON_free know what to do with any node,
 * whichever arena its thread had set when it was made. The hooks are set
 * before main, so no block predates them. */

union json_block {
    struct yb_arena *arena;
    max_align_t align; /* keeps the payload aligned as malloc's */
};

static _Thread_local struct yb_arena *json_arena;

static void *json_alloc(size_t n)
{
    union json_block *b;
    if (n > SIZE_MAX - sizeof *b)
        return NULL;
    if (json_arena != NULL)
        b = yb_arena_alloc(json_arena, sizeof *b + n);
    else
        b = malloc(sizeof *b + n);
    if (b == NULL)
        return NULL;
    b->arena = json_arena;
    return b + 1;
}

static void json_release(void *p)
{
    if (p == NULL)
        return;
    union json_block *b = (union json_block *)p - 1;
    if (b->arena == NULL)
        free(b);
}

__attribute__((constructor)) static void json_hooks(void)
{
    cJSON_Hooks hooks = {.malloc_fn = json_alloc, .free_fn = json_release};
    cJSON_InitHooks(&hooks);
}

struct yb_arena *yb_json_use_arena(struct yb_arena *a)
{
    struct yb_arena *was = json_arena;
    json_arena = a;
    return was;
}

char *yb_json_path_key(char *buf, size_t n, const char *path, const char *key)
{
    size_t k = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    bool has_path = path != NULL && path[0] != '\0';
    if (has_path || key == NULL)
        put(buf, n, &k, path ? path : "");
    if (key != NULL) {
        if (has_path)
            put(buf, n, &k, ".");
        put(buf, n, &k, key);
    }
    return buf;
}

char *yb_json_path_index(char *buf, size_t n, const char *path, int i)
{
    if (n > 0)
        (void)snprintf(buf, n, "%s[%d]", path ? path : "", i);
    return buf;
}

/* What a message calls a JSON type, or the type a value must have:
 * Chinese, and the English gist. */
struct kind_name {
    const char *zh, *en;
};

static const struct kind_name K_STRING = {"字符串", "a string"},
                              K_OBJECT = {"对象", "an object"},
                              K_ARRAY = {"数组", "an array"},
                              K_SCALAR = {"字符串或数字",
                                          "a string or a number"},
                              K_BOOL = {"true 或 false", "true or false"},
                              K_DATE = {"日期字符串", "a date string"},
                              K_CODE = {"代码字符串", "a code string"},
                              K_CODES = {"代码数组", "an array of codes"};

static struct kind_name type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return (struct kind_name){"字符串", "string"};
    if (cJSON_IsNumber(v))
        return (struct kind_name){"数字", "number"};
    if (cJSON_IsBool(v))
        return (struct kind_name){"布尔值", "boolean"};
    if (cJSON_IsNull(v))
        return (struct kind_name){"null", "null"};
    if (cJSON_IsArray(v))
        return (struct kind_name){"数组", "array"};
    if (cJSON_IsObject(v))
        return (struct kind_name){"对象", "object"};
    return (struct kind_name){"原始值", "raw value"};
}

static char *quote(char *buf, size_t n, const char *s)
{
    return yb_text_quote(buf, n, s, strlen(s), QUOTE_CUT);
}

/* Render a JSON number as decimal text: "%.15g" (exact for every decimal
 * of up to 15 significant digits), widened to 16 or 17 digits when that
 * does not read back as the same double. Returns false for non-finite
 * values and for renderings with an exponent (1e+20, 1e-05), which the
 * strict parsers would refuse anyway and which are better written as
 * strings. */
/* What "%.15g" prints for d when d is the double nearest to a decimal
 * c / 10^k with k <= 4 and |c| < 10^15 (every amount, price and quantity
 * a hospital system sends as a number): that decimal, trailing zeros
 * dropped. Such a decimal has at most 15 significant digits, so the
 * 15-digit rounding of d gives it back; it is at least 10^-4 unless 0, so
 * no exponent. false for any other d (and -0, which prints "-0"): printf
 * decides. No printf here: it cost some 1,600 instructions a number, 40 a
 * fee upload of 10 lines. */
static bool render_short(double d, char *buf, size_t n)
{
    static const double ten[] = {1, 10, 100, 1000, 10000};

    if (n < 32 || !(d > -1e15 && d < 1e15) || (d == 0 && signbit(d)))
        return false;
    for (int k = 0; k <= 4; k++) {
        double x = d * ten[k];
        if (!(x > -1e15 && x < 1e15))
            return false;
        /* the nearest integer (the test below is what counts) */
        long long c = (long long)(x < 0 ? x - 0.5 : x + 0.5);
        if ((double)c / ten[k] != d)
            continue;
        size_t len = strlen(yb_decimal_format(c, k, buf));
        while (k > 0 && buf[len - 1] == '0')
            buf[--len] = '\0';
        if (buf[len - 1] == '.')
            buf[len - 1] = '\0';
        return true;
    }
    return false;
}

static bool render_number(const cJSON *v, char *buf, size_t n)
{
    double d = v->valuedouble;
    int prec;

    if (render_short(d, buf, n))
        return true;
    if (!isfinite(d)) {
        (void)snprintf(buf, n, "%s", "non-finite number");
        return false;
    }
    for (prec = 15; prec <= 17; prec++) {
        (void)snprintf(buf, n, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    return strpbrk(buf, "eE") == NULL;
}

/* The value as a message shows it: a string quoted, a number rendered,
 * true/false/null as such, nothing for arrays and objects. */
static char *show(const cJSON *v, char *buf, size_t n)
{
    buf[0] = '\0';
    if (cJSON_IsString(v))
        return quote(buf, n, v->valuestring);
    if (cJSON_IsNumber(v))
        (void)render_number(v, buf, n);
    else if (cJSON_IsBool(v))
        (void)snprintf(buf, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNull(v))
        (void)snprintf(buf, n, "%s", "null");
    return buf;
}

static int wrong_type(const cJSON *v, const char *field, struct kind_name want,
                      struct yb_err *e)
{
    char shown[SHOW_MAX];
    struct kind_name got = type_name(v);

    show(v, shown, sizeof shown);
    return yb_err_set(e, YB_EINVAL, field,
                      "应为%s，实际为%s%s%s (must be %s, got %s)", want.zh,
                      got.zh, shown[0] ? " " : "", shown, want.en, got.en);
}

/* Look up key in obj (obj itself when key is NULL) and build the field
 * path. *v is NULL when the value is absent or JSON null: an error if
 * required, else YB_OK. */
static int fetch(const cJSON *obj, const char *key, const char *path,
                 bool required, const cJSON **v, char *field, struct yb_err *e)
{
    const cJSON *found = obj;

    *v = NULL;
    yb_json_path_key(field, FIELD_MAX, path, key);
    /* a member of something that is not an object: the container is of
     * the wrong type ({"data": [1]} read as input.data.psn_no) */
    if (key != NULL && obj != NULL && !cJSON_IsObject(obj)) {
        char where[FIELD_MAX];
        yb_json_path_key(where, sizeof where, path, NULL);
        return wrong_type(obj, where, K_OBJECT, e);
    }
    if (key != NULL)
        found = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (found != NULL && cJSON_IsNull(found))
        found = NULL;
    *v = found;
    if (found == NULL && required)
        return yb_err_set(e, YB_EINVAL, field, "必填 (required)");
    return YB_OK;
}

/* Text of a string, or of a number rendered, for the strict parsers. */
static int scalar_text(const cJSON *v, const char *field, char *buf,
                       const char **text, struct yb_err *e)
{
    if (cJSON_IsString(v)) {
        *text = v->valuestring;
        return YB_OK;
    }
    if (!cJSON_IsNumber(v))
        return wrong_type(v, field, K_SCALAR, e);
    if (!render_number(v, buf, NUM_MAX))
        return yb_err_set(e, YB_EINVAL, field,
                          "数字 %s 不是普通的十进制写法，请写成字符串 (not a "
                          "plain decimal number; write it as a string)",
                          buf);
    *text = buf;
    return YB_OK;
}

/* true when s is one or more ASCII digits and nothing else. */
static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

int yb_json_parse(const char *text, size_t len, cJSON **out, struct yb_err *e)
{
    const char *end = NULL;
    cJSON *root;
    int rc;

    *out = NULL;
    /* the strict checks first: cJSON would let NUL, bad UTF-8, raw control
     * characters and loose numbers through */
    if ((rc = yb__json_scan(text, len, e)) != YB_OK)
        return rc;
    /* Never cJSON_GetErrorPtr: it is a global shared by all threads. */
    root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (root == NULL) /* the scan found none: only memory can fail here */
        return yb_err_set(e, YB_ENOMEM, "",
                          "内存不足，无法读取 JSON 文档 "
                          "(out of memory)");
    if ((rc = yb__json_check_dups(root, e)) != YB_OK) {
        cJSON_Delete(root);
        return rc;
    }
    *out = root;
    return YB_OK;
}

int yb_json_check_keys(const cJSON *obj, const char *path,
                       const char *const *allowed, struct yb_err *e)
{
    char field[FIELD_MAX];
    const cJSON *c, *d;
    size_t i;

    if (!cJSON_IsObject(obj)) {
        yb_json_path_key(field, sizeof field, path, NULL);
        return wrong_type(obj, field, K_OBJECT, e);
    }
    cJSON_ArrayForEach(c, obj)
    {
        const char *name = c->string ? c->string : "";

        for (i = 0; allowed != NULL && allowed[i] != NULL; i++)
            if (strcmp(allowed[i], name) == 0)
                break;
        yb_json_path_key(field, sizeof field, path, name);
        if (allowed == NULL || allowed[i] == NULL)
            return yb_err_set(e, YB_EINVAL, field, "未知的键名 (unknown key)");
        /* Every key so far is a distinct allowed one, so this scan is
         * bounded by the length of the allowed list. */
        for (d = obj->child; d != c; d = d->next)
            if (d->string != NULL && strcmp(d->string, name) == 0)
                return yb_err_set(e, YB_EINVAL, field,
                                  "键名重复出现，同一对象中每个键只能出现一次 "
                                  "(duplicate key)");
    }
    return YB_OK;
}

int yb_json_object(const cJSON *obj, const char *key, const char *path,
                   bool required, const cJSON **out, struct yb_err *e)
{
    char field[FIELD_MAX];
    const cJSON *v;
    int rc = fetch(obj, key, path, required, &v, field, e);

    if (rc != YB_OK || v == NULL)
        return rc;
    if (!cJSON_IsObject(v))
        return wrong_type(v, field, K_OBJECT, e);
    *out = v;
    return YB_OK;
}

int yb_json_array(const cJSON *obj, const char *key, const char *path,
                  bool required, const cJSON **out, struct yb_err *e)
{
    char field[FIELD_MAX];
    const cJSON *v;
    int rc = fetch(obj, key, path, required, &v, field, e);

    if (rc != YB_OK || v == NULL)
        return rc;
    if (!cJSON_IsArray(v))
        return wrong_type(v, field, K_ARRAY, e);
    *out = v;
    return YB_OK;
}

int yb_json_string(const cJSON *obj, const char *key, const char *path,
                   bool required, size_t maxlen, bool accept_number,
                   struct yb_arena *arena, const char **out, struct yb_err *e)
{
    char field[FIELD_MAX], num[NUM_MAX], shown[SHOW_MAX];
    const cJSON *v;
    const char *s = NULL;
    char *copy;
    int rc = fetch(obj, key, path, required, &v, field, e);

    if (rc != YB_OK || v == NULL)
        return rc;
    if (cJSON_IsString(v)) {
        s = v->valuestring;
    } else if (accept_number && cJSON_IsNumber(v)) {
        if (!render_number(v, num, sizeof num) ||
            !all_digits(num[0] == '-' ? num + 1 : num))
            return yb_err_set(
                e, YB_EINVAL, field,
                "应为字符串或整数，实际为 %s (must be a string or "
                "an integer)",
                num);
        s = num;
    } else {
        return wrong_type(v, field, K_STRING, e);
    }
    if (maxlen > 0 && strlen(s) > maxlen)
        return yb_err_set(e, YB_EINVAL, field,
                          "值 %s 超过 %zu 字节 (longer than %zu bytes)",
                          quote(shown, sizeof shown, s), maxlen, maxlen);
    copy = yb_arena_strdup(arena, s);
    if (copy == NULL)
        return yb_err_set(e, YB_ENOMEM, field, "内存不足 (out of memory)");
    *out = copy;
    return YB_OK;
}

/* The text of a scalar member for the strict parsers: *s NULL (and YB_OK)
 * when an optional member is absent. field and num are the caller's. */
static int fetch_text(const cJSON *obj, const char *key, const char *path,
                      bool required, char *field, char *num, const cJSON **v,
                      const char **s, struct yb_err *e)
{
    int rc = fetch(obj, key, path, required, v, field, e);

    *s = NULL;
    if (rc != YB_OK || *v == NULL)
        return rc;
    return scalar_text(*v, field, num, s, e);
}

int yb_json_money(const cJSON *obj, const char *key, const char *path,
                  bool required, bool allow_negative, yb_fen *out,
                  struct yb_err *e)
{
    char field[FIELD_MAX], num[NUM_MAX], shown[SHOW_MAX];
    const cJSON *v;
    const char *s = NULL;
    yb_fen val;
    int rc = fetch_text(obj, key, path, required, field, num, &v, &s, e);

    if (rc != YB_OK || s == NULL)
        return rc;
    rc = yb_money_parse(s, &val, field, e);
    if (rc != YB_OK)
        return rc;
    if (!allow_negative && val < 0)
        return yb_err_set(e, YB_EINVAL, field, "值 %s 不能为负数 (negative)",
                          show(v, shown, sizeof shown));
    *out = val;
    return YB_OK;
}

int yb_json_rate(const cJSON *obj, const char *key, const char *path,
                 bool required, bool allow_negative, yb_rate *out,
                 struct yb_err *e)
{
    char field[FIELD_MAX], num[NUM_MAX];
    const cJSON *v;
    const char *s = NULL;
    yb_rate val;
    int rc = fetch_text(obj, key, path, required, field, num, &v, &s, e);

    if (rc != YB_OK || s == NULL)
        return rc;
    rc = yb_rate_parse(s, &val, allow_negative, false, field, e);
    if (rc != YB_OK)
        return rc;
    *out = val;
    return YB_OK;
}

int yb_json_decimal(const cJSON *obj, const char *key, const char *path,
                    bool required, int scale, int64_t *out, struct yb_err *e)
{
    char field[FIELD_MAX], num[NUM_MAX];
    const cJSON *v;
    const char *s = NULL;
    int64_t val;
    int rc = fetch_text(obj, key, path, required, field, num, &v, &s, e);

    if (rc != YB_OK || s == NULL)
        return rc;
    rc = yb_decimal_parse(s, scale, false, &val, field, e);
    if (rc != YB_OK)
        return rc;
    *out = val;
    return YB_OK;
}

/* Parse an optionally negative run of digits into *out; false when s is
 * anything else or does not fit in int64_t. */
static bool parse_int64(const char *s, int64_t *out)
{
    bool neg = s[0] == '-';
    int64_t v = 0;

    if (neg)
        s++;
    if (!all_digits(s))
        return false;
    for (; *s != '\0'; s++) {
        int d = *s - '0';

        /* Accumulate negatively so INT64_MIN is reachable. */
        if (v < (INT64_MIN + d) / 10)
            return false;
        v = v * 10 - d;
    }
    if (!neg && v == INT64_MIN)
        return false;
    *out = neg ? v : -v;
    return true;
}

int yb_json_int(const cJSON *obj, const char *key, const char *path,
                bool required, int64_t min, int64_t max, int64_t *out,
                struct yb_err *e)
{
    char field[FIELD_MAX], num[NUM_MAX], shown[SHOW_MAX];
    const cJSON *v;
    const char *s = NULL;
    int64_t val;
    int rc = fetch_text(obj, key, path, required, field, num, &v, &s, e);

    if (rc != YB_OK || s == NULL)
        return rc;
    show(v, shown, sizeof shown);
    /* A string must be plain digits; a number may be negative. */
    if ((cJSON_IsString(v) && !all_digits(s)) || !parse_int64(s, &val))
        return yb_err_set(e, YB_EINVAL, field,
                          "值 %s 不是整数 (not an integer)", shown);
    if (val < min)
        return yb_err_set(e, YB_EINVAL, field,
                          "值 %s 小于最小值 %lld (below the minimum)", shown,
                          (long long)min);
    if (val > max)
        return yb_err_set(e, YB_EINVAL, field,
                          "值 %s 大于最大值 %lld (above the maximum)", shown,
                          (long long)max);
    *out = val;
    return YB_OK;
}

int yb_json_bool(const cJSON *obj, const char *key, const char *path,
                 bool required, bool *out, struct yb_err *e)
{
    char field[FIELD_MAX];
    const cJSON *v;
    int rc = fetch(obj, key, path, required, &v, field, e);

    if (rc != YB_OK || v == NULL)
        return rc;
    if (!cJSON_IsBool(v))
        return wrong_type(v, field, K_BOOL, e);
    *out = cJSON_IsTrue(v);
    return YB_OK;
}

int yb_json_date(const cJSON *obj, const char *key, const char *path,
                 bool required, bool allow_time, yb_date *out, struct yb_err *e)
{
    char field[FIELD_MAX];
    const cJSON *v;
    yb_date val;
    int rc = fetch(obj, key, path, required, &v, field, e);

    if (rc != YB_OK || v == NULL)
        return rc;
    if (!cJSON_IsString(v))
        return wrong_type(v, field, K_DATE, e);
    if (allow_time)
        rc = yb_datetime_parse(v->valuestring, true, &val, NULL, field, e);
    else
        rc = yb_date_parse(v->valuestring, &val, field, e);
    if (rc != YB_OK)
        return rc;
    *out = val;
    return YB_OK;
}

/* Index of the code value v in table kind: a string as it is, a number as
 * its decimal digits (so number 1 is code "1", never "01"). */
static int code_of(const cJSON *v, const char *field, enum yb_dict_kind kind,
                   int *out, struct yb_err *e)
{
    char num[NUM_MAX], shown[SHOW_MAX];
    const char *s = NULL;
    int idx;

    if (cJSON_IsString(v))
        s = v->valuestring;
    else if (cJSON_IsNumber(v))
        s = render_number(v, num, sizeof num) ? num : "";
    else
        return wrong_type(v, field, K_CODE, e);
    idx = cJSON_IsNumber(v) && !all_digits(s) ? -1 : yb_dict_index(kind, s);
    if (idx < 0 && yb_dict_replaced(kind, s))
        return yb_dict_unknown(kind, s, field, e);
    if (idx < 0)
        return yb_err_set(e, YB_EINVAL, field,
                          "值 %s 不是代码表 %s 中的代码 (unknown %s code)",
                          cJSON_IsNumber(v) && !all_digits(s)
                              ? show(v, shown, sizeof shown)
                              : quote(shown, sizeof shown, s),
                          yb_dict_name(kind), yb_dict_name(kind));
    *out = idx;
    return YB_OK;
}

int yb_json_code(const cJSON *obj, const char *key, const char *path,
                 bool required, enum yb_dict_kind kind, int *out,
                 struct yb_err *e)
{
    char field[FIELD_MAX];
    const cJSON *v;
    int idx;
    int rc = fetch(obj, key, path, required, &v, field, e);

    if (rc != YB_OK || v == NULL)
        return rc;
    rc = code_of(v, field, kind, &idx, e);
    if (rc == YB_OK)
        *out = idx;
    return rc;
}

int yb_json_code_set(const cJSON *obj, const char *key, const char *path,
                     bool required, enum yb_dict_kind kind, uint64_t *out,
                     struct yb_err *e)
{
    char field[FIELD_MAX], item[FIELD_MAX], shown[SHOW_MAX];
    const cJSON *v, *c;
    uint64_t set = 0;
    int i = 0, idx;
    int rc = fetch(obj, key, path, required, &v, field, e);

    if (rc != YB_OK || v == NULL)
        return rc;
    if (!cJSON_IsArray(v))
        return wrong_type(v, field, K_CODES, e);
    cJSON_ArrayForEach(c, v)
    {
        yb_json_path_index(item, sizeof item, field, i++);
        rc = code_of(c, item, kind, &idx, e);
        if (rc != YB_OK)
            return rc;
        if (idx >= 64)
            return yb_err_set(e, YB_EINVAL, item,
                              "代码表 %s 的代码 %s 不能用于集合 (%s code "
                              "cannot be used in a set)",
                              yb_dict_name(kind), show(c, shown, sizeof shown),
                              yb_dict_name(kind));
        if (set & (UINT64_C(1) << idx))
            return yb_err_set(e, YB_EINVAL, item,
                              "代码表 %s 的代码 %s 重复 (duplicate %s code)",
                              yb_dict_name(kind), show(c, shown, sizeof shown),
                              yb_dict_name(kind));
        set |= UINT64_C(1) << idx;
    }
    *out = set;
    return YB_OK;
}

/* Add a number already rendered as text; NULL (nothing added) on failure. */
static cJSON *add_raw(cJSON *obj, const char *key, const char *text)
{
    cJSON *item = cJSON_CreateRaw(text);

    if (item == NULL)
        return NULL;
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

cJSON *yb_json_add_int(cJSON *obj, const char *key, int64_t v)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    *--p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    return add_raw(obj, key, p);
}

cJSON *yb_json_add_money(cJSON *obj, const char *key, yb_fen v)
{
    char buf[32];

    return add_raw(obj, key, yb_money_format(v, buf));
}

/* ---- printing ----------------------------------------------------------- */

/* The text being printed: a thread's buffer, moved to the heap when it is
 * outgrown. */
struct pr {
    char *p;
    size_t n, cap;
    bool heap, oom;
};

/* Room for n more bytes and a spare, or oom. */
static void pr_grow(struct pr *o, size_t n)
{
    size_t cap = o->cap * 2;
    if (o->oom)
        return;
    while (n >= cap - o->n)
        cap *= 2;
    char *q = o->heap ? realloc(o->p, cap) : malloc(cap);
    if (!q) {
        o->oom = true;
        return;
    }
    if (!o->heap)
        memcpy(q, o->p, o->n);
    o->p = q;
    o->cap = cap;
    o->heap = true;
}

/* n bytes of s at the end (inlined: most pieces are a byte or a key) */
static inline void pr_put(struct pr *o, const char *s, size_t n)
{
    if (n >= o->cap - o->n)
        pr_grow(o, n);
    if (o->oom)
        return;
    memcpy(o->p + o->n, s, n);
    o->n += n;
}

/* A JSON string as cJSON writes it: '"' and '\\' escaped, the control
 * characters below 32 as \b \f \n \r \t or \u00xx, every other byte as
 * it is. Copied in runs between the characters escaped. */
static void pr_string(struct pr *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *run = p;

    pr_put(o, "\"", 1);
    for (;; p++) {
        while (*p >= 32 && *p != '"' && *p != '\\')
            p++;
        if (!*p)
            break;
        unsigned char c = *p;
        char esc[7] = {'\\', 0, '0', '0', 0, 0, 0};
        size_t k = 2;
        pr_put(o, (const char *)run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        }
        pr_put(o, esc, k);
    }
    pr_put(o, (const char *)run, (size_t)(p - run));
    pr_put(o, "\"", 1);
}

/* A number as cJSON writes it: null when not finite, else %1.15g unless
 * that does not read back (then %1.17g). Answers
 * carry their numbers as raw text (yb_json_add_int, yb_json_add_money):
 * this is for the rest. */
static void pr_number(struct pr *o, const cJSON *v)
{
    char buf[32];
    double d = v->valuedouble, back = 0;
    int n;

    if (isnan(d) || isinf(d))
        n = snprintf(buf, sizeof buf, "null");
    else {
        n = snprintf(buf, sizeof buf, "%1.15g", d);
        back = strtod(buf, NULL);
        double ab = back < 0 ? -back : back, ad = d < 0 ? -d : d;
        double diff = back - d < 0 ? d - back : back - d;
        if (!(diff <= (ab > ad ? ab : ad) * DBL_EPSILON))
            n = snprintf(buf, sizeof buf, "%1.17g", d);
    }
    pr_put(o, buf, n > 0 ? (size_t)n : 0);
}

static bool pr_value(struct pr *o, const cJSON *v)
{
    const cJSON *c;

    switch (v->type & 0xFF) {
    case cJSON_NULL:
        pr_put(o, "null", 4);
        return true;
    case cJSON_False:
        pr_put(o, "false", 5);
        return true;
    case cJSON_True:
        pr_put(o, "true", 4);
        return true;
    case cJSON_Number:
        pr_number(o, v);
        return true;
    case cJSON_Raw:
        if (!v->valuestring)
            return false;
        pr_put(o, v->valuestring, strlen(v->valuestring));
        return true;
    case cJSON_String:
        pr_string(o, v->valuestring);
        return true;
    case cJSON_Array:
    case cJSON_Object: {
        bool obj = (v->type & 0xFF) == cJSON_Object;
        pr_put(o, obj ? "{" : "[", 1);
        for (c = v->child; c; c = c->next) {
            if (obj) {
                pr_string(o, c->string);
                pr_put(o, ":", 1);
            }
            if (!pr_value(o, c))
                return false;
            if (c->next)
                pr_put(o, ",", 1);
        }
        pr_put(o, obj ? "}" : "]", 1);
        return true;
    }
    default:
        return false;
    }
}

char *yb_json_print(const cJSON *v)
{
    static _Thread_local char buf[1 << 14];
    struct pr o = {.p = buf, .cap = sizeof buf};
    char *text = NULL;

    if (v && pr_value(&o, v) && !o.oom) {
        text = o.heap ? realloc(o.p, o.n + 1) : malloc(o.n + 1);
        if (text) {
            if (!o.heap)
                memcpy(text, o.p, o.n);
            text[o.n] = '\0';
            o.heap = false; /* text owns it now */
        }
    }
    if (o.heap)
        free(o.p);
    return text;
}
