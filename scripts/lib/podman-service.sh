# shellcheck shell=bash
# A private, throw-away podman API service for the containerized consumer test (docs/conformance.md, "Containerized
# consumer"), sourced by scripts/test. Everything it makes lives in one temporary directory: the store (--root,
# vfs), the runroot, podman's tmp_dir, its containers.conf and the API socket. Recipe and the reasons for each
# setting: the project brief java-platform.md §9 (podman 4.3.1: runc because crun fails on this cgroup layout,
# lowered ulimits, a local image, Ryuk off).
#
#   layerfd_podman_service_start   starts it; exports DOCKER_HOST, TESTCONTAINERS_RYUK_DISABLED=true and
#                                  LAYERFD_REQUIRE_CONTAINER=1 (the container test then fails instead of skipping)
#   layerfd_podman_service_stop    stops it, ends the conmon processes it left, unmounts and removes the directory
#
# The caller installs the trap (scripts/test: trap layerfd_podman_service_stop EXIT).

# The API must answer within this many seconds after the service process starts.
LAYERFD_PODMAN_START_SECONDS=30
# After SIGTERM the service gets this long before SIGKILL.
LAYERFD_PODMAN_STOP_SECONDS=10
LAYERFD_PODMAN_RUNC=/usr/sbin/runc

layerfd_podman_service_dir=""
layerfd_podman_service_pid=""

# podman with the service's private store, for a developer's `podman images` and for the cleanup.
layerfd_podman() {
  CONTAINERS_CONF="$layerfd_podman_service_dir/containers.conf" podman \
    --root "$layerfd_podman_service_dir/root" --runroot "$layerfd_podman_service_dir/runroot" \
    --storage-driver vfs "$@"
}

layerfd_podman_service_start() {
  if [[ ! -x /usr/bin/podman || ! -x $LAYERFD_PODMAN_RUNC ]]; then
    echo "podman-service: needs /usr/bin/podman and $LAYERFD_PODMAN_RUNC (scripts/test-prereqs installs them)" >&2
    return 1
  fi
  local dir
  dir=$(mktemp -d /var/tmp/layerfd-podman.XXXXXX)
  layerfd_podman_service_dir=$dir
  mkdir -p "$dir/tmp"
  # runc: crun 1.8.1 cannot start a container on this host's hybrid cgroups. The rootful default ulimits cannot be
  # set here. cgroupfs: no systemd. tmp_dir and the file event log keep podman's state out of /run/libpod and the
  # journal, so nothing outlives the directory. exit_command_delay: the API's exec cleanup waits this long (default
  # 300 s) in a conmon process; the test runs no exec, and the stop function ends any that remain.
  cat >"$dir/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=1000:1000"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
tmp_dir = "$dir/tmp"
events_logger = "file"
events_logfile_path = "$dir/events.log"
exit_command_delay = 5
[engine.runtimes]
runc = ["$LAYERFD_PODMAN_RUNC"]
EOF
  CONTAINERS_CONF="$dir/containers.conf" setsid podman --root "$dir/root" --runroot "$dir/runroot" \
    --storage-driver vfs system service --time=0 "unix://$dir/podman.sock" >"$dir/service.log" 2>&1 &
  layerfd_podman_service_pid=$!
  local waited=0
  until curl -sf --unix-socket "$dir/podman.sock" http://d/_ping >/dev/null 2>&1; do
    if ! kill -0 "$layerfd_podman_service_pid" 2>/dev/null || ((waited >= LAYERFD_PODMAN_START_SECONDS * 10)); then
      echo "podman-service: the service did not answer on $dir/podman.sock; its log:" >&2
      cat "$dir/service.log" >&2
      layerfd_podman_service_stop
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  export DOCKER_HOST="unix://$dir/podman.sock"
  export TESTCONTAINERS_RYUK_DISABLED=true
  export LAYERFD_REQUIRE_CONTAINER=1
  echo "podman-service: pid $layerfd_podman_service_pid, DOCKER_HOST=$DOCKER_HOST" >&2
}

# The pids of processes whose command line names the service directory (its conmon processes), found by that
# directory, not by name, so another podman's conmon is never touched.
layerfd_podman_service_leftovers() {
  local proc
  for proc in /proc/[0-9]*; do
    if { tr "\0" " " <"$proc/cmdline"; } 2>/dev/null | grep -qF -- "$layerfd_podman_service_dir/"; then
      echo "${proc#/proc/}"
    fi
  done
}

layerfd_podman_service_stop() {
  local dir=$layerfd_podman_service_dir
  [[ -n $dir ]] || return 0
  if [[ -n $layerfd_podman_service_pid ]]; then
    # Containers a failed test left behind go first, while the service still knows them.
    layerfd_podman rm --all --force --time 0 >/dev/null 2>&1 || true
    kill -TERM "$layerfd_podman_service_pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$layerfd_podman_service_pid" 2>/dev/null && ((waited < LAYERFD_PODMAN_STOP_SECONDS * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    kill -KILL "$layerfd_podman_service_pid" 2>/dev/null || true
    wait "$layerfd_podman_service_pid" 2>/dev/null || true
  fi
  local pid
  for pid in $(layerfd_podman_service_leftovers); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # vfs needs no mounts, but podman mounts a tmpfs or shm for a container under the runroot: unmount deepest first.
  local mnt
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r mnt; do
    umount -l "$mnt" 2>/dev/null || true
  done
  rm -rf "$dir"
  layerfd_podman_service_dir=""
  layerfd_podman_service_pid=""
}
