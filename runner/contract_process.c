/*
 * contract_process.c — the rules of `--check-plugin` about what a plugin
 * does to the process around it, which one client answering right cannot
 * show: state shared between clients or servers (two sections of one
 * plugin collide in a run), memory, descriptors or threads left behind by
 * shutdown and server_stop (a long sweep runs out of them), descriptors a
 * spawned server would inherit (they are not close-on-exec), and calls that
 * wait past timeout_ms on a peer that accepts and never answers (a run
 * hangs instead of failing).
 */
#include "contract_rule.h"

#include "deadline.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Prepend context to the message a step left in c->msg. */
static void prefix(struct contract_ctx *c, const char *fmt, ...)
{
    char head[256], tail[sizeof c->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    snprintf(tail, sizeof tail, "%s", c->msg);
    snprintf(c->msg, sizeof c->msg, "%s%s", head, tail);
}

static void drop(const struct contract_ctx *c, void **client, void **server)
{
    if (client != NULL && *client != NULL) {
        c->p->t->shutdown(*client);
        *client = NULL;
    }
    if (server != NULL && *server != NULL) {
        c->p->t->server_stop(*server);
        *server = NULL;
    }
}

/* ---- two clients and two servers side by side ---- */

#define SIDE_CALLS 100
#define B_BASE ((int64_t)1 << 40)    /* client B's chain, far from A's */
#define SIDE_INFLIGHT 4

/* Four submits on each client, A's all before B's, then B's completed
 * first: a plugin whose clients share one connection hands B the answers
 * to A's submits. Every answer must be its own client's, for its tag. */
static int pipelined_pair(struct contract_ctx *c, void *a, void *b)
{
    const struct incbench_transport *t = c->p->t;
    void *const who[2] = { a, b };
    const int64_t base[2] = { 7000, B_BASE + 7000 };
    char err[INCBENCH_MIN_ERRLEN] = "";
    for (int w = 0; w < 2; w++)
        for (uint64_t k = 0; k < SIDE_INFLIGHT; k++)
            if (t->submit(who[w], k, base[w] + (int64_t)k * 10, err, sizeof err) != 0) {
                plugin_seal(err, sizeof err);
                snprintf(c->msg, sizeof c->msg, "client %c: submit of tag %llu failed: %s",
                         "AB"[w], (unsigned long long)k, err);
                return -1;
            }
    for (int w = 1; w >= 0; w--)
        for (int i = 0; i < SIDE_INFLIGHT; i++) {
            uint64_t tag = 0;
            int64_t r = 0;
            if (t->complete(who[w], &tag, &r, err, sizeof err) != 0) {
                plugin_seal(err, sizeof err);
                snprintf(c->msg, sizeof c->msg, "client %c: complete %d of %d failed: %s",
                         "AB"[w], i + 1, SIDE_INFLIGHT, err);
                return -1;
            }
            int64_t want = base[w] + (int64_t)tag * 10 + 1;
            if (tag >= SIDE_INFLIGHT || r != want) {
                snprintf(c->msg, sizeof c->msg, "client %c: tag %llu answered %lld, want %lld "
                         "(answers crossed between the two clients?)", "AB"[w],
                         (unsigned long long)tag, (long long)r, (long long)want);
                return -1;
            }
        }
    return 0;
}

/* A's counters must not move while another client is made, calls and is
 * shut down: a count kept for the whole plugin (bumped by every init, or
 * every call) shows there. */
static int stats_apart(struct contract_ctx *c, void *a, const char *address)
{
    struct incbench_stats before, after;
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    c->p->stats(a, &before);
    void *other = NULL;
    int rc = contract_client(c, address, CONTRACT_TIMEOUT_MS, &other);
    for (int i = 0; rc == 0 && i < 10; i++)
        rc = contract_expect(c, other, B_BASE + SIDE_CALLS + i);
    drop(c, &other, NULL);
    if (rc != 0) {
        prefix(c, "a third client, made while client A lives: ");
        return -1;
    }
    c->p->stats(a, &after);
    if (after.connections != before.connections) {
        snprintf(c->msg, sizeof c->msg, "client A's stats moved (connections %llu -> %llu) "
                 "while only another client was made and made calls: the counters are shared",
                 (unsigned long long)before.connections, (unsigned long long)after.connections);
        return -1;
    }
    /* TLS handshakes (minor 3): a session cache may be shared, a count not. */
    if (c->p->minor >= 3 && (after.tls_full_handshakes != before.tls_full_handshakes ||
                             after.tls_resumed_handshakes != before.tls_resumed_handshakes)) {
        snprintf(c->msg, sizeof c->msg, "client A's stats moved (TLS handshakes full/resumed "
                 "%llu/%llu -> %llu/%llu) while only another client was made and made calls: "
                 "the counters are shared",
                 (unsigned long long)before.tls_full_handshakes,
                 (unsigned long long)before.tls_resumed_handshakes,
                 (unsigned long long)after.tls_full_handshakes,
                 (unsigned long long)after.tls_resumed_handshakes);
        return -1;
    }
    return 0;
}

int contract_rule_side_by_side(struct contract_ctx *c)
{
    const struct incbench_transport *t = c->p->t;
    void *server2 = NULL, *a = NULL, *b = NULL;
    char addr2[INCBENCH_MIN_BOUNDLEN] = "";
    const char *addr_a = contract_address(c), *addr_b = addr_a;
    int rc = -1;
    if (t->server_start != NULL) {
        if (contract_server(c, &server2, addr2, sizeof addr2) != 0) {
            prefix(c, "a second server beside the first: ");
            goto out;
        }
        addr_b = addr2;
    }
    if (contract_client(c, addr_a, CONTRACT_TIMEOUT_MS, &a) != 0) {
        prefix(c, "client A: ");
        goto out;
    }
    if (contract_client(c, addr_b, CONTRACT_TIMEOUT_MS, &b) != 0) {
        prefix(c, "client B, made while client A lives: ");
        goto out;
    }
    for (int i = 0; i < SIDE_CALLS; i++) {
        if (contract_expect(c, a, i) != 0) {
            prefix(c, "client A, call %d interleaved with client B's: ", i + 1);
            goto out;
        }
        if (contract_expect(c, b, B_BASE + i) != 0) {
            prefix(c, "client B, call %d interleaved with client A's: ", i + 1);
            goto out;
        }
    }
    if (t->submit != NULL && pipelined_pair(c, a, b) != 0)
        goto out;
    if (c->p->stats != NULL && stats_apart(c, a, addr_b) != 0)
        goto out;
    drop(c, &b, &server2);
    for (int i = 0; i < 10; i++)
        if (contract_expect(c, a, SIDE_CALLS + i) != 0) {
            prefix(c, "client A, after client B's shutdown%s: ",
                   t->server_start ? " and the second server's stop" : "");
            goto out;
        }
    rc = 0;
out:
    drop(c, &b, &server2);
    drop(c, &a, NULL);
    return rc;
}

/* ---- no leaks ---- */

#if defined(__SANITIZE_ADDRESS__)
#define CONTRACT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONTRACT_ASAN 1
#endif
#endif
#ifdef CONTRACT_ASAN
/* ASan's allocator does not feed mallinfo2; it keeps its own count. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

struct footprint {
    long long heap, fds, threads;
};

static long long entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    long long n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static struct footprint footprint_now(void)
{
    struct footprint f;
#ifdef CONTRACT_ASAN
    f.heap = (long long)__sanitizer_get_current_allocated_bytes();
#else
    struct mallinfo2 mi = mallinfo2();
    f.heap = (long long)(mi.uordblks + mi.hblkhd);
#endif
    f.fds = entries("/proc/self/fd");
    f.threads = entries("/proc/self/task");
    return f;
}

/* A leak grows with every cycle, in each of two equal halves; what a
 * library creates once (a cache, a pool thread) grows in the first only. */
#define CLIENT_CYCLES 200
#define SERVER_CYCLES 40
#define HEAP_PER_CYCLE 1024      /* bytes a cycle may keep, on average */

static int client_cycle(struct contract_ctx *c, const char *address, int64_t v)
{
    void *client = NULL;
    int rc = contract_client(c, address, CONTRACT_TIMEOUT_MS, &client);
    if (rc == 0)
        rc = contract_expect(c, client, v);
    if (rc == 0 && c->p->stats != NULL) {
        struct incbench_stats st;
        memset(&st, 0, sizeof st);
        c->p->stats(client, &st);
    }
    drop(c, &client, NULL);
    return rc;
}

static int server_cycle(struct contract_ctx *c, int64_t v)
{
    void *server = NULL;
    char bound[INCBENCH_MIN_BOUNDLEN];
    int rc = contract_server(c, &server, bound, sizeof bound);
    if (rc == 0)
        rc = client_cycle(c, bound, v);
    drop(c, NULL, &server);
    return rc;
}

/* Runs `cycles` cycles of one kind, in two halves after a warm-up; -1 with
 * c->msg when the footprint grew in both halves. */
static int cycles_keep_nothing(struct contract_ctx *c, bool servers, int cycles)
{
    const char *what = servers ? "server_start/client/server_stop" : "init/increment/shutdown";
    const char *address = contract_address(c);
    struct footprint f[3], start = footprint_now();
    int64_t v = 0;
    for (int half = -1; half < 2; half++) {
        int n = half < 0 ? cycles / 4 + 1 : cycles / 2;
        for (int i = 0; i < n; i++, v += 2) {
            int rc = servers ? server_cycle(c, v) : client_cycle(c, address, v);
            if (rc != 0) {
                /* a leak often ends this way, when a limit is reached */
                struct footprint now = footprint_now();
                prefix(c, "%s cycle %lld (since the first: %+lld fds, %+lld threads, %+lld heap "
                       "bytes): ", what, (long long)(v / 2 + 1), now.fds - start.fds,
                       now.threads - start.threads, now.heap - start.heap);
                return -1;
            }
        }
        /* gRPC closes connections on its own threads: let them finish */
        nanosleep(&(struct timespec){ 0, 20 * 1000000L }, NULL);
        f[half + 1] = footprint_now();
    }
    long long heap1 = f[1].heap - f[0].heap, heap2 = f[2].heap - f[1].heap;
    long long fds1 = f[1].fds - f[0].fds, fds2 = f[2].fds - f[1].fds;
    long long thr1 = f[1].threads - f[0].threads, thr2 = f[2].threads - f[1].threads;
    long long half = cycles / 2;
    const char *kind = NULL;
    long long g1 = 0, g2 = 0;
    if (fds1 >= half / 2 && fds2 >= half / 2) {
        kind = "open descriptors", g1 = fds1, g2 = fds2;
    } else if (thr1 >= half / 2 && thr2 >= half / 2) {
        kind = "threads", g1 = thr1, g2 = thr2;
    } else if (heap1 > half * HEAP_PER_CYCLE && heap2 > half * HEAP_PER_CYCLE) {
        kind = "heap bytes in use", g1 = heap1, g2 = heap2;
    }
    if (kind == NULL)
        return 0;
    snprintf(c->msg, sizeof c->msg, "%s grew by %lld, then by %lld more, over two runs of %lld "
             "%s cycles: %s leaks", kind, g1, g2, half, what,
             servers ? "server_start/server_stop" : "init/shutdown");
    return -1;
}

int contract_rule_no_leaks(struct contract_ctx *c)
{
    if (cycles_keep_nothing(c, false, CLIENT_CYCLES) != 0)
        return -1;
    if (c->p->t->server_start != NULL && cycles_keep_nothing(c, true, SERVER_CYCLES) != 0)
        return -1;
    return 0;
}

/* ---- close-on-exec ---- */

void contract_note_fds(struct contract_ctx *c)
{
    memset(c->before, 0, sizeof c->before);
    DIR *d = opendir("/proc/self/fd");
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd >= 0 && fd < CONTRACT_FDS && fd != dirfd(d))
            c->before[fd / 8] |= (unsigned char)(1u << (fd % 8));
    }
    if (d != NULL)
        closedir(d);
}

