/*
 * chargs_test.c — the arg.* / server_arg.* / client_arg.* keys of both gRPC
 * plugins, seen from outside: an unknown channel arg is handed to gRPC
 * (which ignores it), a value of the wrong type fails init and
 * server_start naming the key, and a string arg and an int arg each show
 * their effect on the side(s) the prefix names. gt_main runs them for
 * each plugin (grpc_test.h).
 */
#include "chargs_test.h"

#include "grpc_test.h"

#include <stdio.h>
#include <string.h>

/* A section's arg.incbench.* keys are handed to gRPC, which ignores names
 * it does not know: calls go through (an int-looking and a string value,
 * on both sides, and a side's own). */
START_TEST(an_unknown_channel_arg_reaches_grpc_and_calls_work)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 5000, "arg.incbench.no_such_int", "7",
                   "arg.incbench.no_such_string", "seven", "server_arg.incbench.x", "-1",
                   "client_arg.incbench.y", "", NULL);
    char bound[64];
    void *s = harness_server(T, &hp, bound);
    hp.p.address = bound;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    gt_chain(c, 0, 5);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* Values gRPC would misread, each on arg.*, server_arg.* and client_arg.*:
 * init and server_start both fail, naming the key (a section is one
 * config: the client checks the server's keys too, and the server the
 * client's). */
START_TEST(a_value_of_the_wrong_type_is_an_error_naming_the_key)
{
    static const char *const bad[][3] = {
        /* key suffix, value, what the sentence must hold besides the key */
        { "grpc.max_receive_message_length", "big", "integer" },
        { "grpc.http2.bdp_probe", "1.5", "integer" },
        { "grpc.http2.bdp_probe", "", "integer" },
        { "grpc.keepalive_time_ms", " 5", "integer" },
        { "grpc.keepalive_time_ms", "2147483648", "range" },
        { "incbench.unknown", "-2147483649", "range" },
        { "grpc.optimization_target", "fastest", "latency" },
        { "grpc.resource_quota", "1", "pointer" },
        { "", "1", "names no channel argument" },
    };
    static const char *const prefixes[] = { "arg.", "server_arg.", "client_arg." };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (size_t p = 0; p < 3; p++) {
            char key[96];
            snprintf(key, sizeof key, "%s%s", prefixes[p], bad[i][0]);
            struct harness_params hp;
            harness_params(&hp, "127.0.0.1:0", 1000, key, bad[i][1], NULL);
            gt_refused(&hp, key, bad[i][2]);
        }
    }
}
END_TEST

/* 64 arg.* keys are fine; the 65th is refused by name. */
START_TEST(more_than_64_channel_args_are_refused)
{
    static char keys[65][32];
    struct incbench_option opts[65];
    for (int i = 0; i < 65; i++) {
        snprintf(keys[i], sizeof keys[i], "arg.incbench.n%d", i);
        opts[i].key = keys[i];
        opts[i].value = "1";
    }
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 1000, NULL);
    hp.p.options = opts;
    for (size_t n = 64; n <= 65; n++) {
        hp.p.n_options = n;
        char err[256] = "", bound[64] = "";
        void *x = NULL;
        const int rc = T->server_start(&x, &hp.p, bound, sizeof bound, err, sizeof err);
        if (n == 64) {
            ck_assert_msg(rc == 0, "64 args: %s", err);
        } else {
            ck_assert_int_eq(rc, -1);
            ck_assert_msg(strstr(err, keys[64]) != NULL && strstr(err, "64") != NULL,
                          "err = %s", err);
        }
        T->server_stop(x);
    }
}
END_TEST

/* grpc.primary_user_agent starts the user-agent header a client sends:
 * with arg.* or client_arg.* the server is sent "incbench-test ...";
 * with server_arg.* (the server only, which sends no user agent) or
 * without the key, it is not. */
START_TEST(a_string_arg_primary_user_agent_is_seen_by_the_server)
{
    static const char *const keys[] = { "arg.grpc.primary_user_agent",
                                        "client_arg.grpc.primary_user_agent",
                                        "server_arg.grpc.primary_user_agent", NULL };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *k = keys[i];
        struct relay *r = gt_relayed(k, "incbench-test", k, "incbench-test");
        const bool sent = gt_sent_header(r, RELAY_TO_SERVER, "user-agent", "incbench-test",
                                         false);
        const bool want = k != NULL && strncmp(k, "server_arg.", 11) != 0;
        ck_assert_msg(gt_sent_header(r, RELAY_TO_SERVER, "user-agent", NULL, false),
                      "no user-agent header at all: the check would prove nothing");
        ck_assert_msg(sent == want, "%s = incbench-test: user-agent starting with it sent: %s",
                      k ? k : "(no key)", sent ? "yes" : "no");
        relay_free(r);
    }
}
END_TEST

/* grpc.max_receive_message_length = 1 (every message of ours is longer)
 * makes the side it is set on refuse what it receives, RESOURCE_EXHAUSTED:
 * the server with arg.* or server_arg.* on it, the client with arg.* or
 * client_arg.*; on the other side each prefix changes nothing. */
START_TEST(an_int_arg_max_receive_message_length_applies_to_its_side_only)
{
    static const struct {
        const char *key;
        bool server, client; /* does the side apply it */
    } cases[] = {
        { "arg.grpc.max_receive_message_length", true, true },
        { "server_arg.grpc.max_receive_message_length", true, false },
        { "client_arg.grpc.max_receive_message_length", false, true },
    };
    char err[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *k = cases[i].key;
        /* on the server alone */
        int rc = gt_one_call(k, "1", NULL, NULL, err);
        ck_assert_msg((rc == -1) == cases[i].server, "%s = 1 on the server: call %s: %s", k,
                      rc == 0 ? "went through" : "failed", err);
        if (rc == -1)
            ck_assert_msg(strstr(err, "RESOURCE_EXHAUSTED") != NULL, "err = %s", err);
        /* on the client alone */
        rc = gt_one_call(NULL, NULL, k, "1", err);
        ck_assert_msg((rc == -1) == cases[i].client, "%s = 1 on the client: call %s: %s", k,
                      rc == 0 ? "went through" : "failed", err);
        if (rc == -1)
            ck_assert_msg(strstr(err, "RESOURCE_EXHAUSTED") != NULL, "err = %s", err);
    }
}
END_TEST

const TTest *const *gt_chargs_tests(size_t *n)
{
    /* Check's TTest pointers are not constants: filled at run time. */
    static const TTest *tests[5];
    tests[0] = an_unknown_channel_arg_reaches_grpc_and_calls_work;
    tests[1] = a_value_of_the_wrong_type_is_an_error_naming_the_key;
    tests[2] = more_than_64_channel_args_are_refused;
    tests[3] = a_string_arg_primary_user_agent_is_seen_by_the_server;
    tests[4] = an_int_arg_max_receive_message_length_applies_to_its_side_only;
    *n = sizeof tests / sizeof tests[0];
    return tests;
}
