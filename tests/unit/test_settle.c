/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the settlement engine: the published worked examples E3 and
 * E6 to the fen, and each benefit mechanism (ordinal deductibles, annual
 * deductibles, shared and per-disease caps, tilts, assistance rounds, rate
 * cuts, flat payments, accumulation across visits) with hand-computed
 * figures.
 */
#include "engine_fixture.h"

struct world {
    struct yb_policy *p;
    struct yb_catalogue cat;
    struct yb_catalogue_entry entries[8];
    struct yb_arena arena;
};

/* Catalogue used by most tests: one class A item, one class B item (10%),
 * one class C item, one class A item with a 65-yuan price ceiling. */
static void world_init(struct world *w, struct yb_policy *p)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->entries[0] = fx_entry("A001", "101", 1, -1);
    w->entries[1] = fx_entry("B001", "101", 2, 1000);
    w->entries[2] = fx_entry("C001", "101", 3, -1);
    w->entries[3] = fx_entry("S001", "301", 1, -1);
    w->entries[3].price_ceiling = 65000000; /* 65 yuan per unit */
    w->entries[4] = fx_entry("B003", "101", 2, 300);
    struct yb_err e = {0};
    assert_int_equal(yb_catalogue_build(&w->cat, w->entries, 5, &e), YB_OK);
    yb_arena_init(&w->arena, 0);
}

static void world_free(struct world *w)
{
    yb_catalogue_free(&w->cat);
    yb_policy_free(w->p);
    yb_arena_free(&w->arena);
}

static void test_settle_reproduces_worked_example_e3(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/e3-ningbo-2023.json"));
    struct yb_person psn = fx_person("1501", "1968-04-12");
    struct yb_visit v =
        fx_visit("21", "3", "330203", "2023-03-06", "2023-03-20");
    v.adm_ordinal = 1;
    struct yb_fee_line l[] = {
        fx_line("1", "C001", 150000, "2023-03-07"),
        fx_line("2", "B001", 500000, "2023-03-08"),
        fx_line("3", "A001", 1550000, "2023-03-09"),
    };
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 3, NULL, &w.arena, &s);
    assert_int_equal(s.info.medfee_sumamt, 2200000);
    assert_int_equal(s.info.fulamt_ownpay_amt, 150000);
    assert_int_equal(s.info.preselfpay_amt, 50000);
    assert_int_equal(s.info.inscp_scp_amt, 2000000);
    assert_int_equal(s.info.act_pay_dedc, 120000);
    assert_int_equal(s.info.hifp_pay, 1316000);
    /* the basic fund's payment ratio: 13160 / (20000 - 1200) = 0.7000 */
    assert_int_equal(s.info.pool_prop_selfpay, 7000);
    assert_int_equal(s.info.psn_part_amt, 884000);
    assert_int_equal(s.info.psn_cash_pay, 884000);
    assert_int_equal(s.n_details, 1);
    assert_string_equal(s.details[0].fund_pay_type, "390100");
    assert_int_equal(s.details[0].crt_payb_lmt_amt, -1);
    /* no cap: the row shows its base, the most the fund could pay */
    assert_int_equal(s.n_setldetail, 1);
    assert_string_equal(s.setldetail[0].fund_pay_type, "390100");
    assert_int_equal(s.setldetail[0].inscp_scp_amt, 2000000);
    assert_int_equal(s.setldetail[0].crt_payb_lmt_amt, 2000000);
    assert_int_equal(s.setldetail[0].fund_payamt, 1316000);
    assert_string_equal(yb_detail_proc_info(&s, 0, &w.arena),
                        "基数20000.00-起付线1200.00=18800.00；"
                        "18800.00×70%=13160.00");
    world_free(&w);
}

static void test_settle_reproduces_worked_example_e6(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/e6-city-pre2019.json"));
    struct yb_person psn = fx_person("1601", "1955-09-30");
    struct yb_visit v =
        fx_visit("21", "3", "320102", "2018-05-02", "2018-06-11");
    struct yb_fee_line l[] = {
        fx_line("1", "C001", 1000000, "2018-05-10"),
        fx_line("2", "B003", 2000000, "2018-05-12"),
        fx_line("3", "A001", 7000000, "2018-05-14"),
    };
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 3, NULL, &w.arena, &s);
    assert_int_equal(s.info.preselfpay_amt, 60000);
    assert_int_equal(s.info.inscp_scp_amt, 8940000);
    assert_int_equal(s.info.act_pay_dedc, 90000);
    assert_int_equal(s.info.hifp_pay, 6612000);
    /* banded: 66120 / (89400 - 900) = 0.747118… */
    assert_int_equal(s.info.pool_prop_selfpay, 7471);
    assert_int_equal(s.info.hifmi_pay, 164000);
    assert_int_equal(s.info.fund_pay_sumamt, 6776000);
    assert_int_equal(s.info.psn_part_amt, 3224000);
    assert_int_equal(s.adm_ordinal, 1);
    assert_string_equal(yb_detail_proc_info(&s, 0, &w.arena),
                        "基数89400.00-起付线900.00=88500.00；"
                        "19100.00×68%+20000.00×73%+49400.00×78%=66120.00");
    assert_int_equal(s.details[1].inscp_scp_amt, 2328000);
    assert_int_equal(yb_accums_get(&s.after, "critical.eligible"), 328000);
    assert_int_equal(yb_accums_get(&s.after, "critical.dedc"), 2000000);
    assert_int_equal(yb_accums_get(&s.after, "admissions"), 1);
    world_free(&w);
}

