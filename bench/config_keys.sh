#!/bin/sh
# bench/config_keys.sh — how long `runner --check` takes on configs too large
# for anyone to write by hand: N distinct keys, N copies of one key, N
# sections (each with a repeat at the end, so every check runs to the last
# line). Issue 9 item 13 made the repeat search n log n; this is its figure.
# `checked`: N/10 sections of the runner's own keys and one plugin key, with
# a bad value on the last line, so that every key goes through the key table
# (issue 10) before the error.
# A benchmark, run by hand, never by `make check`.
# usage: bench/config_keys.sh [BUILD_DIR] [N]   (defaults: . and 100000)
set -eu
build=${1:-.}
n=${2:-100000}
runner="$build/runner/runner"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v n="$n" 'BEGIN { print "[d]\nplugin = direct"; for (i = 0; i < n; i++) print "k" i " = 1"; print "k0 = 2" }' >"$tmp/distinct.ini"
awk -v n="$n" 'BEGIN { print "[d]\nplugin = direct"; for (i = 0; i < n; i++) print "k = " i }' >"$tmp/same.ini"
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) print "[s" i "]\nplugin = direct"; print "[s0]" }' >"$tmp/sections.ini"
awk -v n="$n" 'BEGIN { for (i = 0; i < n / 10; i++) printf "[s%d]\nplugin = direct\ntimeout_ms = 100\nready_timeout_ms = 100\nwindow = 1\nrequests = 10\nwarmup = 1\nrepeat = 1\nstart = 0\nclient_cpu = 0\nk = 1\n", i; print "[z]\nplugin = direct\nrepeat = 0" }' >"$tmp/checked.ini"
for f in distinct same sections checked; do
    start=$(date +%s.%N)
    # Each config is refused (a repeat): what is timed is finding it.
    timeout 600 "$runner" --check "$tmp/$f.ini" >/dev/null 2>"$tmp/err" || true
    end=$(date +%s.%N)
    printf '%-9s %7s lines: %6.2f s  (%s)\n' "$f" "$(wc -l <"$tmp/$f.ini")" \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$(sed 's/^runner: [^:]*:/line /' "$tmp/err" | head -c 70)"
done
