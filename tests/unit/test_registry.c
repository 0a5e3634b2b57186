/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the person registry (src/service/registry.c) on a fresh
 * SQLite file per test: person numbers from the pooling region's sequence
 * (the prefecture of the residence, or the region table's pooling region);
 * gender, birth date, name, residence and ID number refused with the field
 * named; a duplicate ID number refused naming the person who holds it;
 * nothing written on any refusal, in the registry's own transaction and in
 * a caller's; finding a person by either key; identities held on a day,
 * and refused when they overlap a record of the same identity, name an
 * unknown code or an unknown person, or end before they begin.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store_fixture.h"
#include "yibao/dict.h"
#include "yibao/registry.h"

/* Valid ID numbers (GB 11643 check characters computed with
 * yb_idcard_check_char); the 17th digit gives the gender. */
#define MAN_1986 "530102198605120813"    /* male, 1986-05-12, 五华区 */
#define WOMAN_1990 "530102199003150024"  /* female, 1990-03-15 */
#define BOY_2010 "530112201001010039"    /* male, 2010-01-01, 西山区 */
#define QUJING_1975 "530302197511110012" /* male, 1975-11-11, 麒麟区 */

static const struct yb_actor CLERK = {.name = "clerk01",
                                      .now = "2024-05-01 09:00:00"};

static struct fx_db *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    return d;
}

static struct yb_person_rec person(const char *certno, const char *name,
                                   const char *admdvs)
{
    struct yb_person_rec p;

    memset(&p, 0, sizeof p);
    p.certno = certno;
    p.psn_name = name;
    p.resd_admdvs = admdvs;
    return p;
}

/* Rows of the tables a person or identity writes, as one comparable
 * string: "person/identity/event/audit/seq-sum". */
static const char *written(yb_store *s, char *buf, size_t n)
{
    snprintf(buf, n, "%lld/%lld/%lld/%lld/%lld",
             (long long)fx_int(s, "SELECT count(*) FROM person"),
             (long long)fx_int(s, "SELECT count(*) FROM identity"),
             (long long)fx_int(s, "SELECT count(*) FROM event"),
             (long long)fx_int(s, "SELECT count(*) FROM audit"),
             (long long)fx_int(s, "SELECT coalesce(sum(value), 0) FROM seq"));
    return buf;
}

static void add_ok(yb_store *s, struct yb_person_rec *p, const char *psn_no)
{
    struct yb_err e = {0};

    assert_int_equal(yb_person_add(s, &CLERK, p, &e), YB_OK);
    assert_string_equal(p->psn_no, psn_no);
}

/* ---- person numbers ---------------------------------------------------- */

static void
test_person_add_numbers_persons_from_the_pooling_regions_sequence(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec a = person(MAN_1986, "张伟", "530102");
    struct yb_person_rec b = person(BOY_2010, "张小明", "530112");
    struct yb_person_rec c = person(QUJING_1975, "李强", "530302");
    char buf[40];

    add_ok(d->s, &a, "53010000000000000001");
    add_ok(d->s, &b, "53010000000000000002");
    add_ok(d->s, &c, "53030000000000000001");
    /* a refused person takes no number: the next one follows on */
    struct yb_person_rec again = person(BOY_2010, "张小明", "530112");
    struct yb_err e = {0};
    assert_int_equal(yb_person_add(d->s, &CLERK, &again, &e), YB_EDUPLICATE);
    struct yb_person_rec w = person(WOMAN_1990, "王芳", "530102");
    add_ok(d->s, &w, "53010000000000000003");
    assert_string_equal(fx_text(d->s,
                                "SELECT certno FROM person WHERE psn_no = "
                                "'53010000000000000002'",
                                buf, sizeof buf),
                        BOY_2010);
}

static void
test_person_add_takes_the_pooling_region_from_the_region_table(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec a = person(MAN_1986, "张伟", "530102");
    struct yb_err e;

    /* A province pooling at provincial level (省级统筹). */
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO region (admdvs, name, level, "
                                   "parent, pooling) VALUES ('530102', "
                                   "'五华区', 3, '530100', '530000')",
                                   &e),
                     YB_OK);
    add_ok(d->s, &a, "53000000000000000001");
}

