/*
 * direct.c — the in-process transport: increment is a plain function call
 * through the vtable into this shared object. It is the floor of all floors:
 * whatever the runner reports for it is the cost of the loop itself plus one
 * indirect call. The runner treats it like any other plugin.
 */
#include <incbench/transport.h>

#include <stdio.h>
#include <stdlib.h>

/* The client handle only exists so that init/shutdown have something to
 * own; increment does not touch it. */
struct direct_client {
    unsigned calls_unused;
};

static int direct_init(void **client, const struct incbench_params *params,
                       char *err, size_t errlen)
{
    *client = NULL;
    if (params->n_options > 0) {
        snprintf(err, errlen, "direct: unknown option '%s' (direct takes none)",
                 params->options[0].key);
        return -1;
    }
    struct direct_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, errlen, "direct: out of memory");
        return -1;
    }
    *client = c;
    return 0;
}

static int direct_increment(void *client, int64_t value, int64_t *result,
                            char *err, size_t errlen)
{
    (void)client;
    if (value == INT64_MAX) {
        snprintf(err, errlen, "direct: %lld + 1 would overflow int64",
                 (long long)value);
        return -1;
    }
    *result = value + 1;
    return 0;
}

static void direct_shutdown(void *client)
{
    free(client);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "direct",
    .summary = "in-process function call through the plugin vtable (the floor)",
    .init = direct_init,
    .increment = direct_increment,
    .shutdown = direct_shutdown,
};
