/*
 * test_client.c — the shm transport through its own client and an
 * in-process server: right answers, the INT64_MAX refusal, windows up to
 * the ring and one past it, spin_ns both ways and its bad values, unknown
 * keys, several clients and one too many, a stop under attached clients,
 * and names that hold no server. Each test asserts answers or the error
 * sentence, never a speed.
 */
#include "shmtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct incbench_transport *T;

static void setup(void)
{
    T = shmtest_plugin();
}

START_TEST(vtable_is_complete)
{
    harness_full_vtable(T, "shm");
}
END_TEST

START_TEST(answers_are_v_plus_one_and_the_segment_goes_on_stop)
{
    char bound[64];
    void *s = shmtest_server("0", bound);
    ck_assert(shmtest_segment_exists(bound));
    void *c = shmtest_client(bound, 1, 2000, "0");
    ck_assert_int_eq(shmtest_chain(c, 0, 1000), 1000);
    ck_assert_int_eq(shmtest_chain(c, -5, 10), 5);
    ck_assert_int_eq(shmtest_chain(c, INT64_MAX - 3, 3), INT64_MAX);
    ck_assert_int_eq(shmtest_chain(c, INT64_MIN, 2), INT64_MIN + 2);
    struct incbench_stats st = { 0 };
    T->stats(c, &st);
    ck_assert_uint_eq(st.connections, 1);
    T->shutdown(c);
    T->server_stop(s);
    ck_assert(!shmtest_segment_exists(bound));
}
END_TEST

START_TEST(int64_max_is_refused_and_the_client_goes_on)
{
    char bound[64], err[256] = "";
    void *s = shmtest_server("0", bound);
    void *c = shmtest_client(bound, 1, 2000, "0");
    int64_t r = 42;
    ck_assert_int_eq(T->increment(c, INT64_MAX, &r, err, sizeof err), -1);
    ck_assert_int_eq(r, 42);
    ck_assert_msg(strstr(err, "INT64_MAX would overflow") != NULL, "%s", err);
    ck_assert_int_eq(shmtest_chain(c, 7, 5), 12);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* rounds of W submits (tags 100..100+W-1) then W completes, every answer
 * matched to its tag, and a refusal in the middle naming its tag. */
static void window_round_trips(unsigned W)
{
    char bound[64], err[256];
    void *s = shmtest_server("0", bound);
    void *c = shmtest_client(bound, W, 2000, "0");
    bool *seen = calloc(W, sizeof *seen);
    for (int round = 0; round < 5; round++) {
        memset(seen, 0, W * sizeof *seen);
        for (unsigned i = 0; i < W; i++)
            ck_assert_msg(T->submit(c, 100 + i, (int64_t)i * 1000 - round, err, sizeof err) == 0,
                          "submit: %s", err);
        for (unsigned i = 0; i < W; i++) {
            uint64_t tag = 0;
            int64_t r = 0;
            ck_assert_msg(T->complete(c, &tag, &r, err, sizeof err) == 0, "complete: %s", err);
            ck_assert_uint_ge(tag, 100);
            ck_assert_uint_lt(tag, 100 + W);
            ck_assert(!seen[tag - 100]);
            seen[tag - 100] = true;
            ck_assert_int_eq(r, (int64_t)(tag - 100) * 1000 - round + 1);
        }
    }
    free(seen);
    if (W >= 2) {
        uint64_t tag = 0;
        int64_t r;
        ck_assert_int_eq(T->submit(c, 5, INT64_MAX, err, sizeof err), 0);
        ck_assert_int_eq(T->submit(c, 6, 10, err, sizeof err), 0);
        ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), -1);
        ck_assert_uint_eq(tag, 5);
        ck_assert_ptr_nonnull(strstr(err, "INT64_MAX would overflow"));
        ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), 0);
        ck_assert_uint_eq(tag, 6);
        ck_assert_int_eq(r, 11);
    }
    ck_assert_int_eq(shmtest_chain(c, 0, 3), 3);
    T->shutdown(c);
    T->server_stop(s);
}

START_TEST(window_1_matches_tags) { window_round_trips(1); }
END_TEST
START_TEST(window_16_matches_tags) { window_round_trips(16); }
END_TEST
START_TEST(window_1024_matches_tags) { window_round_trips(1024); }
END_TEST

