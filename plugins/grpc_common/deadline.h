/*
 * deadline.h — "timeout_ms from now" as the gpr_timespec gRPC wants. On the
 * monotonic clock so that a wall-clock step cannot stretch a deadline.
 */
#ifndef INCBENCH_GRPC_COMMON_DEADLINE_H
#define INCBENCH_GRPC_COMMON_DEADLINE_H

#include <grpc/support/time.h>

static inline gpr_timespec gc_deadline(unsigned ms)
{
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                        gpr_time_from_millis((int64_t)ms, GPR_TIMESPAN));
}

#endif
