/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synthetic pooling regions (`yibao synth`). yb_synth_run writes a whole
 * region for one coverage year as the CSV import files of
 * docs/import-formats.md: regions, designated institutions, schools, a
 * catalogue of about 50,000 entries, households and persons with an age
 * pyramid, hardship identities, contribution payments, and a year of
 * visits with their fee lines. The output depends only on the options: the
 * same options give byte-identical files on every platform (integer
 * arithmetic only, no clock, no locale: the caller chooses the year, e.g.
 * the CLI the current one). Rows are streamed household by household, so
 * memory stays small whatever the number of persons.
 *
 * Contributions follow a policy when one is given (its tiers, amounts and
 * assistance rules, and its person types, so `yibao pay import` under the
 * same policy accepts every payment row), else a built-in scheme: two
 * tiers, the national minimum of the year (the last known one, 2025's,
 * for later years) and 200 yuan more, assistance in full, 70% or 50% by
 * identity (policies/demo-region-2018.json has the same rules).
 *
 * Designated institutions' agreements (协议): public ones and every
 * county's and the city's main hospitals are open-ended (signed some years
 * before Y, no end date), so the region's hospitals can sign in on any day
 * after it; private ones run one to three years (to the end of Y .. Y+2),
 * and some begin or end during Y.
 */
#ifndef YIBAO_SYNTH_H
#define YIBAO_SYNTH_H

#include <stdint.h>

#include "err.h"

struct yb_policy;

/* Limits of the options. */
#define YB_SYNTH_PERSONS_MAX INT64_C(20000000)
#define YB_SYNTH_YEAR_MIN 2016
#define YB_SYNTH_YEAR_MAX 2099
#define YB_SYNTH_CATALOGUE_MIN 1000
#define YB_SYNTH_CATALOGUE_MAX 1000000
#define YB_SYNTH_CATALOGUE_DEFAULT 50000
#define YB_SYNTH_REGION_DEFAULT "530100"

/* What a run wrote: data rows per file (headers not counted), and a few
 * figures the summary prints. */
struct yb_synth_counts {
    int64_t regions;
    int64_t institutions;
    int64_t schools;
    int64_t catalogue;
    int64_t households;
    int64_t persons;
    int64_t identities;       /* rows of identities.csv */
    int64_t hardship_persons; /* persons with at least one identity */
    int64_t payments;
    int64_t unpaid_persons; /* persons without any payment row */
    int64_t visits;
    int64_t fee_lines;
    int64_t bytes; /* all files together */
};

struct yb_synth_opts {
    int64_t persons;     /* 1 .. YB_SYNTH_PERSONS_MAX */
    int year;            /* coverage year Y, YB_SYNTH_YEAR_MIN..MAX */
    uint64_t seed;       /* any value; the same seed gives the same files */
    const char *out_dir; /* created (one level) when missing; files in it
                            are overwritten */
    const char *region;  /* pooling region, a prefecture code PPCC00;
                            NULL: YB_SYNTH_REGION_DEFAULT */
    int catalogue_rows;  /* 0: YB_SYNTH_CATALOGUE_DEFAULT */
    const struct yb_policy *policy; /* borrowed; NULL: the built-in scheme.
                                       Its year must be `year`, and it
                                       needs financing and enrolment */
    struct yb_synth_counts *counts; /* out, may be NULL */
};

/* Write the synthetic region described by o into o->out_dir. Fills
 * *o->counts (when given) on success. Errors: YB_EINVAL for a bad option,
 * e->field naming it ("persons", "year", "region", "catalogue_rows",
 * "out_dir", "policy") and the message its value; YB_EPOLICY when the
 * policy cannot decide a person's type or contribution (e->field its
 * path); YB_EIO naming the file that could
 * not be created or written; YB_ENOMEM. Files already written stay on
 * failure (the run is a batch job: rerun it). */
int yb_synth_run(const struct yb_synth_opts *o, struct yb_err *e);

#endif
