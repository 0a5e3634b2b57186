/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the CSV imports (src/service/import*.c) on a fresh SQLite
 * file per test. For every kind: the exact field, value and message of a
 * refused row (bad check character, impossible date, unknown code,
 * duplicate key, overlapping catalogue versions), good rows kept beside
 * bad ones, bad rows listed by their line (a quoted field over two lines
 * included), and a header without a required column refusing the whole
 * job with nothing written. For the driver: batch boundaries seen from the
 * progress callback with the committed rows_done (batch 1; batch 7 over 20
 * rows); an import killed after a commit (a forked child that _exits in
 * the progress callback) resumed with --resume to the same persons and
 * numbers as an uninterrupted run; a changed file starting a new job; a
 * finished job resumed with nothing left to do; running again without
 * --resume refused naming the job; empty and malformed files; kept-error
 * limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "store_fixture.h"
#include "yibao/idcard.h"
#include "yibao/import.h"
#include "yibao/text.h"
#include "yibao/registry.h"

/* Valid ID numbers (check characters from yb_idcard_check_char). */
#define MAN_1986 "530102198605120813"    /* male, 1986-05-12 */
#define WOMAN_1990 "530102199003150024"  /* female, 1990-03-15 */
#define BOY_2010 "530112201001010039"    /* male, 2010-01-01 */
#define QUJING_1975 "530302197511110012" /* male, 1975-11-11, 曲靖 */
#define LEAP_2000 "530102200002290047"   /* female, 2000-02-29 */

#define PERSON_HEADER                                                          \
    "certno,psn_cert_type,psn_name,gend,brdy,naty,household_id,relation,"      \
    "admdvs,psn_type,student_flag,school_code,residence_permit\r\n"

/* ---- fixture ----------------------------------------------------------- */

struct bad_row {
    long line;
    char field[32];
    char value[64];
    char msg[192];
};

struct job {
    int rc;
    struct yb_err e;
    struct yb_import_result r;
    int n_bad;
    struct bad_row bad[16];
};

static int teardown(void **state)
{
    struct fx_db *d = *state;
    static const char *const files[] = {"in.csv", "b.sqlite", "b.sqlite-wal",
                                        "b.sqlite-shm", "b.sqlite-journal"};
    char p[128];

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", d->dir, files[i]);
        unlink(p);
    }
    return fx_db_teardown(state);
}

static struct fx_db *open_db(void **state)
{
    struct fx_db *d = *state;
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    return d;
}

static const char *csv_path(const struct fx_db *d, char *buf, size_t n)
{
    snprintf(buf, n, "%s/in.csv", d->dir);
    return buf;
}

static void write_csv(const struct fx_db *d, const char *text)
{
    char path[128];
    FILE *f = fopen(csv_path(d, path, sizeof path), "wb");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void on_error(long line, const char *field, const char *value,
                     const char *message, void *ud)
{
    struct job *j = ud;

    if (j->n_bad < 16) {
        struct bad_row *b = &j->bad[j->n_bad];

        b->line = line;
        snprintf(b->field, sizeof b->field, "%s", field ? field : "(null)");
        snprintf(b->value, sizeof b->value, "%s", value ? value : "(null)");
        snprintf(b->msg, sizeof b->msg, "%s", message ? message : "(null)");
    }
    j->n_bad++;
}

/* Import the file in.csv as kind with opts o (path, actor, now filled in)
 * and collect the job's bad rows. */
static void run_opts(yb_store *s, const struct fx_db *d,
                     enum yb_import_kind kind, struct yb_import_opts *o,
                     struct job *j)
{
    char path[128];
    struct yb_err e;

    memset(j, 0, sizeof *j);
    o->path = csv_path(d, path, sizeof path);
    o->actor = "clerk01";
    o->now = "2024-05-01 09:00:00";
    j->rc = yb_import_run(s, kind, o, &j->r, &j->e);
    if (j->rc == YB_OK)
        assert_int_equal(yb_import_errors(s, j->r.job_id, 0, on_error, j, &e),
                         YB_OK);
}

/* Write text to in.csv and import it with the default options. */
static void import_text(struct fx_db *d, enum yb_import_kind kind,
                        const char *text, struct job *j)
{
    struct yb_import_opts o = {0};

    write_csv(d, text);
    run_opts(d->s, d, kind, &o, j);
}

static void expect_counts(const struct job *j, long rows, long ok, long bad)
{
    if (j->rc != YB_OK)
        fail_msg("import failed: %s: %s", j->e.field, j->e.msg);
    assert_int_equal(j->r.rows, rows);
    assert_int_equal(j->r.ok, ok);
    assert_int_equal(j->r.bad, bad);
    assert_int_equal(j->n_bad, bad);
}

/* The i-th bad row. ID numbers are listed masked, as in the call log:
 * an ID column's value whatever its shape, any 18-character ID number in
 * a message; value and msg here are given as in the file. */
static void expect_bad(const struct job *j, int i, long line, const char *field,
                       const char *value, const char *msg)
{
    char masked_value[64], masked_msg[512];
    bool id = strcmp(field, "certno") == 0 || strcmp(field, "head_certno") == 0;
    assert_true(i < j->n_bad);
    assert_int_equal(j->bad[i].line, line);
    assert_string_equal(j->bad[i].field, field);
    if (id && *value)
        yb_idcard_mask(value, masked_value);
    else
        snprintf(masked_value, sizeof masked_value, "%s", value);
    assert_string_equal(j->bad[i].value, masked_value);
    assert_string_equal(j->bad[i].msg,
                        yb_mask_ids(msg, masked_msg, sizeof masked_msg));
}

/* A persons.csv row; empty strings leave fields empty. */
static const char *prow(char *buf, size_t n, const char *certno,
                        const char *name, const char *gend, const char *brdy,
                        const char *admdvs, const char *psn_type)
{
    snprintf(buf, n, "%s,01,%s,%s,%s,01,5301000000000001,02,%s,%s,0,,0\r\n",
             certno, name, gend, brdy, admdvs, psn_type);
    return buf;
}

/* Persons whose event is missing or has no audit row. */
static int64_t persons_without_audit(yb_store *s)
{
    return fx_int(s, "SELECT count(*) FROM person p WHERE NOT EXISTS "
                     "(SELECT 1 FROM event v WHERE v.id = p.event_id) OR "
                     "NOT EXISTS (SELECT 1 FROM audit a WHERE a.event_id = "
                     "p.event_id)");
}

/* ---- persons ----------------------------------------------------------- */

static void
test_person_import_keeps_good_rows_and_lists_bad_ones_by_line(void **state)
{
    struct fx_db *d = open_db(state);
    char text[4096], row[256];
    struct job j;
    char buf[64];

    snprintf(text, sizeof text, "%s", PERSON_HEADER);
#define ADD(...) strcat(text, prow(row, sizeof row, __VA_ARGS__))
    ADD(MAN_1986, "张伟", "1", "1986-05-12", "530102", "1501"); /* 2 */
    ADD("530102199003150025", "王芳", "2", "1990-03-15", "530102",
        "1501");                                                   /* 3 */
    ADD(WOMAN_1990, "王芳", "2", "1990-03-15", "530102", "1501");  /* 4 */
    ADD(BOY_2010, "张小明", "1", "2010-02-30", "530112", "1403");  /* 5 */
    ADD(BOY_2010, "张小明", "3", "2010-01-01", "530112", "1403");  /* 6 */
    ADD(BOY_2010, "张小明", "1", "2010-01-01", "530112", "1999");  /* 7 */
    ADD(MAN_1986, "张伟", "1", "1986-05-12", "530102", "1501");    /* 8 */
    ADD(BOY_2010, "张小明", "1", "2010-01-01", "990102", "1403");  /* 9 */
    ADD(BOY_2010, "", "1", "2010-01-01", "530112", "1403");        /* 10 */
    ADD(QUJING_1975, "李强", "1", "1975-11-11", "530302", "1501"); /* 11 */
    ADD("\"5301\n02\"", "赵六", "2", "1990-01-01", "530102",
        "1501");                                                 /* 12-13 */
    ADD(LEAP_2000, "陈静", "2", "2000-02-29", "530102", "1501"); /* 14 */
    ADD(MAN_1986, "张伟", "2", "1986-05-12", "530102", "1501");  /* 15 */
    ADD(BOY_2010, "张小明", "", "2010-01-01", "530112", "1403"); /* 16 */
#undef ADD
    import_text(d, YB_IMPORT_PERSON, text, &j);
    expect_counts(&j, 14, 4, 10);
    /* ID numbers are masked in the value and the message */
    expect_bad(&j, 0, 3, "certno", "530102********0025",
               "证件号码 \"530102********0025\" 校验位错误，应为 4 (wrong "
               "check character)");
    expect_bad(&j, 1, 5, "brdy", "2010-02-30",
               "日期 \"2010-02-30\" 不存在 (not a real date)");
    expect_bad(&j, 2, 6, "gend", "3", "应为 1 或 2，实际为 \"3\" (not 1 or 2)");
    expect_bad(&j, 3, 7, "psn_type", "1999",
               "代码表 psn_type 中没有代码 \"1999\" (unknown psn_type code)");
    expect_bad(&j, 4, 8, "certno", "530102********0813",
               "证件号码 530102********0813 已登记为 53010000000000000001 "
               "(registered already)");
    expect_bad(&j, 5, 9, "admdvs", "990102",
               "行政区划代码无效：\"990102\" (not a region code)");
    expect_bad(&j, 6, 10, "psn_name", "", "必填，不能为空 (required)");
    expect_bad(&j, 7, 12, "certno", "*******",
               "证件号码 \"5301\\u000a02\" 长度应为18位，实为7位 (must be 18 "
               "characters)");
    expect_bad(&j, 8, 15, "gend", "2",
               "2 与证件号码不符（1）(contradicts the ID number)");
    expect_bad(&j, 9, 16, "gend", "", "必填，不能为空 (required)");
    /* Bad rows used no number: the good ones are numbered densely. */
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(psn_no || ' ' || "
                                "certno, '|') FROM (SELECT * FROM person "
                                "ORDER BY psn_no)",
                                text, sizeof text),
                        "53010000000000000001 " MAN_1986
                        "|53010000000000000002 " WOMAN_1990
                        "|53010000000000000003 " LEAP_2000
                        "|53030000000000000001 " QUJING_1975);
    assert_int_equal(persons_without_audit(d->s), 0);
    assert_string_equal(fx_text(d->s,
                                "SELECT status || ' ' || rows_done || ' ' || "
                                "rows_ok || ' ' || rows_bad || ' ' || kind "
                                "FROM import_job",
                                buf, sizeof buf),
                        "done 14 4 10 person");
}

