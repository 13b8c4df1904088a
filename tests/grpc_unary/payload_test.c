/*
 * payload_test.c — the payload and verify keys of both gRPC plugins, client
 * against the plugin's own server: payloads of 0, 1, 4k and 1m come back
 * whole, a request over the server's payload is refused, and a payload
 * over gRPC's default 4 MiB receive limit fails at init naming the arg
 * that raises it (which then lets it through), and a payload byte changed
 * on its way back (by a relay) is caught by verify. A server that echoes
 * the wrong bytes or one byte short is Python's, in interop.sh. gt_main
 * runs these for each plugin (grpc_test.h).
 */
#include "payload_test.h"

#include "grpc_test.h"

#include "../../plugins/common/payload.h"

#include <stdio.h>
#include <string.h>

/* A server with payload = n, a client with payload = n and verify = true
 * (plus k = v unless k is NULL), `calls` checked calls; every answer's
 * payload is checked by the client, so a chain that passes came back
 * whole. */
static void echo(size_t n, int calls, const char *k, const char *v)
{
    char num[32], bound[64];
    snprintf(num, sizeof num, "%zu", n);
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 10000, "payload", num, k, v, NULL);
    void *s = harness_server(T, &hp, bound);
    harness_params(&hp, bound, 10000, "payload", num, "verify", "true", k, v, NULL);
    hp.p.max_inflight = 1;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init, payload %zu: %s", n, err);
    gt_chain(c, (int64_t)n, calls);
    T->shutdown(c);
    T->server_stop(s);
}

START_TEST(payloads_of_0_1_4k_and_1m_come_back_whole)
{
    echo(0, 20, NULL, NULL);
    echo(1, 20, NULL, NULL);
    echo(4096, 20, NULL, NULL);
    echo(1 << 20, 5, NULL, NULL);
}
END_TEST

/* Compressed both ways, a payload still comes back whole (it is inflated
 * on the server into the buffer sized for its limit). */
START_TEST(a_compressed_payload_comes_back_whole)
{
    echo(4096, 10, "compression", "gzip");
    echo(1 << 20, 3, "compression", "deflate");
}
END_TEST

/* One call with payload `cn` to a server with payload `sn`: 0, or -1 with
 * the sentence in err[256]. */
static int call_with(size_t sn, size_t cn, char err[256])
{
    char snum[32], cnum[32];
    snprintf(snum, sizeof snum, "%zu", sn);
    snprintf(cnum, sizeof cnum, "%zu", cn);
    return gt_one_call("payload", snum, "payload", cnum, err);
}

/* A server's payload is its limit: a request carrying more than that
 * (beyond the small room every message has) is refused with
 * RESOURCE_EXHAUSTED by gRPC's receive limit, before the message is
 * buffered, naming that limit (payload + 64 bytes); one within it is
 * answered, and so is a request without payload. A server without the key
 * takes only small messages. */
START_TEST(a_request_over_the_servers_payload_is_refused)
{
    char err[256];
    ck_assert_msg(call_with(1000, 1000, err) == 0, "payload 1000 to 1000: %s", err);
    ck_assert_msg(call_with(1000, 0, err) == 0, "payload 0 to 1000: %s", err);
    ck_assert_int_eq(call_with(1000, 2000, err), -1);
    ck_assert_msg(strstr(err, "RESOURCE_EXHAUSTED") != NULL && strstr(err, "1064") != NULL,
                  "err = %s", err);
    ck_assert_int_eq(call_with(0, 4096, err), -1);
    ck_assert_msg(strstr(err, "RESOURCE_EXHAUSTED") != NULL && strstr(err, " 64)") != NULL,
                  "err = %s", err);
}
END_TEST

/* payload = 4 MiB makes messages longer than gRPC's default receive limit:
 * init and server_start fail naming the limit and the arg that raises it
 * (a sentence, not a hang at the first call); with that arg set on both
 * sides, a payload of 5 MiB comes back whole. */
START_TEST(a_payload_over_grpcs_4_mib_limit_fails_at_init_naming_the_arg)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 1000, "payload", "4194304", NULL);
    gt_refused(&hp, "arg.grpc.max_receive_message_length", "4194304");
    /* the client's limit alone: a server_arg does not raise it */
    harness_params(&hp, "127.0.0.1:0", 1000, "payload", "4194304",
                   "server_arg.grpc.max_receive_message_length", "8388608", NULL);
    char err[256] = "";
    void *c = NULL;
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "arg.grpc.max_receive_message_length") != NULL, "err = %s", err);
    T->shutdown(c);
    echo(5 << 20, 3, "arg.grpc.max_receive_message_length", "8388608");
}
END_TEST

/* Answers from the plugin's own server (payload = 4096) reach the client
 * with their payload's 8th byte changed (a relay flips it wherever the
 * payload's first 8 bytes come from the server): with verify = true the
 * call fails naming that offset; without, the length, which is right, is
 * all that is checked. */
START_TEST(a_payload_byte_changed_on_the_way_back_is_caught_by_verify)
{
    uint8_t first[8];
    payload_fill(first, sizeof first);
    char bound[64], via[64];
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 5000, "payload", "4096", NULL);
    void *s = harness_server(T, &hp, bound);
    static const char *const verify[] = { "true", "false" };
    for (size_t v = 0; v < 2; v++) {
        struct relay *r = relay_start_flipping(bound, via, first, sizeof first);
        harness_params(&hp, via, 5000, "payload", "4096", "verify", verify[v], NULL);
        hp.p.max_inflight = 1;
        void *c = NULL;
        char err[256] = "";
        ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
        int64_t got = 0;
        const int rc = T->increment(c, 41, &got, err, sizeof err);
        if (v == 0) {
            ck_assert_int_eq(rc, -1);
            ck_assert_msg(strstr(err, "differs from the request's at byte 7 of 4096") != NULL,
                          "err = %s", err);
        } else {
            ck_assert_msg(rc == 0, "without verify: %s", err);
            ck_assert_int_eq(got, 42);
        }
        T->shutdown(c);
        relay_stop(r);
        relay_free(r);
    }
    T->server_stop(s);
}
END_TEST

const TTest *const *gt_payload_tests(size_t *n)
{
    /* Check's TTest pointers are not constants: filled at run time. */
    static const TTest *tests[5];
    tests[0] = payloads_of_0_1_4k_and_1m_come_back_whole;
    tests[1] = a_compressed_payload_comes_back_whole;
    tests[2] = a_request_over_the_servers_payload_is_refused;
    tests[3] = a_payload_over_grpcs_4_mib_limit_fails_at_init_naming_the_arg;
    tests[4] = a_payload_byte_changed_on_the_way_back_is_caught_by_verify;
    *n = sizeof tests / sizeof tests[0];
    return tests;
}
