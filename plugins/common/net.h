/*
 * net.h — the socket chores every TCP-based in-tree plugin shares: parse a
 * "host:port", listen on it, name what was really bound, connect within a
 * deadline, and read/write whole buffers within a deadline. IPv4 and IPv6
 * ("[::1]:8080"). Errors are -1 plus one sentence naming the address.
 */
#ifndef INCBENCH_PLUGIN_NET_H
#define INCBENCH_PLUGIN_NET_H

#include <stddef.h>
#include <sys/socket.h>

struct net_addr {
    struct sockaddr_storage ss;
    socklen_t len;
};

/* "127.0.0.1:0", "localhost:8080", "[::1]:9000" -> addr. Numeric ports only. */
int net_parse(const char *address, struct net_addr *addr, char *err, size_t errlen);

/* Where a TCP server binds when the section sets no `listen`. */
#define NET_DEFAULT_LISTEN "127.0.0.1:0"

/* Non-blocking listening socket with SO_REUSEADDR, bound to `address`
 * (NULL: NET_DEFAULT_LISTEN). */
int net_listen(const char *address, int backlog, char *err, size_t errlen);

/* "host:port" of a bound socket (the real port when 0 was asked for). */
int net_local_name(int fd, char *out, size_t outlen, char *err, size_t errlen);

/* Blocking connected socket with TCP_NODELAY, or -1 when `timeout_ms`
 * passes first. The socket is left in blocking mode. */
int net_connect(const char *address, unsigned timeout_ms, char *err, size_t errlen);

/* Disable Nagle: a ping-pong of small messages otherwise meets delayed ACKs. */
int net_nodelay(int fd);

/* Write / read exactly n bytes of a blocking socket, polling so that the
 * whole transfer ends by `deadline_ms` (deadline_now_ms() time, deadline.h). -1 with a
 * sentence on timeout, peer close ("connection closed by peer") or error. */
int net_write_all(int fd, const void *buf, size_t n, long long deadline_ms,
                  char *err, size_t errlen);
int net_read_all(int fd, void *buf, size_t n, long long deadline_ms,
                 char *err, size_t errlen);

#endif
