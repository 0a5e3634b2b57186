/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the JSON codecs of src/api: the visit document (every
 * field, the defaults, and the refusals with their exact field paths), the
 * catalogue and accumulator documents, and the result renderer on a
 * settlement built by hand (exact number text, accumulators that read
 * back, allocation failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/yibao.h"

#define PERSON                                                                 \
    "\"person\": {\"psn_no\": \"P1\", \"gend\": \"2\", \"brdy\": "             \
    "\"1990-02-03\", \"psn_type\": \"1501\"}"
#define MDTRT                                                                  \
    "\"mdtrt\": {\"mdtrt_id\": \"M1\", \"med_type\": \"21\", \"hosp_lv\": "    \
    "\"3\", \"insuplc_admdvs\": \"330203\", \"mdtrtarea_admvs\": "             \
    "\"330212\", \"begntime\": \"2023-03-01 08:00:00\", \"endtime\": "         \
    "\"2023-03-05\"}"
#define LINE                                                                   \
    "{\"feedetl_sn\": \"1\", \"med_list_codg\": \"A\", \"cnt\": \"2\", "       \
    "\"pric\": \"12.5\", \"det_item_fee_sumamt\": \"25.00\"}"

static int parse(const char *text, struct yb_visit_doc **d, struct yb_err *e)
{
    yb_err_clear(e);
    return yb_visit_doc_parse(text, strlen(text), d, e);
}

/* Parse a document that must fail; returns the error's field. */
static void expect_refused(const char *text, int code, const char *field,
                           const char *in_msg)
{
    struct yb_visit_doc *d = NULL;
    struct yb_err e;

    assert_int_equal(parse(text, &d, &e), code);
    assert_null(d);
    assert_string_equal(e.field, field);
    if (in_msg != NULL && strstr(e.msg, in_msg) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, in_msg);
}

/* ---- visit documents ---- */

static void test_visit_parse_reads_a_minimal_document(void **state)
{
    struct yb_visit_doc *d = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(
        parse("{" PERSON ", " MDTRT ", \"feedetail\": [" LINE "]}", &d, &e),
        YB_OK);
    assert_string_equal(d->person.psn_no, "P1");
    assert_int_equal(d->person.gender, YB_GENDER_FEMALE);
    assert_int_equal(d->person.birth, yb_date_from_ymd(1990, 2, 3));
    assert_int_equal(d->person.psn_type,
                     yb_dict_index(YB_DICT_PSN_TYPE, "1501"));
    assert_int_equal(d->person.tier, 1);
    assert_int_equal(d->person.ci_continuous_years, 0);
    assert_int_equal(d->person.ci_claim_free_years, 0);
    assert_int_equal(d->visit.med_type, yb_dict_index(YB_DICT_MED_TYPE, "21"));
    assert_int_equal(d->visit.hosp_lv, yb_dict_index(YB_DICT_HOSP_LV, "3"));
    assert_string_equal(d->visit.insuplc_admdvs, "330203");
    assert_string_equal(d->visit.mdtrtarea_admvs, "330212");
    assert_int_equal(d->visit.begin, yb_date_from_ymd(2023, 3, 1));
    assert_int_equal(d->visit.end, yb_date_from_ymd(2023, 3, 5));
    assert_int_equal(d->visit.adm_ordinal, 0);
    assert_false(d->visit.referral);
    assert_string_equal(d->insutype, "390");
    assert_int_equal(d->n_lines, 1);
    assert_int_equal(d->lines[0].cnt, 20000);
    assert_int_equal(d->lines[0].pric, 12500000);
    assert_int_equal(d->lines[0].amount, 2500);
    assert_int_equal(d->lines[0].fee_date, d->visit.begin);
    assert_false(d->has_medfee_sumamt);
    assert_int_equal(d->n_catalogue, 0);
    yb_visit_doc_free(d);
}

static void test_visit_parse_reads_the_optional_fields(void **state)
{
    struct yb_visit_doc *d = NULL;
    struct yb_err e;
    const char *text =
        "{\"person\": {\"psn_no\": 42, \"psn_name\": \"王五\", \"certno\": "
        "\"330203197007151230\", \"gend\": 1, \"brdy\": \"1970-07-15\", "
        "\"psn_type\": \"1501\", \"idet\": [\"201\", \"203\"], \"tier\": 2, "
        "\"ci_cap_bonus\": {\"continuous_years\": 8, \"claim_free_years\": "
        "3}},"
        " \"mdtrt\": {\"mdtrt_id\": \"M\", \"med_type\": 14, \"hosp_lv\": "
        "\"township\", \"fixmedins_code\": \"H33020300001\", \"insutype\": "
        "390, \"insuplc_admdvs\": 330203, \"mdtrtarea_admvs\": \"330203\", "
        "\"begntime\": \"2023-03-01\", \"endtime\": \"2023-03-01\", "
        "\"adm_ordinal\": 3, \"referral\": true, \"dise_codg\": [\"I10.x00\", "
        "\"E11.900\"], \"chronic_dise_codg\": \"I10\", \"matn_type\": \"1\"}, "
        "\"medfee_sumamt\": 37.5, \"feedetail\": [" LINE
        ", {\"feedetl_sn\": 2, \"med_list_codg\": \"B\", \"cnt\": 0.5, "
        "\"pric\": 25, \"det_item_fee_sumamt\": 12.5, \"fee_ocur_time\": "
        "\"2023-03-01 23:59:59\"}], \"catalogue\": [{\"med_list_codg\": \"A\","
        " \"list_type\": \"201\", \"chrgitm_lv\": \"01\"}]}";

    (void)state;
    assert_int_equal(parse(text, &d, &e), YB_OK);
    assert_string_equal(d->person.psn_no, "42");
    assert_string_equal(d->psn_name, "王五");
    assert_int_equal(d->person.gender, YB_GENDER_MALE);
    assert_true(d->person.idets ==
                ((UINT64_C(1) << yb_dict_index(YB_DICT_IDET, "201")) |
                 (UINT64_C(1) << yb_dict_index(YB_DICT_IDET, "203"))));
    assert_int_equal(d->person.tier, 2);
    assert_int_equal(d->person.ci_continuous_years, 8);
    assert_int_equal(d->person.ci_claim_free_years, 3);
    assert_int_equal(d->visit.med_type, yb_dict_index(YB_DICT_MED_TYPE, "14"));
    assert_string_equal(d->fixmedins_code, "H33020300001");
    assert_string_equal(d->insutype, "390");
    assert_string_equal(d->visit.insuplc_admdvs, "330203");
    assert_int_equal(d->visit.adm_ordinal, 3);
    assert_true(d->visit.referral);
    assert_int_equal(d->visit.n_diseases, 2);
    assert_string_equal(d->visit.diseases[0], "I10.x00");
    assert_string_equal(d->visit.diseases[1], "E11.900");
    assert_string_equal(d->visit.chronic_disease, "I10");
    assert_string_equal(d->visit.matn_type, "1");
    assert_true(d->has_medfee_sumamt);
    assert_int_equal(d->medfee_sumamt, 3750);
    assert_int_equal(d->n_lines, 2);
    assert_string_equal(d->lines[1].feedetl_sn, "2");
    assert_int_equal(d->lines[1].cnt, 5000);
    assert_int_equal(d->lines[1].amount, 1250);
    assert_int_equal(d->n_catalogue, 1);
    assert_int_equal(d->catalogue[0].chrgitm_lv, 1);
    yb_visit_doc_free(d);
}

static void test_visit_parse_refuses_malformed_json(void **state)
{
    (void)state;
    expect_refused("{\"person\": ", YB_EPARSE, "", "line 1");
    expect_refused("", YB_EPARSE, "", NULL);
    expect_refused("[]", YB_EINVAL, "", "object");
}

static void test_visit_parse_refuses_fractional_fen(void **state)
{
    (void)state;
    expect_refused("{" PERSON ", " MDTRT ", \"feedetail\": [{\"feedetl_sn\":"
                   " \"1\", \"med_list_codg\": \"A\", \"cnt\": \"2\", "
                   "\"pric\": \"1\", \"det_item_fee_sumamt\": \"12.345\"}]}",
                   YB_EINVAL, "feedetail[0].det_item_fee_sumamt", "12.345");
}

static void test_visit_parse_refuses_a_zero_quantity(void **state)
{
    (void)state;
    expect_refused("{" PERSON ", " MDTRT ", \"feedetail\": [" LINE ", "
                   "{\"feedetl_sn\": \"2\", \"med_list_codg\": \"A\", "
                   "\"cnt\": 0, \"pric\": \"1\", \"det_item_fee_sumamt\": 0}]}",
                   YB_EINVAL, "feedetail[1].cnt", "0 is not positive");
}

static void test_visit_parse_refuses_a_total_that_differs(void **state)
{
    (void)state;
    expect_refused("{" PERSON ", " MDTRT ", \"medfee_sumamt\": \"25.01\", "
                   "\"feedetail\": [" LINE "]}",
                   YB_EINVAL, "medfee_sumamt", "\"25.01\" differs");
}

static void test_visit_parse_refuses_a_repeated_line_number(void **state)
{
    (void)state;
    expect_refused(
        "{" PERSON ", " MDTRT ", \"feedetail\": [" LINE ", " LINE "]}",
        YB_EINVAL, "feedetail[1].feedetl_sn", "repeats feedetail[0]");
}

static void test_visit_parse_refuses_unknown_keys_and_codes(void **state)
{
    (void)state;
    expect_refused("{" PERSON ", " MDTRT ", \"feedetail\": [" LINE
                   "], \"x\": 1}",
                   YB_EINVAL, "x", "unknown key");
    expect_refused("{\"person\": {\"psn_no\": \"P\", \"gend\": \"2\", "
                   "\"brdy\": \"1990-02-03\", \"psn_type\": \"1501\", "
                   "\"tier\": 0}, " MDTRT ", \"feedetail\": [" LINE "]}",
                   YB_EINVAL, "person.tier", "minimum");
    expect_refused("{\"person\": {\"psn_no\": \"P\", \"gend\": \"2\", "
                   "\"brdy\": \"1990-02-03\", \"psn_type\": \"1501\", "
                   "\"ci_cap_bonus\": {\"claim_free_years\": 2}}, " MDTRT
                   ", \"feedetail\": [" LINE "]}",
                   YB_EINVAL, "person.ci_cap_bonus.continuous_years",
                   "required");
    expect_refused("{\"person\": {\"psn_no\": \"P\", \"gend\": \"2\", "
                   "\"brdy\": \"1990-02-03\", \"psn_type\": \"1501\", "
                   "\"ci_cap_bonus\": {\"continuous_years\": 8, "
                   "\"claim_free\": 2}}, " MDTRT ", \"feedetail\": [" LINE "]}",
                   YB_EINVAL, "person.ci_cap_bonus.claim_free", "unknown key");
    expect_refused("{" PERSON ", \"mdtrt\": {\"mdtrt_id\": \"M1\", "
                   "\"med_type\": \"21\", \"hosp_lv\": \"3\", "
                   "\"insuplc_admdvs\": \"330203\", \"mdtrtarea_admvs\": "
                   "\"330203\", \"begntime\": \"2023-03-01\", \"endtime\": "
                   "\"2023-03-05\", \"dise_codg\": [\"\"]}, \"feedetail\": "
                   "[" LINE "]}",
                   YB_EINVAL, "mdtrt.dise_codg[0]", NULL);
}

static void test_visit_parse_accepts_other_national_2204_fields(void **state)
{
    struct yb_visit_doc *d = NULL;
    struct yb_err e;
    const char *line =
        "{\"feedetl_sn\": \"1\", \"med_list_codg\": \"A\", \"cnt\": 2, "
        "\"pric\": 12.5, \"det_item_fee_sumamt\": 25, \"chrg_bchno\": "
        "\"B1\", \"medins_list_codg\": \"H-A\", \"bilg_dr_name\": \"赵\"}";
    char text[1024];

    (void)state;
    snprintf(text, sizeof text, "{" PERSON ", " MDTRT ", \"feedetail\": [%s]}",
             line);
    assert_int_equal(parse(text, &d, &e), YB_OK);
    assert_int_equal(d->lines[0].amount, 2500);
    yb_visit_doc_free(d);
    expect_refused("{" PERSON ", " MDTRT ", \"feedetail\": [{\"feedetl_sn\": "
                   "\"1\", \"med_list_codg\": \"A\", \"cnt\": \"2\", "
                   "\"pric\": \"12.5\", \"det_item_fee_sumamt\": \"25.00\", "
                   "\"det_item_fee_sum\": \"25.00\"}]}",
                   YB_EINVAL, "feedetail[0].det_item_fee_sum", "unknown key");
}

static void test_visit_parse_refuses_fee_times_outside_the_visit(void **state)
{
    (void)state;
    expect_refused("{" PERSON ", " MDTRT ", \"feedetail\": [{\"feedetl_sn\":"
                   " \"1\", \"med_list_codg\": \"A\", \"cnt\": \"2\", "
                   "\"pric\": \"1\", \"det_item_fee_sumamt\": \"2\", "
                   "\"fee_ocur_time\": \"2023-03-06 00:00:00\"}]}",
                   YB_EINVAL, "feedetail[0].fee_ocur_time",
                   "outside the visit 2023-03-01..2023-03-05");
}

/* ---- catalogue documents ---- */

static void test_catalogue_doc_parse_reads_entries_and_defaults(void **state)
{
    struct yb_catalogue_entry *c = NULL;
    struct yb_arena a;
    struct yb_err e;
    size_t n = 0;
    const char *text =
        "{\"catalogue\": [{\"med_list_codg\": \"A\", \"list_type\": \"101\", "
        "\"chrgitm_lv\": \"02\"}, {\"med_list_codg\": \"B\", "
        "\"med_list_name\": \"乙\", \"list_type\": 301, \"chrgitm_lv\": "
        "\"03\", \"selfpay_prop\": \"12.5%\", \"pric_uplmt_amt\": "
        "\"12.345678\", \"begndate\": \"2023-01-01\", \"enddate\": "
        "\"2023-12-31\", \"lmt\": {\"gend\": \"2\", \"age_min\": 0, "
        "\"age_max\": 17, \"hosp_lv\": [\"3\", \"2\"], \"med_type\": "
        "[\"21\"], \"max_cnt\": \"2.5\"}}]}";

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_catalogue_doc_parse(text, strlen(text), &a, &c, &n, &e),
                     YB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].code, "A");
    assert_null(c[0].name);
    assert_int_equal(c[0].list_type, yb_dict_index(YB_DICT_LIST_TYPE, "101"));
    assert_int_equal(c[0].chrgitm_lv, 2);
    assert_int_equal(c[0].selfpay_prop, -1);
    assert_int_equal(c[0].price_ceiling, 0);
    assert_int_equal(c[0].valid_from, yb_date_from_ymd(1900, 1, 1));
    assert_int_equal(c[0].valid_to, INT32_MAX);
    assert_int_equal(c[0].lmt_gender, 0);
    assert_int_equal(c[0].lmt_age_min, -1);
    assert_int_equal(c[0].lmt_age_max, -1);
    assert_true(c[0].lmt_levels == 0 && c[0].lmt_med_types == 0);
    assert_int_equal(c[0].lmt_max_cnt, 0);
    assert_string_equal(c[1].name, "乙");
    assert_int_equal(c[1].chrgitm_lv, 3);
    assert_int_equal(c[1].selfpay_prop, 1250);
    assert_int_equal(c[1].price_ceiling, 12345678);
    assert_int_equal(c[1].valid_to, yb_date_from_ymd(2023, 12, 31));
    assert_int_equal(c[1].lmt_gender, YB_GENDER_FEMALE);
    assert_int_equal(c[1].lmt_age_min, 0);
    assert_int_equal(c[1].lmt_age_max, 17);
    assert_true(c[1].lmt_levels ==
                ((UINT64_C(1) << yb_dict_index(YB_DICT_HOSP_LV, "3")) |
                 (UINT64_C(1) << yb_dict_index(YB_DICT_HOSP_LV, "2"))));
    assert_int_equal(c[1].lmt_max_cnt, 25000);
    yb_arena_free(&a);
}

