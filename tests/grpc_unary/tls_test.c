/*
 * tls_test.c — `tls = true` on both gRPC plugins, seen from outside: what
 * works (a made certificate and its pin, PEM files and a CA, mtls, a 4 kB
 * payload, a window of calls), what stats counts (one full handshake per
 * client; a reconnect resumes, or not with resumption = false), and what
 * fails: each bad input in one line, naming the file, key or peer, within
 * its deadline, never showing a private key. The PEM files come from
 * tests/common/tls_certs.sh (the openssl CLI; the rest tests use it too) in a
 * directory of each test's own.
 */
#include "tls_test.h"

#include "grpc_test.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef GT_SRCDIR
#error "GT_SRCDIR: the source tree, for tests/common/tls_certs.sh"
#endif

#define BOUND 256 /* a bound address with its pin is longer than harness's 64 */

static char dir[64];

/* The files of tls_certs.sh, made in a fresh directory (removed by
 * files_gone, or left in /tmp by a test that failed). */
static void files(void)
{
    snprintf(dir, sizeof dir, "/tmp/incbench-tls-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "sh '%s/tests/common/tls_certs.sh' '%s'", GT_SRCDIR, dir);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

static void files_gone(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* dir/name, in one of 16 buffers (a test's params hold several). */
static const char *f(const char *name)
{
    static char buf[16][128];
    static unsigned next;
    char *p = buf[next++ % 16];
    snprintf(p, 128, "%s/%s", dir, name);
    return p;
}

/* Params with the NULL-terminated key, value list kv. */
static void params(struct harness_params *hp, const char *address, unsigned timeout_ms,
                   unsigned window, const char *const *kv)
{
    harness_params(hp, address, timeout_ms, NULL);
    for (size_t i = 0; kv != NULL && kv[i] != NULL; i += 2) {
        ck_assert_uint_lt(hp->p.n_options, 16);
        hp->opts[hp->p.n_options].key = kv[i];
        hp->opts[hp->p.n_options].value = kv[i + 1];
        hp->p.n_options++;
    }
    hp->p.max_inflight = window;
}

/* A failure sentence: one line, saying something, showing no key. */
static void one_line(const char *err)
{
    ck_assert_msg(err[0] != '\0', "no sentence");
    ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    ck_assert_msg(strstr(err, "PRIVATE KEY") == NULL && strstr(err, "BEGIN") == NULL,
                  "PEM text in a message: %s", err);
}

static void *server(const char *const *kv, char bound[BOUND])
{
    struct harness_params hp;
    params(&hp, "127.0.0.1:0", 5000, 1, kv);
    void *s = NULL;
    char err[512] = "";
    ck_assert_msg(T->server_start(&s, &hp.p, bound, BOUND, err, sizeof err) == 0,
                  "server_start: %s", err);
    return s;
}

/* server_start fails: the sentence in err[512], checked to be one line. */
static void server_fails(const char *const *kv, char err[512])
{
    struct harness_params hp;
    params(&hp, "127.0.0.1:0", 5000, 1, kv);
    void *s = NULL;
    char bound[BOUND] = "";
    err[0] = '\0';
    ck_assert_msg(T->server_start(&s, &hp.p, bound, BOUND, err, 512) == -1,
                  "server_start took what should fail");
    one_line(err);
    T->server_stop(s);
}

static void *client(const char *address, unsigned timeout_ms, unsigned window,
                    const char *const *kv)
{
    struct harness_params hp;
    params(&hp, address, timeout_ms, window, kv);
    void *c = NULL;
    char err[512] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

static void init_fails(const char *address, const char *const *kv, char err[512])
{
    struct harness_params hp;
    params(&hp, address, 2000, 1, kv);
    void *c = NULL;
    err[0] = '\0';
    ck_assert_msg(T->init(&c, &hp.p, err, 512) == -1, "init took what should fail");
    one_line(err);
    T->shutdown(c);
}

/* A fresh client's first call fails within timeout_ms and a grace of 1.5 s:
 * the sentence in err[512], one line, naming `peer`. */
static void call_fails(const char *address, const char *peer, unsigned timeout_ms,
                       const char *const *kv, char err[512])
{
    const long long t0 = harness_now_ms();
    void *c = client(address, timeout_ms, 1, kv);
    int64_t r = 0;
    err[0] = '\0';
    ck_assert_msg(T->increment(c, 1, &r, err, 512) == -1, "a call went through");
    const long long took = harness_now_ms() - t0;
    T->shutdown(c);
    one_line(err);
    ck_assert_msg(strstr(err, peer) != NULL, "err does not name %s: %s", peer, err);
    ck_assert_msg(took <= timeout_ms + 1500, "failed after %lld ms (timeout %u): %s", took,
                  timeout_ms, err);
}

static struct incbench_stats stats(void *c)
{
    struct incbench_stats st;
    memset(&st, 0, sizeof st);
    T->stats(c, &st);
    return st;
}

/* "127.0.0.1:PORT" of a "127.0.0.1:PORT#sha256=..." */
static void without_pin(const char *bound, char out[BOUND])
{
    snprintf(out, BOUND, "%s", bound);
    char *mark = strchr(out, '#');
    if (mark != NULL)
        *mark = '\0';
}

static const char *const MADE[] = { "tls", "true", NULL };

/* A server without cert/key makes its identity and binds an address with
 * its pin; a client given that address verifies exactly that certificate:
 * calls go through, and stats counts one connection, one full handshake. */
START_TEST(a_made_certificate_is_verified_by_its_pin)
{
    char bound[BOUND];
    void *s = server(MADE, bound);
    const char *pin = strstr(bound, "#sha256=");
    ck_assert_msg(pin != NULL && strlen(pin) == 8 + 64, "bound = %s", bound);
    void *c = client(bound, 5000, 1, MADE);
    gt_chain(c, 0, 20);
    struct incbench_stats st = stats(c);
    ck_assert_uint_eq(st.connections, 1);
    ck_assert_uint_eq(st.tls_full_handshakes, 1);
    ck_assert_uint_eq(st.tls_resumed_handshakes, 0);
    gt_chain(c, 100, 20); /* read once: later calls change nothing */
    st = stats(c);
    ck_assert_uint_eq(st.tls_full_handshakes + st.tls_resumed_handshakes, 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* A runner of ABI minor 2 has no handshake members: the plugin writes
 * none (the struct ends at connections there). */
START_TEST(an_older_runner_gets_no_handshake_counts)
{
    char bound[BOUND];
    void *s = server(MADE, bound);
    struct harness_params hp;
    params(&hp, bound, 5000, 1, MADE);
    hp.p.abi_version = INCBENCH_ABI_MAKE(INCBENCH_ABI_MAJOR, 2);
    void *c = NULL;
    char err[512] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    gt_chain(c, 0, 3);
    struct incbench_stats st;
    memset(&st, 0xa5, sizeof st);
    T->stats(c, &st);
    ck_assert_uint_eq(st.connections, 1);
    ck_assert_uint_eq(st.tls_full_handshakes, 0xa5a5a5a5a5a5a5a5u);
    ck_assert_uint_eq(st.tls_resumed_handshakes, 0xa5a5a5a5a5a5a5a5u);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* A 4 kB payload, verified, crosses TLS both ways; where the plugin
 * pipelines, a window of 8 does too. */
START_TEST(tls_carries_a_payload_and_a_window)
{
    static const char *const kv[] = { "tls", "true", "payload", "4096", "verify", "true", NULL };
    char bound[BOUND];
    void *s = server(kv, bound);
    void *c = client(bound, 5000, 8, kv);
    gt_chain(c, 0, 50);
    if (T->submit != NULL) {
        char err[512] = "";
        int64_t last[8];
        for (uint64_t k = 0; k < 8; k++) {
            last[k] = (int64_t)k * 1000;
            ck_assert_msg(T->submit(c, k, last[k], err, sizeof err) == 0, "submit: %s", err);
        }
        for (int done = 0; done < 400; done++) {
            uint64_t tag = 0;
            int64_t r = 0;
            ck_assert_msg(T->complete(c, &tag, &r, err, sizeof err) == 0, "complete: %s", err);
            ck_assert_uint_lt(tag, 8);
            ck_assert_int_eq(r, last[tag] + 1);
            last[tag] = r;
            if (done < 400 - 8)
                ck_assert_msg(T->submit(c, tag, r, err, sizeof err) == 0, "submit: %s", err);
        }
    }
    ck_assert_uint_eq(stats(c).tls_full_handshakes, 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* cert/key files: the bound address has no pin; a client verifies the
 * chain and 127.0.0.1 against `ca`. Without `ca` (and no pin to use) the
 * client refuses to start, saying to set it. */
START_TEST(pem_files_are_verified_against_the_ca)
{
    files();
    const char *const skv[] = { "tls", "true", "cert", f("leaf.pem"), "key", f("leaf.key"),
                                NULL };
    const char *const ckv[] = { "tls", "true", "ca", f("ca.pem"), NULL };
    char bound[BOUND];
    void *s = server(skv, bound);
    ck_assert_msg(strchr(bound, '#') == NULL, "a pin for files: %s", bound);
    void *c = client(bound, 5000, 1, ckv);
    gt_chain(c, 0, 20);
    struct incbench_stats st = stats(c);
    ck_assert_uint_eq(st.connections, 1);
    ck_assert_uint_eq(st.tls_full_handshakes, 1);
    T->shutdown(c);
    char err[512];
    init_fails(bound, MADE, err);
    ck_assert_msg(strstr(err, "'ca'") != NULL && strstr(err, bound) != NULL, "err = %s", err);
    T->server_stop(s);
    files_gone();
}
END_TEST

/* mtls: a client presenting the CA's leaf is served; one presenting no
 * certificate, or one of another CA, is refused at the handshake, in one
 * line naming the server, within the deadline. */
START_TEST(mtls_requires_a_client_certificate_of_the_ca)
{
    files();
    const char *const kv[] = { "tls", "true", "cert", f("leaf.pem"), "key", f("leaf.key"),
                               "ca", f("ca.pem"), "mtls", "true", NULL };
    char bound[BOUND], err[512];
    void *s = server(kv, bound);
    void *c = client(bound, 5000, 1, kv);
    gt_chain(c, 0, 10);
    ck_assert_uint_eq(stats(c).tls_full_handshakes, 1);
    T->shutdown(c);

    const char *const none[] = { "tls", "true", "ca", f("ca.pem"), NULL };
    /* TLS 1.3: the client's handshake is done before the server checks
     * its certificate, so the client sees the server hang up (the reason,
     * OpenSSL's, is on the server's side: gRPC logs it there). */
    call_fails(bound, bound, 2000, none, err);
    ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL, "err = %s", err);
    const char *const stranger[] = { "tls", "true", "cert", f("stranger.pem"), "key",
                                     f("stranger.key"), "ca", f("ca.pem"), "mtls", "true",
                                     NULL };
    call_fails(bound, bound, 2000, stranger, err);
    ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL, "err = %s", err);
    T->server_stop(s);
    files_gone();
}
END_TEST

/* A reconnect (the server ends each connection after 300 ms, a stream on
 * it 100 ms later) resumes the session with resumption (the default), and
 * is a full handshake again without: stats says which. */
static void reconnect(const char *resumption, bool pinned)
{
    files();
    const char *const skv_files[] = { "tls", "true", "cert", f("leaf.pem"), "key",
                                      f("leaf.key"), "server_arg.grpc.max_connection_age_ms",
                                      "300", "server_arg.grpc.max_connection_age_grace_ms",
                                      "100", NULL };
    const char *const skv_made[] = { "tls", "true", "server_arg.grpc.max_connection_age_ms",
                                     "300", "server_arg.grpc.max_connection_age_grace_ms",
                                     "100", NULL };
    const char *const ckv_files[] = { "tls", "true", "ca", f("ca.pem"), "resumption",
                                      resumption, NULL };
    const char *const ckv_made[] = { "tls", "true", "resumption", resumption, NULL };
    char bound[BOUND], err[512] = "";
    void *s = server(pinned ? skv_made : skv_files, bound);
    void *c = client(bound, 5000, 1, pinned ? ckv_made : ckv_files);
    gt_chain(c, 0, 5);
    int64_t r;
    struct incbench_stats st = stats(c);
    /* The first connection is a full handshake: with the second resumed,
     * a swap of the two counts would otherwise pass. */
    ck_assert_uint_eq(st.tls_full_handshakes, 1);
    ck_assert_uint_eq(st.tls_resumed_handshakes, 0);
    /* Calls until the client is on its second connection (bounded). */
    for (int i = 0; i < 40 && st.connections < 2; i++) {
        usleep(100000);
        (void)T->increment(c, 1, &r, err, sizeof err);
        st = stats(c);
    }
    ck_assert_msg(st.connections >= 2, "no reconnect (%s)", err);
    gt_chain(c, 0, 5);
    st = stats(c);
    if (strcmp(resumption, "true") == 0) {
        ck_assert_uint_eq(st.tls_full_handshakes, 1);
        ck_assert_uint_ge(st.tls_resumed_handshakes, 1);
    } else {
        ck_assert_uint_ge(st.tls_full_handshakes, 2);
        ck_assert_uint_eq(st.tls_resumed_handshakes, 0);
    }
    ck_assert_uint_le(st.tls_full_handshakes + st.tls_resumed_handshakes, st.connections);
    T->shutdown(c);
    T->server_stop(s);
    files_gone();
}

START_TEST(a_reconnect_resumes_the_session)
{
    reconnect("true", false);
    reconnect("true", true);
}
END_TEST

START_TEST(without_resumption_a_reconnect_is_a_full_handshake)
{
    reconnect("false", false);
}
END_TEST

/* Bad server files fail server_start in one line naming the file and
 * OpenSSL's reason, never showing the key: a key of another certificate,
 * an expired certificate, a file that is not PEM. */
START_TEST(bad_server_files_fail_the_start_naming_the_file)
{
    files();
    char err[512];
    const char *const mismatch[] = { "tls", "true", "cert", f("leaf.pem"), "key",
                                     f("stranger.key"), NULL };
    server_fails(mismatch, err);
    ck_assert_msg(strstr(err, "leaf.pem") != NULL || strstr(err, "stranger.key") != NULL,
                  "err = %s", err);
    ck_assert_msg(strstr(err, "OpenSSL") != NULL || strstr(err, "match") != NULL, "err = %s",
                  err);
    const char *const expired[] = { "tls", "true", "cert", f("expired.pem"), "key",
                                     f("expired.key"), NULL };
    server_fails(expired, err);
    ck_assert_msg(strstr(err, "expired.pem") != NULL && strstr(err, "expired") != NULL,
                  "err = %s", err);
    const char *const junk[] = { "tls", "true", "cert", f("junk.pem"), "key", f("leaf.key"),
                                 NULL };
    server_fails(junk, err);
    ck_assert_msg(strstr(err, "junk.pem") != NULL, "err = %s", err);
    const char *const nofile[] = { "tls", "true", "cert", f("absent.pem"), "key",
                                   f("leaf.key"), NULL };
    server_fails(nofile, err);
    ck_assert_msg(strstr(err, "absent.pem") != NULL, "err = %s", err);
    /* A client's CA that is not PEM fails init the same way. */
    const char *const junk_ca[] = { "tls", "true", "ca", f("junk.pem"), NULL };
    init_fails("127.0.0.1:1", junk_ca, err);
    ck_assert_msg(strstr(err, "junk.pem") != NULL, "err = %s", err);
    files_gone();
}
END_TEST

/* A client that trusts another CA, or holds another pin, refuses the
 * server at the handshake: the call fails in one line naming the server,
 * within the deadline. */
START_TEST(a_wrong_ca_or_pin_refuses_the_server)
{
    files();
    char bound[BOUND], plain[BOUND], err[512];
    const char *const skv[] = { "tls", "true", "cert", f("leaf.pem"), "key", f("leaf.key"),
                                NULL };
    void *s = server(skv, bound);
    const char *const other[] = { "tls", "true", "ca", f("other_ca.pem"), NULL };
    call_fails(bound, bound, 2000, other, err);
    ck_assert_msg(strstr(err, "certificate verify failed") != NULL, "err = %s", err);
    T->server_stop(s);

    s = server(MADE, bound);
    without_pin(bound, plain);
    char wrong[BOUND];
    snprintf(wrong, sizeof wrong, "%s", bound);
    char *last = wrong + strlen(wrong) - 1;
    *last = *last == '0' ? '1' : '0';
    call_fails(wrong, plain, 2000, MADE, err);
    ck_assert_msg(strstr(err, "pin mismatch") != NULL, "err = %s", err);
    T->server_stop(s);
    files_gone();
}
END_TEST

/* Plaintext against TLS and the reverse: the first call fails in one line
 * naming the server, within the deadline. */
START_TEST(plaintext_and_tls_do_not_mix)
{
    char bound[BOUND], plain[BOUND], err[512];
    void *s = server(MADE, bound);
    without_pin(bound, plain);
    call_fails(plain, plain, 2000, NULL, err);
    ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL, "err = %s", err);
    T->server_stop(s);

    s = server(NULL, plain);
    /* A pin that no certificate has: the handshake fails before it counts. */
    snprintf(bound, sizeof bound, "%s#sha256=%064d", plain, 0);
    call_fails(bound, plain, 2000, MADE, err);
    ck_assert_msg(strstr(err, "wrong version number") != NULL, "err = %s", err);
    T->server_stop(s);
}
END_TEST

/* A server that accepts and never answers the ClientHello: the call fails
 * with the client's timeout, naming the address. */
START_TEST(a_server_stalling_mid_handshake_fails_within_the_timeout)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 8), 0); /* the kernel accepts; nobody answers */
    socklen_t len = sizeof a;
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    char addr[BOUND], err[512];
    snprintf(addr, sizeof addr, "127.0.0.1:%u#sha256=%064d", ntohs(a.sin_port), 0);
    char plain[BOUND];
    without_pin(addr, plain);
    call_fails(addr, plain, 1000, MADE, err);
    ck_assert_msg(strstr(err, "DEADLINE_EXCEEDED") != NULL, "err = %s", err);
    close(fd);
}
END_TEST

/* tls_version = 1.2 is refused on both sides, saying why; a TLS key
 * without tls = true is refused naming the key. */
START_TEST(tls_version_1_2_and_stray_keys_are_refused)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, "tls", "true", "tls_version", "1.2", NULL);
    gt_refused(&hp, "tls_version = 1.2", "no setting for the TLS version");
    harness_params(&hp, "127.0.0.1:0", 2000, "ca", "/nonexistent.pem", NULL);
    gt_refused(&hp, "'ca'", NULL);
}
END_TEST

/* A pinned address is the whole check even with `ca` set (as for rest,
 * tls.h): the made certificate, signed by no CA, is taken by its pin, and
 * a wrong pin is still refused although `ca` is there. */
START_TEST(a_pin_decides_alone_with_a_ca_set)
{
    files();
    const char *const ckv[] = { "tls", "true", "ca", f("other_ca.pem"), NULL };
    char bound[BOUND], plain[BOUND], err[512];
    void *s = server(MADE, bound);
    void *c = client(bound, 5000, 1, ckv);
    gt_chain(c, 0, 5);
    ck_assert_uint_eq(stats(c).tls_full_handshakes, 1);
    T->shutdown(c);
    without_pin(bound, plain);
    char wrong[BOUND];
    snprintf(wrong, sizeof wrong, "%s", bound);
    char *last = wrong + strlen(wrong) - 1;
    *last = *last == '0' ? '1' : '0';
    call_fails(wrong, plain, 2000, ckv, err);
    ck_assert_msg(strstr(err, "pin mismatch") != NULL, "err = %s", err);
    T->server_stop(s);
    files_gone();
}
END_TEST

/* "sha256=HEX" of dir/name, by the openssl CLI, into pin[72]. */
static void pin_of(const char *name, char pin[72])
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "openssl x509 -in '%s' -outform der | sha256sum", f(name));
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    memcpy(pin, "sha256=", 7);
    ck_assert_msg(fgets(pin + 7, 65, p) != NULL && strlen(pin) == 71, "%s", cmd);
    ck_assert_int_eq(pclose(p), 0);
}

