#!/usr/bin/env python3
"""Writes the test tars for layerfd's tar-split tests (layerfd.server.tarsplit.TarSplitRoundTripTest).

usage: make_tars.py --list | make_tars.py <case> <out.tar>

Each case is a tar a container layer could hold; the Java test makes its tar-split with the real Go library,
extracts it, rebuilds it with LayerAssembler and compares the bytes. Only the Python standard library is used.
"""
import io
import os
import sys
import tarfile

BIG_FILE_BYTES = 100 * 1024 * 1024 + 12345   # > 100 MiB, sparse on disk, a normal entry in the tar
BIG_FILE_MARKS = {0: b"start", 50 * 1024 * 1024: b"middle", BIG_FILE_BYTES - 3: b"end"}
TAR_RECORD_BYTES = 10240                      # tarfile.RECORDSIZE and GNU tar's default record: 20 blocks
END_OF_ARCHIVE_BYTES = 1024                   # two zero blocks
MTIME = 1700000000


def info(name, type_=tarfile.REGTYPE, size=0, mode=0o644, **extra):
    ti = tarfile.TarInfo(name)
    ti.type = type_
    ti.size = size
    ti.mode = mode
    ti.mtime = MTIME
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = "root"
    for key, value in extra.items():
        setattr(ti, key, value)
    return ti


def add_file(tar, name, data, **extra):
    tar.addfile(info(name, size=len(data), **extra), io.BytesIO(data))


def pattern(n, seed):
    return bytes((i * 31 + seed) & 0xFF for i in range(n))


def basic(tar):
    """Directories, empty and odd-sized files, links, devices, a FIFO, whiteouts and a mode 0000 file."""
    tar.addfile(info("./", tarfile.DIRTYPE, mode=0o755))
    tar.addfile(info("./etc/", tarfile.DIRTYPE, mode=0o755))
    add_file(tar, "./etc/empty", b"")
    add_file(tar, "./etc/one", b"x")
    add_file(tar, "./etc/block4096", pattern(4096, 1))
    add_file(tar, "./etc/block4097", pattern(4097, 2))
    add_file(tar, "./etc/shadow", b"root:*:19000:0:99999:7:::\n", mode=0o000)
    tar.addfile(info("./etc/hardlink", tarfile.LNKTYPE, linkname="./etc/block4097"))
    tar.addfile(info("./etc/symlink", tarfile.SYMTYPE, linkname="block4096", mode=0o777))
    tar.addfile(info("./dev/", tarfile.DIRTYPE, mode=0o755))
    tar.addfile(info("./dev/null", tarfile.CHRTYPE, mode=0o666, devmajor=1, devminor=3))
    tar.addfile(info("./dev/loop9", tarfile.BLKTYPE, mode=0o660, devmajor=7, devminor=9))
    tar.addfile(info("./dev/fifo", tarfile.FIFOTYPE, mode=0o600))
    tar.addfile(info("./gone/", tarfile.DIRTYPE, mode=0o755))
    add_file(tar, "./gone/.wh.x", b"")
    tar.addfile(info("./opq/", tarfile.DIRTYPE, mode=0o755))
    add_file(tar, "./opq/.wh..wh..opq", b"")
    add_file(tar, "./opq/c", b"ab")


def gnu_long_names(tar):
    """GNU 'L' (long name) and 'K' (long link name) blocks, and a file name that is not UTF-8 (name_raw)."""
    deep = "d" * 60 + "/" + "e" * 60 + "/"
    tar.addfile(info(deep[:61], tarfile.DIRTYPE, mode=0o755))
    tar.addfile(info(deep, tarfile.DIRTYPE, mode=0o755))
    long_file = deep + "f" * 120
    add_file(tar, long_file, pattern(777, 3))
    tar.addfile(info("short-link", tarfile.SYMTYPE, linkname=long_file, mode=0o777))
    tar.addfile(info(deep + "g" * 110, tarfile.LNKTYPE, linkname=long_file))
    # b"caf\xe9.txt": latin-1, not UTF-8; surrogateescape writes the raw byte.
    add_file(tar, "caf\udce9.txt", b"latin-1 name\n")
    add_file(tar, "caf\u00e9-utf8.txt", b"utf-8 name\n")


