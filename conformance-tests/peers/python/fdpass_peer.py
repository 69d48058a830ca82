#!/usr/bin/env python3
"""An independent jsonrpc-fdpass peer (Python 3.9+ standard library only) for layerfd's interop tests.

It implements the upstream spec (bootc-dev/jsonrpc-fdpass README sections 2-5) on its own, sharing no code with the
Java side: framing by JSON value with json.JSONDecoder.raw_decode, a byte buffer plus a FIFO of fds, messages parked
until their fds arrive, and a sender that attaches the first fd batch to byte 0 of the message and sends every
further batch with exactly one 0x20 byte, halving the batch on EINVAL.

    fdpass_peer.py server --socket PATH      serve the test methods on a new socket file until the peer leaves
    fdpass_peer.py client --socket PATH      run the client checks against a server, print "ok <check>" per check

Test methods (as in the Java TestMethods, without "big"): echo, add, sum, has_params, read_fds, create_fds, sleep,
null.
"""

import argparse
import errno
import json
import os
import socket
import sys
import threading

JSON_WHITESPACE = b" \t\n\r"
# Same receive control space as the Rust and Go peers (MAX_FDS_PER_RECVMSG / MaxFDsPerRecvmsg).
MAX_FDS_PER_RECVMSG = 512
# Same default batch as the Rust and Go peers; Linux accepts 253 (SCM_MAX_FD), so EINVAL halving happens for real.
DEFAULT_MAX_FDS_PER_SENDMSG = 500
READ_BYTES = 65536
METHOD_NOT_FOUND = -32601


class ProtocolError(Exception):
    """A fatal jsonrpc-fdpass error: the connection must be closed."""


