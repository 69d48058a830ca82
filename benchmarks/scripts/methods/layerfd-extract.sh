#!/usr/bin/env bash
# layerfd extract IMAGE DEST: layers streamed as splitfdstreams, file content reflinked from the received fds.
# Policy 'enabled': a file that cannot be reflinked fails the run instead of being copied silently.
source "$(dirname "$0")/common.sh"
exec "$LAYERFD" extract --socket "$BENCH_SOCK" --unified enabled "$1" "$2"
