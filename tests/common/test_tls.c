/*
 * test_tls.c — plugins/common/tls.c on its own: the TLS keys and their
 * refusals, a made identity (its pin, names, key), PEM files and each way
 * they go wrong (missing, not PEM, key of another certificate, expired,
 * not yet valid, encrypted), pins in addresses, and real handshakes over
 * a socket pair: pin and CA verification, host names, one exact TLS
 * version, resumption on and off, and client certificates.
 */
#include "tls.h"
#include "harness.h"

#include <check.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static char dir[] = "/tmp/incbench-tls-XXXXXX";

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/incbench-tls-XXXXXX");
}

static char *path_of(const char *name)
{
    static char paths[8][256];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* A certificate for `key`, valid from now+from to now+to seconds, signed
 * by issuer/issuer_key (self-signed when NULL), a CA when `ca`. */
static X509 *mint(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, long from, long to,
                  bool ca, const char *cn)
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(random() & 0xffffff) + 1);
    X509_gmtime_adj(X509_getm_notBefore(x), from);
    X509_gmtime_adj(X509_getm_notAfter(x), to);
    X509_set_pubkey(x, key);
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
    const char *exts[][2] = {
        { "basicConstraints", ca ? "critical,CA:TRUE" : "critical,CA:FALSE" },
        { "subjectAltName", "IP:127.0.0.1,DNS:localhost" },
        { "extendedKeyUsage", "serverAuth,clientAuth" },
    };
    for (int i = 0; i < 3; i++) {
        X509_EXTENSION *e = X509V3_EXT_conf(NULL, &ctx, exts[i][0], exts[i][1]);
        ck_assert_ptr_nonnull(e);
        X509_add_ext(x, e, -1);
        X509_EXTENSION_free(e);
    }
    ck_assert_int_gt(X509_sign(x, issuer_key != NULL ? issuer_key : key, EVP_sha256()), 0);
    X509_NAME_free(name);
    return x;
}

static void write_cert(const char *path, X509 *x)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(PEM_write_X509(f, x), 1);
    fclose(f);
}

static void write_key(const char *path, EVP_PKEY *k, const char *pass)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(PEM_write_PrivateKey(f, k, pass ? EVP_aes_128_cbc() : NULL,
                                          (unsigned char *)pass, pass ? (int)strlen(pass) : 0,
                                          NULL, NULL),
                     1);
    fclose(f);
}

/* Keys read from hp with tls on and the extra pairs (NULL-ended). */
#define KEYS(hp, k, ...)                                                                     \
    do {                                                                                     \
        harness_params(&(hp), "127.0.0.1:1", 2000, __VA_ARGS__);                             \
        char e_[512] = "";                                                                   \
        ck_assert_msg(tls_keys_read(&(hp).p, "t", &(k), e_, sizeof e_) == 0, "%s", e_);      \
    } while (0)

START_TEST(no_tls_keys_means_off_and_defaults)
{
    struct harness_params hp;
    struct tls_keys k;
    KEYS(hp, k, NULL);
    ck_assert(!k.on);
    KEYS(hp, k, "tls", "true", NULL);
    ck_assert(k.on);
    ck_assert_int_eq(k.version, TLS1_3_VERSION);
    ck_assert(k.resumption);
    ck_assert(!k.mtls);
    ck_assert_ptr_null(k.cert);
    KEYS(hp, k, "tls", "true", "tls_version", "1.2", "resumption", "false", NULL);
    ck_assert_int_eq(k.version, TLS1_2_VERSION);
    ck_assert(!k.resumption);
}
END_TEST

