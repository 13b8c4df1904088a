/*
 * test_payload.c — plugins/common/payload.c on its own: the bytes a
 * `payload` key makes (that many, printable base64url, the same every
 * run, not one byte repeated), its bad values refused by name with *out
 * left freeable, and payload_check's sentences: both lengths, the first
 * differing byte with verify, and nothing but the length without it.
 */
#include "payload.h"
#include "harness.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(absent_keys_make_no_bytes_and_no_verify)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:1", 1000, NULL);
    struct payload p;
    char err[256] = "";
    ck_assert_msg(payload_read(&hp.p, "t", &p, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(p.len, 0);
    ck_assert_ptr_null(p.bytes);
    ck_assert(!p.verify);
    ck_assert_int_eq(payload_check(&p, NULL, 0, "t", err, sizeof err), 0);
    payload_free(&p);
}
END_TEST

START_TEST(payload_4096_makes_4096_printable_varied_bytes_the_same_every_time)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:1", 1000, "payload", "4096", "verify", "true", NULL);
    struct payload p;
    char err[256] = "";
    ck_assert_msg(payload_read(&hp.p, "t", &p, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(p.len, 4096);
    ck_assert(p.verify);
    ck_assert_ptr_nonnull(p.bytes);
    static const char b64url[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    bool seen[256] = { false };
    unsigned kinds = 0;
    for (size_t i = 0; i < p.len; i++) {
        ck_assert_msg(p.bytes[i] != 0 && strchr(b64url, p.bytes[i]) != NULL,
                      "byte %zu is %d", i, p.bytes[i]);
        if (!seen[p.bytes[i]]) {
            seen[p.bytes[i]] = true;
            kinds++;
        }
    }
    ck_assert_uint_eq(kinds, 64);
    uint8_t again[4096];
    payload_fill(again, sizeof again);
    ck_assert(memcmp(again, p.bytes, sizeof again) == 0);
    payload_free(&p);
    ck_assert_ptr_null(p.bytes);
    ck_assert_uint_eq(p.len, 0);
}
END_TEST

START_TEST(bad_values_are_refused_by_name)
{
    static const struct {
        const char *key, *value;
    } bad[] = { { "payload", "abc" }, { "payload", "-1" }, { "payload", "1k" },
                { "payload", "67108865" }, { "verify", "maybe" } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct harness_params hp;
        harness_params(&hp, "127.0.0.1:1", 1000, "payload", "16", bad[i].key, bad[i].value,
                       NULL);
        char want[64], err[256] = "";
        snprintf(want, sizeof want, "'%s' = '%s'", bad[i].key, bad[i].value);
        struct payload p;
        ck_assert_int_eq(payload_read(&hp.p, "t", &p, err, sizeof err), -1);
        ck_assert_msg(strstr(err, want) != NULL, "%s", err);
        payload_free(&p);
        unsigned len;
        bool verify;
        err[0] = '\0';
        ck_assert_int_eq(payload_keys_read(&hp.p, "t", &len, &verify, err, sizeof err), -1);
        ck_assert_msg(strstr(err, want) != NULL, "keys: %s", err);
    }
}
END_TEST

/* A payload of 4096 made by payload_read, with verify on or off. */
static struct payload made(bool verify)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:1", 1000, "payload", "4096", "verify",
                   verify ? "true" : "false", NULL);
    struct payload p;
    char err[256] = "";
    ck_assert_msg(payload_read(&hp.p, "t", &p, err, sizeof err) == 0, "%s", err);
    return p;
}

START_TEST(a_wrong_length_is_refused_naming_both_verify_or_not)
{
    for (int verify = 0; verify < 2; verify++) {
        struct payload p = made(verify);
        char err[256] = "";
        ck_assert_int_eq(payload_check(&p, p.bytes, 4095, "who", err, sizeof err), -1);
        ck_assert_msg(strstr(err, "who: ") == err && strstr(err, "4095 bytes") &&
                          strstr(err, "request's 4096"), "%s", err);
        ck_assert_int_eq(payload_check(&p, NULL, 0, "who", err, sizeof err), -1);
        ck_assert_int_eq(payload_check(&p, p.bytes, 4096, "who", err, sizeof err), 0);
        payload_free(&p);
    }
}
END_TEST

START_TEST(verify_names_the_first_differing_byte_and_without_it_only_length_counts)
{
    struct payload p = made(true);
    uint8_t *got = malloc(p.len);
    ck_assert_ptr_nonnull(got);
    memcpy(got, p.bytes, p.len);
    got[100] ^= 1;
    got[3000] ^= 1;
    char err[256] = "";
    ck_assert_int_eq(payload_check(&p, got, p.len, "who", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "who: ") == err && strstr(err, "differs") &&
                      strstr(err, "at byte 100 of 4096"), "%s", err);
    got[100] ^= 1;
    got[3000] ^= 1;
    got[p.len - 1] ^= 1;
    ck_assert_int_eq(payload_check(&p, got, p.len, "who", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "at byte 4095 of 4096"), "%s", err);
    got[p.len - 1] ^= 1;
    got[0] ^= 1;
    ck_assert_int_eq(payload_check(&p, got, p.len, "who", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "at byte 0 of 4096"), "%s", err);
    payload_free(&p);

    p = made(false);
    ck_assert_int_eq(payload_check(&p, got, p.len, "who", err, sizeof err), 0);
    payload_free(&p);
    free(got);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("payload");
    TCase *tc = tcase_create("payload");
    tcase_add_test(tc, absent_keys_make_no_bytes_and_no_verify);
    tcase_add_test(tc, payload_4096_makes_4096_printable_varied_bytes_the_same_every_time);
    tcase_add_test(tc, bad_values_are_refused_by_name);
    tcase_add_test(tc, a_wrong_length_is_refused_naming_both_verify_or_not);
    tcase_add_test(tc, verify_names_the_first_differing_byte_and_without_it_only_length_counts);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
