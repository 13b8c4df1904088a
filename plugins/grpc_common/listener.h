/*
 * listener.h — a gRPC server's listening socket, accepted by a thread of
 * ours and handed to gRPC one connection at a time: gRPC 1.51's listener
 * gives up for good once accept fails with EMFILE (grpc/grpc#20418). Ours
 * never stops: it keeps a descriptor headroom (closing new connections
 * beyond it at once), sheds with a spare descriptor on EMFILE, and waits a
 * moment on any other error. Left over: a flood holding its connections
 * turns new ones away meanwhile, and a silent connection is held until it
 * closes (gRPC dropped those after its 120 s handshake timeout).
 */
#ifndef INCBENCH_GRPC_COMMON_LISTENER_H
#define INCBENCH_GRPC_COMMON_LISTENER_H

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct gc_listener {
    int fd;                          /* listening socket, -1 when none */
    int wake[2];                     /* pipe: a byte stops the thread */
    int spare;                       /* /dev/null, given up to shed on EMFILE */
    grpc_server *srv;
    grpc_server_credentials *creds;
    pthread_t thread;
    bool thread_started;
};

/* Mark everything as not made yet (before any other call). */
void gc_listener_init(struct gc_listener *l);

/* Raise the soft descriptor limit, bind and listen on `address` (host:port,
 * port 0 picks one), write the address really bound to `bound`. -1 with a
 * sentence naming the address. gc_listener_close is safe either way. */
int gc_listener_open(struct gc_listener *l, const char *who, const char *address,
                     char *bound, size_t boundlen, char *err, size_t errlen);

/* Start accepting into `srv` (started already). */
int gc_listener_start(struct gc_listener *l, const char *who, grpc_server *srv,
                      char *err, size_t errlen);

/* Stop the thread (bounded: it waits in poll), close every descriptor. No
 * connection reaches gRPC after this returns. */
void gc_listener_close(struct gc_listener *l);

#endif
