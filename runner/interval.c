/*
 * interval.c — see interval.h. One value per repeat, never one per call:
 * within a repeat a stall or a core placement spans many calls, so calls
 * are not independent and an interval over them is several times too
 * narrow; and what differs between repeats (a new client, a new placement)
 * is real error that only the spread of repeat means shows. Repeats are
 * independent, and each mean of thousands of calls is close to normal, so
 * Student t with n-1 df over the repeat means is the honest interval.
 * Ratios work on logs (a ratio's error is multiplicative): paired rounds
 * use the per-round log ratios, so drift common to both sections cancels;
 * unpaired sides add the variances of their log means (delta method) with
 * Welch-Satterthwaite df. The t quantile is computed here (no GSL): by
 * bisection on the t tail, an incomplete beta function, below df 1000, and
 * by the Cornish-Fisher expansion above (error < 1e-15 there).
 */
#include "interval.h"

#include <math.h>

#define Z975 1.9599639845400542    /* standard normal 0.975 quantile */
#define TAIL 0.05                  /* two-sided: P(|T| > t) */
#define LOG_SQRT_2PI 0.91893853320467274
#define EXPANSION_MIN_DF 1000.0
#define CF_MAX_TERMS 10000         /* the fraction needs ~sqrt(df) terms here */
#define CF_TINY 1e-300

static int fail(struct interval *out)
{
    if (out)
        out->low = out->high = NAN;
    return -1;
}

/* log Gamma(x), x > 0: climb to x >= 15, then Stirling's series, whose
 * first omitted term is below 3e-14 there. libm's lgamma() may write the
 * global signgam, which this thread-safe file avoids. */
static double log_gamma(double x)
{
    double climbed = 1.0;
    while (x < 15.0) {
        climbed *= x;
        x += 1.0;
    }
    const double r = 1.0 / (x * x);
    const double series = (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r / 1680))) / x;
    return (x - 0.5) * log(x) - x + LOG_SQRT_2PI + series - log(climbed);
}

/* The continued fraction of the incomplete beta function, evaluated by
 * Lentz's method; it converges fast for x < (a + 1) / (a + b + 2). NaN if
 * it has not converged (never seen for the a, b, x used here). */
static double beta_fraction(double a, double b, double x)
{
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < CF_TINY)
        d = CF_TINY;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= CF_MAX_TERMS; m++) {
        /* Each m contributes an even and an odd term. */
        for (int odd = 0; odd <= 1; odd++) {
            const double num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                                   : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1.0 + num * d;
            if (fabs(d) < CF_TINY)
                d = CF_TINY;
            c = 1.0 + num / c;
            if (fabs(c) < CF_TINY)
                c = CF_TINY;
            d = 1.0 / d;
            const double step = c * d;
            h *= step;
            if (odd && fabs(step - 1.0) < 1e-15)
                return h;
        }
    }
    return NAN;
}

/* Regularized incomplete beta I_x(a, b), with y = 1 - x passed apart so
 * that x near 1 keeps its precision. */
static double beta_regularized(double a, double b, double x, double y)
{
    if (x <= 0.0)
        return 0.0;
    if (y <= 0.0)
        return 1.0;
    const double log_x = x > 0.5 ? log1p(-y) : log(x);
    const double log_y = y > 0.5 ? log1p(-x) : log(y);
    const double log_beta = log_gamma(a) + log_gamma(b) - log_gamma(a + b);
    const double front = exp(a * log_x + b * log_y - log_beta);
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_fraction(a, b, x) / a;
    return 1.0 - front * beta_fraction(b, a, y) / b;
}

