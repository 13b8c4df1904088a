/*
 * test_codec.c — proto/codec.c on bytes made by hand: round trips at the
 * extremes and with payloads of 0, 1, 4k and 1m bytes; a side's limit to
 * the byte; the worst messages for the arena decoding inside it at several
 * limits; many tiny fields refused before protobuf-c sees them; old-schema
 * messages; bytes cut short or garbled, and a full arena, each refused with
 * its own code and sentence.
 */
#include "codec.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct codec_arena arena;

static void setup(void)
{
    codec_arena_init(&arena);
}

static void teardown(void)
{
    codec_arena_free(&arena);
}

/* A varint at out; its length. */
static size_t put_varint(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

/* A length-delimited field (tag byte, length, len bytes of fill); its size. */
static size_t put_bytes_field(uint8_t *out, uint8_t tag, size_t len, uint8_t fill)
{
    size_t n = 0;
    out[n++] = tag;
    n += put_varint(out + n, len);
    memset(out + n, fill, len);
    return n + len;
}

/* The worst CODEC_MSG_MAX bytes for protobuf-c: value 41, then two-byte
 * unknown fields (field 4, varint 0) to the end. */
static size_t most_fields(uint8_t out[CODEC_MSG_MAX])
{
    out[0] = 0x08;
    out[1] = 41;
    for (size_t i = 2; i + 1 < CODEC_MSG_MAX; i += 2) {
        out[i] = 0x20;
        out[i + 1] = 0;
    }
    return CODEC_MSG_MAX / 2 * 2;
}

/* The worst of `limit` bytes for the arena with a pre-scan that allows
 * CODEC_FIELDS_MAX fields: value 41, then unknown fields each copied into
 * 17 bytes (16 bytes of rounding lost), the last one long enough to end
 * exactly at limit. Every field costs its record, its slab entry, its
 * rounding, and the bytes are copied once. */
static size_t worst_for_arena(uint8_t *out, size_t limit)
{
    size_t n = 0;
    out[n++] = 0x08;
    out[n++] = 41;
    /* protobuf-c copies an unknown field's bytes after its tag: prefix
     * (1) + 16 = 17 bytes, which rounds up to 32. */
    for (unsigned f = 1; f + 1 < CODEC_FIELDS_MAX; f++)
        n += put_bytes_field(out + n, 0x22, 16, 'u');
    /* the last field fills to the limit: tag, prefix, and the rest */
    const size_t rest = limit - n;
    size_t body = rest - 2;
    while (1 + (body < 128 ? 1 : body < 16384 ? 2 : body < (1u << 21) ? 3 : 4) + body > rest)
        body--;
    n += put_bytes_field(out + n, 0x2a, body, 'w');
    return n;
}

/* A message of value 41, id 7 and a payload field of n bytes; its size. */
static size_t with_payload(uint8_t *out, size_t n)
{
    out[0] = 0x08;
    out[1] = 41;
    out[2] = 0x10;
    out[3] = 7;
    return 4 + put_bytes_field(out + 4, 0x1a, n, 'p');
}

START_TEST(extremes_round_trip_within_the_packed_size)
{
    static const struct {
        int64_t value;
        uint64_t id;
    } cases[] = { { 0, 0 }, { 1, 1 }, { -1, 7 }, { INT64_MAX, UINT64_MAX },
                  { INT64_MIN, UINT64_MAX }, { INT64_MIN, 0 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[CODEC_PACKED_MAX];
        int64_t v = 0;
        uint64_t id = 0;
        size_t n = codec_pack_request(cases[i].value, cases[i].id, b);
        ck_assert_uint_le(n, CODEC_PACKED_MAX);
        ck_assert_int_eq(codec_unpack_request(&arena, b, n, &v, &id), CODEC_OK);
        ck_assert_int_eq(v, cases[i].value);
        ck_assert_uint_eq(id, cases[i].id);

        n = codec_pack_reply(cases[i].value, cases[i].id, b);
        ck_assert_uint_le(n, CODEC_PACKED_MAX);
        v = 0;
        id = 0;
        ck_assert_int_eq(codec_unpack_reply(&arena, b, n, &v, &id), CODEC_OK);
        ck_assert_int_eq(v, cases[i].value);
        ck_assert_uint_eq(id, cases[i].id);
    }
    /* A negative value and a full id take every byte CODEC_PACKED_MAX allows. */
    uint8_t b[CODEC_PACKED_MAX];
    ck_assert_uint_eq(codec_pack_request(INT64_MIN, UINT64_MAX, b), CODEC_PACKED_MAX);
}
END_TEST

/* Each payload size both ways, packed within codec_packed_max and decoded
 * back by a side whose payload is that size: the bytes and their length. */
START_TEST(payloads_of_0_1_4k_and_1m_round_trip)
{
    static const size_t sizes[] = { 0, 1, 4096, 1u << 20 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const size_t n = sizes[i];
        uint8_t *src = malloc(n + 1);
        uint8_t *out = malloc(codec_packed_max(n));
        ck_assert(src != NULL && out != NULL);
        for (size_t k = 0; k < n; k++)
            src[k] = (uint8_t)(k * 7 + 3);
        struct codec_arena a;
        ck_assert_int_eq(codec_arena_init_payload(&a, n), 0);
        ck_assert_uint_eq(a.limit, CODEC_MSG_MAX + n);
        for (int request = 0; request < 2; request++) {
            const size_t len =
                request ? codec_pack_request_payload(INT64_MIN, UINT64_MAX, src, n, out)
                        : codec_pack_reply_payload(INT64_MIN, UINT64_MAX, src, n, out);
            ck_assert_uint_le(len, codec_packed_max(n));
            ck_assert_uint_le(codec_packed_max(n), codec_msg_limit(n));
            struct codec_msg m = { 0 };
            const enum codec_result rc = request ? codec_decode_request(&a, out, len, &m)
                                                 : codec_decode_reply(&a, out, len, &m);
            ck_assert_int_eq(rc, CODEC_OK);
            ck_assert_int_eq(m.value, INT64_MIN);
            ck_assert_uint_eq(m.id, UINT64_MAX);
            ck_assert_uint_eq(m.payload_len, n);
            ck_assert(n == 0 ? m.payload == NULL : memcmp(m.payload, src, n) == 0);
        }
        /* Payload 0 packs the bytes of the calls without one. */
        if (n == 0) {
            uint8_t b[CODEC_PACKED_MAX];
            ck_assert_uint_eq(codec_pack_request(INT64_MIN, UINT64_MAX, b), CODEC_PACKED_MAX);
            ck_assert_mem_eq(b, out, CODEC_PACKED_MAX);
        }
        codec_arena_free(&a);
        free(src);
        free(out);
    }
}
END_TEST

START_TEST(an_empty_message_is_zero_and_zero)
{
    int64_t v = 5;
    uint64_t id = 5;
    ck_assert_int_eq(codec_unpack_reply(&arena, (const uint8_t *)"", 0, &v, &id), CODEC_OK);
    ck_assert_int_eq(v, 0);
    ck_assert_uint_eq(id, 0);
}
END_TEST

/* The arena holds the most protobuf-c can ask for a message within the
 * limit, every time (each decode resets it), and fields it does not know
 * (a newer peer's) are skipped. */
START_TEST(the_worst_message_within_the_limit_decodes_in_the_arena)
{
    uint8_t m[CODEC_MSG_MAX];
    const size_t n = most_fields(m);
    for (int round = 0; round < 1000; round++) {
        int64_t v = 0;
        uint64_t id = 9;
        ck_assert_int_eq(codec_unpack_request(&arena, m, n, &v, &id), CODEC_OK);
        ck_assert_int_eq(v, 41);
        ck_assert_uint_eq(id, 0);
        ck_assert(!arena.full);
        ck_assert_uint_le(arena.used, arena.cap);
    }
    /* One long unknown field instead: a field a newer peer appends. */
    uint8_t p[CODEC_MSG_MAX] = { 0x08, 41, 0x10, 7, 0x22, CODEC_MSG_MAX - 6 };
    memset(p + 6, 'x', CODEC_MSG_MAX - 6);
    int64_t v = 0;
    uint64_t id = 0;
    ck_assert_int_eq(codec_unpack_reply(&arena, p, sizeof p, &v, &id), CODEC_OK);
    ck_assert_int_eq(v, 41);
    ck_assert_uint_eq(id, 7);
}
END_TEST

/* At each limit, the message that costs protobuf-c the most arena (the
 * most fields the pre-scan allows, each wasting an alignment unit, and
 * every byte to the limit copied) decodes, and so does the same limit's
 * worth of one payload field repeated CODEC_FIELDS_MAX times (proto3's
 * last-one-wins: protobuf-c copies each). */
START_TEST(the_worst_message_for_the_arena_decodes_at_several_limits)
{
    static const size_t payloads[] = { 0, 1, 1000, 4096, 65536, 1u << 20 };
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        const size_t limit = codec_msg_limit(payloads[i]);
        struct codec_arena a;
        ck_assert_int_eq(codec_arena_init_payload(&a, payloads[i]), 0);
        uint8_t *m = malloc(limit);
        ck_assert_ptr_nonnull(m);
        /* below ~550 bytes the many fields cannot be long: most_fields */
        const bool roomy = limit >= 2 + (CODEC_FIELDS_MAX - 2) * 18 + 3;
        const size_t n = roomy ? worst_for_arena(m, limit) : most_fields(m);
        ck_assert_uint_eq(n, roomy ? limit : CODEC_MSG_MAX);
        struct codec_msg msg;
        ck_assert_msg(codec_decode_request(&a, m, n, &msg) == CODEC_OK,
                      "limit %zu: %s (%zu of %zu arena bytes)", limit,
                      codec_why(codec_decode_request(&a, m, n, &msg)), a.used, a.cap);
        ck_assert_int_eq(msg.value, 41);
        ck_assert(!a.full);
        /* The same length as CODEC_FIELDS_MAX payload fields, the last wins. */
        size_t at = 0;
        /* each field: its tag, a length of at most 3 bytes, `each` bytes */
        const size_t share = limit / CODEC_FIELDS_MAX;
        const size_t each = share > 4 ? share - 4 : 0;
        for (unsigned f = 0; f + 1 < CODEC_FIELDS_MAX; f++)
            at += put_bytes_field(m + at, 0x1a, each, 'a');
        at += put_bytes_field(m + at, 0x1a, each, 'z');
        ck_assert_uint_le(at, limit);
        ck_assert_int_eq(codec_decode_reply(&a, m, at, &msg), CODEC_OK);
        ck_assert_uint_eq(msg.payload_len, each);
        ck_assert(each == 0 || (msg.payload[0] == 'z' && msg.payload[each - 1] == 'z'));
        free(m);
        codec_arena_free(&a);
    }
}
END_TEST

/* A side's limit is its payload plus CODEC_MSG_MAX: a message of exactly
 * that many bytes is taken, one more is too big, at payload 0 as at 4k. */
START_TEST(a_message_at_the_limit_passes_and_one_byte_over_is_too_big)
{
    static const size_t payloads[] = { 0, 4096 };
    for (size_t i = 0; i < 2; i++) {
        struct codec_arena a;
        ck_assert_int_eq(codec_arena_init_payload(&a, payloads[i]), 0);
        const size_t limit = CODEC_MSG_MAX + payloads[i];
        ck_assert_uint_eq(a.limit, limit);
        uint8_t *m = malloc(limit + 1);
        ck_assert_ptr_nonnull(m);
        /* value 41, id 7 (4 bytes), and one payload field to the limit:
         * its tag, a 1- or 2-byte length, and the rest */
        const size_t body = limit - 4 - 1 - (limit - 5 < 128 ? 1 : 2);
        ck_assert_uint_eq(with_payload(m, body), limit);
        struct codec_msg msg;
        ck_assert_int_eq(codec_decode_request(&a, m, limit, &msg), CODEC_OK);
        ck_assert_int_eq(msg.value, 41);
        ck_assert_uint_eq(msg.payload_len, body);
        ck_assert_uint_eq(with_payload(m, body + 1), limit + 1);
        ck_assert_int_eq(codec_decode_request(&a, m, limit + 1, &msg), CODEC_TOO_BIG);
        ck_assert_int_eq(codec_decode_reply(&a, m, limit + 1, &msg), CODEC_TOO_BIG);
        free(m);
        codec_arena_free(&a);
    }
    /* The calls without payload refuse by the same limit. */
    uint8_t m[CODEC_MSG_MAX + 1] = { 0x08, 41, 0x22, CODEC_MSG_MAX + 1 - 4 };
    memset(m + 4, 'x', sizeof m - 4);
    int64_t v = 0;
    uint64_t id = 0;
    ck_assert_int_eq(codec_unpack_request(&arena, m, sizeof m, &v, &id), CODEC_TOO_BIG);
    ck_assert_int_eq(codec_unpack_reply(&arena, m, sizeof m, &v, &id), CODEC_TOO_BIG);
    ck_assert_int_eq(v, 0);
    ck_assert_ptr_nonnull(strstr(codec_why(CODEC_TOO_BIG), "plus 64 bytes"));
    m[3]--;
    ck_assert_int_eq(codec_unpack_request(&arena, m, sizeof m - 1, &v, &id), CODEC_OK);
    ck_assert_int_eq(v, 41);
}
END_TEST

/* Thousands of two-byte unknown fields within a 1 MiB limit would cost
 * protobuf-c ~50 bytes of arena each: the pre-scan refuses them, and
 * CODEC_FIELDS_MAX fields are still taken. */
START_TEST(a_message_of_many_tiny_fields_is_refused_without_overflowing)
{
    struct codec_arena a;
    ck_assert_int_eq(codec_arena_init_payload(&a, 1u << 20), 0);
    const size_t len = 1u << 20;
    uint8_t *m = malloc(len);
    ck_assert_ptr_nonnull(m);
    for (size_t i = 0; i < len; i += 2) {
        m[i] = 0x20;
        m[i + 1] = 0;
    }
    struct codec_msg msg;
    ck_assert_int_eq(codec_decode_request(&a, m, len, &msg), CODEC_TOO_MANY_FIELDS);
    ck_assert_uint_eq(a.used, 0);    /* protobuf-c never ran */
    ck_assert_ptr_nonnull(strstr(codec_why(CODEC_TOO_MANY_FIELDS), "32 fields"));
    /* One over and exactly at the bound, just past where the pre-scan starts. */
    ck_assert_int_eq(codec_decode_reply(&a, m, 2 * CODEC_FIELDS_MAX + 2, &msg),
                     CODEC_TOO_MANY_FIELDS);
    /* value 41, 30 two-byte fields, and a three-byte one: 32 in 65 bytes */
    m[0] = 0x08;
    m[1] = 41;
    m[2 * CODEC_FIELDS_MAX - 2] = 0x22;
    m[2 * CODEC_FIELDS_MAX - 1] = 1;
    m[2 * CODEC_FIELDS_MAX] = 'x';
    ck_assert_int_eq(codec_decode_reply(&a, m, 2 * CODEC_FIELDS_MAX + 1, &msg), CODEC_OK);
    ck_assert_int_eq(msg.value, 41);
    free(m);
    codec_arena_free(&a);
}
END_TEST

/* A peer built before field 3 sends value and id only: the payload is
 * empty. The bytes are the same as a payload-0 message of ours. */
START_TEST(an_old_schema_message_decodes_with_payload_length_0)
{
    static const uint8_t old[] = { 0x08, 41, 0x10, 7 };
    struct codec_arena a;
    ck_assert_int_eq(codec_arena_init_payload(&a, 4096), 0);
    struct codec_msg m = { .payload = old, .payload_len = 99 };
    ck_assert_int_eq(codec_decode_request(&a, old, sizeof old, &m), CODEC_OK);
    ck_assert_int_eq(m.value, 41);
    ck_assert_uint_eq(m.id, 7);
    ck_assert_uint_eq(m.payload_len, 0);
    ck_assert_ptr_null(m.payload);
    uint8_t b[CODEC_PACKED_MAX];
    ck_assert_uint_eq(codec_pack_reply(41, 7, b), sizeof old);
    ck_assert_mem_eq(b, old, sizeof old);
    codec_arena_free(&a);
}
END_TEST

/* A side without payload takes a message with field 3 only within its
 * 64-byte limit; decoded, the payload is there to see. */
START_TEST(a_payload_decodes_on_a_payload_0_side_only_within_its_limit)
{
    uint8_t m[CODEC_MSG_MAX + 1];
    struct codec_msg msg;
    const size_t fits = with_payload(m, CODEC_MSG_MAX - 6);
    ck_assert_uint_eq(fits, CODEC_MSG_MAX);
    ck_assert_int_eq(codec_decode_request(&arena, m, fits, &msg), CODEC_OK);
    ck_assert_uint_eq(msg.payload_len, CODEC_MSG_MAX - 6);
    ck_assert_int_eq(msg.payload[0], 'p');
    int64_t v = 0;
    uint64_t id = 0;
    ck_assert_int_eq(codec_unpack_request(&arena, m, fits, &v, &id), CODEC_OK);
    ck_assert_int_eq(v, 41);
    ck_assert_int_eq(codec_decode_request(&arena, m, with_payload(m, CODEC_MSG_MAX - 5), &msg),
                     CODEC_TOO_BIG);
    /* field 3 as a varint is no payload: protobuf-c refuses the wire type */
    static const uint8_t wrong[] = { 0x08, 41, 0x18, 0 };
    ck_assert_int_eq(codec_decode_request(&arena, wrong, sizeof wrong, &msg),
                     CODEC_NOT_MESSAGE);
}
END_TEST

/* Every prefix of the longest message either ends between fields (a
 * shorter message) or cuts a varint, which must be refused. */
START_TEST(bytes_cut_short_are_not_a_message)
{
    uint8_t b[CODEC_PACKED_MAX];
    const size_t n = codec_pack_request(INT64_MIN, UINT64_MAX, b);
    ck_assert_uint_eq(n, 22);
    for (size_t len = 1; len < n; len++) {
        int64_t v = 0;
        uint64_t id = 0;
        const enum codec_result rc = codec_unpack_request(&arena, b, len, &v, &id);
        if (len == 11) {
            ck_assert_int_eq(rc, CODEC_OK);
            ck_assert_int_eq(v, INT64_MIN);
        } else {
            ck_assert_msg(rc == CODEC_NOT_MESSAGE, "%zu of %zu bytes: %d", len, n, rc);
        }
    }
}
END_TEST

/* Garbage, short and past the pre-scan's threshold alike: the pre-scan
 * refuses what protobuf-c would. */
START_TEST(garbage_is_not_a_message)
{
    static const struct {
        uint8_t b[8];
        size_t n;
    } cases[] = {
        { { 0x08, 0xff }, 2 },                 /* varint cut short */
        { { 0x0f, 0x01 }, 2 },                 /* wire type 7 */
        { { 0x0b, 0x01 }, 2 },                 /* wire type 3, a group */
        { { 0x22, 0x10, 0x00 }, 3 },           /* bytes past the end */
        { { 0x00, 0x01 }, 2 },                 /* field number 0 */
        { { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 8 }, /* endless varint */
        { { 0x89, 0x80, 0x80, 0x80, 0x80, 0x01 }, 6 }, /* a six-byte tag */
        { { 0x22, 0xff, 0xff, 0xff, 0xff, 0x0f }, 6 }, /* a length over INT_MAX */
        { { 0x09, 1, 2, 3 }, 4 },              /* 64-bit cut short */
        { { 'G', 'E', 'T', ' ', '/', 'i' }, 6 }, /* text */
    };
    struct codec_arena a;
    ck_assert_int_eq(codec_arena_init_payload(&a, 4096), 0);
    uint8_t big[2 * CODEC_FIELDS_MAX + 8 + 8];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 0;
        uint64_t id = 0;
        ck_assert_msg(codec_unpack_reply(&arena, cases[i].b, cases[i].n, &v, &id) ==
                          CODEC_NOT_MESSAGE, "case %zu", i);
        ck_assert_msg(codec_unpack_request(&arena, cases[i].b, cases[i].n, &v, &id) ==
                          CODEC_NOT_MESSAGE, "case %zu", i);
        ck_assert(!arena.full);
        /* behind a long first field, so the pre-scan judges it */
        const size_t lead = put_bytes_field(big, 0x22, 2 * CODEC_FIELDS_MAX, 'x');
        memcpy(big + lead, cases[i].b, cases[i].n);
        struct codec_msg m;
        ck_assert_msg(codec_decode_request(&a, big, lead + cases[i].n, &m) == CODEC_NOT_MESSAGE,
                      "case %zu behind a long field", i);
        ck_assert_uint_eq(a.used, 0);
    }
    ck_assert_ptr_nonnull(strstr(codec_why(CODEC_NOT_MESSAGE), "not well-formed"));
    codec_arena_free(&a);
}
END_TEST

/* An arena too small for a message says so, distinct from bad bytes, and
 * a decode that fits afterwards is not blamed for it. */
START_TEST(a_full_arena_is_refused_as_such)
{
    uint8_t b[CODEC_PACKED_MAX];
    const size_t n = codec_pack_reply(41, 7, b);
    int64_t v = 0;
    uint64_t id = 0;
    arena.cap = 8; /* less than the message struct itself */
    ck_assert_int_eq(codec_unpack_reply(&arena, b, n, &v, &id), CODEC_ARENA_FULL);
    ck_assert(arena.full);
    ck_assert_ptr_nonnull(strstr(codec_why(CODEC_ARENA_FULL), "arena"));
    /* Room for the message, not for the records of unknown fields. */
    uint8_t m[CODEC_MSG_MAX];
    arena.cap = 64;
    ck_assert_int_eq(codec_unpack_request(&arena, m, most_fields(m), &v, &id),
                     CODEC_ARENA_FULL);
    arena.cap = sizeof arena.small;
    ck_assert_int_eq(codec_unpack_reply(&arena, b, n, &v, &id), CODEC_OK);
    ck_assert(!arena.full);
    ck_assert_int_eq(v, 41);
    ck_assert_uint_eq(id, 7);
}
END_TEST

/* A payload too large to be had is refused at init, and the arena is
 * still one that codec_arena_free takes. */
START_TEST(an_arena_that_cannot_be_had_is_refused_at_init)
{
    struct codec_arena a;
    ck_assert_int_eq(codec_arena_init_payload(&a, SIZE_MAX - 8), -1);
    ck_assert_uint_eq(a.limit, CODEC_MSG_MAX);
    codec_arena_free(&a);
    ck_assert_uint_eq(codec_msg_limit(SIZE_MAX), SIZE_MAX);
    ck_assert_uint_eq(codec_arena_bytes(SIZE_MAX), SIZE_MAX);
}
END_TEST

START_TEST(every_refusal_has_its_own_sentence)
{
    const char *const why[] = { codec_why(CODEC_NOT_MESSAGE), codec_why(CODEC_TOO_BIG),
                                codec_why(CODEC_ARENA_FULL),
                                codec_why(CODEC_TOO_MANY_FIELDS) };
    for (size_t i = 0; i < 4; i++) {
        ck_assert_uint_gt(strlen(why[i]), 10);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(why[i], why[j]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("proto codec");
    TCase *tc = tcase_create("codec");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, extremes_round_trip_within_the_packed_size);
    tcase_add_test(tc, payloads_of_0_1_4k_and_1m_round_trip);
    tcase_add_test(tc, an_empty_message_is_zero_and_zero);
    tcase_add_test(tc, the_worst_message_within_the_limit_decodes_in_the_arena);
    tcase_add_test(tc, the_worst_message_for_the_arena_decodes_at_several_limits);
    tcase_add_test(tc, a_message_at_the_limit_passes_and_one_byte_over_is_too_big);
    tcase_add_test(tc, a_message_of_many_tiny_fields_is_refused_without_overflowing);
    tcase_add_test(tc, an_old_schema_message_decodes_with_payload_length_0);
    tcase_add_test(tc, a_payload_decodes_on_a_payload_0_side_only_within_its_limit);
    tcase_add_test(tc, bytes_cut_short_are_not_a_message);
    tcase_add_test(tc, garbage_is_not_a_message);
    tcase_add_test(tc, a_full_arena_is_refused_as_such);
    tcase_add_test(tc, an_arena_that_cannot_be_had_is_refused_at_init);
    tcase_add_test(tc, every_refusal_has_its_own_sentence);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
