/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers shared by the ledger's posting (ledger.c) and reports
 * (ledger_report.c): accounting periods as month numbers.
 */
#ifndef YIBAO_LEDGER_INT_H
#define YIBAO_LEDGER_INT_H

#include "yibao/ledger.h"

/* "yyyy-mm" -> year * 12 + month - 1; -1 when not a valid period. */
int yb__period_months(const char *s);
/* The inverse, into buf (at least 8 bytes). */
void yb__period_format(int months, char *buf);
/* YB_EINVAL naming field unless s is a valid period. */
int yb__period_check(const char *s, const char *field, struct yb_err *e);

#endif
