/*
 * accounting_test.c — the figures that explain a mean, end to end through
 * the built runner: CPU, switches and syscalls per call on each side
 * (direct, tcp, rest, and a server that burns a known amount of CPU), the
 * order of repeats (interleaved and sequential, with a section that drops
 * out), the intervals the report prints and the environment check's
 * findings in the report.
 */
#include "e2eutil.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *run_json(const char *text, int want_status)
{
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == want_status, "exit %d, stderr: %.2000s", p.status, p.err);
    json_t *root = parse_json(p.out);
    tu_proc_free(&p);
    free(path);
    return root;
}

static json_t *side(json_t *sec, const char *which)
{
    return get(get(sec, "per_call"), which);
}

static double side_num(json_t *sec, const char *which, const char *key)
{
    return get_num(side(sec, which), key);
}

START_TEST(direct_makes_no_syscall_and_no_switch)
{
    json_t *root = run_json("[runner]\nrequests = 200000\nwarmup = 1000\nrepeat = 2\n"
                            "format = json\n[direct]\nplugin = direct\n", 0);
    json_t *s = section_at(root, 0);
    ck_assert_str_eq(get_str(get(s, "per_call"), "scope"), "in_process");
    ck_assert_msg(json_is_null(side(s, "server")), "direct has no server figures");
    /* The counters' own reads of /proc/self/io leak a read or two per repeat. */
    ck_assert_double_lt(side_num(s, "client", "io_syscalls"), 0.001);
    ck_assert_double_eq(side_num(s, "client", "voluntary_switches"), 0);
    ck_assert_double_lt(side_num(s, "client", "involuntary_switches"), 0.001);
    ck_assert_double_gt(side_num(s, "client", "cpu_ns"), 0);
    json_decref(root);
}
END_TEST

#ifdef TEST_TCP_PLUGIN
START_TEST(tcp_counts_both_sides)
{
    json_t *root = run_json("[runner]\nrequests = 2000\nwarmup = 100\nrepeat = 2\n"
                            "format = json\n[tcp]\nplugin = tcp\n", 0);
    json_t *s = section_at(root, 0);
    ck_assert_str_eq(get_str(get(s, "per_call"), "scope"), "client_and_server");
    ck_assert_double_gt(side_num(s, "server", "cpu_ns"), 0);
    ck_assert_double_gt(side_num(s, "client", "cpu_ns"), 0);
    /* The client sleeps in recv once per call, whatever the placement. */
    double sw = side_num(s, "client", "voluntary_switches") +
                side_num(s, "client", "involuntary_switches");
    ck_assert_msg(sw >= 0.5 && sw <= 10, "client switches per call: %g", sw);
    ck_assert(json_is_number(get(side(s, "client"), "io_syscalls")));
    ck_assert(json_is_number(get(side(s, "server"), "io_syscalls")));
    ck_assert(json_is_number(get(get(s, "per_call"), "wait_ns")));
    json_decref(root);
}
END_TEST
#endif

#ifdef TEST_REST_PLUGIN
/* The rest server reads and writes with readv/writev, which the kernel
 * counts in syscr/syscw (send and recv, which tcp uses, it does not). */
START_TEST(rest_server_io_syscalls_per_call)
{
    json_t *root = run_json("[runner]\nrequests = 2000\nwarmup = 100\nrepeat = 2\n"
                            "format = json\n[rest]\nplugin = rest\n", 0);
    json_t *s = section_at(root, 0);
    double io = side_num(s, "server", "io_syscalls");
    /* A repeat's last write may be counted just after the read: 1.99. */
    ck_assert_msg(io >= 1.99 && io <= 10, "rest server I/O syscalls per call: %g", io);
    json_decref(root);
}
END_TEST
#endif

static char *burn_conf(const char *mode)
{
    char *so = tu_test_plugin("burn");
    char *text = tu_fmt("[runner]\nrequests = 200\nwarmup = 10\nrepeat = 2\nformat = json\n"
                        "[burn]\nplugin = %s\nserver = %s\nburn_us = 1000\n", so, mode);
    free(so);
    return text;
}

START_TEST(server_cpu_is_charged_to_the_server)
{
    char *text = burn_conf("spawn");
    json_t *root = run_json(text, 0);
    json_t *s = section_at(root, 0);
    double server = side_num(s, "server", "cpu_ns"), client = side_num(s, "client", "cpu_ns");
    ck_assert_msg(server >= 900000, "server CPU per call %g ns, burnt 1 ms", server);
    /* Half the burnt CPU: a loaded VM charges the waiting side some too. */
    ck_assert_msg(client < 500000, "client CPU per call %g ns while it only waited", client);
    double wait = get_num(get(s, "per_call"), "wait_ns");
    double per_call = get_num(get(s, "results"), "per_call_ns");
    ck_assert_double_ge(wait, 0);
    /* the server's millisecond is not waiting */
    ck_assert_msg(wait < per_call - 900000, "wait %g of %g ns per call", wait, per_call);
    json_decref(root);
    free(text);
}
END_TEST