static void
test_person_add_takes_gender_and_birth_date_from_the_id_number(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec a = person(WOMAN_1990, "王芳", "530102");
    char buf[40];

    add_ok(d->s, &a, "53010000000000000001");
    assert_int_equal(a.gend, 2);
    assert_string_equal(fx_text(d->s, "SELECT gend || ' ' || brdy FROM person",
                                buf, sizeof buf),
                        "2 1990-03-15");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE kind = "
                                  "'person.add' AND ref = "
                                  "'53010000000000000001' AND id = (SELECT "
                                  "event_id FROM person)"),
                     1);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit WHERE "
                                  "event_id = (SELECT event_id FROM person) "
                                  "AND actor = 'clerk01'"),
                     1);
}

/* ---- refusals -------------------------------------------------------------
 */

/* Add p, expect code on field with message, and that nothing was written.
 */
static void refused(yb_store *s, struct yb_person_rec *p, int code,
                    const char *field, const char *msg)
{
    struct yb_err e = {0};
    char before[80], after[80];

    written(s, before, sizeof before);
    assert_int_equal(yb_person_add(s, &CLERK, p, &e), code);
    assert_string_equal(e.field, field);
    assert_string_equal(e.msg, msg);
    assert_string_equal(written(s, after, sizeof after), before);
}

static void
test_person_add_refuses_a_gender_the_id_number_contradicts(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "张伟", "530102");

    p.gend = 2;
    refused(d->s, &p, YB_EINVAL, "gend",
            "2 与证件号码不符（1）(contradicts the ID number)");
    assert_string_equal(p.psn_no, "");
}

static void
test_person_add_refuses_a_birth_date_the_id_number_contradicts(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "张伟", "530102");
    struct yb_err e;

    assert_int_equal(yb_date_parse("1986-05-13", &p.brdy, "brdy", &e), YB_OK);
    refused(d->s, &p, YB_EINVAL, "brdy",
            "值 1986-05-13 与证件号码不符（1986-05-12）(contradicts the ID "
            "number)");
}

static void test_person_add_refuses_a_wrong_check_character(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person("530102198605120814", "张伟", "530102");

    refused(d->s, &p, YB_EINVAL, "certno",
            "证件号码 \"530102198605120814\" 校验位错误，应为 3 (wrong check "
            "character)");
}

static void test_person_add_refuses_an_empty_or_overlong_name(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "", "530102");
    char longname[100], msg[128];

    refused(d->s, &p, YB_EINVAL, "psn_name", "姓名 \"\" 为空 (is empty)");
    /* 31 CJK characters: 93 bytes, above the 90-byte limit. */
    longname[0] = 0;
    for (int i = 0; i < 31; i++)
        strcat(longname, "张");
    p.psn_name = longname;
    snprintf(msg, sizeof msg, "姓名 \"%s\" 过长 (is too long)", longname);
    refused(d->s, &p, YB_EINVAL, "psn_name", msg);
    p.psn_name = NULL;
    refused(d->s, &p, YB_EINVAL, "psn_name", "姓名 \"\" 为空 (is empty)");
}

static void test_person_add_refuses_a_residence_that_is_no_region(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "张伟", "990102");

    refused(d->s, &p, YB_EINVAL, "resd_admdvs",
            "行政区划代码无效：\"990102\" (not a region code)");
    p.resd_admdvs = NULL;
    refused(d->s, &p, YB_EINVAL, "resd_admdvs",
            "行政区划代码无效：\"\" (not a region code)");
}

static void
test_person_add_refuses_a_duplicate_id_number_naming_its_holder(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec a = person(MAN_1986, "张伟", "530102");
    struct yb_person_rec b = person(WOMAN_1990, "王芳", "530102");
    struct yb_person_rec again = person(MAN_1986, "张伟", "530112");

    add_ok(d->s, &a, "53010000000000000001");
    add_ok(d->s, &b, "53010000000000000002");
    refused(d->s, &again, YB_EDUPLICATE, "certno",
            "证件号码 " MAN_1986
            " 已登记为 53010000000000000001 (registered already)");
}

static void
test_person_add_refused_in_a_callers_transaction_writes_nothing(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec a = person(MAN_1986, "张伟", "530102");
    struct yb_person_rec again = person(MAN_1986, "张伟", "530102");
    struct yb_person_rec b = person(WOMAN_1990, "王芳", "530102");
    struct yb_err e;

    add_ok(d->s, &a, "53010000000000000001");
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    refused(d->s, &again, YB_EDUPLICATE, "certno",
            "证件号码 " MAN_1986
            " 已登记为 53010000000000000001 (registered already)");
    /* The caller goes on and commits: the refusal used no number and left
     * no event or audit row behind. */
    add_ok(d->s, &b, "53010000000000000002");
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 2);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit"), 2);
}

