/*
 * unixsock.c — see unixsock.h. A socket file is the one thing here that
 * outlives a process, so it is handled with care: bind never goes over
 * anything but a dead socket (a regular file someone put there stays as it
 * is), and unlisten removes the file only while it is still the one this
 * server bound (same device and inode), never a successor's.
 */
#include "unixsock.h"

#include "deadline.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PREFIX "unix:"
#define PREFIX_LEN (sizeof PREFIX - 1)
/* Fresh names are drawn again this many times if one is somehow taken. */
#define FRESH_TRIES 4
/* While a server's backlog is full, connect retries this often. */
#define CONNECT_RETRY_MS 2

struct unixsock_file {
    char path[UNIXSOCK_NAME_MAX + 1];
    dev_t dev;
    ino_t ino;
};

int unixsock_parse(const char *address, struct sockaddr_un *sa, socklen_t *len,
                   char *err, size_t errlen)
{
    if (address == NULL || strncmp(address, PREFIX, PREFIX_LEN) != 0) {
        snprintf(err, errlen, "address '%s' is not unix:/path or unix:@name",
                 address != NULL ? address : "");
        return -1;
    }
    const char *name = address + PREFIX_LEN;
    const bool abstract = name[0] == '@';
    if (abstract)
        name++;
    const size_t n = strlen(name);
    if (n == 0) {
        snprintf(err, errlen, "address '%s' names no %s", address,
                 abstract ? "abstract socket (want unix:@name)" : "path (want unix:/path)");
        return -1;
    }
    if (n > UNIXSOCK_NAME_MAX) {
        snprintf(err, errlen, "address '%s': the %s is %zu bytes, over the %zu-byte limit "
                 "of a Unix socket", address, abstract ? "name" : "path", n,
                 (size_t)UNIXSOCK_NAME_MAX);
        return -1;
    }
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    /* An abstract name starts with a NUL and has none at its end: the
     * length, not a terminator, says where it stops. */
    memcpy(sa->sun_path + (abstract ? 1 : 0), name, n);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
    return 0;
}

int unixsock_fresh_name(char *out, size_t outlen, char *err, size_t errlen)
{
    static atomic_ulong counter;
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
        r = (uint64_t)deadline_now_ns() * UINT64_C(0x9e3779b97f4a7c15);
    const unsigned long k = atomic_fetch_add(&counter, 1);
    if ((size_t)snprintf(out, outlen, PREFIX "@incbench-%ld-%lu-%016" PRIx64, (long)getpid(),
                         k, r) >= outlen) {
        snprintf(err, errlen, "no room for a fresh socket name in %zu bytes", outlen);
        return -1;
    }
    return 0;
}

/* Is a server accepting on the socket file at sa? Only a refusal says no. */
static bool someone_listens(const struct sockaddr_un *sa, socklen_t len)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return true;   /* cannot tell: leave the file alone */
    const bool alive = connect(fd, (const struct sockaddr *)sa, len) == 0 ||
                       (errno != ECONNREFUSED && errno != ENOENT);
    close(fd);
    return alive;
}

/* Why bind(sa) failed with `e`, in words about `address`. For a socket file
 * nobody listens on, removes it and returns 1: bind again. */
static int bind_failed(int e, const char *address, const struct sockaddr_un *sa,
                       socklen_t len, char *err, size_t errlen)
{
    const char *path = sa->sun_path;
    if (path[0] == '\0') {   /* abstract */
        if (e == EADDRINUSE)
            snprintf(err, errlen, "cannot listen on %s: the name is taken", address);
        else
            snprintf(err, errlen, "cannot listen on %s: %s", address, strerror(e));
        return -1;
    }
    struct stat st;
    if (e == ENOENT || e == ENOTDIR) {
        const char *slash = strrchr(path, '/');
        const int dlen = slash == NULL || slash == path ? 1 : (int)(slash - path);
        snprintf(err, errlen, "cannot listen on %s: directory '%.*s' %s", address, dlen,
                 slash == NULL ? "." : path,
                 e == ENOENT ? "does not exist" : "is not a directory");
        return -1;
    }
    if (e != EADDRINUSE || lstat(path, &st) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", address, strerror(e));
        return -1;
    }
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(err, errlen, "cannot listen on %s: '%s' exists and is not a socket "
                 "(left as it is)", address, path);
        return -1;
    }
    if (someone_listens(sa, len)) {
        snprintf(err, errlen, "cannot listen on %s: a server already listens there", address);
        return -1;
    }
    /* Another server may have replaced the stale file with its own live
     * one while we probed: remove only the file that was refused. (What is
     * left is the instant between this look and the unlink.) */
    struct stat now;
    if (lstat(path, &now) == 0 && (now.st_dev != st.st_dev || now.st_ino != st.st_ino)) {
        snprintf(err, errlen, "cannot listen on %s: another server took the path "
                 "while its stale socket file was probed", address);
        return -1;
    }
    if (unlink(path) != 0 && errno != ENOENT) {
        snprintf(err, errlen, "cannot listen on %s: removing the stale socket file: %s",
                 address, strerror(errno));
        return -1;
    }
    return 1;
}

