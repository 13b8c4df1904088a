/*
 * histogram.c — see histogram.h. HdrHistogram's log-linear idea, written
 * small here because no C HdrHistogram is packaged for Debian.
 */
#include "histogram.h"

#include <math.h>
#include <string.h>

void histogram_reset(struct histogram *h)
{
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

void histogram_bucket_range(unsigned i, uint64_t *lo, uint64_t *width)
{
    if (i < HISTOGRAM_SUB) {
        *lo = i;
        *width = 1;
        return;
    }
    unsigned k = (i - HISTOGRAM_SUB) / HISTOGRAM_SUB + HISTOGRAM_SUB_BITS;
    unsigned sub = (i - HISTOGRAM_SUB) % HISTOGRAM_SUB;
    *width = (uint64_t)1 << (k - HISTOGRAM_SUB_BITS);
    *lo = ((uint64_t)1 << k) + (uint64_t)sub * *width;
}

uint64_t histogram_percentile(const struct histogram *h, double p)
{
    if (h->count == 0)
        return 0;
    /* p * count / 100 in floating point is off by an ulp for many exact
     * ranks (7 / 100.0 * 100 > 7): snap to the integer first, then ceil. */
    double r = p * (double)h->count / 100.0;
    double nearest = round(r);
    if (fabs(r - nearest) <= 1e-9 * (nearest > 1.0 ? nearest : 1.0))
        r = nearest;
    r = ceil(r);
    uint64_t rank = r < 1.0 ? 1 : (uint64_t)r;
    if (rank >= h->count)
        return h->max;      /* the top rank is the max, known exactly */
    uint64_t seen = 0;
    for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) {
            uint64_t lo, width;
            histogram_bucket_range(i, &lo, &width);
            uint64_t mid = lo + (width - 1) / 2;
            if (mid < h->min)
                mid = h->min;
            if (mid > h->max)
                mid = h->max;
            return mid;
        }
    }
    return h->max;
}

double histogram_mean(const struct histogram *h)
{
    return h->count ? (double)h->sum / (double)h->count : 0.0;
}

void histogram_merge(struct histogram *dst, const struct histogram *src)
{
    for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++)
        dst->counts[i] += src->counts[i];
    dst->count += src->count;
    dst->sum += src->sum;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}
