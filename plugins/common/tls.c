/*
 * tls.c — see tls.h. Everything here runs at init or server start, never
 * per call: reading and checking PEM files, making a throwaway identity,
 * pins, and the OpenSSL contexts of a plugin that runs TLS itself.
 */
#include "tls.h"

#include "options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A PEM file bigger than this is not a certificate or a key: refuse it
 * before reading a stray multi-gigabyte path into memory. */
#define PEM_FILE_MAX (1u << 20)

static const char *const tls_only_keys[] = { "cert", "key", "ca", "mtls", "tls_version",
                                             "resumption", NULL };

int tls_keys_read(const struct incbench_params *params, const char *who, struct tls_keys *k,
                  char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    k->version = TLS1_3_VERSION;
    k->resumption = true;
    if (opts_bool(params, who, "tls", &k->on, err, errlen) != 0 ||
        opts_bool(params, who, "mtls", &k->mtls, err, errlen) != 0 ||
        opts_bool(params, who, "resumption", &k->resumption, err, errlen) != 0)
        return -1;
    if (!k->on) {
        /* A TLS key on a plaintext section is a mistake worth a word: the
         * run would measure plaintext while the config reads as TLS. */
        for (int i = 0; tls_only_keys[i] != NULL; i++) {
            if (opts_get(params, tls_only_keys[i]) != NULL) {
                snprintf(err, errlen, "%s: option '%s' is set but 'tls' is not true", who,
                         tls_only_keys[i]);
                return -1;
            }
        }
        return 0;
    }
    const char *v = opts_get(params, "tls_version");
    if (v != NULL) {
        if (strcmp(v, "1.2") == 0) {
            k->version = TLS1_2_VERSION;
        } else if (strcmp(v, "1.3") == 0) {
            k->version = TLS1_3_VERSION;
        } else {
            snprintf(err, errlen, "%s: option 'tls_version' = '%s' is not one of: 1.2 | 1.3",
                     who, v);
            return -1;
        }
    }
    static const char *const files[] = { "cert", "key", "ca" };
    const char **slot[] = { &k->cert, &k->key, &k->ca };
    for (int i = 0; i < 3; i++) {
        *slot[i] = opts_get(params, files[i]);
        if (*slot[i] != NULL && (*slot[i])[0] == '\0') {
            snprintf(err, errlen, "%s: option '%s' is empty: give a PEM file", who, files[i]);
            return -1;
        }
    }
    if ((k->cert == NULL) != (k->key == NULL)) {
        snprintf(err, errlen, "%s: option '%s' needs '%s' too (a certificate and its key)", who,
                 k->cert != NULL ? "cert" : "key", k->cert != NULL ? "key" : "cert");
        return -1;
    }
    if (k->mtls && (k->cert == NULL || k->ca == NULL)) {
        snprintf(err, errlen, "%s: option 'mtls' = true needs 'cert', 'key' and 'ca': the "
                 "client presents cert and key, and the server verifies them against ca", who);
        return -1;
    }
    return 0;
}

void tls_reason(SSL *ssl, char *buf, size_t len)
{
    /* OpenSSL records a verify result even when it was told not to act on
     * it (a pinned client): only a verifying SSL's result is the reason. */
    long v = ssl != NULL && (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) != 0
                 ? SSL_get_verify_result(ssl)
                 : X509_V_OK;
    unsigned long e = ERR_peek_last_error();
    if (v != X509_V_OK) {
        snprintf(buf, len, "OpenSSL: certificate verify failed: %s",
                 X509_verify_cert_error_string(v));
    } else if (e != 0) {
        const char *r = ERR_reason_error_string(e);
        char code[256];
        if (r == NULL) {
            ERR_error_string_n(e, code, sizeof code);
            r = code;
        }
        snprintf(buf, len, "OpenSSL: %s", r);
    } else {
        snprintf(buf, len, "OpenSSL: no reason given");
    }
    ERR_clear_error();
}

