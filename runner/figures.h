/*
 * figures.h — every number a report shows, derived once from the results:
 * percentiles, totals, intervals, ratios and where each call's time went.
 * Every output format reads these; none computes its own.
 */
#ifndef INCBENCH_FIGURES_H
#define INCBENCH_FIGURES_H

#include "config.h"
#include "interval.h"
#include "result.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An interval of the mean wider than this share of the mean makes the
 * section "noisy". */
#define FIGURES_NOISE_WIDTH 0.10
/* The old rule, kept in JSON: repeat totals spreading wider than this. */
#define FIGURES_SPREAD_MARGIN 0.10

/* Whose counters the client's figures hold. */
enum figures_scope {
    SCOPE_IN_PROCESS,     /* no server: the plugin works inside the client */
    SCOPE_SEPARATE,       /* a spawned server: client and server apart */
    SCOPE_COMBINED,       /* server = thread: one process holds both */
    SCOPE_CLIENT_ONLY,    /* server = external: its counters are not ours */
};

/* One side's counters per measured call; a group not read is false. */
struct per_call {
    bool has_cpu, has_split, has_thread, has_switches, has_io;
    double cpu_ns, user_ns, sys_ns, thread_cpu_ns;
    double vol_switches, invol_switches, syscalls;
    uint64_t exited_threads;      /* whose switches went uncounted */
    char why[160];
};

struct figures {
    bool ok;                      /* has measurements */
    double mean, net;             /* ns */
    uint64_t p50, p90, p99, p999, min, max;
    double calls_per_s;
    uint64_t total_med, total_min, total_max;
    double spread;                /* (max - min) / median of totals */
    bool spread_noisy;            /* spread above FIGURES_SPREAD_MARGIN */
    bool has_mean_ci;             /* needs 2 repeats */
    struct interval mean_ci;
    bool noisy;                   /* interval of the mean too wide */
    uint64_t cold_med;            /* median of init + first call */
    double per_call_ns;           /* what ratios compare (see figures.c) */
    const char *baseline_run;     /* the run the ratio is against; NULL = none */
    double ratio;                 /* per_call / baseline's; 0 = none */
    bool has_ratio_ci, ratio_paired;
    struct interval ratio_ci;
    bool no_clear_difference;     /* the ratio's interval holds 1.0 */
    enum figures_scope scope;
    struct per_call client, server;  /* server: SCOPE_SEPARATE only */
    double wait_ns;               /* per call on neither CPU; NAN = unknown */
    /* Payload bytes one call moves, request and answer (2 x payload; the
     * value itself not counted), and those per second in MB (10^6 bytes);
     * mb_per_s is NAN without a payload or figures. */
    uint64_t bytes_per_call;
    double mb_per_s;
};

/* Fill f[0..n) for results[0..n). loop_cost_ns: the runner's own cost per
 * call. A ratio's interval is paired when cfg->order is interleaved and
 * both sections made the same number of repeats. cfg->baseline names one
 * run, which every run is compared to, or a swept section: each run is then
 * compared to the run of it whose values agree on every swept key the two
 * share (rest[payload=1k] to tcp[payload=1k]); a run with no such run, or
 * with several, has no ratio. */
void figures_derive(const struct config *cfg, const struct result *results, size_t n,
                    double loop_cost_ns, struct figures *f);

const char *figures_scope_name(enum figures_scope s);

#endif
