/*
 * test_uds.c — what the uds transport has of its own, beside tcp's protocol
 * (tests/uds/tcp_tests.sh runs tcp's tests against it): its addresses. A
 * server given no address takes a fresh abstract name (two servers, two
 * names, nothing on disk); a path is a socket file removed at stop, a stale
 * one replaced, a live one or any other file refused and left as it is;
 * each bad address (no directory, too long, not unix:, empty) is one
 * sentence naming it, while the longest that fits is served; a successor's
 * socket file outlives the stop; a client with nobody to reach fails within
 * its deadline, naming the address; and a connection the server closes
 * leaves its epoll set even while its socket is open elsewhere.
 */
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const struct incbench_transport *T;
static char dir[64];   /* a fresh directory of this test's own */

static void setup(void)
{
    T = harness_load("uds");
    snprintf(dir, sizeof dir, "/tmp/incbench-uds-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Only what a test left behind on purpose is there to remove. */
static void teardown(void)
{
    ck_assert_msg(rmdir(dir) == 0, "rmdir %s: %s (a file was left behind)", dir,
                  strerror(errno));
}

/* "unix:<dir>/<name>" into out[256]; the path alone is out + 5. */
static const char *in_dir(char out[256], const char *name)
{
    snprintf(out, 256, "unix:%s/%s", dir, name);
    return out;
}

/* server_start on `address` must fail; its message is in err[256]. */
static void start_fails(const char *address, char err[256])
{
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    void *s = NULL;
    char bound[256] = "";
    err[0] = '\0';
    ck_assert_int_eq(T->server_start(&s, &hp.p, bound, 256, err, 256), -1);
    ck_assert_ptr_null(s);
    ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    ck_assert_msg(strstr(err, address) != NULL, "err does not name %s: %s", address, err);
}

/* A client of `bound` answers a chain of 100 and counts one connection. */
static void assert_served(const char *bound)
{
    struct harness_params hp;
    harness_params(&hp, bound, 2000, NULL);
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init %s: %s", bound, err);
    int64_t v = -50;
    for (int i = 0; i < 100; i++) {
        int64_t r = 0;
        ck_assert_msg(T->increment(c, v, &r, err, sizeof err) == 0, "call %d: %s", i, err);
        ck_assert_int_eq(r, v + 1);
        v = r;
    }
    struct incbench_stats st = { 0 };
    T->stats(c, &st);
    ck_assert_uint_eq(st.connections, 1);
    T->shutdown(c);
}

/* Whether /proc/net/unix lists the abstract socket `bound` ("unix:@x"). */
static bool listed(const char *bound)
{
    FILE *f = fopen("/proc/net/unix", "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    bool found = false;
    size_t n = strlen(bound + 5);
    while (!found && fgets(line, sizeof line, f) != NULL) {
        const char *at = strstr(line, bound + 5);
        found = at != NULL && (at[n] == '\n' || at[n] == ' ' || at[n] == '\0');
    }
    fclose(f);
    return found;
}

START_TEST(no_address_takes_a_fresh_abstract_name)
{
    char bound[256] = "";
    struct harness_params hp;
    harness_params(&hp, NULL, 2000, NULL);
    void *s = NULL;
    char err[256] = "";
    ck_assert_msg(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err) == 0,
                  "server_start(NULL): %s", err);
    ck_assert_msg(strncmp(bound, "unix:@incbench-", 15) == 0, "bound %s", bound);
    ck_assert_msg(listed(bound), "%s is not in /proc/net/unix", bound);
    assert_served(bound);
    T->server_stop(s);
    ck_assert_msg(!listed(bound), "%s still listed after server_stop", bound);
}
END_TEST

START_TEST(two_servers_with_no_address_get_different_names)
{
    char a[64], b[64];
    struct harness_params hp;
    harness_params(&hp, NULL, 2000, NULL);
    void *sa = harness_server(T, &hp, a);
    void *sb = harness_server(T, &hp, b);
    ck_assert_str_ne(a, b);
    assert_served(a);
    assert_served(b);
    T->server_stop(sa);
    T->server_stop(sb);
}
END_TEST

START_TEST(named_abstract_socket_is_served_and_taken_once)
{
    char name[64], err[256];
    snprintf(name, sizeof name, "unix:@incbench-test-uds-%ld", (long)getpid());
    struct harness_params hp;
    harness_params(&hp, name, 2000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    ck_assert_str_eq(bound, name);
    assert_served(bound);
    start_fails(name, err);
    ck_assert_msg(strstr(err, "taken") != NULL, "err: %s", err);
    assert_served(bound);
    T->server_stop(s);
}
END_TEST

START_TEST(path_socket_is_served_and_removed_at_stop)
{
    char address[256];
    in_dir(address, "s.sock");
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    void *s = NULL;
    char bound[256] = "", err[256] = "";
    ck_assert_msg(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err) == 0,
                  "server_start: %s", err);
    ck_assert_str_eq(bound, address);
    struct stat st;
    ck_assert_int_eq(lstat(address + 5, &st), 0);
    ck_assert(S_ISSOCK(st.st_mode));
    assert_served(bound);
    T->server_stop(s);
    ck_assert_msg(lstat(address + 5, &st) != 0 && errno == ENOENT,
                  "%s is still there after server_stop", address + 5);
}
END_TEST

/* A socket file bound by `path`'s last owner, who is gone. */
static void leave_stale_socket(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 1), 0);
    close(fd);
}

