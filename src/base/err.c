/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error codes and reports. The names and default messages are generated from
 * the one X-macro table in err.h, so a code can never lose its name or text.
 * Filling a report never allocates: struct yb_err has fixed buffers and every
 * copy into them truncates safely, because a report is often written on the
 * very path where memory has run out.
 */
#include "yibao/err.h"
#include "yibao/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *yb_err_name(int code)
{
    switch (code) {
#define YB__NAME(name, num, zh, en)                                            \
    case num:                                                                  \
        return #name;
        YB_ERRORS(YB__NAME)
#undef YB__NAME
    default:
        return "EUNKNOWN";
    }
}

const char *yb_err_zh(int code)
{
    switch (code) {
#define YB__ZH(name, num, zh, en)                                              \
    case num:                                                                  \
        return zh;
        YB_ERRORS(YB__ZH)
#undef YB__ZH
    default:
        return "未知错误";
    }
}

const char *yb_err_en(int code)
{
    switch (code) {
#define YB__EN(name, num, zh, en)                                              \
    case num:                                                                  \
        return en;
        YB_ERRORS(YB__EN)
#undef YB__EN
    default:
        return "unknown error";
    }
}

/* Copy src into a buffer of size cap, truncating at a character
 * boundary (a report ends up in a JSON answer, which must stay valid
 * UTF-8); never overflows and always terminates. */
static void copy_trunc(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;

    if (n >= cap)
        n = yb_utf8_cut(src, n, cap - 1);
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

int yb_err_set(struct yb_err *e, int code, const char *field, const char *fmt,
               ...)
{
    va_list ap;

    if (e == NULL)
        return code;
    e->code = code;
    copy_trunc(e->field, sizeof e->field, field);
    e->msg[0] = '\0';
    if (fmt != NULL) {
        va_start(ap, fmt);
        /* Truncation is acceptable, but not inside a character. */
        int len = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        if (len >= (int)sizeof e->msg)
            e->msg[yb_utf8_trim(e->msg, sizeof e->msg - 1)] = '\0';
    }
    return code;
}

int yb_err_prefix(struct yb_err *e, const char *prefix)
{
    char old[sizeof e->field];
    size_t cap = sizeof e->field, n;

    if (e == NULL)
        return YB_OK;
    if (prefix == NULL || prefix[0] == '\0')
        return e->code;
    memcpy(old, e->field, sizeof old);
    copy_trunc(e->field, cap, prefix);
    n = strlen(e->field);
    /* An index path ("[3].cnt") attaches without a dot: "feedetail[3].cnt". */
    if (old[0] != '\0' && old[0] != '[' && n < cap - 1)
        e->field[n++] = '.';
    copy_trunc(e->field + n, cap - n, old);
    return e->code;
}

void yb_err_clear(struct yb_err *e)
{
    if (e == NULL)
        return;
    e->code = YB_OK;
    e->field[0] = '\0';
    e->msg[0] = '\0';
}
