/*
 * tls.h — TLS for the plugins that offer `tls = true` (rest, grpc_unary,
 * grpc_stream): the section keys they share, the server's identity (made
 * fresh in memory, or read from PEM files), the pin that lets a client
 * verify a made identity, and the OpenSSL contexts of a plugin that speaks
 * TLS itself (rest). gRPC takes the PEM strings instead. Never prints,
 * never exits; a private key is never put into a message.
 *
 * How a client verifies what a server made: a server without `cert`/`key`
 * makes an ECDSA P-256 key and a self-signed certificate at start, and
 * appends "#sha256=HEX" (the SHA-256 of the certificate's DER, what
 * `openssl x509 -noout -fingerprint -sha256` prints) to the address it
 * binds. A client given such an address accepts exactly that certificate;
 * a client given `ca` verifies the chain and the address's host name
 * against it instead. A client with neither refuses to start: it never
 * skips verification.
 */
#ifndef INCBENCH_PLUGIN_TLS_H
#define INCBENCH_PLUGIN_TLS_H

#include <incbench/transport.h>

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>

/* For a plugin's list of known keys: TLS_KEYS, "other", NULL. */
#define TLS_KEYS "tls", "cert", "key", "ca", "mtls", "tls_version", "resumption"

/* "sha256=" and 64 hex digits. */
#define TLS_PIN_LEN (7 + 64)
/* What separates an address from its pin: "127.0.0.1:4433#sha256=...". */
#define TLS_PIN_MARK "#sha256="

struct tls_keys {
    bool on;            /* tls = true */
    const char *cert;   /* PEM files, or NULL; the strings are params'   */
    const char *key;    /* (they live until shutdown / server_stop)      */
    const char *ca;
    bool mtls;          /* the server requires and verifies a client certificate */
    int version;        /* TLS1_2_VERSION or TLS1_3_VERSION (default 1.3) */
    bool resumption;    /* resume sessions on reconnects (default true) */
};

/* Read the TLS_KEYS of a section into *k (tls off when absent). -1 with a
 * sentence naming the key: a bad value, a TLS key without `tls = true`,
 * `cert` without `key` or the reverse, `mtls` without cert, key and ca. */
int tls_keys_read(const struct incbench_params *params, const char *who, struct tls_keys *k,
                  char *err, size_t errlen);

/* A certificate and its private key, as PEM text. */
struct tls_identity {
    char *cert_pem;                 /* the certificate (then any chain), NUL-terminated */
    char *key_pem;                  /* the private key, NUL-terminated; wiped when freed */
    char pin[TLS_PIN_LEN + 1];      /* "sha256=HEX" of the (first) certificate */
    bool made;                      /* made here, not read from files */
    X509 *cert;                     /* parsed forms of the above, for SSL_CTX */
    STACK_OF(X509) *chain;          /* certificates after the first, or NULL */
    EVP_PKEY *pkey;
};

/* The identity a side presents: k->cert and k->key when set (checked: PEM,
 * the key matches the certificate, valid now), else, when `make` is true,
 * a fresh ECDSA P-256 key and a self-signed certificate valid from an
 * hour ago for 30 days, naming localhost, 127.0.0.1, ::1 and `host` (the
 * host part of the listen address, may be NULL). When neither, -1 with a
 * sentence. Every error names the file (or "the made certificate") and
 * OpenSSL's reason. *id is zeroed first: tls_identity_free is safe after
 * a failure. */
int tls_identity_load(const struct tls_keys *k, bool make, const char *host, const char *who,
                      struct tls_identity *id, char *err, size_t errlen);
void tls_identity_free(struct tls_identity *id);

/* The text of k->ca, checked to hold at least one PEM certificate, in a
 * malloc'ed string (*pem), for gRPC's root certificates. */
int tls_ca_read(const struct tls_keys *k, const char *who, char **pem, char *err,
                size_t errlen);

/* Split an address "HOST:PORT#sha256=HEX" into the address without the pin
 * (in addr[addrlen]) and the pin ("sha256=HEX", or "" when the address has
 * none). -1 with a sentence when the pin is malformed or addr too small. */
int tls_address_split(const char *address, char *addr, size_t addrlen,
                      char pin[TLS_PIN_LEN + 1], char *err, size_t errlen);

/* Write "ADDRESS#sha256=HEX" into bound (for server_start's bound[]). */
int tls_address_join(const char *address, const char *pin, char *bound, size_t boundlen,
                     char *err, size_t errlen);

/* "sha256=HEX" of a certificate given as DER or PEM. 0 or -1. */
int tls_pin_of_x509(X509 *cert, char pin[TLS_PIN_LEN + 1]);
int tls_pin_of_pem(const char *pem, char pin[TLS_PIN_LEN + 1]);

/* ---- for a plugin that runs OpenSSL itself (rest) ---- */

/* A server context: the identity, exactly k->version, session resumption
 * (tickets and a cache) when k->resumption, and with k->mtls a required
 * client certificate verified against k->ca. */
SSL_CTX *tls_server_ctx(const struct tls_keys *k, const struct tls_identity *id,
                        const char *who, char *err, size_t errlen);

/* A client context: exactly k->version; verifying against `pin` when it is
 * not empty (tls_check_pin tests it after the handshake; the pin alone
 * decides, even with k->ca set: only a server that made its own,
 * self-signed certificate hands one out, and no CA could vouch for it),
 * else against k->ca (tls_client_ssl sets the host name to check); with
 * k->mtls presenting `id`. NULL with a sentence when there is neither. */
SSL_CTX *tls_client_ctx(const struct tls_keys *k, const struct tls_identity *id,
                        const char *pin, const char *who, char *err, size_t errlen);

/* A client SSL on fd, checking `host` (an IP or a DNS name) when the
 * context verifies against a CA; a verifying context without a host is
 * refused, as it would take any certificate the CA signed. NULL with a
 * sentence. */
SSL *tls_client_ssl(SSL_CTX *ctx, int fd, const char *host, char *err, size_t errlen);

/* To resume later, a client takes SSL_get1_session after reading an answer
 * (TLS 1.3 tickets arrive after the handshake) and calls SSL_shutdown
 * before SSL_free: OpenSSL makes a TLS 1.2 session unresumable when a
 * connection ends without close_notify. */

/* After a client handshake: 0 when the peer's certificate is the pinned
 * one (or pin is ""), else -1 naming both pins. */
int tls_check_pin(SSL *ssl, const char *pin, const char *peer, char *err, size_t errlen);

/* "OpenSSL: REASON" of the newest error on this thread's OpenSSL error
 * queue (or of the verify result when `ssl` failed verification), and
 * clear the queue. For the end of a message. */
void tls_reason(SSL *ssl, char *buf, size_t len);

#endif
