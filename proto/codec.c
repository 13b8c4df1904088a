/*
 * codec.c — see codec.h. The protobuf-c code generated from increment.proto
 * over an arena sized at init, behind a pre-scan that bounds the fields;
 * no heap after init, no state beyond the caller's arena.
 */
#include "codec.h"

#include "increment.pb-c.h"

#include <limits.h>
#include <stdlib.h>

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

static void arena_setup(struct codec_arena *a, size_t limit, unsigned char *buf, size_t cap)
{
    a->alloc.alloc = arena_alloc;
    a->alloc.free = arena_free;
    a->alloc.allocator_data = a;
    a->limit = limit;
    a->used = 0;
    a->cap = cap;
    a->full = false;
    a->buf = buf;
}

void codec_arena_init(struct codec_arena *a)
{
    arena_setup(a, CODEC_MSG_MAX, a->small, sizeof a->small);
}

size_t codec_msg_limit(size_t n)
{
    return n > SIZE_MAX - CODEC_MSG_MAX ? SIZE_MAX : CODEC_MSG_MAX + n;
}

/* The limit grows by n, and with it only the copies (codec.h). */
size_t codec_arena_bytes(size_t n)
{
    return n > SIZE_MAX - CODEC_ARENA_BYTES ? SIZE_MAX : CODEC_ARENA_BYTES + n;
}

int codec_arena_init_payload(struct codec_arena *a, size_t n)
{
    codec_arena_init(a);
    const size_t bytes = codec_arena_bytes(n);
    if (bytes <= sizeof a->small) {
        a->limit = codec_msg_limit(n);
        return 0;
    }
    /* malloc's alignment is max_align_t's, all arena_alloc assumes. */
    unsigned char *buf = bytes == SIZE_MAX ? NULL : malloc(bytes);
    if (buf == NULL)
        return -1;
    arena_setup(a, codec_msg_limit(n), buf, bytes);
    return 0;
}

void codec_arena_free(struct codec_arena *a)
{
    if (a->buf != a->small)
        free(a->buf);
    codec_arena_init(a);
}

size_t codec_pack_request(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX])
{
    return codec_pack_request_payload(value, id, NULL, 0, out);
}

size_t codec_pack_reply(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX])
{
    return codec_pack_reply_payload(value, id, NULL, 0, out);
}

/* protobuf-c's bytes field is not const; packing only reads it. */
static ProtobufCBinaryData bytes_of(const uint8_t *payload, size_t n)
{
    return (ProtobufCBinaryData){ .len = n, .data = (uint8_t *)(uintptr_t)payload };
}

size_t codec_pack_request_payload(int64_t value, uint64_t id, const uint8_t *payload, size_t n,
                                  uint8_t *out)
{
    Incbench__IncrementRequest m = INCBENCH__INCREMENT_REQUEST__INIT;
    m.value = value;
    m.id = id;
    m.payload = bytes_of(payload, n);
    return incbench__increment_request__pack(&m, out);
}

size_t codec_pack_reply_payload(int64_t value, uint64_t id, const uint8_t *payload, size_t n,
                                uint8_t *out)
{
    Incbench__IncrementReply m = INCBENCH__INCREMENT_REPLY__INIT;
    m.value = value;
    m.id = id;
    m.payload = bytes_of(payload, n);
    return incbench__increment_reply__pack(&m, out);
}

/* Length of the varint at p (at most max bytes of rem), 0 when unended. */
static size_t varint_len(const uint8_t *p, size_t rem, size_t max)
{
    const size_t n = rem < max ? rem : max;
    for (size_t i = 0; i < n; i++)
        if ((p[i] & 0x80) == 0)
            return i + 1;
    return 0;
}

/* Bytes of the field after its tag at p (rem left), by protobuf-c 1.4's
 * scan (protobuf_c_message_unpack); 0 when it would refuse them. */
static size_t field_len(unsigned wire, const uint8_t *p, size_t rem)
{
    switch (wire) {
    case 0: /* varint */
        return varint_len(p, rem, 10);
    case 1: /* 64-bit */
        return rem >= 8 ? 8 : 0;
    case 5: /* 32-bit */
        return rem >= 4 ? 4 : 0;
    case 2: { /* a length of at most 5 bytes and INT_MAX, then the bytes */
        const size_t h = varint_len(p, rem, 5);
        if (h == 0)
            return 0;
        size_t val = 0;
        for (size_t i = 0; i < h; i++)
            val |= (size_t)(p[i] & 0x7f) << (7 * i);
        return val <= INT_MAX && val <= rem - h ? h + val : 0;
    }
    default: /* groups and wire types 6, 7: protobuf-c takes none */
        return 0;
    }
}

