/*
 * response.h — a strict parser for the one kind of HTTP/1.x response the
 * rest client expects: a status line, headers, and a body delimited by
 * Content-Length. Pure function over a byte buffer (no I/O, no allocation),
 * so it is tested on its own. It refuses what it does not understand
 * (chunked bodies, a missing Content-Length) rather than guess.
 */
#ifndef INCBENCH_REST_RESPONSE_H
#define INCBENCH_REST_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

/* The largest body accepted: a 64 MiB payload (payload.h's PAYLOAD_MAX,
 * asserted in client.c) plus room for the JSON around it. It bounds what
 * a hostile Content-Length can ask of the client. */
#define RESPONSE_MAX_BODY ((64u << 20) + 65536u)

struct http_response {
    int status;              /* 100..599 */
    size_t body_offset;      /* where the body starts in the buffer */
    size_t body_length;      /* from Content-Length */
    size_t total;            /* header + body bytes: the whole response (on 0:
                              * what it will be once the header block is
                              * in, else 0) */
    bool close;              /* the server will close after this response */
    const char *why;         /* on -1: what was wrong (static string) */
};

/* 1 when buf[0..len) holds a whole response (fields filled), 0 when more
 * bytes are needed (total set: a caller need not parse again before it
 * has that many), -1 when it is not a response we accept (why set). */
int http_response_parse(const char *buf, size_t len, struct http_response *out);

#endif
