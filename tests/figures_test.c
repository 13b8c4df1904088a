/*
 * figures_test.c — runner/figures.c on results made by hand: CPU, switches
 * and waits per call (and their division by every measured call), whose
 * counters a scope holds, the noisy rule, ratios with their intervals,
 * "no clear difference", when a ratio's interval is paired, pipelined time
 * per call, and a failed baseline; payload bytes and MB/s; and a baseline
 * that names a swept section, paired run by run on the values both share.
 */
#include "figures.h"
#include "madefix.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUESTS MADE_REQUESTS

static void make(struct made *m, const char *name, enum config_server mode,
                 const double *means, unsigned n, double cpu_c, double cpu_s)
{
    made_wire(m, name, mode, n, 1);
    for (unsigned k = 0; k < n; k++) {
        m->mean[k] = means[k];
        m->total[k] = (uint64_t)(means[k] * REQUESTS);
        for (unsigned i = 0; i < REQUESTS; i++)
            histogram_record(&m->hist, (uint64_t)means[k]);
        m->client[k].cpu_ns = (uint64_t)(cpu_c * REQUESTS);
        m->client[k].vol_switches = REQUESTS;
        m->client[k].syscalls = 2 * REQUESTS;
        m->server[k].cpu_ns = (uint64_t)(cpu_s * REQUESTS);
        m->server[k].user_ns = (uint64_t)(cpu_s * REQUESTS);
        m->server[k].vol_switches = REQUESTS;
    }
}

static struct config cfg_of(const char *baseline, enum config_order order)
{
    struct config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.baseline = baseline;
    cfg.order = order;
    return cfg;
}

/* The runner's own cost per call that figures_derive takes out. */
#define LOOP_COST_NS 25

/* f for the section m alone, interleaved, with no baseline. */
static void derive_one(const struct made *m, struct figures *f)
{
    const struct config cfg = cfg_of(NULL, ORDER_INTERLEAVED);
    figures_derive(&cfg, &m->r, 1, LOOP_COST_NS, f);
}

static const double flat[5] = { 5000, 5000, 5000, 5000, 5000 };

START_TEST(per_call_figures_divide_by_every_measured_call)
{
    struct made m;
    make(&m, "tcp", SERVER_SPAWN, flat, 5, 2000, 1000);
    struct figures f;
    derive_one(&m, &f);
    ck_assert(f.ok);
    ck_assert_int_eq(f.scope, SCOPE_SEPARATE);
    ck_assert_double_eq_tol(f.client.cpu_ns, 2000, 1e-9);
    ck_assert_double_eq_tol(f.server.cpu_ns, 1000, 1e-9);
    ck_assert_double_eq_tol(f.server.user_ns, 1000, 1e-9);
    ck_assert_uint_eq(f.server.exited_threads, 0);
    m.server[2].exited_threads = 1;
    derive_one(&m, &f);
    ck_assert_uint_eq(f.server.exited_threads, 1);
    ck_assert_double_eq_tol(f.client.vol_switches, 1, 1e-9);
    ck_assert_double_eq_tol(f.client.syscalls, 2, 1e-9);
    ck_assert_double_eq_tol(f.per_call_ns, 5000, 40);   /* histogram bucket middle */
    ck_assert_double_eq_tol(f.wait_ns, f.per_call_ns - 3000, 1e-9);
}
END_TEST

START_TEST(wait_is_floored_at_zero)
{
    struct made m;
    make(&m, "busy", SERVER_SPAWN, flat, 5, 4000, 4000);
    struct figures f;
    derive_one(&m, &f);
    ck_assert_double_eq(f.wait_ns, 0);
}
END_TEST

