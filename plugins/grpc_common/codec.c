/*
 * codec.c — see codec.h. Must never allocate on the common path (one raw,
 * uncompressed slice in, inline slices out); the reader path for compressed
 * or fragmented buffers may, as decompression allocates anyway.
 */
#include "codec.h"

#include "increment.pb-c.h"

#include <grpc/byte_buffer_reader.h>
#include <grpc/slice_buffer.h>
#include <stdlib.h>

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
 * place, anything else goes through gRPC's reader (which decompresses). */
typedef int (*unpack_fn)(const uint8_t *p, size_t n, struct gc_arena *a,
                         int64_t *value, uint64_t *id);

static int with_bytes(grpc_byte_buffer *bb, struct gc_arena *a, unpack_fn fn,
                      int64_t *value, uint64_t *id)
{
    if (bb == NULL)
        return -1;
    if (bb->type == GRPC_BB_RAW && bb->data.raw.compression == GRPC_COMPRESS_NONE &&
        bb->data.raw.slice_buffer.count == 1) {
        grpc_slice s = bb->data.raw.slice_buffer.slices[0];
        return fn(GRPC_SLICE_START_PTR(s), GRPC_SLICE_LENGTH(s), a, value, id);
    }
    grpc_byte_buffer_reader r;
    if (!grpc_byte_buffer_reader_init(&r, bb))
        return -1;
    grpc_slice all = grpc_byte_buffer_reader_readall(&r);
    grpc_byte_buffer_reader_destroy(&r);
    int rc = fn(GRPC_SLICE_START_PTR(all), GRPC_SLICE_LENGTH(all), a, value, id);
    grpc_slice_unref(all);
    return rc;
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

int gc_unpack_request(grpc_byte_buffer *bb, struct gc_arena *a,
                      int64_t *value, uint64_t *id)
{
    return with_bytes(bb, a, unpack_request, value, id);
}

int gc_unpack_reply(grpc_byte_buffer *bb, struct gc_arena *a,
                    int64_t *value, uint64_t *id)
{
    return with_bytes(bb, a, unpack_reply, value, id);
}
