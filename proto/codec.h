/*
 * codec.h — IncrementRequest / IncrementReply to and from bytes for every
 * protobuf transport (tcp, uds, grpc_unary, grpc_stream): a message's size
 * limit and the one arena protobuf-c decodes into, sized once, at init, for
 * the worst message within that limit. A full arena refuses the decode
 * (CODEC_ARENA_FULL), never finishes it on the heap: the per-call path
 * stays free of malloc whatever a peer sends.
 *
 * protobuf-c stays the parser of record, and it copies: a bytes field (the
 * payload) and every unknown field into allocator memory, and it records
 * each field it scans. So the arena must hold the message's bytes once more
 * plus a cost per field, and a hostile message of many tiny fields could
 * ask for ~50 times its size. A cheap pre-scan of the wire bytes (the same
 * tag and length rules protobuf-c applies) refuses a message of more than
 * CODEC_FIELDS_MAX fields before protobuf-c sees it (CODEC_TOO_MANY_FIELDS),
 * which bounds the arena to the limit plus a constant. The payload is thus
 * copied once per decode; pointing into the wire buffer instead would mean
 * hiding field 3 from protobuf-c, a second parser for the one field that
 * matters. tests/proto/test_codec.c decodes the worst messages at several
 * limits, so a full arena means the bound and protobuf-c have drifted apart.
 *
 * Two ways in: codec_arena_init with the value-and-id calls is the payload-0
 * path of before (a 64-byte limit, a 4 KiB arena inside the struct, no
 * heap); codec_arena_init_payload with the codec_msg calls carries a payload.
 */
#ifndef INCBENCH_PROTO_CODEC_H
#define INCBENCH_PROTO_CODEC_H

#include <protobuf-c/protobuf-c.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest message we write without a payload: two one-byte tags, two
 * ten-byte varints. */
#define CODEC_PACKED_MAX 22

/* What a payload of n bytes adds at most: its tag and a ten-byte length. */
#define CODEC_PAYLOAD_OVERHEAD 11

/* The fixed part of every side's limit: the largest message a side with no
 * payload takes, on every transport (the tcp frame's body, gRPC's receive
 * limit and its inflate bound). Room for a field or two a newer peer
 * appends, yet small enough that a bogus length is refused before anything
 * is buffered for it. A side with payload n takes CODEC_MSG_MAX + n. */
#define CODEC_MSG_MAX 64
_Static_assert(CODEC_PACKED_MAX + CODEC_PAYLOAD_OVERHEAD <= CODEC_MSG_MAX,
               "every side must take what we write");

/* Most fields a message may have: ours are three, the rest is room for a
 * newer peer's. 32 is what CODEC_MSG_MAX bytes can hold (a field is at
 * least two bytes), so a side without payload takes all it took before. */
#define CODEC_FIELDS_MAX 32
_Static_assert(CODEC_FIELDS_MAX >= CODEC_MSG_MAX / 2, "a payload-0 side takes any 64 bytes");

/* protobuf-c's worst for CODEC_FIELDS_MAX fields, with protobuf-c 1.4: the
 * message (64 bytes), one scan slab beyond its 16 on the stack (32 records
 * of 32 bytes), an unknown-field record each (24 bytes), each field's copy
 * rounded up to the alignment unit (16 bytes), and the copies themselves,
 * at most the message's length. 2416 bytes at CODEC_MSG_MAX; the rest is
 * margin. A larger limit adds its own length and nothing else. */
#define CODEC_ARENA_BYTES 4096
_Static_assert(CODEC_ARENA_BYTES >=
                   64 + 32 * 32 + CODEC_FIELDS_MAX * (24 + 16) + 16 + CODEC_MSG_MAX,
               "the arena must hold the worst message within CODEC_MSG_MAX");

/* Not to be copied: buf may point into small[]. */
struct codec_arena {
    ProtobufCAllocator alloc;
    size_t limit;        /* the longest message decoded: CODEC_MSG_MAX + payload */
    size_t used;
    size_t cap;          /* bytes at buf; a test may lower it to fill the arena */
    bool full;           /* the last decode asked for more than cap */
    unsigned char *buf;  /* small[], or the heap for a payload */
    alignas(max_align_t) unsigned char small[CODEC_ARENA_BYTES];
};

/* A side without payload: limit CODEC_MSG_MAX, no heap; cannot fail. */
void codec_arena_init(struct codec_arena *a);

/* A side whose payload is n bytes: limit codec_msg_limit(n), an arena of
 * codec_arena_bytes(n) (in small[] when it fits, else malloc'd once).
 * 0, or -1 when the memory cannot be had (then codec_arena_free is safe). */
int codec_arena_init_payload(struct codec_arena *a, size_t n);

/* Give back what codec_arena_init_payload took; safe after either init. */
void codec_arena_free(struct codec_arena *a);

/* The limit of a side whose payload is n bytes, and its arena's size
 * (SIZE_MAX when the sum would overflow). */
size_t codec_msg_limit(size_t n);
size_t codec_arena_bytes(size_t n);

/* The longest message packed with a payload of n bytes: the size of the
 * caller's buffer for codec_pack_*_payload. At most codec_msg_limit(n). */
static inline size_t codec_packed_max(size_t n)
{
    return CODEC_PACKED_MAX + (n > 0 ? CODEC_PAYLOAD_OVERHEAD + n : 0);
}

/* Pack into out; returns the size, at most CODEC_PACKED_MAX. */
size_t codec_pack_request(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX]);
size_t codec_pack_reply(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX]);

/* Pack with n payload bytes (none when n is 0: the bytes of the calls
 * above) into out[codec_packed_max(n)]; returns the size. */
size_t codec_pack_request_payload(int64_t value, uint64_t id, const uint8_t *payload, size_t n,
                                  uint8_t *out);
size_t codec_pack_reply_payload(int64_t value, uint64_t id, const uint8_t *payload, size_t n,
                                uint8_t *out);

/* What decoding came to. */
enum codec_result {
    CODEC_OK = 0,           /* the message is set */
    CODEC_NOT_MESSAGE = -1, /* bytes that are not one (cut short, garbage, no message) */
    CODEC_TOO_BIG = -2,     /* longer than the arena's limit */
    CODEC_ARENA_FULL = -3,  /* protobuf-c asked the arena for more than it holds */
    CODEC_TOO_MANY_FIELDS = -4, /* more than CODEC_FIELDS_MAX fields */
};

/* A decoded message. payload points into the arena: valid until its next
 * decode; NULL when payload_len is 0 (absent, as from an older peer). */
struct codec_msg {
    int64_t value;
    uint64_t id;
    const uint8_t *payload;
    size_t payload_len;
};

/* Decode len bytes at p, resetting the arena first; nothing of the message
 * but what *m points at outlives the call. */
enum codec_result codec_decode_request(struct codec_arena *a, const uint8_t *p, size_t len,
                                       struct codec_msg *m);
enum codec_result codec_decode_reply(struct codec_arena *a, const uint8_t *p, size_t len,
                                     struct codec_msg *m);

/* The same, for sides that want only *value and *id (a payload the
 * message carries, within the limit, is decoded and ignored). */
enum codec_result codec_unpack_request(struct codec_arena *a, const uint8_t *p, size_t len,
                                       int64_t *value, uint64_t *id);
enum codec_result codec_unpack_reply(struct codec_arena *a, const uint8_t *p, size_t len,
                                     int64_t *value, uint64_t *id);

/* Why a decode was refused, to follow "... does not decode: ". Static; the
 * caller names the limit itself when it matters (a->limit). */
const char *codec_why(enum codec_result rc);

#endif
