#!/usr/bin/env python3
"""A layerfd client in the Python 3.9+ standard library only, written apart from the Java code: the consumer the
conformance tests (and the containerized consumer) run. It needs its two siblings fdpass.py (jsonrpc-fdpass
framing: README sections 2-5) and rpc.py, and nothing else.

    layerfd_client.py --socket P image IMAGE                GetImage, then GetSplitFDStream and GetLayerSplitfdstream
                                                            per layer: each reassembled tar's sha256 must equal the
                                                            config's diff_id; "PASS name: detail" / "FAIL name: why"
                                                            lines and "N passed, N failed"; exit 1 on any failure

    layerfd_client.py --socket P call METHOD [PARAMS_JSON]   one call; prints {"response", "fds", "fd_info"}
    layerfd_client.py --socket P reassemble LAYER           GetSplitFDStream; prints sha256/length of the rebuilt tar
    layerfd_client.py --socket P windowed LAYER --window W  OpenLayerStream + ReadLayerFiles; the same, plus the
                                                            most fds this process ever had open
    layerfd_client.py --socket P first-message              connects and prints the first message the server sends
    layerfd_client.py --socket P abandon LAYER --read N     asks for a layer stream, reads N bytes, then closes

Every command but image prints one JSON document on stdout.
"""

import argparse
import fcntl
import hashlib
import json
import os
import socket
import struct
import sys

import fdpass
import image_check

F_GET_SEALS = 1034
F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE = 0x1, 0x2, 0x4, 0x8
PREFIX = struct.Struct("<q")
COPY_BYTES = 1 << 20


class RpcError(Exception):
    def __init__(self, error):
        super().__init__("code %s: %s" % (error.get("code"), error.get("message")))
        self.error = error


