/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the policy loader's tests (test_policy.c,
 * test_financing.c): policies are written with single quotes for
 * legibility and turned into JSON, loaded, and checked for an exact
 * refusal. Header-only, static functions.
 */
#ifndef YB_POLICY_FIXTURE_H
#define YB_POLICY_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "yibao/policy.h"

/* A copy of sq with every ' turned into " (caller frees). */
static inline char *to_json(const char *sq)
{
    char *t = strdup(sq);

    assert_non_null(t);
    for (char *c = t; *c != '\0'; c++)
        if (*c == '\'')
            *c = '"';
    return t;
}

static inline int load(const char *sq, struct yb_policy **p, struct yb_err *e)
{
    char *t = to_json(sq);
    int rc = yb_policy_parse(t, strlen(t), p, e);

    free(t);
    return rc;
}

static inline struct yb_policy *load_ok(const char *sq)
{
    struct yb_policy *p = NULL;
    struct yb_err e;

    yb_err_clear(&e);
    if (load(sq, &p, &e) != YB_OK)
        fail_msg("policy refused: %s: %s", e.field, e.msg);
    assert_non_null(p);
    return p;
}

/* The policy is refused as YB_EPOLICY at field with exactly msg. */
static inline void refused(const char *sq, const char *field, const char *msg)
{
    struct yb_policy *p = (struct yb_policy *)&p;
    struct yb_err e;

    assert_int_equal(load(sq, &p, &e), YB_EPOLICY);
    assert_null(p);
    assert_int_equal(e.code, YB_EPOLICY);
    assert_string_equal(e.field, field);
    assert_string_equal(e.msg, msg);
}

#endif
