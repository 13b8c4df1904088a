# tests/plugins/local.mk — small plugins broken on purpose (and two good
# ones) that the runner's tests load. Built only for `make check`, never
# installed. -rpath makes libtool build a real shared module (.libs/NAME.so)
# instead of a convenience archive; the path itself is never used.
# No -export-symbols-regex: nosym.la must export its misspelt table.
TEST_PLUGIN_LDFLAGS = -module -avoid-version -shared -no-undefined -rpath /nowhere

check_LTLIBRARIES += tests/plugins/nosym.la tests/plugins/abi2.la \
	tests/plugins/noinc.la tests/plugins/halfserver.la tests/plugins/initfail.la \
	tests/plugins/wrong.la tests/plugins/wrong5000.la tests/plugins/minor0.la \
	tests/plugins/future.la tests/plugins/noterm.la tests/plugins/misbehave.la
EXTRA_DIST += tests/plugins/common.h

tests_plugins_nosym_la_SOURCES = tests/plugins/nosym.c
tests_plugins_nosym_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_abi2_la_SOURCES = tests/plugins/abi2.c
tests_plugins_abi2_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_noinc_la_SOURCES = tests/plugins/noinc.c
tests_plugins_noinc_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_halfserver_la_SOURCES = tests/plugins/halfserver.c
tests_plugins_halfserver_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_initfail_la_SOURCES = tests/plugins/initfail.c
tests_plugins_initfail_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_wrong_la_SOURCES = tests/plugins/wrong.c
tests_plugins_wrong_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_wrong5000_la_SOURCES = tests/plugins/wrong5000.c
tests_plugins_wrong5000_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_minor0_la_SOURCES = tests/plugins/minor0.c
tests_plugins_minor0_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_future_la_SOURCES = tests/plugins/future.c
tests_plugins_future_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

# Good plugins for the per-call accounting and interleaving tests.
check_LTLIBRARIES += tests/plugins/order.la tests/plugins/burn.la
tests_plugins_order_la_SOURCES = tests/plugins/order.c
tests_plugins_order_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_burn_la_SOURCES = tests/plugins/burn.c
tests_plugins_burn_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
tests_plugins_burn_la_CFLAGS = $(AM_CFLAGS) $(PTHREAD_FLAGS)
tests_plugins_burn_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)
tests_plugins_burn_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_noterm_la_SOURCES = tests/plugins/noterm.c
tests_plugins_noterm_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_misbehave_la_SOURCES = tests/plugins/misbehave.c
tests_plugins_misbehave_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

# One honest network plugin, and the same source with one defect each that
# `--check-plugin` must catch (see net.c).
check_LTLIBRARIES += tests/plugins/net.la tests/plugins/netstdout.la \
	tests/plugins/netglobal.la tests/plugins/netglobalpipe.la tests/plugins/netleak.la \
	tests/plugins/netstopleak.la tests/plugins/netnotimeout.la \
	tests/plugins/netnocloexec.la tests/plugins/netsharedstats.la \
	tests/plugins/netserveropts.la tests/plugins/netunquoted.la \
	tests/plugins/netminor1.la
NET_PLUGIN_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
NET_PLUGIN_CFLAGS = $(AM_CFLAGS) $(PTHREAD_FLAGS)
NET_PLUGIN_LDFLAGS = $(TEST_PLUGIN_LDFLAGS) $(PTHREAD_FLAGS)
tests_plugins_net_la_SOURCES = tests/plugins/net.c
tests_plugins_net_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS)
tests_plugins_net_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_net_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_net_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netstdout_la_SOURCES = tests/plugins/net.c
tests_plugins_netstdout_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_STDOUT
tests_plugins_netstdout_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netstdout_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netstdout_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netglobal_la_SOURCES = tests/plugins/net.c
tests_plugins_netglobal_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_GLOBAL -DNET_NOPIPE
tests_plugins_netglobal_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netglobal_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netglobal_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netleak_la_SOURCES = tests/plugins/net.c
tests_plugins_netleak_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_LEAK
tests_plugins_netleak_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netleak_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netleak_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netstopleak_la_SOURCES = tests/plugins/net.c
tests_plugins_netstopleak_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_STOPLEAK
tests_plugins_netstopleak_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netstopleak_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netstopleak_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netnotimeout_la_SOURCES = tests/plugins/net.c
tests_plugins_netnotimeout_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_NOTIMEOUT
tests_plugins_netnotimeout_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netnotimeout_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netnotimeout_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netnocloexec_la_SOURCES = tests/plugins/net.c
tests_plugins_netnocloexec_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_NOCLOEXEC
tests_plugins_netnocloexec_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netnocloexec_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netnocloexec_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netsharedstats_la_SOURCES = tests/plugins/net.c
tests_plugins_netsharedstats_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_SHAREDSTATS
tests_plugins_netsharedstats_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netsharedstats_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netsharedstats_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netserveropts_la_SOURCES = tests/plugins/net.c
tests_plugins_netserveropts_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_SERVEROPTS
tests_plugins_netserveropts_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netserveropts_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netserveropts_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netunquoted_la_SOURCES = tests/plugins/net.c
tests_plugins_netunquoted_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_UNQUOTED
tests_plugins_netunquoted_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netunquoted_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netunquoted_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netglobalpipe_la_SOURCES = tests/plugins/net.c
tests_plugins_netglobalpipe_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_GLOBAL
tests_plugins_netglobalpipe_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netglobalpipe_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netglobalpipe_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netminor1_la_SOURCES = tests/plugins/net.c
tests_plugins_netminor1_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_MINOR1
tests_plugins_netminor1_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netminor1_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netminor1_la_LIBADD = plugins/common/libplugincommon.la

# TLS handshakes (issue 14) without OpenSSL: a minor-3 twin that reconnects
# per call and counts handshakes (the first full, the rest resumed), the
# same counting one more full handshake than connections, one whose count
# of resumed handshakes is shared by every client, and a minor-2
# twin whose poison in the handshake members must never be read (net.c).
check_LTLIBRARIES += tests/plugins/nettls.la tests/plugins/nettlslie.la \
	tests/plugins/nettlsshared.la tests/plugins/netminor2.la
tests_plugins_nettls_la_SOURCES = tests/plugins/net.c
tests_plugins_nettls_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_TLS -DNET_NOPIPE
tests_plugins_nettls_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_nettls_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_nettls_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_nettlslie_la_SOURCES = tests/plugins/net.c
tests_plugins_nettlslie_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_TLS -DNET_TLSLIE \
	-DNET_NOPIPE
tests_plugins_nettlslie_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_nettlslie_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_nettlslie_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_netminor2_la_SOURCES = tests/plugins/net.c
tests_plugins_netminor2_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_MINOR2
tests_plugins_netminor2_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_netminor2_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_netminor2_la_LIBADD = plugins/common/libplugincommon.la
tests_plugins_nettlsshared_la_SOURCES = tests/plugins/net.c
tests_plugins_nettlsshared_la_CPPFLAGS = $(NET_PLUGIN_CPPFLAGS) -DNET_TLS -DNET_SHAREDTLS \
	-DNET_NOPIPE
tests_plugins_nettlsshared_la_CFLAGS = $(NET_PLUGIN_CFLAGS)
tests_plugins_nettlsshared_la_LDFLAGS = $(NET_PLUGIN_LDFLAGS)
tests_plugins_nettlsshared_la_LIBADD = plugins/common/libplugincommon.la
