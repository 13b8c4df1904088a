"""bench/split.py — the tables bench/split.sh prints, from runner JSON.
  split.py table RUN.json           where each call's time goes, one run
  split.py overlap RUN.json...      each section's ratio interval in every run,
                                    and whether the intervals overlap
  split.py floors RUN.json          bench/floors.sh's table: mean, p99, CPU per
                                    call on each side and the ratio to the baseline
"""
import json
import sys


def t(ns):
    if ns is None:
        return "-"
    if ns < 1e3:
        return "%.0f ns" % ns
    return "%.2f µs" % (ns / 1e3) if ns < 1e6 else "%.2f ms" % (ns / 1e6)


def n(x):
    return "-" if x is None else "%.2f" % x


def switches(side):
    if not side or side.get("voluntary_switches") is None:
        return None
    return side["voluntary_switches"] + side["involuntary_switches"]


def table(path):
    d = json.load(open(path))
    print("%-22s %10s %10s %10s %10s %7s %7s %7s %7s  %s" % (
        "section", "per call", "cpu cli", "cpu srv", "wait", "sw cli", "sw srv",
        "io cli", "io srv", "x tcp [95% CI]"))
    for s, r, pc, c, v, ratio in rows(d, 22):
        print("%-22s %10s %10s %10s %10s %7s %7s %7s %7s  %s" % (
            s["name"], t(r["per_call_ns"]), t(c["cpu_ns"]), t(v.get("cpu_ns")),
            t(pc["wait_ns"]), n(switches(c)), n(switches(v)), n(c["io_syscalls"]),
            n(v.get("io_syscalls")), ratio))
    environment(d)


def rows(d, width):
    """Each measured section with its results, per-call sides and ratio
    cell; a failed one is printed with its reason and skipped."""
    for s in d["sections"]:
        r = s.get("results")
        if s["status"] != "ok" or r is None:
            print("%-*s FAILED: %s" % (width, s["name"], s.get("reason")))
            continue
        pc = s["per_call"]
        ci = r.get("ratio_ci95")
        ratio = "-" if r.get("ratio_to_baseline") is None else "%.3gx" % r["ratio_to_baseline"]
        if ci:
            ratio += " [%.3g, %.3g]" % tuple(ci)
        yield s, r, pc, pc["client"], pc["server"] or {}, ratio


def environment(d):
    for e in d.get("environment", {}).values():
        if e["status"] != "ok":
            print("  environment: %s" % e["message"])


def floors(path):
    d = json.load(open(path))
    base = d.get("settings", {}).get("baseline") or "baseline"
    print("%-12s %10s %10s %10s %10s %7s %7s  %s" % (
        "section", "mean", "p99", "cpu cli", "cpu srv", "sw cli", "sw srv",
        "x %s [95%% CI]" % base))
    for s, r, _, c, v, ratio in rows(d, 12):
        print("%-12s %10s %10s %10s %10s %7s %7s  %s" % (
            s["name"], t(r["mean_ns"]), t(r["p99_ns"]), t(c["cpu_ns"]), t(v.get("cpu_ns")),
            n(switches(c)), n(switches(v)), ratio))
    environment(d)


def overlap(paths):
    runs = [json.load(open(p)) for p in paths]
    names = [s["name"] for s in runs[0]["sections"]]
    print("%-22s %s  %s" % ("section", "  ".join("run %d x tcp [95%% CI]     " % (i + 1)
                                                  for i in range(len(runs))), "overlap"))
    for name in names:
        cells, ivs = [], []
        for d in runs:
            s = next((x for x in d["sections"] if x["name"] == name), None)
            r = s and s.get("results")
            if not r or r.get("ratio_ci95") is None:
                cells.append("%-25s" % "-")
                continue
            lo, hi = r["ratio_ci95"]
            ivs.append((lo, hi))
            cells.append("%-25s" % ("%.3gx [%.3g, %.3g]" % (r["ratio_to_baseline"], lo, hi)))
        ok = len(ivs) == len(runs) and max(i[0] for i in ivs) <= min(i[1] for i in ivs)
        print("%-22s %s  %s" % (name, "  ".join(cells), "yes" if ok else "NO"))


if __name__ == "__main__":
    if sys.argv[1] == "table":
        table(sys.argv[2])
    elif sys.argv[1] == "floors":
        floors(sys.argv[2])
    else:
        overlap(sys.argv[2:])
