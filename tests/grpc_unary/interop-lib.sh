# interop-lib.sh — sourced by the gRPC interop tests: find a Python with
# grpcio and protobuf (skip, exit 77, when there is none), generate the stubs
# into a temporary directory, start servers that print "READY host:port"
# (ours are `runner --serve`), run one runner section against a server
# someone else runs (server = external), and stop by PID what we started.
# Every wait is bounded. No test-only program of ours: the runner is both
# our server and our client, as a user would run them.
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
RUNNER="$top_builddir/runner/runner"

# The runner's configs: one section per plugin to serve, and one client
# section whose plugin, address and sizes each test sets with -D.
cat >"$TMP/serve.ini" <<'INI'
[unary]
plugin = grpc_unary

[stream]
plugin = grpc_stream
INI
cat >"$TMP/client.ini" <<'INI'
[runner]
requests = 1000
warmup   = 0
repeat   = 1

[client]
plugin = grpc_unary
server = external
INI

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

# serve SECTION [-D section.key=value...]: our server, as `runner --serve`.
serve() {
    section=$1; shift
    start "ours-$section" "$RUNNER" "$@" --serve "$section" "$TMP/serve.ini"
}

# grpcio_calls_ours NAME SECTION "SERVE-ARGS" MODE [ARG...]: our server
# (`runner SERVE-ARGS --serve SECTION`) called by `interop.py MODE ADDR
# ARG...`, which must pass; then SIGTERM must end our server with 0.
grpcio_calls_ours() {
    # (not `name`: serve sets that)
    what=$1 section=$2 serve_args=$3 mode=$4; shift 4
    serve "$section" $serve_args
    if out=$(timeout 120 "$PY" "$INTEROP_PY" "$mode" "$SERVER_ADDR" "$@"); then
        pass "$what"
    else
        fail "$what: $out"
    fi
    stop "$SERVER_PID" && pass "runner --serve exits 0 on SIGTERM" || fail "runner --serve exit status $?"
}

# client NAME ADDR [-D client.key=value...]: one runner section against ADDR
# (bounded by 60 s); sets RC and OUT (the report and the runner's stderr).
client() {
    name=$1 addr=$2; shift 2
    timeout 60 "$RUNNER" -D client.address="$addr" "$@" "$TMP/client.ini" \
        >"$TMP/$name.out" 2>&1
    RC=$?
    OUT=$(cat "$TMP/$name.out")
}

# client_fails NAME TEXT ADDR [-D ...]: the section must fail (exit 1) with
# TEXT in its reason.
client_fails() {
    name=$1 text=$2; shift 2
    client "$name" "$@"
    reason=$(printf '%s\n' "$OUT" | sed -n 's/^runner: \[client\] //p')
    if [ "$RC" -eq 1 ] && printf '%s' "$reason" | grep -qF -- "$text"; then
        pass "$name: $reason"
        return 0
    fi
    fail "$name: exit $RC, wanted 1 with $text; output:"; printf '%s\n' "$OUT"
    return 1
}

# client_passes NAME ADDR [-D ...]: the section must run every call (exit 0).
client_passes() {
    name=$1; shift
    client "$name" "$@"
    if [ "$RC" -eq 0 ]; then pass "$name"; return 0; fi
    fail "$name: exit $RC; output:"; printf '%s\n' "$OUT"
    return 1
}

# kill_mid_run NAME TEXT ADDR PID [-D ...]: a long section against ADDR; the
# server PID is killed (SIGKILL) a second in; the section must fail with TEXT.
# (The section runs in a subshell: its verdict comes back as its status.)
kill_mid_run() {
    name=$1 text=$2 addr=$3 victim=$4; shift 4
    client_fails "$name" "$text" "$addr" -D client.requests=100000000 -D client.timeout_ms=2000 \
        "$@" &
    bg=$!
    sleep 1
    kill -9 "$victim"
    wait "$bg" || FAILS=$((FAILS + 1))
}

# stop PID: SIGTERM, 10 s to exit, then SIGKILL; returns the exit status.
stop() {
    kill -TERM "$1" 2>/dev/null
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$1" 2>/dev/null
    wait "$1"
}
