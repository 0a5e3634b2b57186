/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the store (src/store): opening and creating a database
 * in a temporary directory, targets and schemes, migrations (idempotent,
 * a newer schema refused), prepare/bind/step, "$N" placeholders (and "$1"
 * inside literals left alone), error mapping (duplicate, foreign key,
 * check, busy), transactions (rollback leaves nothing, nesting refused),
 * the statement cache, read-only and no-sync connections.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../../src/store/store_int.h"
#include "store_fixture.h"

static struct fx_db *db_of(void **state)
{
    return *state;
}

/* ---- open, targets, migrations ----------------------------------------- */

static void test_store_open_creates_and_migrates_to_latest(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    int v = -1;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_string_equal(yb_store_backend(d->s), "sqlite");
    assert_int_equal(yb_store_latest_version(), 15);
    assert_int_equal(yb_store_version(d->s, &v, &e), YB_OK);
    assert_int_equal(v, 15);
    /* the seeded chart: 3 funds, 23 accounts */
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM fund"), 3);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM account"), 23);
    assert_false(yb_store_in_transaction(d->s));
}

/* string_agg(value, separator) runs on SQLite as on PostgreSQL: NULLs
 * skipped, the separator between values only, NULL over no value. */
static void test_store_joins_values_with_string_agg(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char buf[128];

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_string_equal(
        fx_text(d->s,
                "SELECT string_agg(v, ', ') FROM (SELECT 'a' AS v UNION ALL "
                "SELECT NULL UNION ALL SELECT '低保' UNION ALL SELECT 'c')",
                buf, sizeof buf),
        "a, 低保, c");
    assert_int_equal(fx_int(d->s, "SELECT string_agg(v, ',') IS NULL FROM "
                                  "(SELECT NULL AS v)"),
                     1);
    assert_int_equal(fx_int(d->s, "SELECT length(string_agg(code, '')) FROM "
                                  "fund"),
                     18);
}

/* The mode of path & 0777, -1 when it cannot be read. */
static int mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

/* A new database and its -wal and -shm files are readable by their owner
 * only, whatever the umask lets through (SQLite's default is 0644). */
static void test_store_creates_files_only_the_owner_reads(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char p[160];
    mode_t was = umask(022);

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    umask(was);
    assert_int_equal(mode_of(d->path), 0600);
    snprintf(p, sizeof p, "%s-wal", d->path);
    assert_int_equal(mode_of(p), 0600);
    snprintf(p, sizeof p, "%s-shm", d->path);
    assert_int_equal(mode_of(p), 0600);
}

static void test_store_migrate_is_idempotent(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    int from = -1, to = -1;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    yb_store_close(d->s);
    d->s = NULL;
    assert_int_equal(yb_store_open(d->path, 0, &d->s, &e), YB_OK);
    assert_int_equal(yb_store_migrate(d->s, &from, &to, &e), YB_OK);
    assert_int_equal(from, 15);
    assert_int_equal(to, 15);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM account"), 23);
    assert_int_equal(
        fx_int(d->s, "SELECT count(*) FROM meta WHERE key = 'schema_version'"),
        1);
}

/* Whether a statement's program builds a temporary b-tree. */
/* On a connection of its own: the store caches statements by the SQL's
 * address, and one buffer reused for every sql would be found as the
 * first statement again. */
static bool builds_a_temp_btree(const char *path, const char *sql)
{
    char explain[256];
    sqlite3 *db;
    sqlite3_stmt *st;
    bool found = false;

    snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        if (strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral") ==
            0)
            found = true;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return found;
}

/* A new database at path with the schema of migrations 1 to version
 * (run on SQLite directly, the version not recorded yet). */
static sqlite3 *at_version(const char *path, int version)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int m = 0; m < version; m++)
        for (size_t i = 0; yb__sqlite_migrations[m].scripts[i]; i++)
            assert_int_equal(sqlite3_exec(db,
                                          yb__sqlite_migrations[m].scripts[i],
                                          NULL, NULL, NULL),
                             SQLITE_OK);
    return db;
}

/* A database as schema version 7 left it, with an audit chain of three
 * rows, then opened by this build: migration 8 keeps the rows, drops the
 * index on prev_hash and rewrites the checks so that no insert or update
 * builds a temporary b-tree, while they refuse what they refused. */
static void test_store_migration_8_from_a_version_7_database(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    sqlite3 *db;
    int v = 0;

    db = at_version(d->path, 7);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO meta (key, value) VALUES ('schema_version', "
                     "'7');"
                     "INSERT INTO audit (actor, action, detail, at, prev_hash, "
                     "hash) VALUES ('a', 'x', 'one', '2026-11-22 09:00:00', "
                     "'g', 'h1'), ('a', 'y', 'two', '2026-11-22 09:00:01', "
                     "'h1', 'h2'), ('b', 'z', 'three', "
                     "'2026-11-22 09:00:02', 'h2', 'h3');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    /* the test can fail: version 7's check builds one */
    sqlite3_stmt *raw;
    bool before = false;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN UPDATE visit SET status = "
                                        "'settled' WHERE mdtrt_id = 'x'",
                                        -1, &raw, NULL),
                     SQLITE_OK);
    while (sqlite3_step(raw) == SQLITE_ROW)
        if (strcmp((const char *)sqlite3_column_text(raw, 1),
                   "OpenEphemeral") == 0)
            before = true;
    sqlite3_finalize(raw);
    assert_true(before);
    sqlite3_close(db);

    assert_int_equal(yb_store_open(d->path, 0, &d->s, &e), YB_OK);
    assert_int_equal(yb_store_version(d->s, &v, &e), YB_OK);
    assert_int_equal(v, 15);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit WHERE "
                                  "(id, actor, detail, prev_hash, hash) IN "
                                  "(VALUES (1, 'a', 'one', 'g', 'h1'), "
                                  "(2, 'a', 'two', 'h1', 'h2'), "
                                  "(3, 'b', 'three', 'h2', 'h3'))"),
                     3);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM audit"), 3);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM "
                                  "pragma_index_list('audit')"),
                     0);
    char ok[8];
    assert_string_equal(fx_text(d->s, "PRAGMA integrity_check", ok, sizeof ok),
                        "ok");
    static const char *const writes[] = {
        "UPDATE visit SET status = 'settled' WHERE mdtrt_id = 'x'",
        "UPDATE settlement SET status = 'reversed' WHERE setl_id = 'x'",
        "INSERT INTO contribution (psn_no, year, paid_at, kind) VALUES "
        "('p', 2018, '2018-01-01', 'refund')",
        "UPDATE account SET kind = 'asset' WHERE code = 'x'",
    };
    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++)
        assert_false(builds_a_temp_btree(d->path, writes[i]));
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE account SET kind = 'other' "
                                   "WHERE code = (SELECT min(code) FROM "
                                   "account)",
                                   &e),
                     YB_ECONSTRAINT);
    assert_non_null(strstr(e.msg, "kind = 'asset' OR"));
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE account SET kind = kind WHERE "
                                   "code = (SELECT min(code) FROM account)",
                                   &e),
                     YB_OK);
}

