/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Citizen ID numbers (GB 11643-1999). An 18-character number is a region
 * code, a birth date, a sequence number whose last digit gives the gender,
 * and an ISO 7064 MOD 11-2 check character. Parsing checks each part in that
 * order and says in Chinese which part is wrong, because the message goes
 * back to the clerk or the hospital that typed the number.
 */
#include "yibao/idcard.h"

#include <string.h>

#include "yibao/region.h"
#include "yibao/text.h"

#define IDCARD_LEN 18

/* ISO 7064 MOD 11-2 weights (2^(17-i) mod 11) and check characters indexed
 * by the weighted sum mod 11. */
static const int weights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                3, 7, 9,  10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

char yb_idcard_check_char(const char *first17)
{
    int sum = 0;

    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i]))
            return '\0';
        sum += (first17[i] - '0') * weights[i];
    }
    return check_chars[sum % 11];
}

/* The number in s[0..n-1] (digits already checked). */
static int number(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int yb_idcard_parse(const char *s, struct yb_idcard *out, const char *field,
                    struct yb_err *e)
{
    char region[7], shown[64];
    size_t len;
    int y, m, d;
    char want;

    if (s == NULL || s[0] == '\0')
        return yb_err_set(e, YB_EINVAL, field,
                          "证件号码为空 (ID number is empty)");
    len = strlen(s);
    yb_text_quote(shown, sizeof shown, s, len, 40);
    if (len != IDCARD_LEN)
        return yb_err_set(e, YB_EINVAL, field,
                          "证件号码 %s 长度应为18位，实为%zu位 (must be 18 "
                          "characters)",
                          shown, len);
    for (int i = 0; i < 17; i++)
        if (!is_digit(s[i]))
            return yb_err_set(e, YB_EINVAL, field,
                              "证件号码 %s 前17位应全为数字 (first 17 must be "
                              "digits)",
                              shown);
    if (s[17] == 'x')
        return yb_err_set(e, YB_EINVAL, field,
                          "证件号码 %s 校验位应为大写 X (check character "
                          "must be upper-case X)",
                          shown);
    if (!is_digit(s[17]) && s[17] != 'X')
        return yb_err_set(e, YB_EINVAL, field,
                          "证件号码 %s 校验位应为数字或 X (bad check "
                          "character)",
                          shown);
    memcpy(region, s, 6);
    region[6] = '\0';
    if (!yb_region_valid(region))
        return yb_err_set(e, YB_EINVAL, field,
                          "证件号码 %s 地区码 %s 无效 (unknown region code)",
                          shown, region);
    y = number(s + 6, 4);
    m = number(s + 10, 2);
    d = number(s + 12, 2);
    if (!yb_date_valid(y, m, d))
        return yb_err_set(e, YB_EINVAL, field,
                          "证件号码 %s 出生日期 %.8s 无效 (bad birth date)",
                          shown, s + 6);
    want = yb_idcard_check_char(s);
    if (s[17] != want)
        return yb_err_set(e, YB_EINVAL, field,
                          "证件号码 %s 校验位错误，应为 %c (wrong check "
                          "character)",
                          shown, want);
    if (out != NULL) {
        memcpy(out->region, region, sizeof out->region);
        out->birth = yb_date_from_ymd(y, m, d);
        out->gender =
            (s[16] - '0') % 2 == 1 ? YB_GENDER_MALE : YB_GENDER_FEMALE;
    }
    return YB_OK;
}

char *yb_idcard_mask(const char *s, char *buf)
{
    size_t len = s ? strlen(s) : 0, out_len, i;

    /* Short inputs reveal nothing; longer ones keep 6 + 4 characters
     * around at most 8 stars, so the output never passes 18 bytes. */
    if (len <= 10) {
        for (i = 0; i < len; i++)
            buf[i] = '*';
        buf[len] = '\0';
        return buf;
    }
    out_len = len > IDCARD_LEN ? IDCARD_LEN : len;
    memcpy(buf, s, 6);
    for (i = 6; i < out_len - 4; i++)
        buf[i] = '*';
    memcpy(buf + out_len - 4, s + len - 4, 4);
    buf[out_len] = '\0';
    return buf;
}
