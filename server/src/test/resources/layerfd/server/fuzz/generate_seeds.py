#!/usr/bin/env python3
"""Writes the seed corpora of the server fuzz tests (docs/fuzzing.md). Rewrites the seed-* files only (crash-* and
regression-* inputs are kept). Standard library only. The store records come from the podman fixture stores that
server/src/test/java/layerfd/server/store/Fixtures.java builds under /var/tmp/layerfd-fixtures; without that
cache those seeds are left as committed.
"""
import gzip
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[6]
TARSPLIT = REPO / 'conformance-tests' / 'vectors' / 'tar-split'
FIXTURES = pathlib.Path('/var/tmp/layerfd-fixtures')


def write(test, method, seeds, keep_missing=False):
    d = HERE / (test + 'Inputs') / method
    d.mkdir(parents=True, exist_ok=True)
    if not (keep_missing and not seeds):
        for old in d.glob('seed-*'):
            old.unlink()
    for name, data in seeds.items():
        (d / ('seed-' + name)).write_bytes(data)


gz = {p.parent.name: p.read_bytes() for p in sorted(TARSPLIT.glob('*/layer.tar-split.gz'))}
# Whole lines up to a few KiB: the fuzzer mutates small inputs much faster, and the long trailing segment of one
# vector adds nothing a short one does not.
MAX_LINES_SEED_BYTES = 8 * 1024


def first_lines(text):
    out = b''
    for line in text.splitlines(keepends=True):
        if len(out) + len(line) > MAX_LINES_SEED_BYTES:
            break
        out += line
    return out


lines = {name: first_lines(gzip.decompress(data)) for name, data in gz.items()}
lines.update({
    'unknown-type': b'{"type":3,"payload":null}\n',
    'type-not-int': b'{"type":"1","name":"a"}\n',
    'negative-size': b'{"type":1,"name":"a","size":-1,"payload":null,"position":0}\n',
    'crc-short': b'{"type":1,"name":"a","size":1,"payload":"AAE=","position":0}\n',
    'bad-base64': b'{"type":2,"payload":"!!!!","position":0}\n',
    'size-over-64-bits': b'{"type":1,"name":"a","size":18446744073709551616}\n',
    'array-not-object': b'[{"type":2}]\n',
    'unknown-keys-nested': b'{"type":2,"x":{"y":[1,{"z":null}]},"payload":"YWJj"}\n',
})
write('TarSplitLinesFuzzTest', 'jsonLinesReadToEntriesOrAFormatError', lines)
write('TarSplitGzipFuzzTest', 'anyGzipReadsOrFailsAsAFormatError', gz)

write('LayerPathFuzzTest', 'cleanKeepsEveryNameInsideTheLayer', {
    'dot-slash': b'./etc/hello',
    'absolute': b'/usr/bin/env',
    'dot-dot': b'a/../../etc/passwd',
    'dot-dot-last': b'a/..',
    'double-slash-dot': b'.//a/./b//',
    'only-dots': b'././/.',
    'nul': b'a\x00b',
    'not-utf8': b'dir/\xff\xfename',
    'dots-in-name': b'...a/..b/c..',
})

root = FIXTURES / next((p.name for p in sorted(FIXTURES.glob('*')) if (p / 'root-overlay').is_dir()), 'none')
store = {}
for part in ('root-overlay', 'ais-base', 'with-ais'):
    layers = root / part / 'graph' / 'overlay-layers' / 'layers.json'
    images = root / part / 'graph' / 'overlay-images' / 'images.json'
    if layers.is_file():
        store[part + '-layers.json'] = layers.read_bytes()
    if images.is_file():
        records = json.loads(images.read_bytes())[:3]
        store[part + '-images.json'] = json.dumps(records, separators=(',', ':')).encode()
manifests = sorted((root / 'root-overlay' / 'graph' / 'overlay-images').glob('*/manifest'))
if manifests:
    store['manifest'] = manifests[0].read_bytes()
if store:
    store['empty'] = b''
    store['null'] = b'null'
    store['object-not-array'] = b'{"id":"x"}'
    store['bad-id'] = b'[{"id":"../../etc"}]'
    store['bad-created'] = b'[{"id":"' + b'a' * 64 + b'","created":"yesterday"}]'
    store['big-data-keys'] = json.dumps([{'id': 'b' * 64, 'layer': 'c' * 64, 'big-data-names': [
        'manifest', 'sha256:' + 'd' * 64, 'a/b', '.', '..', '\u00e9\ud83d\ude00', '=x']}]).encode()
write('StoreRecordsFuzzTest', 'recordsParseOrFailWithAStoreError', store, keep_missing=True)
