/*
 * server.h — the tcp plugin's server side (server.c): one thread running an
 * epoll loop. Declared here only so that tcp.c can put it in the vtable.
 */
#ifndef INCBENCH_TCP_SERVER_H
#define INCBENCH_TCP_SERVER_H

#include <incbench/transport.h>

int tcp_server_start(void **server, const struct incbench_params *params,
                     char *bound, size_t boundlen, char *err, size_t errlen);
void tcp_server_stop(void *server);

#endif
