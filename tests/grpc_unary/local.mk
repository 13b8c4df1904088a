# tests/grpc_unary/local.mk — tests of the grpc_unary transport: the plugin
# in-process (Check), and interop with Python grpcio both ways (interop.sh:
# the runner serves our server and runs our client; interop-tls.sh: the same
# over TLS, both gRPC plugins, and openssl s_client). grpc_test.c, relay.c,
# interop-lib.sh and interop.py are shared with tests/grpc_stream.
EXTRA_DIST += tests/grpc_unary/interop.sh
EXTRA_DIST += tests/grpc_unary/interop-lib.sh tests/grpc_unary/interop.py
# The PEM files of tls_test.c and interop-tls.sh come from tests/common/tls_certs.sh.
EXTRA_DIST += tests/grpc_unary/interop-tls.sh
if BUILD_GRPC
check_PROGRAMS += tests/grpc_unary/test_grpc_unary
tests_grpc_unary_test_grpc_unary_SOURCES = tests/grpc_unary/test_grpc_unary.c \
	tests/grpc_unary/grpc_test.c tests/grpc_unary/grpc_test.h \
	tests/grpc_unary/relay.c tests/grpc_unary/relay.h \
	tests/grpc_unary/chargs_test.c tests/grpc_unary/chargs_test.h \
	tests/grpc_unary/payload_test.c tests/grpc_unary/payload_test.h \
	tests/grpc_unary/tls_test.c tests/grpc_unary/tls_test.h \
	tests/grpc_unary/hostile.c tests/grpc_unary/hostile.h \
	tests/grpc_unary/rawcall.c tests/grpc_unary/rawcall.h \
	tests/grpc_unary/watch.c tests/grpc_unary/watch.h \
	tests/grpc_unary/opts_test.c tests/grpc_unary/opts_test.h
tests_grpc_unary_test_grpc_unary_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GRPC_CFLAGS) \
	$(PROTOBUF_C_CFLAGS) $(OPENSSL_CFLAGS) $(PTHREAD_FLAGS) -DGT_SRCDIR='"$(abs_top_srcdir)"'
# watch.c drives grpc_common's client directly, opts_test.c its options (white box).
tests_grpc_unary_test_grpc_unary_LDADD = tests/libharness.la \
	plugins/grpc_common/libgrpccommon.la proto/libincproto.la $(PROTOBUF_C_LIBS) \
	$(CHECK_LIBS) $(GRPC_LIBS) -ldl
tests_grpc_unary_test_grpc_unary_LDFLAGS = $(PTHREAD_FLAGS)
TESTS += tests/grpc_unary/test_grpc_unary

TESTS += tests/grpc_unary/interop.sh
TESTS += tests/grpc_unary/interop-tls.sh
else
# One SKIP in make check, saying why the plugin was left out.
TESTS += tests/grpc_unary/not_built
CLEANFILES += tests/grpc_unary/not_built
endif
