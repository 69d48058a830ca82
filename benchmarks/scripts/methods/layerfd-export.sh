#!/usr/bin/env bash
# layerfd export of every layer of IMAGE into DEST/<layer>.tar, each verified against its diff-digest.
source "$(dirname "$0")/common.sh"
mkdir -p "$2"
while read -r layer; do
  "$LAYERFD" export --socket "$BENCH_SOCK" "$layer" -o "$2/$layer.tar" >/dev/null
done <"$BENCH_WORK/layers-$(echo "$1" | tr '/:' '__').txt"
