/*
 * test_tls.c — the rest plugin with tls = true, both sides in this process
 * over loopback: every mode answers (keep-alive and close, a made
 * certificate verified by its pin and files verified by a CA, TLS 1.2 and
 * 1.3, resumption on and off, GET and POST with a 4k payload) and counts
 * its handshakes as the issue says; mTLS; and each bad input and fault
 * fails with one line naming the file or the peer, within its deadline.
 * The PEM files are made by tls_certs.sh in a temporary directory before
 * the tests run (main), and removed after.
 */
#include "rest_test.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define ERRLEN 512

static char certs[256];          /* the directory tls_certs.sh filled */
/* Paths of its files, made once in main; the forked tests inherit them. */
static char ca[300], leaf[300], leaf_key[300], expired[300], expired_key[300],
    other_ca[300], other_key[300], junk[300], stranger[300], stranger_key[300],
    elsewhere[300], elsewhere_key[300];

/* Params from a NULL-terminated "key", "value" list (up to 16 pairs). */
static void params_v(struct harness_params *hp, const char *address, unsigned timeout_ms,
                     const char *const *kv)
{
    harness_params(hp, address, timeout_ms, NULL);
    for (int i = 0; kv[i] != NULL; i += 2) {
        ck_assert_uint_lt(hp->p.n_options, 16);
        hp->opts[hp->p.n_options].key = kv[i];
        hp->opts[hp->p.n_options].value = kv[i + 1];
        hp->p.n_options++;
    }
}

/* server_start on 127.0.0.1:0: 0 and the bound address (with its pin when
 * the certificate was made), or -1 and err. */
static int start_server_on(const char *listen, const char *const *kv, void **s,
                           char bound[256], char err[ERRLEN])
{
    struct harness_params hp;
    params_v(&hp, listen, 2000, kv);
    *s = NULL;
    err[0] = '\0';
    return T->server_start(s, &hp.p, bound, 256, err, ERRLEN);
}

static int start_server(const char *const *kv, void **s, char bound[256], char err[ERRLEN])
{
    return start_server_on("127.0.0.1:0", kv, s, bound, err);
}

static void *server_ok(const char *const *kv, char bound[256])
{
    void *s;
    char err[ERRLEN];
    ck_assert_msg(start_server(kv, &s, bound, err) == 0, "server_start: %s", err);
    return s;
}

/* init: its return code; *c is the handle to shut down either way. */
static int start_client(const char *address, unsigned timeout_ms, const char *const *kv,
                        void **c, char err[ERRLEN])
{
    struct harness_params hp;
    params_v(&hp, address, timeout_ms, kv);
    *c = NULL;
    err[0] = '\0';
    return T->init(c, &hp.p, err, ERRLEN);
}

static void *client_ok(const char *address, const char *const *kv)
{
    void *c;
    char err[ERRLEN];
    ck_assert_msg(start_client(address, 3000, kv, &c, err) == 0, "init: %s", err);
    return c;
}

/* A client that must be refused, at init (a handshake at connect) or at
 * its first call (TLS 1.3 refusals after the handshake, close mode): -1
 * within timeout_ms, the answer untouched, the sentence in err. */
static void refused(const char *address, unsigned timeout_ms, const char *const *kv,
                    char err[ERRLEN])
{
    void *c;
    const long long t0 = harness_now_ms();
    int rc = start_client(address, timeout_ms, kv, &c, err);
    if (rc == 0) {
        int64_t r = 12345;
        rc = T->increment(c, 41, &r, err, ERRLEN);
        ck_assert_int_eq(r, 12345);
    }
    ck_assert_msg(rc == -1, "a client of %s was served", address);
    ck_assert_int_lt(harness_now_ms() - t0, timeout_ms);
    T->shutdown(c);
}

static struct incbench_stats stats_of(void *c)
{
    struct incbench_stats st;
    memset(&st, 0, sizeof st);
    T->stats(c, &st);
    return st;
}

