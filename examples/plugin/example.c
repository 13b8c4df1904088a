/*
 * example.c — a complete incbench transport in one file, built out of tree
 * against nothing but the installed header:
 *
 *     cc $(pkg-config --cflags incbench) -O2 -shared -fPIC -o example.so example.c
 *     runner --check-plugin ./example.so
 *
 * It answers in-process, like `direct`, after spinning `spin_ns` nanoseconds
 * (an option of its section), so it also shows how a plugin takes options
 * and keeps all its state behind the client handle. netexample.c, next to
 * it, is a network transport: a server, deadlines, pipelining and stats.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <incbench/transport.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct example {
    unsigned long spin_ns;        /* busy work per call, from the section */
};

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int example_init(void **client, const struct incbench_params *params,
                        char *err, size_t errlen)
{
    struct example *e = calloc(1, sizeof *e);
    *client = e;
    if (e == NULL) {
        snprintf(err, errlen, "example: out of memory");
        return -1;
    }
    for (size_t i = 0; i < params->n_options; i++) {
        const struct incbench_option *o = &params->options[i];
        if (strcmp(o->key, "spin_ns") != 0) {
            snprintf(err, errlen, "example: unknown option '%s' (known: spin_ns)", o->key);
            return -1;        /* the runner still calls shutdown(*client) */
        }
        char *end;
        errno = 0;
        e->spin_ns = strtoul(o->value, &end, 10);
        if (o->value[0] == '\0' || o->value[0] == '-' || *end != '\0' || errno != 0) {
            snprintf(err, errlen, "example: spin_ns = '%s' is not a whole number", o->value);
            return -1;
        }
    }
    return 0;
}

static int example_increment(void *client, int64_t value, int64_t *result,
                             char *err, size_t errlen)
{
    const struct example *e = client;
    if (value == INT64_MAX) {
        snprintf(err, errlen, "example: %lld + 1 would overflow", (long long)value);
        return -1;
    }
    if (e->spin_ns > 0) {
        unsigned long long until = now_ns() + e->spin_ns;
        while (now_ns() < until)
            ;
    }
    *result = value + 1;
    return 0;
}

static void example_shutdown(void *client)
{
    free(client);
}

/* The one exported symbol. Members not set (server, pipelining, stats) are
 * NULL: the runner treats them as "not supported". */
const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "example",
    .summary = "out-of-tree example: in-process increment after spin_ns of busy work",
    .init = example_init,
    .increment = example_increment,
    .shutdown = example_shutdown,
};
