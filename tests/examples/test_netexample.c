/*
 * test_netexample.c — the networked example plugin (examples/plugin,
 * built here from the installed header alone) keeps the promises it teaches:
 * it answers, pipelines with its tags matched, refuses INT64_MAX (the
 * client before sending, the server by closing) and unknown keys, keeps no global state, honours its deadline against a
 * server that accepts and never answers, and does not spin when out of
 * descriptors. Errors are asserted by sentence,
 * never a speed.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const struct incbench_transport *T;

static void setup(void)
{
    char path[4096];
    const char *top = getenv("top_builddir");
    snprintf(path, sizeof path, "%s/examples/plugin/.libs/netexample.so", top ? top : "..");
    T = harness_load(path);
}

static void *start_server(char bound[64])
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, NULL);
    return harness_server(T, &hp, bound);
}

static void *client(const char *address, unsigned timeout_ms, unsigned inflight)
{
    struct harness_params hp;
    harness_params(&hp, address, timeout_ms, NULL);
    hp.p.max_inflight = inflight;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

/* A socket bound to 127.0.0.1:0 that listens (when asked) and never
 * accepts: the kernel completes connections from the backlog, and no byte
 * ever comes back. */
static int quiet_socket(bool listening, char bound[64])
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    if (listening)
        ck_assert_int_eq(listen(fd, 8), 0);
    snprintf(bound, 64, "127.0.0.1:%u", ntohs(a.sin_port));
    return fd;
}

START_TEST(every_member_of_the_abi_is_filled_in)
{
    harness_full_vtable(T, "netexample");
}
END_TEST

