#!/bin/sh
# tests/uds/tcp_tests.sh — the tcp transport's test programs (tests/tcp)
# run again against uds, its protocol over Unix sockets: bad frames,
# byte-at-a-time frames, floods, 400,000 pipelined calls in flight, the idle
# timeout, every client failure, payloads. INCBENCH_TEST_TRANSPORT=uds makes
# them load plugins/uds and speak over AF_UNIX (tests/tcp/raw.h). Exit 77 (SKIP)
# when the plugin or the programs were not built.
top_builddir=${top_builddir:-..}
so=$top_builddir/plugins/uds/.libs/uds.so
if [ ! -f "$so" ]; then
    echo "uds plugin not built ($so missing)"
    exit 77
fi
INCBENCH_TEST_TRANSPORT=uds
export INCBENCH_TEST_TRANSPORT top_builddir
failed=0
for t in test_client test_frames test_burst test_idle test_payload; do
    prog=$top_builddir/tests/tcp/$t
    if [ ! -x "$prog" ]; then
        echo "tests/tcp/$t not built"
        exit 77
    fi
    echo "== tests/tcp/$t over uds"
    if ! "$prog"; then
        echo "FAIL: tests/tcp/$t over uds"
        failed=1
    fi
done
exit $failed