/* The query plan of sql, its details joined. */
static const char *plan_of(yb_store *s, const char *sql, char *buf, size_t n)
{
    struct yb_err e;
    yb_stmt *st;

    assert_int_equal(yb_store_prepare(s, sql, &st, &e), YB_OK);
    buf[0] = '\0';
    while (yb_stmt_step(st, &e) == YB_ROW)
        strncat(buf, yb_stmt_text(st, 3), n - strlen(buf) - 1);
    yb_stmt_reset(st);
    return buf;
}

/* A database as schema version 10 left it, with a person's three
 * enrolments of 2018 (one cancelled, one transferred, one live), then
 * opened by this build: migration 11 keeps them under one index for the
 * person's enrolments, which still refuses a second live one (and allows
 * another ended one), and serves the look-ups by person. */
static void test_store_migration_11_keeps_one_live_enrolment(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    sqlite3 *db;
    char buf[256];
    int v = 0;

    db = at_version(d->path, 10);
    assert_int_equal(
        sqlite3_exec(
            db,
            "INSERT INTO meta (key, value) VALUES ('schema_version', '10');"
            "INSERT INTO person (psn_no, certno, psn_name, gend, brdy, "
            "resd_admdvs) VALUES ('P1', '530102198605120813', '张伟', '1', "
            "'1986-05-12', '530102');"
            "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, "
            "psn_type, status) VALUES "
            "('P1', '390', 'basic', 2018, '530100', '1501', 'cancelled'),"
            "('P1', '390', 'basic', 2018, '530100', '1501', 'transferred'),"
            "('P1', '390', 'basic', 2018, '530300', '1501', 'covered');",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(yb_store_open(d->path, 0, &d->s, &e), YB_OK);
    assert_int_equal(yb_store_version(d->s, &v, &e), YB_OK);
    assert_int_equal(v, 15);
    assert_string_equal(
        fx_text(d->s,
                "SELECT group_concat(id || ' ' || status, '|') FROM "
                "(SELECT * FROM enrolment ORDER BY id)",
                buf, sizeof buf),
        "1 cancelled|2 transferred|3 covered");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(name, ' ') FROM (SELECT "
                                "name FROM pragma_index_list('enrolment') "
                                "ORDER BY name)",
                                buf, sizeof buf),
                        "enrolment_one_per_scheme enrolment_year_admdvs");
    /* a second live enrolment of the year is refused, by the index */
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO enrolment (psn_no, insutype, "
                                   "scheme, year, admdvs, psn_type, status) "
                                   "VALUES ('P1', '390', 'basic', 2018, "
                                   "'530100', '1501', 'pending')",
                                   &e),
                     YB_EDUPLICATE);
    /* another ended one, a live one of another year, and the live one
     * ended (then a new live one) are not */
    assert_int_equal(
        yb_store_exec(d->s,
                      "INSERT INTO enrolment (psn_no, insutype, scheme, year, "
                      "admdvs, psn_type, status) VALUES ('P1', '390', "
                      "'basic', 2018, '530100', '1501', 'cancelled'), ('P1', "
                      "'390', 'basic', 2019, '530100', '1501', 'pending');"
                      "UPDATE enrolment SET status = 'transferred' WHERE id "
                      "= 3;"
                      "INSERT INTO enrolment (psn_no, insutype, scheme, year, "
                      "admdvs, psn_type, status) VALUES ('P1', '390', "
                      "'basic', 2018, '530100', '1501', 'pending')",
                      &e),
        YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE enrolment SET status = 'covered' "
                                   "WHERE id = 3",
                                   &e),
                     YB_EDUPLICATE);
    assert_string_equal(plan_of(d->s,
                                "EXPLAIN QUERY PLAN SELECT id FROM enrolment "
                                "WHERE psn_no = 'P1' AND scheme = 'basic' AND "
                                "year < 2018 AND status = 'covered'",
                                buf, sizeof buf),
                        "SEARCH enrolment USING INDEX "
                        "enrolment_one_per_scheme (psn_no=? AND scheme=? AND "
                        "year<?)");
    assert_string_equal(plan_of(d->s,
                                "EXPLAIN QUERY PLAN SELECT tier FROM enrolment "
                                "WHERE psn_no = 'P1' ORDER BY year, id",
                                buf, sizeof buf),
                        "SEARCH enrolment USING INDEX "
                        "enrolment_one_per_scheme (psn_no=?)"
                        "USE TEMP B-TREE FOR ORDER BY");
    char ok[8];
    assert_string_equal(fx_text(d->s, "PRAGMA integrity_check", ok, sizeof ok),
                        "ok");
}

/* A database as schema version 12 left it, with a settlement of E3
 * (basic fund row without a cap, NULL), two assistance rounds as two
 * 610100 rows, and its reversal, then opened by this build: migration 15
 * gives both the basic fund's ratio 13160 / (20000 - 1200) = 0.7000, a
 * settlement with nothing above the deductible 0, every fund row a limit
 * (its own base when it had none), and visits a mdtrt_cert_type. */
