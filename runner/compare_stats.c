/*
 * compare_stats.c — see compare_stats.h. The exact p-value counts, for
 * every way of drawing the smaller sample's ranks from the pooled ones, the
 * rank sums that are as far from their mean as the observed one: a
 * knapsack-style table over (how many drawn, their rank sum). Ranks are
 * doubled so tied values' mid-ranks stay whole numbers, which makes the
 * same table exact with ties too.
 */
#include "compare_stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

struct tagged {
    double v;
    int in_a;
};

static int by_value(const void *x, const void *y)
{
    double a = ((const struct tagged *)x)->v, b = ((const struct tagged *)y)->v;
    return (a > b) - (a < b);
}

/* Doubled mid-ranks of the sorted pool into rank2; returns sum(t^3 - t)
 * over tie groups, for the normal approximation's variance. */
static double midranks(const struct tagged *pool, size_t n, uint64_t *rank2)
{
    double ties = 0;
    for (size_t i = 0; i < n; ) {
        size_t j = i + 1;
        while (j < n && pool[j].v == pool[i].v)
            j++;
        /* positions i+1 .. j share the rank (i+1+j)/2 */
        for (size_t k = i; k < j; k++)
            rank2[k] = (uint64_t)(i + 1 + j);
        double t = (double)(j - i);
        ties += t * t * t - t;
        i = j;
    }
    return ties;
}

/* P(|S - mean| >= dev) for S the doubled rank sum of m draws from rank2. */
static int exact_p(const uint64_t *rank2, size_t n, size_t m, uint64_t dev, double *p)
{
    uint64_t smax = 0;
    for (size_t i = 0; i < n; i++)
        smax += rank2[i];
    size_t width = (size_t)smax + 1;
    double *dp = calloc((m + 1) * width, sizeof *dp);
    if (dp == NULL)
        return -1;
    dp[0] = 1;
    uint64_t reach = 0;          /* the largest sum any table entry has yet */
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rank2[i];
        reach += r;
        size_t top = i + 1 < m ? i + 1 : m;
        for (size_t k = top; k >= 1; k--) {
            double *row = dp + k * width;
            const double *prev = dp + (k - 1) * width;
            for (uint64_t s = reach; s >= r; s--)
                row[s] += prev[s - r];
        }
    }
    const double *last = dp + m * width;
    uint64_t mean = (uint64_t)m * (uint64_t)(n + 1);
    double all = 0, tail = 0;
    for (uint64_t s = 0; s <= smax; s++) {
        all += last[s];
        uint64_t d = s > mean ? s - mean : mean - s;
        if (d >= dev)
            tail += last[s];
    }
    free(dp);
    *p = tail / all;
    return 0;
}

int compare_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                         struct compare_test *t)
{
    if (na == 0 || nb == 0)
        return -1;
    size_t n = na + nb;
    struct tagged *pool = malloc(n * sizeof *pool);
    uint64_t *rank2 = malloc(n * sizeof *rank2);
    int rc = -1;
    if (pool == NULL || rank2 == NULL)
        goto out;
    for (size_t i = 0; i < n; i++) {
        pool[i].in_a = i < na;
        pool[i].v = i < na ? a[i] : b[i - na];
        if (isnan(pool[i].v))
            goto out;
    }
    qsort(pool, n, sizeof *pool, by_value);
    double ties = midranks(pool, n, rank2);
    /* The smaller sample's draws make the smaller table; |S - mean| is the
     * same for either sample, the two sums adding up to a constant. */
    int small_is_a = na <= nb;
    size_t m = small_is_a ? na : nb;
    uint64_t sum_a2 = 0, sum_small2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (pool[i].in_a)
            sum_a2 += rank2[i];
        if (pool[i].in_a == small_is_a)
            sum_small2 += rank2[i];
    }
    double u_a = (double)sum_a2 / 2 - (double)na * (double)(na + 1) / 2;
    t->u_b = (double)na * (double)nb - u_a;
    uint64_t mean2 = (uint64_t)m * (uint64_t)(n + 1);
    uint64_t dev = sum_small2 > mean2 ? sum_small2 - mean2 : mean2 - sum_small2;
    double steps = (double)n * (double)(m + 1) * ((double)n * (double)(n + 1) + 1);
    t->exact = steps <= COMPARE_EXACT_STEPS;
    if (t->exact) {
        if (exact_p(rank2, n, m, dev, &t->p) != 0)
            goto out;
    } else {
        double mu = (double)na * (double)nb / 2;
        double var = (double)na * (double)nb / 12 *
                     ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
        double z = var > 0 ? (fabs(u_a - mu) - 0.5) / sqrt(var) : 0;
        t->p = z > 0 ? erfc(z / sqrt(2.0)) : 1;
    }
    if (t->p > 1)
        t->p = 1;
    rc = 0;
out:
    free(pool);
    free(rank2);
    return rc;
}

double compare_min_p(size_t na, size_t nb)
{
    double c = 1;     /* C(na + nb, na), built up so it stays a whole number */
    for (size_t i = 1; i <= na; i++)
        c = c * (double)(nb + i) / (double)i;
    double p = 2 / c;
    return p < 1 ? p : 1;
}

unsigned compare_repeats_needed(double alpha)
{
    unsigned n = 1;
    while (n < 1000 && compare_min_p(n, n) >= alpha)
        n++;
    return n;
}

void compare_judge(const double *a, size_t na, const double *b, size_t nb,
                   struct compare_verdict *v)
{
    v->outcome = COMPARE_NONE;
    v->need = 0;
    if (compare_mann_whitney(a, na, b, nb, &v->test) != 0)
        return;
    if (compare_min_p(na, nb) >= COMPARE_ALPHA) {
        v->outcome = COMPARE_TOO_FEW;
        v->need = compare_repeats_needed(COMPARE_ALPHA);
    } else if (v->test.p >= COMPARE_ALPHA) {
        v->outcome = COMPARE_SAME;
    } else {
        /* U of b below its mean: b's values mostly rank below a's. */
        v->outcome = v->test.u_b < (double)na * (double)nb / 2 ? COMPARE_FASTER
                                                               : COMPARE_SLOWER;
    }
}

double compare_change(double base, double now)
{
    return base != 0 ? 100 * (now - base) / base : NAN;
}
