#!/usr/bin/env python3
"""The containerized consumer: runs INSIDE the consumer image, drives layerfd's Python client against a layerfd server
whose socket is bind-mounted into the container, and prints one JSON document for the host test to check.

    consumer.py --client CLIENT.py --socket SOCK --image IMAGE

1. `CLIENT.py --socket SOCK call GetImage {"imageId": IMAGE}` (api-contract 3.1): the layer ids, top first.
2. `CLIENT.py --socket SOCK reassemble LAYER` for every layer: GetSplitFDStream, the tar rebuilt from the stream
   memfd and the content fds, its sha256 and length.
3. A probe through the client's `Client` class: GetSplitFDStream of the first layer that has content fds; the stream
   memfd and the first content fd are read here, with pread from offset 0, and reported with their size, device and
   inode, so the host can compare them with the same fds received outside the container.

Python 3 standard library only: the image holds nothing else.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys

READ_BYTES = 1 << 20


def run_client(client, sock, *args):
    """One run of the client's command line; its single JSON document."""
    done = subprocess.run([sys.executable, client, "--socket", sock, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("client %s exited %d: %s" % (" ".join(args), done.returncode, done.stderr.strip()))
    document = json.loads(done.stdout)
    if "error" in document or "error" in document.get("response", {}):
        raise SystemExit("client %s: the server answered an error: %s" % (" ".join(args), done.stdout.strip()))
    return document


def load_client_module(path):
    spec = importlib.util.spec_from_file_location("layerfd_client", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def describe(fd):
    """Content read with pread from 0 (a received fd shares its offset with the sender), plus identity."""
    sha = hashlib.sha256()
    offset = 0
    while True:
        data = os.pread(fd, READ_BYTES, offset)
        if not data:
            break
        sha.update(data)
        offset += len(data)
    st = os.fstat(fd)
    return {"sha256": "sha256:" + sha.hexdigest(), "length": offset, "dev_major": os.major(st.st_dev),
            "dev_minor": os.minor(st.st_dev), "inode": st.st_ino, "target": os.readlink("/proc/self/fd/%d" % fd)}


def probe(module, sock, layer):
    client = module.Client(sock)
    try:
        result, fds = client.call("GetSplitFDStream", {"layerId": layer})
        try:
            return {"layer": layer, "result": result, "fds": len(fds), "stream": describe(fds[0]),
                    "content": describe(fds[1])}
        finally:
            for fd in fds:
                os.close(fd)
    finally:
        client.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", required=True)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--image", required=True)
    args = parser.parse_args()

    image = run_client(args.client, args.socket, "call", "GetImage", json.dumps({"imageId": args.image}))
    layers = []
    for layer in image["response"]["result"]["layerDigests"]:
        rebuilt = run_client(args.client, args.socket, "reassemble", layer)
        layers.append({"id": layer, "sha256": rebuilt["sha256"], "length": rebuilt["length"], "fds": rebuilt["fds"],
                       "content_writable": rebuilt["fd_info"]["content_writable"]})
    with_content = [layer["id"] for layer in layers if layer["fds"] > 1]
    if not with_content:
        raise SystemExit("no layer of %s has a content fd to probe" % args.image)
    report = {"image": args.image, "get_image_fds": image["fds"], "layers": layers,
              "probe": probe(load_client_module(args.client), args.socket, with_content[0]),
              "uid": os.getuid(), "pid": os.getpid()}
    json.dump(report, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
