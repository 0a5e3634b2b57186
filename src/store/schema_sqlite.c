/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQLite schema as versioned migrations. Migration N takes a database
 * from schema version N - 1 to N; store.c runs each pending one in its own
 * transaction and records the version in meta. Migrations are appended,
 * never edited once released: a database in the field was built by the
 * scripts as they were. Conventions (docs/internals/store.md): ids are
 * INTEGER PRIMARY KEY (services insert without id and read it back with
 * RETURNING id); money is integer fen, rates integer 1/10,000, prices
 * micro-yuan, quantities 1/10,000 unit; dates TEXT yyyy-MM-dd, times TEXT
 * yyyy-MM-dd HH:mm:ss, periods TEXT yyyy-mm. Tables are STRICT so a value
 * of the wrong type (a yuan string in a fen column) is refused rather than
 * stored as something else. Migration 1 also seeds the funds and the chart
 * of accounts the ledger posts to (docs/ledger.md).
 */
#include <stdio.h>

#include "store_int.h"

/* Reference data: regions, institutions, catalogue, schools. */
#define M1_REFERENCE                                                           \
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"    \
    "CREATE TABLE region ("                                                    \
    " admdvs TEXT PRIMARY KEY, name TEXT NOT NULL,"                            \
    " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"                   \
    " parent TEXT, pooling TEXT, subsidy_tier INTEGER) STRICT;"                \
    "CREATE INDEX region_parent ON region (parent);"                           \
    "CREATE INDEX region_pooling ON region (pooling);"                         \
    "CREATE TABLE institution ("                                               \
    " fixmedins_code TEXT PRIMARY KEY, name TEXT NOT NULL, hosp_lv TEXT,"      \
    " type TEXT, public INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),"  \
    " admdvs TEXT NOT NULL, agreement_from TEXT, agreement_to TEXT,"           \
    " score INTEGER, credential_hash TEXT) STRICT;"                            \
    "CREATE INDEX institution_admdvs ON institution (admdvs);"                 \
    "CREATE TABLE catalogue_item ("                                            \
    " id INTEGER PRIMARY KEY, med_list_codg TEXT NOT NULL,"                    \
    " list_type TEXT NOT NULL, name TEXT NOT NULL, chrgitm_lv TEXT NOT NULL,"  \
    " selfpay_prop INTEGER, price_ceiling INTEGER,"                            \
    " valid_from TEXT NOT NULL, valid_to TEXT, lmt_gend TEXT,"                 \
    " lmt_age_min INTEGER, lmt_age_max INTEGER, lmt_hosp_lv TEXT,"             \
    " lmt_med_type TEXT, lmt_max_cnt INTEGER,"                                 \
    " UNIQUE (med_list_codg, valid_from)) STRICT;"                             \
    "CREATE TABLE school ("                                                    \
    " school_code TEXT PRIMARY KEY, name TEXT NOT NULL,"                       \
    " admdvs TEXT NOT NULL) STRICT;"

/* The registry: events, households, persons, identities. A person's
 * household and school are not foreign keys: imports may bring them in any
 * order, and the importer checks them. */
#define M1_REGISTRY                                                            \
    "CREATE TABLE event ("                                                     \
    " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT,"                   \
    " actor TEXT NOT NULL, at TEXT NOT NULL) STRICT;"                          \
    "CREATE INDEX event_kind_ref ON event (kind, ref);"                        \
    "CREATE TABLE household ("                                                 \
    " hh_id TEXT PRIMARY KEY, admdvs TEXT NOT NULL, head_certno TEXT) STRICT;" \
    "CREATE INDEX household_admdvs ON household (admdvs);"                     \
    "CREATE TABLE person ("                                                    \
    " psn_no TEXT PRIMARY KEY, certno TEXT NOT NULL UNIQUE,"                   \
    " psn_name TEXT NOT NULL, gend TEXT NOT NULL, brdy TEXT NOT NULL,"         \
    " naty TEXT, hh_id TEXT, relation TEXT,"                                   \
    " resd_admdvs TEXT NOT NULL, student_kind TEXT, school_code TEXT,"         \
    " permit_holder INTEGER NOT NULL DEFAULT 0"                                \
    "  CHECK (permit_holder IN (0, 1)),"                                       \
    " event_id INTEGER REFERENCES event (id)) STRICT;"                         \
    "CREATE INDEX person_hh ON person (hh_id);"                                \
    "CREATE INDEX person_resd ON person (resd_admdvs);"                        \
    "CREATE INDEX person_school ON person (school_code);"                      \
    "CREATE TABLE identity ("                                                  \
    " id INTEGER PRIMARY KEY,"                                                 \
    " psn_no TEXT NOT NULL REFERENCES person (psn_no),"                        \
    " idet TEXT NOT NULL, begndate TEXT NOT NULL, enddate TEXT,"               \
    " source TEXT, event_id INTEGER REFERENCES event (id),"                    \
    " UNIQUE (psn_no, idet, begndate)) STRICT;"                                \
    "CREATE INDEX identity_psn ON identity (psn_no);"                          \
    "CREATE TABLE seq (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"         \
    " STRICT;"

