"""The protocol module's interop checks (PythonPeerTest) against its Java TestMethods server: "ok <check>" lines."""

import socket

import fdpass
import rpc

BATCHED_FDS = 300
PIPELINED_CALLS = 200


class CheckError(AssertionError):
    pass


def check(name, condition, detail=""):
    if not condition:
        raise CheckError("%s failed %s" % (name, detail))
    print("ok " + name, flush=True)


def run(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    client = rpc.Client(sock)

    nested = {"list": [1, "two", None, True, {"x": 1.5}], "s": "<&>"}
    message, _ = client.call("echo", nested)
    check("echo", message.get("result") == nested, message)

    message, _ = client.call("add", [1, 2])
    check("add", message.get("result") == 3, message)

    message, _ = client.call("null")
    check("null-result", "result" in message and message["result"] is None, message)

    exact = 9007199254740993
    message, _ = client.wait(client.send("add", [0, 0], request_id=exact))
    check("exact-id", message["id"] == exact and type(message["id"]) is int, message)

    message, _ = client.wait(client.send("add", [0, 1], request_id="request-uuid-123"))
    check("string-id", message["id"] == "request-uuid-123" and message["result"] == 1, message)

    message, _ = client.call("no_such_method")
    check("unknown-method", message.get("error", {}).get("code") == fdpass.METHOD_NOT_FOUND, message)

    fds = [fdpass.memfd_with("py-%d" % i) for i in range(BATCHED_FDS)]
    message, _ = client.call("read_fds", None, fds)
    check("send-300-fds", message.get("result") == ["py-%d" % i for i in range(BATCHED_FDS)], message.get("error"))
    # 300 fds at batch 500: the kernel refuses 300 (EINVAL), 150 + 150 go through.
    check("einval-halved", client.sender.max_fds == BATCHED_FDS // 2, client.sender.max_fds)

    message, reply_fds = client.call("create_fds", {"count": BATCHED_FDS, "prefix": "java"})
    contents = [fdpass.read_fd(fd).decode("utf-8") for fd in reply_fds]
    rpc.close_all(reply_fds)
    check("receive-300-fds", contents == ["java-%d" % i for i in range(BATCHED_FDS)], contents[:3])

    ids = []
    for i in range(PIPELINED_CALLS):
        if i % 10 == 0:
            ids.append(client.send("read_fds", None, [fdpass.memfd_with("pipelined-%d" % i)]))
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
    client.reader.join(timeout=rpc.ANSWER_TIMEOUT_SECONDS)
    check("clean-end", not client.reader.is_alive() and client.failure is None, client.failure)
    client.receiver.close()
    sock.close()


def main(path):
    try:
        run(path)
        return 0
    except (fdpass.ProtocolError, AssertionError) as e:
        print("FAIL %s" % e, flush=True)
        return 1
