/*
 * shm.c — the `shm` transport: a call between two processes through shared
 * memory, with no kernel on the way when both sides spin: the floor of a
 * hop is two cache lines changing hands, plus a futex wake-up when the
 * waiter sleeps. This file holds the protocol and the vtable; the segment
 * is in segment.c (layout.h), the waits in futex.c, the keys in keys.c.
 *
 * The address is shm:NAME, a POSIX segment /dev/shm/NAME the server
 * creates (a fresh NAME when the section sets no `listen`) and unlinks on
 * stop. It holds SHM_CHANNELS channels, one per attached client, each a
 * ring of SHM_SLOTS slots (the largest `window`). A call is one slot: the
 * client writes value and tag then its req_seq (release); the server
 * answers value + 1 (or a refusal at INT64_MAX) with the tag echoed, then
 * ans_seq (release). Sequences carry the attach generation, so a slot left
 * by an earlier client never passes for a new one's.
 *
 * One key, spin_ns (keys.c), read by both sides; any other is refused.
 */
#include <incbench/transport.h>

#include "client.h"
#include "server.h"

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "shm",
    .summary = "shared memory between processes: cache lines, and a futex when a side sleeps",
    .init = shm_client_init,
    .increment = shm_client_increment,
    .shutdown = shm_client_shutdown,
    .server_start = shm_server_start,
    .server_stop = shm_server_stop,
    .submit = shm_client_submit,
    .complete = shm_client_complete,
    .stats = shm_client_stats,
};
