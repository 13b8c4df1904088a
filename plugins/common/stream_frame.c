/*
 * stream_frame.c — see stream_frame.h. The header around a body packed by proto/codec.c.
 */
#include "stream_frame.h"

#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The payload's field goes after room for the header and the longest
 * value and id; protobuf-c packs fields in order, each on its own, so
 * those two packed in front of it make the very bytes it would pack. */
size_t frame_request_tail(uint8_t *buf, const uint8_t *payload, size_t n)
{
    /* value 0 and id 0 are not written (proto3): field 3 alone. */
    return codec_pack_request_payload(0, 0, payload, n, buf + FRAME_HEADER + CODEC_PACKED_MAX);
}

uint8_t *frame_request(uint8_t *buf, size_t tail, int64_t value, uint64_t id, size_t *len)
{
    uint8_t head[CODEC_PACKED_MAX];
    const size_t k = codec_pack_request(value, id, head);
    uint8_t *out = buf + CODEC_PACKED_MAX - k;
    memcpy(out + FRAME_HEADER, head, k);
    put32(out, (uint32_t)(k + tail));
    *len = FRAME_HEADER + k + tail;
    return out;
}

size_t frame_pack_reply(uint8_t *out, bool refused, int64_t value, uint64_t id,
                        const uint8_t *payload, size_t n)
{
    size_t len = codec_pack_reply_payload(value, id, payload, n, out + FRAME_HEADER);
    put32(out, (uint32_t)len | (refused ? FRAME_REFUSED : 0));
    return FRAME_HEADER + len;
}

size_t frame_pack_too_big(uint8_t *out, size_t payload_limit)
{
    size_t len = codec_pack_reply((int64_t)payload_limit, 0, out + FRAME_HEADER);
    put32(out, (uint32_t)len | FRAME_REFUSED | FRAME_TOO_BIG);
    return FRAME_HEADER + len;
}
