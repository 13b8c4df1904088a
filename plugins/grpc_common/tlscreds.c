/*
 * tlscreds.c — see tlscreds.h. The server and the CA-verifying client use
 * gRPC's SSL credentials (PEM strings, copied by gRPC); the pinning client
 * needs the TLS credentials API instead, the only one in gRPC 1.51's C core
 * that takes a verifier of ours: there the built-in chain check is off and
 * our verifier accepts exactly the pinned certificate (the pin is the
 * verification: a made certificate is self-signed, so no chain could).
 * A pin in the address decides alone, `ca` or not, as in tls.c's client.
 */
#include "tlscreds.h"

#include <grpc/support/alloc.h>
#include <grpc/support/string_util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each client holds one connection; a few entries cover its reconnects. */
#define SESSION_CACHE_ENTRIES 8

/* The host part of "host:port", "[v6]:port" or a bare host, into host[len]. */
static void host_of(const char *address, char *host, size_t len)
{
    const char *start = address, *end = strrchr(address, ':');
    if (address[0] == '[') {
        start = address + 1;
        end = strchr(start, ']');
    } else if (end != NULL && strchr(address, ':') != end) {
        end = NULL; /* a bare IPv6 address: no port */
    }
    size_t n = end != NULL ? (size_t)(end - start) : strlen(start);
    if (n >= len)
        n = len - 1;
    memcpy(host, start, n);
    host[n] = '\0';
}

int gc_tls_server_creds(const struct tls_keys *k, const char *address, const char *who,
                        grpc_server_credentials **creds, char pin[TLS_PIN_LEN + 1],
                        char *err, size_t errlen)
{
    *creds = NULL;
    pin[0] = '\0';
    char host[256];
    host_of(address, host, sizeof host);
    struct tls_identity id;
    char *ca = NULL;
    int rc = -1;
    if (tls_identity_load(k, true, host[0] != '\0' ? host : NULL, who, &id, err, errlen) != 0)
        goto out;
    if (k->mtls && tls_ca_read(k, who, &ca, err, errlen) != 0)
        goto out;
    grpc_ssl_pem_key_cert_pair pair = { .private_key = id.key_pem, .cert_chain = id.cert_pem };
    /* A client certificate is asked for only with mtls, and then required
     * and verified against `ca`. */
    *creds = grpc_ssl_server_credentials_create_ex(
        ca, &pair, 1,
        k->mtls ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE,
        NULL);
    if (*creds == NULL) {
        snprintf(err, errlen, "%s: gRPC refused the server's TLS credentials (%s)", who,
                 k->cert != NULL ? k->cert : "the made certificate");
        goto out;
    }
    if (id.made)
        memcpy(pin, id.pin, sizeof id.pin);
    rc = 0;
out:
    free(ca);
    tls_identity_free(&id); /* gRPC copied the PEM: ours is wiped now */
    return rc;
}

/* The verifier of a pinning client (gRPC names the address itself). */
struct pin_verifier {
    grpc_tls_certificate_verifier_external ext;
    char pin[TLS_PIN_LEN + 1];
};

/* Runs once per handshake, in gRPC's handshaker: synchronous, no I/O. */
static int pin_verify(void *user_data, grpc_tls_custom_verification_check_request *request,
                      grpc_tls_on_custom_verification_check_done_cb callback, void *callback_arg,
                      grpc_status_code *sync_status, char **sync_error_details)
{
    (void)callback;
    (void)callback_arg;
    const struct pin_verifier *v = user_data;
    char got[TLS_PIN_LEN + 1] = "";
    const char *pem = request->peer_info.peer_cert;
    if (pem == NULL || tls_pin_of_pem(pem, got) != 0) {
        *sync_status = GRPC_STATUS_UNAUTHENTICATED;
        *sync_error_details = gpr_strdup("the server sent no certificate to check the pin against");
        return 1;
    }
    if (strcmp(got, v->pin) == 0) {
        *sync_status = GRPC_STATUS_OK;
        return 1;
    }
    /* gRPC puts this after the address and its own words: kept short, the
     * first 16 hex digits of each tell them apart. */
    char msg[128];
    snprintf(msg, sizeof msg, "certificate pin mismatch: got %.23s..., pinned %.23s...", got,
             v->pin);
    *sync_status = GRPC_STATUS_UNAUTHENTICATED;
    *sync_error_details = gpr_strdup(msg);
    return 1;
}

static void pin_cancel(void *user_data, grpc_tls_custom_verification_check_request *request)
{
    (void)user_data;
    (void)request; /* pin_verify never goes asynchronous: nothing to cancel */
}

