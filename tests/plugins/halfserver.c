/*
 * halfserver.c — broken on purpose: server_start is set, server_stop is
 * NULL (a server nobody could stop). The runner must refuse the table.
 */
#include "common.h"

static int hs_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "halfserver", err, errlen);
}

/* Never called: the runner refuses the table first. Fails if it is. */
static int hs_server_start(void **server, const struct incbench_params *params,
                           char *bound, size_t boundlen, char *err, size_t errlen)
{
    (void)params;
    (void)bound;
    (void)boundlen;
    *server = NULL;
    snprintf(err, errlen, "halfserver: server_start must never be reached");
    return -1;
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "halfserver",
    .summary = "test: server_start without server_stop",
    .init = hs_init,
    .increment = tp_increment,
    .shutdown = tp_shutdown,
    .server_start = hs_server_start,
    .server_stop = NULL,
};
