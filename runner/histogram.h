/*
 * histogram.h — log-linear latency histogram (nanoseconds), fixed memory.
 *
 * Values below 2^SUB_BITS are counted exactly; above, every power-of-two
 * range [2^k, 2^(k+1)) is split into 2^SUB_BITS equal buckets, so a bucket
 * is at most 1/128 of its values wide (0.78%) and a percentile read at the
 * bucket's middle is off by at most 0.4%. The whole uint64 range fits in
 * 7424 counters (58 KiB) whatever the number of samples.
 */
#ifndef INCBENCH_HISTOGRAM_H
#define INCBENCH_HISTOGRAM_H

#include <stdint.h>

#define HISTOGRAM_SUB_BITS 7
#define HISTOGRAM_SUB (1u << HISTOGRAM_SUB_BITS)
#define HISTOGRAM_BUCKETS (HISTOGRAM_SUB + (64 - HISTOGRAM_SUB_BITS) * HISTOGRAM_SUB)

struct histogram {
    uint64_t count;
    uint64_t sum;     /* ns; 2^64 ns is 584 years of samples */
    uint64_t min;
    uint64_t max;
    uint64_t counts[HISTOGRAM_BUCKETS];
};

void histogram_reset(struct histogram *h);

static inline unsigned histogram_index(uint64_t v)
{
    if (v < HISTOGRAM_SUB)
        return (unsigned)v;
    unsigned k = 63u - (unsigned)__builtin_clzll(v);          /* k >= SUB_BITS */
    unsigned sub = (unsigned)(v >> (k - HISTOGRAM_SUB_BITS)) - HISTOGRAM_SUB;
    return HISTOGRAM_SUB + (k - HISTOGRAM_SUB_BITS) * HISTOGRAM_SUB + sub;
}

/* Inline: this runs inside the measured loop, once per call. */
static inline void histogram_record(struct histogram *h, uint64_t v)
{
    h->counts[histogram_index(v)]++;
    h->count++;
    h->sum += v;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

/* Lowest value and width of bucket i (values lo .. lo + width - 1). */
void histogram_bucket_range(unsigned i, uint64_t *lo, uint64_t *width);

/* The value at percentile p (0 < p <= 100): the sample of rank ceil(p% of
 * count) in sorted order, read as its bucket's middle and clamped to
 * [min, max]. 0 when empty. */
uint64_t histogram_percentile(const struct histogram *h, double p);

double histogram_mean(const struct histogram *h);

/* dst += src (repeats merge into one section histogram). */
void histogram_merge(struct histogram *dst, const struct histogram *src);

#endif