static void test_store_migration_15_ratio_and_limits(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char buf[256];
    sqlite3 *db = at_version(d->path, 12);

    assert_int_equal(
        sqlite3_exec(
            db,
            "INSERT INTO meta (key, value) VALUES ('schema_version', '12');"
            "INSERT INTO settlement (setl_id, mdtrt_id, psn_no, "
            "fixmedins_code, year, setl_time, med_type, medfee_sumamt, "
            "fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, "
            "inscp_scp_amt, act_pay_dedc, hifp_pay, hifmi_pay, maf_pay, "
            "oth_pay, fund_pay_sumamt, psn_part_amt, psn_cash_pay, trace, "
            "status, reverses) VALUES "
            "('S1', 'M1', 'P1', 'H1', 2023, '2023-03-20 10:00:00', '21', "
            "2200000, 150000, 0, 50000, 2000000, 120000, 1316000, 0, 30000, "
            "0, 1346000, 854000, 854000, 't', 'reversed', NULL),"
            "('S2', 'M1', 'P1', 'H1', 2023, '2023-03-21 10:00:00', '21', "
            "-2200000, -150000, 0, -50000, -2000000, -120000, -1316000, 0, "
            "-30000, 0, -1346000, -854000, -854000, 't', 'reversal', 'S1'),"
            "('S3', 'M2', 'P1', 'H1', 2023, '2023-04-01 10:00:00', '11', "
            "10000, 0, 0, 0, 10000, 10000, 0, 0, 0, 0, 0, 10000, 10000, 't', "
            "'settled', NULL);"
            "INSERT INTO settlement_fund (setl_id, seq, fund_pay_type, "
            "inscp_scp_amt, crt_payb_lmt_amt, fund_payamt) VALUES "
            "('S1', 0, '390100', 2000000, NULL, 1316000),"
            "('S1', 1, '610100', 684000, 6000000, 20000),"
            "('S1', 2, '610100', 664000, 2000000, 10000),"
            "('S3', 0, '390100', 10000, 30000, 0);"
            "INSERT INTO visit (mdtrt_id, psn_no, fixmedins_code, insutype, "
            "med_type, kind, begntime, ipt_otp_no, status) VALUES ('M1', "
            "'P1', 'H1', '390', '21', 'inpatient', '2023-03-06 08:00:00', "
            "'Z1', 'settled');",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(yb_store_open(d->path, 0, &d->s, &e), YB_OK);
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(setl_id || ' ' || "
                                "pool_prop_selfpay, '|') FROM (SELECT * FROM "
                                "settlement ORDER BY setl_id)",
                                buf, sizeof buf),
                        "S1 7000|S2 7000|S3 0");
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(setl_id || seq || ' ' || "
                                "crt_payb_lmt_amt, '|') FROM (SELECT * FROM "
                                "settlement_fund ORDER BY setl_id, seq)",
                                buf, sizeof buf),
                        "S10 2000000|S11 6000000|S12 2000000|S30 30000");
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM settlement_fund "
                                  "WHERE crt_payb_lmt_amt IS NULL"),
                     0);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM visit WHERE "
                                  "mdtrt_cert_type IS NULL"),
                     1);
}

/* Migration 12: the person table keeps an index for each way the
 * registry finds persons (psn_no, ID number, household, school) and none
 * on the residence, which nothing looks up. */
static void test_store_person_indexes_serve_every_lookup(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char buf[256];

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_string_equal(fx_text(d->s,
                                "SELECT group_concat(name, ' ') FROM (SELECT "
                                "name FROM pragma_index_list('person') "
                                "ORDER BY name)",
                                buf, sizeof buf),
                        "person_hh person_school sqlite_autoindex_person_1 "
                        "sqlite_autoindex_person_2");
    static const char *const lookups[][2] = {
        {"EXPLAIN QUERY PLAN SELECT psn_name FROM person WHERE psn_no = 'P'",
         "SEARCH person USING INDEX sqlite_autoindex_person_1 (psn_no=?)"},
        {"EXPLAIN QUERY PLAN SELECT psn_name FROM person WHERE certno = 'C'",
         "SEARCH person USING INDEX sqlite_autoindex_person_2 (certno=?)"},
        {"EXPLAIN QUERY PLAN SELECT psn_no FROM person WHERE hh_id = 'H' "
         "ORDER BY psn_no",
         "SEARCH person USING INDEX person_hh (hh_id=?)"
         "USE TEMP B-TREE FOR ORDER BY"},
    };
    for (size_t i = 0; i < sizeof lookups / sizeof *lookups; i++)
        assert_string_equal(plan_of(d->s, lookups[i][0], buf, sizeof buf),
                            lookups[i][1]);
}

/* Migration 10: a payment's NULL reverses and a person's NULL school_code
 * go into no index, and the look-ups by either still use theirs. */
static void test_store_partial_indexes_serve_their_lookups(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char buf[256];

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_string_equal(
        fx_text(d->s,
                "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                "sqlite_schema WHERE type = 'index' AND sql LIKE '%WHERE "
                "%IS NOT NULL' ORDER BY name)",
                buf, sizeof buf),
        "contribution_reverses person_school");
    assert_string_equal(plan_of(d->s,
                                "EXPLAIN QUERY PLAN SELECT r.id FROM "
                                "contribution c JOIN contribution r ON "
                                "r.reverses = c.id WHERE c.id = 1",
                                buf, sizeof buf),
                        "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"
                        "SEARCH r USING COVERING INDEX contribution_reverses "
                        "(reverses=?)");
    assert_string_equal(plan_of(d->s,
                                "EXPLAIN QUERY PLAN SELECT psn_no FROM "
                                "person WHERE school_code = 'S1'",
                                buf, sizeof buf),
                        "SEARCH person USING INDEX person_school "
                        "(school_code=?)");
}

static void test_store_refuses_a_schema_newer_than_the_build(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "UPDATE meta SET value = '16' "
                                   "WHERE key = 'schema_version'",
                                   &e),
                     YB_OK);
    yb_store_close(d->s);
    d->s = NULL;
    assert_int_equal(yb_store_open(d->path, 0, &d->s, &e), YB_ESTORE);
    assert_null(d->s);
    assert_string_equal(
        e.msg,
        "数据库模式版本 16 比本程序新（15）(schema newer than this build)");
    assert_int_equal(yb_store_open(d->path, YB_STORE_READONLY, &d->s, &e),
                     YB_ESTORE);
    assert_string_equal(
        e.msg,
        "数据库模式版本 16 比本程序新（15）(schema newer than this build)");
}

