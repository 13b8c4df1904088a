/*
 * bench/hostile_grpc.c — issue 9's attacks on a gRPC server, from the client
 * side: what a stranger's client sees (status codes, times). Run through
 * bench/hostile_grpc.sh, which starts the server, samples its memory and
 * caps it. Calls go through the gRPC C core directly, never our plugins;
 * tests/grpc_unary/rawcall.c (compiled in as is) builds the messages.
 * 127.0.0.1 only; every wait has a deadline and every loop a bound.
 * usage: hostile_grpc 127.0.0.1:PORT ATTACK
 *   fdflood       1,100 idle connections held open, calls during and after
 *   streams       40,000 streams opened on one connection (grpc_stream)
 *   bomb          1 GiB of zeros as one gzip message (compression = gzip)
 *   bomb2m        2 MiB of zeros the same way: small enough on the wire
 *                 (2 KiB) that a server must inflate it to refuse it
 *   uncompressed  a gzip request to a compression = none server
 */
#include "rawcall.h"

#include <errno.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/compression.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define FLOOD 1100            /* idle connections of attack fdflood */
#define PROBES 5              /* calls made during the flood, and after it */
#define PROBE_MS 2000         /* each one's deadline */
#define STREAMS 40000         /* streams of attack streams */
#define QUIET_MS 10000        /* done when no answer came for this long */
#define BOMB_ZEROS ((size_t)1 << 30)
#define BOMB2M_ZEROS ((size_t)2 << 20)
#define BOMB_MS 30000
#define MAX_CODE 17           /* grpc_status_code runs 0..16 */

static const char *const code_names[MAX_CODE] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED",
};

static const char *code_name(grpc_status_code c)
{
    return c >= 0 && c < MAX_CODE ? code_names[c] : "(unknown code)";
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static gpr_timespec in_ms(unsigned ms)
{
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                        gpr_time_from_millis((int64_t)ms, GPR_TIMESPAN));
}

static void sleep_ms(unsigned ms)
{
    struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

/* Our own peak RSS in MB: 40,000 streams cost the client memory too. */
static long own_peak_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld", &kib) == 1)
            break;
    fclose(f);
    return kib < 0 ? -1 : kib / 1024;
}

/* ---- one channel, one completion queue ---- */

struct conn {
    grpc_channel *ch;
    grpc_completion_queue *cq;
};

/* A channel of its own (a connection of its own) that announces `algo`. */
static void conn_open(struct conn *c, const char *address, grpc_compression_algorithm algo)
{
    grpc_arg args[2] = {
        { .type = GRPC_ARG_INTEGER, .key = (char *)GRPC_COMPRESSION_CHANNEL_DEFAULT_ALGORITHM,
          .value.integer = (int)algo },
        { .type = GRPC_ARG_INTEGER, .key = (char *)GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL,
          .value.integer = 1 },
    };
    const grpc_channel_args chargs = { .num_args = 2, .args = args };
    grpc_channel_credentials *creds = grpc_insecure_credentials_create();
    c->ch = grpc_channel_create(address, creds, &chargs);
    grpc_channel_credentials_release(creds);
    c->cq = grpc_completion_queue_create_for_next(NULL);
    if (c->ch == NULL || c->cq == NULL) {
        fprintf(stderr, "hostile_grpc: cannot create a channel to %s\n", address);
        exit(3);
    }
}

/* Bounded: every call on it has ended (the callers wait for that). */
static void conn_close(struct conn *c)
{
    grpc_channel_destroy(c->ch);
    grpc_completion_queue_shutdown(c->cq);
    for (int i = 0; i < 100; i++)
        if (grpc_completion_queue_next(c->cq, in_ms(100), NULL).type == GRPC_QUEUE_SHUTDOWN)
            break;
    grpc_completion_queue_destroy(c->cq);
}

/* ---- one unary call ---- */

struct result {
    grpc_status_code status;
    double ms;                 /* from the start of the call to its status */
    bool answered;
    int64_t answer;
    char details[96];
};

/* Increment with `msg` as the request, sent marked compressed (with
 * `algo`) when `algo` is not NONE, half-closed; everything in one batch,
 * which ends by the call's deadline at the latest. */
