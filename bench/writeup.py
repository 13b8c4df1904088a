#!/usr/bin/env python3
"""bench/writeup.py JSON — the table of bench/writeup.sh from a runner JSON
report of conf/default.ini: each plaintext section's median total (and the
range of its repeats), beside the sections that run it over TLS (NAME_tls,
NAME_tls_full). Sections missing from the report are left out."""
import json
import sys


def secs(ns):
    if ns >= 1e9:
        return "%.2f s" % (ns / 1e9)
    return "%.3g ms" % (ns / 1e6) if ns >= 1e6 else "%.3g µs" % (ns / 1e3)


def main():
    report = json.load(open(sys.argv[1]))
    runs = {s["name"]: s for s in report["sections"]}

    def total(name):
        s = runs.get(name)
        r = s and s.get("results")
        if not r:
            return None
        return "%s (%s to %s)" % (secs(r["total_median_ns"]), secs(r["total_min_ns"]),
                                  secs(r["total_max_ns"]))

    print("| section | median total (repeats' range) | over TLS |")
    print("|---|---|---|")
    for s in report["sections"]:
        name = s["name"]
        if "_tls" in name:
            continue
        tls = ["`%s` %s" % (t, total(t)) for t in (name + "_tls", name + "_tls_full")
               if total(t)]
        print("| `%s` | %s | %s |" % (name, total(name) or "-", "; ".join(tls)))


if __name__ == "__main__":
    main()
