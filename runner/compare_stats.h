/*
 * compare_stats.h — whether one run's repeats are faster or slower than
 * another's: the Mann-Whitney U test (as Go's benchstat uses) on the
 * per-repeat means, two-sided, alpha 0.05. It assumes nothing about the
 * shape of the distribution, which repeat means of a shared machine do not
 * have. Pure arithmetic on arrays; no I/O.
 */
#ifndef INCBENCH_COMPARE_STATS_H
#define INCBENCH_COMPARE_STATS_H

#include <stdbool.h>
#include <stddef.h>

#define COMPARE_ALPHA 0.05

/* The exact distribution is tabulated when its table takes at most this
 * many steps (N samples x subset sizes x rank sums: about N <= 80 for two
 * equal samples); beyond, the normal approximation is close anyway. */
#define COMPARE_EXACT_STEPS 30000000.0

struct compare_test {
    double p;          /* two-sided p-value */
    double u_b;        /* U of sample b: how often a b-value beats an a-value (ties 1/2) */
    bool exact;        /* p from the exact distribution (ties included), else normal */
};

/* The test of a (na values) against b (nb values). -1 when a sample is
 * empty or holds a NaN, or memory ran out. */
int compare_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                         struct compare_test *t);

/* The smallest two-sided p that samples of these sizes can give at all
 * (fully separated, no ties): 2 / C(na + nb, na), at most 1. */
double compare_min_p(size_t na, size_t nb);

/* The fewest repeats per side with which n against n can reach p < alpha. */
unsigned compare_repeats_needed(double alpha);

enum compare_outcome {
    COMPARE_NONE,       /* nothing to test: a side has no repeats */
    COMPARE_SAME,       /* no clear difference: p >= alpha */
    COMPARE_FASTER,     /* b's times lower, p < alpha */
    COMPARE_SLOWER,     /* b's times higher, p < alpha */
    COMPARE_TOO_FEW,    /* these sizes cannot reach p < alpha, whatever the values */
};

struct compare_verdict {
    enum compare_outcome outcome;
    struct compare_test test;     /* valid unless COMPARE_NONE */
    unsigned need;                /* COMPARE_TOO_FEW: repeats per side that would do */
};

/* The verdict on b (times, lower is faster) against the baseline a. */
void compare_judge(const double *a, size_t na, const double *b, size_t nb,
                   struct compare_verdict *v);

/* (now - base) / base in %; NaN when base is 0. */
double compare_change(double base, double now);

#endif