static void test_person_import_fills_every_column(void **state)
{
    struct fx_db *d = open_db(state);
    struct job j;
    char buf[256];

    import_text(d, YB_IMPORT_PERSON,
                PERSON_HEADER BOY_2010 ",01,张小明,1,2010-01-01,07,"
                                       "5301000000000002,20,530112,1404,1,"
                                       "5301120003,1\r\n" WOMAN_1990
                                       ",01,王芳,2,1990-03-15,,,,530102,1501,"
                                       "1,,0\r\n",
                &j);
    expect_counts(&j, 2, 1, 1);
    expect_bad(&j, 0, 3, "school_code", "",
               "学生不能为空 (empty for a student)");
    assert_string_equal(
        fx_text(d->s,
                "SELECT printf('%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d', psn_no, "
                "certno, psn_name, gend, brdy, naty, hh_id, relation, "
                "resd_admdvs, student_kind, school_code, permit_holder) "
                "FROM person",
                buf, sizeof buf),
        "53010000000000000001," BOY_2010 ",张小明,1,2010-01-01,07,"
        "5301000000000002,20,530112,college,5301120003,1");
}

/* ---- identities -------------------------------------------------------- */

static void add_person(yb_store *s, const char *certno, const char *name)
{
    struct yb_person_rec p;
    struct yb_actor who = {.name = "clerk01", .now = "2024-05-01 09:00:00"};
    struct yb_err e;

    memset(&p, 0, sizeof p);
    p.certno = certno;
    p.psn_name = name;
    p.resd_admdvs = "530102";
    assert_int_equal(yb_person_add(s, &who, &p, &e), YB_OK);
}

static void test_identity_import_refuses_each_bad_row_by_field(void **state)
{
    struct fx_db *d = open_db(state);
    struct job j;
    char buf[128];

    add_person(d->s, MAN_1986, "张伟");
    import_text(d, YB_IMPORT_IDENTITY,
                "certno,psn_idet_type,begndate,enddate,source\r\n"
                /* 2 */ MAN_1986 ",202,2020-01-01,,民政\r\n"
                /* 3 */ WOMAN_1990 ",202,2020-01-01,,民政\r\n"
                /* 4 */ "530102198605120814,202,2020-01-01,,民政\r\n"
                /* 5 */ MAN_1986 ",2999,2020-01-01,,民政\r\n"
                /* 6 */ MAN_1986 ",202,2021-03-01,2021-12-31,民政\r\n"
                /* 7 */ MAN_1986 ",205,2021-03-01,,公安\r\n"
                /* 8 */ "53010000000000000001,205,2021-03-01,,残联\r\n"
                /* 9 */ MAN_1986 ",205,2021-03-01,2021-02-29,残联\r\n"
                /* 10 */ MAN_1986 ",205,2021-03-01,2021-02-28,残联\r\n"
                /* 11 */ MAN_1986 ",205,2021-03-01,,残联\r\n"
                /* 12 */ MAN_1986 ",2004,2021-03-01,,民政\r\n",
                &j);
    expect_counts(&j, 11, 2, 9);
    expect_bad(&j, 0, 3, "certno", WOMAN_1990,
               "没有证件号码为 " WOMAN_1990
               " 的登记人员 (no registered person with this ID number)");
    expect_bad(&j, 1, 4, "certno", "530102198605120814",
               "证件号码 \"530102198605120814\" 校验位错误，应为 3 (wrong "
               "check character)");
    expect_bad(&j, 2, 5, "psn_idet_type", "2999",
               "代码表 idet 中没有代码 \"2999\" (unknown idet code)");
    expect_bad(&j, 3, 6, "begndate", "2021-03-01",
               "人员 53010000000000000001 已有身份 202（2020-01-01 至 "
               "(open)）(already holds this identity)");
    expect_bad(&j, 4, 7, "source", "公安",
               "未知的认定部门 \"公安\"（应为 民政、乡村振兴 或 残联）(unknown "
               "source)");
    expect_bad(&j, 5, 8, "certno", "53010000000000000001",
               "证件号码 \"53010000000000000001\" 长度应为18位，实为20位 (must "
               "be 18 characters)");
    expect_bad(&j, 6, 9, "enddate", "2021-02-29",
               "日期 \"2021-02-29\" 不存在 (not a real date)");
    expect_bad(&j, 7, 10, "enddate", "2021-02-28",
               "结束早于开始 (ends before it begins)");
    /* the four-character code of old names the code to use */
    expect_bad(
        &j, 8, 12, "psn_idet_type", "2004",
        "代码表 idet 的代码 \"2004\" 已停用，请改用 \"204\"（低保边缘家庭成员）"
        "(code renamed: use 204)");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(idet || ' ' || begndate "
                                "|| ' ' || source, '|') FROM identity",
                                buf, sizeof buf),
                        "202 2020-01-01 民政|205 2021-03-01 残联");
}