/* mtls with a pinned address (an operator pinning a server of files): the
 * pin checks the server, and the client still presents its certificate,
 * which the server requires. */
START_TEST(a_pinning_client_presents_its_certificate_with_mtls)
{
    files();
    const char *const skv[] = { "tls", "true", "cert", f("leaf.pem"), "key", f("leaf.key"),
                                "ca", f("ca.pem"), "mtls", "true", NULL };
    const char *const ckv[] = { "tls", "true", "cert", f("leaf.pem"), "key", f("leaf.key"),
                                "ca", f("other_ca.pem"), "mtls", "true", NULL };
    char bound[BOUND], pinned[BOUND], pin[72];
    void *s = server(skv, bound);
    pin_of("leaf.pem", pin);
    snprintf(pinned, sizeof pinned, "%s#%s", bound, pin);
    void *c = client(pinned, 5000, 1, ckv);
    gt_chain(c, 0, 5);
    ck_assert_uint_eq(stats(c).tls_full_handshakes, 1);
    T->shutdown(c);
    T->server_stop(s);
    files_gone();
}
END_TEST

/* A client verifying by `ca` checks the address's host against the
 * certificate: the leaf names 127.0.0.1 and localhost, so a server on
 * 127.0.0.2 (listen honoured over TLS) with that leaf is refused there;
 * a leaf of the same CA naming only elsewhere.example is refused at
 * 127.0.0.1. (No name is resolved here: c-ares leaks 10 bytes under ASan
 * when gRPC resolves "localhost".) */
