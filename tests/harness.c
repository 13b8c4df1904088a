/*
 * harness.c — shared helpers of the plugin tests (see harness.h).
 */
#include "harness.h"

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

const struct incbench_transport *harness_load(const char *name_or_path)
{
    char path[4096];
    if (strchr(name_or_path, '/') != NULL) {
        snprintf(path, sizeof path, "%s", name_or_path);
    } else {
        const char *top = getenv("top_builddir");
        snprintf(path, sizeof path, "%s/plugins/%s/.libs/%s.so",
                 top ? top : "..", name_or_path, name_or_path);
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    ck_assert_msg(h != NULL, "dlopen %s: %s", path, dlerror());
    const struct incbench_transport *t = dlsym(h, INCBENCH_TRANSPORT_SYMBOL);
    ck_assert_msg(t != NULL, "%s: no symbol %s", path, INCBENCH_TRANSPORT_SYMBOL);
    ck_assert_uint_eq(INCBENCH_ABI_MAJOR_OF(t->abi_version), INCBENCH_ABI_MAJOR);
    return t;
}

void harness_params(struct harness_params *hp, const char *address,
                    unsigned timeout_ms, ...)
{
    memset(hp, 0, sizeof *hp);
    hp->p.abi_version = INCBENCH_ABI_VERSION;
    hp->p.section = "test";
    hp->p.address = address;
    hp->p.timeout_ms = timeout_ms;
    hp->p.max_inflight = 1;
    hp->p.options = hp->opts;
    va_list ap;
    va_start(ap, timeout_ms);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        ck_assert_uint_lt(hp->p.n_options, 16);
        hp->opts[hp->p.n_options].key = k;
        hp->opts[hp->p.n_options].value = va_arg(ap, const char *);
        hp->p.n_options++;
    }
    va_end(ap);
}

void *harness_server(const struct incbench_transport *t,
                     const struct harness_params *hp, char bound[64])
{
    void *server = NULL;
    char err[256] = "";
    ck_assert_ptr_nonnull(t->server_start);
    int rc = t->server_start(&server, &hp->p, bound, 64, err, sizeof err);
    ck_assert_msg(rc == 0, "server_start: %s", err);
    return server;
}

/* "unix:/path" or "unix:@name" into *sa; the length bind/connect want. */
static socklen_t unix_address(const char *address, struct sockaddr_un *sa)
{
    const char *name = address + 5;
    const bool abstract = name[0] == '@';
    const size_t n = strlen(name + abstract);
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    ck_assert_uint_lt(n, sizeof sa->sun_path);
    memcpy(sa->sun_path + abstract, name + abstract, n);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

/* Sockets time out after 5 s either way: a test waits no longer. */
static void five_seconds(int fd)
{
    struct timeval tv = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* An autobound client (a unique abstract name of its own), so that
 * harness_accepted_end can tell its peer among the server's sockets. */
static int unix_connect(const char *address)
{
    struct sockaddr_un sa;
    const socklen_t len = unix_address(address, &sa);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    const sa_family_t family = AF_UNIX;
    ck_assert_int_eq(bind(fd, (const struct sockaddr *)&family, sizeof family), 0);
    five_seconds(fd);
    ck_assert_msg(connect(fd, (struct sockaddr *)&sa, len) == 0, "connect %s: %s", address,
                  strerror(errno));
    return fd;
}

int harness_connect(const char *address)
{
    if (strncmp(address, "unix:", 5) == 0)
        return unix_connect(address);
    char host[256];
    const char *colon = strrchr(address, ':');
    ck_assert_ptr_nonnull(colon);
    size_t n = (size_t)(colon - address);
    ck_assert_uint_lt(n, sizeof host);
    memcpy(host, address, n);
    host[n] = '\0';
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
    struct addrinfo *ai = NULL;
    ck_assert_int_eq(getaddrinfo(host, colon + 1, &hints, &ai), 0);
    int fd = socket(ai->ai_family, ai->ai_socktype, 0);
    ck_assert_int_ge(fd, 0);
    five_seconds(fd);
    ck_assert_int_eq(connect(fd, ai->ai_addr, ai->ai_addrlen), 0);
    freeaddrinfo(ai);
    return fd;
}

long long harness_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void harness_nap_ms(long ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The same family, length and bytes: getsockname zeroes what it leaves
 * unused, so a whole sockaddr compares as memory. */
static bool same_name(const struct sockaddr_storage *a, socklen_t al,
                      const struct sockaddr_storage *b, socklen_t bl)
{
    return al == bl && memcmp(a, b, al) == 0;
}

int harness_accepted_end(int client_fd)
{
    struct sockaddr_storage me, server;
    socklen_t ml = sizeof me, sl = sizeof server;
    ck_assert_int_eq(getsockname(client_fd, (struct sockaddr *)&me, &ml), 0);
    ck_assert_int_eq(getpeername(client_fd, (struct sockaddr *)&server, &sl), 0);
    /* Bounded by the descriptor table's usual size. */
    for (int fd = 3; fd < 1024; fd++) {
        struct sockaddr_storage local, peer;
        socklen_t ll = sizeof local, pl = sizeof peer;
        if (fd == client_fd || getsockname(fd, (struct sockaddr *)&local, &ll) != 0 ||
            getpeername(fd, (struct sockaddr *)&peer, &pl) != 0)
            continue;
        if (same_name(&local, ll, &server, sl) && same_name(&peer, pl, &me, ml))
            return fd;
    }
    return -1;
}

bool harness_under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p != NULL && strstr(p, "vgpreload") != NULL;
}

void harness_full_vtable(const struct incbench_transport *t, const char *name)
{
    ck_assert_str_eq(t->name, name);
    ck_assert_uint_eq(t->abi_version, INCBENCH_ABI_VERSION);
    ck_assert_ptr_nonnull(t->server_start);
    ck_assert_ptr_nonnull(t->server_stop);
    ck_assert_ptr_nonnull(t->submit);
    ck_assert_ptr_nonnull(t->complete);
    ck_assert_ptr_nonnull(t->stats);
    t->shutdown(NULL);
    t->server_stop(NULL);
}
