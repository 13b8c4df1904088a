/*
 * test_grpc_unary.c — the grpc_unary plugin in one process, client against
 * its own server: answers, the overflow status, options, errors with status
 * names, and stopping with clients attached. Interop with Python grpcio is
 * in interop.sh.
 */
#include "../harness.h"

#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct incbench_transport *T;

static void *client_for(const char *address, unsigned timeout_ms, const char *k, const char *v)
{
    struct harness_params hp;
    harness_params(&hp, address, timeout_ms, k, v, NULL);
    if (k == NULL)
        hp.p.n_options = 0;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

/* A loopback port with nothing listening: bound, then closed. */
static void dead_address(char out[64])
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    snprintf(out, 64, "127.0.0.1:%u", ntohs(a.sin_port));
    close(fd);
}

static void chain(void *c, int64_t from, int n)
{
    char err[256] = "";
    int64_t v = from;
    for (int i = 0; i < n; i++) {
        int64_t r = 0;
        ck_assert_msg(T->increment(c, v, &r, err, sizeof err) == 0, "call %d: %s", i, err);
        ck_assert_int_eq(r, v + 1);
        v = r;
    }
}

START_TEST(answers_value_plus_one_and_binds_a_real_port)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 5000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    ck_assert_msg(strncmp(bound, "127.0.0.1:", 10) == 0 && strcmp(bound, "127.0.0.1:0") != 0,
                  "bound = %s", bound);
    void *c = client_for(bound, 5000, NULL, NULL);
    chain(c, 0, 300);
    chain(c, -5, 10);
    chain(c, INT64_MIN, 3);
    chain(c, INT64_MAX - 3, 3);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(int64_max_is_out_of_range_and_the_server_keeps_serving)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 5000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    void *c = client_for(bound, 5000, NULL, NULL);
    char err[256] = "";
    int64_t r = 42;
    ck_assert_int_eq(T->increment(c, INT64_MAX, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "OUT_OF_RANGE") != NULL, "err = %s", err);
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_int_eq(r, 42);
    chain(c, 7, 5);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(every_option_works_on_client_and_server)
{
    static const char *const kv[][2] = {
        { "compression", "gzip" }, { "compression", "deflate" }, { "compression", "none" },
        { "minimal_stack", "true" }, { "minimal_stack", "false" },
        { "retries", "false" }, { "retries", "true" },
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        struct harness_params hp;
        harness_params(&hp, "127.0.0.1:0", 5000, kv[i][0], kv[i][1], NULL);
        char bound[64];
        void *s = harness_server(T, &hp, bound);
        void *c = client_for(bound, 5000, kv[i][0], kv[i][1]);
        chain(c, 100, 20);
        T->shutdown(c);
        T->server_stop(s);
    }
}
END_TEST

START_TEST(unknown_keys_and_bad_values_are_rejected_by_name)
{
    static const char *const kv[][3] = {
        { "compresion", "gzip", "compresion" },
        { "compression", "brotli", "brotli" },
        { "minimal_stack", "maybe", "minimal_stack" },
        { "retries", "", "retries" },
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        struct harness_params hp;
        harness_params(&hp, "127.0.0.1:0", 1000, kv[i][0], kv[i][1], NULL);
        char err[256] = "", bound[64] = "";
        void *x = NULL;
        ck_assert_int_eq(T->init(&x, &hp.p, err, sizeof err), -1);
        ck_assert_msg(strstr(err, kv[i][2]) != NULL, "init err = %s", err);
        T->shutdown(x);
        x = NULL;
        err[0] = '\0';
        ck_assert_int_eq(T->server_start(&x, &hp.p, bound, sizeof bound, err, sizeof err), -1);
        ck_assert_msg(strstr(err, kv[i][2]) != NULL, "server err = %s", err);
        T->server_stop(x);
    }
}
END_TEST

