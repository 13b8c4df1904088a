/*
 * net.c — a small honest network plugin (16-byte frames of tag and value
 * over TCP, a server thread, a deadline on every wait, submit/complete,
 * stats; plugins/common's sockets and deadlines), built once as `net` and
 * once per defect that `--check-plugin` must catch, each switched on by
 * one macro:
 *   NET_STDOUT      init prints to stdout
 *   NET_GLOBAL      every client shares one socket, held in a global
 *   NET_NOPIPE      no submit/complete (with NET_GLOBAL: clients never cross
 *                   answers, only one's shutdown breaks the other)
 *   NET_LEAK        shutdown does not free the client's buffer
 *   NET_STOPLEAK    server_stop leaves the listening socket and its state
 *   NET_NOTIMEOUT   calls block on the socket without the deadline
 *   NET_NOCLOEXEC   the client's socket is not close-on-exec
 *   NET_SHAREDSTATS every client's stats count every client's connections
 *   NET_SERVEROPTS  server_start ignores the options it does not know
 *   NET_UNQUOTED    init names an unknown option without quotes
 *   NET_MINOR1      not a defect: built as ABI minor 1 (before NULL listen
 *                   existed), its server_start refuses a NULL address, so
 *                   a runner that hands an old plugin NULL fails loudly
 *   NET_TLS         not a defect: ABI minor 3, every call on a connection
 *                   of its own (as rest's close mode), each counted as a
 *                   TLS handshake would be: the first full, the rest
 *                   resumed; so the report's handshake columns can be
 *                   tested end to end without OpenSSL (use with NET_NOPIPE)
 *   NET_TLSLIE      with NET_TLS: counts one full handshake more than it
 *                   made connections
 *   NET_SHAREDTLS   with NET_TLS: one count of resumed handshakes for every
 *                   client (connections stay each client's own)
 *   NET_MINOR2      not a defect: built as ABI minor 2, yet its stats
 *                   writes poison where minor 3's handshake counters lie,
 *                   which a runner must never read from a minor-2 plugin
 * Test-only; never installed.
 */
#include <incbench/transport.h>

#include "deadline.h"
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAME 16
#define MAX_CONNS 512
#define BUF_BYTES 8192   /* a per-client buffer, so a leaked client shows in the heap */
#define SERVER_IO_MS 1000 /* a frame split mid-way, or an answer nobody reads */

/* ---- server: one thread, poll over the listener and its connections ---- */

struct server {
    int lfd, wake[2];
    int conns[MAX_CONNS];
    pthread_t th;
};

static void serve_one(int *fd)
{
    unsigned char f[FRAME];
    char err[128];
    const long long deadline = deadline_now_ms() + SERVER_IO_MS;
    int64_t v;
    if (net_read_all(*fd, f, FRAME, deadline, err, sizeof err) == 0) {
        memcpy(&v, f + 8, 8);
        v++;
        memcpy(f + 8, &v, 8);
        if (net_write_all(*fd, f, FRAME, deadline, err, sizeof err) == 0)
            return;
    }
    close(*fd);
    *fd = -1;
}

static void *serve(void *arg)
{
    struct server *s = arg;
    for (;;) {
        struct pollfd p[MAX_CONNS + 2] = { { s->wake[0], POLLIN, 0 }, { s->lfd, POLLIN, 0 } };
        for (int i = 0; i < MAX_CONNS; i++)
            p[i + 2] = (struct pollfd){ s->conns[i], POLLIN, 0 };
        if (poll(p, MAX_CONNS + 2, 1000) < 0 && errno != EINTR)
            break;
        if (p[0].revents)
            break;
        if (p[1].revents & POLLIN) {
            int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
            int i = 0;
            while (fd >= 0 && i < MAX_CONNS && s->conns[i] >= 0)
                i++;
            if (fd >= 0 && i == MAX_CONNS)
                close(fd);
            else if (fd >= 0)
                s->conns[i] = fd;
        }
        for (int i = 0; i < MAX_CONNS; i++)
            if (s->conns[i] >= 0 && p[i + 2].revents)
                serve_one(&s->conns[i]);
    }
    return NULL;
}

