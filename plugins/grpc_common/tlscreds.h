/*
 * tlscreds.h — gRPC credentials from the section's TLS keys (tls.h): the
 * server's from its identity (made, or read from `cert`/`key`), requiring
 * a client certificate verified against `ca` with `mtls`; the client's
 * verifying the server against the pin the address carries when the
 * server made its identity, else against `ca`, and never not at all. Also
 * the client's session cache (`resumption`) and the read of a connection's
 * handshake kind (full or resumed) from a call's auth context. Set-up
 * only: nothing here runs on the per-call path but gc_tls_handshake_of,
 * once per connection. Never prints.
 */
#ifndef INCBENCH_GRPC_COMMON_TLSCREDS_H
#define INCBENCH_GRPC_COMMON_TLSCREDS_H

#include "../common/tls.h"

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <stdbool.h>
#include <stddef.h>

/* Server credentials for k (k->on) listening on `address`. The identity's
 * key is wiped as soon as gRPC holds its own copy. *pin gets "sha256=HEX"
 * of a made certificate (for tls_address_join), "" for one from files.
 * -1 with a sentence naming the file or the made certificate. */
int gc_tls_server_creds(const struct tls_keys *k, const char *address, const char *who,
                        grpc_server_credentials **creds, char pin[TLS_PIN_LEN + 1],
                        char *err, size_t errlen);

/* A client's TLS: its credentials, and its session cache when resuming. */
struct gc_tls_client {
    grpc_channel_credentials *creds;
    grpc_ssl_session_cache *cache;    /* NULL without resumption */
};

/* Client credentials for k (k->on) calling `address` (without its pin),
 * verifying against `pin` ("sha256=HEX") when there is one, whatever
 * k->ca (as tls.c's client does), else against k->ca and the address's
 * host; with neither, -1 with a sentence saying to set `ca`. With k->mtls
 * the client presents k->cert/k->key either way. gc_tls_client_free is
 * safe after a failure. */
int gc_tls_client_open(struct gc_tls_client *t, const struct tls_keys *k, const char *pin,
                       const char *address, const char *who, char *err, size_t errlen);

/* The session cache's channel arg (t->cache is not NULL). */
grpc_arg gc_tls_client_cache_arg(const struct gc_tls_client *t);

/* Release the credentials and the cache (after the channel is gone). */
void gc_tls_client_free(struct gc_tls_client *t);

/* Whether the connection that carried `call` resumed a TLS session: 1
 * resumed, 0 full, -1 unknown (no auth context yet). */
int gc_tls_handshake_of(grpc_call *call);

#endif