START_TEST(scopes)
{
    struct made m;
    struct figures f;
    /* thread: the client's process holds the server; its CPU is all of it */
    make(&m, "t", SERVER_THREAD, flat, 5, 3000, 999999);
    derive_one(&m, &f);
    ck_assert_int_eq(f.scope, SCOPE_COMBINED);
    ck_assert_double_eq_tol(f.wait_ns, f.per_call_ns - 3000, 1e-9);
    /* external: the server's CPU is unknown, and so is the wait */
    make(&m, "e", SERVER_EXTERNAL, flat, 5, 3000, 1000);
    derive_one(&m, &f);
    ck_assert_int_eq(f.scope, SCOPE_CLIENT_ONLY);
    ck_assert(isnan(f.wait_ns));
    /* in-process */
    make(&m, "d", SERVER_DEFAULT, flat, 5, 3000, 1000);
    derive_one(&m, &f);
    ck_assert_int_eq(f.scope, SCOPE_IN_PROCESS);
}
END_TEST

START_TEST(an_unread_counter_stays_unread)
{
    struct made m;
    make(&m, "tcp", SERVER_SPAWN, flat, 5, 2000, 1000);
    m.server[3].has_io = false;
    m.server[3].has_cpu = false;
    snprintf(m.server[3].why, sizeof m.server[3].why, "cannot read /proc/9/io: denied");
    struct figures f;
    derive_one(&m, &f);
    ck_assert(!f.server.has_io);
    ck_assert(!f.server.has_cpu);
    ck_assert(f.client.has_io);
    ck_assert_str_eq(f.server.why, "cannot read /proc/9/io: denied");
    ck_assert(isnan(f.wait_ns));      /* no server CPU, no wait */
}
END_TEST

START_TEST(noisy_follows_the_interval_width)
{
    struct made m;
    struct figures f;
    static const double steady[5] = { 5000, 5010, 4990, 5005, 4995 };
    make(&m, "s", SERVER_SPAWN, steady, 5, 1, 1);
    derive_one(&m, &f);
    ck_assert(f.has_mean_ci && !f.noisy);
    static const double wild[5] = { 5000, 7000, 3000, 6000, 4000 };
    make(&m, "w", SERVER_SPAWN, wild, 5, 1, 1);
    derive_one(&m, &f);
    ck_assert(f.has_mean_ci && f.noisy);
    ck_assert_double_ge(f.mean_ci.low, 0);
    /* one repeat: no interval, so never called noisy */
    /* a t interval around a mean of few, scattered repeats would pass 0 */
    static const double wilder[3] = { 100, 100, 20000 };
    make(&m, "x", SERVER_SPAWN, wilder, 3, 1, 1);
    derive_one(&m, &f);
    ck_assert(f.has_mean_ci);
    ck_assert_double_eq(f.mean_ci.low, 0);
    make(&m, "one", SERVER_SPAWN, wild, 1, 1, 1);
    derive_one(&m, &f);
    ck_assert(!f.has_mean_ci && !f.noisy);
}
END_TEST

static void pair(const double *a, unsigned na, const double *b, unsigned nb,
                 enum config_order order, struct figures f[2])
{
    static struct made m[2];
    make(&m[0], "base", SERVER_SPAWN, a, na, 1, 1);
    make(&m[1], "other", SERVER_SPAWN, b, nb, 1, 1);
    struct result r[2] = { m[0].r, m[1].r };
    struct config cfg = cfg_of("base", order);
    figures_derive(&cfg, r, 2, LOOP_COST_NS, f);
}

START_TEST(twice_as_slow_is_a_clear_difference)
{
    static const double a[5] = { 5000, 5100, 4900, 5050, 4950 };
    static const double b[5] = { 10000, 10200, 9800, 10100, 9900 };
    struct figures f[2];
    pair(a, 5, b, 5, ORDER_INTERLEAVED, f);
    ck_assert_double_eq_tol(f[0].ratio, 1, 1e-9);
    ck_assert_double_eq_tol(f[1].ratio, 2, 0.02);
    ck_assert(f[1].has_ratio_ci && f[1].ratio_paired);
    ck_assert(!f[1].no_clear_difference);
    ck_assert(f[1].ratio_ci.low < 2 && f[1].ratio_ci.high > 1.99);
}
END_TEST

