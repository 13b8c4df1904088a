/*
 * grpc_test.h — what the Check tests of both gRPC plugins share (linked into
 * test_grpc_unary and test_grpc_stream): a client and a server with at most
 * one option, a checked ping-pong chain, a loopback address with nothing
 * listening, the shared keys' effects as seen through a relay (relay.h),
 * and the Check main that runs each of a plugin's tests in its
 * own forked child, where alone gRPC is initialised (it must not be forked
 * after grpc_init). Every helper fails the running test on a broken
 * promise; none prints or waits unbounded.
 */
#ifndef INCBENCH_TESTS_GRPC_TEST_H
#define INCBENCH_TESTS_GRPC_TEST_H

#include "../harness.h"

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* The plugin under test, loaded before each test by gt_main. */
extern const struct incbench_transport *T;

/* init (asserted) against address, max_inflight = window; option k = v
 * unless k is NULL. */
void *gt_client(const char *address, unsigned timeout_ms, unsigned window,
                const char *k, const char *v);

/* server_start (asserted) on 127.0.0.1:0 with option k = v unless k is NULL. */
void *gt_server(const char *k, const char *v, char bound[64]);

/* n dependent increments from `from`, every answer checked. */
void gt_chain(void *client, int64_t from, int n);

/* "127.0.0.1:PORT" of a port just bound and closed: nothing listens there. */
void gt_dead_address(char out[64]);

/* A client (window W) of the address with nothing listening fails its first
 * call with UNAVAILABLE, naming the address. */
void gt_nothing_listening_is_unavailable(unsigned window);

/* stats counts the connections a client really made: 0 to an address with
 * nothing listening, 1 after calls to a server, 2 after that server was
 * stopped and another one started on its port (the client reconnects). */
void gt_stats_count_connections(void);

/* Each of compression = gzip and deflate, set on the client, the server or
 * both, makes the sides it is set on, and only those, send the header
 * grpc-encoding with that name; compression = none on both sends none. */
void gt_compression_is_announced_by_the_side_that_sets_it(void);

/* minimal_stack = true leaves gRPC's compression filter, the one that
 * sends grpc-accept-encoding, out of the stack of the side it is set on
 * (client, server or both): those sides send no grpc-accept-encoding, the
 * other still does; false on both: both do, as without the key. */
void gt_minimal_stack_leaves_out_grpc_accept_encoding(void);

/* A client's first call turned away by a GOAWAY that says the server
 * processed nothing (the relay's goaway_first_call) is sent again on a new
 * connection, transparently, with retries = true; with retries = false it
 * fails with UNAVAILABLE. (Servers accept the key and ignore it.) */
void gt_retries_decide_whether_a_call_turned_away_goes_again(void);

/* Run each of `tests` (only the one named by $GT_ONLY when set) in a
 * forked child (bounded by Check's timeout) that first loads `plugin` into
 * T; the exit status for main. */
int gt_main(const char *plugin, const TTest *const *tests, size_t n_tests);

#endif
