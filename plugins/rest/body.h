/*
 * body.h — the JSON object both sides of the rest plugin exchange,
 * {"value": V, "payload": "..."}, read without jansson: a pure function
 * over a byte buffer (no I/O, no allocation; the payload is a pointer into
 * the buffer), so that it is tested and fuzzed on its own.
 *
 * Why not jansson: it copies a string byte by byte into a growing buffer;
 * measured here (2.14, -O2), 15.6 ms to load a 1 MiB payload, which would
 * make a 1 MiB rest call measure jansson, not HTTP; this reads it in
 * 0.26 ms. It reads any member order and JSON whitespace,
 * skips members it does not know (strings, numbers, true, false, null),
 * and refuses, with a reason, what it does not read: nested objects or
 * arrays, and a payload that is not plain printable ASCII (the plugin
 * sends base64url, which needs no escape).
 */
#ifndef INCBENCH_REST_BODY_H
#define INCBENCH_REST_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rest_body {
    bool has_value;          /* "value" was there (an int64) */
    int64_t value;
    bool has_payload;        /* "payload" was there (a string) */
    const char *payload;     /* inside the buffer given; payload_len bytes */
    size_t payload_len;
    const char *why;         /* on -1: what was wrong (static string) */
};

/* 0 when buf[0..len) is one JSON object we read (out filled), -1 (why
 * set) when it is not. */
int rest_body_parse(const char *buf, size_t len, struct rest_body *out);

#endif
