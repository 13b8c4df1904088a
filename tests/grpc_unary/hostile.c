/*
 * hostile.c — see hostile.h. The attacks use rawcall.h (the gRPC core as a
 * stranger's client) and plain sockets, never our client.
 */
#include "hostile.h"

#include "grpc_test.h"
#include "rawcall.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static bool unary(void)
{
    return strcmp(T->name, "grpc_unary") == 0;
}

/* ---- file descriptors ---- */

#define FLOOD 100 /* idle connections the lowered limit has room for, about */

/* A connected idle socket to 127.0.0.1:port, or -1 with errno. Asserts
 * nothing: a forked flood uses it too. */
static int try_idle_connection(const char *address)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = { .tv_sec = 2 }; /* bounds connect too */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    a.sin_port = htons((uint16_t)atoi(strrchr(address, ':') + 1));
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        const int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* try_idle_connection, where -1 may only mean that this process has no
 * descriptor left: the kernel completes the handshake from the listen
 * backlog whether or not the server accepts, so connect only fails if
 * nothing listens. */
static int idle_connection(const char *address)
{
    const int fd = try_idle_connection(address);
    ck_assert_msg(fd >= 0 || errno == EMFILE || errno == ENFILE, "connect %s: %s", address,
                  strerror(errno));
    return fd;
}

/* Lower this process's soft descriptor limit to leave room for about
 * `room` more descriptors. */
static void lower_fd_limit(unsigned room)
{
    struct rlimit was, low;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &was), 0);
    int probe = dup(0);
    ck_assert_int_ge(probe, 0);
    close(probe);
    low.rlim_cur = (rlim_t)probe + room;
    low.rlim_max = was.rlim_max;
    ck_assert_uint_le(low.rlim_cur, was.rlim_cur);
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
}

/* How many of the flood's connections the server closed (turned away),
 * once each has heard from it (gRPC's SETTINGS when it took the
 * connection, the close when it turned it away) or 3 s have passed. */
static size_t turned_away(const int *fds, size_t n)
{
    size_t closed = 0;
    for (int round = 0; round < 60; round++) {
        size_t silent = 0;
        closed = 0;
        for (size_t i = 0; i < n; i++) {
            char b;
            const ssize_t r = recv(fds[i], &b, 1, MSG_PEEK | MSG_DONTWAIT);
            closed += r == 0 || (r < 0 && errno == ECONNRESET);
            silent += r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
        if (silent == 0)
            break;
        usleep(50 * 1000);
    }
    return closed;
}

/* A flood of idle connections that runs the server's process out of file
 * descriptors (the soft limit lowered for the test) and goes away again
 * leaves the server accepting: a client that connected before is answered
 * during the flood, a new one after it. */
START_TEST(a_flood_of_idle_connections_leaves_the_listener_accepting)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *early = gt_client(bound, 5000, 1, NULL, NULL);
    gt_chain(early, 0, 3);

    /* Room for about FLOOD more descriptors, shared by the flood's sockets
     * and the server's accepted ends: the server runs out first. */
    lower_fd_limit(FLOOD);

    int fds[FLOOD + 1];
    size_t n = 0;
    while (n < FLOOD + 1 && (fds[n] = idle_connection(bound)) >= 0)
        n++;
    ck_assert_msg(n <= FLOOD, "the flood never ran the process out of descriptors");
    /* Meanwhile the server meets the exhaustion (accept fails with EMFILE
     * for the connections still in its backlog): it tells some of them so
     * by closing them, and goes on answering the client it has. */
    ck_assert_msg(turned_away(fds, n) > 0, "no connection of the flood was turned away");
    gt_chain(early, 10, 3);
    for (size_t i = 0; i < n; i++)
        close(fds[i]);

    void *late = gt_client(bound, 3000, 1, NULL, NULL);
    gt_chain(late, 20, 3);
    T->shutdown(late);
    T->shutdown(early);
    T->server_stop(s);
}
END_TEST

/* A process of its own (forked; it runs no gRPC, under a limit of its
 * own) that opens `n` idle connections to `address`, waits until each has
 * heard from the server (3 s at most), reports, and holds them until it is
 * killed or 20 s pass. */
