/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `yibao person add`, `yibao person show` and `yibao person move`: register
 * one person from the command line (checked against the ID number; the
 * generated person number is printed), show a person with identities and
 * enrolments, and record a change of residence (居住地变更), with the
 * year's enrolment transferred to the new pooling region on request. ID
 * numbers are masked in text output unless --full is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/enrolment.h"
#include "yibao/registry.h"

static const char *const add_opts[] = {
    "--db",   "--certno",    "--name",     "--region", "--gend", "--brdy",
    "--naty", "--household", "--relation", "--school", NULL};

struct add_args {
    const char *v[10];
    bool college, pupil, permit;
};

static int parse_add(int argc, char **argv, struct add_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        bool missing = false, hit = false;
        for (int k = 0; add_opts[k] && !hit; k++) {
            const char *v = yb__cli_opt(argc, argv, &i, add_opts[k], &missing);
            if (v) {
                a->v[k] = v;
                hit = true;
            }
        }
        if (hit)
            continue;
        if (missing)
            return yb__cli_usage_error("person", "%s needs a value", argv[i]);
        if (strcmp(argv[i], "--pupil") == 0)
            a->pupil = true;
        else if (strcmp(argv[i], "--college") == 0)
            a->college = true;
        else if (strcmp(argv[i], "--permit") == 0)
            a->permit = true;
        else
            return yb__cli_usage_error("person", "unknown option %s", argv[i]);
    }
    for (int k = 0; k < 4; k++)
        if (!a->v[k])
            return yb__cli_usage_error("person", "%s is required", add_opts[k]);
    return YB_EXIT_OK;
}

static int fill(const struct add_args *a, struct yb_person_rec *p)
{
    struct yb_err e = {0};
    memset(p, 0, sizeof *p);
    p->certno = a->v[1];
    p->psn_name = a->v[2];
    p->resd_admdvs = a->v[3];
    if (a->v[4]) {
        int g = yb_dict_index(YB_DICT_GEND, a->v[4]);
        if (g < 0)
            return yb__cli_bad_value("--gend", "unknown gend code \"%s\"",
                                     a->v[4]);
        p->gend = atoi(a->v[4]) == 9 ? 0 : atoi(a->v[4]);
    }
    if (a->v[5] && yb_date_parse(a->v[5], &p->brdy, "--brdy", &e) != YB_OK)
        return yb__cli_fail(&e);
    p->naty = a->v[6];
    p->hh_id = a->v[7];
    p->relation = a->v[8];
    p->school_code = a->v[9];
    p->student = a->college ? YB_STUDENT_COLLEGE
                 : a->pupil ? YB_STUDENT_SCHOOL
                            : YB_STUDENT_NONE;
    p->permit_holder = a->permit;
    return YB_EXIT_OK;
}

static int person_add(int argc, char **argv)
{
    struct add_args a;
    struct yb_person_rec p;
    int ex = parse_add(argc, argv, &a);
    if (ex == YB_EXIT_OK)
        ex = fill(&a, &p);
    if (ex != YB_EXIT_OK)
        return ex;
    yb_store *s = NULL;
    if ((ex = yb__cli_open(a.v[0], YB_STORE_CREATE, &s)) != YB_EXIT_OK)
        return ex;
    char now[24];
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    struct yb_err e = {0};
    int rc = yb_person_add(s, &who, &p, &e);
    yb_store_close(s);
    if (rc != YB_OK)
        return yb__cli_fail(&e);
    printf("%s\n", p.psn_no);
    return YB_EXIT_OK;
}

static void print_change(const struct yb_residence_change *c, void *ud)
{
    (void)ud;
    printf("居住地变更 move     %s %s -> %s%s%s (event %lld)\n", c->moved_on,
           c->from_admdvs, c->to_admdvs, c->reason[0] ? " " : "", c->reason,
           (long long)c->event_id);
}