static void test_catalogue_doc_parse_names_the_entry(void **state)
{
    struct yb_catalogue_entry *c = NULL;
    struct yb_arena a;
    struct yb_err e;
    size_t n = 0;
    const char *arr = "[{\"med_list_codg\": \"A\", \"list_type\": \"101\", "
                      "\"chrgitm_lv\": \"01\"}, {\"med_list_codg\": \"B\", "
                      "\"list_type\": \"101\", \"chrgitm_lv\": \"01\", "
                      "\"lmt\": {\"age_min\": 18, \"age_max\": 3}}]";

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_catalogue_doc_parse(arr, strlen(arr), &a, &c, &n, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "catalogue[1].lmt.age_max");
    assert_null(c);
    assert_int_equal(n, 0);
    yb_arena_free(&a);
}

/* ---- accumulator documents ---- */

static void test_accums_doc_parse_reads_both_shapes(void **state)
{
    struct yb_accums acc;
    struct yb_arena a;
    struct yb_err e;
    const char *bare = "{\"year\": 2023, \"amounts\": {\"inpatient.paid\": "
                       "\"13160.00\", \"critical.dedc\": 5}, \"counts\": "
                       "{\"admissions\": 2}}";
    const char *result = "{\"setlinfo\": {\"x\": 1}, \"accumulators\": "
                         "{\"year\": 2018, \"amounts\": {}, \"counts\": {}}}";

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_accums_doc_parse(bare, strlen(bare), &a, &acc, &e),
                     YB_OK);
    assert_int_equal(acc.year, 2023);
    assert_int_equal(acc.n, 3);
    assert_string_equal(acc.items[0].key, "inpatient.paid");
    assert_int_equal(acc.items[0].value, 1316000);
    assert_int_equal(acc.items[1].value, 500);
    assert_string_equal(acc.items[2].key, "admissions");
    assert_int_equal(acc.items[2].value, 2);
    assert_int_equal(yb_accums_doc_parse(result, strlen(result), &a, &acc, &e),
                     YB_OK);
    assert_int_equal(acc.year, 2018);
    assert_int_equal(acc.n, 0);
    yb_arena_free(&a);
}

