#!/usr/bin/env bash
# The fast inner loop: builds what changed in build/ and runs the unit tier
# (ctest -L unit: the core against SQLite, the in-memory fake store and a
# temporary PostgreSQL), about 20 s on two cores after a build. Arguments go
# to ctest, e.g.
#   scripts/unit.sh -R WritePipeline
# Needs only the build dependencies: a build/ configured here for the first
# time leaves out the tiers that need node, promtool, prometheus, chromium or
# docker-compose (INRAPPORT_E2E_TESTS, INRAPPORT_DEPLOY_TESTS). The full test
# command, scripts/test.sh, configures them back in and runs everything.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ! -f "$repo/build/CMakeCache.txt" ]]; then
  cmake -S "$repo" -B "$repo/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DINRAPPORT_E2E_TESTS=OFF -DINRAPPORT_DEPLOY_TESTS=OFF >/dev/null
fi
cmake --build "$repo/build" -j "$(nproc)"
ctest --test-dir "$repo/build" -L unit -j "$(nproc)" --output-on-failure "$@"