static pid_t flood_elsewhere(const char *address, size_t n)
{
    int report[2];
    ck_assert_int_eq(pipe(report), 0);
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit r;
        if (getrlimit(RLIMIT_NOFILE, &r) == 0) {
            r.rlim_cur = r.rlim_max;
            (void)setrlimit(RLIMIT_NOFILE, &r);
        }
        static int fds[4 * FLOOD];
        size_t k = 0;
        while (k < n && k < 4 * FLOOD && (fds[k] = try_idle_connection(address)) >= 0)
            k++;
        (void)turned_away(fds, k);
        if (write(report[1], &k, sizeof k) != (ssize_t)sizeof k)
            _exit(1);
        (void)poll(NULL, 0, 20000);
        _exit(0);
    }
    close(report[1]);
    struct pollfd p = { .fd = report[0], .events = POLLIN };
    ck_assert_msg(poll(&p, 1, 10000) == 1, "the flood never reported");
    size_t k = 0;
    ck_assert_int_eq(read(report[0], &k, sizeof k), (ssize_t)sizeof k);
    close(report[0]);
    ck_assert_uint_eq(k, n);
    return pid;
}

/* A flood from another process, of more connections than the server's
 * process has descriptors for, leaves that process some to spare: the
 * listener turns away the connections that would eat into its headroom,
 * so that the process (the runner writing its report, gRPC itself) can
 * still open descriptors while the flood holds its connections. */
START_TEST(a_flood_leaves_the_server_process_descriptors_to_spare)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *early = gt_client(bound, 5000, 1, NULL, NULL);
    gt_chain(early, 0, 3);
    lower_fd_limit(FLOOD);
    const pid_t flood = flood_elsewhere(bound, 3 * FLOOD);
    int spare[8];
    for (int i = 0; i < 8; i++) {
        spare[i] = dup(0);
        ck_assert_msg(spare[i] >= 0, "descriptor %d of 8 during the flood: %s", i + 1,
                      strerror(errno));
    }
    for (int i = 0; i < 8; i++)
        close(spare[i]);
    gt_chain(early, 10, 3);
    kill(flood, SIGKILL);
    ck_assert_int_eq(waitpid(flood, NULL, 0), flood);
    T->shutdown(early);
    T->server_stop(s);
}
END_TEST

/* ---- concurrent streams ---- */

/* With max_streams = 2, a third concurrent call on one connection is not
 * served while two are open; the two work; when one ends, the third is
 * answered. */
START_TEST(max_streams_holds_back_the_call_beyond_it)
{
    const char *method = unary() ? RAW_UNARY : RAW_STREAM;
    char bound[64], details[256];
    void *s = gt_server("max_streams", "2", bound);
    struct raw_channel *ch = raw_channel(bound, GRPC_COMPRESS_NONE);
    int64_t v = 0;

    /* One whole call first: its answer comes after the server's SETTINGS,
     * so the client knows the limit before the calls below. */
    struct raw_call *warm = raw_open(ch, method);
    raw_send(warm, 1, true);
    ck_assert(raw_answer(warm, 5000, &v));
    ck_assert_int_eq(raw_status(warm, 5000, details), GRPC_STATUS_OK);

    /* Two calls held open: a stream answered once, a unary call with its
     * request not yet sent. */
    struct raw_call *open[2];
    for (int i = 0; i < 2; i++) {
        open[i] = raw_open(ch, method);
        if (!unary()) {
            raw_send(open[i], 10 * i, false);
            ck_assert_msg(raw_answer(open[i], 5000, &v), "stream %d not answered", i);
            ck_assert_int_eq(v, 10 * i + 1);
        }
    }
    struct raw_call *third = raw_open(ch, method);
    raw_send(third, 100, unary());
    ck_assert_msg(!raw_answer(third, 500, &v),
                  "a third call was served while max_streams = 2 were open");

    /* The two still work; when the first ends, the third is answered. */
    raw_send(open[0], 5, unary());
    ck_assert(raw_answer(open[0], 5000, &v));
    ck_assert_int_eq(v, 6);
    ck_assert_int_eq(raw_status(open[0], 5000, details), GRPC_STATUS_OK);
    if (!raw_answer(third, 5000, &v)) {
        const grpc_status_code st = raw_status(third, 5000, details);
        ck_abort_msg("the third call never got its turn: status %d (%s)", st, details);
    }
    ck_assert_int_eq(v, 101);
    ck_assert_int_eq(raw_status(third, 5000, details), GRPC_STATUS_OK);
    raw_channel_free(ch);
    T->server_stop(s);
}
END_TEST