/* The whole of a PEM file, NUL-terminated, in *text (*n bytes). */
static int read_file(const char *key, const char *path, const char *who, char **text,
                     size_t *n, char *err, size_t errlen)
{
    *text = NULL;
    FILE *f = fopen(path, "rbe");
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open '%s' file %s: %s", who, key, path,
                 strerror(errno));
        return -1;
    }
    char *buf = malloc(PEM_FILE_MAX + 1);
    size_t got = buf != NULL ? fread(buf, 1, PEM_FILE_MAX + 1, f) : 0;
    int bad = buf == NULL ? ENOMEM : ferror(f) ? EIO : 0;
    fclose(f);
    if (bad != 0 || got > PEM_FILE_MAX) {
        if (bad != 0)
            snprintf(err, errlen, "%s: cannot read '%s' file %s: %s", who, key, path,
                     strerror(bad));
        else
            snprintf(err, errlen, "%s: '%s' file %s is over %u bytes: not a PEM file", who, key,
                     path, PEM_FILE_MAX);
        if (buf != NULL)
            OPENSSL_cleanse(buf, got);
        free(buf);
        return -1;
    }
    buf[got] = '\0';
    *text = buf;
    *n = got;
    return 0;
}

/* Free a file's text, wiping it first: it may have held a private key. */
static void drop_text(char *text, size_t n)
{
    if (text != NULL)
        OPENSSL_cleanse(text, n);
    free(text);
}

/* A passphrase callback that refuses: without it OpenSSL would prompt on
 * the terminal for an encrypted key, and a benchmark must never wait on
 * stdin. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

/* The text of a memory BIO as a malloc'ed NUL-terminated string. */
static char *bio_text(BIO *b)
{
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, data, (size_t)n);
    s[n] = '\0';
    return s;
}

static void time_text(const ASN1_TIME *t, char *buf, size_t len)
{
    BIO *b = BIO_new(BIO_s_mem());
    buf[0] = '\0';
    if (b != NULL && ASN1_TIME_print(b, t) == 1) {
        char *s = bio_text(b);
        if (s != NULL)
            snprintf(buf, len, "%s", s);
        free(s);
    }
    BIO_free(b);
    ERR_clear_error();
}

/* Certificates of `path` (text) into id->cert and id->chain. */
static int parse_certs(const char *path, const char *text, const char *who,
                       struct tls_identity *id, char *err, size_t errlen)
{
    BIO *b = BIO_new_mem_buf(text, -1);
    if (b == NULL) {
        snprintf(err, errlen, "%s: out of memory reading 'cert' file %s", who, path);
        return -1;
    }
    id->cert = PEM_read_bio_X509(b, NULL, no_passphrase, NULL);
    if (id->cert == NULL) {
        char why[256];
        tls_reason(NULL, why, sizeof why);
        snprintf(err, errlen, "%s: 'cert' file %s holds no PEM certificate (%s)", who, path, why);
        BIO_free(b);
        return -1;
    }
    X509 *more;
    while ((more = PEM_read_bio_X509(b, NULL, no_passphrase, NULL)) != NULL) {
        if (id->chain == NULL)
            id->chain = sk_X509_new_null();
        if (id->chain == NULL || sk_X509_push(id->chain, more) == 0) {
            X509_free(more);
            BIO_free(b);
            snprintf(err, errlen, "%s: out of memory reading 'cert' file %s", who, path);
            return -1;
        }
    }
    ERR_clear_error(); /* the end of the file reads as "no start line" */
    BIO_free(b);
    return 0;
}

/* Whether the certificate is valid now; -1 with a sentence naming `what`. */
static int check_dates(X509 *cert, const char *what, const char *who, char *err, size_t errlen)
{
    char when[64];
    if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) {
        time_text(X509_get0_notAfter(cert), when, sizeof when);
        snprintf(err, errlen, "%s: %s expired on %s (OpenSSL: certificate has expired)", who,
                 what, when);
        return -1;
    }
    if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) {
        time_text(X509_get0_notBefore(cert), when, sizeof when);
        snprintf(err, errlen, "%s: %s is not valid before %s (OpenSSL: certificate is not "
                 "yet valid)", who, what, when);
        return -1;
    }
    return 0;
}

