/*
 * listener.c — see listener.h. One thread per server, asleep in poll
 * between connections: nothing here runs on the per-call path.
 */
#include "listener.h"

#include "../common/net.h"

#include <errno.h>
#include <fcntl.h>
#include <grpc/grpc_posix.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* Descriptors kept for the rest of the process (gRPC's own, the runner's
 * files, its client in `server = thread`) when connections crowd in; a
 * quarter of the limit when that is smaller. */
#define FD_RESERVE 64
#define BATCH 64     /* connections taken before looking at the wake pipe */
#define RETRY_MS 100 /* wait after an error that time may cure */

void gc_listener_init(struct gc_listener *l)
{
    memset(l, 0, sizeof *l);
    l->fd = l->spare = l->wake[0] = l->wake[1] = -1;
}

/* Each connection costs a descriptor: allow as many as the hard limit
 * does. Process-global, so in `server = thread` the runner's process too;
 * that process is ours, and the limit is only ever raised, so nothing that
 * worked before stops working. Nothing of ours uses select(), which could
 * not take descriptors past FD_SETSIZE. */
static void raise_fd_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &r); /* best effort: the old limit stands */
    }
}

/* Would taking descriptor `fd` leave the process too few? Descriptors are
 * handed out lowest first, so every one below `fd` is in use. */
static bool crowded(int fd)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
        return false;
    const rlim_t reserve = r.rlim_cur / 4 < FD_RESERVE ? r.rlim_cur / 4 : FD_RESERVE;
    return (rlim_t)fd + reserve >= r.rlim_cur;
}

static int spare_open(void)
{
    return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Out of descriptors: give up the spare to take the connection waiting
 * longest and close it, so that its peer learns at once instead of
 * hanging in the backlog. false when there was no spare to give. */
static bool shed(struct gc_listener *l)
{
    if (l->spare < 0) {
        l->spare = spare_open();
        return false;
    }
    close(l->spare);
    const int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0)
        close(fd);
    l->spare = spare_open();
    return fd >= 0;
}

static void hand_over(struct gc_listener *l, int fd)
{
    if (crowded(fd)) {
        close(fd);
        return;
    }
    (void)net_nodelay(fd); /* as gRPC's listener sets: small messages, no Nagle */
    grpc_server_add_channel_from_fd(l->srv, fd, l->creds); /* gRPC owns fd now */
}

/* Take the connections waiting; the poll timeout next: -1 (none left),
 * 0 (a full batch: more may wait) or RETRY_MS (wait, then try again). */
static int accept_waiting(struct gc_listener *l)
{
    for (int i = 0; i < BATCH; i++) {
        const int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            hand_over(l, fd);
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return -1;
        if (errno == EMFILE || errno == ENFILE) {
            if (shed(l))
                continue;
            return RETRY_MS;
        }
        /* That connection's own trouble (aborted, a network error Linux
         * passes on from it): the next one may be fine. */
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == EPERM ||
            errno == ENETDOWN || errno == ENETUNREACH || errno == EHOSTDOWN ||
            errno == EHOSTUNREACH || errno == ENOPROTOOPT || errno == EOPNOTSUPP)
            continue;
        return RETRY_MS; /* ENOBUFS, ENOMEM, anything else: never give up */
    }
    return 0;
}

static void *accept_thread(void *arg)
{
    struct gc_listener *l = arg;
    int timeout = -1;
    for (;;) {
        /* While backing off, only the wake pipe: the listener stays
         * readable and would wake us at once. */
        struct pollfd p[2] = { { .fd = l->wake[0], .events = POLLIN },
                               { .fd = l->fd, .events = POLLIN } };
        const nfds_t n = timeout == RETRY_MS ? 1 : 2;
        if (poll(p, n, timeout) < 0 && errno != EINTR) {
            timeout = RETRY_MS;
            continue;
        }
        if (p[0].revents != 0)
            break;
        timeout = accept_waiting(l);
    }
    return NULL;
}

int gc_listener_open(struct gc_listener *l, const char *who, const char *address,
                     char *bound, size_t boundlen, char *err, size_t errlen)
{
    raise_fd_limit();
    char why[256] = "";
    l->fd = net_listen(address, SOMAXCONN, why, sizeof why);
    if (l->fd < 0 || net_local_name(l->fd, bound, boundlen, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", who, why);
        return -1;
    }
    if (pipe2(l->wake, O_CLOEXEC | O_NONBLOCK) != 0 || (l->spare = spare_open()) < 0) {
        snprintf(err, errlen, "%s: cannot set up the listener on %s: %s", who, bound,
                 strerror(errno));
        return -1;
    }
    return 0;
}

int gc_listener_start(struct gc_listener *l, const char *who, grpc_server *srv,
                      char *err, size_t errlen)
{
    l->srv = srv;
    l->creds = grpc_insecure_server_credentials_create();
    if (l->creds == NULL || pthread_create(&l->thread, NULL, accept_thread, l) != 0) {
        snprintf(err, errlen, "%s: cannot start the listener thread", who);
        return -1;
    }
    l->thread_started = true;
    return 0;
}

void gc_listener_close(struct gc_listener *l)
{
    if (l->thread_started) {
        const char stop = 1;
        for (int i = 0; i < 8 && write(l->wake[1], &stop, 1) < 0 && errno == EINTR; i++) {
        }
        pthread_join(l->thread, NULL);
        l->thread_started = false;
    }
    if (l->creds != NULL)
        grpc_server_credentials_release(l->creds);
    l->creds = NULL;
    const int fds[] = { l->fd, l->spare, l->wake[0], l->wake[1] };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    l->fd = l->spare = l->wake[0] = l->wake[1] = -1;
}
