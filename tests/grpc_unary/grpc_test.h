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
#include "relay.h"

#include <check.h>
#include <stdbool.h>
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

/* A server with option sk = sv, a client with ck = cv talking to it
 * through a relay (either key may be NULL), three checked calls; the relay
 * is stopped and returned with what crossed it on the one connection the
 * client made. */
struct relay *gt_relayed(const char *sk, const char *sv, const char *ck, const char *cv);

/* Did header `name` go `dir` on the relay's first connection, with `value`
 * (any value when NULL; with !whole, a value that starts with it)? */
bool gt_sent_header(const struct relay *r, enum relay_dir dir, const char *name,
                    const char *value, bool whole);

/* One call (100, answered 101 when it goes through) from a fresh client
 * with option ck = cv to a fresh server with sk = sv (either key may be
 * NULL): 0, or -1 with the sentence in err[256]. */
int gt_one_call(const char *sk, const char *sv, const char *ck, const char *cv, char err[256]);

/* init and server_start with hp both fail with a sentence that holds
 * `want` and, unless NULL, `also`. */
void gt_refused(const struct harness_params *hp, const char *want, const char *also);

/* "127.0.0.1:PORT" of a port just bound and closed: nothing listens there. */
void gt_dead_address(char out[64]);

/* A client (window W) of the address with nothing listening fails its first
 * call with UNAVAILABLE, naming the address. */
void gt_nothing_listening_is_unavailable(unsigned window);

/* Run each of `tests`, then the tests every gRPC plugin shares (those of
 * grpc_test.c: stats, and each shared key's effect on the wire; those of
 * hostile.h), only the one named by $GT_ONLY when set, each in a forked
 * child (bounded by Check's timeout) that first loads `plugin` into T; the
 * exit status for main. */
int gt_main(const char *plugin, const TTest *const *tests, size_t n_tests);

#endif
