/*
 * incbench/transport.h — the plugin ABI: the one header a transport plugin includes.
 *
 * A transport is a shared object that exports ONE data symbol,
 *
 *     const struct incbench_transport incbench_transport;
 *
 * a table of function pointers that begins with its ABI version. The runner
 * (dlsym "incbench_transport") reads abi_version before anything else:
 *
 *   - the MAJOR number must equal the runner's, or the plugin is refused;
 *   - the MINOR number says which appended members the table has. The table
 *     only ever grows at its end (like SQLite's sqlite3_io_methods.iVersion),
 *     and the runner reads a member only when the plugin's minor says it is
 *     there. A plugin built against an older header keeps working with a newer
 *     runner; nothing is ever removed or reordered within one major.
 *   - The other way round, params->abi_version is the RUNNER's version: a
 *     newer plugin under an older runner reads (or writes) a member appended
 *     to incbench_params or incbench_stats only when that minor has it (the
 *     runner's structs are its own header's size), and does not count on a
 *     table member appended after that minor: the runner never calls it.
 *
 * Rules every plugin keeps:
 *   1. No global mutable state. Everything lives behind the `client` / `server`
 *      handle, so two sections may load one plugin with different options,
 *      and a server and a client of one plugin may live in one process.
 *   2. Never print, never exit, never abort on bad input or a failed peer.
 *      Return -1 and write ONE human sentence (no newline) into err[errlen].
 *   3. Every call has a deadline (params->timeout_ms): nothing may block the
 *      runner forever, not init, not increment, not complete.
 *   4. Reject option keys you do not know, in init and in server_start, with
 *      an error that names the key: a misspelt option must not be ignored.
 *      Quote a key as 'key' in any message about it: the runner points the
 *      user at the key's file:line only when it finds it in that form.
 *   5. increment(v) answers v + 1. At v == INT64_MAX the answer is an error
 *      (return -1), never a wrapped number.
 *   6. shutdown / server_stop accept NULL and free everything they own.
 *   7. Write nothing to stdout (it carries the JSON or CSV report), and open
 *      every descriptor close-on-exec (SOCK_CLOEXEC, O_CLOEXEC): the runner
 *      starts server processes while other sections' sockets are open.
 *   8. (minor >= 2) An address is an opaque endpoint string in the plugin's
 *      own syntax ("127.0.0.1:0", "unix:/run/x.sock", "unix:@name",
 *      "shm:name"): the runner never parses it. server_start must accept
 *      params->address == NULL (the section set no `listen`) and pick an
 *      endpoint of its own, then name it in bound[]. submit, like every
 *      other call, returns within timeout_ms (rule 3), even when the peer
 *      stops reading. Threads the plugin starts should block the signals
 *      the runner handles (pthread_sigmask), so that SIGINT and SIGTERM
 *      reach the runner's thread.
 *   `runner --check-plugin` tests rules 1-8 against a built plugin.
 *
 * What the runner promises in return:
 *   a. err[errlen] holds at least INCBENCH_MIN_ERRLEN bytes, and
 *      server_start's bound[boundlen] at least INCBENCH_MIN_BOUNDLEN.
 *   b. One client, one thread at a time: the runner never calls into a
 *      client while another call into it is running, so per-client state
 *      needs no lock. (A thread server's threads do run beside its client.)
 *   c. params->max_inflight <= INCBENCH_MAX_INFLIGHT, and at most
 *      max_inflight submits are outstanding at once: per-call state can be
 *      sized in init.
 *   d. No increment while submits are outstanding on that client: the cold
 *      call comes before the first submit, a pipelined loop completes every
 *      submit it made, and one that fails is followed by stats and shutdown
 *      only.
 *   e. (all minors) Every client and server op is called from the runner's
 *      main thread. server_start runs with the process already placed on
 *      `server_cpu`: threads it creates inherit that placement and count as
 *      server CPU; a thread created anywhere else (init, increment) runs
 *      on the client's CPUs and counts as client CPU.
 *   f. (all minors) SIGPIPE is ignored in the runner's process, so a write
 *      to a closed socket returns EPIPE instead of killing it.
 *   g. (all minors) server_stop(*server) follows a failed server_start, as
 *      shutdown(*client) follows a failed init: free what was built so far.
 *      stats counters are per client; the runner sums them over the repeats
 *      (each repeat has a client of its own).
 *   h. (minor >= 2) params->address is NULL in server_start when the
 *      section sets no `listen`. A plugin of minor 0 or 1 gets "127.0.0.1:0"
 *      instead, as it always did.
 *
 * Return codes: 0 success, -1 failure with err filled in.
 */
#ifndef INCBENCH_TRANSPORT_H
#define INCBENCH_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INCBENCH_ABI_MAJOR 1
/* Minor history: 0 = client, server and pipelining ops; 1 = appended `stats`;
 * 2 = addresses are opaque and server_start may get NULL (rule 8, promise h);
 * 3 = appended TLS handshake counters in incbench_stats. */
#define INCBENCH_ABI_MINOR 3
#define INCBENCH_ABI_MAKE(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))
#define INCBENCH_ABI_VERSION INCBENCH_ABI_MAKE(INCBENCH_ABI_MAJOR, INCBENCH_ABI_MINOR)
#define INCBENCH_ABI_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define INCBENCH_ABI_MINOR_OF(v) ((uint32_t)(v) & 0xffffu)

/* The symbol name the runner looks up. */
#define INCBENCH_TRANSPORT_SYMBOL "incbench_transport"

/* The most calls the runner ever has in flight on one client: the largest
 * `window` a config may ask for, so params->max_inflight never exceeds it. */
