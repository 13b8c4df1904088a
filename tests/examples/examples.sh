#!/bin/sh
# examples.sh — the two example plugins, built in this tree from the header
# alone, pass the runner's contract (--check-plugin) and run under the
# runner: the networked one with its server spawned, in a thread, and
# pipelined. The test program next to this one tests their promises call by
# call; this one that the runner takes them as they are shipped.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
runner="$top_builddir/runner/runner"
libs="$top_builddir/examples/plugin/.libs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() { # check WHAT COMMAND...: 60 s bound, output kept for the log
    what=$1; shift
    if timeout 60 "$@" >"$tmp/out" 2>&1; then echo "ok: $what"; else
        echo "FAIL: $what (exit $?)"; sed 's/^/    /' "$tmp/out"; failures=$((failures + 1)); fi
}

check "example.so passes --check-plugin" "$runner" --check-plugin "$libs/example.so"
check "netexample.so passes --check-plugin" "$runner" --check-plugin "$libs/netexample.so"

cat >"$tmp/run.ini" <<INI
[runner]
requests = 2000
warmup = 10
repeat = 2
baseline = direct
[direct]
plugin = direct
[example]
plugin = $libs/example.so
spin_ns = 10
[net_spawned]
plugin = $libs/netexample.so
[net_thread]
plugin = $libs/netexample.so
server = thread
[net_pipelined]
plugin = $libs/netexample.so
server = thread
window = 16
INI
check "every section runs" "$runner" "$tmp/run.ini"
for s in example net_spawned net_thread net_pipelined; do
    if grep -Eq "^$s +[0-9]" "$tmp/out"; then echo "ok: [$s] has figures"; else
        echo "FAIL: [$s] has no figures"; failures=$((failures + 1)); fi
done

# A window the example cannot honour fails its section, with the reason.
timeout 60 "$runner" -D net_pipelined.window=1025 "$tmp/run.ini" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "window 1025 is above 1024" "$tmp/out"; then
    echo "ok: window 1025 fails its section, saying why"
else
    echo "FAIL: window 1025: exit $rc"; sed 's/^/    /' "$tmp/out"; failures=$((failures + 1))
fi

# --check finds it too, before any run: a client of the section takes its keys.
timeout 60 "$runner" --check -D net_pipelined.window=1025 "$tmp/run.ini" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "\[net_pipelined\].*window 1025 is above 1024" "$tmp/out"; then
    echo "ok: --check refuses window 1025, naming the section"
else
    echo "FAIL: --check with window 1025: exit $rc"; sed 's/^/    /' "$tmp/out"
    failures=$((failures + 1))
fi

echo "$failures failed"
[ "$failures" -eq 0 ]
