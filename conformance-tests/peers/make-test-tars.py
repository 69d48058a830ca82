#!/usr/bin/env python3
"""Writes two small, deterministic layer tars for the splitfdstream self-test.

base.tar (PAX format) and top.tar (GNU format) together hold what a byte-exact splitfdstream
must carry: directories, empty/small/threshold-sized/large files, a symlink, a hard link,
names longer than 100 bytes (PAX 'x' and GNU 'L' headers) and tarfile's 10240-byte record
padding after the end-of-archive blocks.
"""
import io
import random
import sys
import tarfile

# Around the contract's 4096-byte inline threshold, plus larger files.
SIZES = [0, 100, 4095, 4096, 4097, 5000, 70000]
MTIME = 1700000000


def add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, MTIME
    tar.addfile(info)


def add_file(tar, name, content):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(content), 0o644, MTIME
    tar.addfile(info, io.BytesIO(content))


def add_link(tar, name, target, kind):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mtime = kind, target, MTIME
    tar.addfile(info)


def main(directory):
    rng = random.Random(20260415)
    long_dir = "usr/share/" + "a-rather-long-directory-name/" * 4
    with tarfile.open(f"{directory}/base.tar", "w", format=tarfile.PAX_FORMAT) as tar:
        add_dir(tar, "etc/")
        for size in SIZES:
            add_file(tar, f"etc/file-{size}", rng.randbytes(size))
        add_link(tar, "etc/link-to-5000", "file-5000", tarfile.SYMTYPE)
        add_link(tar, "etc/hard-70000", "etc/file-70000", tarfile.LNKTYPE)
        add_file(tar, long_dir + "long-named-file", rng.randbytes(9000))
    with tarfile.open(f"{directory}/top.tar", "w", format=tarfile.GNU_FORMAT) as tar:
        add_dir(tar, "opt/")
        add_file(tar, "opt/one-mebibyte", rng.randbytes(1 << 20))
        add_file(tar, "opt/small", b"small\n")
        add_file(tar, long_dir + "gnu-long-name", rng.randbytes(4097))


if __name__ == "__main__":
    main(sys.argv[1])
