/*
 * figures.c — from raw results to the figures every report shows. Ratios
 * and waits compare "time per call": the mean latency of a dependent
 * section, and for a pipelined one (calls overlap) its wall time per call.
 */
#include "figures.h"

#include "report_sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..n) (n >= 1), sorting it in place. */
static uint64_t median(uint64_t *v, unsigned n, uint64_t *lo, uint64_t *hi)
{
    qsort(v, n, sizeof *v, cmp_u64);
    if (lo)
        *lo = v[0];
    if (hi)
        *hi = v[n - 1];
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const char *figures_scope_name(enum figures_scope s)
{
    switch (s) {
    case SCOPE_SEPARATE: return "client_and_server";
    case SCOPE_COMBINED: return "client_includes_server";
    case SCOPE_CLIENT_ONLY: return "client_only";
    default: return "in_process";
    }
}

/* Time per call of repeat k, as per_call_ns defines it. */
static double repeat_per_call(const struct result *r, unsigned k)
{
    if (r->sec->window > 1)
        return (double)r->total_ns[k] / (double)r->sec->requests;
    return r->mean_ns[k];
}

static void per_call_of(const struct usage *u, unsigned n, double calls, struct per_call *pc)
{
    struct usage sum;
    usage_zero(&sum);
    for (unsigned k = 0; k < n; k++)
        usage_add(&sum, &u[k]);
    memset(pc, 0, sizeof *pc);
    pc->has_cpu = sum.has_cpu;
    pc->has_split = sum.has_split;
    pc->exited_threads = sum.exited_threads;
    pc->has_thread = sum.has_thread;
    pc->has_switches = sum.has_switches;
    pc->has_io = sum.has_io;
    snprintf(pc->why, sizeof pc->why, "%s", sum.why);
    pc->cpu_ns = (double)sum.cpu_ns / calls;
    pc->user_ns = (double)sum.user_ns / calls;
    pc->sys_ns = (double)sum.sys_ns / calls;
    pc->thread_cpu_ns = (double)sum.thread_cpu_ns / calls;
    pc->vol_switches = (double)sum.vol_switches / calls;
    pc->invol_switches = (double)sum.invol_switches / calls;
    pc->syscalls = (double)sum.syscalls / calls;
}

static enum figures_scope scope_of(const struct result *r)
{
    switch (r->mode) {
    case SERVER_SPAWN: return SCOPE_SEPARATE;
    case SERVER_THREAD: return SCOPE_COMBINED;
    case SERVER_EXTERNAL: return SCOPE_CLIENT_ONLY;
    default: return SCOPE_IN_PROCESS;
    }
}

/* repeat can be 100000: the per-repeat scratch lives on the heap. */
static void derive_one(const struct result *r, double loop_cost_ns, struct figures *f)
{
    memset(f, 0, sizeof *f);
    f->wait_ns = NAN;
    f->mb_per_s = NAN;
    f->scope = scope_of(r);
    f->bytes_per_call = 2 * r->sec->payload;
    unsigned n = r->repeats_done;
    if (n == 0 || r->hist == NULL || r->hist->count == 0)
        return;
    uint64_t *scratch = malloc(n * sizeof *scratch);
    if (scratch == NULL)
        return;
    const struct config_section *s = r->sec;
    const struct histogram *h = r->hist;
    f->ok = true;
    f->mean = histogram_mean(h);
    f->net = s->window > 1 ? NAN : f->mean - loop_cost_ns;
    if (f->net < 0)
        f->net = 0;
    f->p50 = histogram_percentile(h, 50);
    f->p90 = histogram_percentile(h, 90);
    f->p99 = histogram_percentile(h, 99);
    f->p999 = histogram_percentile(h, 99.9);
    f->min = h->min;
    f->max = h->max;
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += r->total_ns[i];
    f->calls_per_s = sum ? (double)s->requests * n / ((double)sum / 1e9) : 0;
    if (f->bytes_per_call > 0)
        f->mb_per_s = (double)f->bytes_per_call * f->calls_per_s / 1e6;
    memcpy(scratch, r->total_ns, n * sizeof *scratch);
    f->total_med = median(scratch, n, &f->total_min, &f->total_max);
    f->spread = f->total_med ? (double)(f->total_max - f->total_min) / (double)f->total_med : 0;
    f->spread_noisy = n > 1 && f->spread > FIGURES_SPREAD_MARGIN;
    for (unsigned i = 0; i < n; i++)
        scratch[i] = r->init_ns[i] + r->first_ns[i];
    f->cold_med = median(scratch, n, NULL, NULL);

    f->has_mean_ci = interval_mean(r->mean_ns, n, &f->mean_ci) == 0;
    /* t is symmetric, times are not negative: a wide interval stops at 0. */
    if (f->has_mean_ci && f->mean_ci.low < 0)
        f->mean_ci.low = 0;
    f->noisy = f->has_mean_ci &&
               interval_relative_width(&f->mean_ci, f->mean) > FIGURES_NOISE_WIDTH;

    double calls = (double)s->requests * n;
    f->per_call_ns = s->window > 1 ? (double)sum / calls : f->mean;
    per_call_of(r->client_use, n, calls, &f->client);
    if (f->scope == SCOPE_SEPARATE)
        per_call_of(r->server_use, n, calls, &f->server);
    bool known = f->client.has_cpu &&
                 (f->scope != SCOPE_SEPARATE || f->server.has_cpu) &&
                 f->scope != SCOPE_CLIENT_ONLY;
    if (known) {
        double w = f->per_call_ns - f->client.cpu_ns -
                   (f->scope == SCOPE_SEPARATE ? f->server.cpu_ns : 0);
        f->wait_ns = w > 0 ? w : 0;
    }
    free(scratch);
}

/* The ratio's interval pairs repeat k of both sections when they ran in
 * one round (interleaved, same count); otherwise they are independent. */
static void ratio_of(const struct config *cfg, const struct result *r, struct figures *f,
                     const struct result *base, const struct figures *bf)
{
    if (bf->per_call_ns <= 0 || !f->ok || r->failed)
        return;
    f->ratio = f->per_call_ns / bf->per_call_ns;
    f->baseline_run = base->sec->name;
    unsigned na = r->repeats_done, nb = base->repeats_done;
    double *a = malloc(na * sizeof *a), *b = malloc(nb * sizeof *b);
    if (a != NULL && b != NULL) {
        for (unsigned k = 0; k < na; k++)
            a[k] = repeat_per_call(r, k);
        for (unsigned k = 0; k < nb; k++)
            b[k] = repeat_per_call(base, k);
        f->ratio_paired = cfg->order == ORDER_INTERLEAVED && na == nb;
        f->has_ratio_ci = interval_ratio(a, na, b, nb, f->ratio_paired, &f->ratio_ci) == 0;
        f->no_clear_difference = f->has_ratio_ci && r != base &&
                                 interval_contains(&f->ratio_ci, 1.0);
    }
    free(a);
    free(b);
}

/* Whether b's values agree with a's on every swept key both have. */
static bool agrees(const struct config_section *a, const struct config_section *b)
{
    for (size_t k = 0; k < a->n_sweep; k++) {
        const char *v = report_sweep_value(b, a->sweep[k].key);
        if (v != NULL && !report_sweep_same(a->sweep[k].value, v))
            return false;
    }
    return true;
}

/* The index of the run named `name`, or n for none. */
static size_t run_named(const char *name, const struct result *results, size_t n)
{
    size_t i = 0;
    while (i < n && strcmp(results[i].sec->name, name) != 0)
        i++;
    return i;
}

/* The index of the one run of the swept section `baseline` that agrees
 * with r, or n for none (and when several do: which would be a guess). */
static size_t baseline_of(const char *baseline, const struct result *results, size_t n,
                          const struct result *r)
{
    size_t found = n;
    for (size_t i = 0; i < n; i++) {
        const struct config_section *s = results[i].sec;
        if (strcmp(report_base(s), baseline) != 0 || !agrees(r->sec, s))
            continue;
        if (found != n)
            return n;
        found = i;
    }
    return found;
}

void figures_derive(const struct config *cfg, const struct result *results, size_t n,
                    double loop_cost_ns, struct figures *f)
{
    for (size_t i = 0; i < n; i++)
        derive_one(&results[i], loop_cost_ns, &f[i]);
    if (cfg->baseline == NULL)
        return;
    /* A run named `baseline` is every run's yardstick: found once. */
    const size_t named = run_named(cfg->baseline, results, n);
    for (size_t i = 0; i < n; i++) {
        size_t bi = named != n ? named : baseline_of(cfg->baseline, results, n, &results[i]);
        /* A failed baseline is no yardstick, even with some repeats done. */
        if (bi == n || results[bi].failed || !f[bi].ok)
            continue;
        ratio_of(cfg, &results[i], &f[i], &results[bi], &f[bi]);
    }
}
