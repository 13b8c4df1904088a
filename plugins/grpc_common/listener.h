/*
 * listener.h — the listening socket of a gRPC server, accepted by a thread
 * of ours and handed to gRPC one connection at a time
 * (grpc_server_add_channel_from_fd), instead of gRPC's own listener.
 *
 * Why: gRPC 1.51's listener gives up for good the first time accept fails
 * with anything but EAGAIN/EINTR (tcp_server_posix.cc, on_read: no re-arm;
 * upstream grpc/grpc#20418). A flood of idle connections that runs the
 * process out of descriptors (EMFILE) thus stops a server from accepting
 * forever, while it looks alive. Ours never stops: past the descriptor
 * headroom it closes new connections at once (the peer sees the close, not
 * a hang), on EMFILE it sheds the waiting connection with a spare
 * descriptor kept for that, and on any other error it waits a moment and
 * tries again. What remains: while a flood holds its connections, new
 * clients are turned away (gRPC 1.51 has no cap per peer or on connections
 * to spend the descriptors more wisely); and a connection that never sends
 * a byte is held until it closes, where gRPC's listener dropped it after
 * its handshake timeout (120 s).
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
