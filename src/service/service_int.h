/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers every service entry point uses (src/service only): running in
 * the caller's transaction or one of its own, the business event a change
 * belongs to, and a region's pooling region.
 */
#ifndef YIBAO_SERVICE_INT_H
#define YIBAO_SERVICE_INT_H

#include "yibao/registry.h"
#include "yibao/store.h"

/* Run fn inside the caller's transaction, or in one of its own that is
 * committed when fn succeeds and rolled back when it fails. */
int yb__svc_in_txn(yb_store *s, int (*fn)(yb_store *, void *, struct yb_err *),
                   void *arg, struct yb_err *e);

/* The event a change belongs to: the caller's (who->event_id, a bulk
 * import's batch), or a new one of kind/ref. */
int yb__svc_event(yb_store *s, const struct yb_actor *who, const char *kind,
                  const char *ref, int64_t *ev, struct yb_err *e);

/* A person row's columns, each prefixed with `t` ("" or "p."), in the
 * order yb__person_read reads them from column c on. */
#define YB__PERSON_COLS(t)                                                     \
    t "psn_no, " t "certno, " t "psn_name, " t "gend, " t "brdy, " t           \
      "naty, " t "hh_id, " t "relation, " t "resd_admdvs, " t                  \
      "student_kind, " t "school_code, " t "permit_holder"
void yb__person_read(yb_stmt *st, int c, struct yb_arena *arena,
                     struct yb_person_rec *out);

/* The identities (psn_idet_type codes, comma-separated; NULL when none)
 * that the person in column or parameter `psn` holds on `day` (a
 * "yyyy-mm-dd" parameter), as a scalar subquery, so that a caller's query
 * brings them along; yb__idets_of reads the list. */
#define YB__IDETS_ON(psn, day)                                                 \
    "(SELECT string_agg(idet, ',') FROM identity i WHERE i.psn_no = " psn      \
    " AND i.begndate <= " day " AND (i.enddate IS NULL OR i.enddate >= " day   \
    "))"
/* The bit set (bit i: YB_DICT_IDET entry i) of such a list. */
uint64_t yb__idets_of(const char *list);

/* Room for element n of a growing array of elements of size bytes in
 * arena a (*cap elements now; doubled, from 16, when full, the outgrown
 * copy left to the arena): v itself, a larger copy, or NULL when out of
 * memory. */
void *yb__svc_grow(struct yb_arena *a, void *v, size_t n, size_t *cap,
                   size_t size);

/* Step st to the end, reading each row with fn into a growing arena array
 * of elements of size bytes (*out, n of them; NULL and 0 when none); the
 * statement is reset. what names the table in an out-of-memory error. */
typedef int (*yb__svc_row_fn)(yb_stmt *st, struct yb_arena *a, void *row,
                              struct yb_err *e);
int yb__svc_collect(yb_stmt *st, struct yb_arena *a, size_t size,
                    yb__svc_row_fn fn, const char *what, void **out, size_t *n,
                    struct yb_err *e);

/* The integer value of meta key (a counter such as catalogue_version); one
 * primary-key read. YB_ESTORE naming "meta.<key>" when the row is
 * missing. */
int yb__svc_meta_int(yb_store *s, const char *key, int64_t *out,
                     struct yb_err *e);

/* An event of kind/ref recorded already (posting once per business
 * document): *id its id (0 when none) and at its time (n bytes). */
int yb__svc_event_seen(yb_store *s, const char *kind, const char *ref,
                       int64_t *id, char *at, size_t n, struct yb_err *e);

/* The next number of a region-prefixed key (psn_no, mdtrt_id: the
 * region's 6 digits and 14 more): one more than the highest that
 * max_sql ("SELECT MAX(k) FROM t WHERE k BETWEEN $1 AND $2") finds. Keys
 * are never deleted, so no number is given twice. */
int yb__svc_next_number(yb_store *s, const char *max_sql, const char *region,
                        int64_t *out, struct yb_err *e);

/* src (NULL: "") into dst of n > 0 bytes, cut to fit, NUL-ended: what
 * snprintf(dst, n, "%s", src) does, for paths run once per imported row. */
char *yb__svc_copy(char *dst, size_t n, const char *src);

/* The store's memo key prefix + at most max bytes of v, in key (cut to
 * fit YB_MEMO_KEY). Returns key. */
const char *yb__svc_memo_key(char key[YB_MEMO_KEY], const char *prefix,
                             const char *v, size_t max);

/* The pooling region of a region code: the region table's, else the
 * prefecture of a county, else the code. */
int yb__svc_pooling(yb_store *s, const char *admdvs, char out[7],
                    struct yb_err *e);

/* The years that raise policy p's critical-illness caps (大病保险封顶线
 * 提高, docs/benefits.md) for a settlement of psn_no's visit (the engine's,
 * its coverage year that of its end) of insurance type insutype, into
 * person's ci_continuous_years and ci_claim_free_years:
 *  - continuous: the coverage year and the unbroken run of years before it
 *    in which the person was covered by insutype (an enrolment 'covered',
 *    or 'transferred' to another region: no gap); a year without cover
 *    (补缴 arrears included: 'repaid' gives no cover) ends the run;
 *  - claim-free: the years of that run before the coverage year without a
 *    live settlement that the basic or critical-illness fund paid.
 * Both 0, without a query, unless the visit may meet a raised cap
 * (yb_ci_bonus_may_apply). Errors: the store's. Reads only. */
struct yb_policy;
struct yb_person;
struct yb_visit;
int yb__ci_years(yb_store *s, const struct yb_policy *p, const char *psn_no,
                 const char *insutype, const struct yb_visit *visit,
                 struct yb_person *person, struct yb_err *e);

#endif
