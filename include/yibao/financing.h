/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Financing and enrolment: the policy model of a policy file's optional
 * "financing" and "enrolment" sections (docs/policy.md, "Financing" and
 * "Enrolment"), and the pure computations over them: how the per-capita
 * fiscal subsidy is split between central, provincial, city and county
 * budgets (docs/financing.md), what a person owes and what medical assistance
 * pays for them (资助参保), which person type (人员类别) a person has, from
 * which day a contribution buys cover and how long the waiting period is
 * (2024 rules), and how far continuous, claim-free enrolment raises the
 * critical-illness cap.
 *
 * Every figure comes from the policy: no amount, rate, month count or year
 * is a constant in code (docs/architecture.md, principle 1). The
 * computations are pure (principle 2): no I/O, no globals, no clock; "today" is
 * always an input. Money is int64 fen, rates 1/10,000, and every rounding is
 * half up to the fen at the points each function names (principle 3).
 *
 * Ownership: the section structs are allocated from the owning struct
 * yb_policy's arena and live as long as the policy; results are plain
 * caller-owned structs whose pointers borrow from the policy.
 */
#ifndef YIBAO_FINANCING_H
#define YIBAO_FINANCING_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "money.h"
#include "policy.h"

/* ---- the financing section (筹资) ------------------------------------- */

/* A contribution tier (缴费档次). Tiers are numbered 1..n in file order and
 * tier 1 is the lowest: amounts strictly ascend. */
struct yb_contrib_tier {
    int tier;
    const char *name;
    yb_fen amount; /* individual contribution per person per year */
    const char *path;
};

/* What an assistance rule pays (JSON "pay"). */
enum yb_assist_pay {
    YB_ASSIST_FULL = 0,   /* "full": the whole contribution */
    YB_ASSIST_AMOUNT = 1, /* "amount": a fixed amount, at most the whole */
    YB_ASSIST_SHARE = 2,  /* "share": a rate of the contribution */
};

/* The contribution an assistance rule is measured on (JSON "basis"). */
enum yb_assist_basis {
    YB_BASIS_CHOSEN_TIER = 0, /* "chosen_tier": the person's own tier */
    YB_BASIS_LOWEST_TIER = 1, /* "lowest_tier": tier 1, whatever the person
                                 chose; a higher tier pays the difference */
};

/* Assisted contribution (资助参保), first match. The selector names only
 * idet, no_idet, psn_type and tier (a contribution is not a visit). */
struct yb_assist_rule {
    const char *name;
    struct yb_when when;
    enum yb_assist_pay pay;
    enum yb_assist_basis basis;
    yb_fen amount;    /* YB_ASSIST_AMOUNT */
    yb_rate share;    /* YB_ASSIST_SHARE */
    const char *fund; /* fund_pay_type code that pays: default 610100 */
    const char *path;
};

/* Budget levels sharing the subsidy (JSON "level"). */
enum yb_gov_level {
    YB_GOV_CENTRAL = 0,  /* "central" 中央 */
    YB_GOV_PROVINCE = 1, /* "province" 省 */
    YB_GOV_CITY = 2,     /* "city" 市(州) */
    YB_GOV_COUNTY = 3,   /* "county" 县(区) */
    YB_GOV__COUNT
};

/* How a part of the per-capita subsidy is computed (JSON "rule"). */
enum yb_split_rule {
    YB_SPLIT_SHARE = 0,         /* "share": rate x subsidy */
    YB_SPLIT_SHARE_BY_TIER = 1, /* "share_by_tier": tier_rates[t-1] x
                                   subsidy for province tier t */
    YB_SPLIT_INCREMENT = 2,     /* "increment": base_amount + rate x
                                   (subsidy - base_subsidy) (pre-2019) */
    YB_SPLIT_FIXED = 3,         /* "fixed": amount */
    YB_SPLIT_REMAINDER = 4,     /* "remainder": whatever the others left */
};

/* One part of the subsidy split, or the critical-illness earmark (which
 * uses the same rules but share, increment and fixed only; level unused). */
struct yb_split_part {
    enum yb_gov_level level;
    enum yb_split_rule rule;
    yb_rate rate;              /* share, increment */
    const yb_rate *tier_rates; /* share_by_tier: rate of province tier t at
                                  [t - 1] */
    int n_tier_rates;
    yb_fen base_amount;  /* increment: the amount kept from the base year */
    yb_fen base_subsidy; /* increment: the subsidy of the base year */
    yb_fen amount;       /* fixed */
    const char *path;    /* "financing.split[0]" */
};

