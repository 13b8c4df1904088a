# tests/grpc_stream/local.mk — tests of the grpc_stream transport: the plugin
# in-process (Check) and Python grpcio interop (interop.sh, which uses
# interop-lib.sh and interop.py of tests/grpc_unary, and the runner).
EXTRA_DIST += tests/grpc_stream/interop.sh
if BUILD_GRPC
check_PROGRAMS += tests/grpc_stream/test_grpc_stream
tests_grpc_stream_test_grpc_stream_SOURCES = tests/grpc_stream/test_grpc_stream.c \
	tests/grpc_unary/grpc_test.c tests/grpc_unary/grpc_test.h \
	tests/grpc_unary/relay.c tests/grpc_unary/relay.h \
	tests/grpc_unary/chargs_test.c tests/grpc_unary/chargs_test.h \
	tests/grpc_unary/payload_test.c tests/grpc_unary/payload_test.h \
	tests/grpc_unary/tls_test.c tests/grpc_unary/tls_test.h \
	tests/grpc_unary/hostile.c tests/grpc_unary/hostile.h \
	tests/grpc_unary/rawcall.c tests/grpc_unary/rawcall.h
tests_grpc_stream_test_grpc_stream_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GRPC_CFLAGS) \
	$(PROTOBUF_C_CFLAGS) $(OPENSSL_CFLAGS) $(PTHREAD_FLAGS) -DGT_SRCDIR='"$(abs_top_srcdir)"'
# rawcall.c packs and unpacks with the generated protobuf-c code.
tests_grpc_stream_test_grpc_stream_LDADD = tests/libharness.la proto/libincproto.la \
	plugins/common/libplugincommon.la \
	$(PROTOBUF_C_LIBS) $(CHECK_LIBS) $(GRPC_LIBS) -ldl
tests_grpc_stream_test_grpc_stream_LDFLAGS = $(PTHREAD_FLAGS)
TESTS += tests/grpc_stream/test_grpc_stream
TESTS += tests/grpc_stream/interop.sh
else
# One SKIP in make check, saying why the plugin was left out.
TESTS += tests/grpc_stream/not_built
CLEANFILES += tests/grpc_stream/not_built
endif
