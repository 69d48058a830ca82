#!/usr/bin/env bash
# roundtrips.sh IMAGE DEST: extracts IMAGE under strace and counts the client's socket calls, the check that the
# hot path has no per-file round trip (issue #8): a request per file would need at least one send per file.
# strace --seccomp-bpf stops only at the traced calls, so the per-file filesystem calls run at full speed.
set -euo pipefail
image=$1 dest=$2
counts=$(mktemp)
rm -rf "$dest"
strace -f --seccomp-bpf -c -U calls,name -e trace=sendmsg,sendto,recvmsg,recvfrom -o "$counts" \
  "$LAYERFD" extract --socket "$BENCH_SOCK" --unified enabled "$image" "$dest" >/dev/null
files=$(find "$dest" -type f | wc -l)
sends=$(awk '$2 == "sendmsg" || $2 == "sendto" { n += $1 } END { print n + 0 }' "$counts")
receives=$(awk '$2 == "recvmsg" || $2 == "recvfrom" { n += $1 } END { print n + 0 }' "$counts")
echo "layerfd extract $image: $files regular files extracted"
echo "client socket calls: $sends sends (sendmsg/sendto), $receives receives (recvmsg/recvfrom)"
awk -v f="$files" -v s="$sends" 'BEGIN { printf "files per client send: %.1f\n", (s ? f / s : f) }'
echo "strace -c of the client (calls, name):"
cat "$counts"
rm -f "$counts"
