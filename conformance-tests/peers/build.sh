#!/usr/bin/env bash
# Builds the reference test peers into OUT (default: ./out next to this script):
#   OUT/rust-peer  from rust/ (crate jsonrpc-fdpass, pinned in Cargo.toml/Cargo.lock)
#   OUT/go-peer    from go/   (module github.com/bootc-dev/jsonrpc-fdpass-go, pinned in go.mod/go.sum)
# A peer whose toolchain or pinned dependency is unavailable is skipped with a SKIP line.
# Idempotent: a peer is rebuilt only when the hash of its sources and toolchain changed.
#
# The Go module proxy does not serve jsonrpc-fdpass-go (it answers 403). Once the module is in
# the Go module cache the build needs nothing else; to fill the cache, set LAYERFD_FDPASS_GO_GIT
# to a git clone of github.com/bootc-dev/jsonrpc-fdpass-go holding commit 8c14abb: the go
# command then packs the module from that clone and checks it against the committed go.sum.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export PATH="$HOME/.cargo/bin:/usr/local/go/bin:$PATH"

# sources_hash DIR TOOL_VERSION: sha256 over every source file of a peer plus the toolchain.
sources_hash() {
    {
        (cd "$1" && find . -path ./target -prune -o -type f -print | LC_ALL=C sort | xargs -d '\n' sha256sum)
        echo "$2"
    } | sha256sum | cut -d' ' -f1
}

# up_to_date NAME HASH: the binary exists and was built from exactly these sources.
up_to_date() {
    [[ -x "$out/$1" && -f "$out/$1.stamp" && "$(cat "$out/$1.stamp")" == "$2" ]]
}

build_rust() {
    if ! command -v cargo >/dev/null; then
        echo "SKIP rust-peer: cargo not found (install Rust 1.85+ with cargo)"
        return
    fi
    local hash
    hash=$(sources_hash "$here/rust" "$(cargo --version)")
    if up_to_date rust-peer "$hash"; then
        echo "rust-peer up to date"
        return
    fi
    cargo build --quiet --locked --manifest-path "$here/rust/Cargo.toml" --target-dir "$out/rust-target"
    cp "$out/rust-target/debug/rust-peer" "$out/rust-peer"
    echo "$hash" >"$out/rust-peer.stamp"
    echo "built $out/rust-peer"
}

build_go() {
    if ! command -v go >/dev/null; then
        echo "SKIP go-peer: go not found (install Go 1.25+)"
        return
    fi
    local hash
    hash=$(sources_hash "$here/go" "$(go version)")
    if up_to_date go-peer "$hash"; then
        echo "go-peer up to date"
        return
    fi
    export GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -mod=readonly"
    if ! (cd "$here/go" && go build -o "$out/go-peer" . 2>"$out/go-build.log"); then
        if [[ -z "${LAYERFD_FDPASS_GO_GIT:-}" ]]; then
            echo "SKIP go-peer: the module proxy does not serve github.com/bootc-dev/jsonrpc-fdpass-go and it is not" \
                "in the module cache; set LAYERFD_FDPASS_GO_GIT to a git clone holding commit 8c14abb" \
                "(go said: $(tail -n 1 "$out/go-build.log"))"
            return
        fi
        # GOPRIVATE makes the go command fetch the module with git instead of the proxy; the
        # url rewrite points that fetch at the local clone; go.sum still verifies the content.
        (cd "$here/go" &&
            GOPRIVATE=github.com/bootc-dev/jsonrpc-fdpass-go \
            GIT_CONFIG_COUNT=1 \
            GIT_CONFIG_KEY_0="url.file://$LAYERFD_FDPASS_GO_GIT.insteadOf" \
            GIT_CONFIG_VALUE_0=https://github.com/bootc-dev/jsonrpc-fdpass-go \
            go build -o "$out/go-peer" .)
    fi
    echo "$hash" >"$out/go-peer.stamp"
    echo "built $out/go-peer"
}

build_rust
build_go