START_TEST(the_same_within_noise_is_no_clear_difference)
{
    static const double a[5] = { 5000, 5100, 4900, 5050, 4950 };
    static const double b[5] = { 4950, 5150, 4950, 5000, 4990 };
    struct figures f[2];
    pair(a, 5, b, 5, ORDER_INTERLEAVED, f);
    ck_assert(f[1].no_clear_difference);
    ck_assert(!f[0].no_clear_difference);      /* the baseline is not compared to itself */
}
END_TEST

START_TEST(paired_only_when_rounds_match)
{
    static const double a[5] = { 5000, 5100, 4900, 5050, 4950 };
    struct figures f[2];
    pair(a, 5, a, 5, ORDER_SEQUENTIAL, f);
    ck_assert(f[1].has_ratio_ci && !f[1].ratio_paired);
    pair(a, 5, a, 3, ORDER_INTERLEAVED, f);   /* one dropped out after round 3 */
    ck_assert(f[1].has_ratio_ci && !f[1].ratio_paired);
}
END_TEST

START_TEST(pipelined_time_per_call_is_wall_time)
{
    struct made m;
    make(&m, "p", SERVER_SPAWN, flat, 5, 1, 1);
    m.sec.window = 16;
    for (unsigned k = 0; k < 5; k++)
        m.total[k] = 1000 * REQUESTS;     /* overlapped: 1 µs of wall time per call */
    struct figures f;
    derive_one(&m, &f);
    ck_assert_double_eq_tol(f.per_call_ns, 1000, 1e-9);
    ck_assert(isnan(f.net));
}
END_TEST

START_TEST(a_failed_baseline_gives_no_ratio)
{
    static const double a[5] = { 5000, 5100, 4900, 5050, 4950 };
    static struct made m[2];
    make(&m[0], "base", SERVER_SPAWN, a, 2, 1, 1);
    make(&m[1], "other", SERVER_SPAWN, a, 5, 1, 1);
    m[0].r.failed = true;
    struct result r[2] = { m[0].r, m[1].r };
    struct config cfg = cfg_of("base", ORDER_INTERLEAVED);
    struct figures f[2];
    figures_derive(&cfg, r, 2, LOOP_COST_NS, f);
    ck_assert_double_eq(f[1].ratio, 0);
    ck_assert(!f[1].has_ratio_ci);
}
END_TEST


/* ---- payloads and sweeps (issue 12) ---- */

START_TEST(bytes_per_call_and_mb_per_s_count_both_ways)
{
    struct made m;
    make(&m, "tcp[payload=1k]", SERVER_SPAWN, flat, 5, 1, 1);
    m.sec.payload = 1024;
    struct figures f;
    derive_one(&m, &f);
    ck_assert_uint_eq(f.bytes_per_call, 2048);
    /* 5 µs a call: 200 000 calls/s of 2048 bytes, MB = 10^6 bytes */
    ck_assert_double_eq_tol(f.calls_per_s, 200000, 1e-6);
    ck_assert_double_eq_tol(f.mb_per_s, 409.6, 1e-9);
    m.sec.payload = 0;
    derive_one(&m, &f);
    ck_assert_uint_eq(f.bytes_per_call, 0);
    ck_assert(isnan(f.mb_per_s));
    /* no figures, no rate, but the bytes a call would move are known */
    m.sec.payload = 64;
    m.r.repeats_done = 0;
    derive_one(&m, &f);
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.bytes_per_call, 128);
    ck_assert(isnan(f.mb_per_s));
}
END_TEST

/* Runs made to order, derived together. */
#define MAXRUNS 8
static struct made runs[MAXRUNS];
static struct result run_results[MAXRUNS];
static size_t n_runs;

/* A run of base (NULL: unswept) whose calls take about ns, swept over
 * k1 = v1 and, unless k2 is NULL, k2 = v2. */
