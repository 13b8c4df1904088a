/*
 * rest_test.c — see rest_test.h.
 */
#include "rest_test.h"

#include "response.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const struct incbench_transport *T;

void rt_load(void)
{
    T = harness_load("rest");
}

void *rt_server(char bound[64], const char *server_timeout_ms)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, "server_timeout_ms", server_timeout_ms, NULL);
    return harness_server(T, &hp, bound);
}

void *rt_client(const char *address, unsigned timeout_ms, const char *connection)
{
    struct harness_params hp;
    harness_params(&hp, address, timeout_ms, "connection", connection, NULL);
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

uint64_t rt_connections(void *c)
{
    struct incbench_stats st = { 0 };
    T->stats(c, &st);
    return st.connections;
}

void rt_well_behaved_client_is_served(const char *bound)
{
    /* 3 s: after an attack the server may still be winding down. */
    void *c = rt_client(bound, 3000, "keepalive");
    int64_t r = 0;
    char err[256] = "";
    ck_assert_msg(T->increment(c, 41, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 42);
    ck_assert_msg(T->increment(c, -1, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 0);
    T->shutdown(c);
}


void rt_raw_call(const char *bound, const char *req, size_t len, struct raw_answer *a)
{
    memset(a, 0, sizeof *a);
    a->body = a->text;
    int fd = harness_connect(bound);
    /* The server may answer and close before it has read all we send; a
     * failed send is then expected, the answer is what we check. */
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    for (;;) {
        ssize_t r = recv(fd, a->text + a->len, sizeof a->text - 1 - a->len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        ck_assert_msg(r >= 0 || errno == ECONNRESET, "recv: %s (server neither answered "
                      "nor closed within 5 s)", strerror(errno));
        if (r <= 0) {
            a->reset = r < 0;
            break;
        }
        a->len += (size_t)r;
        struct http_response resp;
        if (http_response_parse(a->text, a->len, &resp) == 1) {
            a->status = resp.status;
            a->body = a->text + resp.body_offset;
            break;
        }
    }
    a->text[a->len] = '\0';
    if (a->status == 0)
        a->body = a->text + a->len;
    close(fd);
}
