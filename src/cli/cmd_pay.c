/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao pay import` and `yibao pay refund`: contributions (缴费). An
 * import reads the collecting agency's payments.csv and records each row
 * through the contribution service under the region's policy, with the
 * progress display and bad-row report of every other import
 * (yb__cli_run_import in cmd_import.c). A refund (退费) reverses one
 * payment by its receipt as a new record, with the reason given.
 */
#include <stdio.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/enrolment.h"

struct refund_args {
    const char *db, *receipt, *reason;
    bool cancel;
};

static int parse_refund(int argc, char **argv, struct refund_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = yb__cli_opt(argc, argv, &i, "--db", &missing)))
            a->db = v;
        else if ((v = yb__cli_opt(argc, argv, &i, "--receipt", &missing)))
            a->receipt = v;
        else if ((v = yb__cli_opt(argc, argv, &i, "--reason", &missing)))
            a->reason = v;
        else if (strcmp(argv[i], "--cancel") == 0)
            a->cancel = true;
        else if (missing)
            return yb__cli_db_usage("pay refund", yb__cli_help_pay,
                                    "%s needs a value", argv[i]);
        else
            return yb__cli_db_usage("pay refund", yb__cli_help_pay,
                                    "unknown option %s", argv[i]);
    }
    if (!a->db || !a->receipt || !a->reason)
        return yb__cli_db_usage("pay refund", yb__cli_help_pay,
                                "--db, --receipt and --reason are required");
    return YB_EXIT_OK;
}

static int cmd_refund(int argc, char **argv)
{
    struct refund_args a;
    yb_store *s = NULL;
    int ex = parse_refund(argc, argv, &a);
    if (ex == YB_EXIT_OK)
        ex = yb__cli_open(a.db, 0, &s);
    if (ex != YB_EXIT_OK)
        return ex;
    char now[24], p[32], q[32];
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    struct yb_refund_result r;
    struct yb_err e = {0};
    if (yb_contribution_refund(s, &who, a.receipt, a.reason, a.cancel, &r,
                               &e) != YB_OK) {
        ex = yb__cli_fail(&e);
        goto out;
    }
    printf("退费 refunded receipt %s: contribution %lld reverses %lld "
           "(personal %s, assisted %s), event %lld\n",
           a.receipt, (long long)r.refund_id, (long long)r.reverses,
           yb_money_format(r.personal, p), yb_money_format(r.assisted, q),
           (long long)r.event_id);
    if (r.enrolment.id)
        printf("参保 enrolment %lld of %s for %d is now %s\n",
               (long long)r.enrolment.id, r.enrolment.psn_no, r.enrolment.year,
               r.enrolment.status);
out:
    yb_store_close(s);
    return ex;
}

void yb__cli_help_pay(FILE *f)
{
    fputs("usage: yibao pay import --db FILE --policy POLICY CSV...\n"
          "         [--batch N] [--resume] [--errors N]\n"
          "       yibao pay refund --db FILE --receipt R --reason TEXT "
          "[--cancel]\n"
          "  import: payments.csv (docs/import-formats.md), checked against "
          "the\n"
          "  policy of the coverage year; refund: reverse one payment "
          "(退费),\n"
          "  the enrolment back to pending (or cancelled)\n",
          f);
}

int yb__cmd_pay(int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "import") == 0)
        return yb__cli_run_import(YB_IMPORT_PAYMENT, argc, argv);
    if (strcmp(sub, "refund") == 0)
        return cmd_refund(argc, argv);
    return yb__cli_db_usage("pay", yb__cli_help_pay,
                            "expected 'pay import' or 'pay refund'");
}
