/*
 * envcheck_test.c — runner/envcheck.c against fake /proc and /sys trees:
 * each warning appears exactly when its condition holds, a file that is
 * missing, unreadable or garbled makes its item UNKNOWN (never OK), and a
 * run against the real /proc and /sys returns every item without crashing.
 */
#include "envcheck.h"
#include "fakeroot.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *base, *dir, *proc, *sys;
static struct envcheck ec;

/* The parent owns one directory per test case and removes it afterwards, so
 * that a failed test (whose checked teardown Check skips) leaves nothing
 * behind; each test builds its tree in a fresh directory inside it. */
static void case_setup(void)
{
    base = tu_tmpdir();
}

static void case_teardown(void)
{
    tu_rmtree(base);
    free(base);
    base = NULL;
}

static void setup(void)
{
    dir = tu_fmt("%s/t-XXXXXX", base);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    proc = tu_fmt("%s/proc", dir);
    sys = tu_fmt("%s/sys", dir);
    fr_machine(dir, 2);
    memset(&ec, 0, sizeof ec);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(proc);
    free(sys);
    dir = proc = sys = NULL;
}

/* Write one file of the fake tree ("sys/..." or "proc/..."). */
static void put(const char *rel, const char *text)
{
    fr_put(dir, rel, text);
}

/* Replace a file by a directory: open succeeds, read fails (EISDIR), even
 * for root, which chmod 000 would not stop. */
static void make_unreadable(const char *rel)
{
    char *path = tu_fmt("%s/%s", dir, rel);
    tu_rmtree(path);
    fr_mkdirs(dir, rel);
    free(path);
}

static void drop(const char *rel)
{
    char *path = tu_fmt("%s/%s", dir, rel);
    tu_rmtree(path);
    free(path);
}

static void run_placed(const struct envcheck_placement *places, size_t n, const char *preload)
{
    envcheck_run(&ec, proc, sys, places, n, preload);
}

static void run(void)
{
    run_placed(NULL, 0, NULL);
}

static const struct envcheck_item *item(const char *name)
{
    const struct envcheck_item *it = envcheck_find(&ec, name);
    ck_assert_msg(it != NULL, "no item '%s'", name);
    return it;
}

static void assert_status(const char *name, enum envcheck_status want)
{
    const struct envcheck_item *it = item(name);
    ck_assert_msg(it->status == want, "%s: %s, wanted %s (value '%s', message '%s')", name,
                  envcheck_status_name(it->status), envcheck_status_name(want), it->value,
                  it->message);
    if (want == ENVCHECK_OK)
        ck_assert_msg(it->message[0] == '\0', "%s is OK but says '%s'", name, it->message);
    else
        ck_assert_msg(it->message[0] != '\0', "%s is %s with no message", name,
                      envcheck_status_name(want));
}

static void assert_value(const char *name, const char *want)
{
    ck_assert_str_eq(item(name)->value, want);
}

static void assert_says(const char *name, const char *needle)
{
    const char *msg = item(name)->message;
    ck_assert_msg(strstr(msg, needle) != NULL, "%s: '%s' does not say '%s'", name, msg, needle);
}

static cpu_set_t cpus(const char *list)
{
    cpu_set_t s;
    CPU_ZERO(&s);
    for (const char *p = list; *p; p++)
        if (*p >= '0' && *p <= '9')
            CPU_SET((size_t)(*p - '0'), &s);
    return s;
}

/* One client/server pair, each on the CPUs of cpus(). */
static void run_pair(const char *client, const char *server)
{
    const cpu_set_t c = cpus(client), s = cpus(server);
    const struct envcheck_placement p[] = { { &c, &s } };
    run_placed(p, 1, NULL);
}

/* ---- the healthy machine ---- */

