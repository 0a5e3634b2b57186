/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for json.c: parsing with line and column on errors and
 * nothing allowed after the value; key checking (unknown and duplicate
 * keys); every getter's value, default, required and wrong-type paths with
 * the exact field path; amounts, rates and decimals from strings and from
 * JSON numbers, including numbers whose decimal rendering the strict
 * parsers must refuse; codes and code sets; money rendering.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/arena.h"
#include "yibao/json.h"

/* Index of med_type "21" and "22" in the dict (src/base/dict.c order). */
#define MED_21 4
#define MED_22 5

static cJSON *doc(const char *text)
{
    cJSON *root = NULL;
    struct yb_err e;

    assert_int_equal(yb_json_parse(text, strlen(text), &root, &e), YB_OK);
    assert_non_null(root);
    return root;
}

static void assert_err(const struct yb_err *e, int code, const char *field,
                       const char *msg)
{
    assert_int_equal(e->code, code);
    assert_string_equal(e->field, field);
    assert_string_equal(e->msg, msg);
}

/* The message names the offending value (the wording is the strict
 * parser's own). */
static void assert_err_names(const struct yb_err *e, int code,
                             const char *field, const char *value)
{
    assert_int_equal(e->code, code);
    assert_string_equal(e->field, field);
    if (strstr(e->msg, value) == NULL)
        fail_msg("message \"%s\" does not name %s", e->msg, value);
}

/* ---- parse ---- */

static void test_parse_accepts_a_value_followed_by_whitespace(void **state)
{
    const char *text = "  {\"a\": [1, 2]}\n\t \r\n";
    cJSON *root = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_parse(text, strlen(text), &root, &e), YB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "a")), 2);
    cJSON_Delete(root);
}

static void test_parse_reads_only_len_bytes(void **state)
{
    cJSON *root = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_parse("[7]garbage", 3, &root, &e), YB_OK);
    assert_int_equal(cJSON_GetArrayItem(root, 0)->valueint, 7);
    cJSON_Delete(root);
}

static void
test_parse_rejects_text_after_the_value_with_its_position(void **state)
{
    const char *text = "{\"a\": 1}\n  x";
    cJSON *root = (cJSON *)1;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_parse(text, strlen(text), &root, &e), YB_EPARSE);
    assert_null(root);
    assert_err(
        &e, YB_EPARSE, "",
        "不是合法的 JSON，第 2 行第 3 列 \"x\" 处：JSON 值之后还有多余内容 "
        "(not valid JSON at line 2 column 3: text after the JSON "
        "value)");
}

static void test_parse_reports_line_and_column_of_a_syntax_error(void **state)
{
    const char *text = "{\n  \"a\": 1,\n  \"b\" 2\n}";
    cJSON *root = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_parse(text, strlen(text), &root, &e), YB_EPARSE);
    assert_null(root);
    assert_err(
        &e, YB_EPARSE, "",
        "不是合法的 JSON，第 3 行第 7 列 \"2\\u000a}\" 处：键名后应为冒号 : "
        "(not valid JSON at line 3 column 7: expected ':' after the "
        "key)");
}

static void test_parse_counts_columns_in_characters(void **state)
{
    const char *text = "{\"名称\": }";
    cJSON *root = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_parse(text, strlen(text), &root, &e), YB_EPARSE);
    assert_err(&e, YB_EPARSE, "",
               "不是合法的 JSON，第 1 行第 8 列 \"}\" 处：应为值（对象、数组、"
               "字符串、数字、true、false 或 null） (not valid JSON at line 1 "
               "column 8: expected a value)");
}

static void test_parse_rejects_empty_text(void **state)
{
    cJSON *root = (cJSON *)1;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_parse("", 0, &root, &e), YB_EPARSE);
    assert_null(root);
    assert_err(&e, YB_EPARSE, "",
               "空文档：没有 JSON 内容 (empty document at line 1 column 1)");
    assert_int_equal(yb_json_parse(NULL, 0, &root, &e), YB_EPARSE);
    assert_int_equal(yb_json_parse("   ", 3, &root, &e), YB_EPARSE);
    assert_null(root);
}

static void test_parse_rejects_a_nul_byte_inside_len(void **state)
{
    cJSON *root = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_parse("{}\0{}", 5, &root, &e), YB_EPARSE);
    assert_null(root);
    assert_err(&e, YB_EPARSE, "",
               "不是合法的 JSON，第 1 行第 3 列 \"\\u0000{}\" 处：JSON "
               "值之后还有多余内容 (not valid JSON at line 1 column 3: text "
               "after the JSON value)");
}

/* ---- paths and keys ---- */

static void test_path_helpers_join_keys_and_indices(void **state)
{
    char buf[64], tiny[8];

    (void)state;
    assert_string_equal(yb_json_path_key(buf, sizeof buf, "", "year"), "year");
    assert_string_equal(yb_json_path_key(buf, sizeof buf, NULL, "year"),
                        "year");
    assert_string_equal(
        yb_json_path_key(buf, sizeof buf, "benefits.layers[1]", "rates"),
        "benefits.layers[1].rates");
    assert_string_equal(yb_json_path_key(buf, sizeof buf, "a.b", NULL), "a.b");
    assert_string_equal(yb_json_path_index(buf, sizeof buf, "caps", 12),
                        "caps[12]");
    assert_string_equal(yb_json_path_key(tiny, sizeof tiny, "abcdef", "gh"),
                        "abcdef.");
}

static const char *const abc_keys[] = {"a", "b", "c", NULL};

static void test_check_keys_accepts_known_keys(void **state)
{
    cJSON *root = doc("{\"c\": 1, \"a\": 2}");
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_check_keys(root, "x", abc_keys, &e), YB_OK);
    cJSON_Delete(root);
}

static void test_check_keys_names_an_unknown_key_with_its_path(void **state)
{
    cJSON *root = doc("{\"a\": 1, \"deductibel\": 2}");
    struct yb_err e;

    (void)state;
    assert_int_equal(
        yb_json_check_keys(root, "benefits.layers[0]", abc_keys, &e),
        YB_EINVAL);
    assert_err(&e, YB_EINVAL, "benefits.layers[0].deductibel",
               "未知的键名 (unknown key)");
    cJSON_Delete(root);
}

