/*
 * test_payload.c — the rest plugin's `payload`, `verify` and `method`:
 * GET and POST at 0, 1, 4k and 1m bytes, kept alive and closed; what the
 * server sends (the first N of its bytes, or the echo); a fake server that
 * flips a byte or sends the wrong length, caught by the client; the limits
 * (413 naming the key, the client's answer room) and bad POST bodies,
 * each followed by a client that must still be served.
 */
#include "body.h"
#include "payload.h"
#include "rest_test.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ERRLEN 512

static void *payload_server(char bound[64], const char *payload)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, "payload", payload, NULL);
    return harness_server(T, &hp, bound);
}

/* init against address, asserted to succeed. */
static void *payload_client(const char *address, const char *method, const char *connection,
                            const char *payload, const char *verify)
{
    struct harness_params hp;
    harness_params(&hp, address, 3000, "method", method, "connection", connection,
                   "payload", payload, "verify", verify, NULL);
    void *c = NULL;
    char err[ERRLEN] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

/* One call of 41 that must fail: its error. */
static void call_fails(void *c, char err[ERRLEN])
{
    int64_t r = 12345;
    err[0] = '\0';
    ck_assert_int_eq(T->increment(c, 41, &r, err, ERRLEN), -1);
    ck_assert_int_eq(r, 12345);
}

static void assert_says(const char *err, const char *what)
{
    ck_assert_msg(strstr(err, what) != NULL, "'%s' does not say '%s'", err, what);
}

/* ---- the good path: each method, size and connection mode ---- */

static const char *const sizes[] = { "0", "1", "4096", "1048576" };

START_TEST(each_method_size_and_connection_mode_round_trips)
{
    const char *method = _i & 1 ? "post" : "get";
    const char *connection = _i & 2 ? "close" : "keepalive";
    const char *size = sizes[_i >> 2];
    char bound[64];
    void *s = payload_server(bound, size);
    void *c = payload_client(bound, method, connection, size, "true");
    int64_t v = -2;
    char err[ERRLEN] = "";
    for (int i = 0; i < 4; i++)
        ck_assert_msg(T->increment(c, v, &v, err, sizeof err) == 0, "%s %s payload %s, "
                      "call %d: %s", method, connection, size, i, err);
    ck_assert_int_eq(v, 2);
    ck_assert_uint_eq(rt_connections(c), _i & 2 ? 4 : 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* What the server itself sends: a GET's answer holds the first N bytes of
 * the server's own payload_fill (the client's, for the same N); without a
 * query, no payload at all, as before payloads. */
START_TEST(get_answer_holds_the_first_n_bytes_of_the_servers_own)
{
    char bound[64];
    void *s = payload_server(bound, "16");
    uint8_t fill[16];
    payload_fill(fill, sizeof fill);
    char want[128];
    snprintf(want, sizeof want, "{\"value\": 42, \"payload\": \"%.5s\"}", (const char *)fill);
    struct raw_answer a;
    static const char five[] = "GET /increment/41?payload=5 HTTP/1.1\r\nHost: t\r\n\r\n";
    rt_raw_call(bound, five, sizeof five - 1, &a);
    ck_assert_int_eq(a.status, 200);
    ck_assert_str_eq(a.body, want);
    static const char zero[] = "GET /increment/41?payload=0 HTTP/1.1\r\nHost: t\r\n\r\n";
    rt_raw_call(bound, zero, sizeof zero - 1, &a);
    ck_assert_str_eq(a.body, "{\"value\": 42, \"payload\": \"\"}");
    static const char none[] = "GET /increment/41 HTTP/1.1\r\nHost: t\r\n\r\n";
    rt_raw_call(bound, none, sizeof none - 1, &a);
    ck_assert_str_eq(a.body, "{\"value\": 42}");
    T->server_stop(s);
}
END_TEST

static int raw_post(const char *bound, const char *body, struct raw_answer *a)
{
    char req[1024];
    int n = snprintf(req, sizeof req, "POST /increment HTTP/1.1\r\nHost: t\r\n"
                     "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    ck_assert_int_lt(n, (int)sizeof req);
    rt_raw_call(bound, req, (size_t)n, a);
    return a->status;
}

START_TEST(post_answer_echoes_the_payload_it_received)
{
    char bound[64];
    void *s = payload_server(bound, "64");
    struct raw_answer a;
    ck_assert_int_eq(raw_post(bound, "{\"value\": 41, \"payload\": \"hello-World_1\"}", &a), 200);
    ck_assert_str_eq(a.body, "{\"value\": 42, \"payload\": \"hello-World_1\"}");
    ck_assert_int_eq(raw_post(bound, " {\"payload\":\"\",\n\"value\":-1} ", &a), 200);
    ck_assert_str_eq(a.body, "{\"value\": 0, \"payload\": \"\"}");
    ck_assert_int_eq(raw_post(bound, "{\"value\": 41}", &a), 200);
    ck_assert_str_eq(a.body, "{\"value\": 42}");
    T->server_stop(s);
}
END_TEST

static const struct { const char *body; const char *says; } bad_posts[] = {
    { "", "not a JSON object" },
    { "value=41", "not a JSON object" },
    { "{\"payload\": \"ab\"}", "no 'value'" },
    { "{\"value\": 9223372036854775807}", "would overflow" },
    { "{\"value\": 1.5}", "not an integer" },
    { "{\"value\": 1, \"payload\": \"a\\\\u0041\"}", "want base64url" },
    { "{\"value\": 1, \"payload\": [1]}", "not a string" },
};

START_TEST(bad_post_body_gets_400_saying_why)
{
    char bound[64];
    void *s = payload_server(bound, "64");
    struct raw_answer a;
    ck_assert_msg(raw_post(bound, bad_posts[_i].body, &a) == 400, "%s -> %s",
                  bad_posts[_i].body, a.text);
    ck_assert_msg(strstr(a.body, bad_posts[_i].says) != NULL, "%s -> %s", bad_posts[_i].body,
                  a.body);
    /* whatever the reason quotes, the answer is still JSON */
    struct rest_body b;
    ck_assert_msg(rest_body_parse(a.body, strlen(a.body), &b) == 0, "%s: %s", a.body, b.why);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

START_TEST(bad_payload_queries_get_400)
{
    char bound[64];
    void *s = payload_server(bound, "64");
    static const char *const reqs[] = {
        "GET /increment/41?payload=abc HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /increment/41?size=4 HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /increment?payload=4 HTTP/1.1\r\nHost: t\r\nContent-Length: 12\r\n\r\n"
        "{\"value\": 1}",
    };
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        struct raw_answer a;
        rt_raw_call(bound, reqs[i], strlen(reqs[i]), &a);
        ck_assert_msg(a.status == 400, "%s -> %s", reqs[i], a.text);
        ck_assert_msg(strncmp(a.body, "{\"error\": \"", 11) == 0, "%s -> %s", reqs[i], a.body);
    }
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* ---- limits ---- */

/* A server's payload is the most it answers a GET with: more is a 413 the
 * client turns into one sentence naming both sizes and the key. */
START_TEST(get_over_the_servers_limit_is_413_naming_the_key)
{
    char bound[64];
    void *s = payload_server(bound, "1024");
    void *c = payload_client(bound, "get", "keepalive", "4096", "false");
    char err[ERRLEN];
    call_fails(c, err);
    assert_says(err, "HTTP 413");
    assert_says(err, "payload = 4096 bytes");
    assert_says(err, "limit of 1024");
    assert_says(err, "payload key");
    ck_assert_ptr_null(strchr(err, '\n'));
    struct raw_answer a;
    static const char one_over[] = "GET /increment/1?payload=1025 HTTP/1.1\r\nHost: t\r\n\r\n";
    rt_raw_call(bound, one_over, sizeof one_over - 1, &a);
    ck_assert_int_eq(a.status, 413);
    static const char at[] = "GET /increment/1?payload=1024 HTTP/1.1\r\nHost: t\r\n\r\n";
    rt_raw_call(bound, at, sizeof at - 1, &a);
    ck_assert_int_eq(a.status, 200);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* A POST whose payload is over the server's payload but whose body is
 * within what evhttp takes: the server's own 413. Without a payload
 * setting, a server takes no payload at all. */
START_TEST(post_over_the_servers_limit_is_413_naming_the_key)
{
    static const struct { const char *server, *client, *limit; } cases[] = {
        { "1024", "2048", "limit of 1024" },
        { NULL, "1", "limit of 0" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char bound[64];
        void *s = cases[i].server != NULL ? payload_server(bound, cases[i].server)
                                          : rt_server(bound, "2000");
        void *c = payload_client(bound, "post", "keepalive", cases[i].client, "false");
        char err[ERRLEN];
        call_fails(c, err);
        assert_says(err, "HTTP 413");
        assert_says(err, cases[i].limit);
        assert_says(err, "payload key");
        T->shutdown(c);
        rt_well_behaved_client_is_served(bound);
        T->server_stop(s);
    }
}
END_TEST

/* A body far over the server's limit is refused by evhttp itself, which
 * reads it to the end first (lingering close): the client gets the 413,
 * not a reset and not a wait, in both connection modes. 16 MiB, more than
 * loopback buffers hold: without lingering the client would still be
 * sending when the server closes on its unread bytes, and see a reset. */
START_TEST(post_far_over_the_body_limit_is_413_not_a_reset)
{
    const char *connection = _i ? "close" : "keepalive";
    char bound[64];
    void *s = rt_server(bound, "2000");
    void *c = payload_client(bound, "post", connection, "16777216", "false");
    char err[ERRLEN];
    call_fails(c, err);
    assert_says(err, "HTTP 413");
    assert_says(err, "payload = 16777216 bytes");
    assert_says(err, "payload key");
    T->shutdown(c);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* ---- a fake server: what the client makes of wrong answers ---- */

struct fake {
    int lfd;
    char bound[64];
    size_t payload;       /* bytes of payload_fill in the answer */
    long flip_at;         /* this byte changed (-1: none) */
    size_t piece;         /* write the answer this many bytes at a time (0: at once) */
    size_t content_length; /* announced instead of the real length (0: the real one) */
    pthread_t thread;
};

/* Read one request (header, then its Content-Length body) from fd. */
static int fake_read_request(int fd)
{
    static char buf[2 << 20];
    size_t have = 0;
    for (;;) {
        ssize_t r = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
        const char *end = strstr(buf, "\r\n\r\n");
        if (end == NULL)
            continue;
        const char *cl = strstr(buf, "Content-Length: ");
        size_t body = cl != NULL && cl < end ? strtoul(cl + 16, NULL, 10) : 0;
        if (have >= (size_t)(end + 4 - buf) + body)
            return 0;
    }
}

static void fake_send(int fd, const char *p, size_t n, size_t piece)
{
    while (n > 0) {
        size_t k = piece > 0 && piece < n ? piece : n;
        ssize_t w = send(fd, p, k, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
        if (piece > 0)
            harness_nap_ms(1);
    }
}

/* Serve one connection: every request gets {"value": 42, "payload": ...}. */
static void *fake_serve(void *arg)
{
    struct fake *f = arg;
    struct pollfd p = { .fd = f->lfd, .events = POLLIN };
    if (poll(&p, 1, 5000) != 1)
        return NULL;
    int fd = accept(f->lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    struct timeval tv = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t body_len = 28 + f->payload;
    char *answer = malloc(256 + body_len);
    if (answer != NULL) {
        int head = snprintf(answer, 256, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n"
                            "{\"value\": 42, \"payload\": \"",
                            f->content_length > 0 ? f->content_length : body_len);
        payload_fill((uint8_t *)answer + head, f->payload);
        if (f->flip_at >= 0)
            answer[head + f->flip_at] ^= 1;   /* base64url to base64url: still plain */
        memcpy(answer + head + f->payload, "\"}", 2);
        while (fake_read_request(fd) == 0)
            fake_send(fd, answer, (size_t)head + f->payload + 2, f->piece);
        free(answer);
    }
    close(fd);
    return NULL;
}

static void fake_start(struct fake *f, size_t payload, long flip_at, size_t piece)
{
    memset(f, 0, sizeof *f);
    f->payload = payload;
    f->flip_at = flip_at;
    f->piece = piece;
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(f->lfd, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof sin;
    ck_assert_int_eq(bind(f->lfd, (struct sockaddr *)&sin, sizeof sin), 0);
    ck_assert_int_eq(listen(f->lfd, 4), 0);
    ck_assert_int_eq(getsockname(f->lfd, (struct sockaddr *)&sin, &sl), 0);
    snprintf(f->bound, sizeof f->bound, "127.0.0.1:%u", (unsigned)ntohs(sin.sin_port));
}

static void fake_run(struct fake *f)
{
    ck_assert_int_eq(pthread_create(&f->thread, NULL, fake_serve, f), 0);
}

/* After the client is shut down (its close ends fake_serve's loop). */
static void fake_stop(struct fake *f)
{
    pthread_join(f->thread, NULL);
    close(f->lfd);
}

/* One byte flipped at 1000 of 4096: verify names the offset; without
 * verify the length is all that is checked, and it is right. */
START_TEST(flipped_byte_is_caught_by_verify_with_its_offset)
{
    const char *method = _i ? "post" : "get";
    static const char *const verify[] = { "true", "false" };
    for (int v = 0; v < 2; v++) {
        struct fake f;
        fake_start(&f, 4096, 1000, 0);
        fake_run(&f);
        void *c = payload_client(f.bound, method, "keepalive", "4096", verify[v]);
        int64_t r = 0;
        char err[ERRLEN] = "";
        int rc = T->increment(c, 41, &r, err, sizeof err);
        if (v == 0) {
            ck_assert_int_eq(rc, -1);
            assert_says(err, "at byte 1000 of 4096");
        } else {
            ck_assert_msg(rc == 0, "%s without verify: %s", method, err);
            ck_assert_int_eq(r, 42);
        }
        T->shutdown(c);
        fake_stop(&f);
    }
}
END_TEST

START_TEST(wrong_length_names_both_lengths)
{
    const char *method = _i ? "post" : "get";
    struct fake f;
    fake_start(&f, 4095, -1, 0);
    fake_run(&f);
    void *c = payload_client(f.bound, method, "keepalive", "4096", "false");
    char err[ERRLEN];
    call_fails(c, err);
    assert_says(err, "4095 bytes");
    assert_says(err, "4096");
    T->shutdown(c);
    fake_stop(&f);
}
END_TEST

/* A 1 MiB answer in 64 KiB pieces with pauses between them (the header
 * split from its body too): read whole, its bytes all checked. */
START_TEST(answer_in_pieces_is_read_whole)
{
    struct fake f;
    fake_start(&f, 1 << 20, -1, 65536 - 7);
    fake_run(&f);
    void *c = payload_client(f.bound, "get", "keepalive", "1048576", "true");
    int64_t r = 0;
    char err[ERRLEN] = "";
    ck_assert_msg(T->increment(c, 41, &r, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(r, 42);
    T->shutdown(c);
    fake_stop(&f);
}
END_TEST

/* An answer larger than the room the client made for its payload is
 * refused as soon as its header says so. */
START_TEST(answer_over_the_clients_room_is_refused_naming_it)
{
    struct fake f;
    fake_start(&f, 16, -1, 0);
    f.content_length = 1 << 20;   /* announced; never sent */
    fake_run(&f);
    void *c = payload_client(f.bound, "get", "keepalive", "16", "false");
    char err[ERRLEN];
    call_fails(c, err);
    assert_says(err, "over the 8208 bytes this client makes room for (payload = 16)");
    T->shutdown(c);
    fake_stop(&f);
}
END_TEST

/* ---- keys ---- */

START_TEST(bad_keys_are_refused_by_name)
{
    static const struct { const char *key, *value, *says; } bad[] = {
        { "method", "put", "'put'" },
        { "payload", "4k", "payload" },
        { "payload", "-1", "payload" },
        { "verify", "maybe", "verify" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct harness_params hp;
        harness_params(&hp, "127.0.0.1:1", 500, bad[i].key, bad[i].value, NULL);
        void *h = NULL;
        char err[ERRLEN] = "";
        ck_assert_int_eq(T->init(&h, &hp.p, err, sizeof err), -1);
        assert_says(err, bad[i].says);
        T->shutdown(h);
        char bound[64];
        h = NULL;
        err[0] = '\0';
        harness_params(&hp, "127.0.0.1:0", 500, bad[i].key, bad[i].value, NULL);
        ck_assert_int_eq(T->server_start(&h, &hp.p, bound, sizeof bound, err, sizeof err), -1);
        assert_says(err, bad[i].says);
        T->server_stop(h);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rest_payload");
    TCase *good = tcase_create("good");
    tcase_set_timeout(good, 30);
    tcase_add_loop_test(good, each_method_size_and_connection_mode_round_trips, 0, 16);
    tcase_add_test(good, get_answer_holds_the_first_n_bytes_of_the_servers_own);
    tcase_add_test(good, post_answer_echoes_the_payload_it_received);
    tcase_add_checked_fixture(good, rt_load, NULL);
    suite_add_tcase(s, good);

    TCase *bad = tcase_create("bad_requests");
    tcase_add_loop_test(bad, bad_post_body_gets_400_saying_why, 0,
                        (int)(sizeof bad_posts / sizeof bad_posts[0]));
    tcase_add_test(bad, bad_payload_queries_get_400);
    tcase_add_test(bad, bad_keys_are_refused_by_name);
    tcase_add_checked_fixture(bad, rt_load, NULL);
    suite_add_tcase(s, bad);

    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, get_over_the_servers_limit_is_413_naming_the_key);
    tcase_add_test(limits, post_over_the_servers_limit_is_413_naming_the_key);
    tcase_add_loop_test(limits, post_far_over_the_body_limit_is_413_not_a_reset, 0, 2);
    tcase_add_checked_fixture(limits, rt_load, NULL);
    suite_add_tcase(s, limits);

    TCase *fake = tcase_create("wrong_answers");
    tcase_add_loop_test(fake, flipped_byte_is_caught_by_verify_with_its_offset, 0, 2);
    tcase_add_loop_test(fake, wrong_length_names_both_lengths, 0, 2);
    tcase_add_test(fake, answer_in_pieces_is_read_whole);
    tcase_add_test(fake, answer_over_the_clients_room_is_refused_naming_it);
    tcase_add_checked_fixture(fake, rt_load, NULL);
    suite_add_tcase(s, fake);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
