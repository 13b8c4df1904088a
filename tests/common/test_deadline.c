/*
 * test_deadline.c — plugins/common/deadline.c on pipes: readiness comes back
 * with what poll saw, a deadline is never cut short, one already passed
 * returns at once, a failed poll is not a timeout, and signals landing
 * inside the wait (the waiter is seen blocked in poll through /proc before
 * each one is sent) neither end it with EINTR nor stretch it past its
 * deadline.
 */
#include "deadline.h"
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fds[2];

static void setup(void)
{
    ck_assert_int_eq(pipe(fds), 0);
}

static void teardown(void)
{
    close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
}

START_TEST(the_clock_goes_forward_and_ms_is_ns_over_a_million)
{
    long long last = deadline_now_ns();
    for (int i = 0; i < 100000; i++) {
        const long long ns = deadline_now_ns();
        ck_assert_int_ge(ns, last);
        last = ns;
    }
    const long long ns = deadline_now_ns(), ms = deadline_now_ms();
    ck_assert_int_ge(ms, ns / 1000000);
    ck_assert_int_le(ms, deadline_now_ns() / 1000000);
}
END_TEST

START_TEST(readiness_comes_back_with_what_poll_saw)
{
    short rev = 0;
    ck_assert_int_eq(deadline_poll(fds[1], POLLOUT, deadline_now_ms() + 5000, &rev),
                     DEADLINE_READY);
    ck_assert(rev & POLLOUT);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    rev = 0;
    ck_assert_int_eq(deadline_poll(fds[0], POLLIN, deadline_now_ms() + 5000, &rev),
                     DEADLINE_READY);
    ck_assert(rev & POLLIN);
    /* The writer gone and the byte read: a hang-up ends the wait too. */
    char b;
    ck_assert_int_eq(read(fds[0], &b, 1), 1);
    close(fds[1]);
    fds[1] = -1;
    rev = 0;
    ck_assert_int_eq(deadline_poll(fds[0], POLLIN, deadline_now_ms() + 5000, &rev),
                     DEADLINE_READY);
    ck_assert(rev & POLLHUP);
    ck_assert_int_eq(deadline_poll(fds[0], POLLIN, deadline_now_ms() + 5000, NULL),
                     DEADLINE_READY);
}
END_TEST

START_TEST(the_deadline_is_never_cut_short)
{
    const long long deadline = deadline_now_ms() + 200;
    ck_assert_int_eq(deadline_poll(fds[0], POLLIN, deadline, NULL), DEADLINE_PASSED);
    ck_assert_int_ge(deadline_now_ms(), deadline);
}
END_TEST

/* No poll is made: a descriptor that is not open would be reported READY
 * (POLLNVAL) by one. */
START_TEST(a_passed_deadline_returns_at_once)
{
    const int closed = fds[1];
    close(closed);
    fds[1] = -1;
    short rev = 0;
    ck_assert_int_eq(deadline_poll(closed, POLLOUT, deadline_now_ms(), &rev), DEADLINE_PASSED);
    ck_assert_int_eq(deadline_poll(closed, POLLOUT, deadline_now_ms() - 1000, &rev),
                     DEADLINE_PASSED);
    ck_assert_int_eq(rev, 0);
    /* With time left, the same descriptor is polled and reported. */
    ck_assert_int_eq(deadline_poll(closed, POLLOUT, deadline_now_ms() + 5000, &rev),
                     DEADLINE_READY);
    ck_assert(rev & POLLNVAL);
}
END_TEST

/* poll refuses to look at more descriptors than RLIMIT_NOFILE allows
 * (EINVAL): with the soft limit at 0 it fails on our one, and the helper
 * says FAILED with poll's errno, at once, instead of waiting out the
 * deadline or calling it a timeout. */
START_TEST(a_failed_poll_is_told_apart_from_a_timeout)
{
    if (harness_under_valgrind())
        return;
    struct rlimit was, none;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &was), 0);
    none = was;
    none.rlim_cur = 0;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
    errno = 0;
    const enum deadline_wait w = deadline_poll(fds[0], POLLIN, deadline_now_ms() + 3000, NULL);
    const int e = errno;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &was), 0);
    ck_assert_int_eq(w, DEADLINE_FAILED);
    ck_assert_int_eq(e, EINVAL);
}
END_TEST

/* ---- signals inside the wait ---- */

static atomic_int caught;

static void on_signal(int sig)
{
    (void)sig;
    atomic_fetch_add(&caught, 1);
}

