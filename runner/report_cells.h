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
#include "grid.h"
#include "result.h"

#include <stdbool.h>
#include <stddef.h>

/* The results table's columns, in every face (table, markdown, html). The
 * payload pair shows only when some section has a payload, so that a run
 * without one reads as before. */
enum report_col {
    RCOL_SECTION, RCOL_MEAN, RCOL_CI, RCOL_NET, RCOL_P50, RCOL_P90, RCOL_P99, RCOL_P999,
    RCOL_MAX, RCOL_RATE, RCOL_BYTES, RCOL_MBS, RCOL_TOTAL, RCOL_REPEATS, RCOL_RATIO,
    RCOL_N
};
_Static_assert(RCOL_N <= GRID_COLS, "the results table fits a grid");

/* The most of an endpoint a table cell shows (grid_elide). */
#define REPORT_ADDRESS_SHOWN 48

/* Its heads as the text table writes them ("x base" for the ratio). */
extern const char *const report_col_head[RCOL_N];

/* The columns shown, in order, in cols[0..return). */
int report_columns(bool payload, enum report_col *cols);

/* Whether any of results[0..n) has a payload. */
bool report_any_payload(const struct result *results, size_t n);

/* Every cell of r's row; a section without figures shows its status word
 * and "-". */
void report_result_cells(const struct result *r, const struct figures *f,
                         char cells[RCOL_N][GRID_CELL]);

/* Whether r starts a group of rows apart from prev's (NULL: r is first):
 * their sections as written differ and one of them was swept. */
bool report_new_group(const struct result *prev, const struct result *r);

/* "tcp: 4 runs over payload, window": the heading of r's group. */
void report_group_head(const struct result *results, size_t n, const struct result *r,
                       char *buf, size_t len);

/* "950", "12.3 k", "1.2 M" (calls per second). */
void report_fmt_rate(double per_s, char *buf, size_t len);
/* "0 B", "1000 B", "2 KiB", "2 MiB": exact, in the largest unit that is. */
void report_fmt_bytes(uint64_t bytes, char *buf, size_t len);
/* "0.42x ±0.01", with " no clear difference"; "-" without a ratio. */
void report_ratio_cell(const struct figures *f, char *buf, size_t len);
/* The larger distance from centre to an end of iv ("±" must not understate). */
double report_half_width(const struct interval *iv, double centre);
/* "FAILED", "INTERRUPTED", "NOT RUN": a section without figures. */
const char *report_status_word(const struct result *r);
/* "in-process", "spawn", "thread", "external". */
const char *report_mode_text(const struct result *r);

#endif
