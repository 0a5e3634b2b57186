/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Visits (就诊) and their fee lines (费用明细) as the hospital interface
 * records them (2201-2205): registration, visit information, fee upload
 * in charge batches, and the reversals, each one transaction with its
 * event and audit row. And the catalogue table as the engine's entries,
 * for classifying uploaded lines.
 */
#ifndef YIBAO_VISIT_H
#define YIBAO_VISIT_H

#include "yibao/arena.h"
#include "yibao/engine.h"
#include "yibao/err.h"
#include "yibao/store.h"

struct yb_policy_cache; /* policyset.h */

/* Every catalogue version in the store, as engine entries whose strings
 * live in arena (*out too). */
int yb_catalogue_load(yb_store *s, struct yb_arena *a,
                      struct yb_catalogue_entry **out, size_t *n,
                      struct yb_err *e);

/* The catalogue table's version: a counter that every insert, update and
 * delete of a catalogue row raises (to know when a loaded index is stale);
 * one primary-key read. */
int yb_catalogue_version(yb_store *s, int64_t *version, struct yb_err *e);

/* 2201 门诊挂号: register an outpatient visit. */
struct yb_visit_reg {
    const char *fixmedins_code;
    const char *region; /* the agency's pooling region: mdtrt_id prefix */
    const char *psn_no, *insutype;
    const char *begntime; /* "yyyy-MM-dd HH:mm:ss" */
    const char *mdtrt_cert_type, *mdtrt_cert_no;
    const char *ipt_otp_no, *atddr_no, *dr_name, *dept_code, *dept_name, *caty;
    const char *insuplc_admdvs, *mdtrtarea_admvs;
    const char *actor, *now;
    /* an admission (2401): kind "inpatient", an inpatient med_type, the
     * admission diagnoses; NULL kind: an outpatient visit, med_type 11 */
    const char *kind, *med_type, *dise_codg, *dise_name, *diag_codes;
};

/* The person must exist, hold the certificate named (02/03: their ID
 * number), and be covered by insutype on the visit's day (enrolled, paid,
 * past any waiting period). ipt_otp_no must be new for the institution.
 * mdtrt_id gets region + 14 digits. Errors name the field: YB_EINVAL,
 * YB_ENOTFOUND (person), YB_ENOTCOVERED (no cover that day, with the
 * reason), YB_EDUPLICATE (ipt_otp_no). */
int yb_visit_register(yb_store *s, const struct yb_visit_reg *r,
                      char mdtrt_id[32], struct yb_err *e);

/* Is psn_no insured in this pooling region (docs/hospital.md, the insured
 * region)? The person's
 * region is that of their live enrolment of the latest coverage year up
 * to `year` (else the first after it). When insuplc_admdvs (the envelope's
 * insured region) is not empty, its pooling region must be the person's;
 * and, unless region is NULL, the person's must be the agency's `region`,
 * since cross-region settlement (异地就医) does not exist yet: a person
 * insured elsewhere is never settled as local. YB_OK also for an unknown person
 * or one without an enrolment (the transaction's own checks name those); else
 * YB_ENOTCOVERED naming insuplc_admdvs, with both regions. Reads only. */
int yb_person_insured_here(yb_store *s, const char *psn_no,
                           const char *insuplc_admdvs, const char *region,
                           int year, struct yb_err *e);

/* 2001 待遇享受检查: is psn_no covered by insutype on day (enrolled, paid,
 * past any waiting period, not ended)? YB_OK, or YB_ENOTCOVERED with the
 * reason (YB_ENOTFOUND for an unknown person). */
int yb_cover_check(yb_store *s, const char *psn_no, const char *insutype,
                   yb_date day, struct yb_err *e);

/* The stored visit. Strings in the caller's arena. */
struct yb_visit_rec {
    char mdtrt_id[32], psn_no[32], fixmedins_code[32], insutype[8];
    char med_type[8], status[16], kind[16];
    char mdtrt_cert_type[4]; /* as registered; "" before migration 15 */
    const char *begntime, *endtime, *ipt_otp_no, *dise_codg, *dise_name;
    const char *diag_codes;
};

