/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao policy check FILE`: parse and validate a policy file and print a
 * one-line summary, so an agency can check a policy before it is used.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"

static int policy_check(const char *path)
{
    struct yb_policy *p = NULL;
    struct yb_err e;
    char *text = NULL;
    size_t len = 0;
    int rc;

    yb_err_clear(&e);
    rc = yb__cli_read_file(path, &text, &len, &e);
    if (rc == YB_OK)
        rc = yb_policy_parse(text, len, &p, &e);
    if (rc != YB_OK) {
        /* an error that names no field is about the whole file */
        if (e.field[0] == '\0')
            snprintf(e.field, sizeof e.field, "%s", path);
        rc = yb__cli_fail(&e);
        goto out;
    }
    printf("ok: %s (%s %s %d, %d layers)\n", p->name, p->region, p->insutype,
           p->year, p->n_layers);
    rc = YB_EXIT_OK;
out:
    yb_policy_free(p);
    free(text);
    return rc;
}

int yb__cmd_policy(int argc, char **argv)
{
    if (argc < 2)
        return yb__cli_usage_error("policy", "no subcommand given");
    if (strcmp(argv[1], "check") != 0)
        return yb__cli_usage_error("policy", "unknown subcommand \"%s\"",
                                   argv[1]);
    if (argc != 3)
        return yb__cli_usage_error("policy", "check takes one FILE");
    return policy_check(argv[2]);
}
