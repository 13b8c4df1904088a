/*
 * test_client.c — the tcp transport through its own client and an
 * in-process server: the good path, several clients, the INT64_MAX refusal,
 * options (idle_timeout_ms's values), pipelining (also far past what the
 * socket buffers hold), and every way the peer can fail the client (nothing
 * listening, never answering or reading, stopped under it, and a scripted
 * peer that splits, oversizes, garbles or mislabels its reply). Each test
 * asserts the answer or the error sentence, never a speed.
 */
#include "harness.h"
#include "raw.h"
#include "increment.pb-c.h"

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const struct incbench_transport *T;

static void *start_server(char bound[64])
{
    struct harness_params hp;
    harness_params(&hp, raw_listen_address(), 2000, NULL);
    return harness_server(T, &hp, bound);
}

static void *connect_client(const char *bound, unsigned inflight)
{
    struct harness_params hp;
    harness_params(&hp, bound, 2000, NULL);
    hp.p.max_inflight = inflight;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

/* n dependent increments from v; returns the last answer. */
static int64_t chain(void *c, int64_t v, int n)
{
    return raw_chain(T, c, v, n);
}

static void setup(void)
{
    T = harness_load(raw_transport());
}

START_TEST(vtable_is_complete)
{
    harness_full_vtable(T, raw_transport());
}
END_TEST

START_TEST(thousand_dependent_increments)
{
    char bound[64];
    void *s = start_server(bound);
    ck_assert_msg(strncmp(bound, raw_bound_prefix(), strlen(raw_bound_prefix())) == 0, "bound %s", bound);
    void *c = connect_client(bound, 1);
    ck_assert_int_eq(chain(c, -500, 1000), 500);
    /* The extremes that are allowed. */
    ck_assert_int_eq(chain(c, INT64_MIN, 1), INT64_MIN + 1);
    ck_assert_int_eq(chain(c, INT64_MAX - 1, 1), INT64_MAX);
    struct incbench_stats st = { 0 };
    T->stats(c, &st);
    ck_assert_uint_eq(st.connections, 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

struct chain_job {
    void *client;
    int64_t start, end;
};

static void *chain_thread(void *arg)
{
    struct chain_job *j = arg;
    j->end = chain(j->client, j->start, 300);
    return NULL;
}

START_TEST(two_clients_at_once)
{
    char bound[64];
    void *s = start_server(bound);
    void *a = connect_client(bound, 1), *b = connect_client(bound, 1);
    /* Interleaved on one server: each connection keeps its own chain. */
    int64_t va = 0, vb = 1000000;
    for (int i = 0; i < 50; i++) {
        va = chain(a, va, 1);
        vb = chain(b, vb, 1);
    }
    ck_assert_int_eq(va, 50);
    ck_assert_int_eq(vb, 1000050);
    /* And truly concurrent, from two threads. */
    struct chain_job ja = { a, 7, 0 }, jb = { b, -7000, 0 };
    pthread_t ta, tb;
    ck_assert_int_eq(pthread_create(&ta, NULL, chain_thread, &ja), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, chain_thread, &jb), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    ck_assert_int_eq(ja.end, 307);
    ck_assert_int_eq(jb.end, -6700);
    T->shutdown(a);
    T->shutdown(b);
    T->server_stop(s);
}
END_TEST

START_TEST(many_clients_connected)
{
    enum { N = 40 };
    char bound[64];
    void *s = start_server(bound);
    void *c[N];
    for (int i = 0; i < N; i++)
        c[i] = connect_client(bound, 1);
    for (int i = N - 1; i >= 0; i--)
        ck_assert_int_eq(chain(c[i], i * 100, 3), i * 100 + 3);
    for (int i = 0; i < N; i++)
        T->shutdown(c[i]);
    T->server_stop(s);
}
END_TEST

START_TEST(int64_max_is_refused_not_wrapped)
{
    char bound[64];
    void *s = start_server(bound);
    void *c = connect_client(bound, 1);
    char err[256] = "";
    int64_t r = 12345;
    ck_assert_int_eq(T->increment(c, INT64_MAX, &r, err, sizeof err), -1);
    ck_assert_int_eq(r, 12345);
    ck_assert_msg(strstr(err, "server refused: value INT64_MAX would overflow") != NULL,
                  "err: %s", err);
    /* The refusal is a whole frame: the same connection is still in step. */
    ck_assert_int_eq(chain(c, 5, 10), 15);
    T->shutdown(c);
    /* And the server serves whoever comes next. */
    void *d = connect_client(bound, 1);
    ck_assert_int_eq(chain(d, 41, 1), 42);
    T->shutdown(d);
    /* On the wire: bit 31 set, the refused value echoed with the id. */
    int fd = harness_connect(bound);
    uint8_t f[32];
    raw_send(fd, f, raw_request(f, INT64_MAX, 99));
    bool refused;
    int64_t v;
    uint64_t id;
    raw_read_reply(fd, &refused, &v, &id);
    ck_assert(refused);
    ck_assert_int_eq(v, INT64_MAX);
    ck_assert_uint_eq(id, 99);
    close(fd);
    T->server_stop(s);
}
END_TEST

START_TEST(unknown_option_is_rejected_by_name)
{
    struct harness_params hp;
    char err[256] = "";
    harness_params(&hp, "127.0.0.1:1", 2000, "nagle", "off", NULL);
    void *c = NULL;
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'nagle'") != NULL, "err: %s", err);
    T->shutdown(c);

    err[0] = '\0';
    char bound[64] = "";
    void *s = NULL;
    harness_params(&hp, raw_listen_address(), 2000, "backlog", "9", NULL);
    ck_assert_int_eq(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err), -1);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err, "'backlog'") != NULL, "err: %s", err);
}
END_TEST

