/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `yibao` command: dispatches to its subcommands (settle, policy) and
 * prints help and the version. Each subcommand reads its inputs, calls the
 * library and writes its result to stdout only when everything succeeded;
 * errors go to stderr as one line "yibao: <field>: <message>" with the
 * exit codes of docs/api.md (1 I/O or usage, 2 refused input, 3 internal).
 */
#include <string.h>

#include "cli_int.h"
#include "cli_store.h"

void yb__cli_help(FILE *f)
{
    fputs(
        "usage: yibao <command> [options]\n"
        "\n"
        "commands:\n"
        "  settle --policy FILE --visit FILE [--catalogue FILE]\n"
        "         [--accumulators FILE] [--trace] [--format json|text]\n"
        "                      settle one visit (一站式结算) and print the "
        "result\n"
        "  policy check FILE   validate a policy file\n"
        "  policy import|list|show|diff --db FILE ...\n"
        "                      the database's policy set (政策库): "
        "versions,\n"
        "                      the one in force, what changed\n"
        "  init --db FILE      create or migrate a database\n"
        "  ledger trial-balance|statement --db FILE ...\n"
        "                      fund ledger reports (试算平衡表, 基金收支表)\n"
        "  audit verify --db FILE\n"
        "                      check the audit log's hash chain\n"
        "  audit lookups --db FILE [--inst CODE] [--psn PSN_NO]\n"
        "                      the person lookups (1101) recorded\n"
        "  synth --persons N --year Y --seed S --out DIR\n"
        "                      write a synthetic region as CSV import "
        "files\n"
        "  region|institution|catalogue|school|household|person|identity "
        "import\n"
        "         --db FILE CSV  bulk import with per-row errors (--resume)\n"
        "  person add|show --db FILE ...\n"
        "                      register or show one insured person\n"
        "  enrol --db FILE --year Y [--policy POLICY] (--person X|--household "
        "HH|\n"
        "        --school CODE|--all)  enrol for a coverage year (参保登记)\n"
        "  enrol transfer|show|summary --db FILE ...\n"
        "                      move, show or count enrolments\n"
        "  pay import --db FILE (--policy POLICY | --year Y) CSV\n"
        "                      record contribution payments (缴费)\n"
        "  pay refund --db FILE --receipt R --reason TEXT\n"
        "                      refund one payment (退费)\n"
        "  subsidy compute --db FILE (--policy POLICY | --year Y)\n"
        "         [--post --period P]\n"
        "                      fiscal subsidy owed by each budget level\n"
        "  ledger interest --db FILE --fund F --period P --amount A --slip S\n"
        "                      post interest from a bank slip (利息收入)\n"
        "  institution credential --db FILE --code H...\n"
        "                      issue an institution's interface secret\n"
        "  serve --db FILE --listen HOST:PORT [--policy FILE] [--region R]\n"
        "                      the hospital interface over HTTP (医保接口)\n"
        "  help [COMMAND]      show help\n"
        "\n"
        "options:\n"
        "  -h, --help          show this help\n"
        "  --version           show the version\n"
        "\n"
        "exit codes: 0 ok, 1 I/O or usage error, 2 input refused, "
        "3 internal error\n",
        f);
}

void yb__cli_help_settle(FILE *f)
{
    fputs("usage: yibao settle --policy FILE --visit FILE [--catalogue FILE]\n"
          "                    [--accumulators FILE] [--trace]\n"
          "                    [--format json|text]\n"
          "\n"
          "  --policy FILE        the region's policy (docs/policy.md)\n"
          "  --visit FILE         person, visit and fee lines (docs/api.md)\n"
          "  --catalogue FILE     catalogue entries added to the visit's "
          "own\n"
          "  --accumulators FILE  year-to-date accumulators, or the result "
          "of\n"
          "                       the person's previous settlement\n"
          "  --trace              include the calculation step by step\n"
          "  --format json|text   national-shaped JSON (default) or a "
          "receipt\n",
          f);
}