/* Enrolment and contributions. One basic enrolment per person and year
 * (docs/financing.md: no duplicate enrolment across regions and schemes):
 * resident 390 and employee 310 both have scheme 'basic'; a cancelled
 * enrolment no longer counts. */
#define M1_FINANCING                                                           \
    "CREATE TABLE enrolment ("                                                 \
    " id INTEGER PRIMARY KEY,"                                                 \
    " psn_no TEXT NOT NULL REFERENCES person (psn_no),"                        \
    " insutype TEXT NOT NULL, scheme TEXT NOT NULL, year INTEGER NOT NULL,"    \
    " admdvs TEXT NOT NULL, psn_type TEXT NOT NULL, tier INTEGER,"             \
    " unit_kind TEXT, unit_ref TEXT, status TEXT NOT NULL,"                    \
    " covered_from TEXT, covered_to TEXT, waiting_until TEXT,"                 \
    " event_id INTEGER REFERENCES event (id)) STRICT;"                         \
    "CREATE UNIQUE INDEX enrolment_one_per_scheme"                             \
    " ON enrolment (psn_no, scheme, year) WHERE status <> 'cancelled';"        \
    "CREATE INDEX enrolment_year_admdvs ON enrolment (year, admdvs);"          \
    "CREATE TABLE contribution ("                                              \
    " id INTEGER PRIMARY KEY,"                                                 \
    " psn_no TEXT NOT NULL REFERENCES person (psn_no),"                        \
    " year INTEGER NOT NULL, tier INTEGER,"                                    \
    " personal INTEGER NOT NULL DEFAULT 0,"                                    \
    " assisted INTEGER NOT NULL DEFAULT 0, assist_payer TEXT,"                 \
    " paid_at TEXT NOT NULL, receipt TEXT UNIQUE,"                             \
    " kind TEXT NOT NULL DEFAULT 'payment'"                                    \
    "  CHECK (kind IN ('payment', 'correction', 'refund')),"                   \
    " reverses INTEGER REFERENCES contribution (id),"                          \
    " event_id INTEGER REFERENCES event (id)) STRICT;"                         \
    "CREATE INDEX contribution_psn_year ON contribution (psn_no, year);"

/* The fund ledger and the audit chain. */
#define M1_LEDGER                                                              \
    "CREATE TABLE fund (code TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;"    \
    "CREATE TABLE account ("                                                   \
    " code TEXT PRIMARY KEY, name TEXT NOT NULL,"                              \
    " kind TEXT NOT NULL CHECK (kind IN"                                       \
    "  ('asset', 'liability', 'income', 'expense', 'equity')),"                \
    " side TEXT NOT NULL CHECK (side IN ('debit', 'credit'))) STRICT;"         \
    "CREATE TABLE journal ("                                                   \
    " id INTEGER PRIMARY KEY,"                                                 \
    " event_id INTEGER NOT NULL REFERENCES event (id),"                        \
    " fund TEXT NOT NULL REFERENCES fund (code),"                              \
    " account TEXT NOT NULL REFERENCES account (code),"                        \
    " debit INTEGER NOT NULL DEFAULT 0, credit INTEGER NOT NULL DEFAULT 0,"    \
    " period TEXT NOT NULL"                                                    \
    "  CHECK (period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),"                   \
    " memo TEXT,"                                                              \
    " CHECK (debit >= 0 AND credit >= 0 AND (debit = 0 OR credit = 0)))"       \
    " STRICT;"                                                                 \
    "CREATE INDEX journal_fund_period ON journal (fund, period, account);"     \
    "CREATE INDEX journal_event ON journal (event_id);"                        \
    "CREATE TABLE audit ("                                                     \
    " id INTEGER PRIMARY KEY, event_id INTEGER REFERENCES event (id),"         \
    " actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL,"        \
    " at TEXT NOT NULL, prev_hash TEXT NOT NULL UNIQUE,"                       \
    " hash TEXT NOT NULL) STRICT;"                                             \
    "CREATE TABLE import_job ("                                                \
    " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, file TEXT NOT NULL,"         \
    " file_hash TEXT NOT NULL, rows_done INTEGER NOT NULL DEFAULT 0,"          \
    " rows_ok INTEGER NOT NULL DEFAULT 0, rows_bad INTEGER NOT NULL DEFAULT "  \
    "0,"                                                                       \
    " status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT)"       \
    " STRICT;"                                                                 \
    "CREATE INDEX import_job_file ON import_job (kind, file_hash);"            \
    "CREATE TABLE import_error ("                                              \
    " id INTEGER PRIMARY KEY,"                                                 \
    " job_id INTEGER NOT NULL REFERENCES import_job (id),"                     \
    " line INTEGER NOT NULL, field TEXT, value TEXT, message TEXT NOT NULL)"   \
    " STRICT;"                                                                 \
    "CREATE INDEX import_error_job ON import_error (job_id, line);"

/* The three funds (fund_pay_type) and one chart of accounts shared by
 * them; codes and posting rules in docs/ledger.md. */
