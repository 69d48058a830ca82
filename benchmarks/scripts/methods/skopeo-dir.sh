#!/usr/bin/env bash
# skopeo copy containers-storage:IMAGE dir:DEST: every layer as an uncompressed tar, as skopeo writes it.
source "$(dirname "$0")/common.sh"
exec skopeo copy -q "containers-storage:$1" "dir:$2"
