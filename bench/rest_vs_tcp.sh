#!/bin/sh
# bench/rest_vs_tcp.sh — issue 3's rest figures: tcp, rest (keepalive) and
# rest_close in one runner run per placement (bench/rest_vs_tcp.ini), first
# client and server on one core, then on two. The table's ratio column is
# against tcp: goals rest <= 1.3x, rest_close <= 4x.
# A benchmark, run by hand, never by `make check`.
# usage: bench/rest_vs_tcp.sh [BUILD_DIR]   (default: the current directory)
# environment: CLIENT_CPU (default 0), OTHER_CPU (default 1), and any extra
#   runner options in RUNNER_ARGS (e.g. "-D runner.requests=100000").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-.}
runner="$build/runner/runner"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
c=${CLIENT_CPU:-0}
o=${OTHER_CPU:-1}
place() {
    for s in tcp rest rest_close; do
        printf ' -D %s.client_cpu=%s -D %s.server_cpu=%s' "$s" "$1" "$s" "$2"
    done
}
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for p in "$c $c" "$c $o"; do
    set -- $p
    echo "## client_cpu=$1 server_cpu=$2"
    # shellcheck disable=SC2046,SC2086
    "$runner" $(place "$1" "$2") ${RUNNER_ARGS:-} "$here/rest_vs_tcp.ini"
done