START_TEST(healthy_machine_is_all_ok_with_every_item_in_order)
{
    run();
    static const char *const names[] = {
        "cpufreq_governor", "turbo", "load", "clocksource", "cpus_online", "cpus_allowed",
        "smt_siblings", "tracer", "valgrind",
    };
    ck_assert_uint_eq(ec.n, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < ec.n; i++) {
        ck_assert_str_eq(ec.items[i].name, names[i]);
        assert_status(names[i], ENVCHECK_OK);
    }
    ck_assert_uint_eq(envcheck_count(&ec, ENVCHECK_OK), ec.n);
    ck_assert_uint_eq(envcheck_count(&ec, ENVCHECK_WARN), 0);
    assert_value("cpufreq_governor", "performance");
    assert_value("turbo", "no turbo control");
    assert_value("load", "0.05 per CPU");
    assert_value("clocksource", "tsc");
    assert_value("cpus_online", "0-1");
    assert_value("cpus_allowed", "0-1");
    assert_value("smt_siblings", "no pinned client/server pair");
    assert_value("tracer", "none");
    assert_value("valgrind", "no");
    ck_assert_ptr_null(envcheck_find(&ec, "no_such_item"));
}
END_TEST

START_TEST(null_roots_mean_the_real_ones)
{
    envcheck_run(&ec, NULL, NULL, NULL, 0, NULL);
    ck_assert_uint_eq(ec.n, 9);
    /* /proc/loadavg exists on every Linux machine this runs on. */
    ck_assert_int_ne(item("load")->status, ENVCHECK_UNKNOWN);
}
END_TEST

/* ---- cpufreq_governor ---- */

START_TEST(governor_powersave_warns_naming_cpus)
{
    put("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n");
    put("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave\n");
    run();
    assert_status("cpufreq_governor", ENVCHECK_WARN);
    assert_value("cpufreq_governor", "powersave");
    assert_says("cpufreq_governor", "'powersave' on CPUs 0-1");
    assert_says("cpufreq_governor", "use 'performance'");
}
END_TEST

