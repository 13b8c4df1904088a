# plugins/tcp/local.mk — build and tests of the tcp transport (not built yet).
