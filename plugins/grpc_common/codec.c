/*
 * codec.c — see codec.h. Must never allocate on the common path (one raw,
 * uncompressed slice in, inline slices out); the paths for compressed or
 * fragmented buffers may, as decompression allocates anyway. zlib comes
 * with gRPC (libgrpc-dev depends on zlib1g-dev, grpc.pc links -lz).
 */
#include "codec.h"

#include "increment.pb-c.h"
#include "options.h"

#include <grpc/byte_buffer_reader.h>
#include <grpc/slice_buffer.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void *arena_alloc(void *data, size_t size)
{
    struct gc_arena *a = data;
    size_t need = (size + 15u) & ~(size_t)15u;
    if (need <= sizeof a->buf - a->used) {
        void *p = a->buf + a->used;
        a->used += need;
        return p;
    }
    return malloc(size);
}

static void arena_free(void *data, void *ptr)
{
    struct gc_arena *a = data;
    unsigned char *p = ptr;
    if (p >= a->buf && p < a->buf + sizeof a->buf)
        return;
    free(ptr);
}

void gc_arena_init(struct gc_arena *a)
{
    a->alloc.alloc = arena_alloc;
    a->alloc.free = arena_free;
    a->alloc.allocator_data = a;
    a->used = 0;
}

size_t gc_pack_request(int64_t value, uint64_t id, uint8_t out[GC_MSG_MAX])
{
    Incbench__IncrementRequest m = INCBENCH__INCREMENT_REQUEST__INIT;
    m.value = value;
    m.id = id;
    return incbench__increment_request__pack(&m, out);
}

size_t gc_pack_reply(int64_t value, uint64_t id, uint8_t out[GC_MSG_MAX])
{
    Incbench__IncrementReply m = INCBENCH__INCREMENT_REPLY__INIT;
    m.value = value;
    m.id = id;
    return incbench__increment_reply__pack(&m, out);
}

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

/* Hand the message bytes to `fn`; the fast path reads the single slice in
 * place, a compressed message is inflated (bounded), anything else goes
 * through gRPC's reader. */
typedef int (*unpack_fn)(const uint8_t *p, size_t n, struct gc_arena *a,
                         int64_t *value, uint64_t *id);

/* Inflate the slices (gzip, or deflate: zlib-wrapped, as gRPC sends it)
 * into out[0..cap); GC_TOO_BIG once the output fills cap (callers give
 * cap = max + 1, so that one byte past max shows). */
static enum gc_unpacked inflate_into(const grpc_slice_buffer *sb, bool gzip, uint8_t *out,
                                     size_t cap, size_t *len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, gzip ? 15 + 16 : 15) != Z_OK)
        return GC_NOT_MESSAGE;
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
        return GC_TOO_BIG;
    return whole ? GC_UNPACKED : GC_NOT_MESSAGE;
}

static enum gc_unpacked with_inflated(grpc_byte_buffer *bb, struct gc_arena *a, size_t max,
                                      unpack_fn fn, int64_t *value, uint64_t *id)
{
    const grpc_compression_algorithm algo = bb->data.raw.compression;
    if (algo != GRPC_COMPRESS_GZIP && algo != GRPC_COMPRESS_DEFLATE)
        return GC_NOT_MESSAGE;
    /* Today's limit fits on the stack; a larger one (payloads) allocates. */
    uint8_t small[GC_MSG_MAX + GC_RECV_ROOM + 1];
    uint8_t *out = max < sizeof small ? small : malloc(max + 1);
    if (out == NULL)
        return GC_TOO_BIG;
    size_t len = 0;
    enum gc_unpacked rc = inflate_into(&bb->data.raw.slice_buffer, algo == GRPC_COMPRESS_GZIP,
                                       out, max + 1, &len);
    if (rc == GC_UNPACKED && fn(out, len, a, value, id) != 0)
        rc = GC_NOT_MESSAGE;
    if (out != small)
        free(out);
    return rc;
}

static enum gc_unpacked with_bytes(grpc_byte_buffer *bb, struct gc_arena *a, size_t max,
                                   unpack_fn fn, int64_t *value, uint64_t *id)
{
    if (bb == NULL || bb->type != GRPC_BB_RAW)
        return GC_NOT_MESSAGE;
    if (bb->data.raw.compression == GRPC_COMPRESS_NONE &&
        bb->data.raw.slice_buffer.count == 1) {
        grpc_slice s = bb->data.raw.slice_buffer.slices[0];
        return fn(GRPC_SLICE_START_PTR(s), GRPC_SLICE_LENGTH(s), a, value, id) == 0
                   ? GC_UNPACKED : GC_NOT_MESSAGE;
    }
    if (bb->data.raw.compression != GRPC_COMPRESS_NONE)
        return with_inflated(bb, a, max, fn, value, id);
    /* Uncompressed, in several slices: gRPC held it to the wire limit. */
    grpc_byte_buffer_reader r;
    if (!grpc_byte_buffer_reader_init(&r, bb))
        return GC_NOT_MESSAGE;
    grpc_slice all = grpc_byte_buffer_reader_readall(&r);
    grpc_byte_buffer_reader_destroy(&r);
    int rc = fn(GRPC_SLICE_START_PTR(all), GRPC_SLICE_LENGTH(all), a, value, id);
    grpc_slice_unref(all);
    return rc == 0 ? GC_UNPACKED : GC_NOT_MESSAGE;
}

static int unpack_request(const uint8_t *p, size_t n, struct gc_arena *a,
                          int64_t *value, uint64_t *id)
{
    a->used = 0;
    Incbench__IncrementRequest *m = incbench__increment_request__unpack(&a->alloc, n, p);
    if (m == NULL)
        return -1;
    *value = m->value;
    *id = m->id;
    incbench__increment_request__free_unpacked(m, &a->alloc);
    return 0;
}

static int unpack_reply(const uint8_t *p, size_t n, struct gc_arena *a,
                        int64_t *value, uint64_t *id)
{
    a->used = 0;
    Incbench__IncrementReply *m = incbench__increment_reply__unpack(&a->alloc, n, p);
    if (m == NULL)
        return -1;
    *value = m->value;
    *id = m->id;
    incbench__increment_reply__free_unpacked(m, &a->alloc);
    return 0;
}

enum gc_unpacked gc_unpack_request(grpc_byte_buffer *bb, struct gc_arena *a, size_t max,
                                   int64_t *value, uint64_t *id)
{
    return with_bytes(bb, a, max, unpack_request, value, id);
}

enum gc_unpacked gc_unpack_reply(grpc_byte_buffer *bb, struct gc_arena *a, size_t max,
                                 int64_t *value, uint64_t *id)
{
    return with_bytes(bb, a, max, unpack_reply, value, id);
}
