/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the policy loader (src/policy): a full policy whose every
 * figure is asserted after loading, the defaults of a minimal one, one
 * test per class of invalid policy asserting the exact field path and that
 * the message names the offending value, and every allocation failure.
 * Policies are written with single quotes for readability; load() turns
 * them into JSON (no test text contains an apostrophe).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/policy/policy_int.h"
#include "yibao/idcard.h"
#include "policy_fixture.h"
#include "yibao/policy.h"

/* ---- helpers ---- */

/* The policy is refused at field with a message naming value (the wording
 * belongs to the strict parsers of money.h and date.h). */
static void refused_naming(const char *sq, const char *field, const char *value)
{
    struct yb_policy *p = (struct yb_policy *)&p;
    struct yb_err e;

    assert_int_equal(load(sq, &p, &e), YB_EPOLICY);
    assert_null(p);
    assert_int_equal(e.code, YB_EPOLICY);
    assert_string_equal(e.field, field);
    if (strstr(e.msg, value) == NULL)
        fail_msg("message \"%s\" does not name %s", e.msg, value);
}

static uint64_t bit(enum yb_dict_kind kind, const char *code)
{
    int i = yb_dict_index(kind, code);

    assert_true(i >= 0 && i < 64);
    return UINT64_C(1) << i;
}

/* A selector with nothing set. */
static void assert_when_empty(const struct yb_when *w)
{
    assert_true(yb__when_is_empty(w));
    assert_int_equal(w->age_min, -1);
    assert_int_equal(w->age_max, -1);
    assert_int_equal(w->referral, -1);
    assert_null(w->diseases);
    assert_null(w->matn_types);
}

#define HEAD                                                                   \
    "{'schema': 'yibao.policy/1', 'region': '330200', 'insutype': '390', "     \
    "'year': 2023, "
/* A document whose only layer is x. */
#define ONE_LAYER(x) HEAD "'benefits': {'layers': [" x "]}}"
/* A basic layer with a 70% rate plus the keys in x. */
#define BASIC(x)                                                               \
    "{'id': 'inpatient', 'name': '住院统筹', 'stage': 'basic', "           \
    "'rates': {'rules': [{'rate': '70%'}]}" x "}"
/* A basic layer with the rates object r. */
#define RATES(r)                                                               \
    ONE_LAYER("{'id': 'inpatient', 'name': '住院统筹', 'stage': 'basic', " \
              "'rates': " r "}")
/* A basic layer whose selector is w. */
#define WHEN(w) ONE_LAYER(BASIC(", 'when': " w))

/* ---- a full policy ---- */

static const char full_policy[] =
    "{'schema': 'yibao.policy/1',"
    " 'name': '示例市2023年城乡居民医保待遇',"
    " 'source': '示例市医保局〔2023〕1号',"
    " 'region': '330200', 'insutype': '390', 'year': 2023,"
    " 'valid_from': '2023-02-01', 'valid_to': '2023-12-31',"
    " 'classification': {'unknown_item': 'self_pay',"
    "   'default_selfpay_prop': {'101': '10%', '201': 0.05}},"
    " 'caps': [{'id': 'basic_total', 'name': '基本医保与大病保险合计',"
    "   'amount': '300000.00', 'exempt': {'idet': ['201']}},"
    "  {'id': 'outpatient_total', 'amount': 2000}],"
    " 'benefits': {'layers': ["
    "  {'id': 'inpatient', 'name': '住院统筹', 'stage': 'basic',"
    "   'when': {'med_type': ['21', '22', 24]},"
    "   'deductible': {'scope': 'visit',"
    "     'rules': [{'when': {'hosp_lv': ['3']}, 'amount': '1200.00'},"
    "               {'when': {'hosp_lv': ['2']}, 'amount': 800},"
    "               {'amount': '300'}],"
    "     'ordinal_factors': ['100%', 0.5],"
    "     'adjust': [{'when': {'idet': ['201', '202']}, 'amount': '0'},"
    "                {'when': {'age_max': 17}, 'factor': '50%'}]},"
    "   'rates': {'measure': 'visit', 'bands_from': 'zero',"
    "     'rules': [{'when': {'hosp_lv': ['3']}, 'bands': ["
    "                 {'from': '0', 'rate': '68%'},"
    "                 {'from': '20000', 'rate': '73%'}]},"
    "               {'rate': '80%'}],"
    "     'adjust': [{'when': {'place': ['in_province', 'out_province'],"
    "                          'referral': false}, 'points': '-10%'},"
    "                {'when': {'idet': ['203']}, 'points': '5%'}],"
    "     'min_rate': '50%', 'max_rate': '90%'},"
    "   'cap': {'amount': '150000.00', 'shared': ['basic_total']}},"
    "  {'id': 'maternity', 'name': '住院分娩', 'stage': 'basic',"
    "   'method': 'flat', 'when': {'med_type': ['52'], 'gender': '2'},"
    "   'flat': [{'when': {'matn_type': ['1', 2]}, 'amount': '2000.00'},"
    "            {'amount': 3000}]},"
    "  {'id': 'critical', 'name': '大病保险', 'stage': 'critical',"
    "   'base': 'scope_burden_preselfpay', 'accumulate_as': 'dabing_2023',"
    "   'deductible': {'scope': 'year', 'rules': [{'amount': '20000.00'}]},"
    "   'rates': {'measure': 'year', 'bands_from': 'deductible',"
    "     'rules': [{'bands': [{'from': 0, 'rate': '60%'},"
    "                          {'from': '50000', 'rate': '70%'},"
    "                          {'from': '100000.00', 'rate': '80%'}]}]},"
    "   'cap': {'rules': [{'when': {'idet': ['201']}, 'amount': '600000'},"
    "                     {'amount': '400000.00'}],"
    "     'per_disease': false,"
    "     'exempt': {'idet': ['202', '203'], 'no_idet': ['201']},"
    "     'shared': ['outpatient_total', 'basic_total']}},"
    "  {'id': 'assist_1', 'name': '医疗救助', 'stage': 'assist',"
    "   'fund': 610100, 'base': 'total_burden',"
    "   'when': {'idet': ['201', '202'], 'psn_type': ['1501', '1601'],"
    "     'tier': [1, '2'], 'ordinal_min': 1, 'ordinal_max': 3,"
    "     'age_min': 18, 'age_max': 59, 'disease': ['I10', 'E11'],"
    "     'place': ['local'], 'referral': true, 'hosp_lv': ['township'],"
    "     'no_idet': ['205']},"
    "   'rates': {'rules': [{'rate': '70%'}]},"
    "   'cap': {'amount': 50000, 'per_disease': true}}"
    " ]}}";

