/*
 * stream_server.h — the server of the stream transports (stream_server.c):
 * one thread running an epoll loop on the socket the kind listens on.
 * start takes the kind (stream_kind.h) a plugin wraps it with; stop finds
 * it in the server, so it goes in a vtable as it is.
 */
#ifndef INCBENCH_PLUGIN_STREAM_SERVER_H
#define INCBENCH_PLUGIN_STREAM_SERVER_H

#include "stream_kind.h"

#include <incbench/transport.h>

int stream_server_start(const struct stream_kind *kind, void **server,
                        const struct incbench_params *params, char *bound, size_t boundlen,
                        char *err, size_t errlen);
void stream_server_stop(void *server);

#endif
