/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Property tests of the engine over thousands of generated visits:
 *  - every settlement passes yb_settlement_check (the §5.5 sums to the fen,
 *    nothing negative, nothing above its cap);
 *  - a year's payments of each layer equal its "paid" accumulator and never
 *    pass the layer's or a shared cap;
 *  - for layers measured over the year, settling a year's visits one by one
 *    pays exactly what one settlement of all their lines pays, fund by fund
 *    and accumulator by accumulator. (A cap shared by several layers is
 *    consumed in settlement order, so additivity is a per-layer property;
 *    the generated-years test covers shared caps.)
 * The generator is a seeded xorshift, so a failure reproduces exactly.
 */
#include "engine_fixture.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * UINT64_C(2685821657736338717);
}

static int rnd_int(int lo, int hi) /* inclusive */
{
    return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

/* A skewed amount in fen: mostly small, sometimes very large. */
static yb_fen rnd_amount(void)
{
    int mag = rnd_int(0, 99);
    yb_fen top = mag < 60   ? 50000
                 : mag < 90 ? 500000
                 : mag < 98 ? 5000000
                            : 50000000;
    return (yb_fen)(rnd() % (uint64_t)top) + 1;
}

#define N_ENTRIES 300
static struct yb_catalogue_entry entries[N_ENTRIES];
static char codes[N_ENTRIES][16];

static void make_catalogue(struct yb_catalogue *cat, bool restrictions)
{
    static const char *lists[] = {"101", "102", "201", "301"};
    for (int i = 0; i < N_ENTRIES; i++) {
        snprintf(codes[i], sizeof codes[i], "P%05d", i);
        int cls = rnd_int(0, 9) < 6 ? 1 : rnd_int(0, 3) < 3 ? 2 : 3;
        yb_rate sp = cls == 2 && rnd_int(0, 1) ? rnd_int(5, 30) * 100 : -1;
        entries[i] = fx_entry(codes[i], lists[rnd_int(0, 3)], cls, sp);
        if (rnd_int(0, 9) == 0)
            entries[i].price_ceiling = (int64_t)rnd_int(1, 20000) * 10000;
        if (restrictions && rnd_int(0, 19) == 0)
            entries[i].lmt_gender = rnd_int(1, 2);
    }
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(cat, entries, N_ENTRIES, &e), YB_OK);
}

static size_t make_lines(struct yb_fee_line *l, size_t max, yb_date day,
                         char (*sn)[8])
{
    size_t n = (size_t)rnd_int(1, (int)max);
    for (size_t i = 0; i < n; i++) {
        int k = rnd_int(0, N_ENTRIES - 1);
        snprintf(sn[i], 8, "%zu", i + 1);
        l[i].feedetl_sn = sn[i];
        l[i].med_list_codg = codes[k];
        l[i].cnt = (int64_t)rnd_int(1, 40) * 5000;
        l[i].amount = rnd_amount();
        l[i].pric = l[i].amount * 1000000 / l[i].cnt; /* nominal */
        l[i].fee_date = day;
    }
    return n;
}

static void random_person(struct yb_person *p)
{
    static const char *types[] = {"1401", "1402", "1403", "1404",
                                  "1405", "1501", "1601"};
    static const char *idets[] = {"201", "202", "203", "204", "205"};
    *p = fx_person(types[rnd_int(0, 6)], "1960-01-01");
    p->birth = fx_date("1930-01-01") + rnd_int(0, 365 * 85);
    p->gender = rnd_int(1, 2);
    p->idets = 0;
    if (rnd_int(0, 9) == 0)
        p->idets |= UINT64_C(1) << fx_idx(YB_DICT_IDET, idets[rnd_int(0, 4)]);
}