/* Walk the fields as protobuf-c will, counting them, before it copies
 * anything: a field costs the arena more than its bytes (codec.h). */
static enum codec_result prescan(const uint8_t *p, size_t len)
{
    size_t at = 0;
    for (unsigned fields = 0; at < len; fields++) {
        if (fields == CODEC_FIELDS_MAX)
            return CODEC_TOO_MANY_FIELDS;
        /* A tag: at most 5 bytes, and field number 0 is none. */
        if ((p[at] & 0xf8) == 0)
            return CODEC_NOT_MESSAGE;
        const unsigned wire = p[at] & 7;
        const size_t t = varint_len(p + at, len - at, 5);
        if (t == 0)
            return CODEC_NOT_MESSAGE;
        at += t;
        const size_t f = field_len(wire, p + at, len - at);
        if (f == 0)
            return CODEC_NOT_MESSAGE;
        at += f;
    }
    return CODEC_OK;
}

/* Checks shared by both decodes; CODEC_OK when protobuf-c may go ahead.
 * Within 2 * CODEC_FIELDS_MAX bytes no message has too many fields, so
 * the small messages of payload 0 skip the pre-scan. */
static enum codec_result start(struct codec_arena *a, const uint8_t *p, size_t len)
{
    a->used = 0;
    a->full = false;
    if (len > a->limit)
        return CODEC_TOO_BIG;
    if (p == NULL)
        return len > 0 ? CODEC_NOT_MESSAGE : CODEC_OK;
    return len > 2 * CODEC_FIELDS_MAX ? prescan(p, len) : CODEC_OK;
}

/* protobuf-c said NULL: the arena's flag tells a full arena from bad bytes. */
static enum codec_result refused(const struct codec_arena *a)
{
    return a->full ? CODEC_ARENA_FULL : CODEC_NOT_MESSAGE;
}

/* What protobuf-c made of a message, into *m. */
static enum codec_result found(int64_t value, uint64_t id, const ProtobufCBinaryData *payload,
                               struct codec_msg *m)
{
    *m = (struct codec_msg){ .value = value, .id = id,
                             .payload = payload->data, .payload_len = payload->len };
    return CODEC_OK;
}

enum codec_result codec_decode_request(struct codec_arena *a, const uint8_t *p, size_t len,
                                       struct codec_msg *m)
{
    const enum codec_result rc = start(a, p, len);
    if (rc != CODEC_OK)
        return rc;
    const Incbench__IncrementRequest *r =
        incbench__increment_request__unpack(&a->alloc, len, p);
    return r == NULL ? refused(a) : found(r->value, r->id, &r->payload, m);
}

enum codec_result codec_decode_reply(struct codec_arena *a, const uint8_t *p, size_t len,
                                     struct codec_msg *m)
{
    const enum codec_result rc = start(a, p, len);
    if (rc != CODEC_OK)
        return rc;
    const Incbench__IncrementReply *r = incbench__increment_reply__unpack(&a->alloc, len, p);
    return r == NULL ? refused(a) : found(r->value, r->id, &r->payload, m);
}

typedef enum codec_result (*decode_fn)(struct codec_arena *a, const uint8_t *p, size_t len,
                                       struct codec_msg *m);

/* A decode that hands back only the value and the id. */
static enum codec_result values_of(decode_fn decode, struct codec_arena *a, const uint8_t *p,
                                   size_t len, int64_t *value, uint64_t *id)
{
    struct codec_msg m;
    const enum codec_result rc = decode(a, p, len, &m);
    if (rc == CODEC_OK) {
        *value = m.value;
        *id = m.id;
    }
    return rc;
}

enum codec_result codec_unpack_request(struct codec_arena *a, const uint8_t *p, size_t len,
                                       int64_t *value, uint64_t *id)
{
    return values_of(codec_decode_request, a, p, len, value, id);
}

enum codec_result codec_unpack_reply(struct codec_arena *a, const uint8_t *p, size_t len,
                                     int64_t *value, uint64_t *id)
{
    return values_of(codec_decode_reply, a, p, len, value, id);
}

const char *codec_why(enum codec_result rc)
{
    switch (rc) {
    case CODEC_OK:
        return "it does";
    case CODEC_NOT_MESSAGE:
        return "not well-formed protobuf (cut short, garbage, or no message at all)";
    case CODEC_TOO_BIG:
        return "longer than the decoder's limit of a message (its payload setting plus "
               STR(CODEC_MSG_MAX) " bytes)";
    case CODEC_ARENA_FULL:
        return "needs more memory than the decoder's arena, sized at init for the worst "
               "message within its limit";
    case CODEC_TOO_MANY_FIELDS:
        return "more than the " STR(CODEC_FIELDS_MAX) " fields a message may have";
    }
    return "an unknown decoding error";
}
