/*
 * fuzz_frame.c — libFuzzer harness for the protobuf transports' decoding:
 * the input is a byte stream cut into tcp frames as the stream server and
 * client cut it (plugins/common/stream_frame.h: 4-byte header, body of at
 * most the side's limit), or one bare body as gRPC decodes it, each body
 * decoded by proto/codec.c as a request and as a reply on an arena sized
 * for one of four payload settings (0, 1, 100, 4096 bytes; the first byte
 * chooses). Besides "no crash": the arena is never full (codec.h promises
 * it holds the worst message within the limit), the limit holds to the
 * byte, the pre-scan refuses only what protobuf-c itself refuses (checked
 * against protobuf-c on the heap) or too many fields, and a decoded
 * message packs and decodes back to the same value, id and payload.
 */
#include "codec.h"
#include "increment.pb-c.h"
#include "stream_frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t payloads[4] = { 0, 1, 100, 4096 };
#define PAYLOAD_MOST 4096

static struct codec_arena arenas[4];
static struct codec_arena wide;        /* for round trips: any repacked message */
static uint8_t packed[CODEC_PACKED_MAX + CODEC_PAYLOAD_OVERHEAD + CODEC_MSG_MAX + PAYLOAD_MOST];
static uint8_t kept[CODEC_MSG_MAX + PAYLOAD_MOST];

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    for (size_t i = 0; i < 4; i++)
        if (codec_arena_init_payload(&arenas[i], payloads[i]) != 0)
            abort();
    if (codec_arena_init_payload(&wide, PAYLOAD_MOST + CODEC_MSG_MAX) != 0)
        abort();
}

/* What protobuf-c makes of the bytes on its own, on the heap. */
static int protobuf_c_takes(bool request, const uint8_t *p, size_t len)
{
    if (request) {
        Incbench__IncrementRequest *m = incbench__increment_request__unpack(NULL, len, p);
        incbench__increment_request__free_unpacked(m, NULL);
        return m != NULL;
    }
    Incbench__IncrementReply *m = incbench__increment_reply__unpack(NULL, len, p);
    incbench__increment_reply__free_unpacked(m, NULL);
    return m != NULL;
}

static void round_trip(bool request, const struct codec_msg *m)
{
    if (m->payload_len > sizeof kept)
        abort();
    if (m->payload_len > 0)
        memcpy(kept, m->payload, m->payload_len);   /* the next decode resets the arena */
    if (codec_packed_max(m->payload_len) > sizeof packed)
        abort();
    const size_t n = request
        ? codec_pack_request_payload(m->value, m->id, kept, m->payload_len, packed)
        : codec_pack_reply_payload(m->value, m->id, kept, m->payload_len, packed);
    struct codec_msg back;
    const enum codec_result rc = request ? codec_decode_request(&wide, packed, n, &back)
                                         : codec_decode_reply(&wide, packed, n, &back);
    if (n > codec_packed_max(m->payload_len) || rc != CODEC_OK || back.value != m->value ||
        back.id != m->id || back.payload_len != m->payload_len ||
        (back.payload_len > 0 && memcmp(back.payload, kept, back.payload_len) != 0))
        abort();
}

static void body(struct codec_arena *a, const uint8_t *p, size_t len)
{
    for (int request = 0; request < 2; request++) {
        struct codec_msg m;
        const enum codec_result rc = request ? codec_decode_request(a, p, len, &m)
                                             : codec_decode_reply(a, p, len, &m);
        if (rc == CODEC_ARENA_FULL || (rc == CODEC_TOO_BIG) != (len > a->limit))
            abort();
        if (codec_why(rc) == NULL || (rc != CODEC_OK && codec_why(rc)[0] == '\0'))
            abort();
        if (rc == CODEC_TOO_MANY_FIELDS && len <= 2 * CODEC_FIELDS_MAX)
            abort();   /* so few bytes cannot hold that many fields */
        if ((rc == CODEC_OK || rc == CODEC_NOT_MESSAGE) &&
            protobuf_c_takes(request, p, len) != (rc == CODEC_OK))
            abort();
        if (rc == CODEC_OK)
            round_trip(request, &m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    /* the first byte chooses: bit 0 the stream as frames or one bare body
     * (gRPC), bits 1-2 the side's payload setting */
    struct codec_arena *a = &arenas[size > 0 ? (data[0] >> 1) & 3 : 0];
    if (size > 0 && data[0] & 1) {
        uint8_t *copy = malloc(size - 1 ? size - 1 : 1);
        if (copy == NULL)
            return 0;
        memcpy(copy, data + 1, size - 1);    /* exact size: ASan sees overreads */
        body(a, copy, size - 1);
        free(copy);
        return 0;
    }
    size_t off = size > 0 ? 1 : 0;
    while (size - off >= FRAME_HEADER) {
        uint32_t len = frame_get32(data + off) & FRAME_LEN_MASK;
        if (len > a->limit)
            return 0;    /* what the stream server refuses from its header alone */
        if (size - off - FRAME_HEADER < len)
            return 0;    /* a partial frame: the reader waits for more */
        uint8_t *buf = malloc(len ? len : 1);   /* exact size, as above */
        if (buf == NULL)
            return 0;
        memcpy(buf, data + off + FRAME_HEADER, len);
        body(a, buf, len);
        free(buf);
        off += FRAME_HEADER + len;
    }
    return 0;
}
