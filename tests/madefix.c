/*
 * madefix.c — see madefix.h.
 */
#include "madefix.h"

#include "report_sweep.h"

#include <check.h>
#include <stdarg.h>
#include <string.h>

void made_wire(struct made *m, const char *name, enum config_server mode, unsigned repeats,
               uint64_t window)
{
    ck_assert_uint_le(repeats, MADE_MAXREP);
    memset(m, 0, sizeof *m);
    m->sec.name = (char *)name;
    m->sec.plugin = (char *)"made";
    m->sec.requests = MADE_REQUESTS;
    m->sec.window = window;
    m->sec.repeat = repeats;
    m->r.sec = &m->sec;
    m->r.mode = mode;
    m->r.repeats_done = repeats;
    m->r.total_ns = m->total;
    m->r.init_ns = m->init;
    m->r.first_ns = m->first;
    m->r.mean_ns = m->mean;
    m->r.client_use = m->client;
    m->r.server_use = m->server;
    m->r.tls_full_rep = m->tls_full;
    m->r.tls_resumed_rep = m->tls_resumed;
    m->r.hist = &m->hist;
    histogram_reset(&m->hist);
    for (unsigned k = 0; k < repeats; k++) {
        usage_zero(&m->client[k]);
        usage_zero(&m->server[k]);
    }
}

void made_sweep(struct made *m, const char *base, ...)
{
    va_list ap;
    va_start(ap, base);
    m->sec.base = base;
    m->sec.sweep = m->sweep;
    m->sec.n_sweep = 0;
    const char *key;
    while ((key = va_arg(ap, const char *)) != NULL) {
        ck_assert_uint_lt(m->sec.n_sweep, MADE_MAXSWEEP);
        const char *value = va_arg(ap, const char *);
        m->sweep[m->sec.n_sweep++] = (struct config_sweep){ key, value };
        double bytes;
        if (strcmp(key, "payload") == 0 && report_sweep_number(value, &bytes))
            m->sec.payload = (uint64_t)bytes;
    }
    va_end(ap);
}
