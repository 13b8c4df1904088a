/*
 * client.c — the grpc_stream client: one channel, one completion queue and
 * one IncrementStream call per client, polled only by the calling thread.
 *
 * increment: one batch {send message, receive message}, so a ping-pong costs
 * one completion. submit / complete: submit only queues the encoded request
 * (at most max_inflight); complete hands out an answer the transport already
 * holds if there is one, and only when none is waiting writes every queued
 * request (one SEND_MESSAGE each, gRPC allows one in flight per call, all
 * but the last with GRPC_WRITE_BUFFER_HINT so that they leave in one write)
 * and blocks (a compressed stream sends at submit instead: see init). A
 * receive stays posted while answers are due. Each request is
 * still its own message, answered on its own: complete hands back the id
 * the server echoed as the tag, and matching is the runner's job, never
 * arrival order.
 *
 * Tags are the addresses of the t_* members, one per kind of batch, each
 * kind at most once in flight. The status batch (initial metadata out and
 * in, status in) is started at init and completes when the stream ends: it
 * is where the reason of any failure comes from. A failure ends the stream:
 * complete keeps returning it while answers were pending; the next
 * increment or submit opens a fresh stream.
 */
#include "stream.h"

#include "../grpc_common/client.h"
#include "../grpc_common/deadline.h"
#include "../grpc_common/status.h"
#include "../common/options.h"

#include <grpc/grpc.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRACE_MS 1000

/* A queued request's head (value and id); its payload field is the
 * client's one, referenced as it is sent. */
struct pending_req {
    uint8_t len;
    uint8_t b[CODEC_PACKED_MAX];
};

struct stream_client {
    struct gc_client gc;
    grpc_call *call;
    char t_status, t_send, t_recv, t_pp, t_close;   /* tags: their addresses */
    bool status_busy, send_busy, recv_busy, pp_busy, close_busy;
    bool recv_ready, recv_ok;       /* a receive completed, not yet consumed */
    bool answered;                  /* this stream has delivered an answer */
    bool eager;                     /* compressed: send at submit, do not gather */
    bool wedged;                    /* a batch never came back: leak, don't crash */
    grpc_byte_buffer *recv_bb;
    grpc_metadata_array md_initial, md_trailing;
    grpc_status_code status;
    grpc_slice details;
    struct pending_req *outq;
    unsigned qcap, qhead, qlen;
    unsigned inflight;
    uint64_t next_id;
    char failure[256];
};

/* Record the first failure of the stream and copy it out; -1. */
static int fail(struct stream_client *c, char *err, size_t errlen, const char *fmt, ...)
{
    if (c->failure[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->failure, sizeof c->failure, fmt, ap);
        va_end(ap);
    }
    snprintf(err, errlen, "%s", c->failure);
    return -1;
}

/* Wait for one event until `deadline`; note which batch it ends. NULL on
 * timeout, else the tag. */
static void *poll_one(struct stream_client *c, gpr_timespec deadline, bool *ok)
{
    grpc_event ev = grpc_completion_queue_next(c->gc.cq, deadline, NULL);
    if (ev.type != GRPC_OP_COMPLETE)
        return NULL;
    if (gc_client_watch_event(&c->gc, &ev))
        return ev.tag; /* nobody waits for it: callers go on waiting */
    *ok = ev.success != 0;
    if (ev.tag == &c->t_status) {
        c->status_busy = false;
    } else if (ev.tag == &c->t_send) {
        c->send_busy = false;
    } else if (ev.tag == &c->t_recv) {
        c->recv_busy = false;
        c->recv_ready = true;
        c->answered |= *ok;
        c->recv_ok = *ok;
    } else if (ev.tag == &c->t_pp) {
        c->pp_busy = false;
    } else if (ev.tag == &c->t_close) {
        c->close_busy = false;
    }
    return ev.tag;
}

static bool any_busy(const struct stream_client *c)
{
    return c->status_busy || c->send_busy || c->recv_busy || c->pp_busy || c->close_busy;
}

/* Cancel the call and wait (bounded) until every batch has come back. */
static void cancel_and_drain(struct stream_client *c)
{
    if (c->call == NULL)
        return;
    grpc_call_cancel(c->call, NULL);
    gpr_timespec until = gc_deadline(GRACE_MS);
    bool ok;
    while (any_busy(c))
        if (poll_one(c, until, &ok) == NULL) {
            c->wedged = true;
            return;
        }
}

