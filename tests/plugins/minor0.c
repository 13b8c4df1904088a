/*
 * minor0.c — a GOOD plugin built against ABI 1.0, the header before `stats`
 * was appended. Its table therefore ends right after `complete`. To make a
 * runner that reads `stats` anyway visible (and not crash it), the word
 * right after `complete` holds a poison function of the stats type: if the
 * runner ever calls it, every client reports POISON_CONNECTIONS
 * connections, which a test can see in the report.
 */
/* Rename the header's declarations of the table so this file can define a
 * table of its own, shorter type under the exported name. */
#define incbench_transport incbench_transport_as_of_today
#include "common.h"
#undef incbench_transport

#include <stddef.h>

#define POISON_CONNECTIONS 4242

/* struct incbench_transport as ABI 1.0 declared it: no `stats`. */
struct table_1_0 {
    uint32_t abi_version;
    const char *name;
    const char *summary;
    int (*init)(void **, const struct incbench_params *, char *, size_t);
    int (*increment)(void *, int64_t, int64_t *, char *, size_t);
    void (*shutdown)(void *);
    int (*server_start)(void **, const struct incbench_params *, char *, size_t, char *,
                        size_t);
    void (*server_stop)(void *);
    int (*submit)(void *, uint64_t, int64_t, char *, size_t);
    int (*complete)(void *, uint64_t *, int64_t *, char *, size_t);
};

/* What lies after the 1.0 table in memory: the poison. */
struct table_with_poison {
    struct table_1_0 table;
    void (*poison)(void *client, struct incbench_stats *stats);
};

_Static_assert(offsetof(struct table_1_0, complete) ==
               offsetof(struct incbench_transport_as_of_today, complete),
               "the 1.0 table must match today's up to complete");
_Static_assert(offsetof(struct table_with_poison, poison) ==
               offsetof(struct incbench_transport_as_of_today, stats),
               "the poison must sit where today's stats is");

static int m0_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "minor0", err, errlen);
}

static void m0_poison(void *client, struct incbench_stats *stats)
{
    (void)client;
    stats->connections = POISON_CONNECTIONS;
}

const struct table_with_poison incbench_transport = {
    .table = {
        .abi_version = INCBENCH_ABI_MAKE(INCBENCH_ABI_MAJOR, 0),
        .name = "minor0",
        .summary = "test: an ABI 1.0 plugin, table ends before stats",
        .init = m0_init,
        .increment = tp_increment,
        .shutdown = tp_shutdown,
    },
    .poison = m0_poison,
};