static void unary(struct conn *c, const void *msg, size_t len, grpc_compression_algorithm algo,
                  unsigned deadline_ms, struct result *r)
{
    memset(r, 0, sizeof *r);
    grpc_metadata_array md_in, md_trailing;
    grpc_metadata_array_init(&md_in);
    grpc_metadata_array_init(&md_trailing);
    grpc_slice details = grpc_empty_slice();
    grpc_byte_buffer *in = NULL;
    grpc_slice s = grpc_slice_from_copied_buffer(msg, len);
    grpc_byte_buffer *out = algo == GRPC_COMPRESS_NONE
                                ? grpc_raw_byte_buffer_create(&s, 1)
                                : grpc_raw_compressed_byte_buffer_create(&s, 1, algo);
    grpc_slice_unref(s);
    const double t0 = now_ms();
    grpc_call *call = grpc_channel_create_call(c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, c->cq,
                                               grpc_slice_from_static_string(RAW_UNARY), NULL,
                                               in_ms(deadline_ms), NULL);
    grpc_op ops[6];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_SEND_MESSAGE;
    ops[1].data.send_message.send_message = out;
    ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[3].data.recv_initial_metadata.recv_initial_metadata = &md_in;
    ops[4].op = GRPC_OP_RECV_MESSAGE;
    ops[4].data.recv_message.recv_message = &in;
    ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[5].data.recv_status_on_client.trailing_metadata = &md_trailing;
    ops[5].data.recv_status_on_client.status = &r->status;
    ops[5].data.recv_status_on_client.status_details = &details;
    static int tag;
    if (call == NULL || grpc_call_start_batch(call, ops, 6, &tag, NULL) != GRPC_CALL_OK) {
        fprintf(stderr, "hostile_grpc: cannot start a call\n");
        exit(3);
    }
    grpc_event ev = grpc_completion_queue_next(c->cq, in_ms(deadline_ms + 5000), NULL);
    if (ev.type != GRPC_OP_COMPLETE) {
        /* The deadline should have ended it: end it ourselves, bounded. */
        grpc_call_cancel(call, NULL);
        ev = grpc_completion_queue_next(c->cq, in_ms(5000), NULL);
        if (ev.type != GRPC_OP_COMPLETE) {
            fprintf(stderr, "hostile_grpc: a call outlived its deadline and its cancel\n");
            exit(3);
        }
    }
    r->ms = now_ms() - t0;
    if (in != NULL) {
        r->answered = raw_reply_value(in, &r->answer);
        grpc_byte_buffer_destroy(in);
    }
    size_t n = GRPC_SLICE_LENGTH(details);
    if (n >= sizeof r->details)
        n = sizeof r->details - 1;
    memcpy(r->details, GRPC_SLICE_START_PTR(details), n);
    r->details[n] = '\0';
    grpc_slice_unref(details);
    grpc_byte_buffer_destroy(out);
    grpc_metadata_array_destroy(&md_in);
    grpc_metadata_array_destroy(&md_trailing);
    grpc_call_unref(call);
}

/* "5x UNAVAILABLE 1.8-2.4 ms" per status met, in order of first meeting. */
static void print_tally(const struct result *r, size_t n)
{
    bool done[MAX_CODE + 1] = { false };
    const char *sep = "";
    for (size_t i = 0; i < n; i++) {
        const int k = r[i].status >= 0 && r[i].status < MAX_CODE ? (int)r[i].status : MAX_CODE;
        if (done[k])
            continue;
        done[k] = true;
        size_t count = 0;
        double lo = 0, hi = 0;
        for (size_t j = i; j < n; j++) {
            const int kj = r[j].status >= 0 && r[j].status < MAX_CODE ? (int)r[j].status
                                                                      : MAX_CODE;
            if (kj != k)
                continue;
            lo = count == 0 || r[j].ms < lo ? r[j].ms : lo;
            hi = count == 0 || r[j].ms > hi ? r[j].ms : hi;
            count++;
        }
        printf("%s%zux %s %.1f-%.1f ms", sep, count, code_name(r[i].status), lo, hi);
        sep = ", ";
    }
}

