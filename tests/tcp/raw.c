/*
 * raw.c — see raw.h.
 */
#include "raw.h"

#include "harness.h"
#include "increment.pb-c.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static bool is_uds(void)
{
    return strcmp(raw_transport(), "uds") == 0;
}

const char *raw_transport(void)
{
    const char *t = getenv("INCBENCH_TEST_TRANSPORT");
    if (t == NULL || t[0] == '\0')
        return "tcp";
    ck_assert_msg(strcmp(t, "tcp") == 0 || strcmp(t, "uds") == 0,
                  "INCBENCH_TEST_TRANSPORT='%s': want tcp or uds", t);
    return t;
}

const char *raw_listen_address(void)
{
    return is_uds() ? NULL : "127.0.0.1:0";
}

const char *raw_bound_prefix(void)
{
    return is_uds() ? "unix:@" : "127.0.0.1:";
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

size_t raw_request(uint8_t *out, int64_t value, uint64_t id)
{
    return raw_request_payload(out, value, id, 0, 0);
}

size_t raw_request_payload(uint8_t *out, int64_t value, uint64_t id, size_t len, uint8_t fill)
{
    size_t n = 4;
    /* proto3: fields at their default (0) are not written. */
    if (value != 0) {
        out[n++] = 0x08;                       /* field 1, varint */
        n += put_varint(out + n, (uint64_t)value);
    }
    if (id != 0) {
        out[n++] = 0x10;                       /* field 2, varint */
        n += put_varint(out + n, id);
    }
    if (len != 0) {
        out[n++] = 0x1a;                       /* field 3, length-delimited */
        n += put_varint(out + n, len);
        memset(out + n, fill, len);
        n += len;
    }
    uint32_t hdr = htonl((uint32_t)(n - 4));
    memcpy(out, &hdr, 4);
    return n;
}

void raw_send(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        ck_assert_msg(w > 0, "send: %s", strerror(errno));
        c += w;
        n -= (size_t)w;
    }
}

static void read_exact(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = recv(fd, p, n, 0);
        ck_assert_msg(r > 0, "recv: %s", r == 0 ? "connection closed" : strerror(errno));
        p += r;
        n -= (size_t)r;
    }
}

/* One reply frame: its header and its message (free_unpacked it). */
static Incbench__IncrementReply *read_frame(int fd, uint32_t *hdr)
{
    uint8_t h[4];
    read_exact(fd, h, 4);
    *hdr = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
    const size_t len = *hdr & 0x3fffffffu;
    ck_assert_uint_le(len, 64u << 20);
    uint8_t *body = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(body);
    read_exact(fd, body, len);
    Incbench__IncrementReply *m = incbench__increment_reply__unpack(NULL, len, body);
    free(body);
    ck_assert_ptr_nonnull(m);
    return m;
}

void raw_read_reply(int fd, bool *refused, int64_t *value, uint64_t *id)
{
    uint8_t *payload;
    size_t n;
    raw_read_reply_payload(fd, refused, value, id, &payload, &n);
    ck_assert_uint_eq(n, 0);
}

void raw_read_reply_payload(int fd, bool *refused, int64_t *value, uint64_t *id,
                            uint8_t **payload, size_t *n)
{
    uint32_t h;
    Incbench__IncrementReply *m = read_frame(fd, &h);
    ck_assert_msg((h & 0x40000000u) == 0, "a too-big refusal (limit %lld), not a reply",
                  (long long)m->value);
    *refused = (h & 0x80000000u) != 0;
    *value = m->value;
    *id = m->id;
    *n = m->payload.len;
    *payload = NULL;
    if (*n > 0) {
        *payload = malloc(*n);
        ck_assert_ptr_nonnull(*payload);
        memcpy(*payload, m->payload.data, *n);
    }
    incbench__increment_reply__free_unpacked(m, NULL);
}

