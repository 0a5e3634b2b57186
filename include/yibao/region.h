/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Administrative division codes (GB/T 2260): six digits, PPCCXX. PP is a
 * province-level code, CC the prefecture (00 at province level), XX the
 * county (00 at prefecture level). These functions check structure only;
 * the list of codes in force is reference data loaded into the store.
 */
#ifndef YIBAO_REGION_H
#define YIBAO_REGION_H

#include <stdbool.h>

enum yb_region_level {
    YB_REGION_INVALID = 0,
    YB_REGION_PROVINCE = 1,
    YB_REGION_CITY = 2,
    YB_REGION_COUNTY = 3,
};

/* true when s is six digits with a known province prefix (11-15, 21-23,
 * 31-37, 41-46, 50-54, 61-65, 71, 81, 82) and is not of the form PP00XX. */
bool yb_region_valid(const char *s);
/* Level of a valid code; YB_REGION_INVALID otherwise. */
enum yb_region_level yb_region_level(const char *s);
/* Parent code into out (7 bytes): county -> PPCC00, city -> PP0000.
 * Returns false for a province or an invalid code. */
bool yb_region_parent(const char *s, char *out);
/* true when both codes are valid and share the province prefix. */
bool yb_region_same_province(const char *a, const char *b);
/* true when a equals b or a is an ancestor of b. */
bool yb_region_contains(const char *a, const char *b);

#endif
