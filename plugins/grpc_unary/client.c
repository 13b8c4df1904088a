/*
 * client.c — the grpc_unary client: one channel and one completion queue per
 * client, the method registered once, and one batch per call (send metadata,
 * message and close; receive metadata, message and status) whose single
 * completion the calling thread waits for. No thread of ours, no allocation
 * of ours per call; the call object itself is gRPC's (arena-allocated).
 */
#include "unary.h"

#include "../grpc_common/codec.h"
#include "../grpc_common/deadline.h"
#include "../grpc_common/options.h"
#include "../grpc_common/status.h"

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grace past the call's own deadline before we stop trusting the core to
 * end the call itself, and the bound on waiting for a cancelled call. */
#define GRACE_MS 1000

struct unary_client {
    grpc_channel *ch;
    grpc_completion_queue *cq;
    void *method;
    grpc_byte_buffer *send_bb;
    grpc_metadata_array md_initial, md_trailing;
    struct gc_arena arena;
    struct gc_opts opts;
    unsigned timeout_ms;
    bool grpc_inited;
    bool wedged;             /* a cancelled batch never came back */
    char address[256];
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
    gc_arena_init(&c->arena);
    c->timeout_ms = params->timeout_ms;
    if (gc_opts_parse(params, UNARY_WHO, NULL, &c->opts, err, errlen) != 0)
        return -1;
    if (params->address == NULL || params->address[0] == '\0') {
        snprintf(err, errlen, UNARY_WHO ": no server address to call");
        return -1;
    }
    snprintf(c->address, sizeof c->address, "%s", params->address);

    grpc_init();
    c->grpc_inited = true;
    grpc_channel_credentials *creds = grpc_insecure_credentials_create();
    c->ch = grpc_channel_create(c->address, creds, gc_opts_args(&c->opts));
    grpc_channel_credentials_release(creds);
    c->cq = grpc_completion_queue_create_for_next(NULL);
    c->send_bb = gc_bb_new();
    if (c->ch == NULL || c->cq == NULL || c->send_bb == NULL) {
        snprintf(err, errlen, UNARY_WHO ": cannot create a channel to %s", c->address);
        return -1;
    }
    /* method and host must outlive the channel: both are literals. */
    c->method = grpc_channel_register_call(c->ch, UNARY_METHOD, NULL, NULL);
    /* Start connecting now; the first call does not wait for this. */
    (void)grpc_channel_check_connectivity_state(c->ch, 1);
    return 0;
}

/* Wait for the one batch of `call`; on a missed deadline, cancel and wait
 * (bounded) for the cancelled batch so that nothing is left on the queue. */
static bool wait_batch(struct unary_client *c, grpc_call *call, gpr_timespec deadline)
{
    gpr_timespec until = gpr_time_add(deadline, gpr_time_from_millis(GRACE_MS, GPR_TIMESPAN));
    grpc_event ev = grpc_completion_queue_next(c->cq, until, NULL);
    if (ev.type == GRPC_OP_COMPLETE)
        return true;
    grpc_call_cancel(call, NULL);
    ev = grpc_completion_queue_next(c->cq, gc_deadline(GRACE_MS), NULL);
    if (ev.type != GRPC_OP_COMPLETE)
        c->wedged = true;
    return false;
}

int unary_client_increment(void *client, int64_t value, int64_t *result,
                           char *err, size_t errlen)
{
    struct unary_client *c = client;
    if (c->wedged) {
        snprintf(err, errlen, UNARY_WHO ": an earlier call to %s never ended; client unusable",
                 c->address);
        return -1;
    }
    uint8_t buf[GC_MSG_MAX];
    gc_bb_set(c->send_bb, buf, gc_pack_request(value, 0, buf));

    gpr_timespec deadline = gc_deadline(c->timeout_ms);
    grpc_call *call = grpc_channel_create_registered_call(
        c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, c->cq, c->method, deadline, NULL);
    if (call == NULL) {
        snprintf(err, errlen, UNARY_WHO ": cannot create a call to %s", c->address);
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
    ops[1].data.send_message.send_message = c->send_bb;
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
        snprintf(err, errlen, UNARY_WHO ": cannot start a call to %s: %s", c->address,
                 grpc_call_error_to_string(ce));
        goto out;
    }
    if (!wait_batch(c, call, deadline)) {
        snprintf(err, errlen, UNARY_WHO ": DEADLINE_EXCEEDED: no answer from %s within %u ms",
                 c->address, c->timeout_ms);
        goto out;
    }
    if (status != GRPC_STATUS_OK) {
        gc_status_error(err, errlen, UNARY_WHO, c->address, status, details);
        goto out;
    }
    int64_t v = 0;
    uint64_t id = 0;
    if (gc_unpack_reply(reply, &c->arena, &v, &id) != 0) {
        snprintf(err, errlen, UNARY_WHO ": %s answered OK with %s", c->address,
                 reply == NULL ? "no message" : "bytes that are not an IncrementReply");
        goto out;
    }
    *result = v;
    rc = 0;
out:
    if (reply != NULL)
        grpc_byte_buffer_destroy(reply);
    grpc_slice_unref(details);
    grpc_call_unref(call);
    return rc;
}

void unary_client_shutdown(void *client)
{
    struct unary_client *c = client;
    if (c == NULL)
        return;
    if (c->send_bb != NULL)
        grpc_byte_buffer_destroy(c->send_bb);
    if (c->ch != NULL)
        grpc_channel_destroy(c->ch);
    if (c->cq != NULL) {
        grpc_completion_queue_shutdown(c->cq);
        /* Every batch was waited for; this ends at once. Bounded anyway. */
        for (int i = 0; i < 100; i++)
            if (grpc_completion_queue_next(c->cq, gc_deadline(100), NULL).type == GRPC_QUEUE_SHUTDOWN)
                break;
        grpc_completion_queue_destroy(c->cq);
    }
    grpc_metadata_array_destroy(&c->md_initial);
    grpc_metadata_array_destroy(&c->md_trailing);
    if (c->grpc_inited)
        grpc_shutdown();
    free(c);
}