/* After a server started and a client called it, every descriptor the
 * plugin opened is close-on-exec. */
int contract_rule_cloexec(struct contract_ctx *c)
{
    void *client = NULL;
    int rc = contract_client(c, contract_address(c), CONTRACT_TIMEOUT_MS, &client);
    if (rc == 0)
        rc = contract_expect(c, client, 1);
    DIR *d = rc == 0 ? opendir("/proc/self/fd") : NULL;
    for (struct dirent *e; d != NULL && rc == 0 && (e = readdir(d)) != NULL;) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] == '.' || fd == dirfd(d) ||
            (fd < CONTRACT_FDS && (c->before[fd / 8] & (1u << (fd % 8)))))
            continue;
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0 || (flags & FD_CLOEXEC))
            continue;
        char link[64], what[128] = "?";
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, what, sizeof what - 1);
        what[n > 0 ? n : 0] = '\0';
        snprintf(c->msg, sizeof c->msg, "descriptor %d (%s) is not close-on-exec: a server "
                 "process the runner starts would inherit it", fd, what);
        rc = -1;
    }
    if (d != NULL)
        closedir(d);
    drop(c, &client, NULL);
    return rc;
}

/* ---- deadlines against a silent peer ---- */

#define SILENT_TIMEOUT_MS 500
/* connect and call may each take the whole timeout; then some slack for a
 * loaded machine. Past this the plugin is taken to ignore timeout_ms. */
