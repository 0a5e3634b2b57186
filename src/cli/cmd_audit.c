/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao audit verify --db FILE`: walk the audit hash chain and recompute
 * every row's hash (include/yibao/event.h). Prints "audit chain intact: N
 * rows" and exits 0, or names the first row that was changed, inserted or
 * deleted behind the application's back and exits 3.
 * `yibao audit lookups --db FILE [--inst CODE] [--psn PSN_NO] [--from DAY]
 * [--to DAY]`: the person lookups (1101) the hospital interface recorded
 * (include/yibao/hospital.h), one tab-separated line each under a header.
 */
#include <inttypes.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/event.h"
#include "yibao/hospital.h"

void yb__cli_help_audit(FILE *f)
{
    fputs("usage: yibao audit verify --db FILE\n"
          "       yibao audit lookups --db FILE [--inst CODE] [--psn PSN_NO]\n"
          "                           [--from yyyy-MM-dd] [--to yyyy-MM-dd]\n"
          "\n"
          "  verify   recompute the audit log's hash chain; prints\n"
          "           \"audit chain intact: N rows\", or names the first\n"
          "           row that does not match and exits 3\n"
          "  lookups  the person lookups (1101) institutions made through\n"
          "           the hospital interface, oldest first, tab-separated:\n"
          "           time, institution, operator, operator's name, infno,\n"
          "           msgid, psn_no found, certificate type and number\n"
          "           (masked), infcode, error code\n",
          f);
}

static int verify(const char *db)
{
    yb_store *s = NULL;
    int64_t bad = 0, rows = 0;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    rc = yb__cli_open(db, YB_STORE_READONLY, &s);
    if (rc != YB_EXIT_OK)
        return rc;
    if (yb_audit_verify(s, &bad, &rows, &e) == YB_OK) {
        printf("audit chain intact: %" PRId64 " rows\n", rows);
        rc = YB_EXIT_OK;
    } else {
        rc = yb__cli_fail(&e);
    }
    yb_store_close(s);
    return rc;
}

static void print_lookup(const struct yb_lookup_rec *r, void *ud)
{
    (void)ud;
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", r->at,
           r->fixmedins_code, r->opter, r->opter_name, r->infno, r->msgid,
           r->psn_no, r->cert_type, r->cert_no, r->infcode, r->err_code);
}

static int lookups(int argc, char **argv)
{
    static const char *const names[] = {"--db", "--inst", "--psn", "--from",
                                        "--to"};
    const char *v[5] = {0};
    int ex = yb__cli_opts(argc, argv, 2, "audit", names, v, 5);
    if (ex >= 0)
        return ex;
    if (!v[0])
        return yb__cli_db_usage("audit", yb__cli_help_audit,
                                "--db is required");
    yb_store *s = NULL;
    ex = yb__cli_open(v[0], YB_STORE_READONLY, &s);
    if (ex != YB_EXIT_OK)
        return ex;
    struct yb_lookup_filter f = {v[1], v[2], v[3], v[4]};
    struct yb_err e = {0};
    size_t n = 0;
    printf("at\tfixmedins_code\topter\topter_name\tinfno\tmsgid\tpsn_no\t"
           "cert_type\tcert_no\tinfcode\terr_code\n");
    if (yb_lookup_audit_list(s, &f, print_lookup, NULL, &n, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    yb_store_close(s);
    return ex;
}

int yb__cmd_audit(int argc, char **argv)
{
    const char *db = NULL;

    if (argc < 2)
        return yb__cli_db_usage("audit", yb__cli_help_audit,
                                "no subcommand given");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        yb__cli_help_audit(stdout);
        return YB_EXIT_OK;
    }
    if (strcmp(argv[1], "lookups") == 0)
        return lookups(argc, argv);
    if (strcmp(argv[1], "verify") != 0)
        return yb__cli_db_usage("audit", yb__cli_help_audit,
                                "unknown subcommand \"%s\"", argv[1]);
    for (int i = 2; i < argc; i++) {
        bool missing = false;
        const char *v = yb__cli_opt(argc, argv, &i, "--db", &missing);

        if (missing)
            return yb__cli_db_usage("audit", yb__cli_help_audit,
                                    "--db needs a value");
        if (v == NULL)
            return yb__cli_db_usage("audit", yb__cli_help_audit,
                                    "unknown argument \"%s\"", argv[i]);
        db = v;
    }
    if (db == NULL)
        return yb__cli_db_usage("audit", yb__cli_help_audit,
                                "--db is required");
    return verify(db);
}