static void test_settle_halves_deductible_for_second_admission(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/national-default-2018.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "530102", "2018-04-01", "2018-04-10");
    struct yb_accum items[] = {{"admissions", 1}};
    struct yb_accums before = {2018, items, 1};
    struct yb_fee_line l[] = {fx_line("1", "A001", 1000000, "2018-04-02")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, &before, &w.arena, &s);
    assert_int_equal(s.adm_ordinal, 2);
    assert_int_equal(s.info.act_pay_dedc, 50000);
    assert_int_equal(s.info.hifp_pay, 617500);
    assert_int_equal(s.info.hifmi_pay, 0);
    assert_int_equal(yb_accums_get(&s.after, "admissions"), 2);
    world_free(&w);
}

static void test_settle_stops_at_the_shared_annual_cap(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/national-default-2018.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "1", "530102", "2018-04-01", "2018-04-10");
    struct yb_accum items[] = {{"cap.basic_annual.paid", 14900000}};
    struct yb_accums before = {2018, items, 1};
    struct yb_fee_line l[] = {fx_line("1", "A001", 500000, "2018-04-02")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, &before, &w.arena, &s);
    assert_int_equal(s.info.act_pay_dedc, 30000);
    assert_int_equal(s.info.hifp_pay, 100000);
    assert_int_equal(s.details[0].crt_payb_lmt_amt, 100000);
    assert_int_equal(s.setldetail[0].crt_payb_lmt_amt, 100000);
    /* the cap cuts the ratio: 1000 / (5000 - 300) = 0.212765… */
    assert_int_equal(s.info.pool_prop_selfpay, 2128);
    assert_int_equal(yb_accums_get(&s.after, "cap.basic_annual.paid"),
                     15000000);
    assert_int_equal(yb_accums_get(&s.after, "inpatient.paid"), 100000);
    world_free(&w);
}

static void test_settle_runs_assistance_after_critical_illness(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/national-default-2018.json"));
    struct yb_person psn = fx_person("1501", "1962-07-15");
    psn.idets = UINT64_C(1) << fx_idx(YB_DICT_IDET, "202");
    struct yb_visit v =
        fx_visit("21", "2", "530102", "2018-09-03", "2018-09-21");
    v.adm_ordinal = 1;
    struct yb_fee_line l[] = {
        fx_line("1", "C001", 300000, "2018-09-04"),
        fx_line("2", "B001", 1000000, "2018-09-05"),
        fx_line("3", "A001", 4700000, "2018-09-06"),
    };
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 3, NULL, &w.arena, &s);
    /* deductible 600 x 50% (低保) = 300; rate 75% + 5 = 80% */
    assert_int_equal(s.info.act_pay_dedc, 30000);
    assert_int_equal(s.info.hifp_pay, 4456000);
    /* CI: burden 11440 - deductible 13000 x 50% = 4940 at 55% */
    assert_int_equal(s.info.hifmi_pay, 271700);
    /* assistance: 56000 - 44560 - 2717 = 8723 at 75% */
    assert_int_equal(s.info.maf_pay, 654225);
    assert_int_equal(s.n_details, 4);
    assert_int_equal(s.details[3].fund_payamt, 0); /* below the tilt's 5000 */
    assert_int_equal(s.info.psn_part_amt, 618075);
    /* one setldetail row a fund: the two assistance rounds are one 610100
     * row paying their sum, each round named in setl_proc_info */
    assert_int_equal(s.n_setldetail, 3);
    assert_string_equal(s.setldetail[2].fund_pay_type, "610100");
    assert_int_equal(s.setldetail[2].n_rounds, 2);
    assert_int_equal(s.setldetail[2].fund_payamt, 654225);
    assert_int_equal(s.setldetail[2].inscp_scp_amt, 872300);
    assert_int_equal(s.setldetail[2].crt_payb_lmt_amt,
                     s.details[2].crt_payb_lmt_amt +
                         s.details[3].crt_payb_lmt_amt);
    assert_string_equal(yb_setldetail_proc_info(&s, 2, &w.arena),
                        "第1轮 医疗救助：基数8723.00-起付线0.00=8723.00；"
                        "8723.00×75%=6542.25；第2轮 倾斜救助：基数3180.75-"
                        "起付线3180.75=0.00；0=0.00");
    world_free(&w);
}

