/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao init --db FILE`: create the database if it is missing and bring
 * its schema to this build's version (opening a store migrates it), then
 * print "schema version N (sqlite)". A database created here gets its
 * first audit row, event "store.init", so the audit chain starts with who
 * created the database and when.
 */
#include <string.h>
#include <unistd.h>

#include "cli_store.h"
#include "yibao/event.h"

void yb__cli_help_init(FILE *f)
{
    fputs("usage: yibao init --db FILE\n"
          "\n"
          "  --db FILE   the database: a path or sqlite:PATH; created if\n"
          "              missing, migrated to this build's schema\n"
          "\n"
          "prints \"schema version N (sqlite)\"\n",
          f);
}

/* The event that opens the audit chain of a new database. */
static int record_init(yb_store *s, int version)
{
    char now[20], ref[32];
    int64_t id = 0;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    snprintf(ref, sizeof ref, "schema %d", version);
    rc = yb_store_begin(s, &e);
    if (rc == YB_OK)
        rc = yb_event_open(s, "store.init", ref, yb__cli_actor(),
                           yb__cli_now(now), &id, &e);
    if (rc == YB_OK)
        rc = yb_store_commit(s, &e);
    if (rc != YB_OK) {
        yb_store_rollback(s);
        return yb__cli_fail(&e);
    }
    return YB_EXIT_OK;
}

static int run_init(const char *db)
{
    const char *path = strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
    bool fresh = access(path, F_OK) != 0;
    yb_store *s = NULL;
    struct yb_err e;
    int version = 0, rc;

    yb_err_clear(&e);
    rc = yb__cli_open(db, YB_STORE_CREATE, &s);
    if (rc != YB_EXIT_OK)
        return rc;
    if (yb_store_version(s, &version, &e) != YB_OK) {
        rc = yb__cli_fail(&e);
        goto out;
    }
    if (fresh && (rc = record_init(s, version)) != YB_EXIT_OK)
        goto out;
    printf("schema version %d (%s)\n", version, yb_store_backend(s));
    rc = YB_EXIT_OK;
out:
    yb_store_close(s);
    return rc;
}

int yb__cmd_init(int argc, char **argv)
{
    const char *db = NULL;

    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v = yb__cli_opt(argc, argv, &i, "--db", &missing);

        if (missing)
            return yb__cli_db_usage("init", yb__cli_help_init,
                                    "--db needs a value");
        if (v != NULL) {
            db = v;
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            yb__cli_help_init(stdout);
            return YB_EXIT_OK;
        } else {
            return yb__cli_db_usage("init", yb__cli_help_init,
                                    "unknown argument \"%s\"", argv[i]);
        }
    }
    if (db == NULL)
        return yb__cli_db_usage("init", yb__cli_help_init, "--db is required");
    return run_init(db);
}
