/*
 * grpc_unary.c — the plugin's vtable: gRPC unary calls on the gRPC C core
 * (client in client.c, server in server.c), and the connection count
 * (grpc_common/client.h says how it is counted). Nothing else lives here.
 */
#include "unary.h"

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "grpc_unary",
    .summary = "gRPC unary call (C core, protobuf-c), one channel per client",
    .init = unary_client_init,
    .increment = unary_client_increment,
    .shutdown = unary_client_shutdown,
    .server_start = unary_server_start,
    .server_stop = unary_server_stop,
    .stats = unary_client_stats,
};
