/*
 * test_payload.c — the tcp transport's `payload` and `verify` keys (also
 * run over uds by tests/uds/tcp_tests.sh): answers and echoed lengths at
 * 0, 1, 4k and 1m bytes, the server's echo byte for byte on the wire,
 * the client's requests byte for byte what protobuf-c packs, a
 * window of 16 calls of 64 KiB, a scripted server that flips one byte or
 * drops one (caught by verify, and by the length check always), a request
 * over the server's limit refused naming both sizes and the key, and bad
 * values refused by name on both sides.
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
#include <unistd.h>

static const struct incbench_transport *T;

static void setup(void)
{
    T = harness_load(raw_transport());
}

/* A server whose `payload` is the decimal string `payload` (NULL: none). */
static void *start_server(const char *payload, char bound[64])
{
    struct harness_params hp;
    if (payload != NULL)
        harness_params(&hp, raw_listen_address(), 5000, "payload", payload, NULL);
    else
        harness_params(&hp, raw_listen_address(), 5000, NULL);
    return harness_server(T, &hp, bound);
}

/* A client of `payload` bytes (a decimal string) with verify on or off. */
static void *connect_client(const char *bound, const char *payload, bool verify,
                            unsigned inflight)
{
    struct harness_params hp;
    harness_params(&hp, bound, 5000, "payload", payload, "verify", verify ? "true" : "false",
                   NULL);
    hp.p.max_inflight = inflight;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

/* n dependent increments from v through c, each answer checked. */
static void chain(void *c, int64_t v, int n)
{
    raw_chain(T, c, v, n);
}

/* The reply to a raw request (41, id 7) of n bytes of `fill`: 42, the
 * id, and the very bytes. */
static void assert_echo(int fd, size_t n, uint8_t fill)
{
    bool refused;
    int64_t v;
    uint64_t id;
    uint8_t *p;
    size_t got;
    raw_read_reply_payload(fd, &refused, &v, &id, &p, &got);
    ck_assert(!refused);
    ck_assert_int_eq(v, 42);
    ck_assert_uint_eq(id, 7);
    ck_assert_uint_eq(got, n);
    for (size_t i = 0; i < got; i++)
        ck_assert_msg(p[i] == fill, "byte %zu of %zu is %d", i, got, p[i]);
    free(p);
}

/* One request of n payload bytes on a raw connection, sent in 1000-byte
 * pieces, echoed. */
static void raw_echo(const char *bound, size_t n)
{
    uint8_t *f = malloc(n + 40);
    ck_assert_ptr_nonnull(f);
    const size_t len = raw_request_payload(f, 41, 7, n, 'q');
    int fd = harness_connect(bound);
    for (size_t off = 0; off < len; off += 1000)
        raw_send(fd, f + off, len - off < 1000 ? len - off : 1000);
    assert_echo(fd, n, 'q');
    free(f);
    close(fd);
}

START_TEST(payloads_of_0_1_4k_and_1m_are_answered_and_echoed)
{
    static const char *const sizes[] = { "0", "1", "4096", "1048576" };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char bound[64];
        void *s = start_server(sizes[i], bound);
        void *c = connect_client(bound, sizes[i], true, 1);
        chain(c, -3, 5);
        T->shutdown(c);
        raw_echo(bound, strtoul(sizes[i], NULL, 10));
        T->server_stop(s);
    }
}
END_TEST

/* Rounds of w calls in flight with `payload` bytes each way, every
 * answer and tag checked, then a few dependent calls. */
