#!/bin/sh
# browser.sh — format = html in a real browser. A short run of the runner
# (tests/report/report.ini) writes the page; xmllint must parse it without a
# word; headless chromium opens a copy with check.js put in, and the test
# fails on any JavaScript error or console message, a blank or undrawn chart
# canvas, or any request the page makes. Three copies broken on purpose (a
# script error, a blanked chart, an image from the network) must fail, so
# the check itself is checked. --compare's html page of the run's JSON is
# opened the same way, and a swept run's page (issue 12: latency against
# the swept value) made by sweep_test. REPORT_PNG=FILE keeps a screenshot of the
# whole page (make report-png), REPORT_PNG_WIDTH pixels wide (1120);
# REPORT_ARGS are the runner's arguments before the config (-D ...).
# Every chromium run is bounded by timeout(1) and stopped by its PID.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
runner="$top_builddir/runner/runner"
here="$top_srcdir/tests/report"

if [ -n "${why_html:-}" ]; then
    echo "SKIP: format = html was not built: $why_html"
    exit 77
fi
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
    echo "SKIP: chromium not found (apt-get install chromium)"
    exit 77
fi
if ! command -v xmllint >/dev/null; then
    echo "SKIP: xmllint not found (apt-get install libxml2-utils)"
    exit 77
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    # timeout(1) passes the TERM on to chromium.
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
failures=0
passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; passes=$((passes + 1)); }

# browse NAME FILE [WIDTHxHEIGHT]: chromium on FILE for at most 60 s (then TERM,
# KILL 5 s later); $tmp/NAME.dom (the DOM), .log (its stderr), .png. No
# name resolves (MAP * ~NOTFOUND) and no background service runs, so
# nothing leaves the machine whatever the page asks for.
browse() {
    timeout -k 5 60 "$chromium" --headless=new --no-sandbox --disable-gpu \
        --disable-dev-shm-usage --user-data-dir="$tmp/profile-$1" \
        --no-first-run --no-default-browser-check --disable-extensions \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-domain-reliability --disable-client-side-phishing-detection \
        --host-resolver-rules='MAP * ~NOTFOUND' \
        --enable-logging=stderr --v=0 --virtual-time-budget=10000 \
        --window-size="$(echo "${3:-1280x2400}" | tr x ,)" --hide-scrollbars \
        --screenshot="$tmp/$1.png" \
        --dump-dom "file://$2" >"$tmp/$1.dom" 2>"$tmp/$1.log" &
    pid=$!
    wait "$pid"
    brc=$?
    pid=
}

# verdict NAME: check.js's line, or "none".
verdict() {
    sed -n 's/^CHECK \(.*\)$/\1/p' "$tmp/$1.dom" | head -1 | grep . || echo none
}

# console NAME: the page's console messages and uncaught errors in chromium's log.
console() {
    grep -E ':CONSOLE|Uncaught' "$tmp/$1.log"
}

# with_check SRC DST [SCRIPT]: SRC with check.js first in <head> and SCRIPT
# (a line of HTML) last in <body>.
with_check() {
    awk -v check="$here/check.js" -v extra="${3:-}" '
        /<\/body>/ && extra != "" { print extra }
        { print }
        /<meta charset="utf-8">/ && !done {
            print "<script>"; while ((getline l < check) > 0) print l; print "</script>"
            done = 1
        }' "$1" >"$2"
}

# drawn NAME FILE CHARTS WHAT: FILE with check.js in chromium: every one of
# its CHARTS charts drawn, no error, nothing fetched, nothing on the console;
# the tooltips it read are shown.
drawn() {
    with_check "$2" "$tmp/$1-checked.html"
    browse "$1" "$tmp/$1-checked.html"
    v=$(verdict "$1")
    case $v in
        "verdict=ok charts=$3 blank=none undrawn=none errors=0 requests=0 "*)
            pass "chromium on $4: $v"
            echo "    tooltips:"
            sed -n '/^CHECK /,/^END-CHECK/p' "$tmp/$1.dom" | sed '1d;$d;s/^/      /' ;;
        *)
            fail "chromium on $4 (exit $brc): $v"
            sed -n '/^CHECK /,/^END-CHECK/p' "$tmp/$1.dom" | sed 's/^/    /' ;;
    esac
    if console "$1" >/dev/null; then
        fail "$4 wrote to the console:"
        console "$1" | sed 's/^/    /'
    else
        pass "$4: no console message, no uncaught error"
    fi
}

# 1. A real run, as html.
# Run where the page's title names the config as the source tree does.
mkdir -p "$tmp/tests/report"
awk -v built="${plugins_built:-direct tcp rest grpc_unary grpc_stream}" \
    -f "$top_srcdir/conf/only.awk" "$here/report.ini" "$here/report.ini" \
    >"$tmp/tests/report/report.ini"