static void swept(const char *name, const char *base, double ns, const char *k1,
                  const char *v1, const char *k2, const char *v2)
{
    ck_assert_uint_lt(n_runs, MAXRUNS);
    const double means[3] = { ns, ns * 1.01, ns * 0.99 };
    struct made *m = &runs[n_runs++];
    make(m, name, SERVER_SPAWN, means, 3, 1, 1);
    if (base != NULL)
        made_sweep(m, base, k1, v1, k2, v2, (const char *)NULL);
}

static void derive_runs(const char *baseline, struct figures *f)
{
    for (size_t i = 0; i < n_runs; i++) {
        run_results[i] = runs[i].r;
        run_results[i].sec = &runs[i].sec;
    }
    struct config cfg = cfg_of(baseline, ORDER_INTERLEAVED);
    figures_derive(&cfg, run_results, n_runs, LOOP_COST_NS, f);
}

static void no_runs(void)
{
    n_runs = 0;
}

START_TEST(a_swept_baseline_pairs_runs_with_the_same_values)
{
    enum { TCP0, TCP1K, REST0, REST1K, REST64K, DIRECT };
    swept("tcp[payload=0]", "tcp", 1000, "payload", "0", NULL, NULL);
    swept("tcp[payload=1k]", "tcp", 2000, "payload", "1k", NULL, NULL);
    swept("rest[payload=0]", "rest", 3000, "payload", "0", NULL, NULL);
    swept("rest[payload=1024]", "rest", 8000, "payload", "1024", NULL, NULL);
    swept("rest[payload=64k]", "rest", 9000, "payload", "64k", NULL, NULL);
    swept("direct", NULL, 50, NULL, NULL, NULL, NULL);
    struct figures f[MAXRUNS];
    derive_runs("tcp", f);
    ck_assert_double_eq_tol(f[TCP0].ratio, 1, 1e-9);
    ck_assert_double_eq_tol(f[TCP1K].ratio, 1, 1e-9);
    ck_assert_str_eq(f[TCP1K].baseline_run, "tcp[payload=1k]");
    ck_assert_double_eq_tol(f[REST0].ratio, 3, 0.05);
    ck_assert_str_eq(f[REST0].baseline_run, "tcp[payload=0]");
    /* 1024 is 1k: the same payload, however written */
    ck_assert_double_eq_tol(f[REST1K].ratio, 4, 0.05);
    ck_assert_str_eq(f[REST1K].baseline_run, "tcp[payload=1k]");
    ck_assert(f[REST1K].has_ratio_ci && !f[REST1K].no_clear_difference);
    /* tcp ran no 64k: no ratio rather than one against another size */
    ck_assert_double_eq(f[REST64K].ratio, 0);
    ck_assert_ptr_null(f[REST64K].baseline_run);
    ck_assert(!f[REST64K].has_ratio_ci);
    /* unswept: every tcp run agrees with it, so none is its baseline */
    ck_assert_double_eq(f[DIRECT].ratio, 0);
}
END_TEST

START_TEST(a_second_swept_key_is_matched_only_where_both_have_it)
{
    enum { TCP0, TCP1K, GRPC1K_W1, GRPC1K_W4, GRPC0_W4 };
    swept("tcp[payload=0]", "tcp", 1000, "payload", "0", NULL, NULL);
    swept("tcp[payload=1k]", "tcp", 2000, "payload", "1k", NULL, NULL);
    swept("grpc[payload=1k,window=1]", "grpc", 6000, "payload", "1k", "window", "1");
    swept("grpc[payload=1k,window=4]", "grpc", 4000, "payload", "1k", "window", "4");
    swept("grpc[payload=0,window=4]", "grpc", 5000, "payload", "0", "window", "4");
    struct figures f[MAXRUNS];
    derive_runs("tcp", f);
    ck_assert_double_eq_tol(f[GRPC1K_W1].ratio, 3, 0.05);
    ck_assert_double_eq_tol(f[GRPC1K_W4].ratio, 2, 0.05);
    ck_assert_double_eq_tol(f[GRPC0_W4].ratio, 5, 0.05);
    ck_assert_str_eq(f[GRPC0_W4].baseline_run, "tcp[payload=0]");
    /* The other way round, tcp[payload=1k] would match two grpc runs
     * (window 1 and 4): a guess, so no ratio. */
    derive_runs("grpc", f);
    ck_assert_double_eq(f[TCP1K].ratio, 0);
    ck_assert_double_eq_tol(f[TCP0].ratio, 0.2, 0.01);
    ck_assert_double_eq_tol(f[GRPC1K_W4].ratio, 1, 1e-9);
}
END_TEST

