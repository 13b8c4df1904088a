/*
 * stream_server.c — the server of the stream transports (tcp, uds), on the
 * socket its kind listens on: one thread, one epoll set, non-blocking
 * sockets, level-triggered. Each connection owns two fixed buffers, each
 * the longest frame the server's `payload` allows plus room, so partial
 * reads and writes are just offsets and a client that sends many
 * frames without reading costs no more memory: with no room in out[] for
 * another reply, the loop stops reading until the peer drains it (and it
 * never blocks: a client pipelining large frames reads while it sends). A
 * request longer than `payload` allows gets one refusal naming the limit,
 * then the connection closes (stream_frame.h, FRAME_TOO_BIG). epoll
 * watches sockets, not in[], so a wake-up ends only once in[] holds no
 * complete frame or a reply waits for EPOLLOUT. A bad frame closes THAT
 * connection only; stream_server_stop wakes the loop through an eventfd, so
 * stopping is bounded however many clients are attached. Idle connections
 * are closed by a sweep on a timerfd, not by reading the clock per frame:
 * serving a frame costs one store, the sweep runs 8 times per timeout.
 * Never prints or exits.
 */
#include "stream_server.h"

#include "stream_frame.h"
#include "stream_keys.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* Room beyond the longest frame, for dozens of small pipelined frames per
 * recv/send; about 4 KiB a connection at payload 0. */
#define CONN_ROOM 2048
#define CONN_SNDBUF (64 * 1024)
#define EVENTS_PER_WAIT 64
#define ACCEPTS_PER_WAKE 64
/* While accept fails for want of descriptors, retry this often. */
#define ACCEPT_RETRY_MS 100
/* Sweeps per idle timeout: a quiet connection goes 1 + 1/IDLE_SWEEPS to
 * 1 + 2/IDLE_SWEEPS timeouts after its last frame (later if the loop is
 * held up), never sooner than one; see server_sweep. */
#define IDLE_SWEEPS 8u

struct stream_conn {
    int fd;
    uint32_t events;                 /* the mask epoll has for fd now */
    bool eof;                        /* the peer has shut its side */
    unsigned quiet;                  /* sweeps since a request was last answered */
    struct stream_conn *prev, *next;
    size_t in_len;                   /* bytes of in[] not yet served */
    size_t out_off, out_len;         /* out[out_off, out_len) not yet sent */
    uint8_t *in, *out;               /* in_cap and out_cap bytes of buf[] */
    uint8_t buf[];
};

struct stream_server {
    const struct stream_kind *kind;
    void *listen_state;              /* kind->unlisten's, from kind->listen */
    int listen_fd, epoll_fd, wake_fd;
    int timer_fd;                    /* the idle sweep's tick; -1 when idle_timeout_ms = 0 */
    bool accept_paused;
    bool thread_started;
    pthread_t thread;
    struct stream_conn *conns;
    unsigned payload;                /* the `payload` key: the most a request carries */
    size_t reply_max;                /* the longest reply to a request within the limit */
    size_t in_cap, out_cap;          /* each connection's buffers */
    struct codec_arena arena;        /* limit codec_msg_limit(payload) */
};

/* epoll_event.data.ptr of the non-connection descriptors: the address of
 * their field in the server, which no connection can share. */
#define IS_LISTEN(s, p) ((p) == (void *)&(s)->listen_fd)
#define IS_WAKE(s, p) ((p) == (void *)&(s)->wake_fd)
#define IS_TIMER(s, p) ((p) == (void *)&(s)->timer_fd)

static void conn_close(struct stream_server *s, struct stream_conn *c)
{
    /* Out of the epoll set BEFORE close: close() drops an fd from it only
     * when no other descriptor shares the open file, and one may (a child
     * between posix_spawn's clone and its exec holds a copy of every fd).
     * Left in, the set would keep reporting c, freed below, under a number
     * accept may already have handed to a new connection. */
    epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    free(c);
}

/* At the descriptor limit (EMFILE, ENFILE) accepting pauses, and what a
 * client sees is the kernel's doing: the listen backlog (SOMAXCONN) still
 * completes handshakes, so connect succeeds and requests are sent, but
 * nothing answers until a descriptor frees (a peer leaves, an idle
 * connection times out) and a retry accepts the connection; a pause longer
 * than the client's timeout_ms fails its call for want of an answer. Once
 * the backlog is full the kernel drops new SYNs: connect itself times out. */
