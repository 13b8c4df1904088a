# conf/local.mk — the shipped configurations; default.ini is also installed
# in $(pkgdatadir) so that an installed runner has the seed experiment too.
dist_pkgdata_DATA = conf/default.ini

# The installed runner finds every installed plugin for the installed config.
installcheck-local: installcheck-default
installcheck-default:
	'$(DESTDIR)$(bindir)/runner' --check '$(DESTDIR)$(pkgdatadir)/default.ini'
	'$(DESTDIR)$(bindir)/runner' -D runner.requests=200 -D runner.warmup=10 \
	  -D runner.repeat=1 '$(DESTDIR)$(pkgdatadir)/default.ini' > /dev/null
.PHONY: installcheck-default
