#!/bin/sh
# progress.sh — does the progress line cost the measured loop anything?
# The same run of direct (the cheapest call, where any cost would show)
# and tcp, on a pseudo-terminal (script(1)) with the line drawn and with
# --quiet, alternated ROUNDS times; prints each run's mean per call and the
# runner's own cost per call from its JSON. Run from the top of a built tree:
#   bench/progress.sh [ROUNDS] [CLIENT_CPU] [SERVER_CPU]
set -eu
rounds=${1:-3}
ccpu=${2:-0}
scpu=${3:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat >"$out/p.ini" <<INI
[runner]
requests = 5000000
warmup = 100000
repeat = 5
client_cpu = $ccpu
server_cpu = $scpu
[direct]
plugin = direct
[tcp]
plugin = tcp
requests = 20000
warmup = 1000
INI
show() {
    python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
cells = ["%-8s loop_cost %6.2f ns" % (sys.argv[1], d["loop_cost_ns"])]
for s in d["sections"]:
    cells.append("%s mean %9.2f ns" % (s["name"], s["results"]["mean_ns"]))
print("  ".join(cells))
PY
}
i=0
while [ "$i" -lt "$rounds" ]; do
    for mode in on quiet; do
        flag=""
        [ "$mode" = quiet ] && flag="--quiet"
        script -qec "runner/runner $flag -D runner.format=json -D runner.output=$out/$mode.json \
            $out/p.ini" /dev/null >"$out/tty.$mode"
        lines=$(tr '\r' '\n' <"$out/tty.$mode" | grep -c 'runner: \[' || true)
        show "$mode" "$out/$mode.json"
        echo "         (progress lines drawn: $lines)"
    done
    i=$((i + 1))
done
