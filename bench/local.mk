# bench/local.mk — benchmark scripts and configs (run by hand, never by make check).
