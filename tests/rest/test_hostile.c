/*
 * test_hostile.c — the rest server against peers that mean it harm: one
 * that pipelines requests and never reads the answers (the server's memory
 * stays bounded and is freed when the peer goes), slowloris peers (closed
 * at server_timeout_ms however slowly they trickle), and more connections
 * than the server has descriptors (it pauses accepting, stays quiet and
 * cool, and serves again once they close), and one that resets with its
 * answers on the way (no SIGPIPE kills us). Servers run in this process,
 * except the one under a lowered RLIMIT_NOFILE, which runs in a child.
 */
#include "rest_test.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a peer that pipelines and never reads ---- */

/* Bytes malloc has handed out and not had back, in every thread: what
 * the server holds, where RSS would also count a sanitizer's quarantine.
 * (0 under an allocator that does not tell, as valgrind's: the checks on
 * it then prove nothing.) */
#if defined(__SANITIZE_ADDRESS__)
#define HEAP_FROM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_FROM_ASAN 1
#endif
#endif
#ifdef HEAP_FROM_ASAN
size_t __sanitizer_get_current_allocated_bytes(void);   /* libasan's; gcc has no header */
static long long heap_in_use(void)
{
    return (long long)__sanitizer_get_current_allocated_bytes();
}
#else
static long long heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long long)(mi.uordblks + mi.hblkhd);
}
#endif

/* What the server may hold for one such peer: 64 KiB of input (plus one
 * read), one reply, evhttp's request; the rest is slack. */
#define HELD_BOUND (1024 * 1024)
#define ATTACK_MS 2000

START_TEST(peer_that_pipelines_and_never_reads_cannot_grow_the_server)
{
    char bound[64];
    void *s = rt_server(bound, "30000");   /* longer than the attack */
    rt_well_behaved_client_is_served(bound);   /* the server's first allocations */
    long long heap0 = heap_in_use();

    int fd = harness_connect(bound);
    int small = 4096;   /* the answers back up soon */
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    static char reqs[64 * 1024];
    static const char one[] = "GET /increment/1 HTTP/1.1\r\nHost: t\r\n\r\n";
    size_t len = 0;
    while (len + sizeof one < sizeof reqs) {
        memcpy(reqs + len, one, sizeof one - 1);
        len += sizeof one - 1;
    }
    int afd = -1;
    long long grew = 0;
    unsigned long long sent = 0;
    long long t0 = harness_now_ms();
    while (harness_now_ms() - t0 < ATTACK_MS) {
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        if (poll(&p, 1, 100) == 1) {
            ssize_t w = send(fd, reqs, len, MSG_DONTWAIT | MSG_NOSIGNAL);
            ck_assert_msg(w > 0 || errno == EAGAIN, "send: %s (closed after %lld ms)",
                          strerror(errno), harness_now_ms() - t0);
            sent += w > 0 ? (size_t)w : 0;
        }
        if (afd < 0)
            afd = harness_accepted_end(fd);
        grew = heap_in_use() - heap0;
        ck_assert_msg(grew < HELD_BOUND, "the server holds %lld KiB more after %llu KiB of "
                      "unread requests in %lld ms", grew >> 10, sent >> 10, harness_now_ms() - t0);
    }
    ck_assert_int_ge(afd, 0);
    /* The server stopped reading, not the attack sending: the kernel's
     * buffers hold what it sent beyond the bound. */
    ck_assert_uint_gt(sent, 1024 * 1024);

    /* The peer goes: the server drops the connection, and with it what
     * the connection held. */
    close(fd);
    long long deadline = harness_now_ms() + 3000;
    while (fcntl(afd, F_GETFD) != -1 && harness_now_ms() < deadline)
        usleep(20 * 1000);
    ck_assert_msg(fcntl(afd, F_GETFD) == -1 && errno == EBADF,
                  "the server still holds the connection 3 s after its peer closed");
    /* The server's thread closes the socket before it frees the buffers
     * of the connection: what it held goes within the same deadline, not
     * at the instant the descriptor does. */
    long long held = heap_in_use() - heap0;
    while (held >= 64 * 1024 && harness_now_ms() < deadline) {
        usleep(20 * 1000);
        held = heap_in_use() - heap0;
    }
    ck_assert_msg(held < 64 * 1024, "%lld bytes still allocated 3 s after the connection "
                  "closed", held);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* ---- a peer that asks and resets ---- */

/* Pipelined requests, then a reset before any answer is read: the server
 * writes its answers into a dead socket, and writev raises SIGPIPE, which
 * this process (unlike the runner) does not ignore. The server thread
 * blocks it: the writes fail with EPIPE, and the process lives on. */
START_TEST(peer_that_resets_after_asking_cannot_kill_the_process)
{
    char bound[64];
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, "payload", "65536", NULL);
    void *s = harness_server(T, &hp, bound);
    ck_assert_ptr_eq(signal(SIGPIPE, SIG_DFL), SIG_DFL);
    static const char one[] = "GET /increment/1?payload=65536 HTTP/1.1\r\nHost: t\r\n\r\n";
    char reqs[8 * sizeof one];
    for (int i = 0; i < 8; i++)
        memcpy(reqs + i * (sizeof one - 1), one, sizeof one - 1);
    for (int round = 0; round < 50; round++) {
        int fd = harness_connect(bound);
        ck_assert_int_eq(send(fd, reqs, 8 * (sizeof one - 1), MSG_NOSIGNAL),
                         (ssize_t)(8 * (sizeof one - 1)));
        struct linger reset = { .l_onoff = 1, .l_linger = 0 };
        ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset), 0);
        close(fd);
    }
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* ---- slowloris: server_timeout_ms is a deadline for each request ---- */

