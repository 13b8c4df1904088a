/*
 * client.c — see client.h. Set-up and teardown only: nothing here runs on
 * the per-call path.
 */
#include "client.h"

#include "deadline.h"

#include <grpc/grpc_security.h>
#include <stdio.h>

/* Wake us (on gc->cq) when the state leaves `last`. */
static void arm_watch(struct gc_client *gc, grpc_connectivity_state last)
{
    gc->watch_last = last;
    grpc_channel_watch_connectivity_state(gc->ch, last, gpr_inf_future(GPR_CLOCK_MONOTONIC),
                                          gc->cq, &gc->watch_tag);
    gc->watching = true;
}

void gc_client_watch_fired(struct gc_client *gc, bool ok)
{
    gc->watching = false;
    if (!ok)
        return; /* the channel is going away */
    /* The watch fired, so the state left watch_last since it was armed;
     * READY now is a transition into READY, a new connection, even when
     * watch_last was READY: the old one ended and a reconnect was done
     * before this event was taken (READY -> ... -> READY). */
    grpc_connectivity_state now = grpc_channel_check_connectivity_state(gc->ch, 0);
    if (now == GRPC_CHANNEL_READY)
        gc->connections++;
    if (now != GRPC_CHANNEL_SHUTDOWN)
        arm_watch(gc, now);
}

int gc_client_open(struct gc_client *gc, const struct incbench_params *params,
                   const char *who, const char *const *extra, const char *method,
                   char *err, size_t errlen)
{
    gc->who = who;
    gc->timeout_ms = params->timeout_ms;
    if (payload_read(params, who, &gc->payload, err, errlen) != 0 ||
        gc_opts_parse(params, who, extra, GC_CLIENT, gc->payload.len, &gc->opts, err,
                      errlen) != 0)
        return -1;
    if (gc_rx_init(&gc->rx, gc->payload.len) != 0) {
        snprintf(err, errlen, "%s: out of memory for replies of payload = %zu bytes", who,
                 gc->payload.len);
        return -1;
    }
    if (params->address == NULL || params->address[0] == '\0') {
        snprintf(err, errlen, "%s: no server address to call", who);
        return -1;
    }
    gc->runner_abi = params->abi_version;
    char pin[TLS_PIN_LEN + 1] = "";
    if (!gc->opts.tls.on) {
        snprintf(gc->address, sizeof gc->address, "%s", params->address);
    } else if (tls_address_split(params->address, gc->address, sizeof gc->address, pin, err,
                                 errlen) != 0) {
        return -1;
    }

    grpc_init();
    gc->grpc_inited = true;
    grpc_channel_credentials *creds = NULL, *insecure = NULL;
    if (gc->opts.tls.on) {
        if (gc_tls_client_open(&gc->tls, &gc->opts.tls, pin, gc->address, who, err,
                               errlen) != 0)
            return -1;
        if (gc->tls.cache != NULL) {
            if (gc->opts.chargs.num_args >= GC_MAX_ARGS) {
                snprintf(err, errlen, "%s: no room for the TLS session cache among %zu channel "
                         "args", who, gc->opts.chargs.num_args);
                return -1;
            }
            gc_chargs_set(gc->opts.args, &gc->opts.chargs.num_args,
                          gc_tls_client_cache_arg(&gc->tls));
        }
        creds = gc->tls.creds; /* kept until gc_client_close */
    } else {
        creds = insecure = grpc_insecure_credentials_create();
    }
    gc->ch = grpc_channel_create(gc->address, creds, gc_opts_args(&gc->opts));
    if (insecure != NULL)
        grpc_channel_credentials_release(insecure);
    gc->cq = grpc_completion_queue_create_for_next(NULL);
    gc->send_bb = gc_bb_new();
    gc->field = gc_payload_field(gc->payload.bytes, gc->payload.len, false);
    if (gc->ch == NULL || gc->cq == NULL || gc->send_bb == NULL) {
        snprintf(err, errlen, "%s: cannot create a channel to %s", who, gc->address);
        return -1;
    }
    gc->method = grpc_channel_register_call(gc->ch, method, NULL, NULL);
    arm_watch(gc, grpc_channel_check_connectivity_state(gc->ch, 0));
    return 0;
}

void gc_client_handshake_read(struct gc_client *gc, grpc_call *call)
{
    const int resumed = gc_tls_handshake_of(call);
    if (resumed < 0)
        return; /* no auth context on this call: the next answered one tells */
    gc->hs_read++;
    if (resumed)
        gc->hs_resumed++;
    else
        gc->hs_full++;
}

void gc_client_stats(const struct gc_client *gc, struct incbench_stats *stats)
{
    stats->connections = gc->connections;
    if (INCBENCH_ABI_MINOR_OF(gc->runner_abi) < 3 || gc->tls.creds == NULL)
        return;
    stats->tls_full_handshakes = gc->hs_full;
    stats->tls_resumed_handshakes = gc->hs_resumed;
}

void gc_client_request(struct gc_client *gc, int64_t value, uint64_t id)
{
    uint8_t head[CODEC_PACKED_MAX];
    /* One more reference to the field, for gRPC to drop once it is sent:
     * its bytes are never written again, so requests in flight share them. */
    gc_bb_set(gc->send_bb, head, codec_pack_request(value, id, head), grpc_slice_ref(gc->field));
}

int gc_client_check(const struct gc_client *gc, const struct codec_msg *m, char *err,
                    size_t errlen)
{
    char why[200];
    if (payload_check(&gc->payload, m->payload, m->payload_len, gc->who, why, sizeof why) == 0)
        return 0;
    snprintf(err, errlen, "%s (%s)", why, gc->address);
    return -1;
}

void gc_client_close(struct gc_client *gc, bool wedged)
{
    if (gc->send_bb != NULL)
        grpc_byte_buffer_destroy(gc->send_bb);
    gc->send_bb = NULL;
    /* Ours only: a request still in gRPC's hands holds its own reference. */
    grpc_slice_unref(gc->field);
    gc->field = grpc_empty_slice();
    gc_rx_free(&gc->rx);
    payload_free(&gc->payload);
    if (wedged)
        return;
    if (gc->ch != NULL)
        grpc_channel_destroy(gc->ch);
    gc->ch = NULL;
    if (gc->cq != NULL) {
        grpc_completion_queue_shutdown(gc->cq);
        /* Every batch has come back, so this ends at once. Bounded anyway. */
        for (int i = 0; i < 100; i++)
            if (grpc_completion_queue_next(gc->cq, gc_deadline(100), NULL).type ==
                GRPC_QUEUE_SHUTDOWN)
                break;
        grpc_completion_queue_destroy(gc->cq);
    }
    gc->cq = NULL;
    gc_tls_client_free(&gc->tls); /* the channel, which held the cache, is gone */
}

void gc_client_exit(struct gc_client *gc, bool wedged)
{
    if (gc->grpc_inited && !wedged)
        grpc_shutdown();
    gc->grpc_inited = false;
}
