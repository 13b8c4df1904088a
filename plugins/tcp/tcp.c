/*
 * tcp.c — the `tcp` transport: the smallest honest network hop, one TCP
 * connection per client carrying length-prefixed protobuf. This file holds
 * the protocol and the vtable; the wire format is in frame.c, the client in
 * client.c, the server in server.c.
 *
 * The protocol, both directions over one TCP connection (TCP_NODELAY):
 *
 *   frame   = header body
 *   header  = 4 bytes, big-endian uint32
 *             bits 0..30: length of body in bytes, at most 64 (CODEC_MSG_MAX,
 *                         proto/codec.h)
 *             bit 31:     set only on a reply that REFUSES its request
 *   body    = client -> server: incbench.IncrementRequest  { value, id }
 *             server -> client: incbench.IncrementReply    { value, id }
 *             (proto/increment.proto, protobuf-c)
 *
 *   - The server answers each request, in the order received, with
 *     value + 1 and the request's id echoed.
 *   - At value == INT64_MAX there is no answer to give: the server sends a
 *     refusal, a reply frame with bit 31 set whose body echoes the id and
 *     carries the refused value (not value + 1). The connection stays in
 *     step and usable; the client turns the refusal into -1 with
 *     "server refused: value INT64_MAX would overflow".
 *   - A frame announcing more than 64 bytes (which includes any request with
 *     bit 31 set) or a body protobuf-c cannot decode is a broken peer: the
 *     server closes that connection, and only that one.
 *   - increment uses ids 1, 2, 3, ... and checks each echo; submit uses the
 *     runner's tag as the id, and complete hands the echoed id back as the tag.
 *
 * One key of its own (keys.c), idle_timeout_ms: the server closes a
 * connection that has owed and been owed nothing that long. Any other key
 * that reaches the plugin is refused by name, by the client and the server.
 */
#include <incbench/transport.h>

#include "client.h"
#include "server.h"

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "tcp",
    .summary = "raw TCP, 4-byte length + protobuf-c frames, one connection per client",
    .init = tcp_client_init,
    .increment = tcp_client_increment,
    .shutdown = tcp_client_shutdown,
    .server_start = tcp_server_start,
    .server_stop = tcp_server_stop,
    .submit = tcp_client_submit,
    .complete = tcp_client_complete,
    .stats = tcp_client_stats,
};
