/*
 * grpc_stream.c — the plugin's vtable: one long-lived gRPC bidirectional
 * stream per client on the gRPC C core, strict ping-pong through increment,
 * several tagged calls in flight through submit / complete (client.c), and
 * the stream server (server.c), and the connection count (grpc_common/
 * client.h says how it is counted). Nothing else lives here.
 */
#include "stream.h"

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "grpc_stream",
    .summary = "gRPC bidirectional stream (C core, protobuf-c), one stream per client",
    .init = stream_client_init,
    .increment = stream_client_increment,
    .shutdown = stream_client_shutdown,
    .server_start = stream_server_start,
    .server_stop = stream_server_stop,
    .submit = stream_client_submit,
    .complete = stream_client_complete,
    .stats = stream_client_stats,
};
