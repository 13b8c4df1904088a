/*
 * rest.c — the rest transport's vtable and its options: HTTP/1.1 + JSON,
 * `GET /increment/{value}` answered with `{"value": value+1}`, or
 * `POST /increment` with `{"value": v}`; with `payload = N`, N bytes of a
 * JSON string ride in the answer (GET, `?payload=N`) or both ways (POST).
 * The server lives in server.c (libevent evhttp), the client in client.c.
 * Nothing here keeps state: every handle owns its own copy of what it needs.
 */
#include "rest.h"

#include "options.h"
#include "payload.h"

#include <stdio.h>

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

int rest_options(const struct incbench_params *params, struct rest_options *out,
                 char *err, size_t errlen)
{
    static const char *const known[] = { "connection", "server_timeout_ms", "method",
                                         PAYLOAD_KEYS, NULL };
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
    return opts_uint(params, "rest", "server_timeout_ms", 1, 3600u * 1000u,
                     &out->server_timeout_ms, err, errlen);
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
