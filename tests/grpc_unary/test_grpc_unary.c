/*
 * test_grpc_unary.c — the grpc_unary plugin in one process, client against
 * its own server: answers, the overflow status, options, errors with status
 * names, and stopping with clients attached; gt_main adds the tests both
 * gRPC plugins share (grpc_test.h). Interop with Python grpcio is in
 * interop.sh.
 */
#include "grpc_test.h"
#include "opts_test.h"
#include "watch.h"

#include <stdint.h>
#include <string.h>

static void *client_for(const char *address, unsigned timeout_ms, const char *k, const char *v)
{
    return gt_client(address, timeout_ms, 1, k, v);
}

START_TEST(answers_value_plus_one_and_binds_a_real_port)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    ck_assert_msg(strncmp(bound, "127.0.0.1:", 10) == 0 && strcmp(bound, "127.0.0.1:0") != 0,
                  "bound = %s", bound);
    void *c = client_for(bound, 5000, NULL, NULL);
    gt_chain(c, 0, 300);
    gt_chain(c, -5, 10);
    gt_chain(c, INT64_MIN, 3);
    gt_chain(c, INT64_MAX - 3, 3);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(int64_max_is_out_of_range_and_the_server_keeps_serving)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = client_for(bound, 5000, NULL, NULL);
    char err[256] = "";
    int64_t r = 42;
    ck_assert_int_eq(T->increment(c, INT64_MAX, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "OUT_OF_RANGE") != NULL, "err = %s", err);
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_int_eq(r, 42);
    gt_chain(c, 7, 5);
    T->shutdown(c);
    T->server_stop(s);
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
        gt_refused(&hp, kv[i][2], NULL);
    }
}
END_TEST

START_TEST(nothing_listening_is_unavailable)
{
    gt_nothing_listening_is_unavailable(1);
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
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = client_for(bound, 3000, NULL, NULL);
    gt_chain(c, 0, 10);
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
    gt_chain(c1, 0, 10);
    gt_chain(c2, 1000, 10);
    T->shutdown(c1);
    T->server_stop(s1);
    gt_chain(c2, 2000, 10); /* the other pair is unaffected by the first's teardown */
    T->shutdown(c2);
    T->server_stop(s2);
    /* gRPC comes back after a full grpc_shutdown. */
    void *s3 = harness_server(T, &hp1, b1);
    void *c3 = client_for(b1, 5000, NULL, NULL);
    gt_chain(c3, 5, 5);
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

START_TEST(a_reconnect_before_the_watch_event_is_taken_still_counts)
{
    gt_a_reconnect_before_the_watch_event_is_taken_still_counts();
}
END_TEST

START_TEST(arg_values_become_ints_or_strings_by_their_name)
{
    gt_arg_values_become_ints_or_strings_by_their_name();
}
END_TEST

START_TEST(explicit_args_override_named_keys_and_side_args_override_arg)
{
    gt_explicit_args_override_named_keys_and_side_args_override_arg();
}
END_TEST

int main(void)
{
    const TTest *const tests[] = {
        answers_value_plus_one_and_binds_a_real_port,
        int64_max_is_out_of_range_and_the_server_keeps_serving,
        unknown_keys_and_bad_values_are_rejected_by_name,
        nothing_listening_is_unavailable,
        a_bad_listen_address_is_an_error_naming_it,
        stopping_the_server_fails_the_attached_client_with_a_status,
        two_servers_and_clients_live_in_one_process,
        null_handles_are_accepted,
        a_reconnect_before_the_watch_event_is_taken_still_counts,
        arg_values_become_ints_or_strings_by_their_name,
        explicit_args_override_named_keys_and_side_args_override_arg,
    };
    return gt_main("grpc_unary", tests, sizeof tests / sizeof tests[0]);
}
