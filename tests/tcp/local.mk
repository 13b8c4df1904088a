# tests/tcp/local.mk — tests of the tcp transport.
