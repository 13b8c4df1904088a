# conf/local.mk — the shipped configurations. The seed experiment and the
# payload sweep are also installed in $(pkgdatadir) (default.ini,
# payload.ini) so that an installed runner has them, less the sections whose
# plugin this build left out (configure says why): conf/built/NAME.ini in
# the build tree, which is conf/NAME.ini itself when every plugin is built.
EXTRA_DIST += conf/default.ini conf/payload.ini conf/tls.ini conf/only.awk
pkgdata_DATA = conf/built/default.ini conf/built/payload.ini conf/built/tls.ini
CLEANFILES += conf/built/default.ini conf/built/payload.ini conf/built/tls.ini
conf/built/%.ini: $(srcdir)/conf/%.ini $(srcdir)/conf/only.awk Makefile
	$(AM_V_GEN)$(MKDIR_P) conf/built && \
	$(AWK) -v built='$(PLUGINS_BUILT)' -f $(srcdir)/conf/only.awk \
	  $(srcdir)/conf/$*.ini $(srcdir)/conf/$*.ini > $@.tmp && mv $@.tmp $@

# The installed runner finds every installed plugin for the installed config.
installcheck-local: installcheck-default
installcheck-default:
	'$(DESTDIR)$(bindir)/runner' --check '$(DESTDIR)$(pkgdatadir)/default.ini'
	'$(DESTDIR)$(bindir)/runner' --check '$(DESTDIR)$(pkgdatadir)/payload.ini' > /dev/null
	'$(DESTDIR)$(bindir)/runner' --check '$(DESTDIR)$(pkgdatadir)/tls.ini' > /dev/null
	'$(DESTDIR)$(bindir)/runner' -D runner.requests=200 -D runner.warmup=10 \
	  -D runner.repeat=1 '$(DESTDIR)$(pkgdatadir)/default.ini' > /dev/null
.PHONY: installcheck-default