/* P(|T| > t) for Student t with df degrees of freedom. */
static double t_tail(double df, double t)
{
    const double t2 = t * t;
    return beta_regularized(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

double interval_t975_real(double df)
{
    if (isnan(df) || df < 1.0)
        return NAN;
    if (df >= EXPANSION_MIN_DF) {
        const double z = Z975, z2 = z * z, v = 1.0 / df;
        const double g1 = (z2 + 1) * z / 4;
        const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + v * (g1 + v * (g2 + v * (g3 + v * g4)));
    }
    /* The tail falls as t grows; df >= 1 puts the root in [z, t(1) = 12.71]. */
    double lo = Z975, hi = 13.0;
    for (int i = 0; i < 200; i++) {
        const double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        const double p = t_tail(df, mid);
        if (isnan(p))
            return NAN;
        if (p > TAIL)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}

double interval_t975(unsigned df)
{
    return df == 0 ? NAN : interval_t975_real((double)df);
}

/* Mean and sample standard deviation of x[0..n); -1 unless n >= 2 and
 * every value (and so both results) is finite. */
static int mean_sd(const double *x, size_t n, double *mean, double *sd)
{
    if (!x || n < 2)
        return -1;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return -1;
        sum += x[i];
    }
    const double m = sum / (double)n;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    const double s = sqrt(ss / (double)(n - 1));
    if (!isfinite(m) || !isfinite(s))
        return -1;
    *mean = m;
    *sd = s;
    return 0;
}

int interval_mean(const double *x, size_t n, struct interval *out)
{
    double m, s;
    if (!out || mean_sd(x, n, &m, &s) != 0)
        return fail(out);
    const double half = interval_t975_real((double)(n - 1)) * s / sqrt((double)n);
    out->low = m - half;
    out->high = m + half;
    return 0;
}

/* exp(centre -+ half) as an interval of a ratio. */
static int log_interval(double centre, double half, struct interval *out)
{
    const double low = exp(centre - half), high = exp(centre + half);
    if (!(low > 0.0) || !isfinite(high))
        return fail(out);
    out->low = low;
    out->high = high;
    return 0;
}

static int ratio_paired(const double *a, const double *b, size_t n, struct interval *out)
{
    double sum = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (!(a[k] > 0.0 && b[k] > 0.0 && isfinite(a[k]) && isfinite(b[k])))
            return fail(out);
        sum += log(a[k]) - log(b[k]);
    }
    const double m = sum / (double)n;
    double ss = 0.0;
    for (size_t k = 0; k < n; k++) {
        const double e = log(a[k]) - log(b[k]) - m;
        ss += e * e;
    }
    const double se = sqrt(ss / (double)(n - 1) / (double)n);
    return log_interval(m, interval_t975_real((double)(n - 1)) * se, out);
}

static int ratio_unpaired(const double *a, size_t na, const double *b, size_t nb,
                          struct interval *out)
{
    double ma, sa, mb, sb;
    if (mean_sd(a, na, &ma, &sa) != 0 || mean_sd(b, nb, &mb, &sb) != 0)
        return fail(out);
    if (!(ma > 0.0 && mb > 0.0))
        return fail(out);
    /* Variance of log(mean) ~ (sd / mean)^2 / n, each side. */
    const double va = sa / ma * (sa / ma) / (double)na;
    const double vb = sb / mb * (sb / mb) / (double)nb;
    const double v = va + vb;
    const double centre = log(ma) - log(mb);
    if (v == 0.0)
        return log_interval(centre, 0.0, out);
    /* Welch-Satterthwaite on shares of v, which cannot underflow; the df
     * lies between min(na, nb) - 1 and na + nb - 2, so at least 1. */
    const double wa = va / v, wb = vb / v;
    double df = 1.0 / (wa * wa / (double)(na - 1) + wb * wb / (double)(nb - 1));
    if (df < 1.0)
        df = 1.0;
    return log_interval(centre, interval_t975_real(df) * sqrt(v), out);
}

int interval_ratio(const double *a, size_t na, const double *b, size_t nb, bool paired,
                   struct interval *out)
{
    if (!out || !a || !b || na < 2 || nb < 2)
        return fail(out);
    if (paired)
        return na == nb ? ratio_paired(a, b, na, out) : fail(out);
    return ratio_unpaired(a, na, b, nb, out);
}

bool interval_contains(const struct interval *iv, double v)
{
    return iv && iv->low <= v && v <= iv->high;
}

double interval_relative_width(const struct interval *iv, double mean)
{
    if (!iv || !(mean > 0.0) || !isfinite(mean))
        return NAN;
    return (iv->high - iv->low) / mean;
}