START_TEST(stale_socket_file_is_replaced)
{
    char address[256];
    in_dir(address, "stale.sock");
    leave_stale_socket(address + 5);
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    assert_served(address);
    T->server_stop(s);
    struct stat st;
    ck_assert_int_ne(lstat(address + 5, &st), 0);
}
END_TEST

START_TEST(live_socket_file_is_refused_and_kept)
{
    char address[256], err[256];
    in_dir(address, "live.sock");
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    start_fails(address, err);
    ck_assert_msg(strstr(err, "already listens") != NULL, "err: %s", err);
    /* The failed start removed nothing: the first server is still reached. */
    assert_served(address);
    T->server_stop(s);
}
END_TEST

START_TEST(regular_file_at_the_path_is_refused_and_left_intact)
{
    char address[256], err[256];
    in_dir(address, "file");
    static const char content[] = "not a socket\n";
    int fd = open(address + 5, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, content, sizeof content - 1), (ssize_t)sizeof content - 1);
    close(fd);
    start_fails(address, err);
    ck_assert_msg(strstr(err, "not a socket") != NULL, "err: %s", err);
    char back[64] = "";
    fd = open(address + 5, O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(read(fd, back, sizeof back), (ssize_t)sizeof content - 1);
    close(fd);
    ck_assert_str_eq(back, content);
    /* And no client takes it for a server either. */
    struct harness_params hp;
    harness_params(&hp, address, 1000, NULL);
    void *c = NULL;
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, address) && strstr(err, "not a socket"), "err: %s", err);
    T->shutdown(c);
    ck_assert_int_eq(unlink(address + 5), 0);
}
END_TEST

START_TEST(directory_that_does_not_exist_is_refused)
{
    char address[256], err[256];
    in_dir(address, "nope/s.sock");
    start_fails(address, err);
    ck_assert_msg(strstr(err, "does not exist") != NULL, "err: %s", err);
}
END_TEST

START_TEST(path_or_name_too_long_is_refused_with_the_limit)
{
    char path[256], name[256], err[256];
    memset(path, 'p', sizeof path);
    snprintf(path, sizeof path, "unix:%s/", dir);
    path[strlen(path)] = 'p';
    path[5 + 108] = '\0';                    /* 108 bytes of path: one too many */
    start_fails(path, err);
    ck_assert_msg(strstr(err, "107") != NULL, "err: %s", err);
    memset(name, 'n', sizeof name);
    memcpy(name, "unix:@", 6);
    name[6 + 108] = '\0';
    start_fails(name, err);
    ck_assert_msg(strstr(err, "107") != NULL, "err: %s", err);
    /* The client says the same. */
    struct harness_params hp;
    harness_params(&hp, path, 1000, NULL);
    void *c = NULL;
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "107") && strstr(err, path), "err: %s", err);
    T->shutdown(c);
}
END_TEST

