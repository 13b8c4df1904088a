# interop-lib.sh — sourced by the gRPC interop tests: find a Python with
# grpcio and protobuf (skip, exit 77, when there is none), generate the stubs
# into a temporary directory, start servers that print "READY host:port",
# and stop by PID what we started. Every wait is bounded.
set -u
: "${top_builddir:?}" "${top_srcdir:?}"

PY=
for p in "${PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$p" ] || continue
    if "$p" -c 'import grpc, google.protobuf' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    echo "SKIP: no python3 with grpcio and protobuf (apt-get install python3-grpcio python3-protobuf)"
    exit 77
fi
GRPC_PY_PLUGIN=$(command -v grpc_python_plugin || true)
if ! command -v protoc >/dev/null || [ -z "$GRPC_PY_PLUGIN" ]; then
    echo "SKIP: protoc or grpc_python_plugin missing (apt-get install protobuf-compiler protobuf-compiler-grpc)"
    exit 77
fi

TMP=$(mktemp -d)
PIDS=
cleanup() {
    for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
protoc --proto_path="$top_srcdir/proto" --python_out="$TMP" --grpc_out="$TMP" \
    --plugin=protoc-gen-grpc="$GRPC_PY_PLUGIN" increment.proto || exit 1
export PYTHONPATH="$TMP${PYTHONPATH:+:$PYTHONPATH}"
INTEROP_PY="$top_srcdir/tests/grpc_unary/interop.py"
SERVE="$top_builddir/tests/grpc_unary/serve"
DRIVE="$top_builddir/tests/grpc_unary/drive"

FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; }

# start NAME CMD...: run CMD in the background, wait (10 s at most) for its
# "READY host:port" line; sets SERVER_PID and SERVER_ADDR.
start() {
    name=$1; shift
    # A fresh file: a READY line left by an earlier server of that name
    # must not be read before the new one's redirection truncates it.
    rm -f "$TMP/$name.out"
    "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
    SERVER_PID=$!
    PIDS="$PIDS $SERVER_PID"
    SERVER_ADDR=
    i=0
    while [ $i -lt 100 ]; do
        SERVER_ADDR=$(sed -n 's/^READY //p' "$TMP/$name.out" 2>/dev/null)
        [ -n "$SERVER_ADDR" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    echo "FAIL: $name never printed READY"; cat "$TMP/$name.err"
    exit 1
}

# stop PID: SIGTERM, 10 s to exit, then SIGKILL; returns the exit status.
stop() {
    kill -TERM "$1" 2>/dev/null
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$1" 2>/dev/null
    wait "$1"
}
