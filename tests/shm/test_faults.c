/*
 * test_faults.c — peers that die mid-call. A server process killed
 * (SIGKILL) at a random point while a client calls: the client's call fails
 * within timeout_ms of the kill, naming shm:NAME. A client process killed
 * mid-call: the server lives on, frees the dead client's channel, and all
 * of its channels serve new clients. 25 rounds of each, spin_ns 0 and
 * 100000 in turn, each bounded in time.
 */
#include "shmtest.h"

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 25
#define TIMEOUT_MS 500u

static const struct incbench_transport *T;

static void setup(void)
{
    T = shmtest_plugin();
}

/* The child's one-byte word on the pipe within 5 s, or the test fails. */
static void await_ready(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    ck_assert_msg(poll(&p, 1, 5000) == 1, "the child never said ready");
    char c = 0;
    ck_assert_int_eq(read(fd, &c, 1), 1);
    ck_assert_msg(c == 'R', "the child failed to start");
}

struct killer {
    pid_t pid;
    long delay_ms;
    long long killed_at_ms;
};

static void *kill_later(void *arg)
{
    struct killer *k = arg;
    harness_nap_ms(k->delay_ms);
    k->killed_at_ms = harness_now_ms();
    kill(k->pid, SIGKILL);
    return NULL;
}

/* A child running body(address, spin, ready_fd), once it has written 'R'
 * on ready_fd; body ends the child itself. */
typedef void child_body(const char *address, const char *spin, int ready_fd);

static pid_t fork_ready(child_body *body, const char *address, const char *spin)
{
    int p[2];
    ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        body(address, spin, p[1]);
        _exit(1);
    }
    close(p[1]);
    await_ready(p[0]);
    close(p[0]);
    return pid;
}

/* Serve `address` for at most 30 s. */
static void server_body(const char *address, const char *spin, int ready_fd)
{
    struct harness_params hp;
    harness_params(&hp, address, TIMEOUT_MS, "spin_ns", spin, NULL);
    void *s = NULL;
    char bound[64], err[256];
    const int rc = T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err);
    if (write(ready_fd, rc == 0 ? "R" : "E", 1) != 1 || rc != 0)
        _exit(1);
    for (int i = 0; i < 300; i++)
        harness_nap_ms(100);
    _exit(0);
}

START_TEST(a_killed_server_is_reported_within_the_deadline)
{
    srand((unsigned)getpid());
    for (int round = 0; round < ROUNDS; round++) {
        const char *spin = round % 2 ? "100000" : "0";
        char address[96], err[256] = "";
        snprintf(address, sizeof address, "shm:incbench-test-faults-%d-%d", (int)getpid(), round);
        struct killer k = { .pid = fork_ready(server_body, address, spin), .delay_ms = rand() % 20 };
        void *c = shmtest_client(address, 1, TIMEOUT_MS, spin);
        pthread_t th;
        ck_assert_int_eq(pthread_create(&th, NULL, kill_later, &k), 0);
        const long long start = harness_now_ms();
        int64_t v = 0, r = 0;
        int rc = 0;
        /* Bounded: the kill comes within 20 ms, and every call after it
         * fails within TIMEOUT_MS. */
        while (rc == 0 && harness_now_ms() - start < 5000) {
            rc = T->increment(c, v, &r, err, sizeof err);
            if (rc == 0) {
                ck_assert_int_eq(r, v + 1);
                v = r;
            }
        }
        const long long failed_at = harness_now_ms();
        pthread_join(th, NULL);
        ck_assert_msg(rc == -1, "round %d: calls went on after the kill", round);
        ck_assert_msg(failed_at - k.killed_at_ms <= TIMEOUT_MS + 300,
                      "round %d: the failure came %lld ms after the kill", round,
                      failed_at - k.killed_at_ms);
        /* Said as a death, not a timeout: the client looks at the server's
         * process every SHM_SLICE_MS (50), well inside TIMEOUT_MS. */
        ck_assert_msg(strstr(err, "is gone") != NULL && strstr(err, address) != NULL,
                      "round %d: %s", round, err);
        T->shutdown(c);
        ck_assert_int_eq(waitpid(k.pid, NULL, 0), k.pid);
        /* A killed server leaves its segment; this test owns the name. */
        ck_assert(shmtest_segment_exists(address));
        char path[128];
        snprintf(path, sizeof path, "/dev/shm/%s", address + 4);
        ck_assert_int_eq(unlink(path), 0);
    }
}
END_TEST

/* Call `bound` for at most 10 s. */
static void client_body(const char *bound, const char *spin, int ready_fd)
{
    struct harness_params hp;
    harness_params(&hp, bound, 2000, "spin_ns", spin, NULL);
    void *c = NULL;
    char err[256];
    const int rc = T->init(&c, &hp.p, err, sizeof err);
    if (write(ready_fd, rc == 0 ? "R" : "E", 1) != 1 || rc != 0)
        _exit(1);
    const long long start = harness_now_ms();
    int64_t v = 0, r;
    while (harness_now_ms() - start < 10000 && T->increment(c, v, &r, err, sizeof err) == 0)
        v = r;
    _exit(0);
}

/* All 8 channels attach within 2 s (a dead client's is freed within a
 * slice or two) and answer. */
static void every_channel_serves(const char *bound)
{
    void *c[8] = { 0 };
    const long long start = harness_now_ms();
    for (int i = 0; i < 8; i++) {
        struct harness_params hp;
        harness_params(&hp, bound, 2000, NULL);
        char err[256] = "";
        while (T->init(&c[i], &hp.p, err, sizeof err) != 0) {
            T->shutdown(c[i]);
            c[i] = NULL;
            ck_assert_msg(strstr(err, "are taken") != NULL, "%s", err);
            ck_assert_msg(harness_now_ms() - start < 2000, "channel %d never freed", i);
            harness_nap_ms(5);
        }
    }
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(shmtest_chain(c[i], i, 10), i + 10);
        T->shutdown(c[i]);
    }
}

START_TEST(a_killed_client_leaves_the_server_serving)
{
    srand((unsigned)getpid());
    char bound[64];
    void *s = shmtest_server("0", bound);
    void *s_spin = NULL;
    char bound_spin[64];
    s_spin = shmtest_server("100000", bound_spin);
    for (int round = 0; round < ROUNDS; round++) {
        const char *b = round % 2 ? bound_spin : bound;
        const pid_t pid = fork_ready(client_body, b, round % 2 ? "100000" : "0");
        harness_nap_ms(rand() % 20);
        ck_assert_int_eq(kill(pid, SIGKILL), 0);
        /* Every other round the dead client stays a zombie while the
         * server looks at it: it must count as dead all the same. */
        if (round % 4 < 2)
            ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
        every_channel_serves(b);
        if (round % 4 >= 2)
            ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
    }
    T->server_stop(s);
    T->server_stop(s_spin);
    ck_assert(!shmtest_segment_exists(bound));
    ck_assert(!shmtest_segment_exists(bound_spin));
}
END_TEST

int main(void)
{
    Suite *su = suite_create("shm faults");
    TCase *tc = tcase_create("faults");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_killed_server_is_reported_within_the_deadline);
    tcase_add_test(tc, a_killed_client_leaves_the_server_serving);
    suite_add_tcase(su, tc);
    return shmtest_run(su);
}
