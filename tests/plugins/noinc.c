/*
 * noinc.c — broken on purpose: the required `increment` op is NULL.
 */
#include "common.h"

static int ni_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "noinc", err, errlen);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "noinc",
    .summary = "test: increment is NULL",
    .init = ni_init,
    .increment = NULL,
    .shutdown = tp_shutdown,
};
