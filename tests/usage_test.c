/*
 * usage_test.c — the counters of runner/usage.c: real ones move the way
 * the work done says, and a counter that cannot be read is marked as such
 * with a reason (never a silent 0); differences and sums keep that mark.
 */
#include "testutil.h"
#include "usage.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void burn_cpu_ms(long ms)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    volatile unsigned long spin = 0;
    do {
        spin++;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

START_TEST(self_counts_cpu_and_io)
{
    struct usage a, b, d;
    usage_self(&a, "/proc");
    burn_cpu_ms(20);
    /* No ck_assert in here: in fork mode Check writes a record per assert. */
    int fd[2], moved = 0;
    ck_assert_int_eq(pipe(fd), 0);
    for (int i = 0; i < 10; i++) {
        char c;
        moved += (int)write(fd[1], "x", 1);
        moved += (int)read(fd[0], &c, 1);
    }
    usage_self(&b, "/proc");
    close(fd[0]);
    close(fd[1]);
    ck_assert_int_eq(moved, 20);
    usage_diff(&b, &a, &d);
    ck_assert(d.has_cpu && d.has_thread && d.has_switches && d.has_io);
    ck_assert_uint_ge(d.cpu_ns, 19000000);
    ck_assert_uint_ge(d.thread_cpu_ns, 19000000);
    /* 10 reads and 10 writes, plus the counters' own reading */
    ck_assert_uint_ge(d.syscalls, 20);
    ck_assert_uint_le(d.syscalls, 30);
    ck_assert_str_eq(d.why, "");
}
END_TEST

START_TEST(another_process_counts_cpu_and_switches)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        burn_cpu_ms(50);
        for (int i = 0; i < 20; i++)
            usleep(1000);    /* 20 voluntary switches */
        pause();
        _exit(0);
    }
    struct usage a, b, d;
    usage_process(&a, pid, "/proc");
    usleep(300000);
    usage_process(&b, pid, "/proc");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    usage_diff(&b, &a, &d);
    ck_assert(d.has_cpu && d.has_switches && d.has_io);
    ck_assert_uint_ge(d.cpu_ns, 10000000);
    ck_assert_uint_ge(d.vol_switches, 15);
}
END_TEST

START_TEST(unreadable_counters_are_marked_not_zero)
{
    char *root = tu_tmpdir();      /* an empty /proc */
    struct usage u;
    usage_process(&u, getpid(), root);
    ck_assert(!u.has_switches);
    ck_assert(!u.has_io);
    ck_assert_msg(strstr(u.why, root) != NULL, "%s", u.why);
    usage_self(&u, root);
    ck_assert(!u.has_io);
    ck_assert(u.has_cpu);          /* getrusage needs no /proc */
    ck_assert_msg(strstr(u.why, "/self/io") != NULL, "%s", u.why);
    tu_rmtree(root);
    free(root);
}
END_TEST

START_TEST(garbage_io_file_is_unreadable)
{
    char *root = tu_tmpdir();
    char *dir = tu_fmt("%s/self", root);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    free(tu_write(dir, "io", "rchar: 12\nsyscr: lots\n"));
    struct usage u;
    usage_self(&u, root);
    ck_assert(!u.has_io);
    ck_assert_msg(strstr(u.why, "io") != NULL, "%s", u.why);
    tu_rmtree(root);
    free(dir);
    free(root);
}
END_TEST

START_TEST(diff_and_sum_keep_the_mark)
{
    struct usage a, b, d, sum;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.has_cpu = b.has_cpu = true;
    a.has_io = true;                 /* b could not read io */
    snprintf(b.why, sizeof b.why, "cannot read /x/io: denied");
    a.cpu_ns = 100;
    b.cpu_ns = 350;
    usage_diff(&b, &a, &d);
    ck_assert(d.has_cpu);
    ck_assert(!d.has_io);
    ck_assert_uint_eq(d.cpu_ns, 250);
    ck_assert_str_eq(d.why, "cannot read /x/io: denied");
    usage_zero(&sum);
    usage_add(&sum, &d);
    usage_add(&sum, &d);
    ck_assert(!sum.has_io);
    ck_assert_uint_eq(sum.cpu_ns, 500);
    /* a counter that went backwards (a thread exited) floors at 0 */
    b.cpu_ns = 50;
    usage_diff(&b, &a, &d);
    ck_assert_uint_eq(d.cpu_ns, 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("usage");
    TCase *t = tcase_create("counters");
    tcase_add_test(t, self_counts_cpu_and_io);
    tcase_add_test(t, another_process_counts_cpu_and_switches);
    tcase_add_test(t, unreadable_counters_are_marked_not_zero);
    tcase_add_test(t, garbage_io_file_is_unreadable);
    tcase_add_test(t, diff_and_sum_keep_the_mark);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
