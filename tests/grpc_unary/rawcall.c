/*
 * rawcall.c — see rawcall.h. One completion queue per channel; each call
 * has one tag per kind of batch, and waiting for one tag notes the others
 * that complete meanwhile.
 */
#include "rawcall.h"

#include "increment.pb-c.h"

#include <check.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/compression.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_CALLS 16

struct raw_tag {
    bool busy, ok;
};

struct raw_call {
    struct raw_channel *ch;
    grpc_call *call;
    struct raw_tag t_status, t_send, t_recv;
    grpc_metadata_array md_in, md_trailing;
    grpc_status_code status;
    grpc_slice details;
    grpc_byte_buffer *out, *in;
    bool closed;
    bool recv_posted;            /* a receive not yet handed out */
};

struct raw_channel {
    grpc_compression_algorithm algo;
    grpc_channel *ch;
    grpc_completion_queue *cq;
    struct raw_call *calls[MAX_CALLS];
    size_t n_calls;
};

static gpr_timespec in_ms(unsigned ms)
{
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                        gpr_time_from_millis((int64_t)ms, GPR_TIMESPAN));
}

/* Take completions until `t` is done or the deadline passes. */
static bool wait_tag(struct raw_channel *ch, struct raw_tag *t, gpr_timespec deadline)
{
    while (t->busy) {
        grpc_event ev = grpc_completion_queue_next(ch->cq, deadline, NULL);
        if (ev.type != GRPC_OP_COMPLETE)
            return false;
        struct raw_tag *done = ev.tag;
        done->busy = false;
        done->ok = ev.success != 0;
    }
    return true;
}

static void start(struct raw_call *c, const grpc_op *ops, size_t n, struct raw_tag *t)
{
    ck_assert(!t->busy);
    grpc_call_error e = grpc_call_start_batch(c->call, ops, n, t, NULL);
    ck_assert_msg(e == GRPC_CALL_OK, "start_batch: %s", grpc_call_error_to_string(e));
    t->busy = true;
}

struct raw_channel *raw_channel(const char *address, grpc_compression_algorithm algo)
{
    grpc_init();
    struct raw_channel *ch = calloc(1, sizeof *ch);
    ck_assert_ptr_nonnull(ch);
    ch->algo = algo;
    grpc_arg args[2] = {
        { .type = GRPC_ARG_INTEGER, .key = (char *)GRPC_COMPRESSION_CHANNEL_DEFAULT_ALGORITHM,
          .value.integer = (int)algo },
        { .type = GRPC_ARG_INTEGER, .key = (char *)GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL,
          .value.integer = 1 },
    };
    grpc_channel_args chargs = { .num_args = 2, .args = args };
    grpc_channel_credentials *creds = grpc_insecure_credentials_create();
    ch->ch = grpc_channel_create(address, creds, &chargs);
    grpc_channel_credentials_release(creds);
    ch->cq = grpc_completion_queue_create_for_next(NULL);
    ck_assert(ch->ch != NULL && ch->cq != NULL);
    return ch;
}

struct raw_call *raw_open(struct raw_channel *ch, const char *method)
{
    ck_assert_uint_lt(ch->n_calls, MAX_CALLS);
    struct raw_call *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    c->ch = ch;
    ch->calls[ch->n_calls++] = c;
    grpc_metadata_array_init(&c->md_in);
    grpc_metadata_array_init(&c->md_trailing);
    c->details = grpc_empty_slice();
    grpc_slice m = grpc_slice_from_static_string(method);
    c->call = grpc_channel_create_call(ch->ch, NULL, GRPC_PROPAGATE_DEFAULTS, ch->cq, m, NULL,
                                       in_ms(60000), NULL);
    ck_assert_ptr_nonnull(c->call);
    grpc_op ops[3];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[1].data.recv_initial_metadata.recv_initial_metadata = &c->md_in;
    ops[2].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[2].data.recv_status_on_client.trailing_metadata = &c->md_trailing;
    ops[2].data.recv_status_on_client.status = &c->status;
    ops[2].data.recv_status_on_client.status_details = &c->details;
    start(c, ops, 3, &c->t_status);
    return c;
}

static void send_bb(struct raw_call *c, grpc_byte_buffer *bb, bool close)
{
    /* One send in flight per call: wait for the last one first. */
    ck_assert_msg(wait_tag(c->ch, &c->t_send, in_ms(5000)), "an earlier send never ended");
    if (c->out != NULL)
        grpc_byte_buffer_destroy(c->out);
    c->out = bb;
    grpc_op ops[2];
    memset(ops, 0, sizeof ops);
    size_t n = 0;
    ops[n].op = GRPC_OP_SEND_MESSAGE;
    ops[n++].data.send_message.send_message = bb;
    if (close)
        ops[n++].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    c->closed |= close;
    start(c, ops, n, &c->t_send);
}

size_t raw_request(int64_t value, unsigned char out[32])
{
    Incbench__IncrementRequest req = INCBENCH__INCREMENT_REQUEST__INIT;
    req.value = value;
    /* At most 11 bytes: a tag and a ten-byte varint. */
    return incbench__increment_request__pack(&req, out);
}

void raw_send(struct raw_call *c, int64_t value, bool close)
{
    unsigned char b[32];
    grpc_slice s = grpc_slice_from_copied_buffer((const char *)b, raw_request(value, b));
    send_bb(c, grpc_raw_byte_buffer_create(&s, 1), close);
    grpc_slice_unref(s);
}