# shellcheck disable=SC2086 # REPORT_ARGS is words: -D a.b=c ...
set -- ${REPORT_ARGS:-} -D runner.output=report.json tests/report/report.ini
if (cd "$tmp" && timeout 300 "$runner" "$@") >"$tmp/report.html" 2>"$tmp/runner.err"; then
    pass "the runner wrote the html report ($(wc -c <"$tmp/report.html") bytes)"
else
    fail "the runner failed:"
    sed 's/^/    /' "$tmp/runner.err"
    exit 1
fi

# 2. It parses cleanly.
if xmllint --html --noout "$tmp/report.html" >"$tmp/xmllint.out" 2>&1 &&
    [ ! -s "$tmp/xmllint.out" ]; then
    pass "xmllint --html: no error, no warning"
else
    fail "xmllint --html:"
    head -20 "$tmp/xmllint.out" | sed 's/^/    /'
fi
for id in mean-chart percentile-chart cost-chart; do
    n=$(grep -c "<div class=\"chart\" id=\"$id\">" "$tmp/report.html")
    if [ "$n" = 1 ]; then pass "one $id"; else fail "$n of $id, wanted 1"; fi
done

# 3. In chromium: no error, every chart drawn, nothing fetched.
drawn page "$tmp/report.html" 3 "the run's page"

# 4. The check fails when it should.
broken() { # broken NAME SCRIPT WANT-IN-VERDICT
    with_check "$tmp/report.html" "$tmp/$1.html" "$2"
    browse "$1" "$tmp/$1.html"
    bv=$(verdict "$1")
    case $bv in
        "verdict=fail "*"$3"*) pass "broken on purpose ($1): $bv" ;;
        *) fail "broken on purpose ($1) was not caught: $bv" ;;
    esac
}
broken js-error '<script>incbenchNoSuchFunction();</script>' 'errors=1 '
if console js-error | grep -q 'Uncaught ReferenceError'; then
    pass "chromium's log has the uncaught error too"
else
    fail "chromium's log lacks the uncaught error"
fi
clear="var c = document.getElementById('cost-chart-canvas');"
clear="$clear c.getContext('2d').clearRect(0, 0, c.width, c.height);"
broken blank "<script>$clear</script>" 'blank=cost-chart-canvas '
broken fetch '<img src="http://incbench.invalid/x.png" alt="">' 'requests=1 '

# 5. --compare's page of the run against itself: one chart per section,
# each drawn, nothing fetched, no error.
if (cd "$tmp" && timeout 60 "$runner" --compare --format html report.json report.json) \
    >"$tmp/compare.html" 2>"$tmp/compare.err" &&
    xmllint --html --noout "$tmp/compare.html" >"$tmp/xmllint-compare.out" 2>&1 &&
    [ ! -s "$tmp/xmllint-compare.out" ]; then
    pass "--compare --format html wrote a page xmllint takes"
else
    fail "--compare --format html:"
    cat "$tmp/compare.err" "$tmp/xmllint-compare.out" | head -20 | sed 's/^/    /'
fi
sections=$(grep -c '<div class="chart" id="dist-' "$tmp/compare.html")
drawn compare "$tmp/compare.html" "$sections" "--compare's page"

# 6. A swept run (issue 12): sweep_test writes its page of results made by
# hand (tcp and rest over payload 0, 1k, 64k, one run failed); its chart of
# latency against the payload must be drawn like the others.
sweep_test="$top_builddir/tests/report/sweep_test"
if timeout 60 "$sweep_test" --write "$tmp/sweep.html" >"$tmp/sweep.out" 2>&1 &&
    xmllint --html --noout "$tmp/sweep.html" >"$tmp/xmllint-sweep.out" 2>&1 &&
    [ ! -s "$tmp/xmllint-sweep.out" ]; then
    pass "sweep_test --write wrote a swept run's page xmllint takes"
else
    fail "the swept run's page:"
    cat "$tmp/sweep.out" "$tmp/xmllint-sweep.out" 2>/dev/null | head -20 | sed 's/^/    /'
fi
n=$(grep -c '<div class="chart" id="sweep-chart">' "$tmp/sweep.html")
if [ "$n" = 1 ]; then pass "one sweep-chart"; else fail "$n of sweep-chart, wanted 1"; fi
drawn sweep "$tmp/sweep.html" 4 "the swept run's page"

# 7. The screenshot, of the whole page, when asked.
if [ -n "${REPORT_PNG:-}" ]; then
    # Once to measure the page at that width, once to take all of it.
    width=${REPORT_PNG_WIDTH:-1120}
    with_check "$tmp/report.html" "$tmp/shot.html"
    browse measure "$tmp/shot.html" "${width}x2400"
    height=$(verdict measure | sed -n 's/.*height=\([0-9]*\).*/\1/p')
    size=${width}x${height:-2400}
    browse shot "$tmp/shot.html" "$size"
    if [ "$(verdict shot | cut -d' ' -f1)" = verdict=ok ] && cp "$tmp/shot.png" "$REPORT_PNG"; then
        pass "screenshot: $REPORT_PNG ($(wc -c <"$REPORT_PNG") bytes, $size)"
    else
        fail "screenshot: $(verdict shot)"
    fi
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
