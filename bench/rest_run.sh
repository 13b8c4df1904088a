#!/bin/sh
# bench/rest_run.sh — rerun the rest benchmark (bench/rest.ini) from a build
# tree: keepalive vs a connection per call, cross-core vs same-core. The
# runner's table carries means, percentiles and the connections opened.
# Usage: bench/rest_run.sh [BUILD_DIR]   (default: the current directory)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-.}
runner="$build/runner/runner"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$runner" "$here/rest.ini"
