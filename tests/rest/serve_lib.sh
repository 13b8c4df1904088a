# serve_lib.sh — sourced by the shell tests that run `runner --serve` and
# call it with clients nobody here wrote (curl_serve.sh, tls_serve.sh).
# Needs top_builddir and tmp (a directory of the test's own), and leaves
# pid and addr set:
#   fail MESSAGE...   print, show the server's stderr, SIGKILL it, exit 1
#   serve CONFIG SECTION
#                     start it, wait (10 s at most) for its READY line
#   stop              SIGTERM by PID; it must exit 0 within 10 s (a
#                     watchdog, stopped by its own PID, SIGKILLs it after
#                     that, so `wait` is bounded; kill -0 could not tell a
#                     zombie from a live server)
pid=
fail() {
    echo "FAIL: $*"
    echo "--- server stderr:"; cat "$tmp/stderr" 2>/dev/null
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$tmp"
    exit 1
}

serve() {
    : >"$tmp/stdout"
    "$top_builddir/runner/runner" --serve "$2" "$1" >"$tmp/stdout" 2>"$tmp/stderr" &
    pid=$!
    addr=
    i=0
    while [ $i -lt 100 ]; do
        addr=$(sed -n 's/^READY \(.*\)$/\1/p' "$tmp/stdout")
        [ -n "$addr" ] && break
        kill -0 "$pid" 2>/dev/null || fail "runner --serve $2 exited before READY"
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$addr" ] || fail "no READY line from $2 within 10 s"
    echo "$2 ready at $addr (pid $pid)"
}

stop() {
    kill -TERM "$pid" || fail "cannot signal $pid"
    # (short sleeps, so that stopping the watchdog leaves no long sleep behind)
    ( i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
      kill -KILL "$pid" 2>/dev/null ) &
    watchdog=$!
    wait "$pid"
    rc=$?
    pid=
    kill "$watchdog" 2>/dev/null
    wait "$watchdog" 2>/dev/null
    [ "$rc" -eq 0 ] || fail "runner --serve exited with status $rc after SIGTERM (137: killed after 10 s)"
}
