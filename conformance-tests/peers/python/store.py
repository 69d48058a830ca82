"""A read-only reader of a containers-storage store (podman's image store) in the Python standard library, for the
Python conformance server. It reads what docs/storage.md lists for the primary store tree only (no additional image
stores, no split image store, no volatile-layers.json) and writes nothing.

Locking (docs/storage.md "Locking"): shared POSIX record locks (fcntl F_RDLCK, what Go's read lock takes) on
D-layers/layers.lock, then D-images/images.lock, held only while records are read and descriptors opened. Each lock
file is opened once per process and never closed, because closing any descriptor of a file drops all of the
process's locks on it; one mutex serialises the readers of this process, so one OS lock is never taken twice.
"""

import base64
import fcntl
import gzip
import json
import os
import re
import stat
import threading

HEX_ID = re.compile(r"^[0-9a-f]{64}$")
# An overlay lower entry names a link under overlay/l/ whose text is ../<layer id>/diff (docs/storage.md).
LOWER_ENTRY = re.compile(r"^l/[A-Z0-9]+$")
LINK_TARGET = re.compile(r"^\.\./([0-9a-f]{64})/diff$")
BIG_DATA_PLAIN = re.compile(r"^[a-z0-9.]+$")
SHA256_PREFIX = "sha256:"

LAYER_NOT_FOUND = -32000
IMAGE_NOT_FOUND = -32001
IO_ERROR = -32003
AMBIGUOUS_PREFIX = -32004
NOT_STREAMABLE = -32007


class StoreError(Exception):
    """A failure with the contract's JSON-RPC code (api-contract section 3.5)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class LayerFiles:
    """A layer's tar-split and content directories, opened under the locks; usable after they are released."""

    def __init__(self, layer_id, tar_split_fd, directory_fds):
        self.layer_id = layer_id
        self.tar_split_fd = tar_split_fd
        self.directory_fds = directory_fds

    def close(self):
        for fd in [self.tar_split_fd] + self.directory_fds:
            os.close(fd)

    def entries(self):
        """The tar-split entries (docs/tar-split.md): ("segment", bytes) or ("file", name bytes, size)."""
        with gzip.GzipFile(fileobj=os.fdopen(os.dup(self.tar_split_fd), "rb")) as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                entry = json.loads(line)
                if entry.get("type") == 2:
                    yield ("segment", base64.b64decode(entry.get("payload") or ""))
                elif entry.get("type") == 1:
                    raw = entry.get("name_raw")
                    name = base64.b64decode(raw) if raw is not None else entry.get("name", "").encode("utf-8")
                    yield ("file", name, entry.get("size") or 0)
                else:
                    raise StoreError(IO_ERROR, "layer %s: tar-split entry %d has type %r"
                                     % (self.layer_id, number, entry.get("type")))

    def open_file(self, name, size):
        """The file, O_RDONLY, from the first content directory holding it; its size must be the tar-split's."""
        for directory in self.directory_fds:
            try:
                fd = open_beneath(directory, name)
            except (FileNotFoundError, NotADirectoryError):
                continue
            actual = os.fstat(fd).st_size
            if actual != size:
                os.close(fd)
                raise StoreError(IO_ERROR, "layer %s: %r has %d bytes, tar-split says %d"
                                 % (self.layer_id, name, actual, size))
            return fd
        raise StoreError(IO_ERROR, "layer %s: file %r is missing from the layer" % (self.layer_id, name))


def open_beneath(directory_fd, name):
    """Opens a tar name below a directory fd one component at a time with O_NOFOLLOW: no symlink, no "..", no
    escape (what RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS gives the Java reader)."""
    parts = [p for p in name.split(b"/") if p not in (b"", b".")]
    if not parts or b".." in parts or any(b"\0" in p for p in parts):
        raise StoreError(IO_ERROR, "unsafe name in tar-split: %r" % name)
    current = directory_fd
    try:
        for part in parts[:-1]:
            next_fd = os.open(part, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=current)
            if current != directory_fd:
                os.close(current)
            current = next_fd
        fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=current)
    except OSError as e:
        if e.errno == 40:  # ELOOP: a symlink on the way
            raise StoreError(IO_ERROR, "symlink in the path of %r" % name) from e
        raise
    finally:
        if current != directory_fd:
            os.close(current)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StoreError(IO_ERROR, "%r is not a regular file" % name)
    return fd


