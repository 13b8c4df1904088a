# plugins/common/local.mk — helpers the in-tree plugins share (options,
# sockets, the clock and the wait for a deadline; the runner links the last).
noinst_LTLIBRARIES += plugins/common/libplugincommon.la
plugins_common_libplugincommon_la_SOURCES = \
	plugins/common/options.c plugins/common/options.h \
	plugins/common/net.c plugins/common/net.h \
	plugins/common/deadline.c plugins/common/deadline.h