struct yb_financing {
    yb_date window_from, window_to; /* collection window (征缴期), inclusive */
    yb_fen subsidy;        /* fiscal subsidy per capita (财政补助) */
    yb_fen min_subsidy;    /* national minimum; -1: none given */
    yb_fen min_individual; /* national minimum; -1: none given */
    struct yb_contrib_tier *tiers; /* tier t at [t - 1]; n_tiers >= 1 */
    int n_tiers;
    bool has_critical_illness;
    struct yb_split_part critical_illness; /* per-capita earmark (大病保险
                                              筹资); absent: 0 */
    struct yb_assist_rule *assist;         /* first match */
    int n_assist;
    struct yb_split_part *split; /* in file order; a remainder is last */
    int n_split;
    int n_province_tiers; /* length of every share_by_tier list;
                             0 when none */
};

/* ---- the enrolment section (参保) ------------------------------------- */

/* Student status, an input of the person type (JSON "student"). */
enum yb_student {
    YB_STUDENT_NONE = 0,    /* "none": not in school */
    YB_STUDENT_SCHOOL = 1,  /* "school": primary or secondary school */
    YB_STUDENT_COLLEGE = 2, /* "college": college or university */
};

/* A person-type rule, first match: age in full years on the reference day
 * within [age_min, age_max] and student status in the set. */
struct yb_psn_type_rule {
    int psn_type;      /* YB_DICT_PSN_TYPE index */
    int age_min;       /* -1: unset */
    int age_max;       /* -1: unset */
    unsigned students; /* bit (1 << enum yb_student); 0: any */
    const char *path;
};

/* Waiting periods (待遇等待期, 2024 rules). A person waits when enrolling
 * outside the collection window or after a break: fixed_months, plus
 * variable_months_per_year for each break year beyond
 * variable_after_years; each year of arrears paid back removes
 * repair_months_per_year variable months. After a break of at least
 * floor_break_years, repair never brings the wait below floor_months. */
struct yb_waiting {
    int fixed_months;
    int variable_months_per_year;
    int variable_after_years;
    int repair_months_per_year;
    int floor_break_years; /* 0: no floor */
    int floor_months;
    struct yb_when *exempt; /* any match: no wait; idet, no_idet, psn_type,
                               age_min, age_max (age on the payment day) */
    int n_exempt;
};

/* Critical-illness cap increases (大病保险封顶线提高). */
struct yb_ci_bonus_rules {
    bool has_continuous;
    int continuous_after_years; /* years of continuous enrolment that earn
                                   nothing yet */
    yb_fen continuous_amount;   /* per continuous year beyond them */
    bool has_claim_free;
    yb_fen claim_free_amount; /* per claim-free year */
    yb_rate max_share;        /* total increase <= max_share x base cap */
};

struct yb_enrol_rules {
    struct yb_psn_type_rule *psn_types; /* first match; may be empty */
    int n_psn_types;
    int newborn_grace_days; /* -1: no grace rule */
    bool has_waiting;
    struct yb_waiting waiting;
    bool has_ci_bonus;
    struct yb_ci_bonus_rules ci_bonus;
};

/* ---- policy-model helpers (src/policy/policy_financing.c) ------------- */

/* The per-capita amount of one non-remainder part under the per-capita
 * subsidy `subsidy` and the province's subsidy tier (1-based; read only by
 * share_by_tier). Rounding point: the product of a rate and an amount is
 * rounded half up to the fen (yb_money_apply_rate), once per part. The
 * loader validates the split with this same function, so what it accepts
 * is what the engine computes. YB_EINVAL for a remainder part or a
 * province tier outside 1..n_tier_rates (field "province_tier"),
 * YB_EOVERFLOW on overflow. */
int yb_split_part_amount(const struct yb_split_part *part, yb_fen subsidy,
                         int province_tier, yb_fen *out, struct yb_err *e);

/* Name of a budget level ("central") and its Chinese label ("中央"); NULL
 * for an unknown level. Static storage. */
const char *yb_gov_level_name(enum yb_gov_level level);
const char *yb_gov_level_label(enum yb_gov_level level);

/* Whether a visit of medical type med_type (YB_DICT_MED_TYPE index) may
 * meet a cap that p's enrolment.ci_cap_bonus raises: p has the rule and a
 * critical-illness layer whose own cap or one of whose shared caps it
 * raises selects that medical type (or any). Other conditions of the
 * layer are not looked at, so false is sure and true is a maybe: a
 * settlement service reads the person's years only when it is true. */
bool yb_ci_bonus_may_apply(const struct yb_policy *p, int med_type);

/* Loader hooks, called by yb_policy_parse after the benefits: parse the
 * optional top-level "financing" / "enrolment" object of the document
 * `root` into p->financing / p->enrol (left NULL when absent), allocating
 * from p->arena. Errors carry the JSON path; YB_ENOMEM on allocation
 * failure. Not for other callers. */
