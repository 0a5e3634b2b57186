/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generator's random source: splitmix64 (a 64-bit counter passed
 * through a fixed mixing function), plus the integer draws the generator
 * needs: uniform ranges, chances in 1/10,000, weighted choices, geometric
 * counts and table-driven distributions. Nothing here uses floating point,
 * so a seed gives the same numbers on every platform.
 */
#include <assert.h>

#include "synth_int.h"

#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void yb__rng_seed(struct yb__rng *r, uint64_t seed, uint64_t stream,
                  uint64_t index)
{
    /* Each input goes through the mixer so nearby seeds, streams and
     * indices start far apart. */
    r->s = mix(mix(seed + GOLDEN) ^ mix(stream * GOLDEN + 1) ^
               mix(index + (stream << 40) + 7));
}

uint64_t yb__rng_next(struct yb__rng *r)
{
    r->s += GOLDEN;
    return mix(r->s);
}

uint32_t yb__rng_below(struct yb__rng *r, uint32_t n)
{
    /* Multiply-shift: the high 32 bits of a 32 x 32 product. */
    return (uint32_t)(((yb__rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int yb__rng_range(struct yb__rng *r, int lo, int hi)
{
    return lo + (int)yb__rng_below(r, (uint32_t)(hi - lo + 1));
}

bool yb__rng_chance(struct yb__rng *r, int p)
{
    return (int)yb__rng_below(r, 10000) < p;
}

int yb__rng_weighted(struct yb__rng *r, const int *w, int n)
{
    int64_t sum = 0, at;

    for (int i = 0; i < n; i++)
        sum += w[i];
    assert(sum > 0); /* the callers' tables weigh something */
    if (sum <= 0)
        return 0;
    at = (int64_t)(yb__rng_next(r) % (uint64_t)sum);
    for (int i = 0; i < n; i++) {
        if (at < w[i])
            return i;
        at -= w[i];
    }
    return n - 1;
}

int yb__rng_geometric(struct yb__rng *r, int q, int cap)
{
    int k = 1;

    while (k < cap && yb__rng_chance(r, q))
        k++;
    return k;
}

int64_t yb__rng_quantile(struct yb__rng *r, const struct yb__qpoint *t, int n)
{
    int32_t u = (int32_t)yb__rng_below(r, 1000000);
    int i = 1;

    while (i < n - 1 && t[i].ppm <= u)
        i++;
    /* t[i-1].ppm <= u < t[i].ppm: linear between the two quantiles,
     * rounded down (the values are large enough that it does not show). */
    return t[i - 1].value + (t[i].value - t[i - 1].value) *
                                (int64_t)(u - t[i - 1].ppm) /
                                (int64_t)(t[i].ppm - t[i - 1].ppm);
}
