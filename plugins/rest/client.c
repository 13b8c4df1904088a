/*
 * client.c — the rest client: GET /increment/{v}, or POST /increment with
 * a JSON body, over HTTP/1.1 on one blocking socket; a 200 answer read by
 * body.c, an error answer's message by jansson.
 *
 * Why not libevent's evhttp client (the library default)? Measured against
 * this file on the same evhttp server (libevent 2.1.12, both threads pinned
 * to one core so that CPU cost, not placement, is compared; 3 x 20000
 * dependent calls): 20.7 us per call here (then still with poll + recv),
 * 28.5 us with evhttp_connection + evhttp_make_request. strace -c: 3 system
 * calls per call here then (sendto, poll, recvfrom; 2 now), about 11 there
 * (2 epoll_wait, 6 epoll_ctl, ioctl, readv, writev) plus a request object
 * and header lists allocated per call. And it hides what this benchmark
 * must report: evhttp 2.1 connects and silently reconnects inside its own
 * state machine, with no hook to count real TCP connects or to set
 * TCP_NODELAY on each new socket. Here a call is normally one send and one
 * recv (see receive()); every connect is ours (open_connection: counted,
 * TCP_NODELAY), and the response parser (response.c) is strict: status
 * line, Content-Length, Connection — anything else is an error.
 *
 * keepalive: one connection for all calls. If the server closed it while
 * we were idle (its idle timeout), the request is sent once more on a new,
 * counted connection — an increment is idempotent and no byte of an answer
 * had arrived. close: every call connects, sends "Connection: close", and
 * closes, as the write-up's Python client did.
 *
 * payload = N: a GET asks `?payload=N` and finds N bytes in the answer; a
 * POST sends them in its body, built in init with the payload bytes in
 * place, so a call writes only the value and the lengths in front of them
 * (no copy of the payload, no allocation). Both check the answer's
 * payload with payload_check. The answer buffer is sized from N in init.
 *
 * tls = true: every connection is TLS (tls_client.c) over the same
 * socket, its handshake part of the connect; in close mode that is part of
 * every call, as it would be for a client that does not keep connections.
 *
 * It never prints, exits or aborts; every wait ends by timeout_ms.
 */
#include "rest.h"

#include "body.h"
#include "rest_tls.h"
#include "deadline.h"
#include "net.h"
#include "payload.h"
#include "response.h"
#include "route.h"

#include <jansson.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The paths the server routes (route.h), so the two cannot drift apart. */
#define REST_PATH "GET " REST_PREFIX
#define POST_LINE "POST " REST_POST_PATH " HTTP/1.1\r\n"
/* What a POST body holds around the value and the payload. */
#define BODY_OPEN "{\"value\": "
#define BODY_MIDDLE ", \"payload\": \""
#define BODY_CLOSE "\"}"
#define HEAD_END "\r\n\r\n"
/* An answer's room besides its payload: status line, headers, the JSON
 * around the bytes (evhttp's answers use some 200). */
#define ANSWER_ROOM 8192

_Static_assert(RESPONSE_MAX_BODY >= PAYLOAD_MAX + ANSWER_ROOM,
               "response.c must accept the body of the largest payload");

struct rest_client {
    char address[256];
    struct net_addr addr;        /* address, resolved once in init */
    unsigned timeout_ms;
    bool keepalive;
    bool post;                   /* method = post */
    int fd;                      /* -1 when not connected */
    uint64_t connections;        /* real TCP connects, for stats */
    struct payload payload;      /* what a call carries, and checks */
    size_t tail_len;
    /* GET: "[?payload=N] HTTP/1.1\r\nHost: ...\r\n...\r\n", after the value;
     * POST: POST_LINE "Host: ...\r\n...Content-Length: ", before the rest. */
    char tail[320];
    char *out;                   /* the request being sent */
    size_t body_at;              /* POST: where the payload bytes sit in out */
    char *in;                    /* the answer being read */
    size_t in_size;
    bool tls;                    /* tls = true: every connection through t */
    bool abi3;                   /* the runner's stats have the TLS counters */
    struct rest_tls_client t;
};

/* Room in front of a POST's payload: the tail, the Content-Length
 * digits, HEAD_END, BODY_OPEN, the value's digits, BODY_MIDDLE. */
#define POST_FRONT (sizeof ((struct rest_client *)0)->tail + 20 + sizeof HEAD_END + \
                    sizeof BODY_OPEN + 20 + sizeof BODY_MIDDLE)
/* A GET fits here: REST_PATH, the value, the tail. */
#define GET_SIZE (sizeof REST_PATH + 20 + sizeof ((struct rest_client *)0)->tail)

