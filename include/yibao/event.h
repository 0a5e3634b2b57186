/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Business events and the audit chain. Every business transaction (a
 * contribution, a settlement, a reversal, a ledger adjustment, an import)
 * opens one event inside its database transaction; the records it writes
 * carry the event's id, and one audit row per event (more if the service
 * wants) says who did what, when. Audit rows form a hash chain: each row
 * stores the hash of the row before it and a BLAKE2b-256 hash of that
 * previous hash and its own fields, so changing, inserting or deleting a
 * row in the middle is found by yb_audit_verify at that row. The chain
 * proves integrity against edits made behind the application's back, not
 * against someone who can rewrite the whole chain; anchoring the latest
 * hash elsewhere (a report, a second system) closes that gap
 * (docs/internals/store.md).
 *
 * Nothing here reads the clock: the caller passes the time (the CLI and
 * the server pass "now", tests and the simulator pass what they like).
 */
#ifndef YIBAO_EVENT_H
#define YIBAO_EVENT_H

#include <stdint.h>

#include "err.h"
#include "store.h"

/* Hex digits of an audit hash (BLAKE2b-256). */
#define YB_AUDIT_HASH_HEX 64

/* Open an event: insert event(kind, ref, actor, at) and its audit row
 * (action = kind, detail = ref) chained to the latest audit row. kind and
 * actor are required non-empty strings; ref may be NULL (no business
 * reference); at is "yyyy-MM-dd HH:mm:ss". *event_id gets the new id, to
 * be stored in the records the transaction writes.
 * Must be called inside a transaction (YB_EINVAL otherwise): the chain's
 * tail is read and extended under the transaction's write lock, so two
 * writers never fork it. Errors: YB_EINVAL for a missing kind or actor or
 * a malformed time (naming it), store errors as yb_stmt_step. */
int yb_event_open(yb_store *s, const char *kind, const char *ref,
                  const char *actor, const char *at, int64_t *event_id,
                  struct yb_err *e);

/* Append one more audit row to the chain, for an event (event_id > 0) or
 * for an action that is not a business event (event_id 0: login, export).
 * detail may be NULL (stored as ""). Same rules and errors as
 * yb_event_open. */
int yb_audit_append(yb_store *s, int64_t event_id, const char *actor,
                    const char *action, const char *detail, const char *at,
                    struct yb_err *e);

/* Walk the whole chain in id order, recomputing every hash. Intact: YB_OK,
 * *first_bad = 0. Broken: YB_EINVARIANT, *first_bad = the id of the first
 * row whose stored hash does not match its contents or whose prev_hash is
 * not the previous row's hash, and e->msg says which. *rows (if not NULL)
 * gets the number of rows checked. May be called inside or outside a
 * transaction. */
int yb_audit_verify(yb_store *s, int64_t *first_bad, int64_t *rows,
                    struct yb_err *e);

#endif