/* ---- regions ----------------------------------------------------------- */

static void test_region_import_refuses_bad_codes_and_upserts_names(void **state)
{
    struct fx_db *d = open_db(state);
    struct job j;
    char buf[256];

    import_text(d, YB_IMPORT_REGION,
                "admdvs,name,level,parent,pooling,subsidy_tier\r\n"
                "530000,云南省,province,,,2\r\n"
                "530100,昆明市,city,530000,,\r\n"
                "530102,五华区,county,530100,,\r\n"
                "53010,盘龙区,county,530100,,\r\n"
                "990000,无此省,province,,,\r\n"
                "530103,,county,530100,,\r\n"
                "530111,官渡区,county,530100,,7\r\n"
                "530181,安宁市,county,530100,530000,\r\n",
                &j);
    expect_counts(&j, 8, 4, 4);
    expect_bad(&j, 0, 5, "admdvs", "53010",
               "行政区划代码无效：\"53010\" (not a region code)");
    expect_bad(&j, 1, 6, "admdvs", "990000",
               "行政区划代码无效：\"990000\" (not a region code)");
    expect_bad(&j, 2, 7, "name", "", "必填，不能为空 (required)");
    expect_bad(&j, 3, 8, "subsidy_tier", "7",
               "数值 \"7\" 不在 1 至 5 之间 (out of range)");
    assert_string_equal(
        fx_text(d->s,
                "SELECT group_concat(printf('%s %s %d %s %s %s', admdvs, "
                "name, level, parent, pooling, subsidy_tier), '|') FROM "
                "(SELECT * FROM region ORDER BY admdvs)",
                buf, sizeof buf),
        "530000 云南省 1   2|530100 昆明市 2 530000 530100 |"
        "530102 五华区 3 530100 530100 |530181 安宁市 3 530100 530000 ");
    /* The national lists: 2- and 4-digit codes widened; a later file
     * renames and keeps the tier it does not mention. */
    import_text(d, YB_IMPORT_REGION,
                "code,name,provinceCode\r\n53,云南,\r\n5301,昆明,53\r\n"
                "5399,,53\r\n",
                &j);
    expect_counts(&j, 3, 2, 1);
    expect_bad(&j, 0, 4, "name", "", "必填，不能为空 (required)");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(printf('%s %s %s', "
                                "admdvs, name, subsidy_tier), '|') FROM "
                                "(SELECT * FROM region WHERE level < 3 "
                                "ORDER BY admdvs)",
                                buf, sizeof buf),
                        "530000 云南 2|530100 昆明 ");
}

/* ---- institutions ------------------------------------------------------ */

#define INST_HEADER                                                            \
    "fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,"      \
    "begndate,enddate\r\n"

static void test_institution_import_refuses_each_bad_row_by_field(void **state)
{
    struct fx_db *d = open_db(state);
    struct job j;
    char buf[256];

    import_text(d, YB_IMPORT_INSTITUTION,
                INST_HEADER
                "H53010200001,第一人民医院,3,hospital,1,530102,2019-01-01,\r\n"
                "H5301020001,短码医院,3,hospital,1,530102,2019-01-01,\r\n"
                "H53010200002,某医院,4,hospital,1,530102,2019-01-01,\r\n"
                "H53010200003,某诊所,unrated,clinic,0,530102,2019-01-01,\r\n"
                "H53010200004,某药店,unrated,pharmacy,2,530102,2019-01-01,\r\n"
                "H53010200005,某卫生院,township,township,1,530102,2019-02-29,"
                "\r\n"
                "H53010200006,某卫生室,village,village,1,530102,2020-01-01,"
                "2019-12-31\r\n"
                "H53010200007,某医院,2,hospital,1,99010A,2020-01-01,\r\n",
                &j);
    expect_counts(&j, 8, 1, 7);
    expect_bad(&j, 0, 3, "fixmedins_code", "H5301020001",
               "机构编码应为 H 加 11 位数字，实际为 \"H5301020001\" (not H + "
               "11 digits)");
    expect_bad(&j, 1, 4, "hosp_lv", "4",
               "代码表 hosp_lv 中没有代码 \"4\" (unknown code)");
    expect_bad(&j, 2, 5, "inst_type", "clinic",
               "代码表 inst_type 中没有代码 \"clinic\" (unknown code)");
    expect_bad(&j, 3, 6, "public_flag", "2",
               "应为 0 或 1，实际为 \"2\" (not 0 or 1)");
    expect_bad(&j, 4, 7, "begndate", "2019-02-29",
               "日期 \"2019-02-29\" 不存在 (not a real date)");
    expect_bad(&j, 5, 8, "enddate", "2019-12-31",
               "日期 \"2019-12-31\" 早于开始日期 begndate (before begndate)");
    expect_bad(&j, 6, 9, "admdvs", "99010A",
               "行政区划代码无效：\"99010A\" (not a region code)");
    /* A later file with the same code renews the agreement (upsert). */
    import_text(d, YB_IMPORT_INSTITUTION,
                INST_HEADER "H53010200001,第一人民医院,3,hospital,1,530102,"
                            "2019-01-01,2026-12-31\r\n",
                &j);
    expect_counts(&j, 1, 1, 0);
    assert_string_equal(fx_text(d->s,
                                "SELECT printf('%d %s %s %s %d %s %s', "
                                "count(*), fixmedins_code, hosp_lv, type, "
                                "public, agreement_from, agreement_to) FROM "
                                "institution",
                                buf, sizeof buf),
                        "1 H53010200001 3 hospital 1 2019-01-01 2026-12-31");
}

/* ---- catalogue --------------------------------------------------------- */

#define CAT_HEADER                                                             \
    "med_list_codg,med_list_name,list_type,chrgitm_lv,selfpay_prop,"           \
    "pric_uplmt_amt,begndate,enddate,lmt_gend,lmt_age_min,lmt_age_max\r\n"
#define BED "110900001000004"

