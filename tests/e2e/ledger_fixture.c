/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/cli_ledger.sh, until the CLI has business
 * commands that post: `ledger_fixture DB post` writes the quarter of
 * tests/unit/ledger_fixture.h (docs/ledger.md's worked example) through
 * the real services (yb_event_open, yb_ledger_post), one transaction per
 * event; `ledger_fixture DB tamper` changes audit row 3 behind the
 * application's back, as an intruder with the database file would.
 */
#include <stdio.h>
#include <string.h>

#include "../unit/ledger_fixture.h"

int main(int argc, char **argv)
{
    yb_store *s = NULL;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    if (argc != 3 ||
        (strcmp(argv[2], "post") != 0 && strcmp(argv[2], "tamper") != 0)) {
        fputs("usage: ledger_fixture DB post|tamper\n", stderr);
        return 1;
    }
    rc = yb_store_open(argv[1], 0, &s, &e);
    if (rc == YB_OK && strcmp(argv[2], "post") == 0)
        rc = fx_post_all(s, &e);
    else if (rc == YB_OK)
        rc = yb_store_exec(
            s, "UPDATE audit SET actor = 'intruder' WHERE id = 3", &e);
    yb_store_close(s);
    if (rc != YB_OK) {
        fprintf(stderr, "ledger_fixture: %s: %s\n", e.field, e.msg);
        return 1;
    }
    return 0;
}