/* true for the inpatient medical types (21-24, 52). */
bool yb_med_type_inpatient(const char *med_type);

/* The visit mdtrt_id of institution code (another institution's visit is
 * YB_ENOTFOUND, as if it did not exist), with psn_no checked when given
 * (YB_EINVAL on "psn_no"). */
int yb_visit_get(yb_store *s, const char *code, const char *mdtrt_id,
                 const char *psn_no, struct yb_arena *a,
                 struct yb_visit_rec *out, struct yb_err *e);

/* 2202 门诊挂号撤销: cancel an open visit with no valid fee lines. */
int yb_visit_cancel(yb_store *s, const char *code, const char *mdtrt_id,
                    const char *psn_no, const char *ipt_otp_no,
                    const char *actor, const char *now, struct yb_err *e);

/* 2203 门诊就诊信息上传: the visit's medical type and diagnoses. */
struct yb_visit_info {
    const char *med_type;              /* a med_type code */
    const char *begntime;              /* may be NULL: unchanged */
    const char *dise_codg, *dise_name; /* may be NULL */
    const char *diag_codes; /* diagnosis codes, main first, comma-separated */
};
int yb_visit_set_info(yb_store *s, const char *code, const char *mdtrt_id,
                      const char *psn_no, const struct yb_visit_info *in,
                      const char *actor, const char *now, struct yb_err *e);

/* 2402 出院办理: discharge an open admission at endtime (not before its
 * begntime), with the discharge diagnoses (NULL: unchanged). With undo
 * (2405 出院撤销), take the discharge back: the stay is open again. */
int yb_visit_discharge(yb_store *s, const char *code, const char *mdtrt_id,
                       const char *psn_no, const char *endtime,
                       const char *dise_codg, const char *diag_codes, bool undo,
                       const char *actor, const char *now, struct yb_err *e);

/* 2204 门诊费用明细信息上传: one line as uploaded. */
struct yb_fee_in {
    const char *feedetl_sn, *mdtrt_id, *psn_no, *chrg_bchno, *dise_codg;
    const char *med_list_codg, *medins_list_codg, *hosp_appr_flag;
    const char *fee_ocur_time; /* "yyyy-MM-dd HH:mm:ss" */
    int64_t cnt;               /* 1/10,000 units */
    int64_t pric;              /* micro-yuan */
    yb_fen amount;
};

/* Store n lines of one open visit (every line's mdtrt_id and psn_no must
 * be the visit's), all or none: a feedetl_sn already valid on the visit
 * or repeated in the upload is YB_EDUPLICATE naming "feedetail[i]"; an
 * amount that differs from cnt x pric by more than 0.01 is YB_EINVAL.
 * The caller classifies the lines (yb_classify_lines) for the answer. */
int yb_fee_upload(yb_store *s, const char *code, const struct yb_fee_in *lines,
                  size_t n, const char *actor, const char *now,
                  struct yb_err *e);

/* 2205 门诊费用明细信息撤销: cancel the valid lines of batch chrg_bchno
 * ("0000": every valid line) of an open visit; *cancelled gets how many.
 * YB_ENOTFOUND when the batch has no valid line. */
int yb_fee_cancel(yb_store *s, const char *code, const char *mdtrt_id,
                  const char *psn_no, const char *chrg_bchno, const char *actor,
                  const char *now, long *cancelled, struct yb_err *e);

/* 2302 住院费用明细撤销: cancel the valid lines named by feedetl_sn of an
 * open visit, all or none ("0000": every valid line). YB_ENOTFOUND naming
 * "data[i].feedetl_sn" for a line that is not valid on the visit. */
