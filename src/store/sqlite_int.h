/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the SQLite backend: its group-commit VFS (sqlite_vfs.c).
 */
#ifndef YIBAO_SQLITE_INT_H
#define YIBAO_SQLITE_INT_H

#include <stdbool.h>

#define YB__SQLITE_GROUP_VFS "yb-group"

/* Register the VFS (once per process); SQLITE_OK when it can be used. */
int yb__sqlite_group_vfs(void);
/* While on (for the calling thread), a sync of a WAL opened through the
 * VFS writes the gathered frames but does not sync the file. */
void yb__sqlite_defer_sync(bool on);

#endif
