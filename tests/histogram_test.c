/*
 * histogram_test.c — runner/histogram.c against the truth: percentiles of
 * 10^6 seeded random samples (log-uniform over 1 ns .. 10 s, and a bimodal
 * mix) compared with the sorted samples, the bucket layout itself, merging,
 * exact small values, and the empty histogram. The percentile definition
 * checked is the header's: the sample of rank ceil(p/100 * n), and so is its
 * promise: read within 0.4 % of that sample.
 */
#include "histogram.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N 1000000

/* xorshift64*: fixed seed, the same samples on every run. */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
    rng_state = s ? s : 1;
}

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

/* Uniform in [0, 1). */
static double rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

/* Log-uniform between 1 ns and 10 s. */
static uint64_t sample_wide(void)
{
    return (uint64_t)llround(exp(rng_unit() * log(1e10)));
}

/* 70 % fast calls around 500 ns, 30 % slow ones around 2 ms. */
static uint64_t sample_bimodal(void)
{
    if (rng_unit() < 0.7)
        return 400 + (uint64_t)(rng_unit() * 200);
    return 1500000 + (uint64_t)(rng_unit() * 1000000);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static struct histogram *new_hist(void)
{
    struct histogram *h = malloc(sizeof *h);
    ck_assert_ptr_nonnull(h);
    histogram_reset(h);
    return h;
}

/* Rank ceil(pm / 100000 * n) in integers; pm = percentile in thousandths. */
static uint64_t rank_of(uint64_t pm, uint64_t n)
{
    uint64_t r = (pm * n + 99999) / 100000;
    return r < 1 ? 1 : r;
}

/* histogram.h: a percentile is off by at most 0.4 % of the exact one (the
 * bucket middle is at most half a bucket, 1/256, from any value in it). */
#define PROMISED_ERROR 0.004

static double rel_error(uint64_t got, uint64_t truth)
{
    return fabs((double)got - (double)truth) / (double)truth;
}

static const uint64_t permille[] = { 1000, 10000, 25000, 50000, 75000, 90000, 95000,
                                     99000, 99500, 99900, 99990, 100000 };

/* Every percentile of h within the promised error of the sorted truth. */
static void check_percentiles(const struct histogram *h, const uint64_t *sorted, uint64_t n)
{
    for (size_t i = 0; i < sizeof permille / sizeof permille[0]; i++) {
        double p = (double)permille[i] / 1000.0;
        uint64_t truth = sorted[rank_of(permille[i], n) - 1];
        uint64_t got = histogram_percentile(h, p);
        double rel = rel_error(got, truth);
        ck_assert_msg(rel <= PROMISED_ERROR, "p%g: histogram says %llu, truth is %llu (%.3f%% off)",
                      p, (unsigned long long)got, (unsigned long long)truth, rel * 100);
    }
}

static void check_distribution(uint64_t (*draw)(void), uint64_t seed)
{
    uint64_t *v = malloc(N * sizeof *v);
    ck_assert_ptr_nonnull(v);
    struct histogram *h = new_hist();
    rng_seed(seed);
    uint64_t sum = 0;
    for (size_t i = 0; i < N; i++) {
        v[i] = draw();
        sum += v[i];
        histogram_record(h, v[i]);
    }
    qsort(v, N, sizeof *v, cmp_u64);
    ck_assert_uint_eq(h->count, N);
    ck_assert_uint_eq(h->sum, sum);
    ck_assert_uint_eq(h->min, v[0]);
    ck_assert_uint_eq(h->max, v[N - 1]);
    ck_assert(histogram_mean(h) == (double)sum / N);
    check_percentiles(h, v, N);
    free(h);
    free(v);
}

START_TEST(wide_log_uniform)
{
    check_distribution(sample_wide, 42);
}
END_TEST

START_TEST(bimodal)
{
    check_distribution(sample_bimodal, 7);
}
END_TEST

/* The percentile of a value read back from a histogram that also holds a
 * smaller and a larger one (so clamping to min/max cannot hide the error)
 * is within the promised 0.4 %, for values spread over the whole uint64
 * range. */
START_TEST(any_magnitude_within_the_promised_error)
{
    struct histogram *h = new_hist();
    rng_seed(99);
    for (int i = 0; i < 200000; i++) {
        unsigned bits = 1 + (unsigned)(rng_next() % 63);
        uint64_t v = (rng_next() >> (64 - bits)) | ((uint64_t)1 << (bits - 1));
        if (v < 2 || v > UINT64_MAX / 2)
            continue;
        histogram_reset(h);
        histogram_record(h, 1);
        histogram_record(h, v);
        histogram_record(h, v);
        histogram_record(h, UINT64_MAX);
        uint64_t got = histogram_percentile(h, 50);
        double rel = rel_error(got, v);
        ck_assert_msg(rel <= PROMISED_ERROR, "value %llu read back as %llu (%.3f%% off)",
                      (unsigned long long)v, (unsigned long long)got, rel * 100);
    }
    free(h);
}
END_TEST

/* Buckets tile the uint64 range with no gap and no overlap, each at most
 * 1/128 of its values wide, and every value lands in the bucket whose range
 * holds it. */
START_TEST(buckets_tile_the_range)
{
    uint64_t next = 0;
    for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
        uint64_t lo, w;
        histogram_bucket_range(i, &lo, &w);
        ck_assert_msg(lo == next, "bucket %u starts at %llu, expected %llu", i,
                      (unsigned long long)lo, (unsigned long long)next);
        ck_assert_uint_ge(w, 1);
        if (lo >= HISTOGRAM_SUB)
            ck_assert_msg(w * HISTOGRAM_SUB <= lo, "bucket %u too wide", i);
        ck_assert_uint_eq(histogram_index(lo), i);
        ck_assert_uint_eq(histogram_index(lo + (w - 1)), i);
        next = lo + w;   /* wraps to 0 after the last bucket */
    }
    ck_assert_uint_eq(next, 0);
    ck_assert_uint_eq(histogram_index(UINT64_MAX), HISTOGRAM_BUCKETS - 1);
    static const uint64_t edges[] = { 0, 1, 127, 128, 129, 255, 256, 257, 1000, 1u << 20,
                                      (1u << 20) + 1, UINT64_C(1) << 63,
                                      (UINT64_C(1) << 63) - 1, UINT64_MAX - 1 };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        uint64_t lo, w;
        unsigned k = histogram_index(edges[i]);
        ck_assert_uint_lt(k, HISTOGRAM_BUCKETS);
        histogram_bucket_range(k, &lo, &w);
        ck_assert(edges[i] >= lo && edges[i] - lo < w);
    }
}
END_TEST

