/*
 * tls_client.c — the rest client's TLS, OpenSSL straight over client.c's
 * socket: the context made once at init, a handshake per connection within
 * the call's deadline, the pin checked after it, reads and writes that
 * keep client.c's plain pattern (write, then one recv that may block while
 * the call is young), and the session of the last good connection offered
 * on the next one (`resumption`), each handshake counted as full or resumed.
 *
 * Why a BIO of our own instead of SSL_set_fd: OpenSSL's socket BIO writes
 * with write(), which raises SIGPIPE on a connection the server reset (a
 * host that does not ignore it dies); ours sends with MSG_NOSIGNAL, and
 * with MSG_DONTWAIT, so the socket stays in the blocking mode client.c's
 * connect and first recv rely on while OpenSSL sees a non-blocking one and
 * every wait is a poll against the deadline.
 */
#include "rest.h"
#include "rest_tls.h"

#include "deadline.h"

#include <openssl/err.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int bio_write(BIO *b, const char *buf, int n)
{
    const struct rest_tls_client *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    ssize_t w = send(t->fd, buf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        BIO_set_retry_write(b);
    return (int)w;
}

static int bio_read(BIO *b, char *buf, int n)
{
    struct rest_tls_client *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    const int flags = t->block_once ? 0 : MSG_DONTWAIT;
    t->block_once = false;
    ssize_t r = recv(t->fd, buf, (size_t)n, flags);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        BIO_set_retry_read(b);
    return (int)r;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)num;
    const struct rest_tls_client *t = BIO_get_data(b);
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_C_GET_FD:
        if (ptr != NULL)
            *(int *)ptr = t->fd;
        return t->fd;
    default:
        return 0;
    }
}

/* A TLS 1.2 server may renegotiate on a kept connection: one more
 * handshake, which the counts must show (the first handshake of each
 * connection is counted in rest_tls_connect). TLS 1.3 has no renegotiation,
 * and OpenSSL 1.1.1 reported HANDSHAKE_DONE there for post-handshake
 * messages (session tickets), which are no handshakes (3.0 does not, but
 * nothing here should rest on that): only versions before 1.3 count.
 * Runs only when the handshake state machine does, never on a plain
 * record. */
static void on_info(const SSL *ssl, int where, int ret)
{
    (void)ret;
    if ((where & SSL_CB_HANDSHAKE_DONE) == 0 || SSL_version(ssl) >= TLS1_3_VERSION)
        return;
    struct rest_tls_client *t = SSL_get_app_data(ssl);
    if (t == NULL || !t->handshook)
        return;
    if (SSL_session_reused(ssl))
        t->resumed++;
    else
        t->full++;
}

int rest_tls_client_init(struct rest_tls_client *t, const struct tls_keys *k,
                         const char *address, char *addr, size_t addrlen,
                         char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->fd = -1;
    t->resumption = k->resumption;
    if (tls_address_split(address, addr, addrlen, t->pin, err, errlen) != 0)
        return -1;
    if (rest_address_host(addr, t->host, sizeof t->host) != 0) {
        snprintf(err, errlen, "rest: server address '%s' has no host:port", addr);
        return -1;
    }
    /* ":PORT" connects to the loopback, but gives no name to check a
     * CA-signed certificate against: any certificate of the CA would do. */
    if (t->host[0] == '\0' && t->pin[0] == '\0') {
        snprintf(err, errlen, "rest: server address '%s' has no host to check the server's "
                 "certificate against: give the name or address the certificate carries", addr);
        return -1;
    }
    if (k->mtls && tls_identity_load(k, false, NULL, "rest", &t->id, err, errlen) != 0)
        return -1;
    /* A pin in the address (a server that made its certificate) is the
     * whole check: that one certificate, whatever `ca` says (a made one is
     * self-signed, so no ca could vouch for it, and ca may be set for the
     * server's check of client certificates). Without a pin, the chain is
     * checked against ca and the host name against the certificate. */
    t->ctx = tls_client_ctx(k, k->mtls ? &t->id : NULL, t->pin, "rest", err, errlen);
    if (t->ctx == NULL)
        return -1;
    SSL_CTX_set_info_callback(t->ctx, on_info);
    t->bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rest socket");
    if (t->bio_method == NULL || BIO_meth_set_write(t->bio_method, bio_write) != 1 ||
        BIO_meth_set_read(t->bio_method, bio_read) != 1 ||
        BIO_meth_set_ctrl(t->bio_method, bio_ctrl) != 1) {
        snprintf(err, errlen, "rest: out of memory for TLS to %s", addr);
        return -1;
    }
    return 0;
}

/* Wait for what OpenSSL asked for (ssl_error: SSL_ERROR_WANT_READ or
 * _WRITE) by the deadline: DEADLINE_READY, _PASSED or _FAILED. */