static int load_files(const struct tls_keys *k, const char *who, struct tls_identity *id,
                      char *err, size_t errlen)
{
    char *text;
    size_t n;
    if (read_file("cert", k->cert, who, &text, &n, err, errlen) != 0)
        return -1;
    int rc = parse_certs(k->cert, text, who, id, err, errlen);
    drop_text(text, n);
    if (rc != 0)
        return -1;
    char what[300];
    snprintf(what, sizeof what, "'cert' file %s", k->cert);
    if (check_dates(id->cert, what, who, err, errlen) != 0)
        return -1;

    if (read_file("key", k->key, who, &text, &n, err, errlen) != 0)
        return -1;
    BIO *b = BIO_new_mem_buf(text, -1);
    id->pkey = b != NULL ? PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL) : NULL;
    BIO_free(b);
    drop_text(text, n);
    if (id->pkey == NULL) {
        char why[256];
        tls_reason(NULL, why, sizeof why);
        snprintf(err, errlen, "%s: 'key' file %s holds no unencrypted PEM private key (%s)",
                 who, k->key, why);
        return -1;
    }
    if (X509_check_private_key(id->cert, id->pkey) != 1) {
        char why[256];
        tls_reason(NULL, why, sizeof why);
        snprintf(err, errlen, "%s: 'key' file %s does not match 'cert' file %s (%s)", who,
                 k->key, k->cert, why);
        return -1;
    }
    return 0;
}

/* The subjectAltName of a made certificate: the loopback names, and the
 * listen host when it is another address or name (not a wildcard). */
static void san_text(const char *host, char *buf, size_t len)
{
    snprintf(buf, len, "DNS:localhost,IP:127.0.0.1,IP:::1");
    if (host == NULL || host[0] == '\0')
        return;
    char h[256];
    size_t hl = strlen(host);
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') /* "[::1]" */
        snprintf(h, sizeof h, "%.*s", (int)(hl - 2), host + 1);
    else
        snprintf(h, sizeof h, "%s", host);
    unsigned char a[16];
    bool v4 = inet_pton(AF_INET, h, a) == 1, v6 = inet_pton(AF_INET6, h, a) == 1;
    if (strcmp(h, "localhost") == 0 || strcmp(h, "127.0.0.1") == 0 || strcmp(h, "::1") == 0 ||
        strcmp(h, "0.0.0.0") == 0 || strcmp(h, "::") == 0)
        return;
    if (!v4 && !v6) {
        /* Only a plain host name may go into the extension's text. */
        for (const char *c = h; *c != '\0'; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-' || *c == '.'))
                return;
    }
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, ",%s:%s", v4 || v6 ? "IP" : "DNS", h);
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    if (e == NULL)
        return -1;
    int ok = X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok == 1 ? 0 : -1;
}

static int make_identity(const char *host, const char *who, struct tls_identity *id, char *err,
                         size_t errlen)
{
    char san[512];
    san_text(host, san, sizeof san);
    id->pkey = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    BIGNUM *serial = BN_new();
    X509_NAME *name = X509_NAME_new();
    X509V3_CTX ctx;
    bool ok = id->pkey != NULL && x != NULL && serial != NULL && name != NULL &&
              X509_set_version(x, 2) == 1 &&
              BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
              BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) != NULL &&
              /* An hour back, for a peer whose clock is a little behind. */
              X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL &&
              X509_gmtime_adj(X509_getm_notAfter(x), 30L * 86400) != NULL &&
              X509_set_pubkey(x, id->pkey) == 1 &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                         (const unsigned char *)"incbench", -1, -1, 0) == 1 &&
              X509_set_subject_name(x, name) == 1 && X509_set_issuer_name(x, name) == 1;
    if (ok) {
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
        ok = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") == 0 &&
             add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature") == 0 &&
             add_ext(x, &ctx, NID_ext_key_usage, "serverAuth,clientAuth") == 0 &&
             add_ext(x, &ctx, NID_subject_key_identifier, "hash") == 0 &&
             add_ext(x, &ctx, NID_subject_alt_name, san) == 0 &&
             X509_sign(x, id->pkey, EVP_sha256()) > 0;
    }
    BN_free(serial);
    X509_NAME_free(name);
    if (!ok) {
        char why[256];
        tls_reason(NULL, why, sizeof why);
        snprintf(err, errlen, "%s: cannot make a self-signed certificate (%s)", who, why);
        X509_free(x);
        return -1;
    }
    id->cert = x;
    id->made = true;
    return 0;
}

