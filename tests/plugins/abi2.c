/*
 * abi2.c — broken on purpose: a table that says ABI 2.0, a major this
 * runner does not speak. The runner must refuse it before reading anything
 * but abi_version.
 */
#include "common.h"

static int a2_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "abi2", err, errlen);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_MAKE(2, 0),
    .name = "abi2",
    .summary = "test: claims ABI major 2",
    .init = a2_init,
    .increment = tp_increment,
    .shutdown = tp_shutdown,
};
