/*
 * common.h — the honest parts the broken test plugins share (a right
 * increment, option rejection), so that each plugin file holds only its one
 * defect. Test-only; never installed. Static functions only: every plugin
 * must keep exporting nothing but its table.
 */
#ifndef INCBENCH_TEST_PLUGINS_COMMON_H
#define INCBENCH_TEST_PLUGINS_COMMON_H

#include <incbench/transport.h>

#include <stdio.h>
#include <stdlib.h>

/* Per-client state: a call counter for the plugin that goes wrong late. */
struct tp_client {
    uint64_t calls;
};

static inline int tp_init(void **client, const struct incbench_params *params,
                          const char *who, char *err, size_t errlen)
{
    *client = NULL;
    if (params->n_options > 0) {
        snprintf(err, errlen, "%s: unknown option '%s'", who, params->options[0].key);
        return -1;
    }
    struct tp_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, errlen, "%s: out of memory", who);
        return -1;
    }
    *client = c;
    return 0;
}

static inline int tp_increment(void *client, int64_t value, int64_t *result,
                               char *err, size_t errlen)
{
    struct tp_client *c = client;
    c->calls++;
    if (value == INT64_MAX) {
        snprintf(err, errlen, "test plugin: %lld + 1 would overflow", (long long)value);
        return -1;
    }
    *result = value + 1;
    return 0;
}

static inline void tp_shutdown(void *client)
{
    free(client);
}

#endif