class Receiver:
    """Spec section 5: byte buffer + fd FIFO; one JSON object at a time from the front of the buffer."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""
        self.fds = []
        self.decoder = json.JSONDecoder()

    def close(self):
        for fd in self.fds:
            os.close(fd)
        self.fds = []

    def _parse_front(self):
        """The first complete object of the buffer and its byte length, or None if more bytes are needed."""
        self.buffer = self.buffer.lstrip(JSON_WHITESPACE)
        if not self.buffer:
            return None
        if self.buffer[:1] != b"{":
            raise ProtocolError("top-level value must be an object, got %r" % self.buffer[:1])
        try:
            text = self.buffer.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.reason != "unexpected end of data":
                raise ProtocolError("invalid UTF-8") from e
            text = self.buffer[: e.start].decode("utf-8")
        try:
            value, end = self.decoder.raw_decode(text)
        except json.JSONDecodeError:
            return None  # incomplete (a broken peer is caught at end of stream)
        return value, len(text[:end].encode("utf-8"))

    def receive(self):
        """(message, fds) or None when the peer closed the connection between messages."""
        parked = None
        while True:
            if parked is None:
                parsed = self._parse_front()
                if parsed is not None:
                    message, length = parsed
                    self.buffer = self.buffer[length:]
                    count = message.get("fds", 0)
                    if type(count) is not int or count < 0:
                        raise ProtocolError("bad fds value %r" % (count,))
                    parked = (message, count)
            if parked is not None:
                message, count = parked
                if len(self.fds) >= count:
                    fds, self.fds = self.fds[:count], self.fds[count:]
                    return message, fds
                if self.buffer.strip(JSON_WHITESPACE):
                    raise ProtocolError("mismatched count: next message before %d fds arrived" % count)
                self.buffer = b""
            data, fds, flags, _ = socket.recv_fds(self.sock, READ_BYTES, MAX_FDS_PER_RECVMSG, socket.MSG_CMSG_CLOEXEC)
            self.fds.extend(fds)
            if flags & socket.MSG_CTRUNC:
                raise ProtocolError("MSG_CTRUNC: fds were truncated")
            if not data:
                if parked is not None:
                    raise ProtocolError("mismatched count: end of stream with fds missing")
                if self.buffer.strip(JSON_WHITESPACE):
                    raise ProtocolError("end of stream inside a message")
                return None
            self.buffer += data


class Sender:
    """Spec section 4.1: whole message, first batch on byte 0, one 0x20 byte per further batch; thread-safe."""

    def __init__(self, sock, max_fds=DEFAULT_MAX_FDS_PER_SENDMSG):
        self.sock = sock
        self.max_fds = max_fds
        self.lock = threading.Lock()

    def send(self, message, fds=()):
        """Sends and closes the fds."""
        message = dict(message)
        message.pop("fds", None)
        if fds:
            message["fds"] = len(fds)
        data = json.dumps(message, separators=(",", ":")).encode("utf-8")
        try:
            with self.lock:
                self._write(data, list(fds))
        finally:
            for fd in fds:
                os.close(fd)

    def _write(self, data, fds):
        offset = 0
        sent_fds = 0
        while offset < len(data) or sent_fds < len(fds):
            batch = fds[sent_fds : sent_fds + self.max_fds]
            payload = data[offset:] if offset < len(data) else b" "
            try:
                written = socket.send_fds(self.sock, [payload], batch) if batch else self.sock.send(payload)
            except OSError as e:
                if e.errno == errno.EINVAL and len(batch) > 1:
                    self.max_fds = len(batch) // 2
                    continue
                raise
            sent_fds += len(batch)
            if offset < len(data):
                offset += written


def file_content(fd):
    return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8")


def memfd_with(text):
    fd = os.memfd_create("python-peer", os.MFD_CLOEXEC)
    os.write(fd, text.encode("utf-8"))
    return fd


def call_method(method, params, fds):
    """(result, fds) for a test method, or raises KeyError for an unknown one. Closes the request fds."""
    try:
        if method == "echo":
            return params, []
        if method == "add":
            return params[0] + params[1], []
        if method == "sum":
            return sum(params), []
        if method == "has_params":
            return params is not None, []
        if method == "read_fds":
            return [file_content(fd) for fd in fds], []
        if method == "create_fds":
            prefix = params.get("prefix", "created")
            return params["count"], [memfd_with("%s-%d" % (prefix, i)) for i in range(params["count"])]
        if method == "sleep":
            threading.Event().wait(params["ms"] / 1000.0)
            return params["tag"], []
        if method == "null":
            return None, []
        raise KeyError(method)
    finally:
        for fd in fds:
            os.close(fd)


def serve(sock):
    receiver, sender = Receiver(sock), Sender(sock)
    workers = []

    def answer(message, fds):
        try:
            result, reply_fds = call_method(message["method"], message.get("params"), fds)
            sender.send({"jsonrpc": "2.0", "result": result, "id": message["id"]}, reply_fds)
        except KeyError:
            error = {"code": METHOD_NOT_FOUND, "message": "Method not found: " + message["method"]}
            sender.send({"jsonrpc": "2.0", "error": error, "id": message["id"]})

    try:
        while True:
            received = receiver.receive()
            if received is None:
                break
            message, fds = received
            if "method" in message and "id" in message:
                worker = threading.Thread(target=answer, args=(message, fds))
                worker.start()
                workers.append(worker)
            else:
                for fd in fds:  # notifications and stray responses: nothing to answer
                    os.close(fd)
        for worker in workers:
            worker.join()
    finally:
        receiver.close()


def run_server(path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    print("ready", flush=True)
    conn, _ = listener.accept()
    listener.close()
    with conn:
        serve(conn)


class Client:
    """Pipelining client: a reader thread matches responses to calls by id."""

    def __init__(self, sock):
        self.receiver, self.sender = Receiver(sock), Sender(sock)
        self.responses = {}
        self.arrival_order = []
        self.cond = threading.Condition()
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            received = self.receiver.receive()
            if received is None:
                return
            message, fds = received
            with self.cond:
                self.responses[json.dumps(message["id"])] = (message, fds)
                self.arrival_order.append(message["id"])
                self.cond.notify_all()

    def send(self, method, params=None, fds=(), request_id=None):
        if request_id is None:
            with self.cond:
                request_id, self.next_id = self.next_id, self.next_id + 1
        message = {"jsonrpc": "2.0", "method": method, "id": request_id}
        if params is not None:
            message["params"] = params
        self.sender.send(message, fds)
        return request_id

    def wait(self, request_id):
        key = json.dumps(request_id)
        with self.cond:
            if not self.cond.wait_for(lambda: key in self.responses, timeout=30):
                raise AssertionError("no response to %s" % key)
            return self.responses.pop(key)

    def call(self, method, params=None, fds=()):
        return self.wait(self.send(method, params, fds))


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError("%s failed %s" % (name, detail))
    print("ok " + name, flush=True)


def run_client(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    client = Client(sock)

    nested = {"list": [1, "two", None, True, {"x": 1.5}], "s": "<&>"}
    message, _ = client.call("echo", nested)
    check("echo", message.get("result") == nested, message)

    message, _ = client.call("add", [1, 2])
    check("add", message.get("result") == 3, message)

    message, _ = client.call("null")
    check("null-result", "result" in message and message["result"] is None, message)

    exact = 9007199254740993
    client.send("add", [0, 0], request_id=exact)
    message, _ = client.wait(exact)
    check("exact-id", message["id"] == exact and type(message["id"]) is int, message)

    client.send("add", [0, 1], request_id="request-uuid-123")
    message, _ = client.wait("request-uuid-123")
    check("string-id", message["id"] == "request-uuid-123" and message["result"] == 1, message)

    message, _ = client.call("no_such_method")
    check("unknown-method", message.get("error", {}).get("code") == METHOD_NOT_FOUND, message)

    fds = [memfd_with("py-%d" % i) for i in range(300)]
    message, _ = client.call("read_fds", None, fds)
    check("send-300-fds", message.get("result") == ["py-%d" % i for i in range(300)], message.get("error"))
    # 300 fds at batch 500: the kernel refuses 300 (EINVAL), 150 + 150 go through.
    check("einval-halved", client.sender.max_fds == 150, client.sender.max_fds)

    message, reply_fds = client.call("create_fds", {"count": 300, "prefix": "java"})
    contents = [file_content(fd) for fd in reply_fds]
    for fd in reply_fds:
        os.close(fd)
    check("receive-300-fds", contents == ["java-%d" % i for i in range(300)], contents[:3])

    ids = []
    for i in range(200):
        if i % 10 == 0:
            ids.append(client.send("read_fds", None, [memfd_with("pipelined-%d" % i)]))
        else:
            ids.append(client.send("sleep", {"ms": 300 if i == 5 else 0, "tag": i}))
    wrong = []
    for i, request_id in enumerate(ids):
        message, _ = client.wait(request_id)
        expected = ["pipelined-%d" % i] if i % 10 == 0 else i
        if message.get("result") != expected:
            wrong.append(message)
    order = client.arrival_order
    check("pipeline-200", not wrong, wrong[:3])
    check("pipeline-out-of-order", order.index(ids[5]) > order.index(ids[6]), order[:10])

    sock.shutdown(socket.SHUT_WR)
    client.reader.join(timeout=30)
    check("clean-end", not client.reader.is_alive())
    client.receiver.close()
    sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["server", "client"])
    parser.add_argument("--socket", required=True)
    args = parser.parse_args()
    try:
        if args.mode == "server":
            run_server(args.socket)
        else:
            run_client(args.socket)
    except (ProtocolError, AssertionError) as e:
        print("FAIL %s" % e, flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
