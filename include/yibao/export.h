/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV exports in the import formats of docs/import-formats.md: what is
 * exported imports again unchanged.
 */
#ifndef YIBAO_EXPORT_H
#define YIBAO_EXPORT_H

#include <stdio.h>

#include "err.h"
#include "store.h"

/* Write catalogue.csv rows to out: every version, or (on = "yyyy-MM-dd")
 * only the versions valid on that day; *rows gets the count. YB_EIO on a
 * write error. */
int yb_export_catalogue(yb_store *s, const char *on, FILE *out, long *rows,
                        struct yb_err *e);

/* Write institutions.csv rows to out. */
int yb_export_institutions(yb_store *s, FILE *out, long *rows,
                           struct yb_err *e);

#endif
