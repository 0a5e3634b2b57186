/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The person registry: adding a person (checked against the ID number,
 * numbered from the pooling region's sequence), finding one by either key,
 * and the identities certified by other bureaus. Every write is one
 * business event with its audit row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"
#include "yibao/dict.h"
#include "yibao/event.h"
#include "yibao/idcard.h"
#include "yibao/region.h"
#include "yibao/registry.h"

#define NAME_MAX_BYTES 90 /* 30 CJK characters */

static int check_person(struct yb_person_rec *p, struct yb_err *e)
{
    struct yb_idcard id;
    int rc = yb_idcard_parse(p->certno ? p->certno : "", &id, "certno", e);
    if (rc != YB_OK)
        return rc;
    size_t n = p->psn_name ? strlen(p->psn_name) : 0;
    if (n == 0 || n > NAME_MAX_BYTES)
        return yb_err_set(e, YB_EINVAL, "psn_name", "姓名 \"%s\" %s",
                          p->psn_name ? p->psn_name : "",
                          n ? "过长 (is too long)" : "为空 (is empty)");
    if (p->gend == 0)
        p->gend = id.gender;
    else if (p->gend != id.gender)
        return yb_err_set(e, YB_EINVAL, "gend",
                          "%d 与证件号码不符（%d）(contradicts the ID number)",
                          p->gend, id.gender);
    char a[11], b[11];
    if (p->brdy == 0)
        p->brdy = id.birth;
    else if (p->brdy != id.birth)
        return yb_err_set(
            e, YB_EINVAL, "brdy",
            "值 %s 与证件号码不符（%s）(contradicts the ID number)",
            yb_date_format(p->brdy, a), yb_date_format(id.birth, b));
    if (!p->resd_admdvs || !yb_region_valid(p->resd_admdvs))
        return yb_err_set(e, YB_EINVAL, "resd_admdvs",
                          "行政区划代码无效：\"%s\" (not a region code)",
                          p->resd_admdvs ? p->resd_admdvs : "");
    return YB_OK;
}

/* The next person number of pooling region `pool`: one more than the
 * highest psn_no it has given (persons are never deleted, so no number is
 * given twice). One probe at the end of the primary key, where a sequence
 * row would cost a write and a read per person; within a transaction,
 * which holds the write lock, the number last given is kept instead
 * (psn_given), so a bulk import probes once per batch. */
static const char *psn_memo_key(const char *pool, char key[YB_MEMO_KEY])
{
    return yb__svc_memo_key(key, "psn_no:", pool, 6);
}

/* v (>= 0) in decimal, zero-padded to width digits, NUL-ended: printf's
 * "%0*lld" without its cost (a person import formats two per row). */
static char *put_dec(char *out, int64_t v, int width)
{
    char d[24];
    int k = 0;
    do
        d[k++] = (char)('0' + v % 10);
    while ((v /= 10) > 0 && k < 20);
    while (k < width && k < 20)
        d[k++] = '0';
    for (int i = 0; i < k; i++)
        out[i] = d[k - 1 - i];
    out[k] = '\0';
    return out;
}

static int next_psn_seq(yb_store *s, const char *pool, int64_t *out,
                        struct yb_err *e)
{
    char key[YB_MEMO_KEY], val[YB_MEMO_VAL];
    if (yb_store_memo_get(s, psn_memo_key(pool, key), val, sizeof val)) {
        *out = atoll(val) + 1;
        return YB_OK;
    }
    return yb__svc_next_number(
        s, "SELECT MAX(psn_no) FROM person WHERE psn_no BETWEEN $1 AND $2",
        pool, out, e);
}

/* Number seq of pool was given (its person row is written). A row rolled
 * back later leaves a gap, never a number given twice. */
static void psn_given(yb_store *s, const char *pool, int64_t seq)
{
    char key[YB_MEMO_KEY], val[YB_MEMO_VAL];
    yb_store_memo_put_tx(s, psn_memo_key(pool, key), put_dec(val, seq, 1));
}

/* The psn_no already holding this ID number ("" when none). */
static int holder_of(yb_store *s, const char *certno, char *out, size_t n,
                     struct yb_err *e)
{
    yb_stmt *st;
    out[0] = 0;
    int rc = yb_store_prepare(s, "SELECT psn_no FROM person WHERE certno = $1",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, certno);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW)
        snprintf(out, n, "%s", yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    return rc == YB_ROW || rc == YB_DONE ? YB_OK : rc;
}

struct add_arg {
    const struct yb_actor *who;
    struct yb_person_rec *p;
};

static int insert_person(yb_store *s, const struct yb_person_rec *p, int64_t ev,
                         struct yb_err *e)
{
    char brdy[11];
    yb_stmt *st;
    int rc = yb_store_prepare(
        s,
        "INSERT INTO person (psn_no, certno, psn_name, gend, brdy, naty, "
        "hh_id, relation, resd_admdvs, student_kind, school_code, "
        "permit_holder, event_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, p->psn_no);
    yb_stmt_bind_text(st, 2, p->certno);
    yb_stmt_bind_text(st, 3, p->psn_name);
    char gend[2] = {(char)('0' + p->gend), '\0'}; /* 1 or 2, checked */
    yb_stmt_bind_text(st, 4, gend);
    yb_stmt_bind_text(st, 5, yb_date_format(p->brdy, brdy));
    yb_stmt_bind_text(st, 6, p->naty);
    yb_stmt_bind_text(st, 7, p->hh_id);
    yb_stmt_bind_text(st, 8, p->relation);
    yb_stmt_bind_text(st, 9, p->resd_admdvs);
    static const char *const kinds[] = {"none", "school", "college"};
    yb_stmt_bind_text(st, 10,
                      kinds[p->student == YB_STUDENT_SCHOOL    ? 1
                            : p->student == YB_STUDENT_COLLEGE ? 2
                                                               : 0]);
    yb_stmt_bind_text(st, 11, p->school_code);
    yb_stmt_bind_int(st, 12, p->permit_holder);
    yb_stmt_bind_int(st, 13, ev);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

/* YB_EDUPLICATE naming the holder when the ID number is registered. */
static int certno_free(yb_store *s, const char *certno, struct yb_err *e)
{
    char holder[32];
    int rc = holder_of(s, certno, holder, sizeof holder, e);
    if (rc == YB_OK && holder[0])
        return yb_err_set(e, YB_EDUPLICATE, "certno",
                          "证件号码 %s 已登记为 %s (registered already)",
                          certno, holder);
    return rc;
}

static int add_person(yb_store *s, void *arg, struct yb_err *e)
{
    struct add_arg *a = arg;
    struct yb_person_rec *p = a->p;
    char pool[7];
    int64_t seq = 0, ev = a->who->event_id;
    /* A refused person leaves nothing behind in a caller's transaction.
     * With the caller's event the row is the only write, and the unique
     * index on certno is the check: the holder is looked up only to
     * explain a refusal. A new event is written first, so the ID number
     * is checked before it. */
    int rc = ev > 0 ? YB_OK : certno_free(s, p->certno, e);
    if (rc == YB_OK)
        rc = yb__svc_pooling(s, p->resd_admdvs, pool, e);
    if (rc == YB_OK)
        rc = next_psn_seq(s, pool, &seq, e);
    if (rc != YB_OK)
        return rc;
    size_t pl = strnlen(pool, 6); /* "%s%014lld" */
    memcpy(p->psn_no, pool, pl);
    put_dec(p->psn_no + pl, seq, 14);
    rc = yb__svc_event(s, a->who, "person.add", p->psn_no, &ev, e);
    if (rc == YB_OK)
        rc = insert_person(s, p, ev, e);
    if (rc == YB_OK)
        psn_given(s, pool, seq);
    if (rc == YB_ECONSTRAINT || rc == YB_EDUPLICATE) {
        struct yb_err why = {0};
        if (certno_free(s, p->certno, &why) == YB_EDUPLICATE) {
            *e = why;
            rc = YB_EDUPLICATE;
        }
    }
    return rc;
}

int yb_person_add(yb_store *s, const struct yb_actor *who,
                  struct yb_person_rec *p, struct yb_err *e)
{
    int rc = check_person(p, e);
    if (rc != YB_OK)
        return rc;
    struct add_arg a = {who, p};
    return yb__svc_in_txn(s, add_person, &a, e);
}

static const char *dup(struct yb_arena *a, const char *s)
{
    return s ? yb_arena_strdup(a, s) : NULL;
}

#define PERSON_COLS "SELECT " YB__PERSON_COLS("") " FROM person "

void yb__person_read(yb_stmt *st, int c, struct yb_arena *arena,
                     struct yb_person_rec *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->psn_no, sizeof out->psn_no, "%s", yb_stmt_text(st, c));
    out->certno = dup(arena, yb_stmt_text(st, c + 1));
    out->psn_name = dup(arena, yb_stmt_text(st, c + 2));
    const char *g = yb_stmt_text(st, c + 3);
    out->gend = atoi(g ? g : "0");
    yb_date_parse(yb_stmt_text(st, c + 4), &out->brdy, "brdy", NULL);
    out->naty = dup(arena, yb_stmt_text(st, c + 5));
    out->hh_id = dup(arena, yb_stmt_text(st, c + 6));
    out->relation = dup(arena, yb_stmt_text(st, c + 7));
    out->resd_admdvs = dup(arena, yb_stmt_text(st, c + 8));
    const char *sk = yb_stmt_text(st, c + 9);
    out->student = sk && strcmp(sk, "school") == 0    ? YB_STUDENT_SCHOOL
                   : sk && strcmp(sk, "college") == 0 ? YB_STUDENT_COLLEGE
                                                      : YB_STUDENT_NONE;
    out->school_code = dup(arena, yb_stmt_text(st, c + 10));
    out->permit_holder = yb_stmt_int(st, c + 11) != 0;
}

int yb_person_find(yb_store *s, const char *key, struct yb_arena *arena,
                   struct yb_person_rec *out, struct yb_err *e)
{
    /* A psn_no is 20 characters (pooling region + 14 digits), an ID
     * number 18: one index probe instead of an OR over two. */
    static const char by_psn[] = PERSON_COLS "WHERE psn_no = $1";
    static const char by_certno[] = PERSON_COLS "WHERE certno = $1";
    yb_stmt *st;
    int rc =
        yb_store_prepare(s, strlen(key) == 20 ? by_psn : by_certno, &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, key);
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        yb__person_read(st, 0, arena, out);
        rc = YB_OK;
    } else if (rc == YB_DONE) {
        rc = yb_err_set(e, YB_ENOTFOUND, "psn_no",
                        "没有人员编号或证件号码为 %s 的人员 (no such person)",
                        key);
    }
    yb_stmt_reset(st);
    return rc;
}

struct idet_arg {
    const struct yb_actor *who;
    const char *psn_no, *idet, *source;
    yb_date begin, end;
};

/* Refuse an unknown person, and a record overlapping one of the same
 * identity already held (the same days would be certified twice), before
 * anything is written: a refusal leaves nothing in a caller's
 * transaction. */
static int identity_conflict(yb_store *s, const struct idet_arg *a,
                             struct yb_err *e)
{
    char b[11], d[11];
    yb_stmt *st;
    int rc =
        yb_store_prepare(s, "SELECT 1 FROM person WHERE psn_no = $1", &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, a->psn_no);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    if (rc == YB_DONE)
        return yb_err_set(e, YB_ENOTFOUND, "psn_no",
                          "没有人员 %s (no such person)", a->psn_no);
    if (rc != YB_ROW)
        return rc;
    rc = yb_store_prepare(s,
                          "SELECT begndate, enddate FROM identity "
                          "WHERE psn_no = $1 AND idet = $2 AND begndate <= $4 "
                          "AND (enddate IS NULL OR enddate >= $3) "
                          "ORDER BY begndate LIMIT 1",
                          &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, a->psn_no);
    yb_stmt_bind_text(st, 2, a->idet);
    yb_stmt_bind_text(st, 3, yb_date_format(a->begin, b));
    yb_stmt_bind_text(st, 4, a->end ? yb_date_format(a->end, d) : "9999-12-31");
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        const char *to = yb_stmt_text(st, 1);
        rc = yb_err_set(
            e, YB_EDUPLICATE, "begndate",
            "人员 %s 已有身份 %s（%s 至 %s）(already holds this identity)",
            a->psn_no, a->idet, yb_stmt_text(st, 0), to ? to : "(open)");
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

static int add_identity(yb_store *s, void *arg, struct yb_err *e)
{
    struct idet_arg *a = arg;
    char b[11], d[11];
    int64_t ev;
    int rc = identity_conflict(s, a, e);
    if (rc == YB_OK)
        rc = yb__svc_event(s, a->who, "identity.add", a->psn_no, &ev, e);
    yb_stmt *st;
    if (rc == YB_OK)
        rc = yb_store_prepare(s,
                              "INSERT INTO identity (psn_no, idet, begndate, "
                              "enddate, source, event_id) "
                              "VALUES ($1, $2, $3, $4, $5, $6)",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, a->psn_no);
    yb_stmt_bind_text(st, 2, a->idet);
    yb_stmt_bind_text(st, 3, yb_date_format(a->begin, b));
    yb_stmt_bind_text(st, 4, a->end ? yb_date_format(a->end, d) : NULL);
    yb_stmt_bind_text(st, 5, a->source);
    yb_stmt_bind_int(st, 6, ev);
    rc = yb_stmt_step(st, e);
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}

int yb_identity_add(yb_store *s, const struct yb_actor *who, const char *psn_no,
                    const char *idet, yb_date begin, yb_date end,
                    const char *source, struct yb_err *e)
{
    if (yb_dict_index(YB_DICT_IDET, idet ? idet : "") < 0)
        return yb_dict_unknown(YB_DICT_IDET, idet, "idet", e);
    if (end && end < begin)
        return yb_err_set(e, YB_EINVAL, "enddate",
                          "结束早于开始 (ends before it begins)");
    struct idet_arg a = {who, psn_no, idet, source, begin, end};
    return yb__svc_in_txn(s, add_identity, &a, e);
}

uint64_t yb__idets_of(const char *list)
{
    uint64_t set = 0;
    char code[16];
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n < sizeof code) {
            memcpy(code, p, n);
            code[n] = '\0';
            int i = yb_dict_index(YB_DICT_IDET, code);
            if (i >= 0)
                set |= UINT64_C(1) << i;
        }
        p += n + (p[n] == ',');
    }
    return set;
}