static void test_store_open_without_create_is_eio_naming_the_path(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;

    assert_int_equal(yb_store_open(d->path, 0, &d->s, &e), YB_EIO);
    assert_null(d->s);
    assert_string_equal(e.field, d->path);
    assert_non_null(strstr(e.msg, "cannot open database"));
}

static void test_store_open_of_a_non_database_is_eio(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    FILE *f = fopen(d->path, "w");

    assert_non_null(f);
    for (int i = 0; i < 64; i++)
        fputs("this is not a database file at all ", f);
    fclose(f);
    assert_int_equal(yb_store_open(d->path, 0, &d->s, &e), YB_EIO);
    assert_string_equal(e.field, d->path);
    assert_non_null(strstr(e.msg, "not a database"));
}

static void test_store_targets_name_their_scheme(void **state)
{
    struct fx_db *d = db_of(state);
    char target[128];
    struct yb_err e;

    snprintf(target, sizeof target, "sqlite:%s", d->path);
    assert_int_equal(yb_store_open(target, YB_STORE_CREATE, &d->s, &e), YB_OK);
    assert_string_equal(yb_store_backend(d->s), "sqlite");
    yb_store_close(d->s);
    d->s = NULL;
    assert_int_equal(yb_store_open("postgresql://db/yibao", 0, &d->s, &e),
                     YB_EINVAL);
    assert_string_equal(
        e.msg, "未知的存储后端 \"postgresql\"（本程序支持：sqlite）(unknown "
               "storage backend)");
    assert_int_equal(yb_store_open("", 0, &d->s, &e), YB_EINVAL);
    assert_int_equal(yb_store_open("sqlite:", 0, &d->s, &e), YB_EINVAL);
    assert_string_equal(e.msg,
                        "地址 \"sqlite:\" 没有指定数据库 (names no database)");
    assert_null(d->s);
}

/* ---- statements -------------------------------------------------------- */

static void test_store_prepare_bind_step_reads_rows(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_stmt *st;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "CREATE TABLE t (id INTEGER PRIMARY KEY, "
                                   "amount INTEGER, note TEXT) STRICT",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_store_prepare(d->s,
                                      "INSERT INTO t (amount, note) VALUES "
                                      "($1, $2) RETURNING id",
                                      &st, &e),
                     YB_OK);
    assert_int_equal(yb_stmt_bind_int(st, 1, INT64_C(1000000000000)), YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 2, NULL), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_ROW);
    assert_int_equal(yb_stmt_int(st, 0), 1);
    assert_int_equal(yb_stmt_step(st, &e), YB_DONE);
    assert_int_equal(yb_stmt_changes(st), 1);
    assert_int_equal(yb_stmt_bind_int(st, 1, 5), YB_EINVAL); /* not reset */
    yb_stmt_reset(st);
    assert_int_equal(yb_stmt_bind_int(st, 3, 1), YB_EINVAL); /* no $3 */

    assert_int_equal(
        yb_store_prepare(d->s, "SELECT amount, note FROM t", &st, &e), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_ROW);
    assert_true(yb_stmt_int(st, 0) == INT64_C(1000000000000));
    assert_true(yb_stmt_null(st, 1));
    assert_null(yb_stmt_text(st, 1));
    assert_int_equal(yb_stmt_step(st, &e), YB_DONE);
    yb_stmt_reset(st);
}

static void
test_store_placeholders_outside_literals_are_translated(void **state)
{
    char out[128];

    (void)state;
    yb__sql_translate_placeholders(
        "SELECT '$1', $1, 'it''s $2' -- $3\n/* $4 */ \"$5\" $10, $", out);
    assert_string_equal(out, "SELECT '$1', ?1, 'it''s $2' -- $3\n/* $4 */ "
                             "\"$5\" ?10, $");
    yb__sql_translate_placeholders("'unterminated $1", out);
    assert_string_equal(out, "'unterminated $1");
}

static void test_store_placeholders_bind_by_number(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_stmt *st;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    /* "$2" before "$1": SQLite alone would number them by appearance */
    assert_int_equal(
        yb_store_prepare(d->s, "SELECT $2, '$1' || $1, $2", &st, &e), YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 1, "one"), YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 2, "two"), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_ROW);
    assert_string_equal(yb_stmt_text(st, 0), "two");
    assert_string_equal(yb_stmt_text(st, 1), "$1one");
    assert_string_equal(yb_stmt_text(st, 2), "two");
    yb_stmt_reset(st);
}

/* Bound text is the store's copy: the caller's buffer may change or go
 * before the step, and a longer text bound next to the same parameter
 * (a new copy) or a NULL replace it. */
static void test_store_bound_text_is_copied(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_stmt *st;
    char buf[64];
    char out[160];

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(
        yb_store_exec(d->s, "CREATE TABLE t (a TEXT, b TEXT) STRICT", &e),
        YB_OK);
    assert_int_equal(
        yb_store_prepare(d->s, "INSERT INTO t (a, b) VALUES ($1, $2)", &st, &e),
        YB_OK);
    snprintf(buf, sizeof buf, "张伟");
    assert_int_equal(yb_stmt_bind_text(st, 1, buf), YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 2, "x"), YB_OK);
    snprintf(buf, sizeof buf, "changed"); /* after binding */
    assert_int_equal(yb_stmt_step(st, &e), YB_DONE);
    yb_stmt_reset(st);
    /* 40 bytes where 7 were: a new buffer; then NULL */
    assert_int_equal(
        yb_stmt_bind_text(st, 1, "0123456789012345678901234567890123456789"),
        YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 2, NULL), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_DONE);
    yb_stmt_reset(st);
    assert_int_equal(yb_stmt_bind_text(st, 1, ""), YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 2, "y"), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_DONE);
    yb_stmt_reset(st);
    assert_int_equal(yb_stmt_bind_text(st, 3, "z"), YB_EINVAL); /* no $3 */
    /* a running query keeps the text it was bound with: "y" bound in the
     * middle (refused) would find the third row */
    assert_int_equal(yb_store_prepare(d->s,
                                      "SELECT b FROM t WHERE b = $1 "
                                      "ORDER BY rowid",
                                      &st, &e),
                     YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 1, "x"), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_ROW);
    assert_string_equal(yb_stmt_text(st, 0), "x");
    assert_int_equal(yb_stmt_bind_text(st, 1, "y"), YB_EINVAL); /* busy */
    assert_int_equal(yb_stmt_step(st, &e), YB_DONE);
    yb_stmt_reset(st);
    assert_string_equal(
        fx_text(d->s,
                "SELECT group_concat(quote(a) || ' ' || quote(b), '|') "
                "FROM t",
                out, sizeof out),
        "'张伟' 'x'|'0123456789012345678901234567890123456789' NULL|'' 'y'");
}

