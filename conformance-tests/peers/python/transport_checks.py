"""Transport checks against any jsonrpc-fdpass peer with echo, readFile, createPipe, fdCount and echoFds (layerfd's
hidden `layerfd conformance peer`, the Rust and Go reference peers): one connection per check, "PASS name" or
"FAIL name: why" per check, then "N passed, N failed"."""

import fcntl
import json
import os
import time

import fdpass
import rpc

BATCHED_FD_COUNT = 300
PIPELINED_REQUESTS = 100
LARGE_ID = 9007199254740993  # 2^53 + 1: not a float64
FD_COUNT_PREFIX_BYTES = 64
LEAK_SETTLE_SECONDS = 2.0


class CheckFailed(AssertionError):
    pass


def expect(condition, detail):
    if not condition:
        raise CheckFailed(detail)


def numbered(i):
    return "fd-%04d" % i


class Checks:
    def __init__(self, path, max_fds):
        self.path = path
        self.max_fds = max_fds

    def _client(self):
        return rpc.Client.connect(self.path, self.max_fds)

    def _call(self, method, params=None, fds=(), **send):
        client = self._client()
        try:
            return client.wait(client.send(method, params, fds, **send))
        finally:
            client.close()

    def echo_nested_params(self):
        params = {"list": [1, "two", None, True, {"x": 1.5}], "s": "<&> caf\u00e9 \u2028", "n": {"deep": [[]]}}
        message, _ = self._call("echo", params)
        expect(message.get("result") == params, "echo answered %s" % json.dumps(message))

    def echo_string_id(self):
        message, _ = self._call("echo", [1], request_id="python-id-1")
        expect(message.get("id") == "python-id-1", "id came back as %s" % json.dumps(message.get("id")))

    def echo_large_int_id(self):
        message, _ = self._call("echo", [1], request_id=LARGE_ID)
        expect(type(message.get("id")) is int and message["id"] == LARGE_ID,
               "id came back as %s" % json.dumps(message.get("id")))

    def echo_absent_params(self):
        message, _ = self._call("echo")
        expect("result" in message and message["result"] is None, "answer %s" % json.dumps(message))

    def notification_gets_no_response(self):
        client = self._client()
        try:
            client.send("echo", ["notified"], notify=True)
            message, _ = client.call("echo", ["after"])
            expect(client.arrival_order == [message["id"]] and message.get("result") == ["after"],
                   "messages back: %s" % client.arrival_order)
        finally:
            client.close()

    def method_not_found(self):
        message, _ = self._call("noSuchMethod")
        expect(message.get("error", {}).get("code") == fdpass.METHOD_NOT_FOUND and "result" not in message,
               "answer %s" % json.dumps(message))

    def read_file_one_fd(self):
        message, _ = self._call("readFile", None, [fdpass.memfd_with("python readFile text")])
        expect(message.get("result") == "python readFile text", "answer %s" % json.dumps(message))

    def create_pipe(self):
        message, fds = self._call("createPipe")
        try:
            expect(len(fds) == 1, "%d fds back" % len(fds))
            flags = fcntl.fcntl(fds[0], fcntl.F_GETFL)
            expect(flags & os.O_ACCMODE == os.O_RDONLY, "the pipe fd is not O_RDONLY")
            expect(fcntl.fcntl(fds[0], fcntl.F_GETFD) & fcntl.FD_CLOEXEC, "the pipe fd is not close-on-exec")
            text = fdpass.read_fd(fds[0]).decode("utf-8")
            expect(text == message.get("result", {}).get("text"), "pipe held %r for %s" % (text, message))
        finally:
            rpc.close_all(fds)

    def fd_count_batched(self):
        fds = [fdpass.memfd_with(numbered(i)) for i in range(BATCHED_FD_COUNT)]
        message, _ = self._call("fdCount", None, fds)
        result = message.get("result", {})
        expect(result.get("count") == BATCHED_FD_COUNT, "count %s" % result.get("count"))
        expect(result.get("contents") == [numbered(i) for i in range(BATCHED_FD_COUNT)],
               "contents begin %s" % (result.get("contents") or [])[:3])

    def echo_fds_batched(self):
        fds = [fdpass.memfd_with(numbered(i)) for i in range(BATCHED_FD_COUNT)]
        message, back = self._call("echoFds", None, fds)
        try:
            expect(len(back) == BATCHED_FD_COUNT, "%d fds back" % len(back))
            for i, fd in enumerate(back):
                expect(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC, "fd #%d is not close-on-exec" % i)
                content = os.pread(fd, FD_COUNT_PREFIX_BYTES, 0).decode("utf-8")
                expect(content == numbered(i), "fd #%d holds %r" % (i, content))
        finally:
            rpc.close_all(back)

    def pipelined(self):
        client = self._client()
        try:
            ids = [client.send("echo", {"n": i}) for i in range(PIPELINED_REQUESTS)]
            for i, request_id in enumerate(ids):
                message, _ = client.wait(request_id)
                expect(message.get("result") == {"n": i}, "request %d answered %s" % (i, json.dumps(message)))
            expect(len(client.arrival_order) == PIPELINED_REQUESTS, "%d answers" % len(client.arrival_order))
        finally:
            client.close()

    def pretty_printed_request(self):
        message, _ = self._call("echo", {"pretty": [1, 2]}, pretty=True)
        expect(message.get("result") == {"pretty": [1, 2]}, "answer %s" % json.dumps(message))


def open_fds():
    return {name: os.readlink("/proc/self/fd/" + name) for name in os.listdir("/proc/self/fd")
            if os.path.exists("/proc/self/fd/" + name)}


def run(path, max_fds):
    checks = Checks(path, max_fds)
    before = open_fds()
    order = [
        ("echo_nested_params", checks.echo_nested_params),
        ("echo_string_id", checks.echo_string_id),
        ("echo_large_int_id", checks.echo_large_int_id),
        ("echo_absent_params", checks.echo_absent_params),
        ("notification_gets_no_response", checks.notification_gets_no_response),
        ("method_not_found", checks.method_not_found),
        ("read_file_one_fd", checks.read_file_one_fd),
        ("create_pipe", checks.create_pipe),
        ("fd_count_%d" % BATCHED_FD_COUNT, checks.fd_count_batched),
        ("echo_fds_%d" % BATCHED_FD_COUNT, checks.echo_fds_batched),
        ("pipelined_%d" % PIPELINED_REQUESTS, checks.pipelined),
        ("pretty_printed_request", checks.pretty_printed_request),
    ]
    results = []
    for name, check in order:
        try:
            check()
            results.append((name, None))
        except (AssertionError, fdpass.ProtocolError, OSError) as e:
            results.append((name, str(e)))

    deadline = time.monotonic() + LEAK_SETTLE_SECONDS
    leaked = {}
    while True:
        leaked = {fd: target for fd, target in open_fds().items() if before.get(fd) != target}
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    results.append(("no_fd_leak", "still open: %s" % leaked if leaked else None))
    return results


def main(path, max_fds):
    results = run(path, max_fds)
    for name, failure in results:
        print("PASS %s" % name if failure is None else "FAIL %s: %s" % (name, failure), flush=True)
    failed = sum(1 for _, failure in results if failure is not None)
    print("%d passed, %d failed" % (len(results) - failed, failed), flush=True)
    return 1 if failed else 0
