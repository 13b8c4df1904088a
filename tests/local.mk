# tests/local.mk — the runner's own tests, and the harness plugin tests share.

# Stands in for the tests of a plugin configure left out (tests/NAME/local.mk):
# one SKIP (exit 77) whose log says why, so make check shows the gap.
why_tcp_test = $(why_tcp)
why_uds_test = $(why_tcp)
why_rest_test = $(why_rest)
why_grpc_unary_test = $(why_grpc)
why_grpc_stream_test = $(why_grpc)
tests/%/not_built: Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	{ echo '#!/bin/sh'; echo "echo '$* plugin not built: $(why_$*_test)'"; echo 'exit 77'; } > $@ && \
	chmod +x $@

check_LTLIBRARIES += tests/libharness.la
tests_libharness_la_SOURCES = tests/harness.c tests/harness.h
tests_libharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_libharness_la_LIBADD = $(CHECK_LIBS) -ldl

# ---- the runner's own tests (issue 2, item 9) ----
# Unit tests compile the runner's sources straight into the test program;
# e2e_test runs the built runner/runner. All of them load the test plugins
# in tests/plugins/ from the build tree ($top_builddir from the environment).
RUNNER_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/runner -I$(top_srcdir)/tests
RUNNER_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
RUNNER_TEST_LIBS = $(CHECK_LIBS) -lm
TESTUTIL_SOURCES = tests/testutil.c tests/testutil.h
# config.c and what it reads with: its key table, sizes, sweeps, CPU lists.
CONFIG_SOURCES = runner/config.c runner/config_keys.c runner/config.h runner/confighelp.c \
	runner/cpulist.c runner/cpulist.h runner/size.c runner/size.h runner/sweep.c runner/sweep.h

check_PROGRAMS += tests/config_test tests/histogram_test tests/plugin_test tests/e2e_test \
	tests/accounting_test tests/outputs_test
TESTS += tests/config_test tests/histogram_test tests/plugin_test tests/e2e_test \
	tests/accounting_test tests/outputs_test

tests_config_test_SOURCES = tests/config_test.c $(TESTUTIL_SOURCES) $(CONFIG_SOURCES)
tests_config_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_config_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(INIH_CFLAGS)
tests_config_test_LDADD = $(INIH_LIBS) $(RUNNER_TEST_LIBS)

tests_histogram_test_SOURCES = tests/histogram_test.c $(TESTUTIL_SOURCES) \
	runner/histogram.c runner/histogram.h
tests_histogram_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_histogram_test_CFLAGS = $(RUNNER_TEST_CFLAGS)
tests_histogram_test_LDADD = $(RUNNER_TEST_LIBS)

# plugin.c searches a fake installed plugin dir here, so that "not found"
# messages are predictable, and never the build tree (this program does not
# live under runner/); e2e_test covers the build tree through the runner.
tests_plugin_test_SOURCES = tests/plugin_test.c $(TESTUTIL_SOURCES) \
	runner/plugin.c runner/plugin.h
tests_plugin_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS) \
	-DINCBENCH_PKGLIBDIR='"/nonexistent/incbench-test-pkglibdir"' \
	-DINCBENCH_BUILDDIR='"$(abs_top_builddir)"'
tests_plugin_test_CFLAGS = $(RUNNER_TEST_CFLAGS)
tests_plugin_test_LDADD = $(RUNNER_TEST_LIBS) -ldl
# The plugins the tests load must be built before the tests run.
tests_plugin_test_DEPENDENCIES = $(check_LTLIBRARIES) plugins/direct/direct.la

E2EUTIL_SOURCES = tests/e2eutil.c tests/e2eutil.h $(TESTUTIL_SOURCES)
tests_e2e_test_SOURCES = tests/e2e_test.c $(E2EUTIL_SOURCES)
tests_e2e_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
# --check-plugin runs on every transport this build made.
if BUILD_TCP
tests_e2e_test_CPPFLAGS += -DTEST_TCP_PLUGIN
endif
if BUILD_REST
tests_e2e_test_CPPFLAGS += -DTEST_REST_PLUGIN
endif
if BUILD_GRPC
tests_e2e_test_CPPFLAGS += -DTEST_GRPC_PLUGINS
endif
tests_e2e_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS)
tests_e2e_test_LDADD = $(JANSSON_LIBS) $(RUNNER_TEST_LIBS)
tests_e2e_test_DEPENDENCIES = $(check_LTLIBRARIES) $(pkglib_LTLIBRARIES) runner/runner

# Sweeps and payload through the runner (issue 12).
check_PROGRAMS += tests/sweep_test
TESTS += tests/sweep_test
tests_sweep_test_SOURCES = tests/sweep_test.c $(E2EUTIL_SOURCES)
tests_sweep_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_sweep_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS)
tests_sweep_test_LDADD = $(JANSSON_LIBS) $(RUNNER_TEST_LIBS)
tests_sweep_test_DEPENDENCIES = $(check_LTLIBRARIES) $(pkglib_LTLIBRARIES) runner/runner

tests_outputs_test_SOURCES = tests/outputs_test.c $(E2EUTIL_SOURCES)
tests_outputs_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_outputs_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS)
tests_outputs_test_LDADD = $(JANSSON_LIBS) $(RUNNER_TEST_LIBS)
tests_outputs_test_DEPENDENCIES = $(check_LTLIBRARIES) $(pkglib_LTLIBRARIES) runner/runner