#define M1_CHART                                                               \
    "INSERT INTO fund (code, name) VALUES"                                     \
    " ('390100', '基本医疗保险统筹基金'),"                           \
    " ('390200', '大病保险基金'),"                                       \
    " ('610100', '医疗救助基金');"                                       \
    "INSERT INTO account (code, name, kind, side) VALUES"                      \
    " ('1003', '财政专户存款', 'asset', 'debit'),"                       \
    " ('1201', '应收中央财政补助款', 'asset', 'debit'),"              \
    " ('1202', '应收省级财政补助款', 'asset', 'debit'),"              \
    " ('1203', '应收市级财政补助款', 'asset', 'debit'),"              \
    " ('1204', '应收县级财政补助款', 'asset', 'debit'),"              \
    " ('1211', '应收资助参保款', 'asset', 'debit'),"                    \
    " ('2101', '应付定点医药机构款', 'liability', 'credit'),"         \
    " ('2102', '应付大病保险承办机构款', 'liability', 'credit'),"   \
    " ('2103', '应付资助参保款', 'liability', 'credit'),"               \
    " ('3001', '基金结余', 'equity', 'credit'),"                           \
    " ('4101', '个人缴费收入', 'income', 'credit'),"                     \
    " ('4102', '资助参保收入', 'income', 'credit'),"                     \
    " ('4201', '中央财政补助收入', 'income', 'credit'),"               \
    " ('4202', '省级财政补助收入', 'income', 'credit'),"               \
    " ('4203', '市级财政补助收入', 'income', 'credit'),"               \
    " ('4204', '县级财政补助收入', 'income', 'credit'),"               \
    " ('4301', '利息收入', 'income', 'credit'),"                           \
    " ('4401', '转移收入', 'income', 'credit'),"                           \
    " ('5101', '基本医疗保险待遇支出', 'expense', 'debit'),"         \
    " ('5102', '大病保险支出', 'expense', 'debit'),"                     \
    " ('5103', '医疗救助支出', 'expense', 'debit'),"                     \
    " ('5104', '资助参保支出', 'expense', 'debit'),"                     \
    " ('5201', '上解/转出支出', 'expense', 'debit');"

/* Scripts are split so no string literal passes the 4,095 characters
 * ISO C asks compilers to support. */
static const char *const m1[] = {M1_REFERENCE, M1_REGISTRY, M1_FINANCING,
                                 M1_LEDGER,    M1_CHART,    NULL};

/* Migration 2: enrolment transfers and the collection channel.
 * A transfer between regions (转移接续) ends the old enrolment with status
 * 'transferred' and opens the new one the same day, so the one-live-
 * enrolment index must leave transferred rows out as it does cancelled
 * ones. A contribution keeps the channel it came through (wechat, bank,
 * assistance ...) and a note (a refund's reason); refunds look up the row
 * they reverse. */
#define M2_ENROLMENT                                                           \
    "DROP INDEX enrolment_one_per_scheme;"                                     \
    "CREATE UNIQUE INDEX enrolment_one_per_scheme"                             \
    " ON enrolment (psn_no, scheme, year)"                                     \
    " WHERE status NOT IN ('cancelled', 'transferred');"                       \
    "CREATE INDEX enrolment_psn ON enrolment (psn_no, year);"                  \
    "ALTER TABLE contribution ADD COLUMN channel TEXT;"                        \
    "ALTER TABLE contribution ADD COLUMN note TEXT;"                           \
    "CREATE INDEX contribution_reverses ON contribution (reverses);"

static const char *const m2[] = {M2_ENROLMENT, NULL};

/* Migration 3: the hospital interface (docs/hospital.md). A sign-in (9001)
 * opens a session whose sign_no every later call carries; the message log
 * keeps the answer to every msgid, so a retry gets the stored answer and
 * a lost answer can be reversed by its msgid (2601). request_hash is the
 * BLAKE2b of the request body: a msgid reused for another request is
 * refused. */
#define M3_HOSPITAL                                                            \
    "CREATE TABLE sign_session ("                                              \
    " sign_no TEXT PRIMARY KEY,"                                               \
    " fixmedins_code TEXT NOT NULL REFERENCES institution (fixmedins_code),"   \
    " opter_no TEXT NOT NULL, mac TEXT, ip TEXT,"                              \
    " sign_time TEXT NOT NULL, expires_at TEXT NOT NULL,"                      \
    " signed_out_at TEXT) STRICT;"                                             \
    "CREATE INDEX sign_session_inst ON sign_session (fixmedins_code);"         \
    "CREATE TABLE message ("                                                   \
    " msgid TEXT PRIMARY KEY, fixmedins_code TEXT NOT NULL,"                   \
    " infno TEXT NOT NULL, request_hash TEXT NOT NULL,"                        \
    " infcode INTEGER NOT NULL, response TEXT NOT NULL,"                       \
    " at TEXT NOT NULL) STRICT;"

static const char *const m3[] = {M3_HOSPITAL, NULL};

/* Migration 4: visits and their fee lines (2201-2205). A visit is
 * registered open, takes fee lines in charge batches (chrg_bchno), and is
 * cancelled or settled; a fee line is cancelled, never deleted. Quantities
 * are 1/10,000 units, prices micro-yuan, amounts fen. */