/* 0: a request, one byte every 200 ms; 1: a request line, then a whole
 * header line every 200 ms (the server consumes each complete line, so
 * the deadline must be the request's, not the line's); 2: as 0, on a
 * socket past the first 64 descriptors (where the guard's table grows). */
static const char slow_bytes[] =
    "GET /increment/1 HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

START_TEST(slowloris_is_closed_at_server_timeout_ms)
{
    char bound[64];
    void *s = rt_server(bound, "1000");
    int held[128], nheld = 0;
    for (int d = -1; _i == 2 && d < 100 && nheld < 128;) {
        d = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(d, 0);
        held[nheld++] = d;
    }
    int fd = harness_connect(bound);
    long long t0 = harness_now_ms(), closed = -1;
    if (_i == 1) {
        static const char line[] = "GET /increment/1 HTTP/1.1\r\n";
        ck_assert_int_eq(send(fd, line, sizeof line - 1, MSG_NOSIGNAL), (ssize_t)(sizeof line - 1));
    }
    /* 20 rounds of 200 ms: 4 s, four times the server's timeout */
    for (size_t round = 0; closed < 0 && round < 20; round++) {
        ssize_t w = _i != 1 ? send(fd, slow_bytes + round, 1, MSG_DONTWAIT | MSG_NOSIGNAL)
                            : send(fd, "X-Slow: a\r\n", 11, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w < 0) {
            closed = harness_now_ms() - t0;
            break;
        }
        long long next = t0 + 200 * (long long)(round + 1);
        struct pollfd p = { .fd = fd, .events = POLLIN };
        while (closed < 0 && harness_now_ms() < next && poll(&p, 1, (int)(next - harness_now_ms())) == 1) {
            char buf[512];
            ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (r == 0 || (r < 0 && errno != EAGAIN))
                closed = harness_now_ms() - t0;
            /* r > 0: evhttp may say why before it closes; read on */
        }
        if (_i == 2 && round == 0 && closed < 0)
            ck_assert_int_ge(harness_accepted_end(fd), 64);
    }
    close(fd);
    while (nheld > 0)
        close(held[--nheld]);
    ck_assert_msg(closed >= 0, "a peer trickling a request kept its connection for 4 s; "
                  "server_timeout_ms is 1000");
    ck_assert_msg(closed >= 900 && closed <= 1600,
                  "closed after %lld ms; server_timeout_ms is 1000", closed);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* The deadline runs from the previous request: a keep-alive client whose
 * calls come 600 ms apart keeps its connection well past 1000 ms. */
START_TEST(keepalive_calls_apart_within_the_timeout_keep_their_connection)
{
    char bound[64];
    void *s = rt_server(bound, "1000");
    void *c = rt_client(bound, 2000, "keepalive");
    int64_t v = 0;
    char err[256] = "";
    for (int i = 0; i < 5; i++) {
        if (i > 0)
            usleep(600 * 1000);
        ck_assert_msg(T->increment(c, v, &v, err, sizeof err) == 0, "call %d: %s", i, err);
    }
    ck_assert_int_eq(v, 5);
    ck_assert_uint_eq(rt_connections(c), 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* ---- more connections than descriptors ---- */

#define CHILD_NOFILE 64

/* The child: a server under RLIMIT_NOFILE = CHILD_NOFILE, its stderr into
 * err_fd; says its address on ready_fd, stops when ctl_fd closes. */
static void serve_in_child(int ready_fd, int ctl_fd, int err_fd)
{
    /* The soft limit only: valgrind, for one, refuses to move the hard one. */
    struct rlimit rl;
    if (dup2(err_fd, 2) < 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0)
        _exit(2);
    rl.rlim_cur = CHILD_NOFILE;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        _exit(2);
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, "server_timeout_ms", "30000", NULL);
    void *s = NULL;
    char bound[64] = "", err[256] = "";
    if (T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err) != 0)
        _exit(3);
    if (write(ready_fd, bound, strlen(bound) + 1) < 0)
        _exit(4);
    char c;
    alarm(60);   /* should the parent never close ctl_fd */
    while (read(ctl_fd, &c, 1) > 0)
        ;
    T->server_stop(s);
    _exit(0);
}

static long long cpu_ticks(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *p = strrchr(text, ')');
    ck_assert_ptr_nonnull(p);
    unsigned long utime = 0, stime = 0;
    /* after the name: state, then fields 4..13 we skip, then utime stime */
    ck_assert_int_eq(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                            &utime, &stime), 2);
    return (long long)(utime + stime);
}

