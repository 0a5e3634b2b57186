/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao serve --db FILE --listen HOST:PORT [--policy FILE] [--region R]
 * [--threads N] [--max-body BYTES] [--log FILE|-]`: the hospital interface
 * over HTTP until SIGTERM or SIGINT (calls in flight finish first), under
 * the database's policy set (a --policy file is imported into it first).
 * `yibao institution credential --db FILE --code H...`: issue an
 * institution's interface credential (printed once).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/hospital.h"
#include "yibao/policyset.h"
#include "yibao/server.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

void yb__cli_help_serve(FILE *f)
{
    fputs("usage: yibao serve --db FILE --listen HOST:PORT [--policy FILE]\n"
          "         [--region R] [--threads N] [--max-body BYTES] "
          "[--log FILE|-]\n"
          "  the hospital interface (national envelope) on\n"
          "  POST /fsi/api/rsfComIfsService/callService; prints\n"
          "  \"listening on HOST:PORT\" once bound (port 0: any free port);\n"
          "  stops on SIGTERM or SIGINT after the calls in flight\n"
          "  settlements take the policy in force from the database's policy\n"
          "  set (yibao policy import); --policy FILE imports FILE into it\n"
          "  first (nothing when it is there already)\n"
          "  --region R  the agency's pooling region (ids' prefix); default\n"
          "              the --policy file's, else the policy set's one "
          "region\n"
          "  --log -   one line per call on stderr (ID numbers masked)\n",
          f);
}

/* Import the --policy file into the set (once) and settle the agency's
 * region: --region, the file's, the set's only one, or none yet. */
static int prepare_db(const char *db, const char *file, const char *region,
                      char out[7])
{
    yb_store *s = NULL;
    struct yb_err e = {0};
    char now[24], *text = NULL;
    size_t len = 0;
    struct yb_arena a;
    yb_arena_init(&a, 0);
    out[0] = '\0';
    int ex = yb__cli_open(db, 0, &s);
    if (ex == YB_EXIT_OK && file) {
        struct yb_actor who = {.name = yb__cli_actor(),
                               .now = yb__cli_now(now)};
        struct yb_policy_version v;
        bool existed = false;
        int rc = yb__cli_read_file(file, &text, &len, &e);
        if (rc == YB_OK)
            rc = yb_policyset_import(s, &who, text, len, &a, &v, &existed, &e);
        if (rc != YB_OK) {
            if (!e.field[0])
                snprintf(e.field, sizeof e.field, "%.120s", file);
            ex = yb__cli_fail(&e);
        } else {
            printf(
                "政策版本 policy version %lld: %s %s (%s)\n", (long long)v.id,
                existed ? "已有 unchanged" : "导入 imported", v.name, v.region);
            if (!region)
                snprintf(out, 7, "%.6s", v.region);
        }
    }
    const char **r = NULL;
    size_t n = 0;
    if (ex == YB_EXIT_OK && !out[0] && !region &&
        yb_policyset_regions(s, &a, &r, &n, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    else if (ex == YB_EXIT_OK && !out[0] && !region && n == 0)
        fputs("yibao: serve: 政策库为空，结算将被拒绝 (no policy imported: "
              "settlements are refused until `yibao policy import`)\n",
              stderr);
    else if (ex == YB_EXIT_OK && !out[0])
        ex = yb__cli_policy_region(s, region, out);
    free(text);
    yb_arena_free(&a);
    yb_store_close(s);
    return ex;
}

int yb__cmd_serve(int argc, char **argv)
{
    const char *v[7] = {0}; /* db listen policy threads max-body log region */
    static const char *const names[] = {"--db",      "--listen",   "--policy",
                                        "--threads", "--max-body", "--log",
                                        "--region"};
    int ex = yb__cli_opts(argc, argv, 1, "serve", names, v, 7);
    if (ex >= 0)
        return ex;
    if (!v[0] || !v[1])
        return yb__cli_usage_error("serve", "--db and --listen are required");
    struct yb_server_opts o = {.db = v[0], .listen = v[1], .ready = stdout};
    char *end = NULL;
    if (v[3]) {
        long n = strtol(v[3], &end, 10);
        if (*end || n < 1 || n > 64)
            return yb__cli_bad_value("--threads", "\"%s\" is not in 1..64",
                                     v[3]);
        o.threads = (unsigned)n;
    }
    if (v[4]) {
        long n = strtol(v[4], &end, 10);
        if (*end || n < 1024 || n > (64L << 20))
            return yb__cli_bad_value("--max-body",
                                     "\"%s\" is not in 1024..67108864", v[4]);
        o.max_body = (size_t)n;
    }
    char region[7];
    if ((ex = prepare_db(v[0], v[2], v[6], region)) != YB_EXIT_OK)
        return ex;
    o.admdvs = region[0] ? region : NULL;
    fflush(stdout);
    FILE *log = NULL;
    if (v[5] && strcmp(v[5], "-") == 0)
        o.log = stderr;
    else if (v[5] && !(o.log = log = fopen(v[5], "a")))
        return yb__cli_bad_value("--log", "cannot open \"%s\"", v[5]);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct yb_err e = {0};
    int rc = yb_server_run(&o, &stop_flag, &e);
    ex = rc == YB_OK ? YB_EXIT_OK
         : rc == YB_EINVAL && strcmp(e.field, "listen") == 0
             ? yb__cli_bad_value("--listen", "%s", e.msg)
             : yb__cli_fail(&e);
    if (log)
        fclose(log);
    return ex;
}

int yb__cmd_institution_credential(int argc, char **argv)
{
    const char *v[2] = {0};
    static const char *const names[] = {"--db", "--code"};
    int ex = yb__cli_opts(argc, argv, 2, "institution", names, v, 2);
    if (ex >= 0)
        return ex;
    const char *db = v[0], *code = v[1];
    if (!db || !code)
        return yb__cli_usage_error("institution",
                                   "--db and --code are required");
    yb_store *s = NULL;
    ex = yb__cli_open(db, 0, &s);
    if (ex != YB_EXIT_OK)
        return ex;
    char now[24], secret[YB_SECRET_HEX + 1];
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    struct yb_err e = {0};
    if (yb_inst_credential_new(s, &who, code, secret, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    else
        printf("%s\n", secret);
    yb_store_close(s);
    return ex;
}
