/*
 * relay.c — see relay.h. The relay thread polls the listener and both ends
 * of every connection with a 50 ms timeout, so that relay_stop, which only
 * raises a flag, is obeyed within one timeout (sends give up after 1 s). A
 * connection whose one end closes is closed at both ends. The recording is
 * read only after relay_stop has joined the thread.
 *
 * Turning the first call away needs HTTP/2 frame boundaries on that
 * connection: the client's bytes are passed on frame by frame up to its
 * first HEADERS, and the GOAWAY goes to the client only between two of the
 * server's frames, after the server's SETTINGS (its preface).
 */
#include "relay.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define H2_PREFACE_LEN 24 /* "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" */
#define H2_FRAME_HEADER 9
#define H2_HEADERS 0x1

struct relay_conn {
    int fd[2]; /* [RELAY_TO_SERVER] reads from the client, [RELAY_TO_CLIENT] from the server */
    unsigned char *kept[2];
    size_t len[2];
    /* Turning the first call away (this connection only): */
    bool turn_away, headers_seen;
    size_t next_frame[2]; /* offset in kept[] of the next frame header */
    size_t passed;        /* client bytes passed on to the server */
    const struct relay *r; /* its flip pattern */
};

struct relay {
    int lfd;
    struct sockaddr_in target;
    bool goaway_first_call;
    unsigned char flip[64]; /* relay_start_flipping's pattern, flip_len bytes */
    size_t flip_len;
    pthread_t thread;
    atomic_bool stop;
    unsigned n;
    struct relay_conn c[RELAY_CONNS];
};

static void close_conn(struct relay_conn *c)
{
    for (int d = 0; d < 2; d++) {
        if (c->fd[d] >= 0)
            close(c->fd[d]);
        c->fd[d] = -1;
    }
}

