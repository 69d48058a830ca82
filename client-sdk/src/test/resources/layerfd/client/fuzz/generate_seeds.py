#!/usr/bin/env python3
"""Writes the seed corpus of LayerApplierFuzzTest (docs/fuzzing.md). Rewrites the seed-* files only (crash-* and
regression-* inputs are kept). Standard library only.

An input is a list of FuzzRecords, [tag: 1 byte][length: 2 bytes big-endian][payload]: an even tag is an inline
piece of the layer's tar, an odd tag an external file holding the payload, standing where a regular file's data
region is (splitfdstream dialect [A]).
"""
import io
import pathlib
import struct
import tarfile

HERE = pathlib.Path(__file__).resolve().parent
INLINE, EXTERNAL = 0, 1
BLOCK = 512


def record(tag, payload):
    assert len(payload) < 1 << 16
    return bytes([tag]) + struct.pack('>H', len(payload)) + payload


def member(name, kind=tarfile.REGTYPE, data=b'', link='', mode=0o644, pax=None):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode, info.mtime = kind, link, mode, 1700000000
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    if pax:
        info.pax_headers = pax
    return info, data


def tar_at(members, fmt=tarfile.PAX_FORMAT):
    """The archive, ended by its two zero blocks without record padding, and where each member's data starts."""
    out, starts = io.BytesIO(), []
    with tarfile.open(fileobj=out, mode='w', format=fmt) as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data else None)
            starts.append(t.offset - (info.size + BLOCK - 1) // BLOCK * BLOCK)
        end = t.offset
    return out.getvalue()[:end + 2 * BLOCK], starts


def tar(members, fmt=tarfile.PAX_FORMAT):
    return tar_at(members, fmt)[0]


def pieces(members, fmt=tarfile.PAX_FORMAT):
    """The tar as pieces: the data of every non-empty regular file is an external piece."""
    whole, starts = tar_at(members, fmt)
    out, pos = b'', 0
    for (info, data), start in zip(members, starts):
        if info.type == tarfile.REGTYPE and data:
            out += record(INLINE, whole[pos:start]) + record(EXTERNAL, data)
            pos = start + len(data)
    return out + record(INLINE, whole[pos:])


BASIC = [
    member('./', tarfile.DIRTYPE, mode=0o755),
    member('etc/', tarfile.DIRTYPE, mode=0o755),
    member('etc/hello', data=b'hello world\n'),
    member('etc/big', data=bytes(range(256)) * 5),
    member('etc/link', tarfile.SYMTYPE, link='hello'),
    member('etc/hard', tarfile.LNKTYPE, link='etc/hello'),
    member('etc/fifo', tarfile.FIFOTYPE),
    member('empty', data=b''),
]
LONG = [
    member('d/' + 'n' * 150, data=b'long name'),
    member('x', data=b'with xattr', pax={'SCHILY.xattr.user.k': 'v', 'mtime': '1700000000.5'}),
    member('l', tarfile.SYMTYPE, link='t' * 120),
]
WHITEOUTS = [
    member('.wh.lower'),
    member('dir/', tarfile.DIRTYPE, mode=0o700),
    member('dir/.wh..wh..opq'),
    member('.wh.up'),
    member('new', data=b'new file'),
]
ESCAPES = [
    member('../escape', data=b'x'),
    member('/abs/file', data=b'absolute'),
    member('out/secret', data=b'through a symlink'),
    member('abs/new', data=b'through an absolute symlink'),
    member('up/outside/x', data=b'through ..'),
    member('hard', tarfile.LNKTYPE, link='../outside/secret'),
    member('hard2', tarfile.LNKTYPE, link='out/secret'),
    member('sym/', tarfile.DIRTYPE),
    member('esc', tarfile.SYMTYPE, link='../outside'),
    member('esc/y', data=b'via a new symlink'),
    member('./', tarfile.DIRTYPE, mode=0),
    member('lower', tarfile.CHRTYPE),
]

d = HERE / 'LayerApplierFuzzTestInputs' / 'anyPiecesStayInsideTheDestination'
d.mkdir(parents=True, exist_ok=True)
for old in d.glob('seed-*'):
    old.unlink()
seeds = {
    'basic-inline': record(INLINE, tar(BASIC)),
    'basic-external-data': pieces(BASIC),
    'basic-cut-in-headers': b''.join(record(INLINE, c) for c in
                                     (lambda t: [t[i:i + 300] for i in range(0, len(t), 300)])(tar(BASIC))),
    'gnu-long-names': record(INLINE, tar(LONG, tarfile.GNU_FORMAT)),
    'pax-long-names-xattrs': pieces(LONG),
    'whiteouts': pieces(WHITEOUTS),
    'escapes-inline': record(INLINE, tar(ESCAPES)),
    'escapes-external': pieces(ESCAPES),
    'external-size-mismatch': record(INLINE, tar([member('f', data=b'12345')])[:BLOCK]) + record(EXTERNAL, b'1234'),
    'truncated': record(INLINE, tar(BASIC)[:1300]),
    'v7-format': record(INLINE, tar(BASIC[:4], tarfile.USTAR_FORMAT)),
}
for name, data in seeds.items():
    (d / ('seed-' + name)).write_bytes(data)
