/*
 * test_burst.c — the tcp server against bursts: N request frames written at
 * once (in one write while they fit a send buffer, else as fast as the
 * socket takes them while the answers are read), N from 1 to 100,000. Each
 * burst must get exactly N answers, right and in order, before a deadline,
 * and the connection must then still be served (or, after a half-close,
 * be closed once everything is answered). 332 empty frames are one more
 * than the server's output buffer takes answers for in one pass. And a
 * peer that shuts its side while answers wait in the server costs no CPU.
 */
#include "harness.h"
#include "raw.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const int sizes[] = { 1, 2, 331, 332, 333, 1000, 10000, 100000 };
#define NSIZES ((int)(sizeof sizes / sizeof sizes[0]))

/* Hang detectors, not speed limits: no byte either way for STALL_MS while
 * answers are owed, or a whole burst outliving DEADLINE_MS, fails. */
#define STALL_MS 5000
#define DEADLINE_MS 40000
/* A burst up to this size must leave in one send() (the socket is given a
 * bigger buffer), so the server finds it whole in one read. */
#define ONE_WRITE 65536

enum kind { EMPTY, NUMBERED };

static const struct incbench_transport *T;
static void *server;
static char bound[64];

static void setup(void)
{
    T = harness_load(raw_transport());
    struct harness_params hp;
    harness_params(&hp, raw_listen_address(), 2000, NULL);
    server = harness_server(T, &hp, bound);
}

static void teardown(void)
{
    T->server_stop(server);
}

/* Mostly small values, whose requests are shorter than their replies (so
 * in[] holds more frames than out[] has room for answers), and every 50th
 * a large negative one (a ten-byte varint). */
static int64_t value_of(int i)
{
    return i % 50 == 49 ? -(int64_t)i * 1000003 : i % 50;
}

/* An empty frame is a request for 0 with id 0 (proto3 writes neither). */
static size_t build(uint8_t *out, int n, enum kind k)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += k == EMPTY ? raw_request(out + total, 0, 0)
                            : raw_request(out + total, value_of(i), (uint64_t)i + 1);
    return total;
}

static void check_answer(enum kind k, int i, int n, int64_t v, uint64_t id)
{
    int64_t want_v = k == EMPTY ? 1 : value_of(i) + 1;
    uint64_t want_id = k == EMPTY ? 0 : (uint64_t)i + 1;
    ck_assert_msg(v == want_v && id == want_id,
                  "answer %d of %d: %lld id %llu, expected %lld id %llu", i + 1, n,
                  (long long)v, (unsigned long long)id, (long long)want_v,
                  (unsigned long long)want_id);
}

/* Send the burst and read its n answers. With half_close, the write side is
 * shut after the last byte (the server must still answer all it read, then
 * close) and the receive buffer is fixed, not autotuned, so replies back
 * up in the server more often. Far below the loopback MSS (64 KiB) it would
 * crawl on TCP's persist timer instead. */
