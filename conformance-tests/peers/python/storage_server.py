#!/usr/bin/env python3
"""A server of layerfd's compatible methods (api-contract sections 3.1-3.3) in the Python 3.9+ standard library: a
conformance peer for `layerfd conformance server`, reading a containers-storage store read-only (store.py).

    storage_server.py --socket PATH --root GRAPHROOT --driver overlay|vfs [--inline-threshold N]

Methods: GetImage {"imageId"} -> {"manifest", "config", "layerDigests" (top first)}; GetSplitFDStream {"layerId"}
-> {"streamSize"}; GetLayerSplitfdstream {"layer", "compressed"?} -> {"mediaType"}; both stream methods send fds
[stream, content...]. The stream is the byte-exact dialect [A] (docs/splitfdstream.md): tar-split segments and
regular files up to the inline threshold inline, larger files external (one fd each, opened fresh, O_RDONLY); the
stream is a memfd named "splitfdstream", sealed, at offset 0. Files are checked against the tar-split size, not
its CRC-64 (a consumer checks the layer's sha256). Serves until SIGTERM, SIGINT or a "shutdown" notification.
"""

import argparse
import fcntl
import json
import os
import struct

import fdpass
import rpc
import store

MEDIA_TYPE = "application/vnd.containers.splitfdstream"
DEFAULT_INLINE_THRESHOLD = 4096
# Inline bytes are flushed as one chunk at this size: any chunking is valid [A], and memory stays bounded. Far
# below the 256 MiB inline limit of the Rust readers.
INLINE_FLUSH_BYTES = 1 << 20
PREFIX = struct.Struct("<q")
STREAM_SEALS = fcntl.F_SEAL_SEAL | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE


class StreamWriter:
    """Writes splitfdstream chunks into a memfd: negative prefix + bytes for inline, the index for external."""

    def __init__(self):
        self.fd = os.memfd_create("splitfdstream", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        self.pending = bytearray()

    def inline(self, data):
        self.pending += data
        if len(self.pending) >= INLINE_FLUSH_BYTES:
            self.flush()

    def flush(self):
        # An empty inline chunk cannot be encoded (prefix 0 is external #0): skip it.
        if self.pending:
            self._write(PREFIX.pack(-len(self.pending)) + bytes(self.pending))
            self.pending = bytearray()

    def external(self, index):
        self.flush()
        self._write(PREFIX.pack(index))

    def _write(self, data):
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]

    def finish(self):
        """The sealed memfd at offset 0, and its size."""
        self.flush()
        fcntl.fcntl(self.fd, fcntl.F_ADD_SEALS, STREAM_SEALS)
        os.lseek(self.fd, 0, os.SEEK_SET)
        return self.fd, os.fstat(self.fd).st_size


def encode_layer(files, inline_threshold):
    """(stream fd, stream size, content fds) of one layer; closes everything it opened on failure."""
    writer = StreamWriter()
    content = []
    try:
        for entry in files.entries():
            if entry[0] == "segment":
                writer.inline(entry[1])
                continue
            _, name, size = entry
            if size == 0:
                continue
            fd = files.open_file(name, size)
            if size > inline_threshold:
                writer.external(len(content))
                content.append(fd)
                continue
            try:
                data = os.pread(fd, size, 0)
            finally:
                os.close(fd)
            if len(data) != size:
                raise store.StoreError(store.IO_ERROR, "layer %s: %r shrank while read" % (files.layer_id, name))
            writer.inline(data)
        stream, size = writer.finish()
        return stream, size, content
    except BaseException:
        rpc.close_all([writer.fd] + content)
        raise


def _string_param(params, key):
    if not isinstance(params, dict) or not isinstance(params.get(key), str) or not params[key]:
        raise rpc.RpcError(fdpass.INVALID_PARAMS, "params must be an object with a non-empty string %r" % key)
    return params[key]


class Methods:
    def __init__(self, storage, inline_threshold):
        self.storage = storage
        self.inline_threshold = inline_threshold

    def dispatch(self, method, params, fds):
        try:
            if method == "GetImage":
                return self.get_image(_string_param(params, "imageId")), []
            if method == "GetSplitFDStream":
                stream, size, content = self.stream(_string_param(params, "layerId"))
                return {"streamSize": size}, [stream] + content
            if method == "GetLayerSplitfdstream":
                layer = _string_param(params, "layer")
                if params.get("compressed", False) is not False:
                    raise rpc.RpcError(fdpass.INVALID_PARAMS, "compressed streams are not offered (layer %s)" % layer)
                stream, _, content = self.stream(layer)
                return {"mediaType": MEDIA_TYPE}, [stream] + content
        except store.StoreError as e:
            raise rpc.RpcError(e.code, str(e)) from e
        raise rpc.RpcError(fdpass.METHOD_NOT_FOUND, "Method not found: %s" % method)

    def get_image(self, ref):
        def read(records):
            image = records.resolve_image(ref)
            manifest = records.big_data(image, "manifest")
            config_digest = json.loads(manifest).get("config", {}).get("digest", "")
            config = records.big_data(image, config_digest)
            return {"manifest": manifest.decode("utf-8"), "config": config.decode("utf-8"),
                    "layerDigests": records.chain(image)}
        return self.storage.read_locked(read)

    def stream(self, layer_id):
        files = self.storage.read_locked(lambda records: records.open_layer(layer_id))
        try:
            return encode_layer(files, self.inline_threshold)
        finally:
            files.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--root", required=True, help="the store's graphroot")
    parser.add_argument("--driver", required=True, choices=["overlay", "vfs"])
    parser.add_argument("--inline-threshold", type=int, default=DEFAULT_INLINE_THRESHOLD)
    args = parser.parse_args()
    methods = Methods(store.Store(args.root, args.driver), args.inline_threshold)
    rpc.serve_forever(args.socket, methods.dispatch)


if __name__ == "__main__":
    main()
