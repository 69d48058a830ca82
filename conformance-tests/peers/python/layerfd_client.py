#!/usr/bin/env python3
"""A layerfd client in the Python 3.9+ standard library only, written apart from the Java code, for the server tests.

jsonrpc-fdpass framing (README sections 2-5): JSON objects back to back, found with json.JSONDecoder.raw_decode;
fds received with socket.recv_fds into a FIFO; a message takes its top-level "fds" count from the front of the FIFO,
waiting for later batches (each sent with one 0x20 byte) when they have not arrived yet.

    layerfd_client.py --socket P call METHOD [PARAMS_JSON]   one call; prints {"response", "fds", "fd_info"}
    layerfd_client.py --socket P reassemble LAYER           GetSplitFDStream; prints sha256/length of the rebuilt tar
    layerfd_client.py --socket P windowed LAYER --window W  OpenLayerStream + ReadLayerFiles; the same, plus the
                                                            most fds this process ever had open
    layerfd_client.py --socket P first-message              connects and prints the first message the server sends
    layerfd_client.py --socket P abandon LAYER --read N     asks for a layer stream, reads N bytes, then closes

Every command prints one JSON document on stdout.
"""

import argparse
import fcntl
import hashlib
import json
import os
import socket
import struct
import sys

JSON_WHITESPACE = b" \t\n\r"
READ_BYTES = 65536
# Room for more fds per recvmsg than Linux ever sends in one (SCM_MAX_FD = 253).
MAX_FDS_PER_RECVMSG = 1024
F_GET_SEALS = 1034
F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE = 0x1, 0x2, 0x4, 0x8
PREFIX = struct.Struct("<q")
COPY_BYTES = 1 << 20


class ProtocolError(Exception):
    pass


class RpcError(Exception):
    def __init__(self, error):
        super().__init__("%s %s" % (error.get("code"), error.get("message")))
        self.error = error


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buffer = b""
        self.fifo = []
        self.decoder = json.JSONDecoder()
        self.next_id = 1
        self.max_recvmsg_fds = 0

    def close(self):
        for fd in self.fifo:
            os.close(fd)
        self.fifo = []
        self.sock.close()

    def _read(self):
        data, fds, flags, _ = socket.recv_fds(self.sock, READ_BYTES, MAX_FDS_PER_RECVMSG)
        if flags & socket.MSG_CTRUNC:
            raise ProtocolError("MSG_CTRUNC: fds were lost")
        self.max_recvmsg_fds = max(self.max_recvmsg_fds, len(fds))
        self.fifo.extend(fds)
        if not data:
            raise EOFError("server closed the connection")
        self.buffer += data

    def receive(self):
        """The next message and its fds."""
        while True:
            self.buffer = self.buffer.lstrip(JSON_WHITESPACE)
            if self.buffer:
                if self.buffer[:1] != b"{":
                    raise ProtocolError("expected an object, got %r" % self.buffer[:20])
                try:
                    text = self.buffer.decode("utf-8")
                except UnicodeDecodeError as e:
                    text = self.buffer[:e.start].decode("utf-8")
                try:
                    message, end = self.decoder.raw_decode(text)
                except json.JSONDecodeError:
                    message = None
                if message is not None:
                    self.buffer = self.buffer[len(text[:end].encode("utf-8")):]
                    count = message.get("fds", 0)
                    while len(self.fifo) < count:
                        # README section 5: only whitespace (the 0x20 continuation bytes) may come before all fds.
                        if self.buffer.strip(JSON_WHITESPACE):
                            raise ProtocolError("next message before all %d fds arrived" % count)
                        self._read()
                    fds, self.fifo = self.fifo[:count], self.fifo[count:]
                    return message, fds
            self._read()

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
            raise ProtocolError("response id %r for request %r" % (message.get("id"), request_id))
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
                raise ProtocolError("partial prefix at %d" % self.offset)
            (prefix,) = PREFIX.unpack(raw)
            self.offset += PREFIX.size
            if prefix < 0:
                length = -prefix
                data = os.pread(self.fd, length, self.offset)
                if len(data) != length:
                    raise ProtocolError("truncated inline chunk at %d" % self.offset)
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
                raise ProtocolError("unexpected window %r with %d fds" % (reply, len(batch)))
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
    args = parser.parse_args()

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
            try:
                client._read()
                out["closed_after"] = False
            except EOFError:
                out["closed_after"] = True
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
