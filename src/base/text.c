/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 checking, cutting, scrubbing and quoting, and the masking of ID
 * numbers (text.h). One decoder serves all of them: it reads one
 * character and says how long it is, or why its first byte starts no
 * valid character, following the well-formed byte sequences of RFC 3629
 * (Unicode 15, table 3-7). Nothing here allocates.
 */
#include "yibao/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the character at s[0] (s has n > 0 bytes), or 0 with *f set. */
static size_t decode(const unsigned char *s, size_t n, enum yb_utf8_fault *f)
{
    unsigned c = s[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */

    if (c == 0) {
        *f = YB_UTF8_NUL;
        return 0;
    }
    if (c < 0x80)
        return 1;
    if (c < 0xC0) {
        *f = YB_UTF8_BAD_BYTE;
        return 0;
    }
    if (c < 0xC2) {
        *f = YB_UTF8_OVERLONG;
        return 0;
    }
    if (c >= 0xFE) {
        *f = YB_UTF8_BAD_BYTE;
        return 0;
    }
    if (c >= 0xF5) {
        *f = YB_UTF8_TOO_BIG;
        return 0;
    }
    len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    for (size_t i = 1; i < len; i++) {
        if (i >= n || (s[i] & 0xC0) != 0x80) {
            *f = YB_UTF8_TRUNCATED;
            return 0;
        }
    }
    if (s[1] < lo) {
        *f = YB_UTF8_OVERLONG;
        return 0;
    }
    if (s[1] > hi) {
        *f = c == 0xED ? YB_UTF8_SURROGATE : YB_UTF8_TOO_BIG;
        return 0;
    }
    return len;
}

size_t yb_utf8_next(const char *s, size_t n, enum yb_utf8_fault *f)
{
    return decode((const unsigned char *)s, n, f);
}

enum yb_utf8_fault yb_utf8_check(const char *s, size_t n, size_t *at)
{
    const unsigned char *u = (const unsigned char *)s;
    enum yb_utf8_fault f = YB_UTF8_OK;
    size_t i = 0;

    while (i < n) {
        /* ASCII runs are most of every document: skip them quickly */
        if (u[i] >= 0x01 && u[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = decode(u + i, n - i, &f);
        if (len == 0) {
            if (at != NULL)
                *at = i;
            return f;
        }
        i += len;
    }
    return YB_UTF8_OK;
}

char *yb_utf8_describe(char *buf, size_t n, enum yb_utf8_fault f, size_t at)
{
    static const char *const zh[] = {
        [YB_UTF8_OK] = "正常",
        [YB_UTF8_NUL] = "含有空字符 U+0000",
        [YB_UTF8_TRUNCATED] = "多字节字符不完整",
        [YB_UTF8_OVERLONG] = "为超长编码",
        [YB_UTF8_SURROGATE] = "为代理码点 U+D800–U+DFFF",
        [YB_UTF8_TOO_BIG] = "码点超过 U+10FFFF",
        [YB_UTF8_BAD_BYTE] = "为不能开始字符的字节",
    };
    static const char *const en[] = {
        [YB_UTF8_OK] = "valid",
        [YB_UTF8_NUL] = "NUL character",
        [YB_UTF8_TRUNCATED] = "truncated sequence",
        [YB_UTF8_OVERLONG] = "overlong encoding",
        [YB_UTF8_SURROGATE] = "surrogate",
        [YB_UTF8_TOO_BIG] = "beyond U+10FFFF",
        [YB_UTF8_BAD_BYTE] = "invalid byte",
    };
    if (n == 0)
        return buf;
    if ((unsigned)f > YB_UTF8_BAD_BYTE)
        f = YB_UTF8_BAD_BYTE;
    if (f == YB_UTF8_NUL)
        (void)snprintf(buf, n, "第 %zu 字节%s，不允许 (NUL at byte %zu)",
                       at + 1, zh[f], at + 1);
    else
        (void)snprintf(buf, n,
                       "不是合法的 UTF-8 文本：第 %zu 字节起%s "
                       "(invalid UTF-8 at byte %zu: %s)",
                       at + 1, zh[f], at + 1, en[f]);
    return buf;
}

/* The largest j <= k such that s[0..j) does not end inside a character
 * that s[j-1] began or continued: s holds at least k bytes, and what
 * follows s[k] is not looked at. */
static size_t whole(const char *s, size_t k)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t j = k;

    for (int back = 0; j > 0 && back < 4; back++) {
        unsigned c = u[j - 1];
        if ((c & 0xC0) == 0x80) { /* a continuation byte: look further */
            j--;
            continue;
        }
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        /* the lead at j-1 wants len bytes; k - (j-1) are there */
        return k - (j - 1) < len ? j - 1 : k;
    }
    return k; /* only continuation bytes: stray ones, each its own */
}

size_t yb_utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    return whole(s, max);
}

size_t yb_utf8_trim(const char *s, size_t n)
{
    return whole(s, n);
}

size_t yb_utf8_scrub(char *s, size_t n)
{
    unsigned char *u = (unsigned char *)s;
    enum yb_utf8_fault f;
    size_t i = 0, bad = 0;

    while (i < n) {
        size_t len = decode(u + i, n - i, &f);
        if (len == 0) {
            u[i++] = '?';
            bad++;
        } else {
            i += len;
        }
    }
    return bad;
}

char *yb_text_quote(char *buf, size_t n, const char *s, size_t len, size_t show)
{
    const unsigned char *u = (const unsigned char *)s;
    enum yb_utf8_fault f;
    size_t o = 0, i = 0;

    if (n < 16) {
        if (n > 0)
            buf[0] = '\0';
        return buf;
    }
    buf[o++] = '"';
    while (i < len) {
        size_t cl = u[i] == 0 ? 1 : decode(u + i, len - i, &f);
        size_t need = cl == 0                                    ? 4
                      : cl == 1 && (u[i] < 0x20 || u[i] == 0x7F) ? 6
                                                                 : cl + 1;
        /* room for this, and for "...", the quote and the NUL after it */
        if (i >= show || o + need + 5 > n) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (cl == 0) {
            o += (size_t)snprintf(buf + o, n - o, "\\x%02X", u[i]);
            i++;
        } else if (cl == 1 && (u[i] == '"' || u[i] == '\\')) {
            buf[o++] = '\\';
            buf[o++] = (char)u[i++];
        } else if (cl == 1 && (u[i] < 0x20 || u[i] == 0x7F)) {
            o += (size_t)snprintf(buf + o, n - o, "\\u%04x", u[i]);
            i++;
        } else {
            memcpy(buf + o, u + i, cl);
            o += cl;
            i += cl;
        }
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

char *yb_text_log_field(char *out, size_t n, const char *s, size_t max,
                        bool spaces)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t left = strlen(s), i = 0, o = 0;
    enum yb_utf8_fault f;

    if (n < 4) { /* not even room for "..." */
        if (n > 0)
            out[0] = '\0';
        return out;
    }
    while (i < left) {
        size_t cl = decode(u + i, left - i, &f);
        bool esc = cl == 0 || (cl == 1 && (u[i] < 0x20 || u[i] == 0x7F ||
                                           (spaces && u[i] == ' ')));
        size_t take = cl ? cl : 1;
        size_t need = esc ? 4 : u[i] == '\\' ? 2 : take;
        /* room for this, and for "..." and the NUL after it */
        if (i + take > max || o + need + 4 > n) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (esc)
            o += (size_t)snprintf(out + o, n - o, "\\x%02x", u[i]);
        else if (u[i] == '\\') {
            out[o++] = '\\';
            out[o++] = '\\';
        } else {
            memcpy(out + o, u + i, take);
            o += take;
        }
        i += take;
    }
    out[o] = '\0';
    return out;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether the 8 digits at s read as a birth date (years 1900-2099): what
 * tells an ID number from another 18-digit run, a receipt number say. */
static bool birth_date_like(const char *s)
{
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    int m = (s[4] - '0') * 10 + (s[5] - '0');
    int d = (s[6] - '0') * 10 + (s[7] - '0');
    return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

char *yb_mask_ids(const char *s, char *out, size_t n)
{
    size_t len = strlen(s), k = 0, i;

    if (n == 0)
        return out;
    for (i = 0; i < len && k + 1 < n; i++) {
        /* an ID number: 17 digits and a digit or X, not inside a longer
         * run of digits, with a birth date where it has one */
        size_t d = 0;
        while (i + d < len && d < 17 && is_digit(s[i + d]))
            d++;
        bool id =
            d == 17 && i + 17 < len &&
            (is_digit(s[i + 17]) || s[i + 17] == 'X' || s[i + 17] == 'x') &&
            (i == 0 || !is_digit(s[i - 1])) &&
            (i + 18 >= len || !is_digit(s[i + 18])) &&
            birth_date_like(s + i + 6);
        if (!id) {
            out[k++] = s[i];
            continue;
        }
        for (size_t j = 0; j < 18 && k + 1 < n; j++)
            out[k++] = j < 6 || j >= 14 ? s[i + j] : '*';
        i += 17;
    }
    /* a copy cut short must not end inside a character */
    if (i < len)
        k = whole(out, k);
    out[k] = '\0';
    return out;
}
