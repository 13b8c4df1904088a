/*
 * stream_keys.h — the keys of a stream transport's section (tcp, uds), read
 * alike by the client and the server so that a bad value is refused by name
 * on either side: idle_timeout_ms, and payload and verify (payload.h; the
 * client makes its bytes with payload_read, the server takes `payload` as
 * the most it receives).
 */
#ifndef INCBENCH_PLUGIN_STREAM_KEYS_H
#define INCBENCH_PLUGIN_STREAM_KEYS_H

#include <incbench/transport.h>
#include <stdbool.h>

/* 60 s; why this and not timeout_ms is in stream_keys.c. */
#define STREAM_IDLE_DEFAULT_MS 60000u
/* An hour, rest's server_timeout_ms bound: past it, say 0 (never). */
#define STREAM_IDLE_MAX_MS (3600u * 1000u)

struct stream_keys {
    unsigned idle_timeout_ms;   /* 0: the server never closes an idle connection */
    unsigned payload;           /* bytes each way; the server's receive limit */
    bool verify;                /* the client compares the echo's bytes too */
};

/* Defaults, then the section's keys; -1 and a sentence that starts with
 * `who` (the transport's name) and names the key when one is unknown or
 * out of range. */
int stream_keys_read(const struct incbench_params *params, const char *who,
                     struct stream_keys *out, char *err, size_t errlen);

#endif
