/*
 * client.c — the shm client: claims one channel of the server's segment in
 * init (compare-and-swap on its owner word) and keeps it until shutdown.
 * A call writes value and tag into the next slot, publishes the slot's
 * sequence word, wakes the server only if it sleeps, then waits for the
 * answer's sequence word: a spin of spin_ns, then FUTEX_WAIT slices of at
 * most SHM_SLICE_MS, between which it looks for a stopped or dead server,
 * all bounded by timeout_ms. The server answers a channel in order, so
 * complete hands back the oldest call in flight. Once a wait has failed the
 * client refuses every later call. No allocation and no system call on the
 * measured path but the futex when a side sleeps (the clock is the vDSO's).
 */
#include "client.h"

#include "deadline.h"
#include "futex.h"
#include "keys.h"
#include "segment.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct shm_client {
    struct shm_segment *seg;
    struct shm_channel *ch;          /* NULL until claimed */
    uint32_t gen;                    /* this attach's generation */
    pid_t server_pid;
    uint64_t issued, done;           /* calls published, calls completed */
    unsigned timeout_ms, spin_ns;
    bool broken;
    uint64_t connections;
    char name[SHM_NAME_MAX + 1];
};

__attribute__((format(printf, 4, 5)))
static int fail(struct shm_client *c, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    c->broken = true;
    return -1;
}

static int claim_channel(struct shm_client *c, char *err, size_t errlen)
{
    const uint32_t me = (uint32_t)getpid();
    for (unsigned i = 0; i < SHM_CHANNELS; i++) {
        struct shm_channel *ch = &c->seg->channels[i];
        uint32_t free_owner = 0;
        if (!atomic_compare_exchange_strong(&ch->owner, &free_owner, me))
            continue;
        atomic_store(&ch->sleeping, 0);
        /* A new generation before the first request: the server drops its
         * cursor, and no slot of an earlier client can match ours. */
        c->gen = atomic_fetch_add(&ch->gen, 1) + 1;
        c->ch = ch;
        c->connections = 1;
        return 0;
    }
    snprintf(err, errlen, "shm: all %u channels of shm:%s are taken", SHM_CHANNELS, c->name);
    return -1;
}

int shm_client_init(void **client, const struct incbench_params *params,
                    char *err, size_t errlen)
{
    struct shm_keys keys;
    *client = NULL;
    if (shm_keys_read(params, &keys, err, errlen) != 0)
        return -1;
    if (params->max_inflight > SHM_SLOTS) {
        snprintf(err, errlen, "shm: 'window' = %u is more than the %u calls a channel "
                 "holds in flight", params->max_inflight, SHM_SLOTS);
        return -1;
    }
    struct shm_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, errlen, "shm: out of memory");
        return -1;
    }
    *client = c;
    c->timeout_ms = params->timeout_ms;
    c->spin_ns = keys.spin_ns;
    if (segment_parse(params->address, c->name, err, errlen) != 0 ||
        segment_open(c->name, &c->seg, err, errlen) != 0)
        return -1;
    c->server_pid = (pid_t)c->seg->head.server_pid;
    if (atomic_load(&c->seg->head.state) != SHM_SERVING) {
        snprintf(err, errlen, "shm: the server of shm:%s has stopped", c->name);
        return -1;
    }
    if (!futex_peer_alive(c->server_pid)) {
        snprintf(err, errlen, "shm: the server of shm:%s (pid %d) is gone",
                 c->name, (int)c->server_pid);
        return -1;
    }
    return claim_channel(c, err, errlen);
}

int shm_client_submit(void *client, uint64_t tag, int64_t value, char *err, size_t errlen)
{
    struct shm_client *c = client;
    if (c->broken)
        return fail(c, err, errlen, "shm: the client of shm:%s failed before", c->name);
    if (c->issued - c->done >= SHM_SLOTS)
        return fail(c, err, errlen, "shm: %u calls in flight on shm:%s, its most",
                    SHM_SLOTS, c->name);
    const uint64_t n = ++c->issued;
    struct shm_slot *slot = &c->ch->slots[(n - 1) % SHM_SLOTS];
    atomic_store_explicit(&slot->value, value, memory_order_relaxed);
    atomic_store_explicit(&slot->tag, tag, memory_order_relaxed);
    atomic_store_explicit(&slot->req_seq, SHM_SEQ(c->gen, n), memory_order_release);
    /* Pairs with the server's fence before its last look (server.c). */
    atomic_thread_fence(memory_order_seq_cst);
    struct shm_header *h = &c->seg->head;
    if (atomic_load_explicit(&h->sleeping, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&h->wake, 1, memory_order_release);
        futex_wake_all(&h->wake);
    }
    return 0;
}

