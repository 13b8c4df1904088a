/*
 * chargs_test.h — the tests of the arg.* / server_arg.* / client_arg.*
 * keys both gRPC plugins share; gt_main (grpc_test.h) runs them against T,
 * each in its forked child. What each asserts is said at its START_TEST in
 * chargs_test.c.
 */
#ifndef INCBENCH_TESTS_CHARGS_TEST_H
#define INCBENCH_TESTS_CHARGS_TEST_H

#include <check.h>
#include <stddef.h>

/* The tests, *n of them. */
const TTest *const *gt_chargs_tests(size_t *n);

#endif
