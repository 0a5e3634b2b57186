/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao pay import`, `yibao pay refund` and `yibao pay correct`:
 * contributions (缴费). An import reads the collecting agency's
 * payments.csv and records each row through the contribution service under
 * the region's policy, with the progress display and bad-row report of
 * every other import (yb__cli_run_import in cmd_import.c). A refund (退费)
 * reverses one payment by its receipt as a new record, with the reason
 * given; a correction (更正) reverses it and records the payment it should
 * have been, in one event.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* ---- pay correct ------------------------------------------------------- */

enum {
    C_DB,
    C_POLICY,
    C_RECEIPT,
    C_REASON,
    C_PERSON,
    C_TIER,
    C_AMOUNT,
    C_PAID_AT,
    C_CHANNEL,
    C_NEW_RECEIPT,
    C__COUNT
};

/* Parse the correction's options into c (strings borrowed from argv).
 * Returns -1 to go on, or an exit code. */
static int parse_correct(int argc, char **argv, const char **v,
                         struct yb_correction *c)
{
    static const char *const names[C__COUNT] = {
        "--db",   "--policy", "--receipt", "--reason",  "--person",
        "--tier", "--amount", "--paid-at", "--channel", "--new-receipt"};
    int ex = yb__cli_opts(argc, argv, 2, "pay", names, v, C__COUNT);
    if (ex >= 0)
        return ex;
    for (int k = C_DB; k <= C_REASON; k++)
        if (!v[k])
            return yb__cli_db_usage("pay correct", yb__cli_help_pay,
                                    "%s is required", names[k]);
    struct yb_err e = {0};
    *c = (struct yb_correction){.receipt = v[C_RECEIPT],
                                .reason = v[C_REASON],
                                .certno = v[C_PERSON],
                                .paid_at = v[C_PAID_AT],
                                .channel = v[C_CHANNEL],
                                .new_receipt = v[C_NEW_RECEIPT]};
    const char *t = v[C_TIER];
    if (t && (strlen(t) == 0 || strlen(t) > 2 ||
              strspn(t, "0123456789") != strlen(t) || atoi(t) < 1))
        return yb__cli_bad_value("--tier", "\"%s\" is not a tier number", t);
    c->tier = t ? atoi(t) : 0;
    if (v[C_AMOUNT] &&
        yb_money_parse(v[C_AMOUNT], &c->amount, "amount", &e) != YB_OK)
        return yb__cli_bad_value("--amount", "%s", e.msg);
    if (v[C_AMOUNT] && c->amount <= 0)
        return yb__cli_bad_value("--amount", "%s is not above 0.00",
                                 v[C_AMOUNT]);
    return -1;
}

static void print_correction(const struct yb_correction *c,
                             const struct yb_correction_result *r)
{
    char p[32], q[32];
    const struct yb_payment_result *y = &r->payment;
    printf("更正 corrected receipt %s: contribution %lld reverses %lld "
           "(personal %s, assisted %s), event %lld\n",
           c->receipt, (long long)r->reversal.refund_id,
           (long long)r->reversal.reverses,
           yb_money_format(r->reversal.personal, p),
           yb_money_format(r->reversal.assisted, q),
           (long long)r->reversal.event_id);
    printf("缴费 contribution %lld of %s for %d tier %d: personal %s, "
           "assisted %s\n",
           (long long)y->contribution_id, y->enrolment.psn_no,
           y->enrolment.year, y->enrolment.tier,
           yb_money_format(y->personal, p), yb_money_format(y->assisted, q));
    if (r->reversal.enrolment.id && r->reversal.enrolment.id != y->enrolment.id)
        printf("参保 enrolment %lld of %s for %d is now %s\n",
               (long long)r->reversal.enrolment.id,
               r->reversal.enrolment.psn_no, r->reversal.enrolment.year,
               r->reversal.enrolment.status);
    printf("参保 enrolment %lld of %s for %d is now %s\n",
           (long long)y->enrolment.id, y->enrolment.psn_no, y->enrolment.year,
           y->enrolment.status);
}

static int cmd_correct(int argc, char **argv)
{
    const char *v[C__COUNT] = {0};
    struct yb_correction c;
    int ex = parse_correct(argc, argv, v, &c);
    if (ex >= 0)
        return ex;
    struct yb_policy *p = NULL;
    yb_store *s = NULL;
    ex = yb__cli_load_policy(v[C_POLICY], &p);
    if (ex == YB_EXIT_OK)
        ex = yb__cli_open(v[C_DB], 0, &s);
    if (ex != YB_EXIT_OK) {
        yb_policy_free(p);
        return ex;
    }
    char now[24];
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    struct yb_correction_result r;
    struct yb_err e = {0};
    if (yb_contribution_correct(s, &who, p, &c, &r, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    else
        print_correction(&c, &r);
    yb_store_close(s);
    yb_policy_free(p);
    return ex;
}

void yb__cli_help_pay(FILE *f)
{
    fputs("usage: yibao pay import --db FILE (--policy POLICY |\n"
          "         --year Y [--region R] [--insutype T]) CSV...\n"
          "         [--batch N] [--resume] [--errors N] "
          "[--encoding utf-8|gbk|gb18030]\n"
          "       yibao pay refund --db FILE --receipt R --reason TEXT "
          "[--cancel]\n"
          "       yibao pay correct --db FILE --policy POLICY --receipt R\n"
          "         --reason TEXT [--person ID] [--tier N] [--amount YUAN]\n"
          "         [--paid-at 'yyyy-MM-dd HH:mm:ss'] [--channel C]\n"
          "         [--new-receipt R2]\n"
          "  import: payments.csv (docs/import-formats.md), checked against "
          "the\n"
          "  policy of the coverage year (the --policy file, else year Y's\n"
          "  version of the database's policy set); refund: reverse one "
          "payment "
          "(退费),\n"
          "  the enrolment back to pending (or cancelled); correct: 更正, "
          "reverse\n"
          "  one payment and record the payment it should have been (the\n"
          "  options given replace the payment's own; its receipt R-C1 "
          "unless\n"
          "  --new-receipt), in one event\n",
          f);
}

int yb__cmd_pay(int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "import") == 0)
        return yb__cli_run_import(YB_IMPORT_PAYMENT, argc, argv);
    if (strcmp(sub, "refund") == 0)
        return cmd_refund(argc, argv);
    if (strcmp(sub, "correct") == 0)
        return cmd_correct(argc, argv);
    return yb__cli_db_usage("pay", yb__cli_help_pay,
                            "expected 'pay import', 'pay refund' or 'pay "
                            "correct'");
}