class Store:
    def __init__(self, graph_root, driver):
        if driver not in ("overlay", "vfs"):
            raise ValueError("driver must be overlay or vfs, got %s" % driver)
        self.root = graph_root
        self.driver = driver
        self.mutex = threading.Lock()
        self.lock_fds = [os.open(os.path.join(graph_root, "%s-%s" % (driver, kind), "%s.lock" % kind),
                                 os.O_RDONLY | os.O_CLOEXEC) for kind in ("layers", "images")]

    def _path(self, *parts):
        return os.path.join(self.root, *parts)

    def read_locked(self, work):
        """Runs work(records) under the shared locks, layers.lock first as Go takes them."""
        with self.mutex:
            taken = []
            try:
                for fd in self.lock_fds:
                    fcntl.lockf(fd, fcntl.LOCK_SH)
                    taken.append(fd)
                return work(Records(self))
            finally:
                for fd in reversed(taken):
                    fcntl.lockf(fd, fcntl.LOCK_UN)


def _json_list(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    return json.loads(data) if data.strip() else []


class Records:
    """The layer and image records as read under one set of locks."""

    def __init__(self, store):
        self.store = store
        self.layers = {}
        for record in _json_list(store._path(store.driver + "-layers", "layers.json")):
            if HEX_ID.match(record.get("id", "")):
                self.layers[record["id"]] = record
        self.images = [r for r in _json_list(store._path(store.driver + "-images", "images.json"))
                       if HEX_ID.match(r.get("id", ""))]

    def resolve_image(self, ref):
        """Go store.Image order: exact id (sha256: stripped), exact name, unique id prefix."""
        bare = ref[len(SHA256_PREFIX):] if ref.startswith(SHA256_PREFIX) else ref
        for image in self.images:
            if image["id"] == bare:
                return image
        for image in self.images:
            if ref in image.get("names", []):
                return image
        if re.match(r"^[0-9a-f]+$", bare):
            matches = [i for i in self.images if i["id"].startswith(bare)]
            if len(matches) > 1:
                raise StoreError(AMBIGUOUS_PREFIX, "image id prefix %s matches %d images" % (bare, len(matches)))
            if matches:
                return matches[0]
        raise StoreError(IMAGE_NOT_FOUND, "image not found: %s" % ref)

    def layer(self, layer_id):
        bare = layer_id[len(SHA256_PREFIX):] if layer_id.startswith(SHA256_PREFIX) else layer_id
        if bare not in self.layers:
            raise StoreError(LAYER_NOT_FOUND, "layer not found: %s" % layer_id)
        return self.layers[bare]

    def chain(self, image):
        """Layer ids, TOP first (upstream's layerDigests order)."""
        ids, current = [], image.get("layer")
        while current:
            if current in ids:
                raise StoreError(IO_ERROR, "image %s: layer parent cycle at %s" % (image["id"], current))
            ids.append(self.layer(current)["id"])
            current = self.layers[current].get("parent")
        return ids

    def big_data(self, image, key):
        name = key if BIG_DATA_PLAIN.match(key) else "=" + base64.b64encode(key.encode("utf-8")).decode("ascii")
        path = self.store._path(self.store.driver + "-images", image["id"], name)
        try:
            with open(path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            raise StoreError(IO_ERROR, "image %s has no big data item %s" % (image["id"], key)) from None

    def open_layer(self, layer_id):
        """A streamable layer's tar-split and content directories (docs/storage.md "Layer chains")."""
        record = self.layer(layer_id)
        layer_id = record["id"]
        if record.get("flags", {}).get("incomplete"):
            raise StoreError(NOT_STREAMABLE, "layer %s is incomplete" % layer_id)
        if not record.get("diff-digest"):
            raise StoreError(NOT_STREAMABLE, "layer %s has no diff-digest" % layer_id)
        store = self.store
        try:
            tar_split = os.open(store._path(store.driver + "-layers", layer_id + ".tar-split.gz"),
                                os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            raise StoreError(NOT_STREAMABLE, "layer %s has no tar-split" % layer_id) from None
        directories = []
        try:
            for path in self._content_directories(layer_id):
                directories.append(os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC))
        except OSError as e:
            for fd in [tar_split] + directories:
                os.close(fd)
            raise StoreError(IO_ERROR, "layer %s: cannot open its directory: %s" % (layer_id, e)) from e
        return LayerFiles(layer_id, tar_split, directories)

    def _content_directories(self, layer_id):
        """vfs: the layer's snapshot; overlay: its diff, then its lower chain, nearest first (links read, not
        followed)."""
        store = self.store
        if store.driver == "vfs":
            return [store._path("vfs", "dir", layer_id)]
        paths = [store._path("overlay", layer_id, "diff")]
        try:
            with open(store._path("overlay", layer_id, "lower"), "r") as f:
                lower = f.read().strip()
        except FileNotFoundError:
            lower = ""
        for entry in filter(None, lower.split(":")):
            target = LINK_TARGET.match(os.readlink(store._path("overlay", entry))) if LOWER_ENTRY.match(entry) \
                else None
            if target is None:
                raise StoreError(IO_ERROR, "layer %s: bad lower entry %r" % (layer_id, entry))
            paths.append(store._path("overlay", target.group(1), "diff"))
        return paths