/* Outcome of one request/response exchange on the current connection. */
enum exchange { EX_OK, EX_FAILED, EX_STALE };

/* Close the connection; `good`: after a whole answer (a TLS session
 * then is kept for the next connection). */
static void drop(struct rest_client *c, bool good)
{
    if (c->tls)
        rest_tls_close(&c->t, good);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* connect() returned -1: true (err set) unless the connection is in fact
 * being made — a signal interrupted the wait (EINTR), and then the
 * handshake goes on and poll says when it is done. EINPROGRESS from a
 * blocking socket means SO_SNDTIMEO ran out. */
static bool connect_failed(struct rest_client *c, int fd, long long deadline,
                           char *err, size_t errlen)
{
    if (errno == EINPROGRESS || errno == EAGAIN) {
        snprintf(err, errlen, "rest: timed out connecting to %s after %u ms",
                 c->address, c->timeout_ms);
        return true;
    }
    if (errno != EINTR) {
        snprintf(err, errlen, "rest: cannot connect to %s: %s", c->address, strerror(errno));
        return true;
    }
    const enum deadline_wait w = deadline_poll(fd, POLLOUT, deadline, NULL);
    if (w == DEADLINE_PASSED) {
        snprintf(err, errlen, "rest: timed out connecting to %s after %u ms",
                 c->address, c->timeout_ms);
        return true;
    }
    if (w == DEADLINE_FAILED) {
        snprintf(err, errlen, "rest: poll while connecting to %s: %s",
                 c->address, strerror(errno));
        return true;
    }
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
        soerr = errno;
    if (soerr != 0) {
        snprintf(err, errlen, "rest: cannot connect to %s: %s", c->address, strerror(soerr));
        return true;
    }
    return false;
}

/* Set a socket timeout of `ms` (at least 1 ms: 0 would mean "never"). */
static int set_timeout(int fd, int which, long long ms)
{
    if (ms < 1)
        ms = 1;
    struct timeval tv = { .tv_sec = (time_t)(ms / 1000),
                          .tv_usec = (suseconds_t)(ms % 1000) * 1000 };
    return setsockopt(fd, SOL_SOCKET, which, &tv, sizeof tv);
}

/* A new connection to the server, by the call's deadline. The connect
 * blocks, bounded by SO_SNDTIMEO = the time left (Linux applies it to
 * connect and then answers EINPROGRESS): socket, three setsockopt and
 * connect, where a non-blocking connect costs a poll, a getsockopt and two
 * fcntl more. `close` mode pays this on every call. SO_RCVTIMEO bounds the
 * first recv of each call (see receive()). The address was resolved once,
 * in init. */
static int open_connection(struct rest_client *c, long long deadline,
                           char *err, size_t errlen)
{
    long long left = deadline - deadline_now_ms();
    if (left <= 0) {
        snprintf(err, errlen, "rest: no time left to connect to %s within %u ms",
                 c->address, c->timeout_ms);
        return -1;
    }
    int fd = socket(c->addr.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "rest: socket for %s: %s", c->address, strerror(errno));
        return -1;
    }
    if (set_timeout(fd, SO_SNDTIMEO, left) != 0 ||
        set_timeout(fd, SO_RCVTIMEO, c->timeout_ms) != 0 || net_nodelay(fd) != 0) {
        snprintf(err, errlen, "rest: setting the options of a socket for %s: %s",
                 c->address, strerror(errno));
        close(fd);
        return -1;
    }
    if (connect(fd, (const struct sockaddr *)&c->addr.ss, c->addr.len) != 0 &&
        connect_failed(c, fd, deadline, err, errlen)) {
        close(fd);
        return -1;
    }
    c->fd = fd;
    c->connections++;
    if (c->tls && rest_tls_connect(&c->t, fd, c->address, c->timeout_ms, deadline,
                                   err, errlen) != 0) {
        drop(c, false);
        return -1;
    }
    return 0;
}

/* Wait for the socket to become readable by the deadline. */
static int wait_readable(struct rest_client *c, long long deadline, char *err, size_t errlen)
{
    switch (deadline_poll(c->fd, POLLIN, deadline, NULL)) {
    case DEADLINE_READY:
        return 0;
    case DEADLINE_PASSED:
        snprintf(err, errlen, "rest: no answer from %s within %u ms", c->address, c->timeout_ms);
        return -1;
    case DEADLINE_FAILED:
        break;
    }
    snprintf(err, errlen, "rest: poll on the connection to %s: %s", c->address, strerror(errno));
    return -1;
}

