# Sourced by scripts/bench: runs one method once and appends one row of measurements to $RESULTS.
#
#   measure GROUP IMAGE METHOD REP DEST -- COMMAND...
#
# Row (tab-separated): group image method rep wall_s user_s sys_s client_rss_kib server_rss_kib server_cpu_s
# disk_kib. Wall, user+sys and peak RSS of COMMAND and every process it waited for come from GNU time (getrusage of
# the children: ru_maxrss is the largest single process, not a sum). The server's peak RSS is its VmHWM, reset
# before the run by writing 5 to /proc/PID/clear_refs (proc(5)); its CPU time is the utime+stime delta of
# /proc/PID/stat. Disk is the drop in free space (statvfs f_bavail) of the benchmark filesystem after sync -f,
# measured once COMMAND's intermediate files ($BENCH_SCRATCH) are gone: what the result itself occupies.

clock_ticks=$(getconf CLK_TCK)

# Polls of the free space while XFS finishes freeing what an earlier rm released (it inactivates inodes in the
# background), and the pause between them.
readonly FREE_SPACE_POLLS=50
readonly FREE_SPACE_POLL_SECONDS=0.2

free_kib() {
  local now last=
  for _ in $(seq "$FREE_SPACE_POLLS"); do
    sync -f "$BENCH_FS"
    now=$(df --output=avail -B1K "$BENCH_FS" | tail -n 1 | tr -d ' ')
    [[ $now != "$last" ]] || break
    last=$now
    sleep "$FREE_SPACE_POLL_SECONDS"
  done
  echo "$now"
}

server_cpu_ticks() {
  # Fields 14 and 15 of /proc/PID/stat; the command name (field 2) has no spaces for java.
  awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"
}

measure() {
  local group=$1 image=$2 method=$3 rep=$4 dest=$5
  shift 6
  local times=$BENCH_WORK/time.out before after ticks_before ticks_after server_rss=- server_cpu=-
  rm -rf "$dest" "$BENCH_SCRATCH"
  mkdir -p "$BENCH_SCRATCH"
  before=$(free_kib)
  if [[ -n ${SERVER_PID:-} ]]; then
    echo 5 >"/proc/$SERVER_PID/clear_refs"
    ticks_before=$(server_cpu_ticks)
  fi
  if ! /usr/bin/time -f '%e %U %S %M' -o "$times" "$@" >"$BENCH_WORK/method.log" 2>&1; then
    echo "bench: $method on $image failed:" >&2
    tail -n 20 "$BENCH_WORK/method.log" >&2
    return 1
  fi
  if [[ -n ${SERVER_PID:-} ]]; then
    ticks_after=$(server_cpu_ticks)
    server_rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")
    server_cpu=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$clock_ticks" 'BEGIN { printf "%.2f", t / hz }')
  fi
  rm -rf "$BENCH_SCRATCH"
  after=$(free_kib)
  local wall user sys rss
  read -r wall user sys rss < <(tail -n 1 "$times")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$group" "$image" "$method" "$rep" "$wall" "$user" "$sys" \
    "$rss" "$server_rss" "$server_cpu" $((before - after)) >>"$RESULTS"
  printf '  %-22s %-10s rep %s: %6ss wall, %5ss user, %5ss sys, disk %s KiB\n' "$method" "$image" "$rep" "$wall" \
    "$user" "$sys" $((before - after)) >&2
  rm -rf "$dest"
}
