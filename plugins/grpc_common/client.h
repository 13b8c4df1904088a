/*
 * client.h — what both gRPC clients own in the same way: the section's
 * options checked, grpc_init, one channel to the server (its own
 * subchannel pool, see options.c), plaintext or over TLS (tlscreds.h, the
 * pin taken off the address), one completion queue polled only by the
 * calling thread, the method registered once, one send buffer reused call
 * after call, the payload and its packed field (made once: every request
 * sends a reference to it) and what replies are decoded with. The calls
 * themselves (unary batch or stream) are the plugins' own. Never starts a
 * thread, never prints.
 *
 * Connections (the `stats` op) are counted by watching the channel's
 * connectivity on the client's own queue and counting transitions into
 * READY. Not on a queue of its own with a thread of its own: gRPC's poller
 * is shared, and a second thread blocked in it would take over the
 * channel's reads and hand every answer over to us (a thread hop per call).
 * On our queue the watch costs the calls nothing but one comparison per
 * event (gc_client_watch_event); the re-arming happens only when the state
 * changes, i.e. around a connect. A fired watch that finds READY counts
 * one connection, whatever it was armed with (a reconnect may be done
 * before the event is taken). A connection that goes READY and dies again
 * before the event is taken is missed: the count is exact for ordinary
 * runs and a lower bound when the connection flaps.
 *
 * Over TLS each connection is one handshake; whether it was full or
 * resumed is read from the auth context of the first call answered after
 * a new connection was counted (or of the client's first call: its READY
 * event may come after its answer), never again on that connection
 * (gc_client_handshake: one comparison per call otherwise).
 */
#ifndef INCBENCH_GRPC_COMMON_CLIENT_H
#define INCBENCH_GRPC_COMMON_CLIENT_H

#include "../common/payload.h"
#include "bytebuf.h"
#include "options.h"
#include "tlscreds.h"

#include <grpc/grpc.h>
#include <stdbool.h>

struct gc_client {
    const char *who;                 /* plugin name, for messages */
    grpc_channel *ch;
    grpc_completion_queue *cq;
    void *method;                    /* from grpc_channel_register_call */
    grpc_byte_buffer *send_bb;
    struct payload payload;          /* what every request carries */
    grpc_slice field;                /* its payload field (bytebuf.h), packed once */
    struct gc_rx rx;                 /* replies: limit CODEC_MSG_MAX + payload */
    struct gc_opts opts;
    unsigned timeout_ms;
    bool grpc_inited;
    bool watching;                   /* a connectivity watch is armed */
    char watch_tag;                  /* its tag: the address */
    grpc_connectivity_state watch_last;
    uint64_t connections;            /* transitions into READY seen */
    uint32_t runner_abi;             /* params->abi_version: stats members it has */
    struct gc_tls_client tls;        /* creds NULL when plaintext */
    uint64_t hs_read;                /* connections whose handshake was read */
    uint64_t hs_full, hs_resumed;
    char address[256];               /* without the pin */
};

/* Fill `gc` (zeroed by the caller) from params: options (shared keys plus the
 * NULL-terminated `extra`, may be NULL), the payload, the address,
 * grpc_init, the channel, the queue, the registered `method` (a literal: it
 * must outlive the channel). -1 with one sentence; gc_client_close is safe
 * either way. */
int gc_client_open(struct gc_client *gc, const struct incbench_params *params,
                   const char *who, const char *const *extra, const char *method,
                   char *err, size_t errlen);

/* For every event taken from gc->cq: true when it was the connectivity
 * watch (counted and re-armed here; the caller goes on waiting), false when
 * it is the caller's. */
void gc_client_watch_fired(struct gc_client *gc, bool ok);
static inline bool gc_client_watch_event(struct gc_client *gc, const grpc_event *ev)
{
    if (ev->type != GRPC_OP_COMPLETE || ev->tag != &gc->watch_tag)
        return false;
    gc_client_watch_fired(gc, ev->success != 0);
    return true;
}


/* After a call that was answered: read the handshake of a connection not
 * read yet (see the top). */
void gc_client_handshake_read(struct gc_client *gc, grpc_call *call);
static inline void gc_client_handshake(struct gc_client *gc, grpc_call *call)
{
    if (gc->tls.creds != NULL && gc->hs_read < (gc->connections > 0 ? gc->connections : 1))
        gc_client_handshake_read(gc, call);
}

/* Fill the connection and handshake members of *stats (the latter for a
 * runner of ABI minor 3 or later only). */
void gc_client_stats(const struct gc_client *gc, struct incbench_stats *stats);

/* Set gc->send_bb to the request {value, id, the payload}: the head
 * copied, the payload field referenced (no allocation of ours). */
void gc_client_request(struct gc_client *gc, int64_t value, uint64_t id);

/* Whether a decoded reply carries the payload back (payload_check: the
 * length always, the bytes with verify); -1 with the sentence, which
 * names the server's address. */
int gc_client_check(const struct gc_client *gc, const struct codec_msg *m, char *err,
                    size_t errlen);

/* Destroy the send buffer, the payload, the channel and the (drained,
 * bounded) queue.
 * `wedged`: a batch never came back, so gRPC may still write into our
 * objects: leave the channel and queue alive (a leak, not a crash). */
void gc_client_close(struct gc_client *gc, bool wedged);

/* The matching grpc_shutdown, once the plugin has let go of every gRPC
 * object of its own (slices, metadata). Skipped when wedged. */
void gc_client_exit(struct gc_client *gc, bool wedged);

#endif
