# tests/grpc_unary/local.mk — tests of the grpc_unary transport: the plugin
# in-process (Check), and interop with Python grpcio both ways (interop.sh,
# driving serve / drive, two small programs shared with tests/grpc_stream).
check_PROGRAMS += tests/grpc_unary/test_grpc_unary
tests_grpc_unary_test_grpc_unary_SOURCES = tests/grpc_unary/test_grpc_unary.c
tests_grpc_unary_test_grpc_unary_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_grpc_unary_test_grpc_unary_LDADD = tests/libharness.la $(CHECK_LIBS) -ldl
TESTS += tests/grpc_unary/test_grpc_unary

check_PROGRAMS += tests/grpc_unary/serve tests/grpc_unary/drive
tests_grpc_unary_serve_SOURCES = tests/grpc_unary/serve.c tests/grpc_unary/tool.c tests/grpc_unary/tool.h
tests_grpc_unary_serve_LDADD = -ldl -lpthread
tests_grpc_unary_drive_SOURCES = tests/grpc_unary/drive.c tests/grpc_unary/tool.c tests/grpc_unary/tool.h
tests_grpc_unary_drive_LDADD = -ldl
EXTRA_DIST += tests/grpc_unary/interop.sh
EXTRA_DIST += tests/grpc_unary/interop-lib.sh tests/grpc_unary/interop.py
TESTS += tests/grpc_unary/interop.sh
