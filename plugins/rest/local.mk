# plugins/rest/local.mk — the rest transport: HTTP/1.1 + JSON, evhttp server.
# Built when configure finds libevent. TLS (tls = true) through
# libplugintls (OpenSSL; it holds libplugincommon too) and libevent_openssl
# (in LIBEVENT_LIBS).
if BUILD_REST
PLUGINS_BUILT += rest
pkglib_LTLIBRARIES += plugins/rest/rest.la
plugins_rest_rest_la_SOURCES = \
	plugins/rest/rest.c plugins/rest/rest.h \
	plugins/rest/server.c plugins/rest/route.c plugins/rest/route.h \
	plugins/rest/guard.c plugins/rest/guard.h \
	plugins/rest/client.c \
	plugins/rest/response.c plugins/rest/response.h \
	plugins/rest/body.c plugins/rest/body.h \
	plugins/rest/rest_tls.h plugins/rest/tls_server.c plugins/rest/tls_client.c
plugins_rest_rest_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_rest_rest_la_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(JANSSON_CFLAGS) \
	$(OPENSSL_CFLAGS) $(PTHREAD_FLAGS)
plugins_rest_rest_la_LDFLAGS = $(PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)
plugins_rest_rest_la_LIBADD = plugins/common/libplugintls.la \
	$(LIBEVENT_LIBS) $(JANSSON_LIBS)
endif