/* max_streams must be a whole number in 1..GC_MAX_STREAMS_MAX; bad values
 * are rejected by server_start, naming the key. */
START_TEST(bad_max_streams_are_rejected_by_name)
{
    /* "1000001": one past GC_MAX_STREAMS_MAX */
    static const char *const bad[] = { "0", "-1", "", "many", "2x", "1000001", "4294967297" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct harness_params hp;
        harness_params(&hp, "127.0.0.1:0", 1000, "max_streams", bad[i], NULL);
        char err[256] = "", bound[64];
        void *x = NULL;
        ck_assert_int_eq(T->server_start(&x, &hp.p, bound, sizeof bound, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "max_streams") != NULL, "max_streams = '%s': %s", bad[i], err);
        T->server_stop(x);
    }
}
END_TEST

/* ---- compression ---- */

/* One call of the plugin's method on `ch` sending `msg` (bytes compressed
 * with the channel's algorithm) as a compressed message; its status, and
 * *value when it was answered. */
static grpc_status_code compressed_call(struct raw_channel *ch, const unsigned char *msg,
                                        size_t len, int64_t *value, char details[256])
{
    struct raw_call *c = raw_open(ch, unary() ? RAW_UNARY : RAW_STREAM);
    raw_send_bytes(c, msg, len, true);
    (void)raw_answer(c, 10000, value);
    return raw_status(c, 10000, details);
}

/* A request {41} compressed with `algo`, less its last `cut` bytes and
 * followed by `extra` bytes, to a server whose section says compression =
 * `section`: its status, *value when answered. */
static grpc_status_code compressed_request(const char *section, grpc_compression_algorithm algo,
                                           size_t cut, size_t extra, int64_t *value,
                                           char details[256])
{
    char bound[64];
    void *s = gt_server("compression", section, bound);
    unsigned char req[32];
    size_t len = 0;
    unsigned char *msg = raw_compress(algo, req, raw_request(41, req), 0, &len);
    ck_assert_uint_lt(cut, len);
    len -= cut;
    msg = realloc(msg, len + extra);
    ck_assert_ptr_nonnull(msg);
    memset(msg + len, 'x', extra);
    len += extra;
    struct raw_channel *ch = raw_channel(bound, algo);
    *value = 0;
    grpc_status_code st = compressed_call(ch, msg, len, value, details);
    raw_channel_free(ch);
    free(msg);
    T->server_stop(s);
    return st;
}

/* A server whose section says compression = none refuses a gzip- or
 * deflate-compressed request with UNIMPLEMENTED instead of inflating it; one
 * that says gzip (deflate) answers a gzip (deflate) request and refuses the
 * other algorithm alike. */
