/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The strict checks of a JSON document from outside (json_int.h). cJSON
 * parses leniently: it copies any bytes into strings, turns \u0000 into
 * an end of string (so "ab\u0000cd" reads as "ab"), accepts raw control
 * characters, numbers such as 01 and 1., and keeps every duplicate key
 * (cJSON_GetObjectItem then finds the first, another reader the last).
 * So the text is first scanned here, by a recursive-descent reader of
 * RFC 8259 that builds nothing and keeps, for each container it is in,
 * the key or index being read: a fault names its field path
 * ("input.data.psn_name") as the getters of json.c do. After cJSON has
 * built the tree, yb__json_check_dups walks it for keys that appear twice
 * (compared as decoded, so "infno" and "inf\u006eo" are the same key).
 */
#include "json_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yibao/text.h"

#define FIELD_MAX sizeof(((struct yb_err *)0)->field)
/* Bytes of the text shown where a syntax error is found. */
#define NEAR_MAX 8

/* A container being read: its parent, and the member being read in it. */
struct frame {
    const struct frame *up;
    bool object;
    long index;      /* array: the element being read */
    const char *key; /* object: the member's key as written, no quotes */
    size_t keylen;
};

struct scan {
    const unsigned char *s;
    size_t n, i;
    int depth;
    struct yb_err *e;
};

/* ---- field paths -------------------------------------------------------- */

/* Append s[0..len) to buf (cap bytes, *k used), cut at a character. */
static void put_n(char *buf, size_t cap, size_t *k, const char *s, size_t len)
{
    if (*k + 1 >= cap)
        return;
    if (len > cap - 1 - *k)
        len = yb_utf8_cut(s, len, cap - 1 - *k);
    memcpy(buf + *k, s, len);
    *k += len;
    buf[*k] = '\0';
}

/* Append a key: as it is when it is plain printable text, else escaped
 * (a key may hold anything a JSON string can). */
static void put_key(char *buf, size_t cap, size_t *k, const char *key,
                    size_t len)
{
    char q[FIELD_MAX + 8];
    bool plain = yb_utf8_check(key, len, NULL) == YB_UTF8_OK;

    for (size_t i = 0; plain && i < len; i++)
        if ((unsigned char)key[i] < 0x20 || key[i] == 0x7F)
            plain = false;
    if (*k > 0)
        put_n(buf, cap, k, ".", 1);
    if (plain) {
        put_n(buf, cap, k, key, len);
        return;
    }
    yb_text_quote(q, sizeof q, key, len, FIELD_MAX);
    put_n(buf, cap, k, q + 1, strlen(q) - 2); /* without its quotes */
}

static void put_index(char *buf, size_t cap, size_t *k, long i)
{
    char t[24];
    int len = snprintf(t, sizeof t, "[%ld]", i);
    put_n(buf, cap, k, t, (size_t)len);
}

/* The path of the value being read in f ("" outside any container). */
static char *path_of(const struct frame *f, char *buf)
{
    /* zeroed for cppcheck, which cannot see that only set entries are
     * read; a refusal's cost only */
    const struct frame *chain[YB__JSON_DEPTH_MAX + 1] = {NULL};
    size_t depth = 0, k = 0;

    buf[0] = '\0';
    for (; f != NULL && depth < sizeof chain / sizeof *chain; f = f->up)
        chain[depth++] = f;
    while (depth-- > 0) {
        f = chain[depth];
        if (f->object && f->key != NULL)
            put_key(buf, FIELD_MAX, &k, f->key, f->keylen);
        else if (!f->object)
            put_index(buf, FIELD_MAX, &k, f->index);
    }
    return buf;
}

/* ---- errors ------------------------------------------------------------- */