/* Everything of TILT_POLICY but its closing brace. */
#define TILT_POLICY_OPEN                                                       \
    "{\"schema\":\"yibao.policy/1\",\"name\":\"t\",\"region\":\"110100\","     \
    "\"insutype\":\"390\",\"year\":2024,\"benefits\":{\"layers\":["            \
    "{\"id\":\"in\",\"name\":\"住院\",\"stage\":\"basic\","                  \
    " \"rates\":{\"rules\":[{\"rate\":\"50%\"}]}},"                            \
    "{\"id\":\"ci\",\"name\":\"大病\",\"stage\":\"critical\","               \
    " \"deductible\":{\"scope\":\"year\",\"rules\":[{\"amount\":\"1000\"}],"   \
    "  \"adjust\":[{\"when\":{\"idet\":[\"201\"]},\"factor\":\"50%\"}]},"      \
    " \"rates\":{\"measure\":\"year\",\"bands_from\":\"deductible\","          \
    "  \"rules\":[{\"bands\":[{\"from\":\"0\",\"rate\":\"50%\"},"              \
    "   {\"from\":\"3000\",\"rate\":\"60%\"}]}],"                              \
    "  \"adjust\":[{\"when\":{\"idet\":[\"201\"]},\"points\":\"10%\"}]},"      \
    " \"cap\":{\"amount\":\"2000\",\"exempt\":{\"idet\":[\"201\"]}}}]}"

static const char *TILT_POLICY = TILT_POLICY_OPEN "}";

static void test_settle_applies_critical_illness_tilt_and_cap(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy(TILT_POLICY));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "2", "110101", "2024-02-01", "2024-02-09");
    struct yb_fee_line l[] = {fx_line("1", "A001", 2000000, "2024-02-02")};
    struct yb_settlement s;
    /* ordinary: burden 10000, eligible 9000: 3000x50% + 6000x60% = 5100,
     * capped at 2000 */
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.info.hifp_pay, 1000000);
    assert_int_equal(s.info.hifmi_pay, 200000);
    assert_int_equal(s.details[1].crt_payb_lmt_amt, 200000);
    /* 特困: deductible 500, eligible 9500: 3000x60% + 6500x70% = 6350, no
     * cap */
    psn.idets = UINT64_C(1) << fx_idx(YB_DICT_IDET, "201");
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.info.hifmi_pay, 635000);
    assert_int_equal(s.details[1].crt_payb_lmt_amt, -1);
    /* no cap: never null, the row's base (burden 10000) */
    assert_int_equal(s.setldetail[1].crt_payb_lmt_amt, 1000000);
    assert_int_equal(s.setldetail[1].inscp_scp_amt, 1000000);
    world_free(&w);
}

static void test_settle_accumulates_critical_illness_over_visits(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy(TILT_POLICY));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    psn.idets = UINT64_C(1) << fx_idx(YB_DICT_IDET, "201"); /* no cap */
    struct yb_visit v =
        fx_visit("21", "2", "110101", "2024-02-01", "2024-02-09");
    struct yb_fee_line l1[] = {fx_line("1", "A001", 300000, "2024-02-02")};
    struct yb_settlement s1, s2, o1, o2;
    fx_settle(w.p, &w.cat, &psn, &v, l1, 1, NULL, &w.arena, &s1);
    /* burden 1500: deductible 500, 1000 x 60% */
    assert_int_equal(s1.info.hifmi_pay, 60000);
    struct yb_fee_line l2[] = {fx_line("1", "A001", 900100, "2024-03-02")};
    v.begin = fx_date("2024-03-01");
    v.end = fx_date("2024-03-05");
    fx_settle(w.p, &w.cat, &psn, &v, l2, 1, &s1.after, &w.arena, &s2);
    assert_int_equal(s2.info.hifp_pay, 450050);
    /* position 1000 -> 5500.50: F = 3000 x 60% + 2500.50 x 70% = 3550.35,
     * minus F(1000) = 600 */
    assert_int_equal(s2.info.hifmi_pay, 295035);
    assert_int_equal(s1.info.hifmi_pay + s2.info.hifmi_pay, 355035);
    assert_int_equal(yb_accums_get(&s2.after, "ci.dedc"), 50000);
    assert_int_equal(yb_accums_get(&s2.after, "ci.eligible"), 550050);
    assert_int_equal(yb_accums_get(&s2.after, "ci.paid"), 355035);
    /* without the tilt the 2000 cap binds on the second visit: 250 paid,
     * 1750 left */
    psn.idets = 0;
    fx_settle(w.p, &w.cat, &psn, &v, l1, 1, NULL, &w.arena, &o1);
    assert_int_equal(o1.info.hifmi_pay, 25000);
    fx_settle(w.p, &w.cat, &psn, &v, l2, 1, &o1.after, &w.arena, &o2);
    assert_int_equal(o2.details[1].crt_payb_lmt_amt, 175000);
    assert_int_equal(o2.info.hifmi_pay, 175000);
    world_free(&w);
}