/* PROBES calls, each on a new connection, as a newcomer would make them. */
static void probe(const char *address, struct result r[PROBES])
{
    unsigned char req[32];
    const size_t len = raw_request(1, req);
    for (int i = 0; i < PROBES; i++) {
        struct conn c;
        conn_open(&c, address, GRPC_COMPRESS_NONE);
        unary(&c, req, len, GRPC_COMPRESS_NONE, PROBE_MS, &r[i]);
        conn_close(&c);
    }
}

/* ---- attack fdflood ---- */

/* A connected idle socket, or -1. The kernel completes the handshake from
 * the listen backlog whether or not the server accepts. */
static int idle_connection(uint16_t port)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const struct timeval tv = { .tv_sec = 2 };
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv); /* bounds connect */
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* How the server has treated the flood's connections so far: closed them
 * (turned away), spoken on them (gRPC's SETTINGS: taken), or neither. */
static void flood_census(const int *fds, size_t n, size_t *closed, size_t *taken,
                         size_t *silent)
{
    *closed = *taken = *silent = 0;
    for (size_t i = 0; i < n; i++) {
        char b;
        const ssize_t r = recv(fds[i], &b, 1, MSG_PEEK | MSG_DONTWAIT);
        if (r > 0)
            ++*taken;
        else if (r == 0 || errno != EAGAIN)
            ++*closed;
        else
            ++*silent;
    }
}

static int fdflood(const char *address, uint16_t port)
{
    static int fds[FLOOD];
    size_t n = 0;
    const double t0 = now_ms();
    for (size_t i = 0; i < FLOOD; i++) {
        const int fd = idle_connection(port);
        if (fd >= 0)
            fds[n++] = fd;
    }
    const double connect_ms = now_ms() - t0;
    sleep_ms(1000); /* the server takes (or turns away) what it can */
    size_t closed, taken, silent;
    flood_census(fds, n, &closed, &taken, &silent);
    struct result during[PROBES], after[PROBES];
    probe(address, during);
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
    sleep_ms(1000); /* the server sees them go */
    probe(address, after);
    printf("%zu/%d idle conns (connected in %.0f ms; 1 s later the server had taken %zu, "
           "closed %zu, not touched %zu); %d new calls during the flood: ",
           n, FLOOD, connect_ms, taken, closed, silent, PROBES);
    print_tally(during, PROBES);
    printf("; 1 s after it ended: ");
    print_tally(after, PROBES);
    printf(" (deadline %d ms each, a new connection each)\n", PROBE_MS);
    return n == FLOOD ? 0 : 1;
}

/* ---- attack streams ---- */

struct stream {
    grpc_call *call;
    grpc_metadata_array md_in, md_trailing;
    grpc_status_code status;
    grpc_slice details;
    grpc_byte_buffer *out, *in;
    bool answered, ended, open_done;
};

/* Tags: 2i for stream i's send-and-answer batch, 2i+1 for its status. */
static void *tag_of(size_t i, bool status)
{
    return (void *)(uintptr_t)(2 * i + (status ? 1 : 0) + 1);
}

static int streams(const char *address)
{
    struct stream *s = calloc(STREAMS, sizeof *s);
    if (s == NULL) {
        fprintf(stderr, "hostile_grpc: out of memory\n");
        return 3;
    }
    struct conn c;
    conn_open(&c, address, GRPC_COMPRESS_NONE);
    unsigned char req[32];
    const size_t len = raw_request(1, req);
    const double t0 = now_ms();
    size_t started = 0;
    for (; started < STREAMS; started++) {
        struct stream *x = &s[started];
        grpc_metadata_array_init(&x->md_in);
        grpc_metadata_array_init(&x->md_trailing);
        x->details = grpc_empty_slice();
        grpc_slice m = grpc_slice_from_copied_buffer((const char *)req, len);
        x->out = grpc_raw_byte_buffer_create(&m, 1);
        grpc_slice_unref(m);
        x->call = grpc_channel_create_call(c.ch, NULL, GRPC_PROPAGATE_DEFAULTS, c.cq,
                                           grpc_slice_from_static_string(RAW_STREAM), NULL,
                                           in_ms(300000), NULL);
        grpc_op ops[4];
        memset(ops, 0, sizeof ops);
        ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
        ops[1].op = GRPC_OP_SEND_MESSAGE;
        ops[1].data.send_message.send_message = x->out;
        ops[2].op = GRPC_OP_RECV_INITIAL_METADATA;
        ops[2].data.recv_initial_metadata.recv_initial_metadata = &x->md_in;
        ops[3].op = GRPC_OP_RECV_MESSAGE;
        ops[3].data.recv_message.recv_message = &x->in;
        grpc_op st;
        memset(&st, 0, sizeof st);
        st.op = GRPC_OP_RECV_STATUS_ON_CLIENT;
        st.data.recv_status_on_client.trailing_metadata = &x->md_trailing;
        st.data.recv_status_on_client.status = &x->status;
        st.data.recv_status_on_client.status_details = &x->details;
        if (x->call == NULL ||
            grpc_call_start_batch(x->call, ops, 4, tag_of(started, false), NULL) != GRPC_CALL_OK ||
            grpc_call_start_batch(x->call, &st, 1, tag_of(started, true), NULL) != GRPC_CALL_OK) {
            fprintf(stderr, "hostile_grpc: cannot start stream %zu\n", started);
            break;
        }
    }
    const double open_ms = now_ms() - t0;

    /* Answers as they come; done when every stream has one, or when none
     * came for QUIET_MS, or after 60 s. Streams stay open (never half-closed). */
    size_t answered = 0, ended = 0, pending = 2 * started;
    uint64_t by_code[MAX_CODE + 1] = { 0 };
    double last_answer = 0, quiet_since = now_ms();
    const double give_up = now_ms() + 60000;
    while (pending > 0 && answered < started && now_ms() < give_up &&
           now_ms() - quiet_since < QUIET_MS) {
        const grpc_event ev = grpc_completion_queue_next(c.cq, in_ms(100), NULL);
        if (ev.type != GRPC_OP_COMPLETE)
            continue;
        const uintptr_t t = (uintptr_t)ev.tag - 1;
        struct stream *x = &s[t / 2];
        pending--;
        if (t % 2 == 1) {
            x->ended = true;
            ended++;
            by_code[x->status >= 0 && x->status < MAX_CODE ? x->status : MAX_CODE]++;
        } else {
            x->open_done = true;
            if (ev.success && x->in != NULL) {
                x->answered = true;
                answered++;
                last_answer = now_ms();
                quiet_since = last_answer;
            }
        }
    }
    const double watched = now_ms() - t0;

    printf("%zu streams opened on one connection (in %.0f ms, each sent one request): "
           "%zu answered (the last %.0f ms after the first open), %zu ended early",
           started, open_ms, answered, answered ? last_answer - t0 : 0.0, ended);
    const char *sep = " (";
    for (int k = 0; k <= MAX_CODE; k++)
        if (by_code[k] > 0) {
            printf("%s%llux %s", sep, (unsigned long long)by_code[k],
                   k < MAX_CODE ? code_names[k] : "other");
            sep = ", ";
        }
    if (ended > 0)
        printf(")");
    printf("; watched %.1f s (until all answered or %d s without an answer); client peak "
           "RSS %ld MB\n", watched / 1e3, QUIET_MS / 1000, own_peak_mb());
    fflush(stdout);

    /* Cancel them all and collect every completion, bounded. */
    for (size_t i = 0; i < started; i++)
        grpc_call_cancel(s[i].call, NULL);
    const double drain_end = now_ms() + 30000;
    while (pending > 0 && now_ms() < drain_end) {
        const grpc_event ev = grpc_completion_queue_next(c.cq, in_ms(100), NULL);
        if (ev.type == GRPC_OP_COMPLETE)
            pending--;
    }
    if (pending > 0) {
        /* Freeing what gRPC may still write to is worse than leaving. */
        fprintf(stderr, "hostile_grpc: %zu completions never came after the cancel\n", pending);
        fflush(stderr);
        _exit(1);
    }
    for (size_t i = 0; i < started; i++) {
        struct stream *x = &s[i];
        if (x->in != NULL)
            grpc_byte_buffer_destroy(x->in);
        grpc_byte_buffer_destroy(x->out);
        grpc_metadata_array_destroy(&x->md_in);
        grpc_metadata_array_destroy(&x->md_trailing);
        grpc_slice_unref(x->details);
        grpc_call_unref(x->call);
    }
    conn_close(&c);
    free(s);
    return started == STREAMS ? 0 : 1;
}

/* ---- attacks bomb and uncompressed ---- */

static void print_result(const char *what, const struct result *r)
{
    printf("%s: %s in %.1f ms", what, code_name(r->status), r->ms);
    if (r->answered)
        printf(", answered %lld", (long long)r->answer);
    if (r->details[0] != '\0')
        printf(" (\"%s\")", r->details);
}

static int bomb(const char *address, size_t zeros)
{
    unsigned char req[32];
    size_t small_len = 0, len = 0;
    unsigned char *small = raw_compress(GRPC_COMPRESS_GZIP, req, raw_request(1, req), 0,
                                        &small_len);
    unsigned char *gz = raw_compress(GRPC_COMPRESS_GZIP, req, raw_request(7, req), zeros, &len);
    struct conn c;
    conn_open(&c, address, GRPC_COMPRESS_GZIP);
    /* A fair compressed call first, on the bomb's connection: the
     * connection's own cost is not the bomb's. */
    struct result warm, r;
    unary(&c, small, small_len, GRPC_COMPRESS_GZIP, 5000, &warm);
    unary(&c, gz, len, GRPC_COMPRESS_GZIP, BOMB_MS, &r);
    conn_close(&c);
    print_result("a fair gzip request first", &warm);
    char what[128];
    snprintf(what, sizeof what, "; then %zu MiB of zeros as %zu bytes of gzip, one message",
             zeros >> 20, len);
    print_result(what, &r);
    printf(" (deadline %d ms)\n", BOMB_MS);
    free(small);
    free(gz);
    return warm.status == GRPC_STATUS_OK ? 0 : 1;
}

static int uncompressed(const char *address)
{
    unsigned char req[32];
    size_t len = 0;
    unsigned char *gz = raw_compress(GRPC_COMPRESS_GZIP, req, raw_request(41, req), 0, &len);
    struct conn c;
    conn_open(&c, address, GRPC_COMPRESS_GZIP);
    struct result r;
    unary(&c, gz, len, GRPC_COMPRESS_GZIP, 5000, &r);
    conn_close(&c);
    print_result("a gzip-compressed request {41}", &r);
    printf("\n");
    free(gz);
    return 0;
}

/* ---- main ---- */

/* Room for the flood and the streams whatever this shell's soft limit. */
static void raise_fd_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
        r.rlim_cur < 4096) {
        r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max > 4096 ? 4096 : r.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &r);
    }
}

