/*
 * test_idle.c — the tcp server's idle timeout (idle_timeout_ms) against raw
 * sockets: a silent connection, one holding half a frame and one dribbling
 * a frame byte by byte are closed; one sending a frame every 100 ms is not,
 * nor one whose answers wait for it to read; the default and 0 keep a quiet
 * connection; and at the descriptor limit a new connection waits unanswered
 * until an idle one is closed. Closing is asserted to come after the timeout
 * (the server must never cut early) and before a bound three times past it
 * (a hang detector).
 */
#include "harness.h"
#include "raw.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IDLE_MS 300
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
/* The server closes between IDLE_MS and 1.25 IDLE_MS after the last request
 * (or the connect); this much leaves room for a loaded machine. */
#define CLOSED_WITHIN_MS 1000

static const struct incbench_transport *T;
static void *server;        /* idle_timeout_ms = IDLE_MS, in the "idle" tests */
static char bound[64];

static void load(void)
{
    T = harness_load(raw_transport());
}

/* A server with idle_timeout_ms = `idle` (NULL: the default). */
static void *server_with(const char *idle, char address[64])
{
    struct harness_params hp;
    if (idle != NULL)
        harness_params(&hp, raw_listen_address(), 2000, "idle_timeout_ms", idle, NULL);
    else
        harness_params(&hp, raw_listen_address(), 2000, NULL);
    return harness_server(T, &hp, address);
}

static void setup(void)
{
    load();
    server = server_with(TEXT(IDLE_MS), bound);
}

static void teardown(void)
{
    T->server_stop(server);
}

/* True once fd reads the server's close (EOF or a reset) within ms. Bytes
 * instead fail the test: nothing was owed. */
static bool closed_within(int fd, long long ms)
{
    const long long end = harness_now_ms() + ms;
    for (;;) {
        long long left = end - harness_now_ms();
        if (left <= 0)
            return false;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        char buf[64];
        ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno == ECONNRESET))
            return true;
        ck_assert_msg(r < 0, "the server sent %zd bytes to an idle connection", r);
    }
}

/* fd, last active after `since` (a time taken before its last request or,
 * without one, its connect), is closed after IDLE_MS and before the bound. */
static void assert_idle_closed(int fd, long long since, const char *what)
{
    ck_assert_msg(closed_within(fd, since + CLOSED_WITHIN_MS - harness_now_ms()),
                  "%s: still open %d ms after its last request or connect "
                  "(idle_timeout_ms = %d)",
                  what, CLOSED_WITHIN_MS, IDLE_MS);
    long long after = harness_now_ms() - since;
    ck_assert_msg(after >= IDLE_MS, "%s: closed %lld ms after its last request or connect, "
                  "before idle_timeout_ms = %d", what, after, IDLE_MS);
}

START_TEST(idle_connection_is_closed)
{
    /* One that never sends, and one that goes quiet after an answer. */
    long long t0 = harness_now_ms();
    int silent = harness_connect(bound);
    int served_once = harness_connect(bound);
    long long t1 = harness_now_ms();
    raw_assert_increment(served_once, 41, 1);
    assert_idle_closed(silent, t0, "a connection that never sent");
    assert_idle_closed(served_once, t1, "a connection quiet after one call");
    close(silent);
    close(served_once);
    /* The server itself is fine. */
    raw_assert_served(bound);
}
END_TEST

START_TEST(connection_sending_every_100ms_stays_open)
{
    int fd = harness_connect(bound);
    const long long end = harness_now_ms() + 2000;
    uint64_t id = 0;
    while (harness_now_ms() < end) {
        ++id;
        raw_assert_increment(fd, (int64_t)id * 10, id);
        harness_nap_ms(100);
    }
    ck_assert_uint_ge(id, 10);
    raw_assert_increment(fd, -5, 999);
    close(fd);
}
END_TEST

START_TEST(partial_frame_counts_as_idle)
{
    uint8_t f[32];
    size_t n = raw_request(f, 41, 7);
    long long t0 = harness_now_ms();   /* half a frame is no activity: from the connect */
    int fd = harness_connect(bound);
    raw_send(fd, f, n - 1);   /* all but the last byte */
    assert_idle_closed(fd, t0, "a connection holding half a frame");
    close(fd);
    raw_assert_served(bound);
}
END_TEST

START_TEST(frame_dribbled_byte_by_byte_counts_as_idle)
{
    /* The longest frame there is: 68 bytes, a byte every 50 ms, never whole
     * before the bound. Bytes keep coming; no request is ever complete. */
    static const uint8_t head[] = { 0, 0, 0, 64 };
    const long long t0 = harness_now_ms();
    int fd = harness_connect(bound);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    raw_send(fd, head, sizeof head);
    bool closed = false;
    for (int i = 0; i < 60 && !closed && harness_now_ms() - t0 < CLOSED_WITHIN_MS; i++) {
        static const uint8_t x = 0x08;
        if (send(fd, &x, 1, MSG_NOSIGNAL) != 1) {
            ck_assert_msg(errno == EPIPE || errno == ECONNRESET, "send: %s", strerror(errno));
            closed = true;
            break;
        }
        closed = closed_within(fd, 50);
    }
    ck_assert_msg(closed, "a connection dribbling a frame is still open after %d ms "
                  "(idle_timeout_ms = %d)", CLOSED_WITHIN_MS, IDLE_MS);
    ck_assert_int_ge(harness_now_ms() - t0, IDLE_MS);
    close(fd);
    raw_assert_served(bound);
}
END_TEST

