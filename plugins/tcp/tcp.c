/*
 * tcp.c — the `tcp` transport: the smallest honest network hop, one TCP
 * connection per client carrying length-prefixed protobuf. This file holds
 * the protocol, how tcp listens and connects (plugins/common/net.c) and the
 * vtable; the rest is shared with uds in plugins/common: the wire format in
 * stream_frame.c, the client in stream_client.c, the server in
 * stream_server.c.
 *
 * The protocol, both directions over one TCP connection (TCP_NODELAY):
 *
 *   frame   = header body
 *   header  = 4 bytes, big-endian uint32
 *             bits 0..29: length of body in bytes, at most the side's limit:
 *                         its `payload` + 64 (codec_msg_limit, proto/codec.h)
 *             bit 31:     set only on a reply that REFUSES its request
 *             bit 30:     with bit 31, the request was over the server's limit
 *   body    = client -> server: incbench.IncrementRequest  { value, id, payload }
 *             server -> client: incbench.IncrementReply    { value, id, payload }
 *             (proto/increment.proto, protobuf-c; payload absent when empty)
 *
 *   - The server answers each request, in the order received, with
 *     value + 1, the request's id and its payload echoed.
 *   - At value == INT64_MAX there is no answer to give: the server sends a
 *     refusal, a reply frame with bit 31 set whose body echoes the id and
 *     carries the refused value (not value + 1). The connection stays in
 *     step and usable; the client turns the refusal into -1 with
 *     "server refused: value INT64_MAX would overflow".
 *   - A frame announcing more than the server's limit (which includes any
 *     request with bit 31 or 30 set) is answered with bits 31 and 30 and a
 *     body whose value is the server's `payload` (id 0), and the connection
 *     is closed: the client names both payloads and the key. A body
 *     protobuf-c cannot decode, or of more than 32 fields, is a broken
 *     peer: the server closes that connection, and only that one, unsaid.
 *   - increment uses ids 1, 2, 3, ... and checks each echo; submit uses the
 *     runner's tag as the id, and complete hands the echoed id back as the
 *     tag. The client checks each echoed payload's length, and with
 *     verify = true its bytes; a wrong echo fails the call and the client.
 *
 * Keys (stream_keys.c), read by the client and the server alike:
 * idle_timeout_ms, after which the server closes a connection that has
 * owed and been owed nothing; payload, the bytes every request and answer
 * carry (the server's receive limit: a spawned or thread server gets the
 * section's, an external one must be given at least the client's); verify.
 * Any other key that reaches the plugin is refused by name, by both sides.
 */
#include <incbench/transport.h>

#include "net.h"
#include "stream_client.h"
#include "stream_server.h"

#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

/* With no `listen`, loopback and a port the kernel picks. */
static int tcp_listen(const char *address, int backlog, void **state,
                      char *bound, size_t boundlen, char *err, size_t errlen)
{
    char why[256];
    (void)state;
    if (address == NULL)
        address = NET_DEFAULT_LISTEN;
    int fd = net_listen(address, backlog, err, errlen);
    if (fd < 0)
        return -1;
    if (net_local_name(fd, bound, boundlen, why, sizeof why) != 0) {
        snprintf(err, errlen, "listening on %s: %s", address, why);
        close(fd);
        return -1;
    }
    return fd;
}

static void tcp_accepted(int fd)
{
    net_nodelay(fd);
}

static const struct stream_kind tcp_kind = {
    .name = "tcp",
    .listen = tcp_listen,
    .connect = net_connect,
    .accepted = tcp_accepted,
};

static int tcp_init(void **client, const struct incbench_params *params,
                    char *err, size_t errlen)
{
    return stream_client_init(&tcp_kind, client, params, err, errlen);
}

static int tcp_server_start(void **server, const struct incbench_params *params,
                            char *bound, size_t boundlen, char *err, size_t errlen)
{
    return stream_server_start(&tcp_kind, server, params, bound, boundlen, err, errlen);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "tcp",
    .summary = "raw TCP, 4-byte length + protobuf-c frames, one connection per client",
    .init = tcp_init,
    .increment = stream_client_increment,
    .shutdown = stream_client_shutdown,
    .server_start = tcp_server_start,
    .server_stop = stream_server_stop,
    .submit = stream_client_submit,
    .complete = stream_client_complete,
    .stats = stream_client_stats,
};
