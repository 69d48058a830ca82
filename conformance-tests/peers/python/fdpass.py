"""jsonrpc-fdpass framing in the Python 3.9+ standard library, shared by the Python peers of layerfd's conformance suite.

Written from the upstream spec (bootc-dev/jsonrpc-fdpass README sections 2-7), sharing no code with the Java side:

- Receiver (README section 5): a byte buffer and a FIFO of fds; one JSON object at a time is cut from the front of
  the buffer by a small bracket scanner, then parsed with the json module; a message whose fds have not all arrived
  is parked; a non-whitespace byte or end of stream while parked, MSG_CTRUNC, a syntax error, invalid UTF-8, a
  top-level value that is not an object and an "fds" value that is not a non-negative integer are fatal.
- Sender (README section 4.1): the first fd batch rides on byte 0 of the message, each further batch on exactly one
  0x20 byte; EINVAL halves the batch.
- rpc_kind: the JSON-RPC 2.0 classification both upstream peers use, with layerfd's -32600 rules.
"""

import array
import errno
import json
import os
import socket
import stat
import threading

JSON_WHITESPACE = b" \t\n\r"
# Same receive control space as the Rust and Go peers (MAX_FDS_PER_RECVMSG / MaxFDsPerRecvmsg).
MAX_FDS_PER_RECVMSG = 512
# The upstream default batch; Linux accepts 253 (SCM_MAX_FD), so the EINVAL halving happens for real.
DEFAULT_MAX_FDS_PER_SENDMSG = 500
READ_BYTES = 65536
FD_BYTES = array.array("i").itemsize

INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
FILE_DESCRIPTOR_ERROR = -32050

# Kinds of fatal receive errors; the names are the "fatal" values of conformance-tests/vectors/jsonrpc-fdpass.
FRAMING = "framing"
MISMATCHED_COUNT = "mismatched-count"
CLOSED_MID_MESSAGE = "closed-mid-message"
FDS_TRUNCATED = "fds-truncated"


class ProtocolError(Exception):
    """A fatal jsonrpc-fdpass error (README section 7): the connection must be closed."""

    def __init__(self, kind, detail):
        super().__init__("%s: %s" % (kind, detail))
        self.kind = kind


class InvalidMessage(Exception):
    """A framed object that is no valid JSON-RPC 2.0 message: answered with -32600, the connection stays open."""

    def __init__(self, detail, reply_id=None):
        super().__init__(detail)
        self.reply_id = reply_id


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)


class _ValueScanner:
    """Finds where the JSON object at the front of the buffer ends, remembering its state between reads."""

    def __init__(self):
        self.position = 0
        self.depth = 0
        self.in_string = False
        self.escaped = False

    def end(self, buffer):
        """The length of the complete value, or None when more bytes are needed."""
        i = self.position
        while i < len(buffer):
            byte = buffer[i]
            i += 1
            if self.in_string:
                if self.escaped:
                    self.escaped = False
                elif byte == 0x5C:  # backslash
                    self.escaped = True
                elif byte == 0x22:
                    self.in_string = False
            elif byte == 0x22:
                self.in_string = True
            elif byte in b"{[":
                self.depth += 1
            elif byte in b"}]":
                self.depth -= 1
                if self.depth == 0:
                    self.position = i
                    return i
        self.position = i
        return None