struct nagger {
    pthread_t waiter;
    pid_t waiter_tid;
    int wfd;                 /* write a byte here after `signals` (-1: never) */
    int signals;             /* this many, each while the waiter is in poll */
    atomic_bool done;        /* the waiter has returned */
    int sent;
};

/* True while thread `tid` of this process sits in poll or ppoll. */
static bool in_poll(pid_t tid)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", (long)tid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    const bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!got)
        return false;
    const long nr = strtol(line, NULL, 10);
#ifdef SYS_poll
    if (nr == SYS_poll)
        return true;
#endif
    return nr == SYS_ppoll;
}

/* Signal the waiter each time it is seen in poll, `signals` times (or
 * until it returns, when signals < 0), then write the byte if asked. Every
 * wait here is bounded: 15 s in all, longer than the test may take, so
 * that a waiter that never returns fails by Check's timeout. */
static void *nag(void *arg)
{
    struct nagger *n = arg;
    const long long give_up = deadline_now_ms() + 15000;
    while (!atomic_load(&n->done) && deadline_now_ms() < give_up &&
           (n->signals < 0 || n->sent < n->signals)) {
        if (in_poll(n->waiter_tid)) {
            const int before = atomic_load(&caught);
            pthread_kill(n->waiter, SIGUSR1);
            n->sent++;
            /* Until the handler ran, so the next look sees a new poll. */
            while (atomic_load(&caught) == before && deadline_now_ms() < give_up)
                usleep(100);
        }
        usleep(1000);
    }
    if (n->wfd >= 0 && write(n->wfd, "x", 1) != 1)
        abort();
    return NULL;
}

static void start_nagging(struct nagger *n, pthread_t *t)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART; poll never restarts anyway */
    ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
    atomic_store(&caught, 0);
    n->waiter = pthread_self();
    n->waiter_tid = (pid_t)syscall(SYS_gettid);
    ck_assert_int_eq(pthread_create(t, NULL, nag, n), 0);
}

/* Five signals interrupt the wait, then the pipe becomes readable: the
 * helper slept through every one and returns READY, not FAILED (EINTR). */
START_TEST(signals_in_the_wait_are_slept_through_until_readiness)
{
    struct nagger n = { .wfd = fds[1], .signals = 5 };
    pthread_t t;
    start_nagging(&n, &t);
    short rev = 0;
    const enum deadline_wait w = deadline_poll(fds[0], POLLIN, deadline_now_ms() + 10000, &rev);
    const int e = errno;
    atomic_store(&n.done, true);
    pthread_join(t, NULL);
    ck_assert_msg(w == DEADLINE_READY, "returned %d (errno %s) after %d signals", w,
                  strerror(e), atomic_load(&caught));
    ck_assert(rev & POLLIN);
    ck_assert_int_eq(n.sent, 5);
    ck_assert_int_eq(atomic_load(&caught), 5);
}
END_TEST

/* Signals every few ms until the helper returns: it must still return at
 * its deadline (a wait restarted whole after each signal would never end,
 * and Check's timeout fails it), and not before. */
START_TEST(signals_in_the_wait_neither_end_nor_stretch_it)
{
    struct nagger n = { .wfd = -1, .signals = -1 };
    pthread_t t;
    start_nagging(&n, &t);
    const long long deadline = deadline_now_ms() + 300;
    const enum deadline_wait w = deadline_poll(fds[0], POLLIN, deadline, NULL);
    const long long back = deadline_now_ms();
    atomic_store(&n.done, true);
    pthread_join(t, NULL);
    ck_assert_msg(w == DEADLINE_PASSED, "returned %d after %d signals", w,
                  atomic_load(&caught));
    ck_assert_int_ge(back, deadline);
    ck_assert_int_gt(atomic_load(&caught), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plugins/common deadline");
    TCase *tc = tcase_create("deadline");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, the_clock_goes_forward_and_ms_is_ns_over_a_million);
    tcase_add_test(tc, readiness_comes_back_with_what_poll_saw);
    tcase_add_test(tc, the_deadline_is_never_cut_short);
    tcase_add_test(tc, a_passed_deadline_returns_at_once);
    tcase_add_test(tc, a_failed_poll_is_told_apart_from_a_timeout);
    tcase_add_test(tc, signals_in_the_wait_are_slept_through_until_readiness);
    tcase_add_test(tc, signals_in_the_wait_neither_end_nor_stretch_it);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
