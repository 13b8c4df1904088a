/*
 * keys.h — the shm section's own keys (keys.c), read alike by the client
 * and the server so that a bad value is refused by name on either side.
 */
#ifndef INCBENCH_SHM_KEYS_H
#define INCBENCH_SHM_KEYS_H

#include <incbench/transport.h>

/* A second: a waiter that spins longer than that should say so with a
 * longer timeout_ms, not burn a core per call. */
#define SHM_SPIN_MAX_NS 1000000000u

struct shm_keys {
    unsigned spin_ns;   /* spin this long on a word before sleeping on its futex */
};

/* Defaults, then the section's keys; -1 and a sentence naming the key when
 * one is unknown or out of range. */
int shm_keys_read(const struct incbench_params *params, struct shm_keys *out,
                  char *err, size_t errlen);

#endif
