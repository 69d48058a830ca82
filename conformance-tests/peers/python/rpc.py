"""JSON-RPC 2.0 over fdpass.py for the Python peers: a pipelining client and a threaded server loop."""

import json
import os
import signal
import socket
import sys
import threading

import fdpass

ANSWER_TIMEOUT_SECONDS = 60
INTERNAL_ERROR = -32603
LISTEN_BACKLOG = 64


class RpcError(Exception):
    """A method's error answer (JSON-RPC 2.0 section 5.1)."""

    def __init__(self, code, message):
        super().__init__("code %d: %s" % (code, message))
        self.code = code
        self.message = message


class Client:
    """Calls may be pipelined: a reader thread files each response by id, and callers wait for theirs."""

    def __init__(self, sock, max_fds=fdpass.DEFAULT_MAX_FDS_PER_SENDMSG):
        self.sock = sock
        self.receiver, self.sender = fdpass.Receiver(sock), fdpass.Sender(sock, max_fds)
        self.responses = {}
        self.arrival_order = []
        self.failure = None
        self.finished = False
        self.cond = threading.Condition()
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @classmethod
    def connect(cls, path, max_fds=fdpass.DEFAULT_MAX_FDS_PER_SENDMSG):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        return cls(sock, max_fds)

    def _read(self):
        try:
            for message, fds in self.receiver.messages():
                with self.cond:
                    self.responses[json.dumps(message.get("id"))] = (message, fds)
                    self.arrival_order.append(message.get("id"))
                    self.cond.notify_all()
        except (fdpass.ProtocolError, OSError) as e:
            self.failure = e
        with self.cond:
            self.finished = True
            self.cond.notify_all()

    def send(self, method, params=None, fds=(), request_id=None, notify=False, pretty=False):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            if request_id is None:
                with self.cond:
                    request_id, self.next_id = self.next_id, self.next_id + 1
            message["id"] = request_id
        self.sender.send(message, fds, pretty)
        return request_id

    def wait(self, request_id):
        """(message, fds) answering request_id; the caller owns the fds."""
        key = json.dumps(request_id)
        with self.cond:
            arrived = self.cond.wait_for(lambda: key in self.responses or self.finished, ANSWER_TIMEOUT_SECONDS)
            if key in self.responses:
                return self.responses.pop(key)
        raise AssertionError("no answer to id %s: %s" % (key, self.failure or ("timeout" if not arrived else "closed")))

    def call(self, method, params=None, fds=()):
        return self.wait(self.send(method, params, fds))

    def result(self, method, params=None, fds=()):
        """The result and fds of a call, or RpcError with the answer's code and message."""
        message, reply_fds = self.call(method, params, fds)
        if "error" in message:
            close_all(reply_fds)
            raise RpcError(message["error"].get("code"), message["error"].get("message"))
        return message.get("result"), reply_fds

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.reader.join(ANSWER_TIMEOUT_SECONDS)
        self.receiver.close()
        with self.cond:
            for _, fds in self.responses.values():
                close_all(fds)
            self.responses.clear()
        self.sock.close()


def close_all(fds):
    for fd in fds:
        os.close(fd)


def _answer(sender, dispatch, message, fds):
    try:
        result, reply_fds = dispatch(message["method"], message.get("params"), fds)
        sender.send({"jsonrpc": "2.0", "result": result, "id": message["id"]}, reply_fds)
    except RpcError as e:
        sender.send({"jsonrpc": "2.0", "error": {"code": e.code, "message": e.message}, "id": message["id"]})
    except Exception as e:  # a bug in a method answers -32603 instead of killing the connection
        error = {"code": INTERNAL_ERROR, "message": "Internal error in %s: %r" % (message["method"], e)}
        sender.send({"jsonrpc": "2.0", "error": error, "id": message["id"]})
    finally:
        close_all(fds)


def serve_connection(sock, dispatch, on_notification=None):
    """Answers requests concurrently (one thread each) until the peer leaves; dispatch owns no fds it is given."""
    receiver, sender = fdpass.Receiver(sock), fdpass.Sender(sock)
    workers = []
    try:
        for message, fds in receiver.messages():
            try:
                kind = fdpass.rpc_kind(message)
            except fdpass.InvalidMessage as e:
                close_all(fds)
                error = {"code": fdpass.INVALID_REQUEST, "message": "Invalid request: %s" % e}
                sender.send({"jsonrpc": "2.0", "error": error, "id": e.reply_id})
                continue
            if kind == "request":
                worker = threading.Thread(target=_answer, args=(sender, dispatch, message, fds))
                worker.start()
                workers.append(worker)
            else:
                close_all(fds)
                if kind == "notification" and on_notification is not None:
                    on_notification(message["method"])
    except fdpass.ProtocolError as e:
        print("connection closed: %s" % e, file=sys.stderr, flush=True)
    finally:
        for worker in workers:
            worker.join()
        receiver.close()


def _stop(signum, frame):
    raise SystemExit(0)


def serve_forever(path, dispatch):
    """Listens on a new socket file (a stale one is removed) and serves every connection on its own thread until
    SIGTERM, SIGINT or a "shutdown" notification; then removes the socket file and exits 0."""
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(LISTEN_BACKLOG)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    def on_notification(method):
        if method == "shutdown":
            os.kill(os.getpid(), signal.SIGTERM)

    print("ready", flush=True)
    try:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=_serve_and_close, args=(conn, dispatch, on_notification), daemon=True).start()
    finally:
        listener.close()
        os.unlink(path)


def _serve_and_close(conn, dispatch, on_notification):
    with conn:
        serve_connection(conn, dispatch, on_notification)
