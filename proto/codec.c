/*
 * codec.c — see codec.h. The protobuf-c code generated from increment.proto
 * over a fixed arena; no heap, no state beyond the caller's arena.
 */
#include "codec.h"

#include "increment.pb-c.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static void *arena_alloc(void *data, size_t size)
{
    struct codec_arena *a = data;
    const size_t align = alignof(max_align_t);
    const size_t rounded = (size + align - 1) / align * align;
    if (rounded < size || rounded > a->cap - a->used) {
        a->full = true;
        return NULL;
    }
    void *p = a->buf + a->used;
    a->used += rounded;
    return p;
}

/* Everything goes at once, when the next decode resets the arena. */
static void arena_free(void *data, void *p)
{
    (void)data;
    (void)p;
}

void codec_arena_init(struct codec_arena *a)
{
    a->alloc.alloc = arena_alloc;
    a->alloc.free = arena_free;
    a->alloc.allocator_data = a;
    a->used = 0;
    a->cap = sizeof a->buf;
    a->full = false;
}

size_t codec_pack_request(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX])
{
    Incbench__IncrementRequest m = INCBENCH__INCREMENT_REQUEST__INIT;
    m.value = value;
    m.id = id;
    return incbench__increment_request__pack(&m, out);
}

size_t codec_pack_reply(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX])
{
    Incbench__IncrementReply m = INCBENCH__INCREMENT_REPLY__INIT;
    m.value = value;
    m.id = id;
    return incbench__increment_reply__pack(&m, out);
}

/* Checks shared by both decodes; CODEC_OK when protobuf-c may go ahead. */
static enum codec_result start(struct codec_arena *a, const uint8_t *p, size_t len)
{
    a->used = 0;
    a->full = false;
    if (len > CODEC_MSG_MAX)
        return CODEC_TOO_BIG;
    return p == NULL && len > 0 ? CODEC_NOT_MESSAGE : CODEC_OK;
}

/* protobuf-c said NULL: the arena's flag tells a full arena from bad bytes. */
static enum codec_result refused(const struct codec_arena *a)
{
    return a->full ? CODEC_ARENA_FULL : CODEC_NOT_MESSAGE;
}

enum codec_result codec_unpack_request(struct codec_arena *a, const uint8_t *p, size_t len,
                                       int64_t *value, uint64_t *id)
{
    enum codec_result rc = start(a, p, len);
    if (rc != CODEC_OK)
        return rc;
    const Incbench__IncrementRequest *m =
        incbench__increment_request__unpack(&a->alloc, len, p);
    if (m == NULL)
        return refused(a);
    *value = m->value;
    *id = m->id;
    return CODEC_OK;
}

enum codec_result codec_unpack_reply(struct codec_arena *a, const uint8_t *p, size_t len,
                                     int64_t *value, uint64_t *id)
{
    enum codec_result rc = start(a, p, len);
    if (rc != CODEC_OK)
        return rc;
    const Incbench__IncrementReply *m = incbench__increment_reply__unpack(&a->alloc, len, p);
    if (m == NULL)
        return refused(a);
    *value = m->value;
    *id = m->id;
    return CODEC_OK;
}

const char *codec_why(enum codec_result rc)
{
    switch (rc) {
    case CODEC_OK:
        return "it does";
    case CODEC_NOT_MESSAGE:
        return "not well-formed protobuf (cut short, garbage, or no message at all)";
    case CODEC_TOO_BIG:
        return "longer than the " STR(CODEC_MSG_MAX) "-byte limit of a message";
    case CODEC_ARENA_FULL:
        return "needs more memory than the decoder's fixed " STR(CODEC_ARENA_BYTES)
               "-byte arena";
    }
    return "an unknown decoding error";
}
