/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The policy model: one pooling region's benefit rules for one insurance
 * type and coverage year, loaded from a declarative JSON file (documented
 * key by key in docs/policy.md) and validated into the plain structs below.
 * The engine interprets these structs; no rate, deductible, cap or identity
 * is a constant in code (docs/architecture.md, principle 1).
 *
 * Benefits are an ordered list of layers. Each layer belongs to a stage:
 *   basic     - the basic pooled fund (390100): the FIRST matching basic
 *               layer settles the visit (inpatient, outpatient pooling,
 *               chronic disease, maternity ... are alternatives);
 *   critical  - critical-illness insurance (390200): every matching layer;
 *   assist    - medical assistance (610100) rounds: every matching layer,
 *               in order, each acting on what earlier layers left.
 * A layer takes a base amount (policy scope, or the burden left after the
 * earlier layers), removes a deductible, pays banded rates on the rest
 * (bands positioned per visit or cumulatively over the year) or a flat
 * amount, and is limited by its own cap and any shared caps.
 *
 * Ownership: a struct yb_policy owns every string and array it points to
 * through its arena; yb_policy_free releases all of it.
 */
#ifndef YIBAO_POLICY_H
#define YIBAO_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "dict.h"
#include "err.h"
#include "money.h"

#define YB_POLICY_SCHEMA "yibao.policy/1"

/* A selector (JSON key "when"): every condition that is set must hold;
 * an empty selector matches every visit. Bit sets are over the indices of
 * the code tables in dict.h; 0 means "any". */
struct yb_when {
    uint64_t med_types;    /* visit med_type in set */
    uint64_t levels;       /* institution level in set */
    uint64_t psn_types;    /* person type in set */
    uint64_t idets;        /* person holds at least one of these identities */
    uint64_t no_idets;     /* person holds none of these identities */
    uint64_t places;       /* place of care (enum yb_place) in set */
    uint32_t tiers;        /* bit t set: contribution tier t (1..31) */
    int ordinal_min;       /* admission ordinal in the year >= (0: unset) */
    int ordinal_max;       /* admission ordinal <= (0: unset) */
    int age_min;           /* age at visit start >= (-1: unset) */
    int age_max;           /* age at visit start <= (-1: unset) */
    int gender;            /* enum yb_gender, 0: any */
    int referral;          /* -1 any, 0 without referral, 1 with referral */
    const char **diseases; /* any visit diagnosis starts with one of these */
    int n_diseases;
    const char **matn_types; /* maternity/delivery type in list */
    int n_matn_types;
};

enum yb_stage {
    YB_STAGE_BASIC = 0,
    YB_STAGE_CRITICAL = 1,
    YB_STAGE_ASSIST = 2
};

/* What a layer pays on (JSON key "base"). */
enum yb_base_kind {
    YB_BASE_SCOPE = 0,    /* "scope": the visit's policy-scope amount */
    YB_BASE_SCOPE_BURDEN, /* "scope_burden": scope minus what earlier
                             layers paid in this settlement */
    YB_BASE_SCOPE_BURDEN_PRESELFPAY, /* "scope_burden_preselfpay": the same
                                 plus the class-B first self-pay */
    YB_BASE_TOTAL_BURDEN, /* "total_burden": the whole bill minus what
                             earlier layers paid */
};

enum yb_measure { YB_MEASURE_VISIT = 0, YB_MEASURE_YEAR = 1 };
/* Where band thresholds are measured from (JSON "bands_from"). */
enum yb_band_origin {
    YB_BANDS_FROM_ZERO = 0,      /* "zero": thresholds on the base itself,
                                    the deductible included (E6) */
    YB_BANDS_FROM_DEDUCTIBLE = 1 /* "deductible": thresholds on the amount
                                    above the deductible (critical illness) */
};
enum yb_method { YB_METHOD_BANDED = 0, YB_METHOD_FLAT = 1 };

/* First-match rule giving an amount. */
struct yb_amount_rule {
    struct yb_when when;
    yb_fen amount;
    const char *path; /* "benefits.layers[0].deductible.rules[2]" */
};

/* A deductible adjustment: every matching one applies, in order: either
 * multiply by factor or replace by amount. */
struct yb_adjust_rule {
    struct yb_when when;
    bool set_amount;
    yb_fen amount;
    yb_rate factor;
    const char *path;
};

struct yb_band {
    yb_fen from;  /* lower threshold, inclusive; the first band's is 0 */
    yb_rate rate; /* the fund's rate on the part of the base in this band */
};

struct yb_rate_rule {
    struct yb_when when;
    struct yb_band *bands; /* ascending `from`, first from 0 */
    int n_bands;
    const char *path;
};

/* Rate points added to every band when the selector matches (all matching
 * rules add up); negative for cuts (out-of-region without referral). */
struct yb_points_rule {
    struct yb_when when;
    yb_rate points;
    const char *path;
};

struct yb_deductible {
    enum yb_measure scope;        /* per visit, or once per year */
    struct yb_amount_rule *rules; /* first match; none: no deductible */
    int n_rules;
    yb_rate *ordinal_factors; /* k-th admission pays factor[k-1]; the
                                 last repeats; none: 100% */
    int n_ordinal_factors;
    struct yb_adjust_rule *adjust;
    int n_adjust;
};

struct yb_rates {
    enum yb_measure measure; /* band position per visit or year-to-date */
    enum yb_band_origin origin;
    struct yb_rate_rule *rules; /* first match; none: the layer pays 0 */
    int n_rules;
    struct yb_points_rule *adjust;
    int n_adjust;
    yb_rate min_rate; /* guaranteed minimum after adjustments */
    yb_rate max_rate; /* ceiling after adjustments (<= 100%) */
};

