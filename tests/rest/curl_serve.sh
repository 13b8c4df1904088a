#!/bin/sh
# curl_serve.sh — curl, a client nobody here wrote, against the rest server
# as the runner serves it (`runner --serve rest tests/rest/serve.ini`): the
# JSON answer for /increment/41, by GET and by POST, a 400 with a JSON
# error for junk, a 413 for a payload over the server's (none), then
# SIGTERM to the server's PID and a clean exit 0. Every wait is bounded.
set -u
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
: "${top_builddir:?top_builddir must be set (make check sets it)}"
: "${top_srcdir:?top_srcdir must be set (make check sets it)}"

tmp=$(mktemp -d) || exit 99
. "$top_srcdir/tests/rest/serve_lib.sh"

serve "$top_srcdir/tests/rest/serve.ini" rest

body=$(curl -s --max-time 5 "http://$addr/increment/41") || fail "curl /increment/41 failed"
[ "$body" = '{"value": 42}' ] || fail "/increment/41 answered '$body'"
type=$(curl -s --max-time 5 -o /dev/null -w '%{content_type}' "http://$addr/increment/1")
[ "$type" = "application/json" ] || fail "Content-Type is '$type'"

code=$(curl -s --max-time 5 -o "$tmp/junk" -w '%{http_code}' "http://$addr/increment/4x2") \
    || fail "curl /increment/4x2 failed"
[ "$code" = 400 ] || fail "/increment/4x2 answered HTTP $code"
grep -q '^{"error": ".*4x2.*"}$' "$tmp/junk" || fail "400 body is '$(cat "$tmp/junk")'"

code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST "http://$addr/increment/1")
[ "$code" = 405 ] || fail "POST answered HTTP $code"

body=$(curl -s --max-time 5 -H 'Content-Type: application/json' -d '{"value": 41}' \
    "http://$addr/increment") || fail "curl POST /increment failed"
[ "$body" = '{"value": 42}' ] || fail "POST /increment answered '$body'"
body=$(curl -s --max-time 5 "http://$addr/increment/41?payload=0") || fail "curl ?payload=0 failed"
[ "$body" = '{"value": 42, "payload": ""}' ] || fail "?payload=0 answered '$body'"
code=$(curl -s --max-time 5 -o "$tmp/big" -w '%{http_code}' -d '{"value": 1, "payload": "abc"}' \
    "http://$addr/increment") || fail "curl POST with a payload failed"
[ "$code" = 413 ] || fail "a payload over the server's answered HTTP $code"
grep -q '^{"error": ".*payload key.*"}$' "$tmp/big" || fail "413 body is '$(cat "$tmp/big")'"

stop
echo "PASS: curl got the JSON answers; the server stopped with status 0"
rm -rf "$tmp"
exit 0
