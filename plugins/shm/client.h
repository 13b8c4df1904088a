/*
 * client.h — the shm plugin's client side (client.c): one channel of a
 * server's segment, every wait bounded by timeout_ms. Declared here only
 * for shm.c's vtable.
 */
#ifndef INCBENCH_SHM_CLIENT_H
#define INCBENCH_SHM_CLIENT_H

#include <incbench/transport.h>

int shm_client_init(void **client, const struct incbench_params *params,
                    char *err, size_t errlen);
int shm_client_increment(void *client, int64_t value, int64_t *result,
                         char *err, size_t errlen);
int shm_client_submit(void *client, uint64_t tag, int64_t value,
                      char *err, size_t errlen);
int shm_client_complete(void *client, uint64_t *tag, int64_t *result,
                        char *err, size_t errlen);
void shm_client_stats(void *client, struct incbench_stats *stats);
void shm_client_shutdown(void *client);

#endif
