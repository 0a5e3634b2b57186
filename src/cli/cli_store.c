/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the database subcommands (cli_store.h): options, opening the
 * store, the time and the actor of audit rows, and text columns for
 * Chinese tables. The time is read here, at the edge: services and the
 * engine never read the clock.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_store.h"

const char *yb__cli_opt(int argc, char **argv, int *i, const char *name,
                        bool *missing)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);

    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

bool yb__cli_policy_opt(int argc, char **argv, int *i,
                        struct yb__cli_policy_opts *o, bool *missing)
{
    static const char *const names[] = {"--policy", "--year", "--region",
                                        "--insutype"};
    const char **slots[] = {&o->policy, &o->year, &o->region, &o->insutype};

    for (size_t k = 0; k < sizeof names / sizeof *names && !*missing; k++) {
        const char *v = yb__cli_opt(argc, argv, i, names[k], missing);
        if (v) {
            *slots[k] = v;
            return true;
        }
    }
    return false;
}

int yb__cli_opts(int argc, char **argv, int first, const char *cmd,
                 const char *const *names, const char **vals, size_t n)
{
    for (int i = first; i < argc; i++) {
        bool missing = false, done = false;
        for (size_t k = 0; k < n && !done && !missing; k++) {
            const char *x = yb__cli_opt(argc, argv, &i, names[k], &missing);
            if (x) {
                vals[k] = x;
                done = true;
            }
        }
        if (missing)
            return yb__cli_usage_error(cmd, "%s needs a value", argv[i]);
        if (!done)
            return yb__cli_usage_error(cmd, "unknown argument \"%s\"", argv[i]);
    }
    return -1;
}

int yb__cli_db_usage(const char *cmd, void (*help)(FILE *), const char *fmt,
                     ...)
{
    va_list ap;

    fprintf(stderr, "yibao: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    help(stderr);
    return YB_EXIT_IO;
}

int yb__cli_bad_value(const char *option, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "yibao: %s: ", option);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return YB_EXIT_INPUT;
}

int yb__cli_open(const char *db, int flags, yb_store **s)
{
    struct yb_err e;

    yb_err_clear(&e);
    if (yb_store_open(db, flags, s, &e) == YB_OK)
        return YB_EXIT_OK;
    if (e.code == YB_EINVAL) /* a bad --db value: unknown scheme */
        return yb__cli_bad_value("--db", "%s", e.msg);
    return yb__cli_fail(&e);
}

char *yb__cli_now(char *buf)
{
    time_t t = time(NULL);
    struct tm tm;

    if (localtime_r(&t, &tm) == NULL ||
        strftime(buf, 20, "%Y-%m-%d %H:%M:%S", &tm) != 19)
        memcpy(buf, "1970-01-01 00:00:00", 20);
    return buf;
}

int yb__cli_load_policy(const char *path, struct yb_policy **p)
{
    char *text = NULL;
    size_t len = 0;
    struct yb_err e = {0};
    int rc = yb__cli_read_file(path, &text, &len, &e);
    if (rc == YB_OK)
        rc = yb_policy_parse(text, len, p, &e);
    free(text);
    return rc == YB_OK ? YB_EXIT_OK : yb__cli_fail(&e);
}

const char *yb__cli_actor(void)
{
    const char *u = getenv("USER");

    return u != NULL && u[0] != '\0' ? u : "yibao";
}

/* Display cells of UTF-8 text: ASCII one, anything from U+0800 up (CJK,
 * full-width punctuation) two, the rest one. */
static int display_width(const char *s)
{
    int w = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x80)
            w += 1;
        else if (*p >= 0xE0)
            w += 2;
        else if (*p >= 0xC0)
            w += 1;
    }
    return w;
}

void yb__cli_pad(FILE *f, const char *s, int width)
{
    fputs(s, f);
    for (int w = display_width(s); w < width; w++)
        fputc(' ', f);
}

void yb__cli_pad_left(FILE *f, const char *s, int width)
{
    for (int w = display_width(s); w < width; w++)
        fputc(' ', f);
    fputs(s, f);
}
