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

#include <stdbool.h>
#include <stdint.h>

#include "yibao/err.h"

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
    /* the hospital interface's fields, listed by 1901 */
    YB_DICT_INSUTYPE,         /* insutype: 390 */
    YB_DICT_MDTRT_CERT_TYPE,  /* mdtrt_cert_type: 02, 03 (01 not taken) */
    YB_DICT_PSN_CERT_TYPE,    /* psn_cert_type: 01 */
    YB_DICT_PSN_INSU_STAS,    /* psn_insu_stas: 1, 2, 4 */
    YB_DICT_PSN_SETLWAY,      /* psn_setlway: 01, 02 */
    YB_DICT_CLR_TYPE,         /* clr_type: 11, 21 */
    YB_DICT_OPTER_TYPE,       /* opter_type: 1, 2, 3 */
    YB_DICT_NATY,             /* naty: GB 3304 */
    YB_DICT_HOSP_APPR_FLAG,   /* hosp_appr_flag: 0, 1, 2 */
    YB_DICT_DIAG_TYPE,        /* diag_type: 1, 2, 3 */
    YB_DICT_CVLSERV_FLAG,     /* cvlserv_flag: 0, 1 */
    YB_DICT_ACCT_USED_FLAG,   /* acct_used_flag: 0, 1 */
    YB_DICT_LMT_USED_FLAG,    /* lmt_used_flag: 0, 1 */
    YB_DICT_MAINDIAG_FLAG,    /* maindiag_flag: 0, 1 */
    YB_DICT_VALI_FLAG,        /* vali_flag: 0, 1 */
    YB_DICT_SETL_FLAG,        /* setl_flag: 0, 1 */
    YB_DICT_SETL_STAS,        /* setl_stas: 0, 1 */
    YB_DICT_INHOSP_STAS,      /* inhosp_stas: 0, 1 */
    YB_DICT_STMT_RSLT,        /* stmt_rslt: 0, 1 */
    YB_DICT_TRT_CHK_TYPE,     /* trt_chk_type: 01 */
    YB_DICT_TRT_ENJYMNT_FLAG, /* trt_enjymnt_flag: 0, 1 */
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

/* false for a national code a table lists but yibao refuses (the
 * e-voucher, mdtrt_cert_type 01; 1901 vali_flag 0), else true. */
bool yb_dict_taken(enum yb_dict_kind kind, const char *code);

/* The code that replaced a retired one (psn_idet_type "2001" is now
 * "201"), or NULL when code was never retired. */
const char *yb_dict_replaced(enum yb_dict_kind kind, const char *code);

/* Refuse an unknown code: YB_EINVAL naming field, "unknown idet code
 * \"3001\"", or, for a retired code, the code to use instead
 * ("idet 代码 \"2001\" 已停用，请改用 \"201\"（特困人员）…"). */
int yb_dict_unknown(enum yb_dict_kind kind, const char *code, const char *field,
                    struct yb_err *e);

/* Place of care (docs/benefits.md, the visit), derived from insuplc_admdvs and
 * mdtrtarea_admvs; codes of YB_DICT_PLACE. */
enum yb_place {
    YB_PLACE_LOCAL = 0,        /* same pooling region ("1") */
    YB_PLACE_IN_PROVINCE = 1,  /* another region of the province ("2") */
    YB_PLACE_OUT_PROVINCE = 2, /* another province ("3") */
};

#endif
