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

/* One money figure of struct yb_setlinfo. */
struct yb__setl_field {
    const char *name;  /* national field name: "hifp_pay" */
    const char *label; /* Chinese receipt label: "统筹基金支出" */
    size_t offset;     /* offsetof(struct yb_setlinfo, ...) */
};

extern const struct yb__setl_field yb__setl_fields[];
extern const size_t yb__n_setl_fields;

/* The value of one setlinfo figure. */
yb_fen yb__setl_value(const struct yb_setlinfo *info,
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