START_TEST(window_1025_is_refused_naming_window)
{
    char bound[64];
    void *s = shmtest_server("0", bound);
    struct harness_params hp;
    harness_params(&hp, bound, 2000, NULL);
    hp.p.max_inflight = 1025;
    shmtest_init_fails(&hp, "'window' = 1025");
    shmtest_init_fails(&hp, "1024");
    T->server_stop(s);
}
END_TEST

static void spin_both_sides(const char *spin)
{
    char bound[64];
    void *s = shmtest_server(spin, bound);
    void *c = shmtest_client(bound, 1, 2000, spin);
    ck_assert_int_eq(shmtest_chain(c, 0, 20000), 20000);
    T->shutdown(c);
    T->server_stop(s);
}

START_TEST(spin_ns_0_answers) { spin_both_sides("0"); }
END_TEST
START_TEST(spin_ns_100000_answers) { spin_both_sides("100000"); }
END_TEST

START_TEST(unknown_key_is_refused_by_name_on_both_sides)
{
    char bound[64], err[256] = "";
    void *s = shmtest_server("0", bound);
    struct harness_params hp;
    harness_params(&hp, bound, 2000, "spin_nz", "5", NULL);
    shmtest_init_fails(&hp, "'spin_nz'");
    harness_params(&hp, NULL, 2000, "colour", "red", NULL);
    void *s2 = NULL;
    ck_assert_int_eq(T->server_start(&s2, &hp.p, bound, 64, err, sizeof err), -1);
    T->server_stop(s2);
    ck_assert_msg(strstr(err, "'colour'") != NULL, "%s", err);
    T->server_stop(s);
}
END_TEST

START_TEST(bad_spin_ns_is_refused_by_name_on_both_sides)
{
    static const char *const bad[] = { "-1", "abc", "", "1e3", "2000000000", "12x" };
    char bound[64], err[256];
    void *s = shmtest_server("0", bound);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct harness_params hp;
        harness_params(&hp, bound, 2000, "spin_ns", bad[i], NULL);
        shmtest_init_fails(&hp, "'spin_ns'");
        harness_params(&hp, NULL, 2000, "spin_ns", bad[i], NULL);
        void *s2 = NULL;
        char b2[64];
        err[0] = '\0';
        ck_assert_int_eq(T->server_start(&s2, &hp.p, b2, 64, err, sizeof err), -1);
        T->server_stop(s2);
        ck_assert_msg(strstr(err, "'spin_ns'") != NULL, "%s: %s", bad[i], err);
    }
    T->server_stop(s);
}
END_TEST

START_TEST(two_clients_on_one_server_interleave)
{
    char bound[64];
    void *s = shmtest_server("0", bound);
    void *a = shmtest_client(bound, 1, 2000, "0");
    void *b = shmtest_client(bound, 1, 2000, "0");
    int64_t va = 0, vb = 1000000;
    for (int i = 0; i < 100; i++) {
        va = shmtest_chain(a, va, 3);
        vb = shmtest_chain(b, vb, 2);
    }
    ck_assert_int_eq(va, 300);
    ck_assert_int_eq(vb, 1000200);
    T->shutdown(a);
    T->shutdown(b);
    T->server_stop(s);
}
END_TEST

START_TEST(ninth_client_is_refused_and_a_freed_channel_is_taken_again)
{
    char bound[64];
    void *s = shmtest_server("0", bound);
    void *c[8];
    for (int i = 0; i < 8; i++)
        c[i] = shmtest_client(bound, 1, 2000, "0");
    struct harness_params hp;
    harness_params(&hp, bound, 2000, NULL);
    char want[128];
    snprintf(want, sizeof want, "all 8 channels of %s are taken", bound);
    shmtest_init_fails(&hp, want);
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(shmtest_chain(c[i], i * 100, 10), i * 100 + 10);
    T->shutdown(c[3]);
    c[3] = shmtest_client(bound, 1, 2000, "0");
    ck_assert_int_eq(shmtest_chain(c[3], 0, 10), 10);
    for (int i = 0; i < 8; i++)
        T->shutdown(c[i]);
    T->server_stop(s);
}
END_TEST

