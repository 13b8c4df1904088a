/*
 * nosym.c — broken on purpose: a complete, correct table exported under a
 * misspelt name, so dlopen works and dlsym("incbench_transport") does not.
 */
#include "common.h"

static int ns_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "nosym", err, errlen);
}

const struct incbench_transport incbench_transprot = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "nosym",
    .summary = "test: exports the table under the wrong name",
    .init = ns_init,
    .increment = tp_increment,
    .shutdown = tp_shutdown,
};
