# tests/tcp/local.mk — tests of the tcp transport: its client against its
# server, and its server against raw sockets speaking good and bad frames
# and bursts of many frames at once, its idle timeout, and payloads.
EXTRA_DIST += tests/tcp/serve_foreign.sh tests/tcp/foreign_client.py
if BUILD_TCP
TCP_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PROTOBUF_C_CFLAGS) $(PTHREAD_FLAGS)
TCP_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
TCP_TEST_LDADD = tests/libharness.la proto/libincproto.la $(PROTOBUF_C_LIBS) $(CHECK_LIBS)
TCP_TEST_RAW = tests/tcp/raw.c tests/tcp/raw.h

check_PROGRAMS += tests/tcp/test_client tests/tcp/test_frames tests/tcp/test_burst \
	tests/tcp/test_idle tests/tcp/test_payload
TESTS += tests/tcp/test_client tests/tcp/test_frames tests/tcp/test_burst tests/tcp/test_idle \
	tests/tcp/test_payload

tests_tcp_test_client_SOURCES = tests/tcp/test_client.c $(TCP_TEST_RAW)
tests_tcp_test_client_CPPFLAGS = $(TCP_TEST_CPPFLAGS)
tests_tcp_test_client_CFLAGS = $(TCP_TEST_CFLAGS)
tests_tcp_test_client_LDFLAGS = $(PTHREAD_FLAGS)
tests_tcp_test_client_LDADD = $(TCP_TEST_LDADD)

tests_tcp_test_frames_SOURCES = tests/tcp/test_frames.c $(TCP_TEST_RAW)
tests_tcp_test_frames_CPPFLAGS = $(TCP_TEST_CPPFLAGS)
tests_tcp_test_frames_CFLAGS = $(TCP_TEST_CFLAGS)
tests_tcp_test_frames_LDADD = $(TCP_TEST_LDADD)

tests_tcp_test_burst_SOURCES = tests/tcp/test_burst.c $(TCP_TEST_RAW)
tests_tcp_test_burst_CPPFLAGS = $(TCP_TEST_CPPFLAGS)
tests_tcp_test_burst_CFLAGS = $(TCP_TEST_CFLAGS)
tests_tcp_test_burst_LDADD = $(TCP_TEST_LDADD)

tests_tcp_test_idle_SOURCES = tests/tcp/test_idle.c $(TCP_TEST_RAW)
tests_tcp_test_idle_CPPFLAGS = $(TCP_TEST_CPPFLAGS)
tests_tcp_test_idle_CFLAGS = $(TCP_TEST_CFLAGS)
tests_tcp_test_idle_LDADD = $(TCP_TEST_LDADD)

tests_tcp_test_payload_SOURCES = tests/tcp/test_payload.c $(TCP_TEST_RAW)
tests_tcp_test_payload_CPPFLAGS = $(TCP_TEST_CPPFLAGS)
tests_tcp_test_payload_CFLAGS = $(TCP_TEST_CFLAGS)
tests_tcp_test_payload_LDFLAGS = $(PTHREAD_FLAGS)
tests_tcp_test_payload_LDADD = $(TCP_TEST_LDADD)

# A separate `runner --serve tcp` process against Google's protobuf runtime.
TESTS += tests/tcp/serve_foreign.sh
else
# One SKIP in make check, saying why the plugin was left out.
TESTS += tests/tcp/not_built
CLEANFILES += tests/tcp/not_built
endif