#define M4_VISITS                                                              \
    "CREATE TABLE visit ("                                                     \
    " mdtrt_id TEXT PRIMARY KEY,"                                              \
    " psn_no TEXT NOT NULL REFERENCES person (psn_no),"                        \
    " fixmedins_code TEXT NOT NULL REFERENCES institution (fixmedins_code),"   \
    " insutype TEXT NOT NULL, med_type TEXT NOT NULL, kind TEXT NOT NULL"      \
    "  CHECK (kind IN ('outpatient', 'inpatient')),"                           \
    " begntime TEXT NOT NULL, endtime TEXT, ipt_otp_no TEXT NOT NULL,"         \
    " atddr_no TEXT, dr_name TEXT, dept_code TEXT, dept_name TEXT, caty TEXT," \
    " dise_codg TEXT, dise_name TEXT, diag_codes TEXT,"                        \
    " insuplc_admdvs TEXT, mdtrtarea_admvs TEXT,"                              \
    " status TEXT NOT NULL CHECK (status IN ('open', 'cancelled', "            \
    "'settled')),"                                                             \
    " event_id INTEGER REFERENCES event (id)) STRICT;"                         \
    "CREATE INDEX visit_psn ON visit (psn_no, begntime);"                      \
    "CREATE UNIQUE INDEX visit_ipt_otp_no ON visit (fixmedins_code, "          \
    " ipt_otp_no) WHERE status <> 'cancelled';"                                \
    "CREATE TABLE fee_line ("                                                  \
    " id INTEGER PRIMARY KEY,"                                                 \
    " mdtrt_id TEXT NOT NULL REFERENCES visit (mdtrt_id),"                     \
    " feedetl_sn TEXT NOT NULL, chrg_bchno TEXT NOT NULL,"                     \
    " med_list_codg TEXT NOT NULL, medins_list_codg TEXT,"                     \
    " cnt INTEGER NOT NULL, pric INTEGER NOT NULL, amount INTEGER NOT NULL,"   \
    " fee_ocur_time TEXT NOT NULL, dise_codg TEXT, hosp_appr_flag TEXT,"       \
    " status TEXT NOT NULL CHECK (status IN ('valid', 'cancelled')),"          \
    " event_id INTEGER REFERENCES event (id)) STRICT;"                         \
    "CREATE UNIQUE INDEX fee_line_sn ON fee_line (mdtrt_id, feedetl_sn)"       \
    " WHERE status = 'valid';"                                                 \
    "CREATE INDEX fee_line_batch ON fee_line (mdtrt_id, chrg_bchno);"

static const char *const m4[] = {M4_VISITS, NULL};

/* Migration 5: settlements (2206-2208). A settlement keeps every setlinfo
 * figure and its trace; its per-fund payments are settlement_fund rows;
 * the person's year-to-date accumulators are one row per key, and what a
 * settlement added to each is kept so a reversal takes exactly that away.
 * A reversal is a new settlement row with the amounts negated, naming the
 * one it reverses, whose status becomes 'reversed'. */
#define M5_SETTLEMENT                                                          \
    "CREATE TABLE settlement ("                                                \
    " setl_id TEXT PRIMARY KEY,"                                               \
    " mdtrt_id TEXT NOT NULL REFERENCES visit (mdtrt_id),"                     \
    " psn_no TEXT NOT NULL REFERENCES person (psn_no),"                        \
    " fixmedins_code TEXT NOT NULL, year INTEGER NOT NULL,"                    \
    " setl_time TEXT NOT NULL, med_type TEXT NOT NULL,"                        \
    " medfee_sumamt INTEGER NOT NULL, fulamt_ownpay_amt INTEGER NOT NULL,"     \
    " overlmt_selfpay INTEGER NOT NULL, preselfpay_amt INTEGER NOT NULL,"      \
    " inscp_scp_amt INTEGER NOT NULL, act_pay_dedc INTEGER NOT NULL,"          \
    " hifp_pay INTEGER NOT NULL, hifmi_pay INTEGER NOT NULL,"                  \
    " maf_pay INTEGER NOT NULL, oth_pay INTEGER NOT NULL,"                     \
    " fund_pay_sumamt INTEGER NOT NULL, psn_part_amt INTEGER NOT NULL,"        \
    " psn_cash_pay INTEGER NOT NULL, trace TEXT NOT NULL,"                     \
    " status TEXT NOT NULL CHECK (status IN ('settled', 'reversed',"           \
    "  'reversal')),"                                                          \
    " reverses TEXT REFERENCES settlement (setl_id),"                          \
    " event_id INTEGER REFERENCES event (id)) STRICT;"                         \
    "CREATE UNIQUE INDEX settlement_live ON settlement (mdtrt_id)"             \
    " WHERE status = 'settled';"                                               \
    "CREATE INDEX settlement_psn ON settlement (psn_no, year);"                \
    "CREATE TABLE settlement_fund ("                                           \
    " setl_id TEXT NOT NULL REFERENCES settlement (setl_id),"                  \
    " seq INTEGER NOT NULL, fund_pay_type TEXT NOT NULL,"                      \
    " inscp_scp_amt INTEGER NOT NULL, crt_payb_lmt_amt INTEGER,"               \
    " fund_payamt INTEGER NOT NULL, setl_proc_info TEXT,"                      \
    " PRIMARY KEY (setl_id, seq)) STRICT;"                                     \
    "CREATE TABLE accumulator ("                                               \
    " psn_no TEXT NOT NULL REFERENCES person (psn_no), year INTEGER NOT NULL," \
    " key TEXT NOT NULL, value INTEGER NOT NULL,"                              \
    " PRIMARY KEY (psn_no, year, key)) STRICT, WITHOUT ROWID;"                 \
    "CREATE TABLE settlement_accum ("                                          \
    " setl_id TEXT NOT NULL REFERENCES settlement (setl_id),"                  \
    " key TEXT NOT NULL, delta INTEGER NOT NULL,"                              \
    " PRIMARY KEY (setl_id, key)) STRICT;"

