/*
 * unary.h — what the files of the grpc_unary plugin share: the client and
 * server entry points the vtable (grpc_unary.c) points at, and the method
 * path. Internal to the plugin.
 */
#ifndef INCBENCH_GRPC_UNARY_H
#define INCBENCH_GRPC_UNARY_H

#include <incbench/transport.h>

#define UNARY_WHO "grpc_unary"
#define UNARY_METHOD "/incbench.Incrementer/Increment"

int unary_client_init(void **client, const struct incbench_params *params,
                      char *err, size_t errlen);
int unary_client_increment(void *client, int64_t value, int64_t *result,
                           char *err, size_t errlen);
void unary_client_stats(void *client, struct incbench_stats *stats);
void unary_client_shutdown(void *client);

int unary_server_start(void **server, const struct incbench_params *params,
                       char *bound, size_t boundlen, char *err, size_t errlen);
void unary_server_stop(void *server);

#endif
