/*
 * options.h — the section keys both gRPC plugins share (compression,
 * minimal_stack, retries, max_streams) turned into grpc_channel_args for a
 * channel or a server, plus the limits every server and client sets
 * whatever the keys (the receive limit follows the payload key; see
 * gc_opts_parse), then any channel arg the section
 * names with arg.* / server_arg.* / client_arg.* (chargs.h), which override
 * the same arg set by a named key or a fixed limit. The TLS keys (tls.h)
 * are read here too, for tlscreds.h to turn into credentials. Unset keys are
 * otherwise left out so that gRPC's own defaults apply: the stock section
 * measures stock gRPC. Never prints, never allocates.
 */
#ifndef INCBENCH_GRPC_COMMON_OPTIONS_H
#define INCBENCH_GRPC_COMMON_OPTIONS_H

#include "chargs.h"
#include "../common/tls.h"

#include <incbench/transport.h>
#include <grpc/grpc.h>
#include <stddef.h>

/* The args the named keys and our fixed limits set, at most (a TLS
 * server with every key: 8), and then the user's arg.* ones (chargs.h). */
#define GC_NAMED_ARGS 8
#define GC_MAX_ARGS (GC_NAMED_ARGS + GC_CHARGS_MAX)

/* max_streams: concurrent calls a server lets one connection have. The
 * default follows RFC 9113 (no smaller than 100, so as not to limit
 * parallelism); ours use one per connection. */
#define GC_MAX_STREAMS_DEFAULT 100u
#define GC_MAX_STREAMS_MAX 1000000u

enum gc_side { GC_CLIENT, GC_SERVER };

struct gc_opts {
    grpc_arg args[GC_MAX_ARGS];
    grpc_channel_args chargs;
    struct tls_keys tls;             /* the TLS keys (tls.h); tls.on false when unset */
};

/* Check every key against the shared ones (payload and verify among them,
 * read by the caller with payload_read), arg.* and the like, plus the
 * NULL-terminated `extra` (the plugin's own keys, at most 16, may be NULL),
 * then fill o->chargs for `side`, whose payload is `payload` bytes. -1 with
 * a sentence naming the key on an unknown key or a bad value, or naming
 * gRPC's receive limit and the arg that raises it when the payload is over
 * it. o->chargs points into params: it is for a grpc_channel_create /
 * grpc_server_create while params lives. */
int gc_opts_parse(const struct incbench_params *params, const char *who,
                  const char *const *extra, enum gc_side side, size_t payload,
                  struct gc_opts *o, char *err, size_t errlen);

/* A server's payload key is its receive limit: *len, the bytes of payload
 * a request may carry (the key and verify checked as a client's are). */
int gc_opts_server_payload(const struct incbench_params *params, const char *who, size_t *len,
                           char *err, size_t errlen);

/* The args for grpc_channel_create / grpc_server_create. */
const grpc_channel_args *gc_opts_args(const struct gc_opts *o);

#endif
