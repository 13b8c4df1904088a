# runner/local.mk — the program `runner`, built as runner/runner.
bin_PROGRAMS += runner/runner
runner_runner_SOURCES = runner/main.c \
	runner/config.c runner/config_keys.c runner/config.h runner/confighelp.c runner/cpulist.c runner/cpulist.h \
	runner/size.c runner/size.h runner/sweep.c runner/sweep.h \
	runner/plugin.c runner/plugin.h \
	runner/server.c runner/server.h runner/serve.c runner/serve.h \
	runner/run.c runner/run.h runner/result.h \
	runner/loop.c runner/loop.h \
	runner/watch.c runner/watch.h runner/progress.c runner/progress.h \
	runner/usage.c runner/usage.h \
	runner/histogram.c runner/histogram.h \
	runner/interval.c runner/interval.h \
	runner/report.c runner/report.h runner/grid.c runner/grid.h \
	runner/figures.c runner/figures.h runner/report_sweep.c runner/report_sweep.h \
	runner/machine.c runner/machine.h \
	runner/contract.c runner/contract.h runner/contract_rule.h \
	runner/contract_process.c runner/params.c runner/params.h
# plugins/common lends the runner its clock and deadline wait (deadline.h).
runner_runner_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common \
	-DINCBENCH_PKGLIBDIR='"$(pkglibdir)"' \
	-DINCBENCH_BUILDDIR='"$(abs_top_builddir)"'
runner_runner_CFLAGS = $(AM_CFLAGS) -pthread $(INIH_CFLAGS) $(JANSSON_CFLAGS)
runner_runner_LDADD = plugins/common/libplugincommon.la $(INIH_LIBS) $(JANSSON_LIBS) -ldl -lm
runner_runner_LDFLAGS = -pthread
# The install and build paths above are baked in: a new ./configure (another
# --prefix) must rebuild the files that use them, and make cannot see that
# through the flags alone.
runner/runner-plugin.$(OBJEXT) runner/runner-main.$(OBJEXT): Makefile
# The environment check (issue 8, item 4), read at start for the report header.
runner_runner_SOURCES += runner/envcheck.c runner/envcheck.h
# --compare: JSON reports read back and set against each other (issue 11, item 3).
runner_runner_SOURCES += runner/compare.c runner/compare.h runner/compare_read.c \
	runner/compare_read.h runner/compare_stats.c runner/compare_stats.h
# format = html (issue 11): the page pieces, the run's page, and Chart.js
# embedded as a C array (runner/chartjs.c, generated from the file
# configure found), so the installed runner never reads it. Without
# Chart.js the array is empty and config.c refuses format = html.
runner_runner_SOURCES += runner/htmlpage.c runner/htmlpage.h \
	runner/report_html.c runner/report_html.h runner/report_cells.h \
	runner/nines_chart.c runner/nines_chart.h
# Payloads and sweeps in the report (issue 12): latency against the swept value.
runner_runner_SOURCES += runner/sweep_chart.c runner/sweep_chart.h
# TLS handshakes in the report (issue 14): the cells every face shares.
runner_runner_SOURCES += runner/report_tls.c runner/report_tls.h
nodist_runner_runner_SOURCES = runner/chartjs.c
BUILT_SOURCES += runner/chartjs.c
CLEANFILES += runner/chartjs.c
EXTRA_DIST += runner/embed.sh
# Makefile: another ./configure may find another Chart.js, or none.
if BUILD_HTML
runner/chartjs.c: $(CHARTJS) $(srcdir)/runner/embed.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(SHELL) $(srcdir)/runner/embed.sh htmlpage_chartjs '$(CHARTJS)' > $@-t && mv $@-t $@
else
runner/chartjs.c: $(srcdir)/runner/embed.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(SHELL) $(srcdir)/runner/embed.sh htmlpage_chartjs > $@-t && mv $@-t $@
endif
