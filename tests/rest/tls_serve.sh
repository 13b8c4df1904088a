#!/bin/sh
# tls_serve.sh — clients nobody here wrote against the rest server over TLS
# as the runner serves it (`runner --serve`): with cert/key files made by
# tls_certs.sh, curl --cacert gets the JSON answers over https (GET, POST)
# and curl without the CA is refused; openssl s_client shows the handshake
# verified against the CA ("Verify return code: 0 (ok)") at the section's
# TLS version, and gets an answer through it. With a made certificate, the
# READY line carries "#sha256=HEX", the SHA-256 of the certificate s_client
# receives. Each server is stopped by its PID (SIGTERM) and must exit 0.
# Every wait is bounded.
set -u
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "SKIP: openssl is not installed"; exit 77; }
: "${top_builddir:?top_builddir must be set (make check sets it)}"
: "${top_srcdir:?top_srcdir must be set (make check sets it)}"

tmp=$(mktemp -d) || exit 99
. "$top_srcdir/tests/rest/serve_lib.sh"
sh "$top_srcdir/tests/common/tls_certs.sh" "$tmp" || fail "tls_certs.sh made no certificates"

cat >"$tmp/serve.ini" <<EOF
[files]
plugin     = rest
timeout_ms = 2000
tls        = true
cert       = $tmp/leaf.pem
key        = $tmp/leaf.key
tls_version = 1.2

[made]
plugin     = rest
timeout_ms = 2000
tls        = true
EOF

# s_client ARGS...: a handshake and one request, bounded by 10 s.
s_client() {
    printf 'GET /increment/41 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
        timeout 10 openssl s_client -connect "$plain" -ign_eof "$@" >"$tmp/s_client" 2>&1
}

serve "$tmp/serve.ini" files
case $addr in *'#'*) fail "a server with cert/key files printed a pin: $addr" ;; esac
plain=$addr
body=$(curl -s --max-time 5 --cacert "$tmp/ca.pem" "https://$addr/increment/41") ||
    fail "curl --cacert https://$addr/increment/41 failed"
[ "$body" = '{"value": 42}' ] || fail "/increment/41 over https answered '$body'"
body=$(curl -s --max-time 5 --cacert "$tmp/ca.pem" -d '{"value": 41}' \
    "https://localhost:${addr##*:}/increment") || fail "curl --cacert POST (localhost) failed"
[ "$body" = '{"value": 42}' ] || fail "POST /increment over https answered '$body'"
curl -s --max-time 5 "https://$addr/increment/41" >/dev/null 2>&1 &&
    fail "curl without --cacert trusted the server"
curl -s --max-time 5 --cacert "$tmp/other_ca.pem" "https://$addr/increment/41" >/dev/null 2>&1 &&
    fail "curl trusted the server through an unrelated CA"
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://$addr/increment/41")
[ "$code" != 200 ] || fail "a plaintext request to the TLS server got HTTP 200"

s_client -CAfile "$tmp/ca.pem" -verify_return_error || fail "s_client: $(tail -3 "$tmp/s_client")"
grep -q 'Verify return code: 0 (ok)' "$tmp/s_client" || fail "s_client did not verify: $(cat "$tmp/s_client")"
grep -q 'Protocol *: TLSv1.2' "$tmp/s_client" || fail "not TLS 1.2 (tls_version = 1.2): $(grep -i protocol "$tmp/s_client")"
grep -q '^{"value": 42}' "$tmp/s_client" || fail "no answer through s_client: $(tail -5 "$tmp/s_client")"
s_client -tls1_3 && fail "a TLS 1.3 handshake with a tls_version = 1.2 server succeeded"
stop

serve "$tmp/serve.ini" made
case $addr in *'#sha256='*) ;; *) fail "a made certificate's address has no pin: $addr" ;; esac
plain=${addr%%#*}
pin=${addr##*#sha256=}
s_client -showcerts || fail "s_client to the made certificate: $(tail -3 "$tmp/s_client")"
grep -q 'Protocol *: TLSv1.3' "$tmp/s_client" || fail "not TLS 1.3 (the default)"
got=$(openssl x509 -in "$tmp/s_client" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' |
    tr 'A-F' 'a-f')
[ "$got" = "$pin" ] || fail "the pin on READY ($pin) is not the served certificate's ($got)"
grep -q '^{"value": 42}' "$tmp/s_client" || fail "no answer through s_client"
stop

echo "PASS: curl and s_client over TLS got the JSON answers; the servers stopped with status 0"
rm -rf "$tmp"
exit 0
