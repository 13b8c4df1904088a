/*
 * interval_test.c — runner/interval.c: t quantiles against published and
 * mpmath values, intervals worked out by hand, every refused input, and
 * coverage: 1,000 simulated runs of 5 repeats x 2,000 autocorrelated
 * calls (seeded, so every run of the test sees the same numbers), whose
 * 95% intervals must hold the true mean or ratio in 90-99% of runs.
 */
#include "interval.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>

#define RUNS 1000       /* simulated benchmark runs per coverage test */
#define R 5             /* repeats per section (the runner's default) */
#define N 2000          /* calls per repeat */
#define PHI 0.9         /* AR(1) coefficient: a call is 90% its predecessor */
#define COVERED_MIN 900 /* 90% of RUNS; the binomial sd at 95% is 7 runs */
#define COVERED_MAX 990
#define TWO_PI 6.283185307179586

/* ---- a seeded generator (splitmix64) and normal deviates ---- */

struct rng {
    uint64_t state;
    double spare;
    bool has_spare;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in (0, 1): never 0, so its log is finite. */
static double rng_unit(struct rng *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal, Box-Muller (two per draw, the second kept). */
static double rng_normal(struct rng *r)
{
    if (r->has_spare) {
        r->has_spare = false;
        return r->spare;
    }
    const double radius = sqrt(-2.0 * log(rng_unit(r))), angle = TWO_PI * rng_unit(r);
    r->spare = radius * sin(angle);
    r->has_spare = true;
    return radius * cos(angle);
}

/* One repeat of N calls x_t = mu + y_t with y_t = phi y_(t-1) + sigma e_t,
 * y_0 drawn from its stationary law (a measured repeat starts after the
 * warmup). Returns the repeat's mean; adds sum x_t and sum x_t^2 into
 * *sum and *sum_sq for the naive per-call interval. */
static double ar1_repeat(struct rng *r, double mu, double phi, double sigma, double *sum,
                         double *sum_sq)
{
    double y = sigma / sqrt(1.0 - phi * phi) * rng_normal(r), s = 0.0, s2 = 0.0;
    for (int t = 0; t < N; t++) {
        const double x = mu + y;
        s += x;
        s2 += x * x;
        y = phi * y + sigma * rng_normal(r);
    }
    *sum += s;
    *sum_sq += s2;
    return s / N;
}

/* ---- t quantiles ---- */

START_TEST(t_quantiles_match_published_tables)
{
    static const struct {
        unsigned df;
        double t;
    } table[] = {{1, 12.7062}, {2, 4.3027}, {4, 2.7764}, {9, 2.2622}, {29, 2.0452}, {1000, 1.9623}};
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const double t = interval_t975(table[i].df);
        ck_assert_msg(fabs(t - table[i].t) < 1e-4, "t975(%u) = %.6f, want %.4f", table[i].df, t,
                      table[i].t);
    }
}
END_TEST

/* Reference values from mpmath (30 digits, betainc + findroot), on both
 * sides of the switch from bisection to the expansion at df 1000, and at
 * the non-integer df Welch's formula gives. */
START_TEST(t_quantiles_match_mpmath_to_1e12)
{
    static const struct {
        double df, t;
    } table[] = {
        {1, 12.706204736174705},       {2, 4.3026527297494639},
        {3, 3.1824463052837096},       {5, 2.5705818356363155},
        {10, 2.2281388519862747},      {30, 2.0422724563012383},
        {100, 1.9839715185235523},     {999, 1.96234146113345},
        {999.999, 1.9623390832043348}, {1000, 1.9623390808264085},
        {10000, 1.9602012398906263},   {1e6, 1.959966356814107},
        {1.5, 6.0166631044279319},     {2.5, 3.5746548420036832},
        {7.3, 2.3450667365477036},     {25 / 8.5, 3.2187586145328839},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const double t = interval_t975_real(table[i].df);
        ck_assert_msg(fabs(t - table[i].t) < 1e-12, "t975(%g) = %.17g, want %.17g", table[i].df,
                      t, table[i].t);
    }
    ck_assert_double_eq_tol(interval_t975_real(INFINITY), 1.959963984540054, 1e-15);
}
END_TEST

START_TEST(t_quantiles_fall_towards_the_normal)
{
    double previous = interval_t975(1);
    for (unsigned df = 2; df <= 3000; df++) {
        const double t = interval_t975(df);
        ck_assert_msg(t < previous && t > 1.959963984540054, "t975(%u) = %.17g after %.17g", df,
                      t, previous);
        previous = t;
    }
    ck_assert_msg(interval_t975(UINT32_MAX) - 1.959963984540054 < 1e-9, "huge df");
}
END_TEST

START_TEST(t_quantiles_refuse_df_below_one)
{
    ck_assert(isnan(interval_t975(0)));
    ck_assert(isnan(interval_t975_real(0.999)));
    ck_assert(isnan(interval_t975_real(-5)));
    ck_assert(isnan(interval_t975_real(NAN)));
}
END_TEST

/* ---- intervals by hand ---- */

/* 1..5: mean 3, s^2 = 10/4, se = sqrt(0.5), t(4) = 2.7764451051977944. */
START_TEST(mean_interval_by_hand)
{
    const double x[] = {1, 2, 3, 4, 5}, two[] = {10, 12};
    struct interval iv;
    ck_assert_int_eq(interval_mean(x, 5, &iv), 0);
    ck_assert_double_eq_tol(iv.low, 1.0367568385224423, 1e-12);
    ck_assert_double_eq_tol(iv.high, 4.9632431614775577, 1e-12);
    /* Two repeats: se = 1, t(1) = 12.7062. */
    ck_assert_int_eq(interval_mean(two, 2, &iv), 0);
    ck_assert_double_eq_tol(iv.low, -1.7062047361747046, 1e-12);
    ck_assert_double_eq_tol(iv.high, 23.706204736174705, 1e-12);
    /* Equal repeats: no spread, a point. */
    const double same[] = {7, 7, 7};
    ck_assert_int_eq(interval_mean(same, 3, &iv), 0);
    ck_assert(iv.low == 7 && iv.high == 7);
}
END_TEST

START_TEST(mean_refuses_fewer_than_two_and_non_finite)
{
    const double one[] = {5}, with_nan[] = {1, NAN, 3}, with_inf[] = {1, 2, INFINITY},
                 huge[] = {1e308, 1e308, 1e308};
    struct interval iv = {0, 0};
    ck_assert_int_eq(interval_mean(one, 1, &iv), -1);
    ck_assert(isnan(iv.low) && isnan(iv.high));
    ck_assert_int_eq(interval_mean(one, 0, &iv), -1);
    ck_assert_int_eq(interval_mean(NULL, 3, &iv), -1);
    ck_assert_int_eq(interval_mean(with_nan, 3, &iv), -1);
    ck_assert_int_eq(interval_mean(with_inf, 3, &iv), -1);
    ck_assert_int_eq(interval_mean(with_inf, 2, NULL), -1);
    ck_assert_int_eq(interval_mean(huge, 3, &iv), -1); /* their sum overflows */
}
END_TEST

START_TEST(ratio_of_identical_samples_is_one)
{
    const double a[] = {101.5, 99.25, 130.0, 87.0, 100.125};
    struct interval iv;
    ck_assert_int_eq(interval_ratio(a, 5, a, 5, true, &iv), 0);
    ck_assert(iv.low == 1.0 && iv.high == 1.0);
    /* Unpaired, the same data is two uncertain sides: wide, around 1. */
    ck_assert_int_eq(interval_ratio(a, 5, a, 5, false, &iv), 0);
    ck_assert(iv.low < 0.9 && iv.high > 1.1);
    ck_assert_double_eq_tol(iv.low * iv.high, 1.0, 1e-12);
}
END_TEST

START_TEST(ratio_of_doubled_samples_is_two)
{
    const double a[] = {101.5, 99.25, 130.0, 87.0, 100.125};
    double twice[5];
    for (int k = 0; k < 5; k++)
        twice[k] = 2 * a[k];
    struct interval iv;
    ck_assert_int_eq(interval_ratio(twice, 5, a, 5, true, &iv), 0);
    ck_assert_double_eq_tol(iv.low, 2.0, 1e-12);
    ck_assert_double_eq_tol(iv.high, 2.0, 1e-12);
    ck_assert_int_eq(interval_ratio(a, 5, twice, 5, true, &iv), 0);
    ck_assert_double_eq_tol(iv.low, 0.5, 1e-12);
    ck_assert_double_eq_tol(iv.high, 0.5, 1e-12);
}
END_TEST

/* a = 9, 10, 11 and b = 4, 5, 6: ratio 2, var of log means 1/300 + 1/75 =
 * 1/60, Welch df = 25/8.5; bounds from mpmath. */
START_TEST(ratio_unpaired_by_hand)
{
    const double a[] = {9, 10, 11}, b[] = {4, 5, 6};
    struct interval iv;
    ck_assert_int_eq(interval_ratio(a, 3, b, 3, false, &iv), 0);
    ck_assert_double_eq_tol(iv.low, 1.3199676520056755, 1e-12);
    ck_assert_double_eq_tol(iv.high, 3.0303772928995999, 1e-12);
    /* Both sides without spread: a point. */
    const double c[] = {6, 6}, d[] = {3, 3, 3};
    ck_assert_int_eq(interval_ratio(c, 2, d, 3, false, &iv), 0);
    ck_assert_double_eq_tol(iv.low, 2.0, 1e-15);
    ck_assert(iv.low == iv.high);
}
END_TEST

/* Per-round log ratios 0, log 2, 0: mean log(2)/3, s = log(2)/sqrt(3). */
START_TEST(ratio_paired_by_hand)
{
    const double a[] = {10, 20, 30}, b[] = {10, 10, 30};
    struct interval iv;
    ck_assert_int_eq(interval_ratio(a, 3, b, 3, true, &iv), 0);
    const double m = log(2.0) / 3, half = 4.3026527297494639 * log(2.0) / sqrt(3.0) / sqrt(3.0);
    ck_assert_double_eq_tol(iv.low, exp(m - half), 1e-12);
    ck_assert_double_eq_tol(iv.high, exp(m + half), 1e-12);
}
END_TEST

START_TEST(ratio_refuses_bad_input)
{
    const double a[] = {10, 11, 12}, one[] = {10}, zero_mean[] = {-1, 1, 0},
                 with_zero[] = {0, 10, 20}, with_nan[] = {10, NAN, 12},
                 with_inf[] = {10, INFINITY, 12};
    struct interval iv = {0, 0};
    ck_assert_int_eq(interval_ratio(a, 3, one, 1, false, &iv), -1);
    ck_assert(isnan(iv.low) && isnan(iv.high));
    ck_assert_int_eq(interval_ratio(one, 1, a, 3, false, &iv), -1);
    ck_assert_int_eq(interval_ratio(one, 1, one, 1, true, &iv), -1);
    ck_assert_int_eq(interval_ratio(a, 3, a, 2, true, &iv), -1);  /* paired needs na == nb */
    ck_assert_int_eq(interval_ratio(a, 3, a, 2, false, &iv), 0);  /* ...unpaired does not */
    ck_assert_int_eq(interval_ratio(a, 3, zero_mean, 3, false, &iv), -1);
    ck_assert_int_eq(interval_ratio(zero_mean, 3, a, 3, false, &iv), -1);
    ck_assert_int_eq(interval_ratio(with_zero, 3, a, 3, false, &iv), 0); /* mean 10 > 0 */
    ck_assert_int_eq(interval_ratio(with_zero, 3, a, 3, true, &iv), -1); /* log 0 */
    ck_assert_int_eq(interval_ratio(a, 3, with_zero, 3, true, &iv), -1);
    for (int paired = 0; paired <= 1; paired++) {
        ck_assert_int_eq(interval_ratio(a, 3, with_nan, 3, paired, &iv), -1);
        ck_assert_int_eq(interval_ratio(with_inf, 3, a, 3, paired, &iv), -1);
        ck_assert_int_eq(interval_ratio(NULL, 3, a, 3, paired, &iv), -1);
        ck_assert_int_eq(interval_ratio(a, 3, NULL, 3, paired, &iv), -1);
        ck_assert_int_eq(interval_ratio(a, 3, a, 3, paired, NULL), -1);
    }
}
END_TEST

START_TEST(contains_and_relative_width)
{
    const struct interval iv = {90, 110}, none = {NAN, NAN};
    ck_assert(interval_contains(&iv, 90) && interval_contains(&iv, 100) &&
              interval_contains(&iv, 110));
    ck_assert(!interval_contains(&iv, 89.999) && !interval_contains(&iv, 110.001));
    ck_assert(!interval_contains(&iv, NAN) && !interval_contains(&none, 100));
    ck_assert(!interval_contains(NULL, 100));
    ck_assert_double_eq_tol(interval_relative_width(&iv, 100), 0.2, 1e-15);
    ck_assert(isnan(interval_relative_width(&iv, 0)));
    ck_assert(isnan(interval_relative_width(&iv, -100)));
    ck_assert(isnan(interval_relative_width(&iv, INFINITY)));
    ck_assert(isnan(interval_relative_width(&iv, NAN)));
    ck_assert(isnan(interval_relative_width(NULL, 100)));
    ck_assert(isnan(interval_relative_width(&none, 100)));
}
END_TEST

/* ---- coverage ---- */

struct mean_case {
    double phi, sigma; /* per-call AR(1) noise around MU */
    double offset_sd;  /* per-repeat offset: between-repeat variance */
};
#define MU 100.0

/* How many of RUNS intervals of the mean hold MU; *naive counts the
 * intervals that treat all R*N calls as independent. */
static unsigned mean_coverage(const struct mean_case *c, uint64_t seed, unsigned *naive)
{
    struct rng r = {.state = seed};
    unsigned covered = 0;
    *naive = 0;
    for (int run = 0; run < RUNS; run++) {
        double means[R], sum = 0.0, sum_sq = 0.0;
        for (int k = 0; k < R; k++)
            means[k] = ar1_repeat(&r, MU + c->offset_sd * rng_normal(&r), c->phi, c->sigma, &sum,
                                  &sum_sq);
        struct interval iv;
        ck_assert_int_eq(interval_mean(means, R, &iv), 0);
        covered += interval_contains(&iv, MU);
        const double calls = R * N, m = sum / calls;
        const double se = sqrt((sum_sq - calls * m * m) / (calls - 1) / calls);
        const double half = interval_t975(R * N - 1) * se;
        *naive += m - half <= MU && MU <= m + half;
    }
    return covered;
}

/* The repeat-mean interval holds the true mean about 95% of the time;
 * how often the naive per-call one did. */
static unsigned assert_covers(const struct mean_case *c, uint64_t seed)
{
    unsigned naive;
    const unsigned covered = mean_coverage(c, seed, &naive);
    ck_assert_msg(covered >= COVERED_MIN && covered <= COVERED_MAX, "covered %u of %d", covered,
                  RUNS);
    return naive;
}

START_TEST(mean_covers_iid_calls)
{
    const struct mean_case c = {.phi = 0.0, .sigma = 10.0};
    const unsigned naive = assert_covers(&c, 1);
    /* Here the calls ARE independent: the per-call interval is right too. */
    ck_assert_msg(naive >= COVERED_MIN, "naive covered %u of %d", naive, RUNS);
}
END_TEST

/* With phi = 0.9 the variance of a repeat's mean is (1 + phi)/(1 - phi) =
 * 19 times what independent calls would give, so the naive per-call
 * interval is sqrt(19) = 4.4 times too narrow: it held the true mean in
 * 329 of 1,000 runs (33%), the repeat-mean interval in 953. */
START_TEST(mean_covers_autocorrelated_calls)
{
    const struct mean_case c = {.phi = PHI, .sigma = 5.0};
    const unsigned naive = assert_covers(&c, 2);
    ck_assert_msg(naive < COVERED_MIN, "naive per-call interval covered %u of %d", naive, RUNS);
}
END_TEST

/* A per-repeat offset (another core placement per repeat) of sd 3 on top
 * of the AR(1) noise: error no single repeat's calls can show. The naive
 * per-call interval held the true mean in 121 of 1,000 runs, this one 955. */
START_TEST(mean_covers_between_repeat_variance)
{
    const struct mean_case c = {.phi = PHI, .sigma = 5.0, .offset_sd = 3.0};
    const unsigned naive = assert_covers(&c, 3);
    ck_assert_msg(naive < COVERED_MIN, "naive per-call interval covered %u of %d", naive, RUNS);
}
END_TEST

#define MU_A 150.0
#define MU_B 100.0
#define RATIO (MU_A / MU_B)

/* One section's repeat: AR(1) noise at 5% of its mean, times a per-repeat
 * factor of its own (placement) and the round's drift shared by every
 * section. Equal relative noise on both sides keeps the true ratio of
 * means, and of geometric means, exactly MU_A / MU_B. */
static double section_repeat(struct rng *r, double mu, double drift, double own_sd)
{
    double sum = 0.0, sum_sq = 0.0;
    return drift * exp(own_sd * rng_normal(r)) * ar1_repeat(r, mu, PHI, 0.05 * mu, &sum, &sum_sq);
}

/* A round drift of 20% (log sd 0.2, e.g. another frequency per round) is
 * common to A and B: pairing cancels it, so the paired interval covers and
 * is far narrower than the unpaired one on the same data (5.0% against
 * 56% of the ratio on average). */
START_TEST(ratio_paired_covers_with_common_drift)
{
    struct rng r = {.state = 4};
    unsigned covered = 0;
    double width_paired = 0.0, width_unpaired = 0.0;
    for (int run = 0; run < RUNS; run++) {
        double a[R], b[R];
        for (int k = 0; k < R; k++) {
            const double drift = exp(0.2 * rng_normal(&r));
            a[k] = section_repeat(&r, MU_A, drift, 0.01);
            b[k] = section_repeat(&r, MU_B, drift, 0.01);
        }
        struct interval iv;
        ck_assert_int_eq(interval_ratio(a, R, b, R, true, &iv), 0);
        covered += interval_contains(&iv, RATIO);
        width_paired += interval_relative_width(&iv, RATIO);
        ck_assert_int_eq(interval_ratio(a, R, b, R, false, &iv), 0);
        width_unpaired += interval_relative_width(&iv, RATIO);
    }
    ck_assert_msg(covered >= COVERED_MIN && covered <= COVERED_MAX, "covered %u of %d", covered,
                  RUNS);
    ck_assert_msg(width_paired * 5 < width_unpaired, "mean width paired %.4f, unpaired %.4f",
                  width_paired / RUNS, width_unpaired / RUNS);
}
END_TEST

/* Independent sections with unequal repeat counts (5 and 3, e.g. failed
 * repeats) and a 3% per-repeat factor each: Welch's df, between 2 and 6. */
START_TEST(ratio_unpaired_covers_unequal_repeats)
{
    struct rng r = {.state = 5};
    unsigned covered = 0;
    for (int run = 0; run < RUNS; run++) {
        double a[R], b[3];
        for (int k = 0; k < R; k++)
            a[k] = section_repeat(&r, MU_A, 1.0, 0.03);
        for (int k = 0; k < 3; k++)
            b[k] = section_repeat(&r, MU_B, 1.0, 0.03);
        struct interval iv;
        ck_assert_int_eq(interval_ratio(a, R, b, 3, false, &iv), 0);
        covered += interval_contains(&iv, RATIO);
    }
    ck_assert_msg(covered >= COVERED_MIN && covered <= COVERED_MAX, "covered %u of %d", covered,
                  RUNS);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("interval");
    TCase *t = tcase_create("arithmetic");
    tcase_add_test(t, t_quantiles_match_published_tables);
    tcase_add_test(t, t_quantiles_match_mpmath_to_1e12);
    tcase_add_test(t, t_quantiles_fall_towards_the_normal);
    tcase_add_test(t, t_quantiles_refuse_df_below_one);
    tcase_add_test(t, mean_interval_by_hand);
    tcase_add_test(t, mean_refuses_fewer_than_two_and_non_finite);
    tcase_add_test(t, ratio_of_identical_samples_is_one);
    tcase_add_test(t, ratio_of_doubled_samples_is_two);
    tcase_add_test(t, ratio_unpaired_by_hand);
    tcase_add_test(t, ratio_paired_by_hand);
    tcase_add_test(t, ratio_refuses_bad_input);
    tcase_add_test(t, contains_and_relative_width);
    suite_add_tcase(s, t);
    /* Simulation: ~1 s each optimised, several under ASan. */
    TCase *c = tcase_create("coverage");
    tcase_set_timeout(c, 60);
    tcase_add_test(c, mean_covers_iid_calls);
    tcase_add_test(c, mean_covers_autocorrelated_calls);
    tcase_add_test(c, mean_covers_between_repeat_variance);
    tcase_add_test(c, ratio_paired_covers_with_common_drift);
    tcase_add_test(c, ratio_unpaired_covers_unequal_repeats);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
