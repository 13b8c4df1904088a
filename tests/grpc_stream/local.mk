# tests/grpc_stream/local.mk — tests of the grpc_stream transport.