static void test_store_prepare_errors(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_stmt *st;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_prepare(d->s, "SELECT * FROM nowhere", &st, &e),
                     YB_ESTORE);
    assert_string_equal(e.msg, "数据库错误 (no such table: nowhere)");
    assert_null(st);
    assert_int_equal(yb_store_prepare(d->s, "SELECT 1; SELECT 2", &st, &e),
                     YB_EINVAL);
    assert_int_equal(yb_store_prepare(d->s, "  ", &st, &e), YB_EINVAL);
    assert_int_equal(yb_store_prepare(d->s, "SELECT 1;  ", &st, &e), YB_OK);
}

static void test_store_statement_cache_returns_the_same_statement(void **state)
{
    static const char sql[] = "SELECT code FROM fund ORDER BY code";
    struct fx_db *d = db_of(state);
    char copy[sizeof sql];
    yb_stmt *a, *b, *c;
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_prepare(d->s, sql, &a, &e), YB_OK);
    assert_int_equal(yb_stmt_step(a, &e), YB_ROW);
    assert_string_equal(yb_stmt_text(a, 0), "390100");
    assert_int_equal(yb_stmt_step(a, &e), YB_ROW);
    /* the same literal: the same statement, reset to its first row */
    assert_int_equal(yb_store_prepare(d->s, sql, &b, &e), YB_OK);
    assert_ptr_equal(a, b);
    assert_int_equal(yb_stmt_step(b, &e), YB_ROW);
    assert_string_equal(yb_stmt_text(b, 0), "390100");
    /* the same text elsewhere in memory is another statement */
    memcpy(copy, sql, sizeof sql);
    assert_int_equal(yb_store_prepare(d->s, copy, &c, &e), YB_OK);
    assert_ptr_not_equal(a, c);
    yb_stmt_reset(b);
}

static void test_store_cache_holds_many_statements(void **state)
{
    struct fx_db *d = db_of(state);
    static char sql[300][40];
    yb_stmt *first[300];
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    for (int i = 0; i < 300; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT %d", i);
        assert_int_equal(yb_store_prepare(d->s, sql[i], &first[i], &e), YB_OK);
    }
    for (int i = 0; i < 300; i++) {
        yb_stmt *st;

        assert_int_equal(yb_store_prepare(d->s, sql[i], &st, &e), YB_OK);
        assert_ptr_equal(st, first[i]);
        assert_int_equal(yb_stmt_step(st, &e), YB_ROW);
        assert_int_equal(yb_stmt_int(st, 0), i);
    }
}

/* ---- error mapping ----------------------------------------------------- */

static void
test_store_duplicate_is_eduplicate_naming_the_constraint(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_stmt *st;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_prepare(d->s,
                                      "INSERT INTO fund (code, name) VALUES "
                                      "($1, $2)",
                                      &st, &e),
                     YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 1, "390100"), YB_OK);
    assert_int_equal(yb_stmt_bind_text(st, 2, "again"), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_EDUPLICATE);
    assert_string_equal(e.msg,
                        "数据重复 (unique constraint failed: fund.code)");
    assert_string_equal(e.field, "fund.code");

    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO person (psn_no, certno, "
                                   "psn_name, gend, brdy, resd_admdvs) VALUES "
                                   "('P1', '11010519491231002X', 'A', '2', "
                                   "'1949-12-31', '110105')",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO person (psn_no, certno, "
                                   "psn_name, gend, brdy, resd_admdvs) VALUES "
                                   "('P2', '11010519491231002X', 'B', '2', "
                                   "'1949-12-31', '110105')",
                                   &e),
                     YB_EDUPLICATE);
    assert_string_equal(e.msg,
                        "数据重复 (unique constraint failed: person.certno)");
}

static void test_store_foreign_key_and_check_are_econstraint(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO journal (event_id, fund, "
                                   "account, debit, period) VALUES "
                                   "(999, '390100', '1003', 1, '2024-01')",
                                   &e),
                     YB_ECONSTRAINT);
    assert_string_equal(e.msg, "违反数据约束 (foreign key constraint failed)");
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO event (kind, actor, at) "
                                   "VALUES ('k', 'a', '2024-01-01 00:00:00')",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO journal (event_id, fund, "
                                   "account, debit, credit, period) VALUES "
                                   "(1, '390100', '1003', 1, 1, '2024-01')",
                                   &e),
                     YB_ECONSTRAINT);
    assert_non_null(strstr(e.msg, "check constraint failed"));
    /* STRICT: a yuan string in a fen column is refused, not converted */
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO journal (event_id, fund, "
                                   "account, debit, period) VALUES "
                                   "(1, '390100', '1003', '12.50', '2024-01')",
                                   &e),
                     YB_ECONSTRAINT);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO event (kind, at) VALUES "
                                   "('k', '2024-01-01 00:00:00')",
                                   &e),
                     YB_ECONSTRAINT);
    assert_string_equal(
        e.msg, "违反数据约束 (not null constraint failed: event.actor)");
}

static void test_store_busy_is_ebusy(void **state)
{
    struct fx_db *d = db_of(state);
    yb_store *other = NULL;
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_open(d->path, 0, &other, &e), YB_OK);
    assert_int_equal(yb_store_exec(other, "PRAGMA busy_timeout = 0", &e),
                     YB_OK);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_store_begin(other, &e), YB_EBUSY);
    assert_false(yb_store_in_transaction(other));
    yb_store_rollback(d->s);
    assert_int_equal(yb_store_begin(other, &e), YB_OK);
    yb_store_close(other);
}

