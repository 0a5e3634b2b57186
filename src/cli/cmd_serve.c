/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao serve --db FILE --listen HOST:PORT [--policy FILE] [--region R]
 * [--threads N] [--max-body BYTES] [--log FILE|-] [--tls-cert FILE
 * --tls-key FILE] [--max-conns N] [--max-conns-per-ip N] [--timeout S]
 * [--request-timeout S] [--lookup-rate N] [--lookup-burst N]`: the
 * hospital interface over HTTP (or HTTPS) until SIGTERM or SIGINT (calls
 * in flight finish first), under the database's policy set (a --policy
 * file is imported into it first).
 * `yibao institution credential --db FILE --code H...`: issue an
 * institution's interface credential (printed once).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    fputs(
        "usage: yibao serve --db FILE --listen HOST:PORT [--policy FILE]\n"
        "         [--region R] [--threads N] [--max-body BYTES]\n"
        "         [--log FILE|-] [--tls-cert FILE --tls-key FILE]\n"
        "         [--max-conns N] [--max-conns-per-ip N] [--timeout S]\n"
        "         [--request-timeout S] [--lookup-rate N] [--lookup-burst N]\n"
        "  the hospital interface (national envelope) on\n"
        "  POST /fsi/api/rsfComIfsService/callService; prints\n"
        "  \"listening on HOST:PORT\" once bound (port 0: any free port);\n"
        "  stops on SIGTERM or SIGINT after the calls in flight\n"
        "  settlements take the policy in force from the database's policy\n"
        "  set (yibao policy import); --policy FILE imports FILE into it\n"
        "  first (nothing when it is there already)\n"
        "  --region R            the agency's pooling region (ids' prefix);\n"
        "                        default the --policy file's, else the\n"
        "                        policy set's one region\n"
        "  --log -               one line per call on stderr (ID numbers\n"
        "                        masked); a FILE is created mode 0600\n"
        "  --tls-cert, --tls-key HTTPS with this PEM certificate (chain)\n"
        "                        and private key\n"
        "  --max-conns N         connections at once (default 2000); more\n"
        "                        get 503 and are closed\n"
        "  --max-conns-per-ip N  from one address (default 200)\n"
        "  --timeout S           close a connection idle S seconds (30)\n"
        "  --request-timeout S   a request must arrive whole within S\n"
        "                        seconds (30) of its connection's opening\n"
        "                        or its last answer\n"
        "  --lookup-rate N       1101 a second per institution (20; 0: no\n"
        "                        limit)\n"
        "  --lookup-burst N      1101 at once per institution (200)\n",
        f);
}

/* The number of option name in lo..hi into *out; exit code, or -1 when
 * fine. */
static int number(const char *name, const char *v, long lo, long hi,
                  unsigned *out)
{
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v)
        return -1;
    if (!*v || *end || n < lo || n > hi)
        return yb__cli_bad_value(name, "\"%s\" is not in %ld..%ld", v, lo, hi);
    *out = (unsigned)n;
    return -1;
}

/* The numeric options into o; an exit code, or -1 when all are fine. */
static int numbers(const char **v, struct yb_server_opts *o)
{
    unsigned body = 0, rate = 0;
    int ex = -1;
    struct {
        const char *name;
        long lo, hi;
        unsigned *out;
    } num[] = {
        {"--threads", 1, 64, &o->threads},
        {"--max-body", 1024, 64L << 20, &body},
        {"--max-conns", 1, 1000000, &o->max_conns},
        {"--max-conns-per-ip", 1, 1000000, &o->max_conns_per_ip},
        {"--timeout", 1, 3600, &o->timeout_s},
        {"--request-timeout", 1, 3600, &o->request_timeout_s},
        {"--lookup-rate", 0, 1000000, &rate},
        {"--lookup-burst", 1, 1000000, &o->lookup_burst},
    };
    for (size_t i = 0; ex < 0 && i < sizeof num / sizeof *num; i++)
        ex = number(num[i].name, v[i], num[i].lo, num[i].hi, num[i].out);
    o->max_body = body;
    o->lookup_rate = v[6] && rate == 0 ? YB_SERVER_UNLIMITED : rate;
    return ex;
}

/* The call log: stderr for "-", else FILE appended to, created 0600 (it
 * names institutions and persons). */
static FILE *open_log(const char *path)
{
    if (strcmp(path, "-") == 0)
        return stderr;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
    if (fd >= 0 && !f)
        close(fd);
    return f;
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
    /* the numeric ones first, in numbers()' order */
    static const char *const names[] = {
        "--threads",          "--max-body",     "--max-conns",
        "--max-conns-per-ip", "--timeout",      "--request-timeout",
        "--lookup-rate",      "--lookup-burst", "--db",
        "--listen",           "--policy",       "--log",
        "--tls-cert",         "--tls-key",      "--region"};
    enum { N = sizeof names / sizeof *names };
    const char *v[N] = {0};
    int ex = yb__cli_opts(argc, argv, 1, "serve", names, v, N);
    if (ex >= 0)
        return ex;
    const char *db = v[8], *listen = v[9], *policy = v[10], *logp = v[11];
    if (!db || !listen)
        return yb__cli_usage_error("serve", "--db and --listen are required");
    if (!v[12] != !v[13])
        return yb__cli_usage_error("serve",
                                   "--tls-cert and --tls-key go together");
    struct yb_server_opts o = {.db = db,
                               .listen = listen,
                               .ready = stdout,
                               .tls_cert = v[12],
                               .tls_key = v[13]};
    if ((ex = numbers(v, &o)) >= 0)
        return ex;
    char region[7];
    if ((ex = prepare_db(db, policy, v[14], region)) != YB_EXIT_OK)
        return ex;
    o.admdvs = region[0] ? region : NULL;
    fflush(stdout);
    FILE *log = NULL;
    if (logp && !(o.log = log = open_log(logp)))
        return yb__cli_bad_value("--log", "cannot open \"%s\"", logp);
    if (log == stderr)
        log = NULL;
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
         : strcmp(e.field, "tls") == 0
             ? yb__cli_bad_value("--tls-cert", "%s", e.msg)
         : strcmp(e.field, "max_conns") == 0
             ? yb__cli_bad_value("--max-conns", "%s", e.msg)
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
