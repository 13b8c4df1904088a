/*
 * client.h — what both gRPC clients own in the same way: the section's
 * options checked, grpc_init, one insecure channel to the server (its own
 * subchannel pool, see options.c), one completion queue polled only by the
 * calling thread, the method registered once, one send buffer reused call
 * after call and the decode arena. The calls themselves (unary batch or
 * stream) are the plugins' own. Never starts a thread, never prints.
 */
#ifndef INCBENCH_GRPC_COMMON_CLIENT_H
#define INCBENCH_GRPC_COMMON_CLIENT_H

#include "codec.h"
#include "options.h"

#include <grpc/grpc.h>
#include <stdbool.h>

struct gc_client {
    const char *who;                 /* plugin name, for messages */
    grpc_channel *ch;
    grpc_completion_queue *cq;
    void *method;                    /* from grpc_channel_register_call */
    grpc_byte_buffer *send_bb;
    struct gc_arena arena;
    struct gc_opts opts;
    unsigned timeout_ms;
    bool grpc_inited;
    char address[256];
};

/* Fill `gc` (zeroed by the caller) from params: options (shared keys plus the
 * NULL-terminated `extra`, may be NULL), the address, grpc_init, the channel,
 * the queue, the registered `method` (a literal: it must outlive the
 * channel). -1 with one sentence; gc_client_close is safe either way. */
int gc_client_open(struct gc_client *gc, const struct incbench_params *params,
                   const char *who, const char *const *extra, const char *method,
                   char *err, size_t errlen);

/* Destroy the send buffer, the channel and the (drained, bounded) queue.
 * `wedged`: a batch never came back, so gRPC may still write into our
 * objects: leave the channel and queue alive (a leak, not a crash). */
void gc_client_close(struct gc_client *gc, bool wedged);

/* The matching grpc_shutdown, once the plugin has let go of every gRPC
 * object of its own (slices, metadata). Skipped when wedged. */
void gc_client_exit(struct gc_client *gc, bool wedged);

#endif