static int open_fds(pid_t pid)
{
    char path[64];
    int n = 0;
    for (int fd = 0; fd < CHILD_NOFILE; fd++) {
        snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
        struct stat st;
        n += lstat(path, &st) == 0;
    }
    return n;
}

START_TEST(server_out_of_descriptors_pauses_quietly_and_recovers)
{
    int ready[2], ctl[2];
    ck_assert_int_eq(pipe(ready), 0);
    ck_assert_int_eq(pipe(ctl), 0);
    FILE *errf = tmpfile();
    ck_assert_ptr_nonnull(errf);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(ready[0]);
        close(ctl[1]);
        serve_in_child(ready[1], ctl[0], fileno(errf));
    }
    close(ready[1]);
    close(ctl[0]);
    char bound[64] = "";
    struct pollfd p = { .fd = ready[0], .events = POLLIN };
    ck_assert_msg(poll(&p, 1, 5000) == 1, "the child server did not start within 5 s");
    ck_assert_int_gt(read(ready[0], bound, sizeof bound - 1), 0);

    /* More connections than it has descriptors: the kernel completes them
     * all (backlog), the server accepts until accept fails with EMFILE. */
    enum { N = CHILD_NOFILE + 40 };
    int fds[N];
    for (int i = 0; i < N; i++)
        fds[i] = harness_connect(bound);
    long long deadline = harness_now_ms() + 5000;
    while (open_fds(pid) < CHILD_NOFILE && harness_now_ms() < deadline)
        usleep(20 * 1000);
    ck_assert_int_eq(open_fds(pid), CHILD_NOFILE);

    long long hz = sysconf(_SC_CLK_TCK), c0 = cpu_ticks(pid), t0 = harness_now_ms();
    usleep(1000 * 1000);
    long long used = cpu_ticks(pid) - c0, took = harness_now_ms() - t0;
    long pct = (long)(used * 1000 * 100 / hz / took);
    fflush(errf);
    struct stat st;
    ck_assert_int_eq(fstat(fileno(errf), &st), 0);
    ck_assert_msg(pct < 20 && st.st_size == 0,
                  "at EMFILE the server used %ld%% of a CPU and wrote %lld bytes to stderr "
                  "in %lld ms", pct, (long long)st.st_size, took);

    for (int i = 0; i < N; i++)
        close(fds[i]);
    rt_well_behaved_client_is_served(bound);

    close(ctl[1]);
    int status = -1;
    deadline = harness_now_ms() + 5000;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (harness_now_ms() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            ck_abort_msg("the child server did not stop within 5 s");
        }
        usleep(20 * 1000);
    }
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    ck_assert_int_eq(fstat(fileno(errf), &st), 0);
    ck_assert_msg(st.st_size == 0, "the server wrote %lld bytes to stderr", (long long)st.st_size);
    fclose(errf);
    close(ready[0]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rest_hostile");
    TCase *tc = tcase_create("hostile");
    tcase_add_test(tc, peer_that_pipelines_and_never_reads_cannot_grow_the_server);
    tcase_add_test(tc, peer_that_resets_after_asking_cannot_kill_the_process);
    tcase_add_loop_test(tc, slowloris_is_closed_at_server_timeout_ms, 0, 3);
    tcase_add_test(tc, keepalive_calls_apart_within_the_timeout_keep_their_connection);
    tcase_add_test(tc, server_out_of_descriptors_pauses_quietly_and_recovers);
    tcase_add_checked_fixture(tc, rt_load, NULL);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
