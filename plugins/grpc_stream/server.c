/*
 * server.c — the grpc_stream server: one object per IncrementStream call,
 * all driven by the queue thread of grpc_common/server.c. A stream reads
 * requests one at a time and answers each (value + 1, id and payload
 * echoed) with its own SEND_MESSAGE (gRPC allows one send and one receive
 * in flight per call). In strict ping-pong the answer goes out at once.
 * While the client pipelines (see `behind` in on_recv) the stream
 * coalesces: answers wait until the queue thread runs out of completions
 * (its idle hook), so that the answers to requests read in one go leave in
 * one write, all but the last with the buffer hint. After the client
 * half-closes and every answer is out it sends OK. A bad request, one that
 * inflates past the server's limit (its payload key), or INT64_MAX ends
 * that stream alone with INVALID_ARGUMENT / RESOURCE_EXHAUSTED /
 * OUT_OF_RANGE; a client that goes away cancels only its own stream.
 *
 * Tag discipline: each stream has one tag per kind of batch (new call,
 * receive, send, status, close) and at most one batch of each kind in
 * flight; `pending` counts them. The stream is freed when its close batch
 * has completed (the call is over) and nothing else is pending.
 */
#include "stream.h"

#include "../common/options.h"
#include "../grpc_common/bytebuf.h"
#include "../grpc_common/options.h"
#include "../grpc_common/server.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers queued before the stream stops reading and lets HTTP/2 flow
 * control hold the client back. The queue starts at QMIN and doubles up to
 * QCAP only as the stream's answers in flight need it: a ping-pong stream
 * (one at a time) never grows it, so that a server holding many streams
 * pays for the pipelining ones alone. Powers of two: indices are masked. */
#define QCAP 256
#define QMIN 8
_Static_assert((QCAP & (QCAP - 1)) == 0 && (QMIN & (QMIN - 1)) == 0 && QMIN <= QCAP &&
                   STREAM_REORDER_MAX <= QCAP,
               "answer queue sizes: powers of two, room for a whole reorder group");

/* Payload bytes a stream's queued answers may hold before it stops reading
 * (flow control then holds the client back): at least one answer, however
 * large, and a whole reorder group. */
#define QBYTES_MAX (16u << 20)

/* Idle flushes with a single answer in a row before a stream stops
 * coalescing: a few, so that one thin moment of a pipelined run does not
 * switch it off. */
#define LONE_FLUSHES_MAX 8

/* An answer: its head (value and id) and its payload field, a slice of its
 * own (bytebuf.h), referenced by the queue until its send has completed. */
struct reply {
    uint8_t len;
    uint8_t b[CODEC_PACKED_MAX];
    grpc_slice field;
};

struct stream_server;

struct stream {
    struct stream_server *ss;
    grpc_call *call;
    gpr_timespec deadline;
    grpc_metadata_array md;
    struct gc_tag t_new, t_recv, t_send, t_status, t_close;
    unsigned pending;
    grpc_byte_buffer *in, *out;
    int cancelled;
    bool receiving, sending, read_done, status_started, closed, sent_initial, dead;
    bool hinted;                  /* the send in flight carries the buffer hint */
    bool dirty;                   /* on the server's list of streams to flush */
    bool coalesce;                /* requests outrun writes: write when idle */
    unsigned lone_flushes;        /* idle flushes in a row with one answer */
    uint64_t recv_epoch;          /* server epoch when the receive was posted */
    struct stream *next_dirty;
    grpc_status_code final_status;
    const char *final_details;
    struct reply *q;              /* ring of qcap answers to send */
    unsigned qcap, qhead, qlen;
    size_t qbytes;                /* payload bytes in q and group */
    unsigned glen;
    struct reply *group;          /* reorder buffer, `reorder` entries */
};

struct stream_server {
    struct gc_server gs;
    struct gc_opts opts;
    void *method;
    unsigned reorder;
    struct stream *dirty;         /* streams with replies to write when idle */
    /* Every stream's: requests are decoded on the queue thread only, one
     * at a time, and nothing of one outlives its answer's packing. */
    struct gc_rx rx;
};

#define OWNER(tag, member) ((struct stream *)((char *)(tag) - offsetof(struct stream, member)))

static void stream_request(struct stream_server *ss);

