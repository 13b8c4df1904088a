"""bench/benchfmt.py — how the bench scripts' tables write a time, imported
by payload.py and tls.py so that their tables read alike."""


def dur(ns):
    if ns is None:
        return "-"
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    return "%.0f µs" % (ns / 1e3) if ns >= 1e5 else "%.1f µs" % (ns / 1e3)
