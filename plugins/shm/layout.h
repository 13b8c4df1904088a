/*
 * layout.h — the shared segment of the shm transport, byte for byte: what a
 * server and its clients (other processes, maybe another build) agree on.
 * Every word one side writes often sits in a cache line of its own, so the
 * only lines that change hands on a call are the request line (client to
 * server) and the answer line (server to client): the floor this transport
 * measures. Any change here bumps SHM_LAYOUT_VERSION.
 */
#ifndef INCBENCH_SHM_LAYOUT_H
#define INCBENCH_SHM_LAYOUT_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#define SHM_MAGIC UINT64_C(0x314d48534e494e49)   /* "INCBSHM1" read little-endian */
#define SHM_LAYOUT_VERSION 1u
#define SHM_LINE 64u
#define SHM_CHANNELS 8u      /* clients attached at once */
#define SHM_SLOTS 1024u      /* calls in flight per client: the largest window */
#define SHM_SLICE_MS 50      /* longest futex sleep between looks at the peer */

/* Sequence words: the attach generation in the top bits, the client's call
 * number (from 1) below, so a slot left by an earlier client never matches
 * what the server or the new client expects. */
#define SHM_SEQ_CALL_BITS 40u
#define SHM_SEQ(gen, n) (((uint64_t)(gen) << SHM_SEQ_CALL_BITS) | \
                         ((uint64_t)(n) & ((UINT64_C(1) << SHM_SEQ_CALL_BITS) - 1)))

enum shm_status { SHM_ANSWERED = 0, SHM_REFUSED = 1 };
enum shm_state { SHM_SERVING = 1, SHM_STOPPED = 2 };

/* A futex word must be a plain 32-bit int: _Atomic uint32_t is one here. */
_Static_assert(sizeof(_Atomic uint32_t) == 4, "futex words are 32 bits");

struct shm_slot {
    /* Written by the client, read by the server. */
    alignas(SHM_LINE) _Atomic uint64_t req_seq;   /* published last (release) */
    _Atomic int64_t value;                        /* relaxed: the seq orders them */
    _Atomic uint64_t tag;
    /* Written by the server, read by the client. */
    alignas(SHM_LINE) _Atomic uint64_t ans_seq;   /* published last (release) */
    _Atomic int64_t answer;
    _Atomic uint64_t ans_tag;
    _Atomic uint32_t status;                      /* enum shm_status */
};

struct shm_channel {
    /* Claimed by a client (compare-and-swap 0 -> its pid), given back by it
     * or by the server when that pid is gone. Rarely written. */
    alignas(SHM_LINE) _Atomic uint32_t owner;
    _Atomic uint32_t gen;                         /* bumped by each attach */
    /* The client's sleep: it sets `sleeping` before a FUTEX_WAIT on `wake`;
     * the server bumps `wake` and calls FUTEX_WAKE only when it is set. */
    alignas(SHM_LINE) _Atomic uint32_t sleeping;
    _Atomic uint32_t wake;
    struct shm_slot slots[SHM_SLOTS];
};

struct shm_header {
    alignas(SHM_LINE) _Atomic uint64_t magic;     /* written last by the server */
    uint32_t version;
    uint32_t line, channels, slots;
    uint64_t size;                                /* sizeof(struct shm_segment) */
    int32_t server_pid;
    _Atomic uint32_t state;                       /* enum shm_state */
    /* The server's sleep, as a channel's: clients bump `wake` and call
     * FUTEX_WAKE only when `sleeping` is set. */
    alignas(SHM_LINE) _Atomic uint32_t sleeping;
    _Atomic uint32_t wake;
};

struct shm_segment {
    struct shm_header head;
    struct shm_channel channels[SHM_CHANNELS];
};

_Static_assert(sizeof(struct shm_slot) == 2 * SHM_LINE, "a slot is two cache lines");
_Static_assert(sizeof(struct shm_header) % SHM_LINE == 0, "header fills its lines");

#endif
