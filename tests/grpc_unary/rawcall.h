/*
 * rawcall.h — a stranger's gRPC client for the hostile-input tests, on the
 * gRPC C core directly rather than through a plugin: several calls on one
 * channel (one connection, so that a server's per-connection stream limit
 * shows), calls held open, and messages sent exactly as given, compressed
 * ones included (our plugins never send what these tests need: a bomb).
 * Every wait has a deadline; a broken promise fails the running test.
 */
#ifndef INCBENCH_TESTS_RAWCALL_H
#define INCBENCH_TESTS_RAWCALL_H

#include <grpc/grpc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAW_UNARY "/incbench.Incrementer/Increment"
#define RAW_STREAM "/incbench.Incrementer/IncrementStream"

struct raw_channel;
struct raw_call;

/* A channel to `address` ("127.0.0.1:port") that announces `algo` in
 * grpc-encoding (GRPC_COMPRESS_NONE: none), so that the server inflates
 * what raw_send_bytes sends compressed (with `algo`). grpc_init is taken
 * here. */
struct raw_channel *raw_channel(const char *address, grpc_compression_algorithm algo);

/* Cancel every call still open, drain (bounded), destroy, grpc_shutdown. */
void raw_channel_free(struct raw_channel *ch);

/* Start a call of `method` and its status batch (initial metadata out and
 * in, status in). The call stays open until raw_close or the server ends
 * it. */
struct raw_call *raw_open(struct raw_channel *ch, const char *method);

/* Send an IncrementRequest {value, id 0}, half-closing too when `close`. */
void raw_send(struct raw_call *c, int64_t value, bool close);

/* Send `len` bytes as one message, marked compressed with the channel's
 * algorithm when `compressed` (the bytes must then be that algorithm's
 * output), half-closing too. */
void raw_send_bytes(struct raw_call *c, const void *bytes, size_t len, bool compressed);

/* Wait up to `ms` for the next answer; true and *value when one came. A
 * receive that timed out stays posted: the next raw_answer waits for it. */
bool raw_answer(struct raw_call *c, unsigned ms, int64_t *value);

/* Half-close (unless done already) and wait up to `ms` for the status;
 * the status, with its details in details[256]. */
grpc_status_code raw_status(struct raw_call *c, unsigned ms, char details[256]);

/* `prefix` followed by `zeros` zero bytes, compressed with `algo` (gzip or
 * deflate, i.e. zlib-wrapped, as gRPC has them) piecewise: the zeros never
 * exist in memory. malloc'd; *len its size. */
unsigned char *raw_compress(grpc_compression_algorithm algo, const void *prefix, size_t plen,
                            size_t zeros, size_t *len);

/* An IncrementRequest {value} as bytes (protobuf-c); the length. */
size_t raw_request(int64_t value, unsigned char out[32]);

/* The value of the IncrementReply in bb (protobuf-c); false when bb is not
 * one. Asserts nothing, for callers outside a Check test too. */
bool raw_reply_value(grpc_byte_buffer *bb, int64_t *value);

#endif
