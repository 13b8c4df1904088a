# plugins/rest/local.mk — build and tests of the rest transport (not built yet).