void yb__cli_help_policy(FILE *f)
{
    fputs("usage: yibao policy check FILE\n"
          "       yibao policy import --db DB FILE... [--actor NAME]\n"
          "       yibao policy list --db DB [--region R] [--insutype T] "
          "[--year Y]\n"
          "       yibao policy show --db DB ID\n"
          "       yibao policy show --db DB --region R --date yyyy-MM-dd "
          "[--insutype T]\n"
          "       yibao policy diff A B [--db DB]\n"
          "\n"
          "  check FILE   parse and validate a policy; prints\n"
          "               \"ok: <name> (<region> <insutype> <year>, N "
          "layers)\"\n"
          "  import       add each file to the policy set as a version "
          "(all or\n"
          "               none); a text imported before is reported, not "
          "added\n"
          "  list         the versions: id, region, insutype, year, "
          "validity,\n"
          "               digest, who imported it and when, name\n"
          "  show         one version, or the one in force for a region "
          "on a day\n"
          "               (the last imported whose validity includes the "
          "day),\n"
          "               then its text as imported\n"
          "  diff         what changed from A to B, one line per path; A "
          "and B\n"
          "               are version ids (with --db) or files\n",
          f);
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        yb__cli_help(stdout);
        return YB_EXIT_OK;
    }
    if (strcmp(argv[1], "settle") == 0)
        yb__cli_help_settle(stdout);
    else if (strcmp(argv[1], "policy") == 0)
        yb__cli_help_policy(stdout);
    else if (strcmp(argv[1], "init") == 0)
        yb__cli_help_init(stdout);
    else if (strcmp(argv[1], "ledger") == 0)
        yb__cli_help_ledger(stdout);
    else if (strcmp(argv[1], "audit") == 0)
        yb__cli_help_audit(stdout);
    else if (strcmp(argv[1], "synth") == 0)
        yb__cli_help_synth(stdout);
    else if (strcmp(argv[1], "person") == 0)
        yb__cli_help_person(stdout);
    else if (strcmp(argv[1], "subsidy") == 0)
        yb__cli_help_subsidy(stdout);
    else if (strcmp(argv[1], "import") == 0)
        yb__cli_help_import(stdout);
    else if (strcmp(argv[1], "enrol") == 0)
        yb__cli_help_enrol(stdout);
    else if (strcmp(argv[1], "pay") == 0)
        yb__cli_help_pay(stdout);
    else if (strcmp(argv[1], "serve") == 0)
        yb__cli_help_serve(stdout);
    else
        return yb__cli_usage_error("help", "unknown command \"%s\"", argv[1]);
    return YB_EXIT_OK;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL)
        return yb__cli_usage_error("yibao", "no command given");
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
        return cmd_help(1, argv + 1);
    if (strcmp(cmd, "--version") == 0) {
        printf("yibao %s\n", YB_VERSION);
        return YB_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0)
        return cmd_help(argc - 1, argv + 1);
    if (strcmp(cmd, "settle") == 0)
        return yb__cmd_settle(argc - 1, argv + 1);
    if (strcmp(cmd, "policy") == 0)
        return yb__cmd_policy(argc - 1, argv + 1);
    if (strcmp(cmd, "init") == 0)
        return yb__cmd_init(argc - 1, argv + 1);
    if (strcmp(cmd, "ledger") == 0)
        return yb__cmd_ledger(argc - 1, argv + 1);
    if (strcmp(cmd, "audit") == 0)
        return yb__cmd_audit(argc - 1, argv + 1);
    if (strcmp(cmd, "synth") == 0)
        return yb__cmd_synth(argc - 1, argv + 1);
    if (strcmp(cmd, "subsidy") == 0)
        return yb__cmd_subsidy(argc - 1, argv + 1);
    if (strcmp(cmd, "enrol") == 0)
        return yb__cmd_enrol(argc - 1, argv + 1);
    if (strcmp(cmd, "pay") == 0)
        return yb__cmd_pay(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return yb__cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "institution") == 0 && argc > 2 &&
        strcmp(argv[2], "credential") == 0)
        return yb__cmd_institution_credential(argc - 1, argv + 1);
    if (strcmp(cmd, "person") == 0 && argc > 2 &&
        strcmp(argv[2], "import") != 0)
        return yb__cmd_person(argc - 1, argv + 1);
    if (strcmp(cmd, "region") == 0 || strcmp(cmd, "institution") == 0 ||
        strcmp(cmd, "catalogue") == 0 || strcmp(cmd, "person") == 0 ||
        strcmp(cmd, "identity") == 0 || strcmp(cmd, "school") == 0 ||
        strcmp(cmd, "household") == 0)
        return yb__cmd_import(argc - 1, argv + 1);
    return yb__cli_usage_error("yibao", "unknown command \"%s\"", cmd);
}
