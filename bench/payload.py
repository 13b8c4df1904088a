#!/usr/bin/env python3
"""bench/payload.py JSON — the tables of bench/payload.sh from a runner JSON
report of conf/payload.ini: mean (p50) and MB/s per transport and size, CPU
per call on each side, rest (GET and POST) over grpc_unary, and each run
against tcp at the same size. Runs missing from the report show as '-'."""
import json
import sys

from benchfmt import dur

BASES = ["tcp", "uds", "rest", "rest_post", "grpc_unary", "grpc_stream"]
SIZES = ["0", "1k", "64k", "1m"]


def table(title, cell):
    print("| %s | %s |" % (title, " | ".join(SIZES)))
    print("|---|" + "---|" * len(SIZES))
    for base in BASES:
        print("| `%s` | %s |" % (base, " | ".join(cell(base, z) for z in SIZES)))
    print()


def main():
    report = json.load(open(sys.argv[1]))
    runs = {s["name"]: s for s in report["sections"]}

    def res(base, size):
        s = runs.get("%s[payload=%s]" % (base, size))
        return s["results"] if s and s.get("results") else None

    def mean(base, size):
        r = res(base, size)
        if r is None:
            return "-"
        mb = r.get("mb_per_s")
        return "%s (p50 %s)%s" % (dur(r["mean_ns"]), dur(r["p50_ns"]),
                                  ", %.0f MB/s" % mb if mb else "")

    def cpu(base, size):
        s = runs.get("%s[payload=%s]" % (base, size))
        pc = s and s.get("per_call")
        if not pc or not pc.get("client") or not pc.get("server"):
            return "-"
        return "%s / %s" % (dur(pc["client"]["cpu_ns"]), dur(pc["server"]["cpu_ns"]))

    def vs_tcp(base, size):
        r = res(base, size)
        if r is None or r.get("ratio_to_baseline") is None:
            return "-"
        ci = r.get("ratio_ci95")
        if not ci or None in ci:  # one repeat: no interval
            return "%.2fx" % r["ratio_to_baseline"]
        return "%.2fx [%.2f, %.2f]" % (r["ratio_to_baseline"], ci[0], ci[1])

    table("mean (p50), MB/s", mean)
    table("CPU per call, client / server", cpu)
    table("x tcp, 95% interval", vs_tcp)
    print("| over `grpc_unary` | %s |" % " | ".join(SIZES))
    print("|---|" + "---|" * len(SIZES))
    for num in ("rest", "rest_post", "grpc_stream"):
        for key in ("mean_ns", "p50_ns"):
            cells = []
            for z in SIZES:
                a, b = res(num, z), res("grpc_unary", z)
                cells.append("%.2fx" % (a[key] / b[key]) if a and b else "-")
            print("| `%s` (%s) | %s |" % (num, key[:-3], " | ".join(cells)))


if __name__ == "__main__":
    main()
