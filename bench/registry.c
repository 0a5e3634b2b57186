/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/registry: how fast the registry takes in a pooling region, and how
 * close that is to what SQLite itself can store.
 *
 * 1. `yibao synth` data for N persons (default 1,000,000) in a temporary
 *    directory (not timed).
 * 2. Timed: the imports a region's first load runs — persons, identities
 *    and contribution payments (with their enrolments, ledger entries and
 *    audit rows) — through the real import jobs into a new SQLite file.
 * 3. The storage ceiling, in the same run: a plain loop that copies every
 *    row the import wrote (all tables it touched) into a second new file
 *    with one prepared INSERT per table, committing every YB_IMPORT_BATCH
 *    rows as the import does. The
 *    time to read those rows alone is measured and subtracted, so the
 *    ceiling counts only SQLite's writing.
 * Prints persons/s for both and their ratio; the last lines are RESULT.
 *
 * Usage: registry [--persons N] [--dir DIR] [--keep] [--policy FILE]
 * (the policy whose financing the payments follow: by default
 * policies/demo-region-2018.json, which models what synth writes).
 */
#define _DEFAULT_SOURCE /* sync */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "yibao/yibao.h"
#include "yibao/import.h"
#include "yibao/store.h"
#include "yibao/synth.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds used by the process so far, all threads, user and system. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int fail(const char *what, const struct yb_err *e)
{
    fprintf(stderr, "registry: %s: %s: %s\n", what, e->field, e->msg);
    return 1;
}

static const struct yb_policy *policy;

static int import(yb_store *s, enum yb_import_kind k, const char *dir,
                  const char *file, long *ok)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    struct yb_import_opts o = {.path = path,
                               .actor = "bench",
                               .now = "2017-12-31 12:00:00",
                               .policy = policy};
    struct yb_import_result r;
    struct yb_err e = {0};
    double t0 = now(), c0 = cpu();
    if (yb_import_run(s, k, &o, &r, &e) != YB_OK)
        return fail(file, &e);
    /* CPU over wall time: about 1.6 for the payments when the second core
     * is free for the read-ahead thread, about 1.0 when it is not. */
    double wall = now() - t0;
    printf(
        "  %-16s %9ld rows, %ld bad, %ld read ahead, %.2f s at %.0f %% CPU\n",
        file, r.rows, r.bad, r.read_ahead, wall,
        wall > 0 ? 100 * (cpu() - c0) / wall : 0.0);
    *ok = r.ok;
    return 0;
}

/* Tables the registry import writes, copied by the ceiling loop. */
static const char *const tables[] = {"event",        "audit",   "person",
                                     "identity",     "seq",     "enrolment",
                                     "contribution", "journal", NULL};

/* Step through every row of every table: the reading cost. */
static long scan(sqlite3 *src)
{
    long rows = 0;
    for (int t = 0; tables[t]; t++) {
        char sql[128];
        sqlite3_stmt *st;
        snprintf(sql, sizeof sql, "SELECT * FROM %s", tables[t]);
        if (sqlite3_prepare_v2(src, sql, -1, &st, NULL) != SQLITE_OK)
            continue;
        while (sqlite3_step(st) == SQLITE_ROW)
            rows++;
        sqlite3_finalize(st);
    }
    return rows;
}

static int copy_table(sqlite3 *src, sqlite3 *dst, const char *table, long *rows)
{
    char sql[1024];
    sqlite3_stmt *in, *out;
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    if (sqlite3_prepare_v2(src, sql, -1, &in, NULL) != SQLITE_OK)
        return 0; /* table absent in this schema */
    int n = sqlite3_column_count(in);
    int len = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (", table);
    for (int i = 0; i < n; i++)
        len +=
            snprintf(sql + len, sizeof sql - (size_t)len, "%s?", i ? "," : "");
    snprintf(sql + len, sizeof sql - (size_t)len, ")");
    if (sqlite3_prepare_v2(dst, sql, -1, &out, NULL) != SQLITE_OK) {
        fprintf(stderr, "registry: %s\n", sqlite3_errmsg(dst));
        return 1;
    }
    while (sqlite3_step(in) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            sqlite3_bind_value(out, i + 1, sqlite3_column_value(in, i));
        if (sqlite3_step(out) != SQLITE_DONE) {
            fprintf(stderr, "registry: %s\n", sqlite3_errmsg(dst));
            return 1;
        }
        sqlite3_reset(out);
        if (++*rows % YB_IMPORT_BATCH == 0)
            sqlite3_exec(dst, "COMMIT; BEGIN", NULL, NULL, NULL);
    }
    sqlite3_finalize(in);
    sqlite3_finalize(out);
    return 0;
}

/* Copy all rows into a fresh database with the same schema and the
 * connection settings the store uses (WAL, synchronous NORMAL, foreign
 * keys on). Returns seconds spent, minus the scan time. */
static double ceiling(const char *src_path, const char *dst_path, long *rows)
{
    sqlite3 *src, *dst;
    struct yb_err e = {0};
    yb_store *s;
    if (yb_store_open(dst_path, YB_STORE_CREATE, &s, &e) != YB_OK)
        return fail("ceiling db", &e), -1;
    yb_store_close(s); /* the schema, by the store's own migrations */
    sqlite3_open(src_path, &src);
    sqlite3_open(dst_path, &dst);
    sqlite3_exec(dst,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                 "PRAGMA foreign_keys=ON; PRAGMA cache_size=-131072; "
                 "PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=4096; "
                 "DELETE FROM seq",
                 NULL, NULL, NULL);
    double t0 = now();
    long scanned = scan(src);
    double t_scan = now() - t0;
    t0 = now();
    sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL);
    *rows = 0;
    for (int t = 0; tables[t]; t++) {
        long before = *rows;
        double t1 = now();
        if (copy_table(src, dst, tables[t], rows))
            return -1;
        printf("  ceiling: %-12s %9ld rows copied in %.2f s\n", tables[t],
               *rows - before, now() - t1);
    }
    sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL);
    double t_copy = now() - t0;
    printf("  ceiling: %ld rows scanned in %.2f s, copied in %.2f s\n", scanned,
           t_scan, t_copy);
    sqlite3_close(src);
    sqlite3_close(dst);
    return t_copy - t_scan;
}