/* TILT_POLICY with the increases of 国办发〔2024〕38号 at readable figures:
 * 100.00 a continuous year beyond 4, 50.00 a claim-free year, at most 20%
 * of the cap (2000.00: 400.00). */
static const char *BONUS_POLICY = TILT_POLICY_OPEN
    ",\"enrolment\":{\"ci_cap_bonus\":{"
    " \"continuous\":{\"after_years\":4,\"amount\":\"100\"},"
    " \"claim_free\":{\"amount\":\"50\"},\"max_share\":\"20%\"}}}";

/* The text of the first step of code `code`, or NULL. */
static const char *step_text(const struct yb_settlement *s, const char *code,
                             struct yb_arena *a)
{
    for (int i = 0; i < s->n_steps; i++)
        if (strcmp(s->steps[i].code, code) == 0)
            return yb_step_text(&s->steps[i], a);
    return NULL;
}

/* The visit of test_settle_applies_critical_illness_tilt_and_cap: burden
 * 10000.00, eligible 9000.00: 3000 x 50% + 6000 x 60% = 5100.00 due,
 * held to the cap. */
static void settle_with_years(struct world *w, int continuous, int claim_free,
                              struct yb_settlement *s)
{
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "2", "110101", "2024-02-01", "2024-02-09");
    struct yb_fee_line l[] = {fx_line("1", "A001", 2000000, "2024-02-02")};
    psn.ci_continuous_years = continuous;
    psn.ci_claim_free_years = claim_free;
    fx_settle(w->p, &w->cat, &psn, &v, l, 1, NULL, &w->arena, s);
}

static void
test_settle_raises_critical_illness_cap_for_enrolment_years(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy(BONUS_POLICY));
    struct yb_settlement s;
    /* no years given: the plain cap, and no step about it */
    settle_with_years(&w, 0, 0, &s);
    assert_int_equal(s.info.hifmi_pay, 200000);
    assert_null(step_text(&s, "cap.bonus", &w.arena));
    /* 6 continuous years (2 beyond 4) of which 2 claim-free: 2 x 100 + 2 x
     * 50 = 300.00, the cap 2300.00 */
    settle_with_years(&w, 6, 2, &s);
    assert_int_equal(s.info.hifp_pay, 1000000);
    assert_int_equal(s.info.hifmi_pay, 230000);
    assert_int_equal(s.info.fund_pay_sumamt, 1230000);
    assert_int_equal(s.info.psn_part_amt, 770000);
    assert_int_equal(s.details[1].crt_payb_lmt_amt, 230000);
    assert_int_equal(s.setldetail[1].crt_payb_lmt_amt, 230000);
    assert_string_equal(step_text(&s, "cap.bonus", &w.arena),
                        "封顶线提高额[ci]：连续参保年数=6，零报销年数=2，"
                        "连续参保增加=200.00元，零报销增加=100.00元，"
                        "增加上限=400.00元 → 300.00元 "
                        "〔enrolment.ci_cap_bonus〕");
    assert_string_equal(step_text(&s, "cap.raised", &w.arena),
                        "大病保险封顶线[ci]：原封顶线=2000.00元，"
                        "连续参保/零报销增加=300.00元 → 2300.00元"
                        "（连续参保、零报销提高封顶线） "
                        "〔benefits.layers[1].cap〕");
    assert_string_equal(step_text(&s, "cap.own", &w.arena),
                        "年度封顶线[ci]：限额=2300.00元，本年已支付=0.00元 → "
                        "2300.00元 〔benefits.layers[1].cap〕");
    assert_string_equal(yb_setldetail_proc_info(&s, 1, &w.arena),
                        "基数10000.00-起付线1000.00=9000.00；3000.00×50%+"
                        "6000.00×60%=5100.00；限额内支付2300.00；封顶线"
                        "2000.00+连续参保/零报销增加300.00=2300.00");
    /* 3 continuous years earn nothing yet; 2 claim-free years 100.00 */
    settle_with_years(&w, 3, 2, &s);
    assert_int_equal(s.info.hifmi_pay, 210000);
    /* 5 years without a claim-free one: 100.00 */
    settle_with_years(&w, 5, 0, &s);
    assert_int_equal(s.info.hifmi_pay, 210000);
    /* 4 years, none claim-free: nothing, said so, the plain cap */
    settle_with_years(&w, 4, 0, &s);
    assert_int_equal(s.info.hifmi_pay, 200000);
    assert_string_equal(step_text(&s, "cap.bonus", &w.arena),
                        "封顶线提高额[ci]：连续参保年数=4，零报销年数=0，"
                        "连续参保增加=0.00元，零报销增加=0.00元，"
                        "增加上限=400.00元 → 0.00元 "
                        "〔enrolment.ci_cap_bonus〕");
    assert_null(step_text(&s, "cap.raised", &w.arena));
    /* 12 years, 11 claim-free: 800 + 550 = 1350.00, at most 20% of
     * 2000.00 = 400.00 */
    settle_with_years(&w, 12, 11, &s);
    assert_int_equal(s.info.hifmi_pay, 240000);
    assert_int_equal(s.setldetail[1].crt_payb_lmt_amt, 240000);
    assert_string_equal(step_text(&s, "cap.bonus", &w.arena),
                        "封顶线提高额[ci]：连续参保年数=12，零报销年数=11，"
                        "连续参保增加=800.00元，零报销增加=550.00元，"
                        "增加上限=400.00元 → 400.00元（以增加上限为限） "
                        "〔enrolment.ci_cap_bonus〕");
    world_free(&w);
}

