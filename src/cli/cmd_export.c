/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao catalogue export --db FILE [--on yyyy-MM-dd] [--out FILE]` and
 * `yibao institution export --db FILE [--out FILE]`: CSV in the import
 * formats, to stdout or a file; the row count goes to stderr.
 */
#include <stdio.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/export.h"

int yb__cmd_export(int argc, char **argv)
{
    const char *db = NULL, *on = NULL, *path = NULL;
    bool cat = strcmp(argv[0], "catalogue") == 0;
    for (int i = 2; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = yb__cli_opt(argc, argv, &i, "--db", &missing)))
            db = v;
        else if (cat && (v = yb__cli_opt(argc, argv, &i, "--on", &missing)))
            on = v;
        else if ((v = yb__cli_opt(argc, argv, &i, "--out", &missing)))
            path = v;
        else
            return yb__cli_usage_error(
                argv[0], missing ? "%s needs a value" : "unknown option %s",
                argv[i]);
    }
    struct yb_err e = {0};
    yb_date day;
    if (!db)
        return yb__cli_usage_error(argv[0], "--db FILE is required");
    if (on && yb_date_parse(on, &day, "--on", &e) != YB_OK)
        return yb__cli_fail(&e);
    yb_store *s = NULL;
    int ex = yb__cli_open(db, YB_STORE_READONLY, &s);
    if (ex != YB_EXIT_OK)
        return ex;
    FILE *out = path ? fopen(path, "wb") : stdout;
    long rows = 0;
    int rc = YB_OK;
    if (!out)
        rc = yb_err_set(&e, YB_EIO, path, "无法创建 (cannot create)");
    else if (cat)
        rc = yb_export_catalogue(s, on, out, &rows, &e);
    else
        rc = yb_export_institutions(s, out, &rows, &e);
    if (out && out != stdout && fclose(out) != 0 && rc == YB_OK)
        rc = yb_err_set(&e, YB_EIO, path, "写入失败 (write error)");
    yb_store_close(s);
    if (rc != YB_OK)
        return yb__cli_fail(&e);
    fprintf(stderr, "%s export: %ld rows\n", argv[0], rows);
    return YB_EXIT_OK;
}
