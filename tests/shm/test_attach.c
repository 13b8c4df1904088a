/*
 * test_attach.c — the server answers only what the current attach of a
 * channel asked. The test thread plays a client by hand on a live server's
 * segment (layout.h), so that it can stop between the steps of an attach
 * (owner claimed, generation not yet bumped) and publish a request of an
 * attach that a new one replaces at once: the two moments a server that
 * looked at one attach and answered under another gave a fresh client's
 * first call the answer 1 (call 0 of test_ten_million under load).
 */
#include "shmtest.h"
#include "layout.h"

#include <check.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The segment of a server of this process, mapped as a client maps it. */
static struct shm_segment *map_segment(const char *bound)
{
    char path[128];
    snprintf(path, sizeof path, "/%s", bound + 4);
    const int fd = shm_open(path, O_RDWR | O_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    void *p = mmap(NULL, sizeof(struct shm_segment), PROT_READ | PROT_WRITE,
                   MAP_SHARED, fd, 0);
    close(fd);
    ck_assert(p != MAP_FAILED);
    return p;
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Call 1 of attach gen on channel ch, value v; its answer within 2 s. */
static void first_call(struct shm_channel *ch, uint32_t gen, int64_t v)
{
    struct shm_slot *slot = &ch->slots[0];
    atomic_store_explicit(&slot->value, v, memory_order_relaxed);
    atomic_store_explicit(&slot->req_seq, SHM_SEQ(gen, 1), memory_order_release);
    const long long deadline = harness_now_ms() + 2000;
    while (atomic_load_explicit(&slot->ans_seq, memory_order_acquire) != SHM_SEQ(gen, 1)) {
        ck_assert_msg(harness_now_ms() < deadline, "call 1 of attach %u unanswered", gen);
        harness_nap_ms(1);
    }
    ck_assert_int_eq(atomic_load_explicit(&slot->answer, memory_order_relaxed), v + 1);
}

/* A channel whose owner is claimed but whose generation is not bumped yet
 * holds no request: no slot gets an answer. The server's cursor used to
 * start at call 0, whose sequence (0) every zeroed slot carries. */
START_TEST(a_claimed_channel_before_its_attach_gets_no_answer)
{
    char bound[64];
    void *s = shmtest_server("0", bound);
    struct shm_segment *seg = map_segment(bound);
    struct shm_channel *ch = &seg->channels[0];
    uint32_t free_owner = 0;
    ck_assert(atomic_compare_exchange_strong(&ch->owner, &free_owner, (uint32_t)getpid()));
    /* The server sleeps in slices of SHM_SLICE_MS and looks between them. */
    harness_nap_ms(4 * SHM_SLICE_MS);
    for (unsigned i = 0; i < SHM_SLOTS; i++)
        ck_assert_msg(atomic_load(&ch->slots[i].answer) == 0 &&
                      atomic_load(&ch->slots[i].ans_tag) == 0,
                      "slot %u of a channel nobody asked on was answered (answer %" PRId64 ")",
                      i, (int64_t)atomic_load(&ch->slots[i].answer));
    /* And the attach that follows is served. */
    first_call(ch, atomic_fetch_add(&ch->gen, 1) + 1, -1000);
    atomic_store(&ch->owner, 0);
    munmap(seg, sizeof *seg);
    shmtest_plugin()->server_stop(s);
}
END_TEST

/* A request published by one attach and left by a new attach at once is
 * answered under the old generation or not at all, never under the new
 * one, which asked nothing. Timing decides what the server sees, so this
 * tries for a bounded time (~1.5 s) with the server spinning. */
START_TEST(a_request_of_a_replaced_attach_is_never_answered_as_the_new_one)
{
    char bound[64];
    void *s = shmtest_server("1000000000", bound);
    struct shm_segment *seg = map_segment(bound);
    struct shm_channel *ch = &seg->channels[0];
    struct shm_slot *slot = &ch->slots[0];
    uint32_t free_owner = 0;
    ck_assert(atomic_compare_exchange_strong(&ch->owner, &free_owner, (uint32_t)getpid()));
    uint32_t gen = atomic_fetch_add(&ch->gen, 1) + 1;
    const long long end = now_ns() + 1500000000LL;
    long tries = 0;
    /* Bounded in tries too: a generation has 24 bits in a sequence word. */
    for (; now_ns() < end && tries < 1000000; tries++) {
        atomic_store_explicit(&slot->value, 0, memory_order_relaxed);
        atomic_store_explicit(&slot->req_seq, SHM_SEQ(gen, 1), memory_order_release);
        const uint32_t next = atomic_fetch_add(&ch->gen, 1) + 1;
        /* Give the server a moment to answer the old request, if it does. */
        const long long settle = now_ns() + 20000;
        uint64_t ans;
        do {
            ans = atomic_load_explicit(&slot->ans_seq, memory_order_acquire);
        } while (ans != SHM_SEQ(gen, 1) && now_ns() < settle);
        /* Nothing has published SHM_SEQ(next, 1) in any slot yet. */
        ck_assert_msg(ans != SHM_SEQ(next, 1),
                      "try %ld: call 1 of attach %u was answered (%" PRId64 ") though "
                      "only attach %u had asked", tries, next,
                      (int64_t)atomic_load(&slot->answer), gen);
        gen = next;
    }
    ck_assert_int_gt(tries, 0);
    atomic_store(&ch->owner, 0);
    munmap(seg, sizeof *seg);
    shmtest_plugin()->server_stop(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("shm attach");
    TCase *tc = tcase_create("attach");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_claimed_channel_before_its_attach_gets_no_answer);
    tcase_add_test(tc, a_request_of_a_replaced_attach_is_never_answered_as_the_new_one);
    suite_add_tcase(su, tc);
    return shmtest_run(su);
}
