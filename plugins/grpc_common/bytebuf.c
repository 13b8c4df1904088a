/*
 * bytebuf.c — see bytebuf.h. Allocates at init only (gc_rx_init, and a
 * payload field once per client), plus one slice per reply that carries a
 * payload (gc_payload_field, called by the servers: see there why): a
 * message is at most the side's limit, so whatever shape it comes in (one
 * slice, several, compressed) it is read in place or into the buffer made
 * at init. zlib comes with gRPC (libgrpc-dev depends on zlib1g-dev,
 * grpc.pc links -lz).
 */
#include "bytebuf.h"

#include <grpc/slice_buffer.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int gc_rx_init(struct gc_rx *rx, size_t payload)
{
    rx->gather = rx->small;
    rx->cap = sizeof rx->small;
    if (codec_arena_init_payload(&rx->arena, payload) != 0)
        return -1;
    if (payload == 0)
        return 0;
    const size_t limit = rx->arena.limit;
    rx->gather = limit == SIZE_MAX ? NULL : malloc(limit + 1);
    if (rx->gather == NULL) {
        rx->gather = rx->small;
        return -1;
    }
    rx->cap = limit + 1;
    return 0;
}

void gc_rx_free(struct gc_rx *rx)
{
    codec_arena_free(&rx->arena);
    if (rx->gather != rx->small)
        free(rx->gather);
    rx->gather = rx->small;
    rx->cap = sizeof rx->small;
}

grpc_byte_buffer *gc_bb_new(void)
{
    return grpc_raw_byte_buffer_create(NULL, 0);
}

grpc_slice gc_payload_field(const uint8_t *payload, size_t n, bool reply)
{
    if (n == 0)
        return grpc_empty_slice();
    grpc_slice s = grpc_slice_malloc(codec_packed_max(n));
    uint8_t *p = GRPC_SLICE_START_PTR(s);
    const size_t len = reply ? codec_pack_reply_payload(0, 0, payload, n, p)
                             : codec_pack_request_payload(0, 0, payload, n, p);
    /* Shortened in place: the slice keeps its one reference. */
    return grpc_slice_sub_no_ref(s, 0, len);
}

void gc_bb_set(grpc_byte_buffer *bb, const uint8_t *head, size_t len, grpc_slice field)
{
    grpc_slice_buffer *sb = &bb->data.raw.slice_buffer;
    grpc_slice_buffer_reset_and_unref(sb);
    /* Short copies become inline slices: no allocation. A value of 0 with
     * id 0 packs to nothing: no slice for it. */
    if (len > 0)
        grpc_slice_buffer_add(sb, grpc_slice_from_copied_buffer((const char *)head, len));
    if (GRPC_SLICE_LENGTH(field) > 0)
        grpc_slice_buffer_add(sb, field);
    else
        grpc_slice_unref(field);
}

typedef enum codec_result (*decode_fn)(struct codec_arena *a, const uint8_t *p, size_t len,
                                       struct codec_msg *m);

/* Inflate the slices (gzip, or deflate: zlib-wrapped, as gRPC sends it)
 * into out[0..cap); CODEC_TOO_BIG once the output fills cap (callers give
 * cap = the limit + 1, so that one byte past the limit shows), however
 * much more the input would make: a bomb is never inflated. */
static enum codec_result inflate_into(const grpc_slice_buffer *sb, bool gzip, uint8_t *out,
                                      size_t cap, size_t *len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, gzip ? 15 + 16 : 15) != Z_OK)
        return CODEC_NOT_MESSAGE;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    int rc = Z_OK;
    size_t i = 0;
    for (; i < sb->count && rc == Z_OK && zs.avail_out > 0; i++) {
        zs.next_in = GRPC_SLICE_START_PTR(sb->slices[i]);
        zs.avail_in = (uInt)GRPC_SLICE_LENGTH(sb->slices[i]);
        /* Each round consumes input or fills the output: bounded. */
        while (zs.avail_in > 0 && zs.avail_out > 0 && rc == Z_OK)
            rc = inflate(&zs, Z_NO_FLUSH);
    }
    *len = cap - zs.avail_out;
    /* A message is one whole stream: nothing left over, nothing missing. */
    const bool whole = rc == Z_STREAM_END && zs.avail_in == 0 && i == sb->count;
    inflateEnd(&zs);
    if (*len == cap)
        return CODEC_TOO_BIG;
    return whole ? CODEC_OK : CODEC_NOT_MESSAGE;
}

/* Uncompressed slices copied end to end; CODEC_TOO_BIG past the limit
 * (gRPC's receive limit holds them to it already). */
static enum codec_result gather(const grpc_slice_buffer *sb, uint8_t *out, size_t cap,
                                size_t *len)
{
    *len = 0;
    for (size_t i = 0; i < sb->count; i++) {
        const size_t n = GRPC_SLICE_LENGTH(sb->slices[i]);
        if (n > cap - *len)
            return CODEC_TOO_BIG;
        memcpy(out + *len, GRPC_SLICE_START_PTR(sb->slices[i]), n);
        *len += n;
    }
    return CODEC_OK;
}

static enum codec_result with_bytes(grpc_byte_buffer *bb, struct gc_rx *rx, decode_fn fn,
                                    struct codec_msg *m)
{
    if (bb == NULL || bb->type != GRPC_BB_RAW)
        return CODEC_NOT_MESSAGE;
    const grpc_slice_buffer *sb = &bb->data.raw.slice_buffer;
    const grpc_compression_algorithm algo = bb->data.raw.compression;
    if (algo == GRPC_COMPRESS_NONE && sb->count == 1) {
        const grpc_slice s = sb->slices[0];
        return fn(&rx->arena, GRPC_SLICE_START_PTR(s), GRPC_SLICE_LENGTH(s), m);
    }
    size_t len = 0;
    enum codec_result rc;
    if (algo == GRPC_COMPRESS_NONE)
        rc = gather(sb, rx->gather, rx->cap - 1, &len);
    else if (algo == GRPC_COMPRESS_GZIP || algo == GRPC_COMPRESS_DEFLATE)
        rc = inflate_into(sb, algo == GRPC_COMPRESS_GZIP, rx->gather, rx->cap, &len);
    else
        rc = CODEC_NOT_MESSAGE;
    return rc == CODEC_OK ? fn(&rx->arena, rx->gather, len, m) : rc;
}

enum codec_result gc_decode_request(grpc_byte_buffer *bb, struct gc_rx *rx, struct codec_msg *m)
{
    return with_bytes(bb, rx, codec_decode_request, m);
}

enum codec_result gc_decode_reply(grpc_byte_buffer *bb, struct gc_rx *rx, struct codec_msg *m)
{
    return with_bytes(bb, rx, codec_decode_reply, m);
}

grpc_status_code gc_refusal(enum codec_result rc, const char **details)
{
    switch (rc) {
    case CODEC_TOO_BIG:
        *details = "request is longer than this server takes (its payload key sets the "
                   "limit), or inflates beyond it";
        return GRPC_STATUS_RESOURCE_EXHAUSTED;
    case CODEC_ARENA_FULL:
    case CODEC_TOO_MANY_FIELDS:
        *details = "request needs more memory to decode than the server's fixed arena";
        return GRPC_STATUS_RESOURCE_EXHAUSTED;
    case CODEC_OK:
    case CODEC_NOT_MESSAGE:
        break;
    }
    *details = "request is not an incbench.IncrementRequest";
    return GRPC_STATUS_INVALID_ARGUMENT;
}
