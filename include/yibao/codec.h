/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON codecs at the edge (src/api): the visit file read by `yibao settle`
 * (person, visit, fee lines in the national field names, optionally an
 * inline catalogue), catalogue files, accumulator files, and the
 * national-shaped settlement result (setlinfo, setldetail[], result[],
 * accumulators, trace). The layout of each document is in docs/api.md.
 */
#ifndef YIBAO_CODEC_H
#define YIBAO_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "engine.h"
#include "err.h"
#include "json.h"

/* A parsed visit document; owns everything through its arena. */
struct yb_visit_doc {
    struct yb_arena arena;
    struct yb_person person;
    struct yb_visit visit;
    struct yb_fee_line *lines;
    size_t n_lines;
    struct yb_catalogue_entry *catalogue; /* inline entries, may be 0 */
    size_t n_catalogue;
    bool has_medfee_sumamt; /* the sender stated a total */
    yb_fen medfee_sumamt;   /* must equal the sum of the lines */
    const char *psn_name;
    const char *fixmedins_code;
    const char *insutype;
};

/* Parse a visit document. YB_EPARSE for malformed JSON; YB_EINVAL naming
 * the field for anything wrong inside (unknown med_type or level, negative
 * or fractional-fen amounts, impossible dates, a stated medfee_sumamt that
 * differs from the sum of the lines, duplicate feedetl_sn ...). On success
 * *out is owned by the caller (yb_visit_doc_free). */
int yb_visit_doc_parse(const char *text, size_t len, struct yb_visit_doc **out,
                       struct yb_err *e);
void yb_visit_doc_free(struct yb_visit_doc *d);

/* Parse catalogue entries from a JSON array (or an object with a
 * "catalogue" array) into arena memory; path prefixes error fields. */
int yb_catalogue_json_parse(const cJSON *arr, const char *path,
                            struct yb_arena *arena,
                            struct yb_catalogue_entry **out, size_t *n,
                            struct yb_err *e);
int yb_catalogue_doc_parse(const char *text, size_t len, struct yb_arena *arena,
                           struct yb_catalogue_entry **out, size_t *n,
                           struct yb_err *e);

/* Parse accumulators: {"year": Y, "amounts": {key: "yuan"}, "counts":
 * {key: n}}, or a settlement result document carrying such an object under
 * "accumulators" (so results can be chained visit after visit). */
int yb_accums_doc_parse(const char *text, size_t len, struct yb_arena *arena,
                        struct yb_accums *out, struct yb_err *e);

/* Render a settlement as the national-shaped JSON document (amounts as
 * numbers with two decimals). With trace, adds "trace": [{code, label,
 * layer, rule, inputs{}, result, text}]. Returns an arena string or NULL
 * on allocation failure. */
/* Add "setlinfo" and "setldetail" of settlement s for the visit and person
 * of d (the fields of a settlement result document) to object root.
 * YB_ENOMEM on failure. */
int yb_settlement_nodes(cJSON *root, const struct yb_settlement *s,
                        const struct yb_visit_doc *d, struct yb_arena *arena);

/* Append one 2204 result[] object per line result to the JSON array arr
 * (the fields of the settlement's result[]). YB_ENOMEM on failure. */
int yb_line_results_json(cJSON *arr, const struct yb_line_result *r, size_t n);

char *yb_settlement_json(const struct yb_settlement *s,
                         const struct yb_visit_doc *d, bool trace,
                         struct yb_arena *arena);

/* Render a settlement for a person to read: a receipt in Chinese with
 * every figure and, with trace, the calculation step by step. */
char *yb_settlement_text(const struct yb_settlement *s,
                         const struct yb_visit_doc *d, bool trace,
                         struct yb_arena *arena);

#endif