static void keys_fail_v(const char *want, struct harness_params *hp)
{
    struct tls_keys k;
    char err[512] = "";
    ck_assert_int_eq(tls_keys_read(&hp->p, "t", &k, err, sizeof err), -1);
    ck_assert_msg(strstr(err, want) != NULL, "'%s' not in: %s", want, err);
    ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(bad_tls_keys_are_refused_by_name)
{
    struct harness_params hp;
    harness_params(&hp, "a", 1, "tls", "maybe", NULL);
    keys_fail_v("'tls' = 'maybe' is not a boolean", &hp);
    harness_params(&hp, "a", 1, "tls", "true", "tls_version", "1.1", NULL);
    keys_fail_v("'tls_version' = '1.1' is not one of: 1.2 | 1.3", &hp);
    harness_params(&hp, "a", 1, "cert", "c.pem", "key", "k.pem", NULL);
    keys_fail_v("option 'cert' is set but 'tls' is not true", &hp);
    harness_params(&hp, "a", 1, "tls", "false", "resumption", "false", NULL);
    keys_fail_v("option 'resumption' is set but 'tls' is not true", &hp);
    harness_params(&hp, "a", 1, "tls", "true", "cert", "c.pem", NULL);
    keys_fail_v("option 'cert' needs 'key' too", &hp);
    harness_params(&hp, "a", 1, "tls", "true", "key", "k.pem", NULL);
    keys_fail_v("option 'key' needs 'cert' too", &hp);
    harness_params(&hp, "a", 1, "tls", "true", "mtls", "true", "cert", "c", "key", "k", NULL);
    keys_fail_v("'mtls' = true needs 'cert', 'key' and 'ca'", &hp);
    harness_params(&hp, "a", 1, "tls", "true", "ca", "", NULL);
    keys_fail_v("option 'ca' is empty", &hp);
}
END_TEST

START_TEST(a_made_identity_is_p256_self_signed_named_and_pinned)
{
    struct harness_params hp;
    struct tls_keys k;
    KEYS(hp, k, "tls", "true", NULL);
    struct tls_identity a, b;
    char err[512] = "";
    ck_assert_msg(tls_identity_load(&k, true, "10.1.2.3", "t", &a, err, sizeof err) == 0,
                  "%s", err);
    ck_assert(a.made);
    ck_assert_int_eq(strlen(a.pin), TLS_PIN_LEN);
    ck_assert(strncmp(a.pin, "sha256=", 7) == 0);
    ck_assert_int_eq(EVP_PKEY_get_id(a.pkey), EVP_PKEY_EC);
    char group[64] = "";
    size_t gl = 0;
    EVP_PKEY_get_group_name(a.pkey, group, sizeof group, &gl);
    ck_assert_str_eq(group, "prime256v1");
    ck_assert_int_eq(X509_check_private_key(a.cert, a.pkey), 1);
    ck_assert_int_eq(X509_check_ip_asc(a.cert, "10.1.2.3", 0), 1);
    ck_assert_int_eq(X509_check_ip_asc(a.cert, "127.0.0.1", 0), 1);
    ck_assert_int_eq(X509_check_host(a.cert, "localhost", 0, 0, NULL), 1);
    ck_assert_int_eq(X509_check_ip_asc(a.cert, "10.1.2.4", 0), 0);
    ck_assert_int_lt(X509_cmp_current_time(X509_get0_notBefore(a.cert)), 0);
    ck_assert_int_gt(X509_cmp_current_time(X509_get0_notAfter(a.cert)), 0);
    ck_assert(strstr(a.cert_pem, "-----BEGIN CERTIFICATE-----") == a.cert_pem);
    ck_assert(strstr(a.key_pem, "-----BEGIN PRIVATE KEY-----") == a.key_pem);
    char pin[TLS_PIN_LEN + 1];
    ck_assert_int_eq(tls_pin_of_pem(a.cert_pem, pin), 0);
    ck_assert_str_eq(pin, a.pin);
    /* Fresh each time: two servers never share a key. */
    ck_assert_int_eq(tls_identity_load(&k, true, NULL, "t", &b, err, sizeof err), 0);
    ck_assert_str_ne(a.pin, b.pin);
    tls_identity_free(&a);
    tls_identity_free(&b);
    ck_assert_ptr_null(a.key_pem);
    /* A side that must present files and has none says so. */
    ck_assert_int_eq(tls_identity_load(&k, false, NULL, "t", &a, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "needs 'cert' and 'key'"));
    tls_identity_free(&a);
}
END_TEST

/* Load cert/key files and expect the error `want`, or success if NULL. */
static void load_expect(const char *cert, const char *key, const char *want)
{
    struct harness_params hp;
    struct tls_keys k;
    KEYS(hp, k, "tls", "true", "cert", cert, "key", key, NULL);
    struct tls_identity id;
    char err[512] = "";
    int rc = tls_identity_load(&k, true, NULL, "t", &id, err, sizeof err);
    if (want == NULL) {
        ck_assert_msg(rc == 0, "%s", err);
        ck_assert(!id.made);
    } else {
        ck_assert_int_eq(rc, -1);
        ck_assert_msg(strstr(err, want) != NULL, "'%s' not in: %s", want, err);
        ck_assert_ptr_null(strchr(err, '\n'));
        ck_assert_msg(strstr(err, "PRIVATE") == NULL, "a key's text leaked: %s", err);
    }
    tls_identity_free(&id);
}

START_TEST(pem_files_load_and_each_fault_is_named)
{
    EVP_PKEY *k1 = EVP_EC_gen("P-256"), *k2 = EVP_EC_gen("P-256");
    X509 *good = mint(k1, NULL, NULL, -60, 3600, false, "good");
    X509 *old = mint(k1, NULL, NULL, -7200, -3600, false, "old");
    X509 *later = mint(k1, NULL, NULL, 3600, 7200, false, "later");
    write_cert(path_of("good.pem"), good);
    write_cert(path_of("old.pem"), old);
    write_cert(path_of("later.pem"), later);
    write_key(path_of("k1.pem"), k1, NULL);
    write_key(path_of("k2.pem"), k2, NULL);
    write_key(path_of("k1enc.pem"), k1, "secret");
    write_text(path_of("junk.pem"), "this is not PEM\n");

    load_expect(path_of("good.pem"), path_of("k1.pem"), NULL);
    char want[600];
    snprintf(want, sizeof want, "'key' file %s does not match 'cert' file %s", path_of("k2.pem"),
             path_of("good.pem"));
    load_expect(path_of("good.pem"), path_of("k2.pem"), want);
    snprintf(want, sizeof want, "'cert' file %s expired on ", path_of("old.pem"));
    load_expect(path_of("old.pem"), path_of("k1.pem"), want);
    load_expect(path_of("later.pem"), path_of("k1.pem"), "is not valid before");
    snprintf(want, sizeof want, "'cert' file %s holds no PEM certificate (OpenSSL: ",
             path_of("junk.pem"));
    load_expect(path_of("junk.pem"), path_of("k1.pem"), want);
    snprintf(want, sizeof want, "'key' file %s holds no unencrypted PEM private key",
             path_of("junk.pem"));
    load_expect(path_of("good.pem"), path_of("junk.pem"), want);
    /* Refused, never prompted for: the test has no terminal to answer. */
    load_expect(path_of("good.pem"), path_of("k1enc.pem"), "holds no unencrypted PEM private key");
    snprintf(want, sizeof want, "cannot open 'cert' file %s: No such file or directory",
             path_of("none.pem"));
    load_expect(path_of("none.pem"), path_of("k1.pem"), want);
    /* A key given where the certificate goes. */
    load_expect(path_of("k1.pem"), path_of("k1.pem"), "holds no PEM certificate");

    struct harness_params hp;
    struct tls_keys k;
    char *pem = NULL, err[512] = "";
    KEYS(hp, k, "tls", "true", "ca", path_of("junk.pem"), NULL);
    ck_assert_int_eq(tls_ca_read(&k, "t", &pem, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "'ca' file"));
    ck_assert_ptr_nonnull(strstr(err, "holds no PEM certificate"));
    KEYS(hp, k, "tls", "true", "ca", path_of("good.pem"), NULL);
    ck_assert_msg(tls_ca_read(&k, "t", &pem, err, sizeof err) == 0, "%s", err);
    ck_assert(strstr(pem, "BEGIN CERTIFICATE") != NULL);
    free(pem);
    X509_free(good);
    X509_free(old);
    X509_free(later);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}
END_TEST

START_TEST(pins_ride_on_addresses)
{
    const char *hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    char pin[TLS_PIN_LEN + 1], addr[64], bound[256], err[512] = "";
    char given[256];
    snprintf(given, sizeof given, "sha256=%s", hex);
    ck_assert_int_eq(tls_address_join("127.0.0.1:4433", given, bound, sizeof bound, err,
                                      sizeof err), 0);
    ck_assert_int_eq(tls_address_split(bound, addr, sizeof addr, pin, err, sizeof err), 0);
    ck_assert_str_eq(addr, "127.0.0.1:4433");
    ck_assert_str_eq(pin, given);
    /* openssl's own spelling: upper case, colons between bytes. */
    ck_assert_int_eq(tls_address_split("h:1#sha256=00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:"
                                       "EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
                                       addr, sizeof addr, pin, err, sizeof err),
                     0);
    ck_assert_str_eq(pin, given);
    ck_assert_int_eq(tls_address_split("h:1", addr, sizeof addr, pin, err, sizeof err), 0);
    ck_assert_str_eq(pin, "");
    ck_assert_str_eq(addr, "h:1");
    ck_assert_int_eq(tls_address_split("h:1#sha256=0011", addr, sizeof addr, pin, err,
                                       sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "is not 64 hex digits"));
    ck_assert_str_eq(pin, "");
    snprintf(given, sizeof given, "h:1#sha256=%.63sg", hex);
    ck_assert_int_eq(tls_address_split(given, addr, sizeof addr, pin, err, sizeof err), -1);
    snprintf(given, sizeof given, "h:1#sha256=%s0", hex);
    ck_assert_int_eq(tls_address_split(given, addr, sizeof addr, pin, err, sizeof err), -1);
    /* A peer's bytes never break the one-line message. */
    ck_assert_int_eq(tls_address_split("h:1#sha256=\n00", addr, sizeof addr, pin, err,
                                       sizeof err), -1);
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_ptr_nonnull(strstr(err, "address 'h:1#sha256=?00'"));
    ck_assert_int_eq(tls_address_split("long\r\nhost:1", addr, 8, pin, err, sizeof err), -1);
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_ptr_null(strchr(err, '\r'));
    ck_assert_int_eq(tls_address_split("a-rather-long-host-name:1", addr, 8, pin, err,
                                       sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "too long"));
    ck_assert_int_eq(tls_address_join("127.0.0.1:4433", "sha256=x", bound, 20, err,
                                      sizeof err), -1);
}
END_TEST

/* ---- handshakes over a socket pair, the server on a thread ---- */

struct srv {
    SSL_CTX *ctx;
    int fd;
    int rc;       /* SSL_accept's */
    bool reused;
};

static void *serve_one(void *arg)
{
    struct srv *s = arg;
    SSL *ssl = SSL_new(s->ctx);
    SSL_set_fd(ssl, s->fd);
    s->rc = SSL_accept(ssl);
    if (s->rc == 1) {
        s->reused = SSL_session_reused(ssl);
        char b;
        /* Echo one byte, so the client reads (and takes TLS 1.3 tickets). */
        if (SSL_read(ssl, &b, 1) == 1)
            SSL_write(ssl, &b, 1);
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ERR_clear_error();
    return NULL;
}

struct conn_out {
    bool ok;          /* handshake, pin and echo all passed */
    bool reused;
    int version;
    char err[512];
};

/* One connection: client ctx against server ctx, offering *session
 * (replaced by the new one when session != NULL). */
static struct conn_out connect_once(SSL_CTX *sctx, SSL_CTX *cctx, const char *host,
                                    const char *pin, SSL_SESSION **session)
{
    struct conn_out out = { 0 };
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct timeval tv = { 5, 0 };
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct srv s = { .ctx = sctx, .fd = sv[1] };
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, serve_one, &s), 0);
    SSL *ssl = tls_client_ssl(cctx, sv[0], host, out.err, sizeof out.err);
    ck_assert_msg(ssl != NULL, "%s", out.err);
    if (session != NULL && *session != NULL)
        SSL_set_session(ssl, *session);
    if (SSL_connect(ssl) != 1) {
        char why[256];
        tls_reason(ssl, why, sizeof why);
        snprintf(out.err, sizeof out.err, "handshake: %s", why);
    } else if (tls_check_pin(ssl, pin, "peer", out.err, sizeof out.err) == 0) {
        char b = 'x';
        out.ok = SSL_write(ssl, &b, 1) == 1 && SSL_read(ssl, &b, 1) == 1 && b == 'x';
        out.reused = SSL_session_reused(ssl);
        out.version = SSL_version(ssl);
        if (session != NULL) {
            SSL_SESSION_free(*session);
            *session = SSL_get1_session(ssl);
        }
    }
    /* A session is resumable only after close_notify (OpenSSL drops a
     * TLS 1.2 session from reuse when SSL_free comes without it). Closing
     * first ends a server still waiting in SSL_read. */
    if (out.ok)
        SSL_shutdown(ssl);
    SSL_free(ssl);
    close(sv[0]);
    pthread_join(th, NULL);
    close(sv[1]);
    ERR_clear_error();
    return out;
}