START_TEST(the_ca_client_checks_the_host_name)
{
    files();
    const char *const skv[] = { "tls", "true", "cert", f("leaf.pem"), "key", f("leaf.key"),
                                NULL };
    const char *const ckv[] = { "tls", "true", "ca", f("ca.pem"), NULL };
    struct harness_params hp;
    params(&hp, "127.0.0.2:0", 5000, 1, skv);
    void *s = NULL;
    char bound[BOUND], err[512] = "";
    ck_assert_msg(T->server_start(&s, &hp.p, bound, BOUND, err, sizeof err) == 0,
                  "server_start: %s", err);
    ck_assert_msg(strncmp(bound, "127.0.0.2:", 10) == 0 && strcmp(bound, "127.0.0.2:0") != 0,
                  "bound = %s", bound);
    call_fails(bound, bound, 2000, ckv, err);
    ck_assert_msg(strstr(err, "is not in peer certificate") != NULL, "err = %s", err);
    T->server_stop(s);

    const char *const elsewhere[] = { "tls", "true", "cert", f("elsewhere.pem"), "key",
                                      f("elsewhere.key"), NULL };
    s = server(elsewhere, bound);
    call_fails(bound, bound, 2000, ckv, err);
    ck_assert_msg(strstr(err, "is not in peer certificate") != NULL, "err = %s", err);
    T->server_stop(s);
    files_gone();
}
END_TEST

