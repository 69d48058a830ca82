#!/usr/bin/env bash
# layerfd-extract with the client JVM tuned for a short run: C1 only (no C2 compiler threads) and the Serial GC,
# the options the userns helper already runs with (docs/rootless.md). Shows what the default JVM costs.
export LAYERFD_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
exec "$(dirname "$0")/layerfd-extract.sh" "$@"
