/*
 * rest_test.h — what the rest plugin's Check tests of client and server
 * (test_rest, test_hostile) share: the plugin loaded before each test, a
 * server and a client with their one key, the client's connection count,
 * and a well-behaved client that must get its answers (clocks and the
 * accepted end of a socket are harness.h's). Every helper fails the
 * running test on a broken promise.
 */
#ifndef INCBENCH_TESTS_REST_TEST_H
#define INCBENCH_TESTS_REST_TEST_H

#include "harness.h"

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

/* A client nobody has upset gets the right answers from this server. */
void rt_well_behaved_client_is_served(const char *bound);

#endif
