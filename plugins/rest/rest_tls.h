/*
 * rest_tls.h — TLS in the rest plugin, kept out of server.c and client.c:
 * the server's context and its per-connection bufferevent_openssl
 * (tls_server.c), and the client's context, handshake, I/O and session
 * kept for resumption (tls_client.c). Both build on plugins/common/tls.h.
 * Never prints, never exits; errors are -1 and one sentence.
 */
#ifndef INCBENCH_REST_TLS_H
#define INCBENCH_REST_TLS_H

#include "tls.h"

#include <event2/event.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- server (tls_server.c) ---- */

/* The server's context from k (identity made for `listen` when k has no
 * cert/key, else read from the files); when the identity was made, bound
 * (the plain bound address on entry) gets the pin appended. */
SSL_CTX *rest_tls_server_ctx(const struct tls_keys *k, const char *listen, char *bound,
                             size_t boundlen, char *err, size_t errlen);

/* rest_guard_maker for a TLS server: a bufferevent_openssl in the
 * accepting state on a new SSL of ctx (arg), socket to be set by evhttp. */
struct bufferevent *rest_tls_bufferevent(struct event_base *base, void *ctx);

/* rest_guard_closer for a TLS server: close_notify before the connection
 * goes, as TLS asks of the side that closes (curl and s_client otherwise
 * see a truncated stream). Nothing when the handshake never finished. */
void rest_tls_goodbye(struct bufferevent *bev);

/* ---- client (tls_client.c) ---- */

struct rest_tls_client {
    SSL_CTX *ctx;
    BIO_METHOD *bio_method;      /* send/recv, never SIGPIPE (see tls_client.c) */
    SSL *ssl;                    /* the connection's, NULL between connections */
    SSL_SESSION *session;        /* the last good connection's, offered next */
    bool resumption;
    struct tls_identity id;      /* presented with mtls */
    char host[256];              /* checked against the CA-signed certificate */
    char pin[TLS_PIN_LEN + 1];   /* or, when set, this certificate alone */
    int fd;                      /* the socket under ssl */
    bool block_once;             /* the next BIO read may block (SO_RCVTIMEO) */
    bool answered;               /* the connection answered a call */
    bool handshook;              /* its first handshake is done (see on_info) */
    uint64_t full, resumed;      /* handshakes done */
};

/* From the section's keys and its address ("host:port[#sha256=HEX]"): the
 * address without the pin into addr[addrlen], and the context. */
int rest_tls_client_init(struct rest_tls_client *t, const struct tls_keys *k,
                         const char *address, char *addr, size_t addrlen,
                         char *err, size_t errlen);

/* A TLS connection over the connected socket fd by the deadline
 * (deadline.h milliseconds), the pin checked, the handshake counted. */
int rest_tls_connect(struct rest_tls_client *t, int fd, const char *peer,
                     unsigned timeout_ms, long long deadline, char *err, size_t errlen);

/* Write all of buf by the deadline. 0; -1 with errno (EPIPE, ECONNRESET:
 * the peer is gone) and err set; the sentence names peer. */
int rest_tls_write_all(struct rest_tls_client *t, const void *buf, size_t n,
                       const char *peer, long long deadline, char *err, size_t errlen);

/* Like recv on the connection: bytes read, 0 at the peer's close, -1 with
 * errno (ECONNRESET...), or REST_TLS_GAVE_UP with err set (the deadline
 * passed, or a TLS error, OpenSSL's reason given). `first`: the call's
 * first read, which may block in recv itself as client.c's plain path does. */
#define REST_TLS_GAVE_UP ((ssize_t)-2)
ssize_t rest_tls_recv(struct rest_tls_client *t, void *buf, size_t n, bool first,
                      const char *peer, unsigned timeout_ms, long long deadline,
                      char *err, size_t errlen);

/* An answer came whole on this connection: its session is good. */
static inline void rest_tls_answered(struct rest_tls_client *t)
{
    t->answered = true;
}

/* End the connection's TLS (not its socket). Once it answered, its
 * session is kept for the next connection (with resumption); `good`: it
 * ends after a whole answer, so close_notify is sent. */
void rest_tls_close(struct rest_tls_client *t, bool good);

void rest_tls_client_free(struct rest_tls_client *t);

#endif
