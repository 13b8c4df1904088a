/*
 * watch.h — a white-box test of the connection count of grpc_common/
 * client.c (the `stats` op of both gRPC plugins), driven on a gc_client of
 * its own so that the order of a reconnect and the handling of the watch
 * event is the test's choice rather than the scheduler's.
 */
#ifndef INCBENCH_TESTS_WATCH_H
#define INCBENCH_TESTS_WATCH_H

/* A client connected to a server that is stopped and started again on the
 * same port, and that is READY again on a new connection before it takes
 * the watch event the first connection's end left on its queue, counts 2
 * connections (the reconnect looks like READY -> READY when only the state
 * at handling time is read). Uses T's server. */
void gt_a_reconnect_before_the_watch_event_is_taken_still_counts(void);

#endif