def parse_object(data):
    """One complete JSON text as a dict, or ProtocolError(FRAMING) (README section 2.2: UTF-8, one object)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProtocolError(FRAMING, "invalid UTF-8 at byte %d" % e.start) from e
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except ValueError as e:
        raise ProtocolError(FRAMING, "JSON syntax error: %s" % e) from e
    if not isinstance(value, dict):
        raise ProtocolError(FRAMING, "top-level value must be an object")
    return value


def fd_count(message):
    """README section 3.2: absent means 0; otherwise a non-negative integer (bool and 1.0 are not)."""
    count = message.get("fds", 0)
    if type(count) is not int or count < 0:
        raise ProtocolError(FRAMING, '"fds" must be a non-negative integer, got %s' % json.dumps(count))
    return count


class Receiver:
    """README section 5 over a socket; feed() also takes bytes and fds directly (what one recvmsg returned)."""

    def __init__(self, sock=None):
        self.sock = sock
        self.buffer = b""
        self.fds = []
        self.scanner = _ValueScanner()
        self.parked = None  # (message, count)
        self.max_recvmsg_fds = 0

    def close(self):
        """Closes every queued fd (README section 8), also those that arrived for a parked message."""
        for fd in self.fds:
            os.close(fd)
        self.fds = []

    def feed(self, data, fds):
        queued_before = len(self.fds)
        self.fds.extend(fds)
        if self.parked is not None and queued_before < self.parked[1]:
            # Checked before this read's fds count: they may belong to the next message, riding on its first byte.
            if data.strip(JSON_WHITESPACE) or self.buffer.strip(JSON_WHITESPACE):
                raise ProtocolError(MISMATCHED_COUNT, "next message before all %d fds arrived (had %d)"
                                    % (self.parked[1], queued_before))
            return
        self.buffer += data

    def next(self):
        """(message, fds) when one is complete, else None."""
        if self.parked is None:
            stripped = self.buffer.lstrip(JSON_WHITESPACE)
            if len(stripped) != len(self.buffer):
                self.buffer = stripped
                self.scanner = _ValueScanner()
            if not self.buffer:
                return None
            if self.buffer[:1] != b"{":
                raise ProtocolError(FRAMING, "top-level value must be an object, got a value starting with %r"
                                    % self.buffer[:1])
            end = self.scanner.end(self.buffer)
            if end is None:
                return None
            message = parse_object(self.buffer[:end])
            self.buffer = self.buffer[end:]
            self.scanner = _ValueScanner()
            self.parked = (message, fd_count(message))
        message, count = self.parked
        if len(self.fds) < count:
            return None
        self.parked = None
        taken, self.fds = self.fds[:count], self.fds[count:]
        return message, taken

    def end_of_stream(self):
        """The peer closed: fine between messages, fatal while parked or inside a value."""
        if self.parked is not None:
            raise ProtocolError(MISMATCHED_COUNT, "end of stream with %d of %d fds" % (len(self.fds), self.parked[1]))
        if self.buffer.strip(JSON_WHITESPACE):
            raise ProtocolError(CLOSED_MID_MESSAGE, "end of stream inside a message (%d bytes)" % len(self.buffer))

    def read_once(self):
        """One recvmsg into the buffer and FIFO; False at end of stream."""
        data, fds, flags = recv_fds(self.sock)
        self.max_recvmsg_fds = max(self.max_recvmsg_fds, len(fds))
        if flags & socket.MSG_CTRUNC:
            self.fds.extend(fds)
            raise ProtocolError(FDS_TRUNCATED, "MSG_CTRUNC: the kernel dropped fds")
        self.feed(data, fds)
        return bool(data)

    def receive(self):
        """(message, fds), or None when the peer closed the connection between messages."""
        while True:
            received = self.next()
            if received is not None:
                return received
            if not self.read_once():
                self.end_of_stream()
                return None

    def messages(self):
        """Every (message, fds) until the peer closes between messages; ProtocolError on a fatal error."""
        received = self.receive()
        while received is not None:
            yield received
            received = self.receive()


def recv_fds(sock):
    """One recvmsg with MSG_CMSG_CLOEXEC (socket.recv_fds drops its flags argument): (bytes, fds, msg_flags)."""
    data, ancillary, flags, _ = sock.recvmsg(READ_BYTES, socket.CMSG_SPACE(MAX_FDS_PER_RECVMSG * FD_BYTES),
                                             socket.MSG_CMSG_CLOEXEC)
    fds = array.array("i")
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % FD_BYTES])
    return data, list(fds), flags


class Sender:
    """README section 4.1; thread-safe: a message and all its fd batches go out under one lock."""

    def __init__(self, sock, max_fds=DEFAULT_MAX_FDS_PER_SENDMSG):
        self.sock = sock
        self.max_fds = max_fds
        self.lock = threading.Lock()

    def send(self, message, fds=(), pretty=False):
        """Sends the message with "fds" set from the fds (omitted for none) and closes the fds."""
        message = dict(message)
        message.pop("fds", None)
        if fds:
            message["fds"] = len(fds)
        text = json.dumps(message, indent=2) if pretty else json.dumps(message, separators=(",", ":"))
        try:
            with self.lock:
                self._write(text.encode("utf-8"), list(fds))
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


def _valid_id(message):
    value = message.get("id")
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) or value is None


def rpc_kind(message):
    """"request", "notification" or "response" (brief section 7 order), or InvalidMessage (JSON-RPC 2.0 section 4)."""
    reply_id = message.get("id") if "id" in message and _valid_id(message) else None
    if "method" in message and "id" in message:
        kind = "request"
    elif "result" in message or "error" in message:
        kind = "response"
    elif "method" in message:
        kind = "notification"
    else:
        raise InvalidMessage("neither a request, a notification nor a response", None)
    if kind == "response":
        return kind
    if message.get("jsonrpc") != "2.0":
        raise InvalidMessage('"jsonrpc" must be "2.0", got %s' % json.dumps(message.get("jsonrpc")), reply_id)
    if not isinstance(message["method"], str):
        raise InvalidMessage('"method" must be a string', reply_id)
    if "params" in message and message["params"] is not None and not isinstance(message["params"], (dict, list)):
        raise InvalidMessage('"params" must be an object or an array', reply_id)
    if kind == "request" and not _valid_id(message):
        raise InvalidMessage('"id" must be a string, a number or null', None)
    return kind


def memfd_with(text, name="python-peer"):
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    os.write(fd, text.encode("utf-8") if isinstance(text, str) else text)
    return fd


def read_fd(fd, limit=None):
    """A regular file with pread from offset 0 (the offset is shared with the sender); anything else to EOF."""
    chunks = []
    total = 0
    regular = stat.S_ISREG(os.fstat(fd).st_mode)
    while limit is None or total < limit:
        want = READ_BYTES if limit is None else min(READ_BYTES, limit - total)
        data = os.pread(fd, want, total) if regular else os.read(fd, want)
        if not data:
            break
        chunks.append(data)
        total += len(data)
    return b"".join(chunks)