static void test_check_keys_reports_a_duplicate_key(void **state)
{
    /* yb_json_parse refuses it first: a tree made by cJSON alone */
    const char *text = "{\"a\": 1, \"b\": 2, \"a\": 3}";
    cJSON *root = cJSON_Parse(text);
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_check_keys(root, "", abc_keys, &e), YB_EINVAL);
    assert_err(&e, YB_EINVAL, "a",
               "键名重复出现，同一对象中每个键只能出现一次 (duplicate key)");
    cJSON_Delete(root);
}

/* Parse text (len bytes) expecting refusal rc with field and message. */
static void refused(const char *text, size_t len, int rc, const char *field,
                    const char *msg)
{
    cJSON *root = (cJSON *)1;
    struct yb_err e = {0};

    assert_int_equal(yb_json_parse(text, len, &root, &e), rc);
    assert_null(root);
    assert_err(&e, rc, field, msg);
}

static void test_parse_refuses_duplicate_keys_at_any_depth(void **state)
{
    const char *top = "{\"infno\":\"1101\",\"infno\":\"2207\"}";
    const char *deep = "{\"input\":{\"data\":[{\"a\":1},{\"b\":1,\"c\":2,"
                       "\"b\":3}]}}";
    /* the same key once escaped: keys are compared as decoded */
    const char *escaped = "{\"x\":{\"infno\":1,\"inf\\u006eo\":2}}";

    (void)state;
    refused(top, strlen(top), YB_EINVAL, "infno",
            "键名重复出现，同一对象中每个键只能出现一次 (duplicate key)");
    refused(deep, strlen(deep), YB_EINVAL, "input.data[1].b",
            "键名重复出现，同一对象中每个键只能出现一次 (duplicate key)");
    refused(escaped, strlen(escaped), YB_EINVAL, "x.infno",
            "键名重复出现，同一对象中每个键只能出现一次 (duplicate key)");
}

static void test_parse_finds_a_duplicate_among_many_keys(void **state)
{
    /* 200 keys: sorted, not compared pairwise */
    char text[4096];
    size_t k = 0;

    (void)state;
    k += (size_t)snprintf(text + k, sizeof text - k, "{\"o\":{");
    for (int i = 0; i < 200; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "\"k%d\":%d,", i, i);
    k += (size_t)snprintf(text + k, sizeof text - k, "\"k117\":0}}");
    refused(text, k, YB_EINVAL, "o.k117",
            "键名重复出现，同一对象中每个键只能出现一次 (duplicate key)");
    text[k - 8] = '9'; /* "k917": no duplicate */
    cJSON *root = NULL;
    struct yb_err e = {0};
    assert_int_equal(yb_json_parse(text, k, &root, &e), YB_OK);
    cJSON_Delete(root);
}

static void test_parse_refuses_strings_that_are_not_utf8(void **state)
{
    static const struct {
        const char *text, *field, *msg;
    } cases[] = {
        {"{\"a\":{\"b\":\"x\xC0\xAFy\"}}", "a.b",
         "不是合法的 UTF-8 文本：第 2 字节起为超长编码 (invalid UTF-8 at "
         "byte 2: overlong encoding)"},
        {"{\"a\":[\"ok\",\"\xED\xA0\x80\"]}", "a[1]",
         "不是合法的 UTF-8 文本：第 1 字节起为代理码点 U+D800–U+DFFF (invalid "
         "UTF-8 at byte 1: surrogate)"},
        {"{\"a\":\"\xF4\x90\x80\x80\"}", "a",
         "不是合法的 UTF-8 文本：第 1 字节起码点超过 U+10FFFF (invalid UTF-8 "
         "at byte 1: beyond U+10FFFF)"},
        {"{\"a\":\"ab\xE4\xB8\"}", "a",
         "不是合法的 UTF-8 文本：第 3 字节起多字节字符不完整 (invalid UTF-8 "
         "at byte 3: truncated sequence)"},
        {"{\"a\":\"\x80\"}", "a",
         "不是合法的 UTF-8 文本：第 1 字节起为不能开始字符的字节 (invalid "
         "UTF-8 at byte 1: invalid byte)"},
        {"{\"a\":\"x\\u0000y\"}", "a",
         "第 2 字节起的转义 \\u0000 为空字符，不允许 (escaped NUL at byte 2)"},
        {"{\"a\":\"\\ud800\"}", "a",
         "第 1 字节起的转义 \\ud800 是单独的代理码点，不是字符 (lone "
         "surrogate escape at byte 1)"},
        {"{\"a\":\"\\ud800\\u0041\"}", "a",
         "第 1 字节起的转义 \\ud800 是单独的代理码点，不是字符 (lone "
         "surrogate escape at byte 1)"},
        {"{\"a\":\"\\udc00\"}", "a",
         "第 1 字节起的转义 \\udc00 是单独的代理码点，不是字符 (lone "
         "surrogate escape at byte 1)"},
        {"{\"a\":\"tab\there\"}", "a",
         "第 4 字节为未转义的控制字符 U+0009，应写作转义序列 (unescaped "
         "control character at byte 4)"},
        /* a key: its object's path and the key, escaped */
        {"{\"in\":{\"k\xFF\":1}}", "in.k\\xFF",
         "键名不是合法的 UTF-8 文本：第 2 字节起为不能开始字符的字节 (invalid "
         "UTF-8 at byte 2: invalid byte)"},
        {"{\"k\\u0000\":1}", "k\\u0000",
         "键名第 2 字节起的转义 \\u0000 为空字符，不允许 (escaped NUL at byte "
         "2)"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        refused(cases[i].text, strlen(cases[i].text), YB_EINVAL, cases[i].field,
                cases[i].msg);
    /* a raw NUL inside a string (the length says it is there) */
    refused("{\"a\":\"x\0y\"}", 11, YB_EINVAL, "a",
            "第 2 字节含有空字符 U+0000，不允许 (NUL at byte 2)");
}

static void test_parse_accepts_every_valid_character(void **state)
{
    /* the edges of RFC 3629's table, raw and as escapes (a pair too) */
    const char *text = "[\"\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF"
                       "\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\","
                       "\"\\u0001\\ud83d\\ude00\\uffff\"]";
    cJSON *root = NULL;
    struct yb_err e = {0};

    (void)state;
    assert_int_equal(yb_json_parse(text, strlen(text), &root, &e), YB_OK);
    assert_string_equal(cJSON_GetArrayItem(root, 1)->valuestring,
                        "\x01\xF0\x9F\x98\x80\xEF\xBF\xBF");
    cJSON_Delete(root);
}

static void test_parse_refuses_numbers_outside_the_grammar(void **state)
{
    static const char *const bad[] = {"01",  "1.",   ".5",    "+1",  "-", "1e",
                                      "1e+", "0x10", "1.5.2", "--1", "1a"};
    char text[64], msg[256];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, "{\"n\":%s}", bad[i]);
        cJSON *root = (cJSON *)1;
        struct yb_err e = {0};
        assert_int_equal(yb_json_parse(text, strlen(text), &root, &e),
                         YB_EPARSE);
        assert_null(root);
        assert_string_equal(e.field, "");
        snprintf(msg, sizeof msg, "(not valid JSON at line 1 column 6: %s)",
                 bad[i][0] == '.' || bad[i][0] == '+' ? "expected a value"
                                                      : "malformed number");
        if (strstr(e.msg, msg) == NULL)
            fail_msg("%s: %s", bad[i], e.msg);
    }
}

