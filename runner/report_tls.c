/*
 * report_tls.c — see report_tls.h. Formatting only: the counts come from
 * the plugin through run.c.
 */
#include "report_tls.h"

#include <stdint.h>
#include <stdio.h>

bool report_any_tls(const struct result *results, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (results[i].has_tls)
            return true;
    return false;
}

void report_tls_sums(const struct result *r, uint64_t *full, uint64_t *resumed)
{
    *full = *resumed = 0;
    for (unsigned k = 0; k < r->stats_repeats; k++) {
        *full += r->tls_full_rep[k];
        *resumed += r->tls_resumed_rep[k];
    }
}

void report_tls_sum_cell(const struct result *r, char *buf, size_t len)
{
    uint64_t full, resumed;
    report_tls_sums(r, &full, &resumed);
    if (!r->has_tls)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%llu/%llu", (unsigned long long)full, (unsigned long long)resumed);
}

/* "7", or "5-7" when v[0..n) is not one value throughout. */
static void range(const uint64_t *v, unsigned n, char *buf, size_t len)
{
    uint64_t lo = v[0], hi = v[0];
    for (unsigned k = 1; k < n; k++) {
        lo = v[k] < lo ? v[k] : lo;
        hi = v[k] > hi ? v[k] : hi;
    }
    if (lo == hi)
        snprintf(buf, len, "%llu", (unsigned long long)lo);
    else
        snprintf(buf, len, "%llu-%llu", (unsigned long long)lo, (unsigned long long)hi);
}

void report_tls_repeat_cell(const struct result *r, char *buf, size_t len)
{
    if (!r->has_tls || r->stats_repeats == 0) {
        snprintf(buf, len, "-");
        return;
    }
    char full[48], resumed[48];
    range(r->tls_full_rep, r->stats_repeats, full, sizeof full);
    range(r->tls_resumed_rep, r->stats_repeats, resumed, sizeof resumed);
    snprintf(buf, len, "%s/%s", full, resumed);
}
