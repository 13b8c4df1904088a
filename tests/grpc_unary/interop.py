"""interop.py — Python grpcio on the other end of our gRPC plugins.

Stubs (increment_pb2, increment_pb2_grpc) are generated at test time by
interop.sh with protoc and grpc_python_plugin and found on PYTHONPATH.

  interop.py unary-client ADDR [gzip] [--payload N]
                                        call our Increment server, check all
  interop.py stream-client ADDR [--payload N]
                                        call our IncrementStream server
  interop.py server [--sleep S] [--reorder N] [--abort CODE] [--flip] [--trim]
                                        a grpcio Incrementer that echoes the
                                        payload; prints "READY host:port",
                                        serves until killed; --abort ends
                                        every call with status CODE (e.g.
                                        OUT_OF_RANGE) and details "grpcio
                                        aborts as told"; --flip changes the
                                        echoed payload's middle byte, --trim
                                        drops its last byte
  --payload N: every request carries N bytes, whose echo is checked
  --tls DIR: TLS with the files of tests/common/tls_certs.sh in DIR: a
      client trusts DIR/ca.pem (grpc.ssl_channel_credentials), a server
      presents DIR/leaf.pem (grpc.ssl_server_credentials); with --mtls as
      well, the client presents DIR/leaf.pem and the server requires a
      client certificate of DIR/ca.pem

Exits 0 when every check holds; otherwise prints what failed and exits 1.
"""
import queue
import signal
import sys
import threading
import time
from concurrent import futures

import grpc
import increment_pb2 as pb
import increment_pb2_grpc as pbg

INT64_MAX = 2**63 - 1
INCREMENT = "/incbench.Incrementer/Increment"
ABORT_DETAILS = "grpcio aborts as told"
FLUSH_S = 0.05


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def expect_code(fn, code, what):
    try:
        fn()
    except grpc.RpcError as e:
        if e.code() != code:
            fail("%s: expected %s, got %s (%s)" % (what, code, e.code(), e.details()))
        return
    fail("%s: expected %s, the call succeeded" % (what, code))


def payload_bytes(n):
    """n bytes, not all alike, so that a byte out of place shows."""
    return bytes((i * 7 + 3) & 0x7F for i in range(n))


def check_echo(what, sent, got):
    if got != sent:
        at = next((i for i in range(min(len(sent), len(got))) if sent[i] != got[i]),
                  min(len(sent), len(got)))
        fail("%s: payload of %d bytes echoed as %d bytes, first difference at %d"
             % (what, len(sent), len(got), at))


TLS_DIR = None   # --tls DIR
MTLS = False     # --mtls


def read(name):
    with open("%s/%s" % (TLS_DIR, name), "rb") as f:
        return f.read()


def channel(addr, payload):
    # grpcio's own 4 MiB receive limit, raised when the payload needs it
    n = max(8 << 20, 2 * payload)
    options = [("grpc.max_receive_message_length", n), ("grpc.max_send_message_length", n)]
    if TLS_DIR is None:
        return grpc.insecure_channel(addr, options=options)
    if MTLS:
        creds = grpc.ssl_channel_credentials(root_certificates=read("ca.pem"),
                                             private_key=read("leaf.key"),
                                             certificate_chain=read("leaf.pem"))
    else:
        creds = grpc.ssl_channel_credentials(root_certificates=read("ca.pem"))
    return grpc.secure_channel(addr, creds, options=options)


