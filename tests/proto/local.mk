# tests/proto/local.mk — the one protobuf codec (proto/codec.c) on bytes made
# by hand: no transport, no socket.
if HAVE_PROTOBUF_C
check_PROGRAMS += tests/proto/test_codec
TESTS += tests/proto/test_codec
tests_proto_test_codec_SOURCES = tests/proto/test_codec.c
tests_proto_test_codec_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PROTOBUF_C_CFLAGS)
tests_proto_test_codec_LDADD = proto/libincproto.la $(PROTOBUF_C_LIBS) $(CHECK_LIBS)
endif
