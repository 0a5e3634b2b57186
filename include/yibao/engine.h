/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The settlement engine: pure computation, no I/O, no globals, no clock.
 * Given a policy, a catalogue, a person, a visit, its fee lines and the
 * person's year-to-date accumulators, yb_settle classifies every fee line
 * (docs/benefits.md), runs the benefit layers (basic, critical illness,
 * medical assistance) and returns every setlinfo figure, one detail per
 * fund layer that ran, the setldetail[] rows (one per fund), the per-line
 * result[] of 2204, the new accumulators and a trace of every step.
 *
 * Invariants (checked by yb_settlement_check):
 *   medfee_sumamt = fulamt_ownpay_amt + overlmt_selfpay + preselfpay_amt
 *                   + inscp_scp_amt (over the lines and in total);
 *   fund_pay_sumamt = hifp_pay + hifmi_pay + maf_pay + oth_pay
 *                   = sum of the details' fund_payamt
 *                   = sum of setldetail fund_payamt;
 *   one setldetail row per fund_pay_type, paying the sum of that fund's
 *   details and no more than its crt_payb_lmt_amt;
 *   pool_prop_selfpay = hifp_pay / (the basic layer's base above its
 *   deductible), in 1/10,000, rounded half up; 0 when nothing is above;
 *   psn_part_amt = medfee_sumamt - fund_pay_sumamt = psn_cash_pay;
 *   no amount is negative; no payment exceeds its cap's remainder;
 *   for a layer measured over the year, the visits of a year settled one by
 *   one pay exactly what one settlement of their total would pay.
 */
#ifndef YIBAO_ENGINE_H
#define YIBAO_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "err.h"
#include "idcard.h"
#include "money.h"
#include "policy.h"

/* ---- catalogue ---------------------------------------------------------- */

/* One version of a catalogue entry (目录). Strings are borrowed: they must
 * outlive the catalogue built over them. */
struct yb_catalogue_entry {
    const char *code; /* national code (med_list_codg) */
    const char *name;
    int list_type;         /* YB_DICT_LIST_TYPE index (101, 102, 201, 301) */
    int chrgitm_lv;        /* 1 class A, 2 class B, 3 class C */
    yb_rate selfpay_prop;  /* class-B first self-pay share; -1: list default */
    int64_t price_ceiling; /* per unit, micro-yuan (1e-6); 0: none */
    yb_date valid_from;    /* inclusive */
    yb_date valid_to;      /* inclusive; INT32_MAX: open */
    /* restrictions (限制): a line outside them is wholly self-paid */
    int lmt_gender;         /* 0 any, 1 male only, 2 female only */
    int lmt_age_min;        /* -1 unset */
    int lmt_age_max;        /* -1 unset */
    uint64_t lmt_levels;    /* hospital levels allowed; 0 any */
    uint64_t lmt_med_types; /* med types allowed; 0 any */
    int64_t lmt_max_cnt;    /* quantity per line, 1e-4 units; 0 none */
};

/* An index over catalogue entries, built once and shared read-only by any
 * number of settlements. */
struct yb_catalogue {
    const struct yb_catalogue_entry *entries; /* borrowed */
    size_t n;
    uint32_t *slots; /* open addressing: entry index + 1, 0 empty */
    uint32_t *next;  /* next version of the same code, index + 1 */
    size_t n_slots;  /* power of two */
};

/* Build an index over n entries (borrowed; must outlive the catalogue).
 * Fails with YB_EINVAL if two versions of one code overlap in time or a
 * version ends before it starts. */
int yb_catalogue_build(struct yb_catalogue *c,
                       const struct yb_catalogue_entry *entries, size_t n,
                       struct yb_err *e);
/* The version of `code` valid on `on`, or NULL. */
const struct yb_catalogue_entry *
yb_catalogue_find(const struct yb_catalogue *c, const char *code, yb_date on);
/* true when some version of the code exists at all. */
bool yb_catalogue_has(const struct yb_catalogue *c, const char *code);
void yb_catalogue_free(struct yb_catalogue *c);

/* ---- inputs ------------------------------------------------------------- */

#define YB_MAX_IDETS 16

struct yb_person {
    const char *psn_no;
    int psn_type;   /* YB_DICT_PSN_TYPE index */
    uint64_t idets; /* bit set over YB_DICT_IDET */
    int tier;       /* contribution tier, 1 = lowest */
    int gender;     /* enum yb_gender */
    yb_date birth;
    /* 大病保险封顶线提高 (docs/benefits.md): the years of unbroken
     * enrolment up to and including the visit's coverage year, and of the
     * years before it those without a fund payment (claim_free <
     * continuous). With the policy's enrolment.ci_cap_bonus they raise the
     * critical-illness caps it names; 0 and 0: no increase, no trace. */
    int ci_continuous_years;
    int ci_claim_free_years;
};

