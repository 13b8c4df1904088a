# tests/local.mk — the runner's own tests, and the harness plugin tests share.
check_LTLIBRARIES += tests/libharness.la
tests_libharness_la_SOURCES = tests/harness.c tests/harness.h
tests_libharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_libharness_la_LIBADD = $(CHECK_LIBS) -ldl
