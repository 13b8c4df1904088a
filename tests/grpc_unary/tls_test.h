/*
 * tls_test.h — the tests of `tls = true` both gRPC plugins share: made
 * certificates verified by their pin, PEM files verified against a CA,
 * mtls, handshakes counted (and resumed on a reconnect), and every bad
 * input failing in one line within its deadline. gt_main (grpc_test.h)
 * runs them against T, each in its forked child; what each asserts is
 * said at its START_TEST in tls_test.c.
 */
#ifndef INCBENCH_TESTS_TLS_TEST_H
#define INCBENCH_TESTS_TLS_TEST_H

#include <check.h>
#include <stddef.h>

/* The tests, *n of them. */
const TTest *const *gt_tls_tests(size_t *n);

#endif