def unary_client(addr, compression=None, payload=0):
    opts = {"compression": grpc.Compression.Gzip} if compression == "gzip" else {}
    body = payload_bytes(payload)
    with channel(addr, payload) as ch:
        stub = pbg.IncrementerStub(ch)
        v = 0
        for i in range(1000 if payload < (64 << 10) else 50):
            r = stub.Increment(pb.IncrementRequest(value=v, id=i, payload=body), timeout=5,
                               **opts)
            if r.value != v + 1 or r.id != i:
                fail("call %d: sent (%d, id %d), got (%d, id %d)" % (i, v, i, r.value, r.id))
            check_echo("call %d" % i, body, r.payload)
            v = r.value
        for v in (-1, -(2**63), INT64_MAX - 1):
            r = stub.Increment(pb.IncrementRequest(value=v), timeout=5)
            if r.value != v + 1:
                fail("%d answered %d" % (v, r.value))
        expect_code(lambda: stub.Increment(pb.IncrementRequest(value=INT64_MAX), timeout=5),
                    grpc.StatusCode.OUT_OF_RANGE, "INT64_MAX")
        raw = ch.unary_unary(INCREMENT)  # no serializers: bytes as they are
        for junk in (b"\x08", b"\xff\xff\xff\xff", b"\x0a\x05ab"):
            expect_code(lambda: raw(junk, timeout=5), grpc.StatusCode.INVALID_ARGUMENT,
                        "malformed %r" % junk)
        r = stub.Increment(pb.IncrementRequest(value=41), timeout=5)
        if r.value != 42:
            fail("after malformed requests: 41 answered %d" % r.value)
        unknown = ch.unary_unary("/incbench.Incrementer/Nope")
        expect_code(lambda: unknown(b"", timeout=5), grpc.StatusCode.UNIMPLEMENTED,
                    "unknown method")
    print("OK", flush=True)


class Requests:
    """Request iterator for a bidi call whose next request depends on the
    previous answer: the test thread puts, gRPC's sending thread takes."""

    def __init__(self):
        self.cv = threading.Condition()
        self.items = []
        self.closed = False

    def put(self, req):
        with self.cv:
            self.items.append(req)
            self.cv.notify()

    def close(self):
        with self.cv:
            self.closed = True
            self.cv.notify()

    def __iter__(self):
        return self

    def __next__(self):
        with self.cv:
            while not self.items and not self.closed:
                self.cv.wait(5)
            if self.items:
                return self.items.pop(0)
            raise StopIteration


def stream_client(addr, payload=0):
    body = payload_bytes(payload)
    with channel(addr, payload) as ch:
        stub = pbg.IncrementerStub(ch)
        # Ping-pong: each request sent only after the previous answer.
        reqs = Requests()
        answers = stub.IncrementStream(reqs, timeout=30)
        v = 0
        for i in range(500 if payload < (64 << 10) else 50):
            reqs.put(pb.IncrementRequest(value=v, id=i, payload=body))
            r = next(answers)
            if r.value != v + 1 or r.id != i:
                fail("ping-pong %d: sent (%d, id %d), got (%d, id %d)" % (i, v, i, r.value, r.id))
            check_echo("ping-pong %d" % i, body, r.payload)
            v = r.value
        reqs.close()
        if list(answers):
            fail("answers after the client half-closed")
        if answers.code() != grpc.StatusCode.OK:
            fail("stream ended with %s" % answers.code())
        # Pipelined: everything at once, matched by id.
        sent = {i: i * 7 - 300 for i in range(1000 if payload < (64 << 10) else 32)}
        got = {}
        for r in stub.IncrementStream(iter([pb.IncrementRequest(value=v, id=i, payload=body)
                                            for i, v in sent.items()]), timeout=30):
            if r.id not in sent or r.id in got:
                fail("unknown or duplicate id %d" % r.id)
            check_echo("pipelined id %d" % r.id, body, r.payload)
            got[r.id] = r.value
        bad = [i for i in sent if got.get(i) != sent[i] + 1]
        if bad:
            fail("%d wrong or missing answers, first id %d" % (len(bad), bad[0]))
        # Overflow ends the stream with OUT_OF_RANGE.
        def overflow():
            for _ in stub.IncrementStream(iter([pb.IncrementRequest(value=1, id=1),
                                                pb.IncrementRequest(value=INT64_MAX, id=2)]),
                                          timeout=10):
                pass
        expect_code(overflow, grpc.StatusCode.OUT_OF_RANGE, "stream at INT64_MAX")
    print("OK", flush=True)