static void test_settle_cap_increase_keeps_no_cap_and_old_policies(void **state)
{
    (void)state;
    struct world w;
    struct yb_settlement s;
    /* 特困 (tilt): no cap, so nothing to raise: 6350.00 as without years */
    world_init(&w, fx_policy(BONUS_POLICY));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    psn.idets = UINT64_C(1) << fx_idx(YB_DICT_IDET, "201");
    psn.ci_continuous_years = 8;
    psn.ci_claim_free_years = 3;
    struct yb_visit v =
        fx_visit("21", "2", "110101", "2024-02-01", "2024-02-09");
    struct yb_fee_line l[] = {fx_line("1", "A001", 2000000, "2024-02-02")};
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.info.hifmi_pay, 635000);
    assert_int_equal(s.details[1].crt_payb_lmt_amt, -1);
    assert_null(step_text(&s, "cap.bonus", &w.arena));
    world_free(&w);
    /* a policy without ci_cap_bonus: the years change nothing */
    world_init(&w, fx_policy(TILT_POLICY));
    settle_with_years(&w, 8, 3, &s);
    assert_int_equal(s.info.hifmi_pay, 200000);
    assert_null(step_text(&s, "cap.bonus", &w.arena));
    world_free(&w);
}

/* Visits of a year build on the raised cap: 300.00 raises 2000.00 to
 * 2300.00; the first visit pays 250.00, the second the 2050.00 left. */
static void test_settle_raised_cap_holds_over_the_year(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy(BONUS_POLICY));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    psn.ci_continuous_years = 6;
    psn.ci_claim_free_years = 2;
    struct yb_visit v =
        fx_visit("21", "2", "110101", "2024-02-01", "2024-02-09");
    struct yb_fee_line l1[] = {fx_line("1", "A001", 300000, "2024-02-02")};
    struct yb_fee_line l2[] = {fx_line("1", "A001", 900100, "2024-03-02")};
    struct yb_settlement s1, s2;
    fx_settle(w.p, &w.cat, &psn, &v, l1, 1, NULL, &w.arena, &s1);
    assert_int_equal(s1.info.hifmi_pay, 25000);
    v.begin = fx_date("2024-03-01");
    v.end = fx_date("2024-03-05");
    fx_settle(w.p, &w.cat, &psn, &v, l2, 1, &s1.after, &w.arena, &s2);
    assert_int_equal(s2.details[1].crt_payb_lmt_amt, 205000);
    assert_int_equal(s2.info.hifmi_pay, 205000);
    assert_int_equal(yb_accums_get(&s2.after, "ci.paid"), 230000);
    world_free(&w);
}

/* A cap shared by several layers and named in ci_cap_bonus.caps is
 * raised; 20% of its 3000.00 limits the increase to 600.00. */
static void test_settle_raises_a_named_shared_cap(void **state)
{
    (void)state;
    struct world w;
    world_init(
        &w,
        fx_policy(
            "{\"schema\":\"yibao.policy/1\",\"region\":\"110100\","
            "\"insutype\":\"390\",\"year\":2024,\"caps\":[{\"id\":"
            "\"ci_total\",\"name\":\"大病合计\",\"amount\":\"3000\"}],"
            "\"benefits\":{\"layers\":[{\"id\":\"in\",\"name\":\"住院\","
            "\"stage\":\"basic\",\"rates\":{\"rules\":[{\"rate\":\"50%\"}]}},"
            "{\"id\":\"ci\",\"name\":\"大病\",\"stage\":\"critical\","
            "\"rates\":{\"rules\":[{\"rate\":\"50%\"}]},"
            "\"cap\":{\"shared\":[\"ci_total\"]}}]},"
            "\"enrolment\":{\"ci_cap_bonus\":{\"continuous\":{"
            "\"after_years\":4,\"amount\":\"100\"},\"max_share\":\"20%\","
            "\"caps\":[\"ci_total\"]}}}"));
    struct yb_settlement s;
    /* burden 10000.00 x 50% = 5000.00 due; 9 years: 500.00 */
    settle_with_years(&w, 9, 0, &s);
    assert_int_equal(s.info.hifmi_pay, 350000);
    assert_string_equal(step_text(&s, "cap.shared", &w.arena),
                        "共用封顶线[ci]：限额=3500.00元，本年已支付=0.00元 → "
                        "3500.00元 〔caps[0]〕");
    /* 20 years: 1600.00, held to 600.00 */
    settle_with_years(&w, 20, 0, &s);
    assert_int_equal(s.info.hifmi_pay, 360000);
    world_free(&w);
}