START_TEST(idle_timeout_ms_bad_values_are_rejected_by_name)
{
    static const char *const bad[] = { "", "-1", "abc", "300ms", "1.5", "3600001",
                                       "99999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "'idle_timeout_ms' = '%s'", bad[i]);
        struct harness_params hp;
        char err[256] = "";
        harness_params(&hp, "127.0.0.1:1", 2000, "idle_timeout_ms", bad[i], NULL);
        void *c = NULL;
        ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
        ck_assert_msg(strstr(err, want) != NULL, "client, '%s': %s", bad[i], err);
        T->shutdown(c);

        err[0] = '\0';
        char bound[64] = "";
        void *s = NULL;
        harness_params(&hp, raw_listen_address(), 2000, "idle_timeout_ms", bad[i], NULL);
        ck_assert_int_eq(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err), -1);
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(err, want) != NULL, "server, '%s': %s", bad[i], err);
    }
}
END_TEST

START_TEST(idle_timeout_ms_good_values_are_taken_by_both_sides)
{
    static const char *const good[] = { "0", "1", "60000", "3600000" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct harness_params hp;
        harness_params(&hp, raw_listen_address(), 2000, "idle_timeout_ms", good[i], NULL);
        char bound[64];
        void *s = harness_server(T, &hp, bound);
        harness_params(&hp, bound, 2000, "idle_timeout_ms", good[i], NULL);
        void *c = NULL;
        char err[256] = "";
        ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "'%s': %s", good[i], err);
        ck_assert_int_eq(chain(c, 5, 3), 8);
        T->shutdown(c);
        T->server_stop(s);
    }
}
END_TEST

START_TEST(nothing_listening_fails_naming_the_address)
{
    char addr[64];
    int hold = raw_dead_port(addr);
    struct harness_params hp;
    harness_params(&hp, addr, 1000, NULL);
    void *c = NULL;
    char err[256] = "";
    long long t0 = harness_now_ms();
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    /* A bound, not a speed: the call must not outlive its timeout by far. */
    ck_assert_int_lt(harness_now_ms() - t0, 1000 + 2000);
    ck_assert_msg(strstr(err, addr) != NULL, "err does not name %s: %s", addr, err);
    T->shutdown(c);
    close(hold);
}
END_TEST

