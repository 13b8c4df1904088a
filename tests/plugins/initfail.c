/*
 * initfail.c — broken on purpose: init always fails, with a message (and
 * leaves *client NULL, which shutdown must accept).
 */
#include "common.h"

#define INITFAIL_MESSAGE "initfail: the far end said no (on purpose)"

static int if_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    (void)params;
    *client = NULL;
    snprintf(err, errlen, "%s", INITFAIL_MESSAGE);
    return -1;
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "initfail",
    .summary = "test: init always fails",
    .init = if_init,
    .increment = tp_increment,
    .shutdown = tp_shutdown,
};
