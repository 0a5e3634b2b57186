/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text from outside, checked and shown safely. Every string yibao reads
 * from a request, a policy file or an import file must be valid UTF-8
 * without NUL (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no cut-off sequences); yb_utf8_check says where it is not.
 * Messages that show a value quote it with yb_text_quote, which escapes
 * what would break a line or a JSON answer and never cuts a character in
 * two; yb_mask_ids hides the middle of ID numbers in logs and import
 * errors.
 */
#ifndef YIBAO_TEXT_H
#define YIBAO_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* What is wrong with a byte string as UTF-8 text. */
enum yb_utf8_fault {
    YB_UTF8_OK = 0,
    YB_UTF8_NUL,       /* a NUL byte (U+0000) */
    YB_UTF8_TRUNCATED, /* a sequence cut off by the end or another byte */
    YB_UTF8_OVERLONG,  /* a character written with more bytes than needed */
    YB_UTF8_SURROGATE, /* U+D800..U+DFFF, which UTF-8 must not encode */
    YB_UTF8_TOO_BIG,   /* above U+10FFFF */
    YB_UTF8_BAD_BYTE   /* a byte that starts no character (0x80..0xBF) */
};

/* Check s[0..n). Returns YB_UTF8_OK, or the first fault with *at (if not
 * NULL) set to the offset of the byte where its character begins. */
enum yb_utf8_fault yb_utf8_check(const char *s, size_t n, size_t *at);

/* The length (1 to 4) of the character at s[0] (n > 0 bytes there), or 0
 * with *f set when s[0] starts no valid character; a NUL is YB_UTF8_NUL.
 * For readers that check as they go. */
size_t yb_utf8_next(const char *s, size_t n, enum yb_utf8_fault *f);

/* A message for a fault found at byte offset `at` (0-based), Chinese
 * first with the English gist in brackets, into buf (n bytes); returns
 * buf. E.g. "不是合法的 UTF-8 文本：第 3 字节起为超长编码 (invalid UTF-8
 * at byte 3: overlong encoding)". */
char *yb_utf8_describe(char *buf, size_t n, enum yb_utf8_fault f, size_t at);

/* The length of the longest prefix of s[0..n) no longer than max bytes
 * that does not end inside a UTF-8 sequence (bytes that belong to no
 * valid sequence count as characters of their own). */
size_t yb_utf8_cut(const char *s, size_t n, size_t max);

/* The length of s[0..n) without a last character that was cut short
 * (s being the start of a longer text, as left by a bounded copy). */
size_t yb_utf8_trim(const char *s, size_t n);

/* Replace, in place, every byte of s[0..n) that is not part of a valid
 * UTF-8 character, and every NUL, by '?'. Returns how many were
 * replaced. For text about to leave the process that must be UTF-8 even
 * if a bug let a bad byte through. */
size_t yb_utf8_scrub(char *s, size_t n);

/* Quote s[0..len) for a message into buf (n bytes, at least 16): '"', at
 * most `show` bytes of s cut at a character boundary ("..." marks a cut),
 * '"'. A quote or backslash gets a backslash, a control character is
 * written \u00XX and a byte that is not valid UTF-8 \xNN, so the result
 * is one line of valid UTF-8 however hostile s is. Returns buf. */
char *yb_text_quote(char *buf, size_t n, const char *s, size_t len,
                    size_t show);

/* s as one field of a log line, into out (n bytes): at most max bytes of
 * s, cut between two characters ("..." marks a cut, also when out is too
 * small); a control character, DEL, a byte that starts no valid UTF-8
 * character and, with `spaces`, a space written \xNN and a backslash \\,
 * so that the line is valid UTF-8 and no value can start a line or a
 * field of its own. out needs 4 * max + 4 bytes to hold any s whole up
 * to max. Returns out. */
char *yb_text_log_field(char *out, size_t n, const char *s, size_t max,
                        bool spaces);

/* Copy of s with every 18-character ID number (17 digits and a digit or
 * X, not inside a longer run of digits, its 7th to 14th a date of
 * 1900-2099, whatever its check character) masked after its first 6 and
 * before its last 4 characters, into out (n bytes, cut at a character
 * boundary). For logs and import errors. Returns out. */
char *yb_mask_ids(const char *s, char *out, size_t n);

#endif