static void server_accept(struct stream_server *s)
{
    for (int i = 0; i < ACCEPTS_PER_WAKE; i++) {
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* Level-triggered, the listener would wake us forever:
                 * stop watching it and retry after a pause. */
                struct epoll_event ev = { .events = 0, .data.ptr = &s->listen_fd };
                epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listen_fd, &ev);
                s->accept_paused = true;
                return;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            continue;   /* EINTR, ECONNABORTED, ...: that one connection only */
        }
        if (s->kind->accepted != NULL)
            s->kind->accepted(fd);
        /* A fixed send buffer instead of autotuning (up to tcp_wmem's 4 MB):
         * a peer that never reads pins little kernel memory, and the
         * stop-reading backpressure below engages. It holds the longest
         * reply, so a ping-pong answer leaves in one send. */
        int sndbuf = s->reply_max > CONN_SNDBUF ? (int)s->reply_max : CONN_SNDBUF;
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        struct stream_conn *c = malloc(sizeof *c + s->in_cap + s->out_cap);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->in = c->buf;
        c->out = c->buf + s->in_cap;
        c->fd = fd;
        c->events = EPOLLIN;
        c->in_len = c->out_off = c->out_len = 0;
        c->eof = false;
        c->quiet = 0;
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
            close(fd);
            free(c);
            continue;
        }
        c->prev = NULL;
        c->next = s->conns;
        if (s->conns != NULL)
            s->conns->prev = c;
        s->conns = c;
    }
}

static void server_resume_accept(struct stream_server *s)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &s->listen_fd };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listen_fd, &ev) == 0)
        s->accept_paused = false;
}

/* Read what fits; c->eof is set when the peer has shut its side. */
static int conn_fill(const struct stream_server *s, struct stream_conn *c)
{
    size_t room = s->in_cap - c->in_len;
    if (room == 0)
        return 0;
    ssize_t r = recv(c->fd, c->in + c->in_len, room, 0);
    if (r > 0) {
        c->in_len += (size_t)r;
        return 0;
    }
    if (r == 0) {
        c->eof = true;
        return 0;
    }
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
}

/* Free space at the end of out[], moving unsent bytes to the front when
 * that is what it takes to fit one more reply. */
static size_t conn_out_room(const struct stream_server *s, struct stream_conn *c)
{
    if (c->out_off == c->out_len) {
        c->out_off = c->out_len = 0;
    } else if (s->out_cap - c->out_len < s->reply_max && c->out_off > 0) {
        memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
        c->out_len -= c->out_off;
        c->out_off = 0;
    }
    return s->out_cap - c->out_len;
}

/* Answer every complete frame in in[] while out[] has room. 0 when no
 * complete frame is left, 1 when one waits for room in out[], -1 on a bad
 * frame: the caller closes the connection. */
static int conn_serve(struct stream_server *s, struct stream_conn *c)
{
    size_t off = 0;
    int rc = 0;
    while (c->in_len - off >= FRAME_HEADER) {
        uint32_t len = frame_get32(c->in + off);
        if (len > s->arena.limit) {
            /* Say why, best effort, so the client can name both sizes. */
            if (conn_out_room(s, c) >= frame_max(0))
                c->out_len += frame_pack_too_big(c->out + c->out_len, s->payload);
            return -1;
        }
        if (c->in_len - off < FRAME_HEADER + len)
            break;
        if (conn_out_room(s, c) < s->reply_max) {
            rc = 1;
            break;
        }
        struct codec_msg m;
        if (codec_decode_request(&s->arena, c->in + off + FRAME_HEADER, len, &m) != CODEC_OK)
            return -1;
        bool refused = m.value == INT64_MAX;
        /* A refusal echoes the value it refuses, so the client can say so;
         * every answer echoes the payload. */
        c->out_len += frame_pack_reply(c->out + c->out_len, refused,
                                       refused ? m.value : m.value + 1, m.id,
                                       m.payload, m.payload_len);
        off += FRAME_HEADER + len;
    }
    if (off > 0) {
        memmove(c->in, c->in + off, c->in_len - off);
        c->in_len -= off;
        c->quiet = 0;
    }
    return rc;
}