/* The PEM text of id->cert (then its chain) and of id->pkey. */
static int write_pems(const char *who, struct tls_identity *id, char *err, size_t errlen)
{
    BIO *c = BIO_new(BIO_s_mem()), *k = BIO_new(BIO_s_mem());
    bool ok = c != NULL && k != NULL && PEM_write_bio_X509(c, id->cert) == 1 &&
              PEM_write_bio_PrivateKey(k, id->pkey, NULL, NULL, 0, NULL, NULL) == 1;
    for (int i = 0; ok && id->chain != NULL && i < sk_X509_num(id->chain); i++)
        ok = PEM_write_bio_X509(c, sk_X509_value(id->chain, i)) == 1;
    if (ok) {
        id->cert_pem = bio_text(c);
        id->key_pem = bio_text(k);
        ok = id->cert_pem != NULL && id->key_pem != NULL;
    }
    if (k != NULL) {
        char *data = NULL;
        long n = BIO_get_mem_data(k, &data);
        if (n > 0)
            OPENSSL_cleanse(data, (size_t)n);
    }
    BIO_free(c);
    BIO_free(k);
    if (!ok) {
        snprintf(err, errlen, "%s: out of memory writing the certificate and key as PEM", who);
        return -1;
    }
    return 0;
}

int tls_identity_load(const struct tls_keys *k, bool make, const char *host, const char *who,
                      struct tls_identity *id, char *err, size_t errlen)
{
    memset(id, 0, sizeof *id);
    int rc;
    if (k->cert != NULL) {
        rc = load_files(k, who, id, err, errlen);
    } else if (make) {
        rc = make_identity(host, who, id, err, errlen);
    } else {
        snprintf(err, errlen, "%s: this side presents a certificate, so it needs 'cert' and "
                 "'key'", who);
        rc = -1;
    }
    if (rc == 0)
        rc = write_pems(who, id, err, errlen);
    if (rc == 0 && tls_pin_of_x509(id->cert, id->pin) != 0) {
        snprintf(err, errlen, "%s: cannot take the certificate's SHA-256", who);
        rc = -1;
    }
    ERR_clear_error();
    return rc;
}

void tls_identity_free(struct tls_identity *id)
{
    if (id->key_pem != NULL)
        OPENSSL_cleanse(id->key_pem, strlen(id->key_pem));
    free(id->key_pem);
    free(id->cert_pem);
    X509_free(id->cert);
    sk_X509_pop_free(id->chain, X509_free);
    EVP_PKEY_free(id->pkey);
    memset(id, 0, sizeof *id);
}

int tls_ca_read(const struct tls_keys *k, const char *who, char **pem, char *err,
                size_t errlen)
{
    *pem = NULL;
    if (k->ca == NULL) {
        snprintf(err, errlen, "%s: option 'ca' is not set", who);
        return -1;
    }
    char *text;
    size_t n;
    if (read_file("ca", k->ca, who, &text, &n, err, errlen) != 0)
        return -1;
    BIO *b = BIO_new_mem_buf(text, -1);
    X509 *first = b != NULL ? PEM_read_bio_X509(b, NULL, no_passphrase, NULL) : NULL;
    BIO_free(b);
    if (first == NULL) {
        char why[256];
        tls_reason(NULL, why, sizeof why);
        snprintf(err, errlen, "%s: 'ca' file %s holds no PEM certificate (%s)", who, k->ca, why);
        drop_text(text, n);
        return -1;
    }
    X509_free(first);
    *pem = text;
    return 0;
}

static void hex_of(const unsigned char *md, unsigned n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * n] = '\0';
}

int tls_pin_of_x509(X509 *cert, char pin[TLS_PIN_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (cert == NULL || X509_digest(cert, EVP_sha256(), md, &n) != 1 || n != 32)
        return -1;
    memcpy(pin, "sha256=", 7);
    hex_of(md, n, pin + 7);
    return 0;
}

int tls_pin_of_pem(const char *pem, char pin[TLS_PIN_LEN + 1])
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509 *x = b != NULL ? PEM_read_bio_X509(b, NULL, no_passphrase, NULL) : NULL;
    BIO_free(b);
    int rc = tls_pin_of_x509(x, pin);
    X509_free(x);
    ERR_clear_error();
    return rc;
}

/* A pin as users may paste it: 64 hex digits in either case, with or
 * without the colons `openssl x509 -fingerprint` puts between bytes. */