static void
test_catalogue_import_refuses_overlapping_versions_and_bad_fields(void **state)
{
    struct fx_db *d = open_db(state);
    struct job j;
    char buf[512];

    import_text(
        d, YB_IMPORT_CATALOGUE,
        CAT_HEADER
            /* 2 */ BED
        ",床位费,201,01,,42.5,2020-01-01,2024-06-30,,,\r\n"
        /* 3 */ BED ",床位费,201,01,,45,2024-07-01,,,,\r\n"
        /* 4 */ BED ",床位费,201,01,,44,2024-06-30,2024-06-30,,,\r\n"
        /* 5 */ BED ",床位费,201,01,,46,2024-07-01,,,,\r\n"
        /* 6 */ BED ",床位费,201,01,,41,2019-01-01,2020-01-01,,,\r\n"
        /* 7 */ "XC08CAW034A003010200012,硝苯地平,105,02,,,2020-01-01,,,,\r\n"
        /* 8 */ "XC08CAW034A003010200012,硝苯地平,101,04,,,2020-01-01,,,,\r\n"
        /* 9 */ "XC08CAW034A003010200012,硝苯地平,101,02,1.5,,2020-01-01,,,,"
        "\r\n"
        /* 10 */ "XC08CAW034A003010200012,硝苯地平,101,02,0.1,,2023-02-29,,,,"
        "\r\n"
        /* 11 */ "XC08CAW034A003010200012,硝苯地平,101,02,0.1,,2020-01-01,"
        "2019-12-31,,,\r\n"
        /* 12 */ "XG04CAW051A003010100003,坦索罗辛,101,01,,,2020-01-01,,3,,"
        "\r\n"
        /* 13 */ "XG04CAW051A003010100003,坦索罗辛,101,01,,,2020-01-01,,1,60,"
        "18\r\n"
        /* 14 */ "XG04CAW051A003010100003XXXXXXXX,坦索罗辛,101,01,,,"
        "2020-01-01,,,,\r\n"
        /* 15 */ "XG04CAW051A003010100003,坦索罗辛,101,01,,,2020-01-01,,1,18,"
        "\r\n",
        &j);
    expect_counts(&j, 14, 3, 11);
    expect_bad(&j, 0, 4, "begndate", "2024-06-30",
               "日期 \"2024-06-30\" 与 " BED
               " 自 2020-01-01 起的版本有效期重叠 (overlaps another version)");
    expect_bad(&j, 1, 5, "begndate", "2024-07-01",
               "日期 \"2024-07-01\" 与 " BED
               " 自 2024-07-01 起的版本有效期重叠 (overlaps another version)");
    expect_bad(&j, 2, 6, "begndate", "2019-01-01",
               "日期 \"2019-01-01\" 与 " BED
               " 自 2020-01-01 起的版本有效期重叠 (overlaps another version)");
    expect_bad(&j, 3, 7, "list_type", "105",
               "代码表 list_type 中没有代码 \"105\" (unknown code)");
    expect_bad(&j, 4, 8, "chrgitm_lv", "04",
               "代码表 chrgitm_lv 中没有代码 \"04\" (unknown code)");
    expect_bad(&j, 5, 9, "selfpay_prop", "1.5",
               "比例 150% 超过 100% (above 100%)");
    expect_bad(&j, 6, 10, "begndate", "2023-02-29",
               "日期 \"2023-02-29\" 不存在 (not a real date)");
    expect_bad(&j, 7, 11, "enddate", "2019-12-31",
               "日期 \"2019-12-31\" 早于开始日期 begndate (before begndate)");
    expect_bad(&j, 8, 12, "lmt_gend", "3",
               "应为 1 或 2，实际为 \"3\" (not 1 or 2)");
    expect_bad(&j, 9, 13, "lmt_age_max", "18",
               "18 小于 lmt_age_min 60 (below lmt_age_min)");
    expect_bad(&j, 10, 14, "med_list_codg", "XG04CAW051A003010100003XXXXXXXX",
               "编码 \"XG04CAW051A003010100003XXXXXXXX\" 超过 30 个字符 "
               "(longer than 30)");
    assert_string_equal(
        fx_text(d->s,
                "SELECT group_concat(printf('%s %s %s %d %s %s', "
                "med_list_codg, valid_from, valid_to, price_ceiling, "
                "lmt_gend, lmt_age_min), '|') FROM (SELECT * FROM "
                "catalogue_item ORDER BY id)",
                buf, sizeof buf),
        BED " 2020-01-01 2024-06-30 42500000  |" BED " 2024-07-01  45000000  |"
            "XG04CAW051A003010100003 2020-01-01  0 1 18");
}

/* ---- schools and households -------------------------------------------- */

static void test_school_import_names_a_duplicate_code(void **state)
{
    struct fx_db *d = open_db(state);
    struct job j;

    import_text(d, YB_IMPORT_SCHOOL,
                "school_code,school_name,school_type,admdvs\r\n"
                "5301020001,五华区第1小学,primary,530102\r\n"
                "5301020001,五华区第1中学,secondary,530102\r\n"
                "530102002,五华区第2小学,primary,530102\r\n"
                "5301020003,五华区幼儿园,kindergarten,530102\r\n"
                "5301020004,,primary,530102\r\n"
                "5301020005,某校,college,5301\r\n",
                &j);
    expect_counts(&j, 6, 1, 5);
    expect_bad(&j, 0, 3, "school_code", "5301020001",
               "编码 \"5301020001\" 已导入 (imported already)");
    expect_bad(
        &j, 1, 4, "school_code", "530102002",
        "数字位数不对：\"530102002\" 应为 10 位数字 (wrong number of digits)");
    expect_bad(&j, 2, 5, "school_type", "kindergarten",
               "代码表 school_type 中没有代码 \"kindergarten\" (unknown code)");
    expect_bad(&j, 3, 6, "school_name", "", "必填，不能为空 (required)");
    expect_bad(&j, 4, 7, "admdvs", "5301",
               "行政区划代码无效：\"5301\" (not a region code)");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM school"), 1);
}

static void test_household_import_names_a_duplicate_id(void **state)
{
    struct fx_db *d = open_db(state);
    struct job j;
    char buf[128];

    import_text(d, YB_IMPORT_HOUSEHOLD,
                "household_id,head_certno,members,admdvs,addr,area_type\r\n"
                "5301000000000002," MAN_1986 ",2,530102,某街道1号,urban\r\n"
                "5301000000000002," WOMAN_1990 ",1,530102,某街道2号,urban\r\n"
                "530100000000003," WOMAN_1990 ",1,530102,,\r\n"
                "5301000000000004,530102199003150025,1,530102,,\r\n"
                "5301000000000005,,1,530102,,\r\n",
                &j);
    expect_counts(&j, 5, 2, 3);
    expect_bad(&j, 0, 3, "household_id", "5301000000000002",
               "编码 \"5301000000000002\" 已导入 (imported already)");
    expect_bad(&j, 1, 4, "household_id", "530100000000003",
               "数字位数不对：\"530100000000003\" 应为 16 位数字 (wrong number "
               "of digits)");
    expect_bad(&j, 2, 5, "head_certno", "530102199003150025",
               "证件号码 \"530102199003150025\" 校验位错误，应为 4 (wrong "
               "check character)");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(printf('%s %s', hh_id, "
                                "head_certno), '|') FROM household",
                                buf, sizeof buf),
                        "5301000000000002 " MAN_1986 "|5301000000000005 ");
}

/* ---- whole-job refusals ------------------------------------------------ */

static void
test_a_missing_required_column_refuses_the_whole_job_of_every_kind(void **state)
{
    struct fx_db *d = open_db(state);
    static const struct {
        enum yb_import_kind kind;
        const char *text, *column, *table;
    } cases[] = {
        {YB_IMPORT_REGION, "admdvs,level\r\n530000,province\r\n", "name",
         "region"},
        {YB_IMPORT_REGION, "name,level\r\n云南省,province\r\n", "admdvs",
         "region"},
        {YB_IMPORT_INSTITUTION,
         "fixmedins_code,fixmedins_name,admdvs\r\nH53010200001,医院,530102\r\n",
         "hosp_lv", "institution"},
        {YB_IMPORT_CATALOGUE,
         "med_list_codg,med_list_name,list_type,chrgitm_lv\r\n" BED
         ",床位费,201,01\r\n",
         "begndate", "catalogue_item"},
        {YB_IMPORT_PERSON, "certno,psn_name\r\n" MAN_1986 ",张伟\r\n", "gend",
         "person"},
        /* every other column of persons.csv, but not gend */
        {YB_IMPORT_PERSON,
         "certno,psn_cert_type,psn_name,brdy,naty,household_id,relation,"
         "admdvs,psn_type,student_flag,school_code,residence_"
         "permit\r\n" MAN_1986 ",01,张伟,1986-05-12,01,,,530102,1501,0,,0\r\n",
         "gend", "person"},
        {YB_IMPORT_IDENTITY, "certno,begndate\r\n" MAN_1986 ",2020-01-01\r\n",
         "psn_idet_type", "identity"},
        {YB_IMPORT_SCHOOL, "school_code,admdvs\r\n5301020001,530102\r\n",
         "school_name", "school"},
        {YB_IMPORT_HOUSEHOLD, "head_certno,admdvs\r\n" MAN_1986 ",530102\r\n",
         "household_id", "household"},
    };
    char sql[96], msg[160];
    struct job j;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        import_text(d, cases[i].kind, cases[i].text, &j);
        assert_int_equal(j.rc, YB_EINVAL);
        assert_string_equal(j.e.field, cases[i].column);
        if (strcmp(cases[i].column, "admdvs") == 0 &&
            cases[i].kind == YB_IMPORT_REGION)
            snprintf(msg, sizeof msg, "%s",
                     "第 1 行：缺少列 admdvs（或 code）(missing column "
                     "admdvs or code)");
        else
            snprintf(msg, sizeof msg,
                     "第 1 行：缺少必需的列 %s (missing column %s)",
                     cases[i].column, cases[i].column);
        assert_string_equal(j.e.msg, msg);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", cases[i].table);
        assert_int_equal(fx_int(d->s, sql), 0);
    }
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM import_job"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit"), 0);
}

