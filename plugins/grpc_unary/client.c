/*
 * client.c — the grpc_unary client: one channel and one completion queue per
 * client, the method registered once, and one batch per call (send metadata,
 * message and close; receive metadata, message and status) whose single
 * completion the calling thread waits for. No thread of ours, no allocation
 * of ours per call (a request references the payload field packed at
 * init); the call object itself is gRPC's (arena-allocated), and so is the
 * reply's byte buffer, which gRPC makes for every message it receives.
 */
#include "unary.h"

#include "../grpc_common/client.h"
#include "../grpc_common/deadline.h"
#include "../grpc_common/status.h"

#include <grpc/grpc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grace past the call's own deadline before we stop trusting the core to
 * end the call itself, and the bound on waiting for a cancelled call. */
#define GRACE_MS 1000

struct unary_client {
    struct gc_client gc;
    grpc_metadata_array md_initial, md_trailing;
    bool wedged;             /* a cancelled batch never came back */
};

int unary_client_init(void **client, const struct incbench_params *params,
                      char *err, size_t errlen)
{
    *client = NULL;
    struct unary_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, errlen, UNARY_WHO ": out of memory");
        return -1;
    }
    *client = c;
    grpc_metadata_array_init(&c->md_initial);
    grpc_metadata_array_init(&c->md_trailing);
    if (gc_client_open(&c->gc, params, UNARY_WHO, NULL, UNARY_METHOD, err, errlen) != 0)
        return -1;
    /* Start connecting now; the first call does not wait for this. */
    (void)grpc_channel_check_connectivity_state(c->gc.ch, 1);
    return 0;
}

/* Wait for the one batch of `call`; on a missed deadline, cancel and wait
 * (bounded) for the cancelled batch so that nothing is left on the queue. */
static bool wait_batch(struct unary_client *c, grpc_call *call, gpr_timespec deadline)
{
    gpr_timespec until = gpr_time_add(deadline, gpr_time_from_millis(GRACE_MS, GPR_TIMESPAN));
    grpc_event ev;
    do
        ev = grpc_completion_queue_next(c->gc.cq, until, NULL);
    while (gc_client_watch_event(&c->gc, &ev));
    if (ev.type == GRPC_OP_COMPLETE)
        return true;
    grpc_call_cancel(call, NULL);
    gpr_timespec bound = gc_deadline(GRACE_MS);
    do
        ev = grpc_completion_queue_next(c->gc.cq, bound, NULL);
    while (gc_client_watch_event(&c->gc, &ev));
    if (ev.type != GRPC_OP_COMPLETE)
        c->wedged = true;
    return false;
}

int unary_client_increment(void *client, int64_t value, int64_t *result,
                           char *err, size_t errlen)
{
    struct unary_client *c = client;
    struct gc_client *gc = &c->gc;
    if (c->wedged) {
        snprintf(err, errlen, UNARY_WHO ": an earlier call to %s never ended; client unusable",
                 gc->address);
        return -1;
    }
    gc_client_request(gc, value, 0);

    gpr_timespec deadline = gc_deadline(gc->timeout_ms);
    grpc_call *call = grpc_channel_create_registered_call(
        gc->ch, NULL, GRPC_PROPAGATE_DEFAULTS, gc->cq, gc->method, deadline, NULL);
    if (call == NULL) {
        snprintf(err, errlen, UNARY_WHO ": cannot create a call to %s", gc->address);
        return -1;
    }

    grpc_byte_buffer *reply = NULL;
    grpc_status_code status = GRPC_STATUS_UNKNOWN;
    grpc_slice details = grpc_empty_slice();
    c->md_initial.count = 0;
    c->md_trailing.count = 0;
    grpc_op ops[6];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_SEND_MESSAGE;
    ops[1].data.send_message.send_message = gc->send_bb;
    ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[3].data.recv_initial_metadata.recv_initial_metadata = &c->md_initial;
    ops[4].op = GRPC_OP_RECV_MESSAGE;
    ops[4].data.recv_message.recv_message = &reply;
    ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[5].data.recv_status_on_client.trailing_metadata = &c->md_trailing;
    ops[5].data.recv_status_on_client.status = &status;
    ops[5].data.recv_status_on_client.status_details = &details;

    int rc = -1;
    grpc_call_error ce = grpc_call_start_batch(call, ops, 6, c, NULL);
    if (ce != GRPC_CALL_OK) {
        snprintf(err, errlen, UNARY_WHO ": cannot start a call to %s: %s", gc->address,
                 grpc_call_error_to_string(ce));
        goto out;
    }
    if (!wait_batch(c, call, deadline)) {
        snprintf(err, errlen, UNARY_WHO ": DEADLINE_EXCEEDED: no answer from %s within %u ms",
                 gc->address, gc->timeout_ms);
        goto out;
    }
    if (status != GRPC_STATUS_OK) {
        gc_status_error(err, errlen, UNARY_WHO, gc->address, status, details);
        goto out;
    }
    struct codec_msg m;
    const enum codec_result got = gc_decode_reply(reply, &gc->rx, &m);
    if (got != CODEC_OK) {
        if (reply == NULL)
            snprintf(err, errlen, UNARY_WHO ": %s answered OK with no message", gc->address);
        else
            snprintf(err, errlen, UNARY_WHO ": %s answered OK with a reply that does not "
                     "decode: %s", gc->address, codec_why(got));
        goto out;
    }
    if (gc_client_check(gc, &m, err, errlen) != 0)
        goto out;
    gc_client_handshake(gc, call);
    *result = m.value;
    rc = 0;
out:
    if (reply != NULL)
        grpc_byte_buffer_destroy(reply);
    grpc_slice_unref(details);
    grpc_call_unref(call);
    return rc;
}

/* Outside the measured loop: take the watch events already waiting (no
 * batch is in flight between calls), then report. */
void unary_client_stats(void *client, struct incbench_stats *stats)
{
    struct unary_client *c = client;
    for (;;) {
        if (c->gc.cq == NULL)
            break;
        grpc_event ev = grpc_completion_queue_next(c->gc.cq, gpr_inf_past(GPR_CLOCK_MONOTONIC),
                                                   NULL);
        if (ev.type != GRPC_OP_COMPLETE)
            break;
        /* Anything but the watch is the late end of a call given up on. */
        (void)gc_client_watch_event(&c->gc, &ev);
    }
    gc_client_stats(&c->gc, stats);
}

void unary_client_shutdown(void *client)
{
    struct unary_client *c = client;
    if (c == NULL)
        return;
    gc_client_close(&c->gc, c->wedged);
    grpc_metadata_array_destroy(&c->md_initial);
    grpc_metadata_array_destroy(&c->md_trailing);
    gc_client_exit(&c->gc, c->wedged);
    free(c);
}
