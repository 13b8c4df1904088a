#!/bin/sh
# bench/payload.sh — the README's "Payloads, measured": conf/payload.ini
# (tcp, uds, rest GET and POST, grpc_unary, grpc_stream over payloads of 0,
# 1 KiB, 64 KiB and 1 MiB, client on CPU 0, server on CPU 1) with 10
# interleaved repeats, then its tables from the JSON (bench/payload.py):
# mean (p50) and MB/s, CPU per call on each side, rest / grpc_unary, and
# every run against tcp at the same size. A benchmark, run by hand, never
# by `make check`.
# usage: bench/payload.sh [BUILD_DIR]   (default: the current directory)
# environment: RUNNER_ARGS (extra runner options, e.g. -D runner.repeat=5),
#   KEEP=DIR keeps the JSON there.
set -eu
build=${1:-.}
runner="$build/runner/runner"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/payload.sh needs python3" >&2; exit 2; }
keep=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$keep"' EXIT
mkdir -p "$keep"
json="$keep/payload.json"
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $runner -D runner.repeat=10 ${RUNNER_ARGS:-} $here/../conf/payload.ini"
# shellcheck disable=SC2086 # RUNNER_ARGS is words: -D a.b=c ...
"$runner" -q -D runner.repeat=10 -D runner.format=json ${RUNNER_ARGS:-} \
    "$here/../conf/payload.ini" > "$json"
python3 "$here/payload.py" "$json"
