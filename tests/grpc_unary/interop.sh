#!/bin/sh
# interop.sh — grpc_unary against code nobody here wrote: Python grpcio calls
# our server as `runner --serve` runs it (1000 checked calls, OUT_OF_RANGE,
# malformed bytes, unknown method; then SIGTERM and exit 0), and a runner
# section with our client calls a grpcio server (1000 checked calls, a status
# grpcio sends, a server slower than the deadline, a server killed mid-run,
# nothing listening). Payloads both ways: grpcio's client sends 1, 4k and
# 1m bytes to our server and checks the echo; our client sends them to
# grpcio's server, catches (verify = true) an echo with one byte flipped,
# and names both lengths of an echo one byte short. Skips only without
# grpcio.
. "$top_srcdir/tests/grpc_unary/interop-lib.sh"

grpcio_calls_ours "grpcio client against our server" unary "" unary-client
grpcio_calls_ours "grpcio client against our lean server" unary "-D unary.minimal_stack=true" \
    unary-client
grpcio_calls_ours "grpcio gzip client against our gzip server" unary \
    "-D unary.compression=gzip" unary-client gzip
for n in 1 4096 1048576; do
    grpcio_calls_ours "grpcio client with payload $n against our server" unary \
        "-D unary.payload=$n" unary-client --payload $n
done

U="-D client.plugin=grpc_unary"
start py "$PY" "$INTEROP_PY" server
for n in 1 4096 1048576; do
    client_passes "our client with payload $n, verified, to grpcio" "$SERVER_ADDR" $U \
        -D client.payload=$n -D client.verify=true -D client.requests=100
done
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

start flip "$PY" "$INTEROP_PY" server --flip
client_fails "verify catches a byte grpcio flipped" \
    "the answer's payload differs from the request's at byte 2048 of 4096" "$SERVER_ADDR" $U \
    -D client.payload=4096 -D client.verify=true
client_passes "without verify only the length is checked" "$SERVER_ADDR" $U -D client.payload=4096
kill -9 "$SERVER_PID"

start trim "$PY" "$INTEROP_PY" server --trim
client_fails "an echo one byte short names both lengths" \
    "the answer's payload is 4095 bytes, the request's 4096" "$SERVER_ADDR" $U -D client.payload=4096
kill -9 "$SERVER_PID"

[ $FAILS -eq 0 ]
