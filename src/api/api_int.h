/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers shared by the JSON codecs of src/api: the table of
 * setlinfo money fields (national name, Chinese label, offset) used by both
 * renderers, the code of a dict index, and the text of a JSON value for
 * error messages. Nothing outside src/api includes this header.
 */
#ifndef YIBAO_API_INT_H
#define YIBAO_API_INT_H

#include <stddef.h>

#include "yibao/codec.h"

/* One figure of struct yb_setlinfo. */
struct yb__setl_field {
    const char *name;  /* national field name: "hifp_pay" */
    const char *label; /* Chinese receipt label: "统筹基金支出" */
    size_t offset;     /* offsetof(struct yb_setlinfo, ...) */
    int scale;         /* decimals: 2 money in yuan; 4 the ratio
                          pool_prop_selfpay (数值型 5,4) */
};

extern const struct yb__setl_field yb__setl_fields[];
extern const size_t yb__n_setl_fields;

/* The value of one setlinfo figure (fen, or 1/10,000 for scale 4). */
int64_t yb__setl_value(const struct yb_setlinfo *info,
                       const struct yb__setl_field *f);

/* Add figure f of info to obj as a JSON number with its decimals
 * ("13160.00", "0.7000"). NULL on allocation failure. */
cJSON *yb__setl_add(cJSON *obj, const struct yb_setlinfo *info,
                    const struct yb__setl_field *f);

/* The code string at index idx of a dict table, or "" when out of range
 * (static storage). */
const char *yb__dict_code(enum yb_dict_kind kind, int idx);

/* Read a "gend" code (GB/T 2261.1: 1 male, 2 female, 9 unspecified) of obj
 * as enum yb_gender (9 -> YB_GENDER_UNKNOWN). *out untouched when absent
 * and not required. */
int yb__json_gender(const cJSON *obj, const char *path, bool required, int *out,
                    struct yb_err *e);

/* The text of a JSON value for an error message, as json.c shows values:
 * a string quoted (cut after 40 bytes), a number as rendered, or the type
 * name in parentheses; truncated to fit buf (n > 0). Returns buf. */
char *yb__json_text(const cJSON *item, char *buf, size_t n);

/* Whether an object member named key is present and not null. */
const cJSON *yb__json_member(const cJSON *obj, const char *key);

#endif
