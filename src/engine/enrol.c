/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Enrolment rules (参保, docs/financing.md): a person's type (人员类别) from
 * age and student status; the day a contribution starts to buy cover - from
 * birth for a newborn enrolled within the grace period, 1 January for a
 * contribution paid in the collection window, otherwise after a waiting
 * period (待遇等待期, 2024 rules: a fixed wait for enrolling outside the
 * window or after a break, plus variable months for each further year of
 * break, reduced by paying arrears back, exempt groups none); and the
 * increase of the critical-illness cap earned by continuous and claim-free
 * enrolment. Every count and amount comes from the policy; the person's
 * history and the payment day are inputs. Pure: no I/O, no globals, no
 * clock.
 */
#include <string.h>

#include "yibao/financing.h"

static const char *const student_names[] = {"none", "school", "college"};

static const char *const reason_texts[] = {
    [YB_COVER_NEWBORN] = "新生儿在宽限期内参保，自出生之日起享受待遇",
    [YB_COVER_WINDOW] = "集中参保期内参保，自参保年度1月1日起享受待遇",
    [YB_COVER_PAYMENT] = "集中参保期外参保，自缴费次日起享受待遇",
    [YB_COVER_EXEMPT] = "属免设待遇等待期人员，不设待遇等待期",
    [YB_COVER_WAIT_LATE] = "集中参保期外参保，设固定待遇等待期",
    [YB_COVER_WAIT_BREAK] = "未连续参保，设固定及变动待遇等待期",
};

static yb_date later(yb_date a, yb_date b)
{
    return a > b ? a : b;
}

/* ---- person type ------------------------------------------------------- */

static bool psn_rule_matches(const struct yb_psn_type_rule *r, int age,
                             enum yb_student student)
{
    return (r->age_min < 0 || age >= r->age_min) &&
           (r->age_max < 0 || age <= r->age_max) &&
           (r->students == 0 || (r->students & (1u << student)) != 0);
}

int yb_psn_type_for(const struct yb_enrol_rules *r, yb_date birth, yb_date on,
                    enum yb_student student, int *psn_type, struct yb_err *e)
{
    char a[16], b[16];
    int age;

    if (r == NULL)
        return yb_err_set(
            e, YB_EPOLICY, "enrolment",
            "政策没有参保部分 enrolment (the policy has no enrolment section)");
    if (r->n_psn_types == 0)
        return yb_err_set(
            e, YB_EPOLICY, "enrolment.person_types",
            "政策没有给出人员类别 (the policy gives no person types)");
    if ((int)student < YB_STUDENT_NONE || student > YB_STUDENT_COLLEGE)
        return yb_err_set(e, YB_EINVAL, "student",
                          "%d 不是学生状态代码 (not a student status)",
                          (int)student);
    if (on < birth)
        return yb_err_set(e, YB_EINVAL, "on",
                          "日期 %s 早于出生日期 %s (before the birth date)",
                          yb_date_format(on, a), yb_date_format(birth, b));
    /* Age in full years; a 29 February birthday turns over on 1 March in
     * common years (yb_date_age). */
    age = yb_date_age(birth, on);
    for (int i = 0; i < r->n_psn_types; i++)
        if (psn_rule_matches(&r->psn_types[i], age, student)) {
            *psn_type = r->psn_types[i].psn_type;
            return YB_OK;
        }
    return yb_err_set(e, YB_EPOLICY, "enrolment.person_types",
                      "没有规则给出 %d 岁、学生状态为 \"%s\" 的人员类别 (no "
                      "rule gives the person type)",
                      age, student_names[student]);
}

/* ---- coverage start and waiting period --------------------------------- */

static int check_event(const struct yb_enrol_event *ev, struct yb_err *e)
{
    char a[16], b[16];
    int n = ev->coverage_year;

    if (n <= YB_DATE_MIN_YEAR || n > YB_DATE_MAX_YEAR)
        return yb_err_set(e, YB_EINVAL, "coverage_year",
                          "%d 不在 %d 至 %d 之间 (out of range)", n,
                          YB_DATE_MIN_YEAR + 1, YB_DATE_MAX_YEAR);
    if (ev->payment_date < ev->birth)
        return yb_err_set(e, YB_EINVAL, "payment_date",
                          "日期 %s 早于出生日期 %s (before the birth date)",
                          yb_date_format(ev->payment_date, a),
                          yb_date_format(ev->birth, b));
    if (ev->last_covered_year < 0 || ev->last_covered_year >= n ||
        (ev->last_covered_year > 0 && ev->last_covered_year < YB_DATE_MIN_YEAR))
        return yb_err_set(e, YB_EINVAL, "last_covered_year",
                          "%d 不是参保年度 %d 之前的年份（0 表示从未参保）(not "
                          "a year before the coverage year)",
                          ev->last_covered_year, n);
    if (ev->repaid_years < 0)
        return yb_err_set(e, YB_EINVAL, "repaid_years",
                          "%d 不能为负数 (negative)", ev->repaid_years);
    return YB_OK;
}

