# plugins/direct/local.mk — the direct transport: a call into a shared object.
pkglib_LTLIBRARIES += plugins/direct/direct.la
PLUGINS_BUILT += direct
plugins_direct_direct_la_SOURCES = plugins/direct/direct.c
plugins_direct_direct_la_LDFLAGS = $(PLUGIN_LDFLAGS)
