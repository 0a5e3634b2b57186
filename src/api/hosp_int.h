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

/* The input envelope's fields (DOMAIN §11), borrowed from the request. */
struct yb_env {
    const char *infno, *msgid, *mdtrtarea_admvs, *insuplc_admdvs;
    const char *recer_sys_code, *dev_no, *dev_safe_info, *cainfo, *signtype;
    const char *infver, *opter_type, *opter, *opter_name, *inf_time;
    const char *fixmedins_code, *fixmedins_name, *sign_no;
    const cJSON *input;
};

struct yb_hosp {
    yb_store *s;
    const struct yb_policy *policy;
    char admdvs[7];
    _Atomic unsigned long own_serial; /* of inf_refmsgid */
    _Atomic unsigned long *serial;    /* own_serial or a shared one */
    bool batch;                       /* writing calls run in savepoints */
    bool broken;                      /* the batch's transaction is lost */
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
    char ref[64];  /* the business key it made or touched (for 2601) */
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

/* A service error's field (a name of the input) prefixed with the
 * input's path ("input.data."); rc is passed through. */
int yb__hosp_at(int rc, const char *path, struct yb_err *e);

/* The catalogue index in h->cat: loaded at first need and again when the
 * catalogue table has changed. */
int yb__hosp_catalogue(struct yb_hosp *h, struct yb_err *e);

/* The input's data node: input.<node> when present (when it is no object,
 * the first field read from it says so), else the input itself (clients
 * differ, DOMAIN §11). path gets "input.<node>" or "input". */
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

/* cJSON helpers that report ENOMEM. */
int yb__hosp_add_str(cJSON *o, const char *k, const char *v, struct yb_err *e);

#endif
