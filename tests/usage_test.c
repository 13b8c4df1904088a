/*
 * usage_test.c — the counters of runner/usage.c: real ones move the way
 * the work done says, and a counter that cannot be read is marked as such
 * with a reason (never a silent 0); differences and sums keep that mark.
 */
#include "testutil.h"
#include "usage.h"

#include <check.h>
#include <poll.h>
#include <pthread.h>
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
    usage_self_enter(&a, "/proc");
    burn_cpu_ms(20);
    /* No ck_assert in here: in fork mode Check writes a record per assert. */
    int fd[2], moved = 0;
    ck_assert_int_eq(pipe(fd), 0);
    for (int i = 0; i < 10; i++) {
        char c;
        moved += (int)write(fd[1], "x", 1);
        moved += (int)read(fd[0], &c, 1);
    }
    usage_self_leave(&b, "/proc");
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
    /* The child works only between the two samples, told by pipes rather
     * than a fixed sleep, so that a loaded machine cannot split its work
     * across a sample. */
    int go[2], done[2];
    ck_assert_int_eq(pipe(go), 0);
    ck_assert_int_eq(pipe(done), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char c;
        if (read(go[0], &c, 1) != 1)
            _exit(1);
        burn_cpu_ms(50);
        for (int i = 0; i < 20; i++)
            usleep(1000);    /* 20 voluntary switches */
        if (write(done[1], "d", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    struct usage a, b, d;
    usage_process(&a, pid, "/proc", NULL);
    ck_assert_int_eq(write(go[1], "g", 1), 1);
    struct pollfd pfd = { .fd = done[0], .events = POLLIN };
    int ready = poll(&pfd, 1, 20000);
    usage_process(&b, pid, "/proc", NULL);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    for (int i = 0; i < 2; i++) {
        close(go[i]);
        close(done[i]);
    }
    ck_assert_msg(ready == 1, "the child did not finish its work in 20 s");
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
    usage_process(&u, getpid(), root, NULL);
    ck_assert(!u.has_switches);
    ck_assert(!u.has_io);
    ck_assert_msg(strstr(u.why, root) != NULL, "%s", u.why);
    usage_self_enter(&u, root);
    ck_assert(!u.has_io);
    ck_assert(u.has_cpu);
    /* getrusage needs no /proc */
    ck_assert_msg(strstr(u.why, "/self/io") != NULL, "%s", u.why);
    /* a task directory with no thread in it is no count of switches */
    char *pdir = tu_fmt("%s/%d", root, (int)getpid()), *task = tu_fmt("%s/task", pdir);
    ck_assert_int_eq(mkdir(pdir, 0700), 0);
    ck_assert_int_eq(mkdir(task, 0700), 0);
    usage_process(&u, getpid(), root, NULL);
    ck_assert(!u.has_switches);
    free(task);
    free(pdir);
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
    usage_self_leave(&u, root);
    ck_assert(!u.has_io);
    ck_assert_msg(strstr(u.why, "no syscr and syscw in") != NULL, "%s", u.why);
    /* half a file (syscr without syscw) is no count either */
    free(tu_write(dir, "io", "syscr: 5\n"));
    usage_self_leave(&u, root);
    ck_assert(!u.has_io);
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
    a.has_thread = a.has_switches = a.has_split = true;   /* b has none of them */
    usage_diff(&b, &a, &d);
    ck_assert(d.has_cpu);
    ck_assert(!d.has_io);
    ck_assert(!d.has_thread && !d.has_switches && !d.has_split);
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

/* One thread of this process read alone (the runner reads its watchdog so),
 * and its share taken out of a whole: CPU and switches less the part,
 * floored at 0, the user/system split left, a group the part lacks kept. */
START_TEST(one_thread_is_read_and_taken_out)
{
    struct usage a, b, d;
    usage_thread(&a, gettid(), "/proc");
    burn_cpu_ms(20);
    for (int i = 0; i < 5; i++)
        usleep(1000);
    usage_thread(&b, gettid(), "/proc");
    usage_diff(&b, &a, &d);
    ck_assert(d.has_cpu && d.has_switches);
    ck_assert_uint_ge(d.cpu_ns, 19000000);
    ck_assert_uint_ge(d.vol_switches, 5);
    usage_thread(&a, 0x7ffffff0, "/proc");   /* no such thread */
    ck_assert(!a.has_cpu && !a.has_switches);

    struct usage whole = { .has_cpu = true, .has_split = true, .has_switches = true,
                           .cpu_ns = 1000, .user_ns = 600, .sys_ns = 400,
                           .vol_switches = 10, .invol_switches = 5 };
    const struct usage part = { .has_cpu = true, .has_switches = true, .cpu_ns = 300,
                                .vol_switches = 3, .invol_switches = 7 };
    usage_exclude(&whole, &part);
    ck_assert_uint_eq(whole.cpu_ns, 700);
    ck_assert_uint_eq(whole.vol_switches, 7);
    ck_assert_uint_eq(whole.invol_switches, 0);
    ck_assert_uint_eq(whole.user_ns, 600);
    ck_assert_uint_eq(whole.sys_ns, 400);
    const struct usage unread = { .cpu_ns = 500, .vol_switches = 5 };
    usage_exclude(&whole, &unread);
    ck_assert_uint_eq(whole.cpu_ns, 700);
    ck_assert_uint_eq(whole.vol_switches, 7);
}
END_TEST

struct switcher {
    int go_fd;      /* read one byte before starting; -1: start at once */
    int sleeps;
};

static void *switcher(void *arg)
{
    const struct switcher *w = arg;
    char c;
    if (w->go_fd >= 0 && read(w->go_fd, &c, 1) != 1)
        return NULL;
    for (int i = 0; i < w->sleeps; i++)
        usleep(1000);
    return NULL;
}

/* A thread that exits between the two reads takes its switches with it:
 * it is counted as exited, while a thread born between them counts whole. */
START_TEST(threads_that_come_and_go)
{
    int go[2], ready[2];
    ck_assert_int_eq(pipe(go), 0);
    ck_assert_int_eq(pipe(ready), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct switcher first = { go[0], 5 }, second = { -1, 100000 };
        pthread_t t1, t2;
        pthread_create(&t1, NULL, switcher, &first);
        if (write(ready[1], "r", 1) != 1)      /* t1 is alive */
            _exit(1);
        pthread_join(t1, NULL);                /* t1 ran after "go" and exited */
        pthread_create(&t2, NULL, switcher, &second);
        pause();
        _exit(0);
    }
    static struct usage_tasks before, after;
    struct usage a, b, d;
    char c;
    ck_assert_int_eq(read(ready[0], &c, 1), 1);
    usage_process(&a, pid, "/proc", &before);
    ck_assert_int_eq(write(go[1], "g", 1), 1);
    usleep(300000);
    usage_process(&b, pid, "/proc", &after);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(go[0]);
    close(go[1]);
    close(ready[0]);
    close(ready[1]);
    ck_assert_uint_eq(before.n, 2);
    ck_assert_uint_eq(after.n, 2);
    usage_diff(&b, &a, &d);
    usage_diff_tasks(&d, &after, &before);
    ck_assert_uint_eq(d.exited_threads, 1);
    /* the new thread's sleeps (a few hundred by now) count whole */
    ck_assert_uint_ge(d.vol_switches, 50);
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
    tcase_add_test(t, threads_that_come_and_go);
    tcase_add_test(t, one_thread_is_read_and_taken_out);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