int main(int argc, char **argv)
{
    static const char usage[] =
        "usage: hostile_grpc 127.0.0.1:PORT fdflood|streams|bomb|bomb2m|uncompressed\n";
    if (argc != 3 || strncmp(argv[1], "127.0.0.1:", 10) != 0) {
        fputs(usage, stderr);
        return 2;
    }
    char *end = NULL;
    const unsigned long port = strtoul(argv[1] + 10, &end, 10);
    if (end == argv[1] + 10 || *end != '\0' || port == 0 || port > 65535) {
        fputs(usage, stderr);
        return 2;
    }
    const char *address = argv[1], *attack = argv[2];
    int rc;
    raise_fd_limit();
    grpc_init();
    if (strcmp(attack, "fdflood") == 0)
        rc = fdflood(address, (uint16_t)port);
    else if (strcmp(attack, "streams") == 0)
        rc = streams(address);
    else if (strcmp(attack, "bomb") == 0)
        rc = bomb(address, BOMB_ZEROS);
    else if (strcmp(attack, "bomb2m") == 0)
        rc = bomb(address, BOMB2M_ZEROS);
    else if (strcmp(attack, "uncompressed") == 0)
        rc = uncompressed(address);
    else {
        fputs(usage, stderr);
        rc = 2;
    }
    fflush(stdout);
    grpc_shutdown();
    return rc;
}