/* The stream ended under a call: the status batch says why. */
static int ended(struct stream_client *c, char *err, size_t errlen)
{
    gpr_timespec until = gc_deadline(c->gc.timeout_ms);
    bool ok;
    while (c->status_busy)
        if (poll_one(c, until, &ok) == NULL) {
            cancel_and_drain(c);
            break;
        }
    if (c->status_busy || c->status == GRPC_STATUS_OK)
        return fail(c, err, errlen, STREAM_WHO ": %s ended the stream without an answer",
                    c->gc.address);
    char msg[256];
    gc_status_error(msg, sizeof msg, STREAM_WHO, c->gc.address, c->status, c->details);
    return fail(c, err, errlen, "%s", msg);
}

static int timed_out(struct stream_client *c, char *err, size_t errlen)
{
    cancel_and_drain(c);
    return fail(c, err, errlen, STREAM_WHO ": DEADLINE_EXCEEDED: no answer from %s within %u ms",
                c->gc.address, c->gc.timeout_ms);
}

/* Wait (until deadline) for the one send gRPC allows in flight per call. */
static int wait_send_slot(struct stream_client *c, gpr_timespec deadline,
                          char *err, size_t errlen)
{
    while (c->send_busy) {
        bool ok = false;
        void *t = poll_one(c, deadline, &ok);
        if (t == NULL)
            return timed_out(c, err, errlen);
        if (t == &c->t_send && !ok)
            return ended(c, err, errlen);
    }
    return 0;
}

/* Create the stream call and start its status batch. */
static int open_stream(struct stream_client *c, char *err, size_t errlen)
{
    /* The stream lives as long as the client; each call has its own
     * deadline, enforced while waiting on the queue. */
    c->call = grpc_channel_create_registered_call(c->gc.ch, NULL, GRPC_PROPAGATE_DEFAULTS, c->gc.cq,
                                                  c->gc.method,
                                                  gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
    if (c->call == NULL) {
        snprintf(err, errlen, STREAM_WHO ": cannot create a stream to %s", c->gc.address);
        return -1;
    }
    grpc_op ops[3];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[1].data.recv_initial_metadata.recv_initial_metadata = &c->md_initial;
    ops[2].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[2].data.recv_status_on_client.trailing_metadata = &c->md_trailing;
    ops[2].data.recv_status_on_client.status = &c->status;
    ops[2].data.recv_status_on_client.status_details = &c->details;
    grpc_call_error ce = grpc_call_start_batch(c->call, ops, 3, &c->t_status, NULL);
    if (ce != GRPC_CALL_OK) {
        snprintf(err, errlen, STREAM_WHO ": cannot start a stream to %s: %s", c->gc.address,
                 grpc_call_error_to_string(ce));
        return -1;
    }
    c->status_busy = true;
    return 0;
}

/* A stream that failed is over; the next call after the failure was
 * reported gets a fresh stream (like a unary client's next call after an
 * error status), and every answer still pending on the old one is lost.
 * -1 (with the old sentence) when the old stream cannot be let go. */
static int reopen_if_failed(struct stream_client *c, char *err, size_t errlen)
{
    if (c->failure[0] == '\0')
        return 0;
    if (any_busy(c))
        cancel_and_drain(c);
    if (c->wedged)
        return fail(c, err, errlen, "%s", c->failure);
    if (c->recv_bb != NULL)
        grpc_byte_buffer_destroy(c->recv_bb);
    c->recv_bb = NULL;
    grpc_call_unref(c->call);
    c->call = NULL;
    grpc_slice_unref(c->details);
    c->details = grpc_empty_slice();
    c->md_initial.count = 0;
    c->md_trailing.count = 0;
    c->status = GRPC_STATUS_OK;
    c->qhead = c->qlen = c->inflight = 0;
    c->recv_ready = false;
    c->answered = false;
    c->failure[0] = '\0';
    return open_stream(c, err, errlen);
}

int stream_client_init(void **client, const struct incbench_params *params,
                       char *err, size_t errlen)
{
    *client = NULL;
    struct stream_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, errlen, STREAM_WHO ": out of memory");
        return -1;
    }
    *client = c;
    grpc_metadata_array_init(&c->md_initial);
    grpc_metadata_array_init(&c->md_trailing);
    c->details = grpc_empty_slice();
    c->qcap = params->max_inflight > 0 ? params->max_inflight : 1;
    c->outq = calloc(c->qcap, sizeof *c->outq);
    if (c->outq == NULL) {
        snprintf(err, errlen, STREAM_WHO ": out of memory for %u calls in flight", c->qcap);
        return -1;
    }
    static const char *const extra[] = STREAM_EXTRA_KEYS;
    if (gc_client_open(&c->gc, params, STREAM_WHO, extra, STREAM_METHOD, err, errlen) != 0)
        return -1;
    /* gRPC compresses each message with a fresh zlib stream, whose memory
     * churn (page faults, heap trims) dominates a compressed call; gathered
     * sends measured about twice as slow there, so compressed streams send
     * as soon as the send slot is free. */
    const char *comp = opts_get(params, "compression");
    c->eager = comp != NULL && strcmp(comp, "none") != 0;
    return open_stream(c, err, errlen);
}

