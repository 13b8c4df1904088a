/*
 * stream_client.h — the client of the stream transports (stream_client.c):
 * one blocking connection, every wait bounded by timeout_ms. init takes the
 * kind (stream_kind.h) a plugin wraps it with; every later call finds it in
 * the client, so those go in a vtable as they are.
 */
#ifndef INCBENCH_PLUGIN_STREAM_CLIENT_H
#define INCBENCH_PLUGIN_STREAM_CLIENT_H

#include "stream_kind.h"

#include <incbench/transport.h>

int stream_client_init(const struct stream_kind *kind, void **client,
                       const struct incbench_params *params, char *err, size_t errlen);
int stream_client_increment(void *client, int64_t value, int64_t *result,
                            char *err, size_t errlen);
int stream_client_submit(void *client, uint64_t tag, int64_t value,
                         char *err, size_t errlen);
int stream_client_complete(void *client, uint64_t *tag, int64_t *result,
                           char *err, size_t errlen);
void stream_client_stats(void *client, struct incbench_stats *stats);
void stream_client_shutdown(void *client);

#endif
