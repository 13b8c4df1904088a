#!/usr/bin/env python3
"""bench/tls.py JSON — the table of bench/tls.sh from a runner JSON report of
conf/tls.ini: for each transport, plaintext and TLS side by side: mean (p50),
CPU per call client / server, TLS / plaintext (mean and p50), and the TLS
handshakes per repeat (full + resumed). Runs missing from the report show
as '-'."""
import json
import sys

from benchfmt import dur

# (label, plaintext run, TLS run)
PAIRS = [
    ("rest (keep-alive)", "rest[tls=false]", "rest[tls=true]"),
    ("rest_close, resumed", "rest_close[tls=false]", "rest_close[tls=true]"),
    ("rest_close, full handshakes", "rest_close[tls=false]", "rest_close_full"),
    ("rest_close, TLS 1.2 resumed", "rest_close[tls=false]", "rest_close_tls12"),
    ("grpc_unary", "grpc_unary[tls=false]", "grpc_unary[tls=true]"),
    ("grpc_stream", "grpc_stream[tls=false]", "grpc_stream[tls=true]"),
]


def main():
    report = json.load(open(sys.argv[1]))
    runs = {s["name"]: s for s in report["sections"]}

    def res(name):
        s = runs.get(name)
        return s["results"] if s and s.get("results") else None

    def mean(name):
        r = res(name)
        return "%s (%s)" % (dur(r["mean_ns"]), dur(r["p50_ns"])) if r else "-"

    def cpu(name):
        pc = runs.get(name, {}).get("per_call")
        if not pc or not pc.get("client") or not pc.get("server"):
            return "-"
        return "%s / %s" % (dur(pc["client"]["cpu_ns"]), dur(pc["server"]["cpu_ns"]))

    def handshakes(name):
        s = runs.get(name)
        if not s or s.get("tls_full_handshakes") is None or not s.get("repeats_done"):
            return "-"
        n = s["repeats_done"]
        return "%g + %g" % (s["tls_full_handshakes"] / n, s.get("tls_resumed_handshakes", 0) / n)

    def ratio(a, b, key):
        ra, rb = res(a), res(b)
        return "%.2fx" % (rb[key] / ra[key]) if ra and rb else "-"

    print("| transport | plaintext: mean (p50) | TLS: mean (p50) | CPU/call plaintext, "
          "client / server | CPU/call TLS | TLS / plaintext, mean (p50) | handshakes per "
          "repeat, full + resumed |")
    print("|---|---|---|---|---|---|---|")
    for label, plain, tls in PAIRS:
        print("| %s | %s | %s | %s | %s | %s (%s) | %s |" % (
            label, mean(plain), mean(tls), cpu(plain), cpu(tls),
            ratio(plain, tls, "mean_ns"), ratio(plain, tls, "p50_ns"), handshakes(tls)))
    full, resumed = res("rest_close_full"), res("rest_close[tls=true]")
    if full and resumed:
        print("\nrest_close over TLS, full / resumed handshakes: %.2fx mean (%.2fx p50)" % (
            full["mean_ns"] / resumed["mean_ns"], full["p50_ns"] / resumed["p50_ns"]))


if __name__ == "__main__":
    main()
