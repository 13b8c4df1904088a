#!/bin/sh
# bench/hostile_grpc.sh — issue 9's gRPC figures for one build: a flood of
# idle connections at RLIMIT_NOFILE 1024, 40,000 streams on one connection,
# a 1 GiB gzip bomb (and a 2 MiB one, small enough on the wire to meet the
# inflation limit instead of the wire limit), a gzip request to a
# `compression = none` server. Each attack gets its own `runner --serve` (a
# small ini), whose VmHWM/VmRSS come from /proc/PID/status; a watchdog
# kills a server past 1.5 GB. The
# attacking client, bench/hostile_grpc.c, is built here from this tree with
# cc + pkg-config, so both columns face the same client. One line per
# attack. Run it against an older build for the "before" column. 127.0.0.1
# only. A benchmark, run by hand, never by make or `make check`.
# usage: bench/hostile_grpc.sh [BUILD_DIR] [ATTACK...]   (default: the
#   current directory, every attack: fdflood streams bomb bomb2m uncompressed;
#   HOSTILE_CAP_MB=1536 the memory cap)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:-.}
[ $# -gt 0 ] && shift
runner="$build/runner/runner"
[ -x "$runner" ] || { echo "no $runner: build first (make)" >&2; exit 2; }
[ -r /proc/self/status ] || { echo "bench/hostile_grpc.sh needs /proc" >&2; exit 2; }
command -v prlimit >/dev/null ||
    { echo "bench/hostile_grpc.sh needs prlimit (util-linux)" >&2; exit 2; }
attacks=${*:-fdflood streams bomb bomb2m uncompressed}
for a in $attacks; do
    case $a in
    fdflood | streams | bomb | bomb2m | uncompressed) ;;
    *) echo "unknown attack $a (fdflood streams bomb bomb2m uncompressed)" >&2; exit 2 ;;
    esac
done
cap_mb=${HOSTILE_CAP_MB:-1536}  # a server past this is killed: ">1.5 GB"
cap_kb=$((cap_mb * 1024))
nofile=1024                     # the server's descriptor limit in fdflood

work=$(mktemp -d "${TMPDIR:-/tmp}/incbench-hostile-grpc.XXXXXX")
pid=
watch=
cleanup() {
    if [ -n "$watch" ]; then kill "$watch" 2>/dev/null || :; fi
    if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || :; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The messages' code is generated here, as the build does, so that any
# configured or unconfigured tree can run this.
protoc-c --c_out="$work" -I"$src/proto" "$src/proto/increment.proto"
# shellcheck disable=SC2046  # pkg-config's flags are words
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -I"$here/ckshim" -I"$src/tests/grpc_unary" \
    -I"$work" $(pkg-config --cflags grpc zlib libprotobuf-c) -o "$work/hostile_grpc" \
    "$here/hostile_grpc.c" "$src/tests/grpc_unary/rawcall.c" "$work/increment.pb-c.c" \
    $(pkg-config --libs grpc zlib libprotobuf-c)

echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $runner ($(git -C "$build" rev-parse --short HEAD 2>/dev/null || echo 'no git'))"

# kB of a Vm line of the server's status; empty once it is gone.
vm() {
    awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status" 2>/dev/null || :
}

mb() {
    if [ -z "$1" ]; then echo "-"; else awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; fi
}

# Is the server gone (exited, or a zombie not yet reaped)?
gone() {
    [ ! -r "/proc/$pid/status" ] || grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

# start SECTION INI [NOFILE]: the server, its address in $addr.
start() {
    if [ $# -gt 2 ]; then
        # prlimit execs the runner: $! is the server. Hard limit too, or
        # the server may raise its soft one back.
        prlimit --nofile="$3:$3" "$runner" --serve "$1" "$2" >"$work/out" 2>"$work/err" &
    else
        "$runner" --serve "$1" "$2" >"$work/out" 2>"$work/err" &
    fi
    pid=$!
    addr=
    i=0
    while [ $i -lt 200 ] && [ -z "$addr" ] && ! gone; do     # 10 s
        addr=$(sed -n 's/^READY //p' "$work/out")
        [ -n "$addr" ] || sleep 0.05
        i=$((i + 1))
    done
    case $addr in
    127.0.0.1:*) ;;
    *) echo "no READY on 127.0.0.1 from the server: $(tail -c 300 "$work/err")" >&2; return 1 ;;
    esac
    rm -f "$work/capped"
    # The watchdog: ends by itself after 10 minutes, or with the server.
    (
        j=0
        while [ $j -lt 12000 ] && ! gone; do
            kb=$(vm VmRSS)
            if [ -n "$kb" ] && [ "$kb" -gt "$cap_kb" ]; then
                echo "$kb" >"$work/capped"
                kill -KILL "$pid" 2>/dev/null || :
                break
            fi
            sleep 0.05
            j=$((j + 1))
        done
    ) &
    watch=$!
}

# stop: SIGTERM, 5 s, then SIGKILL; only the PID started; reaped. How it
# ended in $ended (not a command substitution: `wait` needs this shell).
stop() {
    kill -TERM "$pid" 2>/dev/null || :
    i=0
    while [ $i -lt 100 ] && ! gone; do
        sleep 0.05
        i=$((i + 1))
    done
    gone || kill -KILL "$pid" 2>/dev/null || :
    status=0
    wait "$pid" || status=$?
    kill "$watch" 2>/dev/null || :
    wait "$watch" 2>/dev/null || :
    pid='' watch='' ended=
    [ "$status" -eq 0 ] || ended=" (server ended with status $status)"
}

# attack NAME SECTION INI_BODY [NOFILE]: one line.
attack() {
    name=$1 section=$2
    printf '%s' "$3" >"$work/$name.ini"
    shift 3
    if ! start "$section" "$work/$name.ini" "$@"; then
        echo "$name: not measured: the server did not start"
        stop
        return 0
    fi
    base=$(vm VmRSS)
    limits=$(awk '/^Max open files/ { print $4 "/" $5 }' "/proc/$pid/limits")
    rc=0
    timeout 600 "$work/hostile_grpc" "$addr" "$name" >"$work/client" 2>"$work/client.err" || rc=$?
    hwm=$(vm VmHWM) rss=$(vm VmRSS)
    stop
    if [ -s "$work/capped" ]; then
        peak=">$(awk -v m="$cap_mb" 'BEGIN { printf "%.1f", m / 1024 }') GB (killed at"
        peak="$peak $(mb "$(cat "$work/capped")"))" rss=
    else
        peak=$(mb "$hwm")
    fi
    client=$(tr '\n' ' ' <"$work/client")
    if [ "$rc" -ne 0 ]; then
        client="${client}[client exit $rc: $(tail -c 200 "$work/client.err" | tr '\n' ' ')]"
    fi
    echo "$name: ${client% }; server (nofile $limits) RSS $(mb "$base") at READY," \
        "peak $peak, $(mb "$rss") at the end$ended"
}

for a in $attacks; do
    case $a in
    fdflood)
        attack fdflood u "[u]
plugin = grpc_unary
" "$nofile" ;;
    streams)
        attack streams s "[s]
plugin = grpc_stream
" ;;
    bomb | bomb2m)
        attack "$a" u "[u]
plugin = grpc_unary
compression = gzip
" ;;
    uncompressed)
        attack uncompressed u "[u]
plugin = grpc_unary
compression = none
" ;;
    esac
done