/* A named cap shared by the basic and the critical-illness layers
 * (6000.00 together) is raised for critical illness only: basic 50% of
 * 20000.00 is held to 6000.00, not to the raised 6500.00; critical
 * illness, 50% of the 14000.00 left, gets only the 500.00 the increase
 * adds. */
static void
test_settle_raises_a_shared_cap_for_critical_illness_only(void **state)
{
    (void)state;
    struct world w;
    world_init(
        &w,
        fx_policy(
            "{\"schema\":\"yibao.policy/1\",\"region\":\"110100\","
            "\"insutype\":\"390\",\"year\":2024,\"caps\":[{\"id\":"
            "\"total\",\"amount\":\"6000\"}],"
            "\"benefits\":{\"layers\":[{\"id\":\"in\",\"name\":\"住院\","
            "\"stage\":\"basic\",\"rates\":{\"rules\":[{\"rate\":\"50%\"}]},"
            "\"cap\":{\"shared\":[\"total\"]}},"
            "{\"id\":\"ci\",\"name\":\"大病\",\"stage\":\"critical\","
            "\"rates\":{\"rules\":[{\"rate\":\"50%\"}]},"
            "\"cap\":{\"shared\":[\"total\"]}}]},"
            "\"enrolment\":{\"ci_cap_bonus\":{\"continuous\":{"
            "\"after_years\":4,\"amount\":\"100\"},\"max_share\":\"20%\","
            "\"caps\":[\"total\"]}}}"));
    struct yb_settlement s;
    settle_with_years(&w, 9, 0, &s);
    assert_int_equal(s.info.hifp_pay, 600000);
    assert_int_equal(s.info.hifmi_pay, 50000);
    assert_int_equal(s.details[1].crt_payb_lmt_amt, 50000);
    settle_with_years(&w, 0, 0, &s);
    assert_int_equal(s.info.hifp_pay, 600000);
    assert_int_equal(s.info.hifmi_pay, 0);
    world_free(&w);
}

static void test_settle_refuses_years_that_do_not_fit(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy(BONUS_POLICY));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "2", "110101", "2024-02-01", "2024-02-09");
    struct yb_fee_line l[] = {fx_line("1", "A001", 2000000, "2024-02-02")};
    struct yb_settlement s;
    struct yb_err e = {0};
    /* the visit's own year is never a claim-free year of the run */
    psn.ci_continuous_years = 5;
    psn.ci_claim_free_years = 5;
    assert_int_equal(
        yb_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "person.ci_cap_bonus.claim_free_years");
    assert_string_equal(e.msg, "零报销年数 5 须为连续参保年数 5 中本年度以前的"
                               "年数 (claim-free years are the years of the "
                               "continuous run before this one)");
    psn.ci_continuous_years = 0;
    psn.ci_claim_free_years = 1;
    assert_int_equal(
        yb_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "person.ci_cap_bonus.claim_free_years");
    psn.ci_continuous_years = -1;
    psn.ci_claim_free_years = 0;
    assert_int_equal(
        yb_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "person.ci_cap_bonus.continuous_years");
    assert_string_equal(e.msg, "连续参保年数 -1 为负数 (negative)");
    world_free(&w);
}

static void test_settle_cuts_rate_out_of_province_without_referral(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/national-default-2018.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "530102", "2018-04-01", "2018-04-10");
    snprintf(v.mdtrtarea_admvs, sizeof v.mdtrtarea_admvs, "310104");
    struct yb_fee_line l[] = {fx_line("1", "A001", 1100000, "2018-04-02")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.place, YB_PLACE_OUT_PROVINCE);
    /* (11000 - 1000) x (65% - 20%) */
    assert_int_equal(s.info.hifp_pay, 450000);
    v.referral = true;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.info.hifp_pay, 650000);
    world_free(&w);
}

static void test_settle_pays_nothing_when_no_basic_layer_applies(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/national-default-2018.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    /* outpatient pooling only at primary institutions */
    struct yb_visit v =
        fx_visit("11", "3", "530102", "2018-04-01", "2018-04-01");
    struct yb_fee_line l[] = {fx_line("1", "A001", 20000, "2018-04-01")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.info.hifp_pay, 0);
    assert_int_equal(s.info.pool_prop_selfpay, 0);
    assert_int_equal(s.n_details, 0);
    assert_int_equal(s.n_setldetail, 0);
    assert_int_equal(s.info.psn_part_amt, 20000);
    assert_string_equal(s.steps[s.n_steps - 1].code, "layer.none");
    world_free(&w);
}

