/*
 * rest_test.h — what the rest plugin's Check tests of client and server
 * (test_rest, test_payload, test_hostile) share: the plugin loaded before
 * each test, a server and a client with their one key, the client's
 * connection count, one raw request and its answer, and a well-behaved
 * client that must get its answers (clocks and the accepted end of a
 * socket are harness.h's). Every helper fails the running test on a
 * broken promise.
 */
#ifndef INCBENCH_TESTS_REST_TEST_H
#define INCBENCH_TESTS_REST_TEST_H

#include "harness.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The plugin under test, loaded by rt_load. */
extern const struct incbench_transport *T;

/* Checked fixture: load the plugin in each test's own process, where a
 * failed load is a failure. */
void rt_load(void);

/* server_start (asserted) on 127.0.0.1:0 with this server_timeout_ms. */
void *rt_server(char bound[64], const char *server_timeout_ms);

/* init (asserted) against address with connection = keepalive | close. */
void *rt_client(const char *address, unsigned timeout_ms, const char *connection);

/* The connections client `c` has opened so far (its stats). */
uint64_t rt_connections(void *c);

/* What a raw socket got back: the status (0 when the server closed or
 * reset without a whole answer), the bytes, and where the body starts. */
struct raw_answer {
    int status;
    bool reset;
    char text[8192];
    size_t len;
    const char *body;            /* NUL-terminated, inside text; "" without one */
};

/* Send req[0..len) on a new connection to bound and read one answer. */
void rt_raw_call(const char *bound, const char *req, size_t len, struct raw_answer *a);

/* A client nobody has upset gets the right answers from this server. */
void rt_well_behaved_client_is_served(const char *bound);

#endif