static void test_parse_refuses_deep_nesting_with_a_message(void **state)
{
    char text[2 * 600 + 1];

    (void)state;
    memset(text, '[', 600);
    memset(text + 600, ']', 600);
    text[1200] = '\0';
    cJSON *root = (cJSON *)1;
    struct yb_err e = {0};
    assert_int_equal(yb_json_parse(text, 1200, &root, &e), YB_EPARSE);
    assert_null(root);
    if (strstr(e.msg, "嵌套超过 512 层") == NULL)
        fail_msg("%s", e.msg);
    /* 512 levels are fine */
    assert_int_equal(yb_json_parse(text + 88, 1200 - 176, &root, &e), YB_OK);
    cJSON_Delete(root);
}

static void test_check_keys_requires_an_object(void **state)
{
    cJSON *root = doc("[1]");
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_check_keys(root, "caps[0]", abc_keys, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "caps[0]",
               "应为对象，实际为数组 (must be an object, got array)");
    cJSON_Delete(root);
}

/* ---- objects, arrays, strings ---- */

static void
test_object_and_array_return_the_value_or_leave_out_untouched(void **state)
{
    cJSON *root = doc("{\"o\": {\"k\": 1}, \"a\": [], \"n\": null}");
    const cJSON *v = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_object(root, "o", "", true, &v, &e), YB_OK);
    assert_ptr_equal(v, cJSON_GetObjectItem(root, "o"));
    assert_int_equal(yb_json_array(root, "a", "", true, &v, &e), YB_OK);
    assert_ptr_equal(v, cJSON_GetObjectItem(root, "a"));
    v = NULL;
    assert_int_equal(yb_json_object(root, "missing", "", false, &v, &e), YB_OK);
    assert_int_equal(yb_json_object(root, "n", "", false, &v, &e), YB_OK);
    assert_null(v);
    cJSON_Delete(root);
}

static void test_required_value_absent_or_null_is_required(void **state)
{
    cJSON *root = doc("{\"n\": null}");
    const cJSON *v = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_object(root, "benefits", "", true, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "benefits", "必填 (required)");
    assert_int_equal(yb_json_array(root, "n", "x", true, &v, &e), YB_EINVAL);
    assert_err(&e, YB_EINVAL, "x.n", "必填 (required)");
    cJSON_Delete(root);
}

static void test_wrong_type_names_the_type_and_the_value(void **state)
{
    cJSON *root = doc("{\"o\": [1], \"s\": 21.5, \"b\": \"true\"}");
    const cJSON *v = NULL;
    const char *s = NULL;
    bool b = false;
    struct yb_arena a;
    struct yb_err e;

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_json_object(root, "o", "p", true, &v, &e), YB_EINVAL);
    assert_err(&e, YB_EINVAL, "p.o",
               "应为对象，实际为数组 (must be an object, got array)");
    assert_int_equal(yb_json_string(root, "s", "p", true, 0, false, &a, &s, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "p.s",
               "应为字符串，实际为数字 21.5 (must be a string, got number)");
    assert_int_equal(yb_json_bool(root, "b", "p", true, &b, &e), YB_EINVAL);
    assert_err(&e, YB_EINVAL, "p.b",
               "应为true 或 false，实际为字符串 \"true\" (must be true or "
               "false, got string)");
    yb_arena_free(&a);
    cJSON_Delete(root);
}

static void test_string_is_copied_into_the_arena(void **state)
{
    cJSON *root = doc("{\"name\": \"住院统筹\"}");
    const char *s = NULL;
    struct yb_arena a;
    struct yb_err e;

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_json_string(root, "name", "", true, 12, false, &a, &s, &e), YB_OK);
    cJSON_Delete(root);
    assert_string_equal(s, "住院统筹");
    yb_arena_free(&a);
}

static void test_string_longer_than_maxlen_is_refused(void **state)
{
    cJSON *root = doc("{\"id\": \"abcdefgh\"}");
    const char *s = "untouched";
    struct yb_arena a;
    struct yb_err e;

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_json_string(root, "id", "x", true, 7, false, &a, &s, &e), YB_EINVAL);
    assert_err(&e, YB_EINVAL, "x.id",
               "值 \"abcdefgh\" 超过 7 字节 (longer than 7 bytes)");
    assert_string_equal(s, "untouched");
    yb_arena_free(&a);
    cJSON_Delete(root);
}

