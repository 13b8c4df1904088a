/*
 * madefix.h — a section's results made by hand, for the tests of what reads
 * finished results (figures_test, html_test): a struct result wired to
 * arrays of its own, with its repeats done and its counters zeroed, for the
 * test to fill with the figures it wants. Tests only.
 */
#ifndef INCBENCH_TESTS_MADEFIX_H
#define INCBENCH_TESTS_MADEFIX_H

#include "config.h"
#include "histogram.h"
#include "result.h"
#include "usage.h"

#define MADE_MAXREP 8
#define MADE_REQUESTS 1000
#define MADE_MAXSWEEP 3

struct made {
    struct config_section sec;
    struct result r;
    struct histogram hist;
    uint64_t total[MADE_MAXREP], init[MADE_MAXREP], first[MADE_MAXREP];
    double mean[MADE_MAXREP];
    struct usage client[MADE_MAXREP], server[MADE_MAXREP];
    uint64_t tls_full[MADE_MAXREP], tls_resumed[MADE_MAXREP];
    struct config_sweep sweep[MADE_MAXSWEEP];
};

/* m as section `name` of MADE_REQUESTS calls per repeat, `repeats` (at
 * most MADE_MAXREP) of them done, in server mode `mode`, with `window`
 * chains; every figure zero and the histogram empty. */
void made_wire(struct made *m, const char *name, enum config_server mode, unsigned repeats,
               uint64_t window);

/* After made_wire: m is a run of the section `base` as written, swept over
 * key, value pairs (at most MADE_MAXSWEEP) ending with NULL, in the order
 * given: made_sweep(m, "tcp", "payload", "1k", NULL). A sweep over
 * `payload` sets m's payload too. */
void made_sweep(struct made *m, const char *base, ...);

#endif
