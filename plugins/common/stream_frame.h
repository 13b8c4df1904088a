/*
 * stream_frame.h — the wire format of the stream transports (tcp, uds),
 * shared by their client and server: a 4-byte big-endian header, then a
 * protobuf IncrementRequest or IncrementReply (the protocol itself is
 * described in plugins/tcp/tcp.c). The header is
 * this file's; the body is proto/codec.h's, whose CODEC_MSG_MAX is the
 * longest body either side accepts, so that any bogus length (text,
 * garbage, a 4 GB announcement) is refused from its first four bytes,
 * before a single byte is buffered for it. Nothing here touches a socket
 * or the heap.
 */
#ifndef INCBENCH_PLUGIN_STREAM_FRAME_H
#define INCBENCH_PLUGIN_STREAM_FRAME_H

#include "codec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER 4u
#define FRAME_MAX (FRAME_HEADER + CODEC_MSG_MAX)
/* Header bit a server sets on a reply that refuses the request (the only
 * refusal there is: value + 1 would overflow int64). A request never has
 * it, so a client sending it is refused as an over-long frame. */
#define FRAME_REFUSED 0x80000000u
#define FRAME_LEN_MASK 0x7fffffffu
_Static_assert(CODEC_MSG_MAX <= FRAME_LEN_MASK, "a body's length must fit the header");

static inline uint32_t frame_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Write a whole frame (header + body) into out[FRAME_MAX]; returns its size. */
size_t frame_pack_request(uint8_t *out, int64_t value, uint64_t id);
size_t frame_pack_reply(uint8_t *out, bool refused, int64_t value, uint64_t id);

#endif