static void test_policy_full_header_and_classification(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    int i;

    (void)state;
    assert_string_equal(p->name, "示例市2023年城乡居民医保待遇");
    assert_string_equal(p->source, "示例市医保局〔2023〕1号");
    assert_string_equal(p->region, "330200");
    assert_string_equal(p->insutype, "390");
    assert_int_equal(p->year, 2023);
    assert_int_equal(p->valid_from, yb_date_from_ymd(2023, 2, 1));
    assert_int_equal(p->valid_to, yb_date_from_ymd(2023, 12, 31));
    assert_int_equal(p->classify.unknown_item, YB_UNKNOWN_SELF_PAY);
    for (i = 0; i < 16; i++) {
        yb_rate want = i == yb_dict_index(YB_DICT_LIST_TYPE, "101")   ? 1000
                       : i == yb_dict_index(YB_DICT_LIST_TYPE, "201") ? 500
                                                                      : -1;

        assert_int_equal(p->classify.default_selfpay[i], want);
    }
    assert_int_equal(p->n_caps, 2);
    assert_string_equal(p->caps[0].id, "basic_total");
    assert_string_equal(p->caps[0].name, "基本医保与大病保险合计");
    assert_int_equal(p->caps[0].amount, 30000000);
    assert_true(p->caps[0].has_exempt);
    assert_true(p->caps[0].exempt.idets == bit(YB_DICT_IDET, "201"));
    assert_string_equal(p->caps[0].path, "caps[0]");
    assert_string_equal(p->caps[1].id, "outpatient_total");
    assert_string_equal(p->caps[1].name, "outpatient_total");
    assert_int_equal(p->caps[1].amount, 200000);
    assert_false(p->caps[1].has_exempt);
    assert_when_empty(&p->caps[1].exempt);
    assert_string_equal(p->caps[1].path, "caps[1]");
    assert_int_equal(yb_policy_cap_index(p, "outpatient_total"), 1);
    assert_int_equal(yb_policy_cap_index(p, "basic"), -1);
    assert_int_equal(p->n_layers, 4);
    yb_policy_free(p);
}

static void test_policy_full_inpatient_deductible(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_layer *l = &p->layers[0];
    const struct yb_deductible *d = &l->deductible;

    (void)state;
    assert_string_equal(l->id, "inpatient");
    assert_string_equal(l->name, "住院统筹");
    assert_string_equal(l->fund, "390100");
    assert_string_equal(l->accumulate_as, "inpatient");
    assert_string_equal(l->path, "benefits.layers[0]");
    assert_int_equal(l->stage, YB_STAGE_BASIC);
    assert_int_equal(l->base, YB_BASE_SCOPE);
    assert_int_equal(l->method, YB_METHOD_BANDED);
    assert_true(l->when.med_types ==
                (bit(YB_DICT_MED_TYPE, "21") | bit(YB_DICT_MED_TYPE, "22") |
                 bit(YB_DICT_MED_TYPE, "24")));
    assert_int_equal(d->scope, YB_MEASURE_VISIT);
    assert_int_equal(d->n_rules, 3);
    assert_true(d->rules[0].when.levels == bit(YB_DICT_HOSP_LV, "3"));
    assert_int_equal(d->rules[0].amount, 120000);
    assert_string_equal(d->rules[0].path,
                        "benefits.layers[0].deductible.rules[0]");
    assert_true(d->rules[1].when.levels == bit(YB_DICT_HOSP_LV, "2"));
    assert_int_equal(d->rules[1].amount, 80000);
    assert_when_empty(&d->rules[2].when);
    assert_int_equal(d->rules[2].amount, 30000);
    assert_string_equal(d->rules[2].path,
                        "benefits.layers[0].deductible.rules[2]");
    assert_int_equal(d->n_ordinal_factors, 2);
    assert_int_equal(d->ordinal_factors[0], 10000);
    assert_int_equal(d->ordinal_factors[1], 5000);
    assert_int_equal(d->n_adjust, 2);
    assert_true(d->adjust[0].when.idets ==
                (bit(YB_DICT_IDET, "201") | bit(YB_DICT_IDET, "202")));
    assert_true(d->adjust[0].set_amount);
    assert_int_equal(d->adjust[0].amount, 0);
    assert_string_equal(d->adjust[0].path,
                        "benefits.layers[0].deductible.adjust[0]");
    assert_int_equal(d->adjust[1].when.age_max, 17);
    assert_int_equal(d->adjust[1].when.age_min, -1);
    assert_false(d->adjust[1].set_amount);
    assert_int_equal(d->adjust[1].factor, 5000);
    yb_policy_free(p);
}

static void test_policy_full_inpatient_rates_and_cap(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_layer *l = &p->layers[0];
    const struct yb_rates *r = &l->rates;

    (void)state;
    assert_int_equal(r->measure, YB_MEASURE_VISIT);
    assert_int_equal(r->origin, YB_BANDS_FROM_ZERO);
    assert_int_equal(r->n_rules, 2);
    assert_true(r->rules[0].when.levels == bit(YB_DICT_HOSP_LV, "3"));
    assert_int_equal(r->rules[0].n_bands, 2);
    assert_int_equal(r->rules[0].bands[0].from, 0);
    assert_int_equal(r->rules[0].bands[0].rate, 6800);
    assert_int_equal(r->rules[0].bands[1].from, 2000000);
    assert_int_equal(r->rules[0].bands[1].rate, 7300);
    assert_string_equal(r->rules[0].path, "benefits.layers[0].rates.rules[0]");
    assert_when_empty(&r->rules[1].when);
    assert_int_equal(r->rules[1].n_bands, 1);
    assert_int_equal(r->rules[1].bands[0].from, 0);
    assert_int_equal(r->rules[1].bands[0].rate, 8000);
    assert_int_equal(r->n_adjust, 2);
    assert_true(r->adjust[0].when.places ==
                (bit(YB_DICT_PLACE, "in_province") |
                 bit(YB_DICT_PLACE, "out_province")));
    assert_int_equal(r->adjust[0].when.referral, 0);
    assert_int_equal(r->adjust[0].points, -1000);
    assert_string_equal(r->adjust[0].path,
                        "benefits.layers[0].rates.adjust[0]");
    assert_true(r->adjust[1].when.idets == bit(YB_DICT_IDET, "203"));
    assert_int_equal(r->adjust[1].points, 500);
    assert_int_equal(r->min_rate, 5000);
    assert_int_equal(r->max_rate, 9000);
    assert_int_equal(l->cap.n_rules, 1);
    assert_when_empty(&l->cap.rules[0].when);
    assert_int_equal(l->cap.rules[0].amount, 15000000);
    assert_string_equal(l->cap.rules[0].path, "benefits.layers[0].cap");
    assert_false(l->cap.per_disease);
    assert_false(l->cap.has_exempt);
    assert_int_equal(l->cap.n_shared, 1);
    assert_int_equal(l->cap.shared[0], 0);
    assert_int_equal(l->n_flat, 0);
    assert_null(l->flat);
    yb_policy_free(p);
}

