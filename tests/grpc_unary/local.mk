# tests/grpc_unary/local.mk — tests of the grpc_unary transport.
