/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Code tables (字典) that yibao understands: medical types, hospital levels,
 * person types, identities (hardship groups), catalogue list types, charge
 * classes and fund payment types. Codes follow the national interface where
 * one exists (docs/glossary.md, docs/hospital.md); each table maps a code
 * to a small index so policies can match on bit sets, and to a Chinese name for
 * traces and for the 1901 dictionary query. Adding a code appends to a table.
 */
#ifndef YIBAO_DICT_H
#define YIBAO_DICT_H

#include <stdint.h>

enum yb_dict_kind {
    YB_DICT_MED_TYPE,   /* med_type */
    YB_DICT_HOSP_LV,    /* hospital level */
    YB_DICT_PSN_TYPE,   /* psn_type */
    YB_DICT_IDET,       /* psn_idet_type */
    YB_DICT_LIST_TYPE,  /* list_type: 101 102 201 301 */
    YB_DICT_CHRGITM_LV, /* chrgitm_lv: 01 02 03 */
    YB_DICT_FUND,       /* fund_pay_type */
    YB_DICT_GEND,       /* gend */
    YB_DICT_PLACE,      /* where care happens relative to the insured place */
    YB_DICT__COUNT
};

struct yb_dict_entry {
    const char *code;
    const char *name; /* Chinese */
};

/* Name of a table ("med_type") and its entries; count via *n. Static
 * storage, never freed; NULL (and *n 0) for an unknown kind. */
const char *yb_dict_name(enum yb_dict_kind kind);
const struct yb_dict_entry *yb_dict_entries(enum yb_dict_kind kind, int *n);
/* Index of code in the table (0..n-1) or -1 when unknown. Indices are
 * below 64, so a set of codes fits a uint64_t bit set. */
int yb_dict_index(enum yb_dict_kind kind, const char *code);
/* Chinese name of a code, or NULL when unknown. */
const char *yb_dict_label(enum yb_dict_kind kind, const char *code);

/* Place of care (docs/benefits.md, the visit), derived from insuplc_admdvs and
 * mdtrtarea_admvs; codes of YB_DICT_PLACE. */
enum yb_place {
    YB_PLACE_LOCAL = 0,        /* same pooling region ("1") */
    YB_PLACE_IN_PROVINCE = 1,  /* another region of the province ("2") */
    YB_PLACE_OUT_PROVINCE = 2, /* another province ("3") */
};

#endif