/* ---- find -------------------------------------------------------------- */

static void test_person_find_by_either_key_returns_every_field(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(BOY_2010, "张小明", "530112");
    struct yb_arena a;
    struct yb_err e;
    static const char *const keys[] = {"53010000000000000001", BOY_2010};

    p.naty = "07";
    p.hh_id = "5301000000000001";
    p.relation = "20";
    p.student = YB_STUDENT_SCHOOL;
    p.school_code = "5301120003";
    p.permit_holder = true;
    add_ok(d->s, &p, "53010000000000000001");
    for (int k = 0; k < 2; k++) {
        struct yb_person_rec f;
        char day[11];

        yb_arena_init(&a, 0);
        assert_int_equal(yb_person_find(d->s, keys[k], &a, &f, &e), YB_OK);
        assert_string_equal(f.psn_no, "53010000000000000001");
        assert_string_equal(f.certno, BOY_2010);
        assert_string_equal(f.psn_name, "张小明");
        assert_int_equal(f.gend, 1);
        assert_string_equal(yb_date_format(f.brdy, day), "2010-01-01");
        assert_string_equal(f.naty, "07");
        assert_string_equal(f.hh_id, "5301000000000001");
        assert_string_equal(f.relation, "20");
        assert_string_equal(f.resd_admdvs, "530112");
        assert_int_equal(f.student, YB_STUDENT_SCHOOL);
        assert_string_equal(f.school_code, "5301120003");
        assert_true(f.permit_holder);
        yb_arena_free(&a);
    }
}

static void test_person_find_of_an_unknown_key_is_not_found(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "张伟", "530102");
    struct yb_person_rec f;
    struct yb_arena a;
    struct yb_err e;

    add_ok(d->s, &p, "53010000000000000001");
    yb_arena_init(&a, 0);
    assert_int_equal(yb_person_find(d->s, WOMAN_1990, &a, &f, &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.field, "psn_no");
    assert_string_equal(e.msg, "没有人员编号或证件号码为 " WOMAN_1990
                               " 的人员 (no such person)");
    assert_int_equal(yb_person_find(d->s, "53010000000000000002", &a, &f, &e),
                     YB_ENOTFOUND);
    yb_arena_free(&a);
}

/* ---- identities -------------------------------------------------------- */

static yb_date day(const char *s)
{
    yb_date d = 0;
    struct yb_err e;

    assert_int_equal(yb_date_parse(s, &d, "day", &e), YB_OK);
    return d;
}

static int idet_add(yb_store *s, const char *idet, const char *from,
                    const char *to, struct yb_err *e)
{
    return yb_identity_add(s, &CLERK, "53010000000000000001", idet, day(from),
                           to ? day(to) : 0, "民政", e);
}

static uint64_t bit(const char *idet)
{
    return UINT64_C(1) << yb_dict_index(YB_DICT_IDET, idet);
}

static void test_identity_is_held_from_its_begin_to_its_end(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "张伟", "530102");
    struct yb_err e;
    uint64_t on = 99;

    add_ok(d->s, &p, "53010000000000000001");
    assert_int_equal(idet_add(d->s, "202", "2020-01-01", "2022-12-31", &e),
                     YB_OK);
    assert_int_equal(idet_add(d->s, "205", "2022-06-01", NULL, &e), YB_OK);
    assert_int_equal(yb_identity_on(d->s, p.psn_no, day("2019-12-31"), &on, &e),
                     YB_OK);
    assert_int_equal(on, 0);
    assert_int_equal(yb_identity_on(d->s, p.psn_no, day("2020-01-01"), &on, &e),
                     YB_OK);
    assert_int_equal(on, bit("202"));
    assert_int_equal(yb_identity_on(d->s, p.psn_no, day("2022-12-31"), &on, &e),
                     YB_OK);
    assert_int_equal(on, bit("202") | bit("205"));
    assert_int_equal(yb_identity_on(d->s, p.psn_no, day("2023-01-01"), &on, &e),
                     YB_OK);
    assert_int_equal(on, bit("205"));
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE kind = "
                                  "'identity.add'"),
                     2);
}

