#!/bin/sh
# deps.sh — installs incbench's build and test dependencies from Debian 12's
# packages (runs apt-get through sudo when not root). Safe to run again.
set -eu
pkgs="build-essential autoconf automake libtool pkg-config
      libinih-dev libjansson-dev libprotobuf-c-dev protobuf-c-compiler
      libevent-dev libgrpc-dev check
      python3 python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc
      curl valgrind sockperf"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
# shellcheck disable=SC2086
as_root apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "deps.sh: dependencies installed"