static int person_show(int argc, char **argv)
{
    const char *db = NULL, *key = NULL;
    bool full = false;
    for (int i = 2; i < argc; i++) {
        bool missing = false;
        const char *v = yb__cli_opt(argc, argv, &i, "--db", &missing);
        if (v)
            db = v;
        else if (missing)
            return yb__cli_usage_error("person", "--db needs a value");
        else if (strcmp(argv[i], "--full") == 0)
            full = true;
        else if (argv[i][0] == '-')
            return yb__cli_usage_error("person", "unknown option %s", argv[i]);
        else
            key = argv[i];
    }
    if (!db || !key)
        return yb__cli_usage_error("person", "usage: person show --db FILE "
                                             "PSN_NO|CERTNO");
    yb_store *s = NULL;
    int ex = yb__cli_open(db, 0, &s);
    if (ex != YB_EXIT_OK)
        return ex;
    struct yb_arena arena;
    yb_arena_init(&arena, 0);
    struct yb_person_rec p;
    struct yb_err e = {0};
    int rc = yb_person_find(s, key, &arena, &p, &e);
    if (rc == YB_OK) {
        char masked[24], day[11];
        printf("人员编号 psn_no    %s\n", p.psn_no);
        printf("证件号码 certno    %s\n",
               full ? p.certno : yb_idcard_mask(p.certno, masked));
        printf("姓名 psn_name      %s\n", p.psn_name);
        printf("性别 gend          %d\n", p.gend);
        printf("出生日期 brdy      %s\n", yb_date_format(p.brdy, day));
        printf("居住地 resd_admdvs %s\n", p.resd_admdvs ? p.resd_admdvs : "");
        rc = yb_person_moves(s, p.psn_no, print_change, NULL, &e);
    }
    yb_arena_free(&arena);
    yb_store_close(s);
    return rc == YB_OK ? YB_EXIT_OK : yb__cli_fail(&e);
}

/* ---- person move ------------------------------------------------------- */

static void print_move(const struct yb_move_result *r)
{
    char a[11], b[11];
    printf("居住地变更 %s moved from %s to %s, event %lld\n", r->psn_no,
           r->from_admdvs, r->to_admdvs, (long long)r->event_id);
    if (r->transferred) {
        printf("转移接续 enrolment %lld in %s ends %s; enrolment %lld in %s "
               "starts %s\n",
               (long long)r->from.id, r->from.admdvs,
               yb_date_format(r->from.covered_to, a), (long long)r->into.id,
               r->into.admdvs, yb_date_format(r->into.covered_from, b));
    } else if (strcmp(r->from_pool, r->to_pool) != 0)
        printf("统筹区 pooling region %s -> %s: enrolments stay where they "
               "are; the next one is in %s\n",
               r->from_pool, r->to_pool, r->to_pool);
}

static int person_move(int argc, char **argv)
{
    static const char *const names[] = {"--db",   "--person", "--to",
                                        "--date", "--reason", "--transfer"};
    const char *v[5] = {0};
    struct yb_move m = {0};
    int k = 0;
    /* --transfer takes no value: take it out before the valued options */
    char *args[64];
    for (int i = 0; i < argc && k < 64; i++)
        if (strcmp(argv[i], names[5]) == 0)
            m.transfer = true;
        else
            args[k++] = argv[i];
    if (k == 64)
        return yb__cli_usage_error("person", "too many arguments");
    int ex = yb__cli_opts(k, args, 2, "person", names, v, 5);
    if (ex >= 0)
        return ex;
    for (int i = 0; i < 4; i++)
        if (!v[i])
            return yb__cli_usage_error("person", "%s is required", names[i]);
    struct yb_err e = {0};
    if (yb_date_parse(v[3], &m.date, "--date", &e) != YB_OK)
        return yb__cli_fail(&e);
    m.person = v[1];
    m.to_admdvs = v[2];
    m.reason = v[4];
    yb_store *s = NULL;
    ex = yb__cli_open(v[0], 0, &s);
    if (ex != YB_EXIT_OK)
        return ex;
    char now[24];
    struct yb_actor who = {.name = yb__cli_actor(), .now = yb__cli_now(now)};
    struct yb_move_result r;
    if (yb_person_move(s, &who, &m, &r, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    else
        print_move(&r);
    yb_store_close(s);
    return ex;
}

void yb__cli_help_person(FILE *f)
{
    fputs("usage: yibao person add --db FILE --certno ID --name NAME "
          "--region ADMDVS\n"
          "         [--gend 1|2] [--brdy yyyy-MM-dd] [--naty CODE] "
          "[--household ID]\n"
          "         [--relation R] [--school CODE] [--pupil|--college] "
          "[--permit]\n"
          "       yibao person show --db FILE PSN_NO|CERTNO [--full]\n"
          "       yibao person move --db FILE --person X --to ADMDVS\n"
          "         --date yyyy-MM-dd [--reason TEXT] [--transfer]\n"
          "       yibao person import --db FILE persons.csv [--resume]\n",
          f);
}

int yb__cmd_person(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return person_add(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return person_show(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "move") == 0)
        return person_move(argc, argv);
    return yb__cli_usage_error("person", "expected add, show, move or import");
}