static void test_an_empty_file_refuses_the_job(void **state)
{
    struct fx_db *d = open_db(state);
    char path[128];
    struct job j;

    import_text(d, YB_IMPORT_PERSON, "", &j);
    assert_int_equal(j.rc, YB_EINVAL);
    assert_string_equal(j.e.field, csv_path(d, path, sizeof path));
    assert_string_equal(
        j.e.msg, "第 1 行：没有表头（文件为空）(no header: the file is empty)");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM import_job"), 0);
    /* A header alone is a job of no rows. */
    import_text(d, YB_IMPORT_PERSON, PERSON_HEADER, &j);
    expect_counts(&j, 0, 0, 0);
}

/* A row the CSV reader cannot take is refused on its own, and the rows
 * after it import: a stray quote, a quote never closed (the lines it
 * swallowed are read again), a wrong number of fields, a field that is not
 * UTF-8. */
static void
test_a_malformed_row_is_refused_and_the_rows_after_it_import(void **state)
{
    struct fx_db *d = open_db(state);
    char text[2048], row[256];
    struct job j;

    snprintf(text, sizeof text, "%s%s%s%s%s%s%s", PERSON_HEADER,
             prow(row, sizeof row, MAN_1986, "张伟", "1", "1986-05-12",
                  "530102", ""),
             "530102199003150024,01,\"王\"芳,2,,,,,530102,,0,,0\r\n",
             "530102199003150024,01,\"王芳,2,,,,,530102,,0,,0\r\n",
             "530102200002290047,01,陈静,2,2000-02-29,01,,,530102,\r\n",
             "530302197511110012,01,李\xC0\xAF,1,1975-11-11,01,,,530302,1501,"
             "0,,0\r\n",
             "530102199003150024,01,王芳,2,1990-03-15,01,,,530102,1501,0,,0"
             "\r\n");
    import_text(d, YB_IMPORT_PERSON, text, &j);
    expect_counts(&j, 6, 2, 4);
    expect_bad(&j, 0, 3, "", "",
               "第 3 行引号不成对或引号后有多余字符 (malformed quoting: error "
               "parsing data while strict checking enabled)");
    expect_bad(&j, 1, 4, "", "",
               "第 4 行起的引号字段没有结束 (unterminated quoted field)");
    expect_bad(&j, 2, 5, "", "",
               "第 5 行有 10 个字段，表头有 13 个 (10 fields, the header has "
               "13)");
    expect_bad(&j, 3, 6, "psn_name", "",
               "第 6 行第 3 列不是合法的 UTF-8 文本：第 4 字节起为超长编码 "
               "(invalid UTF-8 at byte 4: overlong encoding)");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM person"), 2);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM person WHERE certno "
                                  "= '530102199003150024'"),
                     1);
}

/* A file saved by Excel on Chinese Windows is in GBK: read with
 * --encoding gbk; a row with a byte that is not GBK is refused. */
static void test_a_gbk_file_imports_with_its_encoding(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_import_opts o = {.encoding = "gbk"};
    char buf[128];
    struct job j;

    /* 张伟 and 王芳 in GBK; 0x81 before a comma is no GBK character */
    write_csv(d, "certno,psn_name,gend,brdy,admdvs\r\n" MAN_1986
                 ",\xD5\xC5\xCE\xB0,1,1986-05-12,530102\r\n" WOMAN_1990
                 ",\x81,2,1990-03-15,530102\r\n" LEAP_2000
                 ",\xCD\xF5\xB7\xBC,2,2000-02-29,530102\r\n");
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    expect_counts(&j, 3, 2, 1);
    expect_bad(&j, 0, 3, "", "",
               "第 3 行第 20 字节起不是合法的 GBK 编码 (not valid GBK)");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(psn_name, '|') FROM "
                                "(SELECT * FROM person ORDER BY psn_no)",
                                buf, sizeof buf),
                        "张伟|王芳");
}

static void test_an_unknown_kind_is_refused(void **state)
{
    struct fx_db *d = open_db(state);
    struct yb_import_opts o = {0};
    struct job j;
    char msg[64];

    write_csv(d, PERSON_HEADER);
    run_opts(d->s, d, YB_IMPORT__COUNT, &o, &j);
    assert_int_equal(j.rc, YB_EINVAL);
    snprintf(msg, sizeof msg, "未知的导入类型 %d (unknown import kind)",
             (int)YB_IMPORT__COUNT);
    assert_string_equal(j.e.msg, msg);
    assert_null(yb_import_kind_name(YB_IMPORT__COUNT));
    assert_string_equal(yb_import_kind_name(YB_IMPORT_HOUSEHOLD), "household");
}

/* ---- batches, kills and resuming --------------------------------------- */

/* A persons file of n rows: men born 1980-01-01 + i days (i < 28, then
 * February...), with a wrong check character on the rows in bad_check
 * and a contradicting gender on the rows in bad_gend (0-based rows). */
static void persons_file(char *text, size_t size, int n, int bad_check,
                         int bad_gend)
{
    char first17[18], certno[19], brdy[11], name[16], row[256];

    snprintf(text, size, "%s", PERSON_HEADER);
    for (int i = 0; i < n; i++) {
        snprintf(brdy, sizeof brdy, "1980-%02d-%02d", 1 + i / 28, 1 + i % 28);
        snprintf(first17, sizeof first17, "530102%.4s%.2s%.2s001", brdy,
                 brdy + 5, brdy + 8);
        snprintf(certno, sizeof certno, "%s%c", first17,
                 yb_idcard_check_char(first17));
        if (i == bad_check)
            certno[17] = certno[17] == '0' ? '1' : '0';
        snprintf(name, sizeof name, "测试%02d", i);
        strcat(text, prow(row, sizeof row, certno, name,
                          i == bad_gend ? "2" : "1", brdy, "530102", "1501"));
    }
}

struct seen {
    yb_store *s;
    int n;
    long rows[32], ok[32], bad[32], skipped[32], done[32];
    long exit_at; /* > 0: _exit(0) in the callback once rows reach this */
};

static void on_progress(const struct yb_import_progress *p, void *ud)
{
    struct seen *v = ud;

    if (v->exit_at > 0 && p->rows >= v->exit_at)
        _exit(0); /* killed: no rollback, no close */
    if (v->n < 32) {
        v->rows[v->n] = p->rows;
        v->ok[v->n] = p->ok;
        v->bad[v->n] = p->bad;
        v->skipped[v->n] = p->skipped;
        v->done[v->n] = (long)fx_int(v->s, "SELECT max(rows_done) FROM "
                                           "import_job");
    }
    v->n++;
}

