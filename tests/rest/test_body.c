/*
 * test_body.c — the JSON object the rest plugin's two sides exchange, read
 * by plugins/rest/body.c on its own: the forms it reads (any order, any
 * whitespace, members it skips), the payload found in place, the int64
 * range, and each refusal with its reason. No sockets here.
 */
#include "body.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *text, struct rest_body *b)
{
    return rest_body_parse(text, strlen(text), b);
}

START_TEST(the_plugins_own_form_is_read_in_place)
{
    const char *t = "{\"value\": 41, \"payload\": \"AbC-_09\"}";
    struct rest_body b;
    ck_assert_int_eq(parse(t, &b), 0);
    ck_assert(b.has_value && b.has_payload);
    ck_assert_int_eq(b.value, 41);
    ck_assert_ptr_eq(b.payload, strstr(t, "AbC"));
    ck_assert_uint_eq(b.payload_len, 7);
}
END_TEST

START_TEST(order_whitespace_and_unknown_members_do_not_matter)
{
    const char *t = " \r\n{ \"payload\" :\t\"\" ,\"note\": \"a \\\"quoted\\\" \\u00e9\", \"n\": -1.5e+3,"
                    " \"ok\": true, \"no\": false, \"x\": null, \"value\":-7 }\n";
    struct rest_body b;
    ck_assert_msg(parse(t, &b) == 0, "%s", b.why);
    ck_assert_int_eq(b.value, -7);
    ck_assert(b.has_payload);
    ck_assert_uint_eq(b.payload_len, 0);
}
END_TEST

START_TEST(absent_members_are_told_apart_from_empty_ones)
{
    struct rest_body b;
    ck_assert_int_eq(parse("{}", &b), 0);
    ck_assert(!b.has_value && !b.has_payload);
    ck_assert_int_eq(parse("{\"value\": 0}", &b), 0);
    ck_assert(b.has_value && !b.has_payload);
    ck_assert_ptr_null(b.payload);
}
END_TEST

START_TEST(values_across_the_int64_range)
{
    static const struct { const char *text; int64_t want; } ok[] = {
        { "{\"value\": 0}", 0 },
        { "{\"value\": -0}", 0 },
        { "{\"value\": 9223372036854775807}", INT64_MAX },
        { "{\"value\": -9223372036854775808}", INT64_MIN },
        { "{\"value\": -1}", -1 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct rest_body b;
        ck_assert_msg(parse(ok[i].text, &b) == 0, "%s: %s", ok[i].text, b.why);
        ck_assert_msg(b.value == ok[i].want, "%s gave %lld", ok[i].text, (long long)b.value);
    }
}
END_TEST

/* A megabyte of payload, with the one byte that is not allowed at each
 * place the eight-byte steps can leave it: found wherever it sits. */
START_TEST(a_bad_byte_anywhere_in_a_long_payload_is_found)
{
    const size_t n = 1 << 20;
    char *t = malloc(n + 64);
    ck_assert_ptr_nonnull(t);
    size_t head = (size_t)sprintf(t, "{\"payload\": \"");
    memset(t + head, 'x', n);
    strcpy(t + head + n, "\"}");
    struct rest_body b;
    ck_assert_int_eq(rest_body_parse(t, head + n + 2, &b), 0);
    ck_assert_uint_eq(b.payload_len, n);
    static const char bad[] = { '"', '\\', 0x1f, 0x7f, (char)0x80, (char)0xff, '\0' };
    for (size_t at = n - 17; at < n; at++) {
        for (size_t k = 0; k < sizeof bad; k++) {
            t[head + at] = bad[k];
            ck_assert_msg(rest_body_parse(t, head + n + 2, &b) == -1,
                          "byte 0x%02x at %zu was taken", (unsigned char)bad[k], at);
        }
        t[head + at] = 'x';
    }
    free(t);
}
END_TEST

static const struct { const char *text; const char *says; } refusals[] = {
    { "", "not a JSON object" },
    { "[1]", "not a JSON object" },
    { "{\"value\": 1", "does not end" },
    { "{\"value\": 1,}", "name is not a string" },
    { "{\"value\" 1}", "not followed by ':'" },
    { "{\"value\": 1} x", "bytes follow" },
    { "{\"value\": 1}{}", "bytes follow" },
    { "{\"value\": 1 \"payload\": \"\"}", "separated by ','" },
    { "{\"value\": \"1\"}", "'value' is not a number" },
    { "{\"value\": 1.0}", "'value' is not an integer" },
    { "{\"value\": 1e3}", "'value' is not an integer" },
    { "{\"value\": 9223372036854775808}", "out of the int64 range" },
    { "{\"value\": -9223372036854775809}", "out of the int64 range" },
    { "{\"value\": 99999999999999999999999}", "out of the int64 range" },
    { "{\"value\": 1, \"value\": 2}", "'value' appears twice" },
    { "{\"payload\": \"\", \"payload\": \"\"}", "'payload' appears twice" },
    { "{\"payload\": 5}", "'payload' is not a string" },
    { "{\"payload\": \"ab\\\\u0041\"}", "escape or a byte outside printable ASCII" },
    { "{\"payload\": \"ab", "payload string does not end" },
    { "{\"x\": {}}", "nested object or array" },
    { "{\"x\": [1]}", "nested object or array" },
    { "{\"x\": nul}", "not JSON" },
    { "{\"x\": \"a\\q\"}", "escape JSON does not know" },
    { "{\"x\": \"\\u12g4\"}", "unicode escape is not four hex digits" },
    { "{\"x\": \"a\tb\"}", "control character" },
    { "{\"x\": -}", "no digits" },
    { "{\"x\": 1.}", "no digits after its '.'" },
    { "{\"x\": 1e}", "no digits in its exponent" },
    { "{\"x\": ", "ends inside a member" },
};

START_TEST(refusals_say_why)
{
    struct rest_body b;
    ck_assert_msg(parse(refusals[_i].text, &b) == -1, "accepted: %s", refusals[_i].text);
    ck_assert_msg(b.why != NULL && strstr(b.why, refusals[_i].says) != NULL,
                  "%s: '%s' lacks '%s'", refusals[_i].text, b.why, refusals[_i].says);
}
END_TEST

/* Every prefix of a good object is refused, and never read past. */
START_TEST(no_prefix_is_taken_for_the_whole)
{
    const char *t = "{\"value\": -12, \"payload\": \"abcdefghijklmnop\", \"n\": 1.5e2}";
    for (size_t n = 0; n < strlen(t); n++) {
        char *copy = malloc(n + 1);   /* exactly n bytes matter: ASan sees a read past */
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, t, n);
        struct rest_body b;
        ck_assert_msg(rest_body_parse(copy, n, &b) == -1, "prefix of %zu taken", n);
        free(copy);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rest_body");
    TCase *tc = tcase_create("body");
    tcase_add_test(tc, the_plugins_own_form_is_read_in_place);
    tcase_add_test(tc, order_whitespace_and_unknown_members_do_not_matter);
    tcase_add_test(tc, absent_members_are_told_apart_from_empty_ones);
    tcase_add_test(tc, values_across_the_int64_range);
    tcase_add_test(tc, a_bad_byte_anywhere_in_a_long_payload_is_found);
    tcase_add_loop_test(tc, refusals_say_why, 0, (int)(sizeof refusals / sizeof refusals[0]));
    tcase_add_test(tc, no_prefix_is_taken_for_the_whole);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
