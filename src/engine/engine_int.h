/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interfaces between the engine's files: line classification
 * (classify.c), trace recording (trace.c) and the settlement driver
 * (settle.c). Nothing outside src/engine includes this header.
 */
#ifndef YIBAO_ENGINE_INT_H
#define YIBAO_ENGINE_INT_H

#include "yibao/engine.h"

/* 128-bit intermediates for products of money and rates or prices. */
__extension__ typedef __int128 yb__i128;

/* Classify one fee line against the catalogue (docs/benefits.md). index is the
 * line's position, for error paths; home the code's hash slot from
 * yb__catalogue_prefetch. The result's figures always add up to
 * the line amount. Errors: YB_EINVAL for a negative or empty line, or an
 * unknown code under a rejecting policy. */
int yb__classify_line(const struct yb_policy *p, const struct yb_catalogue *cat,
                      const struct yb_person *psn, const struct yb_visit *v,
                      int age, size_t index, size_t home,
                      const struct yb_fee_line *l, struct yb_line_result *r,
                      struct yb_err *e);

/* Start loading the hash slot of code into cache; returns the slot. Used
 * to overlap the memory latency of a visit's look-ups. */
size_t yb__catalogue_prefetch(const struct yb_catalogue *c, const char *code);
/* yb_catalogue_find starting from the home slot that
 * yb__catalogue_prefetch returned for code (saves hashing twice). */
const struct yb_catalogue_entry *
yb__catalogue_find_from(const struct yb_catalogue *c, size_t home,
                        const char *code, yb_date on);

/* A growable list of trace steps in an arena. */
struct yb__steps {
    struct yb_step *v;
    int n, cap;
    struct yb_arena *arena;
    bool oom;
};

/* Append a step and return it (zeroed, code and label set), or NULL when
 * out of memory (the list then remembers it in oom). */
struct yb_step *yb__step_add(struct yb__steps *s, const char *code,
                             const char *label, const char *layer,
                             const char *rule);
/* Add an input to a step (ignored beyond YB_STEP_MAX_INPUTS). */
void yb__step_in(struct yb_step *st, const char *key, const char *name,
                 int64_t value, enum yb_unit unit);

/* true for the medical types that are admissions (2x and 52). */
bool yb__med_type_is_inpatient(int med_type);

#endif
