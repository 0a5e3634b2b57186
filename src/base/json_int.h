/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to json.c and json_scan.c: the strict checks every document
 * from outside passes before and after cJSON parses it.
 */
#ifndef YIBAO_JSON_INT_H
#define YIBAO_JSON_INT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "yibao/err.h"

/* Containers nested deeper than this are refused (cJSON's own limit,
 * CJSON_NESTING_LIMIT, is 1000: the scan refuses first, with a message). */
#define YB__JSON_DEPTH_MAX 512

/* Check text[0..len) against RFC 8259 before cJSON reads it, which is
 * more lenient: every string (keys too) valid UTF-8 without NUL, raw or
 * escaped (\u0000), and without unescaped control characters; \u escapes
 * of surrogates only in high-low pairs; numbers in JSON's grammar
 * (no 01, 1., .5, +1); nesting at most YB__JSON_DEPTH_MAX; nothing but
 * whitespace after the value. YB_OK, or YB_EINVAL naming the field path
 * of a bad string, or YB_EPARSE with its line and column; messages
 * Chinese first. */
int yb__json_scan(const char *text, size_t len, struct yb_err *e);

/* YB_EINVAL naming the path of the first key that appears twice in one
 * object of the tree, at any depth ({"infno":"1101","infno":"2207"} reads
 * differently to whoever takes the first and whoever takes the last). */
int yb__json_check_dups(const cJSON *root, struct yb_err *e);

#endif