/* Send what the socket takes; the rest waits for EPOLLOUT. */
static int conn_flush(struct stream_conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
                         MSG_NOSIGNAL);
        if (w > 0) {
            c->out_off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        return -1;
    }
    c->out_off = c->out_len = 0;
    return 0;
}

/* Read only while there is room for the replies reading would produce
 * (and before the peer's EOF, which level-triggered EPOLLIN would report
 * forever); wait for EPOLLOUT while anything is unsent. */
static int conn_watch(struct stream_server *s, struct stream_conn *c)
{
    uint32_t want = 0;
    if (!c->eof && conn_out_room(s, c) >= s->reply_max)
        want |= EPOLLIN;
    if (c->out_off < c->out_len)
        want |= EPOLLOUT;
    if (want == c->events)
        return 0;
    struct epoll_event ev = { .events = want, .data.ptr = c };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) != 0)
        return -1;
    c->events = want;
    return 0;
}

/* Serve and flush until in[] holds no complete frame or out[] cannot be
 * sent: nothing else would wake us for frames already read. Bounded, as
 * nothing is read here: each round answers at least one frame of in[]. */
static int conn_answer(struct stream_server *s, struct stream_conn *c)
{
    for (;;) {
        int full = conn_serve(s, c);
        if (full < 0) {
            /* A bad frame: the frames before it still get their answers,
             * best effort, then the connection goes. */
            conn_flush(c);
            return -1;
        }
        if (conn_flush(c) != 0)
            return -1;
        if (!full || c->out_off < c->out_len)
            return 0;
    }
}

static void conn_event(struct stream_server *s, struct stream_conn *c, uint32_t events)
{
    /* HUP: both directions are gone, nothing could be delivered. */
    if (events & (EPOLLERR | EPOLLHUP))
        goto close;
    if ((events & EPOLLOUT) && conn_flush(c) != 0)
        goto close;
    if ((events & EPOLLIN) && !c->eof && conn_fill(s, c) != 0)
        goto close;
    if (conn_answer(s, c) != 0)
        goto close;
    /* A peer that shut its side is answered every frame it finished (it
     * may still be reading), then closed; half a frame is simply dropped. */
    if (c->eof && c->out_off == c->out_len)
        goto close;
    if (conn_watch(s, c) != 0)
        goto close;
    return;
close:
    conn_close(s, c);
}

/* One tick of the idle timeout. Idle means owing nothing either way: no
 * reply unsent (the peer reading slowly is still being served), and so,
 * by conn_answer, no complete request unanswered; half a frame counts for
 * nothing, so a peer dribbling bytes is as idle as a silent one. One tick
 * per wake-up however many expired: a loop that was held up must not count
 * time in which it read nobody's requests. The first tick after a request
 * may be of an expiry from before it, read late, so it is not counted. */
static void server_sweep(struct stream_server *s)
{
    uint64_t expired;
    if (read(s->timer_fd, &expired, sizeof expired) < 0)
        return;   /* EAGAIN: the tick was already taken */
    struct stream_conn *next;
    for (struct stream_conn *c = s->conns; c != NULL; c = next) {
        next = c->next;
        if (c->out_off < c->out_len)
            c->quiet = 0;
        else if (++c->quiet > IDLE_SWEEPS + 1)
            conn_close(s, c);
    }
}

static void *server_loop(void *arg)
{
    struct stream_server *s = arg;
    struct epoll_event ev[EVENTS_PER_WAIT];
    for (;;) {
        int n = epoll_wait(s->epoll_fd, ev, EVENTS_PER_WAIT,
                           s->accept_paused ? ACCEPT_RETRY_MS : -1);
        if (n < 0 && errno != EINTR)
            return NULL;   /* cannot happen with valid fds; stop still joins */
        if (s->accept_paused)
            server_resume_accept(s);
        bool tick = false;
        for (int i = 0; i < n; i++) {
            void *p = ev[i].data.ptr;
            if (IS_WAKE(s, p))
                return NULL;
            if (IS_LISTEN(s, p))
                server_accept(s);
            else if (IS_TIMER(s, p))
                tick = true;
            else
                conn_event(s, p, ev[i].events);
        }
        /* After the batch: a connection it closes may have an event above,
         * and a frame read in this batch has already reset its count. */
        if (tick)
            server_sweep(s);
    }
}