START_TEST(nothing_listening_is_unavailable)
{
    char addr[64];
    dead_address(addr);
    void *c = client_for(addr, 2000, NULL, NULL);
    char err[256] = "";
    int64_t r;
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL || strstr(err, "DEADLINE_EXCEEDED") != NULL,
                  "err = %s", err);
    ck_assert_msg(strstr(err, addr) != NULL, "err does not name %s: %s", addr, err);
    T->shutdown(c);
}
END_TEST

START_TEST(a_bad_listen_address_is_an_error_naming_it)
{
    struct harness_params hp;
    harness_params(&hp, "192.0.2.1:0", 1000, NULL); /* TEST-NET: not ours */
    char err[256] = "", bound[64] = "";
    void *s = NULL;
    ck_assert_int_eq(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "192.0.2.1:0") != NULL, "err = %s", err);
    T->server_stop(s);
    harness_params(&hp, "no-port", 1000, NULL);
    s = NULL;
    ck_assert_int_eq(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "no-port") != NULL, "err = %s", err);
    T->server_stop(s);
}
END_TEST

START_TEST(stopping_the_server_fails_the_attached_client_with_a_status)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 3000, NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    void *c = client_for(bound, 3000, NULL, NULL);
    chain(c, 0, 10);
    T->server_stop(s); /* must return although c is connected */
    char err[256] = "";
    int64_t r;
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL, "err = %s", err);
    T->shutdown(c);
}
END_TEST

START_TEST(two_servers_and_clients_live_in_one_process)
{
    struct harness_params hp1, hp2;
    harness_params(&hp1, "127.0.0.1:0", 5000, NULL);
    harness_params(&hp2, "127.0.0.1:0", 5000, "minimal_stack", "true", NULL);
    char b1[64], b2[64];
    void *s1 = harness_server(T, &hp1, b1);
    void *s2 = harness_server(T, &hp2, b2);
    void *c1 = client_for(b1, 5000, NULL, NULL);
    void *c2 = client_for(b2, 5000, "minimal_stack", "true");
    chain(c1, 0, 10);
    chain(c2, 1000, 10);
    T->shutdown(c1);
    T->server_stop(s1);
    chain(c2, 2000, 10); /* the other pair is unaffected by the first's teardown */
    T->shutdown(c2);
    T->server_stop(s2);
    /* gRPC comes back after a full grpc_shutdown. */
    void *s3 = harness_server(T, &hp1, b1);
    void *c3 = client_for(b1, 5000, NULL, NULL);
    chain(c3, 5, 5);
    T->shutdown(c3);
    T->server_stop(s3);
}
END_TEST

START_TEST(null_handles_are_accepted)
{
    T->shutdown(NULL);
    T->server_stop(NULL);
    struct harness_params hp;
    harness_params(&hp, NULL, 1000, NULL);
    char err[256] = "";
    void *c = NULL;
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "address") != NULL, "err = %s", err);
    T->shutdown(c);
}
END_TEST

static void load(void)
{
    T = harness_load("grpc_unary");
    ck_assert_str_eq(T->name, "grpc_unary");
}

int main(void)
{
    Suite *s = suite_create("grpc_unary");
    TCase *tc = tcase_create("plugin");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, load, NULL);
    tcase_add_test(tc, answers_value_plus_one_and_binds_a_real_port);
    tcase_add_test(tc, int64_max_is_out_of_range_and_the_server_keeps_serving);
    tcase_add_test(tc, every_option_works_on_client_and_server);
    tcase_add_test(tc, unknown_keys_and_bad_values_are_rejected_by_name);
    tcase_add_test(tc, nothing_listening_is_unavailable);
    tcase_add_test(tc, a_bad_listen_address_is_an_error_naming_it);
    tcase_add_test(tc, stopping_the_server_fails_the_attached_client_with_a_status);
    tcase_add_test(tc, two_servers_and_clients_live_in_one_process);
    tcase_add_test(tc, null_handles_are_accepted);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    /* gRPC must not be forked after grpc_init: run tests in this process. */
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