static void test_string_accepts_an_integer_number_when_asked(void **state)
{
    cJSON *root = doc("{\"med_type\": 21, \"x\": 2.5, \"big\": 390100}");
    const char *s = NULL;
    struct yb_arena a;
    struct yb_err e;

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(
        yb_json_string(root, "med_type", "", true, 0, true, &a, &s, &e), YB_OK);
    assert_string_equal(s, "21");
    assert_int_equal(yb_json_string(root, "big", "", true, 0, true, &a, &s, &e),
                     YB_OK);
    assert_string_equal(s, "390100");
    assert_int_equal(yb_json_string(root, "x", "", true, 0, true, &a, &s, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "x",
               "应为字符串或整数，实际为 2.5 (must be a string or an integer)");
    yb_arena_free(&a);
    cJSON_Delete(root);
}

static void test_string_out_of_memory_is_enomem(void **state)
{
    cJSON *root = doc("{\"k\": \"v\"}");
    const char *s = NULL;
    struct yb_arena a;
    struct yb_err e;

    (void)state;
    yb_arena_init(&a, 0);
    a.fail_after = 0;
    assert_int_equal(yb_json_string(root, "k", "", true, 0, false, &a, &s, &e),
                     YB_ENOMEM);
    assert_err(&e, YB_ENOMEM, "k", "内存不足 (out of memory)");
    assert_null(s);
    yb_arena_free(&a);
    cJSON_Delete(root);
}

static void test_string_quotes_and_cuts_a_long_value_in_messages(void **state)
{
    cJSON *root = doc("{\"k\": \"0123456789012345678901234567890123456789"
                      "0123456789\\\"\"}");
    const char *s = NULL;
    struct yb_arena a;
    struct yb_err e;

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_json_string(root, "k", "", true, 5, false, &a, &s, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "k",
               "值 \"0123456789012345678901234567890123456789...\" 超过 5 字节 "
               "(longer than 5 bytes)");
    yb_arena_free(&a);
    cJSON_Delete(root);
}

/* ---- money, rates, decimals ---- */

static void test_money_reads_strings_and_numbers_exactly(void **state)
{
    cJSON *root = doc("{\"s\": \"1234.56\", \"n\": 1234.56, \"i\": 300000, "
                      "\"t\": 0.1, \"z\": 0, \"neg\": -3.1}");
    yb_fen v = 0;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_money(root, "s", "", true, false, &v, &e), YB_OK);
    assert_int_equal(v, 123456);
    assert_int_equal(yb_json_money(root, "n", "", true, false, &v, &e), YB_OK);
    assert_int_equal(v, 123456);
    assert_int_equal(yb_json_money(root, "i", "", true, false, &v, &e), YB_OK);
    assert_int_equal(v, 30000000);
    assert_int_equal(yb_json_money(root, "t", "", true, false, &v, &e), YB_OK);
    assert_int_equal(v, 10);
    assert_int_equal(yb_json_money(root, "z", "", true, false, &v, &e), YB_OK);
    assert_int_equal(v, 0);
    assert_int_equal(yb_json_money(root, "neg", "", true, true, &v, &e), YB_OK);
    assert_int_equal(v, -310);
    cJSON_Delete(root);
}

static void test_money_refuses_a_number_with_three_decimals(void **state)
{
    cJSON *root = doc("{\"amount\": 12.345}");
    yb_fen v = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(
        yb_json_money(root, "amount", "caps[0]", true, false, &v, &e),
        YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "caps[0].amount", "12.345");
    assert_int_equal(v, 99);
    cJSON_Delete(root);
}

static void test_money_refuses_a_number_that_only_rounds_to_cents(void **state)
{
    /* 16 significant digits: "%.15g" alone would print 1234567890123.46 */
    cJSON *root = doc("{\"amount\": 1234567890123.455}");
    yb_fen v = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_money(root, "amount", "", true, false, &v, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "amount", "1234567890123.455");
    assert_int_equal(v, 99);
    cJSON_Delete(root);
}

/* A JSON number with up to 4 decimals reads as the decimal written, at
 * every magnitude up to 15 digits, negative too (numbers are rendered
 * without printf when they are a short decimal: docs/hospital.md). */
static void test_decimal_reads_short_numbers_exactly(void **state)
{
    static const long long pow10[] = {1, 10, 100, 1000, 10000};
    unsigned long long x = 88172645463325252ULL; /* xorshift */
    (void)state;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int k = (int)(x % 5), digits = 1 + (int)(x / 5 % 15);
        long long c = (long long)(x / 75 % 1000000000000000ULL);
        for (int d = 15; d > digits; d--)
            c /= 10;
        if (k <= 2 && (x & (1ULL << 40)))
            c = -c; /* amounts may be negative where allowed */
        long long mag = c < 0 ? -c : c;
        char text[80];
        snprintf(text, sizeof text, "{\"n\": %s%lld.%0*lld}", c < 0 ? "-" : "",
                 mag / pow10[k], k ? k : 1, k ? mag % pow10[k] : 0);
        if (mag / pow10[k] >= 100000000000LL)
            continue; /* past the amounts' and decimals' limits */
        cJSON *root = doc(text);
        int64_t v = 0;
        struct yb_err e = {0};
        int rc = k <= 2 ? yb_json_money(root, "n", "", true, true, &v, &e)
                        : yb_json_decimal(root, "n", "", true, 4, &v, &e);
        if (rc != YB_OK || v != c * pow10[(k <= 2 ? 2 : 4) - k])
            fail_msg("%s: %lld (%s)", text, (long long)v, e.msg);
        cJSON_Delete(root);
    }
    cJSON *root = doc("{\"a\": 2, \"b\": 0.0001, \"c\": -12.5, \"d\": 0}");
    int64_t v = 0;
    struct yb_err e;
    assert_int_equal(yb_json_decimal(root, "a", "", true, 4, &v, &e), YB_OK);
    assert_int_equal(v, 20000);
    assert_int_equal(yb_json_decimal(root, "b", "", true, 4, &v, &e), YB_OK);
    assert_int_equal(v, 1);
    assert_int_equal(yb_json_decimal(root, "d", "", true, 4, &v, &e), YB_OK);
    assert_int_equal(v, 0);
    yb_fen f = 0;
    assert_int_equal(yb_json_money(root, "c", "", true, true, &f, &e), YB_OK);
    assert_int_equal(f, -1250);
    cJSON_Delete(root);
}