START_TEST(reader_that_falls_behind_is_not_cut)
{
    /* Requests until every buffer on the way is full: the server then holds
     * answers it cannot send, which is not idle however long it lasts. */
    uint8_t chunk[32768];
    size_t one = raw_request(chunk, 1, 1);
    ck_assert_uint_eq(one, 8);
    for (size_t off = one; off < sizeof chunk; off += one)
        memcpy(chunk + off, chunk, one);
    int fd = harness_connect(bound);
    size_t sent = 0;
    for (int i = 0; i < 4096; i++) {
        ssize_t w = send(fd, chunk, sizeof chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w < 0) {
            ck_assert_msg(errno == EAGAIN || errno == EWOULDBLOCK, "send: %s", strerror(errno));
            break;
        }
        sent += (size_t)w;
    }
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    ck_assert_msg(poll(&p, 1, 0) == 0, "the socket still takes requests after %zu bytes", sent);
    harness_nap_ms(3 * IDLE_MS);

    /* Every whole request sent is answered: the server did not give up. */
    const size_t want = sent / one * one;
    static const uint8_t answer[] = { 0, 0, 0, 4, 0x08, 2, 0x10, 1 };
    size_t got = 0;
    while (got < want) {
        uint8_t in[32768];
        size_t ask = want - got < sizeof in ? want - got : sizeof in;
        ssize_t r = recv(fd, in, ask, 0);
        ck_assert_msg(r > 0, "after %zu of %zu answers: %s", got / one, want / one,
                      r == 0 ? "the server closed the connection" : strerror(errno));
        for (ssize_t k = 0; k < r; k++)
            ck_assert_uint_eq(in[k], answer[(got + (size_t)k) % one]);
        got += (size_t)r;
    }
    close(fd);
}
END_TEST

START_TEST(default_and_zero_keep_a_connection_across_a_1s_pause)
{
    const char *const idle[] = { NULL, "0" };
    for (size_t i = 0; i < 2; i++) {
        char address[64];
        void *s = server_with(idle[i], address);
        int fd = harness_connect(address);
        raw_assert_increment(fd, 1, 1);
        harness_nap_ms(1000);
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ck_assert_msg(poll(&p, 1, 0) == 0, "idle_timeout_ms %s: the server closed a "
                      "connection after a 1 s pause", idle[i] ? idle[i] : "(default)");
        raw_assert_increment(fd, 2, 2);
        close(fd);
        T->server_stop(s);
    }
}
END_TEST

/* Lower the descriptor limit to `cap` and take every descriptor under it
 * but `spare`: the server in this process then has exactly what our own
 * connections leave it. Returns how many were taken into held[cap]. */
static int leave_spare(int spare, int *held, int cap, struct rlimit *old)
{
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, old), 0);
    struct rlimit low = { .rlim_cur = (rlim_t)cap, .rlim_max = old->rlim_max };
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
    int n = 0;
    for (int fd; n < cap && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
        held[n++] = fd;
    ck_assert_int_eq(errno, EMFILE);
    ck_assert_int_ge(n, spare);
    for (int i = 0; i < spare; i++)
        close(held[--n]);
    return n;
}

START_TEST(at_the_fd_limit_a_new_connection_waits_for_an_idle_one_to_close)
{
    if (harness_under_valgrind())    /* it closes what accept returns over the limit */
        return;
    int first = harness_connect(bound);
    const long long first_quiet = harness_now_ms();
    raw_assert_increment(first, 10, 1);
    int held[64];
    struct rlimit old;
    /* A second connection (ours and the server's end), and a third of ours. */
    int n = leave_spare(3, held, 64, &old);
    int second = harness_connect(bound);
    raw_assert_increment(second, 20, 2);

    /* The server cannot accept the third: connect succeeds (the backlog),
     * the request goes out, and nothing answers while no descriptor frees,
     * which is not before `first` has been quiet for the timeout. */
    int waiting = harness_connect(bound);
    uint8_t f[32];
    raw_send(waiting, f, raw_request(f, 41, 7));
    struct pollfd p = { .fd = waiting, .events = POLLIN };
    const long long quiet_left = first_quiet + IDLE_MS - harness_now_ms();
    if (quiet_left >= 100 && poll(&p, 1, (int)(quiet_left - 50)) != 0) {
        char c;
        ssize_t r = recv(waiting, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        ck_abort_msg("%s with no descriptor to accept it on", r > 0 ? "answered" : "closed");
    }

    /* The two go idle and are closed; the waiting one is accepted and served. */
    ck_assert_msg(poll(&p, 1, 5000) == 1, "never answered: no idle connection was closed "
                  "to free a descriptor");
    raw_assert_reply(waiting, 42, 7);
    ck_assert(closed_within(first, CLOSED_WITHIN_MS));
    ck_assert(closed_within(second, CLOSED_WITHIN_MS));

    close(first);
    close(second);
    close(waiting);
    while (n > 0)
        close(held[--n]);
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcp idle timeout");
    TCase *tc = tcase_create("idle");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, idle_connection_is_closed);
    tcase_add_test(tc, connection_sending_every_100ms_stays_open);
    tcase_add_test(tc, partial_frame_counts_as_idle);
    tcase_add_test(tc, frame_dribbled_byte_by_byte_counts_as_idle);
    tcase_add_test(tc, reader_that_falls_behind_is_not_cut);
    tcase_add_test(tc, at_the_fd_limit_a_new_connection_waits_for_an_idle_one_to_close);
    suite_add_tcase(su, tc);
    TCase *keep = tcase_create("no timeout");
    tcase_add_checked_fixture(keep, load, NULL);
    tcase_set_timeout(keep, 20);
    tcase_add_test(keep, default_and_zero_keep_a_connection_across_a_1s_pause);
    suite_add_tcase(su, keep);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
