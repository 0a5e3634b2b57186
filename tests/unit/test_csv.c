/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the CSV reader and writer: quoting, embedded newlines and
 * their line numbers, byte-order marks, header mapping, a write/read round
 * trip; and the refusal of one bad record while the records after it are
 * read: a wrong number of fields, a stray or unbalanced quote (the lines it
 * swallowed read again), an oversize field, text that is not UTF-8 or has
 * NUL (naming the column); files in GBK and GB18030.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/csv.h"

#define ROWS 12

struct seen {
    int rows;
    long lines[ROWS];
    char text[ROWS][4][32];
    int n[ROWS];
    char bad[ROWS][400]; /* "field|message" of a refused record, or "" */
    int stop_at;
};

static int collect(const struct yb_csv_row *row, void *ud, struct yb_err *e)
{
    struct seen *s = ud;
    if (s->stop_at && row->record == s->stop_at)
        return yb_err_set(e, YB_EINVAL, "x", "stopped at %ld", row->line);
    if (s->rows < ROWS) {
        s->lines[s->rows] = row->line;
        s->n[s->rows] = row->n;
        for (int i = 0; i < row->n && i < 4; i++)
            snprintf(s->text[s->rows][i], 32, "%s", row->f[i]);
        s->bad[s->rows][0] = '\0';
        if (row->bad)
            snprintf(s->bad[s->rows], 400, "%s|%s", row->bad->field,
                     row->bad->msg);
    }
    s->rows++;
    return YB_OK;
}

static int read_as(const char *text, size_t len, const char *enc,
                   struct seen *s, struct yb_err *e)
{
    struct yb_csv_opts o = {.encoding = enc};
    FILE *f = fmemopen((void *)text, len, "r");
    assert_non_null(f);
    memset(s, 0, sizeof *s);
    int rc = yb_csv_read(f, "t.csv", &o, collect, s, e);
    fclose(f);
    return rc;
}

static int read_str(const char *text, struct seen *s, struct yb_err *e)
{
    return read_as(text, strlen(text), NULL, s, e);
}

static void test_csv_reads_quoted_fields_and_counts_lines(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    const char *text = "\xEF\xBB\xBF"
                       "code,name\r\n"
                       "1,\"a, b\"\r\n"
                       "2,\"two\nlines\"\n"
                       "3,\"say \"\"hi\"\"\"\n"
                       "4,\n";
    assert_int_equal(read_str(text, &s, &e), YB_OK);
    assert_int_equal(s.rows, 5);
    assert_string_equal(s.text[0][0], "code");
    assert_string_equal(s.text[1][1], "a, b");
    assert_string_equal(s.text[2][1], "two\nlines");
    assert_string_equal(s.text[3][1], "say \"hi\"");
    assert_int_equal(s.n[4], 2);
    assert_string_equal(s.text[4][1], "");
    assert_int_equal(s.lines[1], 2);
    assert_int_equal(s.lines[2], 3);
    assert_int_equal(s.lines[3], 5); /* after the two-line record */
    assert_int_equal(s.lines[4], 6);
    for (int i = 0; i < 5; i++)
        assert_string_equal(s.bad[i], "");
}

static void test_csv_refuses_a_stray_quote_and_reads_on(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    assert_int_equal(read_str("a,b\n1,2\n3,x\"y\n4,5\n", &s, &e), YB_OK);
    assert_int_equal(s.rows, 4);
    assert_int_equal(s.lines[2], 3);
    assert_string_equal(s.bad[2],
                        "|第 3 行引号不成对或引号后有多余字符 (malformed "
                        "quoting: error parsing data while strict checking "
                        "enabled)");
    assert_int_equal(s.lines[3], 4);
    assert_string_equal(s.text[3][0], "4");
    assert_string_equal(s.bad[3], "");
}

/* An unbalanced quote swallows the lines after it until the end: its
 * record is refused, and those lines are read again as records. */
