/*
 * status.c — see status.h. Names follow grpc/status.h exactly.
 */
#include "status.h"

#include <stdio.h>

static const char *const names[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
    "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
};

const char *gc_status_name(grpc_status_code code)
{
    if ((unsigned)code < sizeof names / sizeof names[0])
        return names[code];
    return "UNKNOWN_STATUS";
}

void gc_status_error(char *err, size_t errlen, const char *who,
                     const char *address, grpc_status_code code,
                     grpc_slice details)
{
    size_t n = GRPC_SLICE_LENGTH(details);
    /* Room for gRPC's connect errors, which carry OpenSSL's reason last. */
    if (n > 320)
        n = 320;
    /* Details come from the peer: keep the sentence on one line. */
    char text[321];
    const unsigned char *p = GRPC_SLICE_START_PTR(details);
    for (size_t i = 0; i < n; i++)
        text[i] = (p[i] < 0x20 || p[i] == 0x7f) ? ' ' : (char)p[i];
    text[n] = '\0';
    snprintf(err, errlen, "%s: %s: %s (%s)", who, gc_status_name(code),
             n > 0 ? text : "no details", address);
}
