/* SPDX-License-Identifier: Apache-2.0 */
/*
 * "yb-group": the SQLite VFS of a group-commit writer (YB_STORE_GROUPCOMMIT,
 * sqlite_int.h). It is the platform's default VFS (unix) but for one thing:
 * what a connection writes to its WAL is gathered in memory and written with
 * one pwrite when SQLite syncs the log, instead of two pwrites a page
 * (SQLite writes a frame as its 24-byte header, then its page), in pieces of
 * under 128 KiB. A commit of
 * a batch of hospital calls writes a hundred pages or so; on a virtual
 * machine a system call is dear, and the WAL writes were a fifth of the
 * writer's time.
 *
 * The writer's connection runs with synchronous=FULL, so SQLite syncs the
 * WAL at the end of every commit, after the commit's frames and before it
 * publishes them in the shared WAL index: that sync is where the gathered
 * frames are written, so no reader can see a frame that is not in the file.
 * While yb__sqlite_defer_sync() says so (the store's COMMIT of such a
 * connection), the sync stops there: the data is in the page cache, and the
 * server's syncer makes it durable with one fdatasync for many commits
 * (yb_store_sync_run) before any answer goes out. Every other sync of the
 * log (a checkpoint, the close of the last connection) is a real one.
 * Every other file (the database, the shared index) is the default VFS's
 * own, untouched.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sqlite_int.h"

#define WAL_BUFFER (1u << 20) /* written out when full */

struct wal_file {
    sqlite3_file base;  /* pMethods: wal_methods */
    sqlite3_file *real; /* the default VFS's file, after this struct */
    unsigned char *buf; /* gathered bytes, for the file at off */
    size_t len;
    sqlite3_int64 off;
};

static sqlite3_vfs group_vfs;
static sqlite3_vfs *base_vfs;
static _Thread_local bool defer_sync;

void yb__sqlite_defer_sync(bool on)
{
    defer_sync = on;
}

static size_t real_offset(void)
{
    size_t a = _Alignof(max_align_t);
    return (sizeof(struct wal_file) + a - 1) / a * a;
}

/* The most the default VFS writes at once: its unixWrite masks a length
 * with 0x1ffff, so a write of 128 KiB or more would come out short. */
#define WRITE_MAX 0x1f000

/* Write the gathered bytes out. */
static int flush(struct wal_file *w)
{
    int rc = SQLITE_OK;
    for (size_t done = 0; rc == SQLITE_OK && done < w->len;) {
        size_t n = w->len - done < WRITE_MAX ? w->len - done : WRITE_MAX;
        rc = w->real->pMethods->xWrite(w->real, w->buf + done, (int)n,
                                       w->off + (sqlite3_int64)done);
        done += n;
    }
    w->len = 0;
    return rc;
}