START_TEST(compression_the_section_did_not_ask_for_is_refused)
{
    static const struct {
        const char *section;
        grpc_compression_algorithm algo;
        bool answered;
    } cases[] = {
        { "gzip", GRPC_COMPRESS_GZIP, true },        { "deflate", GRPC_COMPRESS_DEFLATE, true },
        { "none", GRPC_COMPRESS_GZIP, false },       { "none", GRPC_COMPRESS_DEFLATE, false },
        { "gzip", GRPC_COMPRESS_DEFLATE, false },    { "deflate", GRPC_COMPRESS_GZIP, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char details[256];
        int64_t v = 0;
        const grpc_status_code st = compressed_request(cases[i].section, cases[i].algo, 0, 0,
                                                       &v, details);
        const char *algo = cases[i].algo == GRPC_COMPRESS_GZIP ? "gzip" : "deflate";
        if (cases[i].answered) {
            ck_assert_msg(st == GRPC_STATUS_OK && v == 42,
                          "compression = %s: a %s request got status %d (%s), answer %lld",
                          cases[i].section, algo, st, details, (long long)v);
        } else {
            ck_assert_msg(st == GRPC_STATUS_UNIMPLEMENTED && v == 0,
                          "compression = %s: a %s request got status %d (%s), answer %lld, "
                          "want UNIMPLEMENTED", cases[i].section, algo, st, details,
                          (long long)v);
        }
    }
}
END_TEST

/* A compressed request is one whole compressed stream: one cut short (its
 * last 4 bytes, the gzip length or the zlib checksum, left off) or run on
 * (3 bytes after the stream's end) is refused with INVALID_ARGUMENT, though
 * the request's own bytes inflate whole from it. */
START_TEST(a_compressed_request_cut_short_or_run_on_is_refused)
{
    static const struct {
        const char *section;
        grpc_compression_algorithm algo;
    } algos[] = { { "gzip", GRPC_COMPRESS_GZIP }, { "deflate", GRPC_COMPRESS_DEFLATE } };
    static const struct {
        size_t cut, extra;
    } tampers[] = { { 4, 0 }, { 0, 3 } };
    for (size_t a = 0; a < 2; a++) {
        for (size_t t = 0; t < 2; t++) {
            char details[256];
            int64_t v = 0;
            const grpc_status_code st = compressed_request(algos[a].section, algos[a].algo,
                                                           tampers[t].cut, tampers[t].extra,
                                                           &v, details);
            ck_assert_msg(st == GRPC_STATUS_INVALID_ARGUMENT && v == 0,
                          "%s request less %zu bytes, plus %zu: status %d (%s), answer %lld, "
                          "want INVALID_ARGUMENT", algos[a].section, tampers[t].cut,
                          tampers[t].extra, st, details, (long long)v);
        }
    }
}
END_TEST

/* Peak RSS of this process in KiB, and its reset to the current RSS
 * (Linux >= 4.0: writing 5 to clear_refs). */
static long peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld", &kib) == 1)
            break;
    fclose(f);
    ck_assert_int_gt(kib, 0);
    return kib;
}