static void test_import_commits_every_row_with_a_batch_of_one(void **state)
{
    struct fx_db *d = open_db(state);
    char text[8192];
    struct seen v = {.s = d->s};
    struct yb_import_opts o = {
        .batch = 1, .progress = on_progress, .progress_ud = &v};
    struct job j;

    persons_file(text, sizeof text, 5, 2, -1);
    write_csv(d, text);
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    expect_counts(&j, 5, 4, 1);
    expect_bad(&j, 0, 4, "certno", "530102198001030010",
               "证件号码 \"530102198001030010\" 校验位错误，应为 6 (wrong "
               "check character)");
    assert_int_equal(v.n, 6);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(v.rows[i], i + 1);
        assert_int_equal(v.done[i], i + 1); /* committed with the row */
        assert_int_equal(v.bad[i], i >= 2 ? 1 : 0);
        assert_int_equal(v.ok[i], i + 1 - v.bad[i]);
    }
    assert_int_equal(v.rows[5], 5);
    assert_int_equal(v.ok[5], 4);
    assert_int_equal(v.done[5], 5);
}

static void
test_import_commits_at_7_and_14_of_20_rows_with_a_batch_of_7(void **state)
{
    struct fx_db *d = open_db(state);
    char text[8192], buf[64];
    struct seen v = {.s = d->s};
    struct yb_import_opts o = {
        .batch = 7, .progress = on_progress, .progress_ud = &v};
    struct job j;

    persons_file(text, sizeof text, 20, 4, 17);
    write_csv(d, text);
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    expect_counts(&j, 20, 18, 2);
    expect_bad(&j, 1, 19, "gend", "2",
               "2 与证件号码不符（1）(contradicts the ID number)");
    assert_int_equal(v.n, 3);
    assert_int_equal(v.rows[0], 7);
    assert_int_equal(v.done[0], 7);
    assert_int_equal(v.ok[0], 6);
    assert_int_equal(v.rows[1], 14);
    assert_int_equal(v.done[1], 14);
    assert_int_equal(v.ok[1], 13);
    assert_int_equal(v.rows[2], 20);
    assert_int_equal(v.done[2], 20);
    assert_int_equal(v.bad[2], 2);
    assert_string_equal(fx_text(d->s,
                                "SELECT status || ' ' || rows_done || ' ' || "
                                "rows_ok || ' ' || rows_bad FROM import_job",
                                buf, sizeof buf),
                        "done 20 18 2");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM person"), 18);
}

/* Run the import of in.csv in a child that dies (_exit) in the progress
 * callback once exit_at rows are committed. The child opens its own
 * connection: a connection must not cross fork(). */
static void import_killed_at(struct fx_db *d, int batch, long exit_at)
{
    pid_t pid = fork();
    int status = -1;

    assert_true(pid >= 0);
    if (pid == 0) {
        yb_store *s = NULL;
        struct yb_err e;
        struct seen v = {.exit_at = exit_at};
        struct yb_import_opts o = {
            .batch = batch, .progress = on_progress, .progress_ud = &v};
        struct job j;

        if (yb_store_open(d->path, YB_STORE_CREATE, &s, &e) != YB_OK)
            _exit(2);
        v.s = s;
        run_opts(s, d, YB_IMPORT_PERSON, &o, &j);
        _exit(3); /* the import finished: it should have died first */
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_resume_continues_after_the_committed_rows_to_an_uninterrupted_result(
    void **state)
{
    struct fx_db *d = *state;
    char text[8192], path[128], buf[64], again[2048], whole[2048];
    struct yb_import_opts o = {.batch = 7};
    struct yb_err e;
    struct job j;
    yb_store *b = NULL;

    persons_file(text, sizeof text, 20, 4, 17);
    write_csv(d, text);
    import_killed_at(d, 7, 14);
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_string_equal(fx_text(d->s,
                                "SELECT printf('%d %s %d %d %d', id, status, "
                                "rows_done, rows_ok, rows_bad) FROM "
                                "import_job",
                                buf, sizeof buf),
                        "1 running 14 13 1");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM person"), 13);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM import_error"), 1);
    assert_int_equal(persons_without_audit(d->s), 0);

    /* Without --resume: refused, naming the job; nothing changes. */
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    assert_int_equal(j.rc, YB_EINVAL);
    assert_string_equal(j.e.field, csv_path(d, path, sizeof path));
    assert_string_equal(j.e.msg, "此文件的导入任务 1 在第 14 行后中断：请加 "
                                 "--resume 重新运行 (run again with --resume)");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM import_job"), 1);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM person"), 13);

    o.resume = true;
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    expect_counts(&j, 20, 18, 2);
    assert_int_equal(j.r.job_id, 1);
    assert_int_equal(j.r.skipped, 14);
    expect_bad(&j, 0, 6, "certno", "530102198001050010",
               "证件号码 \"530102198001050010\" 校验位错误，应为 7 (wrong "
               "check character)");
    expect_bad(&j, 1, 19, "gend", "2",
               "2 与证件号码不符（1）(contradicts the ID number)");
    assert_string_equal(fx_text(d->s,
                                "SELECT printf('%d %s %d %d %d', count(*), "
                                "status, rows_done, rows_ok, rows_bad) FROM "
                                "import_job",
                                buf, sizeof buf),
                        "1 done 20 18 2");
    assert_int_equal(persons_without_audit(d->s), 0);

    /* The same persons under the same numbers as one uninterrupted run. */
    snprintf(path, sizeof path, "%s/b.sqlite", d->dir);
    assert_int_equal(yb_store_open(path, YB_STORE_CREATE, &b, &e), YB_OK);
    o.resume = false;
    run_opts(b, d, YB_IMPORT_PERSON, &o, &j);
    expect_counts(&j, 20, 18, 2);
    static const char sql[] = "SELECT group_concat(psn_no || certno || "
                              "psn_name, '|') FROM (SELECT * FROM person "
                              "ORDER BY psn_no)";
    fx_text(b, sql, whole, sizeof whole);
    yb_store_close(b);
    assert_string_equal(fx_text(d->s, sql, again, sizeof again), whole);
    assert_int_equal(strlen(whole), 18 * (20 + 18 + 8) + 17);
}

static void test_resume_of_a_changed_file_starts_a_new_job(void **state)
{
    struct fx_db *d = *state;
    char text[8192], buf[64];
    struct yb_import_opts o = {.batch = 7, .resume = true};
    struct yb_err e;
    struct job j;

    persons_file(text, sizeof text, 20, -1, -1);
    write_csv(d, text);
    import_killed_at(d, 7, 7);
    /* The file changes after the kill: its last row is dropped. */
    persons_file(text, sizeof text, 19, -1, -1);
    write_csv(d, text);
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    /* A new job from the first row: the 7 persons of the stopped job are
     * duplicates now. */
    expect_counts(&j, 19, 12, 7);
    assert_int_equal(j.r.job_id, 2);
    assert_int_equal(j.r.skipped, 0);
    expect_bad(&j, 0, 2, "certno", "530102198001010015",
               "证件号码 530102198001010015 已登记为 53010000000000000001 "
               "(registered already)");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(printf('%d %s %d', id, "
                                "status, rows_done), '|') FROM import_job",
                                buf, sizeof buf),
                        "1 running 7|2 done 19");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM person"), 19);
}

/* A run killed after its last commit leaves a finished job: --resume has
 * nothing left to do (regression: it ran the file as a new job, every row
 * a duplicate). */