#define INCBENCH_MAX_INFLIGHT (1u << 20)

/* The smallest err buffer, and the smallest server_start bound buffer, the
 * runner ever hands a plugin: a shorter message or address is never cut. */
#define INCBENCH_MIN_ERRLEN 256
#define INCBENCH_MIN_BOUNDLEN 256

/* One key = value of the plugin's INI section, in file order. The runner
 * keeps its own keys (`runner --help-config` lists them) and hands the
 * plugin only the rest: choose other names.
 * Strings live until the matching shutdown / server_stop. */
struct incbench_option {
    const char *key;
    const char *value;
};

/* What the runner tells init and server_start. Built by the runner; valid
 * only during the call (copy what you keep). */
struct incbench_params {
    uint32_t abi_version;        /* the RUNNER's INCBENCH_ABI_VERSION */
    const char *section;         /* INI section name, for messages */
    const struct incbench_option *options; /* plugin keys of the section */
    size_t n_options;
    /* init: the server's endpoint, in the plugin's own syntax: what its
     * server_start wrote into bound[], or the section's `address` for an
     * external server (NULL for in-process plugins).
     * server_start: the section's `listen`, or NULL (minor >= 2) when it
     * sets none: pick a free endpoint ("127.0.0.1:0" for TCP, a fresh
     * name for a Unix socket). */
    const char *address;
    unsigned timeout_ms;         /* deadline of every call, connect included */
    /* Most calls the runner will have in flight at once on this client:
     * 1 for the sequential loop, W for a pipelined section (see submit). */
    unsigned max_inflight;
};

/* Counters a network plugin hands back (minor >= 1, optional). The runner
 * zeroes the struct before the call; a plugin fills what it counts. */
struct incbench_stats {
    /* Connections of any kind (TCP, Unix socket, shared segment attach)
     * this client opened; the runner sums the repeats' clients. */
    uint64_t connections;
    /* ---- minor >= 3: written only when params->abi_version's minor is 3
     * or more (an older runner's struct ends above). ---- */
    /* TLS handshakes this client completed: full ones (a key exchange and
     * the server's certificate checked), and resumed ones (a session from an
     * earlier connection taken up again). Both 0 without TLS. The runner
     * reads them only from a plugin whose own minor is 3 or more, shows
     * them only when some section counted one, and `--check-plugin` holds
     * a plugin to full + resumed <= connections (each handshake is made on
     * a connection of its own) and to counts of this client alone. */
    uint64_t tls_full_handshakes;
    uint64_t tls_resumed_handshakes;
};

struct incbench_transport {
    /* INCBENCH_ABI_VERSION of the header the plugin was built against.
     * Always the first member; never moves. */
    uint32_t abi_version;
    const char *name;            /* short name, e.g. "tcp" */
    const char *summary;         /* one line for `runner --list` */

    /* ---- client side (required) ---- */

    /* Create a client in *client. May connect eagerly or lazily: the runner
     * times the first call of each repeat apart (the cold call). On failure
     * return -1; *client may be left NULL or set, and the runner calls
     * shutdown(*client) either way. */
    int (*init)(void **client, const struct incbench_params *params,
                char *err, size_t errlen);

    /* Send `value`, wait for the answer, store it in *result. The runner
     * checks *result == value + 1 itself; the plugin reports transport
     * errors (timeout, peer gone, error status) by returning -1. This is the
     * call inside the measured loop: do no avoidable work here (no logging,
     * no allocation you can hoist into init). */
    int (*increment)(void *client, int64_t value, int64_t *result,
                     char *err, size_t errlen);

    /* Free the client. Accepts NULL. Called once per successful or failed init. */
    void (*shutdown)(void *client);

    /* ---- server side (NULL, NULL for in-process transports) ---- */

    /* Bind params->address (or an endpoint of its own choosing when it is
     * NULL, minor >= 2), start the plugin's own thread(s), write the
     * endpoint really bound ("127.0.0.1:43121") into bound[boundlen], and
     * return only once the server accepts connections. Options are the same
     * section keys the client gets; a server ignores client-only keys it
     * knows and rejects keys it does not know. */
    int (*server_start)(void **server, const struct incbench_params *params,
                        char *bound, size_t boundlen, char *err, size_t errlen);

    /* Stop serving, join the threads, close every connection, free all.
     * Accepts NULL. Must return in bounded time even with clients attached. */
    void (*server_stop)(void *server);

    /* ---- optional pipelining (both NULL or both set) ---- */

    /* Send `value` tagged `tag` without waiting for its answer, returning
     * within timeout_ms even when the peer has stopped reading. At most
     * params->max_inflight (<= INCBENCH_MAX_INFLIGHT) submits are
     * outstanding at once (promise c). */
    int (*submit)(void *client, uint64_t tag, int64_t value,
                  char *err, size_t errlen);

    /* Wait (bounded by timeout_ms) for any one outstanding call to finish;
     * store its tag and answer. Answers may come in any order: the tag,
     * never the arrival order, says which request this answers. */
    int (*complete)(void *client, uint64_t *tag, int64_t *result,
                    char *err, size_t errlen);

    /* ---- minor >= 1 ---- */

    /* Optional (may be NULL): fill *stats with the client's counters. Called
     * outside the measured loop, before shutdown. */
    void (*stats)(void *client, struct incbench_stats *stats);
};

/* The one symbol a plugin defines. */
extern const struct incbench_transport incbench_transport;

#ifdef __cplusplus
}
#endif

#endif /* INCBENCH_TRANSPORT_H */
