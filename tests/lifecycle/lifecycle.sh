#!/bin/sh
# lifecycle.sh — the runner's server lifecycle under faults: a spawned server
# killed mid-run, a listen address already taken, an external address with
# nothing listening, a server that never says READY, a server that dies
# before READY, the happy spawn / thread / external paths, and stop signals
# mid-run. Every runner
# call is bounded by timeout(1); servers we start are stopped by their PID.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
runner="$top_builddir/runner/runner"
plugin="$top_builddir/tests/lifecycle/.libs/lifesrv.so"
tmp=$(mktemp -d)
serve_pid=
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; passes=$((passes + 1)); }

# run NAME CONFIG...: runner with a 60 s bound; sets $rc, $tmp/NAME.out/.err
run() {
    name=$1; shift
    timeout 60 "$runner" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
}
expect() { # expect NAME FILE TEXT
    if grep -qF -- "$3" "$tmp/$1.$2"; then pass "$1: $2 has '$3'"; else
        fail "$1: $2 lacks '$3'"; sed 's/^/    /' "$tmp/$1.out" "$tmp/$1.err"; fi
}
expect_rc() {
    if [ "$rc" = "$2" ]; then pass "$1: exit $rc"; else fail "$1: exit $rc, wanted $2"; fi
}
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
cat_conf() { # cat_conf FILE [section lines...]: [runner] small + given lines
    f=$1; shift
    { printf '[runner]\nrequests = 2000\nwarmup = 10\nrepeat = 2\n\n'; printf '%s\n' "$@"; } >"$f"
}

# 1. spawn, thread: the happy path, and the report says where the server ran.
cat_conf "$tmp/ok.ini" "[spawned]" "plugin = $plugin" "" "[threaded]" "plugin = $plugin" "server = thread"
run ok "$tmp/ok.ini"
expect_rc ok 0
expect ok out "spawned"
expect ok out "spawn "
expect ok out "thread"
expect ok out "127.0.0.1:"

# 2. A spawned server killed (SIGKILL) mid-run: the section fails within its
#    deadline saying the server went away and how; the next section runs.
cat_conf "$tmp/kill.ini" "[dies]" "plugin = $plugin" "die_after = 500" "timeout_ms = 2000" \
    "" "[after]" "plugin = direct"
run kill "$tmp/kill.ini"
expect_rc kill 1
expect kill out "went away: killed by signal 9"
expect kill out "FAILED"
if grep -q '^after .*[0-9]' "$tmp/kill.out"; then pass "kill: next section ran"; else
    fail "kill: next section did not run"; cat "$tmp/kill.out"; fi

