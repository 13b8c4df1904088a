#!/bin/sh
# bench/split.sh — where a dependent call's time goes, for every transport of
# conf/default.ini in both placements (client and server on two cores, then
# on one), RUNS times each (default 1): per section the time per call, CPU
# per call on each side, what neither side spent on CPU (wait), switches and
# I/O syscalls per call, and the ratio to tcp with its 95% interval. With
# RUNS > 1 it ends with whether each ratio's intervals overlap across runs.
# A benchmark, run by hand, never by `make check`.
# usage: bench/split.sh [BUILD_DIR]   (default: the current directory)
# environment: RUNS (default 1), CLIENT_CPU (default 0), OTHER_CPU (default 1),
#   RUNNER_ARGS (extra runner options, e.g. "-D runner.requests=20000"),
#   KEEP=DIR keeps the JSON of every run there.
set -eu
build=${1:-.}
runner="$build/runner/runner"
conf="$(cd "$(dirname "$0")/.." && pwd)/conf/default.ini"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/split.sh needs python3" >&2; exit 2; }
c=${CLIENT_CPU:-0}
o=${OTHER_CPU:-1}
runs=${RUNS:-1}
keep=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$keep"' EXIT
mkdir -p "$keep"
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for p in "$c $o" "$c $c"; do
    set -- $p
    i=1
    while [ "$i" -le "$runs" ]; do
        json="$keep/split-$1-$2-$i.json"
        echo "## run $i, client_cpu=$1 server_cpu=$2: $runner -D runner.client_cpu=$1 -D runner.server_cpu=$2 -D runner.baseline=tcp ${RUNNER_ARGS:-} $conf"
        # shellcheck disable=SC2086
        "$runner" -D runner.client_cpu="$1" -D runner.server_cpu="$2" -D runner.baseline=tcp \
            -D runner.format=json ${RUNNER_ARGS:-} "$conf" > "$json" || true
        python3 "$(dirname "$0")/split.py" table "$json"
        i=$((i + 1))
    done
    if [ "$runs" -gt 1 ]; then
        python3 "$(dirname "$0")/split.py" overlap "$keep"/split-"$1"-"$2"-*.json
    fi
done
