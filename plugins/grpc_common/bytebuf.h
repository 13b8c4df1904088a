/*
 * bytebuf.h — a message of proto/codec.h in and out of gRPC byte buffers,
 * without a heap allocation on the per-call path: a packed message is sent
 * as an inline slice (ours are shorter than a grpc_slice's inline storage)
 * in a byte buffer reused call after call, and one received is decoded in
 * place or gathered on the stack. A compressed message (one gRPC left
 * compressed: see options.c) is inflated here, never past CODEC_MSG_MAX.
 */
#ifndef INCBENCH_GRPC_COMMON_BYTEBUF_H
#define INCBENCH_GRPC_COMMON_BYTEBUF_H

#include "codec.h"

#include <grpc/byte_buffer.h>
#include <grpc/status.h>
#include <stddef.h>
#include <stdint.h>

/* An empty raw byte buffer to be refilled by gc_bb_set for every send. */
grpc_byte_buffer *gc_bb_new(void);

/* Replace bb's contents by a copy of data[0..len). gRPC takes the slices of a
 * sent buffer; the buffer itself stays ours and is refilled here. */
void gc_bb_set(grpc_byte_buffer *bb, const uint8_t *data, size_t len);

/* Decode a received message (NULL: none came, CODEC_NOT_MESSAGE), inflating
 * a compressed one into at most CODEC_MSG_MAX bytes (CODEC_TOO_BIG beyond). */
enum codec_result gc_unpack_request(grpc_byte_buffer *bb, struct codec_arena *a,
                                    int64_t *value, uint64_t *id);
enum codec_result gc_unpack_reply(grpc_byte_buffer *bb, struct codec_arena *a,
                                  int64_t *value, uint64_t *id);

/* How a server refuses a request that did not decode: the status
 * (INVALID_ARGUMENT for bytes that are not a request, RESOURCE_EXHAUSTED
 * for one over a limit), and *details, static, for the peer. */
grpc_status_code gc_refusal(enum codec_result rc, const char **details);

#endif
