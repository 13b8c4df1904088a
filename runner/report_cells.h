/*
 * report_cells.h — how the text table writes a figure (report.c; times are
 * grid.h's grid_time), shared
 * with the other faces of a run (report_html.c) so that every one shows
 * the same number the same way. Formatting only: the figures come from
 * figures.c.
 */
#ifndef INCBENCH_REPORT_CELLS_H
#define INCBENCH_REPORT_CELLS_H

#include "figures.h"
#include "result.h"

#include <stddef.h>

/* "950", "12.3 k", "1.2 M" (calls per second). */
void report_fmt_rate(double per_s, char *buf, size_t len);
/* "0.42x ±0.01", with " no clear difference"; "-" without a ratio. */
void report_ratio_cell(const struct figures *f, char *buf, size_t len);
/* The larger distance from centre to an end of iv ("±" must not understate). */
double report_half_width(const struct interval *iv, double centre);
/* "FAILED", "INTERRUPTED", "NOT RUN": a section without figures. */
const char *report_status_word(const struct result *r);
/* "in-process", "spawn", "thread", "external". */
const char *report_mode_text(const struct result *r);

#endif