static int pin_parse(const char *text, char pin[TLS_PIN_LEN + 1])
{
    char *out = pin + 7;
    int digits = 0;
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == ':' && digits % 2 == 0 && digits > 0 && c[1] != '\0')
            continue;
        char d = *c >= 'A' && *c <= 'F' ? (char)(*c - 'A' + 'a') : *c;
        if (!((d >= '0' && d <= '9') || (d >= 'a' && d <= 'f')) || digits == 64)
            return -1;
        out[digits++] = d;
    }
    if (digits != 64)
        return -1;
    memcpy(pin, "sha256=", 7);
    out[64] = '\0';
    return 0;
}

/* An address as a message quotes it: it may come from a peer's READY
 * line, and no control character of it may reach a one-line message. */
static void printable(const char *address, char *shown, size_t len)
{
    size_t i = 0;
    for (; address[i] != '\0' && i < len - 1; i++)
        shown[i] = (unsigned char)address[i] < 0x20 || address[i] == 0x7f ? '?' : address[i];
    shown[i] = '\0';
}

int tls_address_split(const char *address, char *addr, size_t addrlen,
                      char pin[TLS_PIN_LEN + 1], char *err, size_t errlen)
{
    pin[0] = '\0';
    const char *mark = strstr(address, TLS_PIN_MARK);
    size_t n = mark != NULL ? (size_t)(mark - address) : strlen(address);
    if (n + 1 > addrlen) {
        char shown[65];
        printable(address, shown, sizeof shown);
        snprintf(err, errlen, "address '%s...' is too long", shown);
        return -1;
    }
    memcpy(addr, address, n);
    addr[n] = '\0';
    if (mark != NULL && pin_parse(mark + strlen(TLS_PIN_MARK), pin) != 0) {
        pin[0] = '\0';
        char shown[160];
        printable(address, shown, sizeof shown);
        snprintf(err, errlen, "address '%s': the certificate pin after '%s' is not 64 hex "
                 "digits (the SHA-256 of the server's certificate)", shown, TLS_PIN_MARK);
        return -1;
    }
    return 0;
}

int tls_address_join(const char *address, const char *pin, char *bound, size_t boundlen,
                     char *err, size_t errlen)
{
    int n = snprintf(bound, boundlen, "%s#%s", address, pin);
    if (n < 0 || (size_t)n >= boundlen) {
        snprintf(err, errlen, "address '%s' and its certificate pin do not fit in %zu bytes",
                 address, boundlen);
        return -1;
    }
    return 0;
}

/* Exactly one protocol version on both ends of a context: a run that says
 * 1.2 must not quietly measure 1.3. */
static int pin_version(SSL_CTX *ctx, int version)
{
    return SSL_CTX_set_min_proto_version(ctx, version) == 1 &&
                   SSL_CTX_set_max_proto_version(ctx, version) == 1
               ? 0
               : -1;
}

static int use_identity(SSL_CTX *ctx, const struct tls_identity *id)
{
    return SSL_CTX_use_certificate(ctx, id->cert) == 1 &&
                   (id->chain == NULL || SSL_CTX_set1_chain(ctx, id->chain) == 1) &&
                   SSL_CTX_use_PrivateKey(ctx, id->pkey) == 1 &&
                   SSL_CTX_check_private_key(ctx) == 1
               ? 0
               : -1;
}

static SSL_CTX *ctx_failed(SSL_CTX *ctx, const char *who, const char *what, char *err,
                           size_t errlen)
{
    char why[256];
    tls_reason(NULL, why, sizeof why);
    snprintf(err, errlen, "%s: %s (%s)", who, what, why);
    SSL_CTX_free(ctx);
    return NULL;
}

SSL_CTX *tls_server_ctx(const struct tls_keys *k, const struct tls_identity *id,
                        const char *who, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL)
        return ctx_failed(ctx, who, "cannot make a TLS server context", err, errlen);
    if (pin_version(ctx, k->version) != 0)
        return ctx_failed(ctx, who, "cannot set 'tls_version'", err, errlen);
    if (use_identity(ctx, id) != 0)
        return ctx_failed(ctx, who, "cannot use the certificate and key", err, errlen);
    /* Needed for resumption once client certificates are verified. */
    static const unsigned char sid_ctx[] = "incbench";
    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1);
    if (k->resumption) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    } else {
        /* Neither a cache (TLS 1.2 ids) nor tickets (both versions): every
         * handshake is full, whatever the client offers. */
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        SSL_CTX_set_num_tickets(ctx, 0); /* not even stateful 1.3 tickets, never honoured */
    }
    if (k->mtls) {
        if (SSL_CTX_load_verify_file(ctx, k->ca) != 1) {
            char what[300];
            snprintf(what, sizeof what, "cannot load 'ca' file %s", k->ca);
            return ctx_failed(ctx, who, what, err, errlen);
        }
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(k->ca);
        if (names != NULL)
            SSL_CTX_set_client_CA_list(ctx, names);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    ERR_clear_error();
    return ctx;
}