static void accept_one(struct relay *r)
{
    int cfd = accept(r->lfd, NULL, NULL);
    if (cfd < 0)
        return;
    if (r->n == RELAY_CONNS) {
        close(cfd);
        return;
    }
    /* A peer that stops reading, or a server whose backlog is full (the
     * timeout bounds connect too), cannot hold the thread past relay_stop's
     * bound. */
    struct timeval tv = { .tv_sec = 1 };
    setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int sfd = socket(AF_INET, SOCK_STREAM, 0);
    if (sfd >= 0)
        setsockopt(sfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (sfd < 0 || connect(sfd, (struct sockaddr *)&r->target, sizeof r->target) != 0) {
        if (sfd >= 0)
            close(sfd);
        close(cfd);
        return;
    }
    struct relay_conn *c = &r->c[r->n];
    c->fd[RELAY_TO_SERVER] = cfd;
    c->fd[RELAY_TO_CLIENT] = sfd;
    c->turn_away = r->goaway_first_call && r->n == 0;
    c->next_frame[RELAY_TO_SERVER] = H2_PREFACE_LEN;
    r->n++;
}

static bool send_all(int fd, const unsigned char *b, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = send(fd, b + off, n - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        off += (size_t)w;
    }
    return true;
}

static size_t frame_length(const unsigned char *h)
{
    return (size_t)h[0] << 16 | (size_t)h[1] << 8 | h[2];
}

/* Turning the first call away: walk the client's frames kept so far, pass
 * on those before its first HEADERS, and note when that HEADERS is seen. */
static bool pass_client_frames(struct relay_conn *c)
{
    const unsigned char *k = c->kept[RELAY_TO_SERVER];
    size_t len = c->len[RELAY_TO_SERVER];
    size_t *next = &c->next_frame[RELAY_TO_SERVER];
    while (!c->headers_seen && *next + H2_FRAME_HEADER <= len) {
        if (k[*next + 3] == H2_HEADERS)
            c->headers_seen = true;
        else
            *next += H2_FRAME_HEADER + frame_length(k + *next);
    }
    /* Whole frames, the preface and the known part of a frame being read. */
    size_t upto = *next < len ? *next : len;
    if (upto <= c->passed)
        return true;
    bool ok = send_all(c->fd[RELAY_TO_CLIENT], k + c->passed, upto - c->passed);
    c->passed = upto;
    return ok;
}

/* After the client's first HEADERS, at a boundary between two of the
 * server's frames that follows at least one (its SETTINGS): GOAWAY, no
 * stream processed, no error; then the connection ends. */
static void maybe_goaway(struct relay_conn *c)
{
    const unsigned char *k = c->kept[RELAY_TO_CLIENT];
    size_t len = c->len[RELAY_TO_CLIENT];
    size_t *next = &c->next_frame[RELAY_TO_CLIENT];
    while (*next + H2_FRAME_HEADER <= len)
        *next += H2_FRAME_HEADER + frame_length(k + *next);
    if (!c->headers_seen || *next != len || len == 0)
        return;
    static const unsigned char goaway[] = { 0, 0, 8, 0x7, 0, 0, 0, 0, 0, /* header */
                                            0, 0, 0, 0, 0, 0, 0, 0 }; /* stream 0, NO_ERROR */
    send_all(c->fd[RELAY_TO_SERVER], goaway, sizeof goaway);
    close_conn(c);
}

/* Pass what `dir`'s source has to the other end, keeping a copy; false
 * when the connection is over. */
static bool pass_on(struct relay_conn *c, int dir)
{
    unsigned char buf[16384];
    ssize_t got = recv(c->fd[dir], buf, sizeof buf, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (got <= 0)
        return false;
    size_t room = RELAY_KEEP - c->len[dir];
    size_t keep = (size_t)got < room ? (size_t)got : room;
    memcpy(c->kept[dir] + c->len[dir], buf, keep);
    c->len[dir] += keep;
    if (dir == RELAY_TO_CLIENT && c->r->flip_len > 0) {
        const size_t n = c->r->flip_len;
        for (unsigned char *at = buf, *end = buf + got;
             (at = memmem(at, (size_t)(end - at), c->r->flip, n)) != NULL; at += n)
            at[n - 1] ^= 1;
    }
    if (!c->turn_away)
        return send_all(c->fd[1 - dir], buf, (size_t)got);
    if (keep < (size_t)got)
        return false; /* frames are read from what is kept: no call by then, give up */
    if (dir == RELAY_TO_SERVER ? !pass_client_frames(c)
                               : !send_all(c->fd[RELAY_TO_SERVER], buf, (size_t)got))
        return false;
    maybe_goaway(c);
    return true;
}

static void *relay_thread(void *arg)
{
    struct relay *r = arg;
    while (!atomic_load(&r->stop)) {
        struct pollfd p[1 + 2 * RELAY_CONNS];
        p[0] = (struct pollfd){ .fd = r->lfd, .events = POLLIN };
        for (unsigned i = 0; i < RELAY_CONNS; i++)
            for (int d = 0; d < 2; d++)
                p[1 + 2 * i + d] = (struct pollfd){ .fd = r->c[i].fd[d], .events = POLLIN };
        if (poll(p, 1 + 2 * RELAY_CONNS, 50) <= 0)
            continue;
        for (unsigned i = 0; i < RELAY_CONNS; i++)
            for (int d = 0; d < 2; d++)
                if (r->c[i].fd[d] >= 0 && p[1 + 2 * i + d].revents != 0 &&
                    !pass_on(&r->c[i], d))
                    close_conn(&r->c[i]);
        if (p[0].revents & POLLIN)
            accept_one(r);
    }
    return NULL;
}

static struct relay *start(const char *target, char address[64], bool goaway_first_call,
                           const unsigned char *flip, size_t flip_len)
{
    struct relay *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->goaway_first_call = goaway_first_call;
    ck_assert_uint_le(flip_len, sizeof r->flip);
    if (flip_len > 0)
        memcpy(r->flip, flip, flip_len);
    r->flip_len = flip_len;
    for (unsigned i = 0; i < RELAY_CONNS; i++) {
        r->c[i].r = r;
        r->c[i].fd[0] = r->c[i].fd[1] = -1;
        for (int d = 0; d < 2; d++) {
            r->c[i].kept[d] = malloc(RELAY_KEEP);
            ck_assert_ptr_nonnull(r->c[i].kept[d]);
        }
    }
    const char *colon = strrchr(target, ':');
    ck_assert_msg(colon != NULL, "relay target %s has no port", target);
    r->target = (struct sockaddr_in){ .sin_family = AF_INET,
                                      .sin_port = htons((uint16_t)atoi(colon + 1)),
                                      .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    /* Non-blocking: a connection that goes away between poll and accept
     * does not leave accept waiting for the next. */
    r->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ck_assert_int_ge(r->lfd, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(r->lfd, (struct sockaddr *)&sin, sizeof sin), 0);
    ck_assert_int_eq(listen(r->lfd, 8), 0);
    socklen_t sl = sizeof sin;
    ck_assert_int_eq(getsockname(r->lfd, (struct sockaddr *)&sin, &sl), 0);
    snprintf(address, 64, "127.0.0.1:%u", (unsigned)ntohs(sin.sin_port));
    atomic_init(&r->stop, false);
    ck_assert_int_eq(pthread_create(&r->thread, NULL, relay_thread, r), 0);
    return r;
}

struct relay *relay_start(const char *target, char address[64], bool goaway_first_call)
{
    return start(target, address, goaway_first_call, NULL, 0);
}

struct relay *relay_start_flipping(const char *target, char address[64],
                                   const unsigned char *pattern, size_t n)
{
    return start(target, address, false, pattern, n);
}

void relay_stop(struct relay *r)
{
    if (r->lfd < 0)
        return;
    atomic_store(&r->stop, true);
    pthread_join(r->thread, NULL);
    for (unsigned i = 0; i < RELAY_CONNS; i++)
        close_conn(&r->c[i]);
    close(r->lfd);
    r->lfd = -1;
}

unsigned relay_connections(const struct relay *r)
{
    ck_assert_msg(r->lfd < 0, "relay_connections before relay_stop");
    return r->n;
}

const unsigned char *relay_bytes(const struct relay *r, unsigned conn, enum relay_dir dir,
                                 size_t *len)
{
    ck_assert_msg(r->lfd < 0, "relay_bytes before relay_stop");
    ck_assert_uint_lt(conn, r->n);
    *len = r->c[conn].len[dir];
    return r->c[conn].kept[dir];
}

void relay_free(struct relay *r)
{
    relay_stop(r);
    for (unsigned i = 0; i < RELAY_CONNS; i++)
        for (int d = 0; d < 2; d++)
            free(r->c[i].kept[d]);
    free(r);
}
