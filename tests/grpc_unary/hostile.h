/*
 * hostile.h — tests both gRPC plugins share that attack the server as a
 * stranger on 127.0.0.1 would: run it out of file descriptors, open more
 * streams than it announced, send compression it did not ask for, send a
 * gzip bomb. Each runs against T (grpc_test.h) in its forked child.
 */
#ifndef INCBENCH_TESTS_HOSTILE_H
#define INCBENCH_TESTS_HOSTILE_H

/* A flood of idle connections that runs the server's process out of file
 * descriptors (the soft limit lowered for the test) and goes away again
 * leaves the server accepting: a client that connected before is answered
 * during the flood, a new one after it. */
void gt_a_flood_of_idle_connections_leaves_the_listener_accepting(void);

/* With max_streams = 2, a third concurrent call on one connection is not
 * served while two are open; the two work; when one ends, the third is
 * answered. */
void gt_max_streams_holds_back_the_call_beyond_it(void);

/* max_streams must be a whole number in 1..GC_MAX_STREAMS_MAX; bad values
 * are rejected by server_start, naming the key. */
void gt_bad_max_streams_are_rejected_by_name(void);

/* A server whose section says compression = none refuses a gzip- or
 * deflate-compressed request with UNIMPLEMENTED instead of inflating it; one
 * that says gzip (deflate) answers a gzip (deflate) request and refuses the
 * other algorithm alike. */
void gt_compression_the_section_did_not_ask_for_is_refused(void);

/* On a gzip server, a compressed request that would inflate far beyond any
 * message of ours (2 MiB of zeros in a 2 KiB message; 64 MiB in 64 KiB) is
 * refused with RESOURCE_EXHAUSTED, and the process's peak RSS grows by far
 * less than the inflated size: it was never inflated. */
void gt_a_gzip_bomb_is_refused_before_it_inflates(void);

#endif