static bool start(struct stream *st, const grpc_op *ops, size_t n, struct gc_tag *tag)
{
    if (grpc_call_start_batch(st->call, ops, n, tag, NULL) != GRPC_CALL_OK)
        return false;
    st->pending++;
    return true;
}

static void stream_free(struct stream *st)
{
    for (unsigned i = 0; i < st->qlen; i++)
        grpc_slice_unref(st->q[(st->qhead + i) & (st->qcap - 1)].field);
    for (unsigned i = 0; i < st->glen; i++)
        grpc_slice_unref(st->group[i].field);
    if (st->call != NULL)
        grpc_call_unref(st->call);
    if (st->in != NULL)
        grpc_byte_buffer_destroy(st->in);
    if (st->out != NULL)
        grpc_byte_buffer_destroy(st->out);
    grpc_metadata_array_destroy(&st->md);
    gc_server_release(&st->ss->gs);
    free(st->group);
    free(st->q);
    free(st);
}

/* After every completion: free the stream once the call is over (and the
 * idle list no longer holds it). */
static void settle(struct stream *st)
{
    if (st->closed && st->pending == 0 && !st->dirty)
        stream_free(st);
}

/* Replies (or the final status) to write once the queue thread is idle. */
static void mark_dirty(struct stream *st)
{
    if (st->dirty || st->dead)
        return;
    st->dirty = true;
    st->next_dirty = st->ss->dirty;
    st->ss->dirty = st;
    gc_server_want_idle(&st->ss->gs);
}

/* Room to queue the answer to one more request (those in the reorder
 * group included), growing the queue if it may. */
static bool q_room(struct stream *st)
{
    if (st->qbytes >= QBYTES_MAX && st->glen == 0)
        return false; /* reading waits until sends drain the queue */
    if (st->qlen + st->glen < st->qcap)
        return true;
    if (st->qcap >= QCAP)
        return false;
    struct reply *q = malloc(2 * st->qcap * sizeof *q);
    if (q == NULL)
        return false; /* reading waits until sends drain the queue */
    for (unsigned i = 0; i < st->qlen; i++)
        q[i] = st->q[(st->qhead + i) & (st->qcap - 1)];
    free(st->q);
    st->q = q;
    st->qcap *= 2;
    st->qhead = 0;
    return true;
}

static void try_recv(struct stream *st)
{
    if (st->receiving || st->read_done || st->dead || !q_room(st))
        return;
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_RECV_MESSAGE;
    op.data.recv_message.recv_message = &st->in;
    st->recv_epoch = gc_server_epoch(&st->ss->gs);
    st->receiving = start(st, &op, 1, &st->t_recv);
}

static void try_send(struct stream *st)
{
    if (st->sending || st->dead)
        return;
    grpc_op ops[2];
    memset(ops, 0, sizeof ops);
    size_t n = 0;
    if (!st->sent_initial)
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
    if (st->qlen > 0) {
        const struct reply *r = &st->q[st->qhead];
        gc_bb_set(st->out, r->b, r->len, grpc_slice_ref(r->field));
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        /* More answers queued right behind: the core completes a hinted
         * send at once without writing, and the last one, without the
         * hint, writes them all. Never on the first message (see the
         * client: hints before a stream is under way can stall it). */
        st->hinted = st->qlen > 1 && st->sent_initial;
        ops[n].flags = st->hinted ? GRPC_WRITE_BUFFER_HINT : 0;
        ops[n++].data.send_message.send_message = st->out;
        st->sending = start(st, ops, n, &st->t_send);
        if (st->sending)
            st->sent_initial = true;
        return;
    }
    if (!st->read_done || st->status_started)
        return;
    grpc_slice details = grpc_slice_from_static_string(st->final_details);
    ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[n].data.send_status_from_server.status = st->final_status;
    ops[n++].data.send_status_from_server.status_details = &details;
    st->status_started = start(st, ops, n, &st->t_status);
}

static void enqueue(struct stream *st, const struct reply *r)
{
    st->q[(st->qhead + st->qlen) & (st->qcap - 1)] = *r;
    st->qlen++;
}

/* Move the reorder group into the send queue, last first. */
static void flush_group(struct stream *st)
{
    while (st->glen > 0)
        enqueue(st, &st->group[--st->glen]);
}