static const char *const m5[] = {M5_SETTLEMENT, NULL};

/* Migration 6: reversal by msgid (2601). The message log keeps the
 * business key a call made or touched (mdtrt_id, setl_id, sign_no) and,
 * once it has been reversed, the msgid of the 2601 that did it. */
#define M6_MESSAGE_REF                                                         \
    "ALTER TABLE message ADD COLUMN ref TEXT;"                                 \
    "ALTER TABLE message ADD COLUMN reversed_by TEXT;"

static const char *const m6[] = {M6_MESSAGE_REF, NULL};

/* Migration 7: the catalogue's version, a counter in meta that triggers
 * raise on every change to catalogue_item, so a server holding the
 * catalogue in memory learns of a change by reading one row (not by
 * counting the table on every fee upload). */
#define M7_CATALOGUE_VERSION                                                   \
    "INSERT INTO meta (key, value) VALUES ('catalogue_version', '0')"          \
    " ON CONFLICT (key) DO NOTHING;"                                           \
    "CREATE TRIGGER catalogue_item_ins AFTER INSERT ON catalogue_item BEGIN"   \
    " UPDATE meta SET value = CAST(value AS INTEGER) + 1"                      \
    "  WHERE key = 'catalogue_version'; END;"                                  \
    "CREATE TRIGGER catalogue_item_upd AFTER UPDATE ON catalogue_item BEGIN"   \
    " UPDATE meta SET value = CAST(value AS INTEGER) + 1"                      \
    "  WHERE key = 'catalogue_version'; END;"                                  \
    "CREATE TRIGGER catalogue_item_del AFTER DELETE ON catalogue_item BEGIN"   \
    " UPDATE meta SET value = CAST(value AS INTEGER) + 1"                      \
    "  WHERE key = 'catalogue_version'; END;"

static const char *const m7[] = {M7_CATALOGUE_VERSION, NULL};

/* Migration 8: cheaper writes for the hospital server.
 *
 * 1. The audit chain loses its UNIQUE index on prev_hash. Every event
 *    inserted a random key into it: with group commit, a batch of twenty
 *    calls dirtied some twenty pages of that index alone, a fifth of all
 *    the pages a commit wrote. A fork of the chain cannot happen (each
 *    event reads the chain's tail in the write transaction that appends to
 *    it) and `yibao audit verify` still finds one.
 * 2. A CHECK with an IN list of three or more constants makes SQLite build
 *    a temporary b-tree at every insert and update of the row (a list of
 *    two or fewer, or comparisons joined by OR, it tests in place). The
 *    checks of visit.status, settlement.status, contribution.kind and
 *    account.kind are rewritten as ORs of the same values (the same
 *    constraint) in the stored schema: SQLite's documented way to change a
 *    CHECK without rebuilding a table (writable_schema, then a new schema
 *    version so that every connection reads the schema again). */
#define M8_AUDIT                                                               \
    "CREATE TABLE audit_new ("                                                 \
    " id INTEGER PRIMARY KEY, event_id INTEGER REFERENCES event (id),"         \
    " actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL,"        \
    " at TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;"  \
    "INSERT INTO audit_new (id, event_id, actor, action, detail, at, "         \
    " prev_hash, hash) SELECT id, event_id, actor, action, detail, at, "       \
    " prev_hash, hash FROM audit ORDER BY id;"                                 \
    "DROP TABLE audit;"                                                        \
    "ALTER TABLE audit_new RENAME TO audit;"

static const char *const m8[] = {M8_AUDIT, NULL};

/* The checks of migration 8, as migrations 1-5 wrote them and as OR. */
static const struct {
    const char *table, *was, *now;
} m8_checks[] = {
    {"visit", "CHECK (status IN ('open', 'cancelled', 'settled'))",
     "CHECK (status = 'open' OR status = 'cancelled' OR status = 'settled')"},
    {"settlement", "CHECK (status IN ('settled', 'reversed',  'reversal'))",
     "CHECK (status = 'settled' OR status = 'reversed' OR "
     "status = 'reversal')"},
    {"contribution", "CHECK (kind IN ('payment', 'correction', 'refund'))",
     "CHECK (kind = 'payment' OR kind = 'correction' OR kind = 'refund')"},
    {"account",
     "CHECK (kind IN  ('asset', 'liability', 'income', 'expense', 'equity'))",
     "CHECK (kind = 'asset' OR kind = 'liability' OR kind = 'income' OR "
     "kind = 'expense' OR kind = 'equity')"},
};

