/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao subsidy compute --db FILE --policy POLICY [--post --period
 * yyyy-mm] [--format text|json]`: what each budget level owes for the
 * policy's pooling region and year, from the covered headcount; with
 * --post, the assessment is written to the fund ledger as one event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/subsidy.h"

struct sub_args {
    const char *db, *period, *format;
    struct yb__cli_policy_opts po; /* --policy, or --year ... */
    int y;                         /* --year's value */
    bool post;
};

static int parse(int argc, char **argv, struct sub_args *a)
{
    memset(a, 0, sizeof *a);
    a->format = "text";
    if (argc < 2 || strcmp(argv[1], "compute") != 0)
        return yb__cli_usage_error("subsidy", "expected 'subsidy compute'");
    for (int i = 2; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = yb__cli_opt(argc, argv, &i, "--db", &missing)))
            a->db = v;
        else if (yb__cli_policy_opt(argc, argv, &i, &a->po, &missing))
            continue;
        else if ((v = yb__cli_opt(argc, argv, &i, "--period", &missing)))
            a->period = v;
        else if ((v = yb__cli_opt(argc, argv, &i, "--format", &missing)))
            a->format = v;
        else if (strcmp(argv[i], "--post") == 0)
            a->post = true;
        else if (missing)
            return yb__cli_usage_error("subsidy", "%s needs a value", argv[i]);
        else
            return yb__cli_usage_error("subsidy", "unknown option %s", argv[i]);
    }
    if (!a->db || (!a->po.policy && !a->po.year))
        return yb__cli_usage_error("subsidy", "--db and --policy FILE or "
                                              "--year Y are required");
    if (a->po.policy && (a->po.year || a->po.region || a->po.insutype))
        return yb__cli_usage_error("subsidy", "--year, --region and "
                                              "--insutype choose from the "
                                              "policy set, not with --policy");
    int ex = a->po.year ? yb__cli_year(a->po.year, &a->y) : YB_EXIT_OK;
    if (ex != YB_EXIT_OK)
        return ex;
    if (a->post && !a->period)
        return yb__cli_usage_error("subsidy", "--post needs --period yyyy-mm");
    if (strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0)
        return yb__cli_bad_value("--format", "\"%s\" is not text or json",
                                 a->format);
    return YB_EXIT_OK;
}

static void print_text(const struct yb_policy *p,
                       const struct yb_subsidy_split *x, int64_t ev)
{
    char a[32], b[32];
    printf("财政补助测算 subsidy  %s %d  %s\n", p->region, p->year, p->name);
    printf("参保人数 headcount    %lld\n", (long long)x->headcount);
    printf("省份档次 tier         %d\n", x->province_tier);
    printf("%-10s %14s %18s\n", "级次 level", "人均 per capita", "合计 total");
    for (int i = 0; i < x->n_shares; i++) {
        const struct yb_subsidy_share *sh = &x->shares[i];
        printf("%-8s %-8s %12s %18s\n", yb_gov_level_label(sh->level),
               yb_gov_level_name(sh->level), yb_money_format(sh->per_capita, a),
               yb_money_format(sh->total, b));
    }
    printf("%-17s %12s %18s\n", "合计 all", yb_money_format(x->per_capita, a),
           yb_money_format(x->total, b));
    printf("%-17s %12s %18s\n", "大病保险筹资 CI",
           yb_money_format(x->ci_per_capita, a),
           yb_money_format(x->ci_total, b));
    if (ev)
        printf("已记账 posted as event %lld\n", (long long)ev);
}

static void print_json(const struct yb_policy *p,
                       const struct yb_subsidy_split *x, int64_t ev)
{
    char a[32], b[32];
    printf("{\"region\":\"%s\",\"year\":%d,\"headcount\":%lld,"
           "\"province_tier\":%d,\"per_capita\":%s,\"total\":%s,\"levels\":[",
           p->region, p->year, (long long)x->headcount, x->province_tier,
           yb_money_format(x->per_capita, a), yb_money_format(x->total, b));
    for (int i = 0; i < x->n_shares; i++)
        printf("%s{\"level\":\"%s\",\"per_capita\":%s,\"total\":%s}",
               i ? "," : "", yb_gov_level_name(x->shares[i].level),
               yb_money_format(x->shares[i].per_capita, a),
               yb_money_format(x->shares[i].total, b));
    printf("],\"ci_per_capita\":%s,\"ci_total\":%s,\"event_id\":%lld}\n",
           yb_money_format(x->ci_per_capita, a),
           yb_money_format(x->ci_total, b), (long long)ev);
}

void yb__cli_help_subsidy(FILE *f)
{
    fputs("usage: yibao subsidy compute --db FILE (--policy POLICY |\n"
          "         --year Y [--region R] [--insutype T])\n"
          "         [--post --period yyyy-mm] [--format text|json]\n"
          "  the subsidy each budget level owes for the policy's region and\n"
          "  year, from the covered headcount; --post writes it to the "
          "ledger;\n"
          "  the policy: the --policy file, else year Y's version of the\n"
          "  database's policy set\n",
          f);
}

int yb__cmd_subsidy(int argc, char **argv)
{
    struct sub_args a;
    struct yb__cli_policy cp = {0};
    yb_store *s = NULL;
    int ex = parse(argc, argv, &a);
    if (ex == YB_EXIT_OK)
        ex = yb__cli_open(a.db, a.post ? 0 : YB_STORE_READONLY, &s);
    struct yb__cli_policy_want want = {.file = a.po.policy,
                                       .region = a.po.region,
                                       .insutype = a.po.insutype,
                                       .year = a.y};
    if (ex == YB_EXIT_OK)
        ex = yb__cli_policy_pick(s, &want, &cp);
    if (ex != YB_EXIT_OK)
        goto out;
    const struct yb_policy *p = cp.p;
    struct yb_subsidy_split x;
    struct yb_err e = {0};
    int64_t ev = 0;
    char now[24];
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    int rc = a.post ? yb_subsidy_post(s, &who, p, a.period, &x, &ev, &e)
                    : yb_subsidy_compute(s, p, &x, &e);
    if (rc != YB_OK) {
        ex = yb__cli_fail(&e);
        goto out;
    }
    if (strcmp(a.format, "json") == 0)
        print_json(p, &x, ev);
    else
        print_text(p, &x, ev);
out:
    yb__cli_policy_done(&cp);
    yb_store_close(s);
    return ex;
}
