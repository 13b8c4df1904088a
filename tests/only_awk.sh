#!/bin/sh
# only_awk.sh — conf/only.awk, which makes the installed configs of a build
# that left plugins out: the sections of a missing plugin go, and so does a
# baseline that names one of them (else the installed config would not
# load); what is built stays as written, and the runner takes the result.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
runner="$top_builddir/runner/runner"
awk_file="$top_srcdir/conf/only.awk"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; failures=$((failures + 1)); }
only() { # only BUILT FILE: the config as a build of BUILT installs it
    awk -v built="$1" -f "$awk_file" "$2" "$2"
}

only "direct rest" "$top_srcdir/conf/payload.ini" >"$tmp/p.ini"
if grep -q '^\[tcp\]' "$tmp/p.ini" || grep -q '^\[grpc_unary\]' "$tmp/p.ini"; then
    bad "sections of plugins not built are left out"
else ok "sections of plugins not built are left out"; fi
if grep -q '^; baseline = tcp ' "$tmp/p.ini" && ! grep -q '^baseline' "$tmp/p.ini"; then
    ok "a baseline naming a section left out is commented out"
else bad "a baseline naming a section left out is commented out"; sed 's/^/    /' "$tmp/p.ini"; fi
if grep -q '^\[rest_post\]' "$tmp/p.ini" && grep -q '^method  = post' "$tmp/p.ini"; then
    ok "built sections stay as written"
else bad "built sections stay as written"; fi
if timeout 60 "$runner" --check "$tmp/p.ini" >"$tmp/out" 2>&1; then
    ok "the runner takes the result"
else bad "the runner takes the result:"; sed 's/^/    /' "$tmp/out"; fi

only "direct tcp rest" "$top_srcdir/conf/payload.ini" >"$tmp/q.ini"
if grep -q '^baseline   = tcp' "$tmp/q.ini"; then
    ok "a baseline that is built is kept"
else bad "a baseline that is built is kept"; fi

only "direct" "$top_srcdir/conf/default.ini" >"$tmp/d.ini"
if grep -q '^baseline = direct' "$tmp/d.ini" && timeout 60 "$runner" --check "$tmp/d.ini" >/dev/null 2>&1; then
    ok "default.ini with direct alone keeps its baseline and loads"
else bad "default.ini with direct alone keeps its baseline and loads"; fi

# Many sections left out: the list wraps, as inih reads at most 198
# characters a line.
{ for i in $(seq 1 40); do printf '[section_%02d]\nplugin = gone\n' "$i"; done
  printf '[d]\nplugin = direct\n'; } >"$tmp/many.ini"
only "direct" "$tmp/many.ini" >"$tmp/m.ini"
if awk 'length($0) > 80 { exit 1 }' "$tmp/m.ini" && grep -q 'section_40' "$tmp/m.ini" &&
    timeout 60 "$runner" --check "$tmp/m.ini" >/dev/null 2>&1; then
    ok "a long list of sections left out wraps, names all, and loads"
else bad "a long list of sections left out wraps, names all, and loads"; sed 's/^/    /' "$tmp/m.ini"; fi

[ "$failures" -eq 0 ]