void raw_assert_too_big(int fd, int64_t payload_limit)
{
    uint32_t h;
    Incbench__IncrementReply *m = read_frame(fd, &h);
    ck_assert_msg((h & 0xc0000000u) == 0xc0000000u, "header %08x: not a too-big refusal", h);
    ck_assert_int_eq(m->value, payload_limit);
    incbench__increment_reply__free_unpacked(m, NULL);
    raw_assert_closed(fd);
}

bool raw_next_reply(const uint8_t *in, size_t have, size_t *off,
                    int64_t *value, uint64_t *id)
{
    if (have - *off < 4 || have - *off < 4 + (size_t)in[*off + 3])
        return false;
    ck_assert_uint_eq(in[*off] | in[*off + 1] | in[*off + 2], 0);
    size_t len = in[*off + 3];
    const uint8_t *b = in + *off + 4;
    uint64_t fields[3] = { 0, 0, 0 };
    for (size_t k = 0; k < len;) {
        uint8_t tag = b[k++];
        ck_assert(tag == 0x08 || tag == 0x10);
        uint64_t val = 0;
        int shift = 0;
        do {
            ck_assert_uint_lt(k, len);
            ck_assert_int_lt(shift, 64);
            val |= (uint64_t)(b[k] & 0x7f) << shift;
            shift += 7;
        } while (b[k++] & 0x80);
        fields[tag >> 3] = val;
    }
    *value = (int64_t)fields[1];
    *id = fields[2];
    *off += 4 + len;
    return true;
}

void raw_assert_closed(int fd)
{
    char buf[256];
    for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r == 0)
            return;
        if (r < 0) {
            ck_assert_msg(errno == ECONNRESET,
                          "the server kept the connection open (recv: %s)", strerror(errno));
            return;
        }
        /* Bytes before the close would be answers to a bad frame. */
        ck_abort_msg("the server answered %zd bytes instead of closing", r);
    }
}

void raw_assert_reply(int fd, int64_t value, uint64_t id)
{
    bool refused;
    int64_t v;
    uint64_t rid;
    raw_read_reply(fd, &refused, &v, &rid);
    ck_assert_msg(!refused && v == value && rid == id,
                  "reply %s%lld id %llu, expected %lld id %llu", refused ? "(refused) " : "",
                  (long long)v, (unsigned long long)rid, (long long)value,
                  (unsigned long long)id);
}

int64_t raw_chain(const struct incbench_transport *t, void *c, int64_t v, int n)
{
    char err[256];
    for (int i = 0; i < n; i++) {
        int64_t r = 0;
        ck_assert_msg(t->increment(c, v, &r, err, sizeof err) == 0, "call %d: %s", i, err);
        ck_assert_int_eq(r, v + 1);
        v = r;
    }
    return v;
}

void raw_assert_increment(int fd, int64_t value, uint64_t id)
{
    uint8_t f[32];
    raw_send(fd, f, raw_request(f, value, id));
    raw_assert_reply(fd, value + 1, id);
}

void raw_assert_served(const char *bound)
{
    int fd = harness_connect(bound);
    raw_assert_increment(fd, 41, 7);
    close(fd);
}

/* An abstract name of this test's own: pid, a count, the clock. */
static int unix_bound_socket(char bound[64])
{
    static unsigned count;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    snprintf(bound, 64, "unix:@incbench-test-%ld-%u-%ld", (long)getpid(), count++,
             (long)ts.tv_nsec);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    const size_t n = strlen(bound + 6);
    memcpy(a.sun_path + 1, bound + 6, n);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a,
                          (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)), 0);
    return fd;
}

static int bound_socket(char bound[64])
{
    if (is_uds())
        return unix_bound_socket(bound);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    snprintf(bound, 64, "127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
    return fd;
}

int raw_accept(int lfd)
{
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
        return -1;
    struct timeval tv = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

int raw_silent_listener(char bound[64])
{
    int fd = bound_socket(bound);
    ck_assert_int_eq(listen(fd, 8), 0);
    return fd;
}

int raw_dead_port(char bound[64])
{
    return bound_socket(bound);
}
