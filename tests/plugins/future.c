/*
 * future.c — a GOOD plugin from the future: built against a header whose
 * minor is higher than this runner's, with one member appended after
 * `stats` that this runner has never heard of. Within one major that must
 * load and run. Its stats op reports FUTURE_CONNECTIONS per client so tests
 * can see that a minor >= 1 table's stats is called.
 */
#include "common.h"

#include <stddef.h>

#define FUTURE_CONNECTIONS 7

/* The table as a later header might declare it: today's, then more. */
struct future_table {
    struct incbench_transport today;
    int (*appended_later)(void *client);
};

static int fu_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    return tp_init(client, params, "future", err, errlen);
}

static void fu_stats(void *client, struct incbench_stats *stats)
{
    (void)client;
    stats->connections = FUTURE_CONNECTIONS;
}

static int fu_appended(void *client)
{
    (void)client;
    return 0;
}

/* The C name differs from the header's declaration; the symbol name does
 * not: that is all the runner sees. */
const struct future_table future_table __asm__("incbench_transport") = {
    .today = {
        .abi_version = INCBENCH_ABI_MAKE(INCBENCH_ABI_MAJOR, INCBENCH_ABI_MINOR + 5),
        .name = "future",
        .summary = "test: a good plugin whose ABI minor is newer than the runner's",
        .init = fu_init,
        .increment = tp_increment,
        .shutdown = tp_shutdown,
        .stats = fu_stats,
    },
    .appended_later = fu_appended,
};