static void test_policy_full_flat_maternity_layer(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_layer *l = &p->layers[1];

    (void)state;
    assert_string_equal(l->id, "maternity");
    assert_int_equal(l->stage, YB_STAGE_BASIC);
    assert_int_equal(l->method, YB_METHOD_FLAT);
    assert_true(l->when.med_types == bit(YB_DICT_MED_TYPE, "52"));
    assert_int_equal(l->when.gender, YB_GENDER_FEMALE);
    assert_int_equal(l->n_flat, 2);
    assert_int_equal(l->flat[0].when.n_matn_types, 2);
    assert_string_equal(l->flat[0].when.matn_types[0], "1");
    assert_string_equal(l->flat[0].when.matn_types[1], "2");
    assert_int_equal(l->flat[0].amount, 200000);
    assert_string_equal(l->flat[0].path, "benefits.layers[1].flat[0]");
    assert_when_empty(&l->flat[1].when);
    assert_int_equal(l->flat[1].amount, 300000);
    assert_int_equal(l->rates.n_rules, 0);
    assert_int_equal(l->rates.min_rate, 0);
    assert_int_equal(l->rates.max_rate, 10000);
    assert_int_equal(l->deductible.n_rules, 0);
    assert_int_equal(l->cap.n_rules, 0);
    assert_int_equal(l->cap.n_shared, 0);
    yb_policy_free(p);
}

static void test_policy_full_critical_layer(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_layer *l = &p->layers[2];
    const struct yb_band *b;

    (void)state;
    assert_string_equal(l->id, "critical");
    assert_string_equal(l->fund, "390200");
    assert_string_equal(l->accumulate_as, "dabing_2023");
    assert_int_equal(l->stage, YB_STAGE_CRITICAL);
    assert_int_equal(l->base, YB_BASE_SCOPE_BURDEN_PRESELFPAY);
    assert_when_empty(&l->when);
    assert_int_equal(l->deductible.scope, YB_MEASURE_YEAR);
    assert_int_equal(l->deductible.n_rules, 1);
    assert_int_equal(l->deductible.rules[0].amount, 2000000);
    assert_int_equal(l->deductible.n_ordinal_factors, 0);
    assert_int_equal(l->rates.measure, YB_MEASURE_YEAR);
    assert_int_equal(l->rates.origin, YB_BANDS_FROM_DEDUCTIBLE);
    assert_int_equal(l->rates.n_rules, 1);
    assert_int_equal(l->rates.rules[0].n_bands, 3);
    b = l->rates.rules[0].bands;
    assert_int_equal(b[0].from, 0);
    assert_int_equal(b[0].rate, 6000);
    assert_int_equal(b[1].from, 5000000);
    assert_int_equal(b[1].rate, 7000);
    assert_int_equal(b[2].from, 10000000);
    assert_int_equal(b[2].rate, 8000);
    assert_int_equal(l->cap.n_rules, 2);
    assert_true(l->cap.rules[0].when.idets == bit(YB_DICT_IDET, "201"));
    assert_int_equal(l->cap.rules[0].amount, 60000000);
    assert_string_equal(l->cap.rules[1].path,
                        "benefits.layers[2].cap.rules[1]");
    assert_int_equal(l->cap.rules[1].amount, 40000000);
    assert_true(l->cap.has_exempt);
    assert_true(l->cap.exempt.idets ==
                (bit(YB_DICT_IDET, "202") | bit(YB_DICT_IDET, "203")));
    assert_true(l->cap.exempt.no_idets == bit(YB_DICT_IDET, "201"));
    assert_int_equal(l->cap.n_shared, 2);
    assert_int_equal(l->cap.shared[0], 1);
    assert_int_equal(l->cap.shared[1], 0);
    yb_policy_free(p);
}

static void test_policy_full_assistance_layer_selector(void **state)
{
    struct yb_policy *p = load_ok(full_policy);
    const struct yb_layer *l = &p->layers[3];
    const struct yb_when *w = &l->when;

    (void)state;
    assert_string_equal(l->fund, "610100");
    assert_int_equal(l->stage, YB_STAGE_ASSIST);
    assert_int_equal(l->base, YB_BASE_TOTAL_BURDEN);
    assert_true(w->idets ==
                (bit(YB_DICT_IDET, "201") | bit(YB_DICT_IDET, "202")));
    assert_true(w->no_idets == bit(YB_DICT_IDET, "205"));
    assert_true(w->psn_types == (bit(YB_DICT_PSN_TYPE, "1501") |
                                 bit(YB_DICT_PSN_TYPE, "1601")));
    assert_true(w->levels == bit(YB_DICT_HOSP_LV, "township"));
    assert_true(w->places == bit(YB_DICT_PLACE, "local"));
    assert_true(w->med_types == 0);
    assert_int_equal(w->tiers, (1u << 1) | (1u << 2));
    assert_int_equal(w->ordinal_min, 1);
    assert_int_equal(w->ordinal_max, 3);
    assert_int_equal(w->age_min, 18);
    assert_int_equal(w->age_max, 59);
    assert_int_equal(w->gender, 0);
    assert_int_equal(w->referral, 1);
    assert_int_equal(w->n_diseases, 2);
    assert_string_equal(w->diseases[0], "I10");
    assert_string_equal(w->diseases[1], "E11");
    assert_int_equal(w->n_matn_types, 0);
    assert_int_equal(l->rates.rules[0].bands[0].rate, 7000);
    assert_int_equal(l->cap.rules[0].amount, 5000000);
    assert_true(l->cap.per_disease);
    yb_policy_free(p);
}