struct yb_visit {
    const char *mdtrt_id;
    int med_type;    /* YB_DICT_MED_TYPE index */
    int hosp_lv;     /* YB_DICT_HOSP_LV index */
    int adm_ordinal; /* admission ordinal in the year; 0: derive from
                        the accumulators (admissions so far + 1) */
    bool referral;   /* 转诊转院备案 */
    char insuplc_admdvs[7];
    char mdtrtarea_admvs[7];
    yb_date begin;         /* begntime */
    yb_date end;           /* endtime (settlement date) */
    const char **diseases; /* diagnosis codes, the main one first */
    int n_diseases;
    const char *chronic_disease; /* med_type 14: the chronic disease code */
    const char *matn_type;       /* maternity: delivery type */
};

struct yb_fee_line {
    const char *feedetl_sn;
    const char *med_list_codg;
    int64_t cnt;      /* quantity, 1e-4 units */
    int64_t pric;     /* unit price, micro-yuan */
    yb_fen amount;    /* det_item_fee_sumamt */
    yb_date fee_date; /* fee_ocur_time's day */
};

/* Year-to-date accumulators (累计), keyed by name: "<layer>.base",
 * "<layer>.eligible", "<layer>.dedc", "<layer>.paid",
 * "<layer>.paid.<disease>", "cap.<id>.paid", and the count "admissions". */
struct yb_accum {
    const char *key;
    int64_t value; /* fen, or a count for keys ending in "admissions" */
};

struct yb_accums {
    int year; /* 0: empty set for any year */
    struct yb_accum *items;
    int n;
};

/* Value of key, 0 when absent. */
int64_t yb_accums_get(const struct yb_accums *a, const char *key);

/* ---- outputs ------------------------------------------------------------ */

/* 2204 result[] for one line */
struct yb_line_result {
    const struct yb_fee_line *line;
    const struct yb_catalogue_entry *entry; /* NULL: not in catalogue */
    int64_t pric_uplmt_amt;                 /* micro-yuan, 0: none */
    yb_rate selfpay_prop;
    yb_fen fulamt_ownpay_amt;
    yb_fen overlmt_amt;
    yb_fen preselfpay_amt;
    yb_fen inscp_scp_amt;
    int chrgitm_lv;     /* 1/2/3; 3 when not in catalogue */
    bool lmt_used_flag; /* a restriction applied */
    const char *memo;   /* static Chinese reason, NULL if none */
};

/* setlinfo (docs/benefits.md, what one settlement returns). Every member
 * is an int64_t: fen, but for pool_prop_selfpay, a ratio in 1/10,000
 * (0.7000 is 7000). */
struct yb_setlinfo {
    yb_fen medfee_sumamt;
    yb_fen fulamt_ownpay_amt;
    yb_fen overlmt_selfpay;
    yb_fen preselfpay_amt;
    yb_fen inscp_scp_amt;
    yb_fen act_pay_dedc;
    yb_fen hifp_pay;
    /* 基本医疗保险统筹基金支付比例: hifp_pay over the basic layer's base
     * above its deductible, in 1/10,000 (not money) */
    int64_t pool_prop_selfpay;
    yb_fen cvlserv_pay;
    yb_fen hifes_pay;
    yb_fen hifmi_pay;
    yb_fen hifob_pay;
    yb_fen maf_pay;
    yb_fen oth_pay;
    yb_fen fund_pay_sumamt;
    yb_fen psn_part_amt;
    yb_fen acct_pay;
    yb_fen psn_cash_pay;
    yb_fen hosp_part_amt;
};

/* One layer that ran (a round of a fund); setldetail[] sums them per fund */
struct yb_fund_detail {
    const struct yb_layer *layer;
    const char *fund_pay_type;
    yb_fen inscp_scp_amt;    /* the base the layer paid on */
    yb_fen crt_payb_lmt_amt; /* what its caps still allowed before it paid;
                                -1: no cap */
    yb_fen fund_payamt;
    int first_step, n_steps; /* its trace steps */
};

/* setldetail[]: one row per fund_pay_type, in the order the funds first
 * ran. A fund with several layers (rounds of assistance) pays their sum;
 * the rounds stay apart in details[] and in setl_proc_info. */
