#!/usr/bin/env bash
# Configures and builds everything (server, CLI, every test tier) into build/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmake -S "$repo" -B "$repo/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DINRAPPORT_E2E_TESTS=ON -DINRAPPORT_DEPLOY_TESTS=ON >/dev/null
cmake --build "$repo/build" -j "$(nproc)"
