/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The policy set (政策库): every policy file a deployment uses, imported
 * into the database as a version (docs/policy.md, "The policy set").
 * A version keeps the file's text exactly as imported, its BLAKE2b-256
 * digest, the pooling region, insurance type, coverage year and validity
 * the file declares, who imported it and when, and the event of the
 * import. Versions are never changed or deleted: a correction is a new
 * version, and a settlement names the version it was computed under, so
 * a policy change never rewrites what was settled before.
 *
 * The rule in force (生效规则). For a pooling region, an insurance type
 * and a day, the version in force is, among the versions of that region
 * and insurance type whose validity (valid_from to valid_to, both
 * inclusive) includes the day, the one imported last (the highest id). A
 * later import thus overrides an earlier one on exactly the days it
 * covers, and the earlier one stays in force on the others.
 * Services that act on a coverage year (enrolment, payments, subsidies)
 * take, among the versions of that coverage year only, the one in force
 * on the day of the event brought into the year (a day before 1 January
 * counts as 1 January, a day after 31 December as 31 December).
 * Settlement looks up the person's pooling region (their enrolment's) on
 * the day that decides the settlement's year: an outpatient visit's day,
 * a stay's discharge day.
 *
 * Functions run in the caller's transaction when one is open, else
 * import in one of its own; the others only read. Strings of the structs
 * returned live in the caller's arena.
 */
#ifndef YIBAO_POLICYSET_H
#define YIBAO_POLICYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "yibao/arena.h"
#include "yibao/date.h"
#include "yibao/err.h"
#include "yibao/policy.h"
#include "yibao/registry.h" /* struct yb_actor */
#include "yibao/store.h"

/* One version of the set. */
struct yb_policy_version {
    int64_t id;
    char region[8];               /* pooling region (统筹区), 6 digits */
    char insutype[8];             /* insurance type (险种), "390" */
    int year;                     /* coverage year */
    yb_date valid_from, valid_to; /* inclusive */
    char digest[65];              /* BLAKE2b-256 of the text, hex */
    const char *name;             /* the file's "name" */
    const char *imported_by;      /* the operator */
    const char *imported_at;      /* "yyyy-MM-dd HH:mm:ss" */
    int64_t event_id;             /* the import's event */
    const char *body;             /* the text as imported; NULL in lists */
    size_t body_len;
};

/* Import the policy text (len bytes) as a new version, after parsing and
 * validating it with yb_policy_parse. Text already in the set (the same
 * digest) is not imported again: *out gets that version and *existed is
 * set, and nothing is written. Else, in one transaction (the caller's
 * when open): an event "policy.import" whose ref is the digest, with its
 * audit row by who->name at who->now, and the version; *existed is false.
 * Errors (nothing written): YB_EINVAL naming "policy" for text that holds
 * a NUL byte or is not UTF-8; YB_EPARSE and YB_EPOLICY as yb_policy_parse
 * (with its field path); store errors. */
int yb_policyset_import(yb_store *s, const struct yb_actor *who,
                        const char *text, size_t len, struct yb_arena *a,
                        struct yb_policy_version *out, bool *existed,
                        struct yb_err *e);

/* Which versions yb_policyset_list returns: NULL or "" and 0 match any. */
struct yb_policyset_filter {
    const char *region;
    const char *insutype;
    int year;
};

/* The versions that match f (NULL: all), ordered by region, insurance
 * type, coverage year and id, without their text; *out (n of them, NULL
 * and 0 when none) in arena a. */
int yb_policyset_list(yb_store *s, const struct yb_policyset_filter *f,
                      struct yb_arena *a, struct yb_policy_version **out,
                      size_t *n, struct yb_err *e);

/* Version id with its text. YB_ENOTFOUND naming "policy_version" when
 * there is none. */
int yb_policyset_get(yb_store *s, int64_t id, struct yb_arena *a,
                     struct yb_policy_version *out, struct yb_err *e);

/* The version in force for region, insutype and day (the rule above),
 * with its text. YB_ENOTCOVERED naming "policy" when none is:
 *   统筹区 530100 在 2027-03-01 没有有效的待遇政策 (no policy in force)
 * (an insurance type other than 390 is named after the region). */
int yb_policyset_in_force(yb_store *s, const char *region, const char *insutype,
                          yb_date day, struct yb_arena *a,
                          struct yb_policy_version *out, struct yb_err *e);

/* The set's counter: raised by every change to the table of versions (one
 * primary-key read), so a process holding parsed policies knows when its
 * copy is stale. */
int yb_policyset_counter(yb_store *s, int64_t *counter, struct yb_err *e);

/* The pooling regions that have versions, ascending, "530100,330200"
 * style as an array of 6-digit strings in arena a (*n of them). */
int yb_policyset_regions(yb_store *s, struct yb_arena *a, const char ***out,
                         size_t *n, struct yb_err *e);

/* yb_policy_diff of the texts of versions a and b. YB_ENOTFOUND naming
 * "policy_version" for an unknown id. */
int yb_policyset_diff(yb_store *s, int64_t a, int64_t b, yb_policy_change_fn fn,
                      void *ud, size_t *n, struct yb_err *e);

/* ---- the cache of parsed policies ----------------------------------------
 * A process that settles many visits (the server, one per connection)
 * keeps the set's index (region, insurance type, year, validity of every
 * version) and the policies it has parsed, by version id. Each look-up
 * reads the counter; when it has changed the index is read again, and a
 * parsed policy is kept only while its version is still in the set with
 * the same digest. Not thread-safe: one cache per store connection, used
 * by one thread at a time. */
struct yb_policy_cache;

/* A new, empty cache (YB_ENOMEM); the caller frees it. */
int yb_policy_cache_new(struct yb_policy_cache **out, struct yb_err *e);
/* Free the cache and every policy it parsed; accepts NULL. */
void yb_policy_cache_free(struct yb_policy_cache *c);

/* What a look-up picked: the parsed policy, owned by the cache and valid
 * until the cache is freed or its next look-up, and its version's id and
 * digest. */
struct yb_policy_pick {
    const struct yb_policy *policy;
    int64_t id;
    char digest[65];
};

/* The version in force for region, insutype and day (the rule above),
 * parsed. Errors as yb_policyset_in_force; a stored text that this build
 * no longer accepts is its parser's error, the field prefixed with
 * "policy_version[ID]". */
int yb_policy_cache_in_force(struct yb_policy_cache *c, yb_store *s,
                             const char *region, const char *insutype,
                             yb_date day, struct yb_policy_pick *out,
                             struct yb_err *e);

/* The version of coverage year `year` in force for region and insutype
 * on day brought into the year (the rule above), parsed. YB_ENOTCOVERED
 * naming "policy" when there is none:
 *   统筹区 530100 在 2027-01-01 没有 2027 年度有效的待遇政策 (no policy of
 *   coverage year 2027 in force) */
int yb_policy_cache_for_year(struct yb_policy_cache *c, yb_store *s,
                             const char *region, const char *insutype, int year,
                             yb_date day, struct yb_policy_pick *out,
                             struct yb_err *e);

#endif