static void burst(int n, enum kind k, bool half_close)
{
    int fd = harness_connect(bound);
    int sndbuf = 1 << 20, rcvbuf = 65536;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (half_close)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    uint8_t *out = malloc((size_t)n * 32);
    ck_assert_ptr_nonnull(out);
    const size_t total = build(out, n, k);

    ssize_t w = send(fd, out, total, MSG_DONTWAIT | MSG_NOSIGNAL);
    ck_assert_msg(w > 0, "send: %s", strerror(errno));
    size_t sent = (size_t)w;
    if (total <= ONE_WRITE)
        ck_assert_msg(sent == total, "%zu of a %zu-byte burst left in one write", sent, total);

    uint8_t in[8192];
    size_t have = 0;
    int got = 0;
    bool shut = false;
    const int64_t start = harness_now_ms();
    while (got < n) {
        if (sent == total && half_close && !shut) {
            ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
            shut = true;
        }
        ck_assert_msg(harness_now_ms() - start < DEADLINE_MS, "%d of %d answers after %d ms",
                      got, n, DEADLINE_MS);
        struct pollfd p = { .fd = fd, .events = POLLIN | (sent < total ? POLLOUT : 0) };
        int ready = poll(&p, 1, STALL_MS);
        ck_assert_msg(ready != 0, "%d of %d answers, then none for %d ms "
                      "(%zu of %zu bytes sent)", got, n, STALL_MS, sent, total);
        ck_assert_msg(ready > 0 || errno == EINTR, "poll: %s", strerror(errno));
        if ((p.revents & POLLOUT) && sent < total) {
            w = send(fd, out + sent, total - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            ck_assert_msg(w > 0 || errno == EAGAIN, "send: %s", strerror(errno));
            if (w > 0)
                sent += (size_t)w;
        }
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t r = recv(fd, in + have, sizeof in - have, MSG_DONTWAIT);
        ck_assert_msg(r > 0 || (r < 0 && errno == EAGAIN), "after %d of %d answers, recv: %s",
                      got, n, r == 0 ? "the server closed" : strerror(errno));
        if (r < 0)
            continue;
        have += (size_t)r;
        size_t off = 0;
        int64_t v;
        uint64_t id;
        while (got < n && raw_next_reply(in, have, &off, &v, &id))
            check_answer(k, got++, n, v, id);
        memmove(in, in + off, have - off);
        have -= off;
    }
    ck_assert_uint_eq(sent, total);
    ck_assert_msg(have == 0, "%zu bytes beyond the %d answers", have, n);
    if (half_close) {
        raw_assert_closed(fd);   /* and nothing more before the close */
    } else {
        /* Nothing more was queued, and the connection is still served. */
        raw_assert_increment(fd, 41, 7);
    }
    free(out);
    close(fd);
}

START_TEST(burst_of_empty_frames_gets_every_answer)
{
    burst(sizes[_i], EMPTY, false);
}
END_TEST

START_TEST(burst_of_numbered_frames_is_answered_in_order)
{
    burst(sizes[_i], NUMBERED, false);
}
END_TEST

START_TEST(burst_then_half_close_is_answered_then_closed)
{
    burst(sizes[_i], EMPTY, true);
}
END_TEST

/* Bytes on their way to fd: those it holds unread plus those the server's
 * socket sfd holds unsent or unacknowledged. */
static long in_the_pipe(int fd, int sfd)
{
    int r = 0, w = 0;
    ck_assert_int_eq(ioctl(fd, FIONREAD, &r), 0);
    ck_assert_int_eq(ioctl(sfd, TIOCOUTQ, &w), 0);
    return (long)r + w;
}

/* The way back full, by bytes the test writes on the server's own socket
 * until it takes no more, even once our delayed acknowledgements (which
 * free room in it) have come (250 ms apart). Returns how many. */
static long fill_the_way_back(int sfd)
{
    static const uint8_t junk[1024];
    long total = 0;
    for (int round = 0; round < 40; round++) {
        harness_nap_ms(250);
        long before = total;
        for (size_t size = sizeof junk; size > 0; size /= 4) {
            ssize_t w = 0;
            for (int i = 0; i < 100000; i++) {
                w = send(sfd, junk, size, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (w <= 0)
                    break;
                total += w;
            }
            ck_assert_msg(w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK), "send: %s",
                          w < 0 ? strerror(errno) : "never full");
        }
        if (total == before)
            return total;
    }
    ck_abort_msg("the server's socket still took bytes after 10 s");
    return -1;
}

/* A peer that shuts its side while answers wait in the server for it to
 * read: EPOLLIN then reports the EOF for good, and the server must stop
 * watching it, not spin until the peer reads. The answers are made to
 * wait by filling the way back first (the receive buffer fixed, as in
 * burst(), so that it fills). */
START_TEST(half_closed_peer_owed_answers_costs_no_cpu)
{
    int fd = harness_connect(bound);
    int rcvbuf = 65536, one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    raw_assert_increment(fd, 41, 7);   /* answered: accepted by now */
    const int sfd = harness_accepted_end(fd);
    ck_assert_int_ge(sfd, 0);
    const long junk = fill_the_way_back(sfd);
    const long piped = in_the_pipe(fd, sfd);

    /* 300 answers, 1800 bytes: they fit the server's 2 KiB output buffer
     * with room for another, so it goes on reading and finds the EOF. */
    enum { N = 300 };
    uint8_t req[N * 4];
    ck_assert_uint_eq(build(req, N, EMPTY), sizeof req);
    raw_send(fd, req, sizeof req);
    ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
    harness_nap_ms(100);
    const long now = in_the_pipe(fd, sfd);
    ck_assert_msg(now == piped, "setup: the answers did not wait in the server "
                  "(%ld bytes on the way back, %ld before)", now, piped);

    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    harness_nap_ms(500);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    const long long cpu_ms = (c1.tv_sec - c0.tv_sec) * 1000LL +
                             (c1.tv_nsec - c0.tv_nsec) / 1000000;
    ck_assert_msg(cpu_ms < 250, "%lld ms of CPU in 500 ms while a half-closed peer was "
                  "owed answers", cpu_ms);

    /* Our own bytes back, then every answer, then the close. */
    uint8_t in[8192];
    for (long left = junk; left > 0;) {
        ssize_t r = recv(fd, in, left < (long)sizeof in ? (size_t)left : sizeof in, 0);
        ck_assert_msg(r > 0, "%ld bytes short of the filler: %s", left,
                      r == 0 ? "closed" : strerror(errno));
        left -= r;
    }
    for (int i = 0; i < N; i++) {
        bool refused;
        int64_t v;
        uint64_t id;
        raw_read_reply(fd, &refused, &v, &id);
        ck_assert(!refused);
        check_answer(EMPTY, i, N, v, id);
    }
    raw_assert_closed(fd);
    close(fd);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcp server bursts");
    TCase *tc = tcase_create("bursts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);   /* above DEADLINE_MS: the test's own message wins */
    tcase_add_loop_test(tc, burst_of_empty_frames_gets_every_answer, 0, NSIZES);
    tcase_add_loop_test(tc, burst_of_numbered_frames_is_answered_in_order, 0, NSIZES);
    tcase_add_loop_test(tc, burst_then_half_close_is_answered_then_closed, 0, NSIZES);
    tcase_add_test(tc, half_closed_peer_owed_answers_costs_no_cpu);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