static void server_free(struct stream_server *s)
{
    while (s->conns != NULL)
        conn_close(s, s->conns);
    if (s->wake_fd >= 0)
        close(s->wake_fd);
    if (s->timer_fd >= 0)
        close(s->timer_fd);
    if (s->epoll_fd >= 0)
        close(s->epoll_fd);
    /* The socket file (if any) goes first: no client finds it dead. */
    if (s->kind->unlisten != NULL)
        s->kind->unlisten(s->listen_state);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    codec_arena_free(&s->arena);
    free(s);
}

static int watch(struct stream_server *s, int fd, void *tag)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = tag };
    return epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* The sweep's timer, IDLE_SWEEPS ticks per idle timeout. */
static int start_timer(struct stream_server *s, unsigned idle_ms)
{
    s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (s->timer_fd < 0)
        return -1;
    const uint64_t ns = (uint64_t)idle_ms * 1000000u / IDLE_SWEEPS;
    const struct timespec period = { .tv_sec = (time_t)(ns / 1000000000u),
                                     .tv_nsec = (long)(ns % 1000000000u) };
    const struct itimerspec its = { .it_interval = period, .it_value = period };
    if (timerfd_settime(s->timer_fd, 0, &its, NULL) != 0)
        return -1;
    return watch(s, s->timer_fd, &s->timer_fd);
}

int stream_server_start(const struct stream_kind *kind, void **server,
                        const struct incbench_params *params, char *bound, size_t boundlen,
                        char *err, size_t errlen)
{
    char why[512];
    struct stream_keys keys;
    *server = NULL;
    if (stream_keys_read(params, kind->name, &keys, err, errlen) != 0)
        return -1;
    struct stream_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, errlen, "%s: out of memory starting the server", kind->name);
        return -1;
    }
    s->kind = kind;
    s->listen_fd = s->epoll_fd = s->wake_fd = s->timer_fd = -1;
    /* A request within the limit carries at most limit - 2 payload bytes,
     * and its reply packs them with a value and an id. */
    s->payload = keys.payload;
    if (codec_arena_init_payload(&s->arena, keys.payload) != 0) {
        snprintf(err, errlen, "%s: out of memory for a server of payload = %u bytes",
                 kind->name, keys.payload);
        goto fail;
    }
    s->reply_max = frame_max(s->arena.limit);
    s->in_cap = FRAME_HEADER + s->arena.limit + CONN_ROOM;
    s->out_cap = s->reply_max + CONN_ROOM;

    /* NULL (minor 2: no `listen`) is the kind's to fill in. */
    s->listen_fd = kind->listen(params->address, SOMAXCONN, &s->listen_state,
                                bound, boundlen, why, sizeof why);
    if (s->listen_fd < 0) {
        snprintf(err, errlen, "%s: %s", kind->name, why);
        goto fail;
    }
    s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (s->epoll_fd < 0 || s->wake_fd < 0 ||
        watch(s, s->listen_fd, &s->listen_fd) != 0 ||
        watch(s, s->wake_fd, &s->wake_fd) != 0) {
        snprintf(err, errlen, "%s: setting up epoll for %s: %s", kind->name, bound,
                 strerror(errno));
        goto fail;
    }
    if (keys.idle_timeout_ms > 0 && start_timer(s, keys.idle_timeout_ms) != 0) {
        snprintf(err, errlen, "%s: setting up the idle timer for %s: %s", kind->name, bound,
                 strerror(errno));
        goto fail;
    }

    /* The loop thread takes no signals: they belong to the host program
     * (the runner's --serve waits for SIGTERM in its own thread). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&s->thread, NULL, server_loop, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "%s: cannot start the server thread for %s: %s",
                 kind->name, bound, strerror(rc));
        goto fail;
    }
    s->thread_started = true;
    /* listen() is done: connections are accepted from here on. */
    *server = s;
    return 0;
fail:
    server_free(s);
    return -1;
}

void stream_server_stop(void *server)
{
    struct stream_server *s = server;
    if (s == NULL)
        return;
    if (s->thread_started) {
        uint64_t one = 1;
        /* Cannot fail short of a closed fd; the eventfd is ours alone. */
        while (write(s->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
            ;
        pthread_join(s->thread, NULL);
    }
    server_free(s);
}
