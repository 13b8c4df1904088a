/*
 * stream_client.c — the client of the stream transports (tcp, uds): one
 * connection, made by the kind's connect (TCP_NODELAY for tcp) in init and
 * never silently reopened. A call packs its frame into a buffer of the
 * client and sends it with ONE send, then usually finds the whole answer
 * with ONE recv: the first recv of a call blocks under SO_RCVTIMEO =
 * timeout_ms, which costs one system call where poll + recv
 * would cost two; any further recv (a frame split in transit) polls against
 * the call's deadline. Pipelined submits send without blocking; when the
 * socket takes no more, the submit reads the answers already waiting into
 * a ring owned by the client (the server stops reading while its answers
 * back up, so a submit that only waited to send would wait on itself) and
 * complete hands those out before it reads the socket again. Once the
 * stream may be out of step (timeout, bad frame, wrong id, peer gone) or
 * the server echoed the wrong payload, the client refuses every later call
 * rather than read a stale answer. Never prints, never exits, never
 * allocates after init: the payload's bytes, the request frame, the read
 * buffer and the decode arena are all sized there, for `payload`. The
 * payload's field is packed there too, once: a call packs only the value
 * and the id in front of it (stream_frame.h). The echo is checked in the
 * call: its length always, its bytes with verify = true. That compare is
 * timed with the call, as the plugin has no hook between calls and the
 * arena holding the echo is reused by the next one.
 */
#include "stream_client.h"

#include "deadline.h"
#include "stream_frame.h"
#include "net.h"
#include "payload.h"
#include "stream_keys.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The runner's largest window; each call in flight costs one ring entry,
 * 24 bytes, allocated in init. */
#define STREAM_MAX_INFLIGHT INCBENCH_MAX_INFLIGHT
/* rbuf holds the longest reply and this much more: room for hundreds of
 * small pipelined answers per recv, and moves of a partial frame to the
 * front of rbuf come at most once per this many bytes read. */
#define STREAM_READ_ROOM 16384

/* An answer read by a submit, waiting for complete to hand it out. */
struct stream_answer {
    uint64_t tag;
    int64_t value;
    bool refused;
};

struct stream_client {
    const struct stream_kind *kind;
    int fd;
    unsigned timeout_ms;
    unsigned max_inflight;
    unsigned inflight;               /* submits not yet completed */
    unsigned ring_head, ring_len;    /* ring[head], ... (mod max_inflight) */
    struct stream_answer *ring;         /* max_inflight answers read early */
    bool broken;                     /* stream out of step: refuse all calls */
    bool told_too_big;               /* the server's last word: our request was too long */
    uint64_t next_id;                /* increment's own ids, checked on return */
    uint64_t connections;
    char address[256];
    struct payload payload;          /* what every request carries, made in init */
    uint8_t *wbuf;                   /* one request: frame_max(payload.len) */
    size_t wtail;                    /* bytes of the payload's field, packed in wbuf at init */
    size_t reply_max;                /* the longest reply frame taken */
    size_t rcap;                     /* reply_max + STREAM_READ_ROOM */
    size_t roff, rlen;               /* rbuf[roff, rlen) received, not consumed */
    uint8_t *rbuf;
    struct codec_arena arena;        /* limit codec_msg_limit(payload.len) */
};

/* One sentence into err, "name: " first. */
static void vsay(const struct stream_kind *kind, char *err, size_t errlen, const char *fmt,
                 va_list ap)
{
    int n = snprintf(err, errlen, "%s: ", kind->name);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
}

