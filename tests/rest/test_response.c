/*
 * test_response.c — the rest client's HTTP response parser on its own:
 * whole, partial and refused responses, byte by byte, and the size a
 * partial one announces. No sockets here.
 */
#include "response.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *text, struct http_response *r)
{
    memset(r, 0, sizeof *r);
    return http_response_parse(text, strlen(text), r);
}

START_TEST(whole_response_is_read)
{
    const char *t = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    "Content-Length: 13\r\n\r\n{\"value\": 42}";
    struct http_response r;
    ck_assert_int_eq(parse(t, &r), 1);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body_length, 13);
    ck_assert_uint_eq(r.total, strlen(t));
    ck_assert_int_eq(memcmp(t + r.body_offset, "{\"value\": 42}", 13), 0);
    ck_assert(!r.close);
}
END_TEST

START_TEST(every_prefix_asks_for_more)
{
    const char *t = "HTTP/1.1 400 Bad Request\r\ncontent-length:  2 \r\n\r\n{}";
    struct http_response r;
    for (size_t n = 0; n < strlen(t); n++) {
        memset(&r, 0, sizeof r);
        ck_assert_msg(http_response_parse(t, n, &r) == 0, "prefix of %zu bytes", n);
    }
    ck_assert_int_eq(parse(t, &r), 1);
    ck_assert_int_eq(r.status, 400);
    ck_assert_uint_eq(r.body_length, 2);
}
END_TEST

/* Once the header block is in, a partial answer says how long the whole
 * one is (the client then reads a large body without parsing again);
 * before that, it says 0. */
START_TEST(partial_answer_tells_its_whole_size_once_the_header_is_in)
{
    const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    const size_t head = strlen(t) - 10;
    struct http_response r;
    for (size_t n = 0; n < strlen(t); n++) {
        memset(&r, 0xff, sizeof r);
        ck_assert_int_eq(http_response_parse(t, n, &r), 0);
        ck_assert_msg(r.total == (n < head ? 0 : strlen(t)), "prefix of %zu: total %zu", n,
                      r.total);
    }
}
END_TEST

/* A 64 MiB payload's answer is accepted; more is refused before a byte of
 * the body is read. */
START_TEST(body_bound_is_the_largest_payload_and_its_room)
{
    char t[128];
    struct http_response r;
    snprintf(t, sizeof t, "HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n", RESPONSE_MAX_BODY);
    ck_assert_int_eq(parse(t, &r), 0);
    ck_assert_uint_eq(r.total, strlen(t) + RESPONSE_MAX_BODY);
    ck_assert_uint_ge(RESPONSE_MAX_BODY, (64u << 20) + 4096);
    snprintf(t, sizeof t, "HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n",
             RESPONSE_MAX_BODY + 1);
    ck_assert_int_eq(parse(t, &r), -1);
    ck_assert_msg(strstr(r.why, "larger than any answer") != NULL, "%s", r.why);
}
END_TEST

START_TEST(connection_close_is_seen)
{
    struct http_response r;
    ck_assert_int_eq(parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\n"
                           "Content-Length: 0\r\n\r\n", &r), 1);
    ck_assert(r.close);
    ck_assert_int_eq(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", &r), 1);
    ck_assert(r.close);
    ck_assert_int_eq(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                           "Content-Length: 0\r\n\r\n", &r), 1);
    ck_assert(!r.close);
}
END_TEST

static const char *const refused[] = {
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x",
    "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
    "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\n",
    "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
    "SSH-2.0-OpenSSH\r\n\r\n",
    "HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 200 OK\r\n folded: x\r\nContent-Length: 0\r\n\r\n",
    /* a bare LF ends no line: not a header break, not part of a value */
    "HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
};

START_TEST(strange_responses_are_refused)
{
    struct http_response r;
    ck_assert_msg(parse(refused[_i], &r) == -1, "accepted: %s", refused[_i]);
    ck_assert_ptr_nonnull(r.why);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rest_response");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, whole_response_is_read);
    tcase_add_test(tc, every_prefix_asks_for_more);
    tcase_add_test(tc, connection_close_is_seen);
    tcase_add_test(tc, partial_answer_tells_its_whole_size_once_the_header_is_in);
    tcase_add_test(tc, body_bound_is_the_largest_payload_and_its_room);
    tcase_add_loop_test(tc, strange_responses_are_refused, 0,
                        (int)(sizeof refused / sizeof refused[0]));
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
