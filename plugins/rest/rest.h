/*
 * rest.h — what the files of the rest plugin share (never installed, never
 * seen by the runner): the options both sides read, the server half
 * (server.c, libevent evhttp) and the client half (client.c, a blocking
 * socket). rest.c ties them into the one exported vtable.
 */
#ifndef INCBENCH_REST_H
#define INCBENCH_REST_H

#include "tls.h"

#include <incbench/transport.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The section keys of the rest plugin, parsed once by rest_options. */
struct rest_options {
    bool keepalive;              /* connection = keepalive (default) | close */
    bool post;                   /* method = get (default) | post: the client's */
    unsigned server_timeout_ms;  /* each request's time, from the one before */
    struct tls_keys tls;         /* tls = true and its keys (tls.h) */
};

/* Decimal text of v, written backwards from the end of buf[24] (no NUL);
 * returns where it starts and stores its length. The per-call paths of
 * both sides use it instead of snprintf. */
const char *rest_int64_text(int64_t v, char buf[24], size_t *len);

/* The host part of "host:port" or "[v6]:port" into host[hostlen] (for
 * TLS: the name a certificate must carry). -1 when it does not fit or
 * there is no ':'. */
int rest_address_host(const char *address, char *host, size_t hostlen);

/* Reject unknown keys (naming them) and parse the known ones; payload
 * and verify are payload_read's (payload.h), the TLS keys tls_keys_read's. */
int rest_options(const struct incbench_params *params, struct rest_options *out,
                 char *err, size_t errlen);

int rest_server_start(void **server, const struct incbench_params *params,
                      char *bound, size_t boundlen, char *err, size_t errlen);
void rest_server_stop(void *server);

int rest_client_init(void **client, const struct incbench_params *params,
                     char *err, size_t errlen);
int rest_client_increment(void *client, int64_t value, int64_t *result,
                          char *err, size_t errlen);
void rest_client_shutdown(void *client);
void rest_client_stats(void *client, struct incbench_stats *stats);

#endif