/* vsay(); -1 for the caller to return. */
__attribute__((format(printf, 4, 5)))
static int say(const struct stream_kind *kind, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(kind, err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* say(), and the stream is out of step from here on. */
__attribute__((format(printf, 4, 5)))
static int fail(struct stream_client *c, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(c->kind, err, errlen, fmt, ap);
    va_end(ap);
    c->broken = true;
    return -1;
}

int stream_client_init(const struct stream_kind *kind, void **client,
                       const struct incbench_params *params, char *err, size_t errlen)
{
    char why[512];
    struct stream_keys keys;   /* the server's alone; read to refuse what it would */
    *client = NULL;
    if (stream_keys_read(params, kind->name, &keys, err, errlen) != 0)
        return -1;
    if (params->address == NULL || params->address[0] == '\0')
        return say(kind, err, errlen, "no server address to connect to");
    if (params->timeout_ms == 0)
        return say(kind, err, errlen, "timeout_ms must be at least 1");
    struct stream_client *c = calloc(1, sizeof *c);
    if (c == NULL)
        return say(kind, err, errlen, "out of memory creating a client");
    *client = c;
    c->kind = kind;
    c->fd = -1;
    c->timeout_ms = params->timeout_ms;
    c->max_inflight = params->max_inflight > 0 ? params->max_inflight : 1;
    if (c->max_inflight > STREAM_MAX_INFLIGHT)
        return say(kind, err, errlen, "window %u is more than the %u calls this client can "
                   "keep in flight", c->max_inflight, STREAM_MAX_INFLIGHT);
    c->ring = calloc(c->max_inflight, sizeof *c->ring);
    if (c->ring == NULL)
        return say(kind, err, errlen, "out of memory for a window of %u calls", c->max_inflight);
    if (payload_read(params, kind->name, &c->payload, err, errlen) != 0)
        return -1;
    if (codec_arena_init_payload(&c->arena, c->payload.len) != 0)
        return say(kind, err, errlen, "out of memory for a decoder of payload = %zu bytes",
                   c->payload.len);
    c->reply_max = FRAME_HEADER + c->arena.limit;
    c->rcap = c->reply_max + STREAM_READ_ROOM;
    c->wbuf = malloc(frame_max(c->payload.len));
    c->rbuf = malloc(c->rcap);
    if (c->wbuf == NULL || c->rbuf == NULL)
        return say(kind, err, errlen, "out of memory for frames of payload = %zu bytes",
                   c->payload.len);
    c->wtail = frame_request_tail(c->wbuf, c->payload.bytes, c->payload.len);
    if ((size_t)snprintf(c->address, sizeof c->address, "%s", params->address)
        >= sizeof c->address)
        return say(kind, err, errlen, "address '%.64s...' is too long", params->address);
    c->fd = kind->connect(c->address, c->timeout_ms, why, sizeof why);
    if (c->fd < 0)
        return say(kind, err, errlen, "%s", why);
    c->connections = 1;
    struct timeval tv = { .tv_sec = c->timeout_ms / 1000,
                          .tv_usec = (suseconds_t)(c->timeout_ms % 1000) * 1000 };
    if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
        return say(kind, err, errlen, "setting a %u ms receive timeout on the connection to "
                   "%s: %s", c->timeout_ms, c->address, strerror(errno));
    return 0;
}

/* Wait for more bytes into rbuf. `blocking` allows the SO_RCVTIMEO recv. */
static int receive(struct stream_client *c, bool blocking, long long deadline,
                   char *err, size_t errlen)
{
    for (;;) {
        int flags = 0;
        if (!blocking) {
            const enum deadline_wait w = deadline_poll(c->fd, POLLIN, deadline, NULL);
            if (w == DEADLINE_PASSED)
                return fail(c, err, errlen, "no answer from %s within %u ms",
                            c->address, c->timeout_ms);
            if (w == DEADLINE_FAILED)
                return fail(c, err, errlen, "waiting for %s: %s",
                            c->address, strerror(errno));
            flags = MSG_DONTWAIT;
        }
        ssize_t r = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, flags);
        if (r > 0) {
            c->rlen += (size_t)r;
            return 0;
        }
        if (r == 0)
            return fail(c, err, errlen, "%s closed the connection", c->address);
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return fail(c, err, errlen, "reading from %s: %s",
                        c->address, strerror(errno));
        /* The blocking recv timed out or was interrupted: the poll path
         * says which, against the deadline. */
        blocking = false;
    }
}

/* The server's notice that our request was longer than it takes (body at
 * p, len bytes): its `payload` setting and ours, in one sentence. */
static int too_big(struct stream_client *c, const uint8_t *p, size_t len, char *err,
                   size_t errlen)
{
    int64_t limit = -1;
    uint64_t id;
    c->told_too_big = true;
    if (codec_unpack_reply(&c->arena, p, len, &limit, &id) != CODEC_OK || limit < 0)
        return fail(c, err, errlen, "%s refused a request as too long and closed the "
                    "connection", c->address);
    return fail(c, err, errlen, "%s takes requests of at most payload = %lld bytes and "
                "refused ours of payload = %zu: set payload = %zu or more for the server",
                c->address, (long long)limit, c->payload.len, c->payload.len);
}

/* Take the next whole frame out of rbuf: 1 with *hdr its header and *body
 * pointing into rbuf (valid until the next read), 0 when rbuf holds less
 * than a frame, -1 on a length no reply can have or the server's notice
 * that the request was too long. */
static int take_frame(struct stream_client *c, uint32_t *hdr, const uint8_t **body,
                      char *err, size_t errlen)
{
    size_t have = c->rlen - c->roff;
    if (have < FRAME_HEADER)
        return 0;
    uint32_t h = frame_get32(c->rbuf + c->roff);
    size_t len = h & FRAME_LEN_MASK;
    if (len > c->arena.limit)
        return fail(c, err, errlen, "%s sent a frame of %zu bytes, over the %zu-byte limit "
                    "of payload = %zu", c->address, len, c->arena.limit, c->payload.len);
    if (have < FRAME_HEADER + len)
        return 0;
    if (h & FRAME_TOO_BIG)
        return too_big(c, c->rbuf + c->roff + FRAME_HEADER, len, err, errlen);
    *hdr = h;
    *body = c->rbuf + c->roff + FRAME_HEADER;
    c->roff += FRAME_HEADER + len;
    return 1;
}

/* Less than one frame is left: make room for the rest of it. Nothing left
 * starts over at the front; a partial frame moves there only when the
 * longest reply would not fit after it, which is at most once per
 * STREAM_READ_ROOM bytes consumed. */
static void compact(struct stream_client *c)
{
    size_t have = c->rlen - c->roff;
    if (have > 0 && c->roff + c->reply_max <= c->rcap)
        return;
    memmove(c->rbuf, c->rbuf + c->roff, have);
    c->roff = 0;
    c->rlen = have;
}

/* Next whole frame, waiting for it against the deadline. */
static int read_frame(struct stream_client *c, long long start_ns, long long deadline,
                      uint32_t *hdr, const uint8_t **body, char *err, size_t errlen)
{
    bool first = true;
    for (;;) {
        int got = take_frame(c, hdr, body, err, errlen);
        if (got != 0)
            return got < 0 ? -1 : 0;
        compact(c);
        /* Block in recv only while the call is younger than a millisecond:
         * SO_RCVTIMEO then ends it by its deadline, to the millisecond. */
        bool blocking = first && deadline_now_ns() - start_ns < 1000000;
        first = false;
        if (receive(c, blocking, deadline, err, errlen) != 0)
            return -1;
    }
}

/* A reply's body into *value and *id; a body that does not decode, or
 * an answer (not a refusal) whose payload is not the request's, breaks the
 * stream. */
static int decode(struct stream_client *c, uint32_t hdr, const uint8_t *body, int64_t *value,
                  uint64_t *id, char *err, size_t errlen)
{
    struct codec_msg m;
    const enum codec_result rc = codec_decode_reply(&c->arena, body, hdr & FRAME_LEN_MASK, &m);
    if (rc != CODEC_OK)
        return fail(c, err, errlen, "%s sent a reply that does not decode: %s",
                    c->address, codec_why(rc));
    *value = m.value;
    *id = m.id;
    if (!(hdr & FRAME_REFUSED) &&
        payload_check(&c->payload, m.payload, m.payload_len, c->kind->name, err, errlen) != 0) {
        c->broken = true;
        return -1;
    }
    return 0;
}

static int refused(const struct stream_client *c, int64_t value, char *err, size_t errlen)
{
    if (value == INT64_MAX)
        return say(c->kind, err, errlen, "server refused: value INT64_MAX would overflow");
    return say(c->kind, err, errlen, "server %s refused value %lld", c->address,
               (long long)value);
}

static int unusable(const struct stream_client *c, char *err, size_t errlen)
{
    if (c->broken)
        return say(c->kind, err, errlen, "the connection to %s failed earlier; this client "
                   "is unusable", c->address);
    return say(c->kind, err, errlen, "increment called with %u pipelined calls in flight",
               c->inflight);
}

/* Decode every whole frame in rbuf into the ring. Each answers one of the
 * `inflight` calls sent, so the ring (max_inflight long) cannot overflow
 * unless the peer answers what was never asked, which breaks the stream. */
static int stash_answers(struct stream_client *c, char *err, size_t errlen)
{
    uint32_t hdr = 0;
    const uint8_t *body = NULL;
    int got;
    while ((got = take_frame(c, &hdr, &body, err, errlen)) > 0) {
        if (c->ring_len >= c->inflight)
            return fail(c, err, errlen, "%s sent more answers than there are calls "
                        "in flight (%u)", c->address, c->inflight);
        unsigned at = c->ring_head + c->ring_len;
        struct stream_answer *a = &c->ring[at >= c->max_inflight ? at - c->max_inflight : at];
        if (decode(c, hdr, body, &a->value, &a->tag, err, errlen) != 0)
            return -1;
        a->refused = (hdr & FRAME_REFUSED) != 0;
        c->ring_len++;
    }
    if (got < 0)
        return -1;
    compact(c);
    return 0;
}

/* Read, without waiting, every answer the socket holds now. */
static int drain(struct stream_client *c, char *err, size_t errlen)
{
    for (;;) {
        if (stash_answers(c, err, errlen) != 0)
            return -1;
        ssize_t r = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, MSG_DONTWAIT);
        if (r > 0) {
            c->rlen += (size_t)r;
            continue;
        }
        if (r == 0)
            return fail(c, err, errlen, "%s closed the connection", c->address);
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        if (errno != EINTR)
            return fail(c, err, errlen, "reading from %s: %s", c->address,
                        strerror(errno));
    }
}

