# plugins/uds/local.mk — the uds transport: tcp's protocol over a Unix
# stream socket. Built whenever tcp is (it needs nothing more).
if BUILD_TCP
PLUGINS_BUILT += uds
pkglib_LTLIBRARIES += plugins/uds/uds.la
plugins_uds_uds_la_SOURCES = plugins/uds/uds.c
plugins_uds_uds_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_uds_uds_la_CFLAGS = $(AM_CFLAGS) $(PTHREAD_FLAGS)
plugins_uds_uds_la_LDFLAGS = $(PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)
plugins_uds_uds_la_LIBADD = plugins/common/libpluginstream.la \
	plugins/common/libplugincommon.la proto/libincproto.la $(PROTOBUF_C_LIBS)
endif
