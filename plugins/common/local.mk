# plugins/common/local.mk — helpers the in-tree plugins share (options,
# payloads, sockets, the clock and the wait for a deadline; the runner links the last).
noinst_LTLIBRARIES += plugins/common/libplugincommon.la
plugins_common_libplugincommon_la_SOURCES = \
	plugins/common/options.c plugins/common/options.h \
	plugins/common/net.c plugins/common/net.h \
	plugins/common/deadline.c plugins/common/deadline.h \
	plugins/common/payload.c plugins/common/payload.h

# TLS (tls = true) for rest and the gRPC plugins: only they link OpenSSL.
noinst_LTLIBRARIES += plugins/common/libplugintls.la
plugins_common_libplugintls_la_SOURCES = plugins/common/tls.c plugins/common/tls.h
plugins_common_libplugintls_la_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
plugins_common_libplugintls_la_LIBADD = plugins/common/libplugincommon.la $(OPENSSL_LIBS)

# The stream transports (tcp, uds): one protocol, client and server, told
# apart by a struct stream_kind; and the Unix socket addresses of uds.
# Built with them, when configure finds protobuf-c (their frames are protobuf).
if BUILD_TCP
noinst_LTLIBRARIES += plugins/common/libpluginstream.la
plugins_common_libpluginstream_la_SOURCES = \
	plugins/common/stream_kind.h \
	plugins/common/stream_frame.c plugins/common/stream_frame.h \
	plugins/common/stream_keys.c plugins/common/stream_keys.h \
	plugins/common/stream_client.c plugins/common/stream_client.h \
	plugins/common/stream_server.c plugins/common/stream_server.h \
	plugins/common/unixsock.c plugins/common/unixsock.h
plugins_common_libpluginstream_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) $(PTHREAD_FLAGS)
# The generated protobuf header must exist before these files compile.
$(plugins_common_libpluginstream_la_OBJECTS): proto/increment.pb-c.h
endif
