/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which policy a database subcommand works under (cli_store.h): the file
 * named by --policy, an explicit choice, or else the version of the
 * database's policy set for the pooling region (--region, or the set's one
 * region), the insurance type (--insutype, default 390) and the coverage
 * year, in force on today's date brought into that year
 * (include/yibao/policyset.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "yibao/policyset.h"

int yb__cli_year(const char *v, int *year)
{
    if (strlen(v) != 4 || strspn(v, "0123456789") != 4)
        return yb__cli_bad_value("--year", "\"%s\" 不是年度 (not a year)", v);
    *year = atoi(v);
    return YB_EXIT_OK;
}

int yb__cli_policy_region(yb_store *s, const char *given, char out[7])
{
    struct yb_err e = {0};
    if (given) {
        if (strlen(given) != 6 || strspn(given, "0123456789") != 6)
            return yb__cli_bad_value("--region",
                                     "\"%s\" 不是6位统筹区编码 (not a "
                                     "6-digit pooling region)",
                                     given);
        memcpy(out, given, 7);
        return YB_EXIT_OK;
    }
    struct yb_arena a;
    const char **v = NULL;
    size_t n = 0;
    yb_arena_init(&a, 0);
    int ex = YB_EXIT_OK;
    if (yb_policyset_regions(s, &a, &v, &n, &e) != YB_OK)
        ex = yb__cli_fail(&e);
    else if (n == 0)
        ex = yb__cli_fail(&(struct yb_err){
            .code = YB_ENOTCOVERED,
            .field = "policy",
            .msg = "数据库中还没有待遇政策：请先 yibao policy import，或用 "
                   "--policy FILE (no policy imported)"});
    else if (n > 1) {
        fprintf(stderr,
                "yibao: --region: 政策库中有 %zu 个统筹区 (%s ... %s)，请用 "
                "--region 指定一个 (several pooling regions: name one)\n",
                n, v[0], v[n - 1]);
        ex = YB_EXIT_IO;
    } else
        snprintf(out, 7, "%s", v[0]);
    yb_arena_free(&a);
    return ex;
}

int yb__cli_policy_pick(yb_store *s, const struct yb__cli_policy_want *w,
                        struct yb__cli_policy *out)
{
    memset(out, 0, sizeof *out);
    if (w->file) {
        int ex = yb__cli_load_policy(w->file, &out->own);
        out->p = out->own;
        return ex;
    }
    char region[7], now[24];
    struct yb_err e = {0};
    int ex = yb__cli_policy_region(s, w->region, region);
    if (ex != YB_EXIT_OK)
        return ex;
    yb_date today = 0;
    yb_datetime_parse(yb__cli_now(now), false, &today, NULL, "now", NULL);
    struct yb_policy_pick pick;
    int rc = yb_policy_cache_new(&out->cache, &e);
    if (rc == YB_OK)
        rc = yb_policy_cache_for_year(out->cache, s, region,
                                      w->insutype ? w->insutype : "390",
                                      w->year, today, &pick, &e);
    if (rc != YB_OK)
        return yb__cli_fail(&e);
    out->p = pick.policy;
    out->id = pick.id;
    return YB_EXIT_OK;
}

void yb__cli_policy_done(struct yb__cli_policy *cp)
{
    yb_policy_free(cp->own);
    yb_policy_cache_free(cp->cache);
    memset(cp, 0, sizeof *cp);
}