def pax(tar):
    """PAX 'path' and 'linkpath' records, SCHILY.xattr.* records and a non-ASCII UTF-8 name."""
    deep = "p" * 80 + "/" + "q" * 80
    tar.addfile(info("p" * 80 + "/", tarfile.DIRTYPE, mode=0o755))
    add_file(tar, deep, pattern(5000, 4))
    tar.addfile(info("link-to-long", tarfile.SYMTYPE, linkname="/" + deep, mode=0o777))
    add_file(tar, "xattrs", b"with extended attributes\n",
             pax_headers={"SCHILY.xattr.user.comment": "hello", "SCHILY.xattr.security.selinux":
                          "system_u:object_r:bin_t:s0"})
    add_file(tar, "gr\u00fc\u00dfe", b"non-ascii utf-8 name\n")


def big(tar):
    """One file over 100 MiB; sparse where the test writes it, a plain entry in the tar."""
    path = os.environ["LAYERFD_BIG_FILE"]
    with open(path, "wb") as f:
        f.truncate(BIG_FILE_BYTES)
        for offset, mark in BIG_FILE_MARKS.items():
            f.seek(offset)
            f.write(mark)
    tar.addfile(info("./big/", tarfile.DIRTYPE, mode=0o755))
    with open(path, "rb") as f:
        tar.addfile(info("./big/sparse.img", size=BIG_FILE_BYTES), f)
    add_file(tar, "./big/after", b"after the big file\n")


def dotdot(tar):
    """A file whose name climbs out of the layer: tar-split records it, layerfd must refuse to open it."""
    add_file(tar, "./ok", b"fine\n")
    add_file(tar, "./a/../../escape", b"outside\n")


CASES = {
    # name: (writer, tar format, bytes to append after the archive, cut to the end-of-archive blocks)
    "basic-pax": (basic, tarfile.PAX_FORMAT, b"", False),
    "basic-gnu": (basic, tarfile.GNU_FORMAT, b"", False),
    "gnu-long-names": (gnu_long_names, tarfile.GNU_FORMAT, b"", False),
    "pax-long-names-xattrs": (pax, tarfile.PAX_FORMAT, b"", False),
    "unpadded": (basic, tarfile.USTAR_FORMAT, b"", True),
    "trailing-garbage": (basic, tarfile.GNU_FORMAT, pattern(3000, 5), False),
    "trailing-garbage-over-1mib": (basic, tarfile.PAX_FORMAT, pattern(1536 * 1024 + 7, 6), False),
    "big-sparse": (big, tarfile.PAX_FORMAT, b"", False),
    "dotdot-name": (dotdot, tarfile.PAX_FORMAT, b"", False),
}


def write(case, out):
    writer, fmt, trailer, unpadded = CASES[case]
    with tarfile.open(out, "w", format=fmt, encoding="utf-8", errors="surrogateescape") as tar:
        writer(tar)
        # tarfile pads the archive to a multiple of TAR_RECORD_BYTES, as GNU tar does.
        end = tar.offset + END_OF_ARCHIVE_BYTES
    if unpadded:
        # Go's archive/tar style: the two zero blocks and nothing after them.
        os.truncate(out, end)
    elif os.path.getsize(out) % TAR_RECORD_BYTES != 0:
        raise SystemExit("tarfile did not pad %s to a %d-byte record" % (out, TAR_RECORD_BYTES))
    with open(out, "ab") as f:
        f.write(trailer)


if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
    elif len(sys.argv) == 3 and sys.argv[1] in CASES:
        write(sys.argv[1], sys.argv[2])
    else:
        raise SystemExit(__doc__)