START_TEST(address_not_unix_or_empty_is_refused)
{
    static const char *const bad[] = { "127.0.0.1:0", "/tmp/x.sock", "unix:", "unix:@",
                                       "UNIX:/tmp/x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256];
        start_fails(bad[i], err);
        struct harness_params hp;
        harness_params(&hp, bad[i], 1000, NULL);
        void *c = NULL;
        ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
        ck_assert_msg(strstr(err, bad[i]) != NULL, "'%s': %s", bad[i], err);
        T->shutdown(c);
    }
}
END_TEST

/* init against `address` fails within its 500 ms, naming the address. */
static void connect_fails(const char *address, const char *says)
{
    struct harness_params hp;
    harness_params(&hp, address, 500, NULL);
    void *c = NULL;
    char err[256] = "";
    const long long t0 = harness_now_ms();
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    const long long took = harness_now_ms() - t0;
    ck_assert_msg(took < 500 + 1000, "init took %lld ms", took);
    ck_assert_msg(strstr(err, address) && strstr(err, says), "%s: %s", address, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    T->shutdown(c);
}

START_TEST(connect_to_nobody_fails_naming_the_address)
{
    char address[256], name[64];
    connect_fails(in_dir(address, "nobody.sock"), "no such socket file");
    snprintf(name, sizeof name, "unix:@incbench-test-nobody-%ld", (long)getpid());
    connect_fails(name, "nothing listens");
    leave_stale_socket(address + 5);
    connect_fails(address, "nothing listens");
    ck_assert_int_eq(unlink(address + 5), 0);
}
END_TEST

/* A listener whose backlog is full: connect cannot even queue, and must
 * give up by its deadline rather than spin or block. */
START_TEST(connect_to_a_full_backlog_times_out)
{
    char address[256];
    in_dir(address, "full.sock");
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", address + 5);
    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(lfd, 0);
    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(lfd, 0), 0);
    int queued[4], n = 0;
    /* Fill the backlog (0 takes one or two, by kernel) with raw sockets. */
    for (; n < 4; n++) {
        queued[n] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(queued[n], 0);
        if (connect(queued[n], (struct sockaddr *)&a, sizeof a) != 0) {
            ck_assert_int_eq(errno, EAGAIN);
            break;
        }
    }
    ck_assert_int_lt(n, 4);
    struct harness_params hp;
    harness_params(&hp, address, 300, NULL);
    void *c = NULL;
    char err[256] = "";
    const long long t0 = harness_now_ms();
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    const long long took = harness_now_ms() - t0;
    ck_assert_int_ge(took, 299);
    ck_assert_msg(took < 300 + 1000, "init took %lld ms", took);
    ck_assert_msg(strstr(err, address) && strstr(err, "300 ms"), "err: %s", err);
    T->shutdown(c);
    for (int i = 0; i <= n; i++)
        close(queued[i]);
    close(lfd);
    ck_assert_int_eq(unlink(address + 5), 0);
}
END_TEST

/* server_start on address (bound[256]: it may be long), a chain served,
 * then stopped. */
static void serve_once(const char *address)
{
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    void *s = NULL;
    char bound[256] = "", err[256] = "";
    ck_assert_msg(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err) == 0,
                  "server_start %s: %s", address, err);
    ck_assert_str_eq(bound, address);
    assert_served(address);
    T->server_stop(s);
}

/* The limits themselves fit: a path of exactly 107 bytes (sun_path with
 * its NUL) and an abstract name of 107 (after its leading NUL) are served,
 * and the path is removed at stop. */