SSL_CTX *tls_client_ctx(const struct tls_keys *k, const struct tls_identity *id,
                        const char *pin, const char *who, char *err, size_t errlen)
{
    bool pinned = pin != NULL && pin[0] != '\0';
    if (!pinned && k->ca == NULL) {
        snprintf(err, errlen, "%s: tls = true, but the address carries no certificate pin "
                 "('%sHEX') and 'ca' is not set: set 'ca' to the PEM file of the server's CA "
                 "(the client always verifies the server)", who, TLS_PIN_MARK);
        return NULL;
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL)
        return ctx_failed(ctx, who, "cannot make a TLS client context", err, errlen);
    if (pin_version(ctx, k->version) != 0)
        return ctx_failed(ctx, who, "cannot set 'tls_version'", err, errlen);
    if (pinned) {
        /* The pin names the one certificate to accept; tls_check_pin
         * compares it after the handshake. A server that made its own
         * certificate is only ever verified this way, even with `ca` set
         * (ca then serves the server's check of client certificates). */
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    } else {
        if (SSL_CTX_load_verify_file(ctx, k->ca) != 1) {
            char what[300];
            snprintf(what, sizeof what, "cannot load 'ca' file %s", k->ca);
            return ctx_failed(ctx, who, what, err, errlen);
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }
    if (k->mtls && (id == NULL || use_identity(ctx, id) != 0))
        return ctx_failed(ctx, who, "cannot use the client certificate and key", err, errlen);
    if (!k->resumption)
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    ERR_clear_error();
    return ctx;
}

SSL *tls_client_ssl(SSL_CTX *ctx, int fd, const char *host, char *err, size_t errlen)
{
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
        char why[256];
        tls_reason(NULL, why, sizeof why);
        snprintf(err, errlen, "cannot make a TLS connection (%s)", why);
        SSL_free(ssl);
        return NULL;
    }
    const bool verifying = (SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER) != 0;
    if (verifying && (host == NULL || host[0] == '\0')) {
        /* Without a name, any certificate the CA signed would pass. */
        snprintf(err, errlen, "no host name to check the server's certificate against");
        SSL_free(ssl);
        return NULL;
    }
    unsigned char a[16];
    bool ip = host != NULL && (inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1);
    if (host != NULL && host[0] != '\0') {
        bool ok = true;
        if (!ip)
            ok = SSL_set_tlsext_host_name(ssl, host) == 1; /* SNI carries names only */
        if (ok && verifying)
            ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1
                    : SSL_set1_host(ssl, host) == 1;
        if (!ok) {
            char why[256];
            tls_reason(NULL, why, sizeof why);
            snprintf(err, errlen, "cannot check the name %s (%s)", host, why);
            SSL_free(ssl);
            return NULL;
        }
    }
    return ssl;
}

int tls_check_pin(SSL *ssl, const char *pin, const char *peer, char *err, size_t errlen)
{
    if (pin == NULL || pin[0] == '\0')
        return 0;
    char got[TLS_PIN_LEN + 1];
    X509 *cert = SSL_get0_peer_certificate(ssl);
    if (cert == NULL || tls_pin_of_x509(cert, got) != 0) {
        snprintf(err, errlen, "%s sent no certificate to check against the pin", peer);
        return -1;
    }
    if (strcmp(got, pin) != 0) {
        /* 16 digits of each say which certificate came; all 64 would
         * crowd the rest of the sentence out of the error buffer. */
        snprintf(err, errlen, "the certificate of %s is not the pinned one (sha256 %.16s..., "
                 "pinned %.16s...)", peer, got + 7, pin + 7);
        return -1;
    }
    return 0;
}