static void test_money_refuses_a_string_that_is_not_an_amount(void **state)
{
    cJSON *root = doc("{\"amount\": \"abc\", \"sp\": \" 1\"}");
    yb_fen v = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_money(root, "amount", "x", true, false, &v, &e),
                     YB_EINVAL);
    /* the field is in e.field only, not repeated in the message */
    assert_err(&e, YB_EINVAL, "x.amount",
               "应为金额（元，最多两位小数），实际为 \"abc\" (not an amount)");
    assert_int_equal(yb_json_money(root, "sp", "x", true, false, &v, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "x.sp", "\" 1\"");
    assert_int_equal(v, 99);
    cJSON_Delete(root);
}

static void test_money_refuses_exponents_and_non_finite_numbers(void **state)
{
    cJSON *root = doc("{\"big\": 1e20, \"small\": 0.00001, \"inf\": 1e999}");
    yb_fen v = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_money(root, "big", "", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "big",
               "数字 1e+20 不是普通的十进制写法，请写成字符串 (not a plain "
               "decimal number; write it as a string)");
    assert_int_equal(yb_json_money(root, "small", "", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "small",
               "数字 1e-05 不是普通的十进制写法，请写成字符串 (not a plain "
               "decimal number; write it as a string)");
    assert_int_equal(yb_json_money(root, "inf", "", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "inf",
               "数字 non-finite number 不是普通的十进制写法，请写成字符串 (not "
               "a plain decimal number; write it as a string)");
    assert_int_equal(v, 99);
    cJSON_Delete(root);
}

static void test_money_refuses_negative_unless_allowed(void **state)
{
    cJSON *root = doc("{\"s\": \"-5.00\", \"n\": -5}");
    yb_fen v = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_money(root, "s", "r", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "r.s", "值 \"-5.00\" 不能为负数 (negative)");
    assert_int_equal(yb_json_money(root, "n", "r", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "r.n", "值 -5 不能为负数 (negative)");
    assert_int_equal(v, 99);
    assert_int_equal(yb_json_money(root, "n", "r", true, true, &v, &e), YB_OK);
    assert_int_equal(v, -500);
    cJSON_Delete(root);
}

static void test_money_refuses_other_types(void **state)
{
    cJSON *root = doc("{\"a\": true, \"b\": [1]}");
    yb_fen v = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_money(root, "a", "", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "a",
               "应为字符串或数字，实际为布尔值 true (must be a string or a "
               "number, got boolean)");
    assert_int_equal(yb_json_money(root, "b", "", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "b",
               "应为字符串或数字，实际为数组 (must be a string or a number, "
               "got array)");
    cJSON_Delete(root);
}

static void test_money_absent_and_optional_leaves_the_default(void **state)
{
    cJSON *root = doc("{}");
    yb_fen v = 4200;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_money(root, "amount", "", false, false, &v, &e),
                     YB_OK);
    assert_int_equal(v, 4200);
    assert_int_equal(yb_json_money(root, "amount", "c", true, false, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "c.amount", "必填 (required)");
    cJSON_Delete(root);
}

static void test_rate_reads_percentages_and_fractions(void **state)
{
    cJSON *root = doc("{\"p\": \"72.5%\", \"f\": 0.7, \"one\": 1, "
                      "\"cut\": \"-10%\"}");
    yb_rate r = 0;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_rate(root, "p", "", true, false, &r, &e), YB_OK);
    assert_int_equal(r, 7250);
    assert_int_equal(yb_json_rate(root, "f", "", true, false, &r, &e), YB_OK);
    assert_int_equal(r, 7000);
    assert_int_equal(yb_json_rate(root, "one", "", true, false, &r, &e), YB_OK);
    assert_int_equal(r, 10000);
    assert_int_equal(yb_json_rate(root, "cut", "", true, true, &r, &e), YB_OK);
    assert_int_equal(r, -1000);
    cJSON_Delete(root);
}

static void test_rate_refuses_above_100_percent_naming_the_value(void **state)
{
    cJSON *root = doc("{\"rate\": \"105%\", \"n\": 70, \"neg\": \"-10%\"}");
    yb_rate r = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_rate(root, "rate", "benefits.layers[1].rates",
                                  true, false, &r, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "benefits.layers[1].rates.rate", "105%");
    assert_int_equal(yb_json_rate(root, "n", "", true, false, &r, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "n", "7000%");
    assert_int_equal(yb_json_rate(root, "neg", "", true, false, &r, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "neg", "-10%");
    assert_int_equal(r, 99);
    cJSON_Delete(root);
}

static void test_decimal_reads_to_the_given_scale(void **state)
{
    cJSON *root = doc("{\"cnt\": \"1.5\", \"pric\": 2.25, \"bad\": 0.12345}");
    int64_t v = 0;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_decimal(root, "cnt", "", true, 4, &v, &e), YB_OK);
    assert_int_equal(v, 15000);
    assert_int_equal(yb_json_decimal(root, "pric", "", true, 6, &v, &e), YB_OK);
    assert_int_equal(v, 2250000);
    assert_int_equal(yb_json_decimal(root, "bad", "l", true, 4, &v, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "l.bad", "0.12345");
    cJSON_Delete(root);
}

/* ---- integers, booleans, dates ---- */

static void test_int_reads_numbers_and_digit_strings(void **state)
{
    cJSON *root = doc("{\"n\": 2023, \"s\": \"0042\", \"neg\": -5, "
                      "\"whole\": 7.0}");
    int64_t v = 0;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_int(root, "n", "", true, 1990, 2199, &v, &e),
                     YB_OK);
    assert_int_equal(v, 2023);
    assert_int_equal(yb_json_int(root, "s", "", true, 0, 100, &v, &e), YB_OK);
    assert_int_equal(v, 42);
    assert_int_equal(yb_json_int(root, "neg", "", true, -10, 10, &v, &e),
                     YB_OK);
    assert_int_equal(v, -5);
    assert_int_equal(yb_json_int(root, "whole", "", true, 0, 10, &v, &e),
                     YB_OK);
    assert_int_equal(v, 7);
    cJSON_Delete(root);
}

static void test_int_refuses_fractions_signs_in_strings_and_range(void **state)
{
    cJSON *root = doc("{\"f\": 21.5, \"s\": \"-1\", \"lo\": 0, \"hi\": 151, "
                      "\"huge\": \"99999999999999999999\"}");
    int64_t v = 99;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_int(root, "f", "w", true, 0, 100, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "w.f", "值 21.5 不是整数 (not an integer)");
    assert_int_equal(yb_json_int(root, "s", "w", true, -5, 5, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "w.s", "值 \"-1\" 不是整数 (not an integer)");
    assert_int_equal(yb_json_int(root, "lo", "w", true, 1, 3, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "w.lo", "值 0 小于最小值 1 (below the minimum)");
    assert_int_equal(yb_json_int(root, "hi", "w", true, 0, 150, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "w.hi",
               "值 151 大于最大值 150 (above the maximum)");
    assert_int_equal(yb_json_int(root, "huge", "w", true, 0, 10, &v, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "w.huge",
               "值 \"99999999999999999999\" 不是整数 (not an integer)");
    assert_int_equal(v, 99);
    cJSON_Delete(root);
}

static void test_bool_reads_true_and_false(void **state)
{
    cJSON *root = doc("{\"t\": true, \"f\": false}");
    bool b = false;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_bool(root, "t", "", true, &b, &e), YB_OK);
    assert_true(b);
    assert_int_equal(yb_json_bool(root, "f", "", true, &b, &e), YB_OK);
    assert_false(b);
    cJSON_Delete(root);
}

static void test_date_reads_a_day_and_optionally_a_time(void **state)
{
    cJSON *root = doc("{\"d\": \"2023-01-31\", \"t\": \"2023-02-01 08:30:00\", "
                      "\"bad\": \"2023-02-30\", \"n\": 20230101}");
    yb_date d = 0;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_date(root, "d", "", true, false, &d, &e), YB_OK);
    assert_int_equal(d, yb_date_from_ymd(2023, 1, 31));
    assert_int_equal(yb_json_date(root, "t", "", true, true, &d, &e), YB_OK);
    assert_int_equal(d, yb_date_from_ymd(2023, 2, 1));
    assert_int_equal(yb_json_date(root, "t", "m", true, false, &d, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "m.t", "2023-02-01 08:30:00");
    assert_int_equal(yb_json_date(root, "bad", "m", true, false, &d, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "m.bad", "2023-02-30");
    assert_int_equal(yb_json_date(root, "n", "m", true, false, &d, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "m.n",
               "应为日期字符串，实际为数字 20230101 (must be a date string, "
               "got number)");
    assert_int_equal(d, yb_date_from_ymd(2023, 2, 1));
    cJSON_Delete(root);
}

/* ---- codes ---- */

static void test_code_reads_strings_and_integer_numbers(void **state)
{
    cJSON *root = doc("{\"s\": \"21\", \"n\": 21, \"lv\": \"township\"}");
    int idx = -1;
    struct yb_err e;

    (void)state;
    assert_int_equal(
        yb_json_code(root, "s", "", true, YB_DICT_MED_TYPE, &idx, &e), YB_OK);
    assert_int_equal(idx, MED_21);
    idx = -1;
    assert_int_equal(
        yb_json_code(root, "n", "", true, YB_DICT_MED_TYPE, &idx, &e), YB_OK);
    assert_int_equal(idx, MED_21);
    assert_int_equal(
        yb_json_code(root, "lv", "", true, YB_DICT_HOSP_LV, &idx, &e), YB_OK);
    assert_int_equal(idx, yb_dict_index(YB_DICT_HOSP_LV, "township"));
    cJSON_Delete(root);
}

static void test_code_unknown_names_the_table_and_the_code(void **state)
{
    cJSON *root = doc("{\"m\": \"99\", \"lv\": 1, \"f\": 21.5, \"b\": true}");
    int idx = -1;
    struct yb_err e;

    (void)state;
    assert_int_equal(
        yb_json_code(root, "m", "mdtrt", true, YB_DICT_MED_TYPE, &idx, &e),
        YB_EINVAL);
    assert_err(
        &e, YB_EINVAL, "mdtrt.m",
        "值 \"99\" 不是代码表 med_type 中的代码 (unknown med_type code)");
    /* numbers are rendered without padding: 1 is not "01" */
    assert_int_equal(
        yb_json_code(root, "lv", "", true, YB_DICT_CHRGITM_LV, &idx, &e),
        YB_EINVAL);
    assert_err(
        &e, YB_EINVAL, "lv",
        "值 \"1\" 不是代码表 chrgitm_lv 中的代码 (unknown chrgitm_lv code)");
    assert_int_equal(
        yb_json_code(root, "f", "", true, YB_DICT_MED_TYPE, &idx, &e),
        YB_EINVAL);
    assert_err(&e, YB_EINVAL, "f",
               "值 21.5 不是代码表 med_type 中的代码 (unknown med_type code)");
    assert_int_equal(
        yb_json_code(root, "b", "", true, YB_DICT_MED_TYPE, &idx, &e),
        YB_EINVAL);
    assert_err(&e, YB_EINVAL, "b",
               "应为代码字符串，实际为布尔值 true (must be a code string, got "
               "boolean)");
    assert_int_equal(idx, -1);
    cJSON_Delete(root);
}

static void test_code_set_collects_bits(void **state)
{
    cJSON *root = doc("{\"med_type\": [\"21\", 22], \"none\": []}");
    uint64_t set = 1;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_code_set(root, "med_type", "", true,
                                      YB_DICT_MED_TYPE, &set, &e),
                     YB_OK);
    assert_true(set == ((UINT64_C(1) << MED_21) | (UINT64_C(1) << MED_22)));
    assert_int_equal(
        yb_json_code_set(root, "none", "", true, YB_DICT_MED_TYPE, &set, &e),
        YB_OK);
    assert_true(set == 0);
    cJSON_Delete(root);
}

static void test_code_set_names_the_bad_element(void **state)
{
    cJSON *root = doc("{\"u\": [\"21\", \"99\"], \"d\": [\"21\", 21], "
                      "\"s\": \"21\"}");
    uint64_t set = 7;
    struct yb_err e;

    (void)state;
    assert_int_equal(
        yb_json_code_set(root, "u", "when", true, YB_DICT_MED_TYPE, &set, &e),
        YB_EINVAL);
    assert_err(
        &e, YB_EINVAL, "when.u[1]",
        "值 \"99\" 不是代码表 med_type 中的代码 (unknown med_type code)");
    assert_int_equal(
        yb_json_code_set(root, "d", "when", true, YB_DICT_MED_TYPE, &set, &e),
        YB_EINVAL);
    assert_err(&e, YB_EINVAL, "when.d[1]",
               "代码表 med_type 的代码 21 重复 (duplicate med_type code)");
    assert_int_equal(
        yb_json_code_set(root, "s", "when", true, YB_DICT_MED_TYPE, &set, &e),
        YB_EINVAL);
    assert_err(&e, YB_EINVAL, "when.s",
               "应为代码数组，实际为字符串 \"21\" (must be an array of codes, "
               "got string)");
    assert_true(set == 7);
    cJSON_Delete(root);
}

/* ---- values without a key (array elements) ---- */

static void test_getters_read_an_array_element_with_a_null_key(void **state)
{
    cJSON *root = doc("{\"f\": [\"100%\", 0.5, \"x\"]}");
    const cJSON *arr = cJSON_GetObjectItem(root, "f");
    yb_rate r = 0;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_json_rate(cJSON_GetArrayItem(arr, 1), NULL, "f[1]",
                                  true, false, &r, &e),
                     YB_OK);
    assert_int_equal(r, 5000);
    assert_int_equal(yb_json_rate(cJSON_GetArrayItem(arr, 2), NULL, "f[2]",
                                  true, false, &r, &e),
                     YB_EINVAL);
    assert_err_names(&e, YB_EINVAL, "f[2]", "\"x\"");
    assert_int_equal(yb_json_rate(NULL, NULL, "f[3]", true, false, &r, &e),
                     YB_EINVAL);
    assert_err(&e, YB_EINVAL, "f[3]", "必填 (required)");
    cJSON_Delete(root);
}

/* ---- rendering ---- */

static void test_add_int_renders_every_int64(void **state)
{
    cJSON *obj = cJSON_CreateObject();
    char *text;

    (void)state;
    assert_non_null(yb_json_add_int(obj, "a", 0));
    assert_non_null(yb_json_add_int(obj, "b", 2018));
    assert_non_null(yb_json_add_int(obj, "c", -1));
    assert_non_null(yb_json_add_int(obj, "d", INT64_MAX));
    assert_non_null(yb_json_add_int(obj, "e", INT64_MIN));
    text = cJSON_PrintUnformatted(obj);
    assert_string_equal(text, "{\"a\":0,\"b\":2018,\"c\":-1,"
                              "\"d\":9223372036854775807,"
                              "\"e\":-9223372036854775808}");
    cJSON_free(text);
    cJSON_Delete(obj);
}

/* cJSON's nodes made while an arena is set live in it: deleting them is a
 * no-op, heap nodes added to an arena tree are freed, and the setting is
 * per call site (restored by the caller). */
static void test_cjson_nodes_follow_the_arena_set(void **state)
{
    struct yb_arena a;
    cJSON *heap_obj, *doc;
    char *text;

    (void)state;
    yb_arena_init(&a, 4096);
    heap_obj = cJSON_CreateObject(); /* before: the heap */
    assert_non_null(cJSON_AddStringToObject(heap_obj, "k", "堆"));
    assert_null(yb_json_use_arena(&a));
    const char *json = "{\"x\":[1,2,{\"y\":\"值\"}]}";
    struct yb_err e = {0};
    assert_int_equal(yb_json_parse(json, strlen(json), &doc, &e), YB_OK);
    assert_true(a.total > 0);
    assert_true(cJSON_AddItemToObject(doc, "heap", heap_obj));
    text = cJSON_PrintUnformatted(doc);
    assert_ptr_equal(yb_json_use_arena(NULL), &a);
    assert_string_equal(text, "{\"x\":[1,2,{\"y\":\"值\"}],"
                              "\"heap\":{\"k\":\"堆\"}}");
    cJSON_free(text);
    cJSON_Delete(doc); /* frees heap_obj; the arena's nodes stay */
    yb_arena_free(&a);
}

static void test_add_money_renders_two_exact_decimals(void **state)
{
    cJSON *obj = cJSON_CreateObject();
    char *text;

    (void)state;
    assert_non_null(yb_json_add_money(obj, "a", 123450));
    assert_non_null(yb_json_add_money(obj, "b", -5));
    assert_non_null(yb_json_add_money(obj, "c", INT64_C(999999999999999)));
    text = cJSON_PrintUnformatted(obj);
    assert_string_equal(text, "{\"a\":1234.50,\"b\":-0.05,"
                              "\"c\":9999999999999.99}");
    cJSON_free(text);
    cJSON_Delete(obj);
}

/* yb_json_print writes what cJSON_PrintUnformatted writes. */
static void expect_printed_as_cjson(const cJSON *v, const char *what)
{
    char *want = cJSON_PrintUnformatted(v), *got = yb_json_print(v);
    if (!want || !got || strcmp(want, got) != 0)
        fail_msg("%s: cJSON %s, yb_json_print %s", what, want ? want : "NULL",
                 got ? got : "NULL");
    cJSON_free(want);
    free(got);
}

static void test_print_writes_what_cjson_writes(void **state)
{
    (void)state;
    /* every character below 128 and some above, in a value and a key */
    char all[200];
    for (int i = 1; i < 128; i++)
        all[i - 1] = (char)i;
    snprintf(all + 127, sizeof all - 127, "%s", "中文，¥ end");
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, all, all);
    cJSON_AddStringToObject(root, "", "");
    cJSON_AddNullToObject(root, "null");
    cJSON_AddTrueToObject(root, "t");
    cJSON_AddFalseToObject(root, "f");
    cJSON_AddRawToObject(root, "raw", "12.30");
    cJSON_AddItemToObject(root, "a", cJSON_CreateArray());
    cJSON_AddItemToObject(root, "o", cJSON_CreateObject());
    static const double numbers[] = {0,
                                     -0.0,
                                     1,
                                     -1,
                                     2147483647.0,
                                     2147483648.0,
                                     -2147483649.0,
                                     0.1,
                                     1.0 / 3,
                                     123.456,
                                     -1e-7,
                                     1e300,
                                     5e-324,
                                     1.7976931348623157e308,
                                     1234567890123.455};
    cJSON *arr = cJSON_AddArrayToObject(root, "n");
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(numbers[i]));
    cJSON_AddItemToArray(arr, cJSON_CreateNumber(NAN));
    cJSON_AddItemToArray(arr, cJSON_CreateNumber(INFINITY));
    cJSON *deep = cJSON_AddArrayToObject(root, "deep");
    for (int i = 0; i < 40; i++)
        deep = cJSON_AddArrayToObject(
            cJSON_AddObjectToObject(deep, "x") ? deep : deep, "y");
    expect_printed_as_cjson(root, "built");
    /* an answer bigger than the thread's buffer */
    cJSON *big = cJSON_AddArrayToObject(root, "big");
    for (int i = 0; i < 3000; i++)
        cJSON_AddItemToArray(big, cJSON_CreateString(all));
    expect_printed_as_cjson(root, "big");
    cJSON_Delete(root);
    /* the fuzzers' JSON and the policies */
    static const char *const dirs[] = {"tests/fuzz/corpus/hosp",
                                       "tests/fuzz/corpus/visit",
                                       "tests/fuzz/corpus/policy", "policies"};
    int files = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof *dirs; d++) {
        DIR *dir = opendir(dirs[d]);
        struct dirent *de;
        while (dir && (de = readdir(dir)) != NULL) {
            char path[512];
            static char text[1 << 20];
            if (de->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
            FILE *f = fopen(path, "rb");
            size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
            if (f)
                fclose(f);
            text[n] = '\0';
            cJSON *v = cJSON_ParseWithLength(text, n);
            if (v) {
                expect_printed_as_cjson(v, path);
                files++;
            }
            cJSON_Delete(v);
        }
        if (dir)
            closedir(dir);
    }
    assert_true(files >= 10);
    assert_null(yb_json_print(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts_a_value_followed_by_whitespace),
        cmocka_unit_test(test_parse_reads_only_len_bytes),
        cmocka_unit_test(
            test_parse_rejects_text_after_the_value_with_its_position),
        cmocka_unit_test(test_parse_reports_line_and_column_of_a_syntax_error),
        cmocka_unit_test(test_parse_counts_columns_in_characters),
        cmocka_unit_test(test_parse_rejects_empty_text),
        cmocka_unit_test(test_parse_rejects_a_nul_byte_inside_len),
        cmocka_unit_test(test_path_helpers_join_keys_and_indices),
        cmocka_unit_test(test_check_keys_accepts_known_keys),
        cmocka_unit_test(test_check_keys_names_an_unknown_key_with_its_path),
        cmocka_unit_test(test_check_keys_reports_a_duplicate_key),
        cmocka_unit_test(test_parse_refuses_duplicate_keys_at_any_depth),
        cmocka_unit_test(test_parse_finds_a_duplicate_among_many_keys),
        cmocka_unit_test(test_parse_refuses_strings_that_are_not_utf8),
        cmocka_unit_test(test_parse_accepts_every_valid_character),
        cmocka_unit_test(test_parse_refuses_numbers_outside_the_grammar),
        cmocka_unit_test(test_parse_refuses_deep_nesting_with_a_message),
        cmocka_unit_test(test_check_keys_requires_an_object),
        cmocka_unit_test(
            test_object_and_array_return_the_value_or_leave_out_untouched),
        cmocka_unit_test(test_required_value_absent_or_null_is_required),
        cmocka_unit_test(test_wrong_type_names_the_type_and_the_value),
        cmocka_unit_test(test_string_is_copied_into_the_arena),
        cmocka_unit_test(test_string_longer_than_maxlen_is_refused),
        cmocka_unit_test(test_string_accepts_an_integer_number_when_asked),
        cmocka_unit_test(test_string_out_of_memory_is_enomem),
        cmocka_unit_test(test_string_quotes_and_cuts_a_long_value_in_messages),
        cmocka_unit_test(test_money_reads_strings_and_numbers_exactly),
        cmocka_unit_test(test_money_refuses_a_number_with_three_decimals),
        cmocka_unit_test(test_money_refuses_a_number_that_only_rounds_to_cents),
        cmocka_unit_test(test_decimal_reads_short_numbers_exactly),
        cmocka_unit_test(test_print_writes_what_cjson_writes),
        cmocka_unit_test(test_money_refuses_a_string_that_is_not_an_amount),
        cmocka_unit_test(test_money_refuses_exponents_and_non_finite_numbers),
        cmocka_unit_test(test_money_refuses_negative_unless_allowed),
        cmocka_unit_test(test_money_refuses_other_types),
        cmocka_unit_test(test_money_absent_and_optional_leaves_the_default),
        cmocka_unit_test(test_rate_reads_percentages_and_fractions),
        cmocka_unit_test(test_rate_refuses_above_100_percent_naming_the_value),
        cmocka_unit_test(test_decimal_reads_to_the_given_scale),
        cmocka_unit_test(test_int_reads_numbers_and_digit_strings),
        cmocka_unit_test(test_int_refuses_fractions_signs_in_strings_and_range),
        cmocka_unit_test(test_bool_reads_true_and_false),
        cmocka_unit_test(test_date_reads_a_day_and_optionally_a_time),
        cmocka_unit_test(test_code_reads_strings_and_integer_numbers),
        cmocka_unit_test(test_code_unknown_names_the_table_and_the_code),
        cmocka_unit_test(test_code_set_collects_bits),
        cmocka_unit_test(test_code_set_names_the_bad_element),
        cmocka_unit_test(test_getters_read_an_array_element_with_a_null_key),
        cmocka_unit_test(test_add_money_renders_two_exact_decimals),
        cmocka_unit_test(test_add_int_renders_every_int64),
        cmocka_unit_test(test_cjson_nodes_follow_the_arena_set),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
