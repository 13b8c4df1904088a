/*
 * hostile.h — tests both gRPC plugins share that attack the server as a
 * stranger on 127.0.0.1 would: run it out of file descriptors, open more
 * streams than it announced, send compression it did not ask for or a
 * compressed message that is not one whole stream, send a gzip bomb or a
 * message over the limit.
 * gt_main (grpc_test.h) runs them against T, each in its forked child;
 * what each asserts is said at its START_TEST in hostile.c.
 */
#ifndef INCBENCH_TESTS_HOSTILE_H
#define INCBENCH_TESTS_HOSTILE_H

#include <check.h>
#include <stddef.h>

/* The tests, *n of them. */
const TTest *const *gt_hostile_tests(size_t *n);

#endif