static void test_csv_unbalanced_quote_refuses_only_its_row(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    assert_int_equal(read_str("a,b\r\n1,\"open\r\n2,x\r\n3,y\r\n", &s, &e),
                     YB_OK);
    assert_int_equal(s.rows, 4);
    assert_int_equal(s.lines[1], 2);
    assert_string_equal(s.bad[1], "|第 2 行起的引号字段没有结束 "
                                  "(unterminated quoted field)");
    assert_int_equal(s.lines[2], 3);
    assert_string_equal(s.text[2][0], "2");
    assert_string_equal(s.text[2][1], "x");
    assert_string_equal(s.bad[2], "");
    assert_int_equal(s.lines[3], 4);
    assert_string_equal(s.text[3][1], "y");
    /* ended by a later quote that breaks the syntax: the same */
    assert_int_equal(read_str("a,b\n1,\"open\n2,x\n3,\"y\"\n4,z\n", &s, &e),
                     YB_OK);
    assert_int_equal(s.rows, 5);
    assert_int_equal(s.lines[1], 2);
    assert_true(strstr(s.bad[1], "第 2 行引号不成对") != NULL);
    assert_int_equal(s.lines[2], 3);
    assert_string_equal(s.text[3][1], "y");
    assert_int_equal(s.lines[4], 5);
    assert_string_equal(s.bad[4], "");
}

/* A record whose first field is quoted over several lines starts on its
 * first line, also when that field never ends (regression: the line of
 * the record was taken when its first field ended, and was 0 for an
 * unterminated first field). Blank lines before a record are skipped. */
static void
test_csv_names_the_first_line_of_a_multiline_first_field(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    assert_int_equal(
        read_str("a,b\r\n\"one\ntwo\nthree\",1\r\n\r\n\r\nx,2\r\n", &s, &e),
        YB_OK);
    assert_int_equal(s.rows, 3);
    assert_string_equal(s.text[1][0], "one\ntwo\nthree");
    assert_int_equal(s.lines[1], 2);
    assert_int_equal(s.lines[2], 7);
    assert_int_equal(
        read_str("a,b\r\n1,2\r\n\"open\r\n\r\nstill,3\r\n", &s, &e), YB_OK);
    assert_int_equal(s.rows, 4);
    assert_string_equal(s.bad[2], "|第 3 行起的引号字段没有结束 "
                                  "(unterminated quoted field)");
    assert_int_equal(s.lines[3], 5);
    assert_string_equal(s.text[3][0], "still");
}

static void test_csv_refuses_a_row_with_another_number_of_fields(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    assert_int_equal(read_str("a,b,c\n1,2,3\n1,2\n1,2,3,4\n,,\n", &s, &e),
                     YB_OK);
    assert_int_equal(s.rows, 5);
    assert_string_equal(s.bad[1], "");
    assert_string_equal(s.bad[2], "|第 3 行有 2 个字段，表头有 3 个 (2 "
                                  "fields, the header has 3)");
    assert_string_equal(s.bad[3], "|第 4 行有 4 个字段，表头有 3 个 (4 "
                                  "fields, the header has 3)");
    assert_string_equal(s.bad[4], "");
}

static void test_csv_refuses_an_oversize_field_and_reads_on(void **state)
{
    (void)state;
    size_t big = 64 * 1024 + 1, n = 0;
    static char text[64 * 1024 + 1 + 2000 * 41 + 256];
    n += (size_t)sprintf(text, "a,name\n1,");
    memset(text + n, 'x', big);
    n += big;
    n += (size_t)sprintf(text + n, "\n2,ok\n");
    struct seen s;
    struct yb_err e = {0};
    assert_int_equal(read_as(text, n, NULL, &s, &e), YB_OK);
    assert_int_equal(s.rows, 3);
    assert_string_equal(s.bad[1], "name|第 2 行第 2 列超过 65536 字节 (field "
                                  "longer than 65536 bytes)");
    assert_string_equal(s.text[2][1], "ok");
    /* the same field quoted and never closed: cut off at the limit, and
     * the line after it is read */
    n = (size_t)sprintf(text, "a,name\n1,\"");
    for (size_t i = 0; i < 2000; i++)
        n += (size_t)sprintf(text + n, "%s\n",
                             "0123456789012345678901234567890"
                             "123456789");
    memcpy(text + n, "2,ok\n", 5);
    n += 5;
    assert_int_equal(read_as(text, n, NULL, &s, &e), YB_OK);
    assert_true(strstr(s.bad[1], "第 2 行起的引号字段超过 65536 字节") != NULL);
    assert_int_equal(s.lines[2], 3); /* read again after the cut */
    assert_string_equal(s.bad[2], "|第 3 行有 1 个字段，表头有 2 个 (1 "
                                  "fields, the header has 2)");
    /* the header, the cut record, its 1,999 other lines, and 2,ok */
    assert_int_equal(s.rows, 2002);
}

