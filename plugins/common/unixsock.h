/*
 * unixsock.h — Unix stream sockets named the way the uds plugin names them:
 * "unix:/path/to.sock" (a socket file) or "unix:@name" (a Linux abstract
 * socket, nothing on disk). Parse, listen (a fresh abstract name when asked
 * for none; a stale socket file replaced, anything else at the path
 * refused), remove what listening left, and connect within a deadline.
 * Errors are -1 plus one sentence naming the address. No state of its own.
 */
#ifndef INCBENCH_PLUGIN_UNIXSOCK_H
#define INCBENCH_PLUGIN_UNIXSOCK_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The longest path or abstract name: sun_path less its terminating NUL
 * (a path) or its leading one (a name). */
#define UNIXSOCK_NAME_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* "unix:/path" or "unix:@name" -> *sa and its length for bind/connect. */
int unixsock_parse(const char *address, struct sockaddr_un *sa, socklen_t *len,
                   char *err, size_t errlen);

/* A name no other server of this process, nor (with odds of 2^-64) any
 * other process, has: "unix:@incbench-<pid>-<counter>-<random>". */
int unixsock_fresh_name(char *out, size_t outlen, char *err, size_t errlen);

/* A non-blocking close-on-exec listening socket on `address` (NULL: a
 * fresh abstract name), its address in bound[boundlen]. *file is what
 * unixsock_unlisten removes at the end: the socket file, or NULL. */
struct unixsock_file;
int unixsock_listen(const char *address, int backlog, struct unixsock_file **file,
                    char *bound, size_t boundlen, char *err, size_t errlen);

/* Remove the socket file listen made, if it is still the one it made, and
 * free *file. NULL does nothing. */
void unixsock_unlisten(struct unixsock_file *file);

/* A blocking close-on-exec socket connected to `address`, or -1 once
 * timeout_ms has passed (the server's backlog full) or at once when no
 * server is there. */
int unixsock_connect(const char *address, unsigned timeout_ms, char *err, size_t errlen);

#endif
