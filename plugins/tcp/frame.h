/*
 * frame.h — the tcp plugin's wire format, shared by its client and server:
 * a 4-byte big-endian header, then a protobuf-c IncrementRequest or
 * IncrementReply (the protocol itself is described in tcp.c). Encoding and
 * decoding only: nothing here touches a socket, and nothing here allocates
 * from the heap (protobuf-c unpacks into a fixed arena owned by the caller),
 * so the per-call path stays free of malloc.
 */
#ifndef INCBENCH_TCP_FRAME_H
#define INCBENCH_TCP_FRAME_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER 4u
/* Largest body either side accepts. A request or reply with both fields at
 * their widest is 22 bytes (two one-byte tags, two ten-byte varints); 64
 * leaves room for a field or two added later, yet any bogus length (text,
 * garbage, a 4 GB announcement) is refused from its first four bytes,
 * before a single byte is buffered for it. */
#define FRAME_MAX_BODY 64u
#define FRAME_MAX (FRAME_HEADER + FRAME_MAX_BODY)
/* Header bit a server sets on a reply that refuses the request (the only
 * refusal there is: value + 1 would overflow int64). A request never has
 * it, so a client sending it is refused as an over-long frame. */
#define FRAME_REFUSED 0x80000000u
#define FRAME_LEN_MASK 0x7fffffffu

/* protobuf-c's allocator over a fixed buffer, reset before every unpack.
 * 2 KiB covers the worst a 64-byte body can ask for (the message plus one
 * unknown-field record per two bytes); beyond that unpack fails, which the
 * caller treats as an undecodable frame. */
struct frame_arena {
    _Alignas(max_align_t) unsigned char buf[2048];
    size_t used;
    ProtobufCAllocator alloc;
};

void frame_arena_init(struct frame_arena *a);

static inline uint32_t frame_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Write a whole frame (header + body) into out[FRAME_MAX]; returns its size. */
size_t frame_pack_request(uint8_t *out, int64_t value, uint64_t id);
size_t frame_pack_reply(uint8_t *out, bool refused, int64_t value, uint64_t id);

/* Decode a body of `len` bytes; -1 when protobuf-c cannot. */
int frame_unpack_request(struct frame_arena *a, const uint8_t *body, size_t len,
                         int64_t *value, uint64_t *id);
int frame_unpack_reply(struct frame_arena *a, const uint8_t *body, size_t len,
                       int64_t *value, uint64_t *id);

#endif