static void random_visit(struct yb_visit *v, yb_date day)
{
    static const char *meds[] = {"11", "13", "14", "21", "22",
                                 "23", "24", "52", "21", "11"};
    static const char *lvs[] = {"3",        "2",       "1",
                                "township", "village", "unrated"};
    static const char *areas[] = {"530102", "530102", "530102", "530302",
                                  "440305"};
    static const char *dis[] = {"I10", "E11.900", "N18.500", "C34.900",
                                "J18.900"};
    *v = fx_visit(meds[rnd_int(0, 9)], lvs[rnd_int(0, 5)], "530102",
                  "2018-01-01", "2018-01-01");
    v->begin = day;
    v->end = day + rnd_int(0, 20);
    if (v->end > fx_date("2018-12-31"))
        v->end = fx_date("2018-12-31");
    snprintf(v->mdtrtarea_admvs, sizeof v->mdtrtarea_admvs, "%s",
             areas[rnd_int(0, 4)]);
    v->referral = rnd_int(0, 1);
    v->chronic_disease = dis[rnd_int(0, 4)];
    v->matn_type = rnd_int(0, 1) ? "1" : "2";
}

/* Sum of a layer's payments in the settlement. */
static yb_fen layer_paid(const struct yb_settlement *s, const char *id)
{
    yb_fen sum = 0;
    for (int i = 0; i < s->n_details; i++)
        if (strcmp(s->details[i].layer->id, id) == 0)
            sum += s->details[i].fund_payamt;
    return sum;
}

static void test_property_invariants_hold_for_generated_years(void **state)
{
    (void)state;
    rng_state = UINT64_C(0x9E3779B97F4A7C15);
    struct yb_policy *p = fx_policy_file("policies/national-default-2018.json");
    struct yb_catalogue cat;
    make_catalogue(&cat, true);
    struct yb_arena a;
    yb_arena_init(&a, 0);
    struct yb_fee_line lines[20];
    char sn[20][8];
    static const char *layers[] = {"inpatient",  "outpatient", "chronic",
                                   "maternity",  "critical",   "assist",
                                   "assist_tilt"};
    int settled = 0, paying[7] = {0};
    for (int person = 0; person < 2000; person++) {
        struct yb_person psn;
        random_person(&psn);
        struct yb_accums acc = {2018, NULL, 0};
        yb_fen paid[7] = {0};
        int visits = rnd_int(1, 8);
        yb_date day = fx_date("2018-01-01");
        for (int k = 0; k < visits; k++) {
            day += rnd_int(0, 40);
            if (day > fx_date("2018-12-31"))
                break;
            struct yb_visit v;
            random_visit(&v, day);
            size_t n = make_lines(lines, 20, day, sn);
            struct yb_settlement s;
            fx_settle(p, &cat, &psn, &v, lines, n, &acc, &a, &s);
            for (int i = 0; i < 7; i++) {
                yb_fen x = layer_paid(&s, layers[i]);
                paid[i] += x;
                paying[i] += x > 0;
            }
            acc = s.after;
            settled++;
        }
        for (int i = 0; i < 7; i++) {
            char key[64];
            snprintf(key, sizeof key, "%s.paid", layers[i]);
            if (strcmp(layers[i], "chronic") != 0)
                assert_int_equal(yb_accums_get(&acc, key), paid[i]);
        }
        yb_fen shared = paid[0] + paid[1] + paid[2];
        assert_int_equal(yb_accums_get(&acc, "cap.basic_annual.paid"), shared);
        assert_true(shared <= 15000000);
        assert_true(paid[1] <= 30000);
        assert_true(paid[5] <= 6000000);
        assert_true(paid[6] <= 2000000);
        if (!(psn.idets & 7)) /* 201..203 are exempt from the CI cap */
            assert_true(paid[4] <= 30000000);
        yb_arena_reset(&a); /* the person's accumulators die here */
    }
    /* the generator reaches every layer, not just the easy ones */
    assert_true(settled > 8000);
    for (int i = 0; i < 7; i++) {
        printf("# %-12s paid in %d settlements\n", layers[i], paying[i]);
        assert_true(paying[i] >= 20);
    }
    yb_arena_free(&a);
    yb_catalogue_free(&cat);
    yb_policy_free(p);
}