static SSL_CTX *server_ctx_of(struct tls_keys *k, struct tls_identity *id)
{
    char err[512] = "";
    SSL_CTX *c = tls_server_ctx(k, id, "t", err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    return c;
}

static SSL_CTX *client_ctx_of(struct tls_keys *k, struct tls_identity *id, const char *pin)
{
    char err[512] = "";
    SSL_CTX *c = tls_client_ctx(k, id, pin, "t", err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    return c;
}

START_TEST(a_pinned_client_takes_only_its_server)
{
    struct harness_params hp;
    struct tls_keys k;
    KEYS(hp, k, "tls", "true", NULL);
    struct tls_identity a, b;
    char err[512] = "";
    ck_assert_int_eq(tls_identity_load(&k, true, NULL, "t", &a, err, sizeof err), 0);
    ck_assert_int_eq(tls_identity_load(&k, true, NULL, "t", &b, err, sizeof err), 0);
    SSL_CTX *sctx = server_ctx_of(&k, &a);
    SSL_CTX *good = client_ctx_of(&k, NULL, a.pin), *other = client_ctx_of(&k, NULL, b.pin);
    struct conn_out o = connect_once(sctx, good, "127.0.0.1", a.pin, NULL);
    ck_assert_msg(o.ok, "%s", o.err);
    ck_assert_int_eq(o.version, TLS1_3_VERSION);
    o = connect_once(sctx, other, "127.0.0.1", b.pin, NULL);
    ck_assert(!o.ok);
    ck_assert_msg(strstr(o.err, "the certificate of peer is not the pinned one") != NULL, "%s",
                  o.err);
    char start[32];
    snprintf(start, sizeof start, "sha256 %.16s...", a.pin + 7);
    ck_assert_msg(strstr(o.err, start) != NULL, "%s", o.err);
    /* No pin and no ca: refused before any connection. */
    ck_assert_ptr_null(tls_client_ctx(&k, NULL, "", "t", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "set 'ca' to the PEM file of the server's CA"));
    SSL_CTX_free(sctx);
    SSL_CTX_free(good);
    SSL_CTX_free(other);
    tls_identity_free(&a);
    tls_identity_free(&b);
}
END_TEST

START_TEST(a_ca_client_checks_chain_and_host)
{
    EVP_PKEY *cak = EVP_EC_gen("P-256"), *leafk = EVP_EC_gen("P-256"), *k2 = EVP_EC_gen("P-256");
    X509 *ca = mint(cak, NULL, NULL, -60, 3600, true, "test ca");
    X509 *other_ca = mint(k2, NULL, NULL, -60, 3600, true, "other ca");
    X509 *leaf = mint(leafk, ca, cak, -60, 3600, false, "leaf");
    write_cert(path_of("ca.pem"), ca);
    write_cert(path_of("other.pem"), other_ca);
    write_cert(path_of("leaf.pem"), leaf);
    write_key(path_of("leaf.key"), leafk, NULL);
    struct harness_params hp;
    struct tls_keys sk, ck, wrong;
    KEYS(hp, sk, "tls", "true", "cert", path_of("leaf.pem"), "key", path_of("leaf.key"), NULL);
    struct tls_identity id;
    char err[512] = "";
    ck_assert_msg(tls_identity_load(&sk, true, NULL, "t", &id, err, sizeof err) == 0, "%s", err);
    SSL_CTX *sctx = server_ctx_of(&sk, &id);
    KEYS(hp, ck, "tls", "true", "ca", path_of("ca.pem"), NULL);
    SSL_CTX *cctx = client_ctx_of(&ck, NULL, "");
    struct conn_out o = connect_once(sctx, cctx, "127.0.0.1", "", NULL);
    ck_assert_msg(o.ok, "%s", o.err);
    o = connect_once(sctx, cctx, "localhost", "", NULL);
    ck_assert_msg(o.ok, "%s", o.err);
    o = connect_once(sctx, cctx, "10.9.9.9", "", NULL);
    ck_assert(!o.ok);
    ck_assert_msg(strstr(o.err, "IP address mismatch") != NULL, "%s", o.err);
    o = connect_once(sctx, cctx, "example.org", "", NULL);
    ck_assert_msg(strstr(o.err, "hostname mismatch") != NULL, "%s", o.err);
    /* No host: refused before any byte, never "any name the CA signed". */
    SSL *nameless = tls_client_ssl(cctx, -1, "", err, sizeof err);
    ck_assert_ptr_null(nameless);
    ck_assert_ptr_nonnull(strstr(err, "no host name to check"));
    ck_assert_ptr_null(tls_client_ssl(cctx, -1, NULL, err, sizeof err));
    KEYS(hp, wrong, "tls", "true", "ca", path_of("other.pem"), NULL);
    SSL_CTX *wctx = client_ctx_of(&wrong, NULL, "");
    o = connect_once(sctx, wctx, "127.0.0.1", "", NULL);
    ck_assert(!o.ok);
    ck_assert_msg(strstr(o.err, "certificate verify failed: unable to get local issuer") != NULL,
                  "%s", o.err);
    SSL_CTX_free(wctx);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    tls_identity_free(&id);
    X509_free(ca);
    X509_free(other_ca);
    X509_free(leaf);
    EVP_PKEY_free(cak);
    EVP_PKEY_free(leafk);
    EVP_PKEY_free(k2);
}
END_TEST

/* resumption on: the second connection offering the first's session is
 * resumed; off (either side's key): every handshake is full. */
START_TEST(resumption_follows_the_key_in_both_versions)
{
    static const char *const versions[] = { "1.2", "1.3" };
    for (int v = 0; v < 2; v++) {
        for (int on = 0; on < 2; on++) {
            struct harness_params hp;
            struct tls_keys k;
            KEYS(hp, k, "tls", "true", "tls_version", versions[v], "resumption",
                 on ? "true" : "false", NULL);
            struct tls_identity id;
            char err[512] = "";
            ck_assert_int_eq(tls_identity_load(&k, true, NULL, "t", &id, err, sizeof err), 0);
            SSL_CTX *sctx = server_ctx_of(&k, &id), *cctx = client_ctx_of(&k, NULL, id.pin);
            SSL_SESSION *sess = NULL;
            for (int i = 0; i < 3; i++) {
                struct conn_out o = connect_once(sctx, cctx, "127.0.0.1", id.pin, &sess);
                ck_assert_msg(o.ok, "%s %d: %s", versions[v], i, o.err);
                ck_assert_int_eq(o.version, v == 0 ? TLS1_2_VERSION : TLS1_3_VERSION);
                ck_assert_msg(o.reused == (on && i > 0), "v%s resumption %d conn %d reused %d",
                              versions[v], on, i, o.reused);
            }
            SSL_SESSION_free(sess);
            SSL_CTX_free(sctx);
            SSL_CTX_free(cctx);
            tls_identity_free(&id);
        }
    }
}
END_TEST

START_TEST(one_version_means_exactly_that_version)
{
    struct harness_params hp;
    struct tls_keys k12, k13;
    KEYS(hp, k12, "tls", "true", "tls_version", "1.2", NULL);
    KEYS(hp, k13, "tls", "true", "tls_version", "1.3", NULL);
    struct tls_identity id;
    char err[512] = "";
    ck_assert_int_eq(tls_identity_load(&k12, true, NULL, "t", &id, err, sizeof err), 0);
    SSL_CTX *s12 = server_ctx_of(&k12, &id), *c13 = client_ctx_of(&k13, NULL, id.pin);
    struct conn_out o = connect_once(s12, c13, "127.0.0.1", id.pin, NULL);
    ck_assert(!o.ok);
    ck_assert_msg(strstr(o.err, "handshake: OpenSSL: ") != NULL, "%s", o.err);
    SSL_CTX_free(s12);
    SSL_CTX_free(c13);
    tls_identity_free(&id);
}
END_TEST

START_TEST(mtls_wants_the_client_certificate)
{
    EVP_PKEY *cak = EVP_EC_gen("P-256"), *leafk = EVP_EC_gen("P-256");
    X509 *ca = mint(cak, NULL, NULL, -60, 3600, true, "test ca");
    X509 *leaf = mint(leafk, ca, cak, -60, 3600, false, "leaf");
    write_cert(path_of("ca.pem"), ca);
    write_cert(path_of("leaf.pem"), leaf);
    write_key(path_of("leaf.key"), leafk, NULL);
    struct harness_params hp, hp2;
    struct tls_keys k, plain;
    KEYS(hp, k, "tls", "true", "mtls", "true", "cert", path_of("leaf.pem"), "key",
         path_of("leaf.key"), "ca", path_of("ca.pem"), NULL);
    KEYS(hp2, plain, "tls", "true", "ca", path_of("ca.pem"), NULL);
    struct tls_identity id;
    char err[512] = "";
    ck_assert_int_eq(tls_identity_load(&k, false, NULL, "t", &id, err, sizeof err), 0);
    SSL_CTX *sctx = server_ctx_of(&k, &id);
    SSL_CTX *with = client_ctx_of(&k, &id, ""), *without = client_ctx_of(&plain, NULL, "");
    struct conn_out o = connect_once(sctx, with, "127.0.0.1", "", NULL);
    ck_assert_msg(o.ok, "%s", o.err);
    o = connect_once(sctx, without, "127.0.0.1", "", NULL);
    ck_assert_msg(!o.ok, "a client without a certificate was served");
    SSL_CTX_free(sctx);
    SSL_CTX_free(with);
    SSL_CTX_free(without);
    tls_identity_free(&id);
    X509_free(ca);
    X509_free(leaf);
    EVP_PKEY_free(cak);
    EVP_PKEY_free(leafk);
}
END_TEST

int main(void)
{
    signal(SIGPIPE, SIG_IGN); /* as the runner does: a failed peer is an error, not a kill */
    Suite *s = suite_create("tls");
    TCase *tc = tcase_create("tls");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, no_tls_keys_means_off_and_defaults);
    tcase_add_test(tc, bad_tls_keys_are_refused_by_name);
    tcase_add_test(tc, a_made_identity_is_p256_self_signed_named_and_pinned);
    tcase_add_test(tc, pem_files_load_and_each_fault_is_named);
    tcase_add_test(tc, pins_ride_on_addresses);
    tcase_add_test(tc, a_pinned_client_takes_only_its_server);
    tcase_add_test(tc, a_ca_client_checks_chain_and_host);
    tcase_add_test(tc, resumption_follows_the_key_in_both_versions);
    tcase_add_test(tc, one_version_means_exactly_that_version);
    tcase_add_test(tc, mtls_wants_the_client_certificate);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
