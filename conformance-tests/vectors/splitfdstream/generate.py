#!/usr/bin/env python3
"""Writes the splitfdstream vectors (cases.json and the *.bin streams) into this folder.

The committed files are the truth; this script documents how they were made and, with --check, proves it still
makes the same bytes. It encodes the format independently of any layerfd code (splitfdstream brief §1).
Run: python3 generate.py [--check]
"""
import hashlib
import io
import json
import os
import random
import struct
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1024 * 1024
MAX_INLINE = 256 * MIB          # Rust MAX_INLINE_CHUNK_SIZE
BLOCK = 512
MANY_CHUNKS_SEED = 20260601     # fixed seed: the many-small-chunks case must not change between runs
MANY_CHUNKS_COUNT = 1000


# --- encoding (brief §1.1) -------------------------------------------------------------------------------------

def prefix(value):
    return struct.pack("<q", value)


def inline(data):
    assert len(data) > 0, "an empty inline chunk cannot be encoded"
    return prefix(-len(data)) + data


def external(index):
    return prefix(index)


def fill(size, kind):
    if kind == "zeros":
        return bytes(size)
    if kind == "mod251":
        return bytes(i % 251 for i in range(size))
    raise ValueError(kind)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def digest_of(data):
    return {"length": len(data), "sha256": sha256(data)}


# --- tar headers for the dialect examples (brief §1.3) -----------------------------------------------------------

