#!/bin/sh
# bench/tls.sh — the README's "TLS, measured": conf/tls.ini (rest keep-alive
# and close, grpc_unary, grpc_stream, each in plaintext and over TLS 1.3,
# rest_close over TLS without resumption and over TLS 1.2; client on CPU 0,
# server on CPU 1) with 10 interleaved repeats, then its table from the JSON
# (bench/tls.py): mean (p50), CPU per call on each side, TLS / plaintext,
# and the handshakes each repeat made. A benchmark, run by hand, never by
# `make check`.
# usage: bench/tls.sh [BUILD_DIR]   (default: the current directory)
# environment: RUNNER_ARGS (extra runner options, e.g. -D runner.repeat=5),
#   KEEP=DIR keeps the JSON there.
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/run_json.sh" "$here/../conf/tls.ini" "$here/tls.py" 10 "${1:-.}"
