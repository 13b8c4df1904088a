/*
 * codec.h — IncrementRequest / IncrementReply (protobuf-c) to and from gRPC
 * byte buffers, without a heap allocation on the per-call path: messages are
 * packed into caller buffers, sent as inline slices (our messages are
 * shorter than a grpc_slice's inline storage) in a byte buffer reused call
 * after call, and unpacked with a small arena allocator. A compressed
 * message (one gRPC left compressed: see options.c) is inflated here, never
 * past the caller's limit.
 */
#ifndef INCBENCH_GRPC_COMMON_CODEC_H
#define INCBENCH_GRPC_COMMON_CODEC_H

#include <grpc/byte_buffer.h>
#include <protobuf-c/protobuf-c.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

/* Both messages are at most 2 tags + 2 ten-byte varints = 22 bytes. */
#define GC_MSG_MAX 32

/* protobuf-c allocator over a fixed buffer; spills to malloc only when a
 * peer sends a message with unknown fields larger than the buffer. */
struct gc_arena {
    ProtobufCAllocator alloc;
    size_t used;
    alignas(16) unsigned char buf[256];
};
void gc_arena_init(struct gc_arena *a);

size_t gc_pack_request(int64_t value, uint64_t id, uint8_t out[GC_MSG_MAX]);
size_t gc_pack_reply(int64_t value, uint64_t id, uint8_t out[GC_MSG_MAX]);

/* An empty raw byte buffer to be refilled by gc_bb_set for every send. */
grpc_byte_buffer *gc_bb_new(void);

/* Replace bb's contents by a copy of data[0..len). gRPC takes the slices of a
 * sent buffer; the buffer itself stays ours and is refilled here. */
void gc_bb_set(grpc_byte_buffer *bb, const uint8_t *data, size_t len);

/* What decoding a received message came to. */
enum gc_unpacked {
    GC_UNPACKED = 0,     /* *value and *id are set */
    GC_NOT_MESSAGE = -1, /* no message, or bytes that are not one */
    GC_TOO_BIG = -2,     /* compressed, and inflates beyond `max` bytes */
};

/* Decode a received message, inflating a compressed one into at most `max`
 * bytes (the side's recv_max, options.h). */
enum gc_unpacked gc_unpack_request(grpc_byte_buffer *bb, struct gc_arena *a, size_t max,
                                   int64_t *value, uint64_t *id);
enum gc_unpacked gc_unpack_reply(grpc_byte_buffer *bb, struct gc_arena *a, size_t max,
                                 int64_t *value, uint64_t *id);

#endif
