#!/usr/bin/env python3
"""Writes the seed corpora of the protocol fuzz tests (docs/fuzzing.md). Run from anywhere; rewrites the seed-*
files only (crash-* regression inputs found by Jazzer are kept). Standard library only.

Structured inputs are FuzzRecord lists: [tag: 1 byte][length: 2 bytes big-endian][payload]. For
FrameDecoderFuzzTest a record is one recvmsg: payload = bytes read, tag % 4 = fds that rode on it.
"""
import json
import pathlib
import shutil
import struct

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parents[6] / 'conformance-tests' / 'vectors' / 'splitfdstream'


def record(tag, payload):
    return bytes([tag]) + struct.pack('>H', len(payload)) + payload


def msg(obj):
    return json.dumps(obj, separators=(',', ':')).encode()


def write(test, method, seeds):
    d = HERE / (test + 'Inputs') / method
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob('seed-*'):
        old.unlink()
    for name, data in seeds.items():
        (d / ('seed-' + name)).write_bytes(data)


REQUEST = msg({'jsonrpc': '2.0', 'method': 'GetSplitFDStream', 'params': {'imageId': 'a' * 64}, 'id': 1})
RESPONSE_FDS = msg({'jsonrpc': '2.0', 'result': {'layers': [{'digest': 'sha256:' + 'b' * 64}]}, 'id': 1, 'fds': 2})
NOTIFY = msg({'jsonrpc': '2.0', 'method': 'Progress', 'params': [1, 'two', None]})
ERROR = msg({'jsonrpc': '2.0', 'error': {'code': -32000, 'message': 'layer not found', 'data': {'id': 'x'}},
             'id': 'req-7'})

write('FrameDecoderFuzzTest', 'anyBytesAndFdsInAnySplit', {
    'request-one-read': record(0, REQUEST),
    'response-fds-with-first-byte': record(2, RESPONSE_FDS),
    'response-fds-after-json': record(0, RESPONSE_FDS) + record(1, b' ') + record(1, b'\n'),
    'response-split-mid-string': record(1, RESPONSE_FDS[:17]) + record(1, RESPONSE_FDS[17:]),
    'two-messages-whitespace': record(0, REQUEST + b'\r\n\t ' + NOTIFY + b'\n'),
    'fds-missing-next-message': record(1, RESPONSE_FDS) + record(0, REQUEST),
    'batch-array': record(0, b'[' + REQUEST + b']'),
    'scalar-top-level': record(0, b'42 '),
    'fds-negative': record(0, b'{"jsonrpc":"2.0","method":"m","fds":-1}'),
    'fds-fraction': record(0, b'{"jsonrpc":"2.0","method":"m","fds":1.5}'),
    'duplicate-key': record(0, b'{"fds":0,"fds":1}'),
    'truncated': record(0, REQUEST[:-3]),
    'deep-nesting': record(0, b'{"a":' * 200 + b'1' + b'}' * 200),
    'form-feed': record(0, REQUEST + b'\x0c' + NOTIFY),
})

write('JsonRpcCodecFuzzTest', 'framesClassifyOrAreRefusedAndRoundTrip', {
    'request': REQUEST,
    'request-null-id-big-number': msg({'jsonrpc': '2.0', 'method': 'Initialize', 'id': None}) +
    b'{"jsonrpc":"2.0","method":"ListImages","id":9007199254740993.10}',
    'response-with-fds': RESPONSE_FDS,
    'notification': NOTIFY,
    'error-response': ERROR,
    'result-null': b'{"jsonrpc":"2.0","result":null,"id":3}',
    'invalid-version': b'{"jsonrpc":"1.0","method":"m","id":1}',
    'invalid-both': b'{"jsonrpc":"2.0","result":1,"error":{"code":1,"message":"m"},"id":1}',
    'invalid-params': b'{"jsonrpc":"2.0","method":"m","params":"s","id":1,"fds":1}',
    'invalid-id-object': b'{"jsonrpc":"2.0","method":"m","id":{}}',
    'invalid-error-code': b'{"jsonrpc":"2.0","error":{"code":1e3,"message":"m"},"id":1}',
    'escaped-strings': b'{"jsonrpc":"2.0","method":"\\u00e9\\ud83d\\ude00","params":{"k":"\\"\\n"},"id":"\\u0000"}',
})

SPLIT = sorted(VECTORS.glob('*.bin'))
write('SplitFdStreamReaderFuzzTest', 'readerAcceptsWhatTheWriterWritesBack',
      {p.stem: p.read_bytes() for p in SPLIT if not p.stem.startswith('entry-framed')})
write('EntryFramedDecoderFuzzTest', 'decodesOrRefusesWithAStreamError',
      {p.stem: p.read_bytes() for p in SPLIT if p.stem.startswith('entry-framed') or p.stem == 'worked-example-b'})