/* ---- transactions ------------------------------------------------------ */

static void test_store_rollback_leaves_nothing(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_true(yb_store_in_transaction(d->s));
    assert_int_equal(yb_store_begin(d->s, &e), YB_EINVAL);
    assert_string_equal(e.msg, "事务已经打开 (a transaction is already open)");
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO event (kind, actor, at) "
                                   "VALUES ('k', 'a', '2024-01-01 00:00:00')",
                                   &e),
                     YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 1);
    yb_store_rollback(d->s);
    assert_false(yb_store_in_transaction(d->s));
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 0);
    assert_int_equal(yb_store_commit(d->s, &e), YB_EINVAL);
    assert_string_equal(e.msg, "没有打开的事务 (no transaction is open)");
}

/* A peer is a second connection to the same file: it reads what was
 * committed, not what the other's open transaction wrote, and while it
 * reads, the writer still commits (WAL). An in-memory database has no
 * peer. */
static void test_store_peer_reads_beside_the_writer(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_store *peer = NULL, *mem = NULL;
    const char *add = "INSERT INTO event (kind, actor, at) VALUES ('k', 'a', "
                      "'2024-01-01 00:00:00')";

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s, add, &e), YB_OK);
    assert_int_equal(yb_store_open_peer(d->s, YB_STORE_READONLY, &peer, &e),
                     YB_OK);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s, add, &e), YB_OK);
    assert_int_equal(yb_store_begin(peer, &e), YB_OK);
    assert_int_equal(fx_int(peer, "SELECT count(*) FROM event"), 1);
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    /* the peer's snapshot holds until its transaction ends */
    assert_int_equal(fx_int(peer, "SELECT count(*) FROM event"), 1);
    yb_store_rollback(peer);
    assert_int_equal(fx_int(peer, "SELECT count(*) FROM event"), 2);
    assert_int_equal(yb_store_exec(peer, add, &e), YB_ESTORE);
    yb_store_close(peer);

    assert_int_equal(yb_store_open(":memory:", YB_STORE_CREATE, &mem, &e),
                     YB_OK);
    assert_int_equal(yb_store_open_peer(mem, YB_STORE_READONLY, &peer, &e),
                     YB_EINVAL);
    assert_null(peer);
    assert_string_equal(e.field, "store");
    assert_non_null(strstr(e.msg, "cannot be shared"));
    yb_store_close(mem);
}

static void test_store_memo_remembers_until_a_rollback(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char v[YB_MEMO_VAL];

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_false(yb_store_memo_get(d->s, "pooling:530102", v, sizeof v));
    yb_store_memo_put(d->s, "pooling:530102", "530100");
    yb_store_memo_put(d->s, "pooling:530302", "530300");
    assert_true(yb_store_memo_get(d->s, "pooling:530102", v, sizeof v));
    assert_string_equal(v, "530100");
    assert_true(yb_store_memo_get(d->s, "pooling:530302", v, sizeof v));
    assert_string_equal(v, "530300");
    /* a smaller buffer gets the value cut to fit */
    assert_true(yb_store_memo_get(d->s, "pooling:530302", v, 4));
    assert_string_equal(v, "530");
    /* too long to keep: not kept, not an error */
    yb_store_memo_put(d->s, "a-key-of-twenty-four-chars", "x");
    assert_false(
        yb_store_memo_get(d->s, "a-key-of-twenty-four-chars", v, sizeof v));
    /* savepoints keep it, a rollback to one clears it */
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s, "SAVEPOINT t", &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s, "RELEASE SAVEPOINT t", &e), YB_OK);
    assert_true(yb_store_memo_get(d->s, "pooling:530102", v, sizeof v));
    assert_int_equal(yb_store_exec(d->s, "SAVEPOINT t", &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s, "ROLLBACK TO SAVEPOINT t", &e), YB_OK);
    assert_false(yb_store_memo_get(d->s, "pooling:530102", v, sizeof v));
    yb_store_memo_put(d->s, "pooling:530102", "530100");
    yb_store_rollback(d->s);
    assert_false(yb_store_memo_get(d->s, "pooling:530102", v, sizeof v));
    yb_store_memo_put(d->s, "pooling:530102", "530100");
    yb_store_memo_clear(d->s);
    assert_false(yb_store_memo_get(d->s, "pooling:530102", v, sizeof v));
}

/* A value kept for a transaction (the last number it gave) ends with it,
 * at a commit too; one kept for the handle stays; outside a transaction
 * nothing is kept for one. */
static void test_store_memo_of_a_transaction_ends_with_it(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char v[YB_MEMO_VAL];

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    yb_store_memo_put_tx(d->s, "psn_no:530100", "7");
    assert_false(yb_store_memo_get(d->s, "psn_no:530100", v, sizeof v));
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    yb_store_memo_put(d->s, "pooling:530102", "530100");
    yb_store_memo_put_tx(d->s, "psn_no:530100", "7");
    yb_store_memo_put_tx(d->s, "psn_no:530100", "8");
    assert_true(yb_store_memo_get(d->s, "psn_no:530100", v, sizeof v));
    assert_string_equal(v, "8");
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    assert_false(yb_store_memo_get(d->s, "psn_no:530100", v, sizeof v));
    assert_true(yb_store_memo_get(d->s, "pooling:530102", v, sizeof v));
    assert_string_equal(v, "530100");
}

static void test_store_commit_keeps_and_close_rolls_back(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_stmt *st;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO event (kind, actor, at) "
                                   "VALUES ('kept', 'a', '2024-01-01 "
                                   "00:00:00')",
                                   &e),
                     YB_OK);
    /* a statement left mid-result does not stop the commit */
    assert_int_equal(
        yb_store_prepare(d->s, "SELECT code FROM account", &st, &e), YB_OK);
    assert_int_equal(yb_stmt_step(st, &e), YB_ROW);
    assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
    assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO event (kind, actor, at) "
                                   "VALUES ('lost', 'a', '2024-01-01 "
                                   "00:00:00')",
                                   &e),
                     YB_OK);
    yb_store_close(d->s);
    d->s = NULL;
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 1);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event "
                                  "WHERE kind = 'kept'"),
                     1);
}