START_TEST(a_baseline_naming_one_run_is_everyones_yardstick)
{
    enum { TCP0, TCP1K, REST0, DIRECT };
    swept("tcp[payload=0]", "tcp", 1000, "payload", "0", NULL, NULL);
    swept("tcp[payload=1k]", "tcp", 2000, "payload", "1k", NULL, NULL);
    swept("rest[payload=0]", "rest", 3000, "payload", "0", NULL, NULL);
    swept("direct", NULL, 50, NULL, NULL, NULL, NULL);
    struct figures f[MAXRUNS];
    derive_runs("tcp[payload=1k]", f);
    ck_assert_double_eq_tol(f[TCP0].ratio, 0.5, 0.01);
    ck_assert_double_eq_tol(f[REST0].ratio, 1.5, 0.02);
    ck_assert_double_eq_tol(f[DIRECT].ratio, 0.025, 0.001);
    ck_assert_str_eq(f[REST0].baseline_run, "tcp[payload=1k]");
    /* and an unswept base section, as before sweeps */
    derive_runs("direct", f);
    ck_assert_double_eq_tol(f[REST0].ratio, 60, 1);
    ck_assert_str_eq(f[TCP0].baseline_run, "direct");
}
END_TEST

START_TEST(a_failed_baseline_run_takes_only_its_own_ratio)
{
    enum { TCP0, TCP1K, REST0, REST1K };
    swept("tcp[payload=0]", "tcp", 1000, "payload", "0", NULL, NULL);
    swept("tcp[payload=1k]", "tcp", 2000, "payload", "1k", NULL, NULL);
    swept("rest[payload=0]", "rest", 3000, "payload", "0", NULL, NULL);
    swept("rest[payload=1k]", "rest", 8000, "payload", "1k", NULL, NULL);
    runs[TCP1K].r.failed = true;
    struct figures f[MAXRUNS];
    derive_runs("tcp", f);
    ck_assert_double_eq(f[REST1K].ratio, 0);
    ck_assert_ptr_null(f[REST1K].baseline_run);
    ck_assert_double_eq_tol(f[REST0].ratio, 3, 0.05);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("figures");
    TCase *t = tcase_create("per call");
    tcase_add_test(t, per_call_figures_divide_by_every_measured_call);
    tcase_add_test(t, wait_is_floored_at_zero);
    tcase_add_test(t, scopes);
    tcase_add_test(t, an_unread_counter_stays_unread);
    suite_add_tcase(s, t);
    t = tcase_create("intervals");
    tcase_add_test(t, noisy_follows_the_interval_width);
    tcase_add_test(t, twice_as_slow_is_a_clear_difference);
    tcase_add_test(t, the_same_within_noise_is_no_clear_difference);
    tcase_add_test(t, paired_only_when_rounds_match);
    tcase_add_test(t, pipelined_time_per_call_is_wall_time);
    tcase_add_test(t, a_failed_baseline_gives_no_ratio);
    suite_add_tcase(s, t);
    t = tcase_create("payloads and sweeps");
    tcase_add_checked_fixture(t, no_runs, NULL);
    tcase_add_test(t, bytes_per_call_and_mb_per_s_count_both_ways);
    tcase_add_test(t, a_swept_baseline_pairs_runs_with_the_same_values);
    tcase_add_test(t, a_second_swept_key_is_matched_only_where_both_have_it);
    tcase_add_test(t, a_baseline_naming_one_run_is_everyones_yardstick);
    tcase_add_test(t, a_failed_baseline_run_takes_only_its_own_ratio);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
