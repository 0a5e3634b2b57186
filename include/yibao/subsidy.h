/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fiscal subsidies of a pooling region for a coverage year (财政补助): the
 * headcount of covered enrolments, the province's subsidy tier, the
 * policy's split between central, provincial, city and county budgets
 * (the pure computation is yb_subsidy_split in financing.h), and posting
 * the amounts each level owes, with the critical-illness earmark due to
 * the insurer, as one business event in the fund ledger (docs/ledger.md).
 */
#ifndef YIBAO_SUBSIDY_H
#define YIBAO_SUBSIDY_H

#include <stdint.h>

#include "err.h"
#include "financing.h"
#include "policy.h"
#include "registry.h"
#include "store.h"

/* Enrolments of the policy's year in its pooling region with status
 * 'covered' (a person transferred out during the year counts where the
 * year began: status 'transferred'). */
int yb_subsidy_headcount(yb_store *s, const char *pooling, int year, int64_t *n,
                         struct yb_err *e);

/* The subsidy tier (1..5) of the province of admdvs from the region table;
 * 0 when the table has none. */
int yb_subsidy_province_tier(yb_store *s, const char *admdvs, int *tier,
                             struct yb_err *e);

/* Compute the split for the policy's region and year. Errors: YB_EPOLICY
 * when the policy has no financing section; YB_EINVAL when the split needs
 * the province tier and the region table has none (the message says to
 * import data/province-subsidy-tiers.csv). */
int yb_subsidy_compute(yb_store *s, const struct yb_policy *p,
                       struct yb_subsidy_split *out, struct yb_err *e);

/* Compute and post: one event "subsidy.assess" (ref "<region>/<year>"),
 * receivable and income per level in the basic fund, and the
 * critical-illness earmark as a transfer payable to the insurer, in period
 * ("yyyy-mm"). A second assessment of the same region and year is
 * YB_EDUPLICATE naming the first event. */
int yb_subsidy_post(yb_store *s, const struct yb_actor *who,
                    const struct yb_policy *p, const char *period,
                    struct yb_subsidy_split *out, int64_t *event_id,
                    struct yb_err *e);

#endif