/* Bind fd to `address`, replacing a stale socket file once. */
static int bind_to(int fd, const char *address, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    socklen_t len;
    if (unixsock_parse(address, &sa, &len, err, errlen) != 0)
        return -1;
    for (int attempt = 0;; attempt++) {
        if (bind(fd, (struct sockaddr *)&sa, len) == 0)
            return 0;
        const int e = errno;
        if (attempt > 0)   /* taken again since the stale file went */
            snprintf(err, errlen, "cannot listen on %s: %s", address, strerror(e));
        if (attempt > 0 || bind_failed(e, address, &sa, len, err, errlen) < 0) {
            errno = e;
            return -1;
        }
    }
}

/* fd bound to a fresh abstract name, that name in bound[]. */
static int bind_fresh(int fd, char *bound, size_t boundlen, char *err, size_t errlen)
{
    for (int i = 0; i < FRESH_TRIES; i++) {
        if (unixsock_fresh_name(bound, boundlen, err, errlen) != 0)
            return -1;
        if (bind_to(fd, bound, err, errlen) == 0)
            return 0;
        if (errno != EADDRINUSE)
            return -1;
    }
    return -1;
}

/* What unlisten needs to find the file again, and know it for ours. */
static int remember_file(const char *address, struct unixsock_file **file,
                         char *err, size_t errlen)
{
    const char *path = address + PREFIX_LEN;
    if (path[0] == '@')
        return 0;
    struct unixsock_file *f = calloc(1, sizeof *f);
    struct stat st;
    if (f == NULL || stat(path, &st) != 0) {
        snprintf(err, errlen, "listening on %s: %s", address,
                 f == NULL ? "out of memory" : strerror(errno));
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s", path);
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    *file = f;
    return 0;
}

int unixsock_listen(const char *address, int backlog, struct unixsock_file **file,
                    char *bound, size_t boundlen, char *err, size_t errlen)
{
    *file = NULL;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket for %s: %s", address != NULL ? address : "a fresh name",
                 strerror(errno));
        return -1;
    }
    int rc;
    if (address == NULL) {
        rc = bind_fresh(fd, bound, boundlen, err, errlen);
    } else if ((size_t)snprintf(bound, boundlen, "%s", address) >= boundlen) {
        snprintf(err, errlen, "address '%.64s...' is too long", address);
        rc = -1;
    } else {
        rc = bind_to(fd, address, err, errlen);
    }
    if (rc != 0) {
        close(fd);
        return -1;
    }
    /* From here the file is ours: remove it if anything else fails. */
    if (remember_file(bound, file, err, errlen) != 0) {
        close(fd);
        return -1;
    }
    if (listen(fd, backlog) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", bound, strerror(errno));
        unixsock_unlisten(*file);
        *file = NULL;
        close(fd);
        return -1;
    }
    return fd;
}

void unixsock_unlisten(struct unixsock_file *file)
{
    if (file == NULL)
        return;
    struct stat st;
    if (lstat(file->path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == file->dev &&
        st.st_ino == file->ino)
        unlink(file->path);
    free(file);
}

int unixsock_connect(const char *address, unsigned timeout_ms, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    socklen_t len;
    if (unixsock_parse(address, &sa, &len, err, errlen) != 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket for %s: %s", address, strerror(errno));
        return -1;
    }
    const long long deadline = deadline_now_ms() + timeout_ms;
    /* A Unix socket never connects in the background: the connect is done
     * or refused at once, or (EAGAIN) the backlog is full and it must be
     * tried again. Bounded by the deadline, each round sleeping. */
    while (connect(fd, (struct sockaddr *)&sa, len) != 0) {
        const int e = errno;
        if (e == EINTR)
            continue;
        if (e != EAGAIN) {
            struct stat st;
            const bool file = sa.sun_path[0] != '\0' && lstat(sa.sun_path, &st) == 0;
            snprintf(err, errlen, "cannot connect to %s: %s", address,
                     file && !S_ISSOCK(st.st_mode) ? "the file there is not a socket" :
                     e == ECONNREFUSED ? "nothing listens there (connection refused)" :
                     e == ENOENT ? "no such socket file" : strerror(e));
            close(fd);
            return -1;
        }
        const long long left = deadline - deadline_now_ms();
        if (left <= 0) {
            snprintf(err, errlen, "timed out connecting to %s after %u ms (its backlog "
                     "stayed full)", address, timeout_ms);
            close(fd);
            return -1;
        }
        const long ms = left < CONNECT_RETRY_MS ? (long)left : CONNECT_RETRY_MS;
        const struct timespec nap = { .tv_sec = 0, .tv_nsec = ms * 1000000L };
        nanosleep(&nap, NULL);
    }
    const int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}