struct yb_cap {
    struct yb_amount_rule *rules; /* first match; none matched: no cap */
    int n_rules;
    bool per_disease; /* the cap runs per chronic disease */
    bool has_exempt;
    struct yb_when exempt; /* holders pay without this cap (tilt) */
    int *shared;           /* indices into policy->caps */
    int n_shared;
    bool ci_bonus; /* enrolment.ci_cap_bonus raises the rules' amounts
                      (大病保险封顶线提高, docs/benefits.md) */
};

struct yb_layer {
    const char *id;            /* unique, [a-z0-9_]+ */
    const char *name;          /* Chinese, shown on receipts */
    const char *fund;          /* fund_pay_type: 390100, 390200, 610100 ... */
    const char *accumulate_as; /* accumulator prefix (default: id) */
    const char *path;
    enum yb_stage stage;
    struct yb_when when; /* which visits the layer applies to */
    enum yb_base_kind base;
    enum yb_method method;
    struct yb_deductible deductible;
    struct yb_rates rates;
    struct yb_amount_rule *flat; /* method flat: first match pays
                                    min(amount, base after deductible) */
    int n_flat;
    struct yb_cap cap;
};

/* A cap shared by several layers ("basic + critical illness <= X"). */
struct yb_shared_cap {
    const char *id;
    const char *name;
    yb_fen amount;
    bool has_exempt;
    struct yb_when exempt;
    const char *path;
    bool ci_bonus; /* enrolment.ci_cap_bonus raises the amount */
};

enum yb_unknown_item {
    YB_UNKNOWN_REJECT = 0,   /* an unmapped code is an input error */
    YB_UNKNOWN_SELF_PAY = 1, /* an unmapped code is wholly self-paid */
};

struct yb_classify_policy {
    enum yb_unknown_item unknown_item;
    /* class-B first self-pay share by list type when the catalogue entry
     * gives none; -1 where the policy gives none either (then 0). */
    yb_rate default_selfpay[16];
};

struct yb_financing;   /* financing.h */
struct yb_enrol_rules; /* financing.h */

struct yb_policy {
    struct yb_arena arena; /* owns everything below */
    const char *name;
    const char *source;   /* documents the figures come from */
    const char *region;   /* pooling region admdvs, 6 digits */
    const char *insutype; /* 390 */
    int year;
    yb_date valid_from, valid_to; /* inclusive */
    struct yb_classify_policy classify;
    struct yb_layer *layers;
    int n_layers;
    struct yb_shared_cap *caps;
    int n_caps;
    /* Optional sections "financing" and "enrolment" (financing.h); NULL
     * when the file has none. */
    const struct yb_financing *financing;
    const struct yb_enrol_rules *enrol;
};

/* Parse and validate a policy from JSON text (len bytes, need not be
 * NUL-terminated). On success *out is a new policy owned by the caller
 * (yb_policy_free). On failure returns YB_EPARSE (not JSON) or YB_EPOLICY
 * and fills e with the path and the offending value, e.g.
 * "benefits.layers[1].rates.rules[0].bands[2].rate: 105% is above 100%".
 * Unknown keys are errors (a misspelt key must not silently do nothing). */
int yb_policy_parse(const char *text, size_t len, struct yb_policy **out,
                    struct yb_err *e);

/* Free a policy; accepts NULL. */
void yb_policy_free(struct yb_policy *p);

/* Index of a shared cap by id, -1 if none. */
int yb_policy_cap_index(const struct yb_policy *p, const char *id);

/* ---- diff ----------------------------------------------------------------
 * A structural diff of two policy documents as a clerk reads them: one
 * change per leaf that differs, with its path. Objects are matched by key;
 * an array whose elements are all objects with a unique string "id"
 * (layers, caps) by id, named in the path ("benefits.layers[inpatient]"),
 * any other array by index ("rules[2]"). An added or removed object or
 * array is reported leaf by leaf; a change in the order of id-matched
 * elements is one change of kind YB_CHANGE_ORDER (before and after list
 * the common ids in their two orders, "inpatient, critical"). Leaves are
 * shown as written: a string without quotes (an empty one as ""), a
 * number as cJSON prints it, true, false, null, {} or []. The lines:
 *   benefits.layers[inpatient].rates.rules[2].rate: 75% → 80%
 *   caps[basic_total].exempt.idet[0]: 新增 added 201
 *   benefits.layers[assist].name: 删除 removed 医疗救助
 *   benefits.layers: 顺序 order inpatient, critical → critical, inpatient
 * Changes come in the order of the first document, then what the second
 * adds. */
enum yb_policy_change_kind {
    YB_CHANGE_CHANGED = 0, /* a leaf's value changed */
    YB_CHANGE_ADDED = 1,   /* a leaf only the second document has */
    YB_CHANGE_REMOVED = 2, /* a leaf only the first document has */
    YB_CHANGE_ORDER = 3,   /* id-matched elements in another order */
};
struct yb_policy_change {
    enum yb_policy_change_kind kind;
    const char *path;
    const char *before; /* NULL when added */
    const char *after;  /* NULL when removed */
    const char *line;   /* the whole line, as above */
};
/* Every string of *c lives until fn returns. */
typedef void (*yb_policy_change_fn)(const struct yb_policy_change *c, void *ud);

/* Diff the JSON documents a (na bytes) and b (nb bytes), calling fn for
 * each change; *n (may be NULL) gets their number (0: the same document).
 * Only JSON is required, not a valid policy. Errors: YB_EPARSE (field "a"
 * or "b" with the line and column), YB_ENOMEM; fn may have been called for
 * some changes before an YB_ENOMEM. */
int yb_policy_diff(const char *a, size_t na, const char *b, size_t nb,
                   yb_policy_change_fn fn, void *ud, size_t *n,
                   struct yb_err *e);

#endif
