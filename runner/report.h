/*
 * report.h — turning results into a table, JSON or CSV. Works only on the
 * finished results; never runs anything.
 */
#ifndef INCBENCH_REPORT_H
#define INCBENCH_REPORT_H

#include "config.h"
#include "envcheck.h"
#include "machine.h"
#include "result.h"

#include <stdio.h>

/* The layout of the JSON report. Raise it when a member is removed or
 * changes meaning (adding one does not), so that `--compare` can refuse a
 * file it would misread instead of guessing. */
#define REPORT_SCHEMA_VERSION 1

struct report {
    const struct config *cfg;
    const struct result *results;
    size_t n;
    double loop_cost_ns;          /* the runner's own cost per call */
    struct machine machine;
    struct envcheck env;          /* what about the machine could bend the figures */
};

int report_write(const struct report *rep, enum config_format format, FILE *out);

/* The report in the config's format on stdout and, with `output =`, in
 * that file too: the one way a run's report leaves the runner, at its end
 * or when it ends early (watch.c). -1 with one sentence when either failed;
 * the other is still written. */
int report_deliver(const struct report *rep, char *err, size_t errlen);

#endif
