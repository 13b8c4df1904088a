/*
 * test_grpc_stream.c — the grpc_stream plugin in one process, client against
 * its own server: ping-pong, pipelined chains matched by tag against a
 * server that answers out of order, statuses that end a stream, options,
 * many streams at once, one client leaving without hurting the others, and
 * both gRPC plugins in one process; gt_main adds the tests both gRPC plugins
 * share (grpc_test.h). Python grpcio interop is in interop.sh.
 */
#include "../grpc_unary/grpc_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Of the last chains(): the tag of its first answer, and how many answers
 * came before the answer to an older request still due. */
static uint64_t first_tag;
static int out_of_order;

/* The oldest request still due: its submission number. */
static uint64_t oldest_due(const uint64_t *seq, const char *busy, unsigned w)
{
    uint64_t min = UINT64_MAX;
    for (unsigned k = 0; k < w; k++)
        if (busy[k] && seq[k] < min)
            min = seq[k];
    return min;
}

/* W chains, n answers in all; every answer matched by tag and checked. */
static void chains(void *c, unsigned w, int n, int64_t from)
{
    char err[256] = "";
    int64_t *last = calloc(w, sizeof *last);
    uint64_t *seq = calloc(w, sizeof *seq); /* submission number of each chain's request */
    char *busy = calloc(w, 1);
    int sent = 0, done = 0;
    out_of_order = 0;
    for (unsigned k = 0; k < w && sent < n; k++, sent++) {
        last[k] = from + (int64_t)k * 1000;
        busy[k] = 1;
        seq[k] = (uint64_t)sent;
        ck_assert_msg(T->submit(c, k, last[k], err, sizeof err) == 0, "submit: %s", err);
    }
    while (done < n) {
        uint64_t tag = 99999;
        int64_t r = 0;
        ck_assert_msg(T->complete(c, &tag, &r, err, sizeof err) == 0, "complete %d: %s", done, err);
        ck_assert_uint_lt(tag, w);
        if (done == 0)
            first_tag = tag;
        ck_assert_msg(busy[tag], "duplicate answer for tag %u", (unsigned)tag);
        ck_assert_int_eq(r, last[tag] + 1);
        out_of_order += seq[tag] != oldest_due(seq, busy, w);
        busy[tag] = 0;
        done++;
        if (sent < n) {
            last[tag] = r;
            busy[tag] = 1;
            seq[tag] = (uint64_t)sent;
            sent++;
            ck_assert_msg(T->submit(c, tag, r, err, sizeof err) == 0, "submit: %s", err);
        }
    }
    free(last);
    free(seq);
    free(busy);
}

START_TEST(ping_pong_answers_value_plus_one)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    ck_assert_msg(strcmp(bound, "127.0.0.1:0") != 0, "bound = %s", bound);
    void *c = gt_client(bound, 5000, 1, NULL, NULL);
    gt_chain(c, 0, 300);
    gt_chain(c, INT64_MIN, 3);
    gt_chain(c, INT64_MAX - 2, 2);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(pipelined_answers_are_matched_by_tag_not_by_order)
{
    char bound[64];
    void *s = gt_server("reorder", "4", bound); /* answers each group of 4 backwards */
    void *c = gt_client(bound, 5000, 16, NULL, NULL);
    chains(c, 16, 2000, -50000);
    ck_assert_msg(out_of_order > 0, "no answer came out of order: the test proves nothing");
    T->shutdown(c);
    void *all = gt_client(bound, 5000, 512, NULL, NULL);
    chains(all, 512, 512, 7); /* window = all: each chain one call long */
    ck_assert_uint_eq(first_tag, 3); /* the server really answered 3, 2, 1, 0 first */
    T->shutdown(all);
    T->server_stop(s);
}
END_TEST

/* A compressed client sends each request at submit (the eager path), not
 * gathered at complete: answers out of order must still come back under
 * the id they were asked with, and carry that chain's value + 1. */
START_TEST(out_of_order_answers_to_a_compressed_stream_are_matched_by_id)
{
    char bound[64];
    void *s = gt_server("reorder", "4", bound); /* answers each group of 4 backwards */
    void *c = gt_client(bound, 5000, 4, "compression", "gzip");
    chains(c, 4, 100, 0);
    ck_assert_msg(out_of_order > 0, "no answer came out of order: the test proves nothing");
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* After a pipelined phase the last send may still be in flight (a
 * compressed stream sends at submit): increment waits for it, then works
 * on the same stream. */
START_TEST(increment_follows_pipelined_calls_on_a_compressed_stream)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = gt_client(bound, 5000, 4, "compression", "gzip");
    chains(c, 4, 100, 0);
    gt_chain(c, 10, 10);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* W chains whose requests carry `n` payload bytes (verify = true on the
 * client, the same payload as the server's limit): every answer matched by
 * tag and its payload checked, with requests and answers of several calls
 * in flight at once. */
static void payload_chains(const char *n, unsigned w, int calls)
{
    char bound[64];
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 10000, "payload", n, NULL);
    void *s = harness_server(T, &hp, bound);
    harness_params(&hp, bound, 10000, "payload", n, "verify", "true", NULL);
    hp.p.max_inflight = w;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    chains(c, w, calls, 0);
    gt_chain(c, 5, 3); /* ping-pong after the pipelined phase */
    T->shutdown(c);
    T->server_stop(s);
}

START_TEST(pipelined_chains_with_payloads_come_back_whole)
{
    payload_chains("65536", 16, 400);
    payload_chains("1048576", 4, 24);
}
END_TEST

START_TEST(int64_max_ends_the_stream_with_out_of_range_and_the_client_recovers)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = gt_client(bound, 5000, 1, NULL, NULL);
    gt_chain(c, 0, 3);
    char err[256] = "";
    int64_t r = 42;
    ck_assert_int_eq(T->increment(c, INT64_MAX, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "OUT_OF_RANGE") != NULL, "err = %s", err);
    ck_assert_int_eq(r, 42);
    gt_chain(c, 1, 5); /* that stream is over; the client goes on with a fresh one */
    T->shutdown(c);
    void *c2 = gt_client(bound, 5000, 1, NULL, NULL); /* only that stream ended */
    gt_chain(c2, 5, 5);
    T->shutdown(c2);
    T->server_stop(s);
}
END_TEST

