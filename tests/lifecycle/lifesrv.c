/*
 * lifesrv.c — a test-only transport whose server misbehaves on request, to
 * test the runner's server lifecycle: the wire is 8 bytes of int64 each way,
 * one thread, one client at a time. Options (server side):
 *   die_after = N    the server process SIGKILLs itself after N answers
 *   hang_start = 1   server_start never returns (so --serve never says READY)
 * Never installed; the real transports live in plugins/.
 */
#include <incbench/transport.h>

#include "../../plugins/common/deadline.h"
#include "../../plugins/common/net.h"
#include "../../plugins/common/options.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const known[] = { "die_after", "hang_start", NULL };

struct server {
    int lfd;
    int stop[2];
    unsigned die_after;
    unsigned answered;
    pthread_t thread;
};

struct client {
    int fd;
    unsigned timeout_ms;
};

static void serve_conn(struct server *s, int fd)
{
    for (;;) {
        struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = s->stop[0], .events = POLLIN } };
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        int64_t v;
        char err[128];
        if (net_read_all(fd, &v, sizeof v, deadline_now_ms() + 5000, err, sizeof err) != 0)
            break;
        if (s->die_after > 0 && s->answered >= s->die_after)
            raise(SIGKILL);
        int64_t r = v == INT64_MAX ? v : v + 1; /* the client refuses INT64_MAX first */
        if (net_write_all(fd, &r, sizeof r, deadline_now_ms() + 5000, err, sizeof err) != 0)
            break;
        s->answered++;
    }
    close(fd);
}

static void *serve(void *arg)
{
    struct server *s = arg;
    for (;;) {
        struct pollfd p[2] = { { .fd = s->lfd, .events = POLLIN }, { .fd = s->stop[0], .events = POLLIN } };
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        net_nodelay(fd);
        serve_conn(s, fd);
    }
    return NULL;
}

static int srv_start(void **out, const struct incbench_params *pp, char *bound, size_t blen,
                     char *err, size_t errlen)
{
    *out = NULL;
    unsigned die_after = 0, hang = 0;
    if (opts_check(pp, "lifesrv", known, err, errlen) ||
        opts_uint(pp, "lifesrv", "die_after", 0, 1u << 30, &die_after, err, errlen) ||
        opts_uint(pp, "lifesrv", "hang_start", 0, 1, &hang, err, errlen))
        return -1;
    if (hang) {
        sleep(60);   /* long past any ready_timeout_ms a test uses */
        snprintf(err, errlen, "lifesrv: hang_start gave up");
        return -1;
    }
    struct server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, errlen, "lifesrv: out of memory");
        return -1;
    }
    s->die_after = die_after;
    s->stop[0] = s->stop[1] = -1;
    s->lfd = net_listen(pp->address, 16, err, errlen);
    if (s->lfd < 0 || pipe(s->stop) != 0 || net_local_name(s->lfd, bound, blen, err, errlen)) {
        *out = s;
        return -1;
    }
    if (pthread_create(&s->thread, NULL, serve, s) != 0) {
        snprintf(err, errlen, "lifesrv: cannot start its thread");
        close(s->stop[1]);
        s->stop[1] = -1;
        *out = s;
        return -1;
    }
    *out = s;
    return 0;
}

static void srv_stop(void *arg)
{
    struct server *s = arg;
    if (s == NULL)
        return;
    if (s->stop[1] >= 0) {
        if (write(s->stop[1], "x", 1) == 1)
            pthread_join(s->thread, NULL);
        close(s->stop[1]);
    }
    if (s->stop[0] >= 0)
        close(s->stop[0]);
    if (s->lfd >= 0)
        close(s->lfd);
    free(s);
}

static int cli_init(void **out, const struct incbench_params *pp, char *err, size_t errlen)
{
    *out = NULL;
    if (opts_check(pp, "lifesrv", known, err, errlen) != 0)
        return -1;
    struct client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, errlen, "lifesrv: out of memory");
        return -1;
    }
    *out = c;
    c->timeout_ms = pp->timeout_ms;
    c->fd = net_connect(pp->address, pp->timeout_ms, err, errlen);
    return c->fd < 0 ? -1 : 0;
}

static int cli_increment(void *arg, int64_t v, int64_t *r, char *err, size_t errlen)
{
    struct client *c = arg;
    if (v == INT64_MAX) {
        snprintf(err, errlen, "lifesrv: %lld + 1 would overflow", (long long)v);
        return -1;
    }
    long long deadline = deadline_now_ms() + c->timeout_ms;
    if (net_write_all(c->fd, &v, sizeof v, deadline, err, errlen) != 0 ||
        net_read_all(c->fd, r, sizeof *r, deadline, err, errlen) != 0)
        return -1;
    return 0;
}

static void cli_shutdown(void *arg)
{
    struct client *c = arg;
    if (c == NULL)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

static void cli_stats(void *arg, struct incbench_stats *st)
{
    struct client *c = arg;
    st->connections = c->fd >= 0 ? 1 : 0;
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "lifesrv",
    .summary = "test only: a server that dies or never gets ready on request",
    .init = cli_init,
    .increment = cli_increment,
    .shutdown = cli_shutdown,
    .server_start = srv_start,
    .server_stop = srv_stop,
    .stats = cli_stats,
};