#define SILENT_BOUND_MS (3 * SILENT_TIMEOUT_MS + 1000)

/* The same for "unix:@name" endpoints: an abstract AF_UNIX listener
 * (nothing on disk), which queues up to `backlog` connections unaccepted. */
static int silent_unix_listener(char *address, size_t len, char *msg, size_t msglen)
{
    static unsigned serial;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int n = snprintf(sa.sun_path + 1, sizeof sa.sun_path - 1, "incbench-silent-%ld-%u",
                     (long)getpid(), serial++);
    socklen_t sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sl) != 0 || listen(fd, 64) != 0) {
        snprintf(msg, msglen, "a silent listener on unix:@%s: %s", sa.sun_path + 1,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    snprintf(address, len, "unix:@%s", sa.sun_path + 1);
    return fd;
}

/* A listener that never accepts: the kernel completes up to `backlog`
 * handshakes, so a client connects, sends, and never hears back. */
static int silent_listener(char *address, size_t len, char *msg, size_t msglen)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
        snprintf(msg, msglen, "a silent listener on 127.0.0.1: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    snprintf(address, len, "127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
    return fd;
}

/* Ends the rule's child if a step outlasts SILENT_BOUND_MS: a plugin that
 * ignores its deadline would otherwise block until the rule's alarm. */
struct watchdog {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const char *step;          /* NULL: stop watching */
    long long since_ms;
    int report_fd;
};

static void *watch(void *arg)
{
    struct watchdog *w = arg;
    pthread_mutex_lock(&w->mu);
    while (w->step != NULL) {
        long long left = w->since_ms + SILENT_BOUND_MS - deadline_now_ms();
        if (left <= 0) {
            char m[256];
            int n = snprintf(m, sizeof m, "%s against a peer that accepts and never answers had "
                             "not returned after %d ms (timeout_ms = %d): the deadline is ignored",
                             w->step, SILENT_BOUND_MS, SILENT_TIMEOUT_MS);
            if (write(w->report_fd, m, (size_t)n) < 0) {
                /* the parent then reports a failure without the reason */
            }
            _exit(1);
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        long long ns = until.tv_nsec + (left < 50 ? left : 50) * 1000000LL;
        until.tv_sec += ns / 1000000000LL;
        until.tv_nsec = ns % 1000000000LL;
        pthread_cond_timedwait(&w->cv, &w->mu, &until);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void watch_step(struct watchdog *w, const char *step)
{
    pthread_mutex_lock(&w->mu);
    w->step = step;
    w->since_ms = deadline_now_ms();
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* The one call of a step must fail, with a message, inside the bound. */
static int failed_in_time(struct contract_ctx *c, const char *step, int rc, const char *err,
                          long long took_ms, int64_t answer)
{
    if (rc == 0) {
        snprintf(c->msg, sizeof c->msg, "%s answered %lld from a peer that never answers",
                 step, (long long)answer);
        return -1;
    }
    if (err[0] == '\0') {
        snprintf(c->msg, sizeof c->msg, "%s against a silent peer failed without a message",
                 step);
        return -1;
    }
    if (took_ms > SILENT_BOUND_MS) {
        snprintf(c->msg, sizeof c->msg, "%s against a silent peer took %lld ms to fail "
                 "(timeout_ms = %d): %s", step, took_ms, SILENT_TIMEOUT_MS, err);
        return -1;
    }
    return 0;
}

/* One client against the silent peer: its init may fail in time (an eager
 * handshake), else its first call must. */
static int silent_call(struct contract_ctx *c, struct watchdog *w, const char *address,
                       bool pipelined)
{
    const struct incbench_transport *t = c->p->t;
    const char *step = pipelined ? "submit + complete" : "increment";
    void *client = NULL;
    char err[INCBENCH_MIN_ERRLEN] = "";
    int64_t r = 0;
    watch_step(w, "init");
    long long t0 = deadline_now_ms();
    if (contract_client(c, address, SILENT_TIMEOUT_MS, &client) != 0) {
        long long took = deadline_now_ms() - t0;
        char why[sizeof c->msg];
        snprintf(why, sizeof why, "%s", c->msg);
        int rc = took > SILENT_BOUND_MS ? failed_in_time(c, "init", -1, why, took, 0) : 0;
        watch_step(w, "shutdown after the failed init");
        drop(c, &client, NULL);
        return rc;
    }
    watch_step(w, step);
    t0 = deadline_now_ms();
    int rc;
    if (pipelined) {
        uint64_t tag = 0;
        rc = t->submit(client, 1, 1, err, sizeof err);
        if (rc == 0)
            rc = t->complete(client, &tag, &r, err, sizeof err);
    } else {
        rc = t->increment(client, 1, &r, err, sizeof err);
    }
    plugin_seal(err, sizeof err);
    rc = failed_in_time(c, step, rc, err, deadline_now_ms() - t0, r);
    watch_step(w, "shutdown of a client whose call timed out");
    drop(c, &client, NULL);
    return rc;
}

/* "host:port" with a numeric port: the form a TCP plugin binds. */
static bool tcp_address(const char *a)
{
    const char *colon = strrchr(a, ':');
    if (colon == NULL || colon == a || colon[1] == '\0')
        return false;
    for (const char *p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

int contract_rule_deadline(struct contract_ctx *c)
{
    bool unix_socket = strncmp(c->address, "unix:", 5) == 0;
    if (!unix_socket && !tcp_address(c->address)) {
        snprintf(c->msg, sizeof c->msg, "its server's endpoint '%s' is neither host:port nor "
                 "unix:, the two kinds of silent peer this rule can make", c->address);
        return CONTRACT_SKIP;
    }
    char address[128];
    int ls = unix_socket ? silent_unix_listener(address, sizeof address, c->msg, sizeof c->msg)
                         : silent_listener(address, sizeof address, c->msg, sizeof c->msg);
    if (ls < 0)
        return -1;
    struct watchdog w = { .step = "init", .since_ms = deadline_now_ms(),
                          .report_fd = c->report_fd };
    pthread_mutex_init(&w.mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_t th;
    int rc = -1;
    if (pthread_create(&th, NULL, watch, &w) != 0) {
        snprintf(c->msg, sizeof c->msg, "starting the watchdog thread failed");
        goto out;
    }
    rc = silent_call(c, &w, address, false);
    if (rc == 0 && c->p->t->submit != NULL)
        rc = silent_call(c, &w, address, true);
    watch_step(&w, NULL);
    pthread_join(th, NULL);
out:
    pthread_cond_destroy(&w.cv);
    pthread_mutex_destroy(&w.mu);
    close(ls);
    return rc;
}
