#!/bin/sh
# bench/split.sh — where a dependent call's time goes, for every transport of
# conf/default.ini in both placements: client and server on one core, then on
# two. Prints, per section, time per call, CPU per call on each side, what
# neither side spent on CPU (wait), switches and I/O syscalls per call, and
# the ratio to tcp with its 95% interval.
# A benchmark, run by hand, never by `make check`.
# usage: bench/split.sh [BUILD_DIR]   (default: the current directory)
# environment: CLIENT_CPU (default 0), OTHER_CPU (default 1), RUNNER_ARGS
#   (extra runner options, e.g. "-D runner.requests=20000").
set -eu
build=${1:-.}
runner="$build/runner/runner"
conf="$(cd "$(dirname "$0")/.." && pwd)/conf/default.ini"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/split.sh needs python3" >&2; exit 2; }
c=${CLIENT_CPU:-0}
o=${OTHER_CPU:-1}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for p in "$c $o" "$c $c"; do
    set -- $p
    echo "## client_cpu=$1 server_cpu=$2: $runner -D runner.client_cpu=$1 -D runner.server_cpu=$2 -D runner.baseline=tcp ${RUNNER_ARGS:-} $conf"
    # shellcheck disable=SC2086
    "$runner" -D runner.client_cpu="$1" -D runner.server_cpu="$2" -D runner.baseline=tcp \
        -D runner.format=json ${RUNNER_ARGS:-} "$conf" > "$out" || true
    python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def t(ns):
    if ns is None: return "-"
    return "%.0f ns" % ns if ns < 1e3 else "%.2f µs" % (ns / 1e3) if ns < 1e6 else "%.2f ms" % (ns / 1e6)
def n(x): return "-" if x is None else "%.2f" % x
print("%-22s %10s %10s %10s %10s %9s %9s %9s %9s  %s" % ("section", "per call", "cpu cli",
      "cpu srv", "wait", "sw cli", "sw srv", "io cli", "io srv", "x tcp [95% CI]"))
for s in d["sections"]:
    r = s.get("results")
    if s["status"] != "ok" or r is None:
        print("%-22s FAILED: %s" % (s["name"], s.get("reason"))); continue
    pc = s["per_call"]; c = pc["client"]; v = pc["server"] or {}
    sw = lambda x: None if x.get("voluntary_switches") is None else x["voluntary_switches"] + x["involuntary_switches"]
    ci = r.get("ratio_ci95")
    ratio = "-" if r.get("ratio_to_baseline") is None else "%.2fx" % r["ratio_to_baseline"]
    if ci: ratio += " [%.2f, %.2f]" % tuple(ci)
    print("%-22s %10s %10s %10s %10s %9s %9s %9s %9s  %s" % (s["name"], t(r["per_call_ns"]),
          t(c["cpu_ns"]), t(v.get("cpu_ns")), t(pc["wait_ns"]), n(sw(c)), n(sw(v) if v else None),
          n(c["io_syscalls"]), n(v.get("io_syscalls")), ratio))
PY
done
