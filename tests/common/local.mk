# tests/common/local.mk — the helpers of plugins/common on their own: the
# clock and the wait for a deadline, on pipes and signals.
check_PROGRAMS += tests/common/test_deadline
TESTS += tests/common/test_deadline
tests_common_test_deadline_SOURCES = tests/common/test_deadline.c
tests_common_test_deadline_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common \
	-I$(top_srcdir)/tests
tests_common_test_deadline_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PTHREAD_FLAGS)
tests_common_test_deadline_LDFLAGS = $(PTHREAD_FLAGS)
tests_common_test_deadline_LDADD = plugins/common/libplugincommon.la tests/libharness.la \
	$(CHECK_LIBS)
