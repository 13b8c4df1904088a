/*
 * compare_stats_test.c — the Mann-Whitney U test of --compare against
 * p-values worked out apart from it: by hand (fully separated samples:
 * 2 / C(n1 + n2, n1)) and by a Python enumeration of every subset of ranks
 * (itertools.combinations, ties as mid-ranks) or, for 40 against 40, a
 * Python table over exact integers; the normal approximation against its
 * formula evaluated in Python. Also the verdict built on it.
 */
#include "compare_stats.h"
#include "testutil.h"

#include <check.h>
#include <math.h>


static double p_of(const double *a, size_t na, const double *b, size_t nb, bool *exact)
{
    struct compare_test t;
    ck_assert_int_eq(compare_mann_whitney(a, na, b, nb, &t), 0);
    if (exact != NULL)
        *exact = t.exact;
    return t.p;
}

START_TEST(separated_five_against_five_is_2_of_252)
{
    const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
    bool exact;
    ck_assert_double_eq_tol(p_of(a, 5, b, 5, &exact), 2.0 / 252, 1e-12);
    ck_assert(exact);
    /* the same the other way round, and in any order */
    const double b_shuffled[] = { 9, 6, 10, 8, 7 };
    ck_assert_double_eq_tol(p_of(b_shuffled, 5, a, 5, NULL), 2.0 / 252, 1e-12);
}
END_TEST

START_TEST(separated_small_samples_by_hand)
{
    const double a[] = { 1, 2, 3, 4 }, b[] = { 11, 12, 13, 14 };
    ck_assert_double_eq_tol(p_of(a, 3, b, 3, NULL), 2.0 / 20, 1e-12);
    ck_assert_double_eq_tol(p_of(a, 4, b, 4, NULL), 2.0 / 70, 1e-12);
    ck_assert_double_eq_tol(p_of(a, 2, b, 2, NULL), 1.0 / 3, 1e-12);
    ck_assert_double_eq_tol(p_of(a, 1, b, 1, NULL), 1.0, 1e-12);
}
END_TEST

START_TEST(interleaved_samples_match_enumeration)
{
    /* python: 174 of 252 subsets as far from the mean rank sum */
    const double a[] = { 1, 3, 5, 7, 9 }, b[] = { 2, 4, 6, 8, 10 };
    ck_assert_double_eq_tol(p_of(a, 5, b, 5, NULL), 174.0 / 252, 1e-12);
    /* unequal sizes, 3 against 7: 62 of 120 */
    const double c[] = { 10, 12, 30 }, d[] = { 11, 13, 14, 15, 16, 17, 40 };
    ck_assert_double_eq_tol(p_of(c, 3, d, 7, NULL), 62.0 / 120, 1e-12);
    ck_assert_double_eq_tol(p_of(d, 7, c, 3, NULL), 62.0 / 120, 1e-12);
}
END_TEST

START_TEST(ties_use_mid_ranks_exactly)
{
    /* python, mid-ranks: 14 of 70, and 13 of 462 */
    const double a[] = { 1, 2, 2, 3 }, b[] = { 2, 3, 4, 5 };
    bool exact;
    ck_assert_double_eq_tol(p_of(a, 4, b, 4, &exact), 14.0 / 70, 1e-12);
    ck_assert(exact);
    const double c[] = { 1, 1, 2, 2, 3 }, d[] = { 2, 3, 3, 4, 4, 4 };
    ck_assert_double_eq_tol(p_of(c, 5, d, 6, NULL), 13.0 / 462, 1e-12);
}
END_TEST

START_TEST(identical_samples_give_p_1)
{
    const double a[] = { 5, 1, 4, 2, 3 };
    ck_assert_double_eq_tol(p_of(a, 5, a, 5, NULL), 1.0, 1e-12);
    const double same[] = { 7, 7, 7, 7, 7, 7, 7 };
    ck_assert_double_eq_tol(p_of(same, 3, same, 4, NULL), 1.0, 1e-12);
}
END_TEST

static void pattern(double *v, size_t n, unsigned mul, unsigned mod, double add)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (double)((i * mul) % mod) + add;
}

START_TEST(forty_against_forty_is_still_exact)
{
    double a[40], b[40];
    pattern(a, 40, 37, 101, 0);
    pattern(b, 40, 53, 97, 25);
    bool exact;
    /* python, exact integers over C(80, 40) subsets */
    ck_assert_double_eq_tol(p_of(a, 40, b, 40, &exact), 0.007042318374248259, 1e-9);
    ck_assert(exact);
    pattern(b, 40, 53, 97, 10);
    ck_assert_double_eq_tol(p_of(a, 40, b, 40, NULL), 0.5195603979739278, 1e-9);
}
END_TEST

