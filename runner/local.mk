# runner/local.mk — the program `runner`, built as runner/runner.
bin_PROGRAMS += runner/runner
runner_runner_SOURCES = runner/main.c
runner_runner_CPPFLAGS = $(AM_CPPFLAGS) \
	-DINCBENCH_PKGLIBDIR='"$(pkglibdir)"' \
	-DINCBENCH_BUILDDIR='"$(abs_top_builddir)"'
runner_runner_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) $(JANSSON_CFLAGS)
runner_runner_LDADD = $(INIH_LIBS) $(JANSSON_LIBS) -ldl -lm
