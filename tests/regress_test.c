/*
 * regress_test.c — regression tests for runner bugs found while the
 * runner's tests were written (percentile ranks, -D without [runner],
 * section headers, long lines, --check-plugin on a bare file name, the line
 * of a misplaced address). Each test states the behaviour that was wrong.
 */
#include "config.h"
#include "histogram.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static char *path;
static struct config cfg;
static char err[2048];

static void setup(void)
{
    dir = tu_tmpdir();
    path = NULL;
    memset(&cfg, 0, sizeof cfg);
    err[0] = '\0';
}

static void teardown(void)
{
    config_free(&cfg);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

static int load_defs(const char *text, size_t n_defs, char *const *defs)
{
    free(path);
    path = tu_write(dir, "test.ini", text);
    return config_load(&cfg, path, defs, n_defs, err, sizeof err);
}

static void assert_at(int line, const char *word)
{
    char where[4200];
    snprintf(where, sizeof where, "%s:%d: ", path, line);
    ck_assert_msg(strstr(err, where) && strstr(err, word), "want '%s' and '%s' in: %s", where,
                  word, err);
}

/* config.c check_section: "address without server = external" is reported
 * at the section header's line, not at the line of the address key. */
START_TEST(address_without_external_names_its_line)
{
    int rc = load_defs("[r]\nplugin = rest\n\naddress = 127.0.0.1:9\n", 0, NULL);
    ck_assert_int_eq(rc, -1);
    assert_at(4, "address");
}
END_TEST

/* config.c apply_define: -D runner.KEY=... fails with "has no section
 * [runner]" when the file has no [runner] section, although [runner] is
 * optional and the help text's own example is -D runner.requests=1000000. */
START_TEST(define_runner_key_without_runner_section)
{
    char *defs[] = { "runner.requests=1000" };
    int rc = load_defs("[direct]\nplugin = direct\n", 1, defs);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(cfg.requests, 1000);
}
END_TEST

/* config.c read_line trims "[ d ]" to "d", inih does not (section " d "),
 * so the first key of the section is "outside any [section]". */
START_TEST(section_name_with_spaces)
{
    int rc = load_defs("[ d ]\nplugin = direct\n", 0, NULL);
    if (rc == 0)
        ck_assert_str_eq(cfg.sections[0].name, "d");
    else
        ck_assert_msg(strstr(err, ":1: ") != NULL, "error not on the header line: %s", err);
}
END_TEST

/* An unterminated header "[d" is a syntax error on its own line; the runner
 * instead reports the NEXT line ("key 'plugin' is outside any [section]"). */
START_TEST(unterminated_header_names_its_line)
{
    int rc = load_defs("[d\nplugin = direct\n", 0, NULL);
    ck_assert_int_eq(rc, -1);
    assert_at(1, "[");
}
END_TEST

/* Debian's inih reads at most INI_MAX_LINE = 200 bytes a line: a longer
 * line (a plugin path in a deep build tree) is read as two lines, so the
 * runner either truncates the value or reports a line that does not exist.
 * Either the full value or an error on line 2 is right. */
START_TEST(long_line)
{
    char value[301];
    memset(value, 'a', 300);
    value[300] = '\0';
    char *text = tu_fmt("[d]\nplugin = ./%s.so\n", value);
    int rc = load_defs(text, 0, NULL);
    if (rc == 0) {
        char *want = tu_fmt("./%s.so", value);
        ck_assert_str_eq(cfg.sections[0].plugin, want);
        free(want);
    } else {
        assert_at(2, "long");
    }
    free(text);
}
END_TEST

/* histogram.c histogram_percentile: rank = ceil(p / 100.0 * count) in
 * floating point; 7 / 100.0 * 100 is 7.000000000000001, so p7 of 1..100 is
 * read at rank 8, and p99.9 of 1000 samples at rank 1000 (the max) instead
 * of 999. */
START_TEST(percentile_rank_is_exact)
{
    struct histogram *h = malloc(sizeof *h);
    ck_assert_ptr_nonnull(h);
    histogram_reset(h);
    for (uint64_t v = 1; v <= 100; v++)
        histogram_record(h, v);
    for (int p = 1; p <= 100; p++)
        ck_assert_msg(histogram_percentile(h, p) == (uint64_t)p, "p%d of 1..100 is %llu", p,
                      (unsigned long long)histogram_percentile(h, p));
    histogram_reset(h);
    for (uint64_t v = 1; v <= 1000; v++)
        histogram_record(h, v * 1000);
    uint64_t p999 = histogram_percentile(h, 99.9);
    ck_assert_msg(p999 >= 999000 * 0.99 && p999 <= 999000 * 1.01,
                  "p99.9 of 1000..1000000 step 1000 is %llu, want ~999000",
                  (unsigned long long)p999);
    free(h);
}
END_TEST

/* main.c MODE_CHECK_PLUGIN -> plugin_open_path: `runner --check-plugin
 * direct.so`, run in the plugin's own directory, hands "direct.so" to
 * dlopen, which then searches the system library path and not the current
 * directory: "cannot open shared object file". */
START_TEST(check_plugin_file_in_cwd)
{
    char *runner = tu_fmt("%s/runner/runner", tu_builddir());
    char *libs = tu_fmt("%s/plugins/direct/.libs", tu_builddir());
    const char *argv[] = { runner, "--check-plugin", "direct.so", NULL };
    static const char *const env[] = { "INCBENCH_PLUGIN_PATH=", NULL };
    struct tu_proc p;
    tu_run(argv, env, libs, 60000, &p);
    ck_assert_msg(p.status == 0, "exit %d:\n%.1500s", p.status, p.out);
    tu_proc_free(&p);
    free(runner);
    free(libs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("runner regressions");
    TCase *t = tcase_create("bugs");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, address_without_external_names_its_line);
    tcase_add_test(t, define_runner_key_without_runner_section);
    tcase_add_test(t, section_name_with_spaces);
    tcase_add_test(t, unterminated_header_names_its_line);
    tcase_add_test(t, long_line);
    tcase_add_test(t, percentile_rank_is_exact);
    tcase_add_test(t, check_plugin_file_in_cwd);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