START_TEST(large_samples_use_the_normal_approximation_with_ties)
{
    double a[100], b[100];
    pattern(a, 100, 37, 101, 0);
    pattern(b, 100, 53, 97, 15);
    bool exact;
    /* python: erfc((|U - n1 n2 / 2| - 0.5) / sigma / sqrt 2), sigma with
     * the tie correction (these samples tie across and within) */
    ck_assert_double_eq_tol(p_of(a, 100, b, 100, &exact), 0.004643670737284528, 1e-9);
    ck_assert(!exact);
    pattern(b, 100, 53, 97, 5);
    ck_assert_double_eq_tol(p_of(a, 100, b, 100, NULL), 0.5749477809179973, 1e-9);
}
END_TEST

START_TEST(empty_or_nan_samples_are_refused)
{
    const double a[] = { 1, 2, 3 }, bad[] = { 1, NAN, 3 };
    struct compare_test t;
    ck_assert_int_eq(compare_mann_whitney(a, 0, a, 3, &t), -1);
    ck_assert_int_eq(compare_mann_whitney(a, 3, a, 0, &t), -1);
    ck_assert_int_eq(compare_mann_whitney(a, 3, bad, 3, &t), -1);
}
END_TEST

START_TEST(min_p_and_repeats_needed)
{
    ck_assert_double_eq_tol(compare_min_p(5, 5), 2.0 / 252, 1e-12);
    ck_assert_double_eq_tol(compare_min_p(2, 2), 2.0 / 6, 1e-12);
    ck_assert_double_eq_tol(compare_min_p(1, 1), 1.0, 1e-12);
    ck_assert_double_eq_tol(compare_min_p(2, 8), 2.0 / 45, 1e-12);
    /* 3 vs 3 reaches 0.1 at best, 4 vs 4 2/70 = 0.029 */
    ck_assert_uint_eq(compare_repeats_needed(0.05), 4);
    ck_assert_uint_eq(compare_repeats_needed(0.01), 5);
}
END_TEST

START_TEST(verdict_slower_faster_same)
{
    const double base[] = { 1000, 1010, 1020, 1030, 1040 };
    const double twice[] = { 2000, 2020, 2040, 2060, 2080 };
    const double half[] = { 500, 505, 510, 515, 520 };
    const double mixed[] = { 1005, 1015, 1025, 1035, 1045 };
    struct compare_verdict v;
    compare_judge(base, 5, twice, 5, &v);
    ck_assert_int_eq(v.outcome, COMPARE_SLOWER);
    ck_assert_double_eq_tol(v.test.p, 2.0 / 252, 1e-12);
    compare_judge(base, 5, half, 5, &v);
    ck_assert_int_eq(v.outcome, COMPARE_FASTER);
    compare_judge(base, 5, base, 5, &v);
    ck_assert_int_eq(v.outcome, COMPARE_SAME);
    compare_judge(base, 5, mixed, 5, &v);
    ck_assert_int_eq(v.outcome, COMPARE_SAME);
    ck_assert(v.test.p >= COMPARE_ALPHA);
}
END_TEST

START_TEST(verdict_too_few_repeats_says_how_many)
{
    const double base[] = { 1000, 1010, 1020 }, twice[] = { 2000, 2020, 2040 };
    struct compare_verdict v;
    compare_judge(base, 2, twice, 2, &v);
    ck_assert_int_eq(v.outcome, COMPARE_TOO_FEW);
    ck_assert_uint_eq(v.need, 4);
    compare_judge(base, 3, twice, 3, &v);
    ck_assert_int_eq(v.outcome, COMPARE_TOO_FEW);
    compare_judge(base, 0, twice, 3, &v);
    ck_assert_int_eq(v.outcome, COMPARE_NONE);
}
END_TEST

START_TEST(change_in_percent)
{
    ck_assert_double_eq_tol(compare_change(100, 200), 100, 1e-12);
    ck_assert_double_eq_tol(compare_change(200, 150), -25, 1e-12);
    ck_assert(isnan(compare_change(0, 5)));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compare_stats");
    TCase *tc = tcase_create("mann_whitney");
    tcase_add_test(tc, separated_five_against_five_is_2_of_252);
    tcase_add_test(tc, separated_small_samples_by_hand);
    tcase_add_test(tc, interleaved_samples_match_enumeration);
    tcase_add_test(tc, ties_use_mid_ranks_exactly);
    tcase_add_test(tc, identical_samples_give_p_1);
    tcase_add_test(tc, forty_against_forty_is_still_exact);
    tcase_add_test(tc, large_samples_use_the_normal_approximation_with_ties);
    tcase_add_test(tc, empty_or_nan_samples_are_refused);
    tcase_add_test(tc, min_p_and_repeats_needed);
    suite_add_tcase(s, tc);
    TCase *tv = tcase_create("verdict");
    tcase_add_test(tv, verdict_slower_faster_same);
    tcase_add_test(tv, verdict_too_few_repeats_says_how_many);
    tcase_add_test(tv, change_in_percent);
    suite_add_tcase(s, tv);
    return tu_run_suite(s);
}
