/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface between the files of the `yibao` command: the
 * subcommands, file reading, and the one way errors are reported (a line
 * on stderr, nothing on stdout) with the exit codes of docs/api.md.
 */
#ifndef YIBAO_CLI_INT_H
#define YIBAO_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "yibao/yibao.h"

/* Exit codes of the command. */
enum yb__cli_exit {
    YB_EXIT_OK = 0,
    YB_EXIT_IO = 1,       /* a file could not be read, or bad usage */
    YB_EXIT_INPUT = 2,    /* a policy, visit, catalogue ... was refused */
    YB_EXIT_INTERNAL = 3, /* out of memory, or a failed settlement check */
};

/* Read the whole file at path into a new malloc'd buffer (NUL-terminated;
 * *len excludes the NUL); the caller frees *data. YB_EIO naming the path
 * on failure, YB_EINVAL when the file exceeds the size limit. */
int yb__cli_read_file(const char *path, char **data, size_t *len,
                      struct yb_err *e);

/* Print "yibao: <field>: <message>" for e to stderr (the Chinese default
 * message of the code when e has none) and return the exit code for it. */
int yb__cli_fail(const struct yb_err *e);

/* The exit code for an error code. */
int yb__cli_exit_code(int code);

/* Report a usage error of a subcommand ("yibao: settle: ...") followed by
 * its usage line; returns YB_EXIT_IO. */
int yb__cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The value of "--name VALUE" or "--name=VALUE" at argv[*i], or NULL when
 * argv[*i] is another argument; *i advances past a separate value, and
 * *missing is set when the value is absent. */
const char *yb__cli_opt(int argc, char **argv, int *i, const char *name,
                        bool *missing);

/* Read argv[first..] as "--name value" options, each one of names[0..n)
 * (vals[k] gets the value of names[k]). Returns -1 when all were read, or
 * the usage error's exit code (an unknown argument, a missing value),
 * reported for command cmd. */
int yb__cli_opts(int argc, char **argv, int first, const char *cmd,
                 const char *const *names, const char **vals, size_t n);

/* Help texts. */
void yb__cli_help(FILE *f);
void yb__cli_help_settle(FILE *f);
void yb__cli_help_policy(FILE *f);
void yb__cli_help_synth(FILE *f);

/* Subcommands: argv[0] is the subcommand's name. Return an exit code. */
int yb__cmd_settle(int argc, char **argv);
int yb__cmd_policy(int argc, char **argv);
int yb__cmd_synth(int argc, char **argv);

#endif
