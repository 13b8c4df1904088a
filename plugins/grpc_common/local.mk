# plugins/grpc_common/local.mk — code the grpc_unary and grpc_stream plugins
# share (options and channel args, byte buffers, status names, the server
# core, the client set-up, TLS credentials). Included from
# plugins/grpc_unary/local.mk; built when configure finds gRPC.
if BUILD_GRPC
noinst_LTLIBRARIES += plugins/grpc_common/libgrpccommon.la
plugins_grpc_common_libgrpccommon_la_SOURCES = \
	plugins/grpc_common/options.c plugins/grpc_common/options.h \
	plugins/grpc_common/chargs.c plugins/grpc_common/chargs.h \
	plugins/grpc_common/bytebuf.c plugins/grpc_common/bytebuf.h \
	plugins/grpc_common/status.c plugins/grpc_common/status.h \
	plugins/grpc_common/server.c plugins/grpc_common/server.h \
	plugins/grpc_common/listener.c plugins/grpc_common/listener.h \
	plugins/grpc_common/client.c plugins/grpc_common/client.h \
	plugins/grpc_common/tlscreds.c plugins/grpc_common/tlscreds.h \
	plugins/grpc_common/deadline.h
plugins_grpc_common_libgrpccommon_la_CFLAGS = $(AM_CFLAGS) $(GRPC_CFLAGS) $(PROTOBUF_C_CFLAGS) \
	$(OPENSSL_CFLAGS) -pthread
# libplugintls brings libplugincommon and OpenSSL with it.
plugins_grpc_common_libgrpccommon_la_LIBADD = plugins/common/libplugintls.la \
	proto/libincproto.la $(GRPC_LIBS) $(PROTOBUF_C_LIBS)
endif