/* Born at most grace days before the payment (birth day = day 0) and in or
 * before the coverage year. Only a child born in the coverage year may pay
 * for it after it ended (born 20 December, enrolled in January). */
static bool newborn_in_grace(const struct yb_enrol_rules *r,
                             const struct yb_enrol_event *ev)
{
    int birth_year = yb_date_year(ev->birth);

    return r->newborn_grace_days >= 0 &&
           ev->payment_date - ev->birth <= r->newborn_grace_days &&
           (birth_year == ev->coverage_year ||
            (birth_year < ev->coverage_year &&
             yb_date_year(ev->payment_date) <= ev->coverage_year));
}

static const struct yb_when *exempt_match(const struct yb_waiting *w,
                                          const struct yb_enrol_event *ev)
{
    /* Age conditions read the age on the payment day. */
    int age = yb_date_age(ev->birth, ev->payment_date);

    for (int i = 0; i < w->n_exempt; i++)
        if (yb_when_person_match(&w->exempt[i], ev->psn_type, ev->idets, -1,
                                 age))
            return &w->exempt[i];
    return NULL;
}

/* Fixed months, variable months for each break year beyond
 * variable_after_years, less repair_months_per_year for each year of
 * arrears repaid (never below 0 variable months, nor below the repair
 * floor after a long break). */
static void waiting_months(const struct yb_waiting *w, int repaid,
                           struct yb_coverage *out)
{
    int beyond = out->break_years - w->variable_after_years;
    int repair, total;

    out->fixed_months = w->fixed_months;
    out->variable_months =
        beyond > 0 ? beyond * w->variable_months_per_year : 0;
    repair = repaid * w->repair_months_per_year;
    if (repair > out->variable_months)
        repair = out->variable_months;
    total = out->fixed_months + out->variable_months - repair;
    if (repair > 0 && w->floor_break_years > 0 &&
        out->break_years >= w->floor_break_years) {
        int whole = out->fixed_months + out->variable_months;
        int floor = w->floor_months < whole ? w->floor_months : whole;

        if (total < floor) {
            repair -= floor - total;
            total = floor;
        }
    }
    out->repaired_months = repair;
    out->waiting_months = total;
}

/* Cover without a newborn grace: in the window from 1 January, otherwise
 * from the day after payment, after a wait when one applies. */
static void start_after_payment(const struct yb_enrol_rules *r,
                                const struct yb_enrol_event *ev, yb_date jan1,
                                struct yb_coverage *out)
{
    bool late = !ev->in_window, broke = out->break_years > 0;
    yb_date after_pay = later(jan1, ev->payment_date + 1);

    if (!late && !broke) {
        out->reason = YB_COVER_WINDOW;
        out->covered_from = jan1;
        return;
    }
    if (!r->has_waiting) {
        out->reason = late ? YB_COVER_PAYMENT : YB_COVER_WINDOW;
        out->covered_from = late ? after_pay : jan1;
        return;
    }
    out->exempt_by = exempt_match(&r->waiting, ev);
    if (out->exempt_by != NULL) {
        out->reason = YB_COVER_EXEMPT;
        out->covered_from = late ? after_pay : jan1;
        return;
    }
    out->reason = broke ? YB_COVER_WAIT_BREAK : YB_COVER_WAIT_LATE;
    waiting_months(&r->waiting, ev->repaid_years, out);
    /* The wait runs from the later of 1 January and the day after
     * payment; cover starts the day it ends. */
    out->covered_from = yb_date_add_months(after_pay, out->waiting_months);
}

int yb_coverage_start(const struct yb_enrol_rules *r,
                      const struct yb_enrol_event *ev, struct yb_coverage *out,
                      struct yb_err *e)
{
    char a[16];
    yb_date jan1;
    int rc;

