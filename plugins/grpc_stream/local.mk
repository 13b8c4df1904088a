# plugins/grpc_stream/local.mk — build and tests of the grpc_stream transport (not built yet).
