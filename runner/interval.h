/*
 * interval.h — 95% confidence intervals for a section's mean time per call
 * and for its ratio to a baseline, computed from the repeats' means only
 * (one value per repeat: calls within a repeat are autocorrelated, repeats
 * are not). Pure arithmetic: no allocation, no global state, thread-safe.
 * On failure a function returns -1 and sets *out to {NAN, NAN}; the only
 * reasons are the ones listed at each function, so there is no err buffer.
 */
#ifndef INCBENCH_INTERVAL_H
#define INCBENCH_INTERVAL_H

#include <stdbool.h>
#include <stddef.h>

struct interval {
    double low, high; /* 95% */
};

/* Interval of the mean of the n repeat means x[0..n): Student t with n-1
 * degrees of freedom. -1 when n < 2, x is NULL, or any x is not finite. */
int interval_mean(const double *x, size_t n, struct interval *out);

/* Interval of mean(a)/mean(b). paired: a[k] and b[k] ran in the same round
 * (interleaved order), which requires na == nb and every value > 0; the
 * interval is then t over the per-round log ratios, centred on their
 * geometric mean (within a fraction of the width of mean(a)/mean(b) for
 * repeat means a few % apart). Unpaired: delta method on the log means with
 * Welch-Satterthwaite degrees of freedom, centred on mean(a)/mean(b).
 * -1 when either side has < 2 values, a pointer is NULL, a value is not
 * finite, a mean is <= 0, or paired with na != nb or a value <= 0. */
int interval_ratio(const double *a, size_t na, const double *b, size_t nb, bool paired,
                   struct interval *out);

/* Two-sided 95% Student-t quantile (the 0.975 point). Accurate to 1e-12
 * for every df; NaN for df 0. */
double interval_t975(unsigned df);

/* The same for a real df >= 1 (Welch's degrees of freedom are not whole);
 * NaN below 1 or for NaN; the normal quantile for +infinity. */
double interval_t975_real(double df);

/* low <= v <= high; false for NULL or NaN. */
bool interval_contains(const struct interval *iv, double v);

/* (high - low) / mean: the width as a fraction of the estimate; NaN when
 * iv is NULL or mean is not finite and > 0. */
double interval_relative_width(const struct interval *iv, double mean);

#endif
