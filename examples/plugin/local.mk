# examples/plugin/local.mk