static void test_policy_minimal_gets_every_default(void **state)
{
    struct yb_policy *p =
        load_ok(ONE_LAYER("{'id': 'c', 'name': '门诊', 'stage': 'basic',"
                          " 'rates': {'rules': [{'rate': '50%'}]}},"
                          " {'id': 'a', 'name': '大病', 'stage': 'critical',"
                          " 'rates': {'rules': [{'rate': 0.6}]}},"
                          " {'id': 'b', 'name': '救助', 'stage': 'assist',"
                          " 'rates': {'rules': [{'rate': '70%'}]}}"));
    const struct yb_layer *l = &p->layers[1];
    int i;

    (void)state;
    assert_string_equal(p->name, "");
    assert_string_equal(p->source, "");
    assert_int_equal(p->valid_from, yb_date_from_ymd(2023, 1, 1));
    assert_int_equal(p->valid_to, yb_date_from_ymd(2023, 12, 31));
    assert_int_equal(p->classify.unknown_item, YB_UNKNOWN_REJECT);
    for (i = 0; i < 16; i++)
        assert_int_equal(p->classify.default_selfpay[i], -1);
    assert_int_equal(p->n_caps, 0);
    assert_null(p->caps);
    assert_string_equal(l->fund, "390200");
    assert_int_equal(l->base, YB_BASE_SCOPE_BURDEN);
    assert_int_equal(l->method, YB_METHOD_BANDED);
    assert_string_equal(l->accumulate_as, "a");
    assert_when_empty(&l->when);
    assert_int_equal(l->deductible.scope, YB_MEASURE_VISIT);
    assert_int_equal(l->deductible.n_rules, 0);
    assert_int_equal(l->deductible.n_ordinal_factors, 0);
    assert_int_equal(l->deductible.n_adjust, 0);
    assert_int_equal(l->rates.measure, YB_MEASURE_VISIT);
    assert_int_equal(l->rates.origin, YB_BANDS_FROM_ZERO);
    assert_int_equal(l->rates.rules[0].bands[0].rate, 6000);
    assert_int_equal(l->rates.n_adjust, 0);
    assert_int_equal(l->rates.min_rate, 0);
    assert_int_equal(l->rates.max_rate, 10000);
    assert_int_equal(l->cap.n_rules, 0);
    assert_false(l->cap.per_disease);
    assert_false(l->cap.has_exempt);
    assert_when_empty(&l->cap.exempt);
    assert_int_equal(l->cap.n_shared, 0);
    assert_string_equal(p->layers[2].fund, "610100");
    assert_int_equal(p->layers[2].base, YB_BASE_SCOPE_BURDEN);
    assert_string_equal(p->layers[0].fund, "390100");
    assert_int_equal(p->layers[0].base, YB_BASE_SCOPE);
    yb_policy_free(p);
}

static void test_policy_reads_only_len_bytes(void **state)
{
    char *t = to_json(ONE_LAYER(BASIC("")) "trailing garbage");
    size_t len = strlen(t) - strlen("trailing garbage");
    struct yb_policy *p = NULL;
    struct yb_err e;

    (void)state;
    assert_int_equal(yb_policy_parse(t, len, &p, &e), YB_OK);
    assert_int_equal(p->n_layers, 1);
    yb_policy_free(p);
    free(t);
}

/* The example in docs/policy.md (the first json block) loads, and its
 * inpatient layer carries E3's figures. Tests run from the source root. */
static void test_policy_docs_example_loads(void **state)
{
    static char text[16384];
    FILE *f = fopen("docs/policy.md", "rb");
    size_t n;
    char *start, *end;
    struct yb_policy *p = NULL;
    struct yb_err e;

    (void)state;
    assert_non_null(f);
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    start = strstr(text, "```json\n");
    assert_non_null(start);
    start += strlen("```json\n");
    end = strstr(start, "```");
    assert_non_null(end);
    if (yb_policy_parse(start, (size_t)(end - start), &p, &e) != YB_OK)
        fail_msg("docs example refused: %s: %s", e.field, e.msg);
    assert_int_equal(p->n_layers, 3);
    assert_int_equal(p->n_caps, 1);
    assert_int_equal(p->layers[0].deductible.rules[0].amount, 120000);
    assert_int_equal(p->layers[0].rates.rules[0].bands[0].rate, 7000);
    assert_int_equal(p->layers[0].rates.min_rate, 5000);
    assert_int_equal(p->layers[1].rates.origin, YB_BANDS_FROM_DEDUCTIBLE);
    assert_int_equal(p->layers[2].stage, YB_STAGE_ASSIST);
    yb_policy_free(p);
}

static void test_policy_free_accepts_null(void **state)
{
    (void)state;
    yb_policy_free(NULL);
    assert_int_equal(yb_policy_cap_index(NULL, "x"), -1);
}

/* ---- the document ---- */

static void test_policy_not_json_is_eparse(void **state)
{
    struct yb_policy *p = (struct yb_policy *)&p;
    struct yb_err e;

    (void)state;
    assert_int_equal(load("{'schema': }", &p, &e), YB_EPARSE);
    assert_null(p);
    assert_int_equal(e.code, YB_EPARSE);
    assert_string_equal(
        e.msg, "不是合法的 JSON，第 1 行第 12 列 \"}\" "
               "处：应为值（对象、数组、字符串、数字、true、false 或 null） "
               "(not valid JSON at line 1 column 12: expected a value)");
}

static void test_policy_must_be_an_object(void **state)
{
    (void)state;
    refused("['yibao.policy/1']", "",
            "政策文件应为 JSON 对象 (a policy must be a JSON object)");
}

static void test_policy_wrong_schema_is_refused(void **state)
{
    (void)state;
    refused("{'schema': 'yibao.policy/2', 'typo': 1}", "schema",
            "值 \"yibao.policy/2\" 不是 \"yibao.policy/1\" (wrong value)");
    refused("{'region': '330200'}", "schema", "必填 (required)");
    refused("{'schema': 1}", "schema",
            "值 a non-string 不是 \"yibao.policy/1\" (wrong value)");
}

static void test_policy_unknown_top_level_key_is_refused(void **state)
{
    (void)state;
    refused(HEAD "'benefit': {}}", "benefit", "未知的键名 (unknown key)");
}

static void test_policy_bad_region_insutype_and_year_are_refused(void **state)
{
    (void)state;
    refused("{'schema': 'yibao.policy/1', 'region': '990200'}", "region",
            "行政区划代码（GB/T 2260）无效：\"990200\" (not a region code)");
    refused("{'schema': 'yibao.policy/1', 'insutype': '390'}", "region",
            "必填 (required)");
    refused("{'schema': 'yibao.policy/1', 'region': 330200, "
            "'insutype': '39'}",
            "insutype",
            "险种代码应为 3 位，实际为 \"39\" (not a 3-digit insutype code)");
    refused("{'schema': 'yibao.policy/1', 'region': '330200', "
            "'insutype': 390, 'year': 1989}",
            "year", "值 1989 小于最小值 1990 (below the minimum)");
    refused("{'schema': 'yibao.policy/1', 'region': '330200', "
            "'insutype': 390, 'year': '2023.5'}",
            "year", "值 \"2023.5\" 不是整数 (not an integer)");
}

static void test_policy_validity_must_not_end_before_it_starts(void **state)
{
    (void)state;
    refused(HEAD "'valid_from': '2023-07-01', 'valid_to': '2023-06-30', "
                 "'benefits': {}}",
            "valid_to",
            "日期 2023-06-30 早于 valid_from 2023-07-01 (before valid_from)");
    refused(HEAD "'valid_to': '2022-12-31', 'benefits': {}}", "valid_to",
            "日期 2022-12-31 早于 valid_from 2023-01-01 (before valid_from)");
    refused_naming(HEAD "'valid_from': '2023-02-29', 'benefits': {}}",
                   "valid_from", "2023-02-29");
}