static bool answered(const struct shm_slot *slot, uint64_t want)
{
    return atomic_load_explicit(&slot->ans_seq, memory_order_acquire) == want;
}

/* Why a wait cannot succeed any more, or 0 while the server serves. */
static int server_gone(struct shm_client *c, char *err, size_t errlen)
{
    if (atomic_load(&c->seg->head.state) != SHM_SERVING)
        return fail(c, err, errlen, "shm: the server of shm:%s stopped", c->name);
    if (!futex_peer_alive(c->server_pid))
        return fail(c, err, errlen, "shm: the server of shm:%s (pid %d) is gone",
                    c->name, (int)c->server_pid);
    return 0;
}

static int wait_answer(struct shm_client *c, const struct shm_slot *slot, uint64_t want,
                       char *err, size_t errlen)
{
    if (answered(slot, want))
        return 0;
    const long long start = deadline_now_ns();
    const long long deadline = start + (long long)c->timeout_ms * 1000000;
    long long spin_end = start + (long long)c->spin_ns;
    if (spin_end > deadline)
        spin_end = deadline;
    while (c->spin_ns > 0) {
        for (unsigned k = 0; k < 64; k++) {
            if (answered(slot, want))
                return 0;
            futex_relax();
        }
        if (deadline_now_ns() >= spin_end)
            break;
    }
    /* Bounded by the clock: each slice is at most SHM_SLICE_MS, and the
     * deadline ends the loop. */
    long long last_look = start;
    for (;;) {
        const uint32_t w = atomic_load_explicit(&c->ch->wake, memory_order_acquire);
        atomic_store_explicit(&c->ch->sleeping, 1, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        const bool ready = answered(slot, want);
        const long long now = deadline_now_ns();
        if (!ready && now < deadline) {
            long long ms = (deadline - now + 999999) / 1000000;
            futex_wait_ms(&c->ch->wake, w, ms < SHM_SLICE_MS ? ms : SHM_SLICE_MS);
        }
        atomic_store_explicit(&c->ch->sleeping, 0, memory_order_relaxed);
        if (ready || answered(slot, want))
            return 0;
        const long long after = deadline_now_ns();
        if (after - last_look >= SHM_SLICE_MS * 1000000LL ||
            atomic_load_explicit(&c->seg->head.state, memory_order_relaxed) != SHM_SERVING) {
            last_look = after;
            if (server_gone(c, err, errlen) != 0)
                return -1;
        }
        if (after >= deadline)
            return fail(c, err, errlen, "shm: no answer from shm:%s within %u ms",
                        c->name, c->timeout_ms);
    }
}

int shm_client_complete(void *client, uint64_t *tag, int64_t *result, char *err, size_t errlen)
{
    struct shm_client *c = client;
    if (c->broken)
        return fail(c, err, errlen, "shm: the client of shm:%s failed before", c->name);
    if (c->done == c->issued)
        return fail(c, err, errlen, "shm: complete with no call in flight on shm:%s", c->name);
    const uint64_t n = c->done + 1;
    const struct shm_slot *slot = &c->ch->slots[(n - 1) % SHM_SLOTS];
    if (wait_answer(c, slot, SHM_SEQ(c->gen, n), err, errlen) != 0)
        return -1;
    c->done = n;
    *tag = atomic_load_explicit(&slot->ans_tag, memory_order_relaxed);
    const int64_t answer = atomic_load_explicit(&slot->answer, memory_order_relaxed);
    if (atomic_load_explicit(&slot->status, memory_order_relaxed) != SHM_ANSWERED) {
        /* The stream stays in step: only this call fails. */
        snprintf(err, errlen, "shm: server refused: value %s would overflow",
                 answer == INT64_MAX ? "INT64_MAX" : "(bad)");
        return -1;
    }
    *result = answer;
    return 0;
}

int shm_client_increment(void *client, int64_t value, int64_t *result, char *err, size_t errlen)
{
    uint64_t tag;
    if (shm_client_submit(client, 0, value, err, errlen) != 0)
        return -1;
    return shm_client_complete(client, &tag, result, err, errlen);
}

void shm_client_stats(void *client, struct incbench_stats *stats)
{
    const struct shm_client *c = client;
    stats->connections = c->connections;
}

void shm_client_shutdown(void *client)
{
    struct shm_client *c = client;
    if (c == NULL)
        return;
    if (c->ch != NULL) {
        atomic_store(&c->ch->sleeping, 0);
        atomic_store_explicit(&c->ch->owner, 0, memory_order_release);
    }
    segment_unmap(c->seg);
    free(c);
}
