#!/bin/sh
# run.sh SECONDS [NAME...] — builds each libFuzzer harness of tests/fuzz with
# clang under ASan + UBSan and runs it SECONDS from its committed seeds
# (tests/fuzz/corpus/NAME; config also from the tree's INI files), two at a
# time, then prints one line per harness: runs, runs per second, edges
# covered, new inputs found. A crash, leak or failed check ends it non-zero
# with the input kept under tests/fuzz/crashes/ and printed in base64, since
# a CI checkout is thrown away. Exits 77 (skipped) when clang or its
# libFuzzer runtime is missing. `make fuzz FUZZ_SECONDS=N` runs it from
# the build tree.
set -eu
secs=${1:-10}
[ $# -gt 0 ] && shift
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-$src}
cc=${CLANG:-clang}
out=$build/tests/fuzz
all="cpulist config rest_route rest_response rest_body frame compare_json tls_address"
names=${*:-$all}

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found (apt-get install clang libfuzzer-14-dev): skipped"
    exit 77
fi
mkdir -p "$out/bin" "$out/crashes"
probe=$out/bin/probe
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >"$probe.c"
if ! "$cc" -fsanitize=fuzzer "$probe.c" -o "$probe" >/dev/null 2>&1; then
    echo "fuzz: $cc cannot link -fsanitize=fuzzer (apt-get install libfuzzer-14-dev): skipped"
    exit 77
fi

flags="-g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fno-omit-frame-pointer
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I$src/include -I$src/runner -I$src/plugins/rest"

# What each harness is built from, besides its own file.
sources() {
    case $1 in
    cpulist) echo "$src/runner/cpulist.c" ;;
    config) echo "$src/runner/config.c $src/runner/config_keys.c $src/runner/cpulist.c
                  $src/runner/size.c $src/runner/sweep.c $(pkg-config --cflags --libs inih)" ;;
    rest_route) echo "$src/plugins/rest/route.c" ;;
    rest_response) echo "$src/plugins/rest/response.c" ;;
    rest_body) echo "$src/plugins/rest/body.c" ;;
    compare_json) echo "$src/runner/compare_read.c $src/runner/compare_stats.c $src/runner/compare.c
                        $src/runner/grid.c $src/runner/htmlpage.c $src/runner/nines_chart.c
                        $src/runner/histogram.c $build/runner/chartjs.c
                        $(pkg-config --cflags --libs jansson) -lm" ;;
    frame) echo "-I$src/proto -I$build/proto -I$src/plugins/common $src/proto/codec.c
                 $build/proto/increment.pb-c.c $(pkg-config --cflags --libs libprotobuf-c)" ;;
    tls_address) echo "-I$src/plugins/common $src/plugins/common/tls.c $src/plugins/common/options.c
                       $(pkg-config --cflags --libs libssl libcrypto)" ;;
    *) echo "fuzz: no harness '$1' (known: $all)" >&2; return 1 ;;
    esac
}

# frame needs the code protoc-c generated: none in a build without protobuf-c.
if [ ! -f "$build/proto/increment.pb-c.c" ]; then
    case " $names " in *" frame "*)
        echo "fuzz frame: skipped, this build has no protobuf-c (configure found none)" ;;
    esac
    names=$(echo "$names" | tr ' ' '\n' | grep -vx frame | tr '\n' ' ')
fi
[ -n "$(echo $names)" ] || exit 77

for n in $names; do
    s=$(sources "$n") || exit 2
    # shellcheck disable=SC2086
    $cc $flags "$src/tests/fuzz/fuzz_$n.c" $s -o "$out/bin/fuzz_$n" ||
        { echo "fuzz: building fuzz_$n failed"; exit 1; }
done

# One harness: a fresh working corpus seeded from the committed one, so the
# source tree is never written.
run_one() {
    n=$1
    work=$out/work/$n
    rm -rf "$work" "$out/crashes/$n-"* && mkdir -p "$work"
    # config also starts from every INI the tree has (read, never copied
    # into the committed corpus, so the seeds follow the configs)
    if [ "$n" = config ]; then
        cp "$src"/conf/*.ini "$src"/bench/*.ini "$src"/tests/*.ini "$src"/tests/*/*.ini \
            "$src"/examples/plugin/*.ini "$work"/ 2>/dev/null || true
    fi
    rc=0
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$out/bin/fuzz_$n" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="$out/crashes/$n-" \
        "$work" "$src/tests/fuzz/corpus/$n" >"$out/$n.log" 2>&1 || rc=$?
    echo "$rc" >"$out/$n.rc"
}

status=0
set -- $names
while [ $# -gt 0 ]; do
    a=$1; shift
    b=${1:-}; [ $# -gt 0 ] && shift
    run_one "$a" &
    if [ -n "$b" ]; then run_one "$b" & fi
    wait
done

for n in $names; do
    log=$out/$n.log
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    found=$(find "$out/work/$n" -type f | wc -l)
    crash=$(ls "$out/crashes/$n-"* 2>/dev/null | head -1 || true)
    if [ -n "$crash" ]; then
        echo "fuzz $n: FAILED, input kept in $crash (base64 below):"
        grep -E '(==ERROR|SUMMARY|runtime error|deadly signal)' "$log" | head -5
        base64 "$crash"
        status=1
    elif [ "$(cat "$out/$n.rc")" != 0 ]; then
        echo "fuzz $n: FAILED (exit $(cat "$out/$n.rc")), no input kept; the log ends:"
        tail -20 "$log"
        status=1
    else
        echo "fuzz $n: ${secs} s, ${runs:-?} runs (${rate:-?}/s), ${cov:-?} edges, $found inputs in the corpus"
    fi
done
exit $status
