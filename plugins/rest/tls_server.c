/*
 * tls_server.c — the rest server's TLS: one SSL_CTX made at start from the
 * section's keys (tls.h does the identity and the context), and the
 * bufferevent_openssl that guard.c hands evhttp for every accepted
 * connection. Why the server needs nothing else: bufferevent_openssl runs
 * the handshake inside the connection's bufferevent, so evhttp reads and
 * writes plaintext as before, and the guard's per-connection deadline
 * (guard.c) counts from the accept, so a peer that stalls mid-handshake is
 * dropped by the same timer as one that stalls mid-request.
 */
#include "rest.h"
#include "rest_tls.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>

#include <stdio.h>
#include <string.h>

SSL_CTX *rest_tls_server_ctx(const struct tls_keys *k, const char *listen, char *bound,
                             size_t boundlen, char *err, size_t errlen)
{
    /* The made certificate names the listen host too (besides localhost
     * and the loopback addresses), so a client given its address can
     * check it; a wildcard listen gives no host worth naming. */
    char host[256];
    const char *name = NULL;
    if (listen != NULL && rest_address_host(listen, host, sizeof host) == 0 &&
        host[0] != '\0' && strcmp(host, "0.0.0.0") != 0 && strcmp(host, "::") != 0)
        name = host;
    struct tls_identity id;
    if (tls_identity_load(k, true, name, "rest", &id, err, errlen) != 0) {
        tls_identity_free(&id);
        return NULL;
    }
    SSL_CTX *ctx = tls_server_ctx(k, &id, "rest", err, errlen);
    if (ctx != NULL && id.made) {
        char plain[256];
        snprintf(plain, sizeof plain, "%s", bound);
        if (tls_address_join(plain, id.pin, bound, boundlen, err, errlen) != 0) {
            SSL_CTX_free(ctx);
            ctx = NULL;
        }
    }
    /* The context holds its own references to the certificate and key;
     * the PEM copies (the key's wiped) go now. */
    tls_identity_free(&id);
    return ctx;
}

struct bufferevent *rest_tls_bufferevent(struct event_base *base, void *ctx)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return NULL;
    /* CLOSE_ON_FREE: the bufferevent frees the SSL (and closes the socket,
     * which evhttp then leaves alone). */
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        SSL_free(ssl);
        return NULL;
    }
    /* A client that closes without close_notify (most do, after a
     * "Connection: close" answer) ends its connection like any EOF. */
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    return bev;
}

void rest_tls_goodbye(struct bufferevent *bev)
{
    SSL *ssl = bufferevent_openssl_get_ssl(bev);
    /* One non-blocking write of the alert through the socket; if the
     * socket will not take it now, the connection closes without it. */
    if (ssl != NULL && SSL_is_init_finished(ssl))
        SSL_shutdown(ssl);
    /* A refusal leaves its reason on this thread's queue, where the next
     * connection's bufferevent would take it for its own error. */
    ERR_clear_error();
}
