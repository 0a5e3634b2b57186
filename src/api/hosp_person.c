/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The person a call names, and the region they are insured in
 * (docs/hospital.md, the insured region). Every call whose input names a person
 * (a psn_no in input, in its data, mdtrtinfo, adminfo, dscginfo or feedetail
 * node, or the first item of such a list) is checked before the transaction
 * runs. The envelope's insuplc_admdvs, when sent, must be the person's pooling
 * region. A call that checks eligibility, begins or changes care, uploads fees
 * or settles refuses a person insured in another region: cross-region
 * settlement (异地就医) does not exist yet, and such a person is never settled
 * as local. A call that only undoes what was done here (a cancellation or
 * reversal), records a discharge or reads this institution's records is
 * not refused for it, so a person who moved away does not trap a local
 * visit. 1101 is not checked at all: it is how the HIS learns the region.
 * An unknown person passes here; the transaction names it.
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

/* The calls that begin, change or pay for care for a person: they refuse
 * a person insured elsewhere. */
static bool begins_care(const char *infno)
{
    static const char *const care[] = {"2001", "2201", "2203", "2204",
                                       "2206", "2207", "2301", "2303",
                                       "2304", "2401", "2403"};
    for (size_t i = 0; i < sizeof care / sizeof *care; i++)
        if (strcmp(infno, care[i]) == 0)
            return true;
    return false;
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
                                  begins_care(c->env->infno) ? c->h->admdvs
                                                             : NULL,
                                  yb_date_year(today), e);
}
