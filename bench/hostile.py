#!/usr/bin/env python3
"""bench/hostile.py — issue 9's hostile-peer figures, measured against one
build's servers (run through bench/hostile.sh). Each attack starts its own
server with `runner --serve SECTION FILE` on 127.0.0.1 port 0, reads its
address from the READY line, attacks it from this process and prints one
line of what the server did: memory from /proc/PID/status, CPU from
/proc/PID/stat, bytes it wrote to stderr, connections still open at a time.
The server is stopped by the PID we started. Every wait has a deadline and
every loop a bound; only 127.0.0.1 is ever contacted.
usage: hostile.py RUNNER [ATTACK...]   (attacks: pipeline slowloris fdlimit
tcp_idle; default all)
"""
import errno
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

MB = 1024 * 1024
RSS_CAP = 1536 * MB            # stop an attack whose server grows past this
READY_S = 10.0                 # how long a server may take to say READY
TICK = os.sysconf("SC_CLK_TCK")


def status_kb(pid, key):
    """A VmXXX line of /proc/PID/status in bytes, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def cpu_s(pid):
    """User + system CPU seconds of PID, all its threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def mb(n):
    return "-" if n is None else f"{n / MB:.0f} MB"


class Server:
    """`runner --serve SECTION` of a config written from `body`. Every one
    made is in `started`, for main to stop should an attack fail midway."""
    started = []

    def __init__(self, runner, workdir, section, body, nofile=None):
        self.ini = os.path.join(workdir, f"{section}.ini")
        with open(self.ini, "w") as f:
            f.write(body)
        self.errpath = os.path.join(workdir, f"{section}.stderr")
        self.err = open(self.errpath, "wb")
        limit = None
        if nofile is not None:
            def limit():
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        self.proc = subprocess.Popen([runner, "--serve", section, self.ini],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self.err, preexec_fn=limit)
        Server.started.append(self)
        self.pid = self.proc.pid
        self.host, self.port = self._ready()

    def _ready(self):
        fd = self.proc.stdout.fileno()
        got = b""
        deadline = time.monotonic() + READY_S
        while b"\n" not in got and len(got) < 512:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            chunk = os.read(fd, 512)
            if not chunk:
                break
            got += chunk
        line = got.split(b"\n")[0].decode(errors="replace")
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"no READY line (got {line!r}); its stderr: {self.stderr_tail()}")
        host, _, port = line[6:].rpartition(":")
        if host != "127.0.0.1":
            self.stop()
            raise RuntimeError(f"server bound {line[6:]}, not 127.0.0.1")
        return host, int(port)

    def stderr_bytes(self):
        return os.stat(self.errpath).st_size

    def stderr_tail(self):
        with open(self.errpath, "rb") as f:
            return f.read()[-300:].decode(errors="replace").strip().replace("\n", " | ")

    def stop(self):
        """SIGTERM, 5 s, then SIGKILL: only the PID we started. Idempotent."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc.stdout.close()
        self.err.close()
        code = self.proc.returncode
        return "" if code == 0 else f" (server ended with status {code})"


def connect(srv, timeout=5.0):
    s = socket.create_connection((srv.host, srv.port), timeout=timeout)
    s.setblocking(False)
    return s


def closed_by_peer(s):
    """Drain what a readable socket holds; True on EOF or a reset."""
    for _ in range(64):
        try:
            if not s.recv(65536):
                return True
        except BlockingIOError:
            return False
        except OSError:
            return True
    return False


def pipeline(runner, work, seconds=4.0):
    """GETs sent back to back on one connection whose answers are never read."""
    srv = Server(runner, work, "rest", "[rest]\nplugin = rest\n")
    base = status_kb(srv.pid, "VmRSS")
    req = b"GET /increment/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    chunk = req * (65536 // len(req))
    s = connect(srv)
    sent, capped, peak = 0, False, 0
    end = time.monotonic() + seconds
    for _ in range(10_000_000):
        now = time.monotonic()
        if now >= end:
            break
        rss = status_kb(srv.pid, "VmRSS")
        if rss is None:
            break
        peak = max(peak, rss)
        if rss > RSS_CAP:
            capped = True
            break
        if select.select([], [s], [], min(0.05, end - now))[1]:
            try:
                sent += s.send(chunk)
            except BlockingIOError:
                pass
            except OSError:
                break                          # the server cut us off
    hwm = status_kb(srv.pid, "VmHWM")
    s.close()
    time.sleep(1.0)
    after = status_kb(srv.pid, "VmRSS")
    note = srv.stop()
    shown = f">{RSS_CAP / MB / 1024:.1f} GB (attack stopped at {mb(peak)})" if capped \
        else mb(hwm)
    print(f"rest pipeline {seconds:.0f} s, answers unread: server RSS {mb(base)} before, "
          f"peak {shown}, {mb(after)} held 1 s after close; client sent {mb(sent)}{note}",
          flush=True)


def slowloris(runner, work, n=500, limit_ms=2000, every=1.0, watch=8.0):
    """n connections that each send part of a request, then a byte every
    `every` s counted from each one's connect; how many the server still
    holds `watch` s after the first connect, and how long the longest-lived
    one it closed had lasted."""
    srv = Server(runner, work, "rest",
                 f"[rest]\nplugin = rest\nserver_timeout_ms = {limit_ms}\n")
    conns = {}                                 # fd -> [socket, connect time, next byte]
    life = {}                                  # fd -> seconds from connect to close
    poller = select.poll()

    def gone(fd):
        life[fd] = time.monotonic() - conns[fd][1]
        poller.unregister(fd)

    def trickle():
        now = time.monotonic()
        for fd, c in conns.items():
            if fd in life or now < c[2]:
                continue
            c[2] = now + every
            try:
                c[0].send(b"a")
            except BlockingIOError:
                pass
            except OSError:
                gone(fd)

    start = time.monotonic()
    for i in range(n):
        s = connect(srv)
        s.send(b"GET /increment/1 HTTP/1.1\r\nX-Pad: ")
        now = time.monotonic()
        conns[s.fileno()] = [s, now, now + every]
        poller.register(s, select.POLLIN)
        if i % 50 == 49:
            trickle()
    connected = time.monotonic() - start
    for _ in range(100_000):
        if time.monotonic() - start >= watch or len(life) == n:
            break
        for fd, _ev in poller.poll(50):
            if fd not in life and closed_by_peer(conns[fd][0]):
                gone(fd)
        trickle()
    at = time.monotonic() - start
    still = n - len(life)
    for c in conns.values():
        c[0].close()
    note = srv.stop()
    last = f", the longest-lived {max(life.values()):.2f} s after its connect" if life else ""
    print(f"rest slowloris {n} conns (connected in {connected:.2f} s), a byte every "
          f"{every:.1f} s, server_timeout_ms = {limit_ms}: {still}/{n} still open at "
          f"{at:.1f} s; {len(life)} closed{last}{note}", flush=True)


def fdlimit(runner, work, nofile=64, n=200, seconds=3.0):
    """The server at a descriptor limit of `nofile`, n connections waiting."""
    srv = Server(runner, work, "rest", "[rest]\nplugin = rest\n", nofile=nofile)
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        if s.connect_ex((srv.host, srv.port)) not in (0, errno.EINPROGRESS):
            s.close()
            continue
        socks.append(s)
    time.sleep(0.5)                            # let the accepts (or the spin) begin
    cpu0, err0, t0 = cpu_s(srv.pid), srv.stderr_bytes(), time.monotonic()
    time.sleep(seconds)
    cpu1, err1, t1 = cpu_s(srv.pid), srv.stderr_bytes(), time.monotonic()
    tail = srv.stderr_tail() if err1 > err0 else ""
    for s in socks:
        s.close()
    note = srv.stop()
    wall = t1 - t0
    print(f"rest at RLIMIT_NOFILE {nofile}, {len(socks)} conns: server CPU "
          f"{100 * (cpu1 - cpu0) / wall:.0f}% of a core, stderr {err1 - err0} bytes in "
          f"{wall:.1f} s ({(err1 - err0) / wall / MB:.1f} MB/s){note}"
          + (f"; stderr ends: {tail[-120:]}" if tail else ""), flush=True)


def tcp_idle(runner, work, n=50, idle_ms=1000, at=3.0):
    """n connections that send nothing; how many the server still holds at `at` s."""
    keyed = f"[tcp]\nplugin = tcp\nidle_timeout_ms = {idle_ms}\n"
    try:
        srv, how = Server(runner, work, "tcp", keyed), f"idle_timeout_ms = {idle_ms}"
    except RuntimeError as e:
        # An older tcp server refuses the key: measure it with its defaults.
        srv, how = Server(runner, work, "tcp", "[tcp]\nplugin = tcp\n"), \
            f"defaults, idle_timeout_ms refused ({str(e).split('its stderr: ')[-1][-70:]})"
    socks = [connect(srv) for _ in range(n)]
    start = time.monotonic()
    born = {s.fileno(): s for s in socks}
    poller = select.poll()
    for s in socks:
        poller.register(s, select.POLLIN)
    closed, last = 0, None
    for _ in range(100_000):
        left = at - (time.monotonic() - start)
        if left <= 0 or closed == n:
            break
        for fd, _ev in poller.poll(max(1, min(50, int(left * 1000)))):
            if closed_by_peer(born[fd]):
                closed += 1
                last = time.monotonic() - start
                poller.unregister(fd)
    for s in socks:
        s.close()
    note = srv.stop()
    when = f", the last at {last:.2f} s" if last is not None else ""
    print(f"tcp {n} idle conns, {how}: {n - closed}/{n} still open at {at:.1f} s; "
          f"{closed} closed{when}{note}", flush=True)


ATTACKS = {"pipeline": pipeline, "slowloris": slowloris, "fdlimit": fdlimit,
           "tcp_idle": tcp_idle}


def main(argv):
    if len(argv) < 2 or any(a not in ATTACKS for a in argv[2:]):
        print("usage: " + __doc__.split("usage: ")[1].strip(), file=sys.stderr)
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    status = 0
    with tempfile.TemporaryDirectory(prefix="incbench-hostile-") as work:
        for name in argv[2:] or list(ATTACKS):
            try:
                ATTACKS[name](argv[1], work)
            except (OSError, RuntimeError) as e:
                print(f"{name}: not measured: {e}", flush=True)
                status = 1
            finally:
                for srv in Server.started:
                    srv.stop()
                Server.started.clear()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
