# plugins/grpc_unary/local.mk — build and tests of the grpc_unary transport (not built yet).