START_TEST(answers_dependent_calls_on_one_connection)
{
    char bound[64], err[256];
    void *s = start_server(bound);
    void *c = client(bound, 2000, 1);
    int64_t v = -5;
    for (int i = 0; i < 1000; i++) {
        int64_t r = 0;
        ck_assert_msg(T->increment(c, v, &r, err, sizeof err) == 0, "call %d: %s", i, err);
        ck_assert_int_eq(r, v + 1);
        v = r;
    }
    struct incbench_stats st = { 0 };
    T->stats(c, &st);
    ck_assert_uint_eq(st.connections, 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(int64_max_is_refused_not_wrapped)
{
    char bound[64], err[256] = "";
    void *s = start_server(bound);
    void *c = client(bound, 2000, 1);
    int64_t r = 0;
    ck_assert_int_eq(T->increment(c, INT64_MAX, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "overflow") != NULL, "err: %s", err);
    ck_assert_int_eq(T->increment(c, INT64_MAX - 1, &r, err, sizeof err), 0);
    ck_assert_int_eq(r, INT64_MAX);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* Big-endian tag then value, as netexample.c's wire says (written here by
 * hand, not with the plugin's own put64). */
static void frame(unsigned char m[16], uint64_t tag, int64_t value)
{
    for (int i = 0; i < 8; i++) {
        m[i] = (unsigned char)(tag >> (56 - 8 * i));
        m[8 + i] = (unsigned char)((uint64_t)value >> (56 - 8 * i));
    }
}

/* A peer that sends INT64_MAX anyway (a client of its own) is answered
 * nothing and has its connection closed; the server goes on serving. */
START_TEST(server_closes_a_connection_that_sends_int64_max)
{
    char bound[64], err[256] = "";
    void *s = start_server(bound);
    int fd = harness_connect(bound);
    unsigned char m[16], want[16], got[17];
    frame(m, 3, 41);
    frame(want, 3, 42);
    ck_assert_int_eq(send(fd, m, sizeof m, 0), 16);
    ck_assert_int_eq(recv(fd, got, 16, MSG_WAITALL), 16);
    ck_assert(memcmp(got, want, 16) == 0);
    frame(m, 4, INT64_MAX);
    ck_assert_int_eq(send(fd, m, sizeof m, 0), 16);
    ck_assert_int_eq(recv(fd, got, sizeof got, 0), 0);   /* EOF; a silence fails after 5 s */
    close(fd);
    void *c = client(bound, 2000, 1);
    int64_t r = 0;
    ck_assert_msg(T->increment(c, 1, &r, err, sizeof err) == 0, "after: %s", err);
    ck_assert_int_eq(r, 2);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* 16 calls in flight, three rounds: every tag comes back once, with its
 * own value + 1. */
START_TEST(pipelined_answers_carry_their_tags)
{
    enum { W = 16 };
    char bound[64], err[256];
    void *s = start_server(bound);
    void *c = client(bound, 2000, W);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < W; i++)
            ck_assert_msg(T->submit(c, 100 + (uint64_t)i, i * 1000 + round, err, sizeof err) == 0,
                          "submit: %s", err);
        bool seen[W] = { false };
        for (int i = 0; i < W; i++) {
            uint64_t tag = 0;
            int64_t r = 0;
            ck_assert_msg(T->complete(c, &tag, &r, err, sizeof err) == 0, "complete: %s", err);
            ck_assert_uint_ge(tag, 100);
            ck_assert_uint_lt(tag, 100 + W);
            ck_assert(!seen[tag - 100]);
            seen[tag - 100] = true;
            ck_assert_int_eq(r, (int64_t)(tag - 100) * 1000 + round + 1);
        }
    }
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(window_above_1024_is_refused_at_init)
{
    char bound[64], err[256] = "";
    void *s = start_server(bound);
    struct harness_params hp;
    harness_params(&hp, bound, 2000, NULL);
    hp.p.max_inflight = 1025;
    void *c = NULL;
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "window 1025") != NULL, "err: %s", err);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(unknown_keys_are_refused_by_name_on_both_sides)
{
    char bound[64], err[256] = "";
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, "spin_ns", "1", NULL);
    void *s = NULL;
    ck_assert_int_eq(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'spin_ns'") != NULL, "err: %s", err);
    T->server_stop(s);
    void *c = NULL;
    err[0] = '\0';
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'spin_ns'") != NULL, "err: %s", err);
    T->shutdown(c);
}
END_TEST

/* Two servers and two clients of the one loaded plugin, calls interleaved:
 * each client's answers follow its own chain, over its own connection (no
 * global state). */
START_TEST(two_servers_and_clients_side_by_side)
{
    char b1[64], b2[64], err[256];
    void *s1 = start_server(b1), *s2 = start_server(b2);
    ck_assert_str_ne(b1, b2);
    void *c1 = client(b1, 2000, 1), *c2 = client(b2, 2000, 1);
    int64_t v1 = 0, v2 = 1000000;
    for (int i = 0; i < 100; i++) {
        ck_assert_msg(T->increment(c1, v1, &v1, err, sizeof err) == 0, "c1: %s", err);
        ck_assert_msg(T->increment(c2, v2, &v2, err, sizeof err) == 0, "c2: %s", err);
    }
    ck_assert_int_eq(v1, 100);
    ck_assert_int_eq(v2, 1000100);
    /* Each client talks to its own server: with the first one gone, the
     * second client still answers and the first fails. */
    T->server_stop(s1);
    ck_assert_msg(T->increment(c2, v2, &v2, err, sizeof err) == 0, "c2 after s1 stopped: %s",
                  err);
    ck_assert_int_eq(v2, 1000101);
    ck_assert_int_eq(T->increment(c1, v1, &v1, err, sizeof err), -1);
    T->shutdown(c1);
    T->shutdown(c2);
    T->server_stop(s2);
}
END_TEST

/* The kernel accepts the connection, nobody answers: the call fails after
 * its deadline, not before and not never, and the client stays failed (a
 * late answer must not be taken for the next call's). */
START_TEST(silent_server_fails_the_call_at_its_deadline)
{
    char addr[64], err[256] = "";
    int lfd = quiet_socket(true, addr);
    void *c = client(addr, 300, 1);
    int64_t r;
    long long t0 = harness_now_ms();
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    long long took = harness_now_ms() - t0;
    ck_assert_int_ge(took, 299);
    ck_assert_int_lt(took, 300 + 5000);
    ck_assert_msg(strstr(err, "timed out") != NULL, "err: %s", err);
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "earlier error") != NULL, "err: %s", err);
    T->shutdown(c);
    close(lfd);
}
END_TEST

