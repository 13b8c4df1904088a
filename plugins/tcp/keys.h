/*
 * keys.h — the tcp section's own keys (keys.c), read alike by the client and
 * the server so that a bad value is refused by name on either side.
 */
#ifndef INCBENCH_TCP_KEYS_H
#define INCBENCH_TCP_KEYS_H

#include <incbench/transport.h>

/* 60 s; why this and not timeout_ms is in keys.c. */
#define TCP_IDLE_DEFAULT_MS 60000u
/* An hour, rest's server_timeout_ms bound: past it, say 0 (never). */
#define TCP_IDLE_MAX_MS (3600u * 1000u)

struct tcp_keys {
    unsigned idle_timeout_ms;   /* 0: the server never closes an idle connection */
};

/* Defaults, then the section's keys; -1 and a sentence naming the key when
 * one is unknown or out of range. */
int tcp_keys_read(const struct incbench_params *params, struct tcp_keys *out,
                  char *err, size_t errlen);

#endif
