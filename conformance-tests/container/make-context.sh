#!/usr/bin/env bash
# Makes the build context of the consumer image: a FROM scratch image holding only the host's python3 (Debian's
# /usr/bin/python3), the shared libraries ldd lists for it and for its C extension modules, and its standard
# library. No registry is needed (none is reachable in CI) and the build takes seconds. Prints the image name, tagged
# with a hash of the context's content, so an unchanged context is never built twice into the same store.
#
#   make-context.sh OUT_DIR      -> OUT_DIR/Dockerfile, OUT_DIR/rootfs/; prints localhost/layerfd/python-consumer:HASH
set -euo pipefail

IMAGE_REPOSITORY=localhost/layerfd/python-consumer
# Debian's python3, not a pyenv shim or a virtualenv that might be first on PATH.
PYTHON=/usr/bin/python3
# Parts of the standard library a stdlib client never imports (leaving them out halves the image), and Debian's
# sitecustomize.py, a symlink into the host's /etc.
STDLIB_UNUSED=(test idlelib tkinter turtledemo lib2to3 ensurepip pydoc_data site-packages dist-packages
  sitecustomize.py)

out=${1:?usage: make-context.sh OUT_DIR}
[[ -x $PYTHON ]] || { echo "make-context: $PYTHON is missing (apt-get install python3)" >&2; exit 1; }
binary=$(readlink -f "$PYTHON")
stdlib=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
dynload=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("DESTSHARED"))')

rm -rf "$out"
root=$out/rootfs
mkdir -p "$root/usr/bin" "$root/tmp" "$root$(dirname "$stdlib")"
cp "$binary" "$root/usr/bin/python3"
excludes=(--anchored)
for name in "${STDLIB_UNUSED[@]}"; do excludes+=(--exclude="$(basename "$stdlib")/$name"); done
excludes+=(--exclude="$(basename "$stdlib")/config-*")
tar -C "$(dirname "$stdlib")" "${excludes[@]}" -cf - "$(basename "$stdlib")" | tar -C "$root$(dirname "$stdlib")" -xf -

# Every library at the path the loader looks for it (ldd's "=> path", and the interpreter's own absolute path),
# copied as a regular file so the image needs none of the host's /lib -> usr/lib symlinks.
libraries() {
  ldd "$binary" "$dynload"/*.so 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(0x/ { print $1 }'
}
for lib in $(libraries | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

cat >"$out/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/bin PYTHONDONTWRITEBYTECODE=1
CMD ["/usr/bin/python3"]
DOCKERFILE

# Every regular file's content and every symlink's target count.
hash=$( (cd "$out" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum \
  && find . -type l -printf '%p -> %l\n' | LC_ALL=C sort) | sha256sum | cut -c1-16)
echo "$IMAGE_REPOSITORY:$hash"