static void test_settle_pays_flat_maternity_up_to_the_bill(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/national-default-2018.json"));
    struct yb_person psn = fx_person("1501", "1992-01-01");
    psn.gender = YB_GENDER_FEMALE;
    struct yb_visit v =
        fx_visit("52", "2", "530102", "2018-06-01", "2018-06-04");
    v.matn_type = "2";
    struct yb_fee_line l[] = {fx_line("1", "A001", 400000, "2018-06-01")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.info.hifp_pay, 250000);
    l[0] = fx_line("1", "A001", 180000, "2018-06-01");
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.info.hifp_pay, 180000);
    world_free(&w);
}

static void test_settle_keeps_chronic_caps_per_disease(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/national-default-2018.json"));
    struct yb_person psn = fx_person("1601", "1950-01-01");
    struct yb_visit v =
        fx_visit("14", "township", "530102", "2018-05-01", "2018-05-01");
    v.chronic_disease = "I10";
    struct yb_accum items[] = {{"chronic.paid.I10", 110000},
                               {"chronic.dedc", 30000}};
    struct yb_accums before = {2018, items, 2};
    struct yb_fee_line l[] = {fx_line("1", "A001", 50000, "2018-05-01")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, &before, &w.arena, &s);
    /* 500 x 70% = 350, but only 100 left of the 1200 hypertension cap */
    assert_int_equal(s.info.hifp_pay, 10000);
    v.chronic_disease = "E11.900";
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, &before, &w.arena, &s);
    assert_int_equal(s.info.hifp_pay, 35000);
    assert_int_equal(yb_accums_get(&s.after, "chronic.paid.E11.900"), 35000);
    world_free(&w);
}

static void test_settle_applies_price_ceiling_and_class_b_share(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/e3-ningbo-2023.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "330203", "2023-04-01", "2023-04-03");
    struct yb_fee_line l[] = {fx_line("1", "S001", 10000, "2023-04-01"),
                              fx_line("2", "B001", 12345, "2023-04-01")};
    l[0].cnt = 15000; /* 1.5 units at 66.67 each = 100.00; ceiling 97.50 */
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 2, NULL, &w.arena, &s);
    assert_int_equal(s.lines[0].overlmt_amt, 250);
    assert_int_equal(s.lines[0].inscp_scp_amt, 9750);
    assert_int_equal(s.lines[1].preselfpay_amt, 1235); /* 123.45 x 10% */
    assert_int_equal(s.lines[1].inscp_scp_amt, 11110);
    assert_int_equal(s.info.overlmt_selfpay, 250);
    world_free(&w);
}

static void test_settle_rejects_accumulators_of_another_year(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/e3-ningbo-2023.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "330203", "2023-04-01", "2023-04-03");
    struct yb_fee_line l[] = {fx_line("1", "A001", 10000, "2023-04-01")};
    struct yb_accums before = {2022, NULL, 0};
    struct yb_settlement s;
    struct yb_err e = {0};
    assert_int_equal(
        yb_settle(w.p, &w.cat, &psn, &v, l, 1, &before, &w.arena, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "accumulators.year");
    v.end = fx_date("2024-01-02");
    assert_int_equal(
        yb_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s, &e),
        YB_ENOTCOVERED);
    assert_string_equal(e.field, "mdtrt.endtime");
    world_free(&w);
}

static void test_settle_uses_the_discharge_year_for_the_policy(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/e3-ningbo-2023.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "330203", "2022-12-28", "2023-01-05");
    struct yb_fee_line l[] = {fx_line("1", "A001", 500000, "2022-12-29")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    assert_int_equal(s.after.year, 2023);
    assert_int_equal(s.info.hifp_pay, 266000); /* (5000 - 1200) x 70% */
    world_free(&w);
}

static void
test_settle_rejects_unknown_item_under_rejecting_policy(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/e3-ningbo-2023.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "330203", "2023-04-01", "2023-04-03");
    struct yb_fee_line l[] = {fx_line("1", "A001", 10000, "2023-04-01"),
                              fx_line("2", "NOPE", 10000, "2023-04-01")};
    struct yb_settlement s;
    struct yb_err e = {0};
    assert_int_equal(
        yb_settle(w.p, &w.cat, &psn, &v, l, 2, NULL, &w.arena, &s, &e),
        YB_EINVAL);
    assert_string_equal(e.field, "feedetail[1].med_list_codg");
    assert_non_null(strstr(e.msg, "NOPE"));
    world_free(&w);
}

static void test_settle_trace_names_rules_and_renders_in_chinese(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, fx_policy_file("policies/e3-ningbo-2023.json"));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "330203", "2023-04-01", "2023-04-03");
    struct yb_fee_line l[] = {fx_line("1", "A001", 500000, "2023-04-01")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    const struct yb_step *ded = NULL;
    for (int i = 0; i < s.n_steps; i++)
        if (strcmp(s.steps[i].code, "deductible.rule") == 0)
            ded = &s.steps[i];
    assert_non_null(ded);
    assert_string_equal(ded->rule, "benefits.layers[0].deductible.rules[0]");
    assert_int_equal(ded->result, 120000);
    char *text = yb_trace_text(&s, &w.arena);
    assert_non_null(strstr(text, "起付标准[inpatient]：1200.00元"));
    assert_non_null(strstr(text, "支付比例[inpatient]：70%"));
    world_free(&w);
}