START_TEST(thread_server_is_counted_with_the_client)
{
    char *text = burn_conf("thread");
    json_t *root = run_json(text, 0);
    json_t *s = section_at(root, 0);
    ck_assert_str_eq(get_str(get(s, "per_call"), "scope"), "client_includes_server");
    ck_assert(json_is_null(side(s, "server")));
    double client = side_num(s, "client", "cpu_ns");
    ck_assert_msg(client >= 900000, "client+server CPU per call %g ns, burnt 1 ms", client);
    /* The measuring thread itself only waited. */
    double thread = side_num(s, "client", "thread_cpu_ns");
    ck_assert_msg(thread < 500000, "measuring thread CPU per call %g ns", thread);
    json_decref(root);
    free(text);
}
END_TEST

/* Interleaved, a thread server of one section idles in the process the
 * others are measured in: each of them names it, once, by its own name. */
START_TEST(in_process_servers_of_others_are_named)
{
    static const char *const order[] = { "interleaved", "sequential" };
    char *so = tu_test_plugin("burn");
    for (int o = 0; o < 2; o++) {
        char *text = tu_fmt("[runner]\nrequests = 200\nwarmup = 0\nrepeat = 2\n"
                            "format = json\norder = %s\n"
                            "[d]\nplugin = direct\n"
                            "[t, with comma]\nplugin = %s\nserver = thread\nburn_us = 1\n",
                            order[o], so);
        json_t *root = run_json(text, 0);
        json_t *d = get(get(section_at(root, 0), "per_call"), "includes_in_process_servers_of");
        json_t *t = get(get(section_at(root, 1), "per_call"), "includes_in_process_servers_of");
        ck_assert_uint_eq(json_array_size(t), 0);      /* its own server is not another's */
        if (o == 0) {
            ck_assert_uint_eq(json_array_size(d), 1);
            ck_assert_str_eq(json_string_value(json_array_get(d, 0)), "t, with comma");
        } else {
            ck_assert_uint_eq(json_array_size(d), 0);  /* never up at the same time */
        }
        json_decref(root);
        free(text);
    }
    free(so);
}
END_TEST

/* ---- order of repeats ---- */

static char *order_conf(const char *order, const char *b_extra, const char *log)
{
    char *so = tu_test_plugin("order");
    char *text = tu_fmt("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 3\norder = %s\n"
                        "[a]\nplugin = %s\nlog = %s\n"
                        "[b]\nplugin = %s\nlog = %s\n%s\n"
                        "[c]\nplugin = %s\nlog = %s\n",
                        order, so, log, so, log, b_extra, so, log);
    free(so);
    return text;
}

/* What the runner did, in order: "+a" a's server started, "a" a client of
 * a created, "-a" a's server stopped; space-separated. */
static char *events(const char *order, const char *b_extra, int want_status)
{
    char *log = tu_fmt("%s/order.log", e2e_dir);
    char *text = order_conf(order, b_extra, log);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == want_status, "exit %d, stderr: %.2000s", p.status, p.err);
    char *got = tu_read(log);
    ck_assert_msg(got != NULL, "no log written");
    for (char *c = got; *c; c++)
        if (*c == '\n')
            *c = c[1] ? ' ' : '\0';
    tu_proc_free(&p);
    free(path);
    free(text);
    free(log);
    return got;
}

START_TEST(interleaved_is_round_robin_with_servers_up_throughout)
{
    char *seq = events("interleaved", "", 0);
    ck_assert_str_eq(seq, "+a +b +c a b c a b c a -a b -b c -c");
    free(seq);
}
END_TEST

START_TEST(sequential_is_grouped)
{
    char *seq = events("sequential", "", 0);
    ck_assert_str_eq(seq, "+a a a a -a +b b b b -b +c c c c -c");
    free(seq);
}
END_TEST

/* ... and its server stops at once: a broken one must not load the rest. */
START_TEST(a_section_failing_in_round_1_drops_out)
{
    char *seq = events("interleaved", "fail_at = 1", 1);
    ck_assert_str_eq(seq, "+a +b +c a b -b c a c a -a c -c");
    free(seq);
}
END_TEST

START_TEST(a_section_failing_in_round_2_drops_out)
{
    char *seq = events("interleaved", "fail_at = 2", 1);
    ck_assert_str_eq(seq, "+a +b +c a b c a b -b c a -a c -c");
    free(seq);
}
END_TEST

