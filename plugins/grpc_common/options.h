/*
 * options.h — the section keys both gRPC plugins share (compression,
 * minimal_stack, retries) turned into grpc_channel_args for a channel or a
 * server. Unset keys are left out so that gRPC's own defaults apply: the
 * stock section measures stock gRPC. Never prints, never allocates.
 */
#ifndef INCBENCH_GRPC_COMMON_OPTIONS_H
#define INCBENCH_GRPC_COMMON_OPTIONS_H

#include <incbench/transport.h>
#include <grpc/grpc.h>

#define GC_MAX_ARGS 6

struct gc_opts {
    grpc_arg args[GC_MAX_ARGS];
    grpc_channel_args chargs;
};

/* Check every key against the shared ones plus the NULL-terminated `extra`
 * (the plugin's own keys, may be NULL), then fill o->chargs. -1 with a
 * sentence naming the key on an unknown key or a bad value. */
int gc_opts_parse(const struct incbench_params *params, const char *who,
                  const char *const *extra, struct gc_opts *o,
                  char *err, size_t errlen);

/* The args for grpc_channel_create / grpc_server_create. */
const grpc_channel_args *gc_opts_args(const struct gc_opts *o);

#endif
