/*
 * chargs.h — any gRPC channel argument, set from a section:
 * `arg.NAME = VALUE` on client and server, `server_arg.NAME` on the server
 * only, `client_arg.NAME` on the client only. The value's type is the one
 * gRPC reads NAME as, for the names listed in chargs.c; an unknown name
 * passes through as what its value looks like (an int, else a string),
 * since gRPC ignores names it does not know. Never prints, never allocates:
 * the grpc_args point into params, which outlive grpc_channel_create /
 * grpc_server_create (both copy their args).
 */
#ifndef INCBENCH_GRPC_COMMON_CHARGS_H
#define INCBENCH_GRPC_COMMON_CHARGS_H

#include <incbench/transport.h>
#include <grpc/grpc.h>
#include <stdbool.h>
#include <stddef.h>

/* At most this many arg.* / server_arg.* / client_arg.* keys a section. */
#define GC_CHARGS_MAX 64

/* Whether `key` is one of ours (arg., server_arg. or client_arg. NAME). */
bool gc_chargs_is_key(const char *key);

/* Append params' keys of ours to known[*n...] (room for GC_CHARGS_MAX),
 * for a check of every key; -1 naming the key past GC_CHARGS_MAX. */
int gc_chargs_known(const struct incbench_params *params, const char *who,
                    const char **known, size_t *n, char *err, size_t errlen);

/* Put every key of ours that applies to this side (`server`) into
 * args[0..*n), at most `cap` in all: arg.* first, then the side's own, each
 * replacing an arg of the same name already there (so an explicit arg
 * overrides what the named keys set, and server_arg / client_arg override
 * arg). Also checks the keys of the other side, so that a bad value fails
 * both. -1 with a sentence naming the key on a value gRPC would misread. */
int gc_chargs_put(const struct incbench_params *params, const char *who, bool server,
                  grpc_arg *args, size_t *n, size_t cap, char *err, size_t errlen);

/* Whether an arg.* key, or one of this side's (`server`), names `name`. */
bool gc_chargs_sets(const struct incbench_params *params, bool server, const char *name);

/* Set args[*n] = arg, replacing an earlier arg of the same name instead
 * when there is one. The caller has made room (cap). */
void gc_chargs_set(grpc_arg *args, size_t *n, grpc_arg arg);

#endif