START_TEST(bad_address_is_an_error)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1", 1000, NULL);
    void *c = NULL;
    char err[256] = "";
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "127.0.0.1") != NULL, "err: %s", err);
    T->shutdown(c);
}
END_TEST

START_TEST(taken_port_fails_naming_the_address)
{
    char bound[64];
    void *s = start_server(bound);
    struct harness_params hp;
    harness_params(&hp, bound, 2000, NULL);
    void *s2 = NULL;
    char bound2[64], err[256] = "";
    ck_assert_int_eq(T->server_start(&s2, &hp.p, bound2, sizeof bound2, err, sizeof err), -1);
    ck_assert_ptr_null(s2);
    ck_assert_msg(strstr(err, bound) != NULL, "err does not name %s: %s", bound, err);
    /* The first server is untouched. */
    raw_assert_served(bound);
    T->server_stop(s);
}
END_TEST

START_TEST(silent_peer_times_out)
{
    char addr[64];
    int lfd = raw_silent_listener(addr);
    struct harness_params hp;
    harness_params(&hp, addr, 300, NULL);
    void *c = NULL;
    char err[256] = "";
    /* The kernel completes the handshake from the backlog: init succeeds. */
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    int64_t r;
    long long t0 = harness_now_ms();
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    long long took = harness_now_ms() - t0;
    ck_assert_int_ge(took, 299);
    ck_assert_int_lt(took, 300 + 2000);
    ck_assert_msg(strstr(err, "no answer") && strstr(err, addr) && strstr(err, "300 ms"),
                  "err: %s", err);
    /* A late answer would belong to the timed-out call: refuse to go on. */
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "unusable") != NULL, "err: %s", err);
    T->shutdown(c);
    close(lfd);
}
END_TEST

/* A scripted peer for the client's bad paths: accepts one connection on a
 * raw listener, reads one request, and answers the way `mode` says. */
enum fake_mode { FAKE_SPLIT, FAKE_OVERSIZE, FAKE_WRONG_ID, FAKE_UNDECODABLE, FAKE_CLOSE };
struct fake_peer {
    int lfd;
    enum fake_mode mode;
    pthread_t thread;
};

static void *fake_peer_run(void *arg)
{
    struct fake_peer *f = arg;
    int fd = raw_accept(f->lfd);
    if (fd < 0)
        return NULL;
    uint8_t req[64];
    ssize_t n = recv(fd, req, sizeof req, 0);
    if (n >= 4) {
        /* Request and reply share their encoding: value = field 1, id = 2. */
        uint8_t out[64];
        size_t len = 0;
        uint64_t id = 0;
        int64_t value = 0;
        Incbench__IncrementRequest *m =
            incbench__increment_request__unpack(NULL, (size_t)n - 4, req + 4);
        if (m != NULL) {
            value = m->value;
            id = m->id;
            incbench__increment_request__free_unpacked(m, NULL);
        }
        static const uint8_t oversize[] = { 0, 0, 4, 0 };
        static const uint8_t undecodable[] = { 0, 0, 0, 2, 0x08, 0xff };
        switch (f->mode) {
        case FAKE_SPLIT:
            len = raw_request(out, value + 1, id);
            raw_send(fd, out, 3);
            usleep(20000);
            raw_send(fd, out + 3, len - 3);
            break;
        case FAKE_OVERSIZE:
            raw_send(fd, oversize, sizeof oversize);
            break;
        case FAKE_WRONG_ID:
            len = raw_request(out, value + 1, id + 1);
            raw_send(fd, out, len);
            break;
        case FAKE_UNDECODABLE:
            raw_send(fd, undecodable, sizeof undecodable);
            break;
        case FAKE_CLOSE:
            break;
        }
    }
    if (f->mode != FAKE_CLOSE) {
        char sink[64];
        while (recv(fd, sink, sizeof sink, 0) > 0)   /* until the client leaves */
            ;
    }
    close(fd);
    return NULL;
}

