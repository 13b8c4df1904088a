/*
 * madefix.c — see madefix.h.
 */
#include "madefix.h"

#include <check.h>
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
    m->r.hist = &m->hist;
    histogram_reset(&m->hist);
    for (unsigned k = 0; k < repeats; k++) {
        usage_zero(&m->client[k]);
        usage_zero(&m->server[k]);
    }
}