START_TEST(merge_of_halves_is_the_whole)
{
    struct histogram *whole = new_hist(), *a = new_hist(), *b = new_hist();
    rng_seed(2024);
    for (int i = 0; i < 200000; i++) {
        uint64_t v = sample_wide();
        histogram_record(whole, v);
        histogram_record(i % 3 ? a : b, v);
    }
    histogram_merge(a, b);
    ck_assert_uint_eq(a->count, whole->count);
    ck_assert_uint_eq(a->sum, whole->sum);
    ck_assert_uint_eq(a->min, whole->min);
    ck_assert_uint_eq(a->max, whole->max);
    ck_assert(memcmp(a->counts, whole->counts, sizeof a->counts) == 0);
    for (size_t i = 0; i < sizeof permille / sizeof permille[0]; i++) {
        double p = (double)permille[i] / 1000.0;
        ck_assert_uint_eq(histogram_percentile(a, p), histogram_percentile(whole, p));
    }
    /* merging into an empty one copies; merging an empty one changes nothing */
    struct histogram *e = new_hist();
    histogram_merge(e, whole);
    ck_assert(memcmp(e, whole, sizeof *e) == 0);
    histogram_reset(b);
    histogram_merge(e, b);
    ck_assert(memcmp(e, whole, sizeof *e) == 0);
    free(whole);
    free(a);
    free(b);
    free(e);
}
END_TEST

/* Below 128 every value has a bucket of its own: percentiles are exact. */
START_TEST(small_values_exact)
{
    struct histogram *h = new_hist();
    for (uint64_t v = 0; v < HISTOGRAM_SUB; v++) {
        histogram_reset(h);
        histogram_record(h, 0);
        histogram_record(h, v);
        histogram_record(h, v);
        histogram_record(h, 1000000);
        ck_assert_uint_eq(histogram_percentile(h, 50), v);
    }
    free(h);
}
END_TEST

START_TEST(rank_is_ceil)
{
    /* 4 samples: p25 is rank 1, p25.1 rank 2, p50 rank 2, p50.1 rank 3 */
    struct histogram *h = new_hist();
    histogram_record(h, 10);
    histogram_record(h, 20);
    histogram_record(h, 30);
    histogram_record(h, 40);
    ck_assert_uint_eq(histogram_percentile(h, 25), 10);
    ck_assert_uint_eq(histogram_percentile(h, 25.1), 20);
    ck_assert_uint_eq(histogram_percentile(h, 50), 20);
    ck_assert_uint_eq(histogram_percentile(h, 50.1), 30);
    ck_assert_uint_eq(histogram_percentile(h, 100), 40);
    /* below the first rank: the smallest sample */
    ck_assert_uint_eq(histogram_percentile(h, 0.0001), 10);
    free(h);
}
END_TEST