/* receive() returns this (err filled) when the deadline passed or poll
 * failed; recv itself never returns it. */
#define RECV_GAVE_UP ((ssize_t)-2)

/* Next bytes of the answer into c->in + have. The first read of a call
 * blocks in recv itself, bounded by the socket's SO_RCVTIMEO (timeout_ms):
 * one system call where poll + recv would be two. It is used only while
 * the call is younger than a millisecond, so the call still ends by its
 * deadline to the millisecond; later reads (an answer split in transit, a
 * recv that timed out or was interrupted) poll against the deadline. */
static ssize_t receive(struct rest_client *c, size_t have, bool *blocking,
                       long long start_ns, long long deadline, char *err, size_t errlen)
{
    int flags = 0;
    if (!*blocking || deadline_now_ns() - start_ns >= 1000000) {
        if (wait_readable(c, deadline, err, errlen) != 0)
            return RECV_GAVE_UP;
        flags = MSG_DONTWAIT;
    }
    *blocking = false;
    return recv(c->fd, c->in + have, c->in_size - have, flags);
}

/* receive() over TLS: the same first read that may block. */
static ssize_t receive_tls(struct rest_client *c, size_t have, bool *blocking,
                           long long start_ns, long long deadline, char *err, size_t errlen)
{
    const bool first = *blocking && deadline_now_ns() - start_ns < 1000000;
    *blocking = false;
    ssize_t r = rest_tls_recv(&c->t, c->in + have, c->in_size - have, first, c->address,
                              c->timeout_ms, deadline, err, errlen);
    return r == REST_TLS_GAVE_UP ? RECV_GAVE_UP : r;
}

static enum exchange exchange(struct rest_client *c, const char *request, size_t out_len,
                              bool reused,
                              long long start_ns, long long deadline,
                              struct http_response *resp,
                              char *err, size_t errlen)
{
    char why[200];
    if (c->tls) {
        if (rest_tls_write_all(&c->t, request, out_len, c->address, deadline,
                               err, errlen) != 0)
            return reused && (errno == EPIPE || errno == ECONNRESET) ? EX_STALE : EX_FAILED;
    } else if (net_write_all(c->fd, request, out_len, deadline, why, sizeof why) != 0) {
        if (reused && (errno == EPIPE || errno == ECONNRESET))
            return EX_STALE;
        snprintf(err, errlen, "rest: sending to %s: %s", c->address, why);
        return EX_FAILED;
    }
    size_t have = 0, need = 0;   /* need: the answer's size, once known */
    bool blocking = true;
    for (;;) {
        ssize_t r = c->tls ? receive_tls(c, have, &blocking, start_ns, deadline, err, errlen)
                           : receive(c, have, &blocking, start_ns, deadline, err, errlen);
        if (r == RECV_GAVE_UP)
            return EX_FAILED;
        if (r > 0) {
            have += (size_t)r;
            /* A large answer comes in many reads: its header is parsed
             * once, not again for each piece of its body. */
            if (have < need)
                continue;
            int rc = http_response_parse(c->in, have, resp);
            if (rc < 0) {
                snprintf(err, errlen, "rest: bad HTTP answer from %s: %s",
                         c->address, resp->why);
                return EX_FAILED;
            }
            if (rc > 0)
                break;
            need = resp->total;
            if (need > c->in_size || have == c->in_size) {
                snprintf(err, errlen, "rest: the answer from %s is over the %zu bytes this "
                         "client makes room for (payload = %zu)", c->address, c->in_size,
                         c->payload.len);
                return EX_FAILED;
            }
            continue;
        }
        if (r == 0 || errno == ECONNRESET) {
            if (reused && have == 0)
                return EX_STALE;
            snprintf(err, errlen, "rest: %s closed the connection before a whole answer%s",
                     c->address, have == 0 && !c->tls ? " (a TLS server does that to a "
                     "plaintext request: if it speaks TLS, set tls = true)" : "");
            return EX_FAILED;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            snprintf(err, errlen, "rest: reading from %s: %s", c->address, strerror(errno));
            return EX_FAILED;
        }
    }
    if (resp->total != have) {
        snprintf(err, errlen, "rest: %s sent %zu bytes after its answer",
                 c->address, have - resp->total);
        return EX_FAILED;
    }
    return EX_OK;
}

/* An error answer's sentence into err. Its JSON "error" is read with
 * jansson (any JSON a server may send; off the path of a good call). A
 * 413 names the payload sent and the limit: ours says which key raises
 * it; evhttp's own (a body over the server's limit) has no JSON, so that
 * sentence is the client's. */