static enum deadline_wait wait_for(const struct rest_tls_client *t, int ssl_error,
                                   long long deadline)
{
    return deadline_poll(t->fd, ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN,
                         deadline, NULL);
}

/* Did the handshake fail because a plain HTTP server answered? Its
 * "HTTP/1.1 400" is not a TLS record: OpenSSL reports a wrong version
 * number (or a record too long, for other plain text). */
static bool answered_in_plaintext(void)
{
    const unsigned long e = ERR_peek_last_error();
    return ERR_GET_LIB(e) == ERR_LIB_SSL &&
           (ERR_GET_REASON(e) == SSL_R_WRONG_VERSION_NUMBER ||
            ERR_GET_REASON(e) == SSL_R_PACKET_LENGTH_TOO_LONG ||
            ERR_GET_REASON(e) == SSL_R_HTTP_REQUEST);
}

/* The handshake failed with `e` (SSL_get_error): one sentence. */
static void handshake_failed(struct rest_tls_client *t, int e, const char *peer, char *err,
                             size_t errlen)
{
    char reason[256];
    if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        snprintf(err, errlen, "rest: %s closed the connection during the TLS handshake "
                 "(%s; is it a TLS server?)", peer,
                 errno != 0 ? strerror(errno) : "end of stream");
        return;
    }
    if (answered_in_plaintext()) {
        tls_reason(t->ssl, reason, sizeof reason);
        snprintf(err, errlen, "rest: %s answered in plaintext, it is not speaking TLS "
                 "(set tls = false for it, or turn TLS on in its server); %s", peer, reason);
        return;
    }
    tls_reason(t->ssl, reason, sizeof reason);
    snprintf(err, errlen, "rest: TLS handshake with %s failed; %s", peer, reason);
}

int rest_tls_connect(struct rest_tls_client *t, int fd, const char *peer,
                     unsigned timeout_ms, long long deadline, char *err, size_t errlen)
{
    ERR_clear_error();
    t->fd = fd;
    t->block_once = false;
    char why[300];
    t->ssl = tls_client_ssl(t->ctx, fd, t->host, why, sizeof why);
    if (t->ssl == NULL) {
        snprintf(err, errlen, "rest: TLS to %s: %s", peer, why);
        return -1;
    }
    BIO *bio = BIO_new(t->bio_method);
    if (bio == NULL) {
        snprintf(err, errlen, "rest: out of memory for a TLS connection to %s", peer);
        rest_tls_close(t, false);
        return -1;
    }
    BIO_set_data(bio, t);
    SSL_set_app_data(t->ssl, t); /* for on_info */
    t->handshook = false;
    BIO_set_init(bio, 1);
    SSL_set_bio(t->ssl, bio, bio);   /* replaces (and frees) tls.c's fd BIO */
    if (t->resumption && t->session != NULL)
        SSL_set_session(t->ssl, t->session);
    for (;;) {
        errno = 0;
        const int r = SSL_connect(t->ssl);
        if (r == 1)
            break;
        const int e = SSL_get_error(t->ssl, r);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
            handshake_failed(t, e, peer, err, errlen);
            rest_tls_close(t, false);
            return -1;
        }
        const enum deadline_wait w = wait_for(t, e, deadline);
        if (w != DEADLINE_READY) {
            if (w == DEADLINE_PASSED)
                snprintf(err, errlen, "rest: the TLS handshake with %s did not finish within "
                         "%u ms (the server accepted the connection, then stalled)",
                         peer, timeout_ms);
            else
                snprintf(err, errlen, "rest: poll during the TLS handshake with %s: %s",
                         peer, strerror(errno));
            rest_tls_close(t, false);
            return -1;
        }
    }
    if (tls_check_pin(t->ssl, t->pin, peer, why, sizeof why) != 0) {
        snprintf(err, errlen, "rest: %s", why);
        rest_tls_close(t, false);
        return -1;
    }
    if (SSL_session_reused(t->ssl))
        t->resumed++;
    else
        t->full++;
    t->handshook = true; /* from here on, a handshake is a renegotiation */
    return 0;
}

/* An I/O call on the connection failed with `e` (not a want): errno kept
 * for the caller when it was the socket, else err holds OpenSSL's word. */
static int io_failed(struct rest_tls_client *t, int e, int ret, const char *peer,
                     const char *doing, char *err, size_t errlen)
{
    char reason[256];
    if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        if (ret == 0 || errno == 0)
            return 0;            /* the peer closed without close_notify */
        snprintf(err, errlen, "rest: %s %s: %s", doing, peer, strerror(errno));
        return -1;
    }
    tls_reason(t->ssl, reason, sizeof reason);
    snprintf(err, errlen, "rest: TLS error %s %s; %s", doing, peer, reason);
    errno = EPROTO;
    return -1;
}

