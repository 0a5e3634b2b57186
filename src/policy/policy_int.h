/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface between the policy loader's files: the document
 * (policy_load.c), one benefit layer (policy_layer.c) and the selector
 * (policy_when.c). Every helper reports through struct yb_err with the
 * full JSON path of the offending value and allocates only from the
 * policy's arena; the public entry point turns any validation failure into
 * YB_EPOLICY.
 */
#ifndef YIBAO_POLICY_INT_H
#define YIBAO_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "yibao/json.h"
#include "yibao/policy.h"

/* Size of a JSON path buffer: that of struct yb_err's field. */
#define YB__PATH_MAX sizeof(((struct yb_err *)0)->field)
/* Longest layer, cap or accumulator id. */
#define YB__ID_MAX 32

/* yb_policy_parse with the arena's allocation-failure hook armed:
 * fail_after < 0 never fails, N >= 0 lets N allocations succeed (see
 * struct yb_arena). For tests of the YB_ENOMEM paths. */
int yb__policy_parse_ex(const char *text, size_t len, int fail_after,
                        struct yb_policy **out, struct yb_err *e);

/* YB_ENOMEM at path. */
int yb__policy_nomem(struct yb_err *e, const char *path);

/* obj[key], when present, must be a string equal to one of names (a
 * NULL-terminated list); *out gets its position. Absent: "is required" if
 * required, else YB_OK with *out untouched. */
int yb__policy_enum(const cJSON *obj, const char *key, const char *path,
                    bool required, const char *const *names, int *out,
                    struct yb_err *e);

/* obj[key] as an id: 1..YB__ID_MAX characters of [a-z0-9_], copied into
 * the arena. Absent and optional: *out untouched. */
int yb__policy_id(const cJSON *obj, const char *key, const char *path,
                  bool required, struct yb_arena *a, const char **out,
                  struct yb_err *e);

/* obj[key] as an optional array of at least min_items elements: *arr is
 * the array (NULL when absent) and *n its length (0 when absent). */
int yb__policy_array(const cJSON *obj, const char *key, const char *path,
                     bool required, int min_items, const cJSON **arr, int *n,
                     struct yb_err *e);

/* A selector with every condition unset (matches every visit). */
void yb__when_init(struct yb_when *w);
/* true when no condition of w is set. */
bool yb__when_is_empty(const struct yb_when *w);
/* Parse the selector obj[key] ("when", "exempt") into *w, initialising it
 * first; *present (if not NULL) tells whether the key was there. */
int yb__when_parse(const cJSON *obj, const char *key, const char *path,
                   struct yb_arena *a, struct yb_when *w, bool *present,
                   struct yb_err *e);

/* Parse the layer object obj at path into *l. The policy's shared caps
 * must already be loaded (a layer's cap names them). */
int yb__layer_parse(const cJSON *obj, const char *path, struct yb_policy *p,
                    struct yb_layer *l, struct yb_err *e);

#endif