START_TEST(the_others_complete_and_are_reported)
{
    char *so = tu_test_plugin("order");
    char *log = tu_fmt("%s/order.log", e2e_dir);
    char *text = tu_fmt("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 3\nformat = json\n"
                        "[a]\nplugin = %s\nlog = %s\n[b]\nplugin = %s\nlog = %s\nfail_at = 2\n",
                        so, log, so, log);
    json_t *root = run_json(text, 1);
    ck_assert_int_eq(get_int(section_at(root, 0), "repeats_done"), 3);
    json_t *b = section_at(root, 1);
    ck_assert_str_eq(get_str(b, "status"), "failed");
    ck_assert_int_eq(get_int(b, "repeats_done"), 1);
    ck_assert_msg(strstr(get_str(b, "reason"), "repeat 2") &&
                  strstr(get_str(b, "reason"), "fails on purpose"), "%s", get_str(b, "reason"));
    ck_assert_str_eq(get_str(get(root, "settings"), "order"), "interleaved");
    json_decref(root);
    free(text);
    free(log);
    free(so);
}
END_TEST

START_TEST(order_must_be_known)
{
    char *path = conf("[runner]\norder = shuffled\n[direct]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "test.ini:2") && strstr(p.err, "order") &&
                  strstr(p.err, "shuffled"), "%s", p.err);
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* ---- intervals in the report ---- */

START_TEST(json_has_intervals)
{
    json_t *root = run_json("[runner]\nrequests = 20000\nwarmup = 100\nrepeat = 4\n"
                            "format = json\nbaseline = d1\n[d1]\nplugin = direct\n"
                            "[d2]\nplugin = direct\n", 0);
    json_t *r = get(section_at(root, 1), "results");
    json_t *ci = get(r, "mean_ci95_ns");
    ck_assert(json_is_array(ci) && json_array_size(ci) == 2);
    double lo = json_number_value(json_array_get(ci, 0)),
           hi = json_number_value(json_array_get(ci, 1)), mean = get_num(r, "mean_ns");
    /* A time is never negative, however noisy the repeats. */
    ck_assert_msg(0 <= lo && lo <= mean && mean <= hi, "[%g, %g] around %g", lo, hi, mean);
    json_t *rci = get(r, "ratio_ci95");
    ck_assert(json_is_array(rci));
    ck_assert(json_is_true(get(r, "ratio_ci95_paired")));
    ck_assert(json_is_boolean(get(r, "no_clear_difference")));
    ck_assert_int_eq(json_array_size(get(section_at(root, 1), "mean_per_repeat_ns")), 4);
    json_decref(root);
}
END_TEST

START_TEST(one_repeat_has_no_interval)
{
    char *path = conf("[runner]\nrequests = 1000\nrepeat = 1\n[direct]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_int_eq(p.status, 0);
    char *row = line_starting(p.out, "direct ");
    ck_assert_msg(row != NULL, "%s", p.out);
    /* mean, then "-" where the interval would be */
    ck_assert_msg(strstr(row, " -  ") != NULL, "%s", row);
    free(row);
    tu_proc_free(&p);
    free(path);
}
END_TEST

START_TEST(same_plugin_twice_shows_no_clear_difference_or_a_ratio_interval)
{
    char *path = conf("[runner]\nrequests = 20000\nrepeat = 4\nbaseline = d1\n"
                      "[d1]\nplugin = direct\n[d2]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_int_eq(p.status, 0);
    char *row = line_starting(p.out, "d2 ");
    ck_assert_msg(row != NULL && strstr(row, "x ±"), "%s", p.out);
    /* the cell and the note say "no clear difference" together or not at all */
    ck_assert_int_eq(strstr(row, "no clear difference") != NULL,
                     strstr(p.out, "d2: no clear difference from d1") != NULL);
    free(row);
    tu_proc_free(&p);
    free(path);
}
END_TEST

START_TEST(table_has_the_cost_columns)
{
    char *path = conf("[runner]\nrequests = 1000\nrepeat = 2\n[direct]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_int_eq(p.status, 0);
    char *head = line_starting(p.out, "section   ");
    ck_assert_msg(head != NULL, "%s", p.out);
    ck_assert_msg(strstr(p.out, "cpu client") && strstr(p.out, "cpu server") &&
                  strstr(p.out, "wait") && strstr(p.out, "switches c/s") &&
                  strstr(p.out, "syscalls c/s"), "%s", p.out);
    free(head);
    tu_proc_free(&p);
    free(path);
}
END_TEST

START_TEST(csv_has_the_cost_columns)
{
    char *path = conf("[runner]\nrequests = 1000\nrepeat = 2\nformat = csv\n"
                      "[direct]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(strstr(p.out, ",mean_ci95_low_ns,mean_ci95_high_ns,") &&
                  strstr(p.out, ",client_cpu_ns,") && strstr(p.out, ",wait_ns,spread_noisy,") &&
                  strstr(p.out, ",in_process,"), "%s", p.out);
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* ---- the environment check in the report ---- */

START_TEST(json_has_every_environment_check)
{
    json_t *root = run_json("[runner]\nrequests = 100\nrepeat = 1\nformat = json\n"
                            "client_cpu = 0\nserver_cpu = 0\n[direct]\nplugin = direct\n", 0);
    json_t *env = get(root, "environment");
    static const char *const names[] = { "cpufreq_governor", "turbo", "load", "clocksource",
                                         "cpus_online", "cpus_allowed", "smt_siblings",
                                         "tracer", "valgrind" };
    ck_assert_uint_eq(json_object_size(env), sizeof names / sizeof names[0]);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        json_t *e = get(env, names[i]);
        const char *st = get_str(e, "status");
        ck_assert_msg(strcmp(st, "ok") == 0 || strcmp(st, "warning") == 0 ||
                      strcmp(st, "unknown") == 0, "%s: %s", names[i], st);
        /* Anything but ok says why, and the table prints it. */
        ck_assert(strcmp(st, "ok") == 0 || json_is_string(get(e, "message")));
    }
    json_decref(root);
}
END_TEST

START_TEST(table_prints_each_finding)
{
    char *path = conf("[runner]\nrequests = 100\nrepeat = 1\n[direct]\nplugin = direct\n");
    char *jpath = tu_write(e2e_dir, "j.ini", "[runner]\nrequests = 100\nrepeat = 1\n"
                           "format = json\n[direct]\nplugin = direct\n");
    /* valgrind's preload in the environment (a file that does not exist:
     * the loader skips it) makes one finding whatever the machine */
    static const char *const env[] = { "INCBENCH_PLUGIN_PATH=",
                                       "LD_PRELOAD=/nonexistent/vgpreload_test.so", NULL };
    struct tu_proc p, q;
    run_env(&p, env, NULL, path, (const char *)NULL);
    run_env(&q, env, NULL, jpath, (const char *)NULL);
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(strstr(p.out, "\nenvironment warning: ") &&
                  strstr(p.out, "valgrind"), "%.2000s", p.out);
    json_t *root = parse_json(q.out);
    size_t want = 0;
    const char *key;
    json_t *e;
    json_object_foreach(get(root, "environment"), key, e)
        if (strcmp(get_str(e, "status"), "ok") != 0 && strcmp(key, "load") != 0)
            want++;
    /* load moves between two runs on a shared machine; the rest does not. */
    size_t got = tu_count(p.out, "\nenvironment ") - tu_count(p.out, "environment warning: load");
    ck_assert_uint_ge(want, 1);
    ck_assert_uint_eq(got, want);
    json_decref(root);
    tu_proc_free(&p);
    tu_proc_free(&q);
    free(jpath);
    free(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("accounting");
    TCase *t = tcase_create("per call");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, direct_makes_no_syscall_and_no_switch);
#ifdef TEST_TCP_PLUGIN
    tcase_add_test(t, tcp_counts_both_sides);
#endif
#ifdef TEST_REST_PLUGIN
    tcase_add_test(t, rest_server_io_syscalls_per_call);
#endif
    tcase_add_test(t, server_cpu_is_charged_to_the_server);
    tcase_add_test(t, thread_server_is_counted_with_the_client);
    tcase_add_test(t, in_process_servers_of_others_are_named);
    suite_add_tcase(s, t);
    t = tcase_create("order");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, interleaved_is_round_robin_with_servers_up_throughout);
    tcase_add_test(t, sequential_is_grouped);
    tcase_add_test(t, a_section_failing_in_round_1_drops_out);
    tcase_add_test(t, a_section_failing_in_round_2_drops_out);
    tcase_add_test(t, the_others_complete_and_are_reported);
    tcase_add_test(t, order_must_be_known);
    suite_add_tcase(s, t);
    t = tcase_create("intervals");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, json_has_intervals);
    tcase_add_test(t, one_repeat_has_no_interval);
    tcase_add_test(t, same_plugin_twice_shows_no_clear_difference_or_a_ratio_interval);
    tcase_add_test(t, table_has_the_cost_columns);
    tcase_add_test(t, csv_has_the_cost_columns);
    suite_add_tcase(s, t);
    t = tcase_create("environment");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, json_has_every_environment_check);
    tcase_add_test(t, table_prints_each_finding);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
