#!/bin/sh
# interop.sh — grpc_stream against code nobody here wrote: Python grpcio's
# bidi client calls our stream server (ping-pong, 1000 pipelined answers
# matched by id, OUT_OF_RANGE), and our client calls a grpcio stream server
# (ping-pong, pipelined against out-of-order answers, a server slower than
# the deadline, a server killed mid-stream). Skips only without grpcio.
. "$top_srcdir/tests/grpc_unary/interop-lib.sh"

for opts in "" "compression=gzip"; do
    start ours "$SERVE" grpc_stream $opts
    if out=$(timeout 120 "$PY" "$INTEROP_PY" stream-client "$SERVER_ADDR"); then
        pass "grpcio bidi client against our stream server ($opts)"
    else
        fail "grpcio bidi client against our stream server ($opts): $out"
    fi
    stop "$SERVER_PID" && pass "our stream server stops cleanly" || fail "serve exit status $?"
done

start reorder "$PY" "$INTEROP_PY" server --reorder 5
out=$(timeout 60 "$DRIVE" grpc_stream "$SERVER_ADDR" 5000 2000 0 10 compression=gzip)
case $out in OK*) pass "10 chains against grpcio answering out of order";;
             *) fail "pipelined to grpcio: $out";; esac
kill -9 "$SERVER_PID"

start py "$PY" "$INTEROP_PY" server
out=$(timeout 60 "$DRIVE" grpc_stream "$SERVER_ADDR" 5000 1000 0 1)
[ "$out" = "OK 1000" ] && pass "our ping-pong: 1000 calls to grpcio" || fail "ping-pong to grpcio: $out"

timeout 60 "$DRIVE" grpc_stream "$SERVER_ADDR" 2000 100000000 0 1 >"$TMP/killed.out" &
drive_pid=$!
sleep 1
kill -9 "$SERVER_PID"
wait "$drive_pid"
out=$(cat "$TMP/killed.out")
case $out in *UNAVAILABLE*) pass "server killed mid-stream: $out";;
             *) fail "server killed mid-stream: '$out'";; esac

start slow "$PY" "$INTEROP_PY" server --sleep 3
out=$(timeout 60 "$DRIVE" grpc_stream "$SERVER_ADDR" 300 1 0 1)
case $out in *DEADLINE_EXCEEDED*) pass "slow stream server: $out";;
             *) fail "slow stream server: '$out'";; esac
kill -9 "$SERVER_PID"

[ $FAILS -eq 0 ]
