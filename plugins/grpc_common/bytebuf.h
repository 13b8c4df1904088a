/*
 * bytebuf.h — a message of proto/codec.h in and out of gRPC byte buffers.
 * Out: a message is two slices, its head (value and id, packed per call
 * into an inline slice: no allocation) and its payload field (tag, length
 * and bytes, packed once into a refcounted slice), in a byte buffer reused
 * call after call. In: decoded in place when it came as one slice, else
 * gathered (or inflated, when gRPC left it compressed: see options.c) into
 * a buffer made at init, never past the side's limit.
 */
#ifndef INCBENCH_GRPC_COMMON_BYTEBUF_H
#define INCBENCH_GRPC_COMMON_BYTEBUF_H

#include "codec.h"

#include <grpc/byte_buffer.h>
#include <grpc/slice.h>
#include <grpc/status.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What one side decodes with, made once at init: the codec's arena, whose
 * limit (CODEC_MSG_MAX + the side's payload) is the longest message the
 * side takes, and limit + 1 bytes to gather a message into (in `small` for
 * a side without payload: no heap). Not to be copied. */
struct gc_rx {
    struct codec_arena arena;
    uint8_t *gather;
    size_t cap;                       /* bytes at gather: the limit + 1 */
    uint8_t small[CODEC_MSG_MAX + 1];
};

/* 0, or -1 when the memory for a side with `payload` bytes cannot be had
 * (gc_rx_free is safe either way). */
int gc_rx_init(struct gc_rx *rx, size_t payload);
void gc_rx_free(struct gc_rx *rx);

/* Decode a received message (NULL: none came, CODEC_NOT_MESSAGE), gathering
 * or inflating it into at most the side's limit (CODEC_TOO_BIG beyond).
 * m->payload points into rx: valid until its next decode. */
enum codec_result gc_decode_request(grpc_byte_buffer *bb, struct gc_rx *rx, struct codec_msg *m);
enum codec_result gc_decode_reply(grpc_byte_buffer *bb, struct gc_rx *rx, struct codec_msg *m);

/* An empty raw byte buffer to be refilled by gc_bb_set for every send. */
grpc_byte_buffer *gc_bb_new(void);

/* The payload field of a request (or, with `reply`, of a reply) carrying
 * payload[0..n): the message {payload} packed alone (value and id are 0,
 * which proto3 leaves out), so that a head packed by codec_pack_request /
 * _reply followed by it is the whole message. A refcounted slice: its
 * bytes are never written again, so it may be sent any number of times;
 * grpc_empty_slice() when n is 0. */
grpc_slice gc_payload_field(const uint8_t *payload, size_t n, bool reply);

/* Make bb the message head[0..len) (copied into an inline slice: len is at
 * most CODEC_PACKED_MAX) followed by `field`, whose reference passes to bb
 * (grpc_slice_ref a field sent again; grpc_empty_slice() for none). gRPC
 * takes the slices of a sent buffer; the buffer itself stays ours. */
void gc_bb_set(grpc_byte_buffer *bb, const uint8_t *head, size_t len, grpc_slice field);

/* How a server refuses a request that did not decode: the status
 * (INVALID_ARGUMENT for bytes that are not a request, RESOURCE_EXHAUSTED
 * for one over a limit), and *details, static, for the peer. */
grpc_status_code gc_refusal(enum codec_result rc, const char **details);

#endif
