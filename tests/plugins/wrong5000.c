/*
 * wrong5000.c — broken on purpose, late: right for 4999 calls of a client,
 * then the 5000th call of that client answers v + 2. The count lives in the
 * client, so every fresh client (every repeat) starts again.
 */
#include "common.h"

#define WRONG_AT 5000

static int w5_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "wrong5000", err, errlen);
}

static int w5_increment(void *client, int64_t value, int64_t *result, char *err,
                        size_t errlen)
{
    if (tp_increment(client, value, result, err, errlen) != 0)
        return -1;
    if (((struct tp_client *)client)->calls == WRONG_AT)
        *result = value + 2;
    return 0;
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "wrong5000",
    .summary = "test: answers v + 2 at the 5000th call of a client",
    .init = w5_init,
    .increment = w5_increment,
    .shutdown = tp_shutdown,
};
