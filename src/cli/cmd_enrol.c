/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao enrol`: enrol a person, a household, a school's pupils or
 * everyone of the policy's region for a coverage year (参保登记), move an
 * enrolment to another region (enrol transfer, 转移接续), show a person's
 * enrolments and contributions (enrol show), and count a year's
 * enrolments and contributions (enrol summary, text or JSON). The
 * services are in include/yibao/enrolment.h; this file parses options,
 * passes the time and the operator, and prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/enrolment.h"

enum {
    O_DB,
    O_POLICY,
    O_YEAR,
    O_PERSON,
    O_HOUSEHOLD,
    O_SCHOOL,
    O_TIER,
    O_UNIT,
    O_TO,
    O_DATE,
    O_FORMAT,
    O_REGION,
    O_INSUTYPE,
    O__COUNT
};
static const char *const opt_names[O__COUNT] = {
    "--db",     "--policy", "--year",    "--person", "--household",
    "--school", "--tier",   "--unit",    "--to",     "--date",
    "--format", "--region", "--insutype"};

struct enrol_args {
    const char *cmd; /* "enrol", "enrol transfer" ... */
    const char *v[O__COUNT];
    bool all;
    int year, tier;
};

static int parse(const char *cmd, int first, int argc, char **argv,
                 struct enrol_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    for (int i = first; i < argc; i++) {
        bool missing = false, hit = false;
        for (int k = 0; k < O__COUNT && !hit; k++) {
            const char *v = yb__cli_opt(argc, argv, &i, opt_names[k], &missing);
            if (v) {
                a->v[k] = v;
                hit = true;
            }
        }
        if (hit)
            continue;
        if (missing)
            return yb__cli_db_usage(cmd, yb__cli_help_enrol, "%s needs a value",
                                    argv[i]);
        if (strcmp(argv[i], "--all") == 0)
            a->all = true;
        else
            return yb__cli_db_usage(cmd, yb__cli_help_enrol,
                                    "unknown option %s", argv[i]);
    }
    if (!a->v[O_DB])
        return yb__cli_db_usage(cmd, yb__cli_help_enrol,
                                "--db FILE is required");
    return YB_EXIT_OK;
}

/* Options a subcommand requires; the rest it does not know. */
static int require(const struct enrol_args *a, const int *need, int n_need,
                   const int *allow, int n_allow)
{
    for (int i = 0; i < n_need; i++)
        if (!a->v[need[i]])
            return yb__cli_db_usage(a->cmd, yb__cli_help_enrol,
                                    "%s is required", opt_names[need[i]]);
    for (int k = 1; k < O__COUNT; k++) {
        bool ok = false;
        for (int i = 0; i < n_need; i++)
            ok = ok || need[i] == k;
        for (int i = 0; i < n_allow; i++)
            ok = ok || allow[i] == k;
        if (a->v[k] && !ok)
            return yb__cli_db_usage(a->cmd, yb__cli_help_enrol,
                                    "%s is not an option of %s", opt_names[k],
                                    a->cmd);
    }
    return YB_EXIT_OK;
}

/* A whole number lo..hi, or exit 2 naming the option. */
static int number(const char *v, const char *opt, int lo, int hi, int *out)
{
    size_t n = strlen(v);
    if (n == 0 || n > 4 || strspn(v, "0123456789") != n || atoi(v) < lo ||
        atoi(v) > hi)
        return yb__cli_bad_value(opt, "\"%s\" is not a number in %d..%d", v, lo,
                                 hi);
    *out = atoi(v);
    return YB_EXIT_OK;
}

static void date_or_dash(yb_date d, char *buf)
{
    if (d)
        yb_date_format(d, buf);
    else
        strcpy(buf, "-");
}

/* One enrolment as a line on f (a FILE *). */
static void print_enrolment(const struct yb_enrolment *en, void *f)
{
    char from[11], to[11], wait[11];
    date_or_dash(en->covered_from, from);
    date_or_dash(en->covered_to, to);
    date_or_dash(en->waiting_until, wait);
    fprintf(f,
            "%-6lld %d %-20s %-3s %-6s %-4s tier %d %-10s %-18s %-11s "
            "from %s to %s wait %s\n",
            (long long)en->id, en->year, en->psn_no, en->insutype, en->admdvs,
            en->psn_type, en->tier, en->unit_kind,
            en->unit_ref[0] ? en->unit_ref : "-", en->status, from, to, wait);
}

/* ---- enrol --------------------------------------------------------------
 */

static int enrol_req(const struct enrol_args *a, struct yb_enrol_req *r)
{
    int ways = (a->v[O_PERSON] != NULL) + (a->v[O_HOUSEHOLD] != NULL) +
               (a->v[O_SCHOOL] != NULL) + a->all;
    if (ways != 1)
        return yb__cli_db_usage(a->cmd, yb__cli_help_enrol,
                                "name exactly one of --person, --household, "
                                "--school and --all");
    memset(r, 0, sizeof *r);
    r->year = a->year;
    r->tier = a->tier;
    r->unit_kind = a->v[O_UNIT];
    r->by = a->v[O_PERSON]      ? YB_ENROL_BY_PERSON
            : a->v[O_HOUSEHOLD] ? YB_ENROL_BY_HOUSEHOLD
            : a->v[O_SCHOOL]    ? YB_ENROL_BY_SCHOOL
                                : YB_ENROL_BY_ALL;
    r->key = a->v[O_PERSON]      ? a->v[O_PERSON]
             : a->v[O_HOUSEHOLD] ? a->v[O_HOUSEHOLD]
                                 : a->v[O_SCHOOL];
    r->each = print_enrolment;
    return YB_EXIT_OK;
}

static int cmd_enrol_add(const struct enrol_args *a)
{
    static const int need[] = {O_YEAR};
    static const int allow[] = {O_POLICY, O_PERSON, O_HOUSEHOLD, O_SCHOOL,
                                O_TIER,   O_UNIT,   O_REGION,    O_INSUTYPE};
    struct enrol_args b = *a;
    struct yb_enrol_req r;
    struct yb__cli_policy cp = {0};
    yb_store *s = NULL;
    char now[24], *buf = NULL;
    size_t len = 0;
    int ex = require(a, need, 1, allow, 8);
    if (ex == YB_EXIT_OK && a->v[O_POLICY] &&
        (a->v[O_REGION] || a->v[O_INSUTYPE]))
        ex = yb__cli_db_usage(a->cmd, yb__cli_help_enrol,
                              "--region and --insutype choose from the "
                              "policy set, not with --policy");
    if (ex == YB_EXIT_OK)
        ex = number(a->v[O_YEAR], "--year", 1900, 2199, &b.year);
    if (ex == YB_EXIT_OK && a->v[O_TIER])
        ex = number(a->v[O_TIER], "--tier", 1, 31, &b.tier);
    if (ex == YB_EXIT_OK)
        ex = enrol_req(&b, &r);
    if (ex == YB_EXIT_OK)
        ex = yb__cli_open(a->v[O_DB], 0, &s);
    struct yb__cli_policy_want want = {.file = a->v[O_POLICY],
                                       .region = a->v[O_REGION],
                                       .insutype = a->v[O_INSUTYPE],
                                       .year = b.year};
    if (ex == YB_EXIT_OK)
        ex = yb__cli_policy_pick(s, &want, &cp);
    if (ex != YB_EXIT_OK)
        goto out;
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    struct yb_enrol_result res;
    struct yb_err e = {0};
    /* Rows are printed only once the whole request is committed. */
    FILE *rows = open_memstream(&buf, &len);
    if (!rows) {
        ex = yb__cli_fail(&(struct yb_err){.code = YB_ENOMEM});
        goto out;
    }
    r.policy = cp.p;
    r.ud = rows;
    int rc = yb_enrol(s, &who, &r, &res, &e);
    fclose(rows);
    if (rc != YB_OK) {
        ex = yb__cli_fail(&e);
        goto out;
    }
    fwrite(buf, 1, len, stdout);
    printf("enrolled %ld (covered %ld, pending %ld), enrolled already %ld, "
           "other regions %ld\n",
           res.enrolled, res.covered, res.enrolled - res.covered, res.skipped,
           res.elsewhere);
out:
    free(buf);
    yb__cli_policy_done(&cp);
    yb_store_close(s);
    return ex;
}

/* ---- enrol transfer -----------------------------------------------------
 */

static int cmd_transfer(struct enrol_args *a)
{
    static const int need[] = {O_PERSON, O_YEAR, O_TO, O_DATE};
    yb_store *s = NULL;
    yb_date date = 0;
    struct yb_err e = {0};
    int ex = require(a, need, 4, NULL, 0);
    if (ex == YB_EXIT_OK)
        ex = number(a->v[O_YEAR], "--year", 1900, 2199, &a->year);
    if (ex == YB_EXIT_OK && yb_date_parse(a->v[O_DATE], &date, "--date", &e))
        ex = yb__cli_fail(&e);
    if (ex == YB_EXIT_OK)
        ex = yb__cli_open(a->v[O_DB], 0, &s);
    if (ex != YB_EXIT_OK)
        goto out;
    char now[24];
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    struct yb_enrolment from, to;
    if (yb_enrol_transfer(s, &who, a->v[O_PERSON], a->year, a->v[O_TO], date,
                          &from, &to, &e) != YB_OK) {
        ex = yb__cli_fail(&e);
        goto out;
    }
    printf("转出 transferred ");
    print_enrolment(&from, stdout);
    printf("转入 now         ");
    print_enrolment(&to, stdout);
out:
    yb_store_close(s);
    return ex;
}

/* ---- enrol show ---------------------------------------------------------
 */

static void print_contribution(const struct yb_contribution_rec *c, void *ud)
{
    char p[32], q[32];
    (void)ud;
    printf("  %-6lld %d tier %d %-7s %10s %10s %-6s %s %-10s %s",
           (long long)c->id, c->year, c->tier, c->kind,
           yb_money_format(c->personal, p), yb_money_format(c->assisted, q),
           c->assist_payer[0] ? c->assist_payer : "-", c->paid_at,
           c->channel[0] ? c->channel : "-", c->receipt[0] ? c->receipt : "-");
    if (c->reverses)
        printf(" reverses %lld", (long long)c->reverses);
    putchar('\n');
}

static void show_enrolment(const struct yb_enrolment *en, void *ud)
{
    (void)ud;
    fputs("  ", stdout);
    print_enrolment(en, stdout);
}

static int cmd_show(struct enrol_args *a)
{
    static const int need[] = {O_PERSON};
    yb_store *s = NULL;
    struct yb_arena ar;
    struct yb_person_rec psn;
    struct yb_err e = {0};
    char b[11];
    yb_arena_init(&ar, 1024);
    int ex = require(a, need, 1, NULL, 0);
    if (ex == YB_EXIT_OK)
        ex = yb__cli_open(a->v[O_DB], YB_STORE_READONLY, &s);
    if (ex != YB_EXIT_OK)
        goto out;
    if (yb_person_find(s, a->v[O_PERSON], &ar, &psn, &e) != YB_OK) {
        ex = yb__cli_fail(&e);
        goto out;
    }
    printf("人员 person %s %s born %s resident in %s\n", psn.psn_no,
           psn.psn_name, yb_date_format(psn.brdy, b), psn.resd_admdvs);
    printf("参保 enrolments\n");
    int rc = yb_enrol_list(s, psn.psn_no, show_enrolment, NULL, &e);
    if (rc == YB_OK) {
        printf("缴费 contributions (personal, assisted)\n");
        rc = yb_contribution_list(s, psn.psn_no, print_contribution, NULL, &e);
    }
    if (rc != YB_OK)
        ex = yb__cli_fail(&e);
out:
    yb_store_close(s);
    yb_arena_free(&ar);
    return ex;
}

/* ---- enrol summary ------------------------------------------------------
 */

static void text_counts(const char *title, const struct yb_count *c, size_t n,
                        bool psn_type)
{
    printf("%s\n", title);
    for (size_t i = 0; i < n; i++) {
        const char *label =
            psn_type ? yb_dict_label(YB_DICT_PSN_TYPE, c[i].key) : NULL;
        printf("  %-12s ", c[i].key);
        yb__cli_pad(stdout, label ? label : "", 22);
        printf("%10lld\n", (long long)c[i].n);
    }
}

static void json_counts(const char *name, const struct yb_count *c, size_t n)
{
    printf(",\"%s\":{", name);
    for (size_t i = 0; i < n; i++)
        printf("%s\"%s\":%lld", i ? "," : "", c[i].key, (long long)c[i].n);
    putchar('}');
}

static void print_summary(const struct yb_enrol_summary *x, bool json)
{
    char p[32], q[32], t[32];
    yb_fen total = x->personal + x->assisted;
    yb_money_format(x->personal, p);
    yb_money_format(x->assisted, q);
    yb_money_format(total, t);
    if (json) {
        printf("{\"year\":%d,\"enrolments\":%lld", x->year, (long long)x->rows);
        json_counts("status", x->status, x->n_status);
        json_counts("psn_type", x->psn_type, x->n_psn_type);
        json_counts("region", x->region, x->n_region);
        printf(",\"personal\":%s,\"assisted\":%s,\"total\":%s,"
               "\"payments\":%lld,\"refunds\":%lld,\"corrections\":%lld}\n",
               p, q, t, (long long)x->payments, (long long)x->refunds,
               (long long)x->corrections);
        return;
    }
    printf("参保汇总 enrolment summary %d\n", x->year);
    printf("参保登记 enrolments %lld\n", (long long)x->rows);
    text_counts("按状态 by status", x->status, x->n_status, false);
    text_counts("按人员类别 by psn_type (live)", x->psn_type, x->n_psn_type,
                true);
    text_counts("按统筹区 by region (live)", x->region, x->n_region, false);
    printf("缴费 contributions: %lld payments, %lld refunds, %lld "
           "corrections\n",
           (long long)x->payments, (long long)x->refunds,
           (long long)x->corrections);
    printf("  个人缴费 personal  %14s\n", p);
    printf("  资助参保 assisted  %14s\n", q);
    printf("  合计 total         %14s\n", t);
}

static int cmd_summary(struct enrol_args *a)
{
    static const int need[] = {O_YEAR};
    static const int allow[] = {O_FORMAT};
    const char *fmt = a->v[O_FORMAT] ? a->v[O_FORMAT] : "text";
    yb_store *s = NULL;
    struct yb_arena ar;
    struct yb_err e = {0};
    struct yb_enrol_summary x;
    yb_arena_init(&ar, 4096);
    int ex = require(a, need, 1, allow, 1);
    if (ex == YB_EXIT_OK)
        ex = number(a->v[O_YEAR], "--year", 1900, 2199, &a->year);
    if (ex == YB_EXIT_OK && strcmp(fmt, "text") != 0 &&
        strcmp(fmt, "json") != 0)
        ex = yb__cli_bad_value("--format",
                               "unknown format \"%s\" (text or json)", fmt);
    if (ex == YB_EXIT_OK)
        ex = yb__cli_open(a->v[O_DB], YB_STORE_READONLY, &s);
    if (ex != YB_EXIT_OK)
        goto out;
    if (yb_enrol_summary(s, a->year, &ar, &x, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    else
        print_summary(&x, strcmp(fmt, "json") == 0);
out:
    yb_store_close(s);
    yb_arena_free(&ar);
    return ex;
}

void yb__cli_help_enrol(FILE *f)
{
    fputs("usage: yibao enrol --db FILE --year Y [--policy POLICY |\n"
          "         --region R --insutype T]\n"
          "         (--person PSN_NO|CERTNO | --household HH | --school CODE"
          " | --all)\n"
          "         [--tier N] [--unit individual|household|school]\n"
          "       yibao enrol transfer --db FILE --person X --year Y "
          "--to ADMDVS\n"
          "         --date yyyy-MM-dd\n"
          "       yibao enrol show --db FILE --person X\n"
          "       yibao enrol summary --db FILE --year Y [--format "
          "text|json]\n"
          "  enrol persons for the policy's coverage year (参保登记): the\n"
          "  --policy file, else the year's version of the database's "
          "policy set\n"
          "  for --region (default: the set's one region) and --insutype "
          "(390); move an\n"
          "  enrolment to another region (转移接续), show one person, count "
          "a year\n",
          f);
}

/* Parse a subcommand's options; only plain `enrol` takes --all. */
static int parse_sub(const char *cmd, int argc, char **argv,
                     struct enrol_args *a)
{
    int ex = parse(cmd, 2, argc, argv, a);
    if (ex == YB_EXIT_OK && a->all)
        ex = yb__cli_db_usage(cmd, yb__cli_help_enrol,
                              "--all is not an option of %s", cmd);
    return ex;
}

int yb__cmd_enrol(int argc, char **argv)
{
    struct enrol_args a;
    const char *sub = argc > 1 ? argv[1] : "";
    int ex;
    if (strcmp(sub, "transfer") == 0) {
        if ((ex = parse_sub("enrol transfer", argc, argv, &a)) == YB_EXIT_OK)
            ex = cmd_transfer(&a);
    } else if (strcmp(sub, "show") == 0) {
        if ((ex = parse_sub("enrol show", argc, argv, &a)) == YB_EXIT_OK)
            ex = cmd_show(&a);
    } else if (strcmp(sub, "summary") == 0) {
        if ((ex = parse_sub("enrol summary", argc, argv, &a)) == YB_EXIT_OK)
            ex = cmd_summary(&a);
    } else if ((ex = parse("enrol", 1, argc, argv, &a)) == YB_EXIT_OK) {
        ex = cmd_enrol_add(&a);
    }
    return ex;
}