static void test_policy_bad_classification_is_refused(void **state)
{
    (void)state;
    refused(HEAD "'classification': {'unknown_item': 'ignore'}}",
            "classification.unknown_item",
            "值 \"ignore\" 不是 \"reject\", \"self_pay\" 之一 (not an allowed "
            "value)");
    refused(HEAD "'classification': {'default_selfpay_prop': {'999': '5%'}}}",
            "classification.default_selfpay_prop.999",
            "代码表 list_type 中没有代码 \"999\" (unknown code)");
    refused(HEAD "'classification': {'default_selfpay_prop': "
                 "{'101': '5%', '101': '6%'}}}",
            "classification.default_selfpay_prop.101",
            "键名重复出现，同一对象中每个键只能出现一次 (duplicate key)");
    refused_naming(HEAD "'classification': {'default_selfpay_prop': "
                        "{'102': '110%'}}}",
                   "classification.default_selfpay_prop.102", "110%");
    refused(HEAD "'classification': {'unknown': 1}}", "classification.unknown",
            "未知的键名 (unknown key)");
}

static void test_policy_bad_shared_caps_are_refused(void **state)
{
    (void)state;
    refused(HEAD "'caps': [{'id': 'total', 'amount': 1}, "
                 "{'id': 'total', 'amount': 2}]}",
            "caps[1].id", "封顶标识 \"total\" 重复 (duplicate cap id)");
    refused(HEAD "'caps': [{'id': 'Total', 'amount': 1}]}", "caps[0].id",
            "标识 \"Total\" 不合法，应为 1 至 32 个 a-z、0-9 或 _ 字符 (not an "
            "id)");
    refused(HEAD "'caps': [{'id': 'total', 'amount': '-1.00'}]}",
            "caps[0].amount", "值 \"-1.00\" 不能为负数 (negative)");
    refused(HEAD "'caps': [{'id': 'total'}]}", "caps[0].amount",
            "必填 (required)");
    refused(HEAD "'caps': [{'id': 'total', 'amount': 1, 'exempt': {}}]}",
            "caps[0].exempt",
            "为空，将豁免所有就诊 (empty: would exempt every visit)");
    refused(HEAD "'caps': ['total']}", "caps[0]",
            "应为对象，实际为字符串 \"total\" (must be an object, got string)");
}

static void test_policy_needs_at_least_one_layer(void **state)
{
    (void)state;
    refused(HEAD "'benefits': {'layers': []}}", "benefits.layers",
            "为空，至少给出 1 项 (empty; give at least 1 item)");
    refused(HEAD "'benefits': {}}", "benefits.layers", "必填 (required)");
    refused(HEAD "'name': 'x'}", "benefits", "必填 (required)");
}

/* ---- layers ---- */

static void test_layer_unknown_key_is_refused(void **state)
{
    (void)state;
    refused(ONE_LAYER(BASIC(", 'deductibel': {}")),
            "benefits.layers[0].deductibel", "未知的键名 (unknown key)");
}

static void test_layer_duplicate_id_is_refused(void **state)
{
    (void)state;
    refused(ONE_LAYER(BASIC("") ", " BASIC("")), "benefits.layers[1].id",
            "层标识 \"inpatient\" 重复（另见 benefits.layers[0]）(duplicate "
            "layer id)");
}

static void test_layer_bad_identity_is_refused(void **state)
{
    (void)state;
    refused(ONE_LAYER("{'id': 'in-patient'}"), "benefits.layers[0].id",
            "标识 \"in-patient\" 不合法，应为 1 至 32 个 a-z、0-9 或 _ 字符 "
            "(not an id)");
    refused(ONE_LAYER("{'id': 'abcdefghijabcdefghijabcdefghijabc'}"),
            "benefits.layers[0].id",
            "标识 \"abcdefghijabcdefghijabcdefghijabc\" 不合法，应为 1 至 32 "
            "个 a-z、0-9 或 _ 字符 (not an id)");
    refused(ONE_LAYER("{'id': 'a', 'name': ''}"), "benefits.layers[0].name",
            "不能为空 (empty)");
    refused(ONE_LAYER("{'id': 'a', 'name': 'x'}"), "benefits.layers[0].stage",
            "必填 (required)");
    refused(ONE_LAYER("{'id': 'a', 'name': 'x', 'stage': 'Basic'}"),
            "benefits.layers[0].stage",
            "值 \"Basic\" 不是 \"basic\", \"critical\", \"assist\" 之一 (not "
            "an allowed value)");
    refused(ONE_LAYER(BASIC(", 'fund': '390300'")), "benefits.layers[0].fund",
            "值 \"390300\" 不是代码表 fund_pay_type 中的代码 (unknown "
            "fund_pay_type code)");
    refused(
        ONE_LAYER(BASIC(", 'accumulate_as': 'a b'")),
        "benefits.layers[0].accumulate_as",
        "标识 \"a b\" 不合法，应为 1 至 32 个 a-z、0-9 或 _ 字符 (not an id)");
    refused(ONE_LAYER(BASIC(", 'base': 'burden'")), "benefits.layers[0].base",
            "值 \"burden\" 不是 \"scope\", \"scope_burden\", "
            "\"scope_burden_preselfpay\", \"total_burden\" 之一 (not an "
            "allowed value)");
    refused(
        ONE_LAYER(BASIC(", 'method': 2")), "benefits.layers[0].method",
        "值 a number 不是 \"banded\", \"flat\" 之一 (not an allowed value)");
}

static void test_layer_stages_must_not_go_backwards(void **state)
{
    (void)state;
    refused(ONE_LAYER("{'id': 'dabing', 'name': '大病', 'stage': 'critical', "
                      "'rates': {'rules': [{'rate': '60%'}]}}, " BASIC("")),
            "benefits.layers[1].stage",
            "层 \"basic\" 排在 \"critical\" 层 benefits.layers[0] "
            "之后；应先列基本医保，再列大病保险，最后列医疗救助 (layers out of "
            "order)");
}

static void
test_layer_accumulator_names_cap_and_admissions_are_reserved(void **state)
{
    (void)state;
    refused(ONE_LAYER("{'id': 'cap', 'name': 'x', 'stage': 'basic', "
                      "'rates': {'rules': [{'rate': '60%'}]}}"),
            "benefits.layers[0].id",
            "名称 \"cap\" 为引擎的累计值保留 (reserved name)");
    refused(ONE_LAYER(BASIC(", 'accumulate_as': 'admissions'")),
            "benefits.layers[0].accumulate_as",
            "名称 \"admissions\" 为引擎的累计值保留 (reserved name)");
}

