"""fdpass_peer.py vectors DIR: runs conformance-tests/vectors/jsonrpc-fdpass (cases.json) against fdpass.py: every
receive case fed to the Receiver read by read, as delivered and split at every byte; every send schedule sent by
the Sender on a real socketpair and observed with raw recvmsg. Prints "PASS name" or "FAIL name: why" per case,
then "N passed, N failed"."""

import json
import os
import resource
import socket
import threading

import fdpass
import rpc

SPLIT_SUFFIX = "/split-every-byte"
JOIN_SECONDS = 30


def _rpc_reaction(message):
    try:
        return fdpass.rpc_kind(message)
    except fdpass.InvalidMessage as e:
        return {"invalid": fdpass.INVALID_REQUEST, "reply_id": e.reply_id}


def receive_case(folder, case, split):
    """None when the receiver did exactly what the case says, else why not."""
    receiver = fdpass.Receiver()
    got, end, number = [], "clean", 0
    try:
        for delivery in case["deliveries"]:
            data = (folder / delivery["file"]).read_bytes()
            fds = [fdpass.memfd_with("fd-%d" % (number + i)) for i in range(delivery["fds"])]
            number += len(fds)
            step = 1 if split else len(data)
            for at in range(0, len(data), step):
                receiver.feed(data[at:at + step], fds if at == 0 else [])
                for message, taken in iter(receiver.next, None):
                    contents = [fdpass.read_fd(fd).decode("ascii") for fd in taken]
                    rpc.close_all(taken)
                    got.append({"value": message, "fds": contents, "rpc": _rpc_reaction(message)})
        receiver.end_of_stream()
    except fdpass.ProtocolError as e:
        end = {"fatal": e.kind}
    finally:
        receiver.close()
    expected = [{"value": m["value"], "fds": ["fd-%d" % n for n in m["fds"]], "rpc": m["rpc"]}
                for m in case["messages"]]
    if got != expected:
        return "messages %s, expected %s" % (json.dumps(got), json.dumps(expected))
    if end != case["end"]:
        return "ended %s, expected %s" % (json.dumps(end), json.dumps(case["end"]))
    return None


def _observe(sock):
    """Every recvmsg until end of stream as (bytes, fd count); closes the fds."""
    calls = []
    while True:
        data, fds, _ = fdpass.recv_fds(sock)
        rpc.close_all(fds)
        if not data and not fds:
            return calls
        calls.append((data, len(fds)))


def send_case(case):
    sending, observing = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    message = {"jsonrpc": "2.0", "method": "fds", "id": 1}
    fds = [fdpass.memfd_with("fd-%d" % i) for i in range(case["fds"])]

    def send():
        fdpass.Sender(sending, case["max_fds_per_sendmsg"]).send(message, fds)
        sending.shutdown(socket.SHUT_WR)

    thread = threading.Thread(target=send)
    thread.start()
    try:
        calls = _observe(observing)
    finally:
        thread.join(JOIN_SECONDS)
        sending.close()
        observing.close()
    first = json.loads(calls[0][0]) if calls else None
    expected_first = dict(message, fds=case["fds"]) if case["fds"] else message
    if first != expected_first:
        return "first sendmsg carried %r" % (calls[0][0] if calls else None)
    if case["calls"] is not None:
        seen = [{"payload": "message" if i == 0 else data.decode("latin-1"), "fds": n}
                for i, (data, n) in enumerate(calls)]
        return None if seen == case["calls"] else "calls %s, expected %s" % (json.dumps(seen), json.dumps(case["calls"]))
    rule = case["constraints"]
    if any(data != rule["continuation_payload"].encode() for data, _ in calls[1:]):
        return "a continuation payload is not one 0x20 byte: %r" % [d for d, _ in calls[1:]]
    if max(n for _, n in calls) > rule["max_fds_per_call"] or sum(n for _, n in calls) != rule["total_fds"]:
        return "fds per call %s" % [n for _, n in calls]
    return None


def main(folder):
    import pathlib
    folder = pathlib.Path(folder)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the 1000-fd schedules hold 2000 fds at once
    cases = json.loads((folder / "cases.json").read_text(encoding="utf-8"))
    results = []
    before = len(os.listdir("/proc/self/fd"))
    for case in cases["receive"]:
        results.append((case["name"], receive_case(folder, case, False)))
        results.append((case["name"] + SPLIT_SUFFIX, receive_case(folder, case, True)))
    for case in cases["send"]:
        results.append((case["name"], send_case(case)))
    after = len(os.listdir("/proc/self/fd"))
    results.append(("no_fd_leak", None if after == before else "%d fds open before, %d after" % (before, after)))
    for name, failure in results:
        print("PASS %s" % name if failure is None else "FAIL %s: %s" % (name, failure), flush=True)
    failed = sum(1 for _, failure in results if failure is not None)
    print("%d passed, %d failed" % (len(results) - failed, failed), flush=True)
    return 1 if failed else 0
