# plugins/grpc_unary/local.mk — the grpc_unary transport (gRPC C core), and
# the code it shares with grpc_stream. Built when configure finds gRPC.
include $(srcdir)/plugins/grpc_common/local.mk

if BUILD_GRPC
PLUGINS_BUILT += grpc_unary

pkglib_LTLIBRARIES += plugins/grpc_unary/grpc_unary.la
plugins_grpc_unary_grpc_unary_la_SOURCES = \
	plugins/grpc_unary/grpc_unary.c plugins/grpc_unary/unary.h \
	plugins/grpc_unary/client.c plugins/grpc_unary/server.c
plugins_grpc_unary_grpc_unary_la_CFLAGS = $(AM_CFLAGS) $(GRPC_CFLAGS) $(PROTOBUF_C_CFLAGS) $(OPENSSL_CFLAGS) -pthread
plugins_grpc_unary_grpc_unary_la_LDFLAGS = $(PLUGIN_LDFLAGS) -pthread
plugins_grpc_unary_grpc_unary_la_LIBADD = plugins/grpc_common/libgrpccommon.la
endif