/* A TCP connection to 127.0.0.1:port of `bound`, sending `n` bytes of
 * `bytes` and then nothing. */
static int stall(const char *bound, const void *bytes, size_t n)
{
    const char *colon = strrchr(bound, ':');
    ck_assert_ptr_nonnull(colon);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                             .sin_port = htons((uint16_t)atoi(colon + 1)) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    if (n > 0)
        ck_assert_int_eq(send(fd, bytes, n, MSG_NOSIGNAL), (ssize_t)n);
    return fd;
}

/* gRPC's own listener serves TLS: a client that connects and says nothing,
 * and one that stops inside its ClientHello, hold up neither a new client
 * nor server_stop, which returns promptly with a client attached too. */
START_TEST(stalled_tls_clients_block_neither_calls_nor_server_stop)
{
    char bound[BOUND];
    void *s = server(MADE, bound);
    void *c = client(bound, 5000, 1, MADE);
    gt_chain(c, 0, 3);
    /* A handshake record that promises 512 bytes and sends 4 of them. */
    static const unsigned char hello[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc };
    int silent = stall(bound, NULL, 0), partial = stall(bound, hello, sizeof hello);
    usleep(100000);
    void *c2 = client(bound, 2000, 1, MADE);
    gt_chain(c2, 0, 3);
    T->shutdown(c2);
    const long long t0 = harness_now_ms();
    T->server_stop(s);
    const long long took = harness_now_ms() - t0;
    ck_assert_msg(took < 2000, "server_stop took %lld ms", took);
    close(silent);
    close(partial);
    T->shutdown(c);
}
END_TEST