int yb_fee_cancel_lines(yb_store *s, const char *code, const char *mdtrt_id,
                        const char *psn_no, const char *const *sns, size_t n,
                        const char *actor, const char *now, long *cancelled,
                        struct yb_err *e);

/* ---- settlement (2206-2208) -------------------------------------------- */

struct yb_settle_req {
    const char *fixmedins_code, *mdtrt_id, *psn_no;
    const char *med_type; /* NULL or "": the visit's; else must be it */
    /* the certificate the person shows (NULL: not checked, for callers
     * outside the interface): mdtrt_cert_type 02 or 03 and, when the
     * visit recorded it, the registered one; mdtrt_cert_no the person's
     * ID number */
    const char *mdtrt_cert_type, *mdtrt_cert_no;
    const char *insutype; /* NULL: not checked; else the visit's */
    yb_fen medfee_sumamt; /* must equal the sum of the valid lines */
    const char *region;   /* the agency's pooling region: setl_id prefix */
    const char *actor, *now;
    bool store; /* false: pre-settlement, nothing written */
    /* The policy set (policyset.h) the version in force is picked from
     * when yb_visit_settle is given no policy. */
    struct yb_policy_cache *policies;
};

/* What a settlement returns besides the engine's figures. */
struct yb_settle_out {
    struct yb_settlement s; /* in the caller's arena */
    char setl_id[32];       /* "" for a pre-settlement */
    struct yb_person person;
    struct yb_visit visit;
    const char *psn_name, *insutype, *setl_time;
    int64_t policy_id; /* the policy version settled under; 0: the
                          policy was given, not picked from the set */
};

/* Settle an open visit of institution fixmedins_code with its valid fee
 * lines under policy p — or, when p is NULL, under the version of the
 * policy set r->policies in force for the person's pooling region (their
 * enrolment's), the visit's insurance type and the day that decides the
 * settlement's year (an outpatient visit's day, a stay's discharge day;
 * YB_ENOTCOVERED naming "policy" when none is, policyset.h) — and
 * catalogue cat: the person's enrolment
 * (psn_type, tier), identities on the visit's day and year-to-date
 * accumulators go in. With store, in one transaction (the caller's if
 * open): the settlement and its fund rows and trace, the accumulators and
 * what it added to each, the ledger entry (each fund Dr its expense / Cr
 * 2101 owed to the institution) with its event, and the visit settled.
 * The settlement row names the policy version (out->policy_id; NULL when
 * p was given) and its trace starts with a line naming it.
 * Errors: YB_EINVAL naming medfee_sumamt when the total differs from the
 * lines (naming both) or when the visit has no lines, med_type when it is
 * unknown or not the visit's as registered (2201/2203, 2401/2403),
 * mdtrt_cert_type or mdtrt_cert_no when they are not the registered
 * certificate, insutype when not the visit's; visit errors as
 * yb_visit_get; the engine's errors. Nothing is written on an error. */
int yb_visit_settle(yb_store *s, const struct yb_policy *p,
                    const struct yb_catalogue *cat,
                    const struct yb_settle_req *r, struct yb_arena *a,
                    struct yb_settle_out *out, struct yb_err *e);

/* The engine's person and visit for visit v judged on day: the person
 * (psn_type and tier of the year's live enrolment, identities held that
 * day), the institution's level, the insured and treatment regions, the
 * diagnoses; into o->person, o->visit and o->psn_name (strings in a).
 * YB_ENOTCOVERED when the person has no live enrolment that year. */
int yb_visit_engine_inputs(yb_store *s, const struct yb_visit_rec *v,
                           const char *med_type, yb_date day,
                           struct yb_arena *a, struct yb_settle_out *o,
                           struct yb_err *e);

/* 2208: reverse settlement setl_id of mdtrt_id: a reversing row with the
 * amounts negated (new_setl_id), the original marked reversed, exactly
 * what it added taken off the accumulators, the ledger entry reversed, and
 * the visit open again. YB_ENOTFOUND for an unknown or another
 * institution's settlement; YB_EINVAL when it is reversed already or not
 * the visit's. */