static void
test_accums_doc_parse_refuses_repeats_and_misplaced_keys(void **state)
{
    struct yb_accums acc;
    struct yb_arena a;
    struct yb_err e;
    const char *twice = "{\"year\": 2023, \"amounts\": {\"a\": \"1\", \"a\": "
                        "\"2\"}}";
    const char *count = "{\"year\": 2023, \"counts\": {\"x.paid\": 1}}";
    const char *noyear = "{\"amounts\": {}}";

    (void)state;
    yb_arena_init(&a, 0);
    assert_int_equal(yb_accums_doc_parse(twice, strlen(twice), &a, &acc, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "accumulators.amounts.a");
    assert_int_equal(acc.n, 0);
    assert_int_equal(yb_accums_doc_parse(count, strlen(count), &a, &acc, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "accumulators.counts.x.paid");
    assert_int_equal(yb_accums_doc_parse(noyear, strlen(noyear), &a, &acc, &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "accumulators.year");
    yb_arena_free(&a);
}

/* ---- rendering ---- */

/* A settlement of one line built by hand (no engine involved). */
struct fixture {
    struct yb_visit_doc *doc;
    struct yb_line_result line;
    struct yb_accum items[2];
    struct yb_settlement s;
};

static void fixture_init(struct fixture *f)
{
    struct yb_err e;

    memset(f, 0, sizeof *f);
    assert_int_equal(parse("{" PERSON ", " MDTRT ", \"feedetail\": [" LINE "]}",
                           &f->doc, &e),
                     YB_OK);
    f->line.line = &f->doc->lines[0];
    f->line.selfpay_prop = 1000;
    f->line.pric_uplmt_amt = 10000000;
    f->line.preselfpay_amt = 250;
    f->line.inscp_scp_amt = 2250;
    f->line.chrgitm_lv = 2;
    f->s.lines = &f->line;
    f->s.n_lines = 1;
    f->s.info.medfee_sumamt = 2500;
    f->s.info.preselfpay_amt = 250;
    f->s.info.inscp_scp_amt = 2250;
    f->s.info.psn_part_amt = 2500;
    f->s.info.psn_cash_pay = 2500;
    f->items[0] = (struct yb_accum){"inpatient.base", 225000};
    f->items[1] = (struct yb_accum){"admissions", 1};
    f->s.after = (struct yb_accums){2023, f->items, 2};
    f->s.adm_ordinal = 1;
    f->s.age = 33;
}

static void test_settlement_json_writes_exact_decimals(void **state)
{
    struct fixture f;
    struct yb_arena a;
    const char *js;

    (void)state;
    fixture_init(&f);
    yb_arena_init(&a, 0);
    js = yb_settlement_json(&f.s, f.doc, false, &a);
    assert_non_null(js);
    assert_non_null(strstr(js, "\"medfee_sumamt\":\t25.00,"));
    assert_non_null(strstr(js, "\"cnt\":\t2.0000,"));
    assert_non_null(strstr(js, "\"pric\":\t12.500000,"));
    assert_non_null(strstr(js, "\"pric_uplmt_amt\":\t10.000000,"));
    assert_non_null(strstr(js, "\"selfpay_prop\":\t0.1000,"));
    assert_non_null(strstr(js, "\"chrgitm_lv\":\t\"02\","));
    /* not in the catalogue: "" (no field is ever null) */
    assert_non_null(strstr(js, "\"med_chrgitm_type\":\t\"\","));
    assert_null(strstr(js, "null"));
    /* the ratio with 4 decimals */
    assert_non_null(strstr(js, "\"pool_prop_selfpay\":\t0.0000,"));
    assert_non_null(strstr(js, "\"clr_type\":\t\"21\","));
    assert_non_null(strstr(js, "\"gend\":\t\"2\","));
    assert_non_null(strstr(js, "\"inpatient.base\":\t\"2250.00\""));
    assert_non_null(strstr(js, "\"admissions\":\t1"));
    assert_null(strstr(js, "\"trace\""));
    yb_arena_free(&a);
    yb_visit_doc_free(f.doc);
}

static void test_settlement_json_accumulators_read_back(void **state)
{
    struct fixture f;
    struct yb_accums acc;
    struct yb_arena a;
    struct yb_err e;
    const char *js;

    (void)state;
    fixture_init(&f);
    yb_arena_init(&a, 0);
    js = yb_settlement_json(&f.s, f.doc, false, &a);
    assert_non_null(js);
    assert_int_equal(yb_accums_doc_parse(js, strlen(js), &a, &acc, &e), YB_OK);
    assert_int_equal(acc.year, 2023);
    assert_int_equal(acc.n, 2);
    assert_int_equal(yb_accums_get(&acc, "inpatient.base"), 225000);
    assert_int_equal(yb_accums_get(&acc, "admissions"), 1);
    yb_arena_free(&a);
    yb_visit_doc_free(f.doc);
}

static void test_settlement_renderers_return_null_without_memory(void **state)
{
    struct fixture f;
    struct yb_arena a;

    (void)state;
    fixture_init(&f);
    yb_arena_init(&a, 0);
    a.fail_after = 0;
    assert_null(yb_settlement_json(&f.s, f.doc, false, &a));
    assert_null(yb_settlement_text(&f.s, f.doc, false, &a));
    yb_arena_free(&a);
    yb_visit_doc_free(f.doc);
}

static void test_settlement_text_lists_every_figure(void **state)
{
    struct fixture f;
    struct yb_arena a;
    const char *t;

    (void)state;
    fixture_init(&f);
    yb_arena_init(&a, 0);
    t = yb_settlement_text(&f.s, f.doc, false, &a);
    assert_non_null(t);
    assert_non_null(strstr(t, "\n医疗费用总额 25.00 元\n"));
    assert_non_null(strstr(t, "\n先行自付金额 2.50 元\n"));
    assert_non_null(strstr(t, "\n个人负担总金额 25.00 元\n"));
    assert_non_null(strstr(t, "就诊ID M1\n"));
    assert_null(strstr(t, "计算过程"));
    yb_arena_free(&a);
    yb_visit_doc_free(f.doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visit_parse_reads_a_minimal_document),
        cmocka_unit_test(test_visit_parse_reads_the_optional_fields),
        cmocka_unit_test(test_visit_parse_refuses_malformed_json),
        cmocka_unit_test(test_visit_parse_refuses_fractional_fen),
        cmocka_unit_test(test_visit_parse_refuses_a_zero_quantity),
        cmocka_unit_test(test_visit_parse_refuses_a_total_that_differs),
        cmocka_unit_test(test_visit_parse_refuses_a_repeated_line_number),
        cmocka_unit_test(test_visit_parse_refuses_unknown_keys_and_codes),
        cmocka_unit_test(test_visit_parse_accepts_other_national_2204_fields),
        cmocka_unit_test(test_visit_parse_refuses_fee_times_outside_the_visit),
        cmocka_unit_test(test_catalogue_doc_parse_reads_entries_and_defaults),
        cmocka_unit_test(test_catalogue_doc_parse_names_the_entry),
        cmocka_unit_test(test_accums_doc_parse_reads_both_shapes),
        cmocka_unit_test(
            test_accums_doc_parse_refuses_repeats_and_misplaced_keys),
        cmocka_unit_test(test_settlement_json_writes_exact_decimals),
        cmocka_unit_test(test_settlement_json_accumulators_read_back),
        cmocka_unit_test(test_settlement_renderers_return_null_without_memory),
        cmocka_unit_test(test_settlement_text_lists_every_figure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