/* A send failed (why). A server that refused the request as too long said
 * so before it closed, and its notice is still readable after the reset:
 * report that rather than the broken connection. */
static int send_failed(struct stream_client *c, const char *why, char *err, size_t errlen)
{
    if (drain(c, err, errlen) != 0 && c->told_too_big)
        return -1;
    return fail(c, err, errlen, "sending to %s: %s", c->address, why);
}

static int send_frame(struct stream_client *c, const uint8_t *f, size_t n, long long deadline,
                      char *err, size_t errlen)
{
    char why[256];
    if (net_write_all(c->fd, f, n, deadline, why, sizeof why) != 0)
        return send_failed(c, why, err, errlen);
    return 0;
}

int stream_client_increment(void *client, int64_t value, int64_t *result,
                            char *err, size_t errlen)
{
    struct stream_client *c = client;
    if (c->broken || c->inflight > 0)
        return unusable(c, err, errlen);
    long long start = deadline_now_ns();
    long long deadline = start / 1000000 + c->timeout_ms;
    uint64_t id = ++c->next_id;
    size_t n;
    const uint8_t *f = frame_request(c->wbuf, c->wtail, value, id, &n);
    if (send_frame(c, f, n, deadline, err, errlen) != 0)
        return -1;
    uint32_t hdr;
    const uint8_t *body;
    if (read_frame(c, start, deadline, &hdr, &body, err, errlen) != 0)
        return -1;
    int64_t v;
    uint64_t rid;
    if (decode(c, hdr, body, &v, &rid, err, errlen) != 0)
        return -1;
    if (rid != id)
        return fail(c, err, errlen, "%s answered id %llu to request id %llu",
                    c->address, (unsigned long long)rid, (unsigned long long)id);
    /* A refusal is a whole, well-formed frame: the stream stays in step. */
    if (hdr & FRAME_REFUSED)
        return refused(c, v, err, errlen);
    *result = v;
    return 0;
}