/* One increment(10) against a scripted peer; returns its rc, err and result. */
static int against_fake(enum fake_mode mode, int64_t *r, char *err, size_t errlen,
                        char addr[64])
{
    struct fake_peer f = { .mode = mode };
    f.lfd = raw_silent_listener(addr);
    ck_assert_int_eq(pthread_create(&f.thread, NULL, fake_peer_run, &f), 0);
    struct harness_params hp;
    harness_params(&hp, addr, 2000, NULL);
    void *c = NULL;
    ck_assert_msg(T->init(&c, &hp.p, err, errlen) == 0, "init: %s", err);
    int rc = T->increment(c, 10, r, err, errlen);
    if (rc != 0) {
        /* Whatever broke the stream, the client must not go on. */
        char again[256] = "";
        int64_t r2;
        ck_assert_int_eq(T->increment(c, 10, &r2, again, sizeof again), -1);
        ck_assert_msg(strstr(again, "unusable") != NULL, "second call: %s", again);
    }
    T->shutdown(c);
    pthread_join(f.thread, NULL);
    close(f.lfd);
    return rc;
}

START_TEST(reply_split_in_transit_is_reassembled)
{
    char err[256] = "", addr[64];
    int64_t r = 0;
    ck_assert_msg(against_fake(FAKE_SPLIT, &r, err, sizeof err, addr) == 0, "err: %s", err);
    ck_assert_int_eq(r, 11);
}
END_TEST

START_TEST(bad_replies_fail_the_call_and_the_client)
{
    static const struct { enum fake_mode mode; const char *says; } cases[] = {
        { FAKE_OVERSIZE, "over the 64-byte limit" },
        { FAKE_WRONG_ID, "answered id" },
        { FAKE_UNDECODABLE, "does not decode" },
        { FAKE_CLOSE, "closed the connection" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "", addr[64];
        int64_t r = 0;
        ck_assert_int_eq(against_fake(cases[i].mode, &r, err, sizeof err, addr), -1);
        ck_assert_msg(strstr(err, cases[i].says) && strstr(err, addr),
                      "case %zu: err: %s", i, err);
    }
}
END_TEST

START_TEST(server_stop_with_clients_connected_returns)
{
    char bound[64];
    void *s = start_server(bound);
    void *c = connect_client(bound, 1);
    ck_assert_int_eq(chain(c, 1, 5), 6);
    /* One more connection halfway through a frame. */
    int fd = harness_connect(bound);
    uint8_t f[32];
    raw_send(fd, f, raw_request(f, 1, 1) - 2);
    T->server_stop(s);      /* Check's timeout catches a hang */
    raw_assert_closed(fd);
    close(fd);
    char err[256] = "";
    int64_t r;
    ck_assert_int_eq(T->increment(c, 6, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, bound) != NULL, "err: %s", err);
    T->shutdown(c);
}
END_TEST

/* Far more calls in flight than the socket buffers hold: each request and
 * answer is the widest frame there is (26 bytes, 10 MB each way), so the
 * submits must read answers while they wait to send, or every side waits
 * on the other until the timeout. The first request is refused: that
 * refusal waits in the client's ring of early answers and must still come
 * back from complete under its own tag. */
START_TEST(window_far_beyond_the_socket_buffers_completes)
{
    enum { N = 400000 };
    const uint64_t high = UINT64_C(1) << 63;   /* ten-byte varint ids */
    char bound[64];
    void *s = start_server(bound);
    struct harness_params hp;
    harness_params(&hp, bound, 500, NULL);
    hp.p.max_inflight = N;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    ck_assert_msg(T->submit(c, high, INT64_MAX, err, sizeof err) == 0, "submit 0: %s", err);
    for (uint64_t i = 1; i < N; i++)
        ck_assert_msg(T->submit(c, high | i, INT64_MIN + 3 * (int64_t)i, err, sizeof err) == 0,
                      "submit %llu of %d: %s", (unsigned long long)i, N, err);
    bool *seen = calloc(N, sizeof *seen);
    ck_assert_ptr_nonnull(seen);
    for (int k = 0; k < N; k++) {
        uint64_t tag = 0;
        int64_t r = 0;
        int rc = T->complete(c, &tag, &r, err, sizeof err);
        ck_assert_msg((tag & high) && (tag & ~high) < N, "answer %d: tag %llx", k,
                      (unsigned long long)tag);
        uint64_t i = tag & ~high;
        ck_assert_msg(!seen[i], "tag %llu answered twice", (unsigned long long)i);
        seen[i] = true;
        if (i == 0) {
            ck_assert_int_eq(rc, -1);
            ck_assert_msg(strstr(err, "INT64_MAX would overflow") != NULL, "err: %s", err);
            continue;
        }
        ck_assert_msg(rc == 0, "answer %d: %s", k, err);
        ck_assert_int_eq(r, INT64_MIN + 3 * (int64_t)i + 1);
    }
    free(seen);
    /* Every call is accounted for, and the stream is still in step. */
    uint64_t tag;
    int64_t r;
    ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "nothing in flight"));
    ck_assert_int_eq(chain(c, 0, 3), 3);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* The runner's largest window is the largest the client accepts. */
