/*
 * harness.h — what plugin tests share: load a built plugin straight from the
 * build tree (no runner involved), build incbench_params from key/value
 * pairs, start a server in this process, connect to it raw, find the end
 * it accepted, read the clock or nap in ms, and tell valgrind is running
 * them. Tests only; never installed.
 */
#ifndef INCBENCH_TESTS_HARNESS_H
#define INCBENCH_TESTS_HARNESS_H

#include <incbench/transport.h>

#include <stdbool.h>

/* dlopen $top_builddir/plugins/NAME/.libs/NAME.so (or a path containing '/').
 * Aborts the test (ck_abort) when it cannot. The handle is never closed:
 * gRPC plugins must not be unmapped while their threads wind down. */
const struct incbench_transport *harness_load(const char *name_or_path);

/* A networked plugin's table has its name, this header's ABI version, the
 * server, pipelining and stats ops, and its shutdown and server_stop take
 * NULL (rule 6). */
void harness_full_vtable(const struct incbench_transport *t, const char *name);

/* Params with up to 16 options given as "key", "value", ..., NULL. Strings
 * are not copied: pass literals or strings that outlive the call. */
struct harness_params {
    struct incbench_params p;
    struct incbench_option opts[16];
};
void harness_params(struct harness_params *hp, const char *address,
                    unsigned timeout_ms, ...);

/* Start the plugin's server on hp's address (127.0.0.1:0, NULL, ...) with
 * its options; the bound address goes into bound[64]. Fails the test if
 * server_start fails. */
void *harness_server(const struct incbench_transport *t,
                     const struct harness_params *hp, char bound[64]);

/* Connect a raw socket to "host:port" (TCP) or "unix:/path", "unix:@name"
 * (a Unix stream socket, autobound to a name of its own) with a 5 s
 * send/receive timeout; returns the fd or fails the test. */
int harness_connect(const char *address);

/* The monotonic clock in milliseconds. */
long long harness_now_ms(void);

/* Sleep `ms` milliseconds, resuming after a signal. */
void harness_nap_ms(long ms);

/* The socket a server in this process accepted for client_fd (a 127.0.0.1
 * connection, or a Unix one from harness_connect): the one whose local
 * port (name) is the client's peer's and whose peer is the client's. -1
 * when there is none. */
int harness_accepted_end(int client_fd);

/* True under valgrind (it preloads vgpreload_*.so): it keeps RLIMIT_NOFILE
 * to itself and grows RSS as it translates code, so fd-limit and memory
 * bounds do not hold there. */
bool harness_under_valgrind(void);

#endif
