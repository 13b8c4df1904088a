/*
 * fuzz_frame.c — libFuzzer harness for the protobuf transports' decoding:
 * the input is a byte stream cut into tcp frames as the tcp server and
 * client cut it (plugins/common/stream_frame.h: 4-byte header, body of at most
 * CODEC_MSG_MAX), each body decoded by proto/codec.c as a request and as
 * a reply, as gRPC's servers and clients decode theirs. Besides "no crash"
 * and no heap use: within CODEC_MSG_MAX the arena is never full (codec.h
 * promises it holds the worst such message), and a decoded message packs
 * and decodes back to the same value and id.
 */
#include "codec.h"
#include "stream_frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(struct codec_arena *a, bool request, int64_t value, uint64_t id)
{
    uint8_t out[CODEC_PACKED_MAX];
    size_t n = request ? codec_pack_request(value, id, out) : codec_pack_reply(value, id, out);
    int64_t v2 = 0;
    uint64_t id2 = 0;
    enum codec_result rc = request ? codec_unpack_request(a, out, n, &v2, &id2)
                                   : codec_unpack_reply(a, out, n, &v2, &id2);
    if (n > CODEC_PACKED_MAX || rc != CODEC_OK || v2 != value || id2 != id)
        abort();
}

static void body(struct codec_arena *a, const uint8_t *p, size_t len)
{
    for (int request = 0; request < 2; request++) {
        int64_t value = 0;
        uint64_t id = 0;
        enum codec_result rc = request ? codec_unpack_request(a, p, len, &value, &id)
                                       : codec_unpack_reply(a, p, len, &value, &id);
        if (rc == CODEC_ARENA_FULL || (rc == CODEC_TOO_BIG) != (len > CODEC_MSG_MAX))
            abort();
        if (codec_why(rc) == NULL || (rc != CODEC_OK && codec_why(rc)[0] == '\0'))
            abort();
        if (rc == CODEC_OK)
            round_trip(a, request, value, id);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct codec_arena arena;
    codec_arena_init(&arena);
    /* the first byte chooses: the stream as frames, or one bare body (gRPC) */
    if (size > 0 && data[0] & 1) {
        uint8_t *copy = malloc(size - 1 ? size - 1 : 1);
        if (copy == NULL)
            return 0;
        memcpy(copy, data + 1, size - 1);    /* exact size: ASan sees overreads */
        body(&arena, copy, size - 1);
        free(copy);
        return 0;
    }
    size_t off = size > 0 ? 1 : 0;
    while (size - off >= FRAME_HEADER) {
        uint32_t len = frame_get32(data + off) & FRAME_LEN_MASK;
        if (len > CODEC_MSG_MAX)
            return 0;    /* what server.c refuses from its header alone */
        if (size - off - FRAME_HEADER < len)
            return 0;    /* a partial frame: the reader waits for more */
        uint8_t buf[CODEC_MSG_MAX];
        memcpy(buf, data + off + FRAME_HEADER, len);
        body(&arena, buf, len);
        off += FRAME_HEADER + len;
    }
    return 0;
}
