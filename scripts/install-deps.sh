#!/usr/bin/env bash
# Installs what inrapport needs to build, run and test on Debian 12, and
# nothing that is already there. Idempotent; quiet when all is installed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev prometheus-cpp-dev libsqlite3-dev sqlite3 libssl-dev
  libpq-dev postgresql
  libgtest-dev libgmock-dev
  prometheus ca-certificates openssl python3-yaml docker-compose
  chromium fonts-dejavu-core
  clang libclang-rt-14-dev
  nghttp2-client python3-h2
  libcivetweb-dev golang-github-gogo-googleapis-dev curl
)
# Node.js runs the independent gRPC client of the end-to-end tests. A machine
# may already have Node from elsewhere (whose npm conflicts with Debian's):
# only install Debian's when there is none.
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_if_needed apt-get update -q
  # Debian's prometheus and postgresql packages start daemons on install; the
  # tests start their own servers, so keep services from starting
  # (policy-rc.d 101).
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | sudo_if_needed tee "$policy" >/dev/null
    sudo_if_needed chmod +x "$policy"
    made_policy=1
  fi
  status=0
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${missing[@]}" || status=$?
  if [ "$made_policy" -eq 1 ]; then sudo_if_needed rm -f "$policy"; fi
  [ "$status" -eq 0 ] || exit "$status"
fi

# The end-to-end tests' Node packages, pinned by the committed lock file.
e2e="$repo/tests/e2e"
if [ ! -d "$e2e/node_modules" ] || [ "$e2e/package-lock.json" -nt "$e2e/node_modules" ]; then
  echo "install-deps: installing the end-to-end tests' Node packages"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$e2e/node_modules"
fi
