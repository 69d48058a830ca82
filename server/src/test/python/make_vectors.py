#!/usr/bin/env python3
"""Regenerates conformance-tests/vectors/tar-split/ (run from the project root):

    go build -C server/src/test/go/tarsplit-tool -o /tmp/tarsplit-tool .
    python3 server/src/test/python/make_vectors.py /tmp/tarsplit-tool

Tar-splits come from the real vbatts/tar-split through the Go tool; CRC-64 check values from Go's hash/crc64.
The expected sha256 and size are those of the original tar, which is not committed. Only the standard library.
"""
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join("conformance-tests", "vectors", "tar-split")
SEGMENT_CHUNK_BYTES = 1 << 20   # vbatts/tar-split cuts trailing data into segments of at most 1 MiB

# vector name: (make_tars.py case, what it pins)
LAYERS = {
    "basic": ("basic-gnu", "segments verbatim, file content without padding, size-0 entries (dirs, links, "
              "devices, FIFO, whiteouts, empty and mode-0000 files), 4096/4097-byte files, 10240-byte record"),
    "name-raw": ("gnu-long-names", "name_raw (base64 of the non-UTF-8 name caf\\xe9.txt) wins over name; GNU L/K "
                 "long names are resolved in the file entry and verbatim in segments"),
    "trailing-segments": ("trailing-garbage-over-1mib", "bytes after the end-of-archive blocks come back as "
                          "segments of at most 1 MiB"),
}
V143 = ("v1.43-trailing-empty-segment", "basic", "containers-storage v1.43 (podman 4.3) ends the tar-split with "
        "an empty segment {\"type\":2,\"payload\":\"\"}; it adds nothing to the tar")
CRC_INPUTS = [
    ("empty", b""),
    ("a", b"a"),
    ("check", b"123456789"),
    ("fox", b"The quick brown fox jumps over the lazy dog"),
    ("all-bytes", bytes(range(256))),
    ("eight-bytes", b"abcdefgh"),
    ("pattern-100", bytes((i * 31 + 2) & 0xFF for i in range(100))),
]


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, **kw).stdout.decode()


def go_crc64(tool, path):
    return run(tool, "crc64", path).split()[0]


def clean(raw):
    parts = [p for p in raw.split(b"/") if p not in (b"", b".")]
    assert b".." not in parts, raw
    return b"/".join(parts)


def write_layer(tool, tmp, name, case):
    tar = os.path.join(tmp, case + ".tar")
    env = dict(os.environ, LAYERFD_BIG_FILE=os.path.join(tmp, "unused"))
    run(sys.executable, os.path.join(HERE, "make_tars.py"), case, tar, env=env)
    vector = os.path.join(OUT, name)
    shutil.rmtree(vector, ignore_errors=True)
    files = os.path.join(vector, "files")
    os.makedirs(files)
    run(tool, "disasm", tar, os.path.join(vector, "layer.tar-split.gz"))
    count = content = 0
    with tarfile.open(tar, encoding="utf-8", errors="surrogateescape") as t:
        for member in t.getmembers():
            if member.isreg() and member.size > 0:
                target = os.path.join(os.fsencode(files), clean(os.fsencode(member.name)))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(t.extractfile(member).read())
                count += 1
                content += member.size
    with open(tar, "rb") as f:
        data = f.read()
    return {"sha256": "sha256:" + hashlib.sha256(data).hexdigest(), "size": len(data), "files": count,
            "file_bytes": content}


def main(tool):
    tool = os.path.abspath(tool)
    vectors = []
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, (case, pins) in LAYERS.items():
            results[name] = write_layer(tool, tmp, name, case)
            vectors.append(dict(name=name, pins=pins, tar_split=name + "/layer.tar-split.gz", files_dir=name + "/files",
                                **results[name]))
        name, source, pins = V143
        vector = os.path.join(OUT, name)
        shutil.rmtree(vector, ignore_errors=True)
        shutil.copytree(os.path.join(OUT, source, "files"), os.path.join(vector, "files"))
        with gzip.open(os.path.join(OUT, source, "layer.tar-split.gz"), "rb") as f:
            lines = f.read().splitlines(keepends=True)
        last = json.loads(lines[-1])
        lines.append(b'{"type":2,"payload":"","position":%d}\n' % (last["position"] + 1))
        with open(os.path.join(vector, "layer.tar-split.gz"), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
                f.write(b"".join(lines))
        vectors.append(dict(name=name, pins=pins, tar_split=name + "/layer.tar-split.gz", files_dir=name + "/files",
                            **results[source]))
        crcs = []
        for label, data in CRC_INPUTS:
            path = os.path.join(tmp, "crc-" + label)
            with open(path, "wb") as f:
                f.write(data)
            crcs.append({"name": label, "input_hex": data.hex(), "crc64": go_crc64(tool, path)})
    with open(os.path.join(OUT, "layers.json"), "w") as f:
        json.dump({"segment_chunk_max_bytes": SEGMENT_CHUNK_BYTES, "layers": vectors}, f, indent=2)
        f.write("\n")
    with open(os.path.join(OUT, "crc64.json"), "w") as f:
        json.dump({"algorithm": "CRC-64/GO-ISO: Go hash/crc64 with crc64.MakeTable(crc64.ISO); tar-split stores "
                                "the 8 bytes big-endian, base64, in a file entry's payload",
                   "vectors": crcs}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
