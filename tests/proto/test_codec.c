/*
 * test_codec.c — proto/codec.c on bytes made by hand: round trips at the
 * extremes, the worst message within the limit decoding inside the arena,
 * one byte over the limit, bytes cut short or garbled, and a full arena,
 * each refused with its own code and sentence.
 */
#include "codec.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct codec_arena arena;

static void setup(void)
{
    codec_arena_init(&arena);
}

/* The worst CODEC_MSG_MAX bytes for protobuf-c: value 41, then two-byte
 * unknown fields (field 3, varint 0) to the end. */
static size_t most_fields(uint8_t out[CODEC_MSG_MAX])
{
    out[0] = 0x08;
    out[1] = 41;
    for (size_t i = 2; i + 1 < CODEC_MSG_MAX; i += 2) {
        out[i] = 0x18;
        out[i + 1] = 0;
    }
    return CODEC_MSG_MAX / 2 * 2;
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
    /* One long unknown field instead: a payload a newer peer appends. */
    uint8_t p[CODEC_MSG_MAX] = { 0x08, 41, 0x10, 7, 0x22, CODEC_MSG_MAX - 6 };
    memset(p + 6, 'x', CODEC_MSG_MAX - 6);
    int64_t v = 0;
    uint64_t id = 0;
    ck_assert_int_eq(codec_unpack_reply(&arena, p, sizeof p, &v, &id), CODEC_OK);
    ck_assert_int_eq(v, 41);
    ck_assert_uint_eq(id, 7);
}
END_TEST

/* One byte over is refused by its length, even as well-formed protobuf. */
START_TEST(a_message_over_the_limit_is_too_big)
{
    uint8_t m[CODEC_MSG_MAX + 1] = { 0x08, 41, 0x22, CODEC_MSG_MAX + 1 - 4 };
    memset(m + 4, 'x', sizeof m - 4);
    int64_t v = 0;
    uint64_t id = 0;
    ck_assert_int_eq(codec_unpack_request(&arena, m, sizeof m, &v, &id), CODEC_TOO_BIG);
    ck_assert_int_eq(codec_unpack_reply(&arena, m, sizeof m, &v, &id), CODEC_TOO_BIG);
    ck_assert_int_eq(v, 0);
    ck_assert_ptr_nonnull(strstr(codec_why(CODEC_TOO_BIG), "64-byte limit"));
    /* The same field one byte shorter is taken. */
    m[3]--;
    ck_assert_int_eq(codec_unpack_request(&arena, m, sizeof m - 1, &v, &id), CODEC_OK);
    ck_assert_int_eq(v, 41);
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

START_TEST(garbage_is_not_a_message)
{
    static const struct {
        uint8_t b[8];
        size_t n;
    } cases[] = {
        { { 0x08, 0xff }, 2 },                 /* varint cut short */
        { { 0x0f, 0x01 }, 2 },                 /* wire type 7 */
        { { 0x22, 0x10, 0x00 }, 3 },           /* bytes past the end */
        { { 0x00, 0x01 }, 2 },                 /* field number 0 */
        { { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 8 }, /* endless varint */
        { { 'G', 'E', 'T', ' ', '/', 'i' }, 6 }, /* text */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 0;
        uint64_t id = 0;
        ck_assert_msg(codec_unpack_reply(&arena, cases[i].b, cases[i].n, &v, &id) ==
                          CODEC_NOT_MESSAGE, "case %zu", i);
        ck_assert_msg(codec_unpack_request(&arena, cases[i].b, cases[i].n, &v, &id) ==
                          CODEC_NOT_MESSAGE, "case %zu", i);
        ck_assert(!arena.full);
    }
    ck_assert_ptr_nonnull(strstr(codec_why(CODEC_NOT_MESSAGE), "not well-formed"));
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
    arena.cap = sizeof arena.buf;
    ck_assert_int_eq(codec_unpack_reply(&arena, b, n, &v, &id), CODEC_OK);
    ck_assert(!arena.full);
    ck_assert_int_eq(v, 41);
    ck_assert_uint_eq(id, 7);
}
END_TEST

START_TEST(every_refusal_has_its_own_sentence)
{
    const char *const why[] = { codec_why(CODEC_NOT_MESSAGE), codec_why(CODEC_TOO_BIG),
                                codec_why(CODEC_ARENA_FULL) };
    for (size_t i = 0; i < 3; i++) {
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
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, extremes_round_trip_within_the_packed_size);
    tcase_add_test(tc, an_empty_message_is_zero_and_zero);
    tcase_add_test(tc, the_worst_message_within_the_limit_decodes_in_the_arena);
    tcase_add_test(tc, a_message_over_the_limit_is_too_big);
    tcase_add_test(tc, bytes_cut_short_are_not_a_message);
    tcase_add_test(tc, garbage_is_not_a_message);
    tcase_add_test(tc, a_full_arena_is_refused_as_such);
    tcase_add_test(tc, every_refusal_has_its_own_sentence);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
