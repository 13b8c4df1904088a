/*
 * bytebuf.c — see bytebuf.h. Never allocates: a message is at most
 * CODEC_MSG_MAX bytes, so whatever shape it comes in (one slice, several,
 * compressed) it is read in place or into a buffer on the stack. zlib comes
 * with gRPC (libgrpc-dev depends on zlib1g-dev, grpc.pc links -lz).
 */
#include "bytebuf.h"

#include <grpc/slice_buffer.h>
#include <stdbool.h>
#include <string.h>
#include <zlib.h>

grpc_byte_buffer *gc_bb_new(void)
{
    return grpc_raw_byte_buffer_create(NULL, 0);
}

void gc_bb_set(grpc_byte_buffer *bb, const uint8_t *data, size_t len)
{
    grpc_slice_buffer *sb = &bb->data.raw.slice_buffer;
    grpc_slice_buffer_reset_and_unref(sb);
    /* Short copies become inline slices: no allocation. */
    grpc_slice_buffer_add(sb, grpc_slice_from_copied_buffer((const char *)data, len));
}

typedef enum codec_result (*unpack_fn)(struct codec_arena *a, const uint8_t *p, size_t len,
                                       int64_t *value, uint64_t *id);

/* Inflate the slices (gzip, or deflate: zlib-wrapped, as gRPC sends it)
 * into out[0..cap); CODEC_TOO_BIG once the output fills cap (callers give
 * cap = CODEC_MSG_MAX + 1, so that one byte past the limit shows), however
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

static enum codec_result with_bytes(grpc_byte_buffer *bb, struct codec_arena *a,
                                    unpack_fn fn, int64_t *value, uint64_t *id)
{
    if (bb == NULL || bb->type != GRPC_BB_RAW)
        return CODEC_NOT_MESSAGE;
    const grpc_slice_buffer *sb = &bb->data.raw.slice_buffer;
    const grpc_compression_algorithm algo = bb->data.raw.compression;
    if (algo == GRPC_COMPRESS_NONE && sb->count == 1) {
        const grpc_slice s = sb->slices[0];
        return fn(a, GRPC_SLICE_START_PTR(s), GRPC_SLICE_LENGTH(s), value, id);
    }
    uint8_t buf[CODEC_MSG_MAX + 1];
    size_t len = 0;
    enum codec_result rc;
    if (algo == GRPC_COMPRESS_NONE)
        rc = gather(sb, buf, CODEC_MSG_MAX, &len);
    else if (algo == GRPC_COMPRESS_GZIP || algo == GRPC_COMPRESS_DEFLATE)
        rc = inflate_into(sb, algo == GRPC_COMPRESS_GZIP, buf, sizeof buf, &len);
    else
        rc = CODEC_NOT_MESSAGE;
    return rc == CODEC_OK ? fn(a, buf, len, value, id) : rc;
}

enum codec_result gc_unpack_request(grpc_byte_buffer *bb, struct codec_arena *a,
                                    int64_t *value, uint64_t *id)
{
    return with_bytes(bb, a, codec_unpack_request, value, id);
}

enum codec_result gc_unpack_reply(grpc_byte_buffer *bb, struct codec_arena *a,
                                  int64_t *value, uint64_t *id)
{
    return with_bytes(bb, a, codec_unpack_reply, value, id);
}

grpc_status_code gc_refusal(enum codec_result rc, const char **details)
{
    switch (rc) {
    case CODEC_TOO_BIG:
        *details = "request is longer than a message may be, or inflates beyond it";
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
