#!/bin/sh
# interop.sh — grpc_stream against code nobody here wrote: Python grpcio's
# bidi client calls our stream server as `runner --serve` runs it
# (ping-pong, 1000 pipelined answers matched by id, OUT_OF_RANGE), and runner
# sections with our client call a grpcio stream server (ping-pong, 10 chains
# against out-of-order answers, a status grpcio sends, a server slower than
# the deadline, a server killed mid-stream, ping-pong and pipelined). Skips only without grpcio.
. "$top_srcdir/tests/grpc_unary/interop-lib.sh"

for opts in "" "compression=gzip"; do
    serve stream ${opts:+-D stream.$opts}
    if out=$(timeout 120 "$PY" "$INTEROP_PY" stream-client "$SERVER_ADDR"); then
        pass "grpcio bidi client against our stream server ($opts)"
    else
        fail "grpcio bidi client against our stream server ($opts): $out"
    fi
    stop "$SERVER_PID" && pass "runner --serve exits 0 on SIGTERM" || fail "runner --serve exit status $?"
done

S="-D client.plugin=grpc_stream"
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
