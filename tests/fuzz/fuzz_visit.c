/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: yb_visit_doc_parse on arbitrary bytes, and when a
 * visit parses, yb_accums_doc_parse and yb_catalogue_doc_parse on the same
 * bytes. Visit documents come from hospital systems; no input may crash,
 * leak or overflow, and an accepted visit must satisfy what the parser
 * promises (lines present, totals consistent, fee dates within the visit).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "yibao/yibao.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_visit(const struct yb_visit_doc *d)
{
    yb_fen sum = 0;

    if (d->n_lines == 0 || d->visit.end < d->visit.begin)
        abort();
    for (size_t i = 0; i < d->n_lines; i++) {
        const struct yb_fee_line *l = &d->lines[i];

        if (l->cnt <= 0 || l->pric < 0 || l->amount < 0 ||
            l->fee_date < d->visit.begin || l->fee_date > d->visit.end)
            abort();
        if (yb_money_add(sum, l->amount, &sum) != YB_OK)
            abort();
    }
    if (d->has_medfee_sumamt && d->medfee_sumamt != sum)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct yb_visit_doc *d = NULL;
    struct yb_catalogue_entry *cat = NULL;
    struct yb_accums acc;
    struct yb_arena arena;
    struct yb_err e;
    size_t n = 0;

    yb_arena_init(&arena, 0);
    if (yb_visit_doc_parse(text, size, &d, &e) == YB_OK) {
        check_visit(d);
        (void)yb_accums_doc_parse(text, size, &arena, &acc, &e);
        (void)yb_catalogue_doc_parse(text, size, &arena, &cat, &n, &e);
    } else if (d != NULL) {
        abort();
    } else {
        /* Exercise the other parsers on rejected visits as well. */
        (void)yb_accums_doc_parse(text, size, &arena, &acc, &e);
    }
    yb_visit_doc_free(d);
    yb_arena_free(&arena);
    return 0;
}