static void windows(const char *payload, unsigned w, int rounds)
{
    enum { W = 64 };
    ck_assert_uint_le(w, W);
    char bound[64];
    void *s = start_server(payload, bound);
    void *c = connect_client(bound, payload, true, w);
    char err[256] = "";
    for (int round = 0; round < rounds; round++) {
        for (uint64_t i = 0; i < w; i++)
            ck_assert_msg(T->submit(c, i, (int64_t)i * 1000 + round, err, sizeof err) == 0,
                          "round %d, submit %llu: %s", round, (unsigned long long)i, err);
        bool seen[W] = { false };
        for (unsigned k = 0; k < w; k++) {
            uint64_t tag = W;
            int64_t r = 0;
            ck_assert_msg(T->complete(c, &tag, &r, err, sizeof err) == 0, "round %d: %s",
                          round, err);
            ck_assert_uint_lt(tag, w);
            ck_assert(!seen[tag]);
            seen[tag] = true;
            ck_assert_int_eq(r, (int64_t)tag * 1000 + round + 1);
        }
    }
    chain(c, 0, 3);
    T->shutdown(c);
    T->server_stop(s);
}

START_TEST(window_16_with_64k_payloads_completes)
{
    windows("65536", 16, 8);
}
END_TEST

/* 64 calls of 1 MiB in flight, 64 MiB each way: far more than the socket
 * buffers of both sides hold (a few MiB even autotuned), so a client that
 * only waited to send while the server waits for its answers to be read
 * would deadlock until the timeout. */
START_TEST(window_64_with_1m_payloads_does_not_deadlock)
{
    windows("1048576", 64, 1);
}
END_TEST

/* A scripted server that answers every request right but for its payload:
 * one byte flipped in the middle, or one byte short. */
enum fake_mode { FAKE_FLIP, FAKE_SHORT };
struct fake_server {
    int lfd;
    enum fake_mode mode;
    pthread_t thread;
};

static bool read_all(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = recv(fd, p, n, 0);
        if (r <= 0)
            return false;
        p += r;
        n -= (size_t)r;
    }
    return true;
}

static void *fake_server_run(void *arg)
{
    struct fake_server *f = arg;
    int fd = raw_accept(f->lfd);
    if (fd < 0)
        return NULL;
    uint8_t h[4];
    while (read_all(fd, h, 4)) {
        const size_t len = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        uint8_t *body = malloc(len + 64);
        if (body == NULL || !read_all(fd, body, len)) {
            free(body);
            break;
        }
        Incbench__IncrementRequest *q = incbench__increment_request__unpack(NULL, len, body);
        if (q == NULL) {
            free(body);
            break;
        }
        Incbench__IncrementReply a = INCBENCH__INCREMENT_REPLY__INIT;
        a.value = q->value + 1;
        a.id = q->id;
        a.payload = q->payload;
        if (f->mode == FAKE_FLIP && a.payload.len > 0)
            a.payload.data[a.payload.len / 2] ^= 1;
        if (f->mode == FAKE_SHORT && a.payload.len > 0)
            a.payload.len--;
        const size_t n = incbench__increment_reply__pack(&a, body + 4);
        body[0] = (uint8_t)(n >> 24);
        body[1] = (uint8_t)(n >> 16);
        body[2] = (uint8_t)(n >> 8);
        body[3] = (uint8_t)n;
        raw_send(fd, body, n + 4);
        incbench__increment_request__free_unpacked(q, NULL);
        free(body);
    }
    close(fd);
    return NULL;
}

/* One increment(10) with payload 4096 against a fake of `mode`; its rc
 * and err. After a failure the client must refuse to go on. */
static int against_fake(enum fake_mode mode, bool verify, char *err, size_t errlen)
{
    char addr[64];
    struct fake_server f = { .mode = mode };
    f.lfd = raw_silent_listener(addr);
    ck_assert_int_eq(pthread_create(&f.thread, NULL, fake_server_run, &f), 0);
    void *c = connect_client(addr, "4096", verify, 1);
    int64_t r = 0;
    const int rc = T->increment(c, 10, &r, err, errlen);
    if (rc == 0) {
        ck_assert_int_eq(r, 11);
    } else {
        char again[256] = "";
        ck_assert_int_eq(T->increment(c, 10, &r, again, sizeof again), -1);
        ck_assert_msg(strstr(again, "unusable") != NULL, "second call: %s", again);
    }
    T->shutdown(c);
    pthread_join(f.thread, NULL);
    close(f.lfd);
    return rc;
}

