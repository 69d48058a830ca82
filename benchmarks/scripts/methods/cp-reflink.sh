#!/usr/bin/env bash
# The physical floor: cp -a --reflink=always of each layer's own diff directory in the store, base first.
# Overlay's merged view cannot be reflinked (EXDEV), so this is the least any tool can do; it does not apply
# whiteouts (they are copied as the overlay driver's 0/0 character devices).
source "$(dirname "$0")/common.sh"
mkdir -p "$2"
while read -r layer; do
  cp -a --reflink=always "$BENCH_GRAPH/overlay/$layer/diff/." "$2/"
done <"$BENCH_WORK/layers-$(echo "$1" | tr '/:' '__').txt"
