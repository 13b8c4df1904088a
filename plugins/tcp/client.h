/*
 * client.h — the tcp plugin's client side (client.c): one blocking TCP
 * connection, every wait bounded by timeout_ms. Declared here only so that
 * tcp.c can put it in the vtable.
 */
#ifndef INCBENCH_TCP_CLIENT_H
#define INCBENCH_TCP_CLIENT_H

#include <incbench/transport.h>

int tcp_client_init(void **client, const struct incbench_params *params,
                    char *err, size_t errlen);
int tcp_client_increment(void *client, int64_t value, int64_t *result,
                         char *err, size_t errlen);
int tcp_client_submit(void *client, uint64_t tag, int64_t value,
                      char *err, size_t errlen);
int tcp_client_complete(void *client, uint64_t *tag, int64_t *result,
                        char *err, size_t errlen);
void tcp_client_stats(void *client, struct incbench_stats *stats);
void tcp_client_shutdown(void *client);

#endif