static void end_reading(struct stream *st, grpc_status_code status, const char *details)
{
    st->read_done = true;
    st->final_status = status;
    st->final_details = details;
    flush_group(st);
}

static void on_recv(struct gc_tag *tag, bool ok)
{
    struct stream *st = OWNER(tag, t_recv);
    st->pending--;
    st->receiving = false;
    /* Pipelining: this request was already read when its receive was
     * posted (the queue never ran dry in between), or it came while an
     * answer is still queued or being written. In strict ping-pong neither
     * happens: the client waits for each answer. */
    const bool behind = st->recv_epoch == gc_server_epoch(&st->ss->gs) ||
                        st->sending || st->qlen > 0;
    grpc_byte_buffer *bb = st->in;
    st->in = NULL;
    if (!ok) {
        st->dead = true;
    } else if (bb == NULL) {
        end_reading(st, GRPC_STATUS_OK, "");
    } else {
        struct codec_msg m;
        const enum codec_result got = gc_decode_request(bb, &st->ss->rx, &m);
        if (got != CODEC_OK) {
            const char *why = NULL;
            const grpc_status_code status = gc_refusal(got, &why);
            end_reading(st, status, why);
        } else if (m.value == INT64_MAX) {
            end_reading(st, GRPC_STATUS_OUT_OF_RANGE, "value + 1 overflows int64");
        } else {
            struct reply *r = &st->group[st->glen++];
            r->len = (uint8_t)codec_pack_reply(m.value + 1, m.id, r->b);
            /* The echo needs a slice of its own per answer (the one
             * allocation per call here, for a payload only): gRPC takes the
             * slices it sends and may read them after the send completed
             * (a hinted send completes before it is written), and answers
             * wait in the queue, so no buffer of ours could be refilled. */
            r->field = gc_payload_field(m.payload, m.payload_len, true);
            st->qbytes += GRPC_SLICE_LENGTH(r->field);
            if (st->glen >= st->ss->reorder)
                flush_group(st);
        }
        grpc_byte_buffer_destroy(bb);
    }
    /* Pipelining: answer later, as more requests may already be read, and
     * the idle hook writes all their answers together. Ping-pong: answer
     * now (before posting the next receive: measured faster), as waiting
     * would only add a look at the queue to every call. */
    if (behind)
        st->coalesce = true;
    if (st->coalesce)
        mark_dirty(st);
    else
        try_send(st);
    try_recv(st);
    settle(st);
}

static void on_send(struct gc_tag *tag, bool ok)
{
    struct stream *st = OWNER(tag, t_send);
    st->pending--;
    st->sending = false;
    if (!ok) {
        st->dead = true;
    } else {
        struct reply *r = &st->q[st->qhead];
        st->qbytes -= GRPC_SLICE_LENGTH(r->field);
        grpc_slice_unref(r->field);
        st->qhead = (st->qhead + 1) & (st->qcap - 1);
        st->qlen--;
    }
    /* Mid-flush (a hinted send) the next one goes at once; after a write,
     * what queued meanwhile waits for the idle hook when coalescing. */
    if (st->hinted || !st->coalesce)
        try_send(st);
    else
        mark_dirty(st);
    try_recv(st);
    settle(st);
}

static void on_status(struct gc_tag *tag, bool ok)
{
    (void)ok;
    struct stream *st = OWNER(tag, t_status);
    st->pending--;
    settle(st);
}

static void on_close(struct gc_tag *tag, bool ok)
{
    (void)ok;
    struct stream *st = OWNER(tag, t_close);
    st->pending--;
    st->closed = true;
    if (st->cancelled)
        st->dead = true;
    settle(st);
}

static void on_new(struct gc_tag *tag, bool ok)
{
    struct stream *st = OWNER(tag, t_new);
    struct stream_server *ss = st->ss;
    if (!ok) {
        stream_free(st); /* shutting down: no call came */
        return;
    }
    stream_request(ss);
    st->md.count = 0;
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    op.data.recv_close_on_server.cancelled = &st->cancelled;
    if (!start(st, &op, 1, &st->t_close)) {
        stream_free(st);
        return;
    }
    try_recv(st);
}

