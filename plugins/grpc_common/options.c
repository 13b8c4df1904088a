/*
 * options.c — see options.h. Only the keys a user set become channel args,
 * plus one arg we always set on clients (see gc_opts_parse): the defaults are
 * gRPC's, so a section without keys measures gRPC as shipped.
 */
#include "options.h"

#include "../common/options.h"

#include <grpc/compression.h>
#include <stdio.h>

static const char *const shared_keys[] = { "compression", "minimal_stack", "retries" };
#define N_SHARED (sizeof shared_keys / sizeof shared_keys[0])

static void add_int(struct gc_opts *o, const char *key, int value)
{
    grpc_arg *a = &o->args[o->chargs.num_args++];
    a->type = GRPC_ARG_INTEGER;
    a->key = (char *)key; /* grpc_arg's key is not const; gRPC never writes it */
    a->value.integer = value;
}

int gc_opts_parse(const struct incbench_params *params, const char *who,
                  const char *const *extra, struct gc_opts *o,
                  char *err, size_t errlen)
{
    const char *known[N_SHARED + 16 + 1];
    size_t n = 0;
    for (size_t i = 0; i < N_SHARED; i++)
        known[n++] = shared_keys[i];
    for (size_t i = 0; extra != NULL && extra[i] != NULL && i < 16; i++)
        known[n++] = extra[i];
    known[n] = NULL;
    if (opts_check(params, who, known, err, errlen) != 0)
        return -1;

    o->chargs.num_args = 0;
    o->chargs.args = o->args;

    static const char *const algos[] = { "none", "deflate", "gzip", NULL };
    int algo = -1;
    if (opts_choice(params, who, "compression", algos, &algo, err, errlen) != 0)
        return -1;
    /* The index in `algos` is the grpc_compression_algorithm value. */
    if (algo >= 0)
        add_int(o, GRPC_COMPRESSION_CHANNEL_DEFAULT_ALGORITHM, algo);

    if (opts_get(params, "minimal_stack") != NULL) {
        bool on = false;
        if (opts_bool(params, who, "minimal_stack", &on, err, errlen) != 0)
            return -1;
        add_int(o, GRPC_ARG_MINIMAL_STACK, on);
    }
    if (opts_get(params, "retries") != NULL) {
        bool on = false;
        if (opts_bool(params, who, "retries", &on, err, errlen) != 0)
            return -1;
        add_int(o, GRPC_ARG_ENABLE_RETRIES, on);
    }
    /* Each client owns its connection: without this, two channels with the
     * same target and args share subchannels (gRPC's global pool), and a
     * fresh client of a later repeat could ride an old connection. */
    add_int(o, GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return 0;
}

const grpc_channel_args *gc_opts_args(const struct gc_opts *o)
{
    return &o->chargs;
}
