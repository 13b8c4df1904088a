/*
 * nines_chart.h — the latency percentile chart, HdrHistogram style, as a
 * Chart.js config: x is the percentile on a "nines" scale (x = -log10(1 - p):
 * 0, 90, 99, 99.9 one step apart), y the latency on a log axis, one line per
 * histogram. The run's page draws a line per section, --compare a line per
 * report of one section.
 */
#ifndef INCBENCH_NINES_CHART_H
#define INCBENCH_NINES_CHART_H

#include "histogram.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct nines_line {
    const char *label;            /* any bytes: shown with '?' for what is not UTF-8 */
    const struct histogram *h;
    size_t colour;                /* an index into the chart's palette */
    bool dashed;                  /* pipelined, or otherwise set apart */
};

/* The chart's config (for htmlpage_chart), or NULL when out of memory. */
json_t *nines_chart(const struct nines_line *lines, size_t n);

#endif
