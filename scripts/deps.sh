#!/bin/sh
# deps.sh — installs incbench's build and test dependencies from Debian 12's
# packages (runs apt-get through sudo when not root). Safe to run again.
# Another package manager holding the lock (unattended-upgrades on a fresh
# machine) is waited for, up to 10 minutes, instead of failing the run.
set -eu
pkgs="build-essential autoconf automake libtool pkg-config
      libinih-dev libjansson-dev libprotobuf-c-dev protobuf-c-compiler
      libevent-dev libgrpc-dev check
      python3 python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc
      libssl-dev openssl curl valgrind sockperf
      libjs-chart.js chromium libxml2-utils"
lock_timeout=${DEPS_LOCK_TIMEOUT:-600}   # seconds
locks="/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
errs=$(mktemp)
trap 'rm -f "$errs"' EXIT

# Whether a process holds one of apt's or dpkg's locks: they are fcntl
# locks, which /proc/locks lists by inode (and flock(1) cannot see).
held() {
    for lock in $locks; do
        inode=$(stat -c %i "$lock" 2>/dev/null) || continue
        awk -v inode="$inode" '{ n = split($6, id, ":"); if (id[n] == inode) found = 1 }
                               END { exit !found }' /proc/locks && return 0
    done
    return 1
}

# apt_get ARGS...: apt-get, waiting while another package manager holds a
# lock, at most lock_timeout seconds per call. apt-get install waits by itself
# with DPkg::Lock::Timeout (apt >= 1.9.11; Debian 12 has 2.6); apt-get update
# does not wait for the lists lock, so it is retried when it loses that race.
apt_get() {
    start=$(date +%s)
    told=no
    while :; do
        waited=$(($(date +%s) - start))
        if held && [ "$waited" -lt "$lock_timeout" ]; then
            if [ "$told" = no ]; then
                echo "deps.sh: another package manager holds the apt/dpkg lock;" \
                     "waiting for it (at most $lock_timeout s)" >&2
                told=yes
            fi
            sleep 5
            continue
        fi
        left=$((lock_timeout - waited))
        [ "$left" -gt 0 ] || left=0
        if as_root apt-get -o DPkg::Lock::Timeout="$left" "$@" 2>"$errs"; then
            cat "$errs" >&2
            return 0
        fi
        if grep -q 'Could not get lock' "$errs" && [ "$(($(date +%s) - start))" -lt "$lock_timeout" ]; then
            sleep 1
            continue
        fi
        cat "$errs" >&2
        return 1
    done
}

apt_get update -qq
# shellcheck disable=SC2086
apt_get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "deps.sh: dependencies installed"
