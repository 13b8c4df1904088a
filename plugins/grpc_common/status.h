/*
 * status.h — gRPC status codes as the names a user looks up ("UNAVAILABLE"),
 * and the one-line error sentence both gRPC clients write for a failed call.
 * The C core has no public code-to-name function, hence the table.
 */
#ifndef INCBENCH_GRPC_COMMON_STATUS_H
#define INCBENCH_GRPC_COMMON_STATUS_H

#include <grpc/grpc.h>
#include <stddef.h>

/* "OK", "CANCELLED", ... "UNAUTHENTICATED"; "UNKNOWN_STATUS" beyond. */
const char *gc_status_name(grpc_status_code code);

/* err = "<who>: <NAME>: <details> (<address>)"; details may be empty. */
void gc_status_error(char *err, size_t errlen, const char *who,
                     const char *address, grpc_status_code code,
                     grpc_slice details);

#endif
