/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hospital interface's dispatcher (DOMAIN §11, docs/hospital.md): one
 * request body in the national input envelope, one answer in the output
 * envelope. It checks the envelope, answers a msgid seen before from the
 * message log, checks the sign-in, runs the transaction named by infno
 * (a writing one in a single store transaction together with its message
 * log row) and renders infcode 0 with output, or infcode -1 with a
 * Chinese err_msg that starts with a stable code and names the field:
 *   "[YB0002] input.data.mdtrt_cert_no: 必填 (required)".
 * The HTTP server (server.h) calls it; tests and the fuzz target call it
 * directly.
 *
 * Not thread-safe: one yb_hosp per store connection; the server runs
 * every call under one lock.
 */
#ifndef YIBAO_HOSP_H
#define YIBAO_HOSP_H

#include <stddef.h>

#include "yibao/err.h"
#include "yibao/policy.h"
#include "yibao/store.h"

struct yb_hosp;

struct yb_hosp_opts {
    const struct yb_policy *policy; /* the region's policy (may be NULL:
                                       transactions that settle refuse) */
    const char *admdvs;             /* the agency's region, first 6 digits of
                                       inf_refmsgid; default the policy's region */
};

int yb_hosp_new(yb_store *s, const struct yb_hosp_opts *o, struct yb_hosp **out,
                struct yb_err *e);
void yb_hosp_free(struct yb_hosp *h);

/* Answer one request. now is the call's time "yyyy-MM-dd HH:mm:ss" and
 * now_ms its milliseconds (for refmsg_time/respond_time). Returns a
 * malloc'd NUL-terminated JSON document (the caller frees it), or NULL
 * when out of memory. */
char *yb_hosp_call(struct yb_hosp *h, const char *body, size_t n,
                   const char *now, int now_ms);

/* The infno values the dispatcher knows, NULL-terminated (for docs and
 * tests). */
const char *const *yb_hosp_infnos(void);

#endif