/* Read one integer from a query without parameters. */
static int m8_int(yb_store *s, const char *sql, int64_t *out, struct yb_err *e)
{
    yb_stmt *st;
    int rc = yb_store_prepare(s, sql, &st, e);
    if (rc != YB_OK)
        return rc;
    rc = yb_stmt_step(st, e);
    if (rc == YB_ROW) {
        *out = yb_stmt_int(st, 0);
        rc = YB_OK;
    } else if (rc == YB_DONE) {
        rc = yb_err_set(e, YB_ESTORE, "schema", "查询 %s：没有数据行 (no row)",
                        sql);
    }
    yb_stmt_reset(st);
    return rc;
}

static int m8_rewrite_checks(yb_store *s, struct yb_err *e)
{
    static const char rewrite[] =
        "UPDATE sqlite_schema SET sql = replace(sql, $1, $2) "
        "WHERE type = 'table' AND name = $3 AND instr(sql, $1) > 0";
    int64_t version = 0;
    int rc = m8_int(s, "PRAGMA schema_version", &version, e);
    if (rc == YB_OK)
        rc = yb_store_exec(s, "PRAGMA writable_schema = ON", e);
    for (size_t i = 0; rc == YB_OK && i < sizeof m8_checks / sizeof *m8_checks;
         i++) {
        yb_stmt *st;
        rc = yb_store_prepare(s, rewrite, &st, e);
        if (rc == YB_OK &&
            (rc = yb_stmt_bind_text(st, 1, m8_checks[i].was)) == YB_OK &&
            (rc = yb_stmt_bind_text(st, 2, m8_checks[i].now)) == YB_OK &&
            (rc = yb_stmt_bind_text(st, 3, m8_checks[i].table)) == YB_OK)
            rc = yb_stmt_step(st, e);
        if (rc == YB_DONE)
            rc = yb_stmt_changes(st) == 1
                     ? YB_OK
                     : yb_err_set(e, YB_ESTORE, m8_checks[i].table,
                                  "约束 %s 不在数据库模式中 (unknown check)",
                                  m8_checks[i].was);
        yb_stmt_reset(st);
    }
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA schema_version = %lld",
             (long long)version + 1);
    if (rc == YB_OK)
        rc = yb_store_exec(s, bump, e);
    /* off whatever happened: the transaction rolls back on an error */
    struct yb_err ignore = {0};
    yb_store_exec(s, "PRAGMA writable_schema = OFF", &ignore);
    return rc;
}

/* Migration 9: residence changes (户籍/居住地变更). A person's residence
 * (person.resd_admdvs) is the one now; each change keeps where from and to,
 * the day of the move and its reason, so a person's residence on any day
 * can be told and an auditor sees every move. */
#define M9_RESIDENCE                                                           \
    "CREATE TABLE residence_change ("                                          \
    " id INTEGER PRIMARY KEY,"                                                 \
    " psn_no TEXT NOT NULL REFERENCES person (psn_no),"                        \
    " from_admdvs TEXT NOT NULL, to_admdvs TEXT NOT NULL,"                     \
    " moved_on TEXT NOT NULL, reason TEXT,"                                    \
    " event_id INTEGER NOT NULL REFERENCES event (id)) STRICT;"                \
    "CREATE INDEX residence_change_psn ON residence_change (psn_no, "          \
    "moved_on);"

static const char *const m9[] = {M9_RESIDENCE, NULL};

/* Migration 10: two indexes hold only the rows they are asked for. A
 * payment reverses nothing and most persons go to no school, yet every
 * payment and every person wrote a NULL key into contribution_reverses
 * and person_school. Their look-ups (r.reverses = c.id, school_code = $1)
 * imply a key that is not NULL, so SQLite uses the partial indexes for
 * them; a region's first load writes one index entry less per payment
 * and per person out of school. */
#define M10_PARTIAL                                                            \
    "DROP INDEX contribution_reverses;"                                        \
    "CREATE INDEX contribution_reverses ON contribution (reverses)"            \
    " WHERE reverses IS NOT NULL;"                                             \
    "DROP INDEX person_school;"                                                \
    "CREATE INDEX person_school ON person (school_code)"                       \
    " WHERE school_code IS NOT NULL;"

static const char *const m10[] = {M10_PARTIAL, NULL};

/* Migration 11: one index for a person's enrolments. The one-live-
 * enrolment rule was a unique index over the live rows only (psn_no,
 * scheme, year WHERE status NOT IN cancelled, transferred), and a person's
 * history needed a second index, (psn_no, year), for the rows it left
 * out. A unique index over every row does both: its last key is 1 for a
 * live row and NULL for a cancelled or transferred one, and NULLs never
 * collide in a unique index (SQLite and PostgreSQL alike). Its columns
 * serve every look-up by person (with scheme and year, or a range of
 * years, or none), and a region's first load writes one index entry less
 * per enrolment. */
