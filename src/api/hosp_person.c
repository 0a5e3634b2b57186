/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The person a call names, and the region they are insured in (DOMAIN
 * §10). Every call whose input names a person (a psn_no in input, in its
 * data, mdtrtinfo, adminfo, dscginfo or feedetail node, or the first item
 * of such a list) is checked before the transaction runs: the envelope's
 * insuplc_admdvs, when sent, must be the person's pooling region, and the
 * person must be insured in this agency's region — cross-region settlement
 * (异地就医) does not exist yet, and a person insured elsewhere is never
 * settled as local. 1101 is the exception: it is how the HIS learns the
 * region. An unknown person passes here; the transaction names it.
 */
#include <string.h>

#include "hosp_int.h"
#include "yibao/date.h"
#include "yibao/visit.h"

/* The psn_no string member of an object, or of a list's first item. */
static const char *psn_of(const cJSON *node)
{
    if (cJSON_IsArray(node))
        node = cJSON_GetArrayItem(node, 0);
    if (!cJSON_IsObject(node))
        return NULL;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(node, "psn_no");
    return cJSON_IsString(p) && p->valuestring[0] ? p->valuestring : NULL;
}

/* The person the input names: input.psn_no, else the first child node
 * (in the order sent) that carries one. */
static const char *named_person(const cJSON *input)
{
    const char *psn = psn_of(input);
    for (const cJSON *n = input ? input->child : NULL; !psn && n; n = n->next)
        psn = psn_of(n);
    return psn;
}

int yb__hosp_insured_here(struct yb_hcall *c, struct yb_err *e)
{
    if (strcmp(c->env->infno, "1101") == 0)
        return YB_OK;
    const char *psn = named_person(c->env->input);
    if (!psn)
        return YB_OK;
    yb_date today = 0;
    yb_datetime_parse(c->now, false, &today, NULL, "now", NULL);
    return yb_person_insured_here(c->h->s, psn, c->env->insuplc_admdvs,
                                  c->h->admdvs, yb_date_year(today), e);
}