def header(name, kind, size=0, fmt=tarfile.USTAR_FORMAT, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.mode = 0o755 if kind in (tarfile.DIRTYPE, tarfile.SYMTYPE) else 0o644
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.linkname = linkname
    return info.tobuf(format=fmt, encoding="utf-8", errors="surrogateescape")


def padding(size):
    return bytes((BLOCK - size % BLOCK) % BLOCK)


TRAILER = bytes(2 * BLOCK)


def as_tar(entries):
    """A valid tar of (header bytes, content bytes) pairs: what EntryFramedDecoder.toTar must produce."""
    out = b"".join(h + c + padding(len(c)) for h, c in entries) + TRAILER
    names = [m.name for m in tarfile.open(fileobj=io.BytesIO(out)).getmembers()]
    assert len(names) == len(entries), names
    return out


# --- the cases -----------------------------------------------------------------------------------------------------

class Vectors:
    def __init__(self):
        self.files = {}
        self.cases = []
        self.writer_cases = []

    def case(self, name, pins, stream, content=(), dialect="A", chunks=None, output=None, error=None,
             entries=None):
        self.files[name + ".bin"] = stream
        case = {"name": name, "pins": pins, "dialect": dialect, "stream": name + ".bin",
                "contentFiles": [c if isinstance(c, dict) else {"hex": c.hex()} for c in content]}
        if chunks is not None:
            case["chunks"] = chunks
        if entries is not None:
            case["entries"] = entries
        if output is not None:
            case["output"] = digest_of(output)
        if error is not None:
            case["error"] = error
        self.cases.append(case)

    def writer(self, name, pins, ops, expect, max_inline=None):
        case = {"name": name, "pins": pins, "ops": ops, "expect": expect}
        if max_inline is not None:
            case["maxInlineChunkBytes"] = max_inline
        self.writer_cases.append(case)


SHOWN_INLINE_BYTES = 64         # inline chunks up to this size are listed as hex, longer ones by length and sha256


def ic(data):
    return {"inline": {"hex": data.hex()} if len(data) <= SHOWN_INLINE_BYTES else digest_of(data)}


def ec(index):
    return {"external": index}


def err(code, offset, stage="decode"):
    return {"code": code, "offset": offset, "stage": stage}


def build():
    v = Vectors()
    hello = b"hello"

    # Valid dialect [A] streams: decode to `chunks`, concatenate to `output`.
    v.case("empty-stream", "no bytes at all is a valid stream of zero chunks", b"", chunks=[], output=b"")
    v.case("single-byte-inline", "the shortest inline chunk: prefix -1 and one byte",
           inline(b"A"), chunks=[ic(b"A")], output=b"A")
    v.case("inline-hello", "brief §1.3: 5-byte inline 'hello' is fb ff ff ff ff ff ff ff 68 65 6c 6c 6f",
           inline(hello), chunks=[ic(hello)], output=hello)
    parts = [b"first ", b"second chunk ", bytes(range(256))]
    v.case("inline-only", "three inline chunks concatenate in order, with no padding between them",
           b"".join(inline(p) for p in parts), chunks=[ic(p) for p in parts], output=b"".join(parts))
    files = [fill(4097, "mod251"), b"", b"tiny"]
    v.case("external-only", "external chunks yield whole files in stream order; an empty file yields nothing",
           external(0) + external(1) + external(2),
           content=[{"size": 4097, "fill": "mod251"}, files[1], files[2]],
           chunks=[ec(0), ec(1), ec(2)], output=b"".join(files))
    v.case("external-index-0", "prefix 0 is external #0 (fd-array position 1), never an empty inline chunk",
           external(0), content=[b"zero"], chunks=[ec(0)], output=b"zero")
    v.case("external-index-1", "brief §1.3: external #1 is 01 00 00 00 00 00 00 00 and reads content fd 1",
           external(1), content=[b"unused", b"one"], chunks=[ec(1)], output=b"one")
    mixed = [(inline(b"head:"), ic(b"head:"), b"head:"), (external(0), ec(0), b"file-zero"),
             (inline(b":mid:"), ic(b":mid:"), b":mid:"), (external(1), ec(1), fill(600, "zeros")),
             (inline(b":tail"), ic(b":tail"), b":tail")]
    v.case("mixed", "inline and external chunks interleave; the output is their concatenation",
           b"".join(m[0] for m in mixed), content=[b"file-zero", {"size": 600, "fill": "zeros"}],
           chunks=[m[1] for m in mixed], output=b"".join(m[2] for m in mixed))
    v.case("same-fd-twice", "an index may repeat: each reference yields the whole file again from offset 0",
           external(0) + inline(b"|") + external(0), content=[b"again"],
           chunks=[ec(0), ic(b"|"), ec(0)], output=b"again|again")

    rng = random.Random(MANY_CHUNKS_SEED)
    many_files = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))) for _ in range(3)]
    stream, chunks, output = b"", [], b""
    for _ in range(MANY_CHUNKS_COUNT):
        if rng.random() < 0.5:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20)))
            stream, output = stream + inline(data), output + data
            chunks.append(ic(data))
        else:
            index = rng.randrange(3)
            stream, output = stream + external(index), output + many_files[index]
            chunks.append(ec(index))
    v.case("many-small-chunks", "1000 random small chunks (seed %d) over 3 files decode and concatenate exactly"
           % MANY_CHUNKS_SEED, stream, content=many_files, chunks=chunks, output=output)

    # brief §1.3 worked example, both dialects.
    big = fill(5000, "mod251")
    h_etc = header("etc", tarfile.DIRTYPE)
    h_big = header("etc/big", tarfile.REGTYPE, 5000)
    tail = padding(5000) + TRAILER
    assert len(tail) == 1144
    a_stream = inline(h_etc) + inline(h_big) + external(0) + inline(tail)
    assert len(a_stream) == 2200
    worked_tar = as_tar([(h_etc, b""), (h_big, big)])
    assert len(worked_tar) == 7168
    v.case("worked-example-a", "brief §1.3 [A]: 2200-byte stream rebuilds the 7168-byte tar byte for byte",
           a_stream, content=[{"size": 5000, "fill": "mod251"}],
           chunks=[ic(h_etc), ic(h_big), ec(0), ic(tail)], output=worked_tar)
    b_stream = inline(h_etc) + inline(h_big) + external(0)
    assert len(b_stream) == 1048
    v.case("worked-example-b", "brief §1.3 [B]: 1048-byte entry-framed stream; as a tar it equals the [A] tar",
           b_stream, dialect="B", content=[{"size": 5000, "fill": "mod251"}],
           chunks=[ic(h_etc), ic(h_big), ec(0)],
           entries=[entry("etc/", "5", 0, 512, None), entry("etc/big", "0", 5000, 512, ec(0))],
           output=worked_tar)

    # More [B]: inline content, entries without content, PAX and GNU long names.
    h_a = header("a", tarfile.REGTYPE, 5)
    h_empty = header("empty", tarfile.REGTYPE, 0)
    h_link = header("link", tarfile.SYMTYPE, linkname="a")
    v.case("entry-framed-inline-content", "[B]: inline content of exactly Size bytes; empty files and symlinks "
           "have no content chunk", inline(h_a) + inline(hello) + inline(h_empty) + inline(h_link), dialect="B",
           chunks=[ic(h_a), ic(hello), ic(h_empty), ic(h_link)],
           entries=[entry("a", "0", 5, 512, {"inline": 5}), entry("empty", "0", 0, 512, None),
                    entry("link", "2", 0, 512, None)],
           output=as_tar([(h_a, hello), (h_empty, b""), (h_link, b"")]))
    long_name = "usr/share/" + "d" * 120 + "/file-with-a-long-name"
    h_pax = header(long_name, tarfile.REGTYPE, 5000, fmt=tarfile.PAX_FORMAT)
    assert len(h_pax) == 3 * BLOCK, len(h_pax)
    v.case("entry-framed-pax-long-name", "[B]: a 1536-byte header chunk (PAX 'x' block, its data, the header); "
           "the name comes from PAX path", inline(h_pax) + external(0), dialect="B",
           content=[{"size": 5000, "fill": "mod251"}], chunks=[ic(h_pax), ec(0)],
           entries=[entry(long_name, "0", 5000, 1536, ec(0))], output=as_tar([(h_pax, big)]))
    h_gnu = header(long_name, tarfile.REGTYPE, 5, fmt=tarfile.GNU_FORMAT)
    assert len(h_gnu) == 3 * BLOCK, len(h_gnu)
    v.case("entry-framed-gnu-long-name", "[B]: a GNU 'L' long-name block before the header names the entry",
           inline(h_gnu) + inline(hello), dialect="B", chunks=[ic(h_gnu), ic(hello)],
           entries=[entry(long_name, "0", 5, 1536, {"inline": 5})], output=as_tar([(h_gnu, hello)]))

    # [B] errors.
    v.case("entry-framed-header-not-inline", "[B]: an entry must start with an inline header chunk",
           external(0), dialect="B", content=[b"x"], chunks=[ec(0)], error=err("header-not-inline", 0))
    v.case("entry-framed-inline-size-mismatch", "[B]: inline content must be exactly the header's Size",
           inline(h_a) + inline(b"hell"), dialect="B", chunks=[ic(h_a), ic(b"hell")],
           error=err("content-size-mismatch", 520))
    v.case("entry-framed-external-size-mismatch", "[B]: an external file must have exactly the header's Size",
           inline(h_big) + external(0), dialect="B", content=[{"size": 4999, "fill": "mod251"}],
           chunks=[ic(h_big), ec(0)], entries=[entry("etc/big", "0", 5000, 512, ec(0))],
           error=err("content-size-mismatch", 520, "reassemble"))
    v.case("entry-framed-missing-content", "[B]: a regular file with Size > 0 needs a content chunk before EOF",
           inline(h_a), dialect="B", chunks=[ic(h_a)], error=err("missing-content", 520))
    corrupt = bytearray(h_a)
    corrupt[0] ^= 0x01
    v.case("entry-framed-bad-checksum", "[B]: a header block whose checksum does not match is rejected",
           inline(bytes(corrupt)), dialect="B", chunks=[ic(bytes(corrupt))], error=err("bad-entry-header", 0))
    v.case("entry-framed-zero-block", "[B]: has no end-of-archive blocks, so a zero header block is an error",
           inline(bytes(BLOCK)), dialect="B", chunks=[ic(bytes(BLOCK))], error=err("bad-entry-header", 0))

    # Index limits.
    v.case("index-max-valid", "index 2^31-1 decodes; with one content fd, reassembly fails index-out-of-range",
           external(2**31 - 1), content=[b"x"], chunks=[ec(2**31 - 1)],
           error=err("index-out-of-range", 0, "reassemble"))
    v.case("index-out-of-range", "external #1 with one content fd fails at reassembly, naming offset 8",
           external(0) + external(1), content=[b"x"], chunks=[ec(0), ec(1)],
           error=err("index-out-of-range", 8, "reassemble"))
    v.case("index-2pow31-invalid", "index 2^31 is rejected at decode", external(2**31), chunks=[],
           error=err("index-too-large", 0))
    v.case("index-2pow32-plus-1-invalid", "index 2^32+1 is rejected (Rust would truncate it to 1)",
           inline(b"A") + external(2**32 + 1), chunks=[ic(b"A")], error=err("index-too-large", 9))
    v.case("prefix-i64-min-invalid", "prefix i64::MIN (00 .. 00 80) has no length and is rejected",
           prefix(-2**63), chunks=[], error=err("invalid-prefix", 0))

    # Truncation: layerfd (like Go) rejects a partial prefix; Rust reads it as a clean end.
    v.case("truncated-prefix-1-byte", "a 1-byte stream is a truncated prefix (Rust: clean end; layerfd: error)",
           b"\xff", chunks=[], error=err("truncated-prefix", 0))
    v.case("truncated-prefix-7-bytes", "7 bytes of a prefix at EOF is an error", prefix(-1)[:7], chunks=[],
           error=err("truncated-prefix", 0))
    v.case("truncated-prefix-after-chunk", "a valid chunk then 3 stray bytes: error at offset 9",
           inline(b"A") + b"\x00\x00\x00", chunks=[ic(b"A")], error=err("truncated-prefix", 9))
    v.case("truncated-inline", "prefix -10 with only 4 data bytes is truncated inline data",
           prefix(-10) + b"abcd", chunks=[], error=err("truncated-inline", 0))
    v.case("truncated-inline-no-data", "an inline prefix right at EOF, after an external chunk",
           external(0) + prefix(-3), content=[b"x"], chunks=[ec(0)], error=err("truncated-inline", 8))

    # The 256 MiB inline limit, without a 256 MiB file: header-only streams.
    v.case("inline-limit-exceeded-header-only", "prefix -(256 MiB + 1) with no data: rejected as too large "
           "BEFORE reading data (not as truncated)", prefix(-(MAX_INLINE + 1)), chunks=[],
           error=err("inline-too-large", 0))
    v.case("inline-limit-exact-header-only", "prefix -(256 MiB) with no data: the limit is inclusive, so the "
           "error is truncated-inline", prefix(-MAX_INLINE), chunks=[], error=err("truncated-inline", 0))

    # Writer cases: what a writer must emit for a sequence of operations.
    v.writer("writer-empty-inline-is-noop", "empty inline writes emit nothing (prefix 0 would mean external #0)",
             [{"inline": {"hex": ""}}, {"external": 0}, {"inline": {"hex": ""}}], {"stream": "external-index-0.bin"})
    v.writer("writer-hello", "writing 'hello' inline gives the §1.3 bytes", [{"inline": {"hex": hello.hex()}}],
             {"stream": "inline-hello.bin"})
    v.writer("writer-worked-example-a", "the §1.3 [A] sequence of writes gives the 2200-byte stream",
             [{"inline": {"hex": h_etc.hex()}}, {"inline": {"hex": h_big.hex()}}, {"external": 0},
              {"inline": {"length": 1144, "fill": "zeros"}}], {"stream": "worked-example-a.bin"})
    small = bytes(range(10))
    v.writer("writer-split-small-limit", "with a 4-byte chunk limit, 10 inline bytes become chunks of 4, 4, 2",
             [{"inline": {"hex": small.hex()}}],
             {"hex": (inline(small[:4]) + inline(small[4:8]) + inline(small[8:])).hex()}, max_inline=4)
    total = MAX_INLINE + 1
    big_stream = hashlib.sha256()
    big_stream.update(prefix(-MAX_INLINE))
    for _ in range(MAX_INLINE // MIB):
        big_stream.update(bytes(MIB))
    big_stream.update(prefix(-1) + b"\x00")
    v.writer("writer-split-256mib-plus-1", "generated: 256 MiB + 1 zero bytes inline become two chunks, "
             "-256 MiB and -1, so Rust consumers accept them", [{"inline": {"length": total, "fill": "zeros"}}],
             {"length": total + 16, "sha256": big_stream.hexdigest(),
              "prefixes": [{"offset": 0, "value": -MAX_INLINE}, {"offset": 8 + MAX_INLINE, "value": -1}]})
    v.writer("writer-index-negative", "external index -1 is refused", [{"external": -1}], {"error": "invalid-index"})
    v.writer("writer-index-2pow31", "external index 2^31 is refused", [{"external": 2**31}],
             {"error": "invalid-index"})
    return v


def entry(name, type_flag, size, header_length, content):
    return {"name": name, "type": type_flag, "size": size, "headerLength": header_length, "content": content}


def main():
    check = "--check" in sys.argv[1:]
    v = build()
    doc = {
        "format": "layerfd splitfdstream vectors, version 1 (see README.md)",
        "fills": {"zeros": "every byte 0", "mod251": "byte i is i % 251"},
        "cases": v.cases,
        "writerCases": v.writer_cases,
    }
    outputs = dict(v.files)
    outputs["cases.json"] = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    stale = []
    for name, data in sorted(outputs.items()):
        path = os.path.join(HERE, name)
        if check:
            with open(path, "rb") as f:
                if f.read() != data:
                    stale.append(name)
        else:
            with open(path, "wb") as f:
                f.write(data)
    if stale:
        sys.exit("vectors differ from the generator: " + ", ".join(stale))
    print(("checked " if check else "wrote ") + str(len(outputs)) + " files")


if __name__ == "__main__":
    main()
