# tests/uds/local.mk — tests of the uds transport: tcp's test programs run
# again over Unix sockets (tcp_tests.sh), and its own addresses (test_uds).
EXTRA_DIST += tests/uds/tcp_tests.sh
if BUILD_TCP
check_PROGRAMS += tests/uds/test_uds
TESTS += tests/uds/test_uds tests/uds/tcp_tests.sh
tests_uds_test_uds_SOURCES = tests/uds/test_uds.c
tests_uds_test_uds_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_uds_test_uds_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_uds_test_uds_LDADD = tests/libharness.la $(CHECK_LIBS)
else
# One SKIP in make check, saying why the plugin was left out.
TESTS += tests/uds/not_built
CLEANFILES += tests/uds/not_built
endif
