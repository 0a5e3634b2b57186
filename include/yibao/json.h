/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict JSON reading on top of cJSON, for every document that comes from
 * outside (policy files, visit files, interface messages). Each getter
 * takes the path of the enclosing object ("benefits.layers[1]") and the
 * key, and on failure fills the error with the full field path
 * ("benefits.layers[1].rates.min_rate") and the offending value.
 *
 * Money, rates and decimals are read from JSON strings, or from JSON
 * numbers through their shortest exact decimal rendering, then parsed by
 * the strict parsers of money.h: "12.345" is refused either way.
 */
#ifndef YIBAO_JSON_H
#define YIBAO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "date.h"
#include "dict.h"
#include "err.h"
#include "money.h"

/* Where cJSON's allocations of the calling thread go. With an arena set,
 * every cJSON node and string (parsed, created or printed) is carved from
 * it: cJSON_Delete and cJSON_free of them do nothing, and they live until
 * the arena is freed, so the caller must not keep a tree longer than the
 * arena. NULL (the default) is the heap. Returns the previous setting, to
 * be restored. Text printed by cJSON is freed with cJSON_free, never
 * free(). (cJSON's allocator is set for the whole process when this file
 * is linked in: a request builds and drops a few hundred nodes, and the
 * heap's per-block cost was a sixth of a person lookup's time.) */
struct yb_arena;
struct yb_arena *yb_json_use_arena(struct yb_arena *a);

/* Parse text (len bytes) into a new cJSON tree (caller frees with
 * cJSON_Delete). YB_EPARSE with "line L column C" in the message when the
 * text is not JSON, or when anything but whitespace follows the value. */
int yb_json_parse(const char *text, size_t len, cJSON **out, struct yb_err *e);

/* YB_EINVAL naming the first key of obj not in `allowed` (NULL-terminated
 * list), or a key that appears twice. */
int yb_json_check_keys(const cJSON *obj, const char *path,
                       const char *const *allowed, struct yb_err *e);

/* The getters: obj must be an object; `key` is looked up case-sensitively.
 * With key NULL, obj is itself the value and path its full path (for array
 * elements: yb_json_rate(item, NULL, "x.factors[2]", ...)).
 * When the key is absent (or JSON null): YB_EINVAL "is required" if
 * required, else YB_OK with *out untouched (callers preset defaults).
 * A present value of the wrong type is YB_EINVAL naming the type. */
int yb_json_object(const cJSON *obj, const char *key, const char *path,
                   bool required, const cJSON **out, struct yb_err *e);
int yb_json_array(const cJSON *obj, const char *key, const char *path,
                  bool required, const cJSON **out, struct yb_err *e);
/* A string of at most maxlen bytes (0: no limit), copied into arena.
 * Numbers are accepted and rendered as integers when accept_number is set
 * (interface clients send med_type 21 as well as "21"). */
int yb_json_string(const cJSON *obj, const char *key, const char *path,
                   bool required, size_t maxlen, bool accept_number,
                   struct yb_arena *arena, const char **out, struct yb_err *e);
int yb_json_money(const cJSON *obj, const char *key, const char *path,
                  bool required, bool allow_negative, yb_fen *out,
                  struct yb_err *e);
int yb_json_rate(const cJSON *obj, const char *key, const char *path,
                 bool required, bool allow_negative, yb_rate *out,
                 struct yb_err *e);
int yb_json_decimal(const cJSON *obj, const char *key, const char *path,
                    bool required, int scale, int64_t *out, struct yb_err *e);
/* An integral JSON number (or a string of digits) in [min, max]. */
int yb_json_int(const cJSON *obj, const char *key, const char *path,
                bool required, int64_t min, int64_t max, int64_t *out,
                struct yb_err *e);
int yb_json_bool(const cJSON *obj, const char *key, const char *path,
                 bool required, bool *out, struct yb_err *e);
/* "yyyy-MM-dd"; with allow_time also "yyyy-MM-dd HH:mm:ss" (day kept). */
int yb_json_date(const cJSON *obj, const char *key, const char *path,
                 bool required, bool allow_time, yb_date *out,
                 struct yb_err *e);
/* A code of a dict table (string, or number when the codes are digits);
 * *out gets its index. Unknown code: YB_EINVAL "unknown <table> code X". */
int yb_json_code(const cJSON *obj, const char *key, const char *path,
                 bool required, enum yb_dict_kind kind, int *out,
                 struct yb_err *e);
/* An array of codes of one table, as a bit set. */
int yb_json_code_set(const cJSON *obj, const char *key, const char *path,
                     bool required, enum yb_dict_kind kind, uint64_t *out,
                     struct yb_err *e);

/* Build "path.key" / "path[i]" into buf (size n); returns buf. */
char *yb_json_path_key(char *buf, size_t n, const char *path, const char *key);
char *yb_json_path_index(char *buf, size_t n, const char *path, int i);

/* Add an integer as a JSON number (rendered without printf or double:
 * cJSON prints a number twice and reads it back to choose its digits). */
cJSON *yb_json_add_int(cJSON *obj, const char *key, int64_t v);

/* Add a money value as a JSON number with two decimals (rendered exactly,
 * never through double) / a string; helpers for renderers. */
cJSON *yb_json_add_money(cJSON *obj, const char *key, yb_fen v);

/* v as compact JSON text, the same as cJSON_PrintUnformatted writes, for
 * free(); NULL when out of memory or v (or a value in it) is not valid.
 * Strings are copied in runs between the characters escaped; cJSON's own
 * printer looks at every byte twice and grows its buffer by reallocation.
 * Answers of the hospital interface are printed with it. */
char *yb_json_print(const cJSON *v);

#endif
