/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Structural checks on administrative division codes (GB/T 2260, PPCCXX):
 * a known province prefix, and no county digits under a missing prefecture
 * (PP00XX). Whether a code is actually in force is reference data in the
 * store, not a question this file answers; these checks only catch codes
 * that cannot be right, such as the 00 prefix of a mistyped ID number.
 */
#include "yibao/region.h"

#include <string.h>

/* Province-level prefixes: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71,
 * 81, 82. */
static bool province_known(int pp)
{
    static const struct {
        int lo, hi;
    } ranges[] = {{11, 15}, {21, 23}, {31, 37}, {41, 46},
                  {50, 54}, {61, 65}, {71, 71}, {81, 82}};

    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (pp >= ranges[i].lo && pp <= ranges[i].hi)
            return true;
    return false;
}

/* true when s is exactly six digits. */
static bool six_digits(const char *s)
{
    int i;

    if (s == NULL)
        return false;
    for (i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[6] == '\0';
}

/* Two digits at s as a number (s already checked). */
static int pair(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

bool yb_region_valid(const char *s)
{
    if (!six_digits(s) || !province_known(pair(s)))
        return false;
    /* A county needs a prefecture: PP00XX with XX != 00 is not a code. */
    return !(pair(s + 2) == 0 && pair(s + 4) != 0);
}

enum yb_region_level yb_region_level(const char *s)
{
    if (!yb_region_valid(s))
        return YB_REGION_INVALID;
    if (pair(s + 4) != 0)
        return YB_REGION_COUNTY;
    if (pair(s + 2) != 0)
        return YB_REGION_CITY;
    return YB_REGION_PROVINCE;
}

bool yb_region_parent(const char *s, char *out)
{
    switch (yb_region_level(s)) {
    case YB_REGION_COUNTY:
        memcpy(out, s, 4);
        memcpy(out + 4, "00", 3);
        return true;
    case YB_REGION_CITY:
        memcpy(out, s, 2);
        memcpy(out + 2, "0000", 5);
        return true;
    default:
        return false;
    }
}

bool yb_region_same_province(const char *a, const char *b)
{
    return yb_region_valid(a) && yb_region_valid(b) && a[0] == b[0] &&
           a[1] == b[1];
}

bool yb_region_contains(const char *a, const char *b)
{
    if (!yb_region_valid(a) || !yb_region_valid(b))
        return false;
    switch (yb_region_level(a)) {
    case YB_REGION_PROVINCE:
        return memcmp(a, b, 2) == 0;
    case YB_REGION_CITY:
        return memcmp(a, b, 4) == 0;
    default:
        return strcmp(a, b) == 0;
    }
}