/* The client packs a payload's field once and only the value and the id
 * per call: what it sends must still be, byte for byte, what protobuf-c
 * packs for the whole message (fields in order), for every size of
 * varint in front of the payload. */
START_TEST(a_request_on_the_wire_is_the_message_protobuf_c_packs)
{
    static const struct {
        int64_t value;
        uint64_t tag;
    } calls[] = { { -5, 1 }, { 0, 0 }, { INT64_MAX - 1, UINT64_MAX }, { 41, 1ull << 40 } };
    enum { N = sizeof calls / sizeof calls[0] };
    char addr[64];
    const int lfd = raw_silent_listener(addr);
    void *c = connect_client(addr, "1000", false, N);
    char err[256] = "";
    for (size_t i = 0; i < N; i++)
        ck_assert_msg(T->submit(c, calls[i].tag, calls[i].value, err, sizeof err) == 0,
                      "submit %zu: %s", i, err);
    const int fd = raw_accept(lfd);
    ck_assert_int_ge(fd, 0);
    for (size_t i = 0; i < N; i++) {
        uint8_t h[4], body[1100], again[1100];
        ck_assert(read_all(fd, h, 4));
        const size_t len = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        ck_assert_uint_le(len, sizeof body);
        ck_assert(read_all(fd, body, len));
        Incbench__IncrementRequest *q = incbench__increment_request__unpack(NULL, len, body);
        ck_assert_ptr_nonnull(q);
        ck_assert_int_eq(q->value, calls[i].value);
        ck_assert_uint_eq(q->id, calls[i].tag);
        ck_assert_uint_eq(q->payload.len, 1000);
        const size_t n = incbench__increment_request__pack(q, again);
        incbench__increment_request__free_unpacked(q, NULL);
        ck_assert_uint_eq(n, len);
        ck_assert_msg(memcmp(again, body, len) == 0, "request %zu is not in field order", i);
    }
    T->shutdown(c);
    close(fd);
    close(lfd);
}
END_TEST

START_TEST(verify_catches_a_server_that_flips_one_byte)
{
    char err[256] = "";
    ck_assert_int_eq(against_fake(FAKE_FLIP, true, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "differs") && strstr(err, "byte 2048 of 4096"), "err: %s", err);
    /* Without verify only the length is compared, and it is right. */
    ck_assert_msg(against_fake(FAKE_FLIP, false, err, sizeof err) == 0, "err: %s", err);
}
END_TEST

START_TEST(a_wrong_payload_length_fails_the_call_naming_both)
{
    for (int verify = 0; verify < 2; verify++) {
        char err[256] = "";
        ck_assert_int_eq(against_fake(FAKE_SHORT, verify, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "4095 bytes") && strstr(err, "4096"), "verify %d: %s",
                      verify, err);
    }
}
END_TEST

/* An external server started with a smaller payload than the client's:
 * the call fails with one sentence naming both sizes and the key, by
 * increment and by the pipelined calls alike. */