static void test_layer_method_decides_rates_or_flat(void **state)
{
    (void)state;
    refused(ONE_LAYER("{'id': 'a', 'name': 'x', 'stage': 'basic'}"),
            "benefits.layers[0].rates", "必填 (required)");
    refused(ONE_LAYER(BASIC(", 'flat': [{'amount': 1}]")),
            "benefits.layers[0].flat",
            "不能与 method \"banded\" 同用 (not allowed with banded)");
    refused(ONE_LAYER(BASIC(", 'method': 'flat'")), "benefits.layers[0].rates",
            "不能与 method \"flat\" 同用 (not allowed with flat)");
    refused(ONE_LAYER("{'id': 'a', 'name': 'x', 'stage': 'basic', "
                      "'method': 'flat'}"),
            "benefits.layers[0].flat", "必填 (required)");
    refused(ONE_LAYER("{'id': 'a', 'name': 'x', 'stage': 'basic', "
                      "'method': 'flat', 'flat': []}"),
            "benefits.layers[0].flat",
            "为空，至少给出 1 项 (empty; give at least 1 item)");
    refused(ONE_LAYER("{'id': 'a', 'name': 'x', 'stage': 'basic', "
                      "'method': 'flat', 'flat': [{'when': {}}]}"),
            "benefits.layers[0].flat[0].amount", "必填 (required)");
}

/* ---- deductible ---- */

static void test_deductible_negative_amount_is_refused(void **state)
{
    (void)state;
    refused(ONE_LAYER(BASIC(", 'deductible': {'rules': [{'amount': 1}, "
                            "{'amount': -1200}]}")),
            "benefits.layers[0].deductible.rules[1].amount",
            "值 -1200 不能为负数 (negative)");
    refused_naming(ONE_LAYER(BASIC(", 'deductible': {'rules': "
                                   "[{'amount': '12.345'}]}")),
                   "benefits.layers[0].deductible.rules[0].amount", "12.345");
}

static void test_deductible_scope_and_factors_are_checked(void **state)
{
    (void)state;
    refused(ONE_LAYER(BASIC(", 'deductible': {'scope': 'admission'}")),
            "benefits.layers[0].deductible.scope",
            "值 \"admission\" 不是 \"visit\", \"year\" 之一 (not an allowed "
            "value)");
    refused(ONE_LAYER(BASIC(", 'deductible': {'scope': 'year', "
                            "'ordinal_factors': ['100%', '50%']}")),
            "benefits.layers[0].deductible.ordinal_factors",
            "按住院次数计算，范围 scope 应为 \"visit\" 而非 \"year\" (needs "
            "scope visit)");
    refused_naming(ONE_LAYER(BASIC(", 'deductible': {'ordinal_factors': "
                                   "['100%', '150%']}")),
                   "benefits.layers[0].deductible.ordinal_factors[1]", "150%");
    refused(ONE_LAYER(BASIC(", 'deductible': {'ordinal_factors': []}")),
            "benefits.layers[0].deductible.ordinal_factors",
            "为空，至少给出 1 项 (empty; give at least 1 item)");
}

static void test_deductible_adjust_takes_factor_or_amount(void **state)
{
    (void)state;
    refused(ONE_LAYER(BASIC(", 'deductible': {'adjust': [{'when': "
                            "{'age_max': 17}, 'factor': '50%', "
                            "'amount': 0}]}")),
            "benefits.layers[0].deductible.adjust[0]",
            "键 \"factor\" 与 \"amount\" 应恰好给出一个 (give exactly one)");
    refused(ONE_LAYER(BASIC(", 'deductible': {'adjust': [{'when': "
                            "{'age_max': 17}}]}")),
            "benefits.layers[0].deductible.adjust[0]",
            "键 \"factor\" 与 \"amount\" 应恰好给出一个 (give exactly one)");
}

/* ---- rates ---- */

static void test_band_rate_above_100_percent_is_refused(void **state)
{
    (void)state;
    refused_naming(
        ONE_LAYER(BASIC("") ", {'id': 'b', 'name': 'x', 'stage': 'basic', "
                            "'rates': {'rules': [{'bands': ["
                            "{'from': 0, 'rate': '60%'}, "
                            "{'from': 100, 'rate': '70%'}, "
                            "{'from': 200, 'rate': '105%'}]}]}}"),
        "benefits.layers[1].rates.rules[0].bands[2].rate", "105%");
}

static void test_bands_must_start_at_zero_and_strictly_ascend(void **state)
{
    (void)state;
    refused(RATES("{'rules': [{'bands': [{'from': '0', 'rate': '68%'}, "
                  "{'from': '20000', 'rate': '73%'}, "
                  "{'from': '20000.00', 'rate': '75%'}]}]}"),
            "benefits.layers[0].rates.rules[0].bands[2].from",
            "起点 20000.00 不高于上一段的 20000.00 (bands must rise)");
    refused(RATES("{'rules': [{'bands': [{'from': '0', 'rate': '68%'}, "
                  "{'from': 30000, 'rate': '73%'}, "
                  "{'from': 20000, 'rate': '75%'}]}]}"),
            "benefits.layers[0].rates.rules[0].bands[2].from",
            "起点 20000.00 不高于上一段的 30000.00 (bands must rise)");
    refused(
        RATES("{'rules': [{'bands': [{'from': '900', 'rate': '68%'}]}]}"),
        "benefits.layers[0].rates.rules[0].bands[0].from",
        "起点 900.00 不是 0：第一段应从 0 开始 (the first band starts at 0)");
    refused(RATES("{'rules': [{'bands': []}]}"),
            "benefits.layers[0].rates.rules[0].bands",
            "为空，至少给出 1 项 (empty; give at least 1 item)");
    refused(RATES("{'rules': [{'bands': [{'rate': '68%'}]}]}"),
            "benefits.layers[0].rates.rules[0].bands[0].from",
            "必填 (required)");
}

static void test_rate_rule_takes_rate_or_bands(void **state)
{
    (void)state;
    refused(RATES("{'rules': [{'rate': '70%', 'bands': []}]}"),
            "benefits.layers[0].rates.rules[0]",
            "键 \"rate\" 与 \"bands\" 应恰好给出一个 (give exactly one)");
    refused(RATES("{'rules': [{'when': {'hosp_lv': ['3']}}]}"),
            "benefits.layers[0].rates.rules[0]",
            "键 \"rate\" 与 \"bands\" 应恰好给出一个 (give exactly one)");
    refused(RATES("{'rules': []}"), "benefits.layers[0].rates.rules",
            "为空，至少给出 1 项 (empty; give at least 1 item)");
    refused(RATES("{'measure': 'visit'}"), "benefits.layers[0].rates.rules",
            "必填 (required)");
    refused_naming(RATES("{'rules': [{'rate': '-5%'}]}"),
                   "benefits.layers[0].rates.rules[0].rate", "-5%");
}

