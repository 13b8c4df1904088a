/*
 * misbehave.c — broken on purpose, at its `at`-th increment (default 100):
 * `how = hang` never returns (it sleeps, 60 s at most), `how = exit` calls
 * exit(0), `how = crash` raises SIGSEGV. Before that it answers right.
 * `how = slow` is not broken: every call answers right after 50 ms, so a
 * run outlasts the watchdog's bound while no one call does.
 */
#include "common.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mb_client {
    uint64_t calls, at;
    char how[8];
};

static int mb_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    struct mb_client *c = calloc(1, sizeof *c);
    *client = c;
    if (c == NULL)
        return -1;
    c->at = 100;
    snprintf(c->how, sizeof c->how, "hang");
    for (size_t i = 0; i < params->n_options; i++) {
        const struct incbench_option *o = &params->options[i];
        if (strcmp(o->key, "at") == 0) {
            c->at = strtoull(o->value, NULL, 10);
        } else if (strcmp(o->key, "how") == 0) {
            snprintf(c->how, sizeof c->how, "%s", o->value);
        } else {
            snprintf(err, errlen, "misbehave: unknown option '%s'", o->key);
            return -1;
        }
    }
    return 0;
}

static int mb_increment(void *client, int64_t value, int64_t *result, char *err,
                        size_t errlen)
{
    struct mb_client *c = client;
    if (strcmp(c->how, "slow") == 0) {
        struct timespec pause = { 0, 50 * 1000000L };
        nanosleep(&pause, NULL);
    } else if (++c->calls == c->at) {
        if (strcmp(c->how, "exit") == 0)
            exit(0);
        if (strcmp(c->how, "crash") == 0)
            raise(SIGSEGV);
        for (int i = 0; i < 60; i++)    /* "never" returns, within a test's patience */
            sleep(1);
    }
    (void)err;
    (void)errlen;
    *result = value + 1;
    return 0;
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "misbehave",
    .summary = "test: hangs, exits or crashes at call `at`, or is slow",
    .init = mb_init,
    .increment = mb_increment,
    .shutdown = tp_shutdown,
};