/* The answer in recv_bb: its id and value, its payload checked. A reply
 * that does not decode, or a wrong payload, ends the stream. */
static int decode(struct stream_client *c, uint64_t *id, int64_t *result,
                  char *err, size_t errlen)
{
    grpc_byte_buffer *bb = c->recv_bb;
    c->recv_bb = NULL;
    struct codec_msg m;
    const enum codec_result got = gc_decode_reply(bb, &c->gc.rx, &m);
    if (bb != NULL)
        grpc_byte_buffer_destroy(bb);
    if (got != CODEC_OK) {
        cancel_and_drain(c);
        return fail(c, err, errlen, STREAM_WHO ": %s sent a reply that does not decode: %s",
                    c->gc.address, codec_why(got));
    }
    char why[256];
    if (gc_client_check(&c->gc, &m, why, sizeof why) != 0) {
        cancel_and_drain(c);
        return fail(c, err, errlen, "%s", why);
    }
    *id = m.id;
    *result = m.value;
    return 0;
}

int stream_client_increment(void *client, int64_t value, int64_t *result,
                            char *err, size_t errlen)
{
    struct stream_client *c = client;
    if (reopen_if_failed(c, err, errlen) != 0)
        return -1;
    if (c->inflight > 0)
        return fail(c, err, errlen, STREAM_WHO ": increment while %u submitted calls are pending",
                    c->inflight);
    gpr_timespec deadline = gc_deadline(c->gc.timeout_ms);
    /* A pipelined phase may have left its last send in flight. */
    if (wait_send_slot(c, deadline, err, errlen) != 0)
        return -1;
    uint64_t id = ++c->next_id;
    gc_client_request(&c->gc, value, id);
    grpc_op ops[2];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_MESSAGE;
    ops[0].data.send_message.send_message = c->gc.send_bb;
    ops[1].op = GRPC_OP_RECV_MESSAGE;
    ops[1].data.recv_message.recv_message = &c->recv_bb;
    if (grpc_call_start_batch(c->call, ops, 2, &c->t_pp, NULL) != GRPC_CALL_OK)
        return ended(c, err, errlen);
    c->pp_busy = true;
    bool ok = false;
    void *tag;
    while ((tag = poll_one(c, deadline, &ok)) != &c->t_pp)
        if (tag == NULL)
            return timed_out(c, err, errlen);
    if (!ok || c->recv_bb == NULL)
        return ended(c, err, errlen);
    uint64_t got = 0;
    if (decode(c, &got, result, err, errlen) != 0)
        return -1;
    if (got != id) {
        cancel_and_drain(c);
        return fail(c, err, errlen, STREAM_WHO ": %s answered id %" PRIu64 " to request id %" PRIu64,
                    c->gc.address, got, id);
    }
    gc_client_handshake(&c->gc, c->call);
    c->answered = true;
    return 0;
}

/* Keep a receive posted while answers are due, so that an answer the
 * transport already holds is ready before complete asks for it. */
static void post_recv(struct stream_client *c)
{
    if (c->recv_busy || c->recv_ready || c->inflight == 0)
        return;
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_RECV_MESSAGE;
    op.data.recv_message.recv_message = &c->recv_bb;
    if (grpc_call_start_batch(c->call, &op, 1, &c->t_recv, NULL) == GRPC_CALL_OK)
        c->recv_busy = true;
}

/* Start the send of the oldest queued request (one message per request, as
 * always). While more are queued behind it the send carries
 * GRPC_WRITE_BUFFER_HINT: the core completes it at once without writing,
 * and the next send without the hint writes them all in one go. */
static int send_next(struct stream_client *c, char *err, size_t errlen)
{
    const struct pending_req *r = &c->outq[c->qhead];
    /* The head copied (the slot is free again), the payload field shared. */
    gc_bb_set(c->gc.send_bb, r->b, r->len, grpc_slice_ref(c->gc.field));
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_SEND_MESSAGE;
    /* Not before the stream has answered once: gRPC 1.51 can leave hinted
     * messages queued before the stream is established unwritten for good
     * (a test hung on a fresh client's first burst). */
    op.flags = c->qlen > 1 && c->answered ? GRPC_WRITE_BUFFER_HINT : 0;
    op.data.send_message.send_message = c->gc.send_bb;
    if (grpc_call_start_batch(c->call, &op, 1, &c->t_send, NULL) != GRPC_CALL_OK)
        return ended(c, err, errlen);
    c->send_busy = true;
    c->qhead = (c->qhead + 1) % c->qcap;
    c->qlen--;
    return 0;
}

/* Queue only: requests go out when complete() finds no answer waiting, so
 * that the requests a burst of answers triggers leave in one write. */
