# tests/common/local.mk — the helpers of plugins/common on their own: the
# clock and the wait for a deadline, on pipes and signals; payloads; TLS.
check_PROGRAMS += tests/common/test_deadline
TESTS += tests/common/test_deadline
tests_common_test_deadline_SOURCES = tests/common/test_deadline.c
tests_common_test_deadline_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common \
	-I$(top_srcdir)/tests
tests_common_test_deadline_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PTHREAD_FLAGS)
tests_common_test_deadline_LDFLAGS = $(PTHREAD_FLAGS)
tests_common_test_deadline_LDADD = plugins/common/libplugincommon.la tests/libharness.la \
	$(CHECK_LIBS)

# payload.c: the bytes a `payload` key makes and payload_check's sentences.
check_PROGRAMS += tests/common/test_payload
TESTS += tests/common/test_payload
tests_common_test_payload_SOURCES = tests/common/test_payload.c
tests_common_test_payload_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common \
	-I$(top_srcdir)/tests
tests_common_test_payload_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PTHREAD_FLAGS)
tests_common_test_payload_LDFLAGS = $(PTHREAD_FLAGS)
tests_common_test_payload_LDADD = plugins/common/libplugincommon.la tests/libharness.la \
	$(CHECK_LIBS)

# tls.c: the TLS keys, identities made and read from PEM files, pins, and
# handshakes over a socket pair (verification, versions, resumption, mTLS).
check_PROGRAMS += tests/common/test_tls
TESTS += tests/common/test_tls
tests_common_test_tls_SOURCES = tests/common/test_tls.c
tests_common_test_tls_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common \
	-I$(top_srcdir)/tests
tests_common_test_tls_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(OPENSSL_CFLAGS) $(PTHREAD_FLAGS)
tests_common_test_tls_LDFLAGS = $(PTHREAD_FLAGS)
tests_common_test_tls_LDADD = plugins/common/libplugintls.la tests/libharness.la \
	$(CHECK_LIBS) $(OPENSSL_LIBS)
# The PEM files (a CA, leaves, an expired one, junk) the rest and gRPC TLS
# tests make at test time with the openssl command line.
EXTRA_DIST += tests/common/tls_certs.sh
