#!/usr/bin/env bash
# skopeo copy containers-storage:IMAGE oci:DIR, then the OCI layers unpacked in order (no umoci on Debian).
source "$(dirname "$0")/common.sh"
skopeo copy -q "containers-storage:$1" "oci:$BENCH_SCRATCH/oci:bench"
oci=$BENCH_SCRATCH/oci
manifest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"].split(":")[1])' \
  "$oci/index.json")
mapfile -t layers < <(python3 -c '
import json, sys
for layer in json.load(open(sys.argv[1]))["layers"]:
    print(sys.argv[2] + "/" + layer["digest"].split(":")[1])' "$oci/blobs/sha256/$manifest" "$oci/blobs/sha256")
"$(dirname "$0")/../unpack-layers.sh" "$2" "${layers[@]}"
