/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading input files whole, and reporting errors, for the `yibao`
 * command. Documents are small (a policy, a visit, a catalogue of at most
 * a few hundred megabytes), so a file is read into one buffer and handed
 * to the parsers of src/api and src/policy.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"

/* Largest file the command reads: a national catalogue fits easily. */
#define FILE_MAX ((size_t)512 * 1024 * 1024)

static int io_error(struct yb_err *e, const char *path, const char *zh,
                    const char *en, int err)
{
    return yb_err_set(e, YB_EIO, path, "无法%s：%s (cannot %s)", zh,
                      strerror(err), en);
}

/* Append the rest of f to a growing buffer. */
static int read_all(FILE *f, const char *path, char **data, size_t *len,
                    struct yb_err *e)
{
    size_t cap = 0, n = 0, got;
    char *buf = NULL, *grown;
    int rc = YB_OK;

    do {
        if (cap - n < 4096) {
            cap = cap == 0 ? 65536 : cap * 2;
            if (cap > FILE_MAX + 1) {
                rc = yb_err_set(e, YB_EINVAL, path,
                                "文件大于 %zu MiB (file too large)",
                                FILE_MAX >> 20);
                goto out;
            }
            grown = realloc(buf, cap);
            if (grown == NULL) {
                rc = yb_err_set(e, YB_ENOMEM, path, "内存不足 (out of memory)");
                goto out;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        rc = io_error(e, path, "读取", "read", errno);
        goto out;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    return rc;
}

int yb__cli_read_file(const char *path, char **data, size_t *len,
                      struct yb_err *e)
{
    FILE *f;
    int rc;

    *data = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (f == NULL)
        return io_error(e, path, "打开", "open", errno);
    rc = read_all(f, path, data, len, e);
    fclose(f);
    return rc;
}

int yb__cli_exit_code(int code)
{
    switch (code) {
    case YB_OK:
        return YB_EXIT_OK;
    case YB_EINVAL:
    case YB_EPARSE:
    case YB_EPOLICY:
    case YB_ENOTCOVERED:
    case YB_ENOTFOUND:
    case YB_EOVERFLOW:
    case YB_EDUPLICATE:
    case YB_ECONSTRAINT:
        return YB_EXIT_INPUT;
    case YB_EIO:
    case YB_EBUSY:
        return YB_EXIT_IO;
    default:
        return YB_EXIT_INTERNAL;
    }
}

int yb__cli_fail(const struct yb_err *e)
{
    const char *msg = e->msg[0] != '\0' ? e->msg : yb_err_zh(e->code);
    size_t fl = strlen(e->field);

    /* Some parsers already start the message with the field path. */
    if (fl == 0 ||
        (strncmp(msg, e->field, fl) == 0 && strncmp(msg + fl, ": ", 2) == 0))
        fprintf(stderr, "yibao: %s\n", msg);
    else
        fprintf(stderr, "yibao: %s: %s\n", e->field, msg);
    return yb__cli_exit_code(e->code);
}

int yb__cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    if (strcmp(cmd, "yibao") == 0)
        fputs("yibao: ", stderr);
    else
        fprintf(stderr, "yibao: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (strcmp(cmd, "settle") == 0)
        yb__cli_help_settle(stderr);
    else if (strcmp(cmd, "policy") == 0)
        yb__cli_help_policy(stderr);
    else
        yb__cli_help(stderr);
    return YB_EXIT_IO;
}
