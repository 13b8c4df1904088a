/*
 * frame.c — see frame.h. Packs and unpacks frames with the protobuf-c code
 * generated from proto/increment.proto; never allocates from the heap.
 */
#include "frame.h"

#include "increment.pb-c.h"


static void *arena_alloc(void *data, size_t size)
{
    struct frame_arena *a = data;
    const size_t align = _Alignof(max_align_t);
    size_t rounded = (size + align - 1) / align * align;
    if (rounded < size || rounded > sizeof a->buf - a->used)
        return NULL;
    void *p = a->buf + a->used;
    a->used += rounded;
    return p;
}

/* Everything is dropped at once by the next reset. */
static void arena_free(void *data, void *p)
{
    (void)data;
    (void)p;
}

void frame_arena_init(struct frame_arena *a)
{
    a->used = 0;
    a->alloc.alloc = arena_alloc;
    a->alloc.free = arena_free;
    a->alloc.allocator_data = a;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

size_t frame_pack_request(uint8_t *out, int64_t value, uint64_t id)
{
    Incbench__IncrementRequest m = INCBENCH__INCREMENT_REQUEST__INIT;
    m.value = value;
    m.id = id;
    /* At most 22 bytes (see FRAME_MAX_BODY), so it always fits. */
    size_t n = incbench__increment_request__pack(&m, out + FRAME_HEADER);
    put32(out, (uint32_t)n);
    return FRAME_HEADER + n;
}

size_t frame_pack_reply(uint8_t *out, bool refused, int64_t value, uint64_t id)
{
    Incbench__IncrementReply m = INCBENCH__INCREMENT_REPLY__INIT;
    m.value = value;
    m.id = id;
    size_t n = incbench__increment_reply__pack(&m, out + FRAME_HEADER);
    put32(out, (uint32_t)n | (refused ? FRAME_REFUSED : 0));
    return FRAME_HEADER + n;
}

int frame_unpack_request(struct frame_arena *a, const uint8_t *body, size_t len,
                         int64_t *value, uint64_t *id)
{
    a->used = 0;
    Incbench__IncrementRequest *m =
        incbench__increment_request__unpack(&a->alloc, len, body);
    if (m == NULL)
        return -1;
    *value = m->value;
    *id = m->id;
    return 0;
}

int frame_unpack_reply(struct frame_arena *a, const uint8_t *body, size_t len,
                       int64_t *value, uint64_t *id)
{
    a->used = 0;
    Incbench__IncrementReply *m =
        incbench__increment_reply__unpack(&a->alloc, len, body);
    if (m == NULL)
        return -1;
    *value = m->value;
    *id = m->id;
    return 0;
}