    memset(out, 0, sizeof *out);
    if (r == NULL)
        return yb_err_set(
            e, YB_EPOLICY, "enrolment",
            "政策没有参保部分 enrolment (the policy has no enrolment section)");
    rc = check_event(ev, e);
    if (rc != YB_OK)
        return rc;
    jan1 = yb_date_from_ymd(ev->coverage_year, 1, 1);
    if (ev->last_covered_year > 0)
        out->break_years = ev->coverage_year - 1 - ev->last_covered_year;
    if (ev->repaid_years > out->break_years)
        return yb_err_set(e, YB_EINVAL, "repaid_years",
                          "%d 多于断缴年数 %d (more than the years of break)",
                          ev->repaid_years, out->break_years);
    if (newborn_in_grace(r, ev)) {
        /* docs/financing.md: enrolled within the grace period, covered from
         * the birth date (from 1 January when paying for a later year). */
        out->reason = YB_COVER_NEWBORN;
        out->covered_from = later(ev->birth, jan1);
    } else if (ev->payment_date > yb_date_from_ymd(ev->coverage_year, 12, 31)) {
        return yb_err_set(e, YB_EINVAL, "payment_date",
                          "日期 %s 晚于参保年度 %d (after the coverage year)",
                          yb_date_format(ev->payment_date, a),
                          ev->coverage_year);
    } else {
        start_after_payment(r, ev, jan1, out);
    }
    /* Invariant: the wait ends the day before cover starts. */
    out->waiting_until = out->covered_from - 1;
    return YB_OK;
}

const char *yb_cover_reason_text(enum yb_cover_reason reason)
{
    if ((int)reason < 0 || reason > YB_COVER_WAIT_BREAK)
        return "未知";
    return reason_texts[reason];
}

/* ---- critical-illness cap increase ------------------------------------- */

static int check_bonus_inputs(int continuous_years, int claim_free_years,
                              yb_fen base_cap, struct yb_err *e)
{
    if (continuous_years < 0)
        return yb_err_set(e, YB_EINVAL, "continuous_years",
                          "%d 不能为负数 (negative)", continuous_years);
    if (claim_free_years < 0)
        return yb_err_set(e, YB_EINVAL, "claim_free_years",
                          "%d 不能为负数 (negative)", claim_free_years);
    if (claim_free_years > continuous_years)
        return yb_err_set(e, YB_EINVAL, "claim_free_years",
                          "%d 大于连续参保年数 continuous_years "
                          "%d（断缴后两者都重新计算）(above continuous_years)",
                          claim_free_years, continuous_years);
    if (base_cap < 0)
        return yb_err_set(e, YB_EINVAL, "base_cap",
                          "%lld 分不能为负数 (negative)", (long long)base_cap);
    return YB_OK;
}

int yb_ci_cap_bonus(const struct yb_enrol_rules *r, int continuous_years,
                    int claim_free_years, yb_fen base_cap,
                    struct yb_ci_bonus *out, struct yb_err *e)
{
    const struct yb_ci_bonus_rules *c;
    yb_fen sum = 0;
    int rc, beyond;

    memset(out, 0, sizeof *out);
    if (r == NULL)
        return yb_err_set(
            e, YB_EPOLICY, "enrolment",
            "政策没有参保部分 enrolment (the policy has no enrolment section)");
    rc = check_bonus_inputs(continuous_years, claim_free_years, base_cap, e);
    if (rc != YB_OK || !r->has_ci_bonus)
        return rc;
    c = &r->ci_bonus;
    /* docs/financing.md: each continuous year beyond after_years, and each
     * claim-free year, adds its amount. */
    beyond = continuous_years - c->continuous_after_years;
    if (c->has_continuous && beyond > 0)
        rc = yb_money_mul(c->continuous_amount, beyond, &out->continuous);
    if (rc == YB_OK && c->has_claim_free)
        rc = yb_money_mul(c->claim_free_amount, claim_free_years,
                          &out->claim_free);
    /* Rounding point: max_share x base cap, half up to the fen. */
    if (rc == YB_OK)
        rc = yb_money_apply_rate(base_cap, c->max_share, &out->limit);
    if (rc == YB_OK)
        rc = yb_money_add(out->continuous, out->claim_free, &sum);
    if (rc != YB_OK)
        return yb_err_set(e, YB_EOVERFLOW, "enrolment.ci_cap_bonus",
                          "金额超出范围 (amount out of range)");
    out->bonus = sum < out->limit ? sum : out->limit;
    return YB_OK;
}