START_TEST(server_stop_with_clients_attached_returns_quickly)
{
    char bound[64], err[256] = "";
    void *s = shmtest_server("0", bound);
    void *a = shmtest_client(bound, 1, 5000, "0");
    void *b = shmtest_client(bound, 4, 5000, "100000");
    shmtest_chain(a, 0, 10);
    const long long t0 = harness_now_ms();
    T->server_stop(s);
    ck_assert_int_lt(harness_now_ms() - t0, 500);
    ck_assert(!shmtest_segment_exists(bound));
    int64_t r;
    const long long t1 = harness_now_ms();
    ck_assert_int_eq(T->increment(a, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "stopped") != NULL && strstr(err, bound) != NULL, "%s", err);
    ck_assert_int_eq(T->submit(b, 1, 1, err, sizeof err), 0);
    uint64_t tag;
    ck_assert_int_eq(T->complete(b, &tag, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "stopped") != NULL, "%s", err);
    ck_assert_int_lt(harness_now_ms() - t1, 500);
    T->shutdown(a);
    T->shutdown(b);
    /* A client after the stop finds no server there. */
    struct harness_params hp;
    harness_params(&hp, bound, 2000, NULL);
    shmtest_init_fails(&hp, "no server there");
}
END_TEST

START_TEST(missing_name_and_bad_addresses_fail_at_once)
{
    struct harness_params hp;
    char name[64];
    snprintf(name, sizeof name, "shm:incbench-test-none-%d", (int)getpid());
    harness_params(&hp, name, 2000, NULL);
    const long long t0 = harness_now_ms();
    shmtest_init_fails(&hp, name);
    shmtest_init_fails(&hp, "no server there");
    ck_assert_int_lt(harness_now_ms() - t0, 2000);
    harness_params(&hp, "127.0.0.1:5", 2000, NULL);
    shmtest_init_fails(&hp, "'127.0.0.1:5' is not shm:NAME");
    harness_params(&hp, "shm:", 2000, NULL);
    shmtest_init_fails(&hp, "needs a NAME");
    harness_params(&hp, "shm:a/b", 2000, NULL);
    shmtest_init_fails(&hp, "without '/'");
}
END_TEST

START_TEST(a_given_name_is_served_and_a_second_server_on_it_refused)
{
    char want[64], bound[64], b2[64], err[256] = "";
    snprintf(want, sizeof want, "shm:incbench-test-named-%d", (int)getpid());
    struct harness_params hp;
    harness_params(&hp, want, 2000, NULL);
    void *s = harness_server(T, &hp, bound);
    ck_assert_str_eq(bound, want);
    void *s2 = NULL;
    ck_assert_int_eq(T->server_start(&s2, &hp.p, b2, 64, err, sizeof err), -1);
    T->server_stop(s2);
    ck_assert_msg(strstr(err, "exists already") != NULL && strstr(err, want) != NULL, "%s", err);
    void *c = shmtest_client(bound, 1, 2000, "0");
    ck_assert_int_eq(shmtest_chain(c, 0, 100), 100);
    T->shutdown(c);
    T->server_stop(s);
    ck_assert(!shmtest_segment_exists(bound));
}
END_TEST

int main(void)
{
    Suite *su = suite_create("shm client");
    TCase *tc = tcase_create("client");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, vtable_is_complete);
    tcase_add_test(tc, answers_are_v_plus_one_and_the_segment_goes_on_stop);
    tcase_add_test(tc, int64_max_is_refused_and_the_client_goes_on);
    tcase_add_test(tc, window_1_matches_tags);
    tcase_add_test(tc, window_16_matches_tags);
    tcase_add_test(tc, window_1024_matches_tags);
    tcase_add_test(tc, window_1025_is_refused_naming_window);
    tcase_add_test(tc, spin_ns_0_answers);
    tcase_add_test(tc, spin_ns_100000_answers);
    tcase_add_test(tc, unknown_key_is_refused_by_name_on_both_sides);
    tcase_add_test(tc, bad_spin_ns_is_refused_by_name_on_both_sides);
    tcase_add_test(tc, two_clients_on_one_server_interleave);
    tcase_add_test(tc, ninth_client_is_refused_and_a_freed_channel_is_taken_again);
    tcase_add_test(tc, server_stop_with_clients_attached_returns_quickly);
    tcase_add_test(tc, missing_name_and_bad_addresses_fail_at_once);
    tcase_add_test(tc, a_given_name_is_served_and_a_second_server_on_it_refused);
    suite_add_tcase(su, tc);
    return shmtest_run(su);
}