static void
test_csv_refuses_text_that_is_not_utf8_naming_the_column(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    const char text[] = "certno,psn_name\n"
                        "1,\xC0\xAF\n"
                        "2,\xE5\xBC\xA0\n"
                        "3,a\0b\n"
                        "4,\xED\xA0\x80\n";
    assert_int_equal(read_as(text, sizeof text - 1, NULL, &s, &e), YB_OK);
    assert_int_equal(s.rows, 5);
    assert_string_equal(s.bad[1], "psn_name|第 2 行第 2 列不是合法的 UTF-8 "
                                  "文本：第 1 字节起为超长编码 (invalid "
                                  "UTF-8 at byte 1: overlong encoding)");
    assert_string_equal(s.bad[2], "");
    assert_string_equal(s.text[2][1], "张");
    assert_string_equal(s.bad[3], "psn_name|第 4 行第 2 列第 2 字节含有空字符 "
                                  "U+0000，不允许 (NUL at byte 2)");
    assert_true(strstr(s.bad[4], "代理码点") != NULL);
    /* a bad header is the whole file's */
    assert_int_equal(read_as("a,\xFF\n1,2\n", 8, NULL, &s, &e), YB_EINVAL);
    assert_string_equal(e.field, "t.csv");
    assert_non_null(strstr(e.msg, "表头第 1 行第 2 列不是合法的 UTF-8"));
}

static void test_csv_reads_gbk_and_gb18030(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    /* 张三 in GBK; an invalid lead byte in the second row */
    const char gbk[] = "psn_name,n\r\n\xD5\xC5\xC8\xFD,1\r\n\x81\x20,2\r\n"
                       "\xC0\xEE,3\r\n";
    assert_int_equal(read_as(gbk, sizeof gbk - 1, "gbk", &s, &e), YB_OK);
    assert_int_equal(s.rows, 4);
    assert_string_equal(s.text[1][0], "张三");
    assert_string_equal(s.bad[2], "|第 3 行第 1 字节起不是合法的 GBK 编码 (not "
                                  "valid GBK)");
    assert_string_equal(s.text[3][0], "李");
    /* the same bytes read as UTF-8: refused, naming the column */
    assert_int_equal(read_as(gbk, sizeof gbk - 1, NULL, &s, &e), YB_OK);
    assert_true(strncmp(s.bad[1], "psn_name|", 9) == 0);
    /* GB18030 with its byte-order mark; a four-byte character (U+20000) */
    const char gb18030[] = "\x84\x31\x95\x33psn_name\n\x95\x32\x82\x36,x\n";
    assert_int_equal(read_as(gb18030, sizeof gb18030 - 1, "GB18030", &s, &e),
                     YB_OK);
    assert_string_equal(s.text[0][0], "psn_name");
    assert_string_equal(s.text[1][0], "\xF0\xA0\x80\x80");
    assert_int_equal(s.n[1], 2);
    /* an unknown encoding */
    assert_int_equal(read_as("a\n", 2, "latin9", &s, &e), YB_EINVAL);
    assert_string_equal(e.field, "encoding");
}

static void test_csv_stops_when_the_callback_fails(void **state)
{
    (void)state;
    struct seen s;
    struct yb_err e = {0};
    struct yb_csv_opts o = {0};
    FILE *f = fmemopen((void *)"a\n1\n2\n3\n", 8, "r");
    memset(&s, 0, sizeof s);
    s.stop_at = 2;
    assert_int_equal(yb_csv_read(f, "t.csv", &o, collect, &s, &e), YB_EINVAL);
    fclose(f);
    assert_int_equal(s.rows, 2);
    assert_string_equal(e.msg, "stopped at 3");
}

