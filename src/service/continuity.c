/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The years of a person's enrolment that raise the critical-illness cap
 * (大病保险封顶线提高, docs/benefits.md): how long the person has been
 * enrolled without a break, and how many of those years passed without
 * a fund payment. Read from the registry and the settlements when a visit
 * is settled; the engine turns them into the increase (yb_ci_cap_bonus).
 */

#include "enrolment_int.h"
#include "yibao/date.h"
#include "yibao/engine.h"
#include "yibao/financing.h"

/* Each covered year before the coverage year, latest first (a year of a
 * transfer twice: the row ended and the row begun), and whether the basic
 * or the critical-illness fund paid for the person in it (a live
 * settlement: reversed ones and their reversals are not payments).
 * Medical assistance is a fund of its own, not the insurance's. No
 * DISTINCT: the index gives the rows in order, and a repeated year is
 * skipped below, so no temporary b-tree is built at each settlement. */
#define YEARS_SQL                                                              \
    "SELECT h.year, CASE WHEN EXISTS (SELECT 1 FROM settlement s WHERE "       \
    "s.psn_no = h.psn_no AND s.year = h.year AND s.status = 'settled' AND "    \
    "s.hifp_pay + s.hifmi_pay > 0) THEN 1 ELSE 0 END FROM enrolment h WHERE "  \
    "h.psn_no = $1 AND h.scheme = $2 AND h.insutype = $3 AND h.year < $4 AND " \
    "h.status IN ('covered', 'transferred') ORDER BY h.year DESC"

int yb__ci_years(yb_store *s, const struct yb_policy *p, const char *psn_no,
                 const char *insutype, const struct yb_visit *visit,
                 struct yb_person *person, struct yb_err *e)
{
    yb_stmt *st;
    int year = yb_date_year(visit->end);
    int run = 1, claim_free = 0, last = year, rc;

    person->ci_continuous_years = 0;
    person->ci_claim_free_years = 0;
    /* most visits (general outpatient care) never meet a raised cap: no
     * query for them on the settlement's writing path */
    if (!yb_ci_bonus_may_apply(p, visit->med_type))
        return YB_OK;
    rc = yb_store_prepare(s, YEARS_SQL, &st, e);
    if (rc != YB_OK)
        return rc;
    yb_stmt_bind_text(st, 1, psn_no);
    yb_stmt_bind_text(st, 2, yb__enrol_scheme(insutype));
    yb_stmt_bind_text(st, 3, insutype);
    yb_stmt_bind_int(st, 4, year);
    /* the coverage year itself counts (the visit is settled under its
     * cover); the run goes back year by year to the first gap */
    while ((rc = yb_stmt_step(st, e)) == YB_ROW) {
        int64_t y = yb_stmt_int(st, 0);
        if (y == last)
            continue;
        if (y != last - 1)
            break;
        last = (int)y;
        run++;
        claim_free += yb_stmt_int(st, 1) == 0;
    }
    yb_stmt_reset(st);
    if (rc != YB_ROW && rc != YB_DONE)
        return rc;
    person->ci_continuous_years = run;
    person->ci_claim_free_years = claim_free;
    return YB_OK;
}
