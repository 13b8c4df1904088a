/*
 * renderfix.h — a run's report made from results made by hand (madefix.h)
 * and written to a string in any format, for the tests of the report's
 * faces (html_test, sweep_test). Tests only; fails the running Check test
 * on a surprise.
 */
#ifndef INCBENCH_TESTS_RENDERFIX_H
#define INCBENCH_TESTS_RENDERFIX_H

#include "report.h"

#include <jansson.h>
#include <stddef.h>

/* Bytes of a cell read back from a table (rf_table_cells, rf_html_cells). */
#define RF_CELL 128

/* A report of results[0..n) under cfg, on a made-up machine ("Test CPU
 * <1>", 2 cores) whose load check warns ("load is high & rising"). */
struct report rf_report(const struct config *cfg, const struct result *results, size_t n);

/* The report in format, as a malloc'd string; *rc gets report_write's. */
char *rf_render(const struct report *rep, enum config_format format, int *rc);

/* The cells of the text table's row for `name` (cells are two spaces
 * apart), at most max; how many. */
size_t rf_table_cells(const char *table, const char *name, char cells[][RF_CELL], size_t max);

#ifdef HAVE_CHARTJS

/* The page after the inlined Chart.js: what incbench itself wrote. */
const char *rf_own_part(const char *html);

/* The config of chart id, read back from its script (json_decref it). */
json_t *rf_chart_config(const char *html, const char *id);

/* Dataset i of a chart's config, and point i of dataset ds. */
const json_t *rf_dataset(const json_t *cfg_json, size_t i);
const json_t *rf_point(const json_t *cfg_json, size_t ds, int i);

/* The cells of the html results row whose first cell is `name`. */
size_t rf_html_cells(const char *html, const char *name, char cells[][RF_CELL], size_t max);

/* Section name's row has `n` cells in the text table and on the page, and
 * they are the same. */
void rf_same_cells(const char *table, const char *html, const char *name, size_t n);

#endif

#endif
