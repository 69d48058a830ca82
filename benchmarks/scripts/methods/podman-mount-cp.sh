#!/usr/bin/env bash
# What users do today: podman image mount, cp -a of the merged view, podman image unmount.
source "$(dirname "$0")/common.sh"
merged=$(podman_ image mount "$1")
mkdir -p "$2"
cp -a "$merged/." "$2/"
podman_ image unmount "$1" >/dev/null