struct cJSON;
int yb__financing_parse(const struct cJSON *root, struct yb_policy *p,
                        struct yb_err *e);
int yb__enrol_parse(const struct cJSON *root, struct yb_policy *p,
                    struct yb_err *e);

/* ---- subsidy split (src/engine/subsidy.c) ----------------------------- */

struct yb_subsidy_share {
    enum yb_gov_level level;
    const struct yb_split_part *part; /* the policy's rule */
    yb_fen per_capita;
    yb_fen total; /* per_capita x headcount */
};

struct yb_subsidy_split {
    int province_tier;
    int64_t headcount;
    yb_fen per_capita;                             /* the policy's subsidy */
    yb_fen total;                                  /* per_capita x headcount */
    struct yb_subsidy_share shares[YB_GOV__COUNT]; /* in policy order */
    int n_shares;
    yb_fen ci_per_capita; /* critical-illness earmark; 0 when none */
    yb_fen ci_total;      /* ci_per_capita x headcount */
};

/* Split the per-capita subsidy of f between the budget levels for a
 * province of subsidy tier province_tier (1-based; read only when the split
 * has a share_by_tier rule) and headcount insured people (>= 0). Each
 * non-remainder level gets yb_split_part_amount (half up to the fen per
 * capita); the remainder level gets the subsidy minus the others; totals
 * are per capita x headcount, exact (checked multiplication, no further
 * rounding).
 * Invariants: the per-capita shares add up to the subsidy and the totals
 * to subsidy x headcount, to the fen.
 * Errors: YB_EPOLICY when f is NULL ("financing") or has no split
 * ("financing.split"); YB_EINVAL for a negative headcount ("headcount") or
 * a province tier outside the share_by_tier lists ("province_tier");
 * YB_EOVERFLOW when a total does not fit in int64. *out is caller-owned;
 * its part pointers borrow from f. */
int yb_subsidy_split(const struct yb_financing *f, int province_tier,
                     int64_t headcount, struct yb_subsidy_split *out,
                     struct yb_err *e);

/* ---- contributions (src/engine/contribute.c) -------------------------- */

struct yb_contribution {
    int tier;
    yb_fen individual; /* the tier's contribution (个人缴费标准) */
    yb_fen assisted;   /* paid by assistance (资助参保) */
    yb_fen own;        /* what the person pays: individual - assisted */
    const struct yb_assist_rule *assist; /* the rule applied, or NULL */
    const char *assist_fund;             /* its fund, or NULL */
};

/* What a person of type psn_type (YB_DICT_PSN_TYPE index) holding the
 * identities idets (bit set over YB_DICT_IDET) owes for the coverage year
 * in contribution tier `tier`; the first matching assistance rule applies.
 * "full" assists the basis amount, "amount" min(amount, basis), "share"
 * basis x share rounded half up to the fen; never more than the person's
 * own contribution.
 * Invariants: assisted + own = individual; 0 <= assisted <= individual.
 * Errors: YB_EPOLICY when f is NULL ("financing"); YB_EINVAL when the tier
 * is not one of the policy's ("tier"); YB_EOVERFLOW. *out is
 * caller-owned; its pointers borrow from f. */
int yb_contribution_due(const struct yb_financing *f, int psn_type,
                        uint64_t idets, int tier, struct yb_contribution *out,
                        struct yb_err *e);

/* true when a selector's person conditions hold: psn_type, idet, no_idet,
 * tier (ignored when tier < 0 is passed and the selector names none) and
 * age_min/age_max (age < 0: unknown, fails any age bound). Visit
 * conditions (med_type, hosp_lv, place, ...) are not looked at; the loader
 * refuses them in financing and enrolment selectors. */
bool yb_when_person_match(const struct yb_when *w, int psn_type, uint64_t idets,
                          int tier, int age);

/* ---- enrolment (src/engine/enrol.c) ----------------------------------- */

/* The psn_type index of someone born on `birth` with student status
 * `student`, by the first matching person-type rule on day `on` (age in
 * full years, yb_date_age: a 29 February birthday turns over on 1 March
 * in common years).
 * Errors: YB_EPOLICY when r is NULL or has no person types
 * ("enrolment.person_types") or no rule matches; YB_EINVAL when on is
 * before birth ("on") or student is not an enum value ("student"). */
int yb_psn_type_for(const struct yb_enrol_rules *r, yb_date birth, yb_date on,
                    enum yb_student student, int *psn_type, struct yb_err *e);

/* One enrolment: who enrols, what was paid and when, and the person's
 * history. */