START_TEST(governor_mixed_names_each_group)
{
    fr_machine(dir, 4);
    put("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave\n");
    put("sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "schedutil\n");
    put("sys/devices/system/cpu/cpu3/cpufreq/scaling_governor", "schedutil\n");
    run();
    assert_status("cpufreq_governor", ENVCHECK_WARN);
    assert_says("cpufreq_governor", "'powersave' on CPU 1,");
    assert_says("cpufreq_governor", "'schedutil' on CPUs 2-3");
    ck_assert_ptr_null(strstr(item("cpufreq_governor")->message, "CPU 0"));
}
END_TEST

START_TEST(governor_absent_is_ok_no_cpufreq)
{
    drop("sys/devices/system/cpu/cpu0/cpufreq");
    drop("sys/devices/system/cpu/cpu1/cpufreq");
    run();
    assert_status("cpufreq_governor", ENVCHECK_OK);
    assert_value("cpufreq_governor", "no cpufreq");
}
END_TEST

START_TEST(governor_unreadable_is_unknown_naming_the_file)
{
    make_unreadable("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor");
    run();
    assert_status("cpufreq_governor", ENVCHECK_UNKNOWN);
    assert_says("cpufreq_governor", "cpu1/cpufreq/scaling_governor");
}
END_TEST

START_TEST(governor_missing_inside_cpufreq_is_unknown)
{
    drop("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
    run();
    assert_status("cpufreq_governor", ENVCHECK_UNKNOWN);
    assert_says("cpufreq_governor", "cpu0/cpufreq/scaling_governor");
}
END_TEST

START_TEST(governor_garbage_is_unknown)
{
    put("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "perf ormance\n");
    run();
    assert_status("cpufreq_governor", ENVCHECK_UNKNOWN);
    assert_says("cpufreq_governor", "unexpected content");
}
END_TEST

START_TEST(governor_warning_beats_an_unreadable_cpu)
{
    put("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "ondemand\n");
    make_unreadable("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor");
    run();
    assert_status("cpufreq_governor", ENVCHECK_WARN);
    assert_says("cpufreq_governor", "'ondemand' on CPU 0");
}
END_TEST

START_TEST(governor_without_cpu_directory_is_unknown)
{
    drop("sys/devices/system/cpu");
    run();
    assert_status("cpufreq_governor", ENVCHECK_UNKNOWN);
    assert_says("cpufreq_governor", "devices/system/cpu");
}
END_TEST

/* ---- turbo ---- */

START_TEST(turbo_intel_pstate_on_warns_off_is_ok)
{
    put("sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
    run();
    assert_status("turbo", ENVCHECK_WARN);
    assert_value("turbo", "on");
    assert_says("turbo", "intel_pstate/no_turbo = 0");
    put("sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
    run();
    assert_status("turbo", ENVCHECK_OK);
    assert_value("turbo", "off");
}
END_TEST

START_TEST(turbo_cpufreq_boost_on_warns_off_is_ok)
{
    put("sys/devices/system/cpu/cpufreq/boost", "1\n");
    run();
    assert_status("turbo", ENVCHECK_WARN);
    assert_says("turbo", "cpufreq/boost = 1");
    put("sys/devices/system/cpu/cpufreq/boost", "0\n");
    run();
    assert_status("turbo", ENVCHECK_OK);
    assert_value("turbo", "off");
}
END_TEST

START_TEST(turbo_garbage_or_unreadable_is_unknown)
{
    put("sys/devices/system/cpu/intel_pstate/no_turbo", "2\n");
    run();
    assert_status("turbo", ENVCHECK_UNKNOWN);
    make_unreadable("sys/devices/system/cpu/intel_pstate/no_turbo");
    run();
    assert_status("turbo", ENVCHECK_UNKNOWN);
    assert_says("turbo", "intel_pstate/no_turbo");
}
END_TEST

/* ---- load ---- */

START_TEST(load_below_half_per_cpu_is_ok)
{
    put("proc/loadavg", "0.40 0.30 0.20 1/100 999\n");
    run();
    assert_status("load", ENVCHECK_OK);
    assert_value("load", "0.20 per CPU");
    put("proc/loadavg", "1.00 0.30 0.20 1/100 999\n");    /* exactly 0.5: not above */
    run();
    assert_status("load", ENVCHECK_OK);
}
END_TEST

START_TEST(load_above_half_per_cpu_warns)
{
    put("proc/loadavg", "1.20 0.30 0.20 1/100 999\n");
    run();
    assert_status("load", ENVCHECK_WARN);
    assert_value("load", "0.60 per CPU");
    assert_says("load", "1.20 on 2 online CPUs");
}
END_TEST

START_TEST(load_divides_by_online_cpus_not_present_ones)
{
    fr_machine(dir, 4);
    put("sys/devices/system/cpu/online", "0-1\n");
    put("proc/loadavg", "1.20 0.30 0.20 1/100 999\n");
    run();
    assert_status("load", ENVCHECK_WARN);
    assert_value("load", "0.60 per CPU");
}
END_TEST

START_TEST(load_unreadable_or_garbled_is_unknown)
{
    static const char *const bad[] = { "", "abc 1 2\n", "-1.0 0 0\n", "1.2x 0 0\n",
                                       "nan 0 0\n", "inf 0 0\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put("proc/loadavg", bad[i]);
        run();
        assert_status("load", ENVCHECK_UNKNOWN);
        assert_says("load", "loadavg");
    }
    drop("proc/loadavg");
    run();
    assert_status("load", ENVCHECK_UNKNOWN);
    assert_says("load", "proc/loadavg");
    make_unreadable("proc/loadavg");
    run();
    assert_status("load", ENVCHECK_UNKNOWN);
}
END_TEST

START_TEST(load_file_longer_than_expected_is_unknown)
{
    /* its first bytes parse; the rest says this is not /proc/loadavg */
    char *big = tu_fmt("0.10 0.12 0.09 1/123 4567 %0300d\n", 0);
    put("proc/loadavg", big);
    free(big);
    run();
    assert_status("load", ENVCHECK_UNKNOWN);
    assert_says("load", "File too large");
}
END_TEST

START_TEST(load_without_online_count_is_unknown)
{
    drop("sys/devices/system/cpu/online");
    run();
    assert_status("load", ENVCHECK_UNKNOWN);
    assert_says("load", "cannot count online CPUs");
}
END_TEST

/* ---- clocksource ---- */

START_TEST(clocksource_vdso_ones_are_ok)
{
    static const char *const good[] = { "tsc\n", "kvm-clock\n", "arch_sys_counter\n",
                                        "hyperv_clocksource_tsc_page\n" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        put("sys/devices/system/clocksource/clocksource0/current_clocksource", good[i]);
        run();
        assert_status("clocksource", ENVCHECK_OK);
    }
    assert_value("clocksource", "hyperv_clocksource_tsc_page");
}
END_TEST

START_TEST(clocksource_hpet_and_acpi_pm_warn)
{
    put("sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet\n");
    run();
    assert_status("clocksource", ENVCHECK_WARN);
    assert_value("clocksource", "hpet");
    assert_says("clocksource", "'hpet'");
    assert_says("clocksource", "system call");
    put("sys/devices/system/clocksource/clocksource0/current_clocksource", "acpi_pm\n");
    run();
    assert_status("clocksource", ENVCHECK_WARN);
}
END_TEST

START_TEST(clocksource_missing_or_garbled_is_unknown)
{
    put("sys/devices/system/clocksource/clocksource0/current_clocksource", "\n");
    run();
    assert_status("clocksource", ENVCHECK_UNKNOWN);
    put("sys/devices/system/clocksource/clocksource0/current_clocksource", "ts c\n");
    run();
    assert_status("clocksource", ENVCHECK_UNKNOWN);
    fr_put_bytes(dir, "sys/devices/system/clocksource/clocksource0/current_clocksource",
                 "tsc\0hpet\n", 9);
    run();
    assert_status("clocksource", ENVCHECK_UNKNOWN);
    drop("sys/devices/system/clocksource");
    run();
    assert_status("clocksource", ENVCHECK_UNKNOWN);
    assert_says("clocksource", "current_clocksource");
}
END_TEST

/* ---- cpus_online ---- */

START_TEST(placement_on_online_cpus_is_ok)
{
    const cpu_set_t c = cpus("0"), s = cpus("1");
    const struct envcheck_placement p[] = { { &c, &s }, { &c, NULL }, { NULL, NULL } };
    run_placed(p, 3, NULL);
    assert_status("cpus_online", ENVCHECK_OK);
    assert_value("cpus_online", "0-1");
}
END_TEST

START_TEST(placement_on_offline_cpu_warns_naming_cpu_and_side)
{
    const cpu_set_t ok = cpus("0"), off = cpus("3");
    const struct envcheck_placement client_off[] = { { &ok, &ok }, { &off, NULL } };
    run_placed(client_off, 2, NULL);
    assert_status("cpus_online", ENVCHECK_WARN);
    assert_says("cpus_online", "client CPU 3 is not online (online: 0-1)");
    ck_assert_ptr_null(strstr(item("cpus_online")->message, "server"));

    const cpu_set_t two = cpus("23");
    const struct envcheck_placement server_off[] = { { &ok, &two } };
    run_placed(server_off, 1, NULL);
    assert_status("cpus_online", ENVCHECK_WARN);
    assert_says("cpus_online", "server CPUs 2-3 are not online");
    ck_assert_ptr_null(strstr(item("cpus_online")->message, "client"));

    const struct envcheck_placement both[] = { { &off, &two } };
    run_placed(both, 1, NULL);
    assert_says("cpus_online", "client CPU 3 and server CPUs 2-3 are not online");
}
END_TEST

START_TEST(online_list_with_holes_is_parsed)
{
    put("sys/devices/system/cpu/online", "0-3,5,7-8\n");
    run();
    assert_status("cpus_online", ENVCHECK_OK);
    assert_value("cpus_online", "0-3,5,7-8");
    assert_value("load", "0.01 per CPU");     /* 0.10 over 7 CPUs */

    const cpu_set_t on = cpus("0358"), hole = cpus("6"), after = cpus("9");
    const struct envcheck_placement fine[] = { { &on, &on } };
    run_placed(fine, 1, NULL);
    assert_status("cpus_online", ENVCHECK_OK);
    const struct envcheck_placement in_hole[] = { { &on, &hole } };
    run_placed(in_hole, 1, NULL);
    assert_status("cpus_online", ENVCHECK_WARN);
    assert_says("cpus_online", "server CPU 6 is");
    const struct envcheck_placement past_end[] = { { &after, NULL } };
    run_placed(past_end, 1, NULL);
    assert_says("cpus_online", "client CPU 9 is");
}
END_TEST

START_TEST(online_garbage_is_unknown_never_zero_cpus)
{
    static const char *const bad[] = {
        "", "\n", "a", "0-", "-1", "3-1", "0,,1", "0,", ",0", "0-1 x", "0 - 1",
        "1024", "0-1024", "99999999999999999999", "+1", "0-1-2", "0:2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put("sys/devices/system/cpu/online", bad[i]);
        run();
        ck_assert_msg(item("cpus_online")->status == ENVCHECK_UNKNOWN, "'%s' read as %s",
                      bad[i], item("cpus_online")->value);
        assert_says("cpus_online", "devices/system/cpu/online");
        assert_status("load", ENVCHECK_UNKNOWN);
    }
    put("sys/devices/system/cpu/online", "1023\n");     /* the largest CPU_SETSIZE holds */
    run();
    assert_status("cpus_online", ENVCHECK_OK);
    assert_value("cpus_online", "1023");
}
END_TEST

START_TEST(long_cpu_list_is_cut_with_dots)
{
    char *list = tu_fmt("0");
    for (unsigned c = 2; c < 1024; c += 2) {
        char *longer = tu_fmt("%s,%u", list, c);
        free(list);
        list = longer;
    }
    put("sys/devices/system/cpu/online", list);
    free(list);
    run();
    assert_status("cpus_online", ENVCHECK_OK);
    const char *v = item("cpus_online")->value;
    ck_assert_uint_lt(strlen(v), sizeof item("cpus_online")->value);
    ck_assert_str_eq(v + strlen(v) - 3, "...");
    ck_assert_msg(strncmp(v, "0,2,4,6,", 8) == 0, "value '%s'", v);
}
END_TEST

/* ---- cpus_allowed ---- */

START_TEST(placement_outside_allowed_cpus_warns)
{
    put("proc/self/status", "Name:\trunner\nTracerPid:\t0\nCpus_allowed_list:\t0\n");
    const cpu_set_t c = cpus("0"), s = cpus("1");
    const struct envcheck_placement p[] = { { &c, &s } };
    run_placed(p, 1, NULL);
    assert_status("cpus_online", ENVCHECK_OK);
    assert_status("cpus_allowed", ENVCHECK_WARN);
    assert_says("cpus_allowed", "server CPU 1 is not allowed to this process");
    const struct envcheck_placement q[] = { { &c, &c } };
    run_placed(q, 1, NULL);
    assert_status("cpus_allowed", ENVCHECK_OK);
    assert_value("cpus_allowed", "0");
}
END_TEST

START_TEST(long_allowed_list_is_read_to_its_end)
{
    put("sys/devices/system/cpu/online", "0-299\n");
    char *list = tu_fmt("0");
    for (unsigned c = 2; c < 300; c += 2) {
        char *longer = tu_fmt("%s,%u", list, c);
        free(list);
        list = longer;
    }
    char *status = tu_fmt("TracerPid:\t0\nCpus_allowed_list:\t%s\n", list);
    put("proc/self/status", status);
    free(status);
    free(list);
    cpu_set_t last, odd;
    CPU_ZERO(&last);
    CPU_SET(298, &last);
    CPU_ZERO(&odd);
    CPU_SET(297, &odd);
    const struct envcheck_placement p[] = { { &last, &last } };
    run_placed(p, 1, NULL);
    assert_status("cpus_allowed", ENVCHECK_OK);
    const struct envcheck_placement q[] = { { &last, &odd } };
    run_placed(q, 1, NULL);
    assert_status("cpus_allowed", ENVCHECK_WARN);
    assert_says("cpus_allowed", "server CPU 297 is not allowed");
}
END_TEST

START_TEST(allowed_missing_or_garbled_is_unknown)
{
    put("proc/self/status", "Name:\trunner\nTracerPid:\t0\n");
    run();
    assert_status("cpus_allowed", ENVCHECK_UNKNOWN);
    assert_says("cpus_allowed", "Cpus_allowed_list");
    put("proc/self/status", "TracerPid:\t0\nCpus_allowed_list:\tzero\n");
    run();
    assert_status("cpus_allowed", ENVCHECK_UNKNOWN);
    assert_status("tracer", ENVCHECK_OK);
}
END_TEST

/* ---- smt_siblings: 4 CPUs, cores {0,2} and {1,3} ---- */

static void smt_machine(void)
{
    fr_machine(dir, 4);
    put("sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0,2\n");
    put("sys/devices/system/cpu/cpu2/topology/thread_siblings_list", "0,2\n");
    put("sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "1,3\n");
    put("sys/devices/system/cpu/cpu3/topology/thread_siblings_list", "1,3\n");
}

START_TEST(smt_siblings_shared_warns)
{
    smt_machine();
    run_pair("0", "2");
    assert_status("smt_siblings", ENVCHECK_WARN);
    assert_value("smt_siblings", "0,2 share a core");
    assert_says("smt_siblings", "client CPU 0 and server CPU 2 are SMT siblings");
    ck_assert_ptr_null(strstr(item("smt_siblings")->message, "more"));
}
END_TEST

START_TEST(smt_separate_cores_are_ok)
{
    smt_machine();
    const cpu_set_t c = cpus("0"), s = cpus("1"), same = cpus("0"), both = cpus("02");
    const struct envcheck_placement p[] = { { &c, &s }, { &c, &same } };
    run_placed(p, 2, NULL);
    assert_status("smt_siblings", ENVCHECK_OK);
    assert_value("smt_siblings", "no shared cores");
    /* a client on both threads of one core with no server pinned: nothing shared */
    const struct envcheck_placement q[] = { { &both, NULL } };
    run_placed(q, 1, NULL);
    assert_status("smt_siblings", ENVCHECK_OK);
    assert_value("smt_siblings", "no pinned client/server pair");
}
END_TEST

START_TEST(smt_counts_further_pairs)
{
    smt_machine();
    run_pair("01", "23");
    assert_status("smt_siblings", ENVCHECK_WARN);
    assert_says("smt_siblings", "client CPU 0 and server CPU 2");
    assert_says("smt_siblings", "(1 more such pairs)");
}
END_TEST

START_TEST(smt_reads_core_cpus_list_when_the_old_name_is_gone)
{
    smt_machine();
    drop("sys/devices/system/cpu/cpu0/topology/thread_siblings_list");
    put("sys/devices/system/cpu/cpu0/topology/core_cpus_list", "0,2\n");
    run_pair("0", "2");
    assert_status("smt_siblings", ENVCHECK_WARN);
}
END_TEST

START_TEST(smt_skips_offline_client_cpus)
{
    /* an offline CPU has no topology to read; cpus_online reports it */
    smt_machine();
    put("sys/devices/system/cpu/online", "0-1\n");
    drop("sys/devices/system/cpu/cpu3/topology");
    run_pair("3", "1");
    assert_status("smt_siblings", ENVCHECK_OK);
    assert_value("smt_siblings", "no shared cores");
    assert_status("cpus_online", ENVCHECK_WARN);
}
END_TEST

START_TEST(smt_unreadable_topology_is_unknown_only_when_needed)
{
    smt_machine();
    drop("sys/devices/system/cpu/cpu0/topology");
    run();
    assert_status("smt_siblings", ENVCHECK_OK);
    run_pair("0", "2");
    assert_status("smt_siblings", ENVCHECK_UNKNOWN);
    assert_says("smt_siblings", "cpu0/topology/thread_siblings_list");
    put("sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0,x\n");
    run_pair("0", "2");
    assert_status("smt_siblings", ENVCHECK_UNKNOWN);
    assert_says("smt_siblings", "unexpected content");
}
END_TEST

/* ---- tracer ---- */

START_TEST(tracer_nonzero_warns_with_its_name)
{
    put("proc/self/status", "Name:\trunner\nTracerPid:\t1234\nCpus_allowed_list:\t0-1\n");
    run();
    assert_status("tracer", ENVCHECK_WARN);
    assert_value("tracer", "1234");
    assert_says("tracer", "traced by PID 1234 (strace/gdb?)");
    put("proc/1234/comm", "strace\n");
    run();
    assert_says("tracer", "traced by PID 1234 (strace)");
    put("proc/self/status", "TracerPid:\t1\nCpus_allowed_list:\t0-1\n");
    run();
    assert_status("tracer", ENVCHECK_WARN);
    assert_value("tracer", "1");
}
END_TEST

START_TEST(tracer_unreadable_is_unknown)
{
    put("proc/self/status", "Name:\trunner\nCpus_allowed_list:\t0-1\n");
    run();
    assert_status("tracer", ENVCHECK_UNKNOWN);
    assert_says("tracer", "TracerPid");
    put("proc/self/status", "TracerPid:\tbusy\nCpus_allowed_list:\t0-1\n");
    run();
    assert_status("tracer", ENVCHECK_UNKNOWN);
    put("proc/self/status", "TracerPid:\t-3\nCpus_allowed_list:\t0-1\n");
    run();
    assert_status("tracer", ENVCHECK_UNKNOWN);
    drop("proc/self/status");
    run();
    assert_status("tracer", ENVCHECK_UNKNOWN);
    assert_status("cpus_allowed", ENVCHECK_UNKNOWN);
    assert_says("tracer", "self/status");
}
END_TEST

/* ---- valgrind ---- */

START_TEST(valgrind_preload_warns_other_preload_does_not)
{
    run_placed(NULL, 0, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so");
    assert_status("valgrind", ENVCHECK_WARN);
    assert_value("valgrind", "vgpreload in LD_PRELOAD");
    assert_says("valgrind", "valgrind");
    run_placed(NULL, 0, "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
    assert_status("valgrind", ENVCHECK_OK);
    run_placed(NULL, 0, "");
    assert_status("valgrind", ENVCHECK_OK);
}
END_TEST

START_TEST(valgrind_in_maps_warns_without_preload)
{
    put("proc/self/maps",
        "04837000-04838000 r--p 00000000 fe:00 335534 "
        "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so\n");
    run();
    assert_status("valgrind", ENVCHECK_WARN);
    assert_value("valgrind", "vgpreload mapped");
}
END_TEST

START_TEST(valgrind_unreadable_maps_is_unknown_unless_preload_says)
{
    drop("proc/self/maps");
    run();
    assert_status("valgrind", ENVCHECK_UNKNOWN);
    assert_says("valgrind", "self/maps");
    run_placed(NULL, 0, "vgpreload_memcheck-amd64-linux.so");
    assert_status("valgrind", ENVCHECK_WARN);
}
END_TEST

/* ---- the rest ---- */

START_TEST(status_names)
{
    ck_assert_str_eq(envcheck_status_name(ENVCHECK_OK), "ok");
    ck_assert_str_eq(envcheck_status_name(ENVCHECK_WARN), "warning");
    ck_assert_str_eq(envcheck_status_name(ENVCHECK_UNKNOWN), "unknown");
    ck_assert_str_eq(envcheck_status_name((enum envcheck_status)42), "invalid");
}
END_TEST

START_TEST(empty_roots_make_every_item_unknown_but_smt)
{
    char *none = tu_fmt("%s/nothing", dir);
    envcheck_run(&ec, none, none, NULL, 0, NULL);
    free(none);
    ck_assert_uint_eq(ec.n, 9);
    /* smt_siblings reads nothing when no client/server pair is pinned */
    for (size_t i = 0; i < ec.n; i++)
        if (strcmp(ec.items[i].name, "smt_siblings") != 0)
            assert_status(ec.items[i].name, ENVCHECK_UNKNOWN);
    assert_status("smt_siblings", ENVCHECK_OK);
}
END_TEST

START_TEST(overlong_roots_are_unknown_not_a_crash)
{
    char *huge = malloc(6000);
    ck_assert_ptr_nonnull(huge);
    memset(huge, 'x', 5999);
    huge[0] = '/';
    huge[5999] = '\0';
    const cpu_set_t c = cpus("0"), s = cpus("1");
    const struct envcheck_placement p[] = { { &c, &s } };
    envcheck_run(&ec, huge, huge, p, 1, NULL);
    free(huge);
    ck_assert_uint_eq(ec.n, 9);
    ck_assert_uint_eq(envcheck_count(&ec, ENVCHECK_WARN), 0);
    assert_status("load", ENVCHECK_UNKNOWN);
    assert_status("smt_siblings", ENVCHECK_UNKNOWN);
    assert_says("load", "File name too long");
}
END_TEST

START_TEST(real_proc_and_sys_return_every_item)
{
    cpu_set_t zero;
    CPU_ZERO(&zero);
    CPU_SET(0, &zero);
    const struct envcheck_placement p[] = { { &zero, &zero }, { &zero, NULL } };
    envcheck_run(&ec, "/proc", "/sys", p, 2, getenv("LD_PRELOAD"));
    ck_assert_uint_eq(ec.n, 9);
    for (size_t i = 0; i < ec.n; i++) {
        const struct envcheck_item *it = &ec.items[i];
        ck_assert_ptr_nonnull(it->name);
        ck_assert_str_ne(envcheck_status_name(it->status), "invalid");
        ck_assert_uint_lt(strlen(it->value), sizeof it->value);
        if (it->status != ENVCHECK_OK)
            ck_assert_msg(it->message[0] != '\0', "%s has no message", it->name);
    }
}
END_TEST

static Suite *envcheck_suite(void)
{
    Suite *s = suite_create("envcheck");
    struct {
        const char *name;
        const TTest *tests[12];
    } cases[] = {
        { "whole", { healthy_machine_is_all_ok_with_every_item_in_order,
                     null_roots_mean_the_real_ones, status_names,
                     empty_roots_make_every_item_unknown_but_smt,
                     overlong_roots_are_unknown_not_a_crash,
                     real_proc_and_sys_return_every_item } },
        { "governor", { governor_powersave_warns_naming_cpus, governor_mixed_names_each_group,
                        governor_absent_is_ok_no_cpufreq,
                        governor_unreadable_is_unknown_naming_the_file,
                        governor_missing_inside_cpufreq_is_unknown, governor_garbage_is_unknown,
                        governor_warning_beats_an_unreadable_cpu,
                        governor_without_cpu_directory_is_unknown,
                        turbo_intel_pstate_on_warns_off_is_ok,
                        turbo_cpufreq_boost_on_warns_off_is_ok,
                        turbo_garbage_or_unreadable_is_unknown } },
        { "load_clock", { load_below_half_per_cpu_is_ok, load_above_half_per_cpu_warns,
                          load_divides_by_online_cpus_not_present_ones,
                          load_unreadable_or_garbled_is_unknown,
                          load_file_longer_than_expected_is_unknown,
                          load_without_online_count_is_unknown, clocksource_vdso_ones_are_ok,
                          clocksource_hpet_and_acpi_pm_warn,
                          clocksource_missing_or_garbled_is_unknown } },
        { "placement", { placement_on_online_cpus_is_ok,
                         placement_on_offline_cpu_warns_naming_cpu_and_side,
                         online_list_with_holes_is_parsed,
                         online_garbage_is_unknown_never_zero_cpus,
                         long_cpu_list_is_cut_with_dots,
                         placement_outside_allowed_cpus_warns, long_allowed_list_is_read_to_its_end,
                         allowed_missing_or_garbled_is_unknown } },
        { "smt", { smt_siblings_shared_warns, smt_separate_cores_are_ok, smt_counts_further_pairs,
                   smt_reads_core_cpus_list_when_the_old_name_is_gone, smt_skips_offline_client_cpus,
                   smt_unreadable_topology_is_unknown_only_when_needed } },
        { "process", { tracer_nonzero_warns_with_its_name, tracer_unreadable_is_unknown,
                       valgrind_preload_warns_other_preload_does_not,
                       valgrind_in_maps_warns_without_preload,
                       valgrind_unreadable_maps_is_unknown_unless_preload_says } },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        TCase *tc = tcase_create(cases[c].name);
        tcase_add_unchecked_fixture(tc, case_setup, case_teardown);
        tcase_add_checked_fixture(tc, setup, teardown);
        for (size_t t = 0; t < 12 && cases[c].tests[t] != NULL; t++)
            tcase_add_test(tc, cases[c].tests[t]);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    return tu_run_suite(envcheck_suite());
}
