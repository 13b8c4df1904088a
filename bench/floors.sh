#!/bin/sh
# bench/floors.sh — the floors of a call between two processes on this host
# (bench/floors.ini: direct, shm futex, shm futex with a thread server, shm
# spinning, uds, tcp), with client and server on two CPUs, then both on one:
# mean, p99, CPU per call on each side, switches per call, and the ratio to
# shm (futex); first, what one syscall costs here (syscall_floor.c). shm_spin runs only
# across CPUs: a spinning waiter on the CPU its peer needs burns that peer's
# time slice, so on one core it measures the scheduler, not the memory.
# A benchmark, run by hand, never by `make check`.
# usage: bench/floors.sh [BUILD_DIR]   (default: the current directory)
# environment: CLIENT_CPU (default 0), OTHER_CPU (default 1), RUNNER_ARGS
#   (extra runner options), KEEP=DIR keeps the JSON of both runs there.
set -eu
build=${1:-.}
runner="$build/runner/runner"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/floors.sh needs python3" >&2; exit 2; }
c=${CLIENT_CPU:-0}
o=${OTHER_CPU:-1}
keep=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$keep"' EXIT
mkdir -p "$keep"
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
# What a kernel entry costs here: every sleeping transport pays several.
if command -v cc >/dev/null; then
    cc -O2 -o "$keep/syscall_floor" "$here/syscall_floor.c" && taskset -c "$c" "$keep/syscall_floor"
fi
for p in "$c $o" "$c $c"; do
    set -- $p
    ini="$here/floors.ini"
    if [ "$1" = "$2" ]; then    # one CPU: the config without [shm_spin]
        ini="$keep/floors-one-cpu.ini"
        awk '/^\[/ { on = ($0 != "[shm_spin]") } on' "$here/floors.ini" > "$ini"
    fi
    json="$keep/floors-$1-$2.json"
    echo "## client_cpu=$1 server_cpu=$2: $runner -D runner.client_cpu=$1 -D runner.server_cpu=$2 ${RUNNER_ARGS:-} $ini"
    # shellcheck disable=SC2086
    "$runner" -q -D runner.client_cpu="$1" -D runner.server_cpu="$2" -D runner.format=json \
        ${RUNNER_ARGS:-} "$ini" > "$json" || true
    python3 "$here/split.py" floors "$json"
done
