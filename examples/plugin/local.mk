# examples/plugin/local.mk — the out-of-tree example ships in the tarball and
# is compiled at installcheck against the INSTALLED header only (found with
# the installed incbench.pc), then checked with the installed runner.
EXTRA_DIST += examples/plugin/example.c examples/plugin/Makefile examples/plugin/example.ini

installcheck-local: installcheck-example
installcheck-example:
	rm -rf examples-installcheck && $(MKDIR_P) examples-installcheck
	flags=`PKG_CONFIG_PATH='$(DESTDIR)$(pkgconfigdir)' $(PKG_CONFIG) --cflags incbench` && \
	  $(CC) -std=c11 -Wall -Wextra -Werror $$flags -shared -fPIC \
	    -o examples-installcheck/example.so $(srcdir)/examples/plugin/example.c
	'$(DESTDIR)$(bindir)/runner' --check-plugin examples-installcheck/example.so
	printf '[runner]\nrequests = 1000\nrepeat = 1\n[installed_direct]\nplugin = direct\n[example]\nplugin = ./example.so\nspin_ns = 10\n' \
	  > examples-installcheck/run.ini
	cd examples-installcheck && '$(DESTDIR)$(bindir)/runner' run.ini
	rm -rf examples-installcheck
.PHONY: installcheck-example
