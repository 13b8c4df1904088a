/*
 * payload_test.h — the tests of the payload and verify keys both gRPC
 * plugins share; gt_main (grpc_test.h) runs them against T, each in its
 * forked child. What each asserts is said at its START_TEST in
 * payload_test.c.
 */
#ifndef INCBENCH_TESTS_PAYLOAD_TEST_H
#define INCBENCH_TESTS_PAYLOAD_TEST_H

#include <check.h>
#include <stddef.h>

/* The tests, *n of them. */
const TTest *const *gt_payload_tests(size_t *n);

#endif