static int load_policy(const char *path)
{
    static char buf[1 << 17];
    FILE *f = fopen(path, "rb");
    if (!f)
        return perror(path), 1;
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    if (yb_policy_parse(buf, n, &p, &e) != YB_OK)
        return fail(path, &e);
    policy = p;
    return 0;
}

int main(int argc, char **argv)
{
    int64_t persons = 1000000;
    const char *dir = NULL;
    int keep = 0;
    const char *policy_path = "policies/demo-region-2018.json";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--persons") == 0 && i + 1 < argc)
            persons = atoll(argv[++i]);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc)
            policy_path = argv[++i];
    }
    if (load_policy(policy_path) != 0)
        return 1;
    char tmp[] = "/tmp/yb-bench-XXXXXX";
    if (!dir && !(dir = mkdtemp(tmp)))
        return perror("mkdtemp"), 1;
    char csv[512], db[512], db2[512];
    snprintf(csv, sizeof csv, "%s/csv", dir);
    snprintf(db, sizeof db, "%s/import.db", dir);
    snprintf(db2, sizeof db2, "%s/ceiling.db", dir);
    unlink(db);
    unlink(db2);
    struct yb_synth_counts cnt;
    struct yb_synth_opts so = {.persons = persons,
                               .year = 2018,
                               .seed = 1,
                               .out_dir = csv,
                               .counts = &cnt};
    struct yb_err e = {0};
    printf("generating %lld persons in %s\n", (long long)persons, csv);
    if (yb_synth_run(&so, &e) != YB_OK)
        return fail("synth", &e);

    /* The synthetic files (visits and fee lines included: 1.6 GB for a
     * million persons) are still being written back to the disk: left to
     * the kernel, that writeback runs during the timed import and slows
     * its commits. Not part of what is measured. */
    sync();
    yb_store *s;
    if (yb_store_open(db, YB_STORE_CREATE, &s, &e) != YB_OK)
        return fail("open", &e);
    long ok = 0, ok_pay = 0, ok_idet = 0;
    double t0 = now();
    int bad = import(s, YB_IMPORT_PERSON, csv, "persons.csv", &ok) ||
              import(s, YB_IMPORT_IDENTITY, csv, "identities.csv", &ok_idet);
    bad = bad || import(s, YB_IMPORT_PAYMENT, csv, "payments.csv", &ok_pay);
    double t_import = now() - t0;
    yb_store_close(s);
    if (bad)
        return 1;
    long rows = 0;
    sync(); /* the import's own writeback, likewise */
    double t_ceiling = ceiling(db, db2, &rows);
    if (t_ceiling <= 0)
        return 1;
    double rate = (double)persons / t_import;
    double ceil_rate = (double)persons / t_ceiling;
    printf("persons                 %lld (identities %ld, payments %ld)\n",
           (long long)persons, ok_idet, ok_pay);
    printf("import                  %.2f s, %.0f persons/s\n", t_import, rate);
    printf("ceiling (same %ld rows) %.2f s, %.0f persons/s\n", rows, t_ceiling,
           ceil_rate);
    printf("RESULT registry_rate %.0f persons/s\n", rate);
    printf("RESULT registry_ceiling_rate %.0f persons/s\n", ceil_rate);
    printf("RESULT registry_ceiling_ratio %.3f ratio\n", rate / ceil_rate);
    if (!keep) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "registry: could not remove %s\n", dir);
    }
    return 0;
}