/* One line that says `a` and `b` (either may be NULL), starts with the
 * plugin's name, and shows no private key. */
static void assert_line(const char *err, const char *a, const char *b)
{
    ck_assert_msg(strncmp(err, "rest: ", 6) == 0, "'%s' does not start with 'rest: '", err);
    ck_assert_msg(strchr(err, '\n') == NULL, "'%s' is more than one line", err);
    ck_assert_msg(strstr(err, "PRIVATE KEY") == NULL, "'%s' shows a key", err);
    ck_assert_msg(a == NULL || strstr(err, a) != NULL, "'%s' does not say '%s'", err, a);
    ck_assert_msg(b == NULL || strstr(err, b) != NULL, "'%s' does not say '%s'", err, b);
}

/* The address without its pin (for raw sockets and for messages). */
static void plain_address(const char *bound, char out[256])
{
    snprintf(out, 256, "%s", bound);
    char *hash = strchr(out, '#');
    if (hash != NULL)
        *hash = '\0';
}

/* ---- every mode answers, and counts its handshakes ---- */

/* _i's bits: 1 close, 2 files (ca) rather than the made certificate's pin,
 * 4 TLS 1.2, 8 resumption off, 16 POST. */
START_TEST(each_mode_answers_and_counts_its_handshakes)
{
    const bool close_mode = _i & 1, files = _i & 2, v12 = _i & 4, no_resume = _i & 8,
               post = _i & 16;
    const char *connection = close_mode ? "close" : "keepalive";
    const char *version = v12 ? "1.2" : "1.3";
    const char *resumption = no_resume ? "false" : "true";
    const char *method = post ? "post" : "get";
    const char *skv[] = { "tls", "true", "tls_version", version, "resumption", resumption,
                          "payload", "4096", files ? "cert" : NULL, leaf, "key", leaf_key,
                          NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    ck_assert_msg((strstr(bound, "#sha256=") != NULL) == !files,
                  "bound '%s': a made certificate's pin, and only then", bound);
    const char *ckv[] = { "tls", "true", "tls_version", version, "resumption", resumption,
                          "connection", connection, "method", method, "payload", "4096",
                          "verify", "true", files ? "ca" : NULL, ca, NULL };
    void *c = client_ok(bound, ckv);
    const int calls = 5;
    int64_t v = -3;
    char err[ERRLEN] = "";
    for (int i = 0; i < calls; i++)
        ck_assert_msg(T->increment(c, v, &v, err, sizeof err) == 0, "%s %s %s %s %s, call %d: "
                      "%s", connection, files ? "ca" : "pin", version, resumption, method, i,
                      err);
    ck_assert_int_eq(v, 2);
    struct incbench_stats st = stats_of(c);
    if (!close_mode) {
        ck_assert_uint_eq(st.connections, 1);
        ck_assert_uint_eq(st.tls_full_handshakes, 1);
        ck_assert_uint_eq(st.tls_resumed_handshakes, 0);
    } else if (!no_resume) {
        ck_assert_uint_eq(st.connections, calls);
        ck_assert_uint_eq(st.tls_full_handshakes, 1);
        ck_assert_uint_eq(st.tls_resumed_handshakes, calls - 1);
    } else {
        ck_assert_uint_eq(st.connections, calls);
        ck_assert_uint_eq(st.tls_full_handshakes, calls);
        ck_assert_uint_eq(st.tls_resumed_handshakes, 0);
    }
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* A runner of ABI minor 2 has no TLS counters in its stats: the client
 * must not write past the struct it was given. */
START_TEST(older_runner_gets_no_tls_counters)
{
    const char *skv[] = { "tls", "true", NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    const char *ckv[] = { "tls", "true", NULL };
    struct harness_params hp;
    params_v(&hp, bound, 3000, ckv);
    hp.p.abi_version = INCBENCH_ABI_MAKE(INCBENCH_ABI_MAJOR, 2);
    void *c = NULL;
    char err[ERRLEN] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    struct incbench_stats st;
    memset(&st, 0xab, sizeof st);
    T->stats(c, &st);
    ck_assert_uint_eq(st.connections, 1);
    ck_assert_uint_eq(st.tls_full_handshakes, 0xababababababababull);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* ---- mutual TLS ---- */

START_TEST(mtls_serves_a_client_with_a_certificate_and_refuses_one_without)
{
    const char *version = _i ? "1.2" : "1.3";
    const char *skv[] = { "tls", "true", "tls_version", version, "cert", leaf, "key", leaf_key,
                          "ca", ca, "mtls", "true", NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    const char *with[] = { "tls", "true", "tls_version", version, "cert", leaf, "key", leaf_key,
                           "ca", ca, "mtls", "true", NULL };
    void *c = client_ok(bound, with);
    int64_t r = 0;
    char err[ERRLEN] = "";
    ck_assert_msg(T->increment(c, 41, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 42);
    T->shutdown(c);

    /* Without a certificate: TLS 1.2 refuses in the handshake (init),
     * TLS 1.3 after it, at the first read (the call). */
    const char *without[] = { "tls", "true", "tls_version", version, "ca", ca, NULL };
    refused(bound, 2000, without, err);
    char plain[256];
    plain_address(bound, plain);
    /* OpenSSL's reasons: TLS 1.3 has an alert for it, 1.2 a general one. */
    assert_line(err, plain, _i ? "OpenSSL: sslv3 alert handshake failure"
                               : "OpenSSL: tlsv13 alert certificate required");
    T->server_stop(s);
}
END_TEST

/* A client certificate the server's ca did not sign is refused like none
 * (TLS 1.2 in the handshake, 1.3 at the call's first read), in one line
 * naming the server and OpenSSL's reason. */
START_TEST(mtls_refuses_a_client_certificate_from_another_ca)
{
    const char *version = _i ? "1.2" : "1.3";
    const char *skv[] = { "tls", "true", "tls_version", version, "cert", leaf, "key", leaf_key,
                          "ca", ca, "mtls", "true", NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    const char *ckv[] = { "tls", "true", "tls_version", version, "cert", stranger, "key",
                          stranger_key, "ca", ca, "mtls", "true", NULL };
    char err[ERRLEN] = "";
    refused(bound, 2000, ckv, err);
    assert_line(err, bound, "OpenSSL: tlsv1 alert unknown ca");
    T->server_stop(s);
}
END_TEST

/* TLS 1.3 refuses a missing client certificate after the client's
 * handshake finished: a keep-alive client that calls after the server has
 * gone names the refusal from the alert left on its connection, and does
 * not take the failure for a stale connection to retry. */
START_TEST(mtls_refusal_found_after_a_pause_is_not_retried)
{
    const char *skv[] = { "tls", "true", "cert", leaf, "key", leaf_key, "ca", ca, "mtls", "true",
                          NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    const char *ckv[] = { "tls", "true", "ca", ca, NULL };
    void *c;
    char err[ERRLEN] = "";
    ck_assert_msg(start_client(bound, 2000, ckv, &c, err) == 0, "init: %s", err);
    harness_nap_ms(300);
    int64_t r = 12345;
    ck_assert_int_eq(T->increment(c, 41, &r, err, sizeof err), -1);
    ck_assert_int_eq(r, 12345);
    assert_line(err, bound, "OpenSSL: tlsv13 alert certificate required");
    ck_assert_uint_eq(stats_of(c).connections, 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* ---- the server refuses bad files at start ---- */

START_TEST(server_start_refuses_bad_files_naming_them)
{
    struct {
        const char *cert, *key, *says, *also;
    } cases[] = {
        { leaf, other_key, other_key, "does not match" },
        { expired, expired_key, expired, "expired" },
        { junk, leaf_key, junk, "OpenSSL" },
        { leaf, junk, junk, "OpenSSL" },
        { "/nonexistent/leaf.pem", leaf_key, "/nonexistent/leaf.pem", NULL },
    };
    const int n = (int)(sizeof cases / sizeof cases[0]);
    for (int i = 0; i < n; i++) {
        const char *skv[] = { "tls", "true", "cert", cases[i].cert, "key", cases[i].key, NULL };
        void *s;
        char bound[256], err[ERRLEN];
        ck_assert_msg(start_server(skv, &s, bound, err) == -1, "case %d started", i);
        ck_assert_ptr_null(s);
        assert_line(err, cases[i].says, cases[i].also);
    }
}
END_TEST

/* ---- the client refuses what it cannot verify ---- */

START_TEST(client_without_pin_or_ca_refuses_to_start)
{
    void *c;
    char err[ERRLEN];
    const char *kv[] = { "tls", "true", NULL };
    ck_assert_int_eq(start_client("127.0.0.1:1", 1000, kv, &c, err), -1);
    assert_line(err, "'ca'", NULL);
    T->shutdown(c);
    const char *bad_ca[] = { "tls", "true", "ca", junk, NULL };
    ck_assert_int_eq(start_client("127.0.0.1:1", 1000, bad_ca, &c, err), -1);
    assert_line(err, junk, NULL);
    T->shutdown(c);
}
END_TEST

START_TEST(client_with_the_wrong_ca_names_the_peer_and_the_reason)
{
    const char *skv[] = { "tls", "true", "cert", leaf, "key", leaf_key, NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    const char *ckv[] = { "tls", "true", "ca", other_ca, NULL };
    void *c;
    char err[ERRLEN];
    ck_assert_int_eq(start_client(bound, 2000, ckv, &c, err), -1);
    assert_line(err, bound, "OpenSSL: certificate verify failed");
    T->shutdown(c);
    T->server_stop(s);
    /* The right CA, but a host the certificate does not name (it names
     * 127.0.0.1 and localhost; loopback answers 127.0.0.2 too). */
    char err2[ERRLEN];
    ck_assert_msg(start_server_on("127.0.0.2:0", skv, &s, bound, err2) == 0,
                  "server_start: %s", err2);
    const char *right[] = { "tls", "true", "ca", ca, NULL };
    ck_assert_int_eq(start_client(bound, 2000, right, &c, err), -1);
    assert_line(err, bound, "OpenSSL: certificate verify failed");
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(client_with_the_wrong_pin_names_the_peer)
{
    const char *skv[] = { "tls", "true", NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    char wrong[256];
    snprintf(wrong, sizeof wrong, "%s", bound);
    char *digit = strstr(wrong, "#sha256=") + 8;
    *digit = *digit == '0' ? '1' : '0';
    const char *ckv[] = { "tls", "true", NULL };
    void *c;
    char err[ERRLEN];
    ck_assert_int_eq(start_client(wrong, 2000, ckv, &c, err), -1);
    char plain[256];
    plain_address(bound, plain);
    assert_line(err, plain, "not the pinned one");
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* With a pin in the address the pin alone decides: a made certificate is
 * taken though `ca` (here one that signed nothing the server has) is set,
 * and a wrong pin is refused though ca is set. */
START_TEST(a_pin_decides_alone_even_with_a_ca)
{
    const char *skv[] = { "tls", "true", NULL };
    char bound[256], plain[256];
    void *s = server_ok(skv, bound);
    plain_address(bound, plain);
    const char *ckv[] = { "tls", "true", "ca", other_ca, NULL };
    void *c = client_ok(bound, ckv);
    int64_t r = 0;
    char err[ERRLEN] = "";
    ck_assert_msg(T->increment(c, 41, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 42);
    T->shutdown(c);
    char wrong[256];
    snprintf(wrong, sizeof wrong, "%s", bound);
    char *digit = strstr(wrong, "#sha256=") + 8;
    *digit = *digit == '0' ? '1' : '0';
    const char *right_ca[] = { "tls", "true", "ca", ca, NULL };
    ck_assert_int_eq(start_client(wrong, 2000, right_ca, &c, err), -1);
    assert_line(err, plain, "not the pinned one");
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* A client verifying by ca checks the host of the address: a certificate
 * the ca signed for another name is refused, and an address with no host
 * (":PORT", which connects to loopback) is refused at init, since there
 * would be no name to check. */
START_TEST(a_ca_client_checks_the_host_and_needs_one)
{
    const char *skv[] = { "tls", "true", "cert", elsewhere, "key", elsewhere_key, NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    const char *ckv[] = { "tls", "true", "ca", ca, NULL };
    void *c;
    char err[ERRLEN] = "";
    ck_assert_int_eq(start_client(bound, 2000, ckv, &c, err), -1);
    assert_line(err, bound, "OpenSSL: certificate verify failed");
    T->shutdown(c);
    /* getaddrinfo gives ":PORT" the loopback, ::1 first where it exists:
     * serve there too, so that without the refusal the call would get
     * through to a certificate nobody checked. */
    void *s6 = NULL;
    char bound6[256], err6[ERRLEN];
    if (start_server_on("[::1]:0", skv, &s6, bound6, err6) != 0)
        snprintf(bound6, sizeof bound6, "%s", bound);
    char hostless[256];
    snprintf(hostless, sizeof hostless, "%s", strrchr(bound6, ':'));
    for (int i = 0; i < 2; i++) {
        const char *kv[] = { "tls", "true", "ca", ca, "connection", i ? "close" : "keepalive",
                             NULL };
        refused(hostless, 2000, kv, err);
        assert_line(err, hostless, "no host");
    }
    T->server_stop(s6);
    T->server_stop(s);
}
END_TEST

/* ---- plaintext and TLS meet ---- */

START_TEST(plaintext_client_against_tls_server_fails_in_one_line)
{
    const char *connection = _i ? "close" : "keepalive";
    const char *skv[] = { "tls", "true", NULL };
    char bound[256], plain[256];
    void *s = server_ok(skv, bound);
    plain_address(bound, plain);
    const char *ckv[] = { "connection", connection, NULL };
    void *c = client_ok(plain, ckv);
    int64_t r = 12345;
    char err[ERRLEN] = "";
    const long long t0 = harness_now_ms();
    ck_assert_int_eq(T->increment(c, 41, &r, err, sizeof err), -1);
    ck_assert_int_lt(harness_now_ms() - t0, 3000);
    ck_assert_int_eq(r, 12345);
    assert_line(err, plain, "tls = true");
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(tls_client_against_plaintext_server_fails_in_one_line)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    char pinned[256];
    snprintf(pinned, sizeof pinned, "%s#sha256=%064d", bound, 0);
    const char *ckv[] = { "tls", "true", "connection", _i ? "close" : "keepalive", NULL };
    char err[ERRLEN] = "";
    refused(pinned, 2000, ckv, err);
    assert_line(err, bound, "answered in plaintext");
    ck_assert_msg(strstr(err, "OpenSSL: ") != NULL, "'%s' gives no OpenSSL reason", err);
    T->server_stop(s);
}
END_TEST

/* ---- stalls ---- */

/* A "server" that completes TCP (the kernel does, from the backlog) and
 * never says a word: the handshake must give up at the client's timeout. */
START_TEST(client_gives_up_on_a_server_that_stalls_mid_handshake)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
    socklen_t sl = sizeof sa;
    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    ck_assert_int_eq(listen(lfd, 8), 0);
    ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
    char address[256];
    snprintf(address, sizeof address, "127.0.0.1:%u#sha256=%064d", ntohs(sa.sin_port), 0);
    const char *ckv[] = { "tls", "true", NULL };
    void *c;
    char err[ERRLEN];
    const long long t0 = harness_now_ms();
    ck_assert_int_eq(start_client(address, 300, ckv, &c, err), -1);
    const long long took = harness_now_ms() - t0;
    ck_assert_msg(took >= 250 && took < 1500, "gave up after %lld ms, timeout 300", took);
    assert_line(err, "did not finish within 300 ms", NULL);
    T->shutdown(c);
    close(lfd);
}
END_TEST

/* A client that connects and stops mid-handshake (nothing, part of a
 * ClientHello, or a byte of it now and then) is dropped by the server at
 * server_timeout_ms; others are served meanwhile, and server_stop with TLS
 * clients attached is prompt. */
START_TEST(server_drops_a_client_that_stalls_mid_handshake)
{
    const char *skv[] = { "tls", "true", "server_timeout_ms", "300", NULL };
    char bound[256], plain[256];
    void *s = server_ok(skv, bound);
    plain_address(bound, plain);
    int fd = harness_connect(plain);
    if (_i == 1) {
        /* A TLS record header promising 512 bytes, then two of them. */
        static const unsigned char part[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00 };
        ck_assert_int_eq(send(fd, part, sizeof part, MSG_NOSIGNAL), (ssize_t)sizeof part);
    }
    const char *ckv[] = { "tls", "true", NULL };
    void *c = client_ok(bound, ckv);
    int64_t r = 0;
    char err[ERRLEN] = "";
    ck_assert_msg(T->increment(c, 1, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 2);
    const long long t0 = harness_now_ms();
    char buf[64];
    ssize_t n;
    if (_i == 2) {
        /* A byte of the promised record every 100 ms: evhttp's own timeout
         * (inactivity) never fires; the guard's deadline must. */
        static const unsigned char head[] = { 0x16, 0x03, 0x01, 0x02, 0x00 };
        for (int k = 0; harness_now_ms() - t0 < 3000; k++) {
            if (send(fd, k < 5 ? &head[k] : head, 1, MSG_NOSIGNAL) != 1)
                break;
            struct pollfd p = { .fd = fd, .events = POLLIN };
            if (poll(&p, 1, 100) == 1)
                break;
        }
    }
    do
        n = recv(fd, buf, sizeof buf, 0);   /* 5 s socket timeout (harness) */
    while (n > 0);
    const long long took = harness_now_ms() - t0;
    ck_assert_msg(n == 0 || errno == ECONNRESET, "recv: %s (not closed by the server)",
                  strerror(errno));
    ck_assert_msg(took < 2000, "dropped after %lld ms, server_timeout_ms 300", took);
    /* Another stalled one, and the kept-alive client: stop is prompt. */
    int fd2 = harness_connect(plain);
    const long long t1 = harness_now_ms();
    T->server_stop(s);
    ck_assert_int_lt(harness_now_ms() - t1, 1000);
    T->shutdown(c);
    close(fd);
    close(fd2);
}
END_TEST

/* server_stop closes the connections on its caller's thread, where
 * SIGPIPE is not blocked (this process does not ignore it): a connection
 * whose client has just reset (it left TLS 1.3 tickets unread) must not
 * be written to there. The reset races the server's loop: 20 tries. */
START_TEST(server_stop_right_after_clients_reset_is_quiet)
{
    for (int k = 0; k < 20; k++) {
        const char *skv[] = { "tls", "true", NULL };
        char bound[256];
        void *s = server_ok(skv, bound);
        const char *ckv[] = { "tls", "true", NULL };
        void *c = client_ok(bound, ckv);
        T->shutdown(c);
        T->server_stop(s);
    }
}
END_TEST

/* A keep-alive client whose connection the server dropped while idle
 * reconnects once (a new full or resumed handshake) and is served. */
START_TEST(keepalive_client_reconnects_after_the_server_closed_it)
{
    const char *skv[] = { "tls", "true", "server_timeout_ms", "200", NULL };
    char bound[256];
    void *s = server_ok(skv, bound);
    const char *ckv[] = { "tls", "true", NULL };
    void *c = client_ok(bound, ckv);
    int64_t r = 0;
    char err[ERRLEN] = "";
    ck_assert_msg(T->increment(c, 1, &r, err, sizeof err) == 0, "increment: %s", err);
    harness_nap_ms(600);
    ck_assert_msg(T->increment(c, 2, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 3);
    struct incbench_stats st = stats_of(c);
    ck_assert_uint_eq(st.connections, 2);
    ck_assert_uint_eq(st.tls_full_handshakes + st.tls_resumed_handshakes, 2);
    ck_assert_uint_eq(st.tls_resumed_handshakes, 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* The TLS keys on a plaintext section, and bad values: refused by both. */
START_TEST(tls_keys_without_tls_are_refused)
{
    const char *kv[] = { "resumption", "false", NULL };
    void *c, *s;
    char err[ERRLEN], bound[256];
    ck_assert_int_eq(start_client("127.0.0.1:1", 1000, kv, &c, err), -1);
    assert_line(err, "'resumption'", "'tls'");
    T->shutdown(c);
    const char *v[] = { "tls", "true", "tls_version", "1.1", NULL };
    ck_assert_int_eq(start_server(v, &s, bound, err), -1);
    assert_line(err, "tls_version", NULL);
}
END_TEST

/* ---- renegotiation ---- */

/* A TLS 1.2 HTTP server of the test's own (evhttp never renegotiates):
 * one connection, answering `calls` GETs, and asking for a new handshake
 * (HelloRequest) before its second answer. */
struct reneg_server {
    int lfd;
    int calls;
    int renegotiated;      /* SSL_renegotiate took */
};

static void *reneg_serve(void *arg)
{
    struct reneg_server *rs = arg;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    if (SSL_CTX_use_certificate_file(ctx, leaf, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, leaf_key, SSL_FILETYPE_PEM) != 1) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    /* The client may never come (its init failed): wait 5 s at most. */
    struct pollfd pfd = { .fd = rs->lfd, .events = POLLIN };
    if (poll(&pfd, 1, 5000) != 1) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    int fd = accept(rs->lfd, NULL, NULL);
    if (fd < 0) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    struct timeval tv = { 5, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
        for (int i = 0; i < rs->calls; i++) {
            char req[2048];
            size_t got = 0;
            /* A GET comes whole in one record; a renegotiation started
             * below is finished by OpenSSL inside this read. */
            if (SSL_read_ex(ssl, req, sizeof req - 1, &got) != 1)
                break;
            req[got] = '\0';
            long long v = 0;
            if (sscanf(req, "GET /increment/%lld", &v) != 1)
                break;
            if (i == 1 && SSL_renegotiate(ssl) == 1 && SSL_do_handshake(ssl) == 1)
                rs->renegotiated = 1;
            char body[64], resp[256];
            int bl = snprintf(body, sizeof body, "{\"value\": %lld}", v + 1);
            int n = snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Type: "
                             "application/json\r\nContent-Length: %d\r\n\r\n%s", bl, body);
            size_t put = 0;
            if (SSL_write_ex(ssl, resp, (size_t)n, &put) != 1)
                break;
        }
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return NULL;
}

/* A keep-alive client on TLS 1.2 whose server renegotiates: one
 * connection, two full handshakes, and every answer right. */
START_TEST(a_renegotiation_on_a_kept_connection_is_counted)
{
    struct reneg_server rs = { .calls = 4 };
    rs.lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
    socklen_t sl = sizeof sa;
    ck_assert_int_eq(bind(rs.lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    ck_assert_int_eq(listen(rs.lfd, 8), 0);
    ck_assert_int_eq(getsockname(rs.lfd, (struct sockaddr *)&sa, &sl), 0);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, reneg_serve, &rs), 0);
    char address[64];
    snprintf(address, sizeof address, "127.0.0.1:%u", ntohs(sa.sin_port));
    const char *ckv[] = { "tls", "true", "ca", ca, "tls_version", "1.2", NULL };
    void *c = client_ok(address, ckv);
    for (int64_t v = 10; v < 14; v++) {
        int64_t r = 0;
        char err[ERRLEN] = "";
        ck_assert_msg(T->increment(c, v, &r, err, ERRLEN) == 0, "call %lld: %s", (long long)v,
                      err);
        ck_assert_int_eq(r, v + 1);
    }
    struct incbench_stats st = stats_of(c);
    T->shutdown(c);
    pthread_join(th, NULL);
    close(rs.lfd);
    ck_assert_int_eq(rs.renegotiated, 1);
    ck_assert_uint_eq(st.connections, 1);
    ck_assert_uint_eq(st.tls_full_handshakes, 2);
    ck_assert_uint_eq(st.tls_resumed_handshakes, 0);
}
END_TEST

static void make_certs(void)
{
    const char *src = getenv("top_srcdir");
    snprintf(certs, sizeof certs, "/tmp/incbench_tls_XXXXXX");
    if (mkdtemp(certs) == NULL) {
        perror("mkdtemp");
        exit(99);
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh '%s/tests/common/tls_certs.sh' '%s'", src ? src : "..", certs);
    if (system(cmd) != 0) {
        fprintf(stderr, "tls_certs.sh could not make the test certificates\n");
        exit(99);
    }
    snprintf(ca, sizeof ca, "%s/ca.pem", certs);
    snprintf(leaf, sizeof leaf, "%s/leaf.pem", certs);
    snprintf(leaf_key, sizeof leaf_key, "%s/leaf.key", certs);
    snprintf(expired, sizeof expired, "%s/expired.pem", certs);
    snprintf(expired_key, sizeof expired_key, "%s/expired.key", certs);
    snprintf(other_ca, sizeof other_ca, "%s/other_ca.pem", certs);
    snprintf(other_key, sizeof other_key, "%s/other.key", certs);
    snprintf(junk, sizeof junk, "%s/junk.pem", certs);
    snprintf(stranger, sizeof stranger, "%s/stranger.pem", certs);
    snprintf(stranger_key, sizeof stranger_key, "%s/stranger.key", certs);
    snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere.pem", certs);
    snprintf(elsewhere_key, sizeof elsewhere_key, "%s/elsewhere.key", certs);
}

int main(void)
{
    make_certs();
    Suite *s = suite_create("rest_tls");
    TCase *tc = tcase_create("tls");
    tcase_add_loop_test(tc, each_mode_answers_and_counts_its_handshakes, 0, 32);
    tcase_add_test(tc, older_runner_gets_no_tls_counters);
    tcase_add_loop_test(tc, mtls_serves_a_client_with_a_certificate_and_refuses_one_without,
                        0, 2);
    tcase_add_loop_test(tc, mtls_refuses_a_client_certificate_from_another_ca, 0, 2);
    tcase_add_test(tc, mtls_refusal_found_after_a_pause_is_not_retried);
    tcase_add_test(tc, server_start_refuses_bad_files_naming_them);
    tcase_add_test(tc, client_without_pin_or_ca_refuses_to_start);
    tcase_add_test(tc, client_with_the_wrong_ca_names_the_peer_and_the_reason);
    tcase_add_test(tc, client_with_the_wrong_pin_names_the_peer);
    tcase_add_test(tc, a_pin_decides_alone_even_with_a_ca);
    tcase_add_test(tc, a_ca_client_checks_the_host_and_needs_one);
    tcase_add_loop_test(tc, plaintext_client_against_tls_server_fails_in_one_line, 0, 2);
    tcase_add_loop_test(tc, tls_client_against_plaintext_server_fails_in_one_line, 0, 2);
    tcase_add_test(tc, client_gives_up_on_a_server_that_stalls_mid_handshake);
    tcase_add_loop_test(tc, server_drops_a_client_that_stalls_mid_handshake, 0, 3);
    tcase_add_test(tc, server_stop_right_after_clients_reset_is_quiet);
    tcase_add_test(tc, keepalive_client_reconnects_after_the_server_closed_it);
    tcase_add_test(tc, tls_keys_without_tls_are_refused);
    tcase_add_test(tc, a_renegotiation_on_a_kept_connection_is_counted);
    tcase_add_checked_fixture(tc, rt_load, NULL);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", certs);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", certs);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