START_TEST(window_over_the_runner_limit_is_refused_at_init)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:1", 2000, NULL);
    hp.p.max_inflight = INCBENCH_MAX_INFLIGHT + 1;
    void *c = NULL;
    char err[256] = "";
    ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "1048577") && strstr(err, "1048576"), "%s", err);
    T->shutdown(c);
}
END_TEST

/* A peer that never reads nor answers: the submit that finds the buffers
 * full waits for its deadline, says so, and the client goes unusable. */
START_TEST(peer_that_never_reads_times_out_a_submit)
{
    char addr[64];
    int lfd = raw_silent_listener(addr);
    struct harness_params hp;
    harness_params(&hp, addr, 300, NULL);
    hp.p.max_inflight = INCBENCH_MAX_INFLIGHT;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    int rc = 0;
    long long t0 = 0;
    for (uint64_t i = 0; i < INCBENCH_MAX_INFLIGHT && rc == 0; i++) {
        t0 = harness_now_ms();
        rc = T->submit(c, UINT64_MAX - i, INT64_MIN, err, sizeof err);
    }
    ck_assert_int_eq(rc, -1);
    long long took = harness_now_ms() - t0;
    ck_assert_int_ge(took, 299);
    ck_assert_int_lt(took, 300 + 2000);
    ck_assert_msg(strstr(err, addr) && strstr(err, "300 ms"), "err: %s", err);
    ck_assert_int_eq(T->submit(c, 1, 1, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "unusable") != NULL, "err: %s", err);
    T->shutdown(c);
    close(lfd);
}
END_TEST

/* A bad answer found while a submit waits to send fails that submit,
 * naming the peer, exactly as complete would. */
START_TEST(bad_answer_read_during_a_submit_fails_it)
{
    char addr[64];
    int lfd = raw_silent_listener(addr);
    struct harness_params hp;
    harness_params(&hp, addr, 2000, NULL);
    hp.p.max_inflight = INCBENCH_MAX_INFLIGHT;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    int fd = accept(lfd, NULL, NULL);
    ck_assert_int_ge(fd, 0);
    static const uint8_t oversize[] = { 0, 0, 4, 0 };
    raw_send(fd, oversize, sizeof oversize);
    int rc = 0;
    for (uint64_t i = 0; i < INCBENCH_MAX_INFLIGHT && rc == 0; i++)
        rc = T->submit(c, UINT64_MAX - i, INT64_MIN, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "over the 64-byte limit") && strstr(err, addr), "err: %s", err);
    uint64_t tag;
    int64_t r;
    ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "unusable") != NULL, "err: %s", err);
    T->shutdown(c);
    close(fd);
    close(lfd);
}
END_TEST

