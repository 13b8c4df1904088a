#!/bin/sh
# check_plugin.sh [BUILD] — how long `runner --check-plugin` takes on each
# plugin a build made (every rule, each in its own child), and what it
# concluded: the cost a plugin author pays per check. Run from the top of
# a built tree, or name another build.
set -eu
build=${1:-.}
for so in "$build"/plugins/*/.libs/*.so; do
    [ -f "$so" ] || continue
    name=$(basename "$so" .so)
    start=$(date +%s.%N)
    verdict=$("$build/runner/runner" --check-plugin "$so" | tail -1) || true
    end=$(date +%s.%N)
    printf '%-12s %6.2f s  %s\n' "$name" "$(awk "BEGIN { print $end - $start }")" "$verdict"
done
