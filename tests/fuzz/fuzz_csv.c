/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the CSV reader and every import kind on arbitrary
 * bytes. Import files come from other bureaus' systems and are the widest
 * door into the registry. The reader runs over fmemopen and must deliver
 * records whose line numbers never go back and whose fields are within its
 * limits. Then the bytes are written to a file and imported as each kind
 * in turn into one SQLite database per process (reset every 256 inputs so
 * it stays small), preloaded with a region, a person, a catalogue item, a
 * school and a household so that duplicates, overlaps and lookups are
 * reachable. After every import: a refused job left no table changed; an
 * accepted job added at most one record per good row (exactly one for
 * kinds that only insert), its counts add up and all its bad rows are
 * listed; every person has its event and audit row, every event its
 * opening audit row, the audit chain verifies and every fund's journal
 * balances. Any violation aborts; the sanitizers catch crashes and leaks.
 * Payments need a policy: tests/fuzz/run.sh runs from the repository root,
 * where tests/data/enrol/synth-2018.json is found (YB_FUZZ_POLICY names
 * another); without it the payment kind is refused at its header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "yibao/csv.h"
#include "yibao/event.h"
#include "yibao/import.h"
#include "yibao/policy.h"
#include "yibao/store.h"
#include "yibao/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RESET_EVERY 256

static char dir[64], db_path[96], csv_path[96];
static yb_store *db;
static struct yb_policy *policy;
static unsigned long inputs;

/* Report a broken promise and stop: libFuzzer keeps the input. */
static const char *current = "csv"; /* the kind being imported */

static void broken(const char *what, long a, long b)
{
    fprintf(stderr, "fuzz_csv: %s: %s (%ld, %ld)\n", current, what, a, b);
    abort();
}

/* ---- the CSV reader alone ------------------------------------------------ */

struct reader_state {
    long last_line;
    long records;
    int header_n;
};

static int on_record(const struct yb_csv_row *row, void *ud, struct yb_err *e)
{
    struct reader_state *st = ud;
    static const char *const names[] = {"certno", "psn_name", "admdvs", NULL};
    int idx[3];

    (void)e;
    /* A record cut off by a broken quote is followed by the lines it had
     * swallowed, read again: the line may go back, but never before the
     * line of the record before it. */
    if (row->line < 1 || row->line < st->last_line ||
        row->record != st->records || row->n < 0 || row->n > 256 ||
        (row->n < 1 && !row->bad))
        broken("record out of order or of a bad size", row->line, row->n);
    for (int i = 0; i < row->n; i++)
        if (row->f[i] == NULL || strlen(row->f[i]) > 64 * 1024)
            broken("field missing or too long", row->line, i);
    /* a record delivered as good is text: UTF-8 without NUL, and as many
     * fields as the header */
    if (!row->bad && row->record > 0 && row->n != st->header_n)
        broken("a good record with another number of fields", row->line,
               row->n);
    for (int i = 0; !row->bad && i < row->n; i++)
        if (yb_utf8_check(row->f[i], strlen(row->f[i]), NULL) != YB_UTF8_OK)
            broken("a good record that is not UTF-8", row->line, i);
    if (row->bad && (row->bad->msg[0] == '\0' ||
                     yb_utf8_check(row->bad->msg, strlen(row->bad->msg),
                                   NULL) != YB_UTF8_OK))
        broken("a refusal without a UTF-8 message", row->line, 0);
    if (row->record == 0)
        st->header_n = row->n;
    if (row->record == 0)
        (void)yb_csv_columns(row, names, names, idx, e);
    st->last_line = row->line;
    st->records++;
    return YB_OK;
}

static void read_csv(const uint8_t *data, size_t size)
{
    struct reader_state st = {0};
    struct yb_err e = {0};
    FILE *f;

    if (size == 0)
        return; /* fmemopen refuses an empty buffer */
    f = fmemopen((void *)data, size, "rb");
    if (f == NULL)
        return;
    (void)yb_csv_read(f, "fuzz.csv", NULL, on_record, &st, &e);
    fclose(f);
    /* the same bytes as a file from Chinese Windows */
    struct yb_csv_opts gbk = {.encoding = (data[0] & 1) ? "gb18030" : "gbk"};
    memset(&st, 0, sizeof st);
    f = fmemopen((void *)data, size, "rb");
    if (f == NULL)
        return;
    (void)yb_csv_read(f, "fuzz.csv", &gbk, on_record, &st, &e);
    fclose(f);
}

/* ---- the database ----------------------------------------------------------
 */

static int64_t count(const char *sql)
{
    struct yb_err e;
    yb_stmt *st;
    int64_t v = -1;

    if (yb_store_prepare(db, sql, &st, &e) != YB_OK)
        broken(e.msg, 0, 0);
    if (yb_stmt_step(st, &e) == YB_ROW)
        v = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return v;
}

