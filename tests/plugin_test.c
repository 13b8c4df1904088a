/*
 * plugin_test.c — runner/plugin.c against the test plugins of
 * tests/plugins/ (broken on purpose) and the direct plugin: each refusal is
 * one line naming the file and the cause; good tables load, including one
 * from an older (1.0) and one from a newer minor; bare names are searched
 * in the documented order; paths with '/' are relative to the config dir.
 */
#include "plugin.h"
#include "testutil.h"

#include <check.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAKE_PKGLIBDIR "/nonexistent/incbench-test-pkglibdir"

static struct plugin p;
static char err[4096];
static char *dir;

static void setup(void)
{
    memset(&p, 0, sizeof p);
    err[0] = '\0';
    dir = tu_tmpdir();
    unsetenv("INCBENCH_PLUGIN_PATH");
}

static void teardown(void)
{
    plugin_close(&p);
    tu_rmtree(dir);
    free(dir);
}

/* Opening test plugin `name` fails; the one-line message names the file
 * and contains `w1` and `w2`. */
static void refused(const char *name, const char *w1, const char *w2)
{
    char *path = tu_test_plugin(name);
    ck_assert_msg(access(path, R_OK) == 0, "test plugin %s not built", path);
    int rc = plugin_open_path(&p, path, err, sizeof err);
    ck_assert_msg(rc == -1, "%s loaded", path);
    ck_assert_msg(strstr(err, path) != NULL, "message does not name %s: %s", path, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    ck_assert_msg(w1 == NULL || strstr(err, w1), "'%s' missing from: %s", w1, err);
    ck_assert_msg(w2 == NULL || strstr(err, w2), "'%s' missing from: %s", w2, err);
    /* a refused plugin leaves nothing behind */
    ck_assert_ptr_null(p.dl);
    ck_assert_ptr_null(p.t);
    free(path);
}

static void loads(const char *path)
{
    int rc = plugin_open_path(&p, path, err, sizeof err);
    ck_assert_msg(rc == 0, "%s refused: %s", path, err);
    ck_assert_ptr_nonnull(p.t);
    ck_assert_str_eq(p.path, path);
}

/* ---- refusals ---- */

START_TEST(no_symbol)
{
    refused("nosym", "no symbol", "'incbench_transport'");
}
END_TEST

START_TEST(wrong_major)
{
    char runner_major[32];
    snprintf(runner_major, sizeof runner_major, "speaks %u.", INCBENCH_ABI_MAJOR);
    refused("abi2", "ABI version 2.0", runner_major);
}
END_TEST

START_TEST(null_increment)
{
    refused("noinc", "'increment'", "NULL");
}
END_TEST

START_TEST(server_start_without_stop)
{
    refused("halfserver", "server_start", "server_stop");
}
END_TEST

START_TEST(not_an_elf_file)
{
    char *path = tu_write(dir, "fake.so", "this is not a shared object\n");
    /* What dlopen itself says about this file, to find in our message. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ck_assert_ptr_null(h);
    char *dl_text = strdup(dlerror());
    int rc = plugin_open_path(&p, path, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, path) && strstr(err, dl_text), "want '%s' in: %s", dl_text, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    free(dl_text);
    free(path);
}
END_TEST

START_TEST(missing_file_by_path)
{
    char *path = tu_fmt("%s/absent.so", dir);
    int rc = plugin_open_path(&p, path, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, path) && strstr(err, "No such file"), "%s", err);
    free(path);
}
END_TEST

/* ---- good tables ---- */

START_TEST(direct_loads)
{
    char *path = tu_fmt("%s/plugins/direct/.libs/direct.so", tu_builddir());
    loads(path);
    ck_assert_str_eq(p.t->name, "direct");
    ck_assert_uint_eq(p.minor, INCBENCH_ABI_MINOR);
    ck_assert(!plugin_has_server(&p));
    ck_assert(!plugin_has_pipelining(&p));
    free(path);
}
END_TEST

START_TEST(future_minor_loads)
{
    char *path = tu_test_plugin("future");
    loads(path);
    ck_assert_str_eq(p.t->name, "future");
    ck_assert_uint_eq(p.minor, INCBENCH_ABI_MINOR + 5);
    /* stats exists from minor 1 on, so a newer table's is used */
    ck_assert_ptr_nonnull(p.stats);
    ck_assert_ptr_eq(p.stats, p.t->stats);
    struct incbench_stats st = { 0 };
    p.stats(NULL, &st);
    ck_assert_uint_eq(st.connections, 7);
    free(path);
}
END_TEST

START_TEST(minor0_never_reads_stats)
{
    char *path = tu_test_plugin("minor0");
    loads(path);
    ck_assert_str_eq(p.t->name, "minor0");
    ck_assert_uint_eq(p.minor, 0);
    /* The word after `complete` is a poison function; a 1.0 table has no
     * stats member, so the runner must not pick it up. */
    ck_assert_ptr_null(p.stats);
    free(path);
}
END_TEST

/* What server_start gets for a section's listen, by the plugin's minor. */
START_TEST(listen_by_minor)
{
    struct plugin q = { 0 };
    q.minor = 2;
    ck_assert_ptr_null(plugin_listen(&q, NULL));
    ck_assert_str_eq(plugin_listen(&q, "unix:@x"), "unix:@x");
    q.minor = 1;
    ck_assert_str_eq(plugin_listen(&q, NULL), "127.0.0.1:0");
    ck_assert_str_eq(plugin_listen(&q, "[::1]:0"), "[::1]:0");
    q.minor = 0;
    ck_assert_str_eq(plugin_listen(&q, NULL), "127.0.0.1:0");
    /* and the minor of a real build is read from its table */
    char *path = tu_test_plugin("netminor1");
    loads(path);
    ck_assert_uint_eq(p.minor, 1);
    ck_assert_str_eq(plugin_listen(&p, NULL), "127.0.0.1:0");
    free(path);
}
END_TEST

START_TEST(structurally_fine_plugins_load)
{
    static const char *const names[] = { "initfail", "wrong", "wrong5000" };
    for (size_t i = 0; i < 3; i++) {
        char *path = tu_test_plugin(names[i]);
        loads(path);
        ck_assert_str_eq(p.t->name, names[i]);
        plugin_close(&p);
        ck_assert_ptr_null(p.dl);
        free(path);
    }
}
END_TEST

/* ---- search ---- */

static char *mkdir_in(const char *name)
{
    char *d = tu_fmt("%s/%s", dir, name);
    ck_assert_int_eq(mkdir(d, 0700), 0);
    return d;
}

/* dir/sub/as.so -> the test plugin `which` */
static void link_plugin(const char *sub, const char *as, const char *which)
{
    char *target = tu_test_plugin(which);
    char *link = tu_fmt("%s/%s/%s.so", dir, sub, as);
    ck_assert_msg(symlink(target, link) == 0, "symlink %s", link);
    free(target);
    free(link);
}

START_TEST(not_found_lists_every_place)
{
    char *cli = mkdir_in("cli"), *conf = mkdir_in("conf");
    char *env = tu_fmt("%s/env1::%s/env2:", dir, dir);
    setenv("INCBENCH_PLUGIN_PATH", env, 1);
    struct plugin_search search = { .cli_dir = cli, .config_dir = conf };
    int rc = plugin_open(&p, "nosuch", dir, &search, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "'nosuch'") && strstr(err, "not found"), "%s", err);
    ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    char *want[5] = {
        tu_fmt("%s/nosuch.so", cli), tu_fmt("%s/nosuch.so", conf),
        tu_fmt("%s/env1/nosuch.so", dir), tu_fmt("%s/env2/nosuch.so", dir),
        tu_fmt("%s/nosuch.so", FAKE_PKGLIBDIR),
    };
    const char *last = err;
    for (int i = 0; i < 5; i++) {
        const char *at = strstr(err, want[i]);
        ck_assert_msg(at != NULL, "'%s' not listed in: %s", want[i], err);
        ck_assert_msg(at >= last, "'%s' listed out of order in: %s", want[i], err);
        last = at;
        free(want[i]);
    }
    /* empty PATH entries are skipped, not searched as "" or "/" */
    ck_assert_msg(strstr(err, " /nosuch.so") == NULL && strstr(err, "for /nosuch.so") == NULL,
                  "%s", err);
    free(cli);
    free(conf);
    free(env);
}
END_TEST

START_TEST(search_order)
{
    char *cli = mkdir_in("cli"), *conf = mkdir_in("conf");
    char *e1 = mkdir_in("e1"), *e2 = mkdir_in("e2");
    link_plugin("cli", "x", "future");
    link_plugin("conf", "x", "wrong");
    link_plugin("e1", "x", "minor0");
    link_plugin("e2", "x", "initfail");
    link_plugin("e2", "only2", "wrong5000");
    char *env = tu_fmt("%s:%s", e1, e2);
    setenv("INCBENCH_PLUGIN_PATH", env, 1);

    struct plugin_search search = { .cli_dir = cli, .config_dir = conf };
    ck_assert_msg(plugin_open(&p, "x", dir, &search, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "future");      /* --plugin-dir first */
    plugin_close(&p);

    search.cli_dir = NULL;
    ck_assert_msg(plugin_open(&p, "x", dir, &search, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "wrong");       /* then [runner] plugin_dir */
    plugin_close(&p);

    search.config_dir = NULL;
    ck_assert_msg(plugin_open(&p, "x", dir, &search, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "minor0");      /* then the PATH, in order */
    char *want = tu_fmt("%s/x.so", e1);
    ck_assert_str_eq(p.path, want);
    free(want);
    plugin_close(&p);

    ck_assert_msg(plugin_open(&p, "only2", dir, NULL, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "wrong5000");   /* later PATH entries too */
    plugin_close(&p);
    free(cli);
    free(conf);
    free(e1);
    free(e2);
    free(env);
}
END_TEST

START_TEST(a_directory_named_like_a_plugin_is_skipped)
{
    char *cli = mkdir_in("cli");
    free(mkdir_in("cli/x.so"));
    free(mkdir_in("e1"));
    link_plugin("e1", "x", "future");
    char *env = tu_fmt("%s/e1", dir);
    setenv("INCBENCH_PLUGIN_PATH", env, 1);
    struct plugin_search search = { .cli_dir = cli };
    ck_assert_msg(plugin_open(&p, "x", dir, &search, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "future");
    free(cli);
    free(env);
}
END_TEST

START_TEST(broken_plugin_found_by_name_is_refused)
{
    char *cli = mkdir_in("cli");
    link_plugin("cli", "b", "abi2");
    struct plugin_search search = { .cli_dir = cli };
    ck_assert_int_eq(plugin_open(&p, "b", dir, &search, err, sizeof err), -1);
    char *path = tu_fmt("%s/b.so", cli);
    ck_assert_msg(strstr(err, path) && strstr(err, "2.0"), "%s", err);
    free(path);
    free(cli);
}
END_TEST

START_TEST(path_relative_to_config_dir)
{
    free(mkdir_in("sub"));
    link_plugin("sub", "mine", "future");
    /* from elsewhere, so that a path taken relative to the cwd would fail */
    ck_assert_int_eq(chdir("/"), 0);
    ck_assert_msg(plugin_open(&p, "./sub/mine.so", dir, NULL, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "future");
    plugin_close(&p);
    ck_assert_msg(plugin_open(&p, "sub/mine.so", dir, NULL, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "future");
    plugin_close(&p);
    /* an absolute path ignores the config dir */
    char *abs = tu_test_plugin("minor0");
    ck_assert_msg(plugin_open(&p, abs, "/nonexistent", NULL, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(p.t->name, "minor0");
    free(abs);
}
END_TEST

START_TEST(path_missing)
{
    int rc = plugin_open(&p, "./nope.so", dir, NULL, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    char *full = tu_fmt("%s/./nope.so", dir);
    ck_assert_msg(strstr(err, "'./nope.so'") && strstr(err, full), "%s", err);
    free(full);
}
END_TEST

START_TEST(list_shows_good_and_unusable)
{
    char *cli = mkdir_in("cli");
    link_plugin("cli", "future", "future");
    link_plugin("cli", "abi2", "abi2");
    free(tu_write(cli, "notes.txt", "not a plugin, not listed\n"));
    struct plugin_search search = { .cli_dir = cli };
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(out);
    int found = plugin_list(&search, out);
    fclose(out);
    ck_assert_int_eq(found, 2);
    char *abi = tu_fmt("ABI %u.%u", INCBENCH_ABI_MAJOR, INCBENCH_ABI_MINOR + 5);
    ck_assert_msg(strstr(buf, "future") && strstr(buf, abi), "%s", buf);
    ck_assert_msg(strstr(buf, "unusable") && strstr(buf, "2.0"), "%s", buf);
    ck_assert_msg(strstr(buf, "notes.txt") == NULL, "%s", buf);
    ck_assert_msg(strstr(buf, FAKE_PKGLIBDIR), "%s", buf);
    free(abi);
    free(buf);
    free(cli);
}
END_TEST

/* Text a plugin left without its NUL ends at its buffer's last byte; text
 * that has one is left alone; no buffer, or none of it, is no harm. */
START_TEST(seal_ends_text_at_its_buffer)
{
    char buf[10];
    memset(buf, 'x', sizeof buf - 1);
    buf[sizeof buf - 1] = '\0';   /* so that a missing seal is a long string, not a crash */
    plugin_seal(buf, 8);
    ck_assert_uint_eq(strlen(buf), 7);
    char ok[8] = "ab";
    memset(ok + 3, 'y', sizeof ok - 3);
    plugin_seal(ok, sizeof ok);
    ck_assert_str_eq(ok, "ab");
    ck_assert_int_eq(ok[3], 'y');
    plugin_seal(NULL, 8);
    plugin_seal(buf, 0);
    ck_assert_uint_eq(strlen(buf), 7);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("plugin");
    TCase *t = tcase_create("refused");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, no_symbol);
    tcase_add_test(t, wrong_major);
    tcase_add_test(t, null_increment);
    tcase_add_test(t, server_start_without_stop);
    tcase_add_test(t, not_an_elf_file);
    tcase_add_test(t, missing_file_by_path);
    tcase_add_test(t, seal_ends_text_at_its_buffer);
    suite_add_tcase(s, t);

    t = tcase_create("loaded");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, direct_loads);
    tcase_add_test(t, future_minor_loads);
    tcase_add_test(t, minor0_never_reads_stats);
    tcase_add_test(t, listen_by_minor);
    tcase_add_test(t, structurally_fine_plugins_load);
    suite_add_tcase(s, t);

    t = tcase_create("search");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, not_found_lists_every_place);
    tcase_add_test(t, search_order);
    tcase_add_test(t, a_directory_named_like_a_plugin_is_skipped);
    tcase_add_test(t, broken_plugin_found_by_name_is_refused);
    tcase_add_test(t, path_relative_to_config_dir);
    tcase_add_test(t, path_missing);
    tcase_add_test(t, list_shows_good_and_unusable);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