class Client:
    """Sequential calls over fdpass.Receiver (README section 5 framing, fd FIFO, batched fds)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.receiver = fdpass.Receiver(self.sock)
        self.next_id = 1

    @property
    def max_recvmsg_fds(self):
        return self.receiver.max_recvmsg_fds

    def close(self):
        self.receiver.close()
        self.sock.close()

    def receive(self):
        """The next message and its fds."""
        received = self.receiver.receive()
        if received is None:
            raise EOFError("server closed the connection")
        return received

    def send(self, method, params=None, request_id=None):
        if request_id is None:
            request_id = self.next_id
            self.next_id += 1
        message = {"jsonrpc": "2.0", "method": method, "id": request_id}
        if params is not None:
            message["params"] = params
        self.sock.sendall(json.dumps(message).encode("utf-8"))
        return request_id

    def call(self, method, params=None):
        request_id = self.send(method, params)
        message, fds = self.receive()
        if message.get("id") != request_id:
            for fd in fds:
                os.close(fd)
            raise fdpass.ProtocolError("answer", "response id %r for request %r" % (message.get("id"), request_id))
        if "error" in message:
            for fd in fds:
                os.close(fd)
            raise RpcError(message["error"])
        return message["result"], fds


def fd_info(fd):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    try:
        seals = fcntl.fcntl(fd, F_GET_SEALS)
    except OSError:
        seals = None
    try:
        os.write(fd, b"x")
        writable = True
    except OSError:
        writable = False
    return {"target": os.readlink("/proc/self/fd/%d" % fd), "accmode": flags & os.O_ACCMODE,
            "offset": os.lseek(fd, 0, os.SEEK_CUR), "size": os.fstat(fd).st_size, "seals": seals,
            "writable": writable}


def copy_file(fd, sink):
    """All of fd from offset 0 with pread: a received fd shares its offset with the server (brief section 1.1)."""
    offset = 0
    while True:
        data = os.pread(fd, COPY_BYTES, offset)
        if not data:
            return offset
        sink.update(data)
        offset += len(data)


class StreamReader:
    """Reads splitfdstream chunks from a memfd with pread; calls back for inline bytes and external indices."""

    def __init__(self, fd):
        self.fd = fd
        self.offset = 0

    def chunks(self):
        while True:
            raw = os.pread(self.fd, PREFIX.size, self.offset)
            if not raw:
                return
            if len(raw) != PREFIX.size:
                raise fdpass.ProtocolError("stream", "partial prefix at %d" % self.offset)
            (prefix,) = PREFIX.unpack(raw)
            self.offset += PREFIX.size
            if prefix < 0:
                length = -prefix
                data = os.pread(self.fd, length, self.offset)
                if len(data) != length:
                    raise fdpass.ProtocolError("stream", "truncated inline chunk at %d" % self.offset)
                self.offset += length
                yield ("inline", data)
            else:
                yield ("external", prefix)


def open_fd_count():
    return len(os.listdir("/proc/self/fd"))


def reassemble(client, layer):
    result, fds = client.call("GetSplitFDStream", {"layerId": layer})
    stream, content = fds[0], fds[1:]
    sha = hashlib.sha256()
    length = 0
    for kind, value in StreamReader(stream).chunks():
        if kind == "inline":
            sha.update(value)
            length += len(value)
        else:
            length += copy_file(content[value], sha)
    info = {"stream": fd_info(stream), "content": [fd_info(fd) for fd in content[:3]],
            "content_writable": any(fd_info(fd)["writable"] for fd in content),
            "content_accmodes": sorted({fd_info(fd)["accmode"] for fd in content}),
            "content_offsets": sorted({os.lseek(fd, 0, os.SEEK_CUR) for fd in content})}
    for fd in fds:
        os.close(fd)
    return {"result": result, "fds": len(fds), "sha256": "sha256:" + sha.hexdigest(), "length": length,
            "max_recvmsg_fds": client.max_recvmsg_fds, "fd_info": info}


def windowed(client, layer, window):
    baseline = open_fd_count()
    peak = baseline
    opened, stream_fds = client.call("OpenLayerStream", {"layer": layer, "maxFds": window})
    stream = stream_fds[0]
    token, files = opened["stream"], opened["files"]
    sha = hashlib.sha256()
    length = 0
    batch, batch_start, windows = [], 0, 0
    for kind, value in StreamReader(stream).chunks():
        if kind == "inline":
            sha.update(value)
            length += len(value)
            continue
        if not batch_start <= value < batch_start + len(batch):
            # The stream names files 0, 1, 2, ... in order: the next window starts where this index is.
            for fd in batch:
                os.close(fd)
            count = min(window, files - value)
            reply, batch = client.call("ReadLayerFiles", {"stream": token, "start": value, "count": count})
            if reply != {"stream": token, "start": value, "count": count} or len(batch) != count:
                raise fdpass.ProtocolError("stream", "unexpected window %r with %d fds" % (reply, len(batch)))
            batch_start = value
            windows += 1
            peak = max(peak, open_fd_count())
        length += copy_file(batch[value - batch_start], sha)
    for fd in batch:
        os.close(fd)
    closed, _ = client.call("CloseLayerStream", {"stream": token})
    os.close(stream)
    return {"open": opened, "closed": closed, "windows": windows, "sha256": "sha256:" + sha.hexdigest(),
            "length": length, "peak_open_fds": peak, "baseline_open_fds": baseline}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    sub = parser.add_subparsers(dest="command", required=True)
    call = sub.add_parser("call")
    call.add_argument("method")
    call.add_argument("params", nargs="?")
    sub.add_parser("reassemble").add_argument("layer")
    win = sub.add_parser("windowed")
    win.add_argument("layer")
    win.add_argument("--window", type=int, required=True)
    sub.add_parser("first-message")
    abandon = sub.add_parser("abandon")
    abandon.add_argument("layer")
    abandon.add_argument("--read", type=int, default=0)
    sub.add_parser("image").add_argument("image")
    args = parser.parse_args()
    if args.command == "image":
        sys.exit(image_check.main(args.socket, args.image))

    client = Client(args.socket)
    try:
        if args.command == "call":
            params = json.loads(args.params) if args.params else None
            client.send(args.method, params)
            message, fds = client.receive()
            out = {"response": message, "fds": len(fds), "fd_info": [fd_info(fd) for fd in fds[:3]]}
            for fd in fds:
                os.close(fd)
        elif args.command == "reassemble":
            out = reassemble(client, args.layer)
        elif args.command == "windowed":
            out = windowed(client, args.layer, args.window)
        elif args.command == "first-message":
            message, fds = client.receive()
            out = {"response": message, "fds": len(fds)}
            out["closed_after"] = not client.receiver.read_once()
        else:
            client.send("GetSplitFDStream", {"layerId": args.layer})
            if args.read:
                client.sock.recv(args.read)
            out = {"abandoned": True}
    except RpcError as e:
        out = {"error": e.error}
    finally:
        client.close()
    json.dump(out, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
