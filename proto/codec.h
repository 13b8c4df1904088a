/*
 * codec.h — IncrementRequest / IncrementReply to and from bytes for every
 * protobuf transport (tcp, grpc_unary, grpc_stream): the one size limit of
 * a message and the one arena protobuf-c decodes into. When the arena is
 * full the decode is refused (CODEC_ARENA_FULL), never finished on the
 * heap: the per-call path stays free of malloc whatever a peer sends, and
 * a decoder's memory is fixed. The arena holds the worst any message within
 * CODEC_MSG_MAX can ask of protobuf-c (tests/proto/test_codec.c decodes
 * it), so a full arena means the two have drifted apart, and says so.
 */
#ifndef INCBENCH_PROTO_CODEC_H
#define INCBENCH_PROTO_CODEC_H

#include <protobuf-c/protobuf-c.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest message we write: two one-byte tags, two ten-byte varints. */
#define CODEC_PACKED_MAX 22

/* Largest message any side takes, on every transport (the tcp frame's
 * body, gRPC's receive limit and its inflate bound). Room for a field or
 * two a newer peer appends, yet small enough that a bogus length is
 * refused before anything is buffered for it. A schema grown by a payload
 * raises it here, and CODEC_ARENA_BYTES with it. */
#define CODEC_MSG_MAX 64
_Static_assert(CODEC_PACKED_MAX <= CODEC_MSG_MAX, "every side must take what we write");

/* protobuf-c's worst for CODEC_MSG_MAX bytes is a run of two-byte unknown
 * fields: the message, per field one record (24 bytes) and one copy (one
 * alignment unit), and its scan slabs (32 bytes a field, twice over as they
 * double). 2352 bytes with protobuf-c 1.4; the rest is margin. */
#define CODEC_ARENA_BYTES 4096
_Static_assert(CODEC_ARENA_BYTES >= 64 + CODEC_MSG_MAX / 2 * (24 + 16 + 2 * 32),
               "the arena must hold the worst message within CODEC_MSG_MAX");

struct codec_arena {
    ProtobufCAllocator alloc;
    size_t used;
    size_t cap;          /* sizeof buf; a test may lower it to fill the arena */
    bool full;           /* the last decode asked for more than cap */
    alignas(max_align_t) unsigned char buf[CODEC_ARENA_BYTES];
};

void codec_arena_init(struct codec_arena *a);

/* Pack into out; returns the size, at most CODEC_PACKED_MAX. */
size_t codec_pack_request(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX]);
size_t codec_pack_reply(int64_t value, uint64_t id, uint8_t out[CODEC_PACKED_MAX]);

/* What decoding came to. */
enum codec_result {
    CODEC_OK = 0,           /* *value and *id are set */
    CODEC_NOT_MESSAGE = -1, /* bytes that are not one (cut short, garbage, no message) */
    CODEC_TOO_BIG = -2,     /* more than CODEC_MSG_MAX bytes */
    CODEC_ARENA_FULL = -3,  /* protobuf-c asked the arena for more than it holds */
};

/* Decode len bytes at p into *value and *id, resetting the arena first;
 * nothing of the message outlives the call. */
enum codec_result codec_unpack_request(struct codec_arena *a, const uint8_t *p, size_t len,
                                       int64_t *value, uint64_t *id);
enum codec_result codec_unpack_reply(struct codec_arena *a, const uint8_t *p, size_t len,
                                     int64_t *value, uint64_t *id);

/* Why a decode was refused, to follow "... does not decode: ". Static. */
const char *codec_why(enum codec_result rc);

#endif