int stream_client_submit(void *client, uint64_t tag, int64_t value, char *err, size_t errlen)
{
    struct stream_client *c = client;
    if (reopen_if_failed(c, err, errlen) != 0)
        return -1;
    if (c->inflight >= c->qcap) {
        snprintf(err, errlen, STREAM_WHO ": more than max_inflight = %u calls submitted", c->qcap);
        return -1;
    }
    struct pending_req *r = &c->outq[(c->qhead + c->qlen) % c->qcap];
    r->len = (uint8_t)codec_pack_request(value, tag, r->b);
    c->qlen++;
    c->inflight++;
    if (c->eager) {
        bool ok = false;
        void *t;
        while (c->send_busy && (t = poll_one(c, gpr_inf_past(GPR_CLOCK_MONOTONIC), &ok)) != NULL)
            if (t == &c->t_send && !ok)
                return ended(c, err, errlen);
        if (!c->send_busy)
            return send_next(c, err, errlen);
    }
    return 0;
}

int stream_client_complete(void *client, uint64_t *tag, int64_t *result,
                           char *err, size_t errlen)
{
    struct stream_client *c = client;
    if (c->failure[0] != '\0')
        return fail(c, err, errlen, "%s", c->failure);
    if (c->inflight == 0) {
        snprintf(err, errlen, STREAM_WHO ": complete with no call submitted");
        return -1;
    }
    gpr_timespec deadline = gc_deadline(c->gc.timeout_ms);
    post_recv(c);
    /* An answer already read (a burst often holds several) is handed out
     * before anything is written: the requests the runner submits for them
     * meanwhile then leave together. Only when no answer is waiting do the
     * queued requests go out, one send at a time, and as soon as an answer
     * arrives it is handed out (the rest wait for the next complete; the
     * peer's flow control needs us to keep reading). */
    bool ok = false;
    void *t;
    while (!c->recv_ready && (t = poll_one(c, gpr_inf_past(GPR_CLOCK_MONOTONIC), &ok)) != NULL)
        if (t == &c->t_send && !ok)
            return ended(c, err, errlen);
    while (!c->recv_ready) {
        if (c->qlen > 0 && !c->send_busy) {
            if (send_next(c, err, errlen) != 0)
                return -1;
            continue;
        }
        t = poll_one(c, deadline, &ok);
        if (t == NULL)
            return timed_out(c, err, errlen);
        if (t == &c->t_send && !ok)
            return ended(c, err, errlen);
    }
    c->recv_ready = false;
    if (!c->recv_ok || c->recv_bb == NULL)
        return ended(c, err, errlen);
    if (decode(c, tag, result, err, errlen) != 0)
        return -1;
    gc_client_handshake(&c->gc, c->call);
    c->inflight--;
    post_recv(c);
    return 0;
}

/* End the stream politely (half-close, wait for the server's OK) when it is
 * healthy and idle, else cancel it; either way bounded. */
static void end_stream(struct stream_client *c)
{
    if (c->call == NULL)
        return;
    if (c->failure[0] == '\0' && c->inflight == 0 && c->status_busy) {
        grpc_op op;
        memset(&op, 0, sizeof op);
        op.op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
        if (grpc_call_start_batch(c->call, &op, 1, &c->t_close, NULL) == GRPC_CALL_OK)
            c->close_busy = true;
        gpr_timespec until = gc_deadline(c->gc.timeout_ms);
        bool ok;
        while (any_busy(c))
            if (poll_one(c, until, &ok) == NULL)
                break;
    }
    if (any_busy(c))
        cancel_and_drain(c);
    if (c->recv_bb != NULL)
        grpc_byte_buffer_destroy(c->recv_bb);
    c->recv_bb = NULL;
    if (!c->wedged) {
        grpc_call_unref(c->call);
        c->call = NULL;
    }
}

/* Outside the measured loop: take the events already waiting (the watch's
 * among them; the others are noted as always), then report. */
void stream_client_stats(void *client, struct incbench_stats *stats)
{
    struct stream_client *c = client;
    bool ok;
    while (c->gc.cq != NULL && !c->wedged &&
           poll_one(c, gpr_inf_past(GPR_CLOCK_MONOTONIC), &ok) != NULL) {
    }
    gc_client_stats(&c->gc, stats);
}

void stream_client_shutdown(void *client)
{
    struct stream_client *c = client;
    if (c == NULL)
        return;
    end_stream(c);
    gc_client_close(&c->gc, c->wedged);
    grpc_slice_unref(c->details);
    grpc_metadata_array_destroy(&c->md_initial);
    grpc_metadata_array_destroy(&c->md_trailing);
    gc_client_exit(&c->gc, c->wedged);
    free(c->outq);
    free(c);
}