static void test_resume_of_a_finished_job_has_nothing_left_to_do(void **state)
{
    struct fx_db *d = open_db(state);
    char text[8192], buf[64];
    struct yb_import_opts o = {.batch = 7};
    struct job j;

    persons_file(text, sizeof text, 20, 4, -1);
    write_csv(d, text);
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    expect_counts(&j, 20, 19, 1);
    o.resume = true;
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    expect_counts(&j, 20, 19, 1);
    assert_int_equal(j.r.job_id, 1);
    assert_int_equal(j.r.skipped, 20);
    assert_string_equal(fx_text(d->s,
                                "SELECT printf('%d %s %d %d %d', count(*), "
                                "status, rows_done, rows_ok, rows_bad) FROM "
                                "import_job",
                                buf, sizeof buf),
                        "1 done 20 19 1");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM person"), 19);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM import_error"), 1);
}

static void test_import_keeps_only_as_many_bad_rows_as_asked(void **state)
{
    struct fx_db *d = open_db(state);
    char text[4096], row[256];
    struct yb_import_opts o = {.max_errors_kept = 2};
    struct yb_err e;
    struct job j;

    snprintf(text, sizeof text, "%s", PERSON_HEADER);
    for (int i = 0; i < 4; i++)
        strcat(text,
               prow(row, sizeof row, MAN_1986, "", "", "", "530102", "1501"));
    write_csv(d, text);
    run_opts(d->s, d, YB_IMPORT_PERSON, &o, &j);
    assert_int_equal(j.r.bad, 4);
    assert_int_equal(j.n_bad, 2);
    expect_bad(&j, 1, 3, "psn_name", "", "必填，不能为空 (required)");
    assert_int_equal(fx_int(d->s, "SELECT rows_bad FROM import_job"), 4);
    /* Listing with a limit stops there. */
    memset(&j, 0, sizeof j);
    assert_int_equal(yb_import_errors(d->s, 1, 1, on_error, &j, &e), YB_OK);
    assert_int_equal(j.n_bad, 1);
    assert_int_equal(j.bad[0].line, 2);
}

/* ---- a row refused after it wrote ---------------------------------------- */

/* Every fund's journal balances: debits equal credits. */
static void expect_journal_balanced(yb_store *s)
{
    assert_int_equal(fx_int(s, "SELECT sum(debit) - sum(credit) FROM journal"),
                     0);
}

static struct yb_policy *demo_policy(void)
{
    static char buf[1 << 17];
    struct yb_policy *p = NULL;
    struct yb_err e;
    FILE *f = fopen("policies/demo-region-2018.json", "rb");

    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (yb_policy_parse(buf, n, &p, &e) != YB_OK)
        fail_msg("policy: %s: %s", e.field, e.msg);
    return p;
}

#define PAY_HEADER "certno,year,tier,amount,paid_at,channel,receipt_no\r\n"
#define PAY_ROW(certno, receipt)                                               \
    certno ",2018,1,220.00,2017-10-09 10:00:00,wechat," receipt "\r\n"

/* 张伟, 王芳 and 陈静 of 530102: psn_no ...01, ...02 and ...03. */
static void three_persons(struct fx_db *d)
{
    char text[2048], row[256];
    struct job j;

    snprintf(text, sizeof text, "%s", PERSON_HEADER);
    strcat(text, prow(row, sizeof row, MAN_1986, "张伟", "1", "1986-05-12",
                      "530102", ""));
    strcat(text, prow(row, sizeof row, WOMAN_1990, "王芳", "2", "1990-03-15",
                      "530102", ""));
    strcat(text, prow(row, sizeof row, LEAP_2000, "陈静", "2", "2000-02-29",
                      "530102", ""));
    import_text(d, YB_IMPORT_PERSON, text, &j);
    expect_counts(&j, 3, 3, 0);
}

/* Rows run without a savepoint, and a refused row has almost always
 * written nothing. One that had written (a payment whose enrolment is
 * refused: the test's trigger stands for any failure after the first
 * write) rolls its batch back, and the batch is read again with a
 * savepoint around each row: the refused row leaves nothing, the others
 * are kept, and the next batch runs without savepoints again. */
static void test_a_row_refused_after_it_wrote_runs_its_batch_again(void **state)
{
    struct fx_db *d = open_db(state);
    char buf[128];
    struct yb_import_opts o = {.batch = 2};
    struct yb_err e;
    struct job j;

    three_persons(d);
    assert_int_equal(
        yb_store_exec(d->s,
                      "CREATE TRIGGER no_enrolment BEFORE INSERT ON enrolment "
                      "WHEN NEW.psn_no = '53010000000000000002' "
                      "BEGIN SELECT RAISE(ABORT, '测试拒绝参保'); END",
                      &e),
        YB_OK);
    int64_t events = fx_int(d->s, "SELECT count(*) FROM event");
    write_csv(d, PAY_HEADER PAY_ROW(MAN_1986, "R1") PAY_ROW(WOMAN_1990, "R2")
                     PAY_ROW(LEAP_2000, "R3") PAY_ROW(MAN_1986, "R4"));
    struct yb_policy *p = demo_policy();
    o.policy = p;
    run_opts(d->s, d, YB_IMPORT_PAYMENT, &o, &j);
    expect_counts(&j, 4, 2, 2);
    assert_int_equal(j.r.replayed, 1);
    expect_bad(&j, 0, 3, "store", "", "违反数据约束 (测试拒绝参保)");
    expect_bad(&j, 1, 5, "certno", "530102********0813",
               "人员 53010000000000000001 已缴纳 2018 年度的个人部分 (has paid "
               "the own part already)");
    /* The refused payment left no contribution, enrolment or entry. */
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(receipt || ' ' || psn_no, "
                                "'|') FROM (SELECT * FROM contribution "
                                "ORDER BY receipt)",
                                buf, sizeof buf),
                        "R1 53010000000000000001|R3 53010000000000000003");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(psn_no || ' ' || status, "
                                "'|') FROM (SELECT * FROM enrolment "
                                "ORDER BY psn_no)",
                                buf, sizeof buf),
                        "53010000000000000001 covered|"
                        "53010000000000000003 covered");
    expect_journal_balanced(d->s);
    assert_int_equal(fx_int(d->s, "SELECT sum(debit) FROM journal WHERE "
                                  "fund = '390100' AND account = '1003'"),
                     44000);
    /* One event per batch with its closing audit row (the third batch,
     * opened after the fourth row, is empty); the first reading of batch
     * 1, rolled back, left none. */
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event") - events, 3);
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(ref || ': ' || detail, "
                                "'|') FROM (SELECT v.ref, a.detail FROM audit "
                                "a JOIN event v ON v.id = a.event_id WHERE "
                                "v.kind = 'payment.import' AND a.action = "
                                "'import.batch' ORDER BY a.id)",
                                buf, sizeof buf),
                        "job 2 batch 1: 1 ok, 1 bad|job 2 batch 2: 1 ok, 1 bad|"
                        "job 2 batch 3: 0 ok, 0 bad");
    assert_string_equal(fx_text(d->s,
                                "SELECT status || ' ' || rows_done || ' ' || "
                                "rows_ok || ' ' || rows_bad FROM import_job "
                                "WHERE kind = 'payment'",
                                buf, sizeof buf),
                        "done 4 2 2");
    yb_policy_free(p);
}

/* A payment's reads (its person, the year's enrolment and amounts, the
 * identities) are done ahead by a second thread on a connection of its
 * own, in a snapshot of the database as the batch's transaction began. A
 * row whose person the batch has written since reads again for itself:
 * the person's second payment in the batch sees the first and is refused
 * as paid twice, without a batch run again. The serial path (no second
 * thread) gives the same rows, with nothing read ahead. */