static void test_csv_maps_columns_by_name(void **state)
{
    (void)state;
    const char *h[] = {"name", "code", "extra"};
    struct yb_csv_row header = {.line = 1, .n = 3, .f = h};
    const char *names[] = {"code", "name", "missing", NULL};
    const char *req[] = {"code", "name", NULL};
    int idx[3];
    struct yb_err e = {0};
    assert_int_equal(yb_csv_columns(&header, names, req, idx, &e), YB_OK);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 0);
    assert_int_equal(idx[2], -1);
    const char *req2[] = {"missing", NULL};
    assert_int_equal(yb_csv_columns(&header, names, req2, idx, &e), YB_EINVAL);
    assert_string_equal(e.field, "missing");
    assert_string_equal(
        e.msg, "第 1 行：缺少必需的列 missing (missing column missing)");
    const char *dup[] = {"code", "code"};
    struct yb_csv_row h2 = {.line = 1, .n = 2, .f = dup};
    assert_int_equal(yb_csv_columns(&h2, names, NULL, idx, &e), YB_EINVAL);
    const char *row_f[] = {"x"};
    struct yb_csv_row row = {.line = 2, .n = 1, .f = row_f};
    assert_string_equal(yb_csv_get(&row, 0), "x");
    assert_string_equal(yb_csv_get(&row, 1), "");
    assert_string_equal(yb_csv_get(&row, -1), "");
}

static void test_csv_writes_what_it_reads(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    const char *r1[] = {"plain", "a,b", "q\"uote", "multi\nline", ""};
    assert_int_equal(yb_csv_put_row(out, r1, 5), 0);
    fclose(out);
    assert_string_equal(buf,
                        "plain,\"a,b\",\"q\"\"uote\",\"multi\nline\",\r\n");
    struct seen s;
    struct yb_err e = {0};
    assert_int_equal(read_str(buf, &s, &e), YB_OK);
    assert_int_equal(s.rows, 1);
    assert_int_equal(s.n[0], 5);
    assert_string_equal(s.text[0][2], "q\"uote");
    assert_string_equal(s.text[0][3], "multi\nline");
    free(buf);
}

static void test_csv_refuses_too_many_fields(void **state)
{
    (void)state;
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "a\n");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s1", i ? "," : "");
    n += (size_t)snprintf(text + n, sizeof text - n, "\n2\n");
    struct seen s;
    struct yb_err e = {0};
    assert_int_equal(read_str(text, &s, &e), YB_OK);
    assert_int_equal(s.rows, 3);
    assert_string_equal(s.bad[1], "|第 2 行超过 256 个字段 (more than 256 "
                                  "fields)");
    assert_string_equal(s.bad[2], "");
    /* in the header: the whole file */
    assert_int_equal(read_str(text + 2, &s, &e), YB_EINVAL);
    assert_string_equal(e.msg, "表头第 1 行超过 256 个字段 (more than 256 "
                               "fields)");
}

static void test_csv_missing_file_is_an_io_error(void **state)
{
    (void)state;
    struct seen s = {0};
    struct yb_err e = {0};
    assert_int_equal(
        yb_csv_read_file("/nonexistent/x.csv", NULL, collect, &s, &e), YB_EIO);
    assert_string_equal(e.field, "/nonexistent/x.csv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reads_quoted_fields_and_counts_lines),
        cmocka_unit_test(test_csv_refuses_a_stray_quote_and_reads_on),
        cmocka_unit_test(test_csv_unbalanced_quote_refuses_only_its_row),
        cmocka_unit_test(
            test_csv_names_the_first_line_of_a_multiline_first_field),
        cmocka_unit_test(test_csv_refuses_a_row_with_another_number_of_fields),
        cmocka_unit_test(test_csv_refuses_an_oversize_field_and_reads_on),
        cmocka_unit_test(
            test_csv_refuses_text_that_is_not_utf8_naming_the_column),
        cmocka_unit_test(test_csv_reads_gbk_and_gb18030),
        cmocka_unit_test(test_csv_stops_when_the_callback_fails),
        cmocka_unit_test(test_csv_maps_columns_by_name),
        cmocka_unit_test(test_csv_writes_what_it_reads),
        cmocka_unit_test(test_csv_refuses_too_many_fields),
        cmocka_unit_test(test_csv_missing_file_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
