/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao audit verify --db FILE`: walk the audit hash chain and recompute
 * every row's hash (include/yibao/event.h). Prints "audit chain intact: N
 * rows" and exits 0, or names the first row that was changed, inserted or
 * deleted behind the application's back and exits 3.
 */
#include <inttypes.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/event.h"

void yb__cli_help_audit(FILE *f)
{
    fputs("usage: yibao audit verify --db FILE\n"
          "\n"
          "  verify   recompute the audit log's hash chain; prints\n"
          "           \"audit chain intact: N rows\", or names the first\n"
          "           row that does not match and exits 3\n",
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