int yb_identity_on(yb_store *s, const char *psn_no, yb_date day,
                   uint64_t *idets, struct yb_err *e)
{
    char d[11];
    yb_stmt *st;
    int rc = yb_store_prepare(s, "SELECT " YB__IDETS_ON("$1", "$2"), &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    yb_stmt_bind_text(st, 2, yb_date_format(day, d));
    rc = yb_stmt_step(st, e);
    *idets = rc == YB_ROW ? yb__idets_of(yb_stmt_text(st, 0)) : 0;
    yb_stmt_reset(st);
    return rc == YB_ROW ? YB_OK : rc;
}

int yb_identity_list(yb_store *s, const char *psn_no, yb_identity_fn fn,
                     void *ud, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s,
                              "SELECT idet, begndate, enddate, source FROM "
                              "identity WHERE psn_no = $1 ORDER BY begndate, "
                              "idet",
                              &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        struct yb_identity_rec r = {.idet = yb_stmt_text(st, 0),
                                    .source = yb_stmt_text(st, 3)};
        yb_date_parse(yb_stmt_text(st, 1), &r.begin, "begndate", NULL);
        if (!yb_stmt_null(st, 2))
            yb_date_parse(yb_stmt_text(st, 2), &r.end, "enddate", NULL);
        fn(&r, ud);
    }
    yb_stmt_reset(st);
    return rc == YB_DONE ? YB_OK : rc;
}
