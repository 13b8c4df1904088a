# plugins/tcp/local.mk — the tcp transport: raw TCP, length-prefixed protobuf.
# Built when configure finds protobuf-c.
if BUILD_TCP
PLUGINS_BUILT += tcp
pkglib_LTLIBRARIES += plugins/tcp/tcp.la
plugins_tcp_tcp_la_SOURCES = \
	plugins/tcp/tcp.c \
	plugins/tcp/frame.c plugins/tcp/frame.h \
	plugins/tcp/keys.c plugins/tcp/keys.h \
	plugins/tcp/client.c plugins/tcp/client.h \
	plugins/tcp/server.c plugins/tcp/server.h
plugins_tcp_tcp_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_tcp_tcp_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) $(PTHREAD_FLAGS)
plugins_tcp_tcp_la_LDFLAGS = $(PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)
plugins_tcp_tcp_la_LIBADD = plugins/common/libplugincommon.la proto/libincproto.la \
	$(PROTOBUF_C_LIBS)
# The generated protobuf header must exist before these files compile.
$(plugins_tcp_tcp_la_OBJECTS): proto/increment.pb-c.h
endif
