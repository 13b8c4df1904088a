# tests/rest/local.mk — tests of the rest transport.
