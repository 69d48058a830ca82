#!/usr/bin/env bash
# Proves the reference peers against each other: every server/client pair (Rust and Go), both
# shutdown paths (a `shutdown` notification and SIGTERM), and both splitfdstream consumers
# against the Go fake splitfd server. Usage: selftest.sh [OUT]  (OUT as for build.sh)
# Prints one PASS/FAIL/SKIP line per step and `N passed, N failed, N skipped`.
# Exit status: 0 all passed, 1 something failed, 77 nothing failed but a peer could not be built.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/out}
# Seconds a server may take to create its socket or to exit after being told to.
readonly SERVER_WAIT_SECONDS=10
readonly EXIT_SKIPPED=77

"$here/build.sh" "$out" >&2 || { echo "FAIL build: build.sh failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
out=$(cd "$out" && pwd)
work=$(mktemp -d)
passed=0 failed=0 skipped=0
server_pid=

cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
    rm -rf "$work"
}
trap cleanup EXIT

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }
have() { [[ -x "$out/$1-peer" ]]; }

# start_server LOG SOCKET ARGS...: starts "$@" in the background and waits for its socket.
start_server() {
    local log=$1 socket=$2
    shift 2
    rm -f "$socket"
    "$@" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq $((SERVER_WAIT_SECONDS * 10))); do
        [[ -S "$socket" ]] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    return 1
}

# await_server_exit: the server must exit by itself with status 0 within the wait.
await_server_exit() {
    for _ in $(seq $((SERVER_WAIT_SECONDS * 10))); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid"
            local status=$?
            server_pid=
            return "$status"
        fi
        sleep 0.1
    done
    return 1
}

# run_client NAME SERVER_LANG CLIENT_LANG SOCKET EXTRA...: the client must report no failure.
run_client() {
    local name=$1 server=$2 client=$3 socket=$4
    shift 4
    local quirks=none
    [[ $server == go ]] && quirks=go
    if "$out/$client-peer" client --socket "$socket" --server-quirks "$quirks" "$@" >"$work/$name.out" 2>&1; then
        pass "$name ($(tail -n 1 "$work/$name.out"))"
    else
        fail "$name" "$(grep -E '^FAIL|rust-peer:|go-peer:' "$work/$name.out" | head -n 3 | tr '\n' ' ')"
    fi
}

for server in rust go; do
    if ! have "$server"; then
        skip "$server-server" "$server-peer was not built"
        continue
    fi
    socket="$work/$server.sock"
    if ! start_server "$work/$server-server.log" "$socket" "$out/$server-peer" server --socket "$socket"; then
        fail "$server-server" "no socket after ${SERVER_WAIT_SECONDS}s: $(cat "$work/$server-server.log")"
        continue
    fi
    for client in rust go; do
        if ! have "$client"; then
            skip "$client-client-vs-$server-server" "$client-peer was not built"
            continue
        fi
        run_client "$client-client-vs-$server-server" "$server" "$client" "$socket"
    done
    # Old Go copies take at most 8 fds per message (jsonrpc-fdpass.md §6): batches of 8 must work.
    client=$([[ $server == rust ]] && echo go || echo rust)
    if have "$client"; then
        run_client "$client-client-batch-8-vs-$server-server" "$server" "$client" "$socket" --max-fds-per-sendmsg 8
    fi
    # The Rust server is stopped by a `shutdown` notification, the Go server by SIGTERM.
    if [[ $server == rust ]] && have go; then
        "$out/go-peer" client --socket "$socket" --shutdown >"$work/shutdown.out" 2>&1
    else
        kill -TERM "$server_pid"
    fi
    if await_server_exit && [[ ! -e "$socket" ]]; then
        pass "$server-server-exits-and-removes-its-socket"
    else
        fail "$server-server-exits-and-removes-its-socket" "still running, failed or socket left behind"
    fi
    [[ -n "$server_pid" ]] && { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=; }
done

# splitfdstream: both consumers against the fake server; the digests must be the tars' own.
if ! have go; then
    skip splitfdstream "the fake splitfd server is part of go-peer, which was not built"
elif ! python3 "$here/make-test-tars.py" "$work"; then
    fail splitfdstream "make-test-tars.py failed"
else
    expected=$(for tar in top base; do
        echo "sha256:$(sha256sum "$work/$tar.tar" | cut -d' ' -f1) $(stat -c %s "$work/$tar.tar")"
    done)
    for threshold in 4096 0; do
        socket="$work/fake.sock"
        if ! start_server "$work/fake.log" "$socket" "$out/go-peer" fake-splitfd-server --socket "$socket" \
            --tar "$work/base.tar" --tar "$work/top.tar" --inline-threshold "$threshold"; then
            fail "fake-splitfd-server" "no socket: $(cat "$work/fake.log")"
            continue
        fi
        for consumer in rust go; do
            name="$consumer-splitfdstream-threshold-$threshold"
            have "$consumer" || { skip "$name" "$consumer-peer was not built"; continue; }
            if ! "$out/$consumer-peer" splitfdstream --socket "$socket" --image localhost/fake:latest \
                >"$work/$name.out" 2>&1; then
                fail "$name" "$(cat "$work/$name.out")"
            elif [[ "$(cut -d' ' -f3,4 "$work/$name.out")" != "$expected" ]]; then
                fail "$name" "got $(cut -d' ' -f3,4 "$work/$name.out" | tr '\n' ' ') want $(echo "$expected" | tr '\n' ' ')"
            else
                pass "$name"
            fi
        done
        for consumer in rust go; do
            have "$consumer" && [[ $threshold != 0 ]] || continue
            name="$consumer-splitfdstream-unknown-image-fails"
            if "$out/$consumer-peer" splitfdstream --socket "$socket" --image no/such:image >"$work/$name.out" 2>&1; then
                fail "$name" "exit status 0"
            elif ! grep -q 'code -32001: image not found: no/such:image' "$work/$name.out"; then
                fail "$name" "unclear message: $(cat "$work/$name.out")"
            else
                pass "$name"
            fi
        done
        kill -TERM "$server_pid"
        await_server_exit || fail "fake-splitfd-server-exits" "did not exit on SIGTERM"
    done
fi

echo "$passed passed, $failed failed, $skipped skipped"
if ((failed > 0)); then exit 1; fi
if ((skipped > 0)); then exit "$EXIT_SKIPPED"; fi
exit 0
