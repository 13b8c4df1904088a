/*
 * netexample.c — a networked incbench transport in one file, built out of
 * tree against nothing but the installed header (see Makefile): a server
 * thread, a client whose every wait has a deadline, pipelining (submit /
 * complete) and stats. example.c shows options; this one shows the network.
 *
 * The wire: every message is 16 bytes, a tag then a value, both 64-bit
 * big-endian. The server answers (tag, value + 1) on the same connection,
 * in order. The client never sends INT64_MAX, whose answer does not exist;
 * the server closes a connection that does.
 */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, clock_gettime, MSG_NOSIGNAL */
#include <incbench/transport.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MSG 16
/* 1024 frames of 16 bytes is 16 KB each way: it always fits in the
 * sockets' buffers, so a pipelined client may send its whole window
 * before reading and neither side ever waits on the other's reading. */
#define MAX_WINDOW 1024u
#define MAX_CONNS 64     /* a server's clients at once; more are closed */

/* ---- what client and server share ---- */

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every descriptor is close-on-exec: the runner starts server processes
 * while other sections' clients and servers are open in it, and a copy of
 * a socket in a child would keep its connection alive after we close it. */
static int cloexec(int fd)
{
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

/* "host:port" (or "[v6]:port") to a socket address. */
static int resolve(const char *address, struct sockaddr_storage *ss, socklen_t *len,
                   char *err, size_t errlen)
{
    char host[256];
    const char *colon = address ? strrchr(address, ':') : NULL;
    size_t from = 0, to = colon ? (size_t)(colon - address) : 0;
    if (colon == NULL || to >= sizeof host) {
        snprintf(err, errlen, "netexample: address '%s' is not host:port",
                 address ? address : "(none)");
        return -1;
    }
    if (to >= 2 && address[0] == '[' && address[to - 1] == ']') {
        from = 1;   /* [v6]: the brackets are not part of the host */
        to--;
    }
    memcpy(host, address + from, to - from);
    host[to - from] = '\0';
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "netexample: address '%s': %s", address, gai_strerror(rc));
        return -1;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

/* The plugin's only option check: it has none, and says so (rule 4). */
static int no_options(const struct incbench_params *params, char *err, size_t errlen)
{
    if (params->n_options == 0)
        return 0;
    snprintf(err, errlen, "netexample: unknown option '%s' (it has none)",
             params->options[0].key);
    return -1;
}

/* ---- client ---- */

struct client {
    int fd;
    unsigned timeout_ms;
    uint64_t connections;
};

/* Wait until fd is ready for `events` or `deadline` (ms) passes. Every
 * blocking step below goes through here: that is rule 3. */
static int wait_fd(int fd, short events, long long deadline, const char *what,
                   char *err, size_t errlen)
{
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            snprintf(err, errlen, "netexample: %s timed out", what);
            return -1;
        }
        struct pollfd p = { .fd = fd, .events = events };
        int n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (n > 0)
            return 0;     /* ready, or an error the next send/recv reports */
        if (n < 0 && errno != EINTR) {
            snprintf(err, errlen, "netexample: poll: %s", strerror(errno));
            return -1;
        }
    }
}

/* After a failed wait the stream is out of step (a late answer would be
 * taken for the next call's), so a client's first error is its last. */
static int broken(struct client *c)
{
    close(c->fd);
    c->fd = -1;
    return -1;
}

static int send_all(struct client *c, const unsigned char *buf, size_t len,
                    char *err, size_t errlen)
{
    if (c->fd < 0) {
        snprintf(err, errlen, "netexample: connection closed by an earlier error");
        return -1;
    }
    const long long deadline = now_ms() + c->timeout_ms;
    while (len > 0) {
        ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_fd(c->fd, POLLOUT, deadline, "send", err, errlen) != 0)
                return broken(c);
        } else if (errno != EINTR) {
            snprintf(err, errlen, "netexample: send: %s", strerror(errno));
            return broken(c);
        }
    }
    return 0;
}

static int recv_all(struct client *c, unsigned char *buf, size_t len,
                    char *err, size_t errlen)
{
    if (c->fd < 0) {
        snprintf(err, errlen, "netexample: connection closed by an earlier error");
        return -1;
    }
    const long long deadline = now_ms() + c->timeout_ms;
    while (len > 0) {
        ssize_t n = recv(c->fd, buf, len, 0);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n == 0) {
            snprintf(err, errlen, "netexample: the server closed the connection");
            return broken(c);
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_fd(c->fd, POLLIN, deadline, "waiting for the answer", err, errlen) != 0)
                return broken(c);
        } else if (errno != EINTR) {
            snprintf(err, errlen, "netexample: recv: %s", strerror(errno));
            return broken(c);
        }
    }
    return 0;
}

