/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao policy`: check a policy file, and keep the database's policy set
 * (include/yibao/policyset.h, docs/policy.md):
 *   check FILE                       validate, one summary line
 *   import --db DB FILE... [--actor NAME]
 *                                    import files as versions, all or none
 *   list --db DB [--region R] [--insutype T] [--year Y]
 *                                    the versions as a table
 *   show --db DB ID | --region R --date D [--insutype T]
 *                                    one version (the one in force) and its
 *                                    text as imported
 *   diff A B [--db DB]               what changed from A to B, A and B
 *                                    version ids or files
 */
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/policyset.h"

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

/* ---- options ------------------------------------------------------------ */

enum { O_DB, O_ACTOR, O_REGION, O_INSUTYPE, O_YEAR, O_DATE, O__COUNT };
static const char *const opt_names[O__COUNT] = {
    "--db", "--actor", "--region", "--insutype", "--year", "--date"};

struct args {
    const char *sub;
    const char *v[O__COUNT];
    const char *pos[64]; /* positional arguments */
    int n_pos;
};

/* Options from argv[2] on; those a subcommand does not take (allowed: a
 * bit per option) and more than max_pos positional arguments are usage
 * errors. */
static int parse(int argc, char **argv, unsigned allowed, int max_pos,
                 struct args *a)
{
    memset(a, 0, sizeof *a);
    a->sub = argv[1];
    for (int i = 2; i < argc; i++) {
        bool missing = false, hit = false;
        for (int k = 0; k < O__COUNT && !hit && !missing; k++) {
            const char *v = yb__cli_opt(argc, argv, &i, opt_names[k], &missing);
            if (v && !(allowed & (1u << k)))
                return yb__cli_usage_error("policy",
                                           "%s is not an option of "
                                           "policy %s",
                                           opt_names[k], a->sub);
            if (v) {
                a->v[k] = v;
                hit = true;
            }
        }
        if (missing)
            return yb__cli_usage_error("policy", "%s needs a value", argv[i]);
        if (hit)
            continue;
        if (argv[i][0] == '-' && argv[i][1])
            return yb__cli_usage_error("policy", "unknown option %s", argv[i]);
        if (a->n_pos >= max_pos)
            return yb__cli_usage_error("policy",
                                       "%s: too many "
                                       "arguments (\"%s\")",
                                       a->sub, argv[i]);
        a->pos[a->n_pos++] = argv[i];
    }
    if ((allowed & (1u << O_DB)) && !a->v[O_DB] && strcmp(a->sub, "diff") != 0)
        return yb__cli_usage_error("policy", "%s: --db FILE is required",
                                   a->sub);
    return YB_EXIT_OK;
}

/* A version id: digits, 1..18 of them. */
static bool version_id(const char *s, int64_t *id)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return false;
    *id = strtoll(s, NULL, 10);
    return true;
}

/* "530100 390 2027 2027-01-01..2027-12-31" */
static void print_scope(FILE *f, const struct yb_policy_version *v)
{
    char from[11], to[11];
    fprintf(f, "%s %s %d %s..%s", v->region, v->insutype, v->year,
            yb_date_format(v->valid_from, from),
            yb_date_format(v->valid_to, to));
}

/* ---- import ------------------------------------------------------------- */

static int cmd_import(int argc, char **argv)
{
    struct args a;
    int ex = parse(argc, argv, 1u << O_DB | 1u << O_ACTOR, 64, &a);
    if (ex != YB_EXIT_OK)
        return ex;
    if (a.n_pos == 0)
        return yb__cli_usage_error("policy", "import: name the policy "
                                             "FILE to import");
    yb_store *s = NULL;
    char now[24], *buf = NULL;
    size_t len = 0;
    struct yb_arena ar;
    struct yb_err e = {0};
    yb_arena_init(&ar, 0);
    FILE *lines = NULL;
    if ((ex = yb__cli_open(a.v[O_DB], YB_STORE_CREATE, &s)) != YB_EXIT_OK)
        goto out;
    if (!(lines = open_memstream(&buf, &len))) {
        ex = yb__cli_fail(&(struct yb_err){.code = YB_ENOMEM});
        goto out;
    }
    struct yb_actor who = {.name =
                               a.v[O_ACTOR] ? a.v[O_ACTOR] : yb__cli_actor(),
                           .now = yb__cli_now(now)};
    /* every file or none */
    int rc = yb_store_begin(s, &e);
    for (int i = 0; rc == YB_OK && i < a.n_pos; i++) {
        char *text = NULL;
        size_t n = 0;
        struct yb_policy_version v;
        bool existed = false;
        rc = yb__cli_read_file(a.pos[i], &text, &n, &e);
        if (rc == YB_OK)
            rc = yb_policyset_import(s, &who, text, n, &ar, &v, &existed, &e);
        free(text);
        if (rc != YB_OK) { /* the file, then the field in it */
            char f[sizeof e.field];
            if (!e.field[0] || strcmp(e.field, a.pos[i]) == 0)
                snprintf(f, sizeof f, "%s", a.pos[i]);
            else
                snprintf(f, sizeof f, "%.60s: %.60s", a.pos[i], e.field);
            memcpy(e.field, f, sizeof f);
            break;
        }
        fprintf(lines, "%s version %lld: ",
                existed ? "已有 unchanged" : "导入 imported", (long long)v.id);
        print_scope(lines, &v);
        fprintf(lines, " %s (blake2b %.12s)", v.name, v.digest);
        if (existed)
            fprintf(lines, ", imported by %s at %s", v.imported_by,
                    v.imported_at);
        fputc('\n', lines);
    }
    if (rc == YB_OK)
        rc = yb_store_commit(s, &e);
    else
        yb_store_rollback(s);
    fclose(lines);
    if (rc != YB_OK)
        ex = yb__cli_fail(&e);
    else
        fwrite(buf, 1, len, stdout);
out:
    free(buf);
    yb_arena_free(&ar);
    yb_store_close(s);
    return ex;
}

/* ---- list --------------------------------------------------------------- */

static int cmd_list(int argc, char **argv)
{
    struct args a;
    int ex = parse(
        argc, argv,
        1u << O_DB | 1u << O_REGION | 1u << O_INSUTYPE | 1u << O_YEAR, 0, &a);
    if (ex != YB_EXIT_OK)
        return ex;
    struct yb_policyset_filter f = {.region = a.v[O_REGION],
                                    .insutype = a.v[O_INSUTYPE]};
    if (a.v[O_YEAR] && (ex = yb__cli_year(a.v[O_YEAR], &f.year)) != YB_EXIT_OK)
        return ex;
    yb_store *s = NULL;
    if ((ex = yb__cli_open(a.v[O_DB], YB_STORE_READONLY, &s)) != YB_EXIT_OK)
        return ex;
    struct yb_arena ar;
    struct yb_policy_version *v = NULL;
    size_t n = 0;
    struct yb_err e = {0};
    yb_arena_init(&ar, 0);
    if (yb_policyset_list(s, &f, &ar, &v, &n, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    else if (n == 0)
        printf("没有政策版本 no policy versions\n");
    else {
        static const char *const head[] = {
            "版本 id",      "统筹区 region", "险种 insutype", "年度 year",
            "有效期 valid", "摘要 digest",   "导入 imported"};
        static const int width[] = {8, 14, 14, 10, 24, 14, 32};
        for (int k = 0; k < 7; k++)
            yb__cli_pad(stdout, head[k], width[k]);
        printf("名称 name\n");
        for (size_t i = 0; i < n; i++) {
            /* cells from the arena: an actor's name has no length limit */
            char from[11], to[11];
            const char *cell[7] = {
                yb_arena_printf(&ar, "%lld", (long long)v[i].id),
                v[i].region,
                v[i].insutype,
                yb_arena_printf(&ar, "%d", v[i].year),
                yb_arena_printf(&ar, "%s..%s",
                                yb_date_format(v[i].valid_from, from),
                                yb_date_format(v[i].valid_to, to)),
                yb_arena_printf(&ar, "%.12s", v[i].digest),
                yb_arena_printf(&ar, "%s %s", v[i].imported_by,
                                v[i].imported_at)};
            for (int k = 0; k < 7; k++) {
                yb__cli_pad(stdout, cell[k] ? cell[k] : "", width[k] - 1);
                putchar(' ');
            }
            printf("%s\n", v[i].name);
        }
    }
    yb_arena_free(&ar);
    yb_store_close(s);
    return ex;
}

/* ---- show --------------------------------------------------------------- */

static void print_version(const struct yb_policy_version *v)
{
    char from[11], to[11];
    printf("政策版本 version   %lld\n", (long long)v->id);
    printf("统筹区 region      %s\n", v->region);
    printf("险种 insutype      %s\n", v->insutype);
    printf("年度 year          %d\n", v->year);
    printf("有效期 valid       %s..%s\n", yb_date_format(v->valid_from, from),
           yb_date_format(v->valid_to, to));
    printf("名称 name          %s\n", v->name);
    printf("导入 imported      %s %s (event %lld)\n", v->imported_by,
           v->imported_at, (long long)v->event_id);
    printf("摘要 blake2b-256   %s\n", v->digest);
    printf("原文 text as imported:\n");
    fwrite(v->body, 1, v->body_len, stdout);
    if (v->body_len == 0 || v->body[v->body_len - 1] != '\n')
        putchar('\n');
}

static int cmd_show(int argc, char **argv)
{
    struct args a;
    int ex = parse(
        argc, argv,
        1u << O_DB | 1u << O_REGION | 1u << O_INSUTYPE | 1u << O_DATE, 1, &a);
    if (ex != YB_EXIT_OK)
        return ex;
    bool by_day = a.v[O_REGION] || a.v[O_DATE];
    int64_t id = 0;
    yb_date day = 0;
    struct yb_err e = {0};
    if (by_day == (a.n_pos == 1))
        return yb__cli_usage_error("policy", "show: give a version ID, "
                                             "or --region R and --date D");
    if (by_day && (!a.v[O_REGION] || !a.v[O_DATE]))
        return yb__cli_usage_error("policy", "show: --region and "
                                             "--date go together");
    if (!by_day && a.v[O_INSUTYPE])
        return yb__cli_usage_error("policy", "show: --insutype goes "
                                             "with --region and --date");
    if (!by_day && !version_id(a.pos[0], &id))
        return yb__cli_bad_value("policy show",
                                 "\"%s\" 不是政策版本号 (not "
                                 "a version id)",
                                 a.pos[0]);
    if (by_day && yb_date_parse(a.v[O_DATE], &day, "--date", &e) != YB_OK)
        return yb__cli_fail(&e);
    yb_store *s = NULL;
    char region[7];
    if ((ex = yb__cli_open(a.v[O_DB], YB_STORE_READONLY, &s)) != YB_EXIT_OK)
        return ex;
    if (by_day)
        ex = yb__cli_policy_region(s, a.v[O_REGION], region);
    struct yb_arena ar;
    struct yb_policy_version v;
    yb_arena_init(&ar, 0);
    const char *ins = a.v[O_INSUTYPE] ? a.v[O_INSUTYPE] : "390";
    int rc = ex != YB_EXIT_OK ? YB_OK
             : by_day ? yb_policyset_in_force(s, region, ins, day, &ar, &v, &e)
                      : yb_policyset_get(s, id, &ar, &v, &e);
    if (ex == YB_EXIT_OK && rc != YB_OK)
        ex = yb__cli_fail(&e);
    else if (ex == YB_EXIT_OK) {
        if (by_day)
            printf("在 %s 有效 in force on %s: 统筹区 %s 险种 %s\n",
                   a.v[O_DATE], a.v[O_DATE], region, ins);
        print_version(&v);
    }
    yb_arena_free(&ar);
    yb_store_close(s);
    return ex;
}

/* ---- diff --------------------------------------------------------------- */

/* One side of a diff: a version of the set or a file. */
struct side {
    const char *label; /* in the arena, or the argument */
    char *text;        /* malloc'd (a file) or in the arena */
    size_t len;
    bool own;
};

static int load_side(yb_store *s, const char *arg, struct yb_arena *ar,
                     struct side *d, struct yb_err *e)
{
    int64_t id;
    memset(d, 0, sizeof *d);
    if (!version_id(arg, &id)) {
        d->own = true;
        d->label = arg;
        int rc = yb__cli_read_file(arg, &d->text, &d->len, e);
        if (rc != YB_OK && !e->field[0])
            snprintf(e->field, sizeof e->field, "%.120s", arg);
        return rc;
    }
    if (!s)
        return yb_err_set(e, YB_EINVAL, arg,
                          "政策版本号需要 --db (a version id needs --db; "
                          "write a file named so as ./%s)",
                          arg);
    struct yb_policy_version v;
    int rc = yb_policyset_get(s, id, ar, &v, e);
    if (rc != YB_OK)
        return rc;
    char from[11], to[11];
    d->label = yb_arena_printf(
        ar, "政策版本 version %lld %s (%s %s %d, %s..%s)", (long long)v.id,
        v.name, v.region, v.insutype, v.year,
        yb_date_format(v.valid_from, from), yb_date_format(v.valid_to, to));
    if (!d->label)
        return yb_err_set(e, YB_ENOMEM, "diff", "内存不足 (out of memory)");
    d->text = (char *)v.body;
    d->len = v.body_len;
    return YB_OK;
}

static void print_change(const struct yb_policy_change *c, void *ud)
{
    fprintf(ud, "%s\n", c->line);
}

static int cmd_diff(int argc, char **argv)
{
    struct args a;
    int ex = parse(argc, argv, 1u << O_DB, 2, &a);
    if (ex != YB_EXIT_OK)
        return ex;
    if (a.n_pos != 2)
        return yb__cli_usage_error("policy", "diff: name A and B, "
                                             "each a version id or a file");
    yb_store *s = NULL;
    if (a.v[O_DB] &&
        (ex = yb__cli_open(a.v[O_DB], YB_STORE_READONLY, &s)) != YB_EXIT_OK)
        return ex;
    struct yb_arena ar;
    struct side x = {0}, y = {0};
    struct yb_err e = {0};
    size_t n = 0, len = 0;
    char *buf = NULL;
    yb_arena_init(&ar, 0);
    /* the changes are printed once all of them are known */
    FILE *lines = open_memstream(&buf, &len);
    int rc =
        lines ? load_side(s, a.pos[0], &ar, &x, &e)
              : yb_err_set(&e, YB_ENOMEM, "diff", "内存不足 (out of memory)");
    if (rc == YB_OK)
        rc = load_side(s, a.pos[1], &ar, &y, &e);
    if (rc == YB_OK)
        rc = yb_policy_diff(x.text, x.len, y.text, y.len, print_change, lines,
                            &n, &e);
    if (lines)
        fclose(lines);
    if (rc == YB_OK) {
        printf("--- %s\n+++ %s\n", x.label, y.label);
        fwrite(buf, 1, len, stdout);
        if (n == 0)
            printf("相同 no differences\n");
        else
            printf("%zu 处不同 %s\n", n, n == 1 ? "difference" : "differences");
    } else {
        /* a side that is not JSON is named by its argument */
        if (rc == YB_EPARSE && (e.field[0] == 'a' || e.field[0] == 'b'))
            snprintf(e.field, sizeof e.field, "%.120s",
                     e.field[0] == 'a' ? a.pos[0] : a.pos[1]);
        ex = yb__cli_fail(&e);
    }
    if (x.own)
        free(x.text);
    if (y.own)
        free(y.text);
    free(buf);
    yb_arena_free(&ar);
    yb_store_close(s);
    return ex;
}

int yb__cmd_policy(int argc, char **argv)
{
    if (argc < 2)
        return yb__cli_usage_error("policy", "no subcommand given");
    if (strcmp(argv[1], "check") == 0) {
        if (argc != 3)
            return yb__cli_usage_error("policy", "check takes one FILE");
        return policy_check(argv[2]);
    }
    if (strcmp(argv[1], "import") == 0)
        return cmd_import(argc, argv);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(argc, argv);
    if (strcmp(argv[1], "show") == 0)
        return cmd_show(argc, argv);
    if (strcmp(argv[1], "diff") == 0)
        return cmd_diff(argc, argv);
    return yb__cli_usage_error("policy", "unknown subcommand \"%s\"", argv[1]);
}