/* A stored settlement's figures, as 2208 and the queries answer them. */
struct yb_setl_rec {
    char setl_id[32], mdtrt_id[32], psn_no[32], status[16], reverses[32];
    char setl_time[20], med_type[8];
    int64_t policy_id; /* the policy version settled under; 0: none named */
    struct yb_setlinfo info;
    int n_funds; /* one per fund_pay_type, as setldetail[] */
    struct {
        char fund_pay_type[8];
        yb_fen inscp_scp_amt, crt_payb_lmt_amt, fund_payamt; /* a limit is
                                               never negative: no cap shows
                                               the fund's base */
    } funds[16];
};

/* Settlement setl_id of institution code (another's is YB_ENOTFOUND). */
int yb_settlement_get(yb_store *s, const char *code, const char *setl_id,
                      struct yb_setl_rec *out, struct yb_err *e);

/* 3201 对总账: an institution's settlement totals for settlement days from
 * `from` to `to` (yyyy-MM-dd, inclusive) of one insurance type and
 * clearing type ("11" outpatient, "21" inpatient; "" both). Reversals
 * count on their own day, negated; count is the settlements of the period
 * less the reversals in it. */
struct yb_setl_totals {
    yb_fen medfee_sumamt, fund_pay_sumamt, acct_pay;
    int64_t count;
};
int yb_settlement_totals(yb_store *s, const char *code, const char *insutype,
                         const char *clr_type, const char *from, const char *to,
                         struct yb_setl_totals *out, struct yb_err *e);

/* A person's year-to-date accumulators of a year (5206), strings in a. */
int yb_person_accums(yb_store *s, const char *psn_no, int year,
                     struct yb_arena *a, struct yb_accums *out,
                     struct yb_err *e);

int yb_settlement_reverse(yb_store *s, const char *code, const char *setl_id,
                          const char *mdtrt_id, const char *psn_no,
                          const char *region, const char *actor,
                          const char *now, char new_setl_id[32],
                          struct yb_err *e);

/* ---- queries (5201, 5202, 5204, 5205; src/service/visit_query.c) -------
 * Read-only: they write nothing and run in the caller's transaction (the
 * hospital interface reads in one snapshot). An institution sees only its
 * own visits; another's is answered as not found (5205 alone lists a
 * person's chronic-disease drug lines from every institution). */

/* A visit as 5201 lists it: the stored visit and the registration's
 * doctor, department and regions (NULL when not sent). */
struct yb_visit_row {
    struct yb_visit_rec v;
    const char *atddr_no, *dr_name, *dept_code, *dept_name, *caty;
    const char *insuplc_admdvs, *mdtrtarea_admvs;
};

/* Which visits 5201 lists. Times are "yyyy-MM-dd HH:mm:ss" or a bare
 * "yyyy-MM-dd", which means the day's start for from and its end for to. */
struct yb_visit_query {
    const char *code;     /* the institution: only its visits */
    const char *psn_no;   /* the person (required) */
    const char *from;     /* NULL or "": no lower bound on begntime */
    const char *to;       /* NULL or "": no upper bound on begntime */
    const char *med_type; /* NULL or "": any */
    const char *mdtrt_id; /* NULL or "": any */
};

/* 5201 就诊信息查询: the visits of q->psn_no at institution q->code whose
 * begntime lies in [from, to] (inclusive), of every status (cancelled
 * ones too), ordered by begntime then mdtrt_id; *out (n rows) and its
 * strings in arena a. Errors: YB_ENOTFOUND on "psn_no" for an unknown
 * person; YB_EINVAL on "begntime" or "endtime" (the national names of
 * from and to) for a malformed time or a range that ends before it
 * begins. */
int yb_visit_list(yb_store *s, const struct yb_visit_query *q,
                  struct yb_arena *a, struct yb_visit_row **out, size_t *n,
                  struct yb_err *e);