/* ---- connection settings ----------------------------------------------- */

static void test_store_connection_settings(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    char buf[16];

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_string_equal(fx_text(d->s, "PRAGMA journal_mode", buf, sizeof buf),
                        "wal");
    assert_int_equal(fx_int(d->s, "PRAGMA foreign_keys"), 1);
    assert_int_equal(fx_int(d->s, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(fx_int(d->s, "PRAGMA busy_timeout"), 5000);
}

/* Group commit (YB_STORE_GROUPCOMMIT): a commit's log is written in one
 * piece at its end (src/store/sqlite_vfs.c): commits larger than the
 * default VFS's largest write, and a page written twice in one
 * transaction, read back whole on another connection at once; the sync
 * handle and the checkpoints work on it; a RESTART checkpoint lets the
 * next commit start the log again; everything is there after a reopen. */
static void test_store_group_commit_writes_what_it_commits(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_store *reader, *ck;
    yb_store_sync *sync;
    char sql[256];
    int64_t pages = -1, before = -1;

    assert_int_equal(fx_db_open(d, YB_STORE_GROUPCOMMIT, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(fx_int(d->s, "PRAGMA wal_autocheckpoint"), 0);
    assert_int_equal(yb_store_open(d->path, YB_STORE_READONLY, &reader, &e),
                     YB_OK);
    assert_int_equal(yb_store_open(d->path, 0, &ck, &e), YB_OK);
    assert_int_equal(yb_store_sync_open(d->s, &sync, &e), YB_OK);
    for (int t = 1; t <= 3; t++) {
        assert_int_equal(yb_store_begin(d->s, &e), YB_OK);
        /* some 600 KiB: several writes of the default VFS */
        for (int i = 0; i < 150; i++) {
            snprintf(sql, sizeof sql,
                     "INSERT INTO event (kind, ref, actor, at) VALUES "
                     "('t%d', printf('%%04d', %d) || hex(zeroblob(2000)), "
                     "'a', '2026-11-22 10:00:00');", /* ';': not cached */
                     t, i);
            assert_int_equal(yb_store_exec(d->s, sql, &e), YB_OK);
        }
        /* the same pages again in the same transaction */
        snprintf(sql, sizeof sql,
                 "UPDATE event SET actor = 'b' WHERE kind = 't%d';", t);
        assert_int_equal(yb_store_exec(d->s, sql, &e), YB_OK);
        assert_int_equal(yb_store_commit(d->s, &e), YB_OK);
        assert_int_equal(yb_store_sync_run(sync, &e), YB_OK);
        static const char *const counts[] = {
            "SELECT count(*) FROM event WHERE kind = 't1' AND actor = 'b' "
            "AND length(ref) = 4004",
            "SELECT count(*) FROM event WHERE kind = 't2' AND actor = 'b' "
            "AND length(ref) = 4004",
            "SELECT count(*) FROM event WHERE kind = 't3' AND actor = 'b' "
            "AND length(ref) = 4004"};
        assert_int_equal(fx_int(reader, counts[t - 1]), 150);
    }
    assert_int_equal(yb_store_checkpoint(ck, false, &before, &e), YB_OK);
    assert_true(before > 300);
    assert_int_equal(yb_store_checkpoint(ck, true, NULL, &e), YB_OK);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO event (kind, actor, at) VALUES "
                                   "('after', 'a', '2026-11-22 10:00:01')",
                                   &e),
                     YB_OK);
    assert_int_equal(yb_store_checkpoint(ck, false, &pages, &e), YB_OK);
    assert_true(pages > 0 && pages < 10); /* the log started again */
    yb_store_sync_close(sync);
    yb_store_close(ck);
    yb_store_close(reader);
    yb_store_close(d->s);
    d->s = NULL;
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event"), 451);
}

/* ---- background checkpoints ------------------------------------------- */

static long long file_size(const char *path, const char *suffix)
{
    char p[160];
    struct stat st;
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

/* One transaction of n events of some 4 KB each: about n pages. */
static void commit_pages(yb_store *s, const char *kind, int n)
{
    struct yb_err e;
    yb_stmt *st;
    assert_int_equal(yb_store_begin(s, &e), YB_OK);
    assert_int_equal(yb_store_prepare(s,
                                      "INSERT INTO event (kind, actor, at) "
                                      "VALUES ($1, hex(zeroblob(2000)), "
                                      "'2026-11-23 10:00:00')",
                                      &st, &e),
                     YB_OK);
    for (int i = 0; i < n; i++) {
        yb_stmt_bind_text(st, 1, kind);
        assert_int_equal(yb_stmt_step(st, &e), YB_DONE);
        yb_stmt_reset(st);
    }
    assert_int_equal(yb_store_commit(s, &e), YB_OK);
}

/* While on, the writer's commits do not checkpoint and a thread copies
 * each one into the database file: 100 pages reach the file, far below the
 * 4,096 pages after which a commit would have copied them itself. Calls
 * nest, and the last off gives the writer its own checkpoints back. */
static void test_store_background_checkpoints_copy_each_commit(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "PRAGMA wal_autocheckpoint"), 4096);
    long long empty = file_size(d->path, "");
    commit_pages(d->s, "plain", 100);
    assert_true(file_size(d->path, "") == empty); /* in the log only */

    assert_int_equal(yb_store_background_checkpoints(d->s, true, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "PRAGMA wal_autocheckpoint"), 0);
    assert_int_equal(yb_store_background_checkpoints(d->s, true, &e), YB_OK);
    commit_pages(d->s, "behind", 100);
    assert_int_equal(yb_store_background_checkpoints(d->s, false, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "PRAGMA wal_autocheckpoint"), 0);
    assert_int_equal(yb_store_background_checkpoints(d->s, false, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "PRAGMA wal_autocheckpoint"), 4096);
    /* both transactions are in the file: the copy takes the whole log */
    assert_true(file_size(d->path, "") >= empty + 200LL * 4000);
    assert_int_equal(yb_store_background_checkpoints(d->s, false, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE "
                                  "kind IN ('plain', 'behind')"),
                     200);

    /* yb_store_close stops a thread still running */
    assert_int_equal(yb_store_background_checkpoints(d->s, true, &e), YB_OK);
    commit_pages(d->s, "closed", 10);
    yb_store_close(d->s);
    d->s = NULL;
    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE "
                                  "kind = 'closed'"),
                     10);
}

