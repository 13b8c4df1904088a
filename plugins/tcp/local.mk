# plugins/tcp/local.mk — the tcp transport: raw TCP, length-prefixed protobuf.
# Built when configure finds protobuf-c. Its client and server are the
# stream ones of plugins/common (libpluginstream), shared with uds.
if BUILD_TCP
PLUGINS_BUILT += tcp
pkglib_LTLIBRARIES += plugins/tcp/tcp.la
plugins_tcp_tcp_la_SOURCES = plugins/tcp/tcp.c
plugins_tcp_tcp_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_tcp_tcp_la_CFLAGS = $(AM_CFLAGS) $(PTHREAD_FLAGS)
plugins_tcp_tcp_la_LDFLAGS = $(PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)
plugins_tcp_tcp_la_LIBADD = plugins/common/libpluginstream.la \
	plugins/common/libplugincommon.la proto/libincproto.la $(PROTOBUF_C_LIBS)
endif