static int net_server_start(void **server, const struct incbench_params *params, char *bound,
                            size_t boundlen, char *err, size_t errlen)
{
    struct server *s = calloc(1, sizeof *s);
    *server = s;
    if (s == NULL) {
        snprintf(err, errlen, "net: out of memory");
        return -1;
    }
    s->lfd = s->wake[0] = s->wake[1] = -1;
    for (int i = 0; i < MAX_CONNS; i++)
        s->conns[i] = -1;
#ifndef NET_SERVEROPTS
    if (params->n_options > 0) {
        snprintf(err, errlen, "net: unknown option '%s'", params->options[0].key);
        return -1;
    }
#endif
#ifdef NET_MINOR1
    if (params->address == NULL) {
        snprintf(err, errlen, "netminor1: server_start got no address, but a minor-1 plugin "
                 "is promised one");
        return -1;
    }
#endif
    s->lfd = net_listen(params->address, 64, err, errlen);
    if (s->lfd < 0 || net_local_name(s->lfd, bound, boundlen, err, errlen) != 0)
        return -1;
    if (pipe2(s->wake, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "net: pipe: %s", strerror(errno));
        return -1;
    }
    if (pthread_create(&s->th, NULL, serve, s) != 0) {
        close(s->wake[1]);
        s->wake[1] = -1;    /* server_stop: no thread to wake */
        snprintf(err, errlen, "net: starting the server thread failed");
        return -1;
    }
    return 0;
}

static void net_server_stop(void *server)
{
    struct server *s = server;
    if (s == NULL)
        return;
    if (s->wake[1] >= 0) {
        if (write(s->wake[1], "x", 1) == 1)
            pthread_join(s->th, NULL);
    }
    for (int i = 0; i < MAX_CONNS; i++)
        if (s->conns[i] >= 0)
            close(s->conns[i]);
    if (s->wake[0] >= 0)
        close(s->wake[0]);
    if (s->wake[1] >= 0)
        close(s->wake[1]);
#ifndef NET_STOPLEAK
    if (s->lfd >= 0)
        close(s->lfd);
    free(s);
#endif
}

/* ---- client ---- */

struct client {
    int fd;
    unsigned timeout_ms;
    uint64_t connections;
    unsigned char *buf;
#ifdef NET_TLS
    char address[INCBENCH_MIN_BOUNDLEN];
    bool runner_minor3;           /* the runner's struct has the handshake members */
    bool used;                    /* init's connection has carried its call */
    uint64_t full, resumed;
#endif
};

#define POISON_HANDSHAKES 4242

#ifdef NET_SHAREDTLS
static uint64_t all_resumed;
#define RESUMED(c) (*((void)(c), &all_resumed))
#else
#define RESUMED(c) ((c)->resumed)
#endif

#ifdef NET_SHAREDSTATS
static uint64_t all_connections;
#define CONNECTIONS(c) (*((void)(c), &all_connections))
#else
#define CONNECTIONS(c) ((c)->connections)
#endif

#ifdef NET_GLOBAL
static int shared_fd = -1;
#define FD(c) shared_fd
#else
#define FD(c) ((c)->fd)
#endif