static void
test_identity_overlapping_a_record_of_the_same_identity_is_refused(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "张伟", "530102");
    struct yb_err e;
    char before[80], after[80];

    add_ok(d->s, &p, "53010000000000000001");
    assert_int_equal(idet_add(d->s, "202", "2020-01-01", "2022-12-31", &e),
                     YB_OK);
    written(d->s, before, sizeof before);
    /* The last day of the record held is enough to overlap. */
    assert_int_equal(idet_add(d->s, "202", "2022-12-31", NULL, &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.field, "begndate");
    assert_string_equal(e.msg,
                        "人员 53010000000000000001 已有身份 202（2020-01-01 "
                        "至 2022-12-31）(already holds this identity)");
    /* So is a record around it, and one starting the same day. */
    assert_int_equal(idet_add(d->s, "202", "2019-01-01", "2024-01-01", &e),
                     YB_EDUPLICATE);
    assert_int_equal(idet_add(d->s, "202", "2020-01-01", "2020-01-31", &e),
                     YB_EDUPLICATE);
    assert_string_equal(written(d->s, after, sizeof after), before);
    /* The day after, and another identity on the same days, are fine. */
    assert_int_equal(idet_add(d->s, "202", "2023-01-01", NULL, &e), YB_OK);
    assert_int_equal(idet_add(d->s, "204", "2021-01-01", NULL, &e), YB_OK);
    assert_int_equal(idet_add(d->s, "202", "2030-01-01", "2030-12-31", &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.msg,
                        "人员 53010000000000000001 已有身份 202（2023-01-01 "
                        "至 (open)）(already holds this identity)");
}

static void test_identity_of_an_unknown_code_is_refused(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_person_rec p = person(MAN_1986, "张伟", "530102");
    struct yb_err e;
    char before[80], after[80];

    add_ok(d->s, &p, "53010000000000000001");
    written(d->s, before, sizeof before);
    assert_int_equal(idet_add(d->s, "2999", "2020-01-01", NULL, &e), YB_EINVAL);
    assert_string_equal(e.field, "idet");
    assert_string_equal(e.msg,
                        "代码表 idet 中没有代码 \"2999\" (unknown idet code)");
    assert_int_equal(yb_identity_add(d->s, &CLERK, p.psn_no, NULL,
                                     day("2020-01-01"), 0, NULL, &e),
                     YB_EINVAL);
    assert_string_equal(e.msg,
                        "代码表 idet 中没有代码 \"\" (unknown idet code)");
    assert_int_equal(idet_add(d->s, "202", "2020-01-01", "2019-12-31", &e),
                     YB_EINVAL);
    assert_string_equal(e.field, "enddate");
    assert_string_equal(e.msg, "结束早于开始 (ends before it begins)");
    assert_string_equal(written(d->s, after, sizeof after), before);
}

static void test_identity_of_an_unknown_person_is_not_found(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_err e;
    char before[80], after[80];

    written(d->s, before, sizeof before);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(idet_add(d->s, "202", "2020-01-01", NULL, &e),
                     YB_ENOTFOUND);
    assert_string_equal(e.field, "psn_no");
    assert_string_equal(e.msg,
                        "没有人员 53010000000000000001 (no such person)");
    /* Refused inside the caller's transaction: it leaves nothing to
     * commit. */
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    assert_string_equal(written(d->s, after, sizeof after), before);
    assert_string_equal(after, "0/0/0/0/0");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_person_add_numbers_persons_from_the_pooling_regions_sequence),
        T(test_person_add_takes_the_pooling_region_from_the_region_table),
        T(test_person_add_takes_gender_and_birth_date_from_the_id_number),
        T(test_person_add_refuses_a_gender_the_id_number_contradicts),
        T(test_person_add_refuses_a_birth_date_the_id_number_contradicts),
        T(test_person_add_refuses_a_wrong_check_character),
        T(test_person_add_refuses_an_empty_or_overlong_name),
        T(test_person_add_refuses_a_residence_that_is_no_region),
        T(test_person_add_refuses_a_duplicate_id_number_naming_its_holder),
        T(test_person_add_refused_in_a_callers_transaction_writes_nothing),
        T(test_person_find_by_either_key_returns_every_field),
        T(test_person_find_of_an_unknown_key_is_not_found),
        T(test_identity_is_held_from_its_begin_to_its_end),
        T(test_identity_overlapping_a_record_of_the_same_identity_is_refused),
        T(test_identity_of_an_unknown_code_is_refused),
        T(test_identity_of_an_unknown_person_is_not_found),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
