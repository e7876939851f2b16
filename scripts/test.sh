#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit, integration
# (the real server over gRPC) and end-to-end (Node.js client, promtool).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/install-deps.sh"
"$repo/scripts/build.sh"
ctest --test-dir "$repo/build" --output-on-failure -j "$(nproc)" --timeout 300
