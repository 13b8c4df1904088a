#!/bin/sh
# bench/hostile.sh — issue 9's hostile-peer figures for one build: the rest
# server against pipelined requests whose answers are never read, slowloris
# connections and a descriptor limit of 64, and the tcp server against idle
# connections; one line per attack (bench/hostile.py does the attacking).
# Run it against an older build for the "before" column. 127.0.0.1 only.
# A benchmark, run by hand, never by `make check`.
# usage: bench/hostile.sh [BUILD_DIR] [ATTACK...]   (default: the current
#   directory, every attack: pipeline slowloris fdlimit tcp_idle)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-.}
[ $# -gt 0 ] && shift
runner="$build/runner/runner"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/hostile.sh needs python3" >&2; exit 2; }
[ -r /proc/self/status ] || { echo "bench/hostile.sh needs /proc" >&2; exit 2; }
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $runner ($(git -C "$build" rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
exec python3 "$here/hostile.py" "$runner" "$@"