static void read_error(const struct rest_client *c, const struct http_response *resp,
                       char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(c->in + resp->body_offset, resp->body_length, 0, &jerr);
    const char *msg = json_string_value(json_object_get(root, "error"));
    if (resp->status == 413)
        snprintf(err, errlen, "rest: %s answered HTTP 413 to payload = %zu bytes: %s",
                 c->address, c->payload.len, msg != NULL ? msg
                 : "over its body limit, which the server's payload key raises");
    else if (root == NULL)
        snprintf(err, errlen, "rest: HTTP %d from %s with a body that is not JSON: %s",
                 resp->status, c->address, jerr.text);
    else
        snprintf(err, errlen, "rest: HTTP %d: %s (from %s)", resp->status,
                 msg != NULL ? msg : "(no error message)", c->address);
    json_decref(root);
}

/* Read the JSON body of a finished exchange into *result or err: a 200's
 * value and payload with body.c, in place. */
static int read_body(struct rest_client *c, const struct http_response *resp,
                     int64_t *result, char *err, size_t errlen)
{
    if (resp->status != 200) {
        read_error(c, resp, err, errlen);
        return -1;
    }
    struct rest_body b;
    if (rest_body_parse(c->in + resp->body_offset, resp->body_length, &b) != 0) {
        snprintf(err, errlen, "rest: HTTP 200 from %s with a body we do not read: %s",
                 c->address, b.why);
        return -1;
    }
    if (!b.has_value) {
        snprintf(err, errlen, "rest: HTTP 200 from %s without an integer 'value'", c->address);
        return -1;
    }
    if (payload_check(&c->payload, (const uint8_t *)b.payload, b.payload_len, "rest",
                      err, errlen) != 0)
        return -1;
    *result = b.value;
    return 0;
}

/* Copy n bytes to end just before out + *at, moving *at to their start. */
static void put_before(char *out, size_t *at, const char *bytes, size_t n)
{
    *at -= n;
    memcpy(out + *at, bytes, n);
}

/* The request for `value` in c->out: its start and length. */
static const char *build_request(struct rest_client *c, int64_t value, size_t *len)
{
    char digits[24], lengths[24];
    size_t dn, ln;
    const char *d = rest_int64_text(value, digits, &dn);
    if (!c->post) {
        size_t n = sizeof REST_PATH - 1;
        memcpy(c->out, REST_PATH, n);
        memcpy(c->out + n, d, dn);
        memcpy(c->out + n + dn, c->tail, c->tail_len);
        *len = n + dn + c->tail_len;
        return c->out;
    }
    const size_t body = sizeof BODY_OPEN - 1 + dn + sizeof BODY_MIDDLE - 1 + c->payload.len +
                        sizeof BODY_CLOSE - 1;
    const char *l = rest_int64_text((int64_t)body, lengths, &ln);
    size_t at = c->body_at;
    put_before(c->out, &at, BODY_MIDDLE, sizeof BODY_MIDDLE - 1);
    put_before(c->out, &at, d, dn);
    put_before(c->out, &at, HEAD_END BODY_OPEN, sizeof HEAD_END BODY_OPEN - 1);
    put_before(c->out, &at, l, ln);
    put_before(c->out, &at, c->tail, c->tail_len);
    *len = c->body_at + c->payload.len + sizeof BODY_CLOSE - 1 - at;
    return c->out + at;
}

int rest_client_increment(void *client, int64_t value, int64_t *result,
                          char *err, size_t errlen)
{
    struct rest_client *c = client;
    long long start_ns = deadline_now_ns();
    long long deadline = start_ns / 1000000 + c->timeout_ms;
    size_t n;
    const char *request = build_request(c, value, &n);

    struct http_response resp;
    enum exchange ex;
    for (int attempt = 0;; attempt++) {
        bool reused = c->fd >= 0;
        if (!reused && open_connection(c, deadline, err, errlen) != 0)
            return -1;
        ex = exchange(c, request, n, reused, start_ns, deadline, &resp, err, errlen);
        if (ex == EX_OK) {
            if (c->tls)
                rest_tls_answered(&c->t);
            break;
        }
        drop(c, false);
        if (ex == EX_STALE && attempt == 0)
            continue;
        if (ex == EX_STALE)
            snprintf(err, errlen, "rest: %s closed the connection without an answer%s",
                     c->address, c->tls ? "" : " (a TLS server does that to a plaintext "
                     "request: if it speaks TLS, set tls = true)");
        return -1;
    }
    if (resp.close || !c->keepalive)
        drop(c, true);
    return read_body(c, &resp, result, err, errlen);
}

