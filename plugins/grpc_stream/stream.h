/*
 * stream.h — what the files of the grpc_stream plugin share: client and
 * server entry points for the vtable (grpc_stream.c), the method path and
 * the option keys. Internal to the plugin.
 */
#ifndef INCBENCH_GRPC_STREAM_H
#define INCBENCH_GRPC_STREAM_H

#include <incbench/transport.h>

#define STREAM_WHO "grpc_stream"
#define STREAM_METHOD "/incbench.Incrementer/IncrementStream"

/* Keys beyond the shared gRPC ones. `reorder = N` (server, tests only):
 * answer each group of N requests in reverse order, so that a test proves
 * the client matches answers by id. Clients accept and ignore it. */
#define STREAM_EXTRA_KEYS { "reorder", NULL }
#define STREAM_REORDER_MAX 64 /* below the server's answer queue */

int stream_client_init(void **client, const struct incbench_params *params,
                       char *err, size_t errlen);
int stream_client_increment(void *client, int64_t value, int64_t *result,
                            char *err, size_t errlen);
int stream_client_submit(void *client, uint64_t tag, int64_t value,
                         char *err, size_t errlen);
int stream_client_complete(void *client, uint64_t *tag, int64_t *result,
                           char *err, size_t errlen);
void stream_client_stats(void *client, struct incbench_stats *stats);
void stream_client_shutdown(void *client);

int stream_server_start(void **server, const struct incbench_params *params,
                        char *bound, size_t boundlen, char *err, size_t errlen);
void stream_server_stop(void *server);

#endif
