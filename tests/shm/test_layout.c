/*
 * test_layout.c — a segment under the right name that is not what this
 * plugin lays out (another magic, version, shape or size, or too short to
 * hold a header) is refused by the client in one line naming shm:NAME and
 * what differs; one left by a dead server is refused by a client and taken
 * over by a new server, one of a live server is not.
 */
#include "shmtest.h"
#include "layout.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct incbench_transport *T;
static char name[64], address[80];

static void setup(void)
{
    T = shmtest_plugin();
    snprintf(name, sizeof name, "incbench-test-layout-%d", (int)getpid());
    snprintf(address, sizeof address, "shm:%s", name);
}

static void teardown(void)
{
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/%s", name);
    unlink(path);
}

/* A header as a server of this build writes it. */
static struct shm_segment *good_segment(void)
{
    struct shm_segment *s = calloc(1, sizeof *s);
    ck_assert_ptr_nonnull(s);
    s->head.magic = SHM_MAGIC;
    s->head.version = SHM_LAYOUT_VERSION;
    s->head.line = SHM_LINE;
    s->head.channels = SHM_CHANNELS;
    s->head.slots = SHM_SLOTS;
    s->head.size = sizeof *s;
    s->head.server_pid = (int32_t)getpid();
    s->head.state = SHM_SERVING;
    return s;
}

/* /dev/shm/NAME holds the first `size` bytes of s (zeros past its end). */
static void plant(struct shm_segment *s, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/%s", name);
    const int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    const size_t n = size < sizeof *s ? size : sizeof *s;
    ck_assert_int_eq(write(fd, s, n), (ssize_t)n);
    ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
    close(fd);
    free(s);
}

static void refused(const char *phrase)
{
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    shmtest_init_fails(&hp, address);
    shmtest_init_fails(&hp, phrase);
}

START_TEST(wrong_magic_is_refused)
{
    struct shm_segment *s = good_segment();
    s->head.magic = 0x1234;
    plant(s, sizeof *s);
    refused("is not an incbench shm segment (magic 0x0000000000001234");
}
END_TEST

START_TEST(wrong_version_is_refused)
{
    struct shm_segment *s = good_segment();
    s->head.version = 99;
    plant(s, sizeof *s);
    refused("has layout version 99, this plugin speaks 1");
}
END_TEST

START_TEST(wrong_shape_is_refused)
{
    struct shm_segment *s = good_segment();
    s->head.channels = 4;
    plant(s, sizeof *s);
    refused("has 4 channels x 1024 slots");
}
END_TEST

START_TEST(wrong_file_size_is_refused)
{
    plant(good_segment(), sizeof(struct shm_segment) + 4096);
    char phrase[96];
    snprintf(phrase, sizeof phrase, "is %zu bytes, its header says %zu",
             sizeof(struct shm_segment) + 4096, sizeof(struct shm_segment));
    refused(phrase);
}
END_TEST

START_TEST(file_too_short_for_a_header_is_refused)
{
    plant(good_segment(), 10);
    refused("is 10 bytes, too small");
}
END_TEST

static pid_t dead_pid(void)
{
    const pid_t p = fork();
    ck_assert_int_ge(p, 0);
    if (p == 0)
        _exit(0);
    ck_assert_int_eq(waitpid(p, NULL, 0), p);
    return p;
}

START_TEST(a_dead_servers_leftover_is_refused_then_taken_over)
{
    struct shm_segment *s = good_segment();
    s->head.server_pid = (int32_t)dead_pid();
    plant(s, sizeof *s);
    refused("is gone");
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    char bound[64];
    void *srv = harness_server(T, &hp, bound);
    ck_assert_str_eq(bound, address);
    void *c = shmtest_client(bound, 1, 2000, "0");
    ck_assert_int_eq(shmtest_chain(c, 0, 10), 10);
    T->shutdown(c);
    T->server_stop(srv);
    ck_assert(!shmtest_segment_exists(address));
}
END_TEST

START_TEST(a_live_servers_segment_is_not_taken_over)
{
    plant(good_segment(), sizeof(struct shm_segment));
    struct harness_params hp;
    harness_params(&hp, address, 2000, NULL);
    void *srv = NULL;
    char bound[64], err[256] = "";
    ck_assert_int_eq(T->server_start(&srv, &hp.p, bound, 64, err, sizeof err), -1);
    T->server_stop(srv);
    ck_assert_msg(strstr(err, "exists already") != NULL, "%s", err);
    ck_assert(shmtest_segment_exists(address));
}
END_TEST

int main(void)
{
    Suite *su = suite_create("shm layout");
    TCase *tc = tcase_create("layout");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, wrong_magic_is_refused);
    tcase_add_test(tc, wrong_version_is_refused);
    tcase_add_test(tc, wrong_shape_is_refused);
    tcase_add_test(tc, wrong_file_size_is_refused);
    tcase_add_test(tc, file_too_short_for_a_header_is_refused);
    tcase_add_test(tc, a_dead_servers_leftover_is_refused_then_taken_over);
    tcase_add_test(tc, a_live_servers_segment_is_not_taken_over);
    suite_add_tcase(su, tc);
    return shmtest_run(su);
}