/* listen = [::1]:0 over TLS: the bound address keeps the brackets, the
 * made certificate's pin follows, and a client calls it. */
START_TEST(tls_listens_on_ipv6)
{
    struct harness_params hp;
    params(&hp, "[::1]:0", 5000, 1, MADE);
    void *s = NULL;
    char bound[BOUND], err[512] = "";
    ck_assert_msg(T->server_start(&s, &hp.p, bound, BOUND, err, sizeof err) == 0,
                  "server_start: %s", err);
    ck_assert_msg(strncmp(bound, "[::1]:", 6) == 0 && strstr(bound, "#sha256=") != NULL &&
                  strncmp(bound, "[::1]:0#", 8) != 0, "bound = %s", bound);
    void *c = client(bound, 5000, 1, MADE);
    gt_chain(c, 0, 3);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* A port in use refuses a second TLS server, in one line naming the
 * address: gRPC's listener binds with SO_REUSEPORT unless told not to,
 * and two servers would then share the port, each taking some of the
 * connections. */
START_TEST(a_tls_server_on_a_port_in_use_fails_to_start)
{
    char bound[BOUND], plain[BOUND], err[512];
    void *s = server(MADE, bound);
    without_pin(bound, plain);
    struct harness_params hp;
    params(&hp, plain, 5000, 1, MADE);
    void *s2 = NULL;
    char bound2[BOUND] = "";
    err[0] = '\0';
    const int rc = T->server_start(&s2, &hp.p, bound2, BOUND, err, sizeof err);
    T->server_stop(s2);
    ck_assert_msg(rc == -1, "a second server bound %s", bound2);
    one_line(err);
    ck_assert_msg(strstr(err, plain) != NULL && strstr(err, "in use") != NULL, "err = %s", err);
    T->server_stop(s);
}
END_TEST

const TTest *const *gt_tls_tests(size_t *n)
{
    /* Filled at run time: a TTest's address is not a constant in C. */
    static const TTest *tests[20];
    size_t k = 0;
    tests[k++] = a_made_certificate_is_verified_by_its_pin;
    tests[k++] = an_older_runner_gets_no_handshake_counts;
    tests[k++] = tls_carries_a_payload_and_a_window;
    tests[k++] = pem_files_are_verified_against_the_ca;
    tests[k++] = mtls_requires_a_client_certificate_of_the_ca;
    tests[k++] = a_reconnect_resumes_the_session;
    tests[k++] = without_resumption_a_reconnect_is_a_full_handshake;
    tests[k++] = bad_server_files_fail_the_start_naming_the_file;
    tests[k++] = a_wrong_ca_or_pin_refuses_the_server;
    tests[k++] = plaintext_and_tls_do_not_mix;
    tests[k++] = a_server_stalling_mid_handshake_fails_within_the_timeout;
    tests[k++] = tls_version_1_2_and_stray_keys_are_refused;
    tests[k++] = a_pin_decides_alone_with_a_ca_set;
    tests[k++] = a_pinning_client_presents_its_certificate_with_mtls;
    tests[k++] = the_ca_client_checks_the_host_name;
    tests[k++] = stalled_tls_clients_block_neither_calls_nor_server_stop;
    tests[k++] = tls_listens_on_ipv6;
    tests[k++] = a_tls_server_on_a_port_in_use_fails_to_start;
    *n = k;
    return tests;
}
