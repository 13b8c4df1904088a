#!/bin/sh
# interop.sh — grpc_stream against code nobody here wrote: Python grpcio's
# bidi client calls our stream server as `runner --serve` runs it
# (ping-pong, 1000 pipelined answers matched by id, OUT_OF_RANGE), and runner
# sections with our client call a grpcio stream server (ping-pong, 10 chains
# against out-of-order answers, a status grpcio sends, a server slower than
# the deadline, a server killed mid-stream, ping-pong and pipelined).
# Payloads both ways: grpcio's bidi client sends 4k and 1m bytes to our
# stream server, ping-pong and pipelined, and checks the echo; our client
# sends them to grpcio's server (window 1 and 8), catches (verify = true)
# an echo with one byte flipped and names both lengths of one a byte
# short. Skips only without grpcio.
. "$top_srcdir/tests/grpc_unary/interop-lib.sh"

grpcio_calls_ours "grpcio bidi client against our stream server" stream "" stream-client
grpcio_calls_ours "grpcio bidi client against our gzip stream server" stream \
    "-D stream.compression=gzip" stream-client
for n in 4096 1048576; do
    grpcio_calls_ours "grpcio bidi client with payload $n against our stream server" stream \
        "-D stream.payload=$n" stream-client --payload $n
done

S="-D client.plugin=grpc_stream"
start py "$PY" "$INTEROP_PY" server
for n in 4096 1048576; do
    for w in 1 8; do
        client_passes "our stream client with payload $n, window $w, verified, to grpcio" \
            "$SERVER_ADDR" $S -D client.payload=$n -D client.verify=true -D client.window=$w \
            -D client.requests=100
    done
done
kill -9 "$SERVER_PID"

start flip "$PY" "$INTEROP_PY" server --flip
client_fails "verify catches a byte grpcio flipped in a stream" \
    "the answer's payload differs from the request's at byte 2048 of 4096" "$SERVER_ADDR" $S \
    -D client.payload=4096 -D client.verify=true
kill -9 "$SERVER_PID"

start trim "$PY" "$INTEROP_PY" server --trim
client_fails "a stream echo one byte short names both lengths" \
    "the answer's payload is 4095 bytes, the request's 4096" "$SERVER_ADDR" $S \
    -D client.payload=4096 -D client.window=4
kill -9 "$SERVER_PID"

start reorder "$PY" "$INTEROP_PY" server --reorder 5
client_passes "10 chains against grpcio answering out of order" "$SERVER_ADDR" $S \
    -D client.window=10 -D client.requests=2000 -D client.compression=gzip
kill -9 "$SERVER_PID"

start py "$PY" "$INTEROP_PY" server
client_passes "our ping-pong: 1000 checked calls to grpcio" "$SERVER_ADDR" $S
kill_mid_run "grpcio server killed mid-stream" UNAVAILABLE "$SERVER_ADDR" "$SERVER_PID" $S
start py "$PY" "$INTEROP_PY" server
kill_mid_run "grpcio server killed under 16 chains" UNAVAILABLE "$SERVER_ADDR" "$SERVER_PID" $S \
    -D client.window=16

start abort "$PY" "$INTEROP_PY" server --abort OUT_OF_RANGE
client_fails "grpcio's stream status and details reach the report" \
    "OUT_OF_RANGE: grpcio aborts as told" "$SERVER_ADDR" $S
kill -9 "$SERVER_PID"

start slow "$PY" "$INTEROP_PY" server --sleep 3
client_fails "slow stream server" DEADLINE_EXCEEDED "$SERVER_ADDR" $S -D client.timeout_ms=300
kill -9 "$SERVER_PID"

[ $FAILS -eq 0 ]
