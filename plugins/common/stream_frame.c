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

size_t frame_pack_request(uint8_t *out, int64_t value, uint64_t id)
{
    size_t n = codec_pack_request(value, id, out + FRAME_HEADER);
    put32(out, (uint32_t)n);
    return FRAME_HEADER + n;
}

size_t frame_pack_reply(uint8_t *out, bool refused, int64_t value, uint64_t id)
{
    size_t n = codec_pack_reply(value, id, out + FRAME_HEADER);
    put32(out, (uint32_t)n | (refused ? FRAME_REFUSED : 0));
    return FRAME_HEADER + n;
}
