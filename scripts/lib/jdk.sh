# Sourced by ./layerfd and scripts/test: finds a JDK 25 or newer.
# Order: $JAVA_HOME, then /usr/lib/jvm/*25*, then any /usr/lib/jvm JDK, then the `java` on PATH.

layerfd_java_major() { # JDK home -> its feature version, or nothing
  local release=$1/release
  [[ -x $1/bin/java && -r $release ]] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

layerfd_find_jdk() {
  local candidates=() home major
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/*25* /usr/lib/jvm/*)
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in "${candidates[@]}"; do
    major=$(layerfd_java_major "$home")
    if [[ -n $major && $major -ge 25 ]]; then
      echo "$home"
      return 0
    fi
  done
  echo "layerfd: no JDK 25 found (looked at JAVA_HOME, /usr/lib/jvm/*, PATH); install one (e.g. Temurin 25) or set JAVA_HOME" >&2
  return 1
}
