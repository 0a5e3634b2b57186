/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao synth`: write a synthetic pooling region as the CSV import files
 * of docs/import-formats.md (yb_synth_run) and print what was written.
 * The coverage year defaults to the policy's (--policy) or else to the
 * current year, read from the clock here: the generator itself reads none.
 * Every option error is one stderr line naming the option and its value,
 * exit 2; an output file that cannot be written is exit 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_int.h"
#include "cli_store.h"
#include "yibao/policy.h"
#include "yibao/synth.h"

void yb__cli_help_synth(FILE *f)
{
    fputs("usage: yibao synth --persons N --seed S --out DIR [--year Y]\n"
          "                   [--policy FILE] [--region CODE]\n"
          "                   [--catalogue ROWS]\n"
          "\n"
          "  --persons N       persons to generate (1-20000000)\n"
          "  --year Y          coverage year (2016-2099); contributions are\n"
          "                    paid in Y-1, visits happen in Y (default: the\n"
          "                    policy's year, else the current year)\n"
          "  --policy FILE     take contribution tiers, amounts, assistance\n"
          "                    and person types from this policy, so that\n"
          "                    `yibao pay import` under it accepts every\n"
          "                    payment (default: a built-in scheme of two\n"
          "                    tiers, as policies/demo-region-2018.json)\n"
          "  --seed S          any unsigned 64-bit number; the same options\n"
          "                    give byte-identical files\n"
          "  --out DIR         output directory (created if missing; files\n"
          "                    in it are overwritten)\n"
          "  --region CODE     pooling region, a prefecture code (default\n"
          "                    530100)\n"
          "  --catalogue ROWS  catalogue rows (1000-1000000, default 50000)\n"
          "\n"
          "writes regions, institutions, schools, catalogue, households,\n"
          "persons, identities, payments, visits and fee_lines .csv\n",
          f);
}

struct synth_args {
    const char *persons, *seed, *out, *year, *region, *catalogue, *policy;
};

enum { N_OPTS = 7, N_REQUIRED = 3 };

static int bad(const char *opt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One line "yibao: synth: OPTION: message"; exit 2. */
static int bad(const char *opt, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "yibao: synth: %s: ", opt);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return YB_EXIT_INPUT;
}

/* Match "--name VALUE" or "--name=VALUE" at argv[*i]: 1 matched (value
 * set), 0 not this option, -1 the value is missing. */
static int take(int argc, char **argv, int *i, const char *name,
                const char **value)
{
    size_t n = strlen(name);

    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, struct synth_args *a)
{
    /* the required options first */
    const char *names[N_OPTS] = {"--persons", "--seed",   "--out",
                                 "--year",    "--region", "--catalogue",
                                 "--policy"};
    const char **slots[N_OPTS] = {&a->persons, &a->seed,   &a->out,
                                  &a->year,    &a->region, &a->catalogue,
                                  &a->policy};

    for (int i = 1; i < argc; i++) {
        int got = 0;

        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            yb__cli_help_synth(stdout);
            return YB_EXIT_OK;
        }
        for (size_t k = 0; k < N_OPTS && got == 0; k++) {
            got = take(argc, argv, &i, names[k], slots[k]);
            if (got < 0)
                return bad(names[k], "needs a value");
        }
        if (got == 0)
            return bad(argv[i], "unknown option \"%s\"", argv[i]);
    }
    for (size_t k = 0; k < N_REQUIRED; k++)
        if (*slots[k] == NULL)
            return bad(names[k], "is required");
    return -1;
}

/* A whole decimal number without sign or spaces, at most max. */
static bool whole(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (s[0] == '\0' || strlen(s) > 20)
        return false;
    for (const char *p = s; *p != '\0'; p++) {
        unsigned d = (unsigned)(*p - '0');

        if (*p < '0' || *p > '9' || v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

/* The current year by the local clock (the agency's time zone). */
static int this_year(void)
{
    time_t t = time(NULL);
    struct tm tm;

    return localtime_r(&t, &tm) != NULL ? tm.tm_year + 1900 : 1970;
}

static int to_opts(const struct synth_args *a, struct yb_synth_opts *o)
{
    uint64_t v;

    if (!whole(a->persons, UINT64_C(1) << 62, &v))
        return bad("--persons", "\"%s\" is not a whole number", a->persons);
    o->persons = (int64_t)v;
    if (a->year == NULL)
        o->year = o->policy != NULL ? o->policy->year : this_year();
    else if (!whole(a->year, 100000, &v))
        return bad("--year", "\"%s\" is not a year", a->year);
    else
        o->year = (int)v;
    if (!whole(a->seed, UINT64_MAX, &v))
        return bad("--seed", "\"%s\" is not an unsigned 64-bit number",
                   a->seed);
    o->seed = v;
    if (a->catalogue != NULL) {
        if (!whole(a->catalogue, 100000000, &v) || v == 0)
            return bad("--catalogue", "\"%s\" is not a row count",
                       a->catalogue);
        o->catalogue_rows = (int)v;
    }
    o->out_dir = a->out;
    o->region = a->region;
    return -1;
}

/* A library error, with the option the field stands for. */
static int fail(const struct yb_err *e)
{
    static const struct {
        const char *field, *opt;
    } map[] = {{"persons", "--persons"},
               {"year", "--year"},
               {"region", "--region"},
               {"out_dir", "--out"},
               {"catalogue_rows", "--catalogue"},
               {"policy", "--policy"}};
    const char *name = e->field;

    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (strcmp(e->field, map[k].field) == 0)
            name = map[k].opt;
    fprintf(stderr, "yibao: synth: %s: %s\n", name,
            e->msg[0] != '\0' ? e->msg : yb_err_en(e->code));
    return yb__cli_exit_code(e->code);
}

static void summary(const struct yb_synth_opts *o,
                    const struct yb_synth_counts *c)
{
    const struct {
        const char *file;
        int64_t rows;
    } rows[] = {
        {"regions.csv", c->regions},
        {"institutions.csv", c->institutions},
        {"schools.csv", c->schools},
        {"catalogue.csv", c->catalogue},
        {"households.csv", c->households},
        {"persons.csv", c->persons},
        {"identities.csv", c->identities},
        {"payments.csv", c->payments},
        {"visits.csv", c->visits},
        {"fee_lines.csv", c->fee_lines},
    };
    int64_t permille = c->hardship_persons * 1000 / c->persons;

    printf("yibao synth: seed %" PRIu64 ", year %d, region %s -> %s\n", o->seed,
           o->year, o->region != NULL ? o->region : YB_SYNTH_REGION_DEFAULT,
           o->out_dir);
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        printf("%-17s %" PRId64 " rows\n", rows[k].file, rows[k].rows);
    printf("hardship persons  %" PRId64 " (%" PRId64 ".%" PRId64 "%%)\n",
           c->hardship_persons, permille / 10, permille % 10);
    printf("unpaid persons    %" PRId64 "\n", c->unpaid_persons);
    printf("bytes written     %" PRId64 "\n", c->bytes);
}

int yb__cmd_synth(int argc, char **argv)
{
    struct synth_args a = {0};
    struct yb_synth_opts o = {0};
    struct yb_synth_counts c;
    struct yb_err e;
    struct yb_policy *p = NULL;
    int rc;

    rc = parse_args(argc, argv, &a);
    if (rc < 0 && a.policy != NULL) {
        rc = yb__cli_load_policy(a.policy, &p);
        rc = rc == YB_EXIT_OK ? -1 : rc;
        o.policy = p;
    }
    if (rc < 0)
        rc = to_opts(&a, &o);
    if (rc >= 0)
        goto out;
    o.counts = &c;
    yb_err_clear(&e);
    if (yb_synth_run(&o, &e) != YB_OK) {
        rc = fail(&e);
        goto out;
    }
    summary(&o, &c);
    rc = YB_EXIT_OK;
out:
    yb_policy_free(p);
    return rc;
}
