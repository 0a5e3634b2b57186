/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers for the engine's unit tests: load a policy from a string,
 * build small catalogues, persons, visits and fee lines with literal
 * figures. Header-only (static functions) so each test program stays one
 * file.
 */
#ifndef YB_ENGINE_FIXTURE_H
#define YB_ENGINE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/yibao.h"

static inline struct yb_policy *fx_policy(const char *json)
{
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    int rc = yb_policy_parse(json, strlen(json), &p, &e);
    if (rc != YB_OK)
        fprintf(stderr, "policy: %s: %s\n", e.field, e.msg);
    assert_int_equal(rc, YB_OK);
    return p;
}

static inline struct yb_policy *fx_policy_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return fx_policy(buf);
}

/* policies/national-default-YEAR.json, the national default of a coverage
 * year (caller frees). */
static inline struct yb_policy *fx_national_default(int year)
{
    char path[64];

    snprintf(path, sizeof path, "policies/national-default-%d.json", year);
    return fx_policy_file(path);
}

static inline int fx_idx(enum yb_dict_kind k, const char *code)
{
    int i = yb_dict_index(k, code);
    assert_true(i >= 0);
    return i;
}

static inline yb_date fx_date(const char *s)
{
    yb_date d = 0;
    assert_int_equal(yb_date_parse(s, &d, "date", NULL), YB_OK);
    return d;
}

static inline struct yb_catalogue_entry
fx_entry(const char *code, const char *list_type, int lv, yb_rate selfpay)
{
    struct yb_catalogue_entry x = {0};
    x.code = code;
    x.name = code;
    x.list_type = fx_idx(YB_DICT_LIST_TYPE, list_type);
    x.chrgitm_lv = lv;
    x.selfpay_prop = selfpay;
    x.valid_from = fx_date("1990-01-01");
    x.valid_to = INT32_MAX;
    x.lmt_age_min = -1;
    x.lmt_age_max = -1;
    return x;
}

static inline struct yb_person fx_person(const char *psn_type,
                                         const char *birth)
{
    struct yb_person p = {0};
    p.psn_no = "P0001";
    p.psn_type = fx_idx(YB_DICT_PSN_TYPE, psn_type);
    p.tier = 1;
    p.gender = YB_GENDER_MALE;
    p.birth = fx_date(birth);
    return p;
}

static inline struct yb_visit fx_visit(const char *med_type, const char *lv,
                                       const char *region, const char *begin,
                                       const char *end)
{
    struct yb_visit v = {0};
    v.mdtrt_id = "V0001";
    v.med_type = fx_idx(YB_DICT_MED_TYPE, med_type);
    v.hosp_lv = fx_idx(YB_DICT_HOSP_LV, lv);
    snprintf(v.insuplc_admdvs, sizeof v.insuplc_admdvs, "%s", region);
    snprintf(v.mdtrtarea_admvs, sizeof v.mdtrtarea_admvs, "%s", region);
    v.begin = fx_date(begin);
    v.end = fx_date(end);
    return v;
}

static inline struct yb_fee_line fx_line(const char *sn, const char *code,
                                         yb_fen amount, const char *day)
{
    struct yb_fee_line l = {0};
    l.feedetl_sn = sn;
    l.med_list_codg = code;
    l.cnt = 10000; /* 1 unit */
    l.pric = amount * 10000;
    l.amount = amount;
    l.fee_date = fx_date(day);
    return l;
}

/* Settle and check the invariants; returns the settlement. */
static inline void fx_settle(const struct yb_policy *p,
                             const struct yb_catalogue *cat,
                             const struct yb_person *psn,
                             const struct yb_visit *v,
                             const struct yb_fee_line *lines, size_t n,
                             const struct yb_accums *before, struct yb_arena *a,
                             struct yb_settlement *s)
{
    struct yb_err e = {0};
    int rc = yb_settle(p, cat, psn, v, lines, n, before, a, s, &e);
    if (rc != YB_OK)
        fprintf(stderr, "settle: %s: %s\n", e.field, e.msg);
    assert_int_equal(rc, YB_OK);
    rc = yb_settlement_check(s, &e);
    if (rc != YB_OK)
        fprintf(stderr, "check: %s\n", e.msg);
    assert_int_equal(rc, YB_OK);
}

#endif
