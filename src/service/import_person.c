/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row handlers for persons and their identities (docs/import-formats.md):
 * each person row goes through yb_person_add — the same checks as a clerk's
 * registration, numbered from the pooling region's sequence — and each
 * identity row through yb_identity_add, after its ID number is found in
 * the registry.
 */
#include <stdio.h>
#include <string.h>

#include "import_int.h"
#include "yibao/dict.h"
#include "yibao/idcard.h"
#include "yibao/registry.h"

enum {
    P_CERTNO,
    P_NAME,
    P_GEND,
    P_BRDY,
    P_NATY,
    P_HH,
    P_REL,
    P_ADMDVS,
    P_TYPE,
    P_STUDENT,
    P_SCHOOL,
    P_PERMIT
};
static const char *const person_cols[] = {
    "certno",       "psn_name",         "gend",   "brdy",     "naty",
    "household_id", "relation",         "admdvs", "psn_type", "student_flag",
    "school_code",  "residence_permit", NULL};
static const char *const person_req[] = {"certno", "psn_name", "gend",
                                         "brdy",   "admdvs",   NULL};

static int flag(const char *v, const char *col, bool *out, struct yb_err *e)
{
    if (!*v || strcmp(v, "0") == 0)
        *out = false;
    else if (strcmp(v, "1") == 0)
        *out = true;
    else
        return yb_err_set(e, YB_EINVAL, col,
                          "应为 0 或 1，实际为 \"%s\" (not 0 or 1)", v);
    return YB_OK;
}

static int person_fill(struct yb__import *im, const struct yb_csv_row *r,
                       struct yb_person_rec *p, struct yb_err *e)
{
    memset(p, 0, sizeof *p);
    p->certno = yb__imp_get(im, r, P_CERTNO);
    p->psn_name = yb__imp_get(im, r, P_NAME);
    p->resd_admdvs = yb__imp_get(im, r, P_ADMDVS);
    const char *g = yb__imp_get(im, r, P_GEND);
    if (*g && strcmp(g, "1") != 0 && strcmp(g, "2") != 0)
        return yb_err_set(e, YB_EINVAL, "gend",
                          "应为 1 或 2，实际为 \"%s\" (not 1 or 2)", g);
    p->gend = *g ? g[0] - '0' : 0;
    const char *b = yb__imp_get(im, r, P_BRDY);
    if (*b && yb_date_parse(b, &p->brdy, "brdy", e) != YB_OK)
        return YB_EINVAL;
    const char *v = yb__imp_get(im, r, P_NATY);
    p->naty = *v ? v : NULL;
    v = yb__imp_get(im, r, P_HH);
    p->hh_id = *v ? v : NULL;
    v = yb__imp_get(im, r, P_REL);
    p->relation = *v ? v : NULL;
    v = yb__imp_get(im, r, P_SCHOOL);
    p->school_code = *v ? v : NULL;
    bool student = false;
    int rc = flag(yb__imp_get(im, r, P_STUDENT), "student_flag", &student, e);
    if (rc == YB_OK)
        rc = flag(yb__imp_get(im, r, P_PERMIT), "residence_permit",
                  &p->permit_holder, e);
    if (rc != YB_OK)
        return rc;
    if (student && !p->school_code)
        return yb_err_set(e, YB_EINVAL, "school_code",
                          "学生不能为空 (empty for a student)");
    v = yb__imp_get(im, r, P_TYPE);
    if (*v && yb_dict_index(YB_DICT_PSN_TYPE, v) < 0)
        return yb_err_set(
            e, YB_EINVAL, "psn_type",
            "代码表 psn_type 中没有代码 \"%s\" (unknown psn_type code)", v);
    p->student = !student ? YB_STUDENT_NONE
                 : strcmp(yb__imp_get(im, r, P_TYPE), "1404") == 0
                     ? YB_STUDENT_COLLEGE
                     : YB_STUDENT_SCHOOL;
    return YB_OK;
}

static int person_row(struct yb__import *im, const struct yb_csv_row *r,
                      struct yb_err *e)
{
    struct yb_person_rec p;
    int rc = person_fill(im, r, &p, e);
    if (rc != YB_OK)
        return rc;
    struct yb_actor who = {
        .name = im->o->actor, .now = im->o->now, .event_id = im->event_id};
    rc = yb_person_add(im->s, &who, &p, e);
    /* The registry names its parameter; the file's column is admdvs. */
    if (rc == YB_EINVAL && strcmp(e->field, "resd_admdvs") == 0)
        snprintf(e->field, sizeof e->field, "admdvs");
    return rc;
}

const struct yb__import_kind yb__import_person = {
    .name = "person",
    .columns = person_cols,
    .required = person_req,
    .row = person_row,
};

enum { D_CERTNO, D_IDET, D_BEGIN, D_END, D_SOURCE };
static const char *const idet_cols[] = {"certno",  "psn_idet_type", "begndate",
                                        "enddate", "source",        NULL};
static const char *const idet_req[] = {"certno", "psn_idet_type", "begndate",
                                       "source", NULL};

static int identity_row(struct yb__import *im, const struct yb_csv_row *r,
                        struct yb_err *e)
{
    struct yb_person_rec p;
    struct yb_arena a;
    yb_date begin, end = 0;
    const char *certno = yb__imp_get(im, r, D_CERTNO);
    /* An ID number, checked as one: the registry would also find a person
     * by a psn_no written here. */
    int rc = yb_idcard_parse(certno, NULL, "certno", e);
    if (rc == YB_OK)
        rc = yb_date_parse(yb__imp_get(im, r, D_BEGIN), &begin, "begndate", e);
    const char *v = yb__imp_get(im, r, D_END);
    if (rc == YB_OK && *v)
        rc = yb_date_parse(v, &end, "enddate", e);
    v = yb__imp_get(im, r, D_SOURCE);
    if (rc == YB_OK && *v && strcmp(v, "民政") != 0 &&
        strcmp(v, "乡村振兴") != 0 && strcmp(v, "残联") != 0)
        rc = yb_err_set(e, YB_EINVAL, "source",
                        "未知的认定部门 \"%s\"（应为 民政、乡村振兴 或 "
                        "残联）(unknown source)",
                        v);
    if (rc != YB_OK)
        return rc;
    yb_arena_init(&a, 1024);
    rc = yb_person_find(im->s, certno, &a, &p, e);
    if (rc == YB_ENOTFOUND)
        rc = yb_err_set(e, YB_ENOTFOUND, "certno",
                        "没有证件号码为 %s 的登记人员 (no registered person "
                        "with this ID number)",
                        certno);
    if (rc == YB_OK) {
        struct yb_actor who = {
            .name = im->o->actor, .now = im->o->now, .event_id = im->event_id};
        v = yb__imp_get(im, r, D_SOURCE);
        rc = yb_identity_add(im->s, &who, p.psn_no, yb__imp_get(im, r, D_IDET),
                             begin, end, *v ? v : NULL, e);
        if (rc == YB_EINVAL && strcmp(e->field, "idet") == 0)
            snprintf(e->field, sizeof e->field, "psn_idet_type");
    }
    yb_arena_free(&a);
    return rc;
}

const struct yb__import_kind yb__import_identity = {
    .name = "identity",
    .columns = idet_cols,
    .required = idet_req,
    .row = identity_row,
};
