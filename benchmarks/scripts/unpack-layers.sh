#!/usr/bin/env bash
# unpack-layers.sh DEST LAYER.tar...: GNU tar -x of each layer in order, then its whiteouts applied roughly:
# .wh.NAME removes NAME; .wh..wh..opq removes what its directory held before this layer (entries whose ctime is
# older than this layer's extraction). A file that one layer both whites out and re-adds is removed, and an opaque
# directory's own new children are judged by ctime only: good enough to time the work, not a correct applier
# (the OCI image-spec rules are in docs/extract.md).
set -euo pipefail
dest=$1
shift
mkdir -p "$dest"
for layer in "$@"; do
  stamp=$(mktemp)
  tar -x --numeric-owner -p -f "$layer" -C "$dest"
  while IFS= read -r -d '' wh; do
    dir=$(dirname "$wh")
    name=$(basename "$wh")
    if [[ $name == .wh..wh..opq ]]; then
      find "$dir" -mindepth 1 -maxdepth 1 ! -cnewer "$stamp" -exec rm -rf {} +
    else
      rm -rf "${dir:?}/${name#.wh.}"
    fi
    rm -f "$wh"
  done < <(find "$dest" -name '.wh.*' -print0)
  rm -f "$stamp"
done