START_TEST(pipelined_tags_come_back_matched)
{
    enum { W = 8 };
    char bound[64];
    void *s = start_server(bound);
    void *c = connect_client(bound, W);
    char err[256] = "";
    for (int round = 0; round < 3; round++) {
        for (uint64_t i = 0; i < W; i++)
            ck_assert_msg(T->submit(c, 100 + i, (int64_t)i * 1000 - round, err, sizeof err) == 0,
                          "submit: %s", err);
        /* One more than max_inflight is the runner's bug, reported. */
        ck_assert_int_eq(T->submit(c, 999, 0, err, sizeof err), -1);
        ck_assert_ptr_nonnull(strstr(err, "in flight"));
        int64_t r;
        ck_assert_int_eq(T->increment(c, 0, &r, err, sizeof err), -1);
        ck_assert_ptr_nonnull(strstr(err, "in flight"));
        bool seen[W] = { false };
        for (int i = 0; i < W; i++) {
            uint64_t tag = 0;
            ck_assert_msg(T->complete(c, &tag, &r, err, sizeof err) == 0, "complete: %s", err);
            ck_assert_uint_ge(tag, 100);
            ck_assert_uint_lt(tag, 100 + W);
            ck_assert(!seen[tag - 100]);
            seen[tag - 100] = true;
            ck_assert_int_eq(r, (int64_t)(tag - 100) * 1000 - round + 1);
        }
        uint64_t tag;
        ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), -1);
    }
    /* A refusal in the pipeline names its tag, and the stream goes on. */
    ck_assert_int_eq(T->submit(c, 5, INT64_MAX, err, sizeof err), 0);
    ck_assert_int_eq(T->submit(c, 6, 10, err, sizeof err), 0);
    uint64_t tag = 0;
    int64_t r;
    ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), -1);
    ck_assert_uint_eq(tag, 5);
    ck_assert_ptr_nonnull(strstr(err, "INT64_MAX would overflow"));
    ck_assert_int_eq(T->complete(c, &tag, &r, err, sizeof err), 0);
    ck_assert_uint_eq(tag, 6);
    ck_assert_int_eq(r, 11);
    ck_assert_int_eq(chain(c, 0, 3), 3);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcp client");
    TCase *tc = tcase_create("client");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);   /* the 400,000-call window takes ~10 s under ASan */
    tcase_add_test(tc, vtable_is_complete);
    tcase_add_test(tc, thousand_dependent_increments);
    tcase_add_test(tc, two_clients_at_once);
    tcase_add_test(tc, many_clients_connected);
    tcase_add_test(tc, int64_max_is_refused_not_wrapped);
    tcase_add_test(tc, unknown_option_is_rejected_by_name);
    tcase_add_test(tc, idle_timeout_ms_bad_values_are_rejected_by_name);
    tcase_add_test(tc, idle_timeout_ms_good_values_are_taken_by_both_sides);
    tcase_add_test(tc, nothing_listening_fails_naming_the_address);
    tcase_add_test(tc, bad_address_is_an_error);
    tcase_add_test(tc, taken_port_fails_naming_the_address);
    tcase_add_test(tc, silent_peer_times_out);
    tcase_add_test(tc, reply_split_in_transit_is_reassembled);
    tcase_add_test(tc, bad_replies_fail_the_call_and_the_client);
    tcase_add_test(tc, server_stop_with_clients_connected_returns);
    tcase_add_test(tc, pipelined_tags_come_back_matched);
    tcase_add_test(tc, window_far_beyond_the_socket_buffers_completes);
    tcase_add_test(tc, window_over_the_runner_limit_is_refused_at_init);
    tcase_add_test(tc, peer_that_never_reads_times_out_a_submit);
    tcase_add_test(tc, bad_answer_read_during_a_submit_fails_it);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
