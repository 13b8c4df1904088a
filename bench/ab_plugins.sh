#!/bin/sh
# bench/ab_plugins.sh — a transport's regression check: the plugins of two
# builds (OLD, NEW) side by side in one runner run per transport, repeats
# interleaved and paired, so that drift of a shared machine falls on both
# alike. Prints the runner's table per transport; read the "x old" column:
# "no clear difference" means the 95% interval of new/old holds 1.
# A benchmark, run by hand, never by `make check`.
# usage: bench/ab_plugins.sh OLD_BUILD [NEW_BUILD] [TRANSPORT...]
#   (NEW_BUILD defaults to .; transports default to tcp rest grpc_unary)
# environment: REQUESTS (default 20000), REPEAT (default 6),
#   CLIENT_CPU (default 0), SERVER_CPU (default 1).
set -eu
[ $# -ge 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
old=$(cd "$1" && pwd)
new=$(cd "${2:-.}" && pwd)
[ $# -ge 2 ] && shift 2 || shift 1
transports=${*:-tcp rest grpc_unary}
runner="$new/runner/runner"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in $transports; do
    for side in old new; do
        eval "dir=\$$side"
        [ -f "$dir/plugins/$t/.libs/$t.so" ] ||
            { echo "no $dir/plugins/$t/.libs/$t.so: build $side first" >&2; exit 2; }
    done
    cat >"$tmp/$t.ini" <<INI
[runner]
requests = ${REQUESTS:-20000}
warmup = 1000
repeat = ${REPEAT:-6}
order = interleaved
baseline = old
client_cpu = ${CLIENT_CPU:-0}
server_cpu = ${SERVER_CPU:-1}
[old]
plugin = $old/plugins/$t/.libs/$t.so
server = spawn
[new]
plugin = $new/plugins/$t/.libs/$t.so
server = spawn
INI
    echo "== $t (old: $old, new: $new)"
    "$runner" "$tmp/$t.ini" | sed -n '/^section .*mean/,/^$/p'
done