struct yb_enrol_event {
    yb_date birth;         /* the person's birth date */
    int psn_type;          /* YB_DICT_PSN_TYPE index */
    uint64_t idets;        /* bit set over YB_DICT_IDET */
    int coverage_year;     /* N: the year the contribution covers */
    yb_date payment_date;  /* the day the contribution was paid */
    bool in_window;        /* paid inside the collection window */
    int last_covered_year; /* last year covered before N; 0: never */
    int repaid_years;      /* years of arrears paid back (补缴), <= break */
};

/* Why cover starts when it does. */
enum yb_cover_reason {
    YB_COVER_NEWBORN = 0,   /* newborn within the grace period: from birth */
    YB_COVER_WINDOW = 1,    /* in the window, no break: from 1 January */
    YB_COVER_PAYMENT = 2,   /* outside the window, policy without waiting
                               periods: from the day after payment */
    YB_COVER_EXEMPT = 3,    /* would wait but is exempt: 1 January, or the
                               day after payment outside the window */
    YB_COVER_WAIT_LATE = 4, /* outside the window, no break: fixed wait */
    YB_COVER_WAIT_BREAK = 5 /* after a break: fixed + variable wait */
};

struct yb_coverage {
    yb_date covered_from;  /* first day of benefits; may fall after the
                              coverage year when a wait runs past it */
    yb_date waiting_until; /* last day of the wait; always covered_from - 1
                              (with no wait: the day before cover starts) */
    int waiting_months;    /* fixed + variable - repaired; 0: no wait */
    int fixed_months;
    int variable_months; /* before repair */
    int repaired_months; /* variable months removed by paying arrears,
                            net of the repair floor */
    int break_years;     /* years without cover between the last covered
                            year and N; 0 when never covered */
    enum yb_cover_reason reason;
    const struct yb_when *exempt_by; /* YB_COVER_EXEMPT: the selector */
};

/* When cover starts for the person enrolling as ev says (docs/financing.md):
 *  - born at most newborn_grace_days days before the payment day (the
 *    birth day is day 0) and in or before year N: covered from the later
 *    of birth and 1 January N, no wait; a child born in year N may pay
 *    for it within the grace after N ended (born 20 December, paid in
 *    January);
 *  - otherwise a person waits when paying outside the window or after a
 *    break (last_covered_year < N - 1; never covered is no break), unless
 *    the policy has no waiting rules or an exempt selector matches (age on
 *    the payment day). The wait starts on the later of 1 January N and the
 *    day after payment, and cover starts add_months(start, months);
 *  - without a wait, cover starts 1 January N when paid in the window,
 *    else on the later of 1 January N and the day after payment.
 * Invariant: waiting_until = covered_from - 1; waiting_months =
 * fixed_months + variable_months - repaired_months when a wait applies.
 * Errors (YB_EINVAL with the field): "coverage_year" out of the date range;
 * "payment_date" before birth, or after year N except as above;
 * "last_covered_year" not before N; "repaid_years" negative or more than
 * the break; YB_EPOLICY when r is NULL ("enrolment"). *out is
 * caller-owned; exempt_by borrows from r. */
int yb_coverage_start(const struct yb_enrol_rules *r,
                      const struct yb_enrol_event *ev, struct yb_coverage *out,
                      struct yb_err *e);

/* Chinese text of a reason ("新生儿宽限期内参保，自出生之日起享受待遇"),
 * static storage; never NULL. */
const char *yb_cover_reason_text(enum yb_cover_reason reason);

struct yb_ci_bonus {
    yb_fen continuous; /* continuous_amount x years beyond after_years */
    yb_fen claim_free; /* claim_free_amount x claim-free years */
    yb_fen limit;      /* max_share x base cap, rounded half up to the fen */
    yb_fen bonus;      /* min(continuous + claim_free, limit) */
};

/* The critical-illness cap increase for someone with continuous_years of
 * unbroken enrolment and claim_free_years without a fund payment, both
 * counted since the last break (a break resets both to 0, so claim-free
 * years cannot exceed continuous ones), on a base cap of base_cap.
 * Without ci_cap_bonus rules every figure is 0.
 * Errors: YB_EPOLICY when r is NULL ("enrolment"); YB_EINVAL for negative
 * counts ("continuous_years", "claim_free_years"), claim-free years above
 * continuous ones, a negative base cap ("base_cap"); YB_EOVERFLOW. */
int yb_ci_cap_bonus(const struct yb_enrol_rules *r, int continuous_years,
                    int claim_free_years, yb_fen base_cap,
                    struct yb_ci_bonus *out, struct yb_err *e);

#endif