START_TEST(a_payload_over_the_servers_limit_fails_naming_both_and_the_key)
{
    static const struct {
        const char *server, *client;
        const char *says_server;
    } cases[] = { { "4096", "65536", "payload = 4096 " }, { NULL, "4096", "payload = 0 " },
                  { "4096", "1048576", "payload = 4096 " } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char bound[64];
        void *s = start_server(cases[i].server, bound);
        char says_client[64];
        snprintf(says_client, sizeof says_client, "payload = %s", cases[i].client);
        void *c = connect_client(bound, cases[i].client, false, 1);
        char err[512] = "";
        int64_t r;
        ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
        ck_assert_msg(strstr(err, cases[i].says_server) && strstr(err, says_client) &&
                          strstr(err, bound) && strstr(err, "for the server"),
                      "case %zu, increment: %s", i, err);
        T->shutdown(c);

        c = connect_client(bound, cases[i].client, false, 16);
        int rc = 0;
        for (uint64_t k = 0; k < 16 && rc == 0; k++)
            rc = T->submit(c, k, 1, err, sizeof err);
        uint64_t tag;
        if (rc == 0)
            rc = T->complete(c, &tag, &r, err, sizeof err);
        ck_assert_int_eq(rc, -1);
        ck_assert_msg(strstr(err, cases[i].says_server) && strstr(err, says_client),
                      "case %zu, pipelined: %s", i, err);
        T->shutdown(c);
        /* The server serves whoever fits. */
        raw_assert_served(bound);
        T->server_stop(s);
    }
}
END_TEST

/* On the wire: a body of exactly the server's limit (payload + 64) is
 * answered, one byte more is refused naming the payload, then closed. */
START_TEST(a_frame_over_the_servers_limit_is_refused)
{
    char bound[64];
    void *s = start_server("1000", bound);
    uint8_t f[1100];
    /* value 41 (2), id 7 (2), payload tag and a 2-byte length (3): 1057
     * bytes of payload make a body of 1064. */
    size_t n = raw_request_payload(f, 41, 7, 1057, 'z');
    ck_assert_uint_eq(n, 4 + 1064);
    int fd = harness_connect(bound);
    raw_send(fd, f, n);
    assert_echo(fd, 1057, 'z');
    n = raw_request_payload(f, 41, 7, 1058, 'z');
    raw_send(fd, f, n);
    raw_assert_too_big(fd, 1000);
    close(fd);
    raw_assert_served(bound);
    T->server_stop(s);
}
END_TEST

START_TEST(bad_payload_and_verify_values_are_refused_by_name)
{
    static const struct {
        const char *key, *value;
    } bad[] = { { "payload", "abc" }, { "payload", "-1" }, { "payload", "1k" },
                { "payload", "67108865" }, { "verify", "maybe" } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "'%s' = '%s'", bad[i].key, bad[i].value);
        struct harness_params hp;
        char err[256] = "";
        harness_params(&hp, "127.0.0.1:1", 2000, bad[i].key, bad[i].value, NULL);
        void *c = NULL;
        ck_assert_int_eq(T->init(&c, &hp.p, err, sizeof err), -1);
        ck_assert_msg(strstr(err, want) != NULL, "client: %s", err);
        T->shutdown(c);

        err[0] = '\0';
        char bound[64] = "";
        void *s = NULL;
        harness_params(&hp, raw_listen_address(), 2000, bad[i].key, bad[i].value, NULL);
        ck_assert_int_eq(T->server_start(&s, &hp.p, bound, sizeof bound, err, sizeof err), -1);
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(err, want) != NULL, "server: %s", err);
    }
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcp payload");
    TCase *tc = tcase_create("payload");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);   /* 1 MiB round trips under valgrind */
    tcase_add_test(tc, payloads_of_0_1_4k_and_1m_are_answered_and_echoed);
    tcase_add_test(tc, window_16_with_64k_payloads_completes);
    tcase_add_test(tc, window_64_with_1m_payloads_does_not_deadlock);
    tcase_add_test(tc, a_request_on_the_wire_is_the_message_protobuf_c_packs);
    tcase_add_test(tc, verify_catches_a_server_that_flips_one_byte);
    tcase_add_test(tc, a_wrong_payload_length_fails_the_call_naming_both);
    tcase_add_test(tc, a_payload_over_the_servers_limit_fails_naming_both_and_the_key);
    tcase_add_test(tc, a_frame_over_the_servers_limit_is_refused);
    tcase_add_test(tc, bad_payload_and_verify_values_are_refused_by_name);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
