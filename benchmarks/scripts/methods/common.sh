# Sourced by every method script: the store the benchmark built (scripts/bench exports these).
set -euo pipefail
: "${BENCH_GRAPH:?} ${BENCH_RUN:?} ${BENCH_SCRATCH:?} ${BENCH_WORK:?}"
export CONTAINERS_STORAGE_CONF=$BENCH_WORK/storage.conf

# The same flags the fixture scripts use: no events, no systemd (scripts/fixtures/make-store.sh).
podman_() {
  podman --root "$BENCH_GRAPH" --runroot "$BENCH_RUN" --storage-driver overlay \
    --events-backend=none --cgroup-manager=cgroupfs "$@"
}
