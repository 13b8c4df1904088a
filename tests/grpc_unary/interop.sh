#!/bin/sh
# interop.sh — grpc_unary against code nobody here wrote: Python grpcio calls
# our server (1000 checked calls, OUT_OF_RANGE, malformed bytes, unknown
# method), and our client calls a grpcio server (a full chain, a server slower
# than the deadline, a server killed mid-run). Skips only without grpcio.
. "$top_srcdir/tests/grpc_unary/interop-lib.sh"

for opts in "" "minimal_stack=true" "compression=gzip"; do
    start ours "$SERVE" grpc_unary $opts
    if out=$(timeout 120 "$PY" "$INTEROP_PY" unary-client "$SERVER_ADDR" \
             ${opts:+$( [ "$opts" = compression=gzip ] && echo gzip)}); then
        pass "grpcio client against our server ($opts)"
    else
        fail "grpcio client against our server ($opts): $out"
    fi
    stop "$SERVER_PID" && pass "our server stops cleanly on SIGTERM" || fail "serve exit status $?"
done

start py "$PY" "$INTEROP_PY" server
out=$(timeout 60 "$DRIVE" grpc_unary "$SERVER_ADDR" 5000 1000 0 1)
[ "$out" = "OK 1000" ] && pass "our client: 1000 calls to grpcio" || fail "our client to grpcio: $out"
out=$(timeout 60 "$DRIVE" grpc_unary "$SERVER_ADDR" 5000 1 9223372036854775807 1)
case $out in *OUT_OF_RANGE*) pass "grpcio's OUT_OF_RANGE reported by name";;
             *) fail "INT64_MAX against grpcio: $out";; esac

# Killed mid-run: the chain is long enough never to finish before the kill.
timeout 60 "$DRIVE" grpc_unary "$SERVER_ADDR" 2000 100000000 0 1 >"$TMP/killed.out" &
drive_pid=$!
sleep 1
kill -9 "$SERVER_PID"
wait "$drive_pid"
out=$(cat "$TMP/killed.out")
case $out in *UNAVAILABLE*) pass "server killed mid-run: $out";;
             *) fail "server killed mid-run: '$out'";; esac
out=$(timeout 60 "$DRIVE" grpc_unary "$SERVER_ADDR" 1000 1 0 1)
case $out in *UNAVAILABLE*) pass "nothing listening any more: $out";;
             *) fail "nothing listening: '$out'";; esac

start slow "$PY" "$INTEROP_PY" server --sleep 3
out=$(timeout 60 "$DRIVE" grpc_unary "$SERVER_ADDR" 300 1 0 1)
case $out in *DEADLINE_EXCEEDED*) pass "slow server: $out";;
             *) fail "slow server: '$out'";; esac
kill -9 "$SERVER_PID"

[ $FAILS -eq 0 ]
