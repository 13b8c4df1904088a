/*
 * test_frames.c — the tcp server against raw sockets: frames over the
 * length limit, undecodable bodies, text, frames dribbled one byte at a
 * time, peers that vanish halfway, and a peer that floods requests without
 * reading. Each time the server must close THAT connection (or answer it
 * right), while a connection opened before and one opened after are served.
 * A frame over the limit is told so first: a refusal naming the server's
 * payload setting (0 here, the server is started without one).
 */
#include "harness.h"
#include "raw.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const struct incbench_transport *T;
static void *server;
static char bound[64];
static int bystander;   /* a well-behaved connection opened before the abuse */

static void setup(void)
{
    T = harness_load(raw_transport());
    struct harness_params hp;
    harness_params(&hp, raw_listen_address(), 2000, NULL);
    server = harness_server(T, &hp, bound);
    bystander = harness_connect(bound);
}

/* Both the connection opened before and a new one are answered right. */
static void teardown(void)
{
    raw_assert_increment(bystander, -2, 3);
    close(bystander);
    raw_assert_served(bound);
    T->server_stop(server);
}

static void send_closes(const void *bytes, size_t n)
{
    int fd = harness_connect(bound);
    raw_send(fd, bytes, n);
    raw_assert_closed(fd);
    close(fd);
}

/* A header over the limit: the server's refusal saying payload = 0, then
 * the close. */
static void send_too_big(const void *bytes, size_t n)
{
    int fd = harness_connect(bound);
    raw_send(fd, bytes, n);
    raw_assert_too_big(fd, 0);
    close(fd);
}

START_TEST(length_over_the_limit_is_refused_then_closed)
{
    static const uint8_t just_over[] = { 0, 0, 0, 65 };
    send_too_big(just_over, sizeof just_over);
    static const uint8_t four_gb[] = { 0xff, 0xff, 0xff, 0xff };
    send_too_big(four_gb, sizeof four_gb);
    /* Bits 31 and 30 are for replies only: a request carrying one is over
     * the limit. */
    static const uint8_t refused_bit[] = { 0x80, 0, 0, 2, 0x08, 0x01 };
    send_too_big(refused_bit, sizeof refused_bit);
    static const uint8_t too_big_bit[] = { 0x40, 0, 0, 2, 0x08, 0x01 };
    send_too_big(too_big_bit, sizeof too_big_bit);
}
END_TEST

START_TEST(length_at_the_limit_is_served)
{
    /* 64 bytes: value 41 (2), id 7 (2), and an unknown bytes field 4 of 58
     * bytes (2 + 58), which protobuf keeps and ignores. */
    uint8_t f[4 + 64] = { 0, 0, 0, 64, 0x08, 41, 0x10, 7, 0x22, 58 };
    memset(f + 10, 'x', 58);
    int fd = harness_connect(bound);
    raw_send(fd, f, sizeof f);
    raw_assert_reply(fd, 42, 7);
    close(fd);
}
END_TEST

START_TEST(length_at_the_limit_in_the_most_fields_is_served)
{
    /* 64 bytes: value 41, id 7, then 30 two-byte unknown fields (field 4,
     * varint 0), the most decoding work a body within the limit can ask
     * of protobuf-c. */
    uint8_t f[4 + 64] = { 0, 0, 0, 64, 0x08, 41, 0x10, 7 };
    for (size_t i = 8; i < sizeof f; i += 2) {
        f[i] = 0x20;
        f[i + 1] = 0;
    }
    int fd = harness_connect(bound);
    raw_send(fd, f, sizeof f);
    raw_assert_reply(fd, 42, 7);
    close(fd);
}
END_TEST

START_TEST(undecodable_body_closes)
{
    static const uint8_t cut_varint[] = { 0, 0, 0, 2, 0x08, 0xff };
    send_closes(cut_varint, sizeof cut_varint);
    static const uint8_t wire_type_7[] = { 0, 0, 0, 2, 0x0f, 0x01 };
    send_closes(wire_type_7, sizeof wire_type_7);
    static const uint8_t bytes_past_end[] = { 0, 0, 0, 3, 0x22, 0x10, 0x00 };
    send_closes(bytes_past_end, sizeof bytes_past_end);
}
END_TEST

START_TEST(text_closes)
{
    static const char http[] = "GET /increment/41 HTTP/1.1\r\nHost: x\r\n\r\n";
    send_too_big(http, sizeof http - 1);   /* "GET " is a length of 1.2 GB */
}
END_TEST