START_TEST(path_and_name_of_the_limit_are_served)
{
    char path[256], name[256];
    snprintf(path, sizeof path, "unix:%s/", dir);
    const size_t have = strlen(path);
    memset(path + have, 'p', 5 + 107 - have);
    path[5 + 107] = '\0';
    serve_once(path);
    struct stat st;
    ck_assert_msg(lstat(path + 5, &st) != 0 && errno == ENOENT, "%s left behind", path + 5);
    snprintf(name, sizeof name, "unix:@incbench-test-%ld-", (long)getpid());
    const size_t nhave = strlen(name);
    memset(name + nhave, 'n', 6 + 107 - nhave);
    name[6 + 107] = '\0';
    serve_once(name);
}
END_TEST

/* The path was taken over while the server ran (its file unlinked, a
 * new socket bound there): stopping removes nothing of the successor's. */
START_TEST(a_successors_socket_file_is_left_at_stop)
{
    char address[256];
    in_dir(address, "succ.sock");
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    ck_assert_int_eq(unlink(address + 5), 0);
    leave_stale_socket(address + 5);
    struct stat before, after;
    ck_assert_int_eq(lstat(address + 5, &before), 0);
    T->server_stop(s);
    ck_assert_msg(lstat(address + 5, &after) == 0, "stop removed the successor's %s",
                  address + 5);
    ck_assert(after.st_ino == before.st_ino);
    ck_assert_int_eq(unlink(address + 5), 0);
}
END_TEST

/* A connection the server closes (here for a bad frame) while its socket
 * is still open elsewhere (a child between fork and exec holds copies of
 * every fd; here a dup): it must have left the server's epoll set, or the
 * set goes on reporting the freed connection when its peer hangs up. The
 * server then still serves. (Shared with tcp: plugins/common/stream_server.c.) */
START_TEST(a_closed_connection_shared_elsewhere_leaves_epoll)
{
    struct harness_params hp;
    harness_params(&hp, NULL, 2000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    for (int round = 0; round < 4; round++) {
        const int cfd = harness_connect(bound);
        int acc = -1;
        for (int i = 0; i < 200 && acc < 0; i++) {
            acc = harness_accepted_end(cfd);
            if (acc < 0)
                harness_nap_ms(5);
        }
        ck_assert_msg(acc >= 0, "the server never accepted");
        const int copy = dup(acc);
        ck_assert_int_ge(copy, 0);
        static const unsigned char bad[4] = { 0xff, 0xff, 0xff, 0xff };
        ck_assert_int_eq(send(cfd, bad, sizeof bad, MSG_NOSIGNAL), (ssize_t)sizeof bad);
        /* The server has closed its descriptor once the number is free. */
        const long long t0 = harness_now_ms();
        while (fcntl(acc, F_GETFD) != -1 && harness_now_ms() - t0 < 2000)
            harness_nap_ms(2);
        ck_assert_msg(fcntl(acc, F_GETFD) == -1, "the bad frame's connection stayed open");
        close(cfd);            /* the peer hangs up: an event on the shared file */
        harness_nap_ms(20);
        assert_served(bound);
        close(copy);
    }
    T->server_stop(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("uds addresses");
    TCase *tc = tcase_create("uds");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, no_address_takes_a_fresh_abstract_name);
    tcase_add_test(tc, two_servers_with_no_address_get_different_names);
    tcase_add_test(tc, named_abstract_socket_is_served_and_taken_once);
    tcase_add_test(tc, path_socket_is_served_and_removed_at_stop);
    tcase_add_test(tc, stale_socket_file_is_replaced);
    tcase_add_test(tc, live_socket_file_is_refused_and_kept);
    tcase_add_test(tc, regular_file_at_the_path_is_refused_and_left_intact);
    tcase_add_test(tc, directory_that_does_not_exist_is_refused);
    tcase_add_test(tc, path_or_name_too_long_is_refused_with_the_limit);
    tcase_add_test(tc, address_not_unix_or_empty_is_refused);
    tcase_add_test(tc, connect_to_nobody_fails_naming_the_address);
    tcase_add_test(tc, connect_to_a_full_backlog_times_out);
    tcase_add_test(tc, path_and_name_of_the_limit_are_served);
    tcase_add_test(tc, a_successors_socket_file_is_left_at_stop);
    tcase_add_test(tc, a_closed_connection_shared_elsewhere_leaves_epoll);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
