#!/bin/sh
# bench/tls.sh — the README's "TLS, measured": conf/tls.ini (rest keep-alive
# and close, grpc_unary, grpc_stream, each in plaintext and over TLS 1.3,
# rest_close over TLS without resumption and over TLS 1.2; client on CPU 0,
# server on CPU 1) with 10 interleaved repeats, then its table from the JSON
# (bench/tls.py): mean (p50), CPU per call on each side, TLS / plaintext,
# and the handshakes each repeat made. A benchmark, run by hand, never by
# `make check`.
# usage: bench/tls.sh [BUILD_DIR]   (default: the current directory)
# environment: RUNNER_ARGS (extra runner options, e.g. -D runner.repeat=5),
#   KEEP=DIR keeps the JSON there.
set -eu
build=${1:-.}
runner="$build/runner/runner"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/tls.sh needs python3" >&2; exit 2; }
keep=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$keep"' EXIT
mkdir -p "$keep"
json="$keep/tls.json"
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $runner -D runner.repeat=10 ${RUNNER_ARGS:-} $here/../conf/tls.ini"
# shellcheck disable=SC2086 # RUNNER_ARGS is words: -D a.b=c ...
"$runner" -q -D runner.repeat=10 -D runner.format=json ${RUNNER_ARGS:-} \
    "$here/../conf/tls.ini" > "$json"
python3 "$here/tls.py" "$json"