# 3. listen on a port that is taken: an external --serve holds it.
"$runner" --serve holder "$tmp/ok.ini" >/dev/null 2>&1 </dev/null &
holder_bad=$!
wait $holder_bad 2>/dev/null   # no such section: must exit non-zero at once
if [ $? -ne 0 ]; then pass "serve: unknown section exits non-zero"; else fail "serve: unknown section exit 0"; fi
cat_conf "$tmp/hold.ini" "[hold]" "plugin = $plugin"
"$runner" --serve hold "$tmp/hold.ini" >"$tmp/hold.out" 2>"$tmp/hold.err" </dev/null &
serve_pid=$!
i=0
while ! grep -q '^READY ' "$tmp/hold.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
addr=$(sed -n 's/^READY //p' "$tmp/hold.out")
if [ -n "$addr" ]; then pass "serve: READY $addr"; else fail "serve: no READY line"; fi
port=${addr##*:}
for mode in spawn thread; do
    cat_conf "$tmp/taken-$mode.ini" "[taken]" "plugin = $plugin" "server = $mode" "listen = 127.0.0.1:$port"
    run "taken-$mode" "$tmp/taken-$mode.ini"
    expect_rc "taken-$mode" 1
    expect "taken-$mode" out "127.0.0.1:$port"
    expect "taken-$mode" out "in use"
done

# 4. external against that running server works, and --serve stops on SIGTERM with 0.
cat_conf "$tmp/ext.ini" "[ext]" "plugin = $plugin" "server = external" "address = $addr"
run ext "$tmp/ext.ini"
expect_rc ext 0
expect ext out "external"
kill -TERM "$serve_pid"
i=0
while kill -0 "$serve_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait "$serve_pid"; src=$?
serve_pid=
if [ "$src" = 0 ]; then pass "serve: SIGTERM -> exit 0"; else fail "serve: SIGTERM -> exit $src"; fi

# 5. external with nothing listening: a clear error naming the address, within timeout_ms.
nport=$(free_port)
cat_conf "$tmp/none.ini" "[nobody]" "plugin = $plugin" "server = external" \
    "address = 127.0.0.1:$nport" "timeout_ms = 1000"
run none "$tmp/none.ini"
expect_rc none 1
expect none out "127.0.0.1:$nport"

# 6. A server that never writes READY: the runner gives up after its bound.
cat_conf "$tmp/hang.ini" "[hangs]" "plugin = $plugin" "hang_start = 1" "ready_timeout_ms = 500"
start=$(date +%s)
run hang "$tmp/hang.ini"
took=$(( $(date +%s) - start ))
expect_rc hang 1
expect hang out "not READY after 500 ms"
if [ "$took" -lt 30 ]; then pass "hang: gave up in ${took}s"; else fail "hang: took ${took}s"; fi

#    In a thread the start is a plugin call like any other: the watchdog
#    ends the run after ready_timeout_ms plus its bound for one call
#    (2 * timeout_ms + 1 s), reporting the section that finished.
cat_conf "$tmp/hangt.ini" "[first]" "plugin = direct" "" "[hangs]" "plugin = $plugin" \
    "server = thread" "hang_start = 1" "ready_timeout_ms = 500" "timeout_ms = 100"
run hang_thread -D runner.order=sequential "$tmp/hangt.ini"
expect_rc hang_thread 1
expect hang_thread err "a call to plugin 'lifesrv' has not returned in 1700 ms (timeout_ms = 100)"
expect hang_thread err "runner: [hangs] ending the run with what finished reported"
# the placement table names the mode the section was started in
if grep -q '^hangs  *lifesrv  *thread ' "$tmp/hang_thread.out"; then pass "hang_thread: mode thread"
else fail "hang_thread: mode not shown as thread"; cat "$tmp/hang_thread.out"; fi
if grep -q '^first .* ns ' "$tmp/hang_thread.out"; then pass "hang_thread: [first] reported"
else fail "hang_thread: [first] not reported"; cat "$tmp/hang_thread.out"; fi

# 7. A server that dies before READY: its stderr is shown.
cat_conf "$tmp/bad.ini" "[badopt]" "plugin = $plugin" "bogus_key = 1"
run bad "$tmp/bad.ini"
expect_rc bad 1
expect bad out "before it was READY"
expect bad out "bogus_key"

# 8. A section that fails after some repeats (the server dies in the second)
#    is shown as FAILED, not as a row of figures; the JSON marks it partial.
cat_conf "$tmp/partial.ini" "[partial]" "plugin = $plugin" "die_after = 2500" "warmup = 0"
run partial "$tmp/partial.ini"
expect_rc partial 1
if grep -q '^partial *FAILED' "$tmp/partial.out"; then pass "partial: row says FAILED"; else
    fail "partial: row does not say FAILED"; cat "$tmp/partial.out"; fi
run partial_json -D runner.format=json "$tmp/partial.ini"
expect partial_json out '"partial": true'
expect partial_json out '"repeats_done": 1'

# 9. SIGINT, SIGTERM, SIGHUP mid-run: the current section is marked
#    INTERRUPTED, the finished one keeps its figures, the one not started is
#    NOT RUN, every server the runner started is gone, exit 128 + signal.
#    The signal goes to the runner's whole process group, as a terminal's
#    Ctrl-C does: a server in its own group is stopped by the runner alone.
cat_conf "$tmp/sig.ini" "[first]" "plugin = direct" "" "[long]" "plugin = $plugin" \
    "requests = 100000000" "" "[last]" "plugin = direct"
for s in INT:130 TERM:143 HUP:129; do
    sig=${s%:*}; want=${s#*:}; name=sig$sig
    setsid "$runner" -D runner.order=sequential "$tmp/sig.ini" >"$tmp/$name.out" \
        2>"$tmp/$name.err" &
    pid=$!
    # wait (bounded) until [long] runs: the runner then has its server child
    kids=
    i=0
    while [ -z "$kids" ] && [ $i -lt 100 ]; do
        sleep 0.1; i=$((i + 1))
        kids=$(cat /proc/$pid/task/*/children 2>/dev/null)
    done
    sleep 0.5
    for k in $kids; do
        pg=$(ps -o pgid= -p "$k" | tr -d ' ')
        if [ "$pg" = "$k" ]; then pass "$name: server $k leads its own process group"
        else fail "$name: server $k is in process group $pg"; fi
    done
    pg=$(ps -o pgid= -p "$pid" | tr -d ' ')
    [ "$pg" = "$pid" ] || fail "$name: setsid did not make the runner a group leader ($pg)"
    kill -"$sig" -"$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
        fail "$name: runner still running 20 s after SIG$sig"; kill -KILL "$pid"
    fi
    wait "$pid"; rc=$?
    expect_rc "$name" "$want"
    if grep -q '^long  *INTERRUPTED ' "$tmp/$name.out"; then pass "$name: [long] INTERRUPTED"
    else fail "$name: [long] not INTERRUPTED"; cat "$tmp/$name.out"; fi
    if grep -q '^last  *NOT RUN ' "$tmp/$name.out"; then pass "$name: [last] NOT RUN"
    else fail "$name: [last] not NOT RUN"; cat "$tmp/$name.out"; fi
    expect "$name" err "[long] INTERRUPTED: interrupted by SIG$sig"
    expect "$name" err "the run was interrupted by SIG$sig; every server stopped"
    if grep -q '^first .* ns ' "$tmp/$name.out"; then pass "$name: [first] has figures"; else
        fail "$name: [first] lost its figures"; cat "$tmp/$name.out"; fi
    for k in $kids; do
        if kill -0 "$k" 2>/dev/null; then fail "$name: server $k still running"; kill "$k"
        else pass "$name: server $k stopped"; fi
    done
    [ -n "$kids" ] || fail "$name: never saw the server start"
done

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
