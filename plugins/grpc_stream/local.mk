# plugins/grpc_stream/local.mk — the grpc_stream transport (gRPC C core
# bidirectional stream). Shares plugins/grpc_common with grpc_unary, whose
# local.mk includes it. Built when configure finds gRPC.
if BUILD_GRPC
PLUGINS_BUILT += grpc_stream
pkglib_LTLIBRARIES += plugins/grpc_stream/grpc_stream.la
plugins_grpc_stream_grpc_stream_la_SOURCES = \
	plugins/grpc_stream/grpc_stream.c plugins/grpc_stream/stream.h \
	plugins/grpc_stream/client.c plugins/grpc_stream/server.c
plugins_grpc_stream_grpc_stream_la_CFLAGS = $(AM_CFLAGS) $(GRPC_CFLAGS) $(PROTOBUF_C_CFLAGS) $(OPENSSL_CFLAGS) -pthread
plugins_grpc_stream_grpc_stream_la_LDFLAGS = $(PLUGIN_LDFLAGS) -pthread
plugins_grpc_stream_grpc_stream_la_LIBADD = plugins/grpc_common/libgrpccommon.la
endif
