/*
 * net.c — see net.h. Plain POSIX sockets; the only state is the caller's fd.
 */
#include "net.h"

#include "deadline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int net_parse(const char *address, struct net_addr *addr, char *err, size_t errlen)
{
    char host[256];
    const char *port;
    if (address == NULL || address[0] == '\0') {
        snprintf(err, errlen, "empty address (want host:port)");
        return -1;
    }
    if (address[0] == '[') {
        const char *close = strchr(address, ']');
        if (close == NULL || close[1] != ':' || (size_t)(close - address - 1) >= sizeof host) {
            snprintf(err, errlen, "address '%s' is not [ipv6]:port", address);
            return -1;
        }
        memcpy(host, address + 1, (size_t)(close - address - 1));
        host[close - address - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(address, ':');
        if (colon == NULL || (size_t)(colon - address) >= sizeof host) {
            snprintf(err, errlen, "address '%s' is not host:port", address);
            return -1;
        }
        memcpy(host, address, (size_t)(colon - address));
        host[colon - address] = '\0';
        port = colon + 1;
    }
    char *end = NULL;
    long p = strtol(port, &end, 10);
    if (port[0] == '\0' || *end != '\0' || p < 0 || p > 65535) {
        snprintf(err, errlen, "address '%s' has no valid port (0..65535)", address);
        return -1;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV };
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
    if (rc != 0 || ai == NULL) {
        snprintf(err, errlen, "address '%s': %s", address, gai_strerror(rc));
        return -1;
    }
    memcpy(&addr->ss, ai->ai_addr, ai->ai_addrlen);
    addr->len = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

int net_nodelay(int fd)
{
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int net_listen(const char *address, int backlog, char *err, size_t errlen)
{
    /* NULL is a section without `listen` (ABI minor 2): a free loopback port. */
    if (address == NULL)
        address = NET_DEFAULT_LISTEN;
    struct net_addr a;
    if (net_parse(address, &a, err, errlen) != 0)
        return -1;
    int fd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket for %s: %s", address, strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a.ss, a.len) != 0) {
        snprintf(err, errlen, "cannot bind %s: %s", address, strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, backlog) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", address, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int net_local_name(int fd, char *out, size_t outlen, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[INET6_ADDRSTRLEN];
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        snprintf(err, errlen, "getsockname: %s", strerror(errno));
        return -1;
    }
    if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
        snprintf(out, outlen, "[%s]:%u", host, (unsigned)ntohs(s6->sin6_port));
    } else {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
        snprintf(out, outlen, "%s:%u", host, (unsigned)ntohs(s4->sin_port));
    }
    return 0;
}

static int wait_fd(int fd, short events, long long deadline_ms, const char *what,
                   char *err, size_t errlen)
{
    switch (deadline_poll(fd, events, deadline_ms, NULL)) {
    case DEADLINE_READY:
        return 0;
    case DEADLINE_PASSED:
        snprintf(err, errlen, "timed out %s", what);
        errno = ETIMEDOUT;
        return -1;
    case DEADLINE_FAILED:
        break;
    }
    snprintf(err, errlen, "poll while %s: %s", what, strerror(errno));
    return -1;
}

int net_connect(const char *address, unsigned timeout_ms, char *err, size_t errlen)
{
    struct net_addr a;
    if (net_parse(address, &a, err, errlen) != 0)
        return -1;
    int fd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket for %s: %s", address, strerror(errno));
        return -1;
    }
    long long deadline = deadline_now_ms() + timeout_ms;
    if (connect(fd, (struct sockaddr *)&a.ss, a.len) != 0) {
        if (errno != EINPROGRESS) {
            snprintf(err, errlen, "cannot connect to %s: %s", address, strerror(errno));
            close(fd);
            return -1;
        }
        char what[300];
        snprintf(what, sizeof what, "connecting to %s after %u ms", address, timeout_ms);
        if (wait_fd(fd, POLLOUT, deadline, what, err, errlen) != 0) {
            close(fd);
            return -1;
        }
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
        if (soerr != 0) {
            snprintf(err, errlen, "cannot connect to %s: %s", address, strerror(soerr));
            close(fd);
            return -1;
        }
    }
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    net_nodelay(fd);
    return fd;
}

int net_write_all(int fd, const void *buf, size_t n, long long deadline_ms,
                  char *err, size_t errlen)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(fd, POLLOUT, deadline_ms, "writing", err, errlen) != 0)
                return -1;
            continue;
        }
        snprintf(err, errlen, "write failed: %s",
                 w < 0 ? strerror(errno) : "connection closed by peer");
        return -1;
    }
    return 0;
}

int net_read_all(int fd, void *buf, size_t n, long long deadline_ms,
                 char *err, size_t errlen)
{
    char *p = buf;
    while (n > 0) {
        /* Try the read first: on a ping-pong the answer is usually there
         * after one wake-up, and poll() would only add a system call. */
        ssize_t r = recv(fd, p, n, MSG_DONTWAIT);
        if (r > 0) {
            p += r;
            n -= (size_t)r;
            continue;
        }
        if (r == 0) {
            snprintf(err, errlen, "connection closed by peer");
            return -1;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_fd(fd, POLLIN, deadline_ms, "waiting for the answer", err, errlen) != 0)
                return -1;
            continue;
        }
        snprintf(err, errlen, "read failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}
