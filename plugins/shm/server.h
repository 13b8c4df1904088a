/*
 * server.h — the shm plugin's server side (server.c): one thread serving
 * every channel of one segment. Declared here only for shm.c's vtable.
 */
#ifndef INCBENCH_SHM_SERVER_H
#define INCBENCH_SHM_SERVER_H

#include <incbench/transport.h>

int shm_server_start(void **server, const struct incbench_params *params,
                     char *bound, size_t boundlen, char *err, size_t errlen);
void shm_server_stop(void *server);

#endif
