/*
 * wrong.c — broken on purpose: increment answers v + 2, from the first call.
 */
#include "common.h"

static int wr_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "wrong", err, errlen);
}

static int wr_increment(void *client, int64_t value, int64_t *result, char *err,
                        size_t errlen)
{
    if (tp_increment(client, value, result, err, errlen) != 0)
        return -1;
    *result = value + 2;
    return 0;
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "wrong",
    .summary = "test: answers v + 2",
    .init = wr_init,
    .increment = wr_increment,
    .shutdown = tp_shutdown,
};
