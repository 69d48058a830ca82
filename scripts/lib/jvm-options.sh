# shellcheck shell=bash
# The JVM options of a layerfd command (docs/operations.md "JVM options"), shared by ./layerfd and scripts/bench so
# the benchmark measures what ships. SerialGC everywhere (a few threads, small heaps: G1's regions and threads cost
# RSS and time here); the long-running server's heap is capped, which keeps its RSS near 200 MiB while it streams a
# 100,000-file layer (docs/benchmarks.md). LAYERFD_JAVA_OPTS comes last, so its options win.
#
#   layerfd_jvm_options COMMAND   sets the array layerfd_jvm_opts for `layerfd COMMAND ...`
layerfd_jvm_options() {
  layerfd_jvm_opts=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC)
  if [[ ${1:-} == serve ]]; then
    layerfd_jvm_opts+=(-Xmx256m)
  fi
  local extra
  read -r -a extra <<<"${LAYERFD_JAVA_OPTS:-}"
  layerfd_jvm_opts+=("${extra[@]}")
}