/* The visit mdtrt_id of person psn_no at institution code, for the
 * queries. YB_ENOTFOUND on "psn_no" for an unknown person, on "mdtrt_id"
 * for a visit that does not exist, is another institution's or another
 * person's. Strings of *out in a. */
int yb_visit_of_person(yb_store *s, const char *code, const char *psn_no,
                       const char *mdtrt_id, struct yb_arena *a,
                       struct yb_visit_rec *out, struct yb_err *e);

/* One diagnosis of a visit (5202). */
struct yb_diag_rec {
    const char *code;
    const char *name; /* the visit's dise_name when its dise_codg is this
                         code; else "" (the store keeps codes only) */
};

/* 5202 诊断信息查询: the diagnoses of visit v in their stored order, the
 * main one first (2203, 2401, 2402 keep them so); *out (n of them, 0 when
 * none) in arena a. YB_ENOMEM only. */
int yb_visit_diagnoses(const struct yb_visit_rec *v, struct yb_arena *a,
                       struct yb_diag_rec **out, size_t *n, struct yb_err *e);

/* A stored fee line (5204). */
struct yb_fee_rec {
    /* as uploaded; the optional ones NULL when not sent */
    const char *feedetl_sn, *chrg_bchno, *med_list_codg, *medins_list_codg;
    const char *fee_ocur_time, *dise_codg, *hosp_appr_flag;
    int64_t cnt;   /* 1/10,000 units */
    int64_t pric;  /* micro-yuan */
    yb_fen amount; /* det_item_fee_sumamt */
    bool valid;    /* false: cancelled (2205, 2302) */
};

/* 5204 费用明细查询: the fee lines of visit v in upload order; *out (n
 * lines) and its strings in arena a. Without setl_id (NULL or ""), every
 * line, cancelled ones too. With setl_id, which must be a settlement of
 * v's institution and of visit v (else YB_ENOTFOUND on "setl_id"), the
 * lines it settles: the visit's valid ones (a settled visit takes no more
 * lines and cancels none). */
int yb_fee_lines(yb_store *s, const struct yb_visit_rec *v, const char *setl_id,
                 struct yb_arena *a, struct yb_fee_rec **out, size_t *n,
                 struct yb_err *e);

/* A drug line of a chronic-disease outpatient visit (5205), strings in
 * the caller's arena. */
struct yb_drug_rec {
    const char *mdtrt_id, *psn_no, *fixmedins_code;
    const char *fixmedins_name; /* institution.name; "" if none */
    const char *med_type;
    const char *dise_codg; /* the visit's dise_codg, else its first
                              diagnosis, else "" */
    const char *feedetl_sn, *fee_ocur_time, *med_list_codg;
    const char *med_list_name; /* the catalogue's on the fee's day; "" */
    int64_t cnt;               /* 1/10,000 units */
    int64_t pric;              /* micro-yuan */
    yb_fen amount;             /* det_item_fee_sumamt */
    bool settled;              /* the visit is settled */
};

/* 5205 人员慢特病用药记录查询: the valid fee lines of drugs (catalogue
 * list_type 101 or 102 in any version of the code) on person psn_no's
 * live outpatient visits of med_type 14 (门诊慢特病) at EVERY institution,
 * whose fee_ocur_time lies in [from, to] (inclusive; bare days as in
 * yb_visit_list; NULL or "": unbounded), ordered by fee_ocur_time, then
 * mdtrt_id, then feedetl_sn (as text); *out (n lines, none: NULL and 0)
 * in arena a. Errors as yb_visit_list: YB_ENOTFOUND on "psn_no", YB_EINVAL
 * on "begntime" or "endtime"; YB_ENOMEM. */
int yb_chronic_drug_lines(yb_store *s, const char *psn_no, const char *from,
                          const char *to, struct yb_arena *a,
                          struct yb_drug_rec **out, size_t *n,
                          struct yb_err *e);

#endif
