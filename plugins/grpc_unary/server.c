/*
 * server.c — the grpc_unary server: Increment registered with its request
 * read up front, SLOTS calls requested at once, each answered in one batch
 * (metadata, reply, status, close) from the queue thread of
 * grpc_common/server.c. value + 1 with the id and the payload echoed;
 * OUT_OF_RANGE at INT64_MAX; INVALID_ARGUMENT for bytes that are not an
 * IncrementRequest; RESOURCE_EXHAUSTED for one over the server's limit
 * (its payload key), once inflated. Calls beyond SLOTS wait in the core
 * until a slot is free.
 */
#include "unary.h"

#include "../grpc_common/bytebuf.h"
#include "../grpc_common/options.h"
#include "../grpc_common/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 16

struct unary_server;

struct slot {
    struct gc_tag tag;
    struct unary_server *us;
    grpc_call *call;
    gpr_timespec deadline;
    grpc_metadata_array md;
    grpc_byte_buffer *payload;
    grpc_byte_buffer *reply;
    int cancelled;
    bool answering;
};

struct unary_server {
    struct gc_server gs;
    struct gc_opts opts;
    void *method;
    /* Every slot's: requests are decoded on the queue thread only, one at
     * a time, and nothing of one outlives its answer's packing. */
    struct gc_rx rx;
    struct slot slots[SLOTS];
};

static void slot_request(struct slot *sl)
{
    struct gc_server *s = &sl->us->gs;
    sl->answering = false;
    if (gc_server_stopping(s))
        return;
    if (grpc_server_request_registered_call(s->srv, sl->us->method, &sl->call,
                                            &sl->deadline, &sl->md, &sl->payload,
                                            s->cq, s->cq, &sl->tag) == GRPC_CALL_OK)
        gc_server_hold(s);
}

static void slot_answer(struct slot *sl)
{
    struct gc_server *s = &sl->us->gs;
    grpc_status_code status = GRPC_STATUS_OK;
    grpc_slice details = grpc_empty_slice();
    struct codec_msg m;
    const enum codec_result got = gc_decode_request(sl->payload, &sl->us->rx, &m);
    if (got != CODEC_OK) {
        const char *why = NULL;
        status = gc_refusal(got, &why);
        details = grpc_slice_from_static_string(why);
    } else if (m.value == INT64_MAX) {
        status = GRPC_STATUS_OUT_OF_RANGE;
        details = grpc_slice_from_static_string("value + 1 overflows int64");
    } else {
        uint8_t head[CODEC_PACKED_MAX];
        /* The echo needs a slice of its own per answer (the one allocation
         * per call here, for a payload only): gRPC takes the slices it
         * sends and may read them after the send has completed, so no
         * buffer of ours could be refilled safely. */
        gc_bb_set(sl->reply, head, codec_pack_reply(m.value + 1, m.id, head),
                  gc_payload_field(m.payload, m.payload_len, true));
    }
    if (sl->payload != NULL) {
        grpc_byte_buffer_destroy(sl->payload);
        sl->payload = NULL;
    }
    sl->md.count = 0;

    grpc_op ops[4];
    memset(ops, 0, sizeof ops);
    size_t n = 0;
    ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
    if (status == GRPC_STATUS_OK) {
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n++].data.send_message.send_message = sl->reply;
    }
    ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[n].data.send_status_from_server.status = status;
    ops[n++].data.send_status_from_server.status_details = &details;
    ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[n++].data.recv_close_on_server.cancelled = &sl->cancelled;
    sl->answering = true;
    if (grpc_call_start_batch(sl->call, ops, n, &sl->tag, NULL) == GRPC_CALL_OK) {
        gc_server_hold(s);
        return;
    }
    grpc_call_unref(sl->call);
    sl->call = NULL;
    slot_request(sl);
}

static void slot_done(struct gc_tag *tag, bool ok)
{
    struct slot *sl = (struct slot *)tag;
    gc_server_release(&sl->us->gs);
    if (sl->answering) {
        grpc_call_unref(sl->call);
        sl->call = NULL;
        slot_request(sl);
        return;
    }
    if (!ok)
        return; /* shutting down: no call came for this request */
    slot_answer(sl);
}

static int prime(struct gc_server *s, void *arg)
{
    (void)s;
    struct unary_server *us = arg;
    for (size_t i = 0; i < SLOTS; i++)
        slot_request(&us->slots[i]);
    return 0;
}

int unary_server_start(void **server, const struct incbench_params *params,
                       char *bound, size_t boundlen, char *err, size_t errlen)
{
    *server = NULL;
    struct unary_server *us = calloc(1, sizeof *us);
    if (us == NULL) {
        snprintf(err, errlen, UNARY_WHO ": out of memory");
        return -1;
    }
    *server = us;
    for (size_t i = 0; i < SLOTS; i++) {
        struct slot *sl = &us->slots[i];
        sl->tag.done = slot_done;
        sl->us = us;
        grpc_metadata_array_init(&sl->md);
    }
    size_t limit = 0;
    if (gc_opts_server_payload(params, UNARY_WHO, &limit, err, errlen) != 0 ||
        gc_opts_parse(params, UNARY_WHO, NULL, GC_SERVER, limit, &us->opts, err, errlen) != 0)
        return -1;
    if (gc_rx_init(&us->rx, limit) != 0) {
        snprintf(err, errlen, UNARY_WHO ": out of memory for requests of payload = %zu bytes",
                 limit);
        return -1;
    }
    if (gc_server_init(&us->gs, UNARY_WHO, gc_opts_args(&us->opts), err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < SLOTS; i++) {
        us->slots[i].reply = gc_bb_new();
        if (us->slots[i].reply == NULL) {
            snprintf(err, errlen, UNARY_WHO ": out of memory");
            return -1;
        }
    }
    us->method = gc_server_method(&us->gs, UNARY_METHOD,
                                  GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER);
    if (us->method == NULL) {
        snprintf(err, errlen, UNARY_WHO ": cannot register %s", UNARY_METHOD);
        return -1;
    }
    return gc_server_start(&us->gs, params->address, &us->opts.tls, prime, us, bound, boundlen,
                           err, errlen);
}

void unary_server_stop(void *server)
{
    struct unary_server *us = server;
    if (us == NULL)
        return;
    gc_server_stop(&us->gs);
    for (size_t i = 0; i < SLOTS; i++) {
        struct slot *sl = &us->slots[i];
        if (sl->reply != NULL)
            grpc_byte_buffer_destroy(sl->reply);
        grpc_metadata_array_destroy(&sl->md);
    }
    gc_rx_free(&us->rx);
    free(us);
}