#define M11_ENROLMENT_INDEX                                                    \
    "DROP INDEX enrolment_one_per_scheme;"                                     \
    "DROP INDEX enrolment_psn;"                                                \
    "CREATE UNIQUE INDEX enrolment_one_per_scheme"                             \
    " ON enrolment (psn_no, scheme, year,"                                     \
    " (CASE WHEN status IN ('cancelled', 'transferred') THEN NULL ELSE 1"      \
    " END));"

static const char *const m11[] = {M11_ENROLMENT_INDEX, NULL};

/* Migration 12: no index on a person's residence. Nothing looks persons
 * up by resd_admdvs (the registry finds them by psn_no, ID number,
 * household or school; regions' headcounts come from the enrolments), and
 * the index cost every registration an entry among a region's few
 * residence codes: a fifth of the time of a bulk insert of persons. */
#define M12_NO_RESIDENCE_INDEX "DROP INDEX person_resd;"

static const char *const m12[] = {M12_NO_RESIDENCE_INDEX, NULL};

/* Migration 13: the policy set (docs/policy.md). Every policy file a
 * deployment uses is imported as a version: its pooling region, insurance
 * type, coverage year and validity (copied from the file, so the services
 * find the one in force without parsing every file), the text exactly as
 * imported and its BLAKE2b-256 digest (the same text twice is one
 * version), who imported it, when, and the event of the import. Versions
 * are never changed or deleted; a correction is a new version, imported
 * later. A counter in meta, raised by triggers on every change to the
 * table, tells a process holding parsed policies that its copy is stale
 * (as catalogue_version does for the catalogue). A settlement names the
 * version it was computed under (settlements made before: NULL). */
#define M13_POLICY_SET                                                         \
    "CREATE TABLE policy_version ("                                            \
    " id INTEGER PRIMARY KEY, region TEXT NOT NULL, insutype TEXT NOT NULL,"   \
    " year INTEGER NOT NULL, valid_from TEXT NOT NULL,"                        \
    " valid_to TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,"         \
    " digest TEXT NOT NULL UNIQUE, imported_by TEXT NOT NULL,"                 \
    " imported_at TEXT NOT NULL,"                                              \
    " event_id INTEGER NOT NULL REFERENCES event (id),"                        \
    " CHECK (valid_from <= valid_to)) STRICT;"                                 \
    "CREATE INDEX policy_version_region ON policy_version"                     \
    " (region, insutype, year);"                                               \
    "INSERT INTO meta (key, value) VALUES ('policy_set_version', '0')"         \
    " ON CONFLICT (key) DO NOTHING;"                                           \
    "CREATE TRIGGER policy_version_ins AFTER INSERT ON policy_version BEGIN"   \
    " UPDATE meta SET value = CAST(value AS INTEGER) + 1"                      \
    "  WHERE key = 'policy_set_version'; END;"                                 \
    "CREATE TRIGGER policy_version_upd AFTER UPDATE ON policy_version BEGIN"   \
    " UPDATE meta SET value = CAST(value AS INTEGER) + 1"                      \
    "  WHERE key = 'policy_set_version'; END;"                                 \
    "CREATE TRIGGER policy_version_del AFTER DELETE ON policy_version BEGIN"   \
    " UPDATE meta SET value = CAST(value AS INTEGER) + 1"                      \
    "  WHERE key = 'policy_set_version'; END;"                                 \
    "ALTER TABLE settlement ADD COLUMN policy_id INTEGER"                      \
    " REFERENCES policy_version (id);"

static const char *const m13[] = {M13_POLICY_SET, NULL};

/* Migration 14: the hospital interface's secrets and ownership.
 * - A sign-in session keeps only the BLAKE2b-256 of its sign_no, and the
 *   salt from which the sign_no was derived with the institution's
 *   credential (a retried 9001 answers the same sign_no again, derived
 *   anew from the credential it presents). The old sessions, keyed by the
 *   sign_no itself, are dropped: their institutions sign in again.
 * - The message log is keyed by (institution, msgid): a msgid belongs to
 *   its institution, so another one's calls can never occupy it. The
 *   sign_no in stored 9001 answers is blotted out (its sessions are gone)
 *   and their ref (the plain sign_no) cleared.
 * - lookup_audit: every person lookup (1101) a signed-in institution made,
 *   for auditors: who (institution, operator), whom (psn_no, or the
 *   certificate asked for, masked, when none was found), when and with
 *   what result. Written by the server's writer in its batches. Indexed
 *   by institution and time only: an index by person, whose inserts land
 *   at random places, tripled the cost of storing a record (11 against 4
 *   us); a query by person scans. */
#define M14_SESSIONS                                                           \
    "DROP TABLE sign_session;"                                                 \
    "CREATE TABLE sign_session ("                                              \
    " sign_hash TEXT PRIMARY KEY, salt TEXT NOT NULL,"                         \
    " fixmedins_code TEXT NOT NULL REFERENCES institution (fixmedins_code),"   \
    " opter_no TEXT NOT NULL, mac TEXT, ip TEXT,"                              \
    " sign_time TEXT NOT NULL, expires_at TEXT NOT NULL,"                      \
    " signed_out_at TEXT) STRICT;"                                             \
    "CREATE INDEX sign_session_inst ON sign_session (fixmedins_code);"
