/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error codes and error reports. Every fallible function in yibao returns an
 * int from the table below (YB_OK is 0) and, where the caller passes one,
 * fills a caller-owned struct yb_err with the field path and a message that
 * names the object and the value. The table is an X-macro so the code, its
 * name and its default message never drift apart. Codes are appended, never
 * renumbered: they are stable and appear on the hospital interface.
 */
#ifndef YIBAO_ERR_H
#define YIBAO_ERR_H

#include <stddef.h>

/* X(name, number, Chinese message, English message) */
#define YB_ERRORS(X)                                                           \
    X(OK, 0, "成功", "success")                                                \
    X(ENOMEM, 1, "内存不足", "out of memory")                                  \
    X(EINVAL, 2, "输入数据不合法", "invalid input")                            \
    X(EOVERFLOW, 3, "金额超出范围", "amount out of range")                     \
    X(EPARSE, 4, "报文格式错误", "malformed document")                         \
    X(ENOTFOUND, 5, "数据不存在", "not found")                                 \
    X(EPOLICY, 6, "政策参数不合法", "invalid policy")                          \
    X(EIO, 7, "读写失败", "input/output failure")                              \
    X(ENOTCOVERED, 8, "不在政策有效期或统筹区内", "not covered by policy")     \
    X(EINVARIANT, 9, "结算结果校验失败", "settlement invariant violated")      \
    X(EDUPLICATE, 10, "数据重复", "duplicate")                                 \
    X(ECONSTRAINT, 11, "违反数据约束", "constraint violated")                  \
    X(EBUSY, 12, "数据库忙，请重试", "database busy")                          \
    X(ESTORE, 13, "数据库错误", "storage failure")                             \
    X(EUNBALANCED, 14, "记账凭证借贷不平衡", "unbalanced journal entry")       \
    X(EPERM, 15, "未签到或无权操作", "not signed in or not permitted")

enum yb_code {
#define YB__ENUM(name, num, zh, en) YB_##name = num,
    YB_ERRORS(YB__ENUM)
#undef YB__ENUM
};

/* A report: what failed (code), where (field path, e.g.
 * "feedetail[3].cnt"), and a message naming the value. Owned by the caller;
 * fixed-size buffers so filling it never allocates. */
struct yb_err {
    int code;
    char field[128];
    char msg[256];
};

/* Name of a code ("EINVAL"), never NULL. */
const char *yb_err_name(int code);
/* Default message of a code, Chinese or English; never NULL. */
const char *yb_err_zh(int code);
const char *yb_err_en(int code);

/* Fill e (if not NULL) with code, field and a printf-style message; returns
 * code so callers can write `return yb_err_set(e, YB_EINVAL, ...)`. */
int yb_err_set(struct yb_err *e, int code, const char *field, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));

/* Prepend a path prefix to e->field ("policy" + "rate" -> "policy.rate");
 * used by nested loaders. Returns e->code. */
int yb_err_prefix(struct yb_err *e, const char *prefix);

/* Reset e to YB_OK with empty strings. */
void yb_err_clear(struct yb_err *e);

#endif