static bool send_can_retry(int e)
{
    return e == EAGAIN || e == EWOULDBLOCK || e == EINTR;
}

/* The first send of a submit returned `sent` for f[n] (-1 with errno
 * set, or short): send the rest, reading the answers waiting whenever the
 * socket will not take more, all within the call's timeout. */
static int send_rest(struct stream_client *c, const uint8_t *f, ssize_t sent, size_t n,
                     char *err, size_t errlen)
{
    if (sent < 0 && !send_can_retry(errno))
        return send_failed(c, strerror(errno), err, errlen);
    long long deadline = deadline_now_ms() + c->timeout_ms;
    size_t off = sent > 0 ? (size_t)sent : 0;
    while (off < n) {
        short revents = 0;
        const enum deadline_wait w = deadline_poll(c->fd, POLLIN | POLLOUT, deadline, &revents);
        if (w == DEADLINE_PASSED)
            return fail(c, err, errlen, "%s neither took a request nor answered one "
                        "within %u ms", c->address, c->timeout_ms);
        if (w == DEADLINE_FAILED)
            return fail(c, err, errlen, "waiting for %s: %s", c->address,
                        strerror(errno));
        if (revents & POLLNVAL)
            return fail(c, err, errlen, "the connection to %s is closed", c->address);
        /* HUP and ERR come out of recv as the end of the stream or its error. */
        if ((revents & (POLLIN | POLLHUP | POLLERR)) && drain(c, err, errlen) != 0)
            return -1;
        if (revents & POLLOUT) {
            ssize_t w = send(c->fd, f + off, n - off, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0)
                off += (size_t)w;
            else if (w < 0 && !send_can_retry(errno))
                return send_failed(c, strerror(errno), err, errlen);
        }
    }
    return 0;
}