#define M14_MESSAGE                                                            \
    "CREATE TABLE message_by_inst ("                                           \
    " fixmedins_code TEXT NOT NULL, msgid TEXT NOT NULL,"                      \
    " infno TEXT NOT NULL, request_hash TEXT NOT NULL,"                        \
    " infcode INTEGER NOT NULL, response TEXT NOT NULL,"                       \
    " at TEXT NOT NULL, ref TEXT, reversed_by TEXT,"                           \
    " PRIMARY KEY (fixmedins_code, msgid)) STRICT;"                            \
    "INSERT INTO message_by_inst (fixmedins_code, msgid, infno, request_hash," \
    " infcode, response, at, ref, reversed_by)"                                \
    " SELECT fixmedins_code, msgid, infno, request_hash, infcode,"             \
    " CASE WHEN infno = '9001' AND instr(response, '\"sign_no\":\"') > 0"      \
    " THEN substr(response, 1, instr(response, '\"sign_no\":\"') + 10) ||"     \
    " '******************************' ||"                                     \
    " substr(response, instr(response, '\"sign_no\":\"') + 41)"                \
    " ELSE response END, at,"                                                  \
    " CASE WHEN infno = '9001' THEN NULL ELSE ref END, reversed_by"            \
    " FROM message;"                                                           \
    "DROP TABLE message;"                                                      \
    "ALTER TABLE message_by_inst RENAME TO message;"
#define M14_LOOKUP_AUDIT                                                       \
    "CREATE TABLE lookup_audit ("                                              \
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL,"                               \
    " fixmedins_code TEXT NOT NULL, opter TEXT NOT NULL,"                      \
    " opter_name TEXT NOT NULL, infno TEXT NOT NULL, msgid TEXT NOT NULL,"     \
    " psn_no TEXT, cert_type TEXT NOT NULL, cert_no TEXT NOT NULL,"            \
    " infcode INTEGER NOT NULL, err_code INTEGER NOT NULL) STRICT;"            \
    "CREATE INDEX lookup_audit_inst ON lookup_audit (fixmedins_code, at);"

static const char *const m14[] = {M14_SESSIONS, M14_MESSAGE, M14_LOOKUP_AUDIT,
                                  NULL};

/* Migration 15: the hospital interface as HIS code reads it.
 * settlement.pool_prop_selfpay is the basic fund's payment ratio in
 * 1/10,000 (0.7000 is 7000; docs/hospital.md), kept for 5203 and the
 * reversals; earlier rows get it from their basic fund row (390100):
 * hifp_pay over its base above act_pay_dedc, rounded half up, and a
 * reversal its original's. settlement_fund.crt_payb_lmt_amt is never
 * NULL: a fund without a cap shows its own base, the most it can pay.
 * visit.mdtrt_cert_type is the certificate a visit was registered with,
 * which its settlement must name again (NULL for earlier visits: 02 or
 * 03, as then). */
#define M15_INTERFACE                                                          \
    "ALTER TABLE settlement ADD COLUMN pool_prop_selfpay INTEGER NOT NULL"     \
    " DEFAULT 0;"                                                              \
    "UPDATE settlement SET pool_prop_selfpay = COALESCE(("                     \
    " SELECT CASE WHEN f.inscp_scp_amt - o.act_pay_dedc > 0"                   \
    " THEN (2 * o.hifp_pay * 10000 + f.inscp_scp_amt - o.act_pay_dedc)"        \
    " / (2 * (f.inscp_scp_amt - o.act_pay_dedc)) ELSE 0 END"                   \
    " FROM settlement o JOIN settlement_fund f ON f.setl_id = o.setl_id"       \
    " WHERE o.setl_id = COALESCE(settlement.reverses, settlement.setl_id)"     \
    " AND f.fund_pay_type = '390100' AND f.seq = (SELECT MIN(g.seq) FROM"      \
    " settlement_fund g WHERE g.setl_id = o.setl_id AND g.fund_pay_type ="     \
    " '390100')), 0);"                                                         \
    "UPDATE settlement_fund SET crt_payb_lmt_amt = inscp_scp_amt"              \
    " WHERE crt_payb_lmt_amt IS NULL;"                                         \
    "ALTER TABLE visit ADD COLUMN mdtrt_cert_type TEXT;"

static const char *const m15[] = {M15_INTERFACE, NULL};

const struct yb__migration yb__sqlite_migrations[] = {
    {1, m1, NULL},   {2, m2, NULL},
    {3, m3, NULL},   {4, m4, NULL},
    {5, m5, NULL},   {6, m6, NULL},
    {7, m7, NULL},   {8, m8, m8_rewrite_checks},
    {9, m9, NULL},   {10, m10, NULL},
    {11, m11, NULL}, {12, m12, NULL},
    {13, m13, NULL}, {14, m14, NULL},
    {15, m15, NULL}, {0, NULL, NULL},
};