START_TEST(good_then_bad_frame_answers_then_closes)
{
    /* Frames are served up to the bad one, then the connection goes. */
    uint8_t f[64];
    size_t n = raw_request(f, 9, 1);
    static const uint8_t bad[] = { 0, 0, 1, 0 };
    memcpy(f + n, bad, sizeof bad);
    int fd = harness_connect(bound);
    raw_send(fd, f, n + sizeof bad);
    raw_assert_reply(fd, 10, 1);
    raw_assert_too_big(fd, 0);
    close(fd);
}
END_TEST

START_TEST(one_byte_at_a_time_is_served)
{
    int fd = harness_connect(bound);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (int round = 0; round < 2; round++) {
        uint8_t f[32];
        size_t n = raw_request(f, -123456789 + round, 1u << 20);
        for (size_t i = 0; i < n; i++) {
            raw_send(fd, f + i, 1);
            harness_nap_ms(2);   /* lets each byte arrive as its own segment */
        }
        raw_assert_reply(fd, -123456788 + round, 1u << 20);
    }
    close(fd);
}
END_TEST

START_TEST(peer_closing_halfway_is_dropped)
{
    uint8_t f[32];
    size_t n = raw_request(f, 5, 5);
    /* Inside the header, and inside the body. */
    const size_t cuts[] = { 1, 2, 4, n - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        int fd = harness_connect(bound);
        raw_send(fd, f, cuts[i]);
        close(fd);
    }
    /* And one that connects and leaves at once. */
    close(harness_connect(bound));
    raw_assert_served(bound);
}
END_TEST

START_TEST(flood_without_reading_is_answered_in_order)
{
    /* Far more requests than the socket buffers on both sides hold. */
    enum { N = 60000 };
    int fd = harness_connect(bound);
    int cap = 65536;   /* fixed client buffers: no autotuning */
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cap, sizeof cap);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &cap, sizeof cap);
    uint8_t *out = malloc((size_t)N * 16);
    ck_assert_ptr_nonnull(out);
    size_t total = 0;
    for (int i = 0; i < N; i++)
        total += raw_request(out + total, (int64_t)i * 3 - 1000, (uint64_t)i + 1);

    /* Phase 1, never reading: the server's answers back up, and it must
     * stop reading from us (bounded memory) rather than buffer without end,
     * so our sends must stall before everything is out. */
    size_t sent = 0;
    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        if (sent == total || poll(&p, 1, 200) == 0)
            break;
        ssize_t w = send(fd, out + sent, total - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        ck_assert_msg(w > 0 || errno == EAGAIN, "send: %s", strerror(errno));
        if (w > 0)
            sent += (size_t)w;
    }
    ck_assert_msg(sent < total, "the server read all %zu bytes without anyone reading "
                  "its answers", total);

    /* Phase 2: read and send; every answer in order, none lost. */
    int got = 0;
    uint8_t in[8192];
    size_t have = 0;
    while (got < N) {
        struct pollfd p = { .fd = fd, .events = POLLIN | (sent < total ? POLLOUT : 0) };
        ck_assert_int_gt(poll(&p, 1, 5000), 0);
        if ((p.revents & POLLOUT) && sent < total) {
            ssize_t w = send(fd, out + sent, total - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            ck_assert_msg(w > 0 || errno == EAGAIN, "send: %s", strerror(errno));
            if (w > 0)
                sent += (size_t)w;
        }
        if (!(p.revents & POLLIN))
            continue;
        ssize_t r = recv(fd, in + have, sizeof in - have, MSG_DONTWAIT);
        ck_assert_msg(r > 0, "recv: %s", r == 0 ? "closed" : strerror(errno));
        have += (size_t)r;
        size_t off = 0;
        int64_t v;
        uint64_t id;
        while (raw_next_reply(in, have, &off, &v, &id)) {
            ck_assert_int_eq(v, (int64_t)got * 3 - 1000 + 1);
            ck_assert_uint_eq(id, (uint64_t)got + 1);
            got++;
        }
        memmove(in, in + off, have - off);
        have -= off;
    }
    ck_assert_uint_eq(sent, total);
    ck_assert_uint_eq(have, 0);
    free(out);
    close(fd);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcp server frames");
    TCase *tc = tcase_create("frames");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, length_over_the_limit_is_refused_then_closed);
    tcase_add_test(tc, length_at_the_limit_is_served);
    tcase_add_test(tc, length_at_the_limit_in_the_most_fields_is_served);
    tcase_add_test(tc, undecodable_body_closes);
    tcase_add_test(tc, text_closes);
    tcase_add_test(tc, good_then_bad_frame_answers_then_closes);
    tcase_add_test(tc, one_byte_at_a_time_is_served);
    tcase_add_test(tc, peer_closing_halfway_is_dropped);
    tcase_add_test(tc, flood_without_reading_is_answered_in_order);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