static void pay_twice_in_one_batch(void **state, bool serial)
{
    struct fx_db *d = open_db(state);
    char buf[160];
    struct yb_import_opts o = {.serial = serial};
    struct job j;

    three_persons(d);
    write_csv(d, PAY_HEADER PAY_ROW(MAN_1986, "R1") PAY_ROW(WOMAN_1990, "R2")
                     PAY_ROW(MAN_1986, "R3") PAY_ROW(LEAP_2000, "R4"));
    struct yb_policy *p = demo_policy();
    o.policy = p;
    run_opts(d->s, d, YB_IMPORT_PAYMENT, &o, &j);
    expect_counts(&j, 4, 3, 1);
    assert_int_equal(j.r.replayed, 0);
    /* R3's read ahead was taken before R1 was written: not used */
    assert_int_equal(j.r.read_ahead, serial ? 0 : 3);
    expect_bad(&j, 0, 4, "certno", "530102********0813",
               "人员 53010000000000000001 已缴纳 2018 年度的个人部分 (has paid "
               "the own part already)");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(receipt || ' ' || psn_no "
                                "|| ' ' || personal, '|') FROM (SELECT * FROM "
                                "contribution ORDER BY receipt)",
                                buf, sizeof buf),
                        "R1 53010000000000000001 22000|"
                        "R2 53010000000000000002 22000|"
                        "R4 53010000000000000003 22000");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM enrolment WHERE "
                                  "status = 'covered'"),
                     3);
    expect_journal_balanced(d->s);
    yb_policy_free(p);
}

static void test_payments_read_ahead_see_the_rows_before_them(void **state)
{
    pay_twice_in_one_batch(state, false);
}

static void test_payments_read_serially_give_the_same_rows(void **state)
{
    pay_twice_in_one_batch(state, true);
}

/* The i-th of many men of 530102: born on the first 336 days of 1980,
 * the 3-digit order number telling apart those born on one day. */
static const char *nth_man(int i, char brdy[11], char certno[19])
{
    char first17[18];
    unsigned n = (unsigned)i, month = 1 + n % 336 / 28, day = 1 + n % 28,
             order = (1 + 2 * (n / 336)) % 1000;

    snprintf(brdy, 11, "1980-%02u-%02u", month, day);
    snprintf(first17, sizeof first17, "5301021980%02u%02u%03u", month, day,
             order);
    snprintf(certno, 19, "%s%c", first17, yb_idcard_check_char(first17));
    return certno;
}

/* The first n of them as a persons file. */
static char *many_persons(int n)
{
    size_t size = 200 + (size_t)n * 128;
    char *text = malloc(size), certno[19], brdy[11], row[256];
    size_t len = (size_t)snprintf(text, size, "%s", PERSON_HEADER);

    assert_non_null(text);
    for (int i = 0; i < n; i++) {
        nth_man(i, brdy, certno);
        len += (size_t)snprintf(
            text + len, size - len, "%s",
            prow(row, sizeof row, certno, "测试", "1", brdy, "530102", ""));
    }
    return text;
}

/* 2,600 payments of 600 persons, each paying in turn and refused from
 * the second time on, in batches of 700: more rows than the read-ahead
 * ring holds, so the reader waits for room again and again while the
 * writer commits under it; a person's next row falls in the same batch or
 * a later one. Both ways the job keeps exactly the first payment of each
 * person and refuses every other as paid already. */
static void pay_in_turn(void **state, bool serial)
{
    enum { PERSONS = 600, ROWS = 2600 };
    struct fx_db *d = open_db(state);
    struct yb_import_opts o = {.batch = 700, .serial = serial};
    char *text = many_persons(PERSONS);
    struct job j;

    import_text(d, YB_IMPORT_PERSON, text, &j);
    expect_counts(&j, PERSONS, PERSONS, 0);
    size_t size = 100 + (size_t)ROWS * 128, len = 0;
    char *pay = malloc(size);
    assert_non_null(pay);
    len += (size_t)snprintf(pay, size, "%s", PAY_HEADER);
    for (int i = 0; i < ROWS; i++) {
        char brdy[11], id[19];
        len += (size_t)snprintf(pay + len, size - len,
                                "%s,2018,1,220.00,2017-10-09 10:00:00,"
                                "wechat,R%04d\r\n",
                                nth_man(i % PERSONS, brdy, id), i);
    }
    write_csv(d, pay);
    struct yb_policy *p = demo_policy();
    o.policy = p;
    run_opts(d->s, d, YB_IMPORT_PAYMENT, &o, &j);
    assert_int_equal(j.rc, YB_OK);
    assert_int_equal(j.r.rows, ROWS);
    assert_int_equal(j.r.ok, PERSONS);
    assert_int_equal(j.r.bad, ROWS - PERSONS);
    assert_int_equal(j.r.replayed, 0);
    if (serial)
        assert_int_equal(j.r.read_ahead, 0);
    else
        assert_true(j.r.read_ahead > 0 && j.r.read_ahead <= ROWS);
    expect_bad(&j, 0, 2 + PERSONS, "certno", "530102198001010015",
               "人员 53010000000000000001 已缴纳 2018 年度的个人部分 (has paid "
               "the own part already)");
    /* the first 600 receipts were kept, one per person */
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM contribution WHERE "
                                  "receipt < 'R0600' AND personal = 22000"),
                     PERSONS);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM contribution"),
                     PERSONS);
    assert_int_equal(fx_int(d->s, "SELECT count(DISTINCT psn_no) FROM "
                                  "contribution"),
                     PERSONS);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM enrolment WHERE "
                                  "status = 'covered'"),
                     PERSONS);
    assert_int_equal(fx_int(d->s, "SELECT sum(debit) FROM journal WHERE "
                                  "fund = '390100' AND account = '1003'"),
                     PERSONS * 22000);
    expect_journal_balanced(d->s);
    yb_policy_free(p);
    free(pay);
    free(text);
}

static void test_payments_read_ahead_through_a_full_ring(void **state)
{
    pay_in_turn(state, false);
}

static void test_payments_in_turn_read_serially(void **state)
{
    pay_in_turn(state, true);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_person_import_keeps_good_rows_and_lists_bad_ones_by_line),
        T(test_payments_read_ahead_see_the_rows_before_them),
        T(test_payments_read_serially_give_the_same_rows),
        T(test_payments_read_ahead_through_a_full_ring),
        T(test_payments_in_turn_read_serially),
        T(test_person_import_fills_every_column),
        T(test_identity_import_refuses_each_bad_row_by_field),
        T(test_region_import_refuses_bad_codes_and_upserts_names),
        T(test_institution_import_refuses_each_bad_row_by_field),
        T(test_catalogue_import_refuses_overlapping_versions_and_bad_fields),
        T(test_school_import_names_a_duplicate_code),
        T(test_household_import_names_a_duplicate_id),
        T(test_a_missing_required_column_refuses_the_whole_job_of_every_kind),
        T(test_an_empty_file_refuses_the_job),
        T(test_a_malformed_row_is_refused_and_the_rows_after_it_import),
        T(test_a_gbk_file_imports_with_its_encoding),
        T(test_an_unknown_kind_is_refused),
        T(test_import_commits_every_row_with_a_batch_of_one),
        T(test_import_commits_at_7_and_14_of_20_rows_with_a_batch_of_7),
        T(test_resume_continues_after_the_committed_rows_to_an_uninterrupted_result),
        T(test_resume_of_a_changed_file_starts_a_new_job),
        T(test_resume_of_a_finished_job_has_nothing_left_to_do),
        T(test_import_keeps_only_as_many_bad_rows_as_asked),
        T(test_a_row_refused_after_it_wrote_runs_its_batch_again),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
