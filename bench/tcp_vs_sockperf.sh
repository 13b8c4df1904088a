#!/bin/sh
# bench/tcp_vs_sockperf.sh — the tcp transport next to the kernel's own
# loopback floor: sockperf's TCP ping-pong (16-byte messages) and
# `runner` on a [tcp] section, back to back, with the SAME CPU placement
# (taskset for sockperf, client_cpu / server_cpu for the runner), printed side
# by side. sockperf reports HALF the round trip as its latency; the table
# shows it doubled, which is what one runner call (send, wait, receive) is.
# Goal of issue 3: tcp mean within 1.2x of sockperf's full round trip.
#
# A benchmark, run by hand, never by `make check`: it takes about
# 2 x (SECONDS + runner time) per placement and wants a quiet machine.
#
# usage: bench/tcp_vs_sockperf.sh            (from the build directory)
# environment:
#   BUILDDIR    where runner/runner and plugins/ were built (default: .)
#   PLACEMENTS  client,server CPU pairs (default "0,1 0,0": two cores, one core)
#   DURATION    sockperf run time in seconds (default 10)
#   REQUESTS    runner measured calls per repeat (default 100000), WARMUP, REPEAT
# Needs sockperf, taskset (util-linux) and python3 (to read the runner's JSON).
set -eu

BUILDDIR=${BUILDDIR:-.}
PLACEMENTS=${PLACEMENTS:-"0,1 0,0"}
SECS=${DURATION:-10}
REQUESTS=${REQUESTS:-100000}
WARMUP=${WARMUP:-10000}
REPEAT=${REPEAT:-3}
RUNNER=$BUILDDIR/runner/runner

for tool in sockperf taskset python3; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "tcp_vs_sockperf: '$tool' not found (Debian: apt-get install sockperf util-linux python3)" >&2
        exit 1
    }
done
[ -x "$RUNNER" ] || {
    echo "tcp_vs_sockperf: no $RUNNER; run from the build directory or set BUILDDIR" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/tcp_vs_sockperf.XXXXXX")
srv_pid=
cleanup() {
    if [ -n "$srv_pid" ]; then
        kill "$srv_pid" 2>/dev/null || true
        wait "$srv_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Poll /proc/net/tcp (state 0A = LISTEN) for at most 5 s.
wait_listen() {
    hex=$(printf ':%04X ' "$1")
    i=0
    while [ $i -lt 50 ]; do
        if awk -v p="$hex" '$4 == "0A" && index($2 " ", p) { found = 1 } END { exit !found }' /proc/net/tcp; then
            return 0
        fi
        kill -0 "$srv_pid" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# sockperf on one placement: prints "avg p50 p99" of the FULL round trip, in µs.
run_sockperf() {
    ccpu=$1 scpu=$2 port=$(free_port)
    taskset -c "$scpu" sockperf sr --tcp -i 127.0.0.1 -p "$port" >"$work/sr.out" 2>&1 &
    srv_pid=$!
    wait_listen "$port" || { echo "tcp_vs_sockperf: sockperf server did not listen on $port:" >&2; cat "$work/sr.out" >&2; exit 1; }
    taskset -c "$ccpu" sockperf pp --tcp -i 127.0.0.1 -p "$port" -m 16 -t "$SECS" >"$work/pp.out" 2>&1
    kill "$srv_pid"
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=
    python3 - "$work/pp.out" <<'EOF'
import re, sys
text = re.sub(r'\x1b\[[0-9;]*m', '', open(sys.argv[1]).read())
avg = re.search(r'avg-latency=([0-9.]+)', text)
p50 = re.search(r'percentile 50\.000 =\s*([0-9.]+)', text)
p99 = re.search(r'percentile 99\.000 =\s*([0-9.]+)', text)
if not (avg and p50 and p99):
    sys.exit("tcp_vs_sockperf: cannot read sockperf's output:\n" + text)
print(" ".join("%.1f" % (2 * float(m.group(1))) for m in (avg, p50, p99)))
EOF
}

# runner on one placement: prints "mean p50 p99 connections" in µs. The
# config is written out whole rather than patched with -D, so the spawned
# server reads exactly the same file.
run_runner() {
    ccpu=$1 scpu=$2
    cat >"$work/tcp.ini" <<EOF
[runner]
requests = $REQUESTS
warmup   = $WARMUP
repeat   = $REPEAT
baseline = tcp
format   = json

[tcp]
plugin     = tcp
server     = spawn
client_cpu = $ccpu
server_cpu = $scpu
EOF
    "$RUNNER" "$work/tcp.ini" >"$work/runner.json" 2>"$work/runner.err" || {
        echo "tcp_vs_sockperf: runner failed:" >&2; cat "$work/runner.err" >&2; exit 1; }
    python3 - "$work/runner.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["sections"][0]
if s["status"] != "ok":
    sys.exit("tcp_vs_sockperf: [tcp] %s" % s["reason"])
r = s["results"]
print("%.1f %.1f %.1f %s" % (r["mean_ns"] / 1e3, r["p50_ns"] / 1e3, r["p99_ns"] / 1e3,
                             s["connections"]))
EOF
}

echo "tcp vs sockperf, TCP loopback ping-pong, full round trip in µs"
echo "sockperf: sr --tcp -i 127.0.0.1 / pp --tcp -i 127.0.0.1 -m 16 -t $SECS (reported half RTT, doubled here)"
echo "runner:   $RUNNER, [tcp] server = spawn, requests = $REQUESTS, warmup = $WARMUP, repeat = $REPEAT"
echo "machine:  $(nproc) CPUs, $(uname -sr)"
echo
printf '%-16s %10s %10s %10s   %10s %10s %10s %6s   %s\n' \
    "client/server" "sp mean" "sp p50" "sp p99" "tcp mean" "tcp p50" "tcp p99" "conns" "tcp/sp mean"
for pl in $PLACEMENTS; do
    c=${pl%,*} s=${pl#*,}
    sp=$(run_sockperf "$c" "$s")
    tc=$(run_runner "$c" "$s")
    # shellcheck disable=SC2086
    set -- $sp $tc
    ratio=$(python3 -c "print('%.2fx' % ($4 / $1))")
    printf '%-16s %10s %10s %10s   %10s %10s %10s %6s   %s\n' "cpu $c/$s" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$ratio"
done