static void reset_peak_rss(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs("5", f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

static void bomb(struct raw_channel *ch, size_t zeros, long max_growth_kib)
{
    unsigned char req[32];
    size_t len = 0;
    unsigned char *gz = raw_compress(GRPC_COMPRESS_GZIP, req, raw_request(7, req), zeros, &len);
    reset_peak_rss();
    long before = peak_rss_kib();
    char details[256];
    int64_t v = 0;
    grpc_status_code st = compressed_call(ch, gz, len, &v, details);
    long grown = peak_rss_kib() - before;
    free(gz);
    ck_assert_msg(st == GRPC_STATUS_RESOURCE_EXHAUSTED,
                  "%zu zeros in %zu bytes of gzip: status %d (%s), want RESOURCE_EXHAUSTED; "
                  "peak RSS grew by %ld KiB", zeros, len, st, details, grown);
    ck_assert_msg(grown < max_growth_kib || harness_under_valgrind(),
                  "%zu zeros in %zu bytes of gzip: peak RSS grew by %ld KiB (limit %ld)",
                  zeros, len, grown, max_growth_kib);
}

/* On a gzip server, a compressed request that would inflate far beyond any
 * message of ours (2 MiB of zeros in a 2 KiB message; 64 MiB in 64 KiB) is
 * refused with RESOURCE_EXHAUSTED, and the process's peak RSS grows by far
 * less than the inflated size: it was never inflated. */
START_TEST(a_gzip_bomb_is_refused_before_it_inflates)
{
    char bound[64], details[256];
    void *s = gt_server("compression", "gzip", bound);
    /* Warm up, on the channel the bombs use: the connection's and the
     * first compressed call's own allocations are not the bomb's. */
    struct raw_channel *ch = raw_channel(bound, GRPC_COMPRESS_GZIP);
    unsigned char req[32];
    size_t len = 0;
    unsigned char *gz = raw_compress(GRPC_COMPRESS_GZIP, req, raw_request(1, req), 0, &len);
    for (int i = 0; i < 3; i++) {
        int64_t v = 0;
        ck_assert_int_eq(compressed_call(ch, gz, len, &v, details), GRPC_STATUS_OK);
        ck_assert_int_eq(v, 2);
    }
    free(gz);

    /* Half the inflated size: a call grows the peak by some 150-350 KiB,
     * under ASan up to some 600 KiB. */
    bomb(ch, (size_t)2 << 20, 1024);  /* fits any sane wire limit */
    bomb(ch, (size_t)64 << 20, 4096); /* 64 KiB on the wire */
    raw_channel_free(ch);
    T->server_stop(s);
}
END_TEST

/* One call on `ch` sending `msg` as it is (compressed = false) or gzipped;
 * its status, *value when answered. */
static grpc_status_code bytes_call(struct raw_channel *ch, const unsigned char *msg, size_t len,
                                   bool gzipped, int64_t *value, char details[256])
{
    if (!gzipped) {
        struct raw_call *c = raw_open(ch, unary() ? RAW_UNARY : RAW_STREAM);
        raw_send_bytes(c, msg, len, false);
        (void)raw_answer(c, 10000, value);
        return raw_status(c, 10000, details);
    }
    size_t zlen = 0;
    unsigned char *gz = raw_compress(GRPC_COMPRESS_GZIP, msg, len, 0, &zlen);
    const grpc_status_code st = compressed_call(ch, gz, zlen, value, details);
    free(gz);
    return st;
}

/* The limit of a message is every protobuf transport's, 64 bytes
 * (proto/codec.h), sent as it is or inflated: a request of 64 bytes made
 * of the most fields protobuf can have there (value 41, then 31 unknown
 * ones) is answered, one of 65 (value 41 and a 61-byte unknown field) is
 * refused with RESOURCE_EXHAUSTED. */
START_TEST(a_request_over_the_limit_of_a_message_is_refused_compressed_or_not)
{
    unsigned char fit[64] = { 0x08, 41 };
    for (size_t i = 2; i < sizeof fit; i += 2) {
        fit[i] = 0x20;   /* field 4: 3 is now the payload */
        fit[i + 1] = 0;
    }
    unsigned char over[65] = { 0x08, 41, 0x22, 61 };
    memset(over + 4, 'x', 61);
    char bound[64];
    void *s = gt_server("compression", "gzip", bound);
    struct raw_channel *ch = raw_channel(bound, GRPC_COMPRESS_GZIP);
    for (int gzipped = 0; gzipped < 2; gzipped++) {
        char details[256];
        int64_t v = 0;
        grpc_status_code st = bytes_call(ch, fit, sizeof fit, gzipped, &v, details);
        ck_assert_msg(st == GRPC_STATUS_OK && v == 42, "64 bytes%s: status %d (%s), answer %lld",
                      gzipped ? ", gzipped" : "", st, details, (long long)v);
        v = 0;
        st = bytes_call(ch, over, sizeof over, gzipped, &v, details);
        ck_assert_msg(st == GRPC_STATUS_RESOURCE_EXHAUSTED && v == 0,
                      "65 bytes%s: status %d (%s), answer %lld, want RESOURCE_EXHAUSTED",
                      gzipped ? ", gzipped" : "", st, details, (long long)v);
    }
    raw_channel_free(ch);
    T->server_stop(s);
}
END_TEST

const TTest *const *gt_hostile_tests(size_t *n)
{
    static const TTest *tests[8];
    tests[0] = a_flood_of_idle_connections_leaves_the_listener_accepting;
    tests[1] = a_flood_leaves_the_server_process_descriptors_to_spare;
    tests[2] = max_streams_holds_back_the_call_beyond_it;
    tests[3] = bad_max_streams_are_rejected_by_name;
    tests[4] = compression_the_section_did_not_ask_for_is_refused;
    tests[5] = a_compressed_request_cut_short_or_run_on_is_refused;
    tests[6] = a_gzip_bomb_is_refused_before_it_inflates;
    tests[7] = a_request_over_the_limit_of_a_message_is_refused_compressed_or_not;
    *n = sizeof tests / sizeof tests[0];
    return tests;
}
