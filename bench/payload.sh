#!/bin/sh
# bench/payload.sh — the README's "Payloads, measured": conf/payload.ini
# (tcp, uds, rest GET and POST, grpc_unary, grpc_stream over payloads of 0,
# 1 KiB, 64 KiB and 1 MiB, client on CPU 0, server on CPU 1) with 10
# interleaved repeats, then its tables from the JSON (bench/payload.py):
# mean (p50) and MB/s, CPU per call on each side, rest / grpc_unary, and
# every run against tcp at the same size. A benchmark, run by hand, never
# by `make check`.
# usage: bench/payload.sh [BUILD_DIR]   (default: the current directory)
# environment: RUNNER_ARGS (extra runner options, e.g. -D runner.repeat=5),
#   KEEP=DIR keeps the JSON there.
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/run_json.sh" "$here/../conf/payload.ini" "$here/payload.py" 10 "${1:-.}"