/* Line and column (1-based; the column counts characters) of byte pos. */
static void line_col(const struct scan *sc, size_t pos, size_t *line,
                     size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos; i++) {
        if (sc->s[i] == '\n') {
            ++*line;
            *col = 1;
        } else if ((sc->s[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* YB_EPARSE at byte pos. A syntax error is the whole document's: its
 * field is empty (a caller names the file), its line and column say
 * where. f, the reader's place, is for a future message. */
static int syntax(const struct scan *sc, const struct frame *f, size_t pos,
                  const char *zh, const char *en)
{
    char near[48];
    size_t line, col;

    (void)f;
    line_col(sc, pos, &line, &col);
    if (pos >= sc->n)
        return yb_err_set(sc->e, YB_EPARSE, "",
                          "不是合法的 JSON，第 %zu 行第 %zu 列文本结束处：%s "
                          "(not valid JSON at line %zu column %zu, at the "
                          "end: %s)",
                          line, col, zh, line, col, en);
    yb_text_quote(near, sizeof near, (const char *)sc->s + pos, sc->n - pos,
                  NEAR_MAX);
    return yb_err_set(
        sc->e, YB_EPARSE, "",
        "不是合法的 JSON，第 %zu 行第 %zu 列 %s 处：%s (not valid "
        "JSON at line %zu column %zu: %s)",
        line, col, near, zh, line, col, en);
}

/* YB_EINVAL for a bad string: a value names its own path; a key the
 * object's path and the key, escaped. */
static int bad_string(const struct scan *sc, const struct frame *f, bool is_key,
                      size_t from, size_t to, const char *what)
{
    char field[FIELD_MAX];

    if (!is_key)
        return yb_err_set(sc->e, YB_EINVAL, path_of(f, field), "%s", what);
    size_t k = strlen(path_of(f->up, field));
    put_key(field, sizeof field, &k, (const char *)sc->s + from, to - from);
    return yb_err_set(sc->e, YB_EINVAL, field, "键名%s", what);
}

/* ---- the reader --------------------------------------------------------- */

static void skip_ws(struct scan *sc)
{
    while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
                             sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
        sc->i++;
}

static int hex_digit(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

/* The code unit of the four hex digits at s[i..i+4), or -1. */
static long hex4(const struct scan *sc, size_t i)
{
    long v = 0;

    if (i + 4 > sc->n)
        return -1;
    for (size_t k = 0; k < 4; k++) {
        int d = hex_digit(sc->s[i + k]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A \u escape at s[i] ('\\' at i, 'u' at i+1) of the string whose text
 * is s[from..to): *len its length (6, or 12 for a surrogate pair). */
static int unicode_escape(const struct scan *sc, const struct frame *f,
                          bool is_key, size_t from, size_t to, size_t i,
                          size_t *len)
{
    char what[160];
    long cp = hex4(sc, i + 2);

    if (cp < 0)
        return syntax(sc, f, i, "\\u 后应为 4 位十六进制数",
                      "expected 4 hex digits after \\u");
    if (cp == 0) {
        snprintf(what, sizeof what,
                 "第 %zu 字节起的转义 \\u0000 为空字符，不允许 (escaped NUL "
                 "at byte %zu)",
                 i - from + 1, i - from + 1);
        return bad_string(sc, f, is_key, from, to, what);
    }
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 12 <= sc->n &&
        sc->s[i + 6] == '\\' && sc->s[i + 7] == 'u') {
        long lo = hex4(sc, i + 8);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            *len = 12;
            return YB_OK;
        }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        snprintf(what, sizeof what,
                 "第 %zu 字节起的转义 \\u%04lx 是单独的代理码点，不是字符 "
                 "(lone surrogate escape at byte %zu)",
                 i - from + 1, cp, i - from + 1);
        return bad_string(sc, f, is_key, from, to, what);
    }
    *len = 6;
    return YB_OK;
}

/* The end (the closing quote) of the string whose text starts at from,
 * or 0 when there is none. */
static size_t string_end(const struct scan *sc, size_t from)
{
    for (size_t i = from; i < sc->n; i++) {
        if (sc->s[i] == '"')
            return i;
        if (sc->s[i] == '\\')
            i++;
    }
    return 0;
}

/* A byte a string may hold as it is: printable ASCII (and DEL) but the
 * quote and the backslash. */
static inline bool plain(unsigned c)
{
    return c - 0x20u < 0x60u && c != '"' && c != '\\';
}

/* The fault of the string whose text starts at b: its key path needs
 * the whole key, found here (an unterminated one runs to the end). */
static int string_fault(const struct scan *sc, const struct frame *f,
                        bool is_key, size_t b, const char *what)
{
    size_t end = string_end(sc, b);
    return bad_string(sc, f, is_key, b, end ? end : sc->n, what);
}

/* A string at s[i] == '"'; on success from and to delimit its text. One
 * pass: printable ASCII is skipped at once, escapes, control characters
 * and UTF-8 are checked as they come, so the first fault is the one
 * named. */
static int scan_string(struct scan *sc, const struct frame *f, bool is_key,
                       size_t *from, size_t *to)
{
    char what[160];
    const unsigned char *s = sc->s;
    size_t b = sc->i + 1, i = b, n = sc->n;
    enum yb_utf8_fault fault;

    for (;;) {
        while (i < n && plain(s[i])) /* most of every string */
            i++;
        if (i >= n)
            return syntax(sc, f, sc->i, "字符串缺少结束的双引号",
                          "unterminated string");
        unsigned c = s[i];
        if (c == '"')
            break;
        if (c == '\\') {
            unsigned d = i + 1 < sc->n ? sc->s[i + 1] : 0;
            size_t len = 2;
            if (d == 'u') {
                size_t end = string_end(sc, b);
                int rc = unicode_escape(sc, f, is_key, b, end ? end : sc->n, i,
                                        &len);
                if (rc != YB_OK)
                    return rc;
            } else if (d == 0 || strchr("\"\\/bfnrt", (int)d) == NULL) {
                return i + 1 >= sc->n
                           ? syntax(sc, f, sc->i, "字符串缺少结束的双引号",
                                    "unterminated string")
                           : syntax(sc, f, i, "转义序列不合法",
                                    "invalid escape sequence");
            }
            i += len;
            continue;
        }
        if (c < 0x20) {
            if (c == 0)
                yb_utf8_describe(what, sizeof what, YB_UTF8_NUL, i - b);
            else
                snprintf(what, sizeof what,
                         "第 %zu 字节为未转义的控制字符 U+%04X，应写作转义序列 "
                         "(unescaped control character at byte %zu)",
                         i - b + 1, c, i - b + 1);
            return string_fault(sc, f, is_key, b, what);
        }
        size_t len = yb_utf8_next((const char *)sc->s + i, sc->n - i, &fault);
        if (len == 0) {
            yb_utf8_describe(what, sizeof what, fault, i - b);
            return string_fault(sc, f, is_key, b, what);
        }
        i += len;
    }
    *from = b;
    *to = i;
    sc->i = i + 1;
    return YB_OK;
}

static bool is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

/* The byte at i, or 0 past the end. */
static unsigned at(const struct scan *sc, size_t i)
{
    return i < sc->n ? sc->s[i] : 0;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int scan_number(struct scan *sc, const struct frame *f)
{
    size_t i = sc->i, start = sc->i;
    bool ok = true;

    if (at(sc, i) == '-')
        i++;
    if (at(sc, i) == '0')
        i++;
    else if (is_digit(at(sc, i)))
        while (is_digit(at(sc, i)))
            i++;
    else
        ok = false;
    if (ok && at(sc, i) == '.') {
        ok = is_digit(at(sc, ++i));
        while (is_digit(at(sc, i)))
            i++;
    }
    if (ok && (at(sc, i) == 'e' || at(sc, i) == 'E')) {
        i++;
        if (at(sc, i) == '+' || at(sc, i) == '-')
            i++;
        ok = is_digit(at(sc, i));
        while (is_digit(at(sc, i)))
            i++;
    }
    /* what follows a number is a separator, never more of a number */
    unsigned c = at(sc, i);
    if (ok && (is_digit(c) || c == '.' || c == '+' || c == '-' ||
               (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        ok = false;
    if (!ok)
        return syntax(sc, f, start, "数字格式不合法（如 01、1.、.5、+1）",
                      "malformed number");
    sc->i = i;
    return YB_OK;
}

static int scan_literal(struct scan *sc, const struct frame *f)
{
    static const char *const words[] = {"true", "false", "null"};

    for (size_t w = 0; w < 3; w++) {
        size_t len = strlen(words[w]);
        unsigned c = at(sc, sc->i + len);
        if (sc->n - sc->i >= len && memcmp(sc->s + sc->i, words[w], len) == 0 &&
            !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              is_digit(c))) {
            sc->i += len;
            return YB_OK;
        }
    }
    return syntax(sc, f, sc->i,
                  "应为值（对象、数组、字符串、数字、true、false 或 null）",
                  "expected a value");
}

static int scan_value(struct scan *sc, const struct frame *f);

/* Skip whitespace, then c if it comes next. */
static bool take(struct scan *sc, unsigned c)
{
    skip_ws(sc);
    if (at(sc, sc->i) != c)
        return false;
    sc->i++;
    return true;
}

/* After a member or an element: a comma (*more) or the closing bracket. */
static int next_member(struct scan *sc, const struct frame *f, unsigned close,
                       bool *more)
{
    if (take(sc, ',')) {
        *more = true;
        return YB_OK;
    }
    if (take(sc, close)) {
        *more = false;
        return YB_OK;
    }
    return close == '}'
               ? syntax(sc, f, sc->i, "应为逗号 , 或 }", "expected ',' or '}'")
               : syntax(sc, f, sc->i, "应为逗号 , 或 ]", "expected ',' or ']'");
}

static int scan_object(struct scan *sc, const struct frame *up)
{
    struct frame f = {.up = up, .object = true};
    size_t from, to;
    int rc;

    sc->i++; /* '{' */
    if (take(sc, '}'))
        return YB_OK;
    for (bool more = true; more;) {
        skip_ws(sc);
        if (at(sc, sc->i) != '"')
            return syntax(sc, up, sc->i, "应为用双引号括起的键名",
                          "expected a key in double quotes");
        if ((rc = scan_string(sc, &f, true, &from, &to)) != YB_OK)
            return rc;
        f.key = (const char *)sc->s + from;
        f.keylen = to - from;
        if (!take(sc, ':'))
            return syntax(sc, &f, sc->i,
                          "键名后应为冒号 :", "expected ':' after the key");
        if ((rc = scan_value(sc, &f)) != YB_OK ||
            (rc = next_member(sc, &f, '}', &more)) != YB_OK)
            return rc;
    }
    return YB_OK;
}

static int scan_array(struct scan *sc, const struct frame *up)
{
    struct frame f = {.up = up, .object = false};
    int rc;

    sc->i++; /* '[' */
    if (take(sc, ']'))
        return YB_OK;
    for (bool more = true; more; f.index++)
        if ((rc = scan_value(sc, &f)) != YB_OK ||
            (rc = next_member(sc, &f, ']', &more)) != YB_OK)
            return rc;
    return YB_OK;
}

static int scan_value(struct scan *sc, const struct frame *f)
{
    size_t from, to;
    int rc;

    skip_ws(sc);
    if (sc->i >= sc->n)
        return syntax(sc, f, sc->i, "缺少值", "a value is missing");
    switch (sc->s[sc->i]) {
    case '{':
    case '[':
        if (sc->depth >= YB__JSON_DEPTH_MAX)
            return syntax(sc, f, sc->i, "嵌套超过 512 层",
                          "nested deeper than 512 levels");
        sc->depth++;
        rc = sc->s[sc->i] == '{' ? scan_object(sc, f) : scan_array(sc, f);
        sc->depth--;
        return rc;
    case '"':
        return scan_string(sc, f, false, &from, &to);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        return scan_number(sc, f);
    default:
        return scan_literal(sc, f);
    }
}

int yb__json_scan(const char *text, size_t len, struct yb_err *e)
{
    struct scan sc = {.s = (const unsigned char *)text, .n = len, .e = e};
    int rc;

    skip_ws(&sc);
    if (text == NULL || sc.i >= len)
        return yb_err_set(
            e, YB_EPARSE, "",
            "空文档：没有 JSON 内容 (empty document at line 1 column 1)");
    if ((rc = scan_value(&sc, NULL)) != YB_OK)
        return rc;
    skip_ws(&sc);
    if (sc.i < len)
        return syntax(&sc, NULL, sc.i, "JSON 值之后还有多余内容",
                      "text after the JSON value");
    return YB_OK;
}

/* ---- duplicate keys -----------------------------------------------------
 * An open-addressing set of an object's keys (linear probing, at most half
 * full): a small object's on the stack, a large one's on the heap. The
 * path is built only for the refusal, from a chain like the scan's. */

/* Slots on the stack: objects of up to half as many members need no
 * allocation (an envelope has 18). */
#define KEYS_ON_STACK 128

static uint64_t key_hash(const char *k)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)k; *c; c++)
        h = (h ^ *c) * 1099511628211u;
    return h;
}

/* A key of obj (n members) that appears twice, or NULL; *oom when the set
 * cannot be had. */
static const char *twice(const cJSON *obj, size_t n, bool *oom)
{
    const char *small[KEYS_ON_STACK], **slot = small;
    size_t cap = KEYS_ON_STACK;
    const char *dup = NULL;

    while (cap < 2 * n)
        cap *= 2;
    if (cap > KEYS_ON_STACK && (slot = calloc(cap, sizeof *slot)) == NULL) {
        *oom = true;
        return NULL;
    }
    if (slot == small)
        memset(small, 0, sizeof small);
    for (const cJSON *c = obj->child; c != NULL && dup == NULL; c = c->next) {
        const char *k = c->string ? c->string : "";
        size_t i = (size_t)key_hash(k) & (cap - 1);
        while (slot[i] != NULL && strcmp(slot[i], k) != 0)
            i = (i + 1) & (cap - 1);
        if (slot[i] != NULL)
            dup = k;
        else
            slot[i] = k;
    }
    if (slot != small)
        free(slot);
    return dup;
}

/* The path of a refusal: the containers' chain, then the key. */
static void dup_path(const struct frame *up, const char *key, char *buf)
{
    size_t k = strlen(path_of(up, buf));
    put_key(buf, FIELD_MAX, &k, key, strlen(key));
}

/* The tree walked keeps the scan's chain of frames (struct frame). */
static int dups(const cJSON *node, const struct frame *up, struct yb_err *e)
{
    struct frame f = {.up = up, .object = cJSON_IsObject(node)};
    const cJSON *c;
    size_t n = 0;
    bool oom = false;
    int rc;

    if (cJSON_IsArray(node)) {
        for (c = node->child, f.index = 0; c != NULL; c = c->next, f.index++)
            if (cJSON_IsArray(c) || cJSON_IsObject(c))
                if ((rc = dups(c, &f, e)) != YB_OK)
                    return rc;
        return YB_OK;
    }
    if (!cJSON_IsObject(node))
        return YB_OK;
    for (c = node->child; c != NULL; c = c->next)
        n++;
    const char *key = n > 1 ? twice(node, n, &oom) : NULL;
    if (oom)
        return yb_err_set(e, YB_ENOMEM, "", "内存不足 (out of memory)");
    if (key != NULL) {
        char path[FIELD_MAX];
        dup_path(up, key, path);
        /* the path ends with the key: the message does not repeat it */
        return yb_err_set(e, YB_EINVAL, path,
                          "键名重复出现，同一对象中每个键只能出现一次 "
                          "(duplicate key)");
    }
    for (c = node->child; c != NULL; c = c->next) {
        if (!cJSON_IsArray(c) && !cJSON_IsObject(c))
            continue;
        f.key = c->string ? c->string : "";
        f.keylen = strlen(f.key);
        if ((rc = dups(c, &f, e)) != YB_OK)
            return rc;
    }
    return YB_OK;
}

int yb__json_check_dups(const cJSON *root, struct yb_err *e)
{
    return dups(root, NULL, e);
}