int stream_client_submit(void *client, uint64_t tag, int64_t value,
                         char *err, size_t errlen)
{
    struct stream_client *c = client;
    if (c->broken)
        return unusable(c, err, errlen);
    if (c->inflight >= c->max_inflight)
        return say(c->kind, err, errlen, "submit with %u calls already in flight "
                   "(max_inflight %u)", c->inflight, c->max_inflight);
    size_t n;
    const uint8_t *f = frame_request(c->wbuf, c->wtail, value, tag, &n);
    ssize_t w = send(c->fd, f, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w != (ssize_t)n && send_rest(c, f, w, n, err, errlen) != 0)
        return -1;
    c->inflight++;
    return 0;
}

int stream_client_complete(void *client, uint64_t *tag, int64_t *result,
                           char *err, size_t errlen)
{
    struct stream_client *c = client;
    if (c->broken)
        return unusable(c, err, errlen);
    if (c->inflight == 0)
        return say(c->kind, err, errlen, "complete called with nothing in flight");
    if (c->ring_len > 0) {
        const struct stream_answer *a = &c->ring[c->ring_head];
        if (++c->ring_head == c->max_inflight)
            c->ring_head = 0;
        c->ring_len--;
        c->inflight--;
        *tag = a->tag;
        if (a->refused)
            return refused(c, a->value, err, errlen);
        *result = a->value;
        return 0;
    }
    long long start = deadline_now_ns();
    uint32_t hdr;
    const uint8_t *body;
    if (read_frame(c, start, start / 1000000 + c->timeout_ms, &hdr, &body, err, errlen) != 0)
        return -1;
    c->inflight--;
    int64_t v;
    uint64_t id;
    if (decode(c, hdr, body, &v, &id, err, errlen) != 0)
        return -1;
    *tag = id;
    if (hdr & FRAME_REFUSED)
        return refused(c, v, err, errlen);
    *result = v;
    return 0;
}

void stream_client_stats(void *client, struct incbench_stats *stats)
{
    const struct stream_client *c = client;
    stats->connections = c->connections;
}

void stream_client_shutdown(void *client)
{
    struct stream_client *c = client;
    if (c == NULL)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c->ring);
    free(c->wbuf);
    free(c->rbuf);
    payload_free(&c->payload);
    codec_arena_free(&c->arena);
    free(c);
}