static const char *YEAR_POLICY =
    "{\"schema\":\"yibao.policy/1\",\"name\":\"year\",\"region\":\"530100\","
    "\"insutype\":\"390\",\"year\":2018,"
    "\"benefits\":{\"layers\":["
    "{\"id\":\"op\",\"name\":\"门诊统筹\",\"stage\":\"basic\","
    " \"deductible\":{\"scope\":\"year\",\"rules\":[{\"amount\":\"200\"}]},"
    " \"rates\":{\"measure\":\"year\",\"rules\":[{\"bands\":["
    "  {\"from\":\"0\",\"rate\":\"50%\"},{\"from\":\"1500\",\"rate\":\"60%\"},"
    "  {\"from\":\"40000\",\"rate\":\"45.5%\"}]}]},"
    " \"cap\":{\"amount\":\"3000\"}},"
    "{\"id\":\"ci\",\"name\":\"大病\",\"stage\":\"critical\","
    " \"deductible\":{\"scope\":\"year\",\"rules\":[{\"amount\":\"500\"}]},"
    " \"rates\":{\"measure\":\"year\",\"bands_from\":\"deductible\","
    "  \"rules\":[{\"bands\":[{\"from\":\"0\",\"rate\":\"50%\"},"
    "  {\"from\":\"2000\",\"rate\":\"70%\"}]}]},"
    " \"cap\":{\"amount\":\"4000\"}},"
    "{\"id\":\"ma\",\"name\":\"救助\",\"stage\":\"assist\","
    " \"when\":{\"idet\":[\"201\"]},"
    " \"deductible\":{\"scope\":\"year\",\"rules\":[{\"amount\":\"100\"}]},"
    " \"rates\":{\"measure\":\"year\",\"rules\":[{\"rate\":\"70%\"}]},"
    " \"cap\":{\"amount\":\"500\"}}]}}";

static void test_property_year_layers_add_up_to_one_settlement(void **state)
{
    (void)state;
    rng_state = UINT64_C(0xD1B54A32D192ED03);
    struct yb_policy *p = fx_policy(YEAR_POLICY);
    struct yb_catalogue cat;
    make_catalogue(&cat, false);
    struct yb_arena a;
    yb_arena_init(&a, 0);
    static struct yb_fee_line all[8 * 20];
    static char sn[8 * 20][8];
    for (int person = 0; person < 500; person++) {
        struct yb_person psn = fx_person("1501", "1970-06-15");
        if (person % 3 == 0)
            psn.idets = UINT64_C(1) << fx_idx(YB_DICT_IDET, "201");
        struct yb_visit v =
            fx_visit("11", "township", "530102", "2018-01-01", "2018-01-01");
        struct yb_accums acc = {2018, NULL, 0};
        yb_fen sum[3] = {0};
        size_t total = 0;
        int visits = rnd_int(1, 8);
        for (int k = 0; k < visits; k++) {
            v.begin = v.end = fx_date("2018-01-01") + k * 40;
            size_t n = make_lines(all + total, 20, v.begin, sn + total);
            struct yb_settlement s;
            fx_settle(p, &cat, &psn, &v, all + total, n, &acc, &a, &s);
            sum[0] += s.info.hifp_pay;
            sum[1] += s.info.hifmi_pay;
            sum[2] += s.info.maf_pay;
            acc = s.after;
            total += n;
        }
        struct yb_settlement one;
        v.begin = fx_date("2018-01-01");
        fx_settle(p, &cat, &psn, &v, all, total, NULL, &a, &one);
        assert_int_equal(one.info.hifp_pay, sum[0]);
        assert_int_equal(one.info.hifmi_pay, sum[1]);
        assert_int_equal(one.info.maf_pay, sum[2]);
        assert_int_equal(one.after.n, acc.n);
        for (int i = 0; i < acc.n; i++)
            assert_int_equal(yb_accums_get(&one.after, acc.items[i].key),
                             acc.items[i].value);
        yb_arena_reset(&a);
    }
    yb_arena_free(&a);
    yb_catalogue_free(&cat);
    yb_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_property_invariants_hold_for_generated_years),
        cmocka_unit_test(test_property_year_layers_add_up_to_one_settlement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