/* A write failed: did the server send an alert before it closed (a TLS
 * 1.3 server that refuses our certificate, or the lack of one, does so
 * after our handshake has finished)? Then err gives its reason, errno is
 * EPROTO (not a stale connection), and true. One read, never waiting. */
static bool alert_waiting(struct rest_tls_client *t, const char *peer, char *err,
                          size_t errlen)
{
    ERR_clear_error();
    char byte;
    size_t got = 0;
    t->block_once = false;
    if (SSL_read_ex(t->ssl, &byte, 1, &got) == 1 ||
        SSL_get_error(t->ssl, 0) != SSL_ERROR_SSL || ERR_peek_error() == 0) {
        ERR_clear_error();
        return false;
    }
    char reason[256];
    tls_reason(t->ssl, reason, sizeof reason);
    snprintf(err, errlen, "rest: %s refused the connection; %s", peer, reason);
    errno = EPROTO;
    return true;
}

int rest_tls_write_all(struct rest_tls_client *t, const void *buf, size_t n,
                       const char *peer, long long deadline, char *err, size_t errlen)
{
    const char *p = buf;
    while (n > 0) {
        size_t done = 0;
        errno = 0;
        const int r = SSL_write_ex(t->ssl, p, n, &done);
        if (r == 1) {
            p += done;
            n -= done;
            continue;
        }
        const int e = SSL_get_error(t->ssl, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            const enum deadline_wait w = wait_for(t, e, deadline);
            if (w == DEADLINE_READY)
                continue;
            if (w == DEADLINE_PASSED) {
                snprintf(err, errlen, "rest: timed out sending to %s", peer);
                errno = ETIMEDOUT;
            } else {
                snprintf(err, errlen, "rest: poll while sending to %s: %s", peer,
                         strerror(errno));
            }
            return -1;
        }
        const int saved = errno;
        if (alert_waiting(t, peer, err, errlen))
            return -1;
        errno = saved;
        if (io_failed(t, e, r, peer, "sending to", err, errlen) == 0) {
            snprintf(err, errlen, "rest: %s closed the connection", peer);
            errno = EPIPE;
        }
        return -1;
    }
    return 0;
}

ssize_t rest_tls_recv(struct rest_tls_client *t, void *buf, size_t n, bool first,
                      const char *peer, unsigned timeout_ms, long long deadline,
                      char *err, size_t errlen)
{
    t->block_once = first;
    for (;;) {
        size_t got = 0;
        errno = 0;
        const int r = SSL_read_ex(t->ssl, buf, n, &got);
        t->block_once = false;
        if (r == 1)
            return (ssize_t)got;
        const int e = SSL_get_error(t->ssl, r);
        if (e == SSL_ERROR_ZERO_RETURN)
            return 0;
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            const enum deadline_wait w = wait_for(t, e, deadline);
            if (w == DEADLINE_READY)
                continue;
            if (w == DEADLINE_PASSED)
                snprintf(err, errlen, "rest: no answer from %s within %u ms", peer, timeout_ms);
            else
                snprintf(err, errlen, "rest: poll on the connection to %s: %s", peer,
                         strerror(errno));
            return REST_TLS_GAVE_UP;
        }
        const int saved = errno;
        if (io_failed(t, e, r, peer, "reading from", err, errlen) == 0)
            return 0;
        if (e == SSL_ERROR_SYSCALL && (saved == ECONNRESET || saved == EPIPE)) {
            errno = saved;
            return -1;          /* client.c tells a stale connection by it */
        }
        return REST_TLS_GAVE_UP;
    }
}

void rest_tls_close(struct rest_tls_client *t, bool good)
{
    if (t->ssl == NULL)
        return;
    if (t->answered) {
        /* TLS 1.3 tickets arrive after the handshake, so the session worth
         * keeping is the one after an answer was read. A connection that
         * answered and then went (a keep-alive the server timed out) had
         * a good session all the same. */
        if (t->resumption) {
            SSL_SESSION *s = SSL_get1_session(t->ssl);
            if (s != NULL && SSL_SESSION_is_resumable(s)) {
                SSL_SESSION_free(t->session);
                t->session = s;
            } else {
                SSL_SESSION_free(s);
            }
        }
        /* close_notify (one send) after a whole answer; otherwise only
         * the mark of it, without which SSL_free would count the session
         * bad and never resume it. */
        if (good)
            SSL_shutdown(t->ssl);
        else
            SSL_set_shutdown(t->ssl, SSL_SENT_SHUTDOWN);
    }
    SSL_free(t->ssl);
    t->ssl = NULL;
    t->answered = false;
    ERR_clear_error();
}

void rest_tls_client_free(struct rest_tls_client *t)
{
    rest_tls_close(t, false);
    SSL_SESSION_free(t->session);
    t->session = NULL;
    SSL_CTX_free(t->ctx);
    t->ctx = NULL;
    BIO_meth_free(t->bio_method);
    t->bio_method = NULL;
    tls_identity_free(&t->id);
}
