# plugins/shm/local.mk — the shm transport: shared memory and futexes
# between processes. Linux only, no library beyond libc: always built.
PLUGINS_BUILT += shm
pkglib_LTLIBRARIES += plugins/shm/shm.la
plugins_shm_shm_la_SOURCES = \
	plugins/shm/shm.c plugins/shm/layout.h \
	plugins/shm/segment.c plugins/shm/segment.h \
	plugins/shm/futex.c plugins/shm/futex.h \
	plugins/shm/keys.c plugins/shm/keys.h \
	plugins/shm/client.c plugins/shm/client.h \
	plugins/shm/server.c plugins/shm/server.h
plugins_shm_shm_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
plugins_shm_shm_la_CFLAGS = $(AM_CFLAGS) $(PTHREAD_FLAGS)
plugins_shm_shm_la_LDFLAGS = $(PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)
plugins_shm_shm_la_LIBADD = plugins/common/libplugincommon.la -lrt
