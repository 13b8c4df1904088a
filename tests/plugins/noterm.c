/*
 * noterm.c — broken on purpose: every failure fills all errlen bytes of
 * err with 'x' and no terminating NUL. `fail = init` fails init, otherwise
 * increment fails at its first call. The runner must read no further.
 */
#include "common.h"

#include <stdbool.h>
#include <string.h>

struct nt_client {
    bool fail_init;
};

static int nt_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    struct nt_client *c = calloc(1, sizeof *c);
    *client = c;
    if (c == NULL)
        return -1;
    for (size_t i = 0; i < params->n_options; i++)
        if (strcmp(params->options[i].key, "fail") == 0 &&
            strcmp(params->options[i].value, "init") == 0)
            c->fail_init = true;
    if (c->fail_init) {
        memset(err, 'x', errlen);
        return -1;
    }
    return 0;
}

static int nt_increment(void *client, int64_t value, int64_t *result, char *err,
                        size_t errlen)
{
    (void)client;
    (void)value;
    (void)result;
    memset(err, 'x', errlen);
    return -1;
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "noterm",
    .summary = "test: error text without its terminating NUL",
    .init = nt_init,
    .increment = nt_increment,
    .shutdown = tp_shutdown,
};
