/*
 * report_tls.h — how every face of a run shows TLS handshakes (ABI minor
 * 3's stats members, summed by run.c). Apart from report.c so that the
 * table, markdown and html write the same cells, and so that a report in
 * which nobody counted a handshake shows no such column at all: a
 * plaintext run reads exactly as it did before TLS existed.
 */
#ifndef INCBENCH_REPORT_TLS_H
#define INCBENCH_REPORT_TLS_H

#include "result.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether any of results[0..n) counted a TLS handshake: only then do the
 * tables show the handshake columns. */
bool report_any_tls(const struct result *results, size_t n);

/* Full and resumed handshakes summed over the repeats (0 and 0 without). */
void report_tls_sums(const struct result *r, uint64_t *full, uint64_t *resumed);

/* "3/297": full/resumed handshakes over all repeats (beside connections,
 * which are summed the same way); "-" for a section that counted none. */
void report_tls_sum_cell(const struct result *r, char *buf, size_t len);

/* "1/99": full/resumed handshakes of one repeat; when the repeats differ,
 * each figure's range over them ("1-2/98-99"); "-" as above. */
void report_tls_repeat_cell(const struct result *r, char *buf, size_t len);

#endif
