#!/bin/sh
# serve_foreign.sh — `runner --serve tcp` (a separate server process, as the
# runner spawns it) against a client built on Google's Python protobuf
# runtime (foreign_client.py), then SIGTERM: the server must exit 0 in
# bounded time. Checks the wire format, payloads included, against a codec
# we did not write.
# Skips (77) only when protoc or python3's protobuf module is missing.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
runner="$top_builddir/runner/runner"
plugin="$top_builddir/plugins/tcp/.libs/tcp.so"

# The protobuf module may live in Debian's python3 rather than the first on PATH.
py=
for cand in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$cand" -c 'import google.protobuf' 2>/dev/null; then py=$cand; break; fi
done
[ -n "$py" ] || { echo "SKIP: no python3 with google.protobuf (apt-get install python3-protobuf)"; exit 77; }
command -v protoc >/dev/null || { echo "SKIP: protoc missing (apt-get install protobuf-compiler)"; exit 77; }

tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

protoc --proto_path="$top_srcdir/proto" --python_out="$tmp" "$top_srcdir/proto/increment.proto" || exit 1
printf '[runner]\nrequests = 10\n\n[tcp]\nplugin = %s\ntimeout_ms = 2000\npayload = 4096\n' "$plugin" >"$tmp/tcp.ini"

"$runner" --serve tcp "$tmp/tcp.ini" >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while ! grep -q '^READY ' "$tmp/out" && [ $i -lt 100 ]; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
addr=$(sed -n 's/^READY //p' "$tmp/out")
if [ -z "$addr" ]; then
    echo "FAIL: runner --serve tcp never said READY; stderr:"; cat "$tmp/err"; exit 1
fi
echo "server pid $pid ready at $addr"

status=0
timeout 30 "$py" "$top_srcdir/tests/tcp/foreign_client.py" "$tmp" "$addr" || status=1

kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: runner --serve tcp still running 10 s after SIGTERM"
    exit 1
fi
wait "$pid"
rc=$?
pid=
if [ "$rc" -ne 0 ]; then
    echo "FAIL: runner --serve tcp exited $rc after SIGTERM; stderr:"; cat "$tmp/err"; status=1
else
    echo "ok: SIGTERM stops the server, exit 0"
fi
exit $status
