/*
 * report_sweep.h — what the report makes of swept runs (issue 12): the
 * section a run was expanded from, the value one of its swept keys took,
 * and a swept value read as a number ("64k" is 65536) so that a chart can
 * place it and a baseline run can be matched to it. Reads config sections
 * only; never prints.
 */
#ifndef INCBENCH_REPORT_SWEEP_H
#define INCBENCH_REPORT_SWEEP_H

#include "config.h"

#include <stdbool.h>

/* The section as written: s->base, or s->name for a config that did not
 * fill it (one from before sweeps, or made by hand). */
const char *report_base(const struct config_section *s);

/* The value s's run took for swept `key`, or NULL when key is not swept. */
const char *report_sweep_value(const struct config_section *s, const char *key);

/* v as a number: a decimal (sign and fraction allowed) with an optional
 * k, m or g (powers of 1024, either case), as sizes are written. false for
 * anything else ("fast", "0x10", "1e3k", ""). */
bool report_sweep_number(const char *v, double *out);

/* Whether two written values are one: the same text, or numbers that are
 * equal ("1k" and "1024"). */
bool report_sweep_same(const char *a, const char *b);

#endif
