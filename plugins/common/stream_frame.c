/*
 * stream_frame.c — see stream_frame.h. The header around a body packed by proto/codec.c.
 */
#include "stream_frame.h"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

size_t frame_pack_request(uint8_t *out, int64_t value, uint64_t id, const uint8_t *payload,
                          size_t n)
{
    size_t len = codec_pack_request_payload(value, id, payload, n, out + FRAME_HEADER);
    put32(out, (uint32_t)len);
    return FRAME_HEADER + len;
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