static void test_rates_enums_are_checked(void **state)
{
    (void)state;
    refused(RATES("{'bands_from': 'dedc', 'rules': [{'rate': 1}]}"),
            "benefits.layers[0].rates.bands_from",
            "值 \"dedc\" 不是 \"zero\", \"deductible\" 之一 (not an allowed "
            "value)");
    refused(
        RATES("{'measure': 'month', 'rules': [{'rate': 1}]}"),
        "benefits.layers[0].rates.measure",
        "值 \"month\" 不是 \"visit\", \"year\" 之一 (not an allowed value)");
}

static void test_rate_points_may_be_negative_within_100_percent(void **state)
{
    struct yb_policy *p = load_ok(
        RATES("{'rules': [{'rate': 1}], 'adjust': [{'points': '-100%'}]}"));

    (void)state;
    assert_int_equal(p->layers[0].rates.adjust[0].points, -10000);
    assert_when_empty(&p->layers[0].rates.adjust[0].when);
    yb_policy_free(p);
    refused_naming(RATES("{'rules': [{'rate': 1}], "
                         "'adjust': [{'points': '-105%'}]}"),
                   "benefits.layers[0].rates.adjust[0].points", "-105%");
    refused(RATES("{'rules': [{'rate': 1}], 'adjust': [{'when': {}}]}"),
            "benefits.layers[0].rates.adjust[0].points", "必填 (required)");
}

static void test_min_rate_above_max_rate_is_refused(void **state)
{
    (void)state;
    refused(RATES("{'rules': [{'rate': '70%'}], 'min_rate': '90%', "
                  "'max_rate': 0.8}"),
            "benefits.layers[0].rates.min_rate",
            "比例 90% 大于 max_rate 80% (above max_rate)");
}

/* ---- caps ---- */

static void test_cap_amount_and_rules_are_exclusive(void **state)
{
    (void)state;
    refused(ONE_LAYER(BASIC(", 'cap': {'amount': 1, 'rules': []}")),
            "benefits.layers[0].cap",
            "应给出 \"amount\" 或 \"rules\"，不能同时给出 (amount or rules, "
            "not both)");
    refused(ONE_LAYER(BASIC(", 'cap': {'amount': -0.01}")),
            "benefits.layers[0].cap.amount", "值 -0.01 不能为负数 (negative)");
    refused(ONE_LAYER(BASIC(", 'cap': {'per_disease': 'yes'}")),
            "benefits.layers[0].cap.per_disease",
            "应为true 或 false，实际为字符串 \"yes\" (must be true or false, "
            "got string)");
    refused(ONE_LAYER(BASIC(", 'cap': {'exempt': {}}")),
            "benefits.layers[0].cap.exempt",
            "为空，将豁免所有就诊 (empty: would exempt every visit)");
}

static void test_cap_unknown_shared_id_is_refused(void **state)
{
    (void)state;
    refused(HEAD "'caps': [{'id': 'total', 'amount': 1}], 'benefits': "
                 "{'layers': [" BASIC(", 'cap': {'shared': ['totl']}") "]}}",
            "benefits.layers[0].cap.shared[0]",
            "未知的共享封顶 \"totl\"（不在 caps 中）(unknown shared cap)");
    refused(HEAD "'caps': [{'id': 'total', 'amount': 1}], 'benefits': "
                 "{'layers': [" BASIC(
                     ", 'cap': {'shared': ['total', 'total']}") "]}}",
            "benefits.layers[0].cap.shared[1]",
            "共享封顶 \"total\" 重复 (duplicate shared cap)");
}

/* ---- selectors ---- */

static void test_selector_unknown_code_names_path_and_value(void **state)
{
    (void)state;
    refused(WHEN("{'med_type': ['21', '99']}"),
            "benefits.layers[0].when.med_type[1]",
            "值 \"99\" 不是代码表 med_type 中的代码 (unknown med_type code)");
    refused(WHEN("{'hosp_lv': ['4']}"), "benefits.layers[0].when.hosp_lv[0]",
            "值 \"4\" 不是代码表 hosp_lv 中的代码 (unknown hosp_lv code)");
    refused(WHEN("{'psn_type': [1502]}"), "benefits.layers[0].when.psn_type[0]",
            "值 \"1502\" 不是代码表 psn_type 中的代码 (unknown psn_type code)");
    refused(WHEN("{'idet': ['201'], 'no_idet': ['3001']}"),
            "benefits.layers[0].when.no_idet[0]",
            "值 \"3001\" 不是代码表 idet 中的代码 (unknown idet code)");
    /* a policy written with the four-character identity codes of old */
    refused(
        WHEN("{'idet': ['201', '2002']}"), "benefits.layers[0].when.idet[1]",
        "代码表 idet 的代码 \"2002\" 已停用，请改用 \"202\"（低保对象）(code "
        "renamed: use 202)");
    refused(WHEN("{'place': ['abroad']}"), "benefits.layers[0].when.place[0]",
            "值 \"abroad\" 不是代码表 place 中的代码 (unknown place code)");
    refused(WHEN("{'med_type': ['21', 21]}"),
            "benefits.layers[0].when.med_type[1]",
            "代码表 med_type 的代码 21 重复 (duplicate med_type code)");
}

static void test_selector_empty_list_is_refused(void **state)
{
    (void)state;
    refused(WHEN("{'med_type': []}"), "benefits.layers[0].when.med_type",
            "为空，至少给出 1 项 (empty; give at least 1 item)");
    refused(WHEN("{'disease': []}"), "benefits.layers[0].when.disease",
            "为空，至少给出 1 项 (empty; give at least 1 item)");
    refused(WHEN("{'disease': ['I10', '']}"),
            "benefits.layers[0].when.disease[1]", "不能为空 (empty)");
    refused(WHEN("{'matn_type': ['1', '1']}"),
            "benefits.layers[0].when.matn_type[1]",
            "值 \"1\" 重复 (duplicate)");
}

static void test_selector_bounds_must_be_ordered(void **state)
{
    (void)state;
    refused(WHEN("{'ordinal_min': 3, 'ordinal_max': 2}"),
            "benefits.layers[0].when.ordinal_min",
            "3 大于 ordinal_max 2 (above the limit)");
    refused(WHEN("{'age_min': 18, 'age_max': 17}"),
            "benefits.layers[0].when.age_min",
            "18 大于 age_max 17 (above the limit)");
    refused(WHEN("{'ordinal_min': 0}"), "benefits.layers[0].when.ordinal_min",
            "值 0 小于最小值 1 (below the minimum)");
    refused(WHEN("{'age_max': 151}"), "benefits.layers[0].when.age_max",
            "值 151 大于最大值 150 (above the maximum)");
    refused(WHEN("{'tier': [1, 32]}"), "benefits.layers[0].when.tier[1]",
            "值 32 大于最大值 31 (above the maximum)");
    refused(WHEN("{'tier': [2, '2']}"), "benefits.layers[0].when.tier[1]",
            "档次 2 重复 (duplicate tier)");
}

