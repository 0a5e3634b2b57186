/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Citizen ID numbers (居民身份证号码, GB 11643-1999): 6-digit region code
 * (GB/T 2260), 8-digit birth date, 3-digit sequence (odd = male), and an
 * ISO 7064 MOD 11-2 check character (0-9 or X).
 */
#ifndef YIBAO_IDCARD_H
#define YIBAO_IDCARD_H

#include "date.h"
#include "err.h"

/* gend code table (GB/T 2261.1): 1 male, 2 female */
enum yb_gender {
    YB_GENDER_UNKNOWN = 0,
    YB_GENDER_MALE = 1,
    YB_GENDER_FEMALE = 2
};

struct yb_idcard {
    char region[7]; /* first six digits */
    yb_date birth;  /* birth date */
    int gender;     /* enum yb_gender */
};

/* The check character (0-9 or 'X') for the first 17 digits; '\0' when one
 * of the 17 characters is not a digit. */
char yb_idcard_check_char(const char *first17);

/* Validate an 18-character ID number: length, digits, a valid region
 * prefix (yb_region_valid), a real birth date, and the check character
 * (a lower-case 'x' is refused: the standard writes 'X'). On success fills
 * out (if not NULL). The error names the fault ("证件号码校验位错误").*/
int yb_idcard_parse(const char *s, struct yb_idcard *out, const char *field,
                    struct yb_err *e);

/* Mask an ID number for logs: keep the first 6 and last 4 characters
 * ("110101********1234"); buf at least 19 bytes. Returns buf. */
char *yb_idcard_mask(const char *s, char *buf);

#endif