static int wal_close(sqlite3_file *f)
{
    struct wal_file *w = (struct wal_file *)f;
    int rc = flush(w), rc2 = w->real->pMethods->xClose(w->real);
    free(w->buf);
    w->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wal_read(sqlite3_file *f, void *out, int n, sqlite3_int64 off)
{
    struct wal_file *w = (struct wal_file *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc
                           : w->real->pMethods->xRead(w->real, out, n, off);
}

static int wal_write(sqlite3_file *f, const void *data, int n,
                     sqlite3_int64 off)
{
    struct wal_file *w = (struct wal_file *)f;
    size_t m = (size_t)n;
    if (w->len > 0 &&
        (off != w->off + (sqlite3_int64)w->len || w->len + m > WAL_BUFFER)) {
        int rc = flush(w);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (m > WRITE_MAX) /* SQLite writes a page at most; never here */
        return w->real->pMethods->xWrite(w->real, data, n, off);
    if (w->len == 0)
        w->off = off;
    memcpy(w->buf + w->len, data, m);
    w->len += m;
    return SQLITE_OK;
}

static int wal_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct wal_file *w = (struct wal_file *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xTruncate(w->real, size);
}

static int wal_sync(sqlite3_file *f, int flags)
{
    struct wal_file *w = (struct wal_file *)f;
    int rc = flush(w);
    if (rc != SQLITE_OK || defer_sync)
        return rc;
    return w->real->pMethods->xSync(w->real, flags);
}

static int wal_size(sqlite3_file *f, sqlite3_int64 *out)
{
    struct wal_file *w = (struct wal_file *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xFileSize(w->real, out);
}

static int wal_lock(sqlite3_file *f, int level)
{
    struct wal_file *w = (struct wal_file *)f;
    return w->real->pMethods->xLock(w->real, level);
}

static int wal_unlock(sqlite3_file *f, int level)
{
    struct wal_file *w = (struct wal_file *)f;
    return w->real->pMethods->xUnlock(w->real, level);
}

static int wal_reserved(sqlite3_file *f, int *out)
{
    struct wal_file *w = (struct wal_file *)f;
    return w->real->pMethods->xCheckReservedLock(w->real, out);
}

static int wal_control(sqlite3_file *f, int op, void *arg)
{
    struct wal_file *w = (struct wal_file *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc
                           : w->real->pMethods->xFileControl(w->real, op, arg);
}

static int wal_sector(sqlite3_file *f)
{
    struct wal_file *w = (struct wal_file *)f;
    return w->real->pMethods->xSectorSize(w->real);
}

static int wal_device(sqlite3_file *f)
{
    struct wal_file *w = (struct wal_file *)f;
    return w->real->pMethods->xDeviceCharacteristics(w->real);
}

/* Version 1 methods: SQLite maps no log into memory and keeps no shared
 * index for it. */
static const sqlite3_io_methods wal_methods = {
    .iVersion = 1,
    .xClose = wal_close,
    .xRead = wal_read,
    .xWrite = wal_write,
    .xTruncate = wal_truncate,
    .xSync = wal_sync,
    .xFileSize = wal_size,
    .xLock = wal_lock,
    .xUnlock = wal_unlock,
    .xCheckReservedLock = wal_reserved,
    .xFileControl = wal_control,
    .xSectorSize = wal_sector,
    .xDeviceCharacteristics = wal_device,
};

static int group_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f,
                      int flags, int *out_flags)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL)) /* the default VFS's file, in place */
        return base_vfs->xOpen(base_vfs, name, f, flags, out_flags);
    struct wal_file *w = (struct wal_file *)f;
    memset(w, 0, sizeof *w);
    w->real = (sqlite3_file *)((char *)f + real_offset());
    w->buf = malloc(WAL_BUFFER);
    if (w->buf == NULL)
        return SQLITE_NOMEM;
    int rc = base_vfs->xOpen(base_vfs, name, w->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        free(w->buf);
        w->buf = NULL;
        return rc; /* pMethods NULL: SQLite does not close it */
    }
    w->base.pMethods = &wal_methods;
    return SQLITE_OK;
}

/* The rest is the default VFS's, called with its own handle. */
static int group_delete(sqlite3_vfs *v, const char *p, int sync)
{
    (void)v;
    return base_vfs->xDelete(base_vfs, p, sync);
}

static int group_access(sqlite3_vfs *v, const char *p, int flags, int *out)
{
    (void)v;
    return base_vfs->xAccess(base_vfs, p, flags, out);
}

static int group_full(sqlite3_vfs *v, const char *p, int n, char *out)
{
    (void)v;
    return base_vfs->xFullPathname(base_vfs, p, n, out);
}

static void *group_dlopen(sqlite3_vfs *v, const char *p)
{
    (void)v;
    return base_vfs->xDlOpen(base_vfs, p);
}

static void group_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    base_vfs->xDlError(base_vfs, n, out);
}

static void (*group_dlsym(sqlite3_vfs *v, void *h, const char *s))(void)
{
    (void)v;
    return base_vfs->xDlSym(base_vfs, h, s);
}

static void group_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    base_vfs->xDlClose(base_vfs, h);
}

static int group_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return base_vfs->xRandomness(base_vfs, n, out);
}

static int group_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return base_vfs->xSleep(base_vfs, us);
}

static int group_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return base_vfs->xCurrentTime(base_vfs, out);
}

static int group_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return base_vfs->xGetLastError(base_vfs, n, out);
}

static int group_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered = SQLITE_ERROR;

static void group_register(void)
{
    base_vfs = sqlite3_vfs_find(NULL);
    if (base_vfs == NULL || base_vfs->iVersion < 2)
        return;
    group_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)real_offset() + base_vfs->szOsFile,
        .mxPathname = base_vfs->mxPathname,
        .zName = YB__SQLITE_GROUP_VFS,
        .xOpen = group_open,
        .xDelete = group_delete,
        .xAccess = group_access,
        .xFullPathname = group_full,
        .xDlOpen = group_dlopen,
        .xDlError = group_dlerror,
        .xDlSym = group_dlsym,
        .xDlClose = group_dlclose,
        .xRandomness = group_random,
        .xSleep = group_sleep,
        .xCurrentTime = group_time,
        .xGetLastError = group_last_error,
        .xCurrentTimeInt64 = group_time64,
    };
    registered = sqlite3_vfs_register(&group_vfs, 0);
}

int yb__sqlite_group_vfs(void)
{
    pthread_once(&once, group_register);
    return registered;
}
