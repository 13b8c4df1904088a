pkglib_LTLIBRARIES += plugins/direct/direct.la
plugins_direct_direct_la_SOURCES = plugins/direct/direct.c
plugins_direct_direct_la_LDFLAGS = $(PLUGIN_LDFLAGS)
