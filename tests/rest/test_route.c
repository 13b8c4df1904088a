/*
 * test_route.c — the rest server's reading of a path and a GET's query
 * (plugins/rest/route.c) on its own: every edge of the int64 range, the
 * POST path, payload=N, and each way a path or query can be refused, with
 * the peer's bytes made safe in the message.
 */
#include "route.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static enum rest_route route(const char *path, int64_t *v, char *msg)
{
    *v = 12345;
    msg[0] = '\0';
    return rest_route(path, v, msg, 160);
}

START_TEST(values_across_the_range)
{
    static const struct { const char *path; int64_t want; } ok[] = {
        { "/increment/0", 0 },
        { "/increment/-0", 0 },
        { "/increment/41", 41 },
        { "/increment/007", 7 },
        { "/increment/-9223372036854775808", INT64_MIN },
        { "/increment/9223372036854775806", INT64_MAX - 1 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t v;
        char msg[160];
        ck_assert_msg(route(ok[i].path, &v, msg) == ROUTE_VALUE, "%s: %s", ok[i].path, msg);
        ck_assert_msg(v == ok[i].want, "%s gave %lld", ok[i].path, (long long)v);
    }
}
END_TEST

START_TEST(refusals_name_what_was_wrong)
{
    static const struct { const char *path; enum rest_route want; const char *says; } bad[] = {
        { "/", ROUTE_NOT_FOUND, "no resource at '/'" },
        { "/increment?", ROUTE_NOT_FOUND, "no resource" },
        { "/increment//", ROUTE_BAD_VALUE, "not a decimal int64" },
        { "/Increment/1", ROUTE_NOT_FOUND, "no resource" },
        { "/increment/", ROUTE_BAD_VALUE, "empty value" },
        { "/increment/+1", ROUTE_BAD_VALUE, "'+1' is not a decimal int64" },
        { "/increment/ 1", ROUTE_BAD_VALUE, "not a decimal int64" },
        { "/increment/-", ROUTE_BAD_VALUE, "not a decimal int64" },
        { "/increment/1x", ROUTE_BAD_VALUE, "not a decimal int64" },
        { "/increment/9223372036854775807", ROUTE_BAD_VALUE, "would overflow" },
        { "/increment/9223372036854775808", ROUTE_BAD_VALUE, "out of the int64 range" },
        { "/increment/-9223372036854775809", ROUTE_BAD_VALUE, "out of the int64 range" },
        { "/increment/\"\\\x01", ROUTE_BAD_VALUE, "'?\?\?' is not" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v;
        char msg[160];
        enum rest_route got = route(bad[i].path, &v, msg);
        ck_assert_msg(got == bad[i].want, "%s: route %d, want %d", bad[i].path, got, bad[i].want);
        ck_assert_msg(strstr(msg, bad[i].says), "%s: '%s' lacks '%s'", bad[i].path, msg,
                      bad[i].says);
        ck_assert_msg(v == 12345, "%s: value written on a refusal", bad[i].path);
    }
}
END_TEST

/* POST /increment carries its value in the body: the path alone names it. */
START_TEST(the_post_path_is_its_own_route)
{
    int64_t v;
    char msg[160];
    ck_assert_int_eq(route("/increment", &v, msg), ROUTE_BODY);
    ck_assert_int_eq(v, 12345);
}
END_TEST

START_TEST(payload_query_gives_the_byte_count)
{
    static const struct { const char *query; int want; uint64_t bytes; } ok[] = {
        { NULL, 0, 0 },
        { "", 0, 0 },
        { "payload=0", 1, 0 },
        { "payload=1", 1, 1 },
        { "payload=1048576", 1, 1048576 },
        { "payload=9999999999", 1, UINT64_C(9999999999) },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint64_t n = 777;
        char msg[160] = "";
        int got = rest_route_payload(ok[i].query, &n, msg, sizeof msg);
        ck_assert_msg(got == ok[i].want, "%s: %d (%s)", ok[i].query, got, msg);
        ck_assert_msg(n == (got > 0 ? ok[i].bytes : 777), "%s: %llu", ok[i].query,
                      (unsigned long long)n);
    }
}
END_TEST

START_TEST(payload_query_refusals_name_what_was_wrong)
{
    static const struct { const char *query; const char *says; } bad[] = {
        { "payload=", "payload='' is not a byte count" },
        { "payload=1k", "payload='1k' is not" },
        { "payload=-1", "is not a byte count" },
        { "payload=10000000000", "1 to 10 digits" },
        { "payload=1&payload=2", "payload='1&payload=2'" },
        { "value=1", "unknown query 'value=1'" },
        { "Payload=1", "unknown query" },
        { "payload=\"\x01", "payload='?\?' is not" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t n = 777;
        char msg[160] = "";
        ck_assert_msg(rest_route_payload(bad[i].query, &n, msg, sizeof msg) == -1, "%s",
                      bad[i].query);
        ck_assert_msg(strstr(msg, bad[i].says), "%s: '%s' lacks '%s'", bad[i].query, msg,
                      bad[i].says);
        ck_assert_msg(n == 777, "%s: count written on a refusal", bad[i].query);
    }
}
END_TEST

/* A long path is cut at 40 bytes in the message, with "...". */
START_TEST(long_paths_are_cut)
{
    char path[300], msg[160];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    int64_t v;
    ck_assert(route(path, &v, msg) == ROUTE_NOT_FOUND);
    ck_assert_msg(strstr(msg, "...'") && strlen(msg) < 80, "%s", msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rest_route");
    TCase *t = tcase_create("route");
    tcase_add_test(t, values_across_the_range);
    tcase_add_test(t, refusals_name_what_was_wrong);
    tcase_add_test(t, long_paths_are_cut);
    tcase_add_test(t, the_post_path_is_its_own_route);
    tcase_add_test(t, payload_query_gives_the_byte_count);
    tcase_add_test(t, payload_query_refusals_name_what_was_wrong);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