/* A non-blocking connect, finished within the deadline. */
static int dial(struct client *c, const char *address, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (resolve(address, &ss, &len, err, errlen) != 0)
        return -1;
    c->fd = cloexec(socket(ss.ss_family, SOCK_STREAM, 0));
    if (c->fd < 0 || fcntl(c->fd, F_SETFL, O_NONBLOCK) != 0) {
        snprintf(err, errlen, "netexample: socket: %s", strerror(errno));
        return -1;
    }
    if (connect(c->fd, (struct sockaddr *)&ss, len) != 0) {
        if (errno != EINPROGRESS) {
            snprintf(err, errlen, "netexample: connect %s: %s", address, strerror(errno));
            return -1;
        }
        if (wait_fd(c->fd, POLLOUT, now_ms() + c->timeout_ms, "connect", err, errlen) != 0)
            return -1;
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
        if (soerr != 0) {
            snprintf(err, errlen, "netexample: connect %s: %s", address, strerror(soerr));
            return -1;
        }
    }
    int one = 1;   /* 16-byte messages must not wait for Nagle */
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->connections++;
    return 0;
}

static int net_init(void **client, const struct incbench_params *params,
                    char *err, size_t errlen)
{
    struct client *c = calloc(1, sizeof *c);
    *client = c;   /* set even on failure: the runner calls shutdown(*client) */
    if (c == NULL) {
        snprintf(err, errlen, "netexample: out of memory");
        return -1;
    }
    c->fd = -1;
    c->timeout_ms = params->timeout_ms;
    if (no_options(params, err, errlen) != 0)
        return -1;
    if (params->max_inflight > MAX_WINDOW) {
        snprintf(err, errlen, "netexample: window %u is above %u", params->max_inflight,
                 MAX_WINDOW);
        return -1;
    }
    return dial(c, params->address, err, errlen);
}

static int net_submit(void *client, uint64_t tag, int64_t value, char *err, size_t errlen)
{
    if (value == INT64_MAX) {   /* rule 5: an error, never a wrapped answer */
        snprintf(err, errlen, "netexample: %lld + 1 would overflow", (long long)value);
        return -1;
    }
    unsigned char m[MSG];
    put64(m, tag);
    put64(m + 8, (uint64_t)value);
    return send_all(client, m, sizeof m, err, errlen);
}

static int net_complete(void *client, uint64_t *tag, int64_t *result, char *err, size_t errlen)
{
    unsigned char m[MSG];
    if (recv_all(client, m, sizeof m, err, errlen) != 0)
        return -1;
    *tag = get64(m);
    *result = (int64_t)get64(m + 8);
    return 0;
}

/* The dependent call is a submit and its own completion. */
static int net_increment(void *client, int64_t value, int64_t *result, char *err, size_t errlen)
{
    uint64_t tag;
    if (net_submit(client, 0, value, err, errlen) != 0 ||
        net_complete(client, &tag, result, err, errlen) != 0)
        return -1;
    return 0;
}

static void net_stats(void *client, struct incbench_stats *stats)
{
    stats->connections = ((const struct client *)client)->connections;
}

static void net_shutdown(void *client)
{
    struct client *c = client;
    if (c == NULL)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

/* ---- server: one thread polls the listener, a wake-up pipe and clients ---- */

struct conn {
    int fd;               /* -1: free slot */
    unsigned char part[MSG];
    size_t have;          /* bytes of a message not yet whole */
};

struct server {
    int lfd;
    int wake[2];          /* server_stop writes here to end the thread */
    pthread_t thread;
    bool running;         /* the thread was started: stop must join it */
    long long accept_after;  /* out of descriptors: retry accept from then */
    struct conn conns[MAX_CONNS];
};

static void drop(struct conn *k)
{
    close(k->fd);
    k->fd = -1;
    k->have = 0;
}

static void accept_one(struct server *s)
{
    int fd = cloexec(accept(s->lfd, NULL, NULL));
    if (fd < 0) {
        /* Out of descriptors the listener stays readable: pause accepting
         * for 100 ms instead of spinning (the backlog holds the client). */
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            s->accept_after = now_ms() + 100;
        return;
    }
    /* The server's sends block for at most a second: a client that stops
     * reading loses its connection instead of stalling everyone else. */
    struct timeval t = { .tv_sec = 1 };
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &t, sizeof t);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (int i = 0; i < MAX_CONNS; i++)
        if (s->conns[i].fd < 0) {
            s->conns[i].fd = fd;
            return;
        }
    close(fd);            /* full: the client sees its connection closed */
}

/* Answer every whole message that has arrived, with one send. */
static void serve(struct conn *k)
{
    unsigned char in[64 * MSG], out[64 * MSG];
    memcpy(in, k->part, k->have);
    ssize_t n = recv(k->fd, in + k->have, sizeof in - k->have, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        drop(k);
        return;
    }
    size_t len = k->have + (n > 0 ? (size_t)n : 0), done = 0, o = 0;
    for (; len - done >= MSG; done += MSG, o += MSG) {
        int64_t v = (int64_t)get64(in + done + 8);
        if (v == INT64_MAX) {
            drop(k);
            return;
        }
        memcpy(out + o, in + done, 8);
        put64(out + o + 8, (uint64_t)(v + 1));
    }
    k->have = len - done;
    memcpy(k->part, in + done, k->have);
    for (size_t sent = 0; sent < o;) {
        ssize_t w = send(k->fd, out + sent, o - sent, MSG_NOSIGNAL);
        if (w <= 0 && errno != EINTR) {
            drop(k);
            return;
        }
        sent += w > 0 ? (size_t)w : 0;
    }
}

