/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao serve --db FILE --listen HOST:PORT [--policy FILE] [--threads N]
 * [--max-body BYTES] [--log FILE|-]`: the hospital interface over HTTP
 * until SIGTERM or SIGINT (calls in flight finish first).
 * `yibao institution credential --db FILE --code H...`: issue an
 * institution's interface credential (printed once).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/hospital.h"
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
          "         [--threads N] [--max-body BYTES] [--log FILE|-]\n"
          "  the hospital interface (national envelope) on\n"
          "  POST /fsi/api/rsfComIfsService/callService; prints\n"
          "  \"listening on HOST:PORT\" once bound (port 0: any free port);\n"
          "  stops on SIGTERM or SIGINT after the calls in flight\n"
          "  --log -   one line per call on stderr (ID numbers masked)\n",
          f);
}

int yb__cmd_serve(int argc, char **argv)
{
    const char *v[6] = {0}; /* db listen policy threads max-body log */
    static const char *const names[] = {"--db",      "--listen",   "--policy",
                                        "--threads", "--max-body", "--log"};
    int ex = yb__cli_opts(argc, argv, 1, "serve", names, v, 6);
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
    FILE *log = NULL;
    if (v[5] && strcmp(v[5], "-") == 0)
        o.log = stderr;
    else if (v[5] && !(o.log = log = fopen(v[5], "a")))
        return yb__cli_bad_value("--log", "cannot open \"%s\"", v[5]);
    struct yb_policy *p = NULL;
    ex = v[2] ? yb__cli_load_policy(v[2], &p) : YB_EXIT_OK;
    if (ex != YB_EXIT_OK) {
        if (log)
            fclose(log);
        return ex;
    }
    o.policy = p;
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
    yb_policy_free(p);
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