START_TEST(the_window_is_enforced)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = gt_client(bound, 5000, 2, NULL, NULL);
    char err[256] = "";
    uint64_t tag;
    int64_t r;
    ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "no call submitted") != NULL, "err = %s", err);
    ck_assert_int_eq(T->submit(c, 0, 1, err, sizeof err), 0);
    ck_assert_int_eq(T->submit(c, 1, 2, err, sizeof err), 0);
    ck_assert_int_eq(T->submit(c, 2, 3, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "max_inflight") != NULL, "err = %s", err);
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "pending") != NULL, "err = %s", err);
    T->shutdown(c); /* with calls in flight: cancels its own stream */
    T->server_stop(s);
}
END_TEST

/* reorder is a server key (pipelined_answers_are_matched_by_tag_not_by_order
 * shows its effect) that a client, given the same section, accepts. */
START_TEST(clients_accept_the_reorder_key)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = gt_client(bound, 5000, 1, "reorder", "4");
    gt_chain(c, 0, 10);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(bad_keys_are_rejected_by_name)
{
    static const char *const bad[][3] = {
        { "window", "4", "window" }, { "reorder", "0", "reorder" },
        { "reorder", "65", "reorder" }, { "compression", "zstd", "zstd" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct harness_params hp;
        harness_params(&hp, "127.0.0.1:0", 1000, bad[i][0], bad[i][1], NULL);
        char err[256] = "", bound[64];
        void *x = NULL;
        ck_assert_int_eq(T->server_start(&x, &hp.p, bound, sizeof bound, err, sizeof err), -1);
        ck_assert_msg(strstr(err, bad[i][2]) != NULL, "err = %s", err);
        T->server_stop(x);
    }
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:1", 1000, "windw", "1", NULL);
    char err[256] = "";
    void *x = NULL;
    ck_assert_int_eq(T->init(&x, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "windw") != NULL, "err = %s", err);
    T->shutdown(x);
}
END_TEST

START_TEST(nothing_listening_is_unavailable)
{
    gt_nothing_listening_is_unavailable(4);
}
END_TEST

START_TEST(many_streams_and_one_leaving_hurts_no_other)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c[4];
    for (int i = 0; i < 4; i++)
        c[i] = gt_client(bound, 5000, 8, NULL, NULL);
    for (int round = 0; round < 5; round++)
        for (int i = 0; i < 4; i++)
            gt_chain(c[i], i * 100000 + round * 10, 10);
    char err[256];
    ck_assert_int_eq(T->submit(c[0], 0, 5, err, sizeof err), 0);
    T->shutdown(c[0]); /* leaves with an answer due: its stream is cancelled */
    for (int i = 1; i < 4; i++)
        chains(c[i], 8, 64, i);
    for (int i = 1; i < 4; i++)
        T->shutdown(c[i]);
    T->server_stop(s);
}
END_TEST

START_TEST(stopping_the_server_ends_the_stream_with_a_status)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = gt_client(bound, 3000, 1, NULL, NULL);
    gt_chain(c, 0, 5);
    T->server_stop(s); /* must return although the stream is open */
    char err[256] = "";
    int64_t r;
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL || strstr(err, "CANCELLED") != NULL,
                  "err = %s", err);
    T->shutdown(c);
}
END_TEST

START_TEST(both_grpc_plugins_share_one_process)
{
    const struct incbench_transport *U = harness_load("grpc_unary");
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 5000, NULL);
    char ub[64], sb[64];
    void *us = harness_server(U, &hp, ub);
    void *ss = gt_server(NULL, NULL, sb);
    void *sc = gt_client(sb, 5000, 1, NULL, NULL);
    char err[256] = "";
    harness_params(&hp, ub, 5000, NULL);
    void *uc = NULL;
    ck_assert_msg(U->init(&uc, &hp.p, err, sizeof err) == 0, "%s", err);
    int64_t r = 0;
    ck_assert_int_eq(U->increment(uc, 1, &r, err, sizeof err), 0);
    ck_assert_int_eq(r, 2);
    U->shutdown(uc);
    U->server_stop(us);
    gt_chain(sc, 0, 10); /* unary's teardown left gRPC up for the stream */
    T->shutdown(sc);
    T->server_stop(ss);
}
END_TEST

int main(void)
{
    const TTest *const tests[] = {
        ping_pong_answers_value_plus_one,
        pipelined_answers_are_matched_by_tag_not_by_order,
        pipelined_chains_with_payloads_come_back_whole,
        out_of_order_answers_to_a_compressed_stream_are_matched_by_id,
        increment_follows_pipelined_calls_on_a_compressed_stream,
        int64_max_ends_the_stream_with_out_of_range_and_the_client_recovers,
        the_window_is_enforced,
        clients_accept_the_reorder_key,
        bad_keys_are_rejected_by_name,
        nothing_listening_is_unavailable,
        many_streams_and_one_leaving_hurts_no_other,
        stopping_the_server_ends_the_stream_with_a_status,
        both_grpc_plugins_share_one_process,
    };
    return gt_main("grpc_stream", tests, sizeof tests / sizeof tests[0]);
}