static void test_selector_person_conditions_are_checked(void **state)
{
    (void)state;
    refused(WHEN("{'gender': '9'}"), "benefits.layers[0].when.gender",
            "值 \"9\" 大于最大值 2 (above the maximum)");
    refused(WHEN("{'referral': 'no'}"), "benefits.layers[0].when.referral",
            "应为true 或 false，实际为字符串 \"no\" (must be true or false, "
            "got string)");
    refused(WHEN("{'idet': ['201'], 'no_idet': ['201', '202']}"),
            "benefits.layers[0].when.no_idet",
            "排除了 idet 的所有身份，条件永远不会满足 (never matches)");
    refused(WHEN("{'age': 17}"), "benefits.layers[0].when.age",
            "未知的键名 (unknown key)");
    refused(WHEN("['21']"), "benefits.layers[0].when",
            "应为对象，实际为数组 (must be an object, got array)");
}

/* ---- errors are YB_EPOLICY, allocation failure is YB_ENOMEM ---- */

static void test_policy_amount_overflow_is_epolicy(void **state)
{
    (void)state;
    refused_naming(ONE_LAYER(BASIC(", 'cap': {'amount': "
                                   "'100000000000000000.00'}")),
                   "benefits.layers[0].cap.amount", "100000000000000000.00");
}

static void test_policy_every_allocation_failure_is_enomem(void **state)
{
    char *t = to_json(full_policy);
    struct yb_policy *p = NULL;
    struct yb_err e;
    int fail, rc;

    (void)state;
    for (fail = 0;; fail++) {
        rc = yb__policy_parse_ex(t, strlen(t), fail, &p, &e);
        if (rc == YB_OK)
            break;
        assert_int_equal(rc, YB_ENOMEM);
        assert_int_equal(e.code, YB_ENOMEM);
        assert_string_equal(e.msg, "内存不足 (out of memory)");
        assert_null(p);
    }
    /* every string, path and array of the full policy is an allocation */
    assert_true(fail > 50);
    assert_int_equal(p->arena.fail_after, -1);
    assert_int_equal(p->n_layers, 4);
    yb_policy_free(p);
    free(t);
}

/* A policy file is strict JSON like every document from outside: a key
 * given twice at any depth, a string that is not UTF-8, a lone surrogate
 * escape are refused naming the path (YB_EPOLICY). */
static void test_policy_text_is_strict_json(void **state)
{
    (void)state;
    refused(ONE_LAYER(BASIC(", 'id': 'again'")), "benefits.layers[0].id",
            "键名重复出现，同一对象中每个键只能出现一次 (duplicate key)");
    refused(HEAD "'name': '\xC0\xAF', 'benefits': {'layers': [" BASIC("") "]}}",
            "name",
            "不是合法的 UTF-8 文本：第 1 字节起为超长编码 (invalid UTF-8 at "
            "byte 1: overlong encoding)");
    refused(HEAD "'name': 'a\\ud800', 'benefits': {'layers': [" BASIC("") "]}}",
            "name",
            "第 2 字节起的转义 \\ud800 是单独的代理码点，不是字符 (lone "
            "surrogate escape at byte 2)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_full_header_and_classification),
        cmocka_unit_test(test_policy_full_inpatient_deductible),
        cmocka_unit_test(test_policy_full_inpatient_rates_and_cap),
        cmocka_unit_test(test_policy_full_flat_maternity_layer),
        cmocka_unit_test(test_policy_full_critical_layer),
        cmocka_unit_test(test_policy_full_assistance_layer_selector),
        cmocka_unit_test(test_policy_minimal_gets_every_default),
        cmocka_unit_test(test_policy_reads_only_len_bytes),
        cmocka_unit_test(test_policy_docs_example_loads),
        cmocka_unit_test(test_policy_free_accepts_null),
        cmocka_unit_test(test_policy_not_json_is_eparse),
        cmocka_unit_test(test_policy_must_be_an_object),
        cmocka_unit_test(test_policy_wrong_schema_is_refused),
        cmocka_unit_test(test_policy_unknown_top_level_key_is_refused),
        cmocka_unit_test(test_policy_bad_region_insutype_and_year_are_refused),
        cmocka_unit_test(test_policy_validity_must_not_end_before_it_starts),
        cmocka_unit_test(test_policy_bad_classification_is_refused),
        cmocka_unit_test(test_policy_bad_shared_caps_are_refused),
        cmocka_unit_test(test_policy_needs_at_least_one_layer),
        cmocka_unit_test(test_layer_unknown_key_is_refused),
        cmocka_unit_test(test_layer_duplicate_id_is_refused),
        cmocka_unit_test(test_layer_bad_identity_is_refused),
        cmocka_unit_test(test_layer_stages_must_not_go_backwards),
        cmocka_unit_test(
            test_layer_accumulator_names_cap_and_admissions_are_reserved),
        cmocka_unit_test(test_layer_method_decides_rates_or_flat),
        cmocka_unit_test(test_deductible_negative_amount_is_refused),
        cmocka_unit_test(test_deductible_scope_and_factors_are_checked),
        cmocka_unit_test(test_deductible_adjust_takes_factor_or_amount),
        cmocka_unit_test(test_band_rate_above_100_percent_is_refused),
        cmocka_unit_test(test_bands_must_start_at_zero_and_strictly_ascend),
        cmocka_unit_test(test_rate_rule_takes_rate_or_bands),
        cmocka_unit_test(test_rates_enums_are_checked),
        cmocka_unit_test(test_rate_points_may_be_negative_within_100_percent),
        cmocka_unit_test(test_min_rate_above_max_rate_is_refused),
        cmocka_unit_test(test_cap_amount_and_rules_are_exclusive),
        cmocka_unit_test(test_cap_unknown_shared_id_is_refused),
        cmocka_unit_test(test_selector_unknown_code_names_path_and_value),
        cmocka_unit_test(test_selector_empty_list_is_refused),
        cmocka_unit_test(test_selector_bounds_must_be_ordered),
        cmocka_unit_test(test_selector_person_conditions_are_checked),
        cmocka_unit_test(test_policy_amount_overflow_is_epolicy),
        cmocka_unit_test(test_policy_every_allocation_failure_is_enomem),
        cmocka_unit_test(test_policy_text_is_strict_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
