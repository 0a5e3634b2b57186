/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the hospital interface (src/api/hosp*.c): the parsed envelope
 * and the transaction table.
 */
#ifndef YIBAO_HOSP_INT_H
#define YIBAO_HOSP_INT_H

#include <stdbool.h>

#include "yibao/arena.h"
#include "yibao/engine.h"
#include "yibao/hosp.h"
#include "yibao/json.h"
#include "yibao/visit.h"

/* The most fee lines one call carries (2204, 2301; 2302's list). It
 * agrees with the server's default body limit of 1 MiB (server.h): a
 * realistic line of the fullest public client, every field filled and
 * names in Chinese, is about 840 bytes compact and 965 pretty-printed, so
 * 1,000 of them and the envelope fit (docs/hospital.md). */
#define YB_HOSP_MAX_LINES 1000

/* The input envelope's fields (docs/hospital.md), borrowed from the request. */
struct yb_env {
    const char *infno, *msgid, *mdtrtarea_admvs, *insuplc_admdvs;
    const char *recer_sys_code, *dev_no, *dev_safe_info, *cainfo, *signtype;
    const char *infver, *opter_type, *opter, *opter_name, *inf_time;
    const char *fixmedins_code, *fixmedins_name, *sign_no;
    const cJSON *input;
};

struct yb_hosp {
    yb_store *s;
    struct yb_policy_cache *policies; /* the policy set's, parsed */
    char admdvs[7];
    _Atomic unsigned long own_serial; /* of inf_refmsgid */
    _Atomic unsigned long *serial;    /* own_serial or a shared one */
    bool batch;                       /* writing calls run in savepoints */
    bool broken;                      /* the batch's transaction is lost */
    struct yb_hosp_guard *guard;      /* the server's, or NULL */
    /* the catalogue index for classifying fee lines (hosp_visit.c) */
    struct yb_catalogue cat;
    struct yb_arena cat_arena;
    bool cat_loaded;
    int64_t cat_version; /* the catalogue's version when loaded */
};

/* One call being answered. */
struct yb_hcall {
    struct yb_hosp *h;
    const struct yb_env *env;
    const char *now;
    struct yb_arena *a;
    cJSON *output; /* the handler adds its nodes */
    char ref[80];  /* the business key it made or touched (for 2601) */
};

typedef int (*yb_hosp_fn)(struct yb_hcall *c, struct yb_err *e);

struct yb_hosp_tx {
    const char *infno;
    const char *name; /* Chinese name, for logs and docs */
    bool sign;        /* needs a valid sign_no */
    bool writes;      /* runs in a transaction; its answer is logged */
    yb_hosp_fn fn;
};

extern const struct yb_hosp_tx yb__hosp_basic[];      /* 9001 9002 1101 1901 */
extern const struct yb_hosp_tx yb__hosp_visit[];      /* 2201 - 2205 */
extern const struct yb_hosp_tx yb__hosp_settlement[]; /* 2206 - 2208 */
extern const struct yb_hosp_tx yb__hosp_inpatient[];  /* 2301-2305, 2401-2405 */
extern const struct yb_hosp_tx yb__hosp_reversal[];   /* 2601 */
extern const struct yb_hosp_tx yb__hosp_query[];      /* 3201 */
extern const struct yb_hosp_tx yb__hosp_records[];    /* 5201 5202 5204 5205 */

/* Shared by the outpatient and inpatient transactions: input.diseinfo's
 * codes, main first, comma-separated (NULL when absent); a fee upload of
 * a visit of kind ("outpatient"/"inpatient"); a settlement (store: 2207,
 * 2304; else the pre-settlements); a settlement's reversal. */
int yb__hosp_diag_codes(struct yb_hcall *c, const char **out, struct yb_err *e);
int yb__hosp_fee_upload(struct yb_hcall *c, const char *kind, struct yb_err *e);
int yb__hosp_settle(struct yb_hcall *c, const char *kind, bool store,
                    struct yb_err *e);
int yb__hosp_reverse(struct yb_hcall *c, struct yb_err *e);

/* setlinfo and setldetail[] of a stored settlement (2208, 5203). */
struct yb_setl_rec;
int yb__hosp_render_setl(struct yb_hcall *c, const struct yb_setl_rec *r,
                         struct yb_err *e);

/* The person the call's input names (a psn_no) is insured in the
 * envelope's insuplc_admdvs when sent and, for a call that begins, changes
 * or pays for care, in this pooling region (hosp_person.c); 1101 and calls
 * naming nobody pass. YB_ENOTCOVERED naming insuplc_admdvs with both
 * regions. */
int yb__hosp_insured_here(struct yb_hcall *c, struct yb_err *e);

/* A service error's field (a name of the input) prefixed with the
 * input's path ("input.data."); rc is passed through. */
int yb__hosp_at(int rc, const char *path, struct yb_err *e);

/* The catalogue index in h->cat: loaded at first need and again when the
 * catalogue table has changed. */
int yb__hosp_catalogue(struct yb_hosp *h, struct yb_err *e);

/* The policy to classify the fee lines of visit v under: the version of
 * the policy set in force for the person's pooling region (view->visit,
 * from yb_visit_engine_inputs), the visit's insurance type and day (the
 * rule of policyset.h); owned by h's cache, valid for the call. */
int yb__hosp_policy(struct yb_hosp *h, const struct yb_visit_rec *v,
                    const struct yb_settle_out *view, yb_date day,
                    const struct yb_policy **out, struct yb_err *e);

/* The input's data node: input.<node> when present (when it is no object,
 * the first field read from it says so), else the input itself (clients
 * differ, docs/hospital.md). path gets "input.<node>" or "input". */
const cJSON *yb__hosp_node(const struct yb_hcall *c, const char *node,
                           char *path, size_t n);

/* A string member of node at path: required ones present and not empty,
 * at most maxlen bytes (numbers accepted as their digits). */
int yb__hosp_str(struct yb_hcall *c, const cJSON *node, const char *path,
                 const char *key, bool required, size_t maxlen,
                 const char **out, struct yb_err *e);

/* A table of string members to read into slots. */
struct yb_hosp_field {
    const char *key;
    const char **slot;
    size_t maxlen;
    bool required;
};
int yb__hosp_fields(struct yb_hcall *c, const cJSON *node, const char *path,
                    const struct yb_hosp_field *f, size_t n, struct yb_err *e);

/* The guard (guard.c). take: a lookup by institution `code` at the call's
 * time (now, "yyyy-MM-dd HH:mm:ss", and its milliseconds) is within its
 * rate and has a place in the audit queue, which it holds (YB_EPERM naming
 * infno over the rate, YB_EBUSY when the queue is full). audit: the
 * record of a lookup take let through, into the place it holds (copied). */
int yb__guard_take(struct yb_hosp_guard *g, const char *code, const char *now,
                   int now_ms, struct yb_err *e);
struct yb_lookup_rec;
void yb__guard_audit(struct yb_hosp_guard *g, const struct yb_lookup_rec *r);

/* cJSON helpers that report ENOMEM. */
int yb__hosp_add_str(cJSON *o, const char *k, const char *v, struct yb_err *e);

#endif