void raw_send_bytes(struct raw_call *c, const void *bytes, size_t len, bool compressed)
{
    grpc_slice s = grpc_slice_from_copied_buffer(bytes, len);
    grpc_byte_buffer *bb = compressed ? grpc_raw_compressed_byte_buffer_create(&s, 1, c->ch->algo)
                                      : grpc_raw_byte_buffer_create(&s, 1);
    send_bb(c, bb, true);
    grpc_slice_unref(s);
}

bool raw_reply_value(grpc_byte_buffer *bb, int64_t *value)
{
    grpc_byte_buffer_reader r;
    if (!grpc_byte_buffer_reader_init(&r, bb))
        return false;
    grpc_slice all = grpc_byte_buffer_reader_readall(&r);
    grpc_byte_buffer_reader_destroy(&r);
    Incbench__IncrementReply *reply = incbench__increment_reply__unpack(
        NULL, GRPC_SLICE_LENGTH(all), GRPC_SLICE_START_PTR(all));
    grpc_slice_unref(all);
    if (reply == NULL)
        return false;
    *value = reply->value;
    incbench__increment_reply__free_unpacked(reply, NULL);
    return true;
}

bool raw_answer(struct raw_call *c, unsigned ms, int64_t *value)
{
    if (!c->recv_posted) {
        grpc_op op;
        memset(&op, 0, sizeof op);
        op.op = GRPC_OP_RECV_MESSAGE;
        op.data.recv_message.recv_message = &c->in;
        start(c, &op, 1, &c->t_recv);
        c->recv_posted = true;
    }
    /* It may have completed while another call was waited for. */
    if (!wait_tag(c->ch, &c->t_recv, in_ms(ms)))
        return false;
    c->recv_posted = false;
    grpc_byte_buffer *bb = c->in;
    c->in = NULL;
    if (!c->t_recv.ok || bb == NULL)
        return false;
    bool ok = raw_reply_value(bb, value);
    grpc_byte_buffer_destroy(bb);
    return ok;
}

grpc_status_code raw_status(struct raw_call *c, unsigned ms, char details[256])
{
    if (!c->closed) {
        ck_assert(wait_tag(c->ch, &c->t_send, in_ms(ms)));
        grpc_op op;
        memset(&op, 0, sizeof op);
        op.op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
        c->closed = true;
        start(c, &op, 1, &c->t_send);
    }
    ck_assert_msg(wait_tag(c->ch, &c->t_status, in_ms(ms)), "no status within %u ms", ms);
    size_t n = GRPC_SLICE_LENGTH(c->details);
    if (n > 255)
        n = 255;
    memcpy(details, GRPC_SLICE_START_PTR(c->details), n);
    details[n] = '\0';
    return c->status;
}

void raw_channel_free(struct raw_channel *ch)
{
    for (size_t i = 0; i < ch->n_calls; i++)
        grpc_call_cancel(ch->calls[i]->call, NULL);
    for (size_t i = 0; i < ch->n_calls; i++) {
        struct raw_call *c = ch->calls[i];
        ck_assert(wait_tag(ch, &c->t_status, in_ms(5000)));
        ck_assert(wait_tag(ch, &c->t_send, in_ms(5000)));
        ck_assert(wait_tag(ch, &c->t_recv, in_ms(5000)));
        if (c->in != NULL)
            grpc_byte_buffer_destroy(c->in);
        if (c->out != NULL)
            grpc_byte_buffer_destroy(c->out);
        grpc_metadata_array_destroy(&c->md_in);
        grpc_metadata_array_destroy(&c->md_trailing);
        grpc_slice_unref(c->details);
        grpc_call_unref(c->call);
        free(c);
    }
    grpc_channel_destroy(ch->ch);
    grpc_completion_queue_shutdown(ch->cq);
    for (int i = 0; i < 100; i++)
        if (grpc_completion_queue_next(ch->cq, in_ms(100), NULL).type == GRPC_QUEUE_SHUTDOWN)
            break;
    grpc_completion_queue_destroy(ch->cq);
    free(ch);
    grpc_shutdown();
}

unsigned char *raw_compress(grpc_compression_algorithm algo, const void *prefix, size_t plen,
                            size_t zeros, size_t *len)
{
    ck_assert(algo == GRPC_COMPRESS_GZIP || algo == GRPC_COMPRESS_DEFLATE);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    const int bits = algo == GRPC_COMPRESS_GZIP ? 15 + 16 : 15;
    ck_assert_int_eq(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)(plen + zeros)) + 64, used = 0;
    unsigned char *out = malloc(cap);
    static const unsigned char zero[65536];
    ck_assert_ptr_nonnull(out);
    const unsigned char *in = prefix;
    size_t left = plen;
    bool prefix_done = plen == 0;
    int rc;
    do {
        size_t chunk;
        if (!prefix_done) {
            zs.next_in = (unsigned char *)in;
            chunk = left;
            prefix_done = true;
        } else {
            chunk = zeros < sizeof zero ? zeros : sizeof zero;
            zs.next_in = (unsigned char *)zero;
            zeros -= chunk;
        }
        zs.avail_in = (uInt)chunk;
        const int flush = prefix_done && zeros == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            zs.next_out = out + used;
            zs.avail_out = (uInt)(cap - used);
            rc = deflate(&zs, flush);
            ck_assert(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR);
            used = cap - zs.avail_out;
        } while (zs.avail_in > 0);
    } while (rc != Z_STREAM_END);
    deflateEnd(&zs);
    *len = used;
    return out;
}