void rest_client_shutdown(void *client)
{
    struct rest_client *c = client;
    if (c == NULL)
        return;
    drop(c, false);
    if (c->tls)
        rest_tls_client_free(&c->t);
    payload_free(&c->payload);
    free(c->out);
    free(c->in);
    free(c);
}

void rest_client_stats(void *client, struct incbench_stats *stats)
{
    const struct rest_client *c = client;
    stats->connections = c != NULL ? c->connections : 0;
    if (c != NULL && c->abi3) {
        stats->tls_full_handshakes = c->t.full;
        stats->tls_resumed_handshakes = c->t.resumed;
    }
}

/* The part of every request that init knows: see struct rest_client. */
static int make_tail(struct rest_client *c)
{
    const char *close = c->keepalive ? "" : "Connection: close\r\n";
    char query[40] = "";
    int tn;
    if (c->post) {
        tn = snprintf(c->tail, sizeof c->tail, POST_LINE "Host: %s\r\n%s"
                      "Content-Type: application/json\r\nContent-Length: ", c->address, close);
    } else {
        if (c->payload.len > 0)
            snprintf(query, sizeof query, "?" REST_QUERY_PAYLOAD "%zu", c->payload.len);
        tn = snprintf(c->tail, sizeof c->tail, "%s HTTP/1.1\r\nHost: %s\r\n%s\r\n",
                      query, c->address, close);
    }
    if (tn < 0 || (size_t)tn >= sizeof c->tail)
        return -1;
    c->tail_len = (size_t)tn;
    return 0;
}

/* The request and answer buffers, once: a POST's has its payload bytes in
 * place and its closing BODY_CLOSE after them. */
static int make_buffers(struct rest_client *c)
{
    size_t out_size = GET_SIZE;
    if (c->post) {
        c->body_at = POST_FRONT;
        out_size = POST_FRONT + c->payload.len + sizeof BODY_CLOSE;
    }
    c->in_size = ANSWER_ROOM + c->payload.len;
    c->out = malloc(out_size);
    c->in = malloc(c->in_size);
    if (c->out == NULL || c->in == NULL)
        return -1;
    if (c->post) {
        if (c->payload.len > 0)
            memcpy(c->out + c->body_at, c->payload.bytes, c->payload.len);
        memcpy(c->out + c->body_at + c->payload.len, BODY_CLOSE, sizeof BODY_CLOSE - 1);
    }
    return 0;
}

int rest_client_init(void **client, const struct incbench_params *params,
                     char *err, size_t errlen)
{
    *client = NULL;
    struct rest_options o;
    if (rest_options(params, &o, err, errlen) != 0)
        return -1;
    if (params->address == NULL || params->address[0] == '\0') {
        snprintf(err, errlen, "rest: no server address to call");
        return -1;
    }
    struct rest_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, errlen, "rest: out of memory");
        return -1;
    }
    c->fd = -1;
    *client = c;
    c->keepalive = o.keepalive;
    c->post = o.post;
    c->timeout_ms = params->timeout_ms > 0 ? params->timeout_ms : 5000;
    c->abi3 = INCBENCH_ABI_MINOR_OF(params->abi_version) >= 3;
    if (payload_read(params, "rest", &c->payload, err, errlen) != 0)
        return -1;
    int an = snprintf(c->address, sizeof c->address, "%s", params->address);
    /* Over TLS the address may end in the pin of a made certificate: it
     * is checked after each handshake, and is no part of the Host. */
    if (o.tls.on) {
        c->tls = true;
        if (rest_tls_client_init(&c->t, &o.tls, params->address, c->address,
                                 sizeof c->address, err, errlen) != 0)
            return -1;
        an = (int)strlen(c->address);
    }
    if (an < 0 || (size_t)an >= sizeof c->address || make_tail(c) != 0) {
        snprintf(err, errlen, "rest: server address '%.64s...' is too long", params->address);
        return -1;
    }
    if (make_buffers(c) != 0) {
        snprintf(err, errlen, "rest: out of memory for payload = %zu bytes", c->payload.len);
        return -1;
    }
    char why[300];
    if (net_parse(c->address, &c->addr, why, sizeof why) != 0) {
        snprintf(err, errlen, "rest: %s", why);
        return -1;
    }
    /* keepalive connects now, so a wrong address fails here and the cold
     * call measures one request; close connects in every call anyway. */
    if (c->keepalive)
        return open_connection(c, deadline_now_ms() + c->timeout_ms, err, errlen);
    return 0;
}
