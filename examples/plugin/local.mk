# examples/plugin/local.mk — two out-of-tree example plugins, installed with
# the Makefile that builds them in $(docdir)/examples/plugin. make check
# builds them here from include/ alone (no -D_GNU_SOURCE, no plugins/common)
# and tests them; installcheck builds them with that installed Makefile
# against the INSTALLED header (found with the installed incbench.pc) and
# runs them with the installed runner.
examplesdir = $(docdir)/examples/plugin
dist_examples_DATA = examples/plugin/Makefile examples/plugin/example.c \
	examples/plugin/example.ini examples/plugin/netexample.c examples/plugin/netexample.ini

EXAMPLE_CPPFLAGS = -I$(top_srcdir)/include
check_LTLIBRARIES += examples/plugin/example.la examples/plugin/netexample.la
examples_plugin_example_la_SOURCES = examples/plugin/example.c
examples_plugin_example_la_CPPFLAGS = $(EXAMPLE_CPPFLAGS)
examples_plugin_example_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
examples_plugin_netexample_la_SOURCES = examples/plugin/netexample.c
examples_plugin_netexample_la_CPPFLAGS = $(EXAMPLE_CPPFLAGS)
examples_plugin_netexample_la_CFLAGS = $(AM_CFLAGS) $(PTHREAD_FLAGS)
examples_plugin_netexample_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)

check_PROGRAMS += tests/examples/test_netexample
TESTS += tests/examples/test_netexample tests/examples/examples.sh
EXTRA_DIST += tests/examples/examples.sh
tests_examples_test_netexample_SOURCES = tests/examples/test_netexample.c
tests_examples_test_netexample_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_examples_test_netexample_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_examples_test_netexample_LDADD = tests/libharness.la $(CHECK_LIBS)
tests_examples_test_netexample_DEPENDENCIES = tests/libharness.la \
	examples/plugin/netexample.la

installcheck-local: installcheck-examples
installcheck-examples:
	rm -rf examples-installcheck && cp -R '$(DESTDIR)$(examplesdir)' examples-installcheck && \
	  chmod -R u+w examples-installcheck
	cd examples-installcheck && \
	  PKG_CONFIG_PATH='$(DESTDIR)$(pkgconfigdir)' $(MAKE) PKG_CONFIG='$(PKG_CONFIG)' \
	    CC='$(CC)' CFLAGS='-O2 -Wall -Wextra -Werror' RUNNER='$(DESTDIR)$(bindir)/runner' check
	cd examples-installcheck && \
	  '$(DESTDIR)$(bindir)/runner' -D runner.requests=1000 -D runner.repeat=1 example.ini && \
	  '$(DESTDIR)$(bindir)/runner' -D runner.requests=1000 -D runner.repeat=1 netexample.ini
	rm -rf examples-installcheck
.PHONY: installcheck-examples
