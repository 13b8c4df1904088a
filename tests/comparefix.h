/*
 * comparefix.h — incbench JSON reports made to order for the --compare
 * tests: the members compare_read.c reads, with figures chosen by the test
 * so the answer is known beforehand. Tests only; fails the running Check
 * test on a surprise.
 */
#ifndef INCBENCH_TESTS_COMPAREFIX_H
#define INCBENCH_TESTS_COMPAREFIX_H

#include <jansson.h>
#include <stddef.h>

/* {"incbench": "0.1.0", "schema_version": 1, "machine": {...},
 *  "sections": []}: add sections with cf_add. */
json_t *cf_report(void);

/* A passed section whose repeats had these means (ns): mean_ns is their
 * average, p50 and p99 the average times 0.9 and 3. */
json_t *cf_section(const char *name, const double *repeat_means, size_t n);

/* A section with `status` (e.g. "failed") and no figures. */
json_t *cf_failed(const char *name, const char *status);

/* section (returned) as the run of `base` swept over key = value, the way
 * a report of issue 12 writes it ("base", "sweep": {key: value}). */
json_t *cf_swept(json_t *section, const char *base, const char *key, const char *value);

/* Append section (stolen) to report's "sections"; returns report. */
json_t *cf_add(json_t *report, json_t *section);

/* The report as text (malloc'd); the report is released. */
char *cf_text(json_t *report);

/* Write the report (released) to dir/name; the malloc'd path. */
char *cf_write(const char *dir, const char *name, json_t *report);

#endif
