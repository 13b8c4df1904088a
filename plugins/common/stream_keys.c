/*
 * stream_keys.c — see stream_keys.h.
 *
 * idle_timeout_ms defaults to a fixed 60 s, not to timeout_ms: a connection
 * is idle only while it owes the server nothing and is owed nothing, that is
 * between a client's calls, in time the client spends on its own. timeout_ms
 * bounds the wait for an answer and says nothing about that pause (a program
 * that thinks for 5 s between calls would be cut). The runner leaves
 * microseconds between calls, so the timeout only ever reaches connections
 * left open by a client gone quiet or one dribbling a frame; 60 s gives their
 * descriptors back within a minute, which is what lets an accept paused at
 * the descriptor limit (stream_server.c) resume.
 */
#include "stream_keys.h"

#include "options.h"
#include "payload.h"

int stream_keys_read(const struct incbench_params *params, const char *who,
                     struct stream_keys *out, char *err, size_t errlen)
{
    static const char *const known[] = { "idle_timeout_ms", PAYLOAD_KEYS, NULL };
    *out = (struct stream_keys){ .idle_timeout_ms = STREAM_IDLE_DEFAULT_MS };
    if (opts_check(params, who, known, err, errlen) != 0)
        return -1;
    if (opts_uint(params, who, "idle_timeout_ms", 0, STREAM_IDLE_MAX_MS,
                  &out->idle_timeout_ms, err, errlen) != 0)
        return -1;
    return payload_keys_read(params, who, &out->payload, &out->verify, err, errlen);
}