class Servicer(pbg.IncrementerServicer):
    def __init__(self, sleep, reorder, abort, flip, trim):
        self.sleep = sleep
        self.reorder = reorder
        self.abort = abort
        self.flip = flip
        self.trim = trim

    def echo(self, payload):
        """The payload to answer with: the request's, unless told to spoil it."""
        if self.flip and payload:
            b = bytearray(payload)
            b[len(b) // 2] ^= 1
            return bytes(b)
        if self.trim and payload:
            return payload[:-1]
        return payload

    def Increment(self, request, context):
        if self.abort:
            context.abort(self.abort, ABORT_DETAILS)
        if self.sleep:
            time.sleep(self.sleep)
        if request.value == INT64_MAX:
            context.abort(grpc.StatusCode.OUT_OF_RANGE, "value + 1 overflows int64")
        return pb.IncrementReply(value=request.value + 1, id=request.id,
                                 payload=self.echo(request.payload))

    def IncrementStream(self, request_iterator, context):
        # A reader thread feeds a queue so that a group that stays short
        # (the runner's single cold call, the tail of a run) is answered,
        # reversed, once no request has come for FLUSH_S, instead of
        # waiting for requests that will never come.
        q = queue.Queue()

        def reader():
            try:
                for req in request_iterator:
                    q.put(req)
            finally:
                q.put(None)

        threading.Thread(target=reader, daemon=True).start()
        group = []
        while True:
            try:
                req = q.get(timeout=FLUSH_S if group else 60)
            except queue.Empty:
                yield from reversed(group)
                group = []
                continue
            if req is None:
                break
            if self.abort:
                context.abort(self.abort, ABORT_DETAILS)
            if self.sleep:
                time.sleep(self.sleep)
            if req.value == INT64_MAX:
                context.abort(grpc.StatusCode.OUT_OF_RANGE, "value + 1 overflows int64")
            group.append(pb.IncrementReply(value=req.value + 1, id=req.id,
                                           payload=self.echo(req.payload)))
            if len(group) >= self.reorder:
                yield from reversed(group)
                group = []
        yield from reversed(group)


def server(args):
    sleep = float(args[args.index("--sleep") + 1]) if "--sleep" in args else 0.0
    reorder = int(args[args.index("--reorder") + 1]) if "--reorder" in args else 1
    abort = grpc.StatusCode[args[args.index("--abort") + 1]] if "--abort" in args else None
    n = 80 << 20  # any payload the runner takes (64 MiB), besides the value
    srv = grpc.server(futures.ThreadPoolExecutor(max_workers=8),
                      options=[("grpc.max_receive_message_length", n),
                               ("grpc.max_send_message_length", n)])
    pbg.add_IncrementerServicer_to_server(
        Servicer(sleep, reorder, abort, "--flip" in args, "--trim" in args), srv)
    if TLS_DIR is None:
        port = srv.add_insecure_port("127.0.0.1:0")
    else:
        creds = grpc.ssl_server_credentials([(read("leaf.key"), read("leaf.pem"))],
                                            root_certificates=read("ca.pem") if MTLS else None,
                                            require_client_auth=MTLS)
        port = srv.add_secure_port("127.0.0.1:0", creds)
    srv.start()
    print("READY 127.0.0.1:%d" % port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait(600)  # the test kills us long before this
    srv.stop(0)


def main(argv):
    global TLS_DIR, MTLS
    if "--tls" in argv:
        at = argv.index("--tls")
        TLS_DIR = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
    if "--mtls" in argv:
        MTLS = True
        argv = [a for a in argv if a != "--mtls"]
    payload = 0
    if "--payload" in argv:
        at = argv.index("--payload")
        payload = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    if len(argv) >= 3 and argv[1] == "unary-client":
        unary_client(argv[2], argv[3] if len(argv) > 3 else None, payload)
    elif len(argv) >= 3 and argv[1] == "stream-client":
        stream_client(argv[2], payload)
    elif len(argv) >= 2 and argv[1] == "server":
        server(argv[2:])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
