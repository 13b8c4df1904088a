#!/bin/sh
# interop.sh — grpc_unary against code nobody here wrote: Python grpcio calls
# our server as `runner --serve` runs it (1000 checked calls, OUT_OF_RANGE,
# malformed bytes, unknown method; then SIGTERM and exit 0), and a runner
# section with our client calls a grpcio server (1000 checked calls, a status
# grpcio sends, a server slower than the deadline, a server killed mid-run,
# nothing listening). Skips only without grpcio.
. "$top_srcdir/tests/grpc_unary/interop-lib.sh"

for opts in "" "minimal_stack=true" "compression=gzip"; do
    serve unary ${opts:+-D unary.$opts}
    if out=$(timeout 120 "$PY" "$INTEROP_PY" unary-client "$SERVER_ADDR" \
             ${opts:+$( [ "$opts" = compression=gzip ] && echo gzip)}); then
        pass "grpcio client against our server ($opts)"
    else
        fail "grpcio client against our server ($opts): $out"
    fi
    stop "$SERVER_PID" && pass "runner --serve exits 0 on SIGTERM" || fail "runner --serve exit status $?"
done

U="-D client.plugin=grpc_unary"
start py "$PY" "$INTEROP_PY" server
client_passes "our client: 1000 checked calls to grpcio" "$SERVER_ADDR" $U
client_passes "our client with gzip and a lean stack to grpcio" "$SERVER_ADDR" $U \
    -D client.compression=gzip -D client.minimal_stack=true
kill_mid_run "grpcio server killed mid-run" UNAVAILABLE "$SERVER_ADDR" "$SERVER_PID" $U
client_fails "nothing listening any more" UNAVAILABLE "$SERVER_ADDR" $U -D client.timeout_ms=1000

start abort "$PY" "$INTEROP_PY" server --abort OUT_OF_RANGE
client_fails "grpcio's status and details reach the report" \
    "OUT_OF_RANGE: grpcio aborts as told" "$SERVER_ADDR" $U
kill -9 "$SERVER_PID"

start slow "$PY" "$INTEROP_PY" server --sleep 3
client_fails "slow server" DEADLINE_EXCEEDED "$SERVER_ADDR" $U -D client.timeout_ms=300
kill -9 "$SERVER_PID"

[ $FAILS -eq 0 ]
