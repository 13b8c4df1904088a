#!/bin/sh
# direct.sh — issue 2's figures: the runner on `direct` with 10^8 requests
# (net mean, the runner's own cost, peak RSS) against a hand-written loop
# with no per-call timing. Run from the top of a built tree.
set -eu
n=${1:-100000000}
cc -O2 -Iinclude -o bench/direct_floor bench/direct_floor.c -ldl
bench/direct_floor plugins/direct/.libs/direct.so "$n"
/usr/bin/time -v runner/runner -D runner.requests="$n" -D runner.warmup=1000000 \
    -D runner.repeat=3 bench/direct.ini 2>bench/direct.time
grep -E 'Maximum resident|Elapsed' bench/direct.time
rm -f bench/direct.time
