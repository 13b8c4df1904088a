/*
 * report_html.h — `format = html`: one run as a self-contained page with
 * its header, results table and charts (report_html.c).
 */
#ifndef INCBENCH_REPORT_HTML_H
#define INCBENCH_REPORT_HTML_H

#include "figures.h"
#include "report.h"

#include <stdio.h>

/* The page for rep, whose figures are f[0..rep->n). -1 when this build
 * has no Chart.js (config.c refuses format = html then) or writing failed. */
int report_html_write(const struct report *rep, const struct figures *f, FILE *out);

#endif
