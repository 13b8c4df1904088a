/*
 * server.c — the shm server: one thread (started in server_start, so it
 * runs where server_cpu put the process) walks the channels in turn and
 * answers every request whose sequence word has come up. With nothing to
 * do it spins spin_ns, then sleeps on the header's futex in slices of at
 * most SHM_SLICE_MS, between which it looks at its stop flag and frees the
 * channel of a client whose process has died. The segment is unlinked on
 * stop. Never prints; allocates only in server_start.
 */
#include "server.h"

#include "deadline.h"
#include "futex.h"
#include "keys.h"
#include "segment.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The server's own view of a channel: which attach it serves, and the
 * call number it answers next (from 1, as a client counts: call 0 would
 * carry sequence 0, which every zeroed slot of a fresh channel holds). */
struct shm_cursor {
    uint32_t gen;
    uint64_t next;
};

struct shm_server {
    struct shm_segment *seg;
    char name[SHM_NAME_MAX + 1];
    unsigned spin_ns;
    atomic_bool stop;
    bool started;
    pthread_t thread;
    long long last_look_ms;          /* last look for dead clients */
    struct shm_cursor cur[SHM_CHANNELS];
};

static void wake(_Atomic uint32_t *sleeping, _Atomic uint32_t *word)
{
    /* Pairs with the waiter's fence between setting `sleeping` and its
     * last look: either it sees our store, or we see it asleep. */
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(sleeping, memory_order_relaxed)) {
        atomic_fetch_add_explicit(word, 1, memory_order_release);
        futex_wake_all(word);
    }
}

/* The slot channel i's next request goes in, and the sequence it would
 * carry; follows a new attach (a new gen) first. */
static struct shm_slot *next_slot(struct shm_server *s, unsigned i, uint64_t *want)
{
    struct shm_channel *c = &s->seg->channels[i];
    struct shm_cursor *k = &s->cur[i];
    const uint32_t gen = atomic_load_explicit(&c->gen, memory_order_acquire);
    if (gen != k->gen) {
        k->gen = gen;
        k->next = 1;
    }
    *want = SHM_SEQ(k->gen, k->next);
    return &c->slots[(k->next - 1) % SHM_SLOTS];
}

/* The slot of channel i's next request if it has been published, else
 * NULL. The caller answers this very slot under this `want`: looking up
 * the slot again could read a newer gen, which resets the cursor to call
 * 1 of an attach that has asked nothing yet. */
static struct shm_slot *ready_slot(struct shm_server *s, unsigned i, uint64_t *want)
{
    if (atomic_load_explicit(&s->seg->channels[i].owner, memory_order_relaxed) == 0)
        return NULL;
    struct shm_slot *slot = next_slot(s, i, want);
    return atomic_load_explicit(&slot->req_seq, memory_order_acquire) == *want ? slot : NULL;
}

static bool channel_ready(struct shm_server *s, unsigned i)
{
    uint64_t want;
    return ready_slot(s, i, &want) != NULL;
}

/* Answer what channel i has published, at most a ring's worth. */
static bool serve_channel(struct shm_server *s, unsigned i)
{
    struct shm_channel *c = &s->seg->channels[i];
    bool did = false;
    for (unsigned n = 0; n < SHM_SLOTS; n++) {
        uint64_t want;
        struct shm_slot *slot = ready_slot(s, i, &want);
        if (slot == NULL)
            break;
        const int64_t v = atomic_load_explicit(&slot->value, memory_order_relaxed);
        const bool refuse = v == INT64_MAX;
        atomic_store_explicit(&slot->answer, refuse ? v : v + 1, memory_order_relaxed);
        atomic_store_explicit(&slot->status, refuse ? SHM_REFUSED : SHM_ANSWERED,
                              memory_order_relaxed);
        atomic_store_explicit(&slot->ans_tag,
                              atomic_load_explicit(&slot->tag, memory_order_relaxed),
                              memory_order_relaxed);
        atomic_store_explicit(&slot->ans_seq, want, memory_order_release);
        s->cur[i].next++;
        wake(&c->sleeping, &c->wake);
        did = true;
    }
    return did;
}