static void pin_destruct(void *user_data)
{
    free(user_data);
}

/* With id (mtls), the client presents it: gRPC copies the PEM. */
static grpc_channel_credentials *pinned_creds(const char *pin, const struct tls_identity *id)
{
    struct pin_verifier *v = calloc(1, sizeof *v);
    if (v == NULL)
        return NULL;
    snprintf(v->pin, sizeof v->pin, "%s", pin);
    v->ext.user_data = v;
    v->ext.verify = pin_verify;
    v->ext.cancel = pin_cancel;
    v->ext.destruct = pin_destruct; /* frees v with the verifier */
    grpc_tls_certificate_verifier *verifier = grpc_tls_certificate_verifier_external_create(&v->ext);
    grpc_tls_credentials_options *o = grpc_tls_credentials_options_create();
    grpc_tls_credentials_options_set_certificate_verifier(o, verifier);
    grpc_tls_certificate_verifier_release(verifier); /* o holds its own reference */
    /* The pin replaces the chain and host name checks: a made certificate
     * is self-signed (no chain), and the pin names exactly one. */
    grpc_tls_credentials_options_set_verify_server_cert(o, 0);
    grpc_tls_credentials_options_set_check_call_host(o, 0);
    if (id != NULL) {
        grpc_tls_identity_pairs *pairs = grpc_tls_identity_pairs_create();
        grpc_tls_identity_pairs_add_pair(pairs, id->key_pem, id->cert_pem);
        grpc_tls_certificate_provider *provider =
            grpc_tls_certificate_provider_static_data_create(NULL, pairs); /* takes pairs */
        grpc_tls_credentials_options_set_certificate_provider(o, provider);
        grpc_tls_certificate_provider_release(provider); /* o holds its own reference */
        grpc_tls_credentials_options_watch_identity_key_cert_pairs(o);
    }
    return grpc_tls_credentials_create(o); /* takes o */
}

int gc_tls_client_open(struct gc_tls_client *t, const struct tls_keys *k, const char *pin,
                       const char *address, const char *who, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    const bool pinned = pin != NULL && pin[0] != '\0';
    if (!pinned && k->ca == NULL) {
        snprintf(err, errlen, "%s: tls = true needs a way to verify %s: set 'ca' to the PEM "
                 "file of its CA (the address carries no certificate pin, so the server did "
                 "not make its own certificate)", who, address);
        return -1;
    }
    struct tls_identity id;
    memset(&id, 0, sizeof id);
    if (k->mtls && tls_identity_load(k, false, NULL, who, &id, err, errlen) != 0)
        return -1;
    if (pinned) {
        t->creds = pinned_creds(pin, k->mtls ? &id : NULL);
    } else {
        char *ca = NULL;
        if (tls_ca_read(k, who, &ca, err, errlen) != 0) {
            tls_identity_free(&id);
            return -1;
        }
        grpc_ssl_pem_key_cert_pair pair = { .private_key = id.key_pem, .cert_chain = id.cert_pem };
        t->creds = grpc_ssl_credentials_create_ex(ca, k->mtls ? &pair : NULL, NULL, NULL);
        free(ca);
    }
    tls_identity_free(&id); /* gRPC copied the PEM */
    if (t->creds == NULL) {
        snprintf(err, errlen, "%s: gRPC refused the TLS credentials for %s", who, address);
        return -1;
    }
    if (k->resumption)
        t->cache = grpc_ssl_session_cache_create_lru(SESSION_CACHE_ENTRIES);
    return 0;
}

grpc_arg gc_tls_client_cache_arg(const struct gc_tls_client *t)
{
    return grpc_ssl_session_cache_create_channel_arg(t->cache);
}

void gc_tls_client_free(struct gc_tls_client *t)
{
    if (t->creds != NULL)
        grpc_channel_credentials_release(t->creds);
    if (t->cache != NULL)
        grpc_ssl_session_cache_destroy(t->cache);
    memset(t, 0, sizeof *t);
}

int gc_tls_handshake_of(grpc_call *call)
{
    grpc_auth_context *ctx = grpc_call_auth_context(call);
    if (ctx == NULL)
        return -1;
    grpc_auth_property_iterator it =
        grpc_auth_context_find_properties_by_name(ctx, GRPC_SSL_SESSION_REUSED_PROPERTY);
    const grpc_auth_property *p = grpc_auth_property_iterator_next(&it);
    int rc = -1;
    if (p != NULL)
        rc = p->value_length == 4 && memcmp(p->value, "true", 4) == 0;
    grpc_auth_context_release(ctx);
    return rc;
}