/* Keep one IncrementStream call requested at all times. */
static void stream_request(struct stream_server *ss)
{
    if (gc_server_stopping(&ss->gs))
        return;
    struct stream *st = calloc(1, sizeof *st);
    if (st == NULL)
        return;
    st->group = calloc(ss->reorder, sizeof *st->group);
    /* At least a whole reorder group, so that a full group always fits. */
    st->qcap = QMIN;
    while (st->qcap < ss->reorder)
        st->qcap *= 2;
    st->q = calloc(st->qcap, sizeof *st->q);
    st->out = gc_bb_new();
    if (st->group == NULL || st->q == NULL || st->out == NULL) {
        free(st->group);
        free(st->q);
        if (st->out != NULL)
            grpc_byte_buffer_destroy(st->out);
        free(st);
        return;
    }
    st->ss = ss;
    st->t_new.done = on_new;
    st->t_recv.done = on_recv;
    st->t_send.done = on_send;
    st->t_status.done = on_status;
    st->t_close.done = on_close;
    grpc_metadata_array_init(&st->md);
    gc_server_hold(&ss->gs);
    if (grpc_server_request_registered_call(ss->gs.srv, ss->method, &st->call,
                                            &st->deadline, &st->md, NULL, ss->gs.cq,
                                            ss->gs.cq, &st->t_new) != GRPC_CALL_OK) {
        st->call = NULL;
        stream_free(st);
    }
}

/* The queue thread has nothing waiting: write what the streams queued. */
static void flush_dirty(void *arg)
{
    struct stream_server *ss = arg;
    struct stream *st = ss->dirty;
    ss->dirty = NULL;
    while (st != NULL) {
        struct stream *next = st->next_dirty;
        st->dirty = false;
        /* Nothing gathered, several times in a row: the client went back
         * to waiting for each answer; write at once again. */
        st->lone_flushes = st->qlen <= 1 ? st->lone_flushes + 1 : 0;
        if (st->lone_flushes >= LONE_FLUSHES_MAX) {
            st->coalesce = false;
            st->lone_flushes = 0;
        }
        try_send(st);
        try_recv(st);
        settle(st);
        st = next;
    }
}

static int prime(struct gc_server *s, void *arg)
{
    (void)s;
    stream_request(arg);
    return 0;
}

int stream_server_start(void **server, const struct incbench_params *params,
                        char *bound, size_t boundlen, char *err, size_t errlen)
{
    *server = NULL;
    struct stream_server *ss = calloc(1, sizeof *ss);
    if (ss == NULL) {
        snprintf(err, errlen, STREAM_WHO ": out of memory");
        return -1;
    }
    *server = ss;
    ss->reorder = 1;
    static const char *const extra[] = STREAM_EXTRA_KEYS;
    size_t limit = 0;
    if (gc_opts_server_payload(params, STREAM_WHO, &limit, err, errlen) != 0 ||
        gc_opts_parse(params, STREAM_WHO, extra, GC_SERVER, limit, &ss->opts, err, errlen) != 0 ||
        opts_uint(params, STREAM_WHO, "reorder", 1, STREAM_REORDER_MAX, &ss->reorder,
                  err, errlen) != 0)
        return -1;
    if (gc_rx_init(&ss->rx, limit) != 0) {
        snprintf(err, errlen, STREAM_WHO ": out of memory for requests of payload = %zu bytes",
                 limit);
        return -1;
    }
    if (gc_server_init(&ss->gs, STREAM_WHO, gc_opts_args(&ss->opts), err, errlen) != 0)
        return -1;
    gc_server_on_idle(&ss->gs, flush_dirty, ss);
    ss->method = gc_server_method(&ss->gs, STREAM_METHOD, GRPC_SRM_PAYLOAD_NONE);
    if (ss->method == NULL) {
        snprintf(err, errlen, STREAM_WHO ": cannot register %s", STREAM_METHOD);
        return -1;
    }
    return gc_server_start(&ss->gs, params->address, &ss->opts.tls, prime, ss, bound, boundlen,
                           err, errlen);
}

void stream_server_stop(void *server)
{
    struct stream_server *ss = server;
    if (ss == NULL)
        return;
    gc_server_stop(&ss->gs);
    gc_rx_free(&ss->rx);
    free(ss);
}