static void *server_main(void *arg)
{
    struct server *s = arg;
    for (;;) {
        struct pollfd p[2 + MAX_CONNS];
        int slot[2 + MAX_CONNS];
        nfds_t n = 0;
        const bool paused = now_ms() < s->accept_after;
        p[n++] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
        /* A negative fd is skipped by poll: the listener, while paused. */
        p[n++] = (struct pollfd){ .fd = paused ? -1 : s->lfd, .events = POLLIN };
        for (int i = 0; i < MAX_CONNS; i++)
            if (s->conns[i].fd >= 0) {
                slot[n] = i;
                p[n++] = (struct pollfd){ .fd = s->conns[i].fd, .events = POLLIN };
            }
        /* server_stop always wakes us through the pipe; a timeout is only
         * needed to end a pause. */
        if (poll(p, n, paused ? 100 : -1) < 0)
            continue;
        if (p[0].revents != 0)
            return NULL;
        if (p[1].revents & POLLIN)
            accept_one(s);
        for (nfds_t i = 2; i < n; i++)
            if (p[i].revents != 0)
                serve(&s->conns[slot[i]]);
    }
}

static void net_server_stop(void *server)
{
    struct server *s = server;
    if (s == NULL)
        return;
    if (s->running) {
        while (write(s->wake[1], "x", 1) < 0 && errno == EINTR)
            ;
        pthread_join(s->thread, NULL);
    }
    for (int i = 0; i < MAX_CONNS; i++)
        if (s->conns[i].fd >= 0)
            close(s->conns[i].fd);
    if (s->lfd >= 0)
        close(s->lfd);
    if (s->wake[0] >= 0)
        close(s->wake[0]);
    if (s->wake[1] >= 0)
        close(s->wake[1]);
    free(s);
}

/* Bind, listen, report the port the kernel picked, and only then start the
 * thread: once this returns, connections are accepted (by the backlog). */
static int listen_on(struct server *s, const char *address, char *bound, size_t boundlen,
                     char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (resolve(address, &ss, &len, err, errlen) != 0)
        return -1;
    int one = 1;
    s->lfd = cloexec(socket(ss.ss_family, SOCK_STREAM, 0));
    if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(s->lfd, (struct sockaddr *)&ss, len) != 0 || listen(s->lfd, 128) != 0 ||
        getsockname(s->lfd, (struct sockaddr *)&ss, &len) != 0) {
        snprintf(err, errlen, "netexample: listen on %s: %s", address, strerror(errno));
        return -1;
    }
    char host[64], port[16];
    if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(err, errlen, "netexample: cannot name the bound address");
        return -1;
    }
    snprintf(bound, boundlen, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
    return 0;
}

static int net_server_start(void **server, const struct incbench_params *params,
                            char *bound, size_t boundlen, char *err, size_t errlen)
{
    struct server *s = malloc(sizeof *s);
    *server = NULL;
    if (s == NULL) {
        snprintf(err, errlen, "netexample: out of memory");
        return -1;
    }
    s->lfd = s->wake[0] = s->wake[1] = -1;
    s->running = false;
    s->accept_after = 0;
    for (int i = 0; i < MAX_CONNS; i++)
        s->conns[i] = (struct conn){ .fd = -1 };
    if (no_options(params, err, errlen) != 0 ||
        /* NULL: the section sets no `listen` (ABI minor 2); pick a port. */
        listen_on(s, params->address ? params->address : "127.0.0.1:0", bound, boundlen, err,
                  errlen) != 0)
        goto fail;
    if (pipe(s->wake) != 0 || cloexec(s->wake[0]) < 0 || cloexec(s->wake[1]) < 0) {
        snprintf(err, errlen, "netexample: pipe: %s", strerror(errno));
        s->wake[0] = s->wake[1] = -1;
        goto fail;
    }
    int rc = pthread_create(&s->thread, NULL, server_main, s);
    if (rc != 0) {
        snprintf(err, errlen, "netexample: thread: %s", strerror(rc));
        goto fail;
    }
    s->running = true;
    *server = s;
    return 0;
fail:
    net_server_stop(s);
    return -1;
}

/* The one exported symbol: every member of ABI 1.1 is filled in. */
const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "netexample",
    .summary = "out-of-tree example: 16-byte frames over TCP, with a server and pipelining",
    .init = net_init,
    .increment = net_increment,
    .shutdown = net_shutdown,
    .server_start = net_server_start,
    .server_stop = net_server_stop,
    .submit = net_submit,
    .complete = net_complete,
    .stats = net_stats,
};
