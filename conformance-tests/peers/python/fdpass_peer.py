#!/usr/bin/env python3
"""An independent jsonrpc-fdpass peer (Python 3.9+ standard library only) for layerfd's interop and conformance tests.

Framing is fdpass.py (written from the upstream spec, README sections 2-7; no code shared with the Java side), the
JSON-RPC layer rpc.py.

    fdpass_peer.py server --socket PATH             serve one connection, then exit (prints "ready" when listening)
    fdpass_peer.py server --socket PATH --forever   serve every connection until SIGTERM or a "shutdown" notification
    fdpass_peer.py client --socket PATH             the protocol module's checks against its Java TestMethods server;
                                                    prints "ok <check>" per check
    fdpass_peer.py transport-client --socket PATH [--max-fds-per-sendmsg N]
                                                    the transport checks against layerfd's test peer (or any peer with
                                                    echo, readFile, createPipe, fdCount, echoFds); PASS/FAIL lines
                                                    and "N passed, N failed"
    fdpass_peer.py vectors DIR                      run conformance-tests/vectors/jsonrpc-fdpass against fdpass.py

Server methods: the upstream example server's echo (params back), readFile (the one fd's content as a string) and
createPipe ({"text": T} and a pipe holding T); the reference peers' fdCount and echoFds; and the protocol module's
test methods add, sum, has_params, read_fds, create_fds, sleep, null.
"""

import argparse
import os
import socket
import sys
import threading

import fdpass
import rpc

PIPE_TEXT = "hello from the python peer"
# fdCount reports this many leading bytes of each fd, as the Rust and Go reference peers do.
FD_COUNT_PREFIX_BYTES = 64


def _text(fd, limit=None):
    return fdpass.read_fd(fd, limit).decode("utf-8", errors="replace")


def _create_pipe():
    read_end, write_end = os.pipe2(os.O_CLOEXEC)
    try:
        os.write(write_end, PIPE_TEXT.encode("utf-8"))  # fits the pipe buffer: never blocks
    finally:
        os.close(write_end)
    return {"text": PIPE_TEXT}, [read_end]


def dispatch(method, params, fds):
    """(result, fds to send) for a method; raises rpc.RpcError. The request fds stay the caller's, except that
    echoFds hands back duplicates of them."""
    if method == "echo":
        return params, []
    if method == "readFile":
        if len(fds) != 1:
            raise rpc.RpcError(fdpass.INVALID_PARAMS, "readFile needs exactly 1 fd, got %d" % len(fds))
        return _text(fds[0]), []
    if method == "createPipe":
        return _create_pipe()
    if method == "fdCount":
        return {"count": len(fds), "contents": [_text(fd, FD_COUNT_PREFIX_BYTES) for fd in fds]}, []
    if method == "echoFds":
        return {"count": len(fds)}, [os.dup(fd) for fd in fds]
    if method == "add":
        return params[0] + params[1], []
    if method == "sum":
        return sum(params), []
    if method == "has_params":
        return params is not None, []
    if method == "read_fds":
        return [_text(fd) for fd in fds], []
    if method == "create_fds":
        prefix = params.get("prefix", "created")
        return params["count"], [fdpass.memfd_with("%s-%d" % (prefix, i)) for i in range(params["count"])]
    if method == "sleep":
        threading.Event().wait(params["ms"] / 1000.0)
        return params["tag"], []
    if method == "null":
        return None, []
    raise rpc.RpcError(fdpass.METHOD_NOT_FOUND, "Method not found: %s" % method)


def run_server(path, forever):
    if forever:
        rpc.serve_forever(path, dispatch)
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    print("ready", flush=True)
    conn, _ = listener.accept()
    listener.close()
    with conn:
        rpc.serve_connection(conn, dispatch)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["server", "client", "transport-client", "vectors"])
    parser.add_argument("folder", nargs="?", help="vectors: the folder holding cases.json")
    parser.add_argument("--socket")
    parser.add_argument("--forever", action="store_true")
    parser.add_argument("--max-fds-per-sendmsg", type=int, default=fdpass.DEFAULT_MAX_FDS_PER_SENDMSG)
    args = parser.parse_args()
    if args.mode == "vectors":
        import vectors
        sys.exit(vectors.main(args.folder))
    if not args.socket:
        parser.error("--socket is required for " + args.mode)
    if args.mode == "server":
        run_server(args.socket, args.forever)
    elif args.mode == "client":
        import protocol_checks
        sys.exit(protocol_checks.main(args.socket))
    else:
        import transport_checks
        sys.exit(transport_checks.main(args.socket, args.max_fds_per_sendmsg))


if __name__ == "__main__":
    main()