static int net_init(void **client, const struct incbench_params *params, char *err,
                    size_t errlen)
{
    struct client *c = calloc(1, sizeof *c);
    *client = c;
    if (c == NULL || (c->buf = malloc(BUF_BYTES)) == NULL) {
        snprintf(err, errlen, "net: out of memory");
        return -1;
    }
    c->fd = -1;
    c->timeout_ms = params->timeout_ms;
    if (params->n_options > 0) {
#ifdef NET_UNQUOTED
        snprintf(err, errlen, "net: unknown option %s", params->options[0].key);
#else
        snprintf(err, errlen, "net: unknown option '%s'", params->options[0].key);
#endif
        return -1;
    }
    FD(c) = net_connect(params->address, c->timeout_ms, err, errlen);
    if (FD(c) < 0)
        return -1;
#ifdef NET_NOCLOEXEC
    fcntl(FD(c), F_SETFD, 0);
#endif
#ifdef NET_NOTIMEOUT
    /* a far bound of its own on reads instead of timeout_ms */
    struct timeval tv = { 20, 0 };
    if (setsockopt(FD(c), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
        snprintf(err, errlen, "net: SO_RCVTIMEO: %s", strerror(errno));
        return -1;
    }
#endif
    CONNECTIONS(c)++;
#ifdef NET_TLS
    snprintf(c->address, sizeof c->address, "%s", params->address);
    c->runner_minor3 = INCBENCH_ABI_MINOR_OF(params->abi_version) >= 3;
    c->full = 1;
#endif
#ifdef NET_STDOUT
    printf("net: connected to %s\n", params->address);
#endif
    return 0;
}

static int send_frame(struct client *c, uint64_t tag, int64_t value, char *err, size_t errlen)
{
    if (value == INT64_MAX) {
        snprintf(err, errlen, "net: %lld + 1 would overflow", (long long)value);
        return -1;
    }
    memcpy(c->buf, &tag, 8);
    memcpy(c->buf + 8, &value, 8);
    return net_write_all(FD(c), c->buf, FRAME, deadline_now_ms() + c->timeout_ms, err, errlen);
}

static int recv_frame(struct client *c, uint64_t *tag, int64_t *result, char *err,
                      size_t errlen)
{
#ifdef NET_NOTIMEOUT
    if (recv(FD(c), c->buf, FRAME, MSG_WAITALL) != FRAME) {
        snprintf(err, errlen, "net: recv: %s", strerror(errno));
        return -1;
    }
#else
    if (net_read_all(FD(c), c->buf, FRAME, deadline_now_ms() + c->timeout_ms, err, errlen) != 0)
        return -1;
#endif
    memcpy(tag, c->buf, 8);
    memcpy(result, c->buf + 8, 8);
    return 0;
}

#ifdef NET_TLS
/* The first call uses the connection init made; every later one comes on
 * a new connection, as a client that resumes its session would. */
static int reconnect(struct client *c, char *err, size_t errlen)
{
    if (!c->used) {
        c->used = true;
        return 0;
    }
    close(c->fd);
    c->fd = net_connect(c->address, c->timeout_ms, err, errlen);
    if (c->fd < 0)
        return -1;
    CONNECTIONS(c)++;
    RESUMED(c)++;
    return 0;
}
#endif

static int net_increment(void *client, int64_t value, int64_t *result, char *err, size_t errlen)
{
    uint64_t tag;
#ifdef NET_TLS
    if (reconnect(client, err, errlen) != 0)
        return -1;
#endif
    if (send_frame(client, 0, value, err, errlen) != 0)
        return -1;
    return recv_frame(client, &tag, result, err, errlen);
}

#ifndef NET_NOPIPE
static int net_submit(void *client, uint64_t tag, int64_t value, char *err, size_t errlen)
{
    return send_frame(client, tag, value, err, errlen);
}

static int net_complete(void *client, uint64_t *tag, int64_t *result, char *err, size_t errlen)
{
    return recv_frame(client, tag, result, err, errlen);
}
#endif

static void net_stats(void *client, struct incbench_stats *stats)
{
    const struct client *c = client;
    stats->connections = CONNECTIONS(c);
#ifdef NET_TLS
    if (c->runner_minor3) {
#ifdef NET_TLSLIE
        stats->tls_full_handshakes = c->full + 1;
#else
        stats->tls_full_handshakes = c->full;
#endif
        stats->tls_resumed_handshakes = RESUMED(c);
    }
#endif
#ifdef NET_MINOR2
    stats->tls_full_handshakes = POISON_HANDSHAKES;
    stats->tls_resumed_handshakes = POISON_HANDSHAKES;
#endif
}

static void net_shutdown(void *client)
{
    struct client *c = client;
    if (c == NULL)
        return;
    if (FD(c) >= 0)
        close(FD(c));
    FD(c) = -1;
#ifndef NET_LEAK
    free(c->buf);
#endif
    free(c);
}

const struct incbench_transport incbench_transport = {
#ifdef NET_MINOR1
    .abi_version = INCBENCH_ABI_MAKE(1, 1),
#elif defined NET_MINOR2
    .abi_version = INCBENCH_ABI_MAKE(1, 2),
#else
    .abi_version = INCBENCH_ABI_VERSION,
#endif
#ifdef NET_TLS
    .name = "nettls",
#else
    .name = "net",
#endif
    .summary = "test: 16-byte frames over TCP, a server thread, deadlines",
    .init = net_init,
    .increment = net_increment,
    .shutdown = net_shutdown,
    .server_start = net_server_start,
    .server_stop = net_server_stop,
#ifndef NET_NOPIPE
    .submit = net_submit,
    .complete = net_complete,
#endif
    .stats = net_stats,
};
