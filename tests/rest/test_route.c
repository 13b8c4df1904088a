/*
 * test_route.c — the rest server's reading of a path (plugins/rest/route.c)
 * on its own: every edge of the int64 range, and each way a path can be
 * refused, with the peer's bytes made safe in the message.
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
        { "/increment", ROUTE_NOT_FOUND, "no resource" },
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
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
