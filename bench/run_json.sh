#!/bin/sh
# bench/run_json.sh CONFIG SCRIPT REPEATS BUILD_DIR [RUNNER_OPTION...] — what
# the bench scripts that print README tables share: the runner on CONFIG
# with REPEATS interleaved repeats, as JSON, then SCRIPT (python3) prints
# its tables from that JSON. A header line says when, where and what ran.
# environment: RUNNER_ARGS (extra runner options), KEEP=DIR keeps the JSON.
set -eu
config=$1 script=$2 repeats=$3 build=$4
shift 4
runner="$build/runner/runner"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "$(basename "$script") needs python3" >&2; exit 2; }
keep=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$keep"' EXIT
mkdir -p "$keep"
json="$keep/$(basename "$config" .ini).json"
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $runner -D runner.repeat=$repeats $* ${RUNNER_ARGS:-} $config"
# shellcheck disable=SC2086 # RUNNER_ARGS is words: -D a.b=c ...
"$runner" -q -D runner.repeat="$repeats" -D runner.format=json "$@" ${RUNNER_ARGS:-} \
    "$config" > "$json"
python3 "$script" "$json"