/* Every SHM_SLICE_MS: give back the channel of a client that died. */
static void look_for_dead_clients(struct shm_server *s)
{
    const long long now = deadline_now_ms();
    if (now - s->last_look_ms < SHM_SLICE_MS)
        return;
    s->last_look_ms = now;
    for (unsigned i = 0; i < SHM_CHANNELS; i++) {
        _Atomic uint32_t *owner = &s->seg->channels[i].owner;
        uint32_t pid = atomic_load_explicit(owner, memory_order_relaxed);
        if (pid != 0 && !futex_peer_alive((pid_t)pid))
            atomic_compare_exchange_strong(owner, &pid, 0);
    }
}

static bool any_ready(struct shm_server *s)
{
    for (unsigned i = 0; i < SHM_CHANNELS; i++)
        if (channel_ready(s, i))
            return true;
    return false;
}

static void sleep_a_slice(struct shm_server *s)
{
    struct shm_header *h = &s->seg->head;
    const uint32_t w = atomic_load_explicit(&h->wake, memory_order_acquire);
    atomic_store_explicit(&h->sleeping, 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    if (!any_ready(s) && !atomic_load(&s->stop))
        futex_wait_ms(&h->wake, w, SHM_SLICE_MS);
    atomic_store_explicit(&h->sleeping, 0, memory_order_relaxed);
}

static void *server_loop(void *arg)
{
    struct shm_server *s = arg;
    long long idle_since = -1;
    unsigned rounds = 0;
    while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
        bool did = false;
        for (unsigned i = 0; i < SHM_CHANNELS; i++)
            did |= serve_channel(s, i);
        if (did) {
            idle_since = -1;
            if (++rounds % 4096 == 0)
                look_for_dead_clients(s);
            continue;
        }
        const long long now = deadline_now_ns();
        if (idle_since < 0)
            idle_since = now;
        if (now - idle_since < (long long)s->spin_ns) {
            futex_relax();
            continue;
        }
        sleep_a_slice(s);
        look_for_dead_clients(s);
    }
    return NULL;
}

int shm_server_start(void **server, const struct incbench_params *params,
                     char *bound, size_t boundlen, char *err, size_t errlen)
{
    struct shm_keys keys;
    char given[SHM_NAME_MAX + 1];
    *server = NULL;
    if (shm_keys_read(params, &keys, err, errlen) != 0)
        return -1;
    if (params->address != NULL && segment_parse(params->address, given, err, errlen) != 0)
        return -1;
    struct shm_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, errlen, "shm: out of memory");
        return -1;
    }
    *server = s;
    s->spin_ns = keys.spin_ns;
    atomic_init(&s->stop, false);
    for (unsigned i = 0; i < SHM_CHANNELS; i++)
        s->cur[i].next = 1;
    if (segment_create(params->address ? given : NULL, s->name, &s->seg, err, errlen) != 0)
        return -1;
    if (boundlen < strlen(s->name) + 5) {
        snprintf(err, errlen, "shm: bound[] of %zu bytes cannot hold shm:%s", boundlen, s->name);
        return -1;
    }
    s->last_look_ms = deadline_now_ms();
    /* The runner's thread takes its signals, not ours. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    const int rc = pthread_create(&s->thread, NULL, server_loop, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "shm: cannot start the server thread of shm:%s: %s",
                 s->name, strerror(rc));
        return -1;
    }
    s->started = true;
    segment_publish(s->seg);
    snprintf(bound, boundlen, "shm:%s", s->name);
    return 0;
}

void shm_server_stop(void *server)
{
    struct shm_server *s = server;
    if (s == NULL)
        return;
    if (s->started) {
        atomic_store(&s->stop, true);
        atomic_fetch_add(&s->seg->head.wake, 1);
        futex_wake_all(&s->seg->head.wake);
        pthread_join(s->thread, NULL);
    }
    if (s->seg != NULL) {
        /* Clients still attached learn it at their next wait. */
        atomic_store(&s->seg->head.state, SHM_STOPPED);
        for (unsigned i = 0; i < SHM_CHANNELS; i++) {
            atomic_fetch_add(&s->seg->channels[i].wake, 1);
            futex_wake_all(&s->seg->channels[i].wake);
        }
        segment_unmap(s->seg);
        segment_unlink(s->name);
    }
    free(s);
}
