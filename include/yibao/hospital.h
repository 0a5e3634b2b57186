/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the hospital interface (docs/hospital.md) keeps in the store: each
 * designated institution's credential, the sign-in sessions (签到, 9001)
 * whose sign_no every other call carries, and the message log that answers
 * a retried msgid from what was stored.
 *
 * A credential is a random 64-hex-digit secret, shown once when it is
 * made; the store keeps only its BLAKE2b-256 digest. A sign-in presents it
 * (in the envelope's cainfo) and gets a sign_no valid for YB_SIGN_HOURS or
 * until 9002. A sign_no is derived from the credential and a random salt
 * (BLAKE2b keyed with the secret); the store keeps the salt and the
 * sign_no's digest only, so neither a copy of the database nor the call
 * log gives a usable sign_no, and no error message repeats one. Times are
 * "yyyy-MM-dd HH:mm:ss" supplied by the caller, so the rules are testable
 * without a clock.
 */
#ifndef YIBAO_HOSPITAL_H
#define YIBAO_HOSPITAL_H

#include <stdbool.h>

#include "yibao/arena.h"
#include "yibao/err.h"
#include "yibao/registry.h"
#include "yibao/store.h"

#define YB_SECRET_HEX 64  /* a credential: 32 random bytes in hex */
#define YB_SIGN_NO_LEN 30 /* sign_no: 15 random bytes in hex */
#define YB_SIGN_HOURS 24  /* a session's life */

/* Make (or replace) the credential of institution `code`: secret gets the
 * new secret, which is not stored. One event "institution.credential"
 * with its audit row. Errors: YB_ENOTFOUND for an unknown institution. */
int yb_inst_credential_new(yb_store *s, const struct yb_actor *who,
                           const char *code, char secret[YB_SECRET_HEX + 1],
                           struct yb_err *e);

struct yb_signin {
    const char *fixmedins_code;
    const char *secret; /* the institution's credential */
    const char *opter_no, *mac, *ip;
    const char *now; /* "yyyy-MM-dd HH:mm:ss" */
};

/* YB_OK when institution code is in the registry, else YB_ENOTFOUND
 * naming fixmedins_code. */
int yb_institution_known(yb_store *s, const char *code, struct yb_err *e);

/* What a sign-in checks, without signing in (read only): the institution
 * exists (else YB_ENOTFOUND naming fixmedins_code), secret is its
 * credential and its agreement is valid on `now` (else YB_EPERM naming
 * cainfo or fixmedins_code). */
int yb_credential_check(yb_store *s, const char *code, const char *secret,
                        const char *now, struct yb_err *e);

/* 9001: check the credential and the institution's agreement on `now`,
 * open a session (event "hospital.signin", audited). sign_no and
 * sign_time (the session's start) are written. Errors: YB_EINVAL naming a
 * missing field; YB_ENOTFOUND for an unknown institution; YB_EPERM for a
 * wrong or missing credential or an agreement not valid that day. */
int yb_sign_in(yb_store *s, const struct yb_signin *in,
               char sign_no[YB_SIGN_NO_LEN + 1], char sign_time[20],
               struct yb_err *e);

/* 9002: close the session (event "hospital.signout"). Errors as
 * yb_sign_check. yb_sign_out_session closes the session whose sign_no has
 * digest sign_hash (2601 reversing a 9001 knows only that). */
int yb_sign_out(yb_store *s, const char *code, const char *sign_no,
                const char *now, struct yb_err *e);
int yb_sign_out_session(yb_store *s, const char *code, const char *sign_hash,
                        const char *now, struct yb_err *e);

/* Is sign_no an open session of institution `code` on `now`? YB_EPERM
 * naming sign_no when it is missing, unknown, another institution's,
 * signed out or expired (each with its own message, none repeating the
 * sign_no). yb_sign_known accepts a session signed out already (a retried
 * 9002 proves its caller so, and gets its stored answer). */
int yb_sign_check(yb_store *s, const char *code, const char *sign_no,
                  const char *now, struct yb_err *e);
int yb_sign_known(yb_store *s, const char *code, const char *sign_no,
                  const char *now, struct yb_err *e);

/* The sign_no of the session of `code` whose digest is sign_hash, derived
 * again from secret (a retried 9001 presenting its credential again).
 * YB_ENOTFOUND naming msgid when the session is gone, YB_EPERM naming
 * cainfo when secret is not the one it was derived from. */
int yb_sign_recover(yb_store *s, const char *code, const char *secret,
                    const char *sign_hash, char sign_no[YB_SIGN_NO_LEN + 1],
                    struct yb_err *e);

/* ---- message log ---------------------------------------------------------
 */

struct yb_message {
    char fixmedins_code[32];
    char infno[8];
    char request_hash[65]; /* BLAKE2b-256 of the request body, hex */
    int infcode;
    const char *response; /* in the caller's arena */
    char ref[80];         /* the business key it made or touched */
    char reversed_by[32]; /* the 2601 msgid that reversed it, or "" */
};

/* The message log is keyed by institution and msgid: a msgid belongs to
 * the institution that sent it. */

/* The stored answer to institution code's msgid, if any (*found). */
int yb_message_get(yb_store *s, const char *code, const char *msgid,
                   struct yb_arena *a, struct yb_message *out, bool *found,
                   struct yb_err *e);

/* Store the answer to msgid of m->fixmedins_code, inside the caller's
 * transaction (the call's own writes commit with it). YB_EDUPLICATE when
 * that institution's msgid is stored already. */
int yb_message_put(yb_store *s, const char *msgid, const struct yb_message *m,
                   const char *at, struct yb_err *e);

/* Mark institution code's msgid reversed by its 2601 call by_msgid (in
 * the caller's transaction). */
int yb_message_reversed(yb_store *s, const char *code, const char *msgid,
                        const char *by_msgid, struct yb_err *e);

/* ---- the lookup audit ----------------------------------------------------
 */

/* One person lookup (1101) by a signed-in institution: who (institution,
 * operator), whom (the person found, "" when none; the certificate asked
 * for, ID numbers masked), when (the call's time), and the result (infcode
 * 0 or -1, and the error code of a refusal, else 0). Strings are borrowed. */
struct yb_lookup_rec {
    const char *at, *fixmedins_code, *opter, *opter_name, *infno, *msgid;
    const char *psn_no, *cert_type, *cert_no;
    int infcode, err_code;
};

/* Append n records, in the caller's transaction (or one of their own). */
int yb_lookup_audit_put(yb_store *s, const struct yb_lookup_rec *r, size_t n,
                        struct yb_err *e);

/* Which records to list: each member NULL or "" for any; days inclusive
 * ("yyyy-MM-dd"). */
struct yb_lookup_filter {
    const char *fixmedins_code, *psn_no, *from, *to;
};

/* Call fn for each record that f selects, oldest first (its strings live
 * until fn returns); *n gets how many. */
int yb_lookup_audit_list(yb_store *s, const struct yb_lookup_filter *f,
                         void (*fn)(const struct yb_lookup_rec *, void *),
                         void *ud, size_t *n, struct yb_err *e);

/* BLAKE2b-256 of n bytes as 64 hex digits. */
void yb_hash_hex(const void *p, size_t n, char out[65]);

#endif
