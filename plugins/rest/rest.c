/*
 * rest.c — the rest transport's vtable and its options: HTTP/1.1 + JSON,
 * `GET /increment/{value}` answered with `{"value": value+1}`, or
 * `POST /increment` with `{"value": v}`; with `payload = N`, N bytes of a
 * JSON string ride in the answer (GET, `?payload=N`) or both ways (POST).
 * The server lives in server.c (libevent evhttp), the client in client.c;
 * with `tls = true` both speak TLS (tls_server.c, tls_client.c).
 * Nothing here keeps state: every handle owns its own copy of what it needs.
 */
#include "rest.h"

#include "options.h"
#include "payload.h"

#include <stdio.h>
#include <string.h>

const char *rest_int64_text(int64_t v, char buf[24], size_t *len)
{
    char *p = buf + 24;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    *len = (size_t)(buf + 24 - p);
    return p;
}

int rest_address_host(const char *address, char *host, size_t hostlen)
{
    const char *colon = strrchr(address, ':');
    if (colon == NULL)
        return -1;
    const char *from = address, *to = colon;
    if (address[0] == '[' && to > address && to[-1] == ']') {
        from++;
        to--;
    }
    const size_t n = (size_t)(to - from);
    if (n >= hostlen)
        return -1;
    memcpy(host, from, n);
    host[n] = '\0';
    return 0;
}

int rest_options(const struct incbench_params *params, struct rest_options *out,
                 char *err, size_t errlen)
{
    static const char *const known[] = { "connection", "server_timeout_ms", "method",
                                         PAYLOAD_KEYS, TLS_KEYS, NULL };
    static const char *const modes[] = { "keepalive", "close", NULL };
    static const char *const methods[] = { "get", "post", NULL };
    if (opts_check(params, "rest", known, err, errlen) != 0)
        return -1;
    int mode = 0, method = 0;
    if (opts_choice(params, "rest", "connection", modes, &mode, err, errlen) != 0 ||
        opts_choice(params, "rest", "method", methods, &method, err, errlen) != 0)
        return -1;
    out->keepalive = mode == 0;
    out->post = method == 1;
    /* The server gives a slow peer as long as a client gives a call, unless
     * told otherwise: a request that never finishes is closed after that. */
    out->server_timeout_ms = params->timeout_ms > 0 ? params->timeout_ms : 5000;
    if (opts_uint(params, "rest", "server_timeout_ms", 1, 3600u * 1000u,
                  &out->server_timeout_ms, err, errlen) != 0)
        return -1;
    return tls_keys_read(params, "rest", &out->tls, err, errlen);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "rest",
    .summary = "HTTP/1.1 + JSON, GET /increment/{value} or POST, libevent evhttp server",
    .init = rest_client_init,
    .increment = rest_client_increment,
    .shutdown = rest_client_shutdown,
    .server_start = rest_server_start,
    .server_stop = rest_server_stop,
    .stats = rest_client_stats,
};
