/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The catalogue index: an open-addressing hash table from national code to
 * the chain of that code's versions, so that a settlement finds the entry
 * valid on a fee date in a few probes even in a catalogue of hundreds of
 * thousands of entries. The entries themselves are borrowed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* A word-at-a-time multiplicative hash: codes are 15-27 characters, so
 * hashing 8 bytes per step matters on the settlement hot path. */
static uint64_t hash_code(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * UINT64_C(0xFF51AFD7ED558CCD);
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * UINT64_C(0xC4CEB9FE1A85EC53);
    return h ^ (h >> 29);
}

/* Slot holding the first version of code, or the empty slot where it would
 * go. */
static size_t find_slot(const struct yb_catalogue *c, const char *code)
{
    size_t mask = c->n_slots - 1;
    size_t i = (size_t)hash_code(code) & mask;
    while (c->slots[i] != 0 &&
           strcmp(c->entries[c->slots[i] - 1].code, code) != 0)
        i = (i + 1) & mask;
    return i;
}

static bool overlaps(const struct yb_catalogue_entry *a,
                     const struct yb_catalogue_entry *b)
{
    return a->valid_from <= b->valid_to && b->valid_from <= a->valid_to;
}

/* Chain entry i behind the versions already in slot; refuse overlaps. */
static int add_version(struct yb_catalogue *c, size_t slot, uint32_t i,
                       struct yb_err *e)
{
    const struct yb_catalogue_entry *x = &c->entries[i];
    for (uint32_t j = c->slots[slot]; j != 0; j = c->next[j - 1]) {
        if (overlaps(&c->entries[j - 1], x))
            return yb_err_set(e, YB_EINVAL, "catalogue",
                              "目录项 \"%s\" 的版本 %u 与 %u 有效期重叠 "
                              "(versions overlap in time)",
                              x->code, (unsigned)j, (unsigned)i + 1);
    }
    c->next[i] = c->slots[slot];
    c->slots[slot] = i + 1;
    return YB_OK;
}

int yb_catalogue_build(struct yb_catalogue *c,
                       const struct yb_catalogue_entry *entries, size_t n,
                       struct yb_err *e)
{
    int rc = YB_OK;
    memset(c, 0, sizeof *c);
    if (n >= UINT32_MAX / 4)
        return yb_err_set(e, YB_EINVAL, "catalogue",
                          "%zu 条目录过多 (too many entries)", n);
    c->entries = entries;
    c->n = n;
    c->n_slots = 16;
    while (c->n_slots < n * 2)
        c->n_slots *= 2;
    c->slots = calloc(c->n_slots, sizeof *c->slots);
    c->next = calloc(n ? n : 1, sizeof *c->next);
    if (!c->slots || !c->next) {
        rc = yb_err_set(e, YB_ENOMEM, "catalogue", "内存不足 (out of memory)");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct yb_catalogue_entry *x = &entries[i];
        if (!x->code || !x->code[0]) {
            rc = yb_err_set(e, YB_EINVAL, "catalogue",
                            "第 %zu 条目录没有编码 (entry has no code)", i + 1);
            goto out;
        }
        if (x->valid_to < x->valid_from) {
            rc = yb_err_set(
                e, YB_EINVAL, "catalogue",
                "目录项 \"%s\" 的结束日期早于开始日期 (ends before it starts)",
                x->code);
            goto out;
        }
        rc = add_version(c, find_slot(c, x->code), (uint32_t)i, e);
        if (rc != YB_OK)
            goto out;
    }
out:
    if (rc != YB_OK)
        yb_catalogue_free(c);
    return rc;
}

const struct yb_catalogue_entry *yb_catalogue_find(const struct yb_catalogue *c,
                                                   const char *code, yb_date on)
{
    if (!c->slots)
        return NULL;
    return yb__catalogue_find_from(
        c, (size_t)hash_code(code) & (c->n_slots - 1), code, on);
}

const struct yb_catalogue_entry *
yb__catalogue_find_from(const struct yb_catalogue *c, size_t home,
                        const char *code, yb_date on)
{
    if (!c->slots)
        return NULL;
    size_t mask = c->n_slots - 1, slot = home & mask;
    while (c->slots[slot] != 0 &&
           strcmp(c->entries[c->slots[slot] - 1].code, code) != 0)
        slot = (slot + 1) & mask;
    for (uint32_t j = c->slots[slot]; j != 0; j = c->next[j - 1]) {
        const struct yb_catalogue_entry *x = &c->entries[j - 1];
        if (x->valid_from <= on && on <= x->valid_to)
            return x;
    }
    return NULL;
}

size_t yb__catalogue_prefetch(const struct yb_catalogue *c, const char *code)
{
    if (!c->slots)
        return 0;
    size_t i = (size_t)hash_code(code) & (c->n_slots - 1);
    __builtin_prefetch(&c->slots[i]);
    return i;
}

bool yb_catalogue_has(const struct yb_catalogue *c, const char *code)
{
    return c->slots && c->slots[find_slot(c, code)] != 0;
}

void yb_catalogue_free(struct yb_catalogue *c)
{
    if (!c)
        return;
    free(c->slots);
    free(c->next);
    memset(c, 0, sizeof *c);
}
