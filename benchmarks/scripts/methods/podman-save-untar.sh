#!/usr/bin/env bash
# podman save (docker-archive) piped into tar -x, then the layer tars unpacked in order.
source "$(dirname "$0")/common.sh"
saved=$BENCH_SCRATCH/saved
mkdir -p "$saved"
podman_ save -q "$1" | tar -x -C "$saved"
mapfile -t layers < <(python3 -c '
import json, sys
for layer in json.load(open(sys.argv[1] + "/manifest.json"))[0]["Layers"]:
    print(sys.argv[1] + "/" + layer)' "$saved")
"$(dirname "$0")/../unpack-layers.sh" "$2" "${layers[@]}"