struct yb_setldetail {
    const char *fund_pay_type;
    const char *name;        /* the first round's layer name */
    yb_fen inscp_scp_amt;    /* the base its first round paid on */
    yb_fen crt_payb_lmt_amt; /* the most it could pay this time: over its
                                rounds, the room under a round's caps, or
                                a round's own base when it has no cap
                                (never negative) */
    yb_fen fund_payamt;      /* the sum of its rounds */
    int n_rounds;            /* its layers in details[] */
};

/* A trace step: a rule, its inputs and its result. Labels and input names
 * are static Chinese strings, so recording a step never formats text. */
#define YB_STEP_MAX_INPUTS 6
enum yb_unit {
    YB_UNIT_FEN = 0,
    YB_UNIT_RATE = 1,
    YB_UNIT_COUNT = 2,
    YB_UNIT_NONE = 3, /* a step with no figure of its own (a heading) */
};

struct yb_step_input {
    const char *name; /* static, Chinese */
    const char *key;  /* static, machine name */
    int64_t value;
    enum yb_unit unit;
};

struct yb_step {
    const char *code;  /* static machine name: "basic.deductible" */
    const char *label; /* static Chinese: "起付线" */
    const char *layer; /* layer id or NULL */
    const char *rule;  /* policy path of the rule used, or NULL */
    const char *note;  /* static Chinese remark or NULL */
    struct yb_step_input in[YB_STEP_MAX_INPUTS];
    int n_in;
    int64_t result;
    enum yb_unit result_unit;
};

struct yb_settlement {
    struct yb_setlinfo info;
    struct yb_line_result *lines;
    size_t n_lines;
    struct yb_fund_detail *details; /* per layer that ran */
    int n_details;
    struct yb_setldetail *setldetail; /* per fund */
    int n_setldetail;
    struct yb_step *steps;
    int n_steps;
    struct yb_accums after; /* the person's accumulators after this visit */
    int adm_ordinal;        /* ordinal used */
    int place;              /* enum yb_place */
    int age;                /* age at visit start */
};

/* Settle one visit. All pointers are borrowed; everything the result points
 * to is allocated from `arena` (strings of the inputs may be referenced).
 * Fails with YB_EINVAL (field path in e) on bad input: unknown item under a
 * rejecting policy, fee date outside the policy, negative amounts, visit
 * year different from the accumulators' year, claim-free years negative or
 * not below the continuous ones ("person.ci_cap_bonus.claim_free_years");
 * YB_EOVERFLOW on overflow;
 * YB_ENOMEM. On failure *out is unspecified. */
int yb_settle(const struct yb_policy *policy, const struct yb_catalogue *cat,
              const struct yb_person *person, const struct yb_visit *visit,
              const struct yb_fee_line *lines, size_t n_lines,
              const struct yb_accums *before, struct yb_arena *arena,
              struct yb_settlement *out, struct yb_err *e);

/* Classify n fee lines against the catalogue (docs/benefits.md) as a fee
 * upload answers them (2204 result[]), without settling: results[i] for
 * lines[i]. Errors as yb_settle's for a line. */
int yb_classify_lines(const struct yb_policy *policy,
                      const struct yb_catalogue *cat,
                      const struct yb_person *person,
                      const struct yb_visit *visit,
                      const struct yb_fee_line *lines, size_t n,
                      struct yb_line_result *results, struct yb_err *e);

/* Verify the invariants of a settlement listed at the top of this header.
 * YB_OK or YB_EINVARIANT naming the failed identity. */
int yb_settlement_check(const struct yb_settlement *s, struct yb_err *e);

/* Render the trace in Chinese, one line per step, into an arena string.
 * NULL on allocation failure. */
char *yb_trace_text(const struct yb_settlement *s, struct yb_arena *arena);

/* The human-readable calculation of one layer of details[], e.g.
 * "基数20000.00-起付线1200.00=18800.00；18800.00×70%=13160.00". NULL on
 * allocation failure. */
char *yb_detail_proc_info(const struct yb_settlement *s, int detail,
                          struct yb_arena *arena);

/* setl_proc_info of setldetail row `row`: its layer's calculation, or,
 * for a fund of several rounds, each round's named and numbered
 * ("第1轮 医疗救助：…；第2轮 倾斜救助：…"). An arena string, NULL on
 * allocation failure. */
char *yb_setldetail_proc_info(const struct yb_settlement *s, int row,
                              struct yb_arena *arena);

/* Format one step as a line of Chinese text. */
char *yb_step_text(const struct yb_step *st, struct yb_arena *arena);

#endif