/* Once the log has grown past the limit, a begin waits for the copy under
 * way, and the commit after it starts the log again: eight transactions
 * of some 100 pages leave a log of about two of them, not eight (without
 * the wait, each begin comes while the last commit is still being copied,
 * and the log only grows). */
static void test_store_background_checkpoints_start_the_log_again(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    int64_t limit = yb__ckpt_log_limit;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    yb__ckpt_log_limit = 50;
    assert_int_equal(yb_store_background_checkpoints(d->s, true, &e), YB_OK);
    for (int t = 0; t < 8; t++)
        commit_pages(d->s, "batch", 100);
    assert_int_equal(yb_store_background_checkpoints(d->s, false, &e), YB_OK);
    yb__ckpt_log_limit = limit;
    long long log = file_size(d->path, "-wal");
    assert_true(log > 100LL * 4096);
    assert_true(log < 3LL * 110 * 4120);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM event WHERE "
                                  "kind = 'batch'"),
                     800);
}

/* Only a writer whose database keeps a log shared with other connections
 * can hand its checkpoints to another: an in-memory database, a read-only
 * store and a group-commit writer (which has a checkpointer of its own)
 * are refused, and their commits go on as before. */
static void test_store_background_checkpoints_need_a_shared_log(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;
    yb_store *mem, *ro;

    assert_int_equal(yb_store_open(":memory:", YB_STORE_CREATE, &mem, &e),
                     YB_OK);
    assert_int_equal(yb_store_background_checkpoints(mem, true, &e), YB_EINVAL);
    assert_non_null(strstr(e.msg, "cannot be shared"));
    commit_pages(mem, "memory", 3);
    assert_int_equal(yb_store_background_checkpoints(mem, false, &e), YB_OK);
    yb_store_close(mem);

    assert_int_equal(fx_db_open(d, YB_STORE_GROUPCOMMIT, &e), YB_OK);
    assert_int_equal(yb_store_background_checkpoints(d->s, true, &e),
                     YB_EINVAL);
    assert_non_null(strstr(e.msg, "group-commit"));
    assert_int_equal(fx_int(d->s, "PRAGMA wal_autocheckpoint"), 0);
    assert_int_equal(yb_store_open(d->path, YB_STORE_READONLY, &ro, &e), YB_OK);
    assert_int_equal(yb_store_background_checkpoints(ro, true, &e), YB_EINVAL);
    assert_non_null(strstr(e.msg, "read-only"));
    yb_store_close(ro);
}

static void test_store_nosync_turns_synchronous_off(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;

    assert_int_equal(fx_db_open(d, YB_STORE_NOSYNC, &e), YB_OK);
    assert_int_equal(fx_int(d->s, "PRAGMA synchronous"), 0); /* OFF */
    assert_int_equal(fx_int(d->s, "PRAGMA foreign_keys"), 1);
}

static void test_store_readonly_refuses_writes(void **state)
{
    struct fx_db *d = db_of(state);
    struct yb_err e;

    assert_int_equal(fx_db_open(d, 0, &e), YB_OK);
    yb_store_close(d->s);
    d->s = NULL;
    assert_int_equal(yb_store_open(d->path, YB_STORE_READONLY, &d->s, &e),
                     YB_OK);
    assert_int_equal(fx_int(d->s, "SELECT count(*) FROM fund"), 3);
    assert_int_equal(yb_store_exec(d->s,
                                   "INSERT INTO event (kind, actor, at) "
                                   "VALUES ('k', 'a', '2024-01-01 00:00:00')",
                                   &e),
                     YB_ESTORE);
    assert_non_null(strstr(e.msg, "readonly"));
    assert_int_equal(yb_store_migrate(d->s, NULL, NULL, &e), YB_EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_db_setup, fx_db_teardown)
    const struct CMUnitTest tests[] = {
        T(test_store_creates_files_only_the_owner_reads),
        T(test_store_open_creates_and_migrates_to_latest),
        T(test_store_joins_values_with_string_agg),
        T(test_store_migrate_is_idempotent),
        T(test_store_migration_8_from_a_version_7_database),
        T(test_store_partial_indexes_serve_their_lookups),
        T(test_store_migration_11_keeps_one_live_enrolment),
        T(test_store_migration_15_ratio_and_limits),
        T(test_store_person_indexes_serve_every_lookup),
        T(test_store_refuses_a_schema_newer_than_the_build),
        T(test_store_open_without_create_is_eio_naming_the_path),
        T(test_store_open_of_a_non_database_is_eio),
        T(test_store_targets_name_their_scheme),
        T(test_store_prepare_bind_step_reads_rows),
        T(test_store_placeholders_outside_literals_are_translated),
        T(test_store_placeholders_bind_by_number),
        T(test_store_bound_text_is_copied),
        T(test_store_prepare_errors),
        T(test_store_statement_cache_returns_the_same_statement),
        T(test_store_cache_holds_many_statements),
        T(test_store_duplicate_is_eduplicate_naming_the_constraint),
        T(test_store_foreign_key_and_check_are_econstraint),
        T(test_store_busy_is_ebusy),
        T(test_store_rollback_leaves_nothing),
        T(test_store_peer_reads_beside_the_writer),
        T(test_store_memo_remembers_until_a_rollback),
        T(test_store_memo_of_a_transaction_ends_with_it),
        T(test_store_commit_keeps_and_close_rolls_back),
        T(test_store_connection_settings),
        T(test_store_background_checkpoints_copy_each_commit),
        T(test_store_background_checkpoints_start_the_log_again),
        T(test_store_background_checkpoints_need_a_shared_log),
        T(test_store_nosync_turns_synchronous_off),
        T(test_store_group_commit_writes_what_it_commits),
        T(test_store_readonly_refuses_writes),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
