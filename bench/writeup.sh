#!/bin/sh
# bench/writeup.sh — the README's "The write-up, redone": conf/default.ini
# as the write-up ran it (no pinning, 10,000 dependent calls; 3 repeats,
# rest_close_tls_full at 10,000 calls too), then bench/writeup.py prints
# each section's median total beside its TLS twin. A benchmark, run by
# hand, never by `make check`.
# usage: bench/writeup.sh [BUILD_DIR]   (default: the current directory)
# environment: RUNNER_ARGS (extra runner options), KEEP=DIR keeps the JSON.
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/run_json.sh" "$here/../conf/default.ini" "$here/writeup.py" 3 "${1:-.}" \
    -D rest_close_tls_full.requests=10000
