/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The subcommands of `yibao` that work on a database (init, ledger,
 * audit) and what they share: option parsing, opening the store with the
 * error reporting of docs/api.md, the current time for events, and
 * Chinese text columns padded by display width.
 */
#ifndef YIBAO_CLI_STORE_H
#define YIBAO_CLI_STORE_H

#include <stdbool.h>
#include <stdio.h>

#include "cli_int.h"
#include "yibao/import.h"
#include "yibao/store.h"

/* Subcommands: argv[0] is the subcommand's name. Return an exit code. */
int yb__cmd_init(int argc, char **argv);
int yb__cmd_ledger(int argc, char **argv);
int yb__cmd_audit(int argc, char **argv);
int yb__cmd_import(int argc, char **argv);
int yb__cmd_export(int argc, char **argv);
int yb__cmd_person(int argc, char **argv);
int yb__cmd_subsidy(int argc, char **argv);
int yb__cmd_enrol(int argc, char **argv);
int yb__cmd_pay(int argc, char **argv);
int yb__cmd_serve(int argc, char **argv);
int yb__cmd_institution_credential(int argc, char **argv);

/* Help texts. */
void yb__cli_help_init(FILE *f);
void yb__cli_help_ledger(FILE *f);
void yb__cli_help_audit(FILE *f);
void yb__cli_help_import(FILE *f);
void yb__cli_help_person(FILE *f);
void yb__cli_help_subsidy(FILE *f);
void yb__cli_help_enrol(FILE *f);
void yb__cli_help_pay(FILE *f);
void yb__cli_help_serve(FILE *f);

/* Run `<noun> import` of kind with its options (argv[0] the noun, argv[1]
 * "import"): progress on stderr, counts and bad rows on stdout
 * (cmd_import.c). A payment import takes --policy FILE. */
int yb__cli_run_import(enum yb_import_kind kind, int argc, char **argv);

/* Read and parse the policy file at path into *p (the caller frees it);
 * errors are reported on stderr and turned into an exit code. */
int yb__cli_load_policy(const char *path, struct yb_policy **p);

/* The policy a command of a coverage year works under (cli_policy.c):
 * the file (--policy), else the version of the database's policy set for
 * the region (--region; NULL: the set's only region), insurance type
 * (NULL: 390) and year in force today brought into the year
 * (policyset.h). */
/* The options that choose a policy: --policy FILE, or --year Y with
 * --region R and --insutype T from the database's policy set. */
struct yb__cli_policy_opts {
    const char *policy, *year, *region, *insutype;
};
/* True when argv[*i] is one of those options: its value is stored in *o
 * and *i advanced past a separate value (as yb__cli_opt); false for any
 * other argument, with *missing set when one of them lacks its value. */
bool yb__cli_policy_opt(int argc, char **argv, int *i,
                        struct yb__cli_policy_opts *o, bool *missing);
struct yb__cli_policy_want {
    const char *file, *region, *insutype;
    int year;
};
struct yb__cli_policy {
    const struct yb_policy *p;     /* the one to use */
    int64_t id;                    /* its version (0: a file) */
    struct yb_policy *own;         /* parsed from the file */
    struct yb_policy_cache *cache; /* holding the set's */
};
/* Fill *out (release it with yb__cli_policy_done, also after a failure);
 * errors are reported on stderr and turned into an exit code. */
int yb__cli_policy_pick(yb_store *s, const struct yb__cli_policy_want *w,
                        struct yb__cli_policy *out);
void yb__cli_policy_done(struct yb__cli_policy *cp);
/* A coverage year given as --year: four digits, else exit 2 naming
 * --year; YB_EXIT_OK with *year set. */
int yb__cli_year(const char *v, int *year);
/* The pooling region a command works on: given (6 digits, else exit 2
 * naming --region), else the one region of the policy set (none: exit 2,
 * "import a policy first"; several: exit 1, "name one with --region").
 * out gets 6 digits and a NUL. */
int yb__cli_policy_region(yb_store *s, const char *given, char out[7]);

/* "yibao: <cmd>: <message>" and the command's help on stderr; returns
 * YB_EXIT_IO (the command line was wrong). */
int yb__cli_db_usage(const char *cmd, void (*help)(FILE *), const char *fmt,
                     ...) __attribute__((format(printf, 3, 4)));

/* "yibao: <option>: <message>" on stderr for a refused option value;
 * returns YB_EXIT_INPUT. */
int yb__cli_bad_value(const char *option, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Open the database at db (a path or "sqlite:PATH"); errors are reported
 * on stderr and turned into an exit code, else YB_EXIT_OK. */
int yb__cli_open(const char *db, int flags, yb_store **s);

/* The local time now as "yyyy-MM-dd HH:mm:ss" into buf (>= 20 bytes). */
char *yb__cli_now(char *buf);
/* Who runs the command, for the audit log: $USER, else "yibao". */
const char *yb__cli_actor(void);

/* Print s left-aligned in a column of width display cells (CJK characters
 * take two); longer text is printed whole. */
void yb__cli_pad(FILE *f, const char *s, int width);
/* The same, right-aligned. */
void yb__cli_pad_left(FILE *f, const char *s, int width);

#endif
