# tests/rest/local.mk — tests of the rest transport: the response, path and
# JSON body parsers on their own, then the plugin's client and server over
# loopback (port 0).
EXTRA_DIST += tests/rest/curl_serve.sh tests/rest/serve.ini tests/rest/serve_lib.sh \
	tests/rest/tls_serve.sh
if BUILD_REST
check_PROGRAMS += tests/rest/test_response tests/rest/test_route tests/rest/test_body \
	tests/rest/test_rest
TESTS += tests/rest/test_response tests/rest/test_route tests/rest/test_body tests/rest/test_rest

tests_rest_test_response_SOURCES = tests/rest/test_response.c \
	plugins/rest/response.c plugins/rest/response.h
tests_rest_test_response_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/rest
tests_rest_test_response_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_rest_test_response_LDADD = $(CHECK_LIBS)

tests_rest_test_route_SOURCES = tests/rest/test_route.c \
	plugins/rest/route.c plugins/rest/route.h
tests_rest_test_route_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/rest
tests_rest_test_route_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_rest_test_route_LDADD = $(CHECK_LIBS)

tests_rest_test_body_SOURCES = tests/rest/test_body.c \
	plugins/rest/body.c plugins/rest/body.h
tests_rest_test_body_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/rest
tests_rest_test_body_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_rest_test_body_LDADD = $(CHECK_LIBS)

REST_TEST_SHARED = tests/rest/rest_test.c tests/rest/rest_test.h \
	plugins/rest/response.c plugins/rest/response.h

tests_rest_test_rest_SOURCES = tests/rest/test_rest.c $(REST_TEST_SHARED)
tests_rest_test_rest_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/rest -I$(top_srcdir)/tests
tests_rest_test_rest_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_rest_test_rest_LDADD = tests/libharness.la $(CHECK_LIBS)

# payload, verify and method: both sides, a fake server, the limits.
check_PROGRAMS += tests/rest/test_payload
TESTS += tests/rest/test_payload
tests_rest_test_payload_SOURCES = tests/rest/test_payload.c $(REST_TEST_SHARED) \
	plugins/rest/body.c plugins/rest/body.h
tests_rest_test_payload_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/rest \
	-I$(top_srcdir)/plugins/common -I$(top_srcdir)/tests
tests_rest_test_payload_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PTHREAD_FLAGS)
tests_rest_test_payload_LDFLAGS = $(PTHREAD_FLAGS)
tests_rest_test_payload_LDADD = tests/libharness.la plugins/common/libplugincommon.la \
	$(CHECK_LIBS)

# curl against `runner --serve rest`: a client nobody here wrote.
TESTS += tests/rest/curl_serve.sh
# curl --cacert and openssl s_client against `runner --serve` over TLS.
TESTS += tests/rest/tls_serve.sh

# The server against hostile peers: unread pipelines, slowloris, EMFILE.
check_PROGRAMS += tests/rest/test_hostile
TESTS += tests/rest/test_hostile
tests_rest_test_hostile_SOURCES = tests/rest/test_hostile.c $(REST_TEST_SHARED)
tests_rest_test_hostile_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/rest \
	-I$(top_srcdir)/tests
tests_rest_test_hostile_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_rest_test_hostile_LDADD = tests/libharness.la $(CHECK_LIBS)

# tls = true: every mode and its handshake counts, mTLS, bad files and
# peers, stalls (certificates made by tls_certs.sh at test time).
check_PROGRAMS += tests/rest/test_tls
TESTS += tests/rest/test_tls
tests_rest_test_tls_SOURCES = tests/rest/test_tls.c $(REST_TEST_SHARED)
tests_rest_test_tls_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/rest \
	-I$(top_srcdir)/tests
tests_rest_test_tls_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(OPENSSL_CFLAGS) $(PTHREAD_FLAGS)
tests_rest_test_tls_LDFLAGS = $(PTHREAD_FLAGS)
# OpenSSL for the renegotiating TLS 1.2 server the test plays itself.
tests_rest_test_tls_LDADD = tests/libharness.la $(CHECK_LIBS) $(OPENSSL_LIBS)
else
# One SKIP in make check, saying why the plugin was left out.
TESTS += tests/rest/not_built
CLEANFILES += tests/rest/not_built
endif
