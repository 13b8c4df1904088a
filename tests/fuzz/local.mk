# tests/fuzz/local.mk — libFuzzer harnesses for every parser that reads
# bytes from outside. Not part of `make check` (they run for a chosen time,
# and need clang): `make fuzz FUZZ_SECONDS=60` builds and runs them all,
# CI does so under ASan + UBSan. See tests/fuzz/run.sh.
FUZZ_SECONDS = 10
CLANG = clang
FUZZ_HARNESSES = tests/fuzz/fuzz_cpulist.c tests/fuzz/fuzz_config.c \
	tests/fuzz/fuzz_rest_route.c tests/fuzz/fuzz_rest_response.c tests/fuzz/fuzz_rest_body.c \
	tests/fuzz/fuzz_frame.c \
	tests/fuzz/fuzz_compare_json.c tests/fuzz/fuzz_tls_address.c
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/fuzz_text.h $(FUZZ_HARNESSES) tests/fuzz/corpus

.PHONY: fuzz
fuzz:
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	CLANG='$(CLANG)' $(SHELL) $(srcdir)/tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ)

clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz/bin tests/fuzz/work tests/fuzz/crashes tests/fuzz/*.log tests/fuzz/*.rc
