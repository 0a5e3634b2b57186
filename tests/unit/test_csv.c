/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the CSV reader and writer: quoting, embedded newlines and
 * their line numbers, byte-order marks, header mapping, malformed input,
 * and a write/read round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/csv.h"

struct seen {
    int rows;
    long lines[8];
    char text[8][4][32];
    int n[8];
    int stop_at;
};

static int collect(const struct yb_csv_row *row, void *ud, struct yb_err *e)
{
    struct seen *s = ud;
    if (s->stop_at && row->record == s->stop_at)
        return yb_err_set(e, YB_EINVAL, "x", "stopped at %ld", row->line);
    if (s->rows < 8) {
        s->lines[s->rows] = row->line;
        s->n[s->rows] = row->n;
        for (int i = 0; i < row->n && i < 4; i++)
            snprintf(s->text[s->rows][i], 32, "%s", row->f[i]);
    }
    s->rows++;
    return YB_OK;
}

static int read_str(const char *text, struct seen *s, struct yb_err *e)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    int rc = yb_csv_read(f, "t.csv", collect, s, e);
    fclose(f);
    return rc;
}

static void test_csv_reads_quoted_fields_and_counts_lines(void **state)
{
    (void)state;
    struct seen s = {0};
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
}

static void test_csv_reports_a_stray_quote_with_its_line(void **state)
{
    (void)state;
    struct seen s = {0};
    struct yb_err e = {0};
    assert_int_equal(read_str("a,b\n1,2\n3,x\"y\n", &s, &e), YB_EPARSE);
    assert_string_equal(e.field, "t.csv");
    assert_non_null(strstr(e.msg, "line 3"));
}

static void test_csv_reports_an_unterminated_field(void **state)
{
    (void)state;
    struct seen s = {0};
    struct yb_err e = {0};
    assert_int_equal(read_str("a,b\n1,\"open\n", &s, &e), YB_EPARSE);
    assert_non_null(strstr(e.msg, "line 2"));
    assert_non_null(strstr(e.msg, "unterminated"));
}

/* A record whose first field is quoted over several lines starts on its
 * first line, also when that field never ends (regression: the line of
 * the record was taken when its first field ended, and was 0 for an
 * unterminated first field). Blank lines before a record are skipped. */
static void
test_csv_names_the_first_line_of_a_multiline_first_field(void **state)
{
    (void)state;
    struct seen s = {0};
    struct yb_err e = {0};
    assert_int_equal(
        read_str("a,b\r\n\"one\ntwo\nthree\",1\r\n\r\n\r\nx,2\r\n", &s, &e),
        YB_OK);
    assert_int_equal(s.rows, 3);
    assert_string_equal(s.text[1][0], "one\ntwo\nthree");
    assert_int_equal(s.lines[1], 2);
    assert_int_equal(s.lines[2], 7);
    assert_int_equal(read_str("a,b\r\n1,2\r\n\"open\r\n\r\nstill\r\n", &s, &e),
                     YB_EPARSE);
    assert_string_equal(e.msg, "line 3: unterminated quoted field");
}

static void test_csv_stops_when_the_callback_fails(void **state)
{
    (void)state;
    struct seen s = {.stop_at = 2};
    struct yb_err e = {0};
    assert_int_equal(read_str("a\n1\n2\n3\n", &s, &e), YB_EINVAL);
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
    assert_string_equal(e.msg, "line 1: missing column missing");
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
    struct seen s = {0};
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
    char text[2048];
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s1", i ? "," : "");
    snprintf(text + n, sizeof text - n, "\n");
    struct seen s = {0};
    struct yb_err e = {0};
    assert_int_equal(read_str(text, &s, &e), YB_EINVAL);
    assert_non_null(strstr(e.msg, "more than 256 fields"));
}

static void test_csv_missing_file_is_an_io_error(void **state)
{
    (void)state;
    struct seen s = {0};
    struct yb_err e = {0};
    assert_int_equal(yb_csv_read_file("/nonexistent/x.csv", collect, &s, &e),
                     YB_EIO);
    assert_string_equal(e.field, "/nonexistent/x.csv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reads_quoted_fields_and_counts_lines),
        cmocka_unit_test(test_csv_reports_a_stray_quote_with_its_line),
        cmocka_unit_test(test_csv_reports_an_unterminated_field),
        cmocka_unit_test(
            test_csv_names_the_first_line_of_a_multiline_first_field),
        cmocka_unit_test(test_csv_stops_when_the_callback_fails),
        cmocka_unit_test(test_csv_maps_columns_by_name),
        cmocka_unit_test(test_csv_writes_what_it_reads),
        cmocka_unit_test(test_csv_refuses_too_many_fields),
        cmocka_unit_test(test_csv_missing_file_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
