/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the synthetic-region generator (src/service/synth*.c):
 * one region of 2,000 persons is written to a temporary directory and read
 * back as CSV. Checks: the same seed gives the same bytes and another seed
 * other bytes; the counts match the files; every ID number is valid,
 * unique and agrees with the birth date and gender; the hardship share;
 * every fee line is round(cnt × pric) to the fen, bills a catalogue code
 * valid on the fee date, and adds up to its visit; the catalogue's size
 * and class split; the age pyramid; bad options are refused by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "yibao/date.h"
#include "yibao/idcard.h"
#include "yibao/money.h"
#include "yibao/synth.h"

#define PERSONS 2000
#define YEAR 2024
#define SEED 42

static const char *const files[] = {
    "regions.csv",    "institutions.csv", "schools.csv",    "catalogue.csv",
    "households.csv", "persons.csv",      "identities.csv", "payments.csv",
    "visits.csv",     "fee_lines.csv"};
#define N_FILES (sizeof files / sizeof files[0])

/* The region every test reads, written once by the group setup. */
static char dir[64];
static struct yb_synth_counts counts;

/* ---- helpers ---------------------------------------------------------------
 */

static char *slurp(const char *d, const char *name, size_t *len)
{
    char path[256];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof path, "%s/%s", d, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

/* Split the next CRLF-terminated row at *p in place (RFC 4180 quotes
 * undone); returns the number of fields, 0 at the end. */
static int next_row(char **p, char **field, int max)
{
    char *s = *p, *out;
    int n = 0;

    if (*s == '\0')
        return 0;
    for (;;) {
        assert_true(n < max);
        field[n++] = out = s;
        if (*s == '"') {
            for (s++; !(*s == '"' && s[1] != '"'); s++) {
                assert_true(*s != '\0');
                if (*s == '"')
                    s++;
                *out++ = *s;
            }
            s++;
        } else {
            while (*s != ',' && *s != '\r' && *s != '\0')
                s++;
            out = s;
        }
        if (*s == ',') {
            *out = '\0';
            s++;
            continue;
        }
        assert_true(s[0] == '\r' && s[1] == '\n');
        *out = '\0';
        *p = s + 2;
        return n;
    }
}

static int run(const char *d, uint64_t seed, struct yb_synth_counts *c)
{
    struct yb_synth_opts o = {.persons = PERSONS,
                              .year = YEAR,
                              .seed = seed,
                              .out_dir = d,
                              .counts = c};
    struct yb_err e;

    yb_err_clear(&e);
    return yb_synth_run(&o, &e);
}

static void remove_dir(const char *d)
{
    char path[256];

    for (size_t i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%s", d, files[i]);
        unlink(path);
    }
    rmdir(d);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/yb_synth_XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    return run(dir, SEED, &counts) == YB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    remove_dir(dir);
    return 0;
}

static yb_date date_of(const char *s)
{
    yb_date d;

    assert_int_equal(yb_datetime_parse(s, true, &d, NULL, "t", NULL), YB_OK);
    return d;
}

/* ---- tests
 * ------------------------------------------------------------------- */

static void test_synth_same_seed_gives_identical_bytes(void **state)
{
    char d2[64] = "/tmp/yb_synth_XXXXXX", d3[64] = "/tmp/yb_synth_XXXXXX";
    struct yb_synth_counts c2, c3;

    (void)state;
    assert_non_null(mkdtemp(d2));
    assert_non_null(mkdtemp(d3));
    assert_int_equal(run(d2, SEED, &c2), YB_OK);
    assert_int_equal(run(d3, SEED + 1, &c3), YB_OK);
    for (size_t i = 0; i < N_FILES; i++) {
        size_t n1, n2, n3;
        char *a = slurp(dir, files[i], &n1), *b = slurp(d2, files[i], &n2);
        char *c = slurp(d3, files[i], &n3);

        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        /* another seed: other people, other visits, another catalogue */
        if (i >= 3)
            assert_true(n1 != n3 || memcmp(a, c, n1) != 0);
        free(a);
        free(b);
        free(c);
    }
    assert_memory_equal(&counts, &c2, sizeof counts);
    remove_dir(d2);
    remove_dir(d3);
}

static int64_t data_rows(const char *name, int64_t *bytes)
{
    size_t len;
    char *buf = slurp(dir, name, &len), *p = buf, *f[32];
    int64_t n = -1; /* the header */

    while (next_row(&p, f, 32) > 0)
        n++;
    *bytes += (int64_t)len;
    free(buf);
    return n;
}

static void test_synth_counts_match_the_files(void **state)
{
    int64_t bytes = 0;
    const int64_t want[N_FILES] = {counts.regions,    counts.institutions,
                                   counts.schools,    counts.catalogue,
                                   counts.households, counts.persons,
                                   counts.identities, counts.payments,
                                   counts.visits,     counts.fee_lines};

    (void)state;
    for (size_t i = 0; i < N_FILES; i++)
        assert_int_equal(data_rows(files[i], &bytes), want[i]);
    assert_int_equal(bytes, counts.bytes);
    assert_int_equal(counts.persons, PERSONS);
    assert_int_equal(counts.catalogue, 50000);
    /* Kunming: the province, the city and its 14 counties */
    assert_int_equal(counts.regions, 16);
    /* the exact figures of seed 42: a change here is a change of the
     * generator (or a platform difference, which must not happen) */
    assert_int_equal(counts.households, 699);
    assert_int_equal(counts.identities, 195);
    assert_int_equal(counts.payments, 2020);
    assert_int_equal(counts.visits, 6256);
    assert_int_equal(counts.fee_lines, 27376);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_synth_every_certno_is_valid_unique_and_matches_the_person(void **state)
{
    char *buf = slurp(dir, "persons.csv", NULL), *p = buf, *f[16];
    char **ids = calloc(PERSONS, sizeof *ids);
    int n = 0, permit = 0;

    (void)state;
    assert_non_null(ids);
    assert_int_equal(next_row(&p, f, 16), 13);
    assert_string_equal(f[0], "certno");
    while (next_row(&p, f, 16) > 0) {
        struct yb_idcard id;
        yb_date brdy;

        assert_true(n < PERSONS);
        assert_int_equal(yb_idcard_parse(f[0], &id, "certno", NULL), YB_OK);
        assert_int_equal(yb_date_parse(f[4], &brdy, "brdy", NULL), YB_OK);
        assert_int_equal(id.birth, brdy);
        assert_int_equal(id.gender, atoi(f[3]));
        /* locals carry their county's code; permit holders another one */
        if (strcmp(f[12], "1") == 0) {
            permit++;
            assert_true(strncmp(f[0], "5301", 4) != 0);
        } else {
            assert_memory_equal(f[0], f[8], 6);
        }
        ids[n++] = f[0];
    }
    assert_int_equal(n, PERSONS);
    qsort(ids, (size_t)n, sizeof *ids, cmp_str);
    for (int i = 1; i < n; i++)
        assert_string_not_equal(ids[i - 1], ids[i]);
    assert_true(permit > 0 && permit < PERSONS / 10);
    free(ids);
    free(buf);
}

static void test_synth_hardship_share_is_between_5_and_10_percent(void **state)
{
    char *buf = slurp(dir, "identities.csv", NULL), *p = buf, *f[8];
    char **ids = calloc((size_t)counts.identities, sizeof *ids);
    int n = 0, distinct = 0;

    (void)state;
    assert_non_null(ids);
    assert_int_equal(next_row(&p, f, 8), 5);
    while (next_row(&p, f, 8) > 0) {
        int code = atoi(f[1]);

        /* the identity codes of 1101's idetinfo: 201 to 205 */
        assert_int_equal(strlen(f[1]), 3);
        assert_true(code >= 201 && code <= 205);
        assert_string_equal(f[4], code == 203   ? "乡村振兴"
                                  : code == 205 ? "残联"
                                                : "民政");
        assert_true(f[3][0] == '\0' || strcmp(f[3], f[2]) >= 0);
        ids[n++] = f[0];
    }
    qsort(ids, (size_t)n, sizeof *ids, cmp_str);
    for (int i = 0; i < n; i++)
        distinct += i == 0 || strcmp(ids[i - 1], ids[i]) != 0;
    assert_int_equal(distinct, counts.hardship_persons);
    assert_true(distinct * 100 >= PERSONS * 5);
    assert_true(distinct * 100 <= PERSONS * 10);
    free(ids);
    free(buf);
}

/* The catalogue as (code, valid from, valid to, class), sorted by code. */
struct cat_row {
    const char *code;
    yb_date from, to;
    int cls;
};

static int cmp_cat(const void *a, const void *b)
{
    const struct cat_row *x = a, *y = b;
    int c = strcmp(x->code, y->code);

    return c != 0 ? c : (x->from > y->from) - (x->from < y->from);
}

static struct cat_row *load_catalogue(char *buf, int *n)
{
    struct cat_row *rows = calloc(60000, sizeof *rows);
    char *p = buf, *f[16];

    assert_non_null(rows);
    *n = 0;
    assert_int_equal(next_row(&p, f, 16), 11);
    while (next_row(&p, f, 16) > 0) {
        struct cat_row *r = &rows[(*n)++];

        assert_true(*n <= 60000);
        r->code = f[0];
        r->cls = atoi(f[3]);
        r->from = date_of(f[6]);
        r->to = f[7][0] != '\0' ? date_of(f[7]) : INT32_MAX;
        assert_true(r->from <= r->to);
    }
    qsort(rows, (size_t)*n, sizeof *rows, cmp_cat);
    return rows;
}

/* Whether some version of code is valid on d. */
static bool valid_on(const struct cat_row *rows, int n, const char *code,
                     yb_date d)
{
    int lo = 0, hi = n;

    while (lo < hi) { /* first row with code >= code */
        int mid = (lo + hi) / 2;

        if (strcmp(rows[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && strcmp(rows[lo].code, code) == 0; lo++)
        if (rows[lo].from <= d && d <= rows[lo].to)
            return true;
    return false;
}

static void
test_synth_catalogue_has_50000_rows_and_a_realistic_split(void **state)
{
    char *buf = slurp(dir, "catalogue.csv", NULL);
    int n, cls[4] = {0}, versioned = 0;
    struct cat_row *rows = load_catalogue(buf, &n);

    (void)state;
    assert_int_equal(n, 50000);
    for (int i = 0; i < n; i++) {
        assert_true(rows[i].cls >= 1 && rows[i].cls <= 3);
        cls[rows[i].cls]++;
        if (i > 0 && strcmp(rows[i - 1].code, rows[i].code) == 0) {
            versioned++; /* two versions never overlap */
            assert_true(rows[i - 1].to < rows[i].from);
        }
    }
    assert_int_equal(versioned, 500);
    /* class A ~60%, B ~30%, C ~10% */
    assert_true(cls[1] >= n * 55 / 100 && cls[1] <= n * 65 / 100);
    assert_true(cls[2] >= n * 25 / 100 && cls[2] <= n * 35 / 100);
    assert_true(cls[3] >= n * 7 / 100 && cls[3] <= n * 13 / 100);
    free(rows);
    free(buf);
}

struct visit_sum {
    const char *id;
    yb_fen sum;
    yb_date begin, end;
};

static struct visit_sum *load_visits(char *buf, int *n)
{
    struct visit_sum *v = calloc((size_t)counts.visits, sizeof *v);
    char *p = buf, *f[16];

    assert_non_null(v);
    *n = 0;
    assert_int_equal(next_row(&p, f, 16), 14);
    while (next_row(&p, f, 16) > 0) {
        struct visit_sum *x = &v[(*n)++];

        x->id = f[0];
        assert_int_equal(yb_money_parse(f[13], &x->sum, "sum", NULL), YB_OK);
        x->begin = date_of(f[8]);
        x->end = date_of(f[9]);
        assert_true(x->begin <= x->end);
        assert_int_equal(yb_date_year(x->end), YEAR);
    }
    return v;
}

/* One fee line: amount exact, code valid on the fee date, inside its
 * visit; subtracts the amount from the visit's total. */
static void check_line(char **f, const struct cat_row *cat, int n_cat,
                       struct visit_sum *v)
{
    int64_t cnt, pric;
    yb_fen amt;
    yb_date d = date_of(f[3]);

    assert_int_equal(yb_decimal_parse(f[4], 4, false, &cnt, "cnt", NULL),
                     YB_OK);
    assert_int_equal(yb_decimal_parse(f[5], 6, false, &pric, "pric", NULL),
                     YB_OK);
    assert_int_equal(yb_money_parse(f[6], &amt, "amt", NULL), YB_OK);
    assert_true(cnt > 0);
    /* cnt × pric is in 1e-10 yuan = 1e-8 fen: round half up to the fen */
    assert_int_equal(amt, yb_div_half_up(cnt * pric, 100000000));
    assert_true(valid_on(cat, n_cat, f[2], d));
    assert_true(v->begin <= d && d <= v->end);
    v->sum -= amt;
}

static void test_synth_fee_lines_are_exact_valid_and_add_up(void **state)
{
    char *cbuf = slurp(dir, "catalogue.csv", NULL);
    char *vbuf = slurp(dir, "visits.csv", NULL);
    char *fbuf = slurp(dir, "fee_lines.csv", NULL), *p = fbuf, *f[16];
    int n_cat, n_vis, at = -1, lines = 0, per_visit = 0;
    struct cat_row *cat = load_catalogue(cbuf, &n_cat);
    struct visit_sum *vis = load_visits(vbuf, &n_vis);

    (void)state;
    assert_int_equal(next_row(&p, f, 16), 7);
    while (next_row(&p, f, 16) > 0) {
        /* lines come grouped by visit, in the visits' order, numbered */
        if (at < 0 || strcmp(vis[at].id, f[0]) != 0) {
            assert_true(at < 0 || vis[at].sum == 0);
            assert_true(at < 0 || (per_visit >= 1 && per_visit <= 40));
            at++;
            per_visit = 0;
            assert_true(at < n_vis);
            assert_string_equal(vis[at].id, f[0]);
        }
        assert_int_equal(atoi(f[1]), ++per_visit);
        check_line(f, cat, n_cat, &vis[at]);
        lines++;
    }
    assert_int_equal(at, n_vis - 1);
    assert_int_equal(vis[at].sum, 0);
    assert_int_equal(lines, counts.fee_lines);
    free(cat);
    free(vis);
    free(cbuf);
    free(vbuf);
    free(fbuf);
}

static void test_synth_age_pyramid_is_china_like(void **state)
{
    char *buf = slurp(dir, "persons.csv", NULL), *p = buf, *f[16];
    yb_date jan1 = yb_date_from_ymd(YEAR, 1, 1);
    int child = 0, young = 0, middle = 0, old = 0, oldest = 0;

    (void)state;
    next_row(&p, f, 16);
    while (next_row(&p, f, 16) > 0) {
        int age = yb_date_age(date_of(f[4]), jan1);

        if (age < 15) /* the year's newborns count as 0 */
            child++;
        else if (age < 30)
            young++;
        else if (age < 60)
            middle++;
        else
            old++;
        oldest = age > oldest ? age : oldest;
    }
    /* fewer children than the 30-59 bulge; elderly about 18% */
    assert_true(child * 100 >= PERSONS * 10 && child * 100 <= PERSONS * 22);
    assert_true(old * 100 >= PERSONS * 14 && old * 100 <= PERSONS * 23);
    assert_true(middle > young && middle > child && middle > old);
    assert_true(middle * 100 >= PERSONS * 38);
    assert_true(oldest >= 85);
    free(buf);
}

static void expect_refused(struct yb_synth_opts o, const char *field,
                           const char *needle)
{
    struct yb_err e;

    yb_err_clear(&e);
    assert_int_equal(yb_synth_run(&o, &e), YB_EINVAL);
    assert_string_equal(e.field, field);
    assert_non_null(strstr(e.msg, needle));
}

static void test_synth_refuses_bad_options_naming_field_and_value(void **state)
{
    struct yb_synth_opts ok = {
        .persons = 10, .year = YEAR, .seed = 1, .out_dir = dir};
    struct yb_synth_opts o;

    (void)state;
    o = ok, o.persons = 0;
    expect_refused(o, "persons", "0 不在 1 至 20000000 之间");
    o = ok, o.persons = YB_SYNTH_PERSONS_MAX + 1;
    expect_refused(o, "persons", "20000001");
    o = ok, o.year = 2015;
    expect_refused(o, "year", "2015 不在 2016 至 2099 之间");
    o = ok, o.region = "530102"; /* a county, not a prefecture */
    expect_refused(o, "region", "\"530102\"");
    o = ok, o.region = "990100"; /* no such province */
    expect_refused(o, "region", "\"990100\"");
    o = ok, o.catalogue_rows = 999;
    expect_refused(o, "catalogue_rows", "999");
    o = ok, o.out_dir = NULL;
    expect_refused(o, "out_dir", "no output directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synth_same_seed_gives_identical_bytes),
        cmocka_unit_test(test_synth_counts_match_the_files),
        cmocka_unit_test(
            test_synth_every_certno_is_valid_unique_and_matches_the_person),
        cmocka_unit_test(test_synth_hardship_share_is_between_5_and_10_percent),
        cmocka_unit_test(
            test_synth_catalogue_has_50000_rows_and_a_realistic_split),
        cmocka_unit_test(test_synth_fee_lines_are_exact_valid_and_add_up),
        cmocka_unit_test(test_synth_age_pyramid_is_china_like),
        cmocka_unit_test(test_synth_refuses_bad_options_naming_field_and_value),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
