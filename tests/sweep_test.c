/*
 * sweep_test.c — sweeps and payload end to end through the built runner
 * (issue 12): --check lists every run a sweep makes, -D gives lists, a run
 * of a sweep is measured and reported under its own name (a spawned
 * server finds its run by that name), and a plugin without payloads
 * refuses the key at its line. The parsing itself is config_test's.
 */
#include "e2eutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const char *const swept_conf =
    "[runner]\nrequests = 200\nwarmup = 0\nrepeat = 1\n"
    "[d]\nplugin = direct\n"
    "[t]\nplugin = direct\ntimeout_ms = 100, 2000\nstart = 1, 2\n";

START_TEST(check_lists_every_run)
{
    char *path = conf(swept_conf);
    struct tu_proc p;
    run(&p, "--check", path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    char *want = tu_fmt("%s: ok, 5 sections\n"
                        "  d\n"
                        "  t[timeout_ms=100,start=1]   [t] run 1 of 4: timeout_ms = 100, start = 1\n"
                        "  t[timeout_ms=100,start=2]   [t] run 2 of 4: timeout_ms = 100, start = 2\n"
                        "  t[timeout_ms=2000,start=1]  [t] run 3 of 4: timeout_ms = 2000, start = 1\n"
                        "  t[timeout_ms=2000,start=2]  [t] run 4 of 4: timeout_ms = 2000, start = 2\n",
                        path);
    ck_assert_str_eq(p.out, want);
    ck_assert_str_eq(p.err, "");
    free(want);
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* -D gives a list where the file has none, and replaces the file's. */
START_TEST(check_takes_lists_from_defines)
{
    char *path = conf(swept_conf);
    struct tu_proc p;
    run(&p, "--check", "-D", "d.start=5,6", "-D", "t.timeout_ms=300", path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    ck_assert_msg(strstr(p.out, "ok, 4 sections\n"
                                "  d[start=5]  [d] run 1 of 2: start = 5\n"
                                "  d[start=6]  [d] run 2 of 2: start = 6\n"
                                "  t[start=1]  [t] run 1 of 2: start = 1\n"), "%s", p.out);
    tu_proc_free(&p);
    free(path);
}
END_TEST

START_TEST(too_many_runs_says_how_many)
{
    char *path = conf("[t]\nplugin = direct\na = 1,2,3,4,5,6,7,8,9,10,11\n"
                      "b = 1,2,3,4,5,6,7,8,9,10\nc = 1,2,3,4,5,6,7,8,9,10\n");
    struct tu_proc p;
    run(&p, "--check", path);
    ck_assert_int_eq(p.status, 2);
    char *want = tu_fmt("runner: %s:3: [t]'s lists would make 1100 runs: at most 1000 may "
                        "run\n", path);
    ck_assert_str_eq(p.err, want);
    ck_assert_str_eq(p.out, "");
    free(want);
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* direct takes no payload: its refusal is one line at the key's line,
 * once per run that writes it. */
START_TEST(direct_refuses_payload_at_its_line)
{
    char *path = conf("[d]\nplugin = direct\npayload = 1k\n");
    struct tu_proc p;
    run(&p, "--check", path);
    ck_assert_int_eq(p.status, 2);
    char *want = tu_fmt("runner: %s:3: key 'payload': [d] direct: unknown option 'payload' "
                        "(direct takes none)\n", path);
    ck_assert_str_eq(p.err, want);
    free(want);
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* --serve of a swept section's written name serves no run by guess: it
 * says the section is swept and names a run to ask for. */
START_TEST(serve_of_a_swept_name_asks_for_a_run)
{
    char *path = conf("[t]\nplugin = direct\npayload = 0, 1k\n");
    struct tu_proc p;
    run(&p, "--serve", "t", path);
    ck_assert_int_ne(p.status, 0);
    char *want = tu_fmt("runner --serve: [t] of %s is swept: name one of its runs, e.g. "
                        "'t[payload=0]'\n", path);
    ck_assert_str_eq(p.err, want);
    free(want);
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* Each run is measured and reported under its own name. A spawned server
 * is handed that name and serves that run, not the first of its section:
 * the second listen address is bad, and only the second run fails. */
START_TEST(runs_are_measured_under_their_names)
{
    char *net = tu_test_plugin("net");
    char *text = tu_fmt("[runner]\nrequests = 200\nwarmup = 0\nrepeat = 1\nformat = json\n"
                        "[d]\nplugin = direct\nstart = 0, 100\n"
                        "[n]\nplugin = %s\nserver = spawn\n"
                        "listen = 127.0.0.1:0, 127.0.0.1:bad\n", net);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status != 0, "a failed run exits 0");
    json_t *root = parse_json(p.out);
    static const char *const names[] = { "d[start=0]", "d[start=100]", "n[listen=127.0.0.1:0]",
                                         "n[listen=127.0.0.1:bad]" };
    ck_assert_uint_eq(json_array_size(get(root, "sections")), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *s = section_at(root, i);
        ck_assert_str_eq(get_str(s, "name"), names[i]);
        ck_assert_str_eq(get_str(s, "status"), i < 3 ? "ok" : "failed");
    }
    const char *why = get_str(section_at(root, 3), "reason");
    ck_assert_msg(strstr(why, "runner --serve: [n[listen=127.0.0.1:bad]] address "
                              "'127.0.0.1:bad'"), "%s", why);
    json_decref(root);
    tu_proc_free(&p);
    free(path);
    free(text);
    free(net);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *t = tcase_create("runner");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, check_lists_every_run);
    tcase_add_test(t, check_takes_lists_from_defines);
    tcase_add_test(t, too_many_runs_says_how_many);
    tcase_add_test(t, direct_refuses_payload_at_its_line);
    tcase_add_test(t, runs_are_measured_under_their_names);
    tcase_add_test(t, serve_of_a_swept_name_asks_for_a_run);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
