# tests/lifecycle/local.mk — the runner's server lifecycle (spawn, thread,
# external) against a test plugin whose server misbehaves on request.
check_LTLIBRARIES += tests/lifecycle/lifesrv.la
tests_lifecycle_lifesrv_la_SOURCES = tests/lifecycle/lifesrv.c
tests_lifecycle_lifesrv_la_CFLAGS = $(AM_CFLAGS) -pthread
tests_lifecycle_lifesrv_la_LDFLAGS = $(PLUGIN_LDFLAGS) -rpath /nowhere
tests_lifecycle_lifesrv_la_LIBADD = plugins/common/libplugincommon.la -lpthread
TESTS += tests/lifecycle/lifecycle.sh
EXTRA_DIST += tests/lifecycle/lifecycle.sh