static void write_file(const char *text, size_t len)
{
    FILE *f = fopen(csv_path, "wb");

    if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0)
        broken("cannot write the input file", 0, 0);
}

static int import(enum yb_import_kind kind, struct yb_import_result *r,
                  struct yb_err *e)
{
    struct yb_import_opts o = {.path = csv_path,
                               .actor = "fuzz",
                               .now = "2024-05-01 09:00:00",
                               .policy = policy};

    return yb_import_run(db, kind, &o, r, e);
}

static void preload(enum yb_import_kind kind, const char *text)
{
    struct yb_import_result r;
    struct yb_err e;

    write_file(text, strlen(text));
    if (import(kind, &r, &e) != YB_OK || r.bad != 0)
        broken("preloading failed", kind, r.bad);
}

static void remove_db(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[128];

    yb_store_close(db);
    db = NULL;
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
        unlink(p);
    }
}

static void open_db(void)
{
    struct yb_err e;

    if (yb_store_open(db_path, YB_STORE_CREATE | YB_STORE_NOSYNC, &db, &e) !=
        YB_OK)
        broken(e.msg, 0, 0);
    preload(YB_IMPORT_REGION, "admdvs,name\n530000,云南省\n530100,昆明市\n"
                              "530102,五华区\n");
    preload(YB_IMPORT_PERSON, "certno,psn_name,gend,brdy,admdvs\n"
                              "530102198605120813,张伟,1,1986-05-12,530102\n");
    preload(YB_IMPORT_CATALOGUE,
            "med_list_codg,med_list_name,list_type,chrgitm_lv,begndate,"
            "enddate\n110900001000004,床位费,201,01,2020-01-01,2024-06-30\n");
    preload(YB_IMPORT_SCHOOL, "school_code,school_name,admdvs\n"
                              "5301020001,五华区第1小学,530102\n");
    preload(YB_IMPORT_HOUSEHOLD, "household_id,head_certno,admdvs\n"
                                 "5301000000000002,530102198605120813,"
                                 "530102\n");
}

static void cleanup(void)
{
    remove_db();
    unlink(csv_path);
    rmdir(dir);
    yb_policy_free(policy);
}

static void load_policy(void)
{
    const char *path = getenv("YB_FUZZ_POLICY");
    struct yb_err e;
    char *text;
    long n;
    FILE *f;

    if (path == NULL)
        path = "tests/data/enrol/synth-2018.json";
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "fuzz_csv: no policy %s: payments refused\n", path);
        return;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)n)) != NULL) {
        if (fread(text, 1, (size_t)n, f) == (size_t)n)
            (void)yb_policy_parse(text, (size_t)n, &policy, &e);
        free(text);
    }
    fclose(f);
    fprintf(stderr, "fuzz_csv: payments under %s: %s\n", path,
            policy ? "loaded" : "refused");
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/yb-fuzz-csv-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(dir) == NULL)
        broken("mkdtemp failed", 0, 0);
    snprintf(db_path, sizeof db_path, "%s/fuzz.sqlite", dir);
    snprintf(csv_path, sizeof csv_path, "%s/in.csv", dir);
    load_policy();
    open_db();
    atexit(cleanup);
}

/* ---- invariants ------------------------------------------------------------
 */

/* The table each kind writes, and whether it only inserts (regions and
 * institutions are upserted, payments write several tables). */
static const struct {
    const char *sql;
    int exact;
} kinds[] = {
    [YB_IMPORT_REGION] = {"SELECT count(*) FROM region", 0},
    [YB_IMPORT_INSTITUTION] = {"SELECT count(*) FROM institution", 0},
    [YB_IMPORT_CATALOGUE] = {"SELECT count(*) FROM catalogue_item", 1},
    [YB_IMPORT_PERSON] = {"SELECT count(*) FROM person", 1},
    [YB_IMPORT_IDENTITY] = {"SELECT count(*) FROM identity", 1},
    [YB_IMPORT_SCHOOL] = {"SELECT count(*) FROM school", 1},
    [YB_IMPORT_HOUSEHOLD] = {"SELECT count(*) FROM household", 1},
};

/* Rows of every table an import may write, as one number to compare. */
static int64_t everything(void)
{
    return count("SELECT (SELECT count(*) FROM region) + (SELECT count(*) "
                 "FROM institution) + (SELECT count(*) FROM catalogue_item) + "
                 "(SELECT count(*) FROM person) + (SELECT count(*) FROM "
                 "identity) + (SELECT count(*) FROM school) + (SELECT "
                 "count(*) FROM household) + (SELECT count(*) FROM event) + "
                 "(SELECT count(*) FROM audit) + (SELECT count(*) FROM "
                 "journal) + (SELECT count(*) FROM import_job) + (SELECT "
                 "count(*) FROM import_error) + (SELECT count(*) FROM seq) + "
                 "(SELECT count(*) FROM enrolment) + (SELECT count(*) FROM "
                 "contribution)");
}