START_TEST(min_max_mean_exact)
{
    struct histogram *h = new_hist();
    static const uint64_t v[] = { 1234567, 3, 999999999999, 77, 4096, 4097 };
    uint64_t sum = 0;
    for (size_t i = 0; i < 6; i++) {
        histogram_record(h, v[i]);
        sum += v[i];
    }
    ck_assert_uint_eq(h->min, 3);
    ck_assert_uint_eq(h->max, 999999999999);
    ck_assert_uint_eq(h->count, 6);
    ck_assert_uint_eq(h->sum, sum);
    ck_assert(histogram_mean(h) == (double)sum / 6.0);
    /* the extremes are read within the promised error (a bucket's middle, clamped) */
    ck_assert_uint_eq(histogram_percentile(h, 1), 3);
    uint64_t p100 = histogram_percentile(h, 100);
    ck_assert(p100 <= 999999999999 && rel_error(p100, 999999999999) <= PROMISED_ERROR);
    free(h);
}
END_TEST

START_TEST(one_sample)
{
    struct histogram *h = new_hist();
    histogram_record(h, 123456789);
    ck_assert_uint_eq(histogram_percentile(h, 50), 123456789);
    ck_assert_uint_eq(histogram_percentile(h, 99.9), 123456789);
    free(h);
}
END_TEST

START_TEST(empty)
{
    struct histogram *h = new_hist();
    ck_assert_uint_eq(h->count, 0);
    ck_assert_uint_eq(h->sum, 0);
    ck_assert_uint_eq(histogram_percentile(h, 50), 0);
    ck_assert_uint_eq(histogram_percentile(h, 100), 0);
    ck_assert(histogram_mean(h) == 0.0);
    for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++)
        ck_assert_uint_eq(h->counts[i], 0);
    /* a reset really empties a used histogram */
    histogram_record(h, 5);
    histogram_reset(h);
    ck_assert_uint_eq(h->count, 0);
    ck_assert_uint_eq(h->counts[5], 0);
    ck_assert_uint_eq(histogram_percentile(h, 50), 0);
    free(h);
}
END_TEST

START_TEST(huge_values)
{
    struct histogram *h = new_hist();
    histogram_record(h, UINT64_MAX);
    histogram_record(h, UINT64_MAX - 1);
    ck_assert_uint_eq(h->max, UINT64_MAX);
    ck_assert_uint_ge(histogram_percentile(h, 100), UINT64_MAX - 1);
    ck_assert_uint_eq(h->counts[HISTOGRAM_BUCKETS - 1], 2);
    free(h);
}
END_TEST

/* histogram.c histogram_percentile: rank = ceil(p / 100.0 * count) in
 * floating point; 7 / 100.0 * 100 is 7.000000000000001, so p7 of 1..100 is
 * read at rank 8, and p99.9 of 1000 samples at rank 1000 (the max) instead
 * of 999. */
START_TEST(percentile_rank_is_exact)
{
    struct histogram *h = malloc(sizeof *h);
    ck_assert_ptr_nonnull(h);
    histogram_reset(h);
    for (uint64_t v = 1; v <= 100; v++)
        histogram_record(h, v);
    for (int p = 1; p <= 100; p++)
        ck_assert_msg(histogram_percentile(h, p) == (uint64_t)p, "p%d of 1..100 is %llu", p,
                      (unsigned long long)histogram_percentile(h, p));
    histogram_reset(h);
    for (uint64_t v = 1; v <= 1000; v++)
        histogram_record(h, v * 1000);
    /* Rank 999 is 999000, read as its bucket's middle; rank 1000 would be
     * the max, 1000000, which is within any percent of 999000: compare
     * with the exact reading. */
    uint64_t lo, w;
    histogram_bucket_range(histogram_index(999000), &lo, &w);
    uint64_t p999 = histogram_percentile(h, 99.9);
    ck_assert_msg(p999 == lo + (w - 1) / 2,
                  "p99.9 of 1000..1000000 step 1000 is %llu, want 999000 read as %llu",
                  (unsigned long long)p999, (unsigned long long)(lo + (w - 1) / 2));
    free(h);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("histogram");
    TCase *t = tcase_create("histogram");
    tcase_add_test(t, percentile_rank_is_exact);
    tcase_add_test(t, wide_log_uniform);
    tcase_add_test(t, bimodal);
    tcase_add_test(t, any_magnitude_within_the_promised_error);
    tcase_add_test(t, buckets_tile_the_range);
    tcase_add_test(t, merge_of_halves_is_the_whole);
    tcase_add_test(t, small_values_exact);
    tcase_add_test(t, rank_is_ceil);
    tcase_add_test(t, min_max_mean_exact);
    tcase_add_test(t, one_sample);
    tcase_add_test(t, empty);
    tcase_add_test(t, huge_values);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
