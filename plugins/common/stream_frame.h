/*
 * stream_frame.h — the wire format of the stream transports (tcp, uds),
 * shared by their client and server: a 4-byte big-endian header, then a
 * protobuf IncrementRequest or IncrementReply (the protocol itself is
 * described in plugins/tcp/tcp.c). The header is this file's; the body is
 * proto/codec.h's, whose codec_msg_limit(payload) is the longest body a
 * side accepts, so that any bogus length (text, garbage, a 4 GB
 * announcement) is refused from its first four bytes, before a single
 * byte is buffered for it. Nothing here touches a socket or the heap.
 */
#ifndef INCBENCH_PLUGIN_STREAM_FRAME_H
#define INCBENCH_PLUGIN_STREAM_FRAME_H

#include "codec.h"
#include "payload.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER 4u
/* Header bit a server sets on a reply that refuses the request: value + 1
 * would overflow int64, or (with FRAME_TOO_BIG) the request was longer
 * than the server takes. A request never has them, so a client sending
 * either is refused as an over-long frame. */
#define FRAME_REFUSED 0x80000000u
#define FRAME_TOO_BIG 0x40000000u
#define FRAME_LEN_MASK 0x3fffffffu
_Static_assert(CODEC_MSG_MAX + (uint64_t)PAYLOAD_MAX + CODEC_PAYLOAD_OVERHEAD +
                   CODEC_PACKED_MAX <= FRAME_LEN_MASK,
               "the longest body must fit the header");

static inline uint32_t frame_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The longest frame carrying n payload bytes: the size of a buffer for
 * the calls below. */
static inline size_t frame_max(size_t n)
{
    return FRAME_HEADER + codec_packed_max(n);
}

/* A request in two steps, so that a call never copies the payload:
 * frame_request_tail packs its field (n bytes at payload) once, into
 * buf[frame_max(n)], and returns that field's size, `tail`; frame_request
 * packs value and id right in front of it and the header in front of
 * those, and returns where in buf that frame starts (its size in *len). */
size_t frame_request_tail(uint8_t *buf, const uint8_t *payload, size_t n);
uint8_t *frame_request(uint8_t *buf, size_t tail, int64_t value, uint64_t id, size_t *len);

/* Write a whole reply frame (header + body, n payload bytes) into
 * out[frame_max(n)]; returns its size. */
size_t frame_pack_reply(uint8_t *out, bool refused, int64_t value, uint64_t id,
                        const uint8_t *payload, size_t n);

/* The server's last word to a request longer than it takes: a refusal
 * with FRAME_TOO_BIG whose value is the server's `payload` setting, so the
 * client can name both sizes. At most frame_max(0) bytes. */
size_t frame_pack_too_big(uint8_t *out, size_t payload_limit);

#endif
