/*
 * uds.c — the `uds` transport: the tcp transport's protocol (the same
 * frames, ids, refusals, payloads and keys; see plugins/tcp/tcp.c) over an
 * AF_UNIX stream socket, so that a hop through the kernel can be measured
 * without TCP/IP under it. This file is the endpoints (unixsock.c) and the
 * vtable; the client and the server are the ones tcp uses
 * (plugins/common/stream_*.c).
 *
 * Addresses: "unix:/path/to.sock", a socket file the server removes when it
 * stops (it replaces a stale socket file, and refuses any other file at the
 * path); "unix:@name", a Linux abstract socket, nothing on disk. With no
 * `listen` the server takes a fresh abstract name,
 * "unix:@incbench-<pid>-<counter>-<random>", and names it in bound[].
 */
#include <incbench/transport.h>

#include "stream_client.h"
#include "stream_server.h"
#include "unixsock.h"

static int uds_listen(const char *address, int backlog, void **state,
                      char *bound, size_t boundlen, char *err, size_t errlen)
{
    struct unixsock_file *file = NULL;
    int fd = unixsock_listen(address, backlog, &file, bound, boundlen, err, errlen);
    *state = file;
    return fd;
}

static void uds_unlisten(void *state)
{
    unixsock_unlisten(state);
}

static const struct stream_kind uds_kind = {
    .name = "uds",
    .listen = uds_listen,
    .unlisten = uds_unlisten,
    .connect = unixsock_connect,
};

static int uds_init(void **client, const struct incbench_params *params,
                    char *err, size_t errlen)
{
    return stream_client_init(&uds_kind, client, params, err, errlen);
}

static int uds_server_start(void **server, const struct incbench_params *params,
                            char *bound, size_t boundlen, char *err, size_t errlen)
{
    return stream_server_start(&uds_kind, server, params, bound, boundlen, err, errlen);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "uds",
    .summary = "Unix stream socket, tcp's 4-byte length + protobuf-c frames, "
               "one connection per client",
    .init = uds_init,
    .increment = stream_client_increment,
    .shutdown = stream_client_shutdown,
    .server_start = uds_server_start,
    .server_stop = stream_server_stop,
    .submit = stream_client_submit,
    .complete = stream_client_complete,
    .stats = stream_client_stats,
};
