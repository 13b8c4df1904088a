/*
 * burn.c — a right network plugin whose server thread burns `burn_us`
 * (default 1000) microseconds of its own CPU time before each answer, so a
 * test can check that the runner charges that time to the server and not
 * to the client, which sleeps in a blocking read meanwhile. Protocol: 8
 * bytes (the value, host order) each way on one TCP connection.
 */
#include <incbench/transport.h>

#include "deadline.h"
#include "net.h"
#include "options.h"

#include <errno.h>
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

struct burn_server {
    int listen_fd, stop_pipe[2];
    long burn_ns;
    pthread_t thread;
    bool started;
};

struct burn_client {
    int fd;
    unsigned timeout_ms;
};

static const char *const known[] = { "burn_us", NULL };

/* burn_us, 1000 when absent; any other key is refused. */
static int options(const struct incbench_params *p, unsigned *burn_us, char *err, size_t errlen)
{
    *burn_us = 1000;
    if (opts_check(p, "burn", known, err, errlen) != 0)
        return -1;
    return opts_uint(p, "burn", "burn_us", 0, 1000000, burn_us, err, errlen);
}

static long long thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Serve one connection until it closes or stop is asked. */
static void serve(struct burn_server *s, int fd)
{
    for (;;) {
        struct pollfd pf[2] = { { fd, POLLIN, 0 }, { s->stop_pipe[0], POLLIN, 0 } };
        if (poll(pf, 2, 1000) < 0 && errno != EINTR)
            return;
        if (pf[1].revents)
            return;
        if (!pf[0].revents)
            continue;
        int64_t v;
        if (recv(fd, &v, sizeof v, MSG_WAITALL) != (ssize_t)sizeof v)
            return;
        const long long until = thread_cpu_ns() + s->burn_ns;
        volatile uint64_t spin = 0;
        while (thread_cpu_ns() < until)    /* bounded: this thread's CPU clock runs */
            spin++;
        v++;
        if (send(fd, &v, sizeof v, MSG_NOSIGNAL) != (ssize_t)sizeof v)
            return;
    }
}

static void *server_main(void *arg)
{
    struct burn_server *s = arg;
    for (;;) {
        struct pollfd pf[2] = { { s->listen_fd, POLLIN, 0 }, { s->stop_pipe[0], POLLIN, 0 } };
        if (poll(pf, 2, 1000) < 0 && errno != EINTR)
            return NULL;
        if (pf[1].revents)
            return NULL;
        if (!pf[0].revents)
            continue;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        /* A peer that sends half a value cannot hold the thread (and stop). */
        struct timeval tv = { .tv_sec = 1 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        serve(s, fd);
        close(fd);
    }
}

static void burn_server_stop(void *server)
{
    struct burn_server *s = server;
    if (s == NULL)
        return;
    if (s->started) {
        if (write(s->stop_pipe[1], "x", 1) < 0) {
            /* The pipe is ours and empty: a write cannot fail here. */
        }
        pthread_join(s->thread, NULL);
    }
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->stop_pipe[0] >= 0) {
        close(s->stop_pipe[0]);
        close(s->stop_pipe[1]);
    }
    free(s);
}

static int burn_server_start(void **server, const struct incbench_params *p, char *bound,
                             size_t boundlen, char *err, size_t errlen)
{
    unsigned burn_us;
    struct burn_server *s = calloc(1, sizeof *s);
    *server = s;
    if (s == NULL) {
        snprintf(err, errlen, "burn: out of memory");
        return -1;
    }
    s->listen_fd = s->stop_pipe[0] = s->stop_pipe[1] = -1;
    if (options(p, &burn_us, err, errlen) != 0)
        return -1;
    s->burn_ns = (long)burn_us * 1000;
    if (pipe(s->stop_pipe) != 0) {
        s->stop_pipe[0] = s->stop_pipe[1] = -1;
        snprintf(err, errlen, "burn: pipe: %s", strerror(errno));
        return -1;
    }
    s->listen_fd = net_listen(p->address, 16, err, errlen);
    if (s->listen_fd < 0 || net_local_name(s->listen_fd, bound, boundlen, err, errlen) != 0)
        return -1;
    if (pthread_create(&s->thread, NULL, server_main, s) != 0) {
        snprintf(err, errlen, "burn: cannot start the server thread");
        return -1;
    }
    s->started = true;
    return 0;
}

static void burn_shutdown(void *client)
{
    struct burn_client *c = client;
    if (c == NULL)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

static int burn_init(void **client, const struct incbench_params *p, char *err,
                     size_t errlen)
{
    unsigned burn_us;
    struct burn_client *c = calloc(1, sizeof *c);
    *client = c;
    if (c == NULL) {
        snprintf(err, errlen, "burn: out of memory");
        return -1;
    }
    c->fd = -1;
    c->timeout_ms = p->timeout_ms;
    if (options(p, &burn_us, err, errlen) != 0)
        return -1;
    c->fd = net_connect(p->address, p->timeout_ms, err, errlen);
    return c->fd < 0 ? -1 : 0;
}

static int burn_increment(void *client, int64_t value, int64_t *result, char *err,
                          size_t errlen)
{
    struct burn_client *c = client;
    if (value == INT64_MAX) {
        snprintf(err, errlen, "burn: %lld + 1 would overflow", (long long)value);
        return -1;
    }
    long long deadline = deadline_now_ms() + c->timeout_ms;
    if (net_write_all(c->fd, &value, sizeof value, deadline, err, errlen) != 0)
        return -1;
    return net_read_all(c->fd, result, sizeof *result, deadline, err, errlen);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "burn",
    .summary = "test: the server burns burn_us of CPU per call",
    .init = burn_init,
    .increment = burn_increment,
    .shutdown = burn_shutdown,
    .server_start = burn_server_start,
    .server_stop = burn_server_stop,
};
