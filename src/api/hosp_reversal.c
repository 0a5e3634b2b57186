/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 2601 冲正交易: reverse a call whose answer the HIS never received, by
 * its msgid (docs/hospital.md). input.data {psn_no, omsgid, oinfno}.
 * The message log says what the original did (its infno and the business
 * key it made); 2601 undoes it the way the matching reversal would:
 *   9001 → sign out             2201, 2401 → cancel the visit
 *   2204, 2301 → cancel the lines it uploaded
 *   2207, 2304 → reverse the settlement
 * A msgid the log does not hold was never done: nothing to reverse
 * (YB0005). A call is reversed once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosp_int.h"
#include "yibao/hospital.h"
#include "yibao/visit.h"

/* The feedetl_sn of every result[] line of a stored 2204/2301 answer. */
static int uploaded_lines(struct yb_hcall *c, const char *response,
                          const char ***sns, size_t *n, struct yb_err *e)
{
    cJSON *doc = cJSON_Parse(response);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "output"), "result");
    int k = cJSON_IsArray(res) ? cJSON_GetArraySize(res) : 0;
    *sns = k > 0 ? yb_arena_alloc(c->a, sizeof **sns * (size_t)k) : NULL;
    *n = 0;
    for (int i = 0; *sns && i < k; i++) {
        const cJSON *sn = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(res, i), "feedetl_sn");
        if (cJSON_IsString(sn))
            (*sns)[(*n)++] = yb_arena_strdup(c->a, sn->valuestring);
    }
    cJSON_Delete(doc);
    if (*n == 0)
        return yb_err_set(e, YB_EINVAL, "input.data.omsgid",
                          "原交易的应答没有费用明细 (no lines)");
    for (size_t i = 0; i < *n; i++)
        if (!(*sns)[i])
            return yb_err_set(e, YB_ENOMEM, "omsgid",
                              "内存不足 (out of memory)");
    return YB_OK;
}

static int undo(struct yb_hcall *c, const struct yb_message *m,
                const char *psn_no, struct yb_err *e)
{
    const char *code = c->env->fixmedins_code;
    const char *who = c->env->opter;
    if (strcmp(m->infno, "9001") == 0)
        return yb_sign_out_session(c->h->s, code, m->ref, c->now, e);
    if (strcmp(m->infno, "2201") == 0 || strcmp(m->infno, "2401") == 0)
        return yb_visit_cancel(c->h->s, code, m->ref, psn_no, NULL, who, c->now,
                               e);
    if (strcmp(m->infno, "2204") == 0 || strcmp(m->infno, "2301") == 0) {
        const char **sns = NULL;
        size_t n = 0;
        long done = 0;
        int rc = uploaded_lines(c, m->response, &sns, &n, e);
        return rc == YB_OK ? yb_fee_cancel_lines(c->h->s, code, m->ref, psn_no,
                                                 sns, n, who, c->now, &done, e)
                           : rc;
    }
    if (strcmp(m->infno, "2207") == 0 || strcmp(m->infno, "2304") == 0) {
        struct yb_setl_rec r;
        char new_id[32];
        int rc = yb_settlement_get(c->h->s, code, m->ref, &r, e);
        return rc == YB_OK
                   ? yb_settlement_reverse(c->h->s, code, m->ref, r.mdtrt_id,
                                           psn_no, c->h->admdvs, who, c->now,
                                           new_id, e)
                   : rc;
    }
    return yb_err_set(e, YB_EINVAL, "input.data.oinfno",
                      "交易 %s 不能冲正，请用其撤销交易 (not reversible by "
                      "2601)",
                      m->infno);
}

static int tx_2601(struct yb_hcall *c, struct yb_err *e)
{
    char path[64];
    const cJSON *in = yb__hosp_node(c, "data", path, sizeof path);
    const char *psn_no, *omsgid, *oinfno;
    const struct yb_hosp_field f[] = {
        {"psn_no", &psn_no, 30, false},
        {"omsgid", &omsgid, 30, true},
        {"oinfno", &oinfno, 6, true},
    };
    struct yb_message m;
    bool found = false;
    int rc = yb__hosp_fields(c, in, path, f, sizeof f / sizeof *f, e);
    if (rc == YB_OK)
        rc = yb_message_get(c->h->s, c->env->fixmedins_code, omsgid, c->a, &m,
                            &found, e);
    if (rc != YB_OK)
        return rc;
    if (!found)
        return yb_err_set(e, YB_ENOTFOUND, "input.data.omsgid",
                          "原交易 %s 未成功办理，无需冲正 (never done)",
                          omsgid);
    if (strcmp(m.infno, oinfno) != 0)
        return yb_err_set(e, YB_EINVAL, "input.data.oinfno",
                          "原交易 %s 是 %s，不是 %s (oinfno differs from the "
                          "original)",
                          omsgid, m.infno, oinfno);
    if (m.reversed_by[0])
        return yb_err_set(e, YB_EDUPLICATE, "input.data.omsgid",
                          "原交易 %s 已由 %s 冲正 (reversed already)", omsgid,
                          m.reversed_by);
    rc = yb__hosp_at(undo(c, &m, psn_no && *psn_no ? psn_no : NULL, e),
                     "input.data", e);
    if (rc == YB_OK)
        rc = yb_message_reversed(c->h->s, c->env->fixmedins_code, omsgid,
                                 c->env->msgid, e);
    if (rc == YB_OK)
        snprintf(c->ref, sizeof c->ref, "%s", omsgid);
    return rc;
}

const struct yb_hosp_tx yb__hosp_reversal[] = {
    {"2601", "冲正交易", true, true, tx_2601},
    {NULL, NULL, false, false, NULL},
};
