/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Background checkpoints for a bulk writer (yb_store_background_checkpoints
 * in include/yibao/store.h; store_int.h, yb__ckpt_*). A thread with a
 * connection of its own moves each commit's pages from the log into the
 * database file (SQLite: a PASSIVE checkpoint: it copies the pages, syncs
 * the log and the file, and never blocks the writer), while the writer
 * goes on with its next transaction. Left to the writer's commit, that copy
 * and its two syncs were about a tenth of a region's first load, spent
 * waiting.
 *
 * The log then never starts again from its beginning on its own: SQLite
 * restarts it only at a commit whose transaction began on a log already
 * wholly copied, and the writer begins its next transaction at once, while
 * the copy of the last one is still under way. So once the log has grown
 * past yb__ckpt_log_limit pages, a begin first waits for the copy: that
 * transaction starts on a copied log and its commit starts the log again.
 * One wait every so many pages instead of one at every commit.
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdlib.h>

#include "store_int.h"

/* 256 MiB of 4 KiB pages: about five batches of a first load (the unit
 * test lowers it). */
int64_t yb__ckpt_log_limit = 65536;

struct yb__ckpt {
    yb_store *peer; /* the thread's connection */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t work, idle;
    bool pending; /* a commit waits for its copy */
    bool busy;    /* a copy is under way */
    bool stop;
    int64_t log_pages; /* the log's size after the writer's last commit */
};

static void *ckpt_main(void *arg)
{
    struct yb__ckpt *c = arg;
    pthread_setname_np(pthread_self(), "yb-bulk-ckpt"); /* for top -H */
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->pending && !c->stop)
            pthread_cond_wait(&c->work, &c->mu);
        if (!c->pending) /* stopped with nothing left to copy */
            break;
        c->pending = false;
        c->busy = true;
        pthread_mutex_unlock(&c->mu);
        struct yb_err e = {0};
        /* A failed copy is made again after the next commit; what is
         * left at the end, the writer's own checkpoints take over. */
        (void)yb_store_checkpoint(c->peer, false, NULL, &e);
        pthread_mutex_lock(&c->mu);
        c->busy = false;
        pthread_cond_broadcast(&c->idle);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int yb__ckpt_start(yb_store *s, int flags, struct yb__ckpt **out,
                   struct yb_err *e)
{
    *out = NULL;
    struct yb__ckpt *c = calloc(1, sizeof *c);
    if (c == NULL)
        return yb_err_set(e, YB_ENOMEM, "store", "内存不足 (out of memory)");
    int rc = yb_store_open_peer(s, flags, &c->peer, e);
    if (rc != YB_OK) {
        free(c);
        return rc;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->work, NULL);
    pthread_cond_init(&c->idle, NULL);
    if (pthread_create(&c->th, NULL, ckpt_main, c) != 0) {
        pthread_cond_destroy(&c->idle);
        pthread_cond_destroy(&c->work);
        pthread_mutex_destroy(&c->mu);
        yb_store_close(c->peer);
        free(c);
        return yb_err_set(
            e, YB_ENOMEM, "store",
            "无法启动检查点线程 (cannot start the checkpoint thread)");
    }
    *out = c;
    return YB_OK;
}

void yb__ckpt_kick(struct yb__ckpt *c, int64_t log_pages)
{
    pthread_mutex_lock(&c->mu);
    c->log_pages = log_pages;
    c->pending = true;
    pthread_cond_signal(&c->work);
    pthread_mutex_unlock(&c->mu);
}

/* With c->mu held: until no copy is asked for or under way. */
static void wait_idle(struct yb__ckpt *c)
{
    while (c->pending || c->busy)
        pthread_cond_wait(&c->idle, &c->mu);
}

void yb__ckpt_settle(struct yb__ckpt *c)
{
    pthread_mutex_lock(&c->mu);
    if (c->log_pages >= yb__ckpt_log_limit)
        wait_idle(c);
    pthread_mutex_unlock(&c->mu);
}

void yb__ckpt_stop(struct yb__ckpt *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = true; /* the thread copies what is pending, then ends */
    pthread_cond_signal(&c->work);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->th, NULL);
    pthread_cond_destroy(&c->idle);
    pthread_cond_destroy(&c->work);
    pthread_mutex_destroy(&c->mu);
    yb_store_close(c->peer);
    free(c);
}
