/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao settle`: one-stop settlement of one visit from files
 * (docs/benefits.md).
 * Reads the policy, the visit (person, visit, fee lines, inline catalogue),
 * an optional catalogue file and optional year-to-date accumulators;
 * refuses a visit the policy does not cover (insured region, insurance
 * type, validity dates); settles with the engine, verifies the result's
 * invariants (a failure there is an internal error, exit 3) and prints the
 * national-shaped JSON or a Chinese receipt. Nothing reaches stdout unless
 * every step succeeded.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"

struct settle_opts {
    const char *policy;
    const char *visit;
    const char *catalogue;
    const char *accums;
    bool trace;
    bool text;
};

/* Everything one run owns; released by run_free. */
struct settle_run {
    struct settle_opts opt;
    struct yb_policy *policy;
    struct yb_visit_doc *doc;
    struct yb_arena arena; /* catalogue file, accumulators, result */
    struct yb_catalogue_entry *entries;
    size_t n_entries;
    struct yb_catalogue cat;
    bool cat_built;
    struct yb_accums accums;
    struct yb_settlement s;
    struct yb_err e;
};

/* Returns -1 to go on, or an exit code. */
static int parse_opts(int argc, char **argv, struct settle_opts *o)
{
    const char **slot[] = {&o->policy, &o->visit, &o->catalogue, &o->accums};
    const char *names[] = {"--policy", "--visit", "--catalogue",
                           "--accumulators"};
    const char *format = "json";

    for (int i = 1; i < argc; i++) {
        bool missing = false, done = false;
        const char *v;

        for (size_t k = 0; k < 4 && !done && !missing; k++)
            if ((v = yb__cli_opt(argc, argv, &i, names[k], &missing)) != NULL) {
                *slot[k] = v;
                done = true;
            }
        if (!done && !missing &&
            (v = yb__cli_opt(argc, argv, &i, "--format", &missing)) != NULL) {
            format = v;
            done = true;
        }
        if (missing)
            return yb__cli_usage_error("settle", "%s needs a value", argv[i]);
        if (done)
            continue;
        if (strcmp(argv[i], "--trace") == 0) {
            o->trace = true;
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            yb__cli_help_settle(stdout);
            return YB_EXIT_OK;
        } else {
            return yb__cli_usage_error("settle", "unknown argument \"%s\"",
                                       argv[i]);
        }
    }
    if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)
        return yb__cli_usage_error("settle", "unknown format \"%s\"", format);
    o->text = strcmp(format, "text") == 0;
    if (o->policy == NULL || o->visit == NULL)
        return yb__cli_usage_error("settle", "--policy and --visit are "
                                             "required");
    return -1;
}

/* A parse error that names no field is about the whole file. */
static int name_file(struct yb_err *e, const char *path)
{
    if (e->field[0] == '\0')
        snprintf(e->field, sizeof e->field, "%s", path);
    return e->code;
}

static int load_inputs(struct settle_run *r)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    rc = yb__cli_read_file(r->opt.policy, &text, &len, &r->e);
    if (rc == YB_OK)
        rc = yb_policy_parse(text, len, &r->policy, &r->e);
    free(text);
    if (rc != YB_OK)
        return name_file(&r->e, r->opt.policy);
    rc = yb__cli_read_file(r->opt.visit, &text, &len, &r->e);
    if (rc == YB_OK)
        rc = yb_visit_doc_parse(text, len, &r->doc, &r->e);
    free(text);
    if (rc != YB_OK)
        return name_file(&r->e, r->opt.visit);
    if (r->opt.accums == NULL)
        return YB_OK;
    rc = yb__cli_read_file(r->opt.accums, &text, &len, &r->e);
    if (rc == YB_OK)
        rc = yb_accums_doc_parse(text, len, &r->arena, &r->accums, &r->e);
    free(text);
    return rc == YB_OK ? rc : name_file(&r->e, r->opt.accums);
}

/* The visit's inline catalogue followed by the catalogue file's entries. */
static int load_catalogue(struct settle_run *r)
{
    struct yb_catalogue_entry *file = NULL;
    size_t n_file = 0, n;
    char *text = NULL;
    size_t len = 0;
    int rc = YB_OK;

    if (r->opt.catalogue != NULL) {
        rc = yb__cli_read_file(r->opt.catalogue, &text, &len, &r->e);
        if (rc == YB_OK)
            rc = yb_catalogue_doc_parse(text, len, &r->arena, &file, &n_file,
                                        &r->e);
        free(text);
        if (rc != YB_OK)
            return name_file(&r->e, r->opt.catalogue);
    }
    n = r->doc->n_catalogue + n_file;
    r->entries = yb_arena_calloc(&r->arena, n > 0 ? n : 1, sizeof *r->entries);
    if (r->entries == NULL)
        return yb_err_set(&r->e, YB_ENOMEM, "catalogue",
                          "内存不足 (out of memory)");
    if (r->doc->n_catalogue > 0)
        memcpy(r->entries, r->doc->catalogue,
               r->doc->n_catalogue * sizeof *r->entries);
    if (n_file > 0)
        memcpy(r->entries + r->doc->n_catalogue, file,
               n_file * sizeof *r->entries);
    r->n_entries = n;
    return YB_OK;
}

/* The policy must cover the visit: its insured region lies within the
 * policy's region and the insurance types agree. Which year's policy
 * applies is the engine's check: the settlement (discharge) date decides,
 * so an admission over New Year settles under the new year's policy. */
static int check_covered(const struct yb_policy *p,
                         const struct yb_visit_doc *d, struct yb_err *e)
{
    if (!yb_region_contains(p->region, d->visit.insuplc_admdvs))
        return yb_err_set(
            e, YB_ENOTCOVERED, "mdtrt.insuplc_admdvs",
            "地区 \"%s\" 不在政策统筹区 %s 内 (outside the policy region)",
            d->visit.insuplc_admdvs, p->region);
    if (p->insutype != NULL && strcmp(p->insutype, d->insutype) != 0)
        return yb_err_set(
            e, YB_ENOTCOVERED, "mdtrt.insutype",
            "险种 \"%s\" 不是政策的险种 %s (not the policy's insutype)",
            d->insutype, p->insutype);
    return YB_OK;
}

static int settle(struct settle_run *r)
{
    const struct yb_visit_doc *d = r->doc;
    int rc = check_covered(r->policy, d, &r->e);

    if (rc == YB_OK)
        rc = load_catalogue(r);
    if (rc == YB_OK)
        rc = yb_catalogue_build(&r->cat, r->entries, r->n_entries, &r->e);
    if (rc != YB_OK)
        return rc;
    r->cat_built = true;
    rc = yb_settle(r->policy, &r->cat, &d->person, &d->visit, d->lines,
                   d->n_lines, &r->accums, &r->arena, &r->s, &r->e);
    if (rc != YB_OK)
        return rc;
    rc = yb_settlement_check(&r->s, &r->e);
    if (rc != YB_OK && rc != YB_ENOMEM)
        r->e.code = rc = YB_EINVARIANT;
    return rc;
}

static int print_result(struct settle_run *r)
{
    char *out;
    size_t n;

    if (r->opt.text)
        out = yb_settlement_text(&r->s, r->doc, r->opt.trace, &r->arena);
    else
        out = yb_settlement_json(&r->s, r->doc, r->opt.trace, &r->arena);
    if (out == NULL)
        return yb_err_set(
            &r->e, YB_ENOMEM, "",
            "生成结果时内存不足 (out of memory while rendering the result)");
    n = strlen(out);
    if (fwrite(out, 1, n, stdout) != n ||
        (n > 0 && out[n - 1] != '\n' && fputc('\n', stdout) == EOF) ||
        fflush(stdout) != 0)
        return yb_err_set(&r->e, YB_EIO, "stdout",
                          "无法写出结果 (cannot write the result)");
    return YB_OK;
}

int yb__cmd_settle(int argc, char **argv)
{
    struct settle_run r;
    int rc;

    memset(&r, 0, sizeof r);
    yb_err_clear(&r.e);
    yb_arena_init(&r.arena, 0);
    rc = parse_opts(argc, argv, &r.opt);
    if (rc >= 0)
        goto out;
    rc = load_inputs(&r);
    if (rc == YB_OK)
        rc = settle(&r);
    if (rc == YB_OK)
        rc = print_result(&r);
    rc = rc == YB_OK ? YB_EXIT_OK : yb__cli_fail(&r.e);
out:
    if (r.cat_built)
        yb_catalogue_free(&r.cat);
    yb_arena_free(&r.arena);
    yb_visit_doc_free(r.doc);
    yb_policy_free(r.policy);
    return rc;
}
