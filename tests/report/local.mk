# tests/report/local.mk — format = html (issue 11): the page from results
# made by hand (html_test, Check), and a real run opened in headless
# chromium (browser.sh), which also makes the README's screenshot:
#   make report-png        writes $(srcdir)/docs/report.png
# Both SKIP, saying why, when configure left the html format out or
# chromium / xmllint are missing (CI installs them: scripts/deps.sh).
check_PROGRAMS += tests/report/html_test
TESTS += tests/report/html_test tests/report/browser.sh
REPORT_TEST_SOURCES = $(TESTUTIL_SOURCES) tests/madefix.c tests/madefix.h \
	tests/report/renderfix.c tests/report/renderfix.h \
	runner/report.c runner/report.h runner/report_html.c runner/report_html.h \
	runner/report_cells.h runner/report_tls.c runner/report_tls.h runner/htmlpage.c runner/htmlpage.h runner/grid.c runner/grid.h \
	runner/nines_chart.c runner/nines_chart.h runner/sweep_chart.c runner/sweep_chart.h \
	runner/figures.c runner/figures.h runner/report_sweep.c runner/report_sweep.h \
	runner/interval.c runner/interval.h \
	runner/histogram.c runner/histogram.h runner/usage.c runner/usage.h \
	runner/envcheck.c runner/envcheck.h runner/cpulist.c runner/cpulist.h \
	runner/config.c runner/config_keys.c runner/config.h runner/size.c runner/size.h \
	runner/sweep.c runner/sweep.h
tests_report_html_test_SOURCES = tests/report/html_test.c $(REPORT_TEST_SOURCES)
nodist_tests_report_html_test_SOURCES = runner/chartjs.c
tests_report_html_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS) -DTEST_CHARTJS='"$(CHARTJS)"'
tests_report_html_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS) $(INIH_CFLAGS)
tests_report_html_test_LDADD = $(JANSSON_LIBS) $(INIH_LIBS) $(RUNNER_TEST_LIBS)

# Payloads and sweeps in every face but html (issue 12), and the JSON read
# back by --compare.
check_PROGRAMS += tests/report/sweep_test
TESTS += tests/report/sweep_test
tests_report_sweep_test_SOURCES = tests/report/sweep_test.c $(REPORT_TEST_SOURCES) \
	runner/compare.c runner/compare.h runner/compare_read.c runner/compare_read.h \
	runner/compare_stats.c runner/compare_stats.h
nodist_tests_report_sweep_test_SOURCES = runner/chartjs.c
tests_report_sweep_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_report_sweep_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS) $(INIH_CFLAGS)
tests_report_sweep_test_LDADD = $(JANSSON_LIBS) $(INIH_LIBS) $(RUNNER_TEST_LIBS)

EXTRA_DIST += tests/report/browser.sh tests/report/check.js tests/report/report.ini \
	docs/report.png
AM_TESTS_ENVIRONMENT += why_html='$(why_html)'; export why_html; \
	plugins_built='$(PLUGINS_BUILT)'; export plugins_built;

# The README's screenshot, from a longer run than the test's.
report-png: all
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  why_html='$(why_html)' plugins_built='$(PLUGINS_BUILT)' \
	  REPORT_PNG='$(abs_top_srcdir)/docs/report.png' \
	  REPORT_ARGS='-D runner.requests=20000 -D runner.repeat=5' \
	  $(SHELL) $(srcdir)/tests/report/browser.sh
.PHONY: report-png

# TLS handshakes in every face (issue 14), and the JSON read back by
# --compare with and without them.
check_PROGRAMS += tests/report/tls_test
TESTS += tests/report/tls_test
tests_report_tls_test_SOURCES = tests/report/tls_test.c $(REPORT_TEST_SOURCES) \
	runner/compare_read.c runner/compare_read.h
nodist_tests_report_tls_test_SOURCES = runner/chartjs.c
tests_report_tls_test_CPPFLAGS = $(RUNNER_TEST_CPPFLAGS)
tests_report_tls_test_CFLAGS = $(RUNNER_TEST_CFLAGS) $(JANSSON_CFLAGS) $(INIH_CFLAGS)
tests_report_tls_test_LDADD = $(JANSSON_LIBS) $(INIH_LIBS) $(RUNNER_TEST_LIBS)