/* A layer of 120 bands: its setl_proc_info and the trace's rate step name
 * every band and end with the payment (they were cut at 1,024 bytes). */
static void test_settle_texts_are_never_cut(void **state)
{
    (void)state;
    char json[16384];
    int k = snprintf(json, sizeof json,
                     "{\"schema\": \"yibao.policy/1\", \"name\": \"多段\","
                     " \"region\": \"330200\", \"insutype\": \"390\","
                     " \"year\": 2023, \"classification\": {\"unknown_item\":"
                     " \"reject\"}, \"benefits\": {\"layers\": [{\"id\":"
                     " \"inpatient\", \"name\": \"住院统筹\", \"stage\":"
                     " \"basic\", \"rates\": {\"rules\": [{\"bands\": [");
    for (int i = 0; i < 120; i++)
        k += snprintf(json + k, sizeof json - (size_t)k,
                      "%s{\"from\": \"%d\", \"rate\": \"%d%%\"}", i ? ", " : "",
                      i * 100, 50 + i % 40);
    snprintf(json + k, sizeof json - (size_t)k, "]}]}}]}}");
    struct world w;
    world_init(&w, fx_policy(json));
    struct yb_person psn = fx_person("1501", "1970-01-01");
    struct yb_visit v =
        fx_visit("21", "3", "330203", "2023-04-01", "2023-04-03");
    /* 20,000.00 reaches every band; band i pays 100.00 x (50 + i % 40)% */
    struct yb_fee_line l[] = {fx_line("1", "A001", 2000000, "2023-04-01")};
    struct yb_settlement s;
    fx_settle(w.p, &w.cat, &psn, &v, l, 1, NULL, &w.arena, &s);
    yb_fen want = 0;
    for (int i = 0; i < 119; i++)
        want += 100 * (50 + i % 40);
    want += 810000 * (50 + 119 % 40) / 100; /* the last band: 8,100.00 */
    assert_int_equal(s.info.hifp_pay, want);
    const char *proc = yb_detail_proc_info(&s, 0, &w.arena);
    assert_non_null(proc);
    assert_true(strlen(proc) > 1400); /* the old buffer held 1,023 */
    assert_non_null(strstr(proc, "+8100.00×89%="));
    char total[32], tail[40];
    snprintf(tail, sizeof tail, "=%s", yb_money_format(want, total));
    assert_string_equal(proc + strlen(proc) - strlen(tail), tail);
    char *text = yb_trace_text(&s, &w.arena);
    assert_non_null(strstr(text, tail));
    for (int i = 0; i < s.n_steps; i++) {
        const char *t = yb_step_text(&s.steps[i], &w.arena);
        assert_non_null(t);
        assert_non_null(strstr(text, t));
    }
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settle_reproduces_worked_example_e3),
        cmocka_unit_test(test_settle_texts_are_never_cut),
        cmocka_unit_test(test_settle_reproduces_worked_example_e6),
        cmocka_unit_test(test_settle_halves_deductible_for_second_admission),
        cmocka_unit_test(test_settle_stops_at_the_shared_annual_cap),
        cmocka_unit_test(test_settle_runs_assistance_after_critical_illness),
        cmocka_unit_test(test_settle_applies_critical_illness_tilt_and_cap),
        cmocka_unit_test(test_settle_accumulates_critical_illness_over_visits),
        cmocka_unit_test(
            test_settle_raises_critical_illness_cap_for_enrolment_years),
        cmocka_unit_test(
            test_settle_cap_increase_keeps_no_cap_and_old_policies),
        cmocka_unit_test(test_settle_raised_cap_holds_over_the_year),
        cmocka_unit_test(test_settle_raises_a_named_shared_cap),
        cmocka_unit_test(
            test_settle_raises_a_shared_cap_for_critical_illness_only),
        cmocka_unit_test(test_settle_refuses_years_that_do_not_fit),
        cmocka_unit_test(
            test_settle_cuts_rate_out_of_province_without_referral),
        cmocka_unit_test(test_settle_pays_nothing_when_no_basic_layer_applies),
        cmocka_unit_test(test_settle_pays_flat_maternity_up_to_the_bill),
        cmocka_unit_test(test_settle_keeps_chronic_caps_per_disease),
        cmocka_unit_test(test_settle_applies_price_ceiling_and_class_b_share),
        cmocka_unit_test(test_settle_rejects_accumulators_of_another_year),
        cmocka_unit_test(test_settle_uses_the_discharge_year_for_the_policy),
        cmocka_unit_test(
            test_settle_rejects_unknown_item_under_rejecting_policy),
        cmocka_unit_test(test_settle_trace_names_rules_and_renders_in_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
