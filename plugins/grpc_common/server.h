/*
 * server.h — the gRPC C core server both gRPC plugins run: HTTP/2 on the
 * address the runner gives, accepted by our own listener (listener.h says
 * why) in plaintext and by gRPC's over TLS (tls = true; server.c says
 * why), one completion queue drained by one thread of ours, UNIMPLEMENTED
 * for methods nobody registered, and a bounded stop (listener closed,
 * shutdown-and-notify, cancel all calls, drain, destroy).
 *
 * Tag discipline: every tag handed to gRPC is a `struct gc_tag *` embedded in
 * an object that knows what to do when that operation completes. An object
 * holding tags in flight counts itself in `live` (gc_server_hold / _release)
 * so that the queue is shut down only when nothing can land on it any more.
 * The plugin's handlers run on the queue thread only; they must not block.
 *
 * Idle hook: a handler may defer work (write several replies in one go) by
 * calling gc_server_want_idle; the queue thread then runs the plugin's hook
 * as soon as no completion is waiting, before it blocks again. The hook runs
 * on the queue thread too, also while the server stops. A server with a
 * hook also counts epochs (gc_server_epoch): one more each time the queue
 * is found empty, so that a handler can tell an operation that completed
 * from data already read (same epoch as its start) from one that waited.
 */
#ifndef INCBENCH_GRPC_COMMON_SERVER_H
#define INCBENCH_GRPC_COMMON_SERVER_H

#include "listener.h"
#include "../common/tls.h"

#include <grpc/grpc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct gc_tag {
    void (*done)(struct gc_tag *tag, bool ok);
};

struct gc_server;

/* Answers calls to unregistered methods with UNIMPLEMENTED (left alone,
 * the core would park them until their deadline). */
struct gc_unimpl {
    struct gc_tag tag;
    struct gc_server *server;
    grpc_call *call;
    grpc_call_details details;
    grpc_metadata_array md;
    int cancelled;
    bool answering;
};

struct gc_server {
    const char *who;                  /* plugin name, for messages */
    grpc_server *srv;
    grpc_completion_queue *cq;
    pthread_t thread;
    bool thread_started, started, grpc_inited;
    atomic_bool stopping;
    unsigned live;                    /* objects with tags in flight */
    bool shutdown_seen;
    bool idle_wanted;                 /* run idle() before blocking again */
    uint64_t epoch;                   /* times the queue was found empty */
    void (*idle)(void *arg);
    void *idle_arg;
    struct gc_tag shutdown_tag;
    struct gc_unimpl unimpl;
    struct gc_listener listener;
};

/* grpc_init, create the server with `args` and its completion queue. */
int gc_server_init(struct gc_server *s, const char *who,
                   const grpc_channel_args *args, char *err, size_t errlen);

/* Set the idle hook (before gc_server_start); see the top of this file. */
void gc_server_on_idle(struct gc_server *s, void (*idle)(void *arg), void *arg);

/* Register a method ("/incbench.Incrementer/Increment") before starting. */
void *gc_server_method(struct gc_server *s, const char *method,
                       grpc_server_register_method_payload_handling payload);

/* Bind `address`, start, call prime(s, arg) to request the first calls,
 * then start the queue thread. `bound` gets "host:port" really bound.
 * With tls->on (tls may be NULL: plaintext), TLS credentials from
 * tlscreds.h and gRPC's own listener (server.c says why); `bound` then
 * carries the pin of a made certificate ("host:port#sha256=HEX"). */
int gc_server_start(struct gc_server *s, const char *address, const struct tls_keys *tls,
                    int (*prime)(struct gc_server *s, void *arg), void *arg,
                    char *bound, size_t boundlen, char *err, size_t errlen);

/* Stop serving and free everything gc_server_init made; the plugin's own
 * objects have all been released (their handlers ran with ok = false)
 * when this returns. Safe after a failed init or start. */
void gc_server_stop(struct gc_server *s);

static inline bool gc_server_stopping(struct gc_server *s)
{
    return atomic_load_explicit(&s->stopping, memory_order_relaxed);
}
/* From a handler: run the idle hook once the queue has nothing waiting. */
static inline void gc_server_want_idle(struct gc_server *s) { s->idle_wanted = true; }
static inline uint64_t gc_server_epoch(const struct gc_server *s) { return s->epoch; }
static inline void gc_server_hold(struct gc_server *s) { s->live++; }
static inline void gc_server_release(struct gc_server *s) { s->live--; }

#endif