START_TEST(silent_server_fails_a_complete_at_its_deadline)
{
    char addr[64], err[256] = "";
    int lfd = quiet_socket(true, addr);
    void *c = client(addr, 300, 4);
    ck_assert_int_eq(T->submit(c, 7, 1, err, sizeof err), 0);
    uint64_t tag;
    int64_t r;
    long long t0 = harness_now_ms();
    ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), -1);
    ck_assert_int_ge(harness_now_ms() - t0, 299);
    ck_assert_msg(strstr(err, "timed out") != NULL, "err: %s", err);
    T->shutdown(c);
    close(lfd);
}
END_TEST

START_TEST(nothing_listening_fails_init_naming_the_address)
{
    char addr[64], err[256] = "";
    int fd = quiet_socket(false, addr);   /* bound, not listening: refused */
    struct harness_params hp;
    harness_params(&hp, addr, 2000, NULL);
    void *c = NULL;
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, addr) != NULL, "err: %s", err);
    T->shutdown(c);
    close(fd);
}
END_TEST

/* server_stop returns with clients attached, and they see the server go. */
START_TEST(server_stop_with_clients_attached_returns)
{
    char bound[64], err[256] = "";
    void *s = start_server(bound);
    void *c1 = client(bound, 2000, 1), *c2 = client(bound, 2000, 1);
    int64_t r;
    ck_assert_int_eq(T->increment(c1, 1, &r, err, sizeof err), 0);
    T->server_stop(s);
    ck_assert_int_eq(T->increment(c2, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "closed") != NULL || strstr(err, "reset") != NULL, "err: %s", err);
    T->shutdown(c1);
    T->shutdown(c2);
}
END_TEST

static long long cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* With no descriptor left for accept, the server pauses accepting instead
 * of spinning on a listener that stays readable, and accepts the waiting
 * client once a connection closes. (Each test runs in its own process, so
 * the limit set here ends with it.) */
START_TEST(out_of_descriptors_the_server_waits_without_spinning)
{
    char bound[64], err[256] = "";
    void *s = start_server(bound);
    void *first = client(bound, 2000, 1);
    int64_t r;
    ck_assert_int_eq(T->increment(first, 1, &r, err, sizeof err), 0);
    int lowest = dup(0);   /* the next descriptor to be given out */
    ck_assert_int_ge(lowest, 0);
    close(lowest);
    struct rlimit rl;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = (rlim_t)lowest + 1;   /* room for the next client's socket only */
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    void *second = client(bound, 3000, 1);   /* the backlog takes it */
    ck_assert_int_eq(T->submit(second, 9, 41, err, sizeof err), 0);
    long long cpu0 = cpu_ms();
    harness_nap_ms(600);
    long long burnt = cpu_ms() - cpu0;
    ck_assert_msg(burnt < 300, "%lld ms of CPU in 600 ms with accept failing", burnt);
    T->shutdown(first);   /* the server drops its end: a descriptor is free */
    uint64_t tag = 0;
    ck_assert_msg(T->complete(second, &tag, &r, err, sizeof err) == 0, "complete: %s", err);
    ck_assert_uint_eq(tag, 9);
    ck_assert_int_eq(r, 42);
    T->shutdown(second);
    T->server_stop(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("netexample");
    TCase *tc = tcase_create("netexample");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, every_member_of_the_abi_is_filled_in);
    tcase_add_test(tc, answers_dependent_calls_on_one_connection);
    tcase_add_test(tc, int64_max_is_refused_not_wrapped);
    tcase_add_test(tc, server_closes_a_connection_that_sends_int64_max);
    tcase_add_test(tc, pipelined_answers_carry_their_tags);
    tcase_add_test(tc, window_above_1024_is_refused_at_init);
    tcase_add_test(tc, unknown_keys_are_refused_by_name_on_both_sides);
    tcase_add_test(tc, two_servers_and_clients_side_by_side);
    tcase_add_test(tc, silent_server_fails_the_call_at_its_deadline);
    tcase_add_test(tc, silent_server_fails_a_complete_at_its_deadline);
    tcase_add_test(tc, nothing_listening_fails_init_naming_the_address);
    tcase_add_test(tc, server_stop_with_clients_attached_returns);
    tcase_add_test(tc, out_of_descriptors_the_server_waits_without_spinning);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
