/*
 * sweep_chart.h — latency against a swept value (issue 12), as a Chart.js
 * config for htmlpage_chart: x is the value one swept key took, y the mean
 * (solid) and p99 (dotted) per call on a log axis, one line per section as
 * written, and per value of its other swept keys. x is numeric when every
 * value is a number or a size ("64k"), on a log axis when they span a
 * decade or more; otherwise the values stand in the order first written.
 */
#ifndef INCBENCH_SWEEP_CHART_H
#define INCBENCH_SWEEP_CHART_H

#include "figures.h"
#include "result.h"

#include <jansson.h>
#include <stddef.h>

/* Values whose largest is this many times the smallest above 0 are drawn
 * on a log axis. */
#define SWEEP_CHART_LOG_FROM 10.0

/* On a log axis 0 has no place: it is drawn this many times below the
 * smallest value above 0, and labelled 0. */
#define SWEEP_CHART_ZERO_BELOW 10.0

/* The keys a chart is drawn for: the first swept key of each run with
 * figures, each once, in run order; keys[0..return), at most max. */
size_t sweep_chart_keys(const struct result *results, const struct figures *f, size_t n,
                        const char **keys, size_t max);

/* The chart of `key` over every run swept on it; a run without figures is
 * a gap in its line. NULL when out of memory. */
json_t *sweep_chart(const struct result *results, const struct figures *f, size_t n,
                    const char *key);

#endif