static void check_store(void)
{
    struct yb_err e;
    int64_t bad = 0;

    if (count("SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM "
              "event v WHERE v.id = p.event_id) OR NOT EXISTS (SELECT 1 FROM "
              "audit a WHERE a.event_id = p.event_id)") != 0)
        broken("a person without its event or audit row", 0, 0);
    if (count("SELECT count(*) FROM event v WHERE (SELECT count(*) FROM audit "
              "a WHERE a.event_id = v.id AND a.action = v.kind) <> 1") != 0)
        broken("an event without its one opening audit row", 0, 0);
    if (count("SELECT count(*) FROM (SELECT fund FROM journal GROUP BY fund "
              "HAVING sum(debit) <> sum(credit))") != 0)
        broken("a fund's journal does not balance", 0, 0);
    if (yb_audit_verify(db, &bad, NULL, &e) != YB_OK || bad != 0)
        broken("the audit chain is broken", (long)bad, 0);
}

/* count(*) of a literal query with one integer parameter (the store caches
 * statements by the address of their text: never a buffer). */
static int64_t count_of(const char *sql, int64_t v)
{
    struct yb_err e;
    yb_stmt *st;
    int64_t n = -1;

    if (yb_store_prepare(db, sql, &st, &e) != YB_OK)
        broken(e.msg, 0, 0);
    yb_stmt_bind_int(st, 1, v);
    if (yb_stmt_step(st, &e) == YB_ROW)
        n = yb_stmt_int(st, 0);
    yb_stmt_reset(st);
    return n;
}

/* The job row as "status rows_done rows_ok rows_bad" into buf. */
static const char *job_row(int64_t id, char *buf, size_t n)
{
    struct yb_err e;
    yb_stmt *st;

    if (yb_store_prepare(db,
                         "SELECT printf('%s %d %d %d', status, rows_done, "
                         "rows_ok, rows_bad) FROM import_job WHERE id = $1",
                         &st, &e) != YB_OK)
        broken(e.msg, 0, 0);
    yb_stmt_bind_int(st, 1, id);
    snprintf(buf, n, "(none)");
    if (yb_stmt_step(st, &e) == YB_ROW)
        snprintf(buf, n, "%s", yb_stmt_text(st, 0));
    yb_stmt_reset(st);
    return buf;
}

static void check_job(const struct yb_import_result *r)
{
    static const char errors[] =
        "SELECT count(*) FROM import_error WHERE job_id = $1";
    char want[96], got[96];

    if (r->rows != r->ok + r->bad || r->skipped != 0)
        broken("rows are not ok + bad", r->rows, r->ok + r->bad);
    snprintf(want, sizeof want, "done %ld %ld %ld", r->rows, r->ok, r->bad);
    if (strcmp(job_row(r->job_id, got, sizeof got), want) != 0) {
        fprintf(stderr, "job %lld: %s, expected %s\n", (long long)r->job_id,
                got, want);
        broken("the job row does not hold the counts", 0, 0);
    }
    if (count_of(errors, r->job_id) != r->bad)
        broken("bad rows not all listed", (long)count_of(errors, r->job_id),
               r->bad);
}

static void import_as(enum yb_import_kind kind)
{
    int has_table =
        (size_t)kind < sizeof kinds / sizeof kinds[0] && kinds[kind].sql;
    int64_t all = everything(), before = has_table ? count(kinds[kind].sql) : 0;
    struct yb_import_result r;
    struct yb_err e = {0};

    current = yb_import_kind_name(kind);
    if (import(kind, &r, &e) != YB_OK) {
        /* A refused job is rolled back whole (inputs here are far below
         * one batch of 5,000 rows). */
        if (e.code == YB_OK || everything() != all)
            broken("a refused job changed the database", kind, e.code);
        return;
    }
    check_job(&r);
    if (has_table) {
        int64_t added = count(kinds[kind].sql) - before;

        if (added < 0 || added > r.ok || (kinds[kind].exact && added != r.ok))
            broken("records added differ from good rows", (long)added, r.ok);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (db == NULL)
        setup();
    read_csv(data, size);
    if (size > 64 * 1024)
        return 0; /* large inputs: the reader only */
    write_file((const char *)data, size);
    for (int k = 0; k < YB_IMPORT__COUNT; k++)
        import_as((enum yb_import_kind)k);
    check_store();
    if (++inputs % RESET_EVERY == 0) {
        remove_db();
        open_db();
    }
    return 0;
}
