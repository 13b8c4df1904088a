/*
 * test_rest.c — the rest plugin, client and server in this process, over
 * loopback on port 0: the good path, connection accounting in both modes,
 * the errors a client must report, and the server against raw sockets
 * (garbage, oversized and unfinished requests, every 400/404/405 case),
 * each followed by a well-behaved client that must still get its answer.
 */
#include "response.h"
#include "rest_test.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int raw_get_status(const char *bound, const char *path, struct raw_answer *a)
{
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: test\r\n\r\n", path);
    rt_raw_call(bound, req, (size_t)n, a);
    return a->status;
}

/* ---- the good path and connection accounting ---- */

START_TEST(thousand_dependent_increments_on_one_connection)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    void *c = rt_client(bound, 2000, "keepalive");
    int64_t v = -500;
    char err[256] = "";
    for (int i = 0; i < 1000; i++) {
        int64_t r = 0;
        ck_assert_msg(T->increment(c, v, &r, err, sizeof err) == 0, "call %d: %s", i, err);
        ck_assert_int_eq(r, v + 1);
        v = r;
    }
    ck_assert_int_eq(v, 500);
    ck_assert_uint_eq(rt_connections(c), 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(close_mode_opens_a_connection_per_call)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    void *c = rt_client(bound, 2000, "close");
    ck_assert_uint_eq(rt_connections(c), 0);
    int64_t v = 7;
    char err[256] = "";
    for (int i = 0; i < 25; i++) {
        ck_assert_msg(T->increment(c, v, &v, err, sizeof err) == 0, "call %d: %s", i, err);
    }
    ck_assert_int_eq(v, 32);
    ck_assert_uint_eq(rt_connections(c), 25);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(keepalive_closed_by_idle_server_reconnects_and_counts_it)
{
    char bound[64];
    void *s = rt_server(bound, "100");
    void *c = rt_client(bound, 2000, "keepalive");
    int64_t r = 0;
    char err[256] = "";
    ck_assert_msg(T->increment(c, 1, &r, err, sizeof err) == 0, "%s", err);
    usleep(400 * 1000); /* the server's 100 ms idle timeout closes us */
    ck_assert_msg(T->increment(c, r, &r, err, sizeof err) == 0, "after idle: %s", err);
    ck_assert_int_eq(r, 3);
    ck_assert_uint_eq(rt_connections(c), 2);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

/* ---- errors the client reports ---- */

START_TEST(int64_max_is_an_http_400_error)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    void *c = rt_client(bound, 2000, "keepalive");
    int64_t r = 12345;
    char err[256] = "";
    ck_assert_int_eq(T->increment(c, INT64_MAX, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "HTTP 400") != NULL, "err: %s", err);
    ck_assert_msg(strstr(err, "overflow") != NULL, "err: %s", err);
    ck_assert_int_eq(r, 12345);
    /* The error answer left the connection usable. */
    ck_assert_msg(T->increment(c, INT64_MAX - 1, &r, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(r, INT64_MAX);
    ck_assert_msg(T->increment(c, INT64_MIN, &r, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(r, INT64_MIN + 1);
    ck_assert_uint_eq(rt_connections(c), 1);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

START_TEST(unknown_option_is_rejected_by_name)
{
    struct harness_params hp;
    char err[256] = "";
    void *h = NULL;
    harness_params(&hp, "127.0.0.1:0", 1000, "conection", "close", NULL);
    ck_assert_int_eq(T->init(&h, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'conection'") != NULL, "err: %s", err);
    T->shutdown(h);
    char bound[64];
    h = NULL;
    err[0] = '\0';
    ck_assert_int_eq(T->server_start(&h, &hp.p, bound, sizeof bound, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'conection'") != NULL, "err: %s", err);
    T->server_stop(h);

    harness_params(&hp, "127.0.0.1:0", 1000, "connection", "pipelined", NULL);
    h = NULL;
    ck_assert_int_eq(T->init(&h, &hp.p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "pipelined") != NULL && strstr(err, "keepalive") != NULL,
                  "err: %s", err);
    T->shutdown(h);
}
END_TEST

/* A bound but not listening socket: its port is ours, and refuses. */
static int bound_not_listening(char address[64])
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    socklen_t sl = sizeof sin;
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
    snprintf(address, 64, "127.0.0.1:%u", (unsigned)ntohs(sin.sin_port));
    return fd;
}

START_TEST(nothing_listening_is_an_error_naming_the_address)
{
    char address[64];
    int fd = bound_not_listening(address);
    const char *modes[] = { "keepalive", "close" };
    for (int m = 0; m < 2; m++) {
        struct harness_params hp;
        harness_params(&hp, address, 500, "connection", modes[m], NULL);
        void *c = NULL;
        char err[256] = "";
        int rc = T->init(&c, &hp.p, err, sizeof err);
        if (rc == 0) {
            int64_t r;
            rc = T->increment(c, 1, &r, err, sizeof err);
        }
        ck_assert_int_eq(rc, -1);
        ck_assert_msg(strstr(err, address) != NULL, "%s: err: %s", modes[m], err);
        T->shutdown(c);
    }
    close(fd);
}
END_TEST

START_TEST(server_that_never_answers_times_the_call_out)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
    ck_assert_int_eq(listen(lfd, 8), 0);
    socklen_t sl = sizeof sin;
    getsockname(lfd, (struct sockaddr *)&sin, &sl);
    char address[64];
    snprintf(address, sizeof address, "127.0.0.1:%u", (unsigned)ntohs(sin.sin_port));

    /* The kernel completes the handshake from the backlog; nobody answers. */
    void *c = rt_client(address, 300, "keepalive");
    int64_t r = 0;
    char err[256] = "";
    long long t0 = harness_now_ms();
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    long long took = harness_now_ms() - t0;
    ck_assert_msg(strstr(err, "300 ms") != NULL && strstr(err, address) != NULL, "err: %s", err);
    ck_assert_msg(took >= 250, "gave up after %lld ms, before its 300 ms deadline", took);
    T->shutdown(c);
    close(lfd);
}
END_TEST

/* A listener whose accept queue is full drops new SYNs: the connect
 * itself must end at the call's deadline, in both modes. */
START_TEST(connect_that_never_completes_times_out)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
    ck_assert_int_eq(listen(lfd, 0), 0);
    socklen_t sl = sizeof sin;
    getsockname(lfd, (struct sockaddr *)&sin, &sl);
    char address[64];
    snprintf(address, sizeof address, "127.0.0.1:%u", (unsigned)ntohs(sin.sin_port));
    /* Fill the queue (never accepted); non-blocking, so none waits here. */
    int fill[3];
    for (int i = 0; i < 3; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int rc = connect(fill[i], (struct sockaddr *)&sin, sizeof sin);
        ck_assert(rc == 0 || errno == EINPROGRESS);
    }
    usleep(20000); /* let the handshakes that can complete, complete */

    const char *modes[] = { "keepalive", "close" };
    for (int m = 0; m < 2; m++) {
        struct harness_params hp;
        harness_params(&hp, address, 300, "connection", modes[m], NULL);
        void *c = NULL;
        char err[256] = "";
        long long t0 = harness_now_ms();
        int rc = T->init(&c, &hp.p, err, sizeof err);
        if (rc == 0) {
            int64_t r;
            rc = T->increment(c, 1, &r, err, sizeof err);
        }
        long long took = harness_now_ms() - t0;
        ck_assert_int_eq(rc, -1);
        ck_assert_msg(strstr(err, "timed out connecting") != NULL && strstr(err, address) != NULL,
                      "%s: err: %s", modes[m], err);
        ck_assert_msg(took >= 250, "%s: gave up after %lld ms, before its 300 ms deadline",
                      modes[m], took);
        T->shutdown(c);
    }
    for (int i = 0; i < 3; i++)
        close(fill[i]);
    close(lfd);
}
END_TEST

START_TEST(taken_listen_address_is_an_error_naming_it)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    struct harness_params hp;
    harness_params(&hp, bound, 1000, NULL);
    void *s2 = NULL;
    char b2[64], err[256] = "";
    ck_assert_int_eq(T->server_start(&s2, &hp.p, b2, sizeof b2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, bound) != NULL, "err: %s", err);
    T->server_stop(s2);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* ---- the server against raw sockets ---- */

START_TEST(garbage_gets_400_and_close)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    static const char junk[] = "\x01\x02\xff garbage \x7f\r\n\r\n";
    struct raw_answer a;
    rt_raw_call(bound, junk, sizeof junk - 1, &a);
    ck_assert_msg(a.status == 400, "answer: %s", a.text);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

START_TEST(request_line_of_64k_is_refused)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    size_t n = 64 * 1024;
    char *req = malloc(n + 64);
    ck_assert_ptr_nonnull(req);
    memcpy(req, "GET /increment/", 15);
    memset(req + 15, '1', n);
    memcpy(req + 15 + n, " HTTP/1.1\r\n\r\n", 14);
    struct raw_answer a;
    rt_raw_call(bound, req, 15 + n + 13, &a);
    free(req);
    /* evhttp answers 400 once the line passes its header limit, then
     * closes with our unread bytes pending; the kernel may then reset
     * the connection before we read the answer. Either way: refused. */
    ck_assert_msg(a.status == 400 || (a.status == 0 && a.reset), "answer: %s", a.text);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

START_TEST(unfinished_request_is_closed_after_server_timeout)
{
    char bound[64];
    void *s = rt_server(bound, "200");
    int fd = harness_connect(bound);
    static const char part[] = "GET /increment/4 HTTP/1.1\r\nHost: te";
    ck_assert_int_eq(send(fd, part, sizeof part - 1, MSG_NOSIGNAL), (ssize_t)(sizeof part - 1));
    char buf[512];
    ssize_t r = recv(fd, buf, sizeof buf, 0); /* 5 s receive timeout from the harness */
    ck_assert_msg(r >= 0, "recv: %s (not closed by the server's 200 ms timeout)", strerror(errno));
    if (r > 0) {  /* evhttp may say why before it closes */
        buf[r] = '\0';
        ck_assert_msg(strncmp(buf, "HTTP/1.1 4", 10) == 0 || strncmp(buf, "HTTP/1.1 5", 10) == 0,
                      "answer: %s", buf);
    }
    close(fd);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

static const char *const bad_values[] = {
    "abc", "41x", "", "9223372036854775807", "99999999999999999999",
    "-9223372036854775809", "+41", "%2041", "-", "4%201", "41/", "0x10",
};

START_TEST(bad_value_gets_400_with_json_error)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    char path[128];
    snprintf(path, sizeof path, "/increment/%s", bad_values[_i]);
    struct raw_answer a;
    ck_assert_msg(raw_get_status(bound, path, &a) == 400, "%s -> %s", path, a.text);
    ck_assert_msg(strstr(a.text, "application/json") != NULL, "%s", a.text);
    ck_assert_msg(strstr(a.text, "{\"error\": \"") != NULL, "%s", a.text);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

START_TEST(other_paths_get_404)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    const char *paths[] = { "/", "/increments", "/increments/1", "/INCREMENT/1", "/x/increment/1" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct raw_answer a;
        ck_assert_msg(raw_get_status(bound, paths[i], &a) == 404, "%s -> %s", paths[i], a.text);
    }
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* /increment/{v} is GET's, /increment (where a POST sends its body) is
 * POST's: any other method gets 405 and the one Allow. */
static const struct { const char *req, *allow; } wrong_methods[] = {
    { "POST /increment/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}", "GET" },
    { "PUT /increment/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", "GET" },
    { "DELETE /increment/1 HTTP/1.1\r\nHost: t\r\n\r\n", "GET" },
    { "PATCH /increment/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", "GET" },
    { "GET /increment HTTP/1.1\r\nHost: t\r\n\r\n", "POST" },
    { "PUT /increment HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}", "POST" },
};

START_TEST(other_methods_get_405_with_their_allow)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    for (size_t i = 0; i < sizeof wrong_methods / sizeof wrong_methods[0]; i++) {
        struct raw_answer a;
        char allow[32];
        snprintf(allow, sizeof allow, "\r\nAllow: %s\r\n", wrong_methods[i].allow);
        rt_raw_call(bound, wrong_methods[i].req, strlen(wrong_methods[i].req), &a);
        ck_assert_msg(a.status == 405, "%s -> %s", wrong_methods[i].req, a.text);
        ck_assert_msg(strstr(a.text, allow) != NULL, "%s", a.text);
    }
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* HEAD gets its 405 without a body: the next answer on the connection
 * starts right after the 405's header block. */
START_TEST(head_gets_405_without_a_body)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    static const char two[] = "HEAD /increment/1 HTTP/1.1\r\nHost: t\r\n\r\n"
        "GET /increment/41 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    int fd = harness_connect(bound);
    ck_assert_int_eq(send(fd, two, sizeof two - 1, MSG_NOSIGNAL), (ssize_t)(sizeof two - 1));
    char text[4096];
    size_t len = 0;
    ssize_t r;
    while ((r = recv(fd, text + len, sizeof text - 1 - len, 0)) > 0)
        len += (size_t)r;
    ck_assert_msg(r == 0, "recv: %s", strerror(errno));
    text[len] = '\0';
    close(fd);
    ck_assert_msg(strncmp(text, "HTTP/1.1 405 ", 13) == 0, "%s", text);
    const char *end = strstr(text, "\r\n\r\n");
    ck_assert_ptr_nonnull(end);
    ck_assert_msg(memmem(text, (size_t)(end - text) + 2, "\r\nAllow: GET\r\n", 14) != NULL, "%s", text);
    ck_assert_msg(strncmp(end + 4, "HTTP/1.1 200 ", 13) == 0, "after the HEAD answer: %s", end + 4);
    ck_assert_msg(strstr(end + 4, "{\"value\": 42}") != NULL, "%s", text);
    T->server_stop(s);
}
END_TEST

START_TEST(good_request_gets_json_value)
{
    char bound[64];
    void *s = rt_server(bound, "2000");
    struct raw_answer a;
    ck_assert_int_eq(raw_get_status(bound, "/increment/41", &a), 200);
    ck_assert_msg(strstr(a.text, "\r\nContent-Type: application/json\r\n") != NULL, "%s", a.text);
    ck_assert_msg(strstr(a.text, "\r\n\r\n{\"value\": 42}") != NULL, "%s", a.text);
    /* One Date header (the server makes its own; evhttp must not add a
     * second), in the RFC 1123 form, of the current time. */
    const char *date = strstr(a.text, "\r\nDate: ");
    ck_assert_msg(date != NULL, "%s", a.text);
    ck_assert_msg(strstr(date + 2, "\r\nDate: ") == NULL, "two Date headers: %s", a.text);
    struct tm tm = { 0 };
    const char *end = strptime(date + 8, "%a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    ck_assert_msg(end != NULL && end - (date + 8) == 31, "Date: %.40s", date + 8);
    time_t sent = timegm(&tm), now = time(NULL);
    ck_assert_msg(sent <= now && now - sent < 60, "Date %.29s is not now", date + 8);
    ck_assert_int_eq(raw_get_status(bound, "/increment/-9223372036854775808", &a), 200);
    ck_assert_msg(strstr(a.text, "{\"value\": -9223372036854775807}") != NULL, "%s", a.text);
    T->server_stop(s);
}
END_TEST

/* ---- pipelined requests: the server writes each reply as soon as it is
 * made (server.c, send_now) and must still answer every request of a
 * burst, in order, whether the socket takes a reply at once or not. ---- */

/* Send `n` requests (GET /increment/0 .. n-1, the last one with
 * "Connection: close" when `close_last`) through one socket whose receive
 * buffer is `rcvbuf` bytes (0 = default), and check every answer in order.
 * With rcvbuf set, nothing is read before everything is sent, so the
 * server's replies back up (evhttp keeps reading requests meanwhile).
 * Returns the number of answers read. */
static int pipeline(const char *bound, int n, int rcvbuf, bool close_last)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    if (rcvbuf > 0)
        ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    sin.sin_port = htons((uint16_t)atoi(strrchr(bound, ':') + 1));
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);

    static char out[1 << 20];
    size_t out_len = 0;
    for (int i = 0; i < n; i++) {
        out_len += (size_t)snprintf(out + out_len, sizeof out - out_len,
                                    "GET /increment/%d HTTP/1.1\r\nHost: t\r\n%s\r\n", i,
                                    close_last && i == n - 1 ? "Connection: close\r\n" : "");
        ck_assert_uint_lt(out_len, sizeof out - 128);
    }
    static char in[1 << 16];
    size_t sent = 0, have = 0;
    int answers = 0;
    bool eof = false;
    long long deadline = harness_now_ms() + 10000;
    while (answers < n || (close_last && !eof)) {
        ck_assert_msg(harness_now_ms() < deadline, "%d of %d answers after 10 s", answers, n);
        bool reading = rcvbuf == 0 || sent == out_len;
        struct pollfd p = { .fd = fd, .events = (reading ? POLLIN : 0) |
                                                (sent < out_len ? POLLOUT : 0) };
        if (poll(&p, 1, 1000) <= 0)
            continue;
        if ((p.revents & POLLOUT) && sent < out_len) {
            ssize_t w = send(fd, out + sent, out_len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            ck_assert_msg(w > 0 || errno == EAGAIN, "send: %s", strerror(errno));
            if (w > 0)
                sent += (size_t)w;
        }
        if (!reading || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t r = recv(fd, in + have, sizeof in - have, MSG_DONTWAIT);
        if (r == 0) {
            eof = true;
            break;
        }
        ck_assert_msg(r > 0 || errno == EAGAIN, "recv: %s", strerror(errno));
        if (r < 0)
            continue;
        have += (size_t)r;
        struct http_response resp;
        while (http_response_parse(in, have, &resp) == 1) {
            char want[64];
            snprintf(want, sizeof want, "{\"value\": %d}", answers + 1);
            ck_assert_int_eq(resp.status, 200);
            ck_assert_msg(resp.body_length == strlen(want) &&
                          memcmp(in + resp.body_offset, want, resp.body_length) == 0,
                          "answer %d: %.*s", answers, (int)resp.body_length,
                          in + resp.body_offset);
            ck_assert_int_eq(resp.close, close_last && answers == n - 1);
            answers++;
            memmove(in, in + resp.total, have - resp.total);
            have -= resp.total;
        }
    }
    ck_assert_uint_eq(have, 0);
    close(fd);
    return answers;
}

START_TEST(pipelined_requests_are_answered_in_order)
{
    char bound[64];
    void *s = rt_server(bound, "5000");
    ck_assert_int_eq(pipeline(bound, 3, 0, false), 3);
    /* The last one asks to close: answered, then the server closes. */
    ck_assert_int_eq(pipeline(bound, 4, 0, true), 4);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* The server runs in this process: find its listening socket by port and
 * give it a small, fixed send buffer, which Linux copies to every socket it
 * accepts (as it does TCP_NODELAY), so that replies back up quickly
 * instead of filling an autotuned buffer of megabytes. */
static void shrink_listener_sndbuf(const char *bound)
{
    int port = atoi(strrchr(bound, ':') + 1);
    for (int fd = 3; fd < 1024; fd++) {
        int listening = 0;
        socklen_t ll = sizeof listening;
        struct sockaddr_in sin;
        socklen_t sl = sizeof sin;
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ll) != 0 || !listening ||
            getsockname(fd, (struct sockaddr *)&sin, &sl) != 0 ||
            sin.sin_family != AF_INET || ntohs(sin.sin_port) != port)
            continue;
        int size = 4096;
        ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size), 0);
        return;
    }
    ck_abort_msg("no listening socket on %s in this process", bound);
}

/* Thousands of replies into a small receive buffer, nothing read before
 * all requests are sent: the server's socket fills up, and replies go out
 * in pieces through the write event evhttp enabled. */
START_TEST(pipelined_burst_into_a_full_socket_is_answered)
{
    char bound[64];
    void *s = rt_server(bound, "5000");
    shrink_listener_sndbuf(bound);
    ck_assert_int_eq(pipeline(bound, 4000, 2048, true), 4000);
    rt_well_behaved_client_is_served(bound);
    T->server_stop(s);
}
END_TEST

/* ---- lifecycle ---- */

START_TEST(stop_returns_with_clients_attached)
{
    char bound[64];
    void *s = rt_server(bound, "60000");
    int idle = harness_connect(bound);
    int half = harness_connect(bound);
    ck_assert_int_eq(send(half, "GET /incr", 9, MSG_NOSIGNAL), 9);
    void *c = rt_client(bound, 2000, "keepalive");
    int64_t r;
    char err[256];
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), 0);
    T->server_stop(s); /* bounded by Check's timeout if it were not */
    /* Every connection was closed by the stop. */
    char buf[64];
    ck_assert_int_eq(recv(idle, buf, sizeof buf, 0), 0);
    ck_assert_int_le(recv(half, buf, sizeof buf, 0), 0);
    ck_assert_int_eq(T->increment(c, 2, &r, err, sizeof err), -1);
    T->shutdown(c);
    close(idle);
    close(half);
    T->server_stop(NULL);
    T->shutdown(NULL);
}
END_TEST

/* The server sets TCP_NODELAY on its listening socket only, and relies on
 * Linux handing it to every socket it accepts (evhttp has no hook to set
 * it per connection): the socket the server answers on must have it. */
START_TEST(server_answers_on_a_nodelay_socket)
{
    char bound[64];
    void *s = rt_server(bound, "5000");
    int cfd = harness_connect(bound);
    static const char req[] = "GET /increment/1 HTTP/1.1\r\nHost: t\r\n\r\n";
    ck_assert_int_eq(send(cfd, req, sizeof req - 1, MSG_NOSIGNAL), (ssize_t)(sizeof req - 1));
    char buf[512];
    ck_assert_int_gt(recv(cfd, buf, sizeof buf, 0), 0); /* answered: accepted by now */
    int afd = harness_accepted_end(cfd);
    ck_assert_msg(afd >= 0, "the server in this process holds no socket accepted for our client");
    int v = 0;
    socklen_t vl = sizeof v;
    ck_assert_int_eq(getsockopt(afd, IPPROTO_TCP, TCP_NODELAY, &v, &vl), 0);
    ck_assert_msg(v != 0, "the server's accepted socket (fd %d) has TCP_NODELAY off", afd);
    close(cfd);
    T->server_stop(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rest");
    TCase *good = tcase_create("good");
    tcase_add_test(good, thousand_dependent_increments_on_one_connection);
    tcase_add_test(good, close_mode_opens_a_connection_per_call);
    tcase_add_test(good, keepalive_closed_by_idle_server_reconnects_and_counts_it);
    tcase_add_test(good, good_request_gets_json_value);
    tcase_add_checked_fixture(good, rt_load, NULL);
    suite_add_tcase(s, good);

    TCase *client_errors = tcase_create("client_errors");
    tcase_add_test(client_errors, int64_max_is_an_http_400_error);
    tcase_add_test(client_errors, unknown_option_is_rejected_by_name);
    tcase_add_test(client_errors, nothing_listening_is_an_error_naming_the_address);
    tcase_add_test(client_errors, server_that_never_answers_times_the_call_out);
    tcase_add_test(client_errors, connect_that_never_completes_times_out);
    tcase_add_test(client_errors, taken_listen_address_is_an_error_naming_it);
    tcase_add_checked_fixture(client_errors, rt_load, NULL);
    suite_add_tcase(s, client_errors);

    TCase *raw = tcase_create("server_raw");
    tcase_add_test(raw, garbage_gets_400_and_close);
    tcase_add_test(raw, request_line_of_64k_is_refused);
    tcase_add_test(raw, unfinished_request_is_closed_after_server_timeout);
    tcase_add_loop_test(raw, bad_value_gets_400_with_json_error, 0,
                        (int)(sizeof bad_values / sizeof bad_values[0]));
    tcase_add_test(raw, other_paths_get_404);
    tcase_add_test(raw, other_methods_get_405_with_their_allow);
    tcase_add_test(raw, head_gets_405_without_a_body);
    tcase_add_test(raw, pipelined_requests_are_answered_in_order);
    tcase_add_test(raw, pipelined_burst_into_a_full_socket_is_answered);
    tcase_add_checked_fixture(raw, rt_load, NULL);
    suite_add_tcase(s, raw);

    TCase *life = tcase_create("lifecycle");
    tcase_add_test(life, stop_returns_with_clients_attached);
    tcase_add_test(life, server_answers_on_a_nodelay_socket);
    tcase_add_checked_fixture(life, rt_load, NULL);
    suite_add_tcase(s, life);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