tests_accounting_test_SOURCES = tests/accounting_test.c $(E2EUTIL_SOURCES)
tests_accounting_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
# Its tcp and rest cases need those plugins (tests/tcp, tests/rest SKIP else).
if BUILD_TCP
tests_accounting_test_CPPFLAGS += -DTEST_TCP_PLUGIN
endif
if BUILD_REST
tests_accounting_test_CPPFLAGS += -DTEST_REST_PLUGIN
endif
tests_accounting_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS)
tests_accounting_test_LDADD = $(JANSSON_LIBS) $(RUNNER_TEST_LIBS)
tests_accounting_test_DEPENDENCIES = $(check_LTLIBRARIES) $(pkglib_LTLIBRARIES) runner/runner

EXTRA_DIST += tests/valgrind.ini tests/only_awk.sh
# The installed configs of a build that left plugins out (conf/only.awk).
TESTS += tests/only_awk.sh

# 95% intervals from repeat means (issue 8, item 3).
check_PROGRAMS += tests/interval_test
TESTS += tests/interval_test
tests_interval_test_SOURCES = tests/interval_test.c $(TESTUTIL_SOURCES) \
	runner/interval.c runner/interval.h
tests_interval_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_interval_test_CFLAGS = $(RUNNER_TEST_CFLAGS)
tests_interval_test_LDADD = $(RUNNER_TEST_LIBS)

# ---- the environment check against fake /proc and /sys trees (issue 8, item 4) ----
check_PROGRAMS += tests/envcheck_test
TESTS += tests/envcheck_test
tests_envcheck_test_SOURCES = tests/envcheck_test.c $(TESTUTIL_SOURCES) \
	tests/fakeroot.c tests/fakeroot.h \
	runner/envcheck.c runner/envcheck.h runner/cpulist.c runner/cpulist.h
tests_envcheck_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_envcheck_test_CFLAGS = $(RUNNER_TEST_CFLAGS)
tests_envcheck_test_LDADD = $(RUNNER_TEST_LIBS)

# ---- CPU, switch and syscall counters (issue 8, item 1) ----
check_PROGRAMS += tests/usage_test
TESTS += tests/usage_test
tests_usage_test_SOURCES = tests/usage_test.c $(TESTUTIL_SOURCES) \
	runner/usage.c runner/usage.h
tests_usage_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_usage_test_CFLAGS = $(RUNNER_TEST_CFLAGS) -pthread
tests_usage_test_LDADD = $(RUNNER_TEST_LIBS)
tests_usage_test_LDFLAGS = -pthread

# ---- every figure a report shows, from results made by hand (issue 8) ----
check_PROGRAMS += tests/figures_test
TESTS += tests/figures_test
tests_figures_test_SOURCES = tests/figures_test.c $(TESTUTIL_SOURCES) \
	tests/madefix.c tests/madefix.h \
	runner/figures.c runner/figures.h runner/report_sweep.c runner/report_sweep.h \
	runner/interval.c runner/interval.h \
	runner/histogram.c runner/histogram.h runner/usage.c runner/usage.h
tests_figures_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_figures_test_CFLAGS = $(RUNNER_TEST_CFLAGS)
tests_figures_test_LDADD = $(RUNNER_TEST_LIBS)

# ---- runner --compare (issue 11, item 3) ----
# The test itself, the reader on reports made to order, and the command
# line on files and on real runs.
COMPAREFIX_SOURCES = tests/comparefix.c tests/comparefix.h
check_PROGRAMS += tests/compare_stats_test tests/compare_read_test tests/compare_test
TESTS += tests/compare_stats_test tests/compare_read_test tests/compare_test
tests_compare_stats_test_SOURCES = tests/compare_stats_test.c $(TESTUTIL_SOURCES) \
	runner/compare_stats.c runner/compare_stats.h
tests_compare_stats_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_compare_stats_test_CFLAGS = $(RUNNER_TEST_CFLAGS)
tests_compare_stats_test_LDADD = $(RUNNER_TEST_LIBS)

tests_compare_read_test_SOURCES = tests/compare_read_test.c $(TESTUTIL_SOURCES) \
	$(COMPAREFIX_SOURCES) runner/compare_read.c runner/compare_read.h
tests_compare_read_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_compare_read_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS)
tests_compare_read_test_LDADD = $(JANSSON_LIBS) $(RUNNER_TEST_LIBS)

tests_compare_test_SOURCES = tests/compare_test.c $(E2EUTIL_SOURCES) $(COMPAREFIX_SOURCES)
tests_compare_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_compare_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS)
tests_compare_test_LDADD = $(JANSSON_LIBS) $(RUNNER_TEST_LIBS)
tests_compare_test_DEPENDENCIES = $(check_LTLIBRARIES) $(pkglib_LTLIBRARIES) runner/runner

# TLS handshakes (issue 14) end to end, through test plugins that count
# them without OpenSSL (tests/plugins/net.c, NET_TLS).
check_PROGRAMS += tests/handshakes_test
TESTS += tests/handshakes_test
tests_handshakes_test_SOURCES = tests/handshakes_test.c $(E2EUTIL_SOURCES)
tests_handshakes_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_handshakes_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS)
tests_handshakes_test_LDADD = $(JANSSON_LIBS) $(RUNNER_TEST_LIBS)
tests_handshakes_test_DEPENDENCIES = $(check_LTLIBRARIES) $(pkglib_LTLIBRARIES) runner/runner
